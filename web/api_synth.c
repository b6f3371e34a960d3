/* api_synth.c: the synthesis in the browser. The themes board groups codes
 * into descriptive themes and those into analytical themes and subthemes
 * (the theme library does every change, one transaction each); the tables
 * page shows what the report will: the themes table, the theme-by-
 * perspective matrix, the framework matrix, the Summary of Qualitative
 * Findings, the CERQual evidence profile, the advisory group's log and the
 * ENTREQ checklist. Every view is the asking user's as a coder, so the
 * double-coding blinding holds here as in qes code list --as. Advisors get
 * 403 from the route table. */
#include "web.h"

#include <stdlib.h>
#include <string.h>

#include "qes/advisory.h"
#include "qes/cerqual.h"
#include "qes/code.h"
#include "qes/theme.h"

static const char *viewer(const qes__web_call *cx)
{
	return cx->session->name;
}

/* A JSON array of strings from the body, as a NULL-terminated vector whose
 * strings stay owned by the body. */
static int body_list(const json_t *body, const char *key, char ***out, int *n, qes_error *err)
{
	json_t *a = json_object_get(body, key), *v;
	size_t i;
	*out = NULL;
	*n = 0;
	if (!json_is_array(a) || !json_array_size(a) || json_array_size(a) > 10000)
		return qes_error_set(err, QES_EINVAL, "%s: a list of 1 to 10000 names", key);
	if (!(*out = calloc(json_array_size(a) + 1, sizeof(char *))))
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	json_array_foreach(a, i, v) {
		if (!json_is_string(v)) {
			free(*out);
			*out = NULL;
			return qes_error_set(err, QES_EINVAL, "%s: every name is a string", key);
		}
		(*out)[i] = (char *)json_string_value(v);
	}
	*n = (int)json_array_size(a);
	return 0;
}

static int need(const char *v, const char *what, qes_error *err)
{
	return v && *v ? 0 : qes_error_set(err, QES_EINVAL, "%s is needed", what);
}

/* GET /api/themes: {themes: qes_theme_list_json, codes: qes_code_tree_json}. */
int qes__web_themes(qes__web_call *cx, qes_error *err)
{
	json_t *t = qes_theme_list_json(cx->st, viewer(cx), err), *c = NULL;
	if (!t || !(c = qes_code_tree_json(cx->st, viewer(cx), err))) {
		json_decref(t);
		return err->code;
	}
	cx->json = json_pack("{so so}", "themes", t, "codes", c);
	return 0;
}

/* GET /api/themes/trace?theme=NAME: what the theme rests on. */
int qes__web_theme_trace(qes__web_call *cx, qes_error *err)
{
	const char *theme = qes__web_arg(cx, "theme");
	int rc = need(theme, "?theme=", err);
	if (rc)
		return rc;
	return (cx->json = qes_theme_trace_json(cx->st, theme, viewer(cx), err)) ? 0 : err->code;
}

/* POST /api/themes/change {action, ...}: one change to the board.
 *   add {name, level, parent?, description?} | codes {theme, codes[], remove?}
 *   group {parent, children[], remove?} | rename {theme, name}
 *   describe {theme, text} | move {theme, parent} | remove {theme} */
int qes__web_theme_change(qes__web_call *cx, qes_error *err)
{
	const json_t *b = cx->body;
	const char *action, *theme, *name, *level, *parent, *text;
	int rc;
	if ((rc = qes__web_body_text(b, "action", &action, err)) ||
	    (rc = qes__web_body_text(b, "theme", &theme, err)) ||
	    (rc = qes__web_body_text(b, "name", &name, err)) ||
	    (rc = qes__web_body_text(b, "level", &level, err)) ||
	    (rc = qes__web_body_text(b, "parent", &parent, err)) ||
	    (rc = qes__web_body_text(b, "text", &text, err)) || (rc = need(action, "action", err)))
		return rc;
	int remove = json_is_true(json_object_get(b, "remove"));
	char **list = NULL;
	int n = 0;
	long long id = 0;
	if (!strcmp(action, "add")) {
		if (!(rc = need(name, "name", err)))
			rc = qes_theme_add(cx->st, name, parent && *parent ? NULL : level,
					   parent && *parent ? parent : NULL, text, &id, err);
	} else if (!strcmp(action, "codes")) {
		if (!(rc = need(theme, "theme", err)) && !(rc = body_list(b, "codes", &list, &n, err)))
			rc = qes_theme_codes(cx->st, theme, list, n, remove, err);
	} else if (!strcmp(action, "group")) {
		if (!(rc = need(parent, "parent", err)) && !(rc = body_list(b, "children", &list, &n, err)))
			rc = qes_theme_group(cx->st, parent, list, n, remove, err);
	} else if (!strcmp(action, "rename")) {
		if (!(rc = need(theme, "theme", err)) && !(rc = need(name, "name", err)))
			rc = qes_theme_rename(cx->st, theme, name, err);
	} else if (!strcmp(action, "describe")) {
		if (!(rc = need(theme, "theme", err)))
			rc = qes_theme_describe(cx->st, theme, text ? text : "", err);
	} else if (!strcmp(action, "move")) {
		if (!(rc = need(theme, "theme", err)) && !(rc = need(parent, "parent", err)))
			rc = qes_theme_move(cx->st, theme, parent, err);
	} else if (!strcmp(action, "remove")) {
		if (!(rc = need(theme, "theme", err)))
			rc = qes_theme_remove(cx->st, theme, err);
	} else {
		rc = qes_error_set(err, QES_EINVAL, "action '%s' is not add, codes, group, rename,"
				   " describe, move or remove", action);
	}
	free(list);
	if (!rc)
		cx->json = id ? json_pack("{ss sI}", "action", action, "id", (json_int_t)id)
			      : json_pack("{ss}", "action", action);
	return rc;
}

static int grid_html(const char *query, json_t *result, char **html, qes_error *err)
{
	json_t *g = result ? qes_query_grid(query, result, err) : NULL;
	int rc = g ? qes_grid_html(g, query, html, err) : err->code ? err->code : QES_ENOMEM;
	json_decref(g);
	json_decref(result);
	return rc;
}

/* GET /api/synthesis/tables: the report's synthesis tables as escaped HTML
 * fragments (the library's own), each computed now. */
int qes__web_synthesis_tables(qes__web_call *cx, qes_error *err)
{
	static const char *const keys[] = { "themes", "matrix", "framework", "soqf", "profile",
					    "leag", "entreq" };
	const char *as = cx->session->name;
	json_t *o = json_object();
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof(keys) / sizeof(*keys); i++) {
		char *h = NULL;
		switch (i) {
		case 0: rc = qes_theme_table_html(cx->st, 3, as, &h, err); break;
		case 1: rc = grid_html("matrix", qes_query_matrix_json(cx->st, "perspective", as, err),
				       &h, err); break;
		case 2: rc = grid_html("framework", qes_query_framework_json(cx->st, "study", NULL, as,
									     err), &h, err); break;
		case 3: rc = qes_cerqual_soqf_text(cx->st, QES_TABLE_HTML, &h, err); break;
		case 4: rc = qes_cerqual_profile_text(cx->st, QES_TABLE_HTML, &h, err); break;
		case 5: rc = qes_advisory_log_text(cx->st, QES_TABLE_HTML, &h, err); break;
		default: rc = qes_entreq_text(cx->st, QES_TABLE_HTML, &h, err); break;
		}
		if (!rc)
			json_object_set_new(o, keys[i], json_string(h ? h : ""));
		free(h);
	}
	if (rc) {
		json_decref(o);
		return rc;
	}
	cx->json = o;
	return 0;
}
