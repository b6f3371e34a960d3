/* code_source.c: sources to code. A .txt in any encoding (sniffed, decoded
 * by the reader), a .docx (its paragraphs) or chosen pages of a PDF (poppler,
 * through qes_pdf_text). The text is kept NFC with LF line ends and the
 * original bytes beside it, so nothing is lost for exchange or audit. */
#include "code_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/import.h"
#include "qes/limits.h"
#include "qes/screen.h"
#include "qes/study.h"
#include "reader.h"

static int slurp(const char *path, size_t max, unsigned char **data, size_t *len,
		 qes_error *err)
{
	*data = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return qes_error_at(err, QES_EIO, path, 0, "", "cannot open: %s", strerror(errno));
	int rc = 0;
	size_t cap = 0, n = 0;
	unsigned char *buf = NULL;
	for (;;) {
		if (n == cap) {
			if (cap >= max) {
				rc = qes_error_at(err, QES_ELIMIT, path, 0, "",
						  "larger than %zu bytes", max);
				goto out;
			}
			cap = cap ? cap * 2 : 65536;
			unsigned char *nb = realloc(buf, cap + 1);
			if (!nb) {
				rc = qes_error_set(err, QES_ENOMEM, "out of memory");
				goto out;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		rc = qes_error_at(err, QES_EIO, path, 0, "", "cannot read: %s", strerror(errno));
out:
	fclose(f);
	if (rc) {
		free(buf);
		return rc;
	}
	*data = buf;
	*len = n;
	return 0;
}

/* Decodes a text file from its sniffed encoding to UTF-8. */
static int decode_text(const char *path, const unsigned char *data, size_t len,
		       char *encoding, char **out, size_t *outlen, qes_error *err)
{
	qes_sniff sn;
	int rc = qes_sniff_mem(data, len, &sn, err);
	if (rc)
		return rc;
	snprintf(encoding, 32, "%s", sn.encoding[0] ? sn.encoding : "UTF-8");
	qes_reader *r = NULL;
	if ((rc = qes__reader_open_mem(&r, path, data, len, encoding, err)))
		return rc;
	/* Decoded text may grow (8-bit to UTF-8): up to 3 bytes a byte, capped. */
	size_t cap = len * 3 + 16, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		long got = qes__reader_read(r, buf + n, cap - n, err);
		if (got < 0) {
			rc = (int)got;
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n == cap) {
			rc = qes_error_at(err, QES_ELIMIT, path, 0, "", "decoded text too long");
			goto out;
		}
	}
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	buf = NULL;
out:
	free(buf);
	qes__reader_free(r);
	return rc;
}

/* Pages from..to (1-based) of qes_pdf_text's output, whose pages are apart
 * by form feeds. */
static int pdf_pages(const unsigned char *data, size_t len, int from, int to,
		     char **out, size_t *outlen, qes_error *err)
{
	char *all = NULL;
	int pages = 0;
	int rc = qes_pdf_text(data, len, &all, &pages, err);
	if (rc)
		return rc;
	if (from <= 0) {
		from = 1;
		to = pages;
	}
	if (from > to || to > pages) {
		free(all);
		return qes_error_set(err, QES_EINVAL, "pages %d-%d: the PDF has %d page%s",
				     from, to, pages, pages == 1 ? "" : "s");
	}
	char *p = all;
	for (int i = 1; i < from; i++)
		p = strchr(p, '\f') + 1;
	char *end = p;
	for (int i = from; i <= to; i++) {
		char *ff = strchr(end, '\f');
		end = ff ? (i < to ? ff + 1 : ff) : end + strlen(end);
	}
	for (char *c = p; c < end; c++)
		if (*c == '\f')
			*c = '\n';
	*outlen = (size_t)(end - p);
	*out = malloc(*outlen + 1);
	if (!*out)
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
	else {
		memcpy(*out, p, *outlen);
		(*out)[*outlen] = '\0';
	}
	free(all);
	return rc;
}

/* Byte offset of the line of text that is needle (trimmed, any case),
 * else of needle's first occurrence, at or after from; -1 when absent. */
static long find_passage_mark(const char *text, size_t len, size_t from, const char *needle)
{
	size_t n = strlen(needle);
	while (n && (needle[n - 1] == ' ' || needle[n - 1] == '\t'))
		n--;
	while (n && (*needle == ' ' || *needle == '\t'))
		needle++, n--;
	if (!n)
		return -1;
	for (size_t at = from; at < len;) {
		const char *lf = memchr(text + at, '\n', len - at);
		size_t e = lf ? (size_t)(lf - text) : len, b = at;
		while (b < e && (text[b] == ' ' || text[b] == '\t'))
			b++;
		size_t t = e;
		while (t > b && (text[t - 1] == ' ' || text[t - 1] == '\t' || text[t - 1] == '\r'))
			t--;
		if (t - b == n && !strncasecmp(text + b, needle, n))
			return (long)at;
		at = e + 1;
	}
	for (size_t at = from; at + n <= len; at++)
		if (!memcmp(text + at, needle, n))
			return (long)at;
	return -1;
}

/* Cuts text (malloc'd, in place) to the passage the options name. */
static int keep_passage(char *text, size_t *len, const qes_code_source_opts *o, qes_error *err)
{
	if (!o || (!o->from_text && !o->to_text))
		return 0;
	long b = 0, e = (long)*len;
	if (o->from_text && (b = find_passage_mark(text, *len, 0, o->from_text)) < 0)
		return qes_error_set(err, QES_ENOTFOUND, "the text has no '%s' to start the"
				     " passage at", o->from_text);
	if (o->to_text) {
		/* Past the start mark's own line, so "Results" ... "Results and
		 * discussion" cannot end where it starts. */
		const char *lf = memchr(text + b, '\n', *len - (size_t)b);
		size_t next = lf ? (size_t)(lf - text) + 1 : *len;
		if ((e = find_passage_mark(text, *len, o->from_text ? next : 0, o->to_text)) < 0)
			return qes_error_set(err, QES_ENOTFOUND, "the text has no '%s' after the"
					     " passage's start", o->to_text);
	}
	if (e <= b)
		return qes_error_set(err, QES_EINVAL, "the passage is empty");
	memmove(text, text + b, (size_t)(e - b));
	*len = (size_t)(e - b);
	text[*len] = '\0';
	return 0;
}

static int has_ext(const char *path, const char *ext)
{
	size_t n = strlen(path), e = strlen(ext);
	return n > e && !strcasecmp(path + n - e, ext);
}

/* Stores one source: normalised text, original bytes and what they were. */
static int store_source(qes_store *st, const char *text, size_t len,
			const qes_code_source_opts *o, const char *file_name,
			const char *media, const char *encoding, const char *pages,
			const void *orig, size_t origlen, long long *id, qes_error *err)
{
	char *nfc = NULL;
	size_t nlen = 0;
	long cps = 0;
	long long study = 0;
	int rc = qes_code_normalise(text, len, &nfc, &nlen, &cps, err);
	if (rc)
		return rc;
	const char *kind = o && o->kind ? o->kind : "results";
	if (strcmp(kind, "results") && strcmp(kind, "transcript") && strcmp(kind, "memo")) {
		rc = qes_error_set(err, QES_EINVAL, "--kind is results, transcript or memo, not '%s'",
				   kind);
		goto out;
	}
	const char *name = o && o->name ? o->name : file_name;
	if (!name || !*name) {
		rc = qes_error_set(err, QES_EINVAL, "a source needs a name (--name)");
		goto out;
	}
	if ((rc = qes_store_begin(st, err)))
		goto out;
	if (o && o->study)
		rc = qes_study_find(st, o->study, &study, err);
	char guid[37];
	qes_code_guid(guid);
	sqlite3_stmt *s = NULL;
	if (!rc)
		rc = qes__code_prep(st, &s, "INSERT INTO code_sources(guid, name, kind, study_id,"
				    " file_name, media_type, encoding, pages, original, text, length)"
				    " VALUES (?,?,?,?,?,?,?,?,?,?,?)", err);
	if (!rc) {
		sqlite3_bind_text(s, 1, guid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, kind, -1, SQLITE_TRANSIENT);
		if (study)
			sqlite3_bind_int64(s, 4, study);
		sqlite3_bind_text(s, 5, file_name ? file_name : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 6, media, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 7, encoding, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 8, pages, -1, SQLITE_TRANSIENT);
		sqlite3_bind_blob64(s, 9, orig, origlen, SQLITE_STATIC);
		sqlite3_bind_text64(s, 10, nfc, nlen, SQLITE_STATIC, SQLITE_UTF8);
		sqlite3_bind_int64(s, 11, cps);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = sqlite3_extended_errcode(qes_store_db(st)) == SQLITE_CONSTRAINT_UNIQUE
				? qes_error_set(err, QES_EEXIST, "there is already a source '%s'"
						" (--name gives another name)", name)
				: qes_store_sqlerr(st, err, "adding a source");
		else if (id)
			*id = sqlite3_last_insert_rowid(qes_store_db(st));
		sqlite3_finalize(s);
	}
	rc = qes__code_txn(st, rc, err);
out:
	free(nfc);
	return rc;
}

int qes_code_source_add(qes_store *st, const char *path, const qes_code_source_opts *o,
			long long *id, qes_error *err)
{
	int is_docx = has_ext(path, ".docx"), is_pdf = has_ext(path, ".pdf");
	unsigned char *data = NULL;
	size_t len = 0, tlen = 0;
	char *text = NULL, encoding[32] = "UTF-8", pages[32] = "";
	int rc = slurp(path, is_pdf ? QES_MAX_PDF_BYTES : QES_MAX_SOURCE_BYTES, &data, &len, err);
	if (rc)
		return rc;
	const char *media = "text/plain";
	if (is_docx) {
		media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
		rc = qes_code_docx_text(data, len, &text, &tlen, err);
	} else if (is_pdf) {
		media = "application/pdf";
		int from = o ? o->page_from : 0, to = o ? o->page_to : 0;
		rc = pdf_pages(data, len, from, to, &text, &tlen, err);
		if (from > 0)
			snprintf(pages, sizeof(pages), "%d-%d", from, to);
	} else if (o && o->page_from) {
		rc = qes_error_set(err, QES_EINVAL, "--pages is for a PDF");
	} else {
		rc = decode_text(path, data, len, encoding, &text, &tlen, err);
	}
	if (!rc)
		rc = keep_passage(text, &tlen, o, err);
	if (rc) {
		if (!err->file[0])
			snprintf(err->file, sizeof(err->file), "%s", path);
		goto out;
	}
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	rc = store_source(st, text, tlen, o, base, media, encoding, pages, data, len, id, err);
out:
	free(text);
	free(data);
	return rc;
}

int qes_code_source_add_text(qes_store *st, const char *text, size_t len,
			     const qes_code_source_opts *o, long long *id, qes_error *err)
{
	return store_source(st, text, len, o, NULL, "text/plain", "UTF-8", "", text, len, id, err);
}

int qes_code_source_find(qes_store *st, const char *name, long long *id, qes_error *err)
{
	return qes__code_lookup(st, "code_sources", "name", name, "source", id, err);
}

int qes_code_source_text(qes_store *st, long long id, char **text, size_t *len,
			 qes_error *err)
{
	*text = NULL;
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT text FROM code_sources WHERE id = ?", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*len = (size_t)sqlite3_column_bytes(s, 0);
		*text = malloc(*len + 1);
		if (*text) {
			memcpy(*text, sqlite3_column_text(s, 0), *len);
			(*text)[*len] = '\0';
		} else {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		}
	} else {
		rc = qes_error_set(err, QES_ENOTFOUND, "no source #%lld", id);
	}
	sqlite3_finalize(s);
	return rc;
}
