/* store.c: opening the review file, transactions, and reading records. */
#include "qes/store.h"
#include "arena.h"
#include "schema.h"
#include "parser.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct qes_store {
	sqlite3 *db;
	char *path;
};

static int open_db(qes_store **out, const char *path, int create, qes_error *err)
{
	*out = NULL;
	struct stat sb;
	int exists = stat(path, &sb) == 0;
	if (create && exists)
		return qes_error_set(err, QES_EEXIST, "%s already exists", path);
	if (!create && !exists)
		return qes_error_set(err, QES_ENOTFOUND,
				     "%s: no such review (create it with 'qes init %s')",
				     path, path);
	qes_store *st = calloc(1, sizeof(*st));
	if (!st)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	st->path = strdup(path);
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
		    SQLITE_OPEN_NOMUTEX;
	int rc = QES_ESTORE;
	if (!st->path || sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		qes_error_set(err, QES_ESTORE, "%s: cannot open: %s", path,
			      st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(st->db, 10000);
	sqlite3_extended_result_codes(st->db, 1);
	/* 32 KiB pages for a new review (a page size only takes before the
	 * first write): an import writes every page twice (WAL, then the
	 * checkpoint), and with 4 KiB pages the syscalls alone cost as much as
	 * FTS5's merging. 32 KiB halves the system time of an import and keeps
	 * a typical record (with its raw text) on one page without overflow
	 * chains; 64 KiB gained little more. bench/README.md has the numbers. */
	if (create && sqlite3_exec(st->db, "PRAGMA page_size=32768", NULL, NULL, NULL) != SQLITE_OK) {
		qes_error_set(err, QES_ESTORE, "%s: %s", path, sqlite3_errmsg(st->db));
		goto out;
	}
	/* WAL: readers (the web server) never block the writer; synchronous
	 * NORMAL in WAL mode still never corrupts, and a committed transaction
	 * survives a process crash (only power loss can lose the last ones). */
	const char *pragmas =
		"PRAGMA journal_mode=WAL;"
		"PRAGMA synchronous=NORMAL;"
		"PRAGMA foreign_keys=ON;"
		"PRAGMA cache_size=-65536;"
		"PRAGMA temp_store=MEMORY;";
	char *msg = NULL;
	if (sqlite3_exec(st->db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		/* A text file or a foreign database: say what the user gave us. */
		rc = qes_error_set(err, create ? QES_ESTORE : QES_EINVAL,
				   "%s is not a qes review (%s)", path, msg ? msg : "?");
		sqlite3_free(msg);
		goto out;
	}
	if (!create) {
		/* Refuse files that are not reviews before migrating them. */
		sqlite3_stmt *s;
		int ok = sqlite3_prepare_v2(st->db,
			"SELECT 1 FROM sqlite_master WHERE name='schema_migrations'",
			-1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW;
		sqlite3_finalize(s);
		if (!ok) {
			rc = qes_error_set(err, QES_EINVAL, "%s is not a qes review", path);
			goto out;
		}
	}
	rc = qes__schema_migrate(st->db, err);
	if (rc)
		goto out;
	*out = st;
	st = NULL;
	rc = 0;
out:
	if (st) {
		qes_store_close(st);
		if (create)
			unlink(path);
	}
	return rc;
}

int qes_store_create(qes_store **out, const char *path, qes_error *err)
{
	int rc = open_db(out, path, 1, err);
	if (rc)
		return rc;
	return qes_store_set_meta(*out, "created_by", "qes", err);
}

int qes_store_open(qes_store **out, const char *path, qes_error *err)
{
	return open_db(out, path, 0, err);
}

void qes_store_close(qes_store *st)
{
	if (!st)
		return;
	sqlite3_close_v2(st->db);
	free(st->path);
	free(st);
}

sqlite3 *qes_store_db(qes_store *st) { return st->db; }
const char *qes_store_path(const qes_store *st) { return st->path; }

int qes_store_sqlerr(qes_store *st, qes_error *err, const char *what)
{
	return qes_error_set(err, QES_ESTORE, "%s: %s", what, sqlite3_errmsg(st->db));
}

int qes_store_exec(qes_store *st, const char *sql, qes_error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		qes_error_set(err, QES_ESTORE, "%s", msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return QES_ESTORE;
	}
	return 0;
}

int qes_store_begin(qes_store *st, qes_error *err)
{
	return qes_store_exec(st, "BEGIN IMMEDIATE", err);
}

int qes_store_commit(qes_store *st, qes_error *err)
{
	return qes_store_exec(st, "COMMIT", err);
}

void qes_store_rollback(qes_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int qes_store_get_meta(qes_store *st, const char *key, char **value, qes_error *err)
{
	*value = NULL;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = ?", -1, &s,
			       NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "reading setting");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	int rc = 0;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*value = strdup((const char *)sqlite3_column_text(s, 0));
		if (!*value)
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	sqlite3_finalize(s);
	return rc;
}

int qes_store_set_meta(qes_store *st, const char *key, const char *value, qes_error *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db,
			       "INSERT INTO meta(key, value) VALUES (?, ?) "
			       "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			       -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "writing setting");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : qes_store_sqlerr(st, err, "writing setting");
	sqlite3_finalize(s);
	return rc;
}

long long qes_store_count(qes_store *st, const char *table_or_sql, qes_error *err)
{
	char *sql = strchr(table_or_sql, ' ')
		? sqlite3_mprintf("%s", table_or_sql)
		: sqlite3_mprintf("SELECT count(*) FROM \"%w\"", table_or_sql);
	sqlite3_stmt *s;
	long long n = -1;
	if (sql && sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	} else {
		qes_store_sqlerr(st, err, "counting");
	}
	sqlite3_free(sql);
	return n;
}

/* --- Records ------------------------------------------------------------ */

int qes_record_find(qes_store *st, const char *key, long long *id, qes_error *err)
{
	sqlite3_stmt *s;
	const char *sql;
	const char *colon = strchr(key, ':');
	char *end;
	long long import_id = 0;
	if (key[0] == '#') {
		long long v = strtoll(key + 1, &end, 10);
		if (*end || v <= 0)
			return qes_error_set(err, QES_EINVAL, "bad record id '%s'", key);
		sql = "SELECT id, import_id FROM records WHERE id = ?1";
		if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
			return qes_store_sqlerr(st, err, "finding record");
		sqlite3_bind_int64(s, 1, v);
	} else if (colon && (import_id = strtoll(key, &end, 10)) > 0 && end == colon) {
		sql = "SELECT id, import_id FROM records WHERE source_key = ?1 AND import_id = ?2";
		if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
			return qes_store_sqlerr(st, err, "finding record");
		sqlite3_bind_text(s, 1, colon + 1, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, import_id);
	} else {
		sql = "SELECT id, import_id FROM records WHERE source_key = ?1 ORDER BY id";
		if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
			return qes_store_sqlerr(st, err, "finding record");
		sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	}
	int n = 0;
	char imports[256] = "";
	size_t used = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n++ == 0)
			*id = sqlite3_column_int64(s, 0);
		if (used < sizeof(imports) - 32) {
			int w = snprintf(imports + used, sizeof(imports) - used, "%s%lld:%s",
					 used ? ", " : "", sqlite3_column_int64(s, 1),
					 colon && import_id ? colon + 1 : key);
			if (w > 0)
				used += (size_t)w;
		}
	}
	sqlite3_finalize(s);
	if (n == 0)
		return qes_error_set(err, QES_ENOTFOUND, "no record with key '%s'", key);
	if (n > 1)
		return qes_error_set(err, QES_EAMBIG,
				     "key '%s' names %d records in different imports; "
				     "say which with IMPORT:KEY (%s)", key, n, imports);
	return 0;
}

#define RECORD_COLUMNS \
	"r.id, r.source_key, r.ordinal, r.line, r.raw, r.type, r.type_raw, r.title, " \
	"r.abstract, r.authors, r.year, r.date, r.journal, r.volume, r.issue, r.pages, " \
	"r.doi, r.pmid, r.issn, r.isbn, r.keywords, r.language, r.url, r.publisher, " \
	"r.database, r.notes"

static char *col_str(sqlite3_stmt *s, int i, qes_arena *a)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return NULL;
	const char *v = (const char *)sqlite3_column_text(s, i);
	return qes__arena_strndup(a, v, (size_t)sqlite3_column_bytes(s, i));
}

/* Splits a newline-joined list column into l. */
static int col_list(sqlite3_stmt *s, int i, qes_strlist *l, qes_arena *a)
{
	char *v = col_str(s, i, a);
	while (v && *v) {
		char *nl = strchr(v, '\n');
		if (nl)
			*nl = '\0';
		if (qes__strlist_push(l, a, v))
			return QES_ENOMEM;
		v = nl ? nl + 1 : NULL;
	}
	return 0;
}

static int row_to_record(sqlite3_stmt *s, qes_record *rec, qes_arena *a)
{
	qes__record_init(rec);
	rec->source_key = col_str(s, 1, a);
	rec->ordinal = (long)sqlite3_column_int64(s, 2);
	rec->line = (long)sqlite3_column_int64(s, 3);
	rec->raw = col_str(s, 4, a);
	rec->raw_len = (size_t)sqlite3_column_bytes(s, 4);
	rec->type = col_str(s, 5, a);
	rec->type_raw = col_str(s, 6, a);
	rec->title = col_str(s, 7, a);
	rec->abstract = col_str(s, 8, a);
	if (col_list(s, 9, &rec->authors, a))
		return QES_ENOMEM;
	rec->year = sqlite3_column_int(s, 10);
	rec->date = col_str(s, 11, a);
	rec->journal = col_str(s, 12, a);
	rec->volume = col_str(s, 13, a);
	rec->issue = col_str(s, 14, a);
	rec->pages = col_str(s, 15, a);
	rec->doi = col_str(s, 16, a);
	rec->pmid = col_str(s, 17, a);
	rec->issn = col_str(s, 18, a);
	rec->isbn = col_str(s, 19, a);
	if (col_list(s, 20, &rec->keywords, a))
		return QES_ENOMEM;
	rec->language = col_str(s, 21, a);
	rec->url = col_str(s, 22, a);
	rec->publisher = col_str(s, 23, a);
	rec->database = col_str(s, 24, a);
	rec->notes = col_str(s, 25, a);
	return 0;
}

int qes_record_load(qes_store *st, long long id, qes_record *rec,
		    qes_arena *a, qes_error *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "SELECT " RECORD_COLUMNS " FROM records r WHERE r.id = ?",
			       -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "loading record");
	sqlite3_bind_int64(s, 1, id);
	int rc;
	if (sqlite3_step(s) == SQLITE_ROW)
		rc = row_to_record(s, rec, a) ? qes_error_set(err, QES_ENOMEM, "out of memory") : 0;
	else
		rc = qes_error_set(err, QES_ENOTFOUND, "no record #%lld", id);
	sqlite3_finalize(s);
	return rc;
}

