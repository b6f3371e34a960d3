/* code_coding.c: coding spans, notes, the double-coding sample, "done"
 * marks and the (blinded) list of codings. */
#include "code_internal.h"
#include "text_limit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int source_length(qes_store *st, long long sid, long *len, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT length FROM code_sources WHERE id = ?", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, sid);
	*len = sqlite3_step(s) == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return 0;
}

/* A span in a paper's results (not a transcript, whose speaker turns say
 * who speaks) takes the case its authors attribute it to right after it. */
static int attribute(qes_store *st, long long sid, long long coding, long end, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT text FROM code_sources WHERE id = ?"
				" AND kind <> 'transcript'", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, sid);
	long long cid = sqlite3_step(s) == SQLITE_ROW
		? qes__code_attribution(st, (const char *)sqlite3_column_text(s, 0),
					(size_t)sqlite3_column_bytes(s, 0), end) : 0;
	sqlite3_finalize(s);
	if (!cid)
		return 0;
	if ((rc = qes__code_prep(st, &s, "UPDATE code_codings SET case_id = ? WHERE id = ?", err)))
		return rc;
	sqlite3_bind_int64(s, 1, cid);
	sqlite3_bind_int64(s, 2, coding);
	return qes__code_done_stmt(st, s, "attributing a quote", err);
}

/* Inside the caller's transaction. */
static int insert_span(qes_store *st, const char *coder, long long sid, const char *source,
		       long start, long end, const char *code, int flags, const char *memo,
		       long long *id, qes_error *err)
{
	long long cid = 0, uid = 0;
	long len = 0;
	int rc = source_length(st, sid, &len, err);
	if (rc)
		return rc;
	if (start < 0 || end <= start || end > len)
		return qes_error_set(err, QES_EINVAL, "span %ld-%ld is not within source '%s'"
				     " (0-%ld, end after start)", start, end, source, len);
	if ((flags & QES_CODING_QUOTE) && (flags & QES_CODING_INTERPRETATION))
		return qes_error_set(err, QES_EINVAL, "a span is a quotation or an interpretation,"
				     " not both");
	if ((rc = qes_code_find_code(st, code, &cid, err)) ||
	    (rc = qes__code_coder(st, coder, 1, &uid, err)))
		return rc;
	char guid[37];
	qes_code_guid(guid);
	sqlite3_stmt *s = NULL;
	if ((rc = qes__code_prep(st, &s, "INSERT INTO code_codings(guid, source_id, code_id,"
				 " coder_id, start, end, kind, illustrative) VALUES (?,?,?,?,?,?,?,?)",
				 err)))
		return rc;
	sqlite3_bind_text(s, 1, guid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, sid);
	sqlite3_bind_int64(s, 3, cid);
	sqlite3_bind_int64(s, 4, uid);
	sqlite3_bind_int64(s, 5, start);
	sqlite3_bind_int64(s, 6, end);
	sqlite3_bind_text(s, 7, flags & QES_CODING_QUOTE ? "quote"
			  : flags & QES_CODING_INTERPRETATION ? "interpretation" : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 8, !!(flags & QES_CODING_ILLUSTRATIVE));
	if ((rc = qes__code_done_stmt(st, s, "adding a coding", err)))
		return rc;
	long long row = sqlite3_last_insert_rowid(qes_store_db(st));
	if ((rc = attribute(st, sid, row, end, err)))
		return rc;
	if (memo)
		rc = qes__code_note(st, "coding", row, uid, memo, err);
	if (!rc && id)
		*id = row;
	return rc;
}

int qes_code_span(qes_store *st, const char *coder, const char *source,
		  long start, long end, const char *code, int flags,
		  const char *memo, long long *id, qes_error *err)
{
	long long sid = 0;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	rc = qes_code_source_find(st, source, &sid, err);
	if (!rc)
		rc = insert_span(st, coder, sid, source, start, end, code, flags, memo, id, err);
	return qes__code_txn(st, rc, err);
}

