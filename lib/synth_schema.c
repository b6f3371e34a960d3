/* synth_schema.c: tables of the synthesis module: review findings and their
 * GRADE-CERQual assessment, the lived-experience advisory group (advisors,
 * workshops, comments and the team's responses, what is shared with
 * advisors) and the authors' own ENTREQ answers (kept in meta). */
#include "schema.h"

/* synth_findings: a review finding (key "F1", a summary statement).
 * synth_finding_links: the themes (code_themes) and codes it rests on.
 * synth_finding_studies: the team's corrections to the contributing studies
 * derived from those codes ('add' a study, 'remove' one), with a reason.
 * synth_cerqual: the current judgement per finding and component
 * (limitations, coherence, adequacy, relevance: none | minor | moderate |
 * serious; overall: high | moderate | low | very_low).
 * synth_log: append-only audit of every change (triggers refuse edits).
 * synth_advisors: advisory group members (pseudonyms welcome), optionally a
 * web account (web_users.id, checked by the library: the web module's
 * tables come later in the migration order).
 * synth_workshops, synth_workshop_advisors, synth_workshop_items: when,
 * who was there, and what was shown (a theme, finding, code or free text).
 * synth_comments: what an advisor (advisor_id) or the group (NULL) said, at
 * a workshop or not, on a code, theme, finding or coding; with the team's
 * response (status and the change made) and synth_comment_affects, the items
 * the change touched. synth_sharing: shared (1) or held back (0) per theme,
 * finding and coding; anything without a row is not shown to advisors,
 * except quotes under a shared theme or finding, which show unless held back. */
