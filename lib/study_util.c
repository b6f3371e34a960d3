/* study_util.c: small helpers of the study and appraisal files: statements,
 * whole-file reads, a CSV reader and writer, atomic writes, HTML escaping. */
#include "study_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>
#include "qes/limits.h"

int qes__prep(qes_store *st, sqlite3_stmt **s, const char *sql, qes_error *err)
{
	if (sqlite3_prepare_v2(qes_store_db(st), sql, -1, s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "preparing a query");
	return 0;
}

int qes__read_file(const char *path, char **buf, size_t *len, qes_error *err)
{
	int rc = QES_EIO;
	qes_strbuf sb = QES_STRBUF_INIT(QES_MAX_FILE_BYTES);
	FILE *fp = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	*buf = NULL;
	*len = 0;
	if (!fp)
		return qes_error_at(err, QES_EIO, path, 0, NULL, "cannot open: %s", strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		rc = qes__strbuf_add(&sb, chunk, n);
		if (rc) {
			qes_error_at(err, rc, path, 0, NULL, "file too large or out of memory");
			goto out;
		}
	}
	if (ferror(fp)) {
		rc = qes_error_at(err, QES_EIO, path, 0, NULL, "read error");
		goto out;
	}
	if (qes__strbuf_addch(&sb, '\0')) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	*buf = qes__strbuf_detach(&sb, len);
	(*len)--;
	rc = 0;
out:
	fclose(fp);
	qes__strbuf_release(&sb);
	return rc;
}

/* One row's fields are kept in a single buffer with NUL separators. */
typedef struct csv_row {
	qes_strbuf text;
	size_t starts[QES_MAX_CSV_COLUMNS];
	int n;
} csv_row;

static int row_end_field(csv_row *r, const char *name, long line, qes_error *err)
{
	if (qes__strbuf_addch(&r->text, '\0'))
		return qes_error_at(err, QES_ELIMIT, name, line, NULL, "field too long");
	if (r->n >= QES_MAX_CSV_COLUMNS)
		return qes_error_at(err, QES_ELIMIT, name, line, NULL,
				    "more than %d columns", QES_MAX_CSV_COLUMNS);
	r->n++;
	if (r->n < QES_MAX_CSV_COLUMNS)
		r->starts[r->n] = r->text.len;
	return 0;
}

int qes__utf8_valid(const char *s, size_t n)
{
	while (n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp);
		if (k <= 0)
			return 0;
		s += k;
		n -= (size_t)k;
	}
	return 1;
}

static int row_emit(csv_row *r, long line, const char *name, qes_csv_row_fn fn, void *ud,
		    qes_error *err)
{
	/* Values end up in JSON and HTML: text that is not UTF-8 is refused here. */
	if (!qes__utf8_valid(r->text.buf ? r->text.buf : "", r->text.len))
		return qes_error_at(err, QES_EFORMAT, name, line, NULL,
				    "the text is not UTF-8 (save the file as UTF-8)");
	char *fields[64];
	char **f = r->n <= 64 ? fields : calloc((size_t)r->n, sizeof(char *));
	if (!f)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	for (int i = 0; i < r->n; i++)
		f[i] = r->text.buf + r->starts[i];
	int rc = fn(ud, line, f, r->n, err);
	if (f != fields)
		free(f);
	qes__strbuf_reset(&r->text);
	r->n = 0;
	r->starts[0] = 0;
	return rc;
}

