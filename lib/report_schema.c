/* report_schema.c: the report module's table. report_texts holds the
 * authors' own wording of a section's paragraph (the report generates one
 * from the data until a row exists; deleting the row goes back to it). */
#include "schema.h"

const qes_migration qes__migrations_report[] = {
	{ 1,
	  "CREATE TABLE report_texts("
	  "  section TEXT PRIMARY KEY,"
	  "  text TEXT NOT NULL,"
	  "  edited_by TEXT,"
	  "  edited_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))) WITHOUT ROWID;"
	},
	{ 0, NULL }
};