const qes_migration qes__migrations_synth[] = {
	{ 1,
	  "CREATE TABLE synth_findings("
	  "  id INTEGER PRIMARY KEY,"
	  "  key TEXT NOT NULL UNIQUE,"
	  "  statement TEXT NOT NULL,"
	  "  created_by TEXT NOT NULL DEFAULT '',"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	  "CREATE TABLE synth_finding_links("
	  "  finding_id INTEGER NOT NULL REFERENCES synth_findings(id) ON DELETE CASCADE,"
	  "  kind TEXT NOT NULL CHECK (kind IN ('theme','code')),"
	  "  target_id INTEGER NOT NULL,"
	  "  PRIMARY KEY (finding_id, kind, target_id)) WITHOUT ROWID;"
	  "CREATE TABLE synth_finding_studies("
	  "  finding_id INTEGER NOT NULL REFERENCES synth_findings(id) ON DELETE CASCADE,"
	  "  study_id INTEGER NOT NULL REFERENCES studies(id),"
	  "  action TEXT NOT NULL CHECK (action IN ('add','remove')),"
	  "  reason TEXT NOT NULL DEFAULT '',"
	  "  PRIMARY KEY (finding_id, study_id)) WITHOUT ROWID;"
	  "CREATE TABLE synth_cerqual("
	  "  finding_id INTEGER NOT NULL REFERENCES synth_findings(id) ON DELETE CASCADE,"
	  "  component TEXT NOT NULL CHECK (component IN"
	  "    ('limitations','coherence','adequacy','relevance','overall')),"
	  "  level TEXT NOT NULL CHECK (level IN ('none','minor','moderate','serious',"
	  "    'high','low','very_low')),"
	  "  explanation TEXT NOT NULL DEFAULT '',"
	  "  assessed_by TEXT NOT NULL,"
	  "  assessed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	  "  CHECK ((component = 'overall') = (level IN ('high','moderate','low','very_low'))"
	  "    OR (component <> 'overall' AND level = 'moderate')),"
	  "  PRIMARY KEY (finding_id, component)) WITHOUT ROWID;"
	  "CREATE TABLE synth_log("
	  "  id INTEGER PRIMARY KEY,"
	  "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	  "  who TEXT NOT NULL,"
	  "  action TEXT NOT NULL,"
	  "  target TEXT NOT NULL,"
	  "  detail TEXT NOT NULL DEFAULT '');"
	  "CREATE TRIGGER synth_log_no_update BEFORE UPDATE ON synth_log"
	  "  BEGIN SELECT RAISE(ABORT, 'the synthesis log is append-only'); END;"
	  "CREATE TRIGGER synth_log_no_delete BEFORE DELETE ON synth_log"
	  "  BEGIN SELECT RAISE(ABORT, 'the synthesis log is append-only'); END;"
	  "CREATE TABLE synth_advisors("
	  "  id INTEGER PRIMARY KEY,"
	  "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	  "  web_user_id INTEGER UNIQUE,"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	  "CREATE TABLE synth_workshops("
	  "  id INTEGER PRIMARY KEY,"
	  "  held_on TEXT NOT NULL,"
	  "  title TEXT NOT NULL DEFAULT '',"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	  "CREATE TABLE synth_workshop_advisors("
	  "  workshop_id INTEGER NOT NULL REFERENCES synth_workshops(id),"
	  "  advisor_id INTEGER NOT NULL REFERENCES synth_advisors(id),"
	  "  PRIMARY KEY (workshop_id, advisor_id)) WITHOUT ROWID;"
	  "CREATE TABLE synth_workshop_items("
	  "  id INTEGER PRIMARY KEY,"
	  "  workshop_id INTEGER NOT NULL REFERENCES synth_workshops(id),"
	  "  kind TEXT NOT NULL CHECK (kind IN ('theme','finding','code','text')),"
	  "  target_id INTEGER,"
	  "  text TEXT NOT NULL DEFAULT '');"
	  "CREATE TABLE synth_comments("
	  "  id INTEGER PRIMARY KEY,"
	  "  advisor_id INTEGER REFERENCES synth_advisors(id),"
	  "  workshop_id INTEGER REFERENCES synth_workshops(id),"
	  "  target_kind TEXT CHECK (target_kind IN ('code','theme','finding','coding')),"
	  "  target_id INTEGER,"
	  "  text TEXT NOT NULL,"
	  "  status TEXT NOT NULL DEFAULT 'pending'"
	  "    CHECK (status IN ('pending','adopted','partly','not_adopted')),"
	  "  change TEXT NOT NULL DEFAULT '',"
	  "  responded_by TEXT,"
	  "  responded_at TEXT,"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	  "CREATE TABLE synth_comment_affects("
	  "  comment_id INTEGER NOT NULL REFERENCES synth_comments(id),"
	  "  kind TEXT NOT NULL CHECK (kind IN ('code','theme','finding','coding')),"
	  "  target_id INTEGER NOT NULL,"
	  "  PRIMARY KEY (comment_id, kind, target_id)) WITHOUT ROWID;"
	  "CREATE TABLE synth_sharing("
	  "  kind TEXT NOT NULL CHECK (kind IN ('theme','finding','coding')),"
	  "  target_id INTEGER NOT NULL,"
	  "  shared INTEGER NOT NULL CHECK (shared IN (0, 1)),"
	  "  PRIMARY KEY (kind, target_id)) WITHOUT ROWID;" },
	/* synth_advisor_records: each advisor's consent to take part and their
	 * debrief afterwards: when (YYYY-MM-DD), how (in writing, by phone...),
	 * who recorded it. A new record of a kind replaces none: all are kept. */
	{ 2,
	  "CREATE TABLE synth_advisor_records("
	  "  id INTEGER PRIMARY KEY,"
	  "  advisor_id INTEGER NOT NULL REFERENCES synth_advisors(id),"
	  "  kind TEXT NOT NULL CHECK (kind IN ('consent','debrief')),"
	  "  held_on TEXT NOT NULL,"
	  "  how TEXT NOT NULL,"
	  "  recorded_by TEXT NOT NULL DEFAULT '',"
	  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));" },
	{ 0, NULL }
};
