/* qes/theme.h: themes and the queries of a thematic synthesis (Thomas &
 * Harden stages 2 and 3), on top of the coding module (qes/code.h).
 *
 * A descriptive theme groups codes (a code folder counts with every code
 * under it); an analytical theme groups descriptive themes and carries
 * subthemes, which group descriptive themes or codes in turn. A code or a
 * descriptive theme may sit in several themes. A theme's spans are the
 * codings of every code it holds directly or through lower themes,
 * deduplicated.
 *
 * Naming a theme: its name, "Analytical/Subtheme" for a subtheme, or "#ID".
 * A name shared by two themes (a descriptive and an analytical theme, or
 * subthemes of two analytical themes) is QES_EAMBIG.
 *
 * A coding's case is the case linked to the lines of the source its span
 * starts on (a speaker's turns), else the cases linked to the whole
 * source; its perspective (or any attribute) is that case's value.
 *
 * Blinding: every query takes `as`, a coder: with it, codings on sources
 * of the double-coding sample that fewer than two coders marked done are
 * counted only when they are that coder's (as in qes_code_list_json).
 * NULL means every coder's codings: the lead's view, used by the report.
 *
 * JSON results are new references (json_decref them); NULL with err filled
 * on failure. Functions that write are one transaction each. */
#ifndef QES_THEME_H
#define QES_THEME_H

#include <jansson.h>
#include "qes/error.h"
#include "qes/store.h"

/* --- The theme tree (one transaction each) ------------------------------ */

/* level: "descriptive", "analytical" or "subtheme"; parent (an analytical
 * theme) makes a subtheme, and level may then be NULL. description may be
 * NULL. QES_EEXIST when the name is taken at that level (and parent). */
int qes_theme_add(qes_store *st, const char *name, const char *level, const char *parent,
		  const char *description, long long *id, qes_error *err);
/* Puts codes (paths; folders allowed) in a theme, or takes them out
 * (remove set). Putting a code in twice is not an error. */
int qes_theme_codes(qes_store *st, const char *theme, char *const *codes, int n,
		    int remove, qes_error *err);
/* Groups descriptive themes under an analytical theme or a subtheme, or
 * ungroups them (remove set). */
int qes_theme_group(qes_store *st, const char *parent, char *const *children, int n,
		    int remove, qes_error *err);
/* Removes a theme with its groupings and cell summaries (its codes and
 * codings stay). QES_ECONFLICT while an analytical theme has subthemes. */
int qes_theme_remove(qes_store *st, const char *theme, qes_error *err);
int qes_theme_rename(qes_store *st, const char *theme, const char *name, qes_error *err);
int qes_theme_describe(qes_store *st, const char *theme, const char *text, qes_error *err);
/* Moves a subtheme under another analytical theme. */
int qes_theme_move(qes_store *st, const char *subtheme, const char *parent, qes_error *err);
/* Finds a theme (see "Naming a theme" above). */
int qes_theme_find(qes_store *st, const char *name, long long *id, qes_error *err);

/* --- Views -------------------------------------------------------------- */

/* Every theme in tree order (analytical themes each followed by their
 * subthemes, then descriptive themes): [{ "id", "name", "level", "parent",
 * "description", "codes": [paths held directly], "themes": [names grouped
 * directly under it], "counts": { "codes", "spans", "passages", "sources",
 * "studies", "cases" }, "advisor_changes" (advisors' comments adopted or
 * partly adopted on or affecting it) }]. Counts go through lower themes
 * and code folders. */
json_t *qes_theme_list_json(qes_store *st, const char *as, qes_error *err);

/* What a theme rests on: { "theme", "level", "codes": [paths], "themes":
 * [lower themes], "spans": [{ "id", "guid", "source", "study", "code",
 * "coder", "start", "end", "text", "kind", "illustrative", "cases",
 * "perspectives", "passage" }], "sources", "studies", "cases",
 * "perspectives", "passages": [{ "passage", "source", "study", "start",
 * "end", "text", "spans", "coders": {coder: spans} }], "advisors": [{
 * "comment", "advisor", "text", "on_theme", "status", "change",
 * "responded_at" }] (comments on the theme or whose response changed it) }
 * with every list deduplicated and sorted. */
json_t *qes_theme_trace_json(qes_store *st, const char *theme, const char *as,
			     qes_error *err);

/* The themes table (the seed review's Table 4): one row per subtheme (an
 * analytical theme without subthemes is its own row); when the review has
 * no analytical theme, one row per descriptive theme. Participants' words
 * (first-order constructs: codings marked as quotations, or illustrative
 * and unmarked) are kept apart from authors' interpretations (second-
 * order: codings marked interpretation); each list has illustrative
 * codings first, one entry per passage (overlapping spans of a source,
 * whoever coded them; the text is an illustrative coding's, else the
 * stretch they cover), at most
 * max_quotes per list (0: all).
 * { "rows": [{ "theme", "subtheme", "quotes": [{ "text", "source",
 *   "study", "study_label", "perspective", "role", "coder" }],
 *   "interpretations": [the same] }] } */
