/* code_agree.c: character-level agreement of two coders, and counts.
 *
 * For each source both coders coded (or a sampled source either coded) and
 * each code either used there, every character is coded or not by each
 * coder: a 2 x 2 table, from which percent agreement and Cohen's kappa
 * (qes_kappa_compute). Tables add up per code across sources and pooled
 * over everything. coded_only drops characters neither coder coded with any
 * code on that source, so long uncoded stretches do not inflate agreement. */
#include "code_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "qes/kappa.h"

typedef struct span { long long code; long start, end; int who; } span;

static json_t *num_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

/* One table as JSON: counts, percent agreement and kappa. */
static json_t *table_json(const long t[4])
{
	qes_kappa k;
	qes_error e;
	qes_error_clear(&e);
	long n = t[0] + t[1] + t[2] + t[3];
	int ok = n > 0 && !qes_kappa_compute(t, 2, &k, &e);
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:o,s:o}", "chars", (json_int_t)n,
			 "both", (json_int_t)t[3], "a_only", (json_int_t)t[2],
			 "b_only", (json_int_t)t[1], "neither", (json_int_t)t[0],
			 "agreement", n ? json_real(100.0 * (double)(t[0] + t[3]) / (double)n) : json_null(),
			 "kappa", ok ? num_or_null(k.kappa) : json_null());
}

static int load_spans(qes_store *st, long long sid, long long a, long long b, span **out,
		      long *n, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT code_id, start, end, coder_id = ?2 FROM code_codings"
				" WHERE source_id = ?1 AND coder_id IN (?2, ?3) ORDER BY code_id", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, sid);
	sqlite3_bind_int64(s, 2, a);
	sqlite3_bind_int64(s, 3, b);
	long cap = 0;
	*n = 0;
	*out = NULL;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			span *ns = realloc(*out, (size_t)cap * sizeof(**out));
			if (!ns) {
				rc = qes_error_set(err, QES_ENOMEM, "out of memory");
				break;
			}
			*out = ns;
		}
		span *p = &(*out)[(*n)++];
		p->code = sqlite3_column_int64(s, 0);
		p->start = (long)sqlite3_column_int64(s, 1);
		p->end = (long)sqlite3_column_int64(s, 2);
		p->who = sqlite3_column_int(s, 3) ? 0 : 1;
	}
	sqlite3_finalize(s);
	return rc;
}

typedef struct agg { long long code; char *path; long t[4]; long chars[2]; } agg;

/* A pair of codes (a's, b's): how many characters a's spans under the
 * first share with b's under the second (the concordance proposal), and,
 * for a pair the team confirmed, its 2 x 2 table. */
typedef struct pair { long long ca, cb; long overlap; long t[4]; } pair;

typedef struct tally {
	agg *codes;
	long ncodes;
	pair *ov;          /* every pair that overlaps somewhere */
	long nov, capov;
	pair *mapped;      /* the confirmed pairs */
	long nmapped;
	long pool[4], uni[4];
} tally;

static int overlap_add(tally *ta, long long ca, long long cb, long n, qes_error *err)
{
	for (long i = 0; i < ta->nov; i++)
		if (ta->ov[i].ca == ca && ta->ov[i].cb == cb) {
			ta->ov[i].overlap += n;
			return 0;
		}
	if (ta->nov == ta->capov) {
		long cap = ta->capov ? ta->capov * 2 : 16;
		pair *np = realloc(ta->ov, (size_t)cap * sizeof(*np));
		if (!np)
			return qes_error_set(err, QES_ENOMEM, "out of memory");
		ta->ov = np;
		ta->capov = cap;
	}
	memset(&ta->ov[ta->nov], 0, sizeof(pair));
	ta->ov[ta->nov].ca = ca;
	ta->ov[ta->nov].cb = cb;
	ta->ov[ta->nov++].overlap = n;
	return 0;
}

/* Counts the 2 x 2 table of mark bits 1 (a) and 2 (b) into t. */
static void count_table(const unsigned char *mark, long len, int coded_only, long t[4])
{
	for (long c = 0; c < len; c++)
		if (!coded_only || (mark[c] & 12))
			t[(mark[c] & 1) * 2 + ((mark[c] >> 1) & 1)]++;
}

