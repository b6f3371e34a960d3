/* api_code.c: coding through the web (select a span, code it, see the
 * codings as highlights). A web user codes as the coder named like their
 * account, so the coding library's blinding holds per user: every read
 * passes the user as the viewer and the library leaves out, on a sampled
 * source not yet marked done by two coders, everyone else's codings and
 * their notes. Only a coding's own coder or an owner may change or delete
 * it (the library checks). Roles are checked by the route table. */
#include "api_code.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qes/code.h"
#include "qes/limits.h"

static const char *coder(const qes__web_call *cx)
{
	return cx->session->name;
}

static int is_owner(const qes__web_call *cx)
{
	return !strcmp(cx->session->role, "owner");
}

/* A positive integer member of the body; 0 when missing or not one. */
static long long body_id(const json_t *body, const char *key)
{
	json_t *v = json_object_get(body, key);
	return json_is_integer(v) && json_integer_value(v) > 0 ? (long long)json_integer_value(v) : 0;
}

/* An optional text member: *out NULL when absent or null; QES_EINVAL when
 * present as something else or longer than max bytes. */
static int body_text(const json_t *body, const char *key, size_t max, const char **out,
		     qes_error *err)
{
	json_t *v = json_object_get(body, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || json_string_length(v) > max)
		return qes_error_set(err, QES_EINVAL, "%s must be text (at most %zu bytes)", key, max);
	*out = json_string_value(v);
	return 0;
}

/* A library answer, or its error. */
static int answer(qes__web_call *cx, json_t *v, qes_error *err)
{
	if (!v)
		return err->code ? err->code : qes_error_set(err, QES_ENOMEM, "out of memory");
	cx->json = v;
	return 0;
}

int qes__web_code_sources(qes__web_call *cx, qes_error *err)
{
	return answer(cx, qes_code_sources_json(cx->st, coder(cx), err), err);
}

/* "#ID" for the library's lookups by id. */
static void source_ref(long long id, char out[32])
{
	snprintf(out, 32, "#%lld", id);
}

