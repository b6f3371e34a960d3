/* code_schema.c: tables of the coding module (thematic synthesis).
 *
 * Every row that REFI-QDA exchanges (sources, cases, codes, codings, coders,
 * notes) carries a GUID. Offsets are code points, half-open [start, end). */
#include "schema.h"

/* code_sources: text (NFC, LF) and the original file's bytes.
 * code_cases/code_case_attrs: participants, studies, groups with typed
 * attributes; code_case_sources: a case in a source (lines from..to, 0 = all).
 * code_codes: the tree (parent_id NULL at the root; path is unique).
 * code_codings: one coder's span under one code. code_notes: memos on a
 * source, code or coding. code_sample/code_done: double-coding sample and
 * who has finished which source. */
const qes_migration qes__migrations_code[] = {
	{ 1,
	  "CREATE TABLE code_coders("
	  "  id INTEGER PRIMARY KEY,"
	  "  guid TEXT NOT NULL UNIQUE,"
	  "  name TEXT NOT NULL UNIQUE);"
	  "CREATE TABLE code_sources("
	  "  id INTEGER PRIMARY KEY,"
	  "  guid TEXT NOT NULL UNIQUE,"
	  "  name TEXT NOT NULL UNIQUE,"
	  "  kind TEXT NOT NULL CHECK (kind IN ('results','transcript','memo')),"
	  "  study_id INTEGER REFERENCES studies(id),"
	  "  file_name TEXT NOT NULL DEFAULT '',"
	  "  media_type TEXT NOT NULL DEFAULT 'text/plain',"
	  "  encoding TEXT NOT NULL DEFAULT 'UTF-8',"
	  "  pages TEXT NOT NULL DEFAULT '',"
	  "  original BLOB,"
	  "  text TEXT NOT NULL,"
	  "  length INTEGER NOT NULL,"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	  "CREATE TABLE code_cases("
	  "  id INTEGER PRIMARY KEY,"
	  "  guid TEXT NOT NULL UNIQUE,"
	  "  name TEXT NOT NULL UNIQUE);"
	  "CREATE TABLE code_case_attrs("
	  "  case_id INTEGER NOT NULL REFERENCES code_cases(id),"
	  "  key TEXT NOT NULL,"
	  "  value TEXT NOT NULL,"
	  "  PRIMARY KEY (case_id, key)) WITHOUT ROWID;"
	  "CREATE TABLE code_case_sources("
	  "  case_id INTEGER NOT NULL REFERENCES code_cases(id),"
	  "  source_id INTEGER NOT NULL REFERENCES code_sources(id),"
	  "  line_from INTEGER NOT NULL DEFAULT 0,"
	  "  line_to INTEGER NOT NULL DEFAULT 0,"
	  "  PRIMARY KEY (case_id, source_id, line_from)) WITHOUT ROWID;"
	  "CREATE TABLE code_codes("
	  "  id INTEGER PRIMARY KEY,"
	  "  guid TEXT NOT NULL UNIQUE,"
	  "  parent_id INTEGER REFERENCES code_codes(id),"
	  "  name TEXT NOT NULL,"
	  "  path TEXT NOT NULL UNIQUE,"
	  "  colour TEXT,"
	  "  is_folder INTEGER NOT NULL DEFAULT 0);"
	  "CREATE TABLE code_codings("
	  "  id INTEGER PRIMARY KEY,"
	  "  guid TEXT NOT NULL UNIQUE,"
	  "  source_id INTEGER NOT NULL REFERENCES code_sources(id),"
	  "  code_id INTEGER NOT NULL REFERENCES code_codes(id),"
	  "  coder_id INTEGER NOT NULL REFERENCES code_coders(id),"
	  "  start INTEGER NOT NULL CHECK (start >= 0),"
	  "  end INTEGER NOT NULL CHECK (end > start),"
	  "  kind TEXT NOT NULL DEFAULT '' CHECK (kind IN ('','quote','interpretation')),"
	  "  illustrative INTEGER NOT NULL DEFAULT 0,"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	  "CREATE INDEX code_codings_source ON code_codings(source_id, coder_id, code_id);"
	  "CREATE TABLE code_notes("
	  "  id INTEGER PRIMARY KEY,"
	  "  guid TEXT NOT NULL UNIQUE,"
	  "  target_type TEXT NOT NULL CHECK (target_type IN ('source','code','coding')),"
	  "  target_id INTEGER NOT NULL,"
	  "  coder_id INTEGER REFERENCES code_coders(id),"
	  "  text TEXT NOT NULL,"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	  "CREATE INDEX code_notes_target ON code_notes(target_type, target_id);"
	  "CREATE TABLE code_sample("
	  "  source_id INTEGER PRIMARY KEY REFERENCES code_sources(id));"
	  "CREATE TABLE code_done("
	  "  source_id INTEGER NOT NULL REFERENCES code_sources(id),"
	  "  coder_id INTEGER NOT NULL REFERENCES code_coders(id),"
	  "  PRIMARY KEY (source_id, coder_id)) WITHOUT ROWID;" },
	/* Themes (Thomas & Harden stages 2 and 3). A descriptive theme groups
	 * codes; an analytical theme groups descriptive themes and carries
	 * subthemes (level 'subtheme', parent_id the analytical theme), which
	 * group descriptive themes or codes in turn. A code or descriptive
	 * theme may belong to several themes. code_theme_codes: codes directly
	 * in a theme; code_theme_links: a lower theme grouped under a higher. */
	{ 2,
	  "CREATE TABLE code_themes("
	  "  id INTEGER PRIMARY KEY,"
	  "  guid TEXT NOT NULL UNIQUE,"
	  "  level TEXT NOT NULL CHECK (level IN ('descriptive','analytical','subtheme')),"
	  "  parent_id INTEGER REFERENCES code_themes(id),"
	  "  name TEXT NOT NULL,"
	  "  description TEXT NOT NULL DEFAULT '',"
	  "  position INTEGER NOT NULL DEFAULT 0,"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	  "  CHECK ((level = 'subtheme') = (parent_id IS NOT NULL)),"
	  "  UNIQUE (level, parent_id, name));"
	  "CREATE UNIQUE INDEX code_themes_top_name ON code_themes(level, name) WHERE parent_id IS NULL;"
	  "CREATE TABLE code_theme_codes("
	  "  theme_id INTEGER NOT NULL REFERENCES code_themes(id) ON DELETE CASCADE,"
	  "  code_id INTEGER NOT NULL REFERENCES code_codes(id),"
	  "  PRIMARY KEY (theme_id, code_id)) WITHOUT ROWID;"
	  "CREATE INDEX code_theme_codes_code ON code_theme_codes(code_id);"
	  "CREATE TABLE code_theme_links("
	  "  parent_id INTEGER NOT NULL REFERENCES code_themes(id) ON DELETE CASCADE,"
	  "  child_id INTEGER NOT NULL REFERENCES code_themes(id) ON DELETE CASCADE,"
	  "  PRIMARY KEY (parent_id, child_id), CHECK (parent_id <> child_id)) WITHOUT ROWID;" },
	/* REFI-QDA exchange (lib/qdpx_*.c). code_variables: typed case
	 * variables (code_case_attrs keeps the values as text, keyed by the
	 * variable's name). code_sets/code_set_members: REFI-QDA sets of codes,
	 * sources or notes kept from an import. selection_guid: the
	 * PlainTextSelection a coding came from (several codings may share
	 * one). ext_id: a REFI-QDA user's short id. code_notes is rebuilt so a
	 * note can also be on a case or on the project as a whole, and has a
	 * name (REFI-QDA notes have one). */
	{ 3,
	  "CREATE TABLE code_variables("
	  "  id INTEGER PRIMARY KEY,"
	  "  guid TEXT NOT NULL UNIQUE,"
	  "  name TEXT NOT NULL UNIQUE,"
	  "  type TEXT NOT NULL DEFAULT 'Text'"
	  "    CHECK (type IN ('Text','Boolean','Integer','Float','Date','DateTime')),"
	  "  description TEXT NOT NULL DEFAULT '');"
	  "CREATE TABLE code_sets("
	  "  id INTEGER PRIMARY KEY,"
	  "  guid TEXT NOT NULL UNIQUE,"
	  "  name TEXT NOT NULL,"
	  "  description TEXT NOT NULL DEFAULT '');"
	  "CREATE TABLE code_set_members("
	  "  set_id INTEGER NOT NULL REFERENCES code_sets(id) ON DELETE CASCADE,"
	  "  kind TEXT NOT NULL CHECK (kind IN ('code','source','note')),"
	  "  member_id INTEGER NOT NULL,"
	  "  PRIMARY KEY (set_id, kind, member_id)) WITHOUT ROWID;"
	  "ALTER TABLE code_codings ADD COLUMN selection_guid TEXT;"
	  "ALTER TABLE code_coders ADD COLUMN ext_id TEXT NOT NULL DEFAULT '';"
	  "CREATE TABLE code_notes_v3("
	  "  id INTEGER PRIMARY KEY,"
	  "  guid TEXT NOT NULL UNIQUE,"
	  "  target_type TEXT NOT NULL"
	  "    CHECK (target_type IN ('source','code','coding','case','project')),"
	  "  target_id INTEGER NOT NULL,"
	  "  coder_id INTEGER REFERENCES code_coders(id),"
	  "  name TEXT NOT NULL DEFAULT '',"
	  "  text TEXT NOT NULL,"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	  "INSERT INTO code_notes_v3(id, guid, target_type, target_id, coder_id, text, created_at)"
	  "  SELECT id, guid, target_type, target_id, coder_id, text, created_at FROM code_notes;"
	  "DROP TABLE code_notes;"
	  "ALTER TABLE code_notes_v3 RENAME TO code_notes;"
	  "CREATE INDEX code_notes_target ON code_notes(target_type, target_id);" },
	/* The concordance of two coders' codes (an inductive second coder makes
	 * their own): the team confirms that coder b_coder's code b_code
	 * covers what a_coder coded as a_code; agreement is then computed per
	 * confirmed pair. A code may map to several. */
	{ 4,
	  "CREATE TABLE code_concordance("
	  "  a_coder_id INTEGER NOT NULL REFERENCES code_coders(id),"
	  "  a_code_id INTEGER NOT NULL REFERENCES code_codes(id),"
	  "  b_coder_id INTEGER NOT NULL REFERENCES code_coders(id),"
	  "  b_code_id INTEGER NOT NULL REFERENCES code_codes(id),"
	  "  confirmed_by TEXT NOT NULL DEFAULT '',"
	  "  confirmed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	  "  PRIMARY KEY (a_coder_id, a_code_id, b_coder_id, b_code_id)) WITHOUT ROWID;" },
	/* A coding's own case: the participant a quote in a paper's results is
	 * attributed to ("...", Mother, P3), found when the span is coded or
	 * set by hand. NULL: the case comes from where the span lies (the
	 * speaker turn of its first line, else the source's cases). */
	{ 5,
	  "ALTER TABLE code_codings ADD COLUMN case_id INTEGER REFERENCES code_cases(id);" },
	{ 0, NULL }
};