json_t *qes_theme_table_json(qes_store *st, int max_quotes, const char *as, qes_error *err);
/* The same as CSV (theme,subtheme,quote,perspective,role,study,
 * study_label,source,construct; one line per quote or interpretation,
 * construct "participant quote" or "author interpretation") or as an HTML fragment
 * (<table class="qes-themes">, escaped). *out is malloc'd. */
int qes_theme_table_csv(qes_store *st, int max_quotes, const char *as, char **out,
			qes_error *err);
int qes_theme_table_html(qes_store *st, int max_quotes, const char *as, char **out,
			 qes_error *err);

/* --- Queries ------------------------------------------------------------ */

/* Theme by attribute (default "perspective"): { "attribute", "columns":
 * [values, "(none)" last when some span has no case with the attribute],
 * "rows": [{ "theme", "level", "parent", "cells": { value: { "studies",
 * "sources", "spans" } }, "total": { ... } }] }. A span whose case has two
 * values counts under both; "total" counts it once. */
json_t *qes_query_matrix_json(qes_store *st, const char *attribute, const char *as,
			      qes_error *err);

/* Codes whose codings overlap on the same text of the same source by the
 * same coder: { "pairs": [{ "code_a", "code_b", "overlaps" (coding
 * pairs), "sources", "chars" (characters in common) }] }, most overlaps
 * first. coder restricts it to one coder's codings (NULL: every coder). */
json_t *qes_query_cooccur_json(qes_store *st, const char *coder, const char *as,
			       qes_error *err);

/* Text search across sources, case-insensitive (each code point
 * lower-cased, utf8proc_tolower), over the stored NFC text: { "query", "hits": [{ "source",
 * "study", "start", "end", "text", "before", "after" }] } with offsets in
 * code points and `context` code points either side (line breaks shown as
 * spaces). source: one source or NULL; limit: at most that many hits
 * (0: no limit). */
json_t *qes_query_search_json(qes_store *st, const char *text, const char *source,
			      long context, long limit, qes_error *err);

/* Framework matrix: rows are studies (by "study") or cases (by "case"),
 * columns themes (level NULL: every theme). { "by", "themes": [names],
 * "rows": [{ "row", "label", "cells": { theme: { "spans", "quote",
 * "summary" } } }] }. quote is the first illustrative coding's text, else
 * the first quotation's, else the first coding's; summary is the analyst's
 * cell summary (qes_theme_summary_set) or null. Empty cells are left out;
 * codings with no study (no case) go in the row "(none)". */
json_t *qes_query_framework_json(qes_store *st, const char *by, const char *level,
				 const char *as, qes_error *err);
/* Sets (text "" clears) the summary of one framework cell: by "study"
 * (row a study key) or "case" (row a case name). */
int qes_theme_summary_set(qes_store *st, const char *by, const char *row,
			  const char *theme, const char *text, qes_error *err);

/* --- Sensitivity (lib/theme_sensitivity.c) ----------------------------- */

/* What each theme and finding rests on, and what remains without the
 * studies the appraisal rule (qes_appraise_rule_json) weighs as weak:
 * level "serious" (NULL: the default), "moderate" (moderate or serious) or
 * "minor" (any concern). { "set_aside", "rule", "weak_studies": [{study,
 * limitations}], "themes": [{ "theme", "level", "parent", "studies",
 * "passages", "studies_without_weak", "passages_without_weak", "flagged"
 * }], "findings": [{ "finding", "statement", the same counts }] }.
 * Passages as in qes__code_passages; flagged when more than half of the
 * studies or passages would be lost. Every coder's codings. */
json_t *qes_theme_sensitivity_json(qes_store *st, const char *level, qes_error *err);
/* The same as an HTML fragment: the rule in a paragraph, then a table
 * (class qes-sensitivity). *out malloc'd. */
int qes_theme_sensitivity_html(qes_store *st, const char *level, char **out, qes_error *err);

/* --- Output ------------------------------------------------------------- */

/* Any query result above as a grid: a JSON array of rows, each an array
 * of strings, the header first (for tables, CSV and HTML). query names
 * the result: "matrix", "cooccur", "search", "framework", "list",
 * "sensitivity". */
json_t *qes_query_grid(const char *query, json_t *result, qes_error *err);
/* A grid as CSV (RFC 4180) or an HTML table fragment (escaped; the first
 * row as <th>). *out is malloc'd. */
int qes_grid_csv(json_t *grid, char **out, qes_error *err);
int qes_grid_html(json_t *grid, const char *css_class, char **out, qes_error *err);

#endif
