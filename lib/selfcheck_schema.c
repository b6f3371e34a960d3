/* selfcheck_schema.c: tables of the self-appraisal module (qes selfcheck).
 * selfcheck_answers: the team's confirmed answer and comment per checklist
 * and item (checklists and items are data, data/selfcheck/NAME.json: no
 * foreign key); the proposed answers are computed, never stored. */
#include "schema.h"

const qes_migration qes__migrations_selfcheck[] = {
	{ 1,
	  "CREATE TABLE selfcheck_answers("
	  "  checklist TEXT NOT NULL,"
	  "  item TEXT NOT NULL,"
	  "  answer TEXT NOT NULL CHECK (answer IN ('yes','no','unclear','na')),"
	  "  comment TEXT NOT NULL DEFAULT '',"
	  "  answered_by TEXT NOT NULL,"
	  "  answered_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	  "  PRIMARY KEY (checklist, item)) WITHOUT ROWID;" },
	{ 0, NULL }
};
