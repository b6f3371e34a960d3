/* screen_schema.c: the screening module's tables.
 *
 * screen_decisions holds each reviewer's current decision per record and
 * stage; screen_log is the append-only audit trail (triggers refuse UPDATE
 * and DELETE). Full texts keep the PDF bytes in the review file itself, so
 * one .qes file is the whole review (copy it, and the PDFs come along). */
#include "schema.h"

const qes_migration qes__migrations_screen[] = {
	{ 1,
	  "CREATE TABLE reviewers("
	  "  id INTEGER PRIMARY KEY,"
	  "  initials TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	  "  name TEXT,"
	  "  role TEXT NOT NULL DEFAULT 'reviewer'"
	  "    CHECK (role IN ('owner','reviewer','arbiter')),"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	  "CREATE TABLE screen_criteria("
	  "  id INTEGER PRIMARY KEY,"
	  "  kind TEXT NOT NULL CHECK (kind IN ('concept','include','exclude')),"
	  "  label TEXT,"
	  "  text TEXT NOT NULL);"
	  "CREATE TABLE screen_reasons("
	  "  id INTEGER PRIMARY KEY,"
	  "  reason TEXT NOT NULL UNIQUE COLLATE NOCASE);"
	  "CREATE TABLE screen_keywords("
	  "  id INTEGER PRIMARY KEY,"
	  "  word TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	  "  exclude INTEGER NOT NULL DEFAULT 0);"
	  "CREATE TABLE screen_policy("
	  "  stage TEXT PRIMARY KEY CHECK (stage IN ('ta','ft')),"
	  "  mode TEXT NOT NULL CHECK (mode IN ('single','double','sample')),"
	  "  fraction REAL NOT NULL DEFAULT 0,"
	  "  seed INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	  "INSERT INTO screen_policy(stage, mode) VALUES ('ta','single'), ('ft','single');"
	  "CREATE TABLE screen_decisions("
	  "  record_id INTEGER NOT NULL REFERENCES records(id),"
	  "  stage TEXT NOT NULL CHECK (stage IN ('ta','ft')),"
	  "  reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),"
	  "  decision TEXT NOT NULL CHECK (decision IN ('include','exclude','unsure')),"
	  "  reason TEXT,"
	  "  note TEXT,"
	  "  seq INTEGER NOT NULL,"       /* screen_log id of the decision: order of work */
	  "  decided_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	  "  PRIMARY KEY (record_id, stage, reviewer_id)) WITHOUT ROWID;"
	  "CREATE INDEX screen_decisions_reviewer ON screen_decisions(reviewer_id, stage, seq);"
	  "CREATE TABLE screen_resolutions("
	  "  record_id INTEGER NOT NULL REFERENCES records(id),"
	  "  stage TEXT NOT NULL CHECK (stage IN ('ta','ft')),"
	  "  decision TEXT NOT NULL CHECK (decision IN ('include','exclude','unsure')),"
	  "  method TEXT NOT NULL CHECK (method IN ('consensus','third')),"
	  "  reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),"
	  "  reason TEXT,"
	  "  note TEXT,"
	  "  resolved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	  "  PRIMARY KEY (record_id, stage)) WITHOUT ROWID;"
	  "CREATE TABLE fulltexts("
	  "  record_id INTEGER PRIMARY KEY REFERENCES records(id),"
	  "  status TEXT NOT NULL CHECK (status IN ('attached','not_retrieved')),"
	  "  file_name TEXT,"
	  "  sha256 TEXT,"
	  "  bytes INTEGER,"
	  "  pages INTEGER,"
	  "  pdf BLOB,"
	  "  text TEXT,"
	  "  note TEXT,"
	  "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	  "CREATE TABLE screen_log("
	  "  id INTEGER PRIMARY KEY,"
	  "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
	  "  reviewer_id INTEGER REFERENCES reviewers(id),"
	  "  action TEXT NOT NULL,"
	  "  record_id INTEGER REFERENCES records(id),"
	  "  stage TEXT,"
	  "  old_decision TEXT,"
	  "  new_decision TEXT,"
	  "  reason TEXT,"
	  "  note TEXT,"
	  "  detail TEXT);"
	  "CREATE TRIGGER screen_log_no_update BEFORE UPDATE ON screen_log"
	  "  BEGIN SELECT RAISE(ABORT, 'the screening log is append-only'); END;"
	  "CREATE TRIGGER screen_log_no_delete BEFORE DELETE ON screen_log"
	  "  BEGIN SELECT RAISE(ABORT, 'the screening log is append-only'); END;"
	},
	/* Who added a keyword (a web account's name; NULL: the owner, from the
	 * CLI), so that they or an owner may remove it (issue 16). */
	{ 2, "ALTER TABLE screen_keywords ADD COLUMN added_by TEXT;" },
	/* Issue 18: the double-screening sample is drawn exactly (round(fraction
	 * x pool) records) and kept, so that it can be extended as the pool
	 * grows without moving any record out (screen_sample.c). */
	{ 3,
	  "CREATE TABLE screen_sample("
	  "  stage TEXT NOT NULL CHECK (stage IN ('ta','ft')),"
	  "  record_id INTEGER NOT NULL REFERENCES records(id),"
	  "  drawn_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	  "  PRIMARY KEY (stage, record_id)) WITHOUT ROWID;"
	},
	/* 4: a report can be retrieved without its file ('retrieved'): teams
	 * moving in from another tool hold their PDFs elsewhere. SQLite
	 * cannot change a CHECK, so the table is copied. */
	{ 4,
	  "CREATE TABLE fulltexts_v2("
	  "  record_id INTEGER PRIMARY KEY REFERENCES records(id),"
	  "  status TEXT NOT NULL CHECK (status IN ('attached','retrieved','not_retrieved')),"
	  "  file_name TEXT,"
	  "  sha256 TEXT,"
	  "  bytes INTEGER,"
	  "  pages INTEGER,"
	  "  pdf BLOB,"
	  "  text TEXT,"
	  "  note TEXT,"
	  "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	  "INSERT INTO fulltexts_v2 SELECT record_id, status, file_name, sha256, bytes, pages,"
	  "  pdf, text, note, at FROM fulltexts;"
	  "DROP TABLE fulltexts;"
	  "ALTER TABLE fulltexts_v2 RENAME TO fulltexts;"
	},
	{ 0, NULL }
};
