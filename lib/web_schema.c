/* web_schema.c: tables of the web interface (qes serve): its accounts,
 * their sessions and the failed logins that rate-limit guessing. */
#include "schema.h"

const qes_migration qes__migrations_web[] = {
	{ 1,
	  /* pwhash: crypto_pwhash_str (argon2id); initials: the screening
	   * reviewer the user screens as (NULL: cannot screen). */
	  "CREATE TABLE web_users("
	  "  id INTEGER PRIMARY KEY,"
	  "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	  "  role TEXT NOT NULL CHECK (role IN ('owner','reviewer','advisor')),"
	  "  pwhash TEXT NOT NULL,"
	  "  initials TEXT,"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	  /* Only a hash of the session token is stored: a copy of the review
	   * file does not hand out live sessions. Times are Unix seconds. */
	  "CREATE TABLE web_sessions("
	  "  token_hash TEXT PRIMARY KEY,"
	  "  user_id INTEGER NOT NULL REFERENCES web_users(id) ON DELETE CASCADE,"
	  "  csrf TEXT NOT NULL,"
	  "  created_at INTEGER NOT NULL,"
	  "  expires_at INTEGER NOT NULL) WITHOUT ROWID;"
	  "CREATE INDEX web_sessions_user ON web_sessions(user_id);"
	  "CREATE TABLE web_login_failures("
	  "  id INTEGER PRIMARY KEY,"
	  "  name TEXT NOT NULL COLLATE NOCASE,"
	  "  ip TEXT NOT NULL,"
	  "  at INTEGER NOT NULL);"
	  "CREATE INDEX web_login_failures_name ON web_login_failures(name, at);"
	  "CREATE INDEX web_login_failures_ip ON web_login_failures(ip, at);"
	},
	/* Limits per account and address (issue 16): a pair's failures are
	 * counted together, and a lock event (the pair slowed down, a refusal
	 * while slowed) is kept for the owner to read. */
	{ 2,
	  "CREATE INDEX web_login_failures_pair ON web_login_failures(name, ip, at);"
	  "CREATE TABLE web_login_events("
	  "  id INTEGER PRIMARY KEY,"
	  "  at INTEGER NOT NULL,"
	  "  name TEXT NOT NULL,"
	  "  ip TEXT NOT NULL,"
	  "  event TEXT NOT NULL CHECK (event IN ('slowed')),"
	  "  wait_seconds INTEGER NOT NULL);"
	},
	{ 0, NULL }
};
