/* qes/report.h: the review report, one self-contained HTML page with
 * everything a methods and results section needs: the searches, the PRISMA
 * 2020 diagram, screening progress and agreement, the included studies and
 * their reports, the excluded full texts with reasons, study
 * characteristics and quality appraisal. Always computed from the data. */
#ifndef QES_REPORT_H
#define QES_REPORT_H

#include <stddef.h>
#include "qes/error.h"
#include "qes/store.h"

/* *html is malloc'd and NUL-terminated. */
int qes_report_html(qes_store *st, char **html, size_t *len, qes_error *err);
/* Writes the report to path (temporary file, then renamed). */
int qes_report_write(qes_store *st, const char *path, qes_error *err);

#endif
