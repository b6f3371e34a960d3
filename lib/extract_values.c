/* extract_values.c: a study's extracted values, and the CSV round trip
 * (study,field,value) for teams who extract in a spreadsheet. */
#include "study_internal.h"

#include <stdlib.h>
#include <string.h>
#include "qes/limits.h"
#include "qes/study.h"

/* Stores one value for study id (caller's transaction); "" deletes. */
static int store_value(qes_store *st, long long sid, const char *field, const char *value,
		       qes_error *err)
{
	sqlite3_stmt *s = NULL;
	char *norm = NULL;
	int rc = qes_extract_validate(st, field, value, &norm, err);
	if (rc)
		return rc;
	if (*norm)
		rc = qes__prep(st, &s, "INSERT INTO extract_values(study_id, field, value) "
			       "VALUES (?1, ?2, ?3) ON CONFLICT(study_id, field) "
			       "DO UPDATE SET value = excluded.value", err);
	else
		rc = qes__prep(st, &s, "DELETE FROM extract_values WHERE study_id = ?1 "
			       "AND field = ?2", err);
	if (rc)
		goto out;
	sqlite3_bind_int64(s, 1, sid);
	sqlite3_bind_text(s, 2, field, -1, SQLITE_STATIC);
	if (*norm)
		sqlite3_bind_text(s, 3, norm, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = qes_store_sqlerr(st, err, "storing a value");
out:
	sqlite3_finalize(s);
	free(norm);
	return rc;
}

int qes_extract_set(qes_store *st, const char *study_key, const char *field,
		    const char *value, qes_error *err)
{
	long long sid;
	int rc = qes_study_find(st, study_key, &sid, err);
	return rc ? rc : store_value(st, sid, field, value, err);
}

json_t *qes_extract_study_json(qes_store *st, const char *study_key, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	long long sid;
	json_t *out = NULL, *vals = json_object();
	if (!vals || qes_study_find(st, study_key, &sid, err) ||
	    qes__prep(st, &s, "SELECT v.field, v.value FROM extract_values v "
		      "LEFT JOIN extract_fields f ON f.name = v.field OR "
		      "  substr(v.field, 1, length(f.name) + 1) = f.name || '.' "
		      "WHERE v.study_id = ? ORDER BY f.position, v.field", err))
		goto out;
	sqlite3_bind_int64(s, 1, sid);
	while (sqlite3_step(s) == SQLITE_ROW)
		json_object_set_new(vals, (const char *)sqlite3_column_text(s, 0),
				    json_string((const char *)sqlite3_column_text(s, 1)));
	char *label = qes__study_label(st, sid);
	out = json_pack("{s:s, s:o, s:o}", "study", study_key,
			"label", label ? json_string(label) : json_null(), "values", vals);
	free(label);
	vals = NULL;
out:
	sqlite3_finalize(s);
	json_decref(vals);
	return out;
}

typedef struct import_ctx {
	qes_store *st;
	const char *name;
	long n;
	int seen_header;
} import_ctx;

static int import_row(void *ud, long line, char **f, int nf, qes_error *err)
{
	import_ctx *c = ud;
	long long sid;
	if (!c->seen_header) {
		c->seen_header = 1;
		if (nf < 3 || strcmp(f[0], "study") || strcmp(f[1], "field") || strcmp(f[2], "value"))
			return qes_error_at(err, QES_EFORMAT, c->name, line, NULL,
					    "the header must be study,field,value");
		return 0;
	}
	if (nf == 1 && !*f[0])
		return 0;   /* blank line */
	if (nf < 3)
		return qes_error_at(err, QES_EFORMAT, c->name, line, NULL,
				    "a row needs study, field and value");
	if (qes_study_find(c->st, f[0], &sid, err))
		return qes_error_at(err, QES_EFORMAT, c->name, line, "study", "no study '%s' "
				    "(qes study list shows them)", f[0]);
	int rc = store_value(c->st, sid, f[1], f[2], err);
	if (rc) {
		char msg[sizeof(err->message)];
		memcpy(msg, err->message, sizeof(msg));
		return qes_error_at(err, rc, c->name, line, f[1], "%s", msg);
	}
	c->n++;
	return 0;
}

int qes_extract_import_buf(qes_store *st, const char *name, const char *buf,
			   size_t len, long *n, qes_error *err)
{
	import_ctx c = { st, name, 0, 0 };
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if ((rc = qes__study_pool_sync(st, err)) ||
	    (rc = qes__csv_parse(name, buf, len, import_row, &c, err)))
		goto out;
	if (!c.seen_header) {
		rc = qes_error_at(err, QES_EFORMAT, name, 0, NULL, "the file is empty");
		goto out;
	}
	rc = qes_store_commit(st, err);
out:
	if (rc)
		qes_store_rollback(st);
	else if (n)
		*n = c.n;
	return rc;
}

int qes_extract_import_csv(qes_store *st, const char *path, long *n, qes_error *err)
{
	char *buf;
	size_t len;
	int rc = qes__read_file(path, &buf, &len, err);
	if (rc)
		return rc;
	const char *base = strrchr(path, '/');
	rc = qes_extract_import_buf(st, base ? base + 1 : path, buf, len, n, err);
	free(buf);
	return rc;
}

int qes_extract_export_csv(qes_store *st, const char *path, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	qes_strbuf sb = QES_STRBUF_INIT(QES_MAX_FILE_BYTES);
	int rc = qes__strbuf_addstr(&sb, "study,field,value\n");
	if (rc || (rc = qes__prep(st, &s, "SELECT st.key, v.field, v.value FROM extract_values v "
				  "JOIN studies st ON st.id = v.study_id "
				  "LEFT JOIN extract_fields f ON f.name = v.field OR "
				  "  substr(v.field, 1, length(f.name) + 1) = f.name || '.' "
				  "ORDER BY st.key, f.position, v.field", err)))
		goto out;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		for (int i = 0; i < 3 && !rc; i++) {
			rc = qes__csv_field(&sb, (const char *)sqlite3_column_text(s, i));
			if (!rc)
				rc = qes__strbuf_addch(&sb, i < 2 ? ',' : '\n');
		}
	}
	if (rc) {
		qes_error_set(err, rc, "export too large or out of memory");
		goto out;
	}
	rc = qes__write_atomic(path, sb.buf, sb.len, err);
out:
	sqlite3_finalize(s);
	qes__strbuf_release(&sb);
	return rc;
}
