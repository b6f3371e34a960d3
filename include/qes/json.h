/* qes/json.h: the JSON form of library objects, shared by the CLI's --json
 * output, the web API and the golden tests, so all three agree. */
#ifndef QES_JSON_H
#define QES_JSON_H

#include <jansson.h>
#include "qes/prisma.h"
#include "qes/store.h"
#include "qes/record.h"

/* A new reference: an object with the keys of qes_record_field_names, in
 * that order (absent fields are null; authors and keywords are arrays;
 * year is a number or null), plus "line". raw is left out unless with_raw. */
json_t *qes_record_to_json(const qes_record *rec, int with_raw);

/* The review at a glance: title, records, imports, sources (name, method,
 * format, records, imports, searched), dedup, screening progress per stage,
 * studies. *out is a new reference. */
int qes_status_json(qes_store *st, json_t **out, qes_error *err);

/* A new reference: the counts of every PRISMA box (the keys of `qes prisma
 * --json`), "complete", and "gaps" (records without a final decision). */
json_t *qes_prisma_json(const qes_prisma *p, const qes_prisma_gap *gaps, size_t n_gaps);

#endif