int qes_code_find(qes_store *st, const char *coder, const char *source,
		  const char *text, const char *code, int flags,
		  const char *memo, long long *id, qes_error *err)
{
	long long sid = 0;
	char *hay = NULL, *needle = NULL;
	size_t hlen = 0, nlen = 0;
	int rc = qes_code_normalise(text, strlen(text), &needle, &nlen, NULL, err);
	if (rc)
		return rc;
	if (!nlen) {
		free(needle);
		return qes_error_set(err, QES_EINVAL, "the text to find is empty");
	}
	if ((rc = qes_store_begin(st, err)))
		goto out;
	rc = qes_code_source_find(st, source, &sid, err);
	if (!rc)
		rc = qes_code_source_text(st, sid, &hay, &hlen, err);
	if (!rc) {
		const char *at = strstr(hay, needle);
		if (!at) {
			rc = qes_error_set(err, QES_ENOTFOUND, "'%s' is not in source '%s'", text, source);
		} else {
			long start = qes_code_byte_to_cp(hay, (size_t)(at - hay));
			long end = start + qes_code_byte_to_cp(needle, nlen);
			rc = insert_span(st, coder, sid, source, start, end, code, flags, memo, id, err);
		}
	}
	rc = qes__code_txn(st, rc, err);
out:
	free(hay);
	free(needle);
	return rc;
}

int qes_code_note_add(qes_store *st, const char *target_type, const char *target,
		      const char *coder, const char *text, qes_error *err)
{
	long long tid = 0, uid = 0;
	if (qes__text_limit("a note", text, QES_MAX_LONG_TEXT, err))
		return err->code;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if (!strcmp(target_type, "source"))
		rc = qes_code_source_find(st, target, &tid, err);
	else if (!strcmp(target_type, "code"))
		rc = qes_code_find_code(st, target, &tid, err);
	else if (!strcmp(target_type, "coding"))
		rc = qes__code_lookup(st, "code_codings", "guid", target, "coding", &tid, err);
	else
		rc = qes_error_set(err, QES_EINVAL, "a note is on a source, code or coding");
	if (!rc && coder)
		rc = qes__code_coder(st, coder, 1, &uid, err);
	if (!rc)
		rc = qes__code_note(st, target_type, tid, uid, text, err);
	return qes__code_txn(st, rc, err);
}

int qes_code_done(qes_store *st, const char *coder, const char *source, qes_error *err)
{
	long long sid = 0, uid = 0;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	sqlite3_stmt *s = NULL;
	if (!(rc = qes_code_source_find(st, source, &sid, err)) &&
	    !(rc = qes__code_coder(st, coder, 1, &uid, err)) &&
	    !(rc = qes__code_prep(st, &s, "INSERT OR IGNORE INTO code_done(source_id, coder_id)"
				  " VALUES (?, ?)", err))) {
		sqlite3_bind_int64(s, 1, sid);
		sqlite3_bind_int64(s, 2, uid);
		rc = qes__code_done_stmt(st, s, "marking a source done", err);
	}
	return qes__code_txn(st, rc, err);
}

/* splitmix64: a small, well-mixed generator so a seed draws the same
 * sample on every machine. */
