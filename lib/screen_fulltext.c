/* screen_fulltext.c: full texts for the records sent on to full-text
 * screening. The PDF's bytes live in the review file (fulltexts.pdf), so a
 * review is still one file to copy or archive; its text is extracted once
 * with poppler and kept beside it for the screener and later coding. */
#include "screen_internal.h"
#include "qes/limits.h"

#include <errno.h>
#include <poppler.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int qes_pdf_text(const void *data, size_t len, char **text, int *pages, qes_error *err)
{
	*text = NULL;
	*pages = 0;
	GError *gerr = NULL;
	GBytes *bytes = g_bytes_new(data, len);
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	int rc = 0;
	GString *out = NULL;
	if (!doc) {
		rc = qes_error_set(err, QES_EFORMAT, "not a readable PDF: %s",
				   gerr ? gerr->message : "poppler could not open it");
		goto out;
	}
	int n = poppler_document_get_n_pages(doc);
	out = g_string_new(NULL);
	for (int i = 0; i < n; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		char *t = page ? poppler_page_get_text(page) : NULL;
		if (i)
			g_string_append_c(out, '\f');   /* pages apart, as pdftotext does */
		if (t)
			g_string_append(out, t);
		g_free(t);
		if (page)
			g_object_unref(page);
	}
	*text = strdup(out->str);
	if (!*text)
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
	else
		*pages = n;
out:
	if (out)
		g_string_free(out, TRUE);
	if (doc)
		g_object_unref(doc);
	g_bytes_unref(bytes);
	if (gerr)
		g_error_free(gerr);
	return rc;
}

static int read_file(const char *path, unsigned char **data, size_t *len, qes_error *err)
{
	*data = NULL;
	*len = 0;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return qes_error_at(err, QES_EIO, path, 0, NULL, "cannot open: %s", strerror(errno));
	int rc = 0;
	unsigned char *buf = NULL;
	size_t used = 0, cap = 0;
	for (;;) {
		if (used == cap) {
			if (cap >= QES_MAX_PDF_BYTES) {
				rc = qes_error_at(err, QES_ELIMIT, path, 0, NULL,
						  "larger than %u MiB, the limit for a full text",
						  QES_MAX_PDF_BYTES >> 20);
				break;
			}
			cap = cap ? cap * 2 : 1 << 16;
			unsigned char *nb = realloc(buf, cap);
			if (!nb) {
				rc = qes_error_set(err, QES_ENOMEM, "out of memory");
				break;
			}
			buf = nb;
		}
		size_t got = fread(buf + used, 1, cap - used, fp);
		used += got;
		if (got == 0) {
			if (ferror(fp))
				rc = qes_error_at(err, QES_EIO, path, 0, NULL, "read error");
			break;
		}
	}
	fclose(fp);
	if (rc) {
		free(buf);
		return rc;
	}
	*data = buf;
	*len = used;
	return 0;
}

/* A report is sought when title/abstract screening sent the record on. */
static int check_sought(qes_store *st, long long record_id, qes_error *err)
{
	qes_outcome o;
	int rc = qes_screen_outcome(st, QES_STAGE_TA, record_id, &o, err);
	if (rc)
		return rc;
	if (o != QES_OUT_INCLUDE && o != QES_OUT_UNSURE)
		return qes_error_set(err, QES_ECONFLICT,
				     "record #%lld is not sought for retrieval (title/abstract "
				     "screening says %s)", record_id, qes_outcome_name(o));
	return 0;
}

static int by_id(qes_store *st, const char *by, long long *who, qes_error *err)
{
	*who = 0;
	return by ? qes__reviewer_lookup(st, by, who, NULL, err) : 0;
}

int qes_fulltext_attach_mem(qes_store *st, const char *by, long long record_id,
			    const char *file_name, const void *data, size_t len, int *pages,
			    qes_error *err)
{
	char *text = NULL;
	sqlite3_stmt *s = NULL;
	long long who;
	int began = 0;
	int rc = by_id(st, by, &who, err);
	if (rc || (rc = qes__screen_prepare(st, err)) || (rc = check_sought(st, record_id, err)))
		goto out;
	if (len > QES_MAX_PDF_BYTES) {
		rc = qes_error_at(err, QES_ELIMIT, file_name, 0, NULL, "the PDF is larger than %d MiB",
				  (int)(QES_MAX_PDF_BYTES >> 20));
		goto out;
	}
	if ((rc = qes_pdf_text(data, len, &text, pages, err))) {
		char why[sizeof(err->message)];
		snprintf(why, sizeof(why), "%s", err->message);
		qes_error_at(err, rc, file_name, 0, NULL, "%s", why);
		goto out;
	}
	unsigned char hash[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256(hash, data, len);
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	const char *base = strrchr(file_name, '/');
	base = base ? base + 1 : file_name;
	if ((rc = qes_store_begin(st, err)))
		goto out;
	began = 1;
	if ((rc = check_sought(st, record_id, err)))
		goto out;
	if ((rc = qes__screen_stmt(st, &s,
				   "INSERT OR REPLACE INTO fulltexts(record_id, status, file_name,"
				   " sha256, bytes, pages, pdf, text) VALUES (?, 'attached', ?, ?,"
				   " ?, ?, ?, ?)", err)))
		goto out;
	sqlite3_bind_int64(s, 1, record_id);
	sqlite3_bind_text(s, 2, base, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, (long long)len);
	sqlite3_bind_int(s, 5, *pages);
	sqlite3_bind_blob64(s, 6, data, len, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, text, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = qes_store_sqlerr(st, err, "storing the full text");
		goto out;
	}
	char detail[700];
	snprintf(detail, sizeof(detail), "%s (%d pages, sha256 %.16s)", base, *pages, hex);
	if ((rc = qes__screen_log(st, who, "fulltext", record_id, "ft", NULL, NULL, NULL, NULL,
				  detail, NULL, err)))
		goto out;
	rc = qes_store_commit(st, err);
out:
	sqlite3_finalize(s);
	if (rc && began)
		qes_store_rollback(st);
	free(text);
	return rc;
}

int qes_fulltext_attach(qes_store *st, const char *by, long long record_id,
			const char *pdf_path, int *pages, qes_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rc = read_file(pdf_path, &data, &len, err);
	if (!rc)
		rc = qes_fulltext_attach_mem(st, by, record_id, pdf_path, data, len, pages, err);
	free(data);
	return rc;
}

int qes_fulltext_pdf(qes_store *st, long long record_id, void **data, size_t *len,
		     char **file_name, qes_error *err)
{
	*data = NULL;
	*len = 0;
	if (file_name)
		*file_name = NULL;
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT pdf, file_name FROM fulltexts"
			     " WHERE record_id = ? AND status = 'attached'", err))
		return QES_ESTORE;
	sqlite3_bind_int64(s, 1, record_id);
	int rc = 0, step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(s, 0);
		const char *fn = (const char *)sqlite3_column_text(s, 1);
		if (!(*data = malloc(n ? n : 1)) || (file_name && !(*file_name = strdup(fn ? fn : "")))) {
			free(*data);
			*data = NULL;
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		} else {
			if (n)
				memcpy(*data, sqlite3_column_blob(s, 0), n);
			*len = n;
		}
	} else {
		rc = step == SQLITE_DONE
			? qes_error_set(err, QES_ENOTFOUND, "record #%lld has no PDF attached", record_id)
			: qes_store_sqlerr(st, err, "reading a full text");
	}
	sqlite3_finalize(s);
	return rc;
}

