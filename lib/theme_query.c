/* theme_query.c: code co-occurrence and text search across sources. */
#include "theme_internal.h"
#include "code_internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Two codings of different codes overlap when they share at least one
 * character: same source, same coder, a.start < b.end and b.start < a.end.
 * The pair is named in path order so each pair of codes is one row. */
json_t *qes_query_cooccur_json(qes_store *st, const char *coder, const char *as,
			       qes_error *err)
{
	long long cid = -1;
	if (coder && qes__code_coder(st, coder, 0, &cid, err))
		return NULL;
	sqlite3_stmt *s = NULL;
	if (qes__theme_spans(st, as, err) || qes__code_prep(st, &s,
		"SELECT ca.path, cb.path, count(*), count(DISTINCT a.source_id),"
		" sum(min(a.end, b.end) - max(a.start, b.start))"
		" FROM code_codings a JOIN code_codings b ON b.source_id = a.source_id"
		"  AND b.coder_id = a.coder_id AND a.start < b.end AND b.start < a.end"
		" JOIN code_codes ca ON ca.id = a.code_id JOIN code_codes cb ON cb.id = b.code_id"
		" JOIN temp.theme_vis va ON va.coding_id = a.id JOIN temp.theme_vis vb ON vb.coding_id = b.id"
		" WHERE ca.path < cb.path AND (?1 < 0 OR a.coder_id = ?1)"
		" GROUP BY ca.path, cb.path ORDER BY 3 DESC, 1, 2", err))
		return NULL;
	sqlite3_bind_int64(s, 1, cid);
	json_t *pairs = json_array();
	while (pairs && sqlite3_step(s) == SQLITE_ROW) {
		json_t *o = json_pack("{s:s,s:s,s:I,s:I,s:I}",
			"code_a", (const char *)sqlite3_column_text(s, 0),
			"code_b", (const char *)sqlite3_column_text(s, 1),
			"overlaps", (json_int_t)sqlite3_column_int64(s, 2),
			"sources", (json_int_t)sqlite3_column_int64(s, 3),
			"chars", (json_int_t)sqlite3_column_int64(s, 4));
		if (!o || json_array_append_new(pairs, o)) {
			json_decref(pairs);
			pairs = NULL;
		}
	}
	sqlite3_finalize(s);
	json_t *out = pairs ? json_pack("{s:o}", "pairs", pairs) : NULL;
	if (!out)
		qes_error_set(err, QES_ENOMEM, "out of memory");
	return out;
}

/* Decodes UTF-8 into simple-case-folded code points; *n gets the count. */
static utf8proc_int32_t *folded(const char *s, size_t len, long *n)
{
	utf8proc_int32_t *cp = malloc((len + 1) * sizeof(*cp));
	long k = 0;
	for (size_t i = 0; cp && i < len;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t m = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(len - i), &c);
		if (m <= 0) {   /* stored text is valid UTF-8; never loop on a bad byte */
			c = 0xFFFD;
			m = 1;
		}
		cp[k++] = utf8proc_tolower(c);
		i += (size_t)m;
	}
	*n = k;
	return cp;
}

/* Code points [from, to) of text as a string, line breaks as spaces. */
static json_t *context(const char *text, size_t len, long from, long to)
{
	char *t = qes__theme_slice(text, len, from, to);
	if (!t)
		return NULL;
	for (char *p = t; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	json_t *v = json_string(t);
	free(t);
	return v;
}

static int search_source(const char *name, const char *study, const char *text, size_t len,
			 const utf8proc_int32_t *nd, long nn, long ctx, long limit, json_t *hits)
{
	long n = 0;
	utf8proc_int32_t *h = folded(text, len, &n);
	if (!h)
		return QES_ENOMEM;
	int rc = 0;
	for (long i = 0; !rc && i + nn <= n; i++) {
		if (limit && (long)json_array_size(hits) >= limit)
			break;
		if (memcmp(h + i, nd, (size_t)nn * sizeof(*nd)))
			continue;
		long b = i - ctx < 0 ? 0 : i - ctx, e = i + nn + ctx > n ? n : i + nn + ctx;
		json_t *o = json_pack("{s:s,s:o,s:I,s:I,s:o,s:o,s:o}", "source", name,
			"study", study ? json_string(study) : json_null(),
			"start", (json_int_t)i, "end", (json_int_t)(i + nn),
			"text", context(text, len, i, i + nn),
			"before", context(text, len, b, i), "after", context(text, len, i + nn, e));
		if (!o || json_array_append_new(hits, o))
			rc = QES_ENOMEM;
		i += nn - 1;   /* hits do not overlap */
	}
	free(h);
	return rc;
}

json_t *qes_query_search_json(qes_store *st, const char *text, const char *source,
			      long ctx, long limit, qes_error *err)
{
	char *norm = NULL;
	size_t nlen = 0;
	long nn = 0;
	utf8proc_int32_t *nd = NULL;
	sqlite3_stmt *s = NULL;
	json_t *hits = NULL, *out = NULL;
	if (!text || qes_code_normalise(text, strlen(text), &norm, &nlen, NULL, err))
		goto out;
	if (!nlen) {
		qes_error_set(err, QES_EINVAL, "the text to search for is empty");
		goto out;
	}
	if (!(nd = folded(norm, nlen, &nn)) || !(hits = json_array())) {
		qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	if (qes__code_prep(st, &s, "SELECT so.name, sd.key, so.text FROM code_sources so"
			   " LEFT JOIN studies sd ON sd.id = so.study_id"
			   " WHERE ?1 IS NULL OR so.name = ?1 ORDER BY so.id", err))
		goto out;
	if (source)
		sqlite3_bind_text(s, 1, source, -1, SQLITE_TRANSIENT);
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW)
		rc = search_source((const char *)sqlite3_column_text(s, 0),
				   (const char *)sqlite3_column_text(s, 1),
				   (const char *)sqlite3_column_text(s, 2),
				   (size_t)sqlite3_column_bytes(s, 2), nd, nn, ctx < 0 ? 0 : ctx,
				   limit, hits);
	if (!rc)
		out = json_pack("{s:s,s:O}", "query", norm, "hits", hits);
	if (!out)
		qes_error_set(err, QES_ENOMEM, "out of memory");
out:
	sqlite3_finalize(s);
	json_decref(hits);
	free(nd);
	free(norm);
	return out;
}