/* Adds one source's tables to rows, per-code totals, the pool, the
 * unitising table (any code against any code), the overlaps of a's and
 * b's codes, and the confirmed pairs. provisional: a or b has not marked
 * the source done. */
static int agree_source(qes_store *st, long long sid, const char *name, long len,
			long long a, long long b, int coded_only, int provisional, json_t *rows,
			tally *ta, qes_error *err)
{
	span *sp = NULL;
	long n = 0;
	unsigned char *mark = NULL;
	int rc = load_spans(st, sid, a, b, &sp, &n, err);
	if (rc || !n || len <= 0)
		goto out;
	/* mark bits: 1 a has this code, 2 b has it, 4 a any code, 8 b any code. */
	if (!(mark = calloc((size_t)len, 1))) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	for (long i = 0; i < n; i++)
		for (long c = sp[i].start; c < sp[i].end && c < len; c++)
			mark[c] |= (unsigned char)(4 << sp[i].who);
	for (long c = 0; c < len; c++)
		if (!coded_only || (mark[c] & 12))
			ta->uni[((mark[c] >> 2) & 1) * 2 + ((mark[c] >> 3) & 1)]++;
	for (long i = 0; i < n; i++)
		for (long j = 0; !rc && j < n; j++) {
			if (sp[i].who != 0 || sp[j].who != 1)
				continue;
			long lo = sp[i].start > sp[j].start ? sp[i].start : sp[j].start;
			long hi = sp[i].end < sp[j].end ? sp[i].end : sp[j].end;
			if (hi > lo)
				rc = overlap_add(ta, sp[i].code, sp[j].code, hi - lo, err);
		}
	for (long i = 0; !rc && i < n;) {
		long j = i;
		for (long c = 0; c < len; c++)
			mark[c] &= 12;
		for (; j < n && sp[j].code == sp[i].code; j++)
			for (long c = sp[j].start; c < sp[j].end && c < len; c++)
				mark[c] |= (unsigned char)(1 << sp[j].who);
		long t[4] = { 0, 0, 0, 0 };
		count_table(mark, len, coded_only, t);
		long k = 0;
		while (k < ta->ncodes && ta->codes[k].code != sp[i].code)
			k++;
		json_t *row = table_json(t);
		json_object_set_new(row, "source", json_string(name));
		json_object_set_new(row, "code", json_string(k < ta->ncodes ? ta->codes[k].path : "?"));
		json_object_set_new(row, "provisional", json_boolean(provisional));
		json_array_append_new(rows, row);
		for (int q = 0; q < 4; q++) {
			ta->pool[q] += t[q];
			if (k < ta->ncodes)
				ta->codes[k].t[q] += t[q];
		}
		if (k < ta->ncodes) {
			ta->codes[k].chars[0] += t[3] + t[2];
			ta->codes[k].chars[1] += t[3] + t[1];
		}
		i = j;
	}
	/* Each confirmed pair: a under its first code against b under its second. */
	for (long m = 0; !rc && m < ta->nmapped; m++) {
		pair *p = &ta->mapped[m];
		int any = 0;
		for (long c = 0; c < len; c++)
			mark[c] &= 12;
		for (long i = 0; i < n; i++) {
			if (sp[i].code != (sp[i].who ? p->cb : p->ca))
				continue;
			any = 1;
			for (long c = sp[i].start; c < sp[i].end && c < len; c++)
				mark[c] |= (unsigned char)(1 << sp[i].who);
		}
		if (any)
			count_table(mark, len, coded_only, p->t);
	}
out:
	free(mark);
	free(sp);
	return rc;
}

static int load_codes(qes_store *st, agg **codes, long *n, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT id, path FROM code_codes ORDER BY path", err);
	long cap = 0;
	*n = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			agg *nc = realloc(*codes, (size_t)cap * sizeof(**codes));
			if (!nc) {
				rc = qes_error_set(err, QES_ENOMEM, "out of memory");
				break;
			}
			*codes = nc;
		}
		agg *g = &(*codes)[*n];
		memset(g, 0, sizeof(*g));
		g->code = sqlite3_column_int64(s, 0);
		if (!(g->path = strdup((const char *)sqlite3_column_text(s, 1))))
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		else
			(*n)++;
	}
	sqlite3_finalize(s);
	return rc;
}

