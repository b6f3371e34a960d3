/* routes.c: the table of every /api/ route, and how a URL finds its row.
 * Adding a route is adding a row here and a handler in a web/api_*.c file;
 * the server (server.c) does sessions, CSRF, roles and bodies for all. */
#include "web.h"
#include "api_code.h"
#include "api_query.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qes/limits.h"

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
					qes__web_arg(cx, "after"), qes__web_arg(cx, "order"),
					&cx->json, err);
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

static int keyword_remove(qes__web_call *cx, qes_error *err)
{
	return qes__web_api_keyword_remove(cx->st, cx->session, cx->body, &cx->json, err);
}

static int password_set(qes__web_call *cx, qes_error *err)
{
	int rc = qes__web_api_password(cx->st, cx->session, cx->body, &cx->json, err);
	if (rc == QES_ELIMIT)
		cx->status = 429;   /* too many wrong current passwords: wait */
	return rc;
}

static int screen_decide(qes__web_call *cx, qes_error *err)
{
	return qes__web_api_screen_decide(cx->st, cx->session, cx->body, &cx->json, err);
}

/* /api/login, /api/logout and /api/session are the server's own (they
 * touch cookies); everything else is here. */
const qes__web_route qes__web_routes[] = {
	/* Advisors see what the team shares with them and nothing else, not
	 * even the review's counts. */
	{ "GET", "/api/status", QES__WEB_TEAM, status_get },
	{ "GET", "/api/prisma", QES__WEB_TEAM, prisma_get },
	{ "GET", "/api/screen/next", QES__WEB_TEAM, screen_next },
	{ "POST", "/api/screen/decide", QES__WEB_TEAM, screen_decide },
	{ "GET", "/api/code/sources", QES__WEB_TEAM, qes__web_code_sources },
	{ "GET", "/api/code/source", QES__WEB_TEAM, qes__web_code_source },
	{ "GET", "/api/code/codes", QES__WEB_TEAM, qes__web_code_codes },
	{ "POST", "/api/code/codes", QES__WEB_TEAM, qes__web_code_code_add },
	{ "POST", "/api/code/span", QES__WEB_TEAM, qes__web_code_span },
	{ "POST", "/api/code/coding/update", QES__WEB_TEAM, qes__web_code_update },
	{ "POST", "/api/code/coding/delete", QES__WEB_TEAM, qes__web_code_delete },
	{ "POST", "/api/code/note", QES__WEB_TEAM, qes__web_code_note },
	{ "POST", "/api/code/done", QES__WEB_TEAM, qes__web_code_done },
	{ "GET", "/api/themes", QES__WEB_TEAM, qes__web_themes },
	{ "GET", "/api/themes/trace", QES__WEB_TEAM, qes__web_theme_trace },
	{ "POST", "/api/themes/change", QES__WEB_TEAM, qes__web_theme_change },
	{ "GET", "/api/synthesis/tables", QES__WEB_TEAM, qes__web_synthesis_tables },
	{ "GET", "/api/query/search", QES__WEB_TEAM, qes__web_query_search },
	{ "GET", "/api/query/cooccur", QES__WEB_TEAM, qes__web_query_cooccur },
	{ "GET", "/api/query/matrix", QES__WEB_TEAM, qes__web_query_matrix },
	{ "GET", "/api/query/framework", QES__WEB_TEAM, qes__web_query_framework },
	{ "POST", "/api/query/summary", QES__WEB_TEAM, qes__web_query_summary },
	{ "GET", "/api/advisor/view", QES__WEB_ANYONE, qes__web_advisor_view },
	{ "GET", "/api/advisor/comments", QES__WEB_ADVISOR, qes__web_advisor_comments },
	{ "POST", "/api/advisor/comments", QES__WEB_ADVISOR, qes__web_advisor_comment_add },
	/* The review team's pages (api_review*.c); advisors get 403 on all. */
	{ "GET", "/api/review/conflicts", QES__WEB_TEAM, qes__web_review_conflicts },
	{ "POST", "/api/review/conflicts/resolve", QES__WEB_TEAM, qes__web_review_resolve },
	{ "GET", "/api/review/dedup", QES__WEB_TEAM, qes__web_review_dedup },
	{ "POST", "/api/review/dedup/decide", QES__WEB_TEAM, qes__web_review_dedup_decide },
	{ "GET", "/api/review/fulltext", QES__WEB_TEAM, qes__web_review_fulltext },
	{ "GET", "/api/review/fulltext/text", QES__WEB_TEAM, qes__web_review_ft_text },
	{ "GET", "/api/review/fulltext/pdf", QES__WEB_TEAM, qes__web_review_ft_pdf },
	{ "POST", "/api/review/fulltext/pdf", QES__WEB_TEAM, qes__web_review_ft_upload },
	{ "POST", "/api/review/fulltext/decide", QES__WEB_TEAM, qes__web_review_ft_decide },
	{ "GET", "/api/review/studies", QES__WEB_TEAM, qes__web_review_studies },
	{ "GET", "/api/review/study", QES__WEB_TEAM, qes__web_review_study },
	{ "POST", "/api/review/extract", QES__WEB_TEAM, qes__web_review_extract },
	{ "POST", "/api/review/appraise", QES__WEB_TEAM, qes__web_review_appraise },
	{ "GET", "/api/review/appraise/compare", QES__WEB_OWNER, qes__web_review_compare },
	{ "GET", "/api/review/prisma.svg", QES__WEB_TEAM, qes__web_review_prisma_svg },
	{ "GET", "/api/review/report", QES__WEB_TEAM, qes__web_review_report },
	{ "GET", "/api/screen/progress", QES__WEB_TEAM, screen_progress },
	{ "POST", "/api/screen/undo", QES__WEB_TEAM, screen_undo },
	{ "GET", "/api/screen/keywords", QES__WEB_TEAM, keywords_get },
	{ "POST", "/api/screen/keywords", QES__WEB_TEAM, keyword_add },
	{ "POST", "/api/screen/keywords/remove", QES__WEB_TEAM, keyword_remove },
	{ "POST", "/api/account/password", QES__WEB_ANYONE, password_set },
	{ NULL, NULL, 0, NULL }
};

/* Bodies that are not JSON objects (see lib/web.h). */
static const qes__web_body_rule body_rules[] = {
	{ "POST", "/api/review/fulltext/pdf", "application/pdf", QES_MAX_PDF_BYTES },
	{ NULL, NULL, NULL, 0 }
};

const qes__web_body_rule *qes__web_body_rule_find(const char *method, const char *url)
{
	for (const qes__web_body_rule *b = body_rules; b->method; b++)
		if (!strcmp(b->method, method) && !strcmp(b->path, url))
			return b;
	return NULL;
}

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

long long qes__web_arg_id(const qes__web_call *cx, const char *name)
{
	const char *s = qes__web_arg(cx, name);
	if (!s || !*s)
		return 0;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	return *end || errno || v <= 0 ? 0 : v;
}
