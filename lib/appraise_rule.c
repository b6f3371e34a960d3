/* appraise_rule.c: how the appraisal weighs a study, by a stated rule.
 *
 * A study has methodological limitations according to how many of the
 * rule's questions its final answers say "no" to: serious concerns from
 * `serious` such answers, moderate from `moderate`, minor from `minor` (0:
 * that level is not used), else none. The review sets the rule (which
 * questions count: the CASP items on method, not the review's own added
 * questions, say) and it is printed with the appraisal table and used by
 * the CERQual pre-fill and the sensitivity of themes. Without a rule set,
 * the rule is the old one, stated: serious concerns from one "no" on any
 * rating question. The rule is kept in meta key appraise.rule as JSON. */
#include "qes/appraise.h"
#include "appraise_internal.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether question q is named tok: its id, or checklist:qid when several
 * checklists are active (see qes__appraise_questions). */
static int named(json_t *q, const char *tok)
{
	const char *cl = json_string_value(json_object_get(q, "checklist"));
	size_t n = cl ? strlen(cl) : 0;
	return !strcmp(json_string_value(json_object_get(q, "id")), tok) ||
	       (cl && !strncmp(tok, cl, n) && tok[n] == ':' &&
		!strcmp(tok + n + 1, json_string_value(json_object_get(q, "qid"))));
}

/* Appends the ids of spec "casp2-casp9,rq1" to out, each one a rating
 * question of qs; QES_EINVAL names the first that is not. */
static int expand(const char *spec, json_t *qs, json_t *out, qes_error *err)
{
	char *copy = strdup(spec), *save = NULL;
	int rc = copy ? 0 : qes_error_set(err, QES_ENOMEM, "out of memory");
	for (char *tok = copy ? strtok_r(copy, ",", &save) : NULL; !rc && tok;
	     tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok))
			tok++;
		/* A range's dash is the one with a question named on both sides
		 * (ids and checklist ids may hold dashes themselves:
		 * casp-qualitative-2018:casp2-casp-qualitative-2018:casp9). */
		char *dash = NULL;
		size_t i;
		json_t *q;
		int whole = 0;
		json_array_foreach(qs, i, q)
			whole |= named(q, tok);
		for (char *d = whole ? NULL : strchr(tok, '-'); d && !dash;
		     d = strchr(d + 1, '-')) {
			int left = 0, right = 0;
			*d = 0;
			json_array_foreach(qs, i, q) {
				left |= named(q, tok);
				right |= named(q, d + 1);
			}
			*d = '-';
			if (left && right)
				dash = d;
		}
		if (!dash && !whole)
			dash = strchr(tok, '-');   /* no such range: named in the error below */
		if (!dash) {
			int found = 0;
			json_array_foreach(qs, i, q)
				if (!found && named(q, tok) &&
				    !strcmp(json_string_value(json_object_get(q, "type")), "rating")) {
					found = 1;
					json_array_append(out, json_object_get(q, "id"));
				}
			if (!found)
				rc = qes_error_set(err, QES_EINVAL, "'%s' is not a rating question of the"
						   " checklist", tok);
			continue;
		}
		/* A range: everything from the first id to the second, in checklist order. */
		*dash = 0;
		const char *to = dash + 1;
		int on = 0, done = 0;
		json_array_foreach(qs, i, q) {
			const char *id = json_string_value(json_object_get(q, "id"));
			on |= named(q, tok);
			if (on && !done && !strcmp(json_string_value(json_object_get(q, "type")), "rating"))
				json_array_append_new(out, json_string(id));
			if (on && named(q, to)) {
				done = 1;
				break;
			}
		}
		if (!on || !done)
			rc = qes_error_set(err, QES_EINVAL, "'%s-%s' is not a range of questions of the"
					   " checklist", tok, to);
	}
	free(copy);
	return rc;
}