static char *dup_col(sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	return v ? strdup((const char *)v) : NULL;
}

int qes_record_provenance(qes_store *st, long long id, qes_provenance *p, qes_error *err)
{
	memset(p, 0, sizeof(*p));
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT r.id, i.id, s.id, s.name, s.method, i.file_name, i.file_sha256,"
			       " i.format, i.encoding, i.searched, i.imported_at, r.line, r.ordinal"
			       " FROM records r JOIN imports i ON i.id = r.import_id"
			       " JOIN sources s ON s.id = i.source_id WHERE r.id = ?",
			       -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "reading provenance");
	sqlite3_bind_int64(s, 1, id);
	int rc = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		p->record_id = sqlite3_column_int64(s, 0);
		p->import_id = sqlite3_column_int64(s, 1);
		p->source_id = sqlite3_column_int64(s, 2);
		p->source_name = dup_col(s, 3);
		p->method = dup_col(s, 4);
		p->file_name = dup_col(s, 5);
		p->file_sha256 = dup_col(s, 6);
		p->format = dup_col(s, 7);
		p->encoding = dup_col(s, 8);
		p->searched = dup_col(s, 9);
		p->imported_at = dup_col(s, 10);
		p->line = (long)sqlite3_column_int64(s, 11);
		p->ordinal = (long)sqlite3_column_int64(s, 12);
	} else {
		rc = qes_error_set(err, QES_ENOTFOUND, "no record #%lld", id);
	}
	sqlite3_finalize(s);
	return rc;
}

