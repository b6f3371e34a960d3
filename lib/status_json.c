/* status_json.c: the review at a glance as JSON: what `qes status --json`
 * prints and GET /api/status returns. Reading only; counts reveal no single
 * screening decision. */
#include "qes/json.h"

#include <stdlib.h>

#include "qes/dedup.h"
#include "qes/screen.h"
#include "qes/study.h"

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int add_source(void *ud, const qes_source_info *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "method", json_string(s->method));
	json_object_set_new(o, "format", str_or_null(s->formats));
	json_object_set_new(o, "records", json_integer(s->records));
	json_object_set_new(o, "imports", json_integer(s->imports));
	json_object_set_new(o, "searched", str_or_null(s->searched));
	return json_array_append_new(ud, o) ? QES_ENOMEM : 0;
}

static json_t *progress_json(const qes_progress *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "pool", json_integer(p->pool));
	json_object_set_new(o, "screened", json_integer(p->screened));
	json_object_set_new(o, "included", json_integer(p->included));
	json_object_set_new(o, "excluded", json_integer(p->excluded));
	json_object_set_new(o, "unsure", json_integer(p->unsure));
	json_object_set_new(o, "conflicts", json_integer(p->conflicts));
	json_object_set_new(o, "pending", json_integer(p->pending));
	json_object_set_new(o, "not_yet_screened", json_integer(p->undecided));
	json_object_set_new(o, "waiting_second", json_integer(p->waiting_second));
	/* Double screening: planned (by the policy) and achieved, never one
	 * stated as the other. */
	json_object_set_new(o, "double_planned", json_integer(p->planned));
	json_object_set_new(o, "double_decided", json_integer(p->double_decided));
	return o;
}

static int add_progress(qes_store *st, json_t *top, qes_error *err)
{
	qes_dedup_counts dc;
	int rc = qes_dedup_summary(st, &dc, err);
	if (rc)
		return rc;
	json_t *d = json_object();
	json_object_set_new(d, "works", json_integer(dc.works));
	json_object_set_new(d, "duplicates", json_integer(dc.duplicates));
	json_object_set_new(d, "clusters", json_integer(dc.clusters));
	json_object_set_new(d, "pending", json_integer(dc.pending));
	json_object_set_new(d, "decided", json_integer(dc.decided));
	json_object_set_new(d, "runs", json_integer(dc.runs));
	json_object_set_new(d, "rules_version", dc.runs ? json_string(dc.rules_version) : json_null());
	json_object_set_new(top, "dedup", d);
	json_t *scr = json_object();
	json_object_set_new(top, "screening", scr);
	for (int k = 0; k < 2; k++) {
		qes_progress p;
		if ((rc = qes_screen_progress(st, NULL, (qes_stage)k, &p, err)))
			return rc;
		json_object_set_new(scr, qes_stage_name((qes_stage)k), progress_json(&p));
	}
	json_t *studies = qes_study_list_json(st, err);
	if (!studies)
		return err && err->code ? err->code : QES_ENOMEM;
	json_object_set_new(top, "studies", json_integer((json_int_t)json_array_size(studies)));
	json_decref(studies);
	return 0;
}

int qes_status_json(qes_store *st, json_t **out, qes_error *err)
{
	json_t *top = json_object(), *sources = json_array();
	char *title = NULL;
	int rc = QES_ENOMEM;
	*out = NULL;
	if (!top || !sources)
		goto out;
	long long records = qes_store_count(st, "records", err);
	long long imports = qes_store_count(st, "imports", err);
	if (records < 0 || imports < 0) {
		rc = (int)(records < 0 ? records : imports);
		goto out;
	}
	if ((rc = qes_sources_foreach(st, add_source, sources, err)) ||
	    (rc = qes_store_get_meta(st, "title", &title, err)))
		goto out;
	json_object_set_new(top, "title", str_or_null(title));
	json_object_set_new(top, "records", json_integer(records));
	json_object_set_new(top, "imports", json_integer(imports));
	json_object_set_new(top, "sources", sources);
	sources = NULL;
	if ((rc = add_progress(st, top, err)))
		goto out;
	*out = top;
	top = NULL;
out:
	json_decref(top);
	json_decref(sources);
	free(title);
	return rc;
}
