/* api_prisma.c: GET /api/prisma, the number in every box of the PRISMA 2020
 * flow diagram: the library's qes_prisma_json, as `qes prisma --json`
 * prints it (t90-web compares the two). Counts only: no single decision is
 * revealed. */
#include "web.h"

#include <string.h>

#include "qes/json.h"
#include "qes/prisma.h"

int qes__web_api_prisma(qes_store *st, json_t **out, qes_error *err)
{
	qes_prisma p;
	qes_prisma_gap *gaps = NULL;
	size_t n_gaps = 0;
	memset(&p, 0, sizeof(p));
	*out = NULL;
	int rc = qes_prisma_compute(st, &p, &gaps, &n_gaps, err);
	if (rc)
		goto out;
	json_t *o = qes_prisma_json(&p, gaps, n_gaps);
	*out = o;
out:
	qes_prisma_release(&p);
	qes_prisma_gaps_free(gaps, n_gaps);
	return rc;
}
