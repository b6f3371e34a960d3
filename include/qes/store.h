/* qes/store.h: the review store, one SQLite file per review (name.qes).
 *
 * The store is opened in WAL mode with foreign keys on; opening runs every
 * pending schema migration, each module's in order, inside a transaction
 * (taken only when the file's schema versions say one is missing, so an
 * open never waits for another writer otherwise). A review is opened by its
 * canonical path (so symbolic links and ".." give one journal), and one
 * with several hard links is refused (QES_ECONFLICT): each name would get
 * its own journal and the review would be corrupted. A file that is not a
 * review (empty, text, another program's database) is refused without
 * being changed. A review locked by another writer fails with QES_EBUSY
 * naming the writer; read-only files and folders, a full disk and I/O
 * errors are said as such (QES_EIO).
 * Every user action is one transaction (qes_store_begin/commit/rollback), so
 * a crash or kill -9 never leaves half an action behind.
 *
 * Library modules (import, dedup, screen, ...) use qes_store_db() and SQL
 * directly; the CLI and the web server go through the modules' functions. */
#ifndef QES_STORE_H
#define QES_STORE_H

#include "qes/error.h"
#include "qes/record.h"

typedef struct qes_store qes_store;
typedef struct sqlite3 sqlite3;
typedef struct qes_arena qes_arena;

/* Creates a new review; fails with QES_EEXIST if the file exists. */
int qes_store_create(qes_store **out, const char *path, qes_error *err);
/* Opens an existing review and migrates it forward. */
int qes_store_open(qes_store **out, const char *path, qes_error *err);
/* Opens an existing review for a command that reads: like qes_store_open
 * (neither takes the write lock unless an older review must be migrated),
 * and when the file or its folder cannot be written, read-only instead of
 * failing (a write through it then fails, saying why). */
int qes_store_open_read(qes_store **out, const char *path, qes_error *err);
void qes_store_close(qes_store *st);

sqlite3 *qes_store_db(qes_store *st);
const char *qes_store_path(const qes_store *st);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Not nestable. */
int qes_store_begin(qes_store *st, qes_error *err);
int qes_store_commit(qes_store *st, qes_error *err);
void qes_store_rollback(qes_store *st);

/* Fills err from the connection's last SQLite error; returns QES_ESTORE. */
int qes_store_sqlerr(qes_store *st, qes_error *err, const char *what);

/* Runs SQL with no result rows; returns 0 or QES_ESTORE with err filled. */
int qes_store_exec(qes_store *st, const char *sql, qes_error *err);

/* Review-wide settings (meta table). *value is malloc'd, NULL if unset. */
int qes_store_get_meta(qes_store *st, const char *key, char **value, qes_error *err);
int qes_store_set_meta(qes_store *st, const char *key, const char *value, qes_error *err);

/* --- Records ------------------------------------------------------------ */

/* Finds a record by its source key (or "#ID" for the store's own id).
 * QES_ENOTFOUND when none; QES_EAMBIG when the key names records in several
 * imports (the message lists them; "IMPORT:KEY" then picks one). */
int qes_record_find(qes_store *st, const char *key, long long *id, qes_error *err);

/* Loads a record; strings come from the arena. */
int qes_record_load(qes_store *st, long long id, qes_record *rec,
		    qes_arena *a, qes_error *err);

/* Where a record came from. Strings are malloc'd; free with
 * qes_provenance_release. */
typedef struct qes_provenance {
	long long record_id, import_id, source_id;
	char *source_name, *method, *file_name, *file_sha256, *format, *encoding;
	char *searched, *imported_at;
	long line, ordinal;
} qes_provenance;
int qes_record_provenance(qes_store *st, long long id, qes_provenance *p, qes_error *err);
void qes_provenance_release(qes_provenance *p);

typedef struct qes_record_query {
	const char *match;       /* FTS5 query over title, abstract, keywords; NULL = all */
	long long import_id;     /* 0 = every import */
	long limit;              /* 0 = no limit */
	long offset;
} qes_record_query;

typedef struct qes_record_iter qes_record_iter;
int qes_record_iter_open(qes_record_iter **it, qes_store *st,
			 const qes_record_query *q, qes_error *err);
/* Returns 1 with a record (strings valid until the next call), 0 at the end,
 * < 0 on error. *id gets the store's record id. */
int qes_record_iter_next(qes_record_iter *it, long long *id, qes_record **rec,
			 qes_error *err);
void qes_record_iter_close(qes_record_iter *it);

/* --- Sources and imports ------------------------------------------------ */

typedef struct qes_source_info {
	long long id;
	char *name;
	char *method;        /* "database", "register" or "other" */
	char *formats;       /* formats of its imports, comma-separated */
	long records;        /* records imported from it (before deduplication) */
	long imports;
	char *searched;      /* latest search date, NULL if none given */
} qes_source_info;

/* Calls fn for each source, in the order they were first imported. */
int qes_sources_foreach(qes_store *st,
			int (*fn)(void *ud, const qes_source_info *s), void *ud,
			qes_error *err);

long long qes_store_count(qes_store *st, const char *table_or_sql, qes_error *err);

#endif
