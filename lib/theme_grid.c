/* theme_grid.c: query results as grids (header row first, strings), and
 * grids as CSV or an HTML table, so every query prints the same three
 * ways and the report reuses the HTML. */
#include "theme_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_num(json_t *row, json_int_t n)
{
	char b[32];
	snprintf(b, sizeof(b), "%lld", (long long)n);
	return json_array_append_new(row, json_string(b));
}

static int add_str(json_t *row, const char *s)
{
	return json_array_append_new(row, json_string(s ? s : ""));
}

static json_int_t num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* Theme, level, then studies, passages and spans (every coder's) per
 * column, then the total. */
static int grid_matrix(json_t *m, json_t *g)
{
	json_t *h = json_array(), *c;
	size_t i, k;
	int rc = !h || json_array_append_new(g, h) || add_str(h, "theme") || add_str(h, "level");
	char b[512];
	json_array_foreach(json_object_get(m, "columns"), i, c) {
		snprintf(b, sizeof(b), "%s studies", json_string_value(c));
		rc |= add_str(h, b);
		snprintf(b, sizeof(b), "%s passages", json_string_value(c));
		rc |= add_str(h, b);
		snprintf(b, sizeof(b), "%s spans", json_string_value(c));
		rc |= add_str(h, b);
	}
	rc |= add_str(h, "total studies") || add_str(h, "total passages") || add_str(h, "total spans");
	json_t *r;
	json_array_foreach(json_object_get(m, "rows"), i, r) {
		json_t *row = json_array();
		rc |= !row || json_array_append_new(g, row);
		if (rc)
			break;
		const char *parent = json_string_value(json_object_get(r, "parent"));
		if (parent)
			snprintf(b, sizeof(b), "%s / %s", parent, json_string_value(json_object_get(r, "theme")));
		rc |= add_str(row, parent ? b : json_string_value(json_object_get(r, "theme")));
		rc |= add_str(row, json_string_value(json_object_get(r, "level")));
		json_array_foreach(json_object_get(m, "columns"), k, c) {
			json_t *cell = json_object_get(json_object_get(r, "cells"), json_string_value(c));
			rc |= add_num(row, num(cell, "studies")) || add_num(row, num(cell, "passages")) ||
			      add_num(row, num(cell, "spans"));
		}
		json_t *t = json_object_get(r, "total");
		rc |= add_num(row, num(t, "studies")) || add_num(row, num(t, "passages")) ||
		      add_num(row, num(t, "spans"));
	}
	return rc;
}

static int grid_cooccur(json_t *m, json_t *g)
{
	json_t *h = json_pack("[s,s,s,s,s]", "code_a", "code_b", "overlaps", "sources", "chars"), *p;
	int rc = !h || json_array_append_new(g, h);
	size_t i;
	json_array_foreach(json_object_get(m, "pairs"), i, p) {
		json_t *row = json_array();
		rc |= !row || json_array_append_new(g, row);
		if (rc)
			break;
		rc |= add_str(row, json_string_value(json_object_get(p, "code_a"))) ||
		      add_str(row, json_string_value(json_object_get(p, "code_b"))) ||
		      add_num(row, num(p, "overlaps")) || add_num(row, num(p, "sources")) ||
		      add_num(row, num(p, "chars"));
	}
	return rc;
}

static int grid_search(json_t *m, json_t *g)
{
	json_t *h = json_pack("[s,s,s,s,s,s,s]", "source", "study", "start", "end", "before", "text",
			      "after"), *p;
	int rc = !h || json_array_append_new(g, h);
	size_t i;
	json_array_foreach(json_object_get(m, "hits"), i, p) {
		json_t *row = json_array();
		rc |= !row || json_array_append_new(g, row);
		if (rc)
			break;
		rc |= add_str(row, json_string_value(json_object_get(p, "source"))) ||
		      add_str(row, json_string_value(json_object_get(p, "study"))) ||
		      add_num(row, num(p, "start")) || add_num(row, num(p, "end")) ||
		      add_str(row, json_string_value(json_object_get(p, "before"))) ||
		      add_str(row, json_string_value(json_object_get(p, "text"))) ||
		      add_str(row, json_string_value(json_object_get(p, "after")));
	}
	return rc;
}

/* A framework cell: "N passages: “quote”" ("N passages (M spans)" when
 * coders overlapped) and the summary on its own line. */
static json_t *fw_cell(json_t *c)
{
	if (!c)
		return json_string("");
	const char *q = json_string_value(json_object_get(c, "quote"));
	const char *sum = json_string_value(json_object_get(c, "summary"));
	char *s = NULL;
	long long n = (long long)num(c, "passages"), sp = (long long)num(c, "spans");
	char spans[48] = "";
	if (sp != n)
		snprintf(spans, sizeof(spans), " (%lld spans)", sp);
	int r = asprintf(&s, "%s%s%lld passage%s%s: \xe2\x80\x9c%s\xe2\x80\x9d", sum ? sum : "",
			 sum ? "\n" : "", n, n == 1 ? "" : "s", spans, q ? q : "");
	json_t *v = r < 0 ? NULL : json_string(s);
	if (r >= 0)
		free(s);
	return v;
}

static int grid_framework(json_t *m, json_t *g)
{
	json_t *h = json_array(), *t, *r;
	int rc = !h || json_array_append_new(g, h) ||
		 add_str(h, json_string_value(json_object_get(m, "by")));
	size_t i, k;
	json_array_foreach(json_object_get(m, "themes"), i, t)
		rc |= json_array_append(h, t);
	json_array_foreach(json_object_get(m, "rows"), i, r) {
		json_t *row = json_array();
		rc |= !row || json_array_append_new(g, row);
		if (rc)
			break;
		rc |= add_str(row, json_string_value(json_object_get(r, "label")));
		json_array_foreach(json_object_get(m, "themes"), k, t)
			rc |= json_array_append_new(row, fw_cell(json_object_get(
				json_object_get(r, "cells"), json_string_value(t))));
	}
	return rc;
}

static int grid_list(json_t *m, json_t *g)
{
	json_t *h = json_pack("[s,s,s,s,s,s,s,s,s]", "theme", "level", "parent", "codes",
			      "passages", "spans", "sources", "studies", "cases"), *r;
	int rc = !h || json_array_append_new(g, h);
	size_t i;
	json_array_foreach(m, i, r) {
		json_t *row = json_array(), *c = json_object_get(r, "counts");
		rc |= !row || json_array_append_new(g, row);
		if (rc)
			break;
		rc |= add_str(row, json_string_value(json_object_get(r, "name"))) ||
		      add_str(row, json_string_value(json_object_get(r, "level"))) ||
		      add_str(row, json_string_value(json_object_get(r, "parent"))) ||
		      add_num(row, num(c, "codes")) || add_num(row, num(c, "passages")) ||
		      add_num(row, num(c, "spans")) ||
		      add_num(row, num(c, "sources")) || add_num(row, num(c, "studies")) ||
		      add_num(row, num(c, "cases"));
	}
	return rc;
}

/* Theme or finding, then studies and passages with and without the weak
 * studies, and the flag. */
static int grid_sensitivity(json_t *m, json_t *g)
{
	json_t *h = json_pack("[s,s,s,s,s,s]", "theme or finding", "studies", "passages",
			      "studies without weak", "passages without weak", "most support lost"), *r;
	int rc = !h || json_array_append_new(g, h);
	size_t i;
	for (int f = 0; !rc && f < 2; f++)
		json_array_foreach(json_object_get(m, f ? "findings" : "themes"), i, r) {
			json_t *row = json_array();
			char name[512];
			snprintf(name, sizeof(name), "%s%s", f ? "Finding " : "",
				 json_string_value(json_object_get(r, f ? "finding" : "theme")));
			rc |= !row || json_array_append_new(g, row) || add_str(row, name) ||
			      add_num(row, num(r, "studies")) || add_num(row, num(r, "passages")) ||
			      add_num(row, num(r, "studies_without_weak")) ||
			      add_num(row, num(r, "passages_without_weak")) ||
			      add_str(row, json_is_true(json_object_get(r, "flagged")) ? "yes" : "");
			if (rc)
				break;
		}
	return rc;
}

json_t *qes_query_grid(const char *query, json_t *result, qes_error *err)
{
	static const struct { const char *name; int (*fn)(json_t *, json_t *); } kinds[] = {
		{ "matrix", grid_matrix }, { "cooccur", grid_cooccur }, { "search", grid_search },
		{ "framework", grid_framework }, { "list", grid_list },
		{ "sensitivity", grid_sensitivity },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(query, kinds[i].name))
			continue;
		json_t *g = json_array();
		if (!g || kinds[i].fn(result, g)) {
			json_decref(g);
			qes_error_set(err, QES_ENOMEM, "out of memory");
			return NULL;
		}
		return g;
	}
	qes_error_set(err, QES_EINVAL, "no query '%s'", query);
	return NULL;
}

