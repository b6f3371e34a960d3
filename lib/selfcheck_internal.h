/* selfcheck_internal.h: what the report takes from the self-appraisal. */
#ifndef QES_SELFCHECK_INTERNAL_H
#define QES_SELFCHECK_INTERNAL_H

#include "qes/selfcheck.h"
#include "strbuf.h"

/* The report's section: <section id="selfcheck"> with the default
 * checklist's table (question, evidence, proposed, answer, comment),
 * appended to out. */
int qes__selfcheck_report_html(qes_store *st, qes_strbuf *out, qes_error *err);

#endif