/* Records a report's status without its file (not retrieved, or retrieved
 * elsewhere) and logs it as action, inside the caller's transaction. */
static int mark(qes_store *st, long long who, long long record_id, const char *status,
		const char *note, const char *action, const char *what, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__screen_stmt(st, &s, "INSERT OR REPLACE INTO fulltexts(record_id, status,"
				  " note) VALUES (?, ?, ?)", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, record_id);
	sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
	if (note)
		sqlite3_bind_text(s, 3, note, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = qes_store_sqlerr(st, err, "marking the report's status");
	sqlite3_finalize(s);
	if (!rc)
		rc = qes__screen_log(st, who, action, record_id, "ft", NULL, NULL, NULL, note, what,
				     NULL, err);
	return rc;
}

/* Refusals before a report's status is set without its file. */
static int refuse_if_decided(qes_store *st, long long record_id, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__screen_stmt(st, &s, "SELECT count(*) FROM screen_decisions WHERE"
				  " record_id = ? AND stage = 'ft'", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, record_id);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int64(s, 0))
		rc = qes_error_set(err, QES_ECONFLICT, "record #%lld has full-text decisions "
				   "already: its report was retrieved", record_id);
	sqlite3_finalize(s);
	return rc;
}

/* Never drop a PDF that is there: attached is retrieved already. */
static int refuse_if_attached(qes_store *st, long long record_id, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__screen_stmt(st, &s, "SELECT status FROM fulltexts WHERE record_id = ?", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, record_id);
	if (sqlite3_step(s) == SQLITE_ROW &&
	    !strcmp((const char *)sqlite3_column_text(s, 0), "attached"))
		rc = qes_error_set(err, QES_ECONFLICT, "record #%lld has its PDF attached already: "
				   "its report is retrieved", record_id);
	sqlite3_finalize(s);
	return rc;
}

/* One transaction: a report sought at full text, not refused, gets status
 * (without its file) and a log entry. */
static int mark_txn(qes_store *st, const char *by, long long record_id, const char *note,
		    int (*refuse)(qes_store *, long long, qes_error *), const char *status,
		    const char *action, const char *what, qes_error *err)
{
	long long who;
	int rc = by_id(st, by, &who, err);
	if (rc || (rc = qes__screen_prepare(st, err)) || (rc = qes_store_begin(st, err)))
		return rc;
	if (!(rc = check_sought(st, record_id, err)) && !(rc = refuse(st, record_id, err)) &&
	    !(rc = mark(st, who, record_id, status, note, action, what, err)))
		rc = qes_store_commit(st, err);
	if (rc)
		qes_store_rollback(st);
	return rc;
}

int qes_fulltext_missing(qes_store *st, const char *by, long long record_id,
			 const char *note, qes_error *err)
{
	return mark_txn(st, by, record_id, note, refuse_if_decided, "not_retrieved", "missing",
			"report not retrieved", err);
}

int qes_fulltext_retrieved(qes_store *st, const char *by, long long record_id,
			   const char *note, qes_error *err)
{
	return mark_txn(st, by, record_id, note, refuse_if_attached, "retrieved", "retrieved",
			"report retrieved without its file", err);
}

int qes_fulltext_get(qes_store *st, long long record_id, const char **status,
		     char **text, qes_error *err)
{
	*status = NULL;
	if (text)
		*text = NULL;
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT status, text FROM fulltexts WHERE record_id = ?",
			     err))
		return QES_ESTORE;
	sqlite3_bind_int64(s, 1, record_id);
	int rc = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(s, 0);
		*status = !strcmp(v, "attached") ? "attached"
			: !strcmp(v, "retrieved") ? "retrieved" : "not_retrieved";
		const unsigned char *t = sqlite3_column_text(s, 1);
		if (text && t && !(*text = strdup((const char *)t)))
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	sqlite3_finalize(s);
	return rc;
}
