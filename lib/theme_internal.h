/* theme_internal.h: what the theme and query files share. */
#ifndef QES_THEME_INTERNAL_H
#define QES_THEME_INTERNAL_H

#include <sqlite3.h>
#include "qes/theme.h"
#include "strbuf.h"

/* Tree order of themes t (parent p LEFT JOINed): analytical themes each
 * followed by their subthemes, then descriptive themes; by position
 * within each. */
#define THEME_TREE_ORDER \
	" ORDER BY coalesce(p.level, t.level) = 'descriptive', coalesce(p.position, t.position)," \
	" coalesce(p.id, t.id), t.parent_id IS NOT NULL, t.position, t.id"

/* Fills the connection's temporary tables the views read, for the codings
 * coder `as` may see (NULL: all):
 *   temp.theme_vis(coding_id)            codings visible to `as`
 *   temp.theme_code(theme_id, code_id)   every code a theme holds, through
 *                                        lower themes and code folders
 *   temp.theme_span(theme_id, coding_id) a theme's visible codings
 *   temp.theme_case(coding_id, case_id)  a coding's case(s)
 *   temp.theme_passage(grp, coding_id, passage)  the passage (qes__code_passages)
 *                                        each of a theme's (grp) codings is in
 * Temporary tables only: no transaction, nothing in the review changes. */
int qes__theme_spans(qes_store *st, const char *as, qes_error *err);
/* "perspective; role" values of a case attribute over a coding's cases,
 * "; "-joined, malloc'd ("" when none). */
char *qes__theme_attr(qes_store *st, long long coding_id, const char *key);
/* Appends s HTML-escaped. */
void qes__theme_esc(qes_strbuf *sb, const char *s);
/* Appends a JSON array of strings to sb as one CSV line. */
int qes__theme_csv_line(qes_strbuf *sb, json_t *row);
/* The text of code points [start, end) of a stored source text, malloc'd. */
char *qes__theme_slice(const char *text, size_t len, long start, long end);
/* Runs one statement with text/int64 binds given as a printf-like list:
 * 't' text, 'i' int64. For writes inside the caller's transaction. */
int qes__theme_exec(qes_store *st, const char *sql, const char *types, qes_error *err, ...);

#endif
