/* routes.c: the table of every /api/ route, and how a URL finds its row.
 * Adding a route is adding a row here and a handler in a web/api_*.c file;
 * the server (server.c) does sessions, CSRF, roles and bodies for all. */
#include "web.h"

#include <string.h>

/* Adapters from the call to the handlers written before the table. */
static int status_get(qes__web_call *cx, qes_error *err)
{
	return qes__web_api_status(cx->st, &cx->json, err);
}

static int prisma_get(qes__web_call *cx, qes_error *err)
{
	return qes__web_api_prisma(cx->st, &cx->json, err);
}

static int screen_next(qes__web_call *cx, qes_error *err)
{
	return qes__web_api_screen_next(cx->st, cx->session, qes__web_arg(cx, "stage"),
					qes__web_arg(cx, "after"), &cx->json, err);
}

static int screen_progress(qes__web_call *cx, qes_error *err)
{
	return qes__web_api_screen_progress(cx->st, cx->session, qes__web_arg(cx, "stage"),
					    &cx->json, err);
}

static int screen_undo(qes__web_call *cx, qes_error *err)
{
	return qes__web_api_screen_undo(cx->st, cx->session, cx->body, &cx->json, err);
}

static int keywords_get(qes__web_call *cx, qes_error *err)
{
	return qes__web_api_keywords(cx->st, &cx->json, err);
}

static int keyword_add(qes__web_call *cx, qes_error *err)
{
	return qes__web_api_keyword_add(cx->st, cx->session, cx->body, &cx->json, err);
}

static int password_set(qes__web_call *cx, qes_error *err)
{
	return qes__web_api_password(cx->st, cx->session, cx->body, &cx->json, err);
}

static int screen_decide(qes__web_call *cx, qes_error *err)
{
	return qes__web_api_screen_decide(cx->st, cx->session, cx->body, &cx->json, err);
}

/* /api/login, /api/logout and /api/session are the server's own (they
 * touch cookies); everything else is here. */
const qes__web_route qes__web_routes[] = {
	{ "GET", "/api/status", QES__WEB_ANYONE, status_get },
	{ "GET", "/api/prisma", QES__WEB_ANYONE, prisma_get },
	{ "GET", "/api/screen/next", QES__WEB_TEAM, screen_next },
	{ "POST", "/api/screen/decide", QES__WEB_TEAM, screen_decide },
	{ "GET", "/api/screen/progress", QES__WEB_TEAM, screen_progress },
	{ "POST", "/api/screen/undo", QES__WEB_TEAM, screen_undo },
	{ "GET", "/api/screen/keywords", QES__WEB_TEAM, keywords_get },
	{ "POST", "/api/screen/keywords", QES__WEB_TEAM, keyword_add },
	{ "POST", "/api/account/password", QES__WEB_ANYONE, password_set },
	{ NULL, NULL, 0, NULL }
};

static int path_matches(const char *pattern, const char *url, const char **tail)
{
	size_t n = strlen(pattern);
	if (n && pattern[n - 1] == '*') {
		if (strncmp(pattern, url, n - 1))
			return 0;
		*tail = url + n - 1;
		return 1;
	}
	if (strcmp(pattern, url))
		return 0;
	*tail = url + n;
	return 1;
}

const qes__web_route *qes__web_route_find(const char *method, const char *url,
					  int *path_known, const char **tail)
{
	*path_known = 0;
	for (const qes__web_route *r = qes__web_routes; r->method; r++) {
		const char *t;
		if (!path_matches(r->path, url, &t))
			continue;
		*path_known = 1;
		if (!strcmp(r->method, method) || (!strcmp(method, "HEAD") && !strcmp(r->method, "GET"))) {
			*tail = t;
			return r;
		}
	}
	return NULL;
}

unsigned qes__web_role_bit(const char *role)
{
	if (!strcmp(role, "owner"))
		return QES__WEB_OWNER;
	if (!strcmp(role, "reviewer"))
		return QES__WEB_REVIEWER;
	if (!strcmp(role, "advisor"))
		return QES__WEB_ADVISOR;
	return 0;
}

const char *qes__web_arg(const qes__web_call *cx, const char *name)
{
	return cx->arg_fn ? cx->arg_fn(cx->arg_ctx, name) : NULL;
}