int qes__web_code_source(qes__web_call *cx, qes_error *err)
{
	long long id = qes__web_arg_id(cx, "id");
	if (!id)
		return qes_error_set(err, QES_EINVAL, "expected ?id=SOURCE_ID");
	char ref[32];
	source_ref(id, ref);
	json_t *src = qes_code_source_json(cx->st, ref, coder(cx), err);
	if (!src)
		return err->code;
	qes_code_filter f = { json_string_value(json_object_get(src, "name")), NULL, coder(cx) };
	json_t *codings = qes_code_list_json(cx->st, &f, err);
	json_t *notes = codings ? qes_code_notes_json(cx->st, ref, coder(cx), err) : NULL;
	if (!codings || !notes) {
		json_decref(src);
		json_decref(codings);
		return err->code ? err->code : qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	return answer(cx, json_pack("{s:o,s:o,s:o}", "source", src, "codings", codings,
				    "notes", notes), err);
}

int qes__web_code_codes(qes__web_call *cx, qes_error *err)
{
	return answer(cx, qes_code_tree_json(cx->st, coder(cx), err), err);
}

int qes__web_code_code_add(qes__web_call *cx, qes_error *err)
{
	const char *path, *colour, *memo;
	long long id = 0;
	int rc;
	if ((rc = body_text(cx->body, "path", 1024, &path, err)) ||
	    (rc = body_text(cx->body, "colour", 7, &colour, err)) ||
	    (rc = body_text(cx->body, "memo", QES_MAX_FIELD, &memo, err)))
		return rc;
	if (!path)
		return qes_error_set(err, QES_EINVAL, "expected {path, colour?, memo?}");
	if (colour && !*colour)
		colour = NULL;
	if (memo && !*memo)
		memo = NULL;
	if ((rc = qes_code_add(cx->st, path, colour, memo, &id, err)))
		return rc;
	cx->status = 201;
	return answer(cx, json_pack("{s:I,s:s}", "id", (json_int_t)id, "path", path), err);
}

/* kind ("", "quote", "interpretation") and illustrative as QES_CODING_*. */
static int parse_flags(const json_t *body, int *flags, qes_error *err)
{
	const char *kind;
	int rc = body_text(body, "kind", 32, &kind, err);
	if (rc)
		return rc;
	*flags = 0;
	if (kind && !strcmp(kind, "quote"))
		*flags |= QES_CODING_QUOTE;
	else if (kind && !strcmp(kind, "interpretation"))
		*flags |= QES_CODING_INTERPRETATION;
	else if (kind && *kind)
		return qes_error_set(err, QES_EINVAL, "kind is quote, interpretation or \"\"");
	json_t *ill = json_object_get(body, "illustrative");
	if (ill && !json_is_boolean(ill))
		return qes_error_set(err, QES_EINVAL, "illustrative is true or false");
	if (json_is_true(ill))
		*flags |= QES_CODING_ILLUSTRATIVE;
	return 0;
}

int qes__web_code_span(qes__web_call *cx, qes_error *err)
{
	const json_t *b = cx->body;
	long long sid = body_id(b, "source_id");
	json_t *start = json_object_get(b, "start"), *end = json_object_get(b, "end");
	const char *code, *memo;
	int flags, rc;
	if ((rc = body_text(b, "code", 1024, &code, err)) ||
	    (rc = body_text(b, "memo", QES_MAX_FIELD, &memo, err)) ||
	    (rc = parse_flags(b, &flags, err)))
		return rc;
	if (!sid || !code || !json_is_integer(start) || !json_is_integer(end))
		return qes_error_set(err, QES_EINVAL, "expected {source_id, start, end (code points),"
				     " code, kind?, illustrative?, memo?}");
	json_int_t s0 = json_integer_value(start), s1 = json_integer_value(end);
	if (s0 < 0 || s1 > QES_MAX_SOURCE_BYTES)
		return qes_error_set(err, QES_EINVAL, "span %lld-%lld is out of range",
				     (long long)s0, (long long)s1);
	char ref[32];
	long long id = 0;
	source_ref(sid, ref);
	if ((rc = qes_code_span(cx->st, coder(cx), ref, (long)s0, (long)s1, code, flags,
				memo && *memo ? memo : NULL, &id, err)))
		return rc;
	cx->status = 201;
	return answer(cx, qes_code_coding_json(cx->st, id, coder(cx), err), err);
}

int qes__web_code_update(qes__web_call *cx, qes_error *err)
{
	long long id = body_id(cx->body, "id");
	qes_code_change c = { NULL, NULL, -1 };
	json_t *ill = json_object_get(cx->body, "illustrative");
	int rc;
	if ((rc = body_text(cx->body, "code", 1024, &c.code, err)) ||
	    (rc = body_text(cx->body, "kind", 32, &c.kind, err)))
		return rc;
	if (!id || (ill && !json_is_boolean(ill)))
		return qes_error_set(err, QES_EINVAL, "expected {id, code?, kind?, illustrative?: bool}");
	if (ill)
		c.illustrative = json_is_true(ill);
	if ((rc = qes_code_coding_update(cx->st, id, coder(cx), is_owner(cx), &c, err)))
		return rc;
	/* An owner may change a coding the blinding hides from them: the
	 * answer then says only which one changed. */
	json_t *v = qes_code_coding_json(cx->st, id, coder(cx), err);
	if (!v && err->code == QES_ENOTFOUND) {
		qes_error_clear(err);
		v = json_pack("{s:I}", "id", (json_int_t)id);
	}
	return answer(cx, v, err);
}

int qes__web_code_delete(qes__web_call *cx, qes_error *err)
{
	long long id = body_id(cx->body, "id");
	if (!id)
		return qes_error_set(err, QES_EINVAL, "expected {id}");
	int rc = qes_code_coding_delete(cx->st, id, coder(cx), is_owner(cx), err);
	if (rc)
		return rc;
	return answer(cx, json_pack("{s:I,s:b}", "id", (json_int_t)id, "deleted", 1), err);
}

/* A note on a coding the user cannot see would tell them it exists. */
static int note_target(qes__web_call *cx, const char *type, long long tid, char ref[64],
		       qes_error *err)
{
	if (!strcmp(type, "coding")) {
		json_t *c = qes_code_coding_json(cx->st, tid, coder(cx), err);
		if (!c)
			return err->code;
		snprintf(ref, 64, "%s", json_string_value(json_object_get(c, "guid")));
		json_decref(c);
		return 0;
	}
	if (strcmp(type, "source") && strcmp(type, "code"))
		return qes_error_set(err, QES_EINVAL, "target_type is source, code or coding");
	snprintf(ref, 64, "#%lld", tid);
	return 0;
}

int qes__web_code_note(qes__web_call *cx, qes_error *err)
{
	const char *type, *text;
	long long tid = body_id(cx->body, "target_id");
	char ref[64];
	int rc;
	if ((rc = body_text(cx->body, "target_type", 16, &type, err)) ||
	    (rc = body_text(cx->body, "text", QES_MAX_FIELD, &text, err)))
		return rc;
	if (!type || !tid || !text || !*text)
		return qes_error_set(err, QES_EINVAL, "expected {target_type, target_id, text}");
	if ((rc = note_target(cx, type, tid, ref, err)) ||
	    (rc = qes_code_note_add(cx->st, type, ref, coder(cx), text, err)))
		return rc;
	cx->status = 201;
	return answer(cx, json_pack("{s:s,s:I}", "target_type", type, "target_id", (json_int_t)tid),
		      err);
}

int qes__web_code_done(qes__web_call *cx, qes_error *err)
{
	long long sid = body_id(cx->body, "source_id");
	if (!sid)
		return qes_error_set(err, QES_EINVAL, "expected {source_id}");
	char ref[32];
	source_ref(sid, ref);
	int rc = qes_code_done(cx->st, coder(cx), ref, err);
	if (rc)
		return rc;
	json_t *src = qes_code_source_json(cx->st, ref, coder(cx), err);
	if (src)
		json_object_del(src, "text");
	return answer(cx, src, err);
}
