/* appraise_agree.c: double rating: the reproducible sample, agreement
 * between two reviewers (percent, Cohen's kappa with 95% CI) and the list of
 * discrepancies to resolve. */
#include "study_internal.h"
#include "appraise_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "kappa.h"
#include "qes/appraise.h"

static const char *const cats[] = { "yes", "cant_tell", "no" };

static int cat_index(const char *a)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(cats[i], a))
			return i;
	return -1;
}

/* The non-consensus reviewer pair with the most rating items in common. */
static int best_pair(qes_store *st, const char *cl, char **a, char **b, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__prep(st, &s, "SELECT x.reviewer, y.reviewer, count(*) FROM appraisal_ratings x "
			   "JOIN appraisal_ratings y ON y.checklist_id = x.checklist_id "
			   " AND y.study_id = x.study_id AND y.qid = x.qid AND x.reviewer < y.reviewer "
			   "JOIN checklist_questions q ON q.checklist_id = x.checklist_id "
			   " AND q.qid = x.qid AND q.type = 'rating' "
			   "WHERE x.checklist_id IN (SELECT value FROM json_each(?1)) "
			   " AND x.reviewer <> ?2 AND y.reviewer <> ?2 "
			   "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 1", err);
	*a = *b = NULL;
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, cl, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, QES_CONSENSUS, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*a = strdup((const char *)sqlite3_column_text(s, 0));
		*b = strdup((const char *)sqlite3_column_text(s, 1));
	} else
		rc = qes_error_set(err, QES_ENOTFOUND, "no study was rated by two reviewers yet "
				   "(qes appraise sample draws the studies to double-rate)");
	sqlite3_finalize(s);
	return rc;
}

