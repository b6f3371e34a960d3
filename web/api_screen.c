/* api_screen.c: screening through the web. Who may screen is decided here
 * (role and the reviewer the user is mapped to); everything else, blinding
 * included, is the screening library's: the answer carries the record and
 * the asking reviewer's own progress, never another reviewer's decision. */
#include "web.h"

#include <string.h>

#include "arena.h"
#include "qes/record.h"
#include "qes/screen.h"

static int may_screen(const qes__web_session *s, qes_error *err)
{
	if (strcmp(s->role, "owner") && strcmp(s->role, "reviewer"))
		return qes_error_set(err, QES_EPERM, "an %s does not screen", s->role);
	if (!s->initials[0])
		return qes_error_set(err, QES_EPERM,
				     "user %s screens as no reviewer (qes user add ... --initials)", s->name);
	return 0;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *record_json(long long id, const qes_record *r)
{
	json_t *o = json_object(), *authors = json_array();
	for (size_t i = 0; i < r->authors.n; i++)
		json_array_append_new(authors, json_string(r->authors.items[i]));
	json_object_set_new(o, "id", json_integer(id));
	json_object_set_new(o, "title", str_or_null(r->title));
	json_object_set_new(o, "abstract", str_or_null(r->abstract));
	json_object_set_new(o, "authors", authors);
	json_object_set_new(o, "year", r->year ? json_integer(r->year) : json_null());
	json_object_set_new(o, "journal", str_or_null(r->journal));
	json_object_set_new(o, "doi", str_or_null(r->doi));
	return o;
}

static json_t *progress_json(const qes_progress *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "pool", json_integer(p->pool));
	json_object_set_new(o, "screened", json_integer(p->screened));
	json_object_set_new(o, "mine", json_integer(p->mine));
	json_object_set_new(o, "to_do", json_integer(p->to_do));
	return o;
}

static int add_reason(void *ud, const char *reason)
{
	return json_array_append_new(ud, json_string(reason)) ? QES_ENOMEM : 0;
}

int qes__web_api_screen_next(qes_store *st, const qes__web_session *s,
			     const char *stage_s, json_t **out, qes_error *err)
{
	qes_stage stage;
	qes_progress p;
	long long id = 0;
	*out = NULL;
	int rc = may_screen(s, err);
	if (rc || (rc = qes_stage_parse(stage_s ? stage_s : "ta", &stage, err)) ||
	    (rc = qes_screen_next(st, s->initials, stage, 0, &id, err)) ||
	    (rc = qes_screen_progress(st, s->initials, stage, &p, err)))
		return rc;
	json_t *o = json_object();
	json_object_set_new(o, "stage", json_string(qes_stage_name(stage)));
	json_object_set_new(o, "progress", progress_json(&p));
	json_t *reasons = json_array();
	json_object_set_new(o, "reasons", reasons);
	if ((rc = qes_reason_foreach(st, add_reason, reasons, err))) {
		json_decref(o);
		return rc;
	}
	if (!id) {
		json_object_set_new(o, "record", json_null());
		*out = o;
		return 0;
	}
	qes_arena a;
	qes_record rec;
	qes__arena_init(&a, 64 * 1024);
	rc = qes_record_load(st, id, &rec, &a, err);
	if (!rc)
		json_object_set_new(o, "record", record_json(id, &rec));
	qes__arena_free(&a);
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}

int qes__web_api_screen_decide(qes_store *st, const qes__web_session *s,
			       const json_t *body, json_t **out, qes_error *err)
{
	qes_stage stage;
	qes_decision d;
	*out = NULL;
	int rc = may_screen(s, err);
	if (rc)
		return rc;
	json_t *idv = json_object_get(body, "record_id");
	const char *stage_s = json_string_value(json_object_get(body, "stage"));
	const char *dec_s = json_string_value(json_object_get(body, "decision"));
	json_t *reason_v = json_object_get(body, "reason");
	const char *reason = json_string_value(reason_v);
	if (!json_is_integer(idv) || json_integer_value(idv) <= 0 || !stage_s || !dec_s ||
	    (reason_v && !json_is_null(reason_v) && !reason))
		return qes_error_set(err, QES_EINVAL,
				     "expected {record_id: number, stage: text, decision: text, reason?: text}");
	if ((rc = qes_stage_parse(stage_s, &stage, err)) || (rc = qes_decision_parse(dec_s, &d, err)))
		return rc;
	long long id = (long long)json_integer_value(idv);
	qes_decide_opts o = { reason && *reason ? reason : NULL, NULL };
	if ((rc = qes_screen_decide(st, s->initials, stage, id, d, &o, err)))
		return rc;
	json_t *r = json_object();
	json_object_set_new(r, "record_id", json_integer(id));
	json_object_set_new(r, "stage", json_string(qes_stage_name(stage)));
	json_object_set_new(r, "decision", json_string(qes_decision_name(d)));
	*out = r;
	return 0;
}
