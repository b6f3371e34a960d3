/* prisma_json.c: the JSON form of the PRISMA counts, the one that
 * `qes prisma --json` prints and GET /api/prisma returns. */
#include "qes/json.h"

static json_t *counts_json(const qes_prisma_count *c, size_t n, const char *key)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, key, json_string(c[i].name));
		json_object_set_new(o, "n", json_integer(c[i].n));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *column_json(const qes_prisma_column *c, int databases)
{
	json_t *o = json_object();
	json_t *id = json_object();
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
	} else {
		/* Boxes the template lacks in this column (docs/prisma.md). */
		json_object_set_new(o, "duplicates_removed", json_integer(c->duplicates_removed));
		json_object_set_new(o, "excluded_screening", json_integer(c->excluded_screening));
	}
	json_object_set_new(o, "sought", json_integer(c->sought));
	json_object_set_new(o, "not_retrieved", json_integer(c->not_retrieved));
	json_object_set_new(o, "assessed", json_integer(c->assessed));
	json_object_set_new(o, "excluded_reports",
			    counts_json(c->excluded_reports, c->n_excluded_reports, "reason"));
	return o;
}

json_t *qes_prisma_json(const qes_prisma *p, const qes_prisma_gap *gaps, size_t n_gaps)
{
	json_t *o = column_json(&p->db, 1);
	json_object_set_new(o, "studies_included", json_integer(p->studies_included));
	json_object_set_new(o, "reports_included", json_integer(p->reports_included));
	if (p->other.present)
		json_object_set_new(o, "other_methods", column_json(&p->other, 0));
	if (p->update) {
		json_t *pv = json_object();
		json_object_set_new(pv, "studies", json_integer(p->previous_studies));
		json_object_set_new(pv, "reports", json_integer(p->previous_reports));
		json_object_set_new(o, "previous", pv);
	}
	json_object_set_new(o, "complete", json_boolean(n_gaps == 0));
	json_t *g = json_array();
	for (size_t i = 0; i < n_gaps; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "source_key", json_string(gaps[i].key));
		json_object_set_new(e, "stage", json_string(gaps[i].stage));
		json_object_set_new(e, "state", json_string(gaps[i].state));
		json_array_append_new(g, e);
	}
	json_object_set_new(o, "gaps", g);
	return o;
}

