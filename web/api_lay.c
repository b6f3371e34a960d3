/* api_lay.c: the lay summary in the web app. The team (owners and
 * reviewers) drafts it: GET /api/lay gives the latest version (or the
 * template), the versions, what is shared, the readability and the
 * advisors' comments; POST /api/lay {text} saves a new version, {share: N}
 * shares version N (0: the latest; -1 stops sharing). Advisors see the
 * shared version only (GET /api/advisor/lay: qes_lay_advisor_json, their
 * own comments) and comment on it (POST /api/advisor/lay {text}): the
 * advisory group's comment record, target "lay:N". */
#include "web.h"

#include <stdlib.h>
#include <string.h>

#include "qes/advisory.h"
#include "qes/lay.h"

#define LAY_COMMENT_MAX 4000   /* bytes: a comment, not a document */

int qes__web_lay(qes__web_call *cx, qes_error *err)
{
	char *text = NULL, *html = NULL;
	long v = 0, shared = 0;
	json_t *versions = NULL, *rd = NULL, *log = NULL;
	int rc = qes_lay_get(cx->st, 0, &text, &v, err);
	if (rc || (rc = qes_lay_shared(cx->st, &shared, err)) ||
	    (rc = qes_lay_markdown_html(text, strlen(text), &html, err)))
		goto out;
	if (!(versions = qes_lay_versions_json(cx->st, err)) ||
	    !(rd = qes_lay_readability_json(text, err)) || !(log = qes_advisory_log_json(cx->st, err))) {
		rc = err->code ? err->code : QES_ENOMEM;
		goto out;
	}
	json_t *comments = json_array(), *c;
	size_t i;
	json_array_foreach(json_object_get(log, "comments"), i, c) {
		const char *on = json_string_value(json_object_get(c, "on"));
		if (on && !strncmp(on, "lay summary v", 13))
			json_array_append(comments, c);
	}
	cx->json = json_pack("{s:i, s:s, s:s, s:i, s:O, s:O, s:o}", "version", (int)v, "text", text,
			     "html", html, "shared", (int)shared, "versions", versions, "readability", rd,
			     "comments", comments);
out:
	free(text);
	free(html);
	json_decref(versions);
	json_decref(rd);
	json_decref(log);
	return rc;
}

int qes__web_lay_post(qes__web_call *cx, qes_error *err)
{
	const char *text = json_string_value(json_object_get(cx->body, "text"));
	json_t *share = json_object_get(cx->body, "share");
	long v = 0;
	int rc;
	if (text)
		rc = qes_lay_save(cx->st, text, cx->session->name, &v, err);
	else if (json_is_integer(share))
		rc = qes_lay_share(cx->st, (long)json_integer_value(share), cx->session->name, err);
	else
		return qes_error_set(err, QES_EINVAL, "send {text} to save a version or {share: N}");
	if (!rc && !text)
		rc = qes_lay_shared(cx->st, &v, err);
	if (!rc)
		cx->json = json_pack(text ? "{s:i}" : "{s:i}", text ? "version" : "shared", (int)v);
	return rc;
}

/* POST /api/lay/readability {text}: the measures of a text as it is
 * written, without saving it. */
int qes__web_lay_readability(qes__web_call *cx, qes_error *err)
{
	const char *text = json_string_value(json_object_get(cx->body, "text"));
	if (!text)
		return qes_error_set(err, QES_EINVAL, "send {text}");
	return (cx->json = qes_lay_readability_json(text, err)) ? 0 : err->code;
}

/* The advisor name of the session's account (NULL for the team). */
static int advisor_of(qes__web_call *cx, json_t *log, const char **name, qes_error *err)
{
	size_t i;
	json_t *a;
	*name = NULL;
	if (strcmp(cx->session->role, "advisor"))
		return 0;
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

int qes__web_advisor_lay(qes__web_call *cx, qes_error *err)
{
	json_t *log = qes_advisory_log_json(cx->st, err), *v = NULL;
	const char *me = NULL;
	int rc = log ? advisor_of(cx, log, &me, err) : err->code;
	if (!rc && !(v = qes_lay_advisor_json(cx->st, err)))
		rc = err->code;
	if (!rc && me) {
		/* An advisor sees their own comments and the team's responses. */
		json_t *mine = json_array(), *c;
		size_t i;
		json_array_foreach(json_object_get(v, "comments"), i, c)
			if (!strcmp(json_string_value(json_object_get(c, "by")), me))
				json_array_append(mine, c);
		json_object_set_new(v, "comments", mine);
	}
	if (!rc) {
		cx->json = v;
		v = NULL;
	}
	json_decref(v);
	json_decref(log);
	return rc;
}

int qes__web_advisor_lay_comment(qes__web_call *cx, qes_error *err)
{
	const char *text = json_string_value(json_object_get(cx->body, "text"));
	if (!text || !*text || strlen(text) > LAY_COMMENT_MAX)
		return qes_error_set(err, QES_EINVAL, "a comment is text of 1 to %d bytes",
				     LAY_COMMENT_MAX);
	json_t *log = qes_advisory_log_json(cx->st, err);
	const char *me = NULL;
	long long id = 0;
	int rc = log ? advisor_of(cx, log, &me, err) : err->code;
	if (!rc && !me)
		rc = qes_error_set(err, QES_EPERM, "only advisors comment here");
	if (!rc)
		rc = qes_comment_add(cx->st, me, 0, "lay:shared", text, cx->session->name, &id, err);
	if (!rc)
		cx->json = json_pack("{s:I, s:s}", "comment", (json_int_t)id, "status", "pending");
	json_decref(log);
	return rc;
}
