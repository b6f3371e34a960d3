/* synth_util.c: target lookup ("theme:NAME", "finding:F1", ...), the
 * synthesis log and the shared CSV/HTML table renderer. */
#include "synth_internal.h"
#include "text_limit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/limits.h"
#include "code_internal.h"
#include "strbuf.h"
#include "theme_internal.h"

static const struct { int kind; const char *name; } kinds[] = {
	{ QES__T_THEME, "theme" }, { QES__T_FINDING, "finding" }, { QES__T_CODE, "code" },
	{ QES__T_CODING, "coding" }, { QES__T_TEXT, "text" },
};

const char *qes__synth_kind_name(int kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].kind == kind)
			return kinds[i].name;
	return "";
}

int qes__synth_kind_parse(const char *s)
{
	for (size_t i = 0; s && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].name, s))
			return kinds[i].kind;
	return 0;
}

const char *qes__col(sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);
	return v ? v : "";
}

int qes__synth_step(qes_store *st, sqlite3_stmt *s, const char *what, qes_error *err)
{
	return qes__code_done_stmt(st, s, what, err);
}

/* Looks value up with sql (one ? parameter); counts matches so a theme name
 * used at two levels is reported as ambiguous rather than guessed. */
static int lookup(qes_store *st, const char *sql, const char *value, const char *what,
		  long long *id, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__prep(st, &s, sql, err), n = 0;
	if (rc)
		return rc;
	if (value[0] == '#' && value[1])
		sqlite3_bind_int64(s, 2, strtoll(value + 1, NULL, 10));
	else
		sqlite3_bind_text(s, 1, value, -1, SQLITE_TRANSIENT);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		n++;
	}
	if (step != SQLITE_DONE)
		rc = qes_store_sqlerr(st, err, "looking up a target");
	else if (!n)
		rc = qes_error_set(err, QES_ENOTFOUND, "no %s '%s'", what, value);
	else if (n > 1)
		rc = qes_error_set(err, QES_EAMBIG, "%d %ss are called '%s': use #ID", n, what, value);
	sqlite3_finalize(s);
	return rc;
}

int qes__synth_target(qes_store *st, const char *spec, int allowed, int *kind,
		      long long *id, const char **text, qes_error *err)
{
	const char *colon = spec ? strchr(spec, ':') : NULL;
	char name[16];
	if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof(name))
		return qes_error_set(err, QES_EINVAL, "'%s' is not KIND:NAME (theme:, finding:, "
				     "code:, coding:)", spec ? spec : "");
	snprintf(name, sizeof(name), "%.*s", (int)(colon - spec), spec);
	int k = qes__synth_kind_parse(name);
	if (!k || !(k & allowed))
		return qes_error_set(err, QES_EINVAL, "'%s' cannot be used here", name);
	const char *v = colon + 1;
	*kind = k;
	*id = 0;
	if (text)
		*text = v;
	if (!*v)
		return qes_error_set(err, QES_EINVAL, "'%s' names nothing", spec);
	switch (k) {
	case QES__T_TEXT:
		return 0;
	case QES__T_THEME:
		/* name, "Analytical/Subtheme" or #ID, as qes theme names them: an
		 * analytical theme's subtheme can be shown, commented on, changed */
		return qes_theme_find(st, v, id, err);
	case QES__T_FINDING:
		return lookup(st, "SELECT id FROM synth_findings WHERE key = ?1 OR id = ?2", v,
			      "finding", id, err);
	case QES__T_CODE:
		return lookup(st, "SELECT id FROM code_codes WHERE path = ?1 OR id = ?2", v,
			      "code", id, err);
	default:
		return lookup(st, "SELECT id FROM code_codings WHERE guid = ?1 OR id = ?2", v,
			      "coding", id, err);
	}
}

char *qes__synth_describe(qes_store *st, int kind, long long id)
{
	static const char *const sql[] = {
		"SELECT level || ' theme: ' || name FROM code_themes WHERE id = ?",
		"SELECT 'finding ' || key FROM synth_findings WHERE id = ?",
		"SELECT 'code ' || path FROM code_codes WHERE id = ?",
		("SELECT 'coding #' || g.id || ' (' || s.name || ')' FROM code_codings g"
		 " JOIN code_sources s ON s.id = g.source_id WHERE g.id = ?"),
	};
	int i = kind == QES__T_THEME ? 0 : kind == QES__T_FINDING ? 1 : kind == QES__T_CODE ? 2 : 3;
	sqlite3_stmt *s = NULL;
	char *out = NULL;
	if (kind == QES__T_TEXT || qes__prep(st, &s, sql[i], NULL))
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		out = strdup(qes__col(s, 0));
	sqlite3_finalize(s);
	if (!out && asprintf(&out, "%s #%lld (deleted)", qes__synth_kind_name(kind), id) < 0)
		out = NULL;
	return out;
}

int qes__synth_log(qes_store *st, const char *who, const char *action,
		   const char *target, const char *detail, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__prep(st, &s, "INSERT INTO synth_log(who, action, target, detail)"
			   " VALUES (?, ?, ?, ?)", err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, who && *who ? who : "unknown", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, target ? target : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, detail ? detail : "", -1, SQLITE_TRANSIENT);
	return qes__synth_step(st, s, "writing the synthesis log", err);
}

int qes__synth_render(json_t *table, qes_table_format fmt, const char *cls,
		      char **out, qes_error *err)
{
	qes_strbuf sb;
	qes__strbuf_init(&sb, 256u << 20);
	json_t *cols = json_object_get(table, "columns");
	json_t *heads = json_object_get(table, "headings");
	json_t *rows = json_object_get(table, "rows"), *row, *v;
	size_t i, j;
	if (!heads)
		heads = cols;
	if (fmt == QES_TABLE_CSV) {
		qes__theme_csv_line(&sb, cols);
		json_array_foreach(rows, i, row)
			qes__theme_csv_line(&sb, row);
	} else {
		qes__strbuf_addf(&sb, "<table class=\"%s\">\n<thead><tr>", cls);
		json_array_foreach(heads, j, v) {
			qes__strbuf_addstr(&sb, "<th>");
			qes__html_escape(&sb, json_string_value(v));
			qes__strbuf_addstr(&sb, "</th>");
		}
		qes__strbuf_addstr(&sb, "</tr></thead>\n<tbody>\n");
		json_array_foreach(rows, i, row) {
			qes__strbuf_addstr(&sb, "<tr>");
			json_array_foreach(row, j, v) {
				qes__strbuf_addf(&sb, "<td data-col=\"%s\">",
						 json_string_value(json_array_get(cols, j)));
				qes__html_escape(&sb, json_string_value(v));
				qes__strbuf_addstr(&sb, "</td>");
			}
			qes__strbuf_addstr(&sb, "</tr>\n");
		}
		qes__strbuf_addstr(&sb, "</tbody></table>\n");
	}
	if (!sb.buf) {
		qes__strbuf_release(&sb);
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	*out = qes__strbuf_detach(&sb, NULL);
	return 0;
}

int qes__synth_too_long(const char *s, const char *what, qes_error *err)
{
	return qes__text_limit(what, s, QES_MAX_LONG_TEXT, err);
}
