/* schema.c: the core tables, and the runner for every module's migrations. */
#include "schema.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* The core: review settings, sources, imports, records and their full-text
 * index. Records keep both the normalised fields and the raw text, and point
 * back at the import (file) and line they came from. */
const qes_migration qes__migrations_core[] = {
	{ 1,
	  "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
	  "CREATE TABLE sources("
	  "  id INTEGER PRIMARY KEY,"
	  "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	  "  method TEXT NOT NULL DEFAULT 'database'"
	  "    CHECK (method IN ('database','register','other')),"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	  "CREATE TABLE imports("
	  "  id INTEGER PRIMARY KEY,"
	  "  source_id INTEGER NOT NULL REFERENCES sources(id),"
	  "  file_name TEXT NOT NULL,"
	  "  file_sha256 TEXT NOT NULL,"
	  "  file_bytes INTEGER NOT NULL,"
	  "  format TEXT NOT NULL,"
	  "  encoding TEXT NOT NULL,"
	  "  encoding_guessed INTEGER NOT NULL DEFAULT 0,"
	  "  searched TEXT,"
	  "  search_string TEXT,"
	  "  records INTEGER NOT NULL DEFAULT 0,"
	  "  skipped INTEGER NOT NULL DEFAULT 0,"
	  "  imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	  "CREATE INDEX imports_source ON imports(source_id);"
	  "CREATE TABLE records("
	  "  id INTEGER PRIMARY KEY,"
	  "  import_id INTEGER NOT NULL REFERENCES imports(id),"
	  "  source_key TEXT NOT NULL,"
	  "  ordinal INTEGER NOT NULL,"
	  "  line INTEGER NOT NULL,"
	  "  type TEXT NOT NULL,"
	  "  type_raw TEXT,"
	  "  title TEXT,"
	  "  abstract TEXT,"
	  "  authors TEXT,"          /* one author per line */
	  "  year INTEGER,"
	  "  date TEXT,"
	  "  journal TEXT,"
	  "  volume TEXT,"
	  "  issue TEXT,"
	  "  pages TEXT,"
	  "  doi TEXT,"
	  "  pmid TEXT,"
	  "  issn TEXT,"
	  "  isbn TEXT,"
	  "  keywords TEXT,"         /* one keyword per line */
	  "  language TEXT,"
	  "  url TEXT,"
	  "  publisher TEXT,"
	  "  database TEXT,"
	  "  notes TEXT,"
	  "  raw TEXT NOT NULL);"
	  "CREATE INDEX records_key ON records(source_key);"
	  "CREATE INDEX records_import ON records(import_id, ordinal);"
	  "CREATE VIRTUAL TABLE records_fts USING fts5("
	  "  title, abstract, keywords, content='records', content_rowid='id',"
	  "  tokenize='unicode61 remove_diacritics 2');"
	},
	{ 0, NULL }
};

/* The module table: order matters (later modules reference earlier tables). */
static const qes_schema_module modules[] = {
	{ "core", qes__migrations_core },
	{ "dedup", qes__migrations_dedup },
	{ "screen", qes__migrations_screen },
	{ "study", qes__migrations_study },
	{ "code", qes__migrations_code },
	{ "synth", qes__migrations_synth },
	{ "theme", qes__migrations_theme },
	{ "web", qes__migrations_web },
	{ "report", qes__migrations_report },
};

static int exec(sqlite3 *db, const char *sql, qes_error *err, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		qes_error_set(err, QES_ESTORE, "%s: %s", what, msg ? msg : "?");
		sqlite3_free(msg);
		return QES_ESTORE;
	}
	return 0;
}

static int applied_version(sqlite3 *db, const char *module, int *version,
			   qes_error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_migrations WHERE module = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return qes_error_set(err, QES_ESTORE, "reading schema version: %s",
				     sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, module, -1, SQLITE_STATIC);
	*version = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* The last version of each module's migrations, against what the file has.
 * Reads only (no transaction of its own): a review that is up to date is
 * opened without ever asking for the write lock. */
int qes__schema_pending(sqlite3 *db, int *pending, qes_error *err)
{
	*pending = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT module, max(version) FROM schema_migrations GROUP BY module",
			       -1, &st, NULL) != SQLITE_OK)
		return qes_error_set(err, QES_ESTORE, "reading schema version: %s",
				     sqlite3_errmsg(db));
	int have[sizeof(modules) / sizeof(modules[0])] = { 0 };
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		for (size_t m = 0; name && m < sizeof(modules) / sizeof(modules[0]); m++)
			if (!strcmp(name, modules[m].name))
				have[m] = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return qes_error_set(err, QES_ESTORE, "reading schema version: %s",
				     sqlite3_errmsg(db));
	for (size_t m = 0; m < sizeof(modules) / sizeof(modules[0]); m++) {
		int last = 0;
		for (const qes_migration *step = modules[m].steps; step->sql; step++)
			last = step->version;
		if (have[m] < last)
			*pending = 1;
	}
	return 0;
}

int qes__schema_migrate(sqlite3 *db, qes_error *err)
{
	int rc = exec(db, "BEGIN IMMEDIATE", err, "starting migration");
	if (rc)
		return rc;
	rc = exec(db,
		  "CREATE TABLE IF NOT EXISTS schema_migrations("
		  "  module TEXT NOT NULL, version INTEGER NOT NULL,"
		  "  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
		  "  PRIMARY KEY (module, version))",
		  err, "creating schema_migrations");
	for (size_t m = 0; !rc && m < sizeof(modules) / sizeof(modules[0]); m++) {
		int have = 0;
		rc = applied_version(db, modules[m].name, &have, err);
		for (const qes_migration *step = modules[m].steps; !rc && step->sql; step++) {
			if (step->version <= have)
				continue;
			char what[128];
			snprintf(what, sizeof(what), "migration %s %d", modules[m].name,
				 step->version);
			rc = exec(db, step->sql, err, what);
			if (rc)
				break;
			char *ins = sqlite3_mprintf(
				"INSERT INTO schema_migrations(module, version) VALUES (%Q, %d)",
				modules[m].name, step->version);
			rc = exec(db, ins, err, what);
			sqlite3_free(ins);
		}
	}
	if (rc) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	return exec(db, "COMMIT", err, "committing migration");
}