static const char *path_of(const tally *ta, long long id)
{
	for (long k = 0; k < ta->ncodes; k++)
		if (ta->codes[k].code == id)
			return ta->codes[k].path;
	return "?";
}

static int load_mapped(qes_store *st, long long a, long long b, tally *ta, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT a_code_id, b_code_id FROM code_concordance"
				" WHERE a_coder_id = ?1 AND b_coder_id = ?2"
				" UNION SELECT b_code_id, a_code_id FROM code_concordance"
				" WHERE a_coder_id = ?2 AND b_coder_id = ?1 ORDER BY 1, 2", err);
	if (!rc) {
		sqlite3_bind_int64(s, 1, a);
		sqlite3_bind_int64(s, 2, b);
	}
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		pair *np = realloc(ta->mapped, (size_t)(ta->nmapped + 1) * sizeof(*np));
		if (!np) {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
			break;
		}
		ta->mapped = np;
		memset(&np[ta->nmapped], 0, sizeof(*np));
		np[ta->nmapped].ca = sqlite3_column_int64(s, 0);
		np[ta->nmapped++].cb = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	return rc;
}

/* Passages (qes__code_passages) over the compared sources: group 0 is
 * every span of a and b (unitising), group m + 1 the spans of mapped pair
 * m. A passage agrees when both coders have a span in it. */
static int passage_tables(qes_store *st, long long a, long long b, tally *ta, json_t **uni,
			  json_t *mapped, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes_store_exec(st, "CREATE TEMP TABLE IF NOT EXISTS agree_span(grp INTEGER,"
				" coding_id INTEGER, PRIMARY KEY (grp, coding_id)) WITHOUT ROWID;"
				" DELETE FROM temp.agree_span;", err);
	if (!rc && !(rc = qes__code_prep(st, &s, "INSERT INTO temp.agree_span(grp, coding_id)"
			" SELECT ?3, c.id FROM code_codings c WHERE c.source_id IN (SELECT source_id FROM"
			" temp.agree_src) AND ((c.coder_id = ?1 AND (?4 < 0 OR c.code_id = ?4))"
			" OR (c.coder_id = ?2 AND (?5 < 0 OR c.code_id = ?5)))", err))) {
		for (long m = -1; !rc && m < ta->nmapped; m++) {
			sqlite3_reset(s);
			sqlite3_bind_int64(s, 1, a);
			sqlite3_bind_int64(s, 2, b);
			sqlite3_bind_int64(s, 3, m + 1);
			sqlite3_bind_int64(s, 4, m < 0 ? -1 : ta->mapped[m].ca);
			sqlite3_bind_int64(s, 5, m < 0 ? -1 : ta->mapped[m].cb);
			if (sqlite3_step(s) != SQLITE_DONE)
				rc = qes_store_sqlerr(st, err, "choosing spans");
		}
	}
	sqlite3_finalize(s);
	s = NULL;
	if (rc || (rc = qes__code_passage_table(st, "agree_passage", err)) ||
	    (rc = qes__code_passages(st, "SELECT s.grp, c.id, c.source_id, c.start, c.end"
				     " FROM temp.agree_span s JOIN code_codings c ON c.id = s.coding_id"
				     " ORDER BY s.grp, c.source_id, c.start, c.end, c.id",
				     "temp.agree_passage", err)) ||
	    (rc = qes__code_prep(st, &s, "SELECT count(*), coalesce(sum(ha AND hb), 0),"
				 " coalesce(sum(ha AND NOT hb), 0), coalesce(sum(hb AND NOT ha), 0)"
				 " FROM (SELECT max(c.coder_id = ?1) AS ha, max(c.coder_id = ?2) AS hb"
				 "  FROM temp.agree_passage p JOIN code_codings c ON c.id = p.coding_id"
				 "  WHERE p.grp = ?3 GROUP BY p.passage)", err)))
		return rc;
	for (long m = -1; !rc && m < ta->nmapped; m++) {
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, a);
		sqlite3_bind_int64(s, 2, b);
		sqlite3_bind_int64(s, 3, m + 1);
		if (sqlite3_step(s) != SQLITE_ROW) {
			rc = qes_store_sqlerr(st, err, "counting passages");
			break;
		}
		json_int_t n = sqlite3_column_int64(s, 0), both = sqlite3_column_int64(s, 1);
		json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:o}", "passages", n, "both", both,
				      "a_only", (json_int_t)sqlite3_column_int64(s, 2),
				      "b_only", (json_int_t)sqlite3_column_int64(s, 3),
				      "agreement", n ? json_real(100.0 * (double)both / (double)n)
				      : json_null());
		if (!o)
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		else if (m < 0)
			*uni = o;
		else
			json_object_set_new(json_array_get(mapped, (size_t)m), "passages", o);
	}
	sqlite3_finalize(s);
	return rc;
}