json_t *qes_appraise_agreement_json(qes_store *st, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	char *cl = NULL, *ra = NULL, *rb = NULL;
	json_t *out = NULL, *act = NULL;
	int table[9] = { 0 }, items = 0, agreed = 0;
	/* Every active checklist's rating questions count (cl: their ids as JSON). */
	if (qes_checklist_ensure_default(st, err) || !(act = qes__checklists_active(st, err)))
		goto out;
	if (!(cl = json_dumps(act, JSON_COMPACT))) {
		qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	if (best_pair(st, cl, &ra, &rb, err) ||
	    qes__prep(st, &s, "SELECT x.answer, y.answer FROM appraisal_ratings x "
		      "JOIN appraisal_ratings y ON y.checklist_id = x.checklist_id "
		      " AND y.study_id = x.study_id AND y.qid = x.qid "
		      "JOIN checklist_questions q ON q.checklist_id = x.checklist_id "
		      " AND q.qid = x.qid AND q.type = 'rating' "
		      "WHERE x.checklist_id IN (SELECT value FROM json_each(?1)) "
		      " AND x.reviewer = ?2 AND y.reviewer = ?3", err))
		goto out;
	sqlite3_bind_text(s, 1, cl, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, ra, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, rb, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int i = cat_index((const char *)sqlite3_column_text(s, 0));
		int j = cat_index((const char *)sqlite3_column_text(s, 1));
		if (i < 0 || j < 0)
			continue;
		table[i * 3 + j]++;
		items++;
		agreed += i == j;
	}
	double k = 0, lo = 0, hi = 0;
	int defined = qes__kappa(table, 3, &k, &lo, &hi) == 0;
	json_t *rows = json_array();
	for (int i = 0; i < 3; i++)
		json_array_append_new(rows, json_pack("[i,i,i]", table[i * 3], table[i * 3 + 1],
						      table[i * 3 + 2]));
	out = json_pack("{s:[s,s],s:i,s:i,s:f,s:o,s:o,s:o,s:[s,s,s],s:o}",
			"reviewers", ra, rb, "items", items, "agreed", agreed,
			"percent", items ? 100.0 * agreed / items : 0.0,
			"kappa", defined ? json_real(k) : json_null(),
			"ci_low", defined ? json_real(lo) : json_null(),
			"ci_high", defined ? json_real(hi) : json_null(),
			"categories", cats[0], cats[1], cats[2], "table", rows);
out:
	sqlite3_finalize(s);
	json_decref(act);
	free(cl);
	free(ra);
	free(rb);
	return out;
}

json_t *qes_appraise_discrepancies_json(qes_store *st, qes_error *err)
{
	json_t *all = NULL, *list = json_array(), *out = NULL;
	if (qes_checklist_ensure_default(st, err) || !(all = qes__appraise_load(st, err)))
		goto out;
	json_t *qs = json_object_get(all, "questions");
	size_t i, j;
	json_t *study, *q;
	json_array_foreach(json_object_get(all, "studies"), i, study) {
		json_array_foreach(qs, j, q) {
			if (strcmp(json_string_value(json_object_get(q, "type")), "rating"))
				continue;
			const char *qid = json_string_value(json_object_get(q, "id"));
			json_t *r = json_object_get(json_object_get(study, "ratings"), qid);
			json_t *answers = json_object();
			const char *rev, *first = NULL;
			json_t *v;
			int differ = 0;
			json_object_foreach(r, rev, v) {
				if (!strcmp(rev, QES_CONSENSUS))
					continue;
				const char *a = json_string_value(json_object_get(v, "answer"));
				json_object_set_new(answers, rev, json_string(a));
				differ |= first && strcmp(first, a);
				if (!first)
					first = a;
			}
			if (!differ) {
				json_decref(answers);
				continue;
			}
			json_t *cons = json_object_get(json_object_get(r, QES_CONSENSUS), "answer");
			json_array_append_new(list, json_pack("{s:O,s:s,s:o,s:b,s:O}",
				"study", json_object_get(study, "study"), "question", qid,
				"answers", answers, "resolved", cons != NULL,
				"consensus", cons ? cons : json_null()));
		}
	}
	out = list;
	list = NULL;
out:
	json_decref(all);
	json_decref(list);
	return out;
}

/* splitmix64 (Steele, Lea & Flood 2014): a tiny, well-mixed generator whose
 * output depends only on the seed, so a sample can be drawn again. */
static unsigned long long next_rand(unsigned long long *state)
{
	unsigned long long z = (*state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

json_t *qes_appraise_sample(qes_store *st, double fraction, unsigned long long seed,
			    qes_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *keys = json_array(), *ids = json_array(), *out = NULL, *sample = json_array();
	if (!(fraction > 0 && fraction <= 1)) {
		qes_error_set(err, QES_EINVAL, "--fraction must be above 0 and at most 1");
		goto done;
	}
	if (qes_store_begin(st, err))
		goto done;
	if (qes__study_pool_sync(st, err) ||
	    qes__prep(st, &s, "SELECT id, key FROM studies ORDER BY key", err))
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_array_append_new(ids, json_integer(sqlite3_column_int64(s, 0)));
		json_array_append_new(keys, json_string((const char *)sqlite3_column_text(s, 1)));
	}
	sqlite3_finalize(s);
	s = NULL;
	size_t n = json_array_size(keys);
	size_t m = (size_t)ceil(fraction * (double)n - 1e-9);
	/* Fisher-Yates over the key-sorted list, then the first m. */
	unsigned long long state = seed;
	size_t *perm = calloc(n ? n : 1, sizeof(size_t));
	if (!perm) {
		qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(next_rand(&state) % i), t = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = t;
	}
	int rc = qes_store_exec(st, "DELETE FROM appraisal_sample", err);
	if (!rc)
		rc = qes__prep(st, &s, "INSERT INTO appraisal_sample(study_id, seed, fraction) "
			       "VALUES (?, ?, ?)", err);
	char seedtxt[32];
	snprintf(seedtxt, sizeof(seedtxt), "%llu", seed);
	for (size_t i = 0; !rc && i < m; i++) {
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, json_integer_value(json_array_get(ids, perm[i])));
		sqlite3_bind_text(s, 2, seedtxt, -1, SQLITE_STATIC);
		sqlite3_bind_double(s, 3, fraction);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = qes_store_sqlerr(st, err, "storing the sample");
		json_array_append(sample, json_array_get(keys, perm[i]));
	}
	free(perm);
	if (rc || qes_store_commit(st, err))
		goto out;
	out = json_pack("{s:s,s:f,s:i,s:O}", "seed", seedtxt, "fraction", fraction,
			"studies", (int)n, "sample", sample);
	sqlite3_finalize(s);
	goto done;
out:
	sqlite3_finalize(s);
	qes_store_rollback(st);
done:
	json_decref(keys);
	json_decref(ids);
	json_decref(sample);
	return out;
}
