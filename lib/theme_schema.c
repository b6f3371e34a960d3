/* theme_schema.c: tables of the theme module. The themes themselves live
 * in the coding module (code_themes, migration 2); this module keeps what
 * only the synthesis views need. */
#include "schema.h"

/* theme_summaries: the analyst's summary of one framework-matrix cell, a
 * theme for one study or one case (row_kind says which table row_id is
 * in). */
const qes_migration qes__migrations_theme[] = {
	{ 1,
	  "CREATE TABLE theme_summaries("
	  "  theme_id INTEGER NOT NULL REFERENCES code_themes(id) ON DELETE CASCADE,"
	  "  row_kind TEXT NOT NULL CHECK (row_kind IN ('study','case')),"
	  "  row_id INTEGER NOT NULL,"
	  "  text TEXT NOT NULL,"
	  "  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	  "  PRIMARY KEY (theme_id, row_kind, row_id)) WITHOUT ROWID;" },
	{ 0, NULL }
};
