/* api_status.c: GET /api/status, the review at a glance: the library's
 * qes_status_json, the same object `qes status --json` prints. */
#include "web.h"

#include "qes/json.h"

int qes__web_api_status(qes_store *st, json_t **out, qes_error *err)
{
	return qes_status_json(st, out, err);
}
