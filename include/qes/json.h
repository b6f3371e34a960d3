/* qes/json.h: the JSON form of library objects, shared by the CLI's --json
 * output, the web API and the golden tests, so all three agree. */
#ifndef QES_JSON_H
#define QES_JSON_H

#include <jansson.h>
#include "qes/record.h"

/* A new reference: an object with the keys of qes_record_field_names, in
 * that order (absent fields are null; authors and keywords are arrays;
 * year is a number or null), plus "line". raw is left out unless with_raw. */
json_t *qes_record_to_json(const qes_record *rec, int with_raw);

#endif
