/* lay_schema.c: tables of the lay summary (qes lay).
 * lay_versions: every saved version of the summary (markdown), never
 * changed; shared = 1 on the one version advisors see (at most one).
 * lay_comments: which version an advisory-group comment (synth_comments,
 * the same record as comments on themes, with the team's response) is on. */
#include "schema.h"

const qes_migration qes__migrations_lay[] = {
	{ 1,
	  "CREATE TABLE lay_versions("
	  "  id INTEGER PRIMARY KEY,"
	  "  text TEXT NOT NULL,"
	  "  created_by TEXT NOT NULL DEFAULT '',"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	  "  shared INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)));"
	  "CREATE UNIQUE INDEX lay_versions_one_shared ON lay_versions(shared) WHERE shared = 1;"
	  "CREATE TRIGGER lay_versions_no_edit BEFORE UPDATE OF text ON lay_versions"
	  "  BEGIN SELECT RAISE(ABORT, 'a saved version of the lay summary is never changed'); END;"
	  "CREATE TABLE lay_comments("
	  "  comment_id INTEGER PRIMARY KEY REFERENCES synth_comments(id),"
	  "  version_id INTEGER NOT NULL REFERENCES lay_versions(id));" },
	{ 0, NULL }
};
