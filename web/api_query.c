/* api_query.c: the synthesis queries through the web. Each answer is the
 * library's JSON (qes/theme.h), the same as `qes query ... --json`; a
 * ?format=csv asks for the CSV instead, as a download. */
#include "api_query.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qes/limits.h"
#include "qes/theme.h"

static const char *viewer(const qes__web_call *cx)
{
	return cx->session->name;
}

/* An optional query argument: NULL when absent or empty. */
static const char *arg(const qes__web_call *cx, const char *name)
{
	const char *v = qes__web_arg(cx, name);
	return v && *v ? v : NULL;
}

/* A number argument from 0 to max; def when absent. */
static int arg_num(const qes__web_call *cx, const char *name, long def, long max, long *out,
		   qes_error *err)
{
	const char *v = arg(cx, name);
	char *end;
	*out = def;
	if (!v)
		return 0;
	errno = 0;
	*out = strtol(v, &end, 10);
	if (*end || errno || *out < 0 || *out > max)
		return qes_error_set(err, QES_EINVAL, "%s is a number from 0 to %ld", name, max);
	return 0;
}

/* The result as JSON, or as a CSV download (?format=csv) named after the
 * query. Takes the result's reference. */
static int answer(qes__web_call *cx, const char *query, json_t *v, qes_error *err)
{
	if (!v)
		return err->code ? err->code : qes_error_set(err, QES_ENOMEM, "out of memory");
	const char *fmt = arg(cx, "format");
	if (!fmt || strcmp(fmt, "csv")) {
		cx->json = v;
		return 0;
	}
	json_t *g = qes_query_grid(query, v, err);
	json_decref(v);
	int rc = g ? qes_grid_csv(g, &cx->bytes, err) : err->code;
	json_decref(g);
	if (!rc) {
		cx->len = strlen(cx->bytes);
		cx->mime = "text/csv; charset=utf-8";
		snprintf(cx->filename, sizeof(cx->filename), "%s.csv", query);
	}
	return rc;
}

int qes__web_query_search(qes__web_call *cx, qes_error *err)
{
	const char *q = arg(cx, "q");
	long context, limit;
	int rc;
	if (!q)
		return qes_error_set(err, QES_EINVAL, "expected ?q=TEXT");
	if ((rc = arg_num(cx, "context", 40, 1000, &context, err)) ||
	    (rc = arg_num(cx, "limit", 500, 100000, &limit, err)))
		return rc;
	return answer(cx, "search", qes_query_search_json(cx->st, q, arg(cx, "source"), context,
							  limit, err), err);
}

int qes__web_query_cooccur(qes__web_call *cx, qes_error *err)
{
	return answer(cx, "cooccur", qes_query_cooccur_json(cx->st, arg(cx, "coder"), viewer(cx),
							    err), err);
}

int qes__web_query_matrix(qes__web_call *cx, qes_error *err)
{
	return answer(cx, "matrix", qes_query_matrix_json(cx->st, arg(cx, "attribute"), viewer(cx),
							  err), err);
}

int qes__web_query_framework(qes__web_call *cx, qes_error *err)
{
	return answer(cx, "framework", qes_query_framework_json(cx->st, arg(cx, "by"),
								 arg(cx, "level"), viewer(cx), err), err);
}

static const char *text_of(const json_t *body, const char *key, size_t max)
{
	json_t *v = json_object_get(body, key);
	return json_is_string(v) && json_string_length(v) <= max ? json_string_value(v) : NULL;
}

/* {theme, by: "study"|"case", row, text}; text "" clears the summary. */
int qes__web_query_summary(qes__web_call *cx, qes_error *err)
{
	const char *theme = text_of(cx->body, "theme", 1024), *by = text_of(cx->body, "by", 8);
	const char *row = text_of(cx->body, "row", 1024);
	const char *text = text_of(cx->body, "text", QES_MAX_FIELD);
	if (!theme || !by || !row || !text)
		return qes_error_set(err, QES_EINVAL, "expected {theme, by, row, text} (text at most"
				     " %u bytes)", (unsigned)QES_MAX_FIELD);
	int rc = qes_theme_summary_set(cx->st, by, row, theme, text, err);
	if (!rc)
		cx->json = json_pack("{s:b}", "ok", 1);
	return rc;
}