/* For each of a's codes, b's code that shares the most characters with
 * it: the concordance the team confirms (qes_code_map). */
static json_t *proposals(const tally *ta)
{
	json_t *out = json_array();
	for (long k = 0; out && k < ta->ncodes; k++) {
		const pair *best = NULL;
		for (long i = 0; i < ta->nov; i++)
			if (ta->ov[i].ca == ta->codes[k].code &&
			    (!best || ta->ov[i].overlap > best->overlap))
				best = &ta->ov[i];
		if (!best)
			continue;
		long bchars = 0;
		for (long j = 0; j < ta->ncodes; j++)
			if (ta->codes[j].code == best->cb)
				bchars = ta->codes[j].chars[1];
		int confirmed = 0;
		for (long m = 0; m < ta->nmapped; m++)
			confirmed |= ta->mapped[m].ca == best->ca && ta->mapped[m].cb == best->cb;
		long achars = ta->codes[k].chars[0];
		json_array_append_new(out, json_pack("{s:s,s:s,s:I,s:I,s:I,s:o,s:o,s:b}",
			"a_code", ta->codes[k].path, "b_code", path_of(ta, best->cb),
			"overlap", (json_int_t)best->overlap, "a_chars", (json_int_t)achars,
			"b_chars", (json_int_t)bchars,
			"share_of_a", achars ? json_real(100.0 * (double)best->overlap / (double)achars)
			: json_null(),
			"share_of_b", bchars ? json_real(100.0 * (double)best->overlap / (double)bchars)
			: json_null(), "confirmed", confirmed));
	}
	return out;
}

json_t *qes_code_agreement_json(qes_store *st, const char *a, const char *b,
				int coded_only, qes_error *err)
{
	long long ua = 0, ub = 0;
	tally ta;
	memset(&ta, 0, sizeof(ta));
	long nsources = 0, nprov = 0;
	json_t *out = NULL, *rows = json_array(), *mapped = NULL, *uni = NULL;
	sqlite3_stmt *s = NULL, *ins = NULL;
	int rc = qes__code_coder(st, a, 0, &ua, err);
	if (!rc)
		rc = qes__code_coder(st, b, 0, &ub, err);
	if (!rc && ua == ub)
		rc = qes_error_set(err, QES_EINVAL, "agreement needs two different coders");
	if (!rc)
		rc = load_codes(st, &ta.codes, &ta.ncodes, err);
	if (!rc)
		rc = load_mapped(st, ua, ub, &ta, err);
	if (!rc)
		rc = qes_store_exec(st, "CREATE TEMP TABLE IF NOT EXISTS agree_src(source_id INTEGER"
				    " PRIMARY KEY); DELETE FROM temp.agree_src;", err);
	if (!rc)
		rc = qes__code_prep(st, &ins, "INSERT INTO temp.agree_src VALUES (?)", err);
	if (!rc)
		rc = qes__code_prep(st, &s,
			"SELECT so.id, so.name, so.length,"
			" (SELECT count(*) FROM code_done d WHERE d.source_id = so.id"
			"   AND d.coder_id IN (?1, ?2)) < 2"
			" FROM code_sources so WHERE"
			" (EXISTS (SELECT 1 FROM code_codings WHERE source_id = so.id AND coder_id = ?1)"
			"  AND EXISTS (SELECT 1 FROM code_codings WHERE source_id = so.id AND coder_id = ?2))"
			" OR (so.id IN (SELECT source_id FROM code_sample) AND EXISTS (SELECT 1 FROM"
			"  code_codings WHERE source_id = so.id AND coder_id IN (?1, ?2)))"
			" ORDER BY so.id", err);
	if (rc || !rows)
		goto out;
	sqlite3_bind_int64(s, 1, ua);
	sqlite3_bind_int64(s, 2, ub);
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		int prov = sqlite3_column_int(s, 3);
		nsources++;
		nprov += prov;
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, sqlite3_column_int64(s, 0));
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = qes_store_sqlerr(st, err, "noting a compared source");
		if (!rc)
			rc = agree_source(st, sqlite3_column_int64(s, 0),
					  (const char *)sqlite3_column_text(s, 1),
					  (long)sqlite3_column_int64(s, 2), ua, ub, coded_only, prov,
					  rows, &ta, err);
	}
	if (rc || !(mapped = json_array()))
		goto out;
	for (long m = 0; m < ta.nmapped; m++) {
		json_t *row = table_json(ta.mapped[m].t);
		json_object_set_new(row, "a_code", json_string(path_of(&ta, ta.mapped[m].ca)));
		json_object_set_new(row, "b_code", json_string(path_of(&ta, ta.mapped[m].cb)));
		json_array_append_new(mapped, row);
	}
	if ((rc = passage_tables(st, ua, ub, &ta, &uni, mapped, err)))
		goto out;
	json_t *unitising = table_json(ta.uni);
	json_object_set_new(unitising, "passages", uni);
	uni = NULL;
	json_t *per_code = json_array();
	for (long k = 0; k < ta.ncodes; k++) {
		if (!(ta.codes[k].t[0] + ta.codes[k].t[1] + ta.codes[k].t[2] + ta.codes[k].t[3]))
			continue;
		json_t *row = table_json(ta.codes[k].t);
		json_object_set_new(row, "code", json_string(ta.codes[k].path));
		json_array_append_new(per_code, row);
	}
	out = json_pack("{s:s,s:s,s:b,s:s,s:I,s:b,s:I,s:O,s:o,s:o,s:o,s:O,s:o}", "a", a, "b", b,
			"coded_only", coded_only, "mode", qes_code_sample_mode(st),
			"sources", (json_int_t)nsources, "provisional", nprov > 0,
			"provisional_sources", (json_int_t)nprov, "rows", rows, "codes", per_code,
			"pooled", table_json(ta.pool), "unitising", unitising, "mapped", mapped,
			"proposed", proposals(&ta));
	if (!out)
		qes_error_set(err, QES_ENOMEM, "out of memory");