void qes_provenance_release(qes_provenance *p)
{
	free(p->source_name);
	free(p->method);
	free(p->file_name);
	free(p->file_sha256);
	free(p->format);
	free(p->encoding);
	free(p->searched);
	free(p->imported_at);
	memset(p, 0, sizeof(*p));
}

struct qes_record_iter {
	qes_store *st;
	sqlite3_stmt *s;
	qes_arena arena;
	qes_record rec;
};

int qes_record_iter_open(qes_record_iter **out, qes_store *st,
			 const qes_record_query *q, qes_error *err)
{
	*out = NULL;
	qes_record_iter *it = calloc(1, sizeof(*it));
	if (!it)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	it->st = st;
	qes__arena_init(&it->arena, 64 * 1024);
	static const qes_record_query all;
	if (!q)
		q = &all;
	const char *sql = q->match
		? "SELECT " RECORD_COLUMNS " FROM records_fts f JOIN records r ON r.id = f.rowid "
		  "WHERE records_fts MATCH ?1 AND (?2 = 0 OR r.import_id = ?2) "
		  "ORDER BY f.rank LIMIT ?3 OFFSET ?4"
		: "SELECT " RECORD_COLUMNS " FROM records r "
		  "WHERE (?2 = 0 OR r.import_id = ?2) ORDER BY r.id LIMIT ?3 OFFSET ?4";
	if (sqlite3_prepare_v2(st->db, sql, -1, &it->s, NULL) != SQLITE_OK) {
		int rc = qes_store_sqlerr(st, err, "listing records");
		qes_record_iter_close(it);
		return rc;
	}
	if (q->match)
		sqlite3_bind_text(it->s, 1, q->match, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(it->s, 2, q->import_id);
	sqlite3_bind_int64(it->s, 3, q->limit > 0 ? q->limit : -1);
	sqlite3_bind_int64(it->s, 4, q->offset > 0 ? q->offset : 0);
	*out = it;
	return 0;
}

int qes_record_iter_next(qes_record_iter *it, long long *id, qes_record **rec,
			 qes_error *err)
{
	qes__arena_reset(&it->arena);
	int rc = sqlite3_step(it->s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		/* An FTS5 syntax error surfaces here, on the first step. */
		return qes_error_set(err, QES_EINVAL, "record query failed: %s",
				     sqlite3_errmsg(it->st->db));
	}
	if (id)
		*id = sqlite3_column_int64(it->s, 0);
	if (row_to_record(it->s, &it->rec, &it->arena))
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	*rec = &it->rec;
	return 1;
}

void qes_record_iter_close(qes_record_iter *it)
{
	if (!it)
		return;
	sqlite3_finalize(it->s);
	qes__arena_free(&it->arena);
	free(it);
}

/* --- Sources ------------------------------------------------------------ */

int qes_sources_foreach(qes_store *st,
			int (*fn)(void *ud, const qes_source_info *s), void *ud,
			qes_error *err)
{
	sqlite3_stmt *s;
	const char *sql =
		"SELECT s.id, s.name, s.method,"
		"  (SELECT group_concat(f, ',') FROM (SELECT format AS f FROM imports"
		"     WHERE source_id = s.id GROUP BY format ORDER BY min(id))),"
		"  (SELECT coalesce(sum(records), 0) FROM imports WHERE source_id = s.id),"
		"  (SELECT count(*) FROM imports WHERE source_id = s.id),"
		"  (SELECT max(searched) FROM imports WHERE source_id = s.id)"
		" FROM sources s ORDER BY s.id";
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "listing sources");
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		qes_source_info si = {
			.id = sqlite3_column_int64(s, 0),
			.name = (char *)sqlite3_column_text(s, 1),
			.method = (char *)sqlite3_column_text(s, 2),
			.formats = (char *)sqlite3_column_text(s, 3),
			.records = (long)sqlite3_column_int64(s, 4),
			.imports = (long)sqlite3_column_int64(s, 5),
			.searched = (char *)sqlite3_column_text(s, 6),
		};
		if (!si.formats)
			si.formats = (char *)"";
		rc = fn(ud, &si);
	}
	sqlite3_finalize(s);
	return rc;
}
