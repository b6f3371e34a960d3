/* code_attrib.c: which participant a span belongs to, and cases edited
 * after they are made.
 *
 * A span in a transcript takes its case from the speaker turn it starts in
 * (qes_code_speakers, qes_code_case_link with lines). A quote in a paper's
 * results is attributed by its authors right after it: "...", (Mother, P3)
 * or ("...", Mother, P3). When a span is coded, the bracket that follows it
 * on the same line is read, and the first of its comma-separated parts that
 * is the name of a case makes that case the coding's own (code_codings.
 * case_id), ahead of any case linked to the whole source. */
#include "code_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define ATTRIB_REACH 120   /* bytes after the span searched for the bracket */

/* The case named by one part of an attribution (trimmed), 0 when none. */
static long long case_named(qes_store *st, const char *p, size_t n)
{
	while (n && (isspace((unsigned char)*p) || *p == '"' || *p == '\''))
		p++, n--;
	while (n && (isspace((unsigned char)p[n - 1]) || p[n - 1] == '"' || p[n - 1] == '\''))
		n--;
	if (!n)
		return 0;
	sqlite3_stmt *s = NULL;
	long long id = 0;
	if (qes__code_prep(st, &s, "SELECT id FROM code_cases WHERE name = ?", NULL))
		return 0;
	sqlite3_bind_text(s, 1, p, (int)n, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return id;
}

long long qes__code_attribution(qes_store *st, const char *text, size_t len, long end)
{
	size_t b = qes_code_cp_to_byte(text, len, end), lim = b + ATTRIB_REACH;
	if (lim > len)
		lim = len;
	const char *open = NULL, *close = NULL;
	/* The closing bracket on the same line; the part after the span up to
	 * it, or from an opening bracket after the span. */
	for (size_t i = b; i < lim && text[i] != '\n'; i++) {
		if (text[i] == '(' && !open)
			open = text + i;
		if (text[i] == ')') {
			close = text + i;
			break;
		}
	}
	if (!close)
		return 0;
	const char *p = open ? open + 1 : text + b;
	while (p < close) {
		const char *q = p;
		while (q < close && *q != ',' && *q != ';')
			q++;
		long long id = case_named(st, p, (size_t)(q - p));
		if (id)
			return id;
		p = q + 1;
	}
	return 0;
}

int qes_code_coding_case(qes_store *st, long long coding, const char *case_name,
			 qes_error *err)
{
	long long cid = 0;
	sqlite3_stmt *s = NULL;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if (case_name && *case_name)
		rc = qes__code_lookup(st, "code_cases", "name", case_name, "case", &cid, err);
	if (!rc && !(rc = qes__code_prep(st, &s, "UPDATE code_codings SET case_id = ?2 WHERE id = ?1",
					 err))) {
		sqlite3_bind_int64(s, 1, coding);
		if (cid)
			sqlite3_bind_int64(s, 2, cid);
		rc = qes__code_done_stmt(st, s, "setting a coding's case", err);
		if (!rc && !sqlite3_changes(qes_store_db(st)))
			rc = qes_error_set(err, QES_ENOTFOUND, "no coding #%lld", coding);
	}
	return qes__code_txn(st, rc, err);
}

int qes_code_case_set(qes_store *st, const char *name, char *const *attrs, int nattrs,
		      qes_error *err)
{
	long long cid = 0;
	for (int i = 0; i < nattrs; i++) {
		const char *eq = strchr(attrs[i], '=');
		if (!eq || eq == attrs[i])
			return qes_error_set(err, QES_EINVAL, "attribute '%s' is not key=value", attrs[i]);
	}
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	rc = qes__code_lookup(st, "code_cases", "name", name, "case", &cid, err);
	for (int i = 0; !rc && i < nattrs; i++) {
		const char *eq = strchr(attrs[i], '=');
		sqlite3_stmt *s = NULL;
		if (eq[1] && (rc = qes__code_attr_check(st, name, attrs[i], (size_t)(eq - attrs[i]),
							eq + 1, err)))
			break;
		if ((rc = qes__code_prep(st, &s, eq[1]
			? "INSERT OR REPLACE INTO code_case_attrs(case_id, key, value) VALUES (?1, ?2, ?3)"
			: "DELETE FROM code_case_attrs WHERE case_id = ?1 AND key = ?2", err)))
			break;
		sqlite3_bind_int64(s, 1, cid);
		sqlite3_bind_text(s, 2, attrs[i], (int)(eq - attrs[i]), SQLITE_TRANSIENT);
		if (eq[1])
			sqlite3_bind_text(s, 3, eq + 1, -1, SQLITE_TRANSIENT);
		rc = qes__code_done_stmt(st, s, "setting a case attribute", err);
	}
	return qes__code_txn(st, rc, err);
}

/* Cases "name (perspective; role)" linked to line (or the whole source). */
json_t *qes_code_source_lines_json(qes_store *st, const char *source, qes_error *err)
{
	long long sid = 0;
	char *text = NULL;
	size_t len = 0;
	sqlite3_stmt *s = NULL;
	json_t *lines = NULL, *whole = NULL, *out = NULL;
	if (qes_code_source_find(st, source, &sid, err) ||
	    qes_code_source_text(st, sid, &text, &len, err) ||
	    qes__code_prep(st, &s, "SELECT c.name, cs.line_from, cs.line_to,"
			   " coalesce((SELECT value FROM code_case_attrs WHERE case_id = c.id"
			   "   AND key = 'perspective'), ''),"
			   " coalesce((SELECT value FROM code_case_attrs WHERE case_id = c.id"
			   "   AND key = 'role'), '')"
			   " FROM code_case_sources cs JOIN code_cases c ON c.id = cs.case_id"
			   " WHERE cs.source_id = ? ORDER BY cs.line_from, c.name", err))
		goto out;
	sqlite3_bind_int64(s, 1, sid);
	lines = json_array();
	whole = json_array();
	long n = 1;
	for (const char *p = text, *e = text + len; lines && p <= e; n++) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *end = nl ? nl : e;
		if (!nl && p == e && n > 1)
			break;
		json_array_append_new(lines, json_pack("{s:I,s:s%,s:[]}", "line", (json_int_t)n,
						       "text", p, (size_t)(end - p), "cases"));
		p = end + 1;
		if (!nl)
			break;
	}
	while (lines && sqlite3_step(s) == SQLITE_ROW) {
		const char *persp = (const char *)sqlite3_column_text(s, 3);
		const char *role = (const char *)sqlite3_column_text(s, 4);
		json_t *c = json_pack("{s:s,s:s,s:s}", "case", (const char *)sqlite3_column_text(s, 0),
				      "perspective", persp, "role", role);
		long from = (long)sqlite3_column_int64(s, 1), to = (long)sqlite3_column_int64(s, 2);
		if (!from) {
			json_array_append_new(whole, c);
			continue;
		}
		for (long l = from; l <= to && l <= (long)json_array_size(lines); l++)
			json_array_append(json_object_get(json_array_get(lines, (size_t)l - 1), "cases"), c);
		json_decref(c);
	}
	out = lines && whole ? json_pack("{s:s,s:O,s:O}", "source", source, "whole_source", whole,
					 "lines", lines) : NULL;
	if (!out)
		qes_error_set(err, QES_ENOMEM, "out of memory");
out:
	sqlite3_finalize(s);
	free(text);
	json_decref(lines);
	json_decref(whole);
	return out;
}