json_t *qes__appraise_rule(qes_store *st, json_t *qs, qes_error *err)
{
	char *v = NULL;
	json_t *stored = NULL, *out = NULL, *ids = json_array();
	if (!ids || qes_store_get_meta(st, "appraise.rule", &v, err))
		goto out;
	stored = v ? json_loads(v, 0, NULL) : NULL;
	int serious = 1, moderate = 0, minor = 0, deflt = !stored;
	if (stored) {
		serious = (int)json_integer_value(json_object_get(stored, "serious"));
		moderate = (int)json_integer_value(json_object_get(stored, "moderate"));
		minor = (int)json_integer_value(json_object_get(stored, "minor"));
		size_t i;
		json_t *id, *q;
		/* Questions since removed from the checklist drop out. */
		json_array_foreach(json_object_get(stored, "questions"), i, id) {
			size_t j;
			json_array_foreach(qs, j, q)
				if (json_equal(json_object_get(q, "id"), id))
					json_array_append(ids, id);
		}
	} else {
		size_t j;
		json_t *q;
		json_array_foreach(qs, j, q)
			if (!strcmp(json_string_value(json_object_get(q, "type")), "rating"))
				json_array_append(ids, json_object_get(q, "id"));
	}
	qes_strbuf sb;
	qes__strbuf_init(&sb, 1u << 16);
	const char *lv[3] = { "serious", "moderate", "minor" };
	int th[3] = { serious, moderate, minor };
	for (int k = 0, n = 0; k < 3; k++) {
		if (th[k] <= 0)
			continue;
		qes__strbuf_addf(&sb, "%s%s concerns when %d or more of ", n++ ? "; " : "", lv[k], th[k]);
		size_t i;
		json_t *id;
		json_array_foreach(ids, i, id)
			qes__strbuf_addf(&sb, "%s%s", i ? ", " : "", json_string_value(id));
		qes__strbuf_addstr(&sb, th[k] == 1 ? " is 'no'" : " are 'no'");
	}
	out = json_pack("{s:O,s:i,s:i,s:i,s:b,s:s}", "questions", ids, "serious", serious,
			"moderate", moderate, "minor", minor, "default", deflt,
			"text", sb.buf ? qes__strbuf_str(&sb) : "");
	qes__strbuf_release(&sb);
	if (!out)
		qes_error_set(err, QES_ENOMEM, "out of memory");
out:
	free(v);
	json_decref(stored);
	json_decref(ids);
	return out;
}

const char *qes__appraise_level(json_t *rule, json_t *answers, int *nno)
{
	size_t i;
	json_t *id;
	int n = 0, rated = 0;
	json_array_foreach(json_object_get(rule, "questions"), i, id) {
		const char *a = json_string_value(json_object_get(answers, json_string_value(id)));
		rated |= a != NULL;
		n += a && !strcmp(a, "no");
	}
	if (nno)
		*nno = n;
	if (!rated)
		return NULL;
	static const char *const lv[3] = { "serious", "moderate", "minor" };
	static const char *const key[3] = { "serious", "moderate", "minor" };
	for (int k = 0; k < 3; k++) {
		int t = (int)json_integer_value(json_object_get(rule, key[k]));
		if (t > 0 && n >= t)
			return lv[k];
	}
	return "none";
}

int qes_appraise_rule_set(qes_store *st, const char *questions, int serious, int moderate,
			  int minor, qes_error *err)
{
	json_t *cl = NULL, *ids = json_array(), *rule = NULL, *cls = NULL;
	char *text = NULL;
	int rc = qes_store_begin(st, err);
	if (rc)
		goto out;
	if (!questions) {
		rc = qes_store_exec(st, "DELETE FROM meta WHERE key = 'appraise.rule'", err);
		goto out;
	}
	if (serious < 0 || moderate < 0 || minor < 0 || (!serious && !moderate && !minor))
		rc = qes_error_set(err, QES_EINVAL, "a rule needs at least one threshold above 0"
				   " (--serious N, --moderate N, --minor N)");
	else if ((serious && moderate && moderate >= serious) ||
		 (moderate && minor && minor >= moderate) || (serious && minor && minor >= serious))
		rc = qes_error_set(err, QES_EINVAL, "thresholds must fall from serious to minor");
	else if (!(cl = qes__appraise_questions(st, &cls, err)))
		rc = err->code ? err->code : QES_ENOMEM;
	else if (!strcmp(questions, "all"))
		rc = expand("", cl, ids, err);
	else
		rc = expand(questions, cl, ids, err);
	if (!rc && !strcmp(questions, "all")) {
		size_t j;
		json_t *q;
		json_array_foreach(cl, j, q)
			if (!strcmp(json_string_value(json_object_get(q, "type")), "rating"))
				json_array_append(ids, json_object_get(q, "id"));
	}
	if (!rc && !json_array_size(ids))
		rc = qes_error_set(err, QES_EINVAL, "the rule names no rating question");
	if (!rc && (!(rule = json_pack("{s:O,s:i,s:i,s:i}", "questions", ids, "serious", serious,
				       "moderate", moderate, "minor", minor)) ||
		    !(text = json_dumps(rule, JSON_COMPACT))))
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
	if (!rc)
		rc = qes_store_set_meta(st, "appraise.rule", text, err);
out:
	if (rc)
		qes_store_rollback(st);
	else
		rc = qes_store_commit(st, err);
	free(text);
	json_decref(rule);
	json_decref(ids);
	json_decref(cl);
	json_decref(cls);
	return rc;
}

json_t *qes_appraise_rule_json(qes_store *st, qes_error *err)
{
	json_t *cls = NULL, *qs = qes__appraise_questions(st, &cls, err);
	if (!qs)
		return NULL;
	json_t *r = qes__appraise_rule(st, qs, err);
	json_decref(qs);
	json_decref(cls);
	return r;
}
