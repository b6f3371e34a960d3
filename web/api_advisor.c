/* api_advisor.c: what a lived-experience advisor sees and says. The view is
 * the library's qes_advisory_view_json and nothing else: only what the team
 * shared, never a held-back quote, no coder or source names, no record.
 * An advisor comments on a shared theme or finding, or in general, and sees
 * their own comments with the team's response. The team may open the view
 * too, to check what advisors will see before a workshop. */
#include "web.h"

#include <string.h>

#include "qes/advisory.h"

#define COMMENT_MAX 4000   /* bytes: a comment, not a document */

/* The view as the asking user may see it: a team member as the coder of
 * their name, an advisor as nobody's coder, so that the double-coding
 * blinding of /api/code/source holds here too. */
static const char *viewer(const qes__web_call *cx)
{
	return strcmp(cx->session->role, "advisor") ? cx->session->name : "";
}

int qes__web_advisor_view(qes__web_call *cx, qes_error *err)
{
	return (cx->json = qes_advisory_view_as_json(cx->st, viewer(cx), err)) ? 0 : err->code;
}

/* The advisor name of the session's account, from the LEAG log's list. */
static int advisor_name(qes__web_call *cx, json_t *log, const char **name, qes_error *err)
{
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(log, "advisors"), i, a) {
		const char *u = json_string_value(json_object_get(a, "web_user"));
		if (u && !strcmp(u, cx->session->name)) {
			*name = json_string_value(json_object_get(a, "advisor"));
			return 0;
		}
	}
	return qes_error_set(err, QES_EPERM, "account %s is no advisor's (qes advisory advisor"
			     " REVIEW NAME --user %s)", cx->session->name, cx->session->name);
}

/* An advisor may comment only on what is shown to them. */
static int shown(json_t *view, const char *on)
{
	const char *key = !strncmp(on, "theme:", 6) ? "themes" : !strncmp(on, "finding:", 8) ? "findings" : NULL;
	if (!key)
		return 0;
	const char *name = strchr(on, ':') + 1, *field = key[0] == 't' ? "theme" : "finding";
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(view, key), i, v)
		if (!strcmp(json_string_value(json_object_get(v, field)), name))
			return 1;
	return 0;
}

/* GET /api/advisor/comments: this advisor's comments and the responses
 * (status and what changed; not which items, which may not be shared). */
int qes__web_advisor_comments(qes__web_call *cx, qes_error *err)
{
	json_t *log = qes_advisory_log_json(cx->st, err);
	if (!log)
		return err->code;
	const char *me = NULL;
	int rc = advisor_name(cx, log, &me, err);
	if (!rc) {
		json_t *mine = json_array(), *c;
		size_t i;
		json_array_foreach(json_object_get(log, "comments"), i, c) {
			if (strcmp(json_string_value(json_object_get(c, "by")), me))
				continue;
			json_array_append_new(mine, json_pack("{sO sO sO sO sO sO}",
				"comment", json_object_get(c, "comment"), "date", json_object_get(c, "date"),
				"on", json_object_get(c, "on"), "text", json_object_get(c, "text"),
				"status", json_object_get(c, "status"), "change", json_object_get(c, "change")));
		}
		cx->json = json_pack("{ss so}", "advisor", me, "comments", mine);
	}
	json_decref(log);
	return rc;
}

/* POST /api/advisor/comments {text, on?}: on is "theme:NAME" or
 * "finding:KEY", shared with advisors; without it, a general comment. */
int qes__web_advisor_comment_add(qes__web_call *cx, qes_error *err)
{
	const char *text = json_string_value(json_object_get(cx->body, "text"));
	const char *on = json_string_value(json_object_get(cx->body, "on"));
	if (!text || !*text || strlen(text) > COMMENT_MAX)
		return qes_error_set(err, QES_EINVAL, "a comment is text of 1 to %d bytes", COMMENT_MAX);
	if (on && !*on)
		on = NULL;
	json_t *log = qes_advisory_log_json(cx->st, err), *v = NULL;
	if (!log)
		return err->code;
	const char *me = NULL;
	long long id = 0;
	int rc = advisor_name(cx, log, &me, err);
	if (!rc && on) {
		if (!(v = qes_advisory_view_as_json(cx->st, viewer(cx), err)))
			rc = err->code;
		else if (!shown(v, on))
			/* The same answer whether the item exists or is only not
			 * shared: an advisor learns nothing from the refusal. */
			rc = qes_error_set(err, QES_ENOTFOUND, "nothing shared is called '%s'", on);
	}
	if (!rc)
		rc = qes_comment_add(cx->st, me, 0, on, text, cx->session->name, &id, err);
	if (!rc)
		cx->json = json_pack("{sI ss* ss}", "comment", (json_int_t)id, "on", on, "status", "pending");
	json_decref(v);
	json_decref(log);
	return rc;
}
