/* dedup_schema.c: the deduplication tables.
 *
 * Records are never deleted or changed: a cluster groups them (members),
 * with the best value of each field copied onto the cluster. An undone
 * cluster stays, marked 'undone', with its members in the log. */
#include "schema.h"

const qes_migration qes__migrations_dedup[] = {
	{ 1,
	  "CREATE TABLE dedup_clusters("
	  "  id INTEGER PRIMARY KEY,"
	  "  status TEXT NOT NULL DEFAULT 'active'"
	  "    CHECK (status IN ('active','undone','absorbed')),"
	  "  origin TEXT NOT NULL CHECK (origin IN ('auto','reviewer')),"
	  "  rules_version TEXT NOT NULL,"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	  "  changed_at TEXT,"
	  "  best_record_id INTEGER REFERENCES records(id),"
	  "  title TEXT, authors TEXT, year INTEGER, journal TEXT, volume TEXT,"
	  "  issue TEXT, pages TEXT, doi TEXT, pmid TEXT, abstract TEXT);"
	  "CREATE TABLE dedup_members("
	  "  record_id INTEGER PRIMARY KEY REFERENCES records(id),"
	  "  cluster_id INTEGER NOT NULL REFERENCES dedup_clusters(id));"
	  "CREATE INDEX dedup_members_cluster ON dedup_members(cluster_id);"
	  /* The review queue and a person's decisions, one row per pair. */
	  "CREATE TABLE dedup_pairs("
	  "  id INTEGER PRIMARY KEY,"
	  "  a INTEGER NOT NULL REFERENCES records(id),"
	  "  b INTEGER NOT NULL REFERENCES records(id),"
	  "  score REAL,"
	  "  reason TEXT,"
	  "  status TEXT NOT NULL DEFAULT 'pending'"
	  "    CHECK (status IN ('pending','merge','distinct','skip')),"
	  "  decided_by TEXT,"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	  "  decided_at TEXT,"
	  "  CHECK (a < b), UNIQUE (a, b));"
	  "CREATE TABLE dedup_runs("
	  "  id INTEGER PRIMARY KEY,"
	  "  rules_version TEXT NOT NULL,"
	  "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	  "  records INTEGER, pairs INTEGER, clusters INTEGER, merged INTEGER,"
	  "  queued INTEGER, blocked INTEGER);"
	  /* Every merge, decision and undo, with the rules' version. */
	  "CREATE TABLE dedup_log("
	  "  id INTEGER PRIMARY KEY,"
	  "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	  "  action TEXT NOT NULL,"          /* merge, grow, absorb, decide, undo */
	  "  cluster_id INTEGER,"
	  "  a INTEGER, b INTEGER,"
	  "  detail TEXT,"                   /* members, reason */
	  "  by TEXT NOT NULL,"              /* 'auto' or the person */
	  "  rules_version TEXT NOT NULL);"
	},
	{ 0, NULL }
};
