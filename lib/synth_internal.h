/* synth_internal.h: what the synthesis files (cerqual_*, advisory_*,
 * entreq) share: target lookup, the audit log, table rendering. */
#ifndef QES_SYNTH_INTERNAL_H
#define QES_SYNTH_INTERNAL_H

#include <jansson.h>
#include <sqlite3.h>
#include "qes/cerqual.h"
#include "study_internal.h"

/* Target kinds, as stored in the tables. */
enum {
	QES__T_THEME = 1, QES__T_FINDING = 2, QES__T_CODE = 4, QES__T_CODING = 8,
	QES__T_TEXT = 16,
};
const char *qes__synth_kind_name(int kind);     /* "theme", ... */
int qes__synth_kind_parse(const char *s);       /* 0 when unknown */

/* Parses "KIND:VALUE" into kind and id; allowed is a mask of kinds.
 * QES_EINVAL for a malformed spec or a kind not allowed, QES_ENOTFOUND
 * when nothing has that name, QES_EAMBIG for a theme name used at two
 * levels. "text:" gives id 0 and *text pointing after the colon. */
int qes__synth_target(qes_store *st, const char *spec, int allowed, int *kind,
		      long long *id, const char **text, qes_error *err);
/* "theme: NAME", "finding F1", "code PATH", "coding #N (source)"; malloc'd. */
char *qes__synth_describe(qes_store *st, int kind, long long id);

/* QES_ELIMIT (err filled, naming what) when s is above QES_MAX_FIELD. */
int qes__synth_too_long(const char *s, const char *what, qes_error *err);

/* Appends to the append-only synthesis log (caller's transaction). */
int qes__synth_log(qes_store *st, const char *who, const char *action,
		   const char *target, const char *detail, qes_error *err);

/* Renders { "columns": [names], "rows": [[strings]] } as CSV (header and
 * rows) or an HTML table of class cls (headers from "headings" when
 * present). *out malloc'd. */
int qes__synth_render(json_t *table, qes_table_format fmt, const char *cls,
		      char **out, qes_error *err);

/* The codes a finding rests on: linked codes and their descendants, and the
 * codes of linked themes, their subthemes and the lower themes grouped
 * under them. */
#define FINDING_CODES \
	"WITH RECURSIVE th(id) AS (" \
	"  SELECT target_id FROM synth_finding_links WHERE finding_id = ?1 AND kind = 'theme'" \
	"  UNION SELECT x.id FROM th JOIN (SELECT child_id AS id, parent_id AS up" \
	"    FROM code_theme_links UNION ALL SELECT id, parent_id FROM code_themes" \
	"    WHERE parent_id IS NOT NULL) x ON x.up = th.id)," \
	" cd(id) AS (" \
	"  SELECT code_id FROM code_theme_codes WHERE theme_id IN (SELECT id FROM th)" \
	"  UNION SELECT target_id FROM synth_finding_links WHERE finding_id = ?1 AND kind = 'code'" \
	"  UNION SELECT c.id FROM code_codes c JOIN cd ON c.parent_id = cd.id) "

/* The same from one theme (?1): the theme, its subthemes and lower themes. */
#define THEME_CODES \
	"WITH RECURSIVE th(id) AS (SELECT ?1" \
	"  UNION SELECT x.id FROM th JOIN (SELECT child_id AS id, parent_id AS up" \
	"    FROM code_theme_links UNION ALL SELECT id, parent_id FROM code_themes" \
	"    WHERE parent_id IS NOT NULL) x ON x.up = th.id)," \
	" cd(id) AS (" \
	"  SELECT code_id FROM code_theme_codes WHERE theme_id IN (SELECT id FROM th)" \
	"  UNION SELECT c.id FROM code_codes c JOIN cd ON c.parent_id = cd.id) "

/* Contributing studies of finding id: [{ "id", "study", "label", "derived",
 * "override", "reason", "included" }], in label order. */
json_t *qes__finding_studies(qes_store *st, long long finding, qes_error *err);

/* The review's appraisal table (qes_appraise_table_json), read once for
 * all the findings at hand; *table NULL when no checklist is set. */
int qes__cerqual_appraisal(qes_store *st, json_t **table, qes_error *err);
/* The limitations summary of a finding's studies (as in qes_finding_json),
 * from that table. */
json_t *qes__cerqual_limitations(json_t *table, json_t *studies, qes_error *err);

/* The studies the appraisal rule weighs as weak at level ("serious",
 * "moderate", "minor"; NULL: serious): {key: limitations}; *rule (if
 * asked) gets the rule. lib/theme_sensitivity.c. */
json_t *qes__sensitivity_weak(qes_store *st, const char *level, json_t **rule, qes_error *err);
/* Adds studies, passages, studies_without_weak, passages_without_weak and
 * flagged for finding fid to o. */
int qes__finding_sensitivity(qes_store *st, long long fid, json_t *weak, json_t *o,
			     qes_error *err);

/* Runs the statement to completion and finalizes it (qes__code_done_stmt). */
int qes__synth_step(qes_store *st, sqlite3_stmt *s, const char *what, qes_error *err);

/* A string column, "" for NULL. */
const char *qes__col(sqlite3_stmt *s, int i);

#endif
