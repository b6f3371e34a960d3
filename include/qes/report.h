/* qes/report.h: the review report, one self-contained HTML page with
 * everything a methods and results section needs: the eligibility criteria
 * (Table 1), the searches, the PRISMA 2020 diagram, screening progress and
 * agreement, the included studies and their reports, the excluded full
 * texts with reasons, study characteristics, quality appraisal, themes,
 * GRADE-CERQual and the ENTREQ statement. Always computed from the data.
 *
 * Each section opens with a short paragraph generated from the counts
 * (sources and dates, records, duplicates, the double-screened sample,
 * kappa...). Authors may replace it with their own wording, kept in the
 * review (report_texts) until they reset it. The same report is written
 * as Word (.docx) or a spreadsheet (.xlsx, one sheet per table). */
#ifndef QES_REPORT_H
#define QES_REPORT_H

#include <stddef.h>
#include "qes/error.h"
#include "qes/store.h"
#include <jansson.h>

/* *html is malloc'd and NUL-terminated. */
int qes_report_html(qes_store *st, char **html, size_t *len, qes_error *err);
/* Writes the report to path (temporary file, then renamed): a .docx or
 * .xlsx path gets that format, any other the HTML page. */
int qes_report_write(qes_store *st, const char *path, qes_error *err);

/* The report as "docx" or "xlsx" bytes in memory (*bytes malloc'd), for
 * the web server. QES_EINVAL for another format. */
int qes_report_office(qes_store *st, const char *format, char **bytes, size_t *len,
		      qes_error *err);

/* The sections that have a paragraph, NULL-terminated: "eligibility",
 * "searches", "screening", "studies", "appraisal", "synthesis". */
extern const char *const qes_report_sections[];
int qes_report_section_valid(const char *section);
/* Sets the authors' text of a section (by may be NULL); NULL or "" resets
 * it to the generated one. One transaction. QES_EINVAL for an unknown
 * section, QES_ELIMIT over QES_REPORT_TEXT_MAX bytes. */
int qes_report_text_set(qes_store *st, const char *section, const char *text, const char *by,
			qes_error *err);
/* [{ "section", "edited" (bool), "text" (what the report shows),
 *    "generated" (what the data say, null when the section has no data),
 *    "edited_by", "edited_at" }], in report order. New reference. */
json_t *qes_report_texts_json(qes_store *st, qes_error *err);

#endif
