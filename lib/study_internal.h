/* study_internal.h: what the study, extraction and appraisal files share. */
#ifndef QES_STUDY_INTERNAL_H
#define QES_STUDY_INTERNAL_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include "qes/error.h"
#include "qes/store.h"
#include "strbuf.h"

/* Prepares sql; on failure fills err and returns QES_ESTORE. */
int qes__prep(qes_store *st, sqlite3_stmt **s, const char *sql, qes_error *err);

/* Connects records included at full text (screening) to the study table;
 * called before any command reads studies. See study_pool.c. */
int qes__study_pool_sync(qes_store *st, qes_error *err);
/* Makes record_id an included study of its own, keyed by its source key
 * (caller's transaction). QES_EEXIST when a study has that key. */
int qes__study_create(qes_store *st, long long record_id, qes_error *err);

/* "Author Year" for a study's first report, with a letter when two studies
 * share it ("Bennett 2020a"); malloc'd. The one function every label comes
 * from (CLI, report, web, exports). */
char *qes__study_label(qes_store *st, long long study_id);

/* A CSV row: fields point into the parser's buffer, valid during the call. */
typedef int (*qes_csv_row_fn)(void *ud, long line, char **fields, int nfields,
			      qes_error *err);
/* RFC 4180 CSV from memory: quoted fields (with "" and newlines inside),
 * LF or CRLF line ends, a UTF-8 BOM skipped. Calls fn once per row with the
 * row's first line number. Rows of more than QES_MAX_CSV_COLUMNS fields or
 * fields above QES_MAX_FIELD are QES_ELIMIT; an unterminated quote is
 * QES_EFORMAT. name is used in messages. */
int qes__csv_parse(const char *name, const char *buf, size_t len,
		   qes_csv_row_fn fn, void *ud, qes_error *err);
/* 1 when s[0..n) is valid UTF-8. */
int qes__utf8_valid(const char *s, size_t n);
/* Reads a whole file (at most QES_MAX_FILE_BYTES) into *buf (malloc'd). */
int qes__read_file(const char *path, char **buf, size_t *len, qes_error *err);
/* Appends s as one CSV field (quoted when needed). */
int qes__csv_field(qes_strbuf *sb, const char *s);
/* Writes data to path through a temporary file renamed into place. */
int qes__write_atomic(const char *path, const char *data, size_t len, qes_error *err);
/* Appends s with & < > " escaped. */
int qes__html_escape(qes_strbuf *sb, const char *s);

/* The active checklist's id (malloc'd) or NULL with QES_ENOTFOUND. */
int qes__checklist_active(qes_store *st, char **id, qes_error *err);
/* The active checklists' ids, in order (the first is appraise.checklist). */
json_t *qes__checklists_active(qes_store *st, qes_error *err);

#endif