int qes_grid_csv(json_t *grid, char **out, qes_error *err)
{
	qes_strbuf sb = QES_STRBUF_INIT(256u << 20);
	size_t i;
	json_t *row;
	int rc = 0;
	json_array_foreach(grid, i, row)
		rc |= qes__theme_csv_line(&sb, row);
	if (rc || !sb.buf) {
		qes__strbuf_release(&sb);
		return qes_error_set(err, QES_ENOMEM, "out of memory (CSV)");
	}
	*out = qes__strbuf_detach(&sb, NULL);
	return 0;
}

int qes_grid_html(json_t *grid, const char *css_class, char **out, qes_error *err)
{
	qes_strbuf sb = QES_STRBUF_INIT(256u << 20);
	qes__strbuf_addstr(&sb, "<table class=\"");
	qes__theme_esc(&sb, css_class ? css_class : "qes-query");
	qes__strbuf_addstr(&sb, "\">\n");
	size_t i, k;
	json_t *row, *v;
	json_array_foreach(grid, i, row) {
		const char *tag = i ? "td" : "th";
		qes__strbuf_addstr(&sb, "<tr>");
		json_array_foreach(row, k, v) {
			qes__strbuf_addf(&sb, "<%s>", tag);
			/* Line breaks inside a cell (a framework summary) stay visible. */
			for (const char *s = json_string_value(v); s && *s;) {
				size_t n = strcspn(s, "\n");
				char *part = strndup(s, n);
				qes__theme_esc(&sb, part);
				free(part);
				s += n;
				if (*s) {
					qes__strbuf_addstr(&sb, "<br>");
					s++;
				}
			}
			qes__strbuf_addf(&sb, "</%s>", tag);
		}
		qes__strbuf_addstr(&sb, "</tr>\n");
	}
	qes__strbuf_addstr(&sb, "</table>\n");
	if (!sb.buf || sb.len >= sb.max - 1) {
		qes__strbuf_release(&sb);
		return qes_error_set(err, QES_ENOMEM, "out of memory (HTML)");
	}
	*out = qes__strbuf_detach(&sb, NULL);
	return 0;
}
