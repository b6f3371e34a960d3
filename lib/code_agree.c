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

typedef struct agg { long long code; char *path; long t[4]; } agg;

/* Adds one source's tables to rows, per-code totals and the pool. */
static int agree_source(qes_store *st, long long sid, const char *name, long len,
			long long a, long long b, int coded_only, json_t *rows,
			agg *codes, long ncodes, long pool[4], qes_error *err)
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
	for (long i = 0; i < n;) {
		long j = i;
		for (long c = 0; c < len; c++)
			mark[c] &= 12;
		for (; j < n && sp[j].code == sp[i].code; j++)
			for (long c = sp[j].start; c < sp[j].end && c < len; c++)
				mark[c] |= (unsigned char)(1 << sp[j].who);
		long t[4] = { 0, 0, 0, 0 };
		for (long c = 0; c < len; c++)
			if (!coded_only || (mark[c] & 12))
				t[(mark[c] & 1) * 2 + ((mark[c] >> 1) & 1)]++;
		long k = 0;
		while (k < ncodes && codes[k].code != sp[i].code)
			k++;
		json_t *row = table_json(t);
		json_object_set_new(row, "source", json_string(name));
		json_object_set_new(row, "code", json_string(k < ncodes ? codes[k].path : "?"));
		json_array_append_new(rows, row);
		for (int q = 0; q < 4; q++) {
			pool[q] += t[q];
			if (k < ncodes)
				codes[k].t[q] += t[q];
		}
		i = j;
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

json_t *qes_code_agreement_json(qes_store *st, const char *a, const char *b,
				int coded_only, qes_error *err)
{
	long long ua = 0, ub = 0;
	agg *codes = NULL;
	long ncodes = 0, nsources = 0, pool[4] = { 0, 0, 0, 0 };
	json_t *out = NULL, *rows = json_array();
	sqlite3_stmt *s = NULL;
	int rc = qes__code_coder(st, a, 0, &ua, err);
	if (!rc)
		rc = qes__code_coder(st, b, 0, &ub, err);
	if (!rc && ua == ub)
		rc = qes_error_set(err, QES_EINVAL, "agreement needs two different coders");
	if (!rc)
		rc = load_codes(st, &codes, &ncodes, err);
	if (!rc)
		rc = qes__code_prep(st, &s,
			"SELECT so.id, so.name, so.length FROM code_sources so WHERE"
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
		nsources++;
		rc = agree_source(st, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
				  (long)sqlite3_column_int64(s, 2), ua, ub, coded_only, rows,
				  codes, ncodes, pool, err);
	}
	if (rc)
		goto out;
	json_t *per_code = json_array();
	for (long k = 0; k < ncodes; k++) {
		if (!(codes[k].t[0] + codes[k].t[1] + codes[k].t[2] + codes[k].t[3]))
			continue;
		json_t *row = table_json(codes[k].t);
		json_object_set_new(row, "code", json_string(codes[k].path));
		json_array_append_new(per_code, row);
	}
	out = json_pack("{s:s,s:s,s:b,s:I,s:O,s:o,s:o}", "a", a, "b", b, "coded_only", coded_only,
			"sources", (json_int_t)nsources, "rows", rows, "codes", per_code,
			"pooled", table_json(pool));
	if (!out)
		qes_error_set(err, QES_ENOMEM, "out of memory");
out:
	sqlite3_finalize(s);
	json_decref(rows);
	for (long k = 0; k < ncodes; k++)
		free(codes[k].path);
	free(codes);
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
