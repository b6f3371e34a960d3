/* api_prisma.c: GET /api/prisma, the number in every box of the PRISMA 2020
 * flow diagram with the keys of `qes prisma --json` (t90-web compares the
 * two). The builder mirrors cli/cmd_prisma.c's; it belongs in the library
 * once both can share it. Counts only: no single decision is revealed. */
#include "web.h"

#include <string.h>

#include "qes/prisma.h"

static json_t *counts_json(const qes_prisma_count *c, size_t n, const char *key)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{sssI}", key, c[i].name, "n", (json_int_t)c[i].n));
	return a;
}

static json_t *column_json(const qes_prisma_column *c, int databases)
{
	json_t *o = json_object(), *id = json_object();
	json_object_set_new(id, "n", json_integer(c->identified_total));
	if (databases) {
		json_object_set_new(id, "databases", json_integer(c->identified_total - c->registers));
		json_object_set_new(id, "registers", json_integer(c->registers));
	}
	json_object_set_new(id, "by_source", counts_json(c->identified, c->n_identified, "name"));
	json_object_set_new(o, "identified", id);
	if (databases) {
		json_object_set_new(o, "duplicates_removed", json_integer(c->duplicates_removed));
		json_object_set_new(o, "automation_removed", json_integer(c->automation_removed));
		json_object_set_new(o, "other_removed", json_integer(c->other_removed));
		json_object_set_new(o, "screened", json_integer(c->screened));
		json_object_set_new(o, "excluded_screening", json_integer(c->excluded_screening));
	}
	json_object_set_new(o, "sought", json_integer(c->sought));
	json_object_set_new(o, "not_retrieved", json_integer(c->not_retrieved));
	json_object_set_new(o, "assessed", json_integer(c->assessed));
	json_object_set_new(o, "excluded_reports",
			    counts_json(c->excluded_reports, c->n_excluded_reports, "reason"));
	return o;
}

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
	json_t *o = column_json(&p.db, 1);
	json_object_set_new(o, "studies_included", json_integer(p.studies_included));
	json_object_set_new(o, "reports_included", json_integer(p.reports_included));
	if (p.other.present)
		json_object_set_new(o, "other_methods", column_json(&p.other, 0));
	if (p.update)
		json_object_set_new(o, "previous", json_pack("{sIsI}", "studies", (json_int_t)p.previous_studies,
							     "reports", (json_int_t)p.previous_reports));
	json_object_set_new(o, "complete", json_boolean(n_gaps == 0));
	json_t *g = json_array();
	for (size_t i = 0; i < n_gaps; i++)
		json_array_append_new(g, json_pack("{ssssss}", "source_key", gaps[i].key,
						   "stage", gaps[i].stage, "state", gaps[i].state));
	json_object_set_new(o, "gaps", g);
	*out = o;
out:
	qes_prisma_release(&p);
	qes_prisma_gaps_free(gaps, n_gaps);
	return rc;
}