int qes__csv_parse(const char *name, const char *buf, size_t len,
		   qes_csv_row_fn fn, void *ud, qes_error *err)
{
	int rc = 0;
	csv_row *r = calloc(1, sizeof(*r));
	if (!r)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	qes__strbuf_init(&r->text, QES_MAX_FIELD);
	size_t i = 0;
	long line = 1, row_line = 1;
	int quoted = 0, in_field = 0, was_quoted = 0;
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		i = 3;
	for (; i < len; i++) {
		char c = buf[i];
		if (c == '\0') {
			rc = qes_error_at(err, QES_EFORMAT, name, line, NULL, "NUL byte in a CSV file");
			goto out;
		}
		if (quoted) {
			if (c == '"' && i + 1 < len && buf[i + 1] == '"') {
				rc = qes__strbuf_addch(&r->text, '"');
				i++;
			} else if (c == '"') {
				quoted = 0;
			} else {
				if (c == '\n')
					line++;
				rc = qes__strbuf_addch(&r->text, c);
			}
			if (rc) {
				rc = qes_error_at(err, QES_ELIMIT, name, line, NULL, "field too long");
				goto out;
			}
			continue;
		}
		if (c == '"' && !in_field) {
			quoted = in_field = was_quoted = 1;
		} else if (c == ',') {
			if ((rc = row_end_field(r, name, line, err)))
				goto out;
			in_field = was_quoted = 0;
		} else if (c == '\n' || c == '\r') {
			if (c == '\r' && i + 1 < len && buf[i + 1] == '\n')
				i++;
			if (in_field || r->n > 0) {
				if ((rc = row_end_field(r, name, line, err)) ||
				    (rc = row_emit(r, row_line, name, fn, ud, err)))
					goto out;
			}
			line++;
			row_line = line;
			in_field = was_quoted = 0;
		} else if (was_quoted) {
			rc = qes_error_at(err, QES_EFORMAT, name, line, NULL,
					  "text after a closing quote");
			goto out;
		} else {
			in_field = 1;
			if (qes__strbuf_addch(&r->text, c)) {
				rc = qes_error_at(err, QES_ELIMIT, name, line, NULL, "field too long");
				goto out;
			}
		}
	}
	if (quoted) {
		rc = qes_error_at(err, QES_EFORMAT, name, row_line, NULL, "unterminated quoted field");
		goto out;
	}
	if (in_field || r->n > 0) {
		if ((rc = row_end_field(r, name, line, err)) ||
		    (rc = row_emit(r, row_line, name, fn, ud, err)))
			goto out;
	}
out:
	qes__strbuf_release(&r->text);
	free(r);
	return rc;
}

int qes__csv_field(qes_strbuf *sb, const char *s)
{
	if (!s)
		s = "";
	if (!strpbrk(s, ",\"\r\n"))
		return qes__strbuf_addstr(sb, s);
	int rc = qes__strbuf_addch(sb, '"');
	for (; !rc && *s; s++)
		rc = *s == '"' ? qes__strbuf_add(sb, "\"\"", 2) : qes__strbuf_addch(sb, *s);
	return rc ? rc : qes__strbuf_addch(sb, '"');
}

int qes__write_atomic(const char *path, const char *data, size_t len, qes_error *err)
{
	char *tmp = NULL;
	FILE *fp = NULL;
	int rc = QES_EIO;
	if (asprintf(&tmp, "%s.tmp%ld", path, (long)getpid()) < 0) {
		tmp = NULL;
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	fp = fopen(tmp, "wb");
	if (!fp) {
		qes_error_at(err, QES_EIO, path, 0, NULL, "cannot write: %s", strerror(errno));
		goto out;
	}
	if (fwrite(data, 1, len, fp) != len || fflush(fp) || fsync(fileno(fp))) {
		qes_error_at(err, QES_EIO, path, 0, NULL, "write failed: %s", strerror(errno));
		goto out;
	}
	if (fclose(fp)) {
		fp = NULL;
		qes_error_at(err, QES_EIO, path, 0, NULL, "write failed: %s", strerror(errno));
		goto out;
	}
	fp = NULL;
	if (rename(tmp, path)) {
		qes_error_at(err, QES_EIO, path, 0, NULL, "cannot rename: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fp)
		fclose(fp);
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

int qes__html_escape(qes_strbuf *sb, const char *s)
{
	int rc = 0;
	for (; s && *s && !rc; s++) {
		switch (*s) {
		case '&': rc = qes__strbuf_addstr(sb, "&amp;"); break;
		case '<': rc = qes__strbuf_addstr(sb, "&lt;"); break;
		case '>': rc = qes__strbuf_addstr(sb, "&gt;"); break;
		case '"': rc = qes__strbuf_addstr(sb, "&quot;"); break;
		default: rc = qes__strbuf_addch(sb, *s);
		}
	}
	return rc;
}
