/* qes/study.h: included studies, their reports, and data extraction.
 *
 * A study is what the synthesis counts; a report is a record (paper, thesis,
 * charity report) about it. Every record included at full text is a study,
 * keyed by its source key; more reports join a study with qes_study_link.
 * Characteristics (the extraction form's values) belong to the study.
 *
 * The extraction form is a list of fields the team defines. Field types:
 *   text, number, choice (one of the options), multi (several options, "; "
 *   between them), yesno, country (ISO 3166-1 short names and the UK
 *   nations; several with "; "), count (participants by group: one value
 *   per group, addressed as NAME.GROUP, e.g. participants.parents).
 * New reviews start with a default form for qualitative studies.
 *
 * JSON-returning functions give a new reference (json_decref it); NULL with
 * err filled on failure. Every function that writes runs in the caller's
 * transaction except those marked "one transaction". */
#ifndef QES_STUDY_H
#define QES_STUDY_H

#include <jansson.h>
#include "qes/error.h"
#include "qes/store.h"

/* --- Studies and reports -------------------------------------------------- */

/* Declares the record SOURCE_KEY an included study's (first) report; the
 * study's key is the source key. QES_EEXIST if the record is already a
 * report of a study. One transaction. */
int qes_study_add(qes_store *st, const char *source_key, qes_error *err);
/* Adds SOURCE_KEY as another report of STUDY_KEY. One transaction. Both
 * add and link take only a record included at full text (or one screening
 * never touched: screened elsewhere); QES_ECONFLICT says why not. */
int qes_study_link(qes_store *st, const char *study_key, const char *source_key,
		   qes_error *err);
/* Takes SOURCE_KEY out of its study (QES_ENOTFOUND when it is in none;
 * QES_ECONFLICT when it is the study's only report). A report included at
 * full text becomes a study of its own again. One transaction. */
int qes_study_unlink(qes_store *st, const char *source_key, qes_error *err);
/* Finds a study by its key. QES_ENOTFOUND when none. */
int qes_study_find(qes_store *st, const char *study_key, long long *id, qes_error *err);
/* [{ "study", "label" ("Author Year"; "Bennett 2020a", "Bennett 2020b" when
 * two studies share one), "title", "reports": [source keys] }] */
json_t *qes_study_list_json(qes_store *st, qes_error *err);

/* --- The extraction form ---------------------------------------------------- */

/* Adds a field. type is one of the names above; options a comma-separated
 * list (required for choice and multi; for count, the usual groups).
 * One transaction. */
int qes_extract_field_add(qes_store *st, const char *name, const char *type,
			  const char *options, const char *label, qes_error *err);
/* { "fields": [{ "name", "type", "label", "options": [] }] } */
json_t *qes_extract_form_json(qes_store *st, qes_error *err);

/* Checks value for field (e.g. "country", "participants.parents") and gives
 * its normalised form (*norm malloc'd; an option's spelling, a country's ISO
 * name; "" for an empty or blank value, of any type). QES_EFORMAT with a
 * message naming the allowed values. */
int qes_extract_validate(qes_store *st, const char *field, const char *value,
			 char **norm, qes_error *err);
/* Validates and stores one value ("" deletes it). Caller's transaction. */
int qes_extract_set(qes_store *st, const char *study_key, const char *field,
		    const char *value, qes_error *err);
/* { "study", "label", "values": { field: value } } */
json_t *qes_extract_study_json(qes_store *st, const char *study_key, qes_error *err);

/* Reads a CSV with columns study,field,value (header required) and stores
 * every value in one transaction; a bad value rejects the whole file and
 * err names the file and line. *n gets the number of values stored. */
int qes_extract_import_csv(qes_store *st, const char *path, long *n, qes_error *err);
/* Same, from memory (name is used in messages). */
int qes_extract_import_buf(qes_store *st, const char *name, const char *buf,
			   size_t len, long *n, qes_error *err);
/* Writes every study's values as study,field,value (written to a temporary
 * file and renamed). Studies without values get no rows. */
int qes_extract_export_csv(qes_store *st, const char *path, qes_error *err);

/* --- Summary ------------------------------------------------------------------ */

/* Review-level notes: free text (e.g. a draft's "337 parents took part")
 * that the contradiction check compares with the data. One transaction. */
int qes_study_note_add(qes_store *st, const char *text, qes_error *err);

/* The summary computed from the data:
 * { "totals": { "studies": n, "reports": n },
 *   "studies": [{ "study", "label", "title", "reports", "values": {field:
 *     value}, "perspective" }],
 *   "by_country": [{ "country", "n" }] (country level: the UK nations count
 *     as the United Kingdom, once per study), "by_nation": [{ "nation", "n" }]
 *     (England, Scotland, Wales, Northern Ireland as reported),
 *   "by_design": [{ "design", "n" }],
 *   "by_perspective": [{ "perspective", "n" }],
 *   "participants": [{ "group", "n", "studies" }],
 *   "by_publication": [{ "publication", "n" }],
 *   "contradictions": [{ "where", "text", "group", "stated", "computed" }] }
 * A contradiction is a number followed by a group name (or "studies",
 * "papers") in a text field or review note that differs from the data. */
json_t *qes_studies_summary_json(qes_store *st, qes_error *err);

/* The characteristics table (one row per study, one column per field) as an
 * HTML fragment (<table class="qes-studies">...</table>), escaped.
 * *html is malloc'd. */
int qes_study_table_html(qes_store *st, char **html, qes_error *err);

/* Country lookup: the list's spelling for name or a known alias, NULL when
 * unknown. */
const char *qes_country_canonical(const char *name);
/* The country name counts as at country level: England, Scotland, Wales and
 * Northern Ireland count as the United Kingdom; any other name as itself
 * (canonical when listed). Never NULL for a non-NULL name. */
const char *qes_country_level(const char *name);
/* 1 for England, Scotland, Wales and Northern Ireland (any listed spelling). */
int qes_country_is_nation(const char *name);

#endif