out:
	sqlite3_finalize(s);
	sqlite3_finalize(ins);
	json_decref(rows);
	json_decref(mapped);
	json_decref(uni);
	for (long k = 0; k < ta.ncodes; k++)
		free(ta.codes[k].path);
	free(ta.codes);
	free(ta.ov);
	free(ta.mapped);
	return out;
}

json_t *qes_code_stats_json(qes_store *st, qes_error *err)
{
	static const struct { const char *key, *sql; } q[] = {
		{ "sources", "SELECT count(*) FROM code_sources" },
		{ "codes", "SELECT count(*) FROM code_codes WHERE is_folder = 0" },
		{ "folders", "SELECT count(*) FROM code_codes WHERE is_folder = 1" },
		{ "codings", "SELECT count(*) FROM code_codings" },
		{ "cases", "SELECT count(*) FROM code_cases" },
		{ "notes", "SELECT count(*) FROM code_notes" },
		{ "coders", "SELECT count(*) FROM code_coders" },
		{ "sample", "SELECT count(*) FROM code_sample" },
		{ "quotes", "SELECT count(*) FROM code_codings WHERE kind = 'quote'" },
		{ "interpretations", "SELECT count(*) FROM code_codings WHERE kind = 'interpretation'" },
		{ "illustrative", "SELECT count(*) FROM code_codings WHERE illustrative" },
		{ "coded_sources", "SELECT count(DISTINCT source_id) FROM code_codings" },
		{ "sets", "SELECT count(*) FROM code_sets" },
		{ "variables", "SELECT count(*) FROM code_variables" },
	};
	json_t *o = json_object();
	for (size_t i = 0; o && i < sizeof(q) / sizeof(q[0]); i++) {
		sqlite3_stmt *s = NULL;
		if (qes__code_prep(st, &s, q[i].sql, err)) {
			json_decref(o);
			return NULL;
		}
		json_int_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		sqlite3_finalize(s);
		json_object_set_new(o, q[i].key, json_integer(v));
	}
	if (!o)
		qes_error_set(err, QES_ENOMEM, "out of memory");
	return o;
}