static unsigned long long splitmix(unsigned long long *x)
{
	unsigned long long z = (*x += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

int qes_code_sample(qes_store *st, double fraction, unsigned long long seed,
		    long *drawn, qes_error *err)
{
	if (!(fraction > 0 && fraction <= 1))
		return qes_error_set(err, QES_EINVAL, "--fraction is above 0 and at most 1");
	long long *ids = NULL;
	long n = 0, cap = 0;
	sqlite3_stmt *s = NULL;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if ((rc = qes__code_prep(st, &s, "SELECT id FROM code_sources ORDER BY id", err)))
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			long long *ni = realloc(ids, (size_t)cap * sizeof(*ids));
			if (!ni) {
				rc = qes_error_set(err, QES_ENOMEM, "out of memory");
				goto out;
			}
			ids = ni;
		}
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	s = NULL;
	if (!n) {
		rc = qes_error_set(err, QES_ENOTFOUND, "there are no sources to sample");
		goto out;
	}
	long want = lround(fraction * (double)n);
	if (want < 1)
		want = 1;
	/* Partial Fisher-Yates: the first want slots are the sample. */
	unsigned long long x = seed;
	for (long i = 0; i < want; i++) {
		long j = i + (long)(splitmix(&x) % (unsigned long long)(n - i));
		long long t = ids[i];
		ids[i] = ids[j];
		ids[j] = t;
	}
	if ((rc = qes_store_exec(st, "DELETE FROM code_sample", err)))
		goto out;
	for (long i = 0; !rc && i < want; i++) {
		if ((rc = qes__code_prep(st, &s, "INSERT INTO code_sample(source_id) VALUES (?)", err)))
			break;
		sqlite3_bind_int64(s, 1, ids[i]);
		rc = qes__code_done_stmt(st, s, "drawing the sample", err);
		s = NULL;
	}
	if (!rc && drawn)
		*drawn = want;
out:
	sqlite3_finalize(s);
	free(ids);
	return qes__code_txn(st, rc, err);
}

int qes_code_sample_mode_set(qes_store *st, const char *mode, qes_error *err)
{
	if (!mode || (strcmp(mode, "deductive") && strcmp(mode, "inductive")))
		return qes_error_set(err, QES_EINVAL, "a sample is deductive or inductive, not '%s'",
				     mode ? mode : "");
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	return qes__code_txn(st, qes_store_set_meta(st, "code.sample_mode", mode, err), err);
}

const char *qes_code_sample_mode(qes_store *st)
{
	char *v = NULL;
	qes_error e;
	qes_error_clear(&e);
	int inductive = !qes_store_get_meta(st, "code.sample_mode", &v, &e) && v &&
			!strcmp(v, "inductive");
	free(v);
	return inductive ? "inductive" : "deductive";
}

/* The coded text of one row: code points start..end of the source. */
static json_t *span_text(const char *text, size_t len, long start, long end)
{
	size_t b0 = qes_code_cp_to_byte(text, len, start);
	size_t b1 = qes_code_cp_to_byte(text, len, end);
	return json_stringn(text + b0, b1 - b0);
}

json_t *qes_code_list_json(qes_store *st, const qes_code_filter *f, qes_error *err)
{
	long long uid;
	if (qes__code_viewer(st, f ? f->as : NULL, &uid, err))
		return NULL;
	/* Blinded: on a sampled source fewer than two coders marked done,
	 * coder uid sees only their own codings. */
	sqlite3_stmt *s = NULL;
	if (qes__code_prep(st, &s,
		"SELECT c.id, c.guid, so.name, co.path, u.name, c.start, c.end, so.text, c.kind,"
		" c.illustrative,"
		" (SELECT group_concat(n.text, char(10)) FROM code_notes n"
		"   WHERE n.target_type = 'coding' AND n.target_id = c.id),"
		" (SELECT name FROM code_cases WHERE id = c.case_id)"
		" FROM code_codings c JOIN code_sources so ON so.id = c.source_id"
		" JOIN code_codes co ON co.id = c.code_id JOIN code_coders u ON u.id = c.coder_id"
		" WHERE (?1 IS NULL OR so.name = ?1)"
		" AND (?2 IS NULL OR co.path = ?2 OR substr(co.path, 1, length(?2) + 1) = ?2 || '/')"
		" AND " QES__CODE_VISIBLE("?3")
		" ORDER BY so.id, c.start, c.end, c.id", err))
		return NULL;
	if (f && f->source)
		sqlite3_bind_text(s, 1, f->source, -1, SQLITE_TRANSIENT);
	if (f && f->code)
		sqlite3_bind_text(s, 2, f->code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, uid);
	json_t *out = json_array();
	int step;
	while (out && (step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(s, 7);
		size_t tlen = (size_t)sqlite3_column_bytes(s, 7);
		long start = (long)sqlite3_column_int64(s, 5), end = (long)sqlite3_column_int64(s, 6);
		json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:o,s:s,s:b,s:o,s:o}",
			"id", (json_int_t)sqlite3_column_int64(s, 0),
			"guid", (const char *)sqlite3_column_text(s, 1),
			"source", (const char *)sqlite3_column_text(s, 2),
			"code", (const char *)sqlite3_column_text(s, 3),
			"coder", (const char *)sqlite3_column_text(s, 4),
			"start", (json_int_t)start, "end", (json_int_t)end,
			"text", span_text(text, tlen, start, end),
			"kind", (const char *)sqlite3_column_text(s, 8),
			"illustrative", sqlite3_column_int(s, 9),
			"memo", sqlite3_column_type(s, 10) == SQLITE_NULL ? json_null()
				: json_string((const char *)sqlite3_column_text(s, 10)),
			"case", sqlite3_column_type(s, 11) == SQLITE_NULL ? json_null()
				: json_string((const char *)sqlite3_column_text(s, 11)));
		if (!o || json_array_append_new(out, o)) {
			json_decref(out);
			out = NULL;
			qes_error_set(err, QES_ENOMEM, "out of memory");
		}
	}
	if (out && step != SQLITE_DONE) {
		json_decref(out);
		out = NULL;
		qes_store_sqlerr(st, err, "listing codings");
	}
	sqlite3_finalize(s);
	return out;
}
