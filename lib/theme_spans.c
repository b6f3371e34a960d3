/* theme_spans.c: the temporary tables every theme view reads (which
 * codings a coder may see, which codes and codings a theme rests on, which
 * case a coding belongs to), and small helpers the views share. */
#include "theme_internal.h"
#include "code_internal.h"
#include "study_internal.h"

#include <stdlib.h>
#include <string.h>

/* Codings visible to coder ?1 (-1: everyone's): the blinding rule of
 * qes_code_list_json. */
static const char vis_sql[] =
	"INSERT INTO temp.theme_vis(coding_id) SELECT c.id FROM code_codings c"
	" WHERE " QES__CODE_VISIBLE("?1");

/* theme_code: a theme's own codes, its subthemes' and its grouped
 * themes', all the way down; a code folder brings every code under it.
 * theme_case: a coding's own case (the participant a quote is attributed
 * to, code_codings.case_id) wins; else, from temp.theme_line (fill_lines),
 * cases linked to the line a span starts on win over cases linked to the
 * whole source. */
static const char build_sql[] =
	"DELETE FROM temp.theme_code; DELETE FROM temp.theme_span; DELETE FROM temp.theme_case;"
	"INSERT INTO temp.theme_code(theme_id, code_id)"
	" WITH RECURSIVE edges(p, c) AS ("
	"   SELECT parent_id, child_id FROM code_theme_links"
	"   UNION ALL SELECT parent_id, id FROM code_themes WHERE parent_id IS NOT NULL),"
	" tree(root, id) AS (SELECT id, id FROM code_themes"
	"   UNION SELECT t.root, e.c FROM tree t JOIN edges e ON e.p = t.id)"
	" SELECT DISTINCT t.root, c.id FROM tree t"
	" JOIN code_theme_codes tc ON tc.theme_id = t.id"
	" JOIN code_codes c0 ON c0.id = tc.code_id"
	" JOIN code_codes c ON (c.id = c0.id AND c0.is_folder = 0)"
	"   OR (c.is_folder = 0 AND substr(c.path, 1, length(c0.path) + 1) = c0.path || '/');"
	"INSERT INTO temp.theme_span(theme_id, coding_id)"
	" SELECT DISTINCT tc.theme_id, k.id FROM temp.theme_code tc"
	" JOIN code_codings k ON k.code_id = tc.code_id"
	" JOIN temp.theme_vis v ON v.coding_id = k.id;"
	"INSERT INTO temp.theme_case(coding_id, case_id)"
	" SELECT k.id, k.case_id FROM temp.theme_line l JOIN code_codings k ON k.id = l.coding_id"
	"   WHERE k.case_id IS NOT NULL"
	" UNION SELECT l.coding_id, cs.case_id FROM temp.theme_line l JOIN code_case_sources cs"
	"   ON cs.source_id = l.source_id AND cs.line_from > 0"
	"   AND l.line BETWEEN cs.line_from AND cs.line_to"
	"   WHERE (SELECT case_id FROM code_codings WHERE id = l.coding_id) IS NULL"
	" UNION SELECT l.coding_id, cs.case_id FROM temp.theme_line l JOIN code_case_sources cs"
	"   ON cs.source_id = l.source_id AND cs.line_from = 0"
	"   WHERE (SELECT case_id FROM code_codings WHERE id = l.coding_id) IS NULL"
	"   AND NOT EXISTS (SELECT 1 FROM code_case_sources c2 WHERE c2.source_id = l.source_id"
	"     AND c2.line_from > 0 AND l.line BETWEEN c2.line_from AND c2.line_to);";

/* The line each visible coding starts on (1 + the line feeds before its
 * first code point), into temp.theme_line. Codings come in source and
 * start order, so each source's text is read once and walked once. */
static int fill_lines(qes_store *st, qes_error *err)
{
	sqlite3_stmt *k = NULL, *txt = NULL, *ins = NULL;
	int rc;
	if ((rc = qes__code_prep(st, &k, "SELECT c.id, c.source_id, c.start FROM code_codings c"
				 " JOIN temp.theme_vis v ON v.coding_id = c.id"
				 " ORDER BY c.source_id, c.start", err)) ||
	    (rc = qes__code_prep(st, &txt, "SELECT text FROM code_sources WHERE id = ?", err)) ||
	    (rc = qes__code_prep(st, &ins, "INSERT INTO temp.theme_line(coding_id, source_id, line)"
				 " VALUES (?, ?, ?)", err)))
		goto out;
	long long cur = -1;
	const unsigned char *p = NULL, *e = NULL;
	long cp = 0, line = 1;
	while (!rc && sqlite3_step(k) == SQLITE_ROW) {
		long long sid = sqlite3_column_int64(k, 1);
		long start = (long)sqlite3_column_int64(k, 2);
		if (sid != cur) {
			sqlite3_reset(txt);
			sqlite3_bind_int64(txt, 1, sid);
			if (sqlite3_step(txt) != SQLITE_ROW) {
				rc = qes_store_sqlerr(st, err, "reading a source");
				break;
			}
			p = sqlite3_column_text(txt, 0);
			e = p + sqlite3_column_bytes(txt, 0);
			cur = sid;
			cp = 0;
			line = 1;
		}
		/* advance to code point start, counting line feeds */
		for (; p < e && cp < start; p++) {
			if ((*p & 0xC0) == 0x80)
				continue;
			line += *p == '\n';
			cp++;
		}
		while (p < e && (*p & 0xC0) == 0x80)   /* to the next code point's first byte */
			p++;
		sqlite3_bind_int64(ins, 1, sqlite3_column_int64(k, 0));
		sqlite3_bind_int64(ins, 2, sid);
		sqlite3_bind_int64(ins, 3, line);
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = qes_store_sqlerr(st, err, "noting a coding's line");
		sqlite3_reset(ins);
	}
out:
	sqlite3_finalize(k);
	sqlite3_finalize(txt);
	sqlite3_finalize(ins);
	return rc;
}

int qes__theme_spans(qes_store *st, const char *as, qes_error *err)
{
	long long uid;
	int rc = qes__code_viewer(st, as, &uid, err);
	if (rc)
		return rc;
	rc = qes_store_exec(st,
		"CREATE TEMP TABLE IF NOT EXISTS theme_vis(coding_id INTEGER PRIMARY KEY);"
		"CREATE TEMP TABLE IF NOT EXISTS theme_code(theme_id INTEGER, code_id INTEGER,"
		"  PRIMARY KEY (theme_id, code_id)) WITHOUT ROWID;"
		"CREATE TEMP TABLE IF NOT EXISTS theme_span(theme_id INTEGER, coding_id INTEGER,"
		"  PRIMARY KEY (theme_id, coding_id)) WITHOUT ROWID;"
		"CREATE TEMP TABLE IF NOT EXISTS theme_case(coding_id INTEGER, case_id INTEGER,"
		"  PRIMARY KEY (coding_id, case_id)) WITHOUT ROWID;"
		"CREATE TEMP TABLE IF NOT EXISTS theme_line(coding_id INTEGER PRIMARY KEY,"
		"  source_id INTEGER, line INTEGER);"
		"DELETE FROM temp.theme_vis; DELETE FROM temp.theme_line;", err);
	if (rc)
		return rc;
	sqlite3_stmt *s = NULL;
	if ((rc = qes__code_prep(st, &s, vis_sql, err)))
		return rc;
	sqlite3_bind_int64(s, 1, uid);
	if ((rc = qes__code_done_stmt(st, s, "choosing the visible codings", err)) ||
	    (rc = fill_lines(st, err)) || (rc = qes_store_exec(st, build_sql, err)) ||
	    (rc = qes__code_passage_table(st, "theme_passage", err)))
		return rc;
	return qes__code_passages(st, "SELECT ts.theme_id, k.id, k.source_id, k.start, k.end"
				  " FROM temp.theme_span ts JOIN code_codings k ON k.id = ts.coding_id"
				  " ORDER BY ts.theme_id, k.source_id, k.start, k.end, k.id",
				  "temp.theme_passage", err);
}

char *qes__theme_attr(qes_store *st, long long coding_id, const char *key)
{
	sqlite3_stmt *s = NULL;
	char *out = NULL;
	if (qes__code_prep(st, &s, "SELECT coalesce(group_concat(value, '; '), '') FROM"
			   " (SELECT DISTINCT a.value FROM temp.theme_case tc JOIN code_case_attrs a"
			   "  ON a.case_id = tc.case_id AND a.key = ?2 WHERE tc.coding_id = ?1"
			   "  ORDER BY a.value)", NULL))
		return NULL;
	sqlite3_bind_int64(s, 1, coding_id);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW)
		out = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return out;
}

void qes__theme_esc(qes_strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': qes__strbuf_addstr(sb, "&amp;"); break;
		case '<': qes__strbuf_addstr(sb, "&lt;"); break;
		case '>': qes__strbuf_addstr(sb, "&gt;"); break;
		case '"': qes__strbuf_addstr(sb, "&quot;"); break;
		case '\'': qes__strbuf_addstr(sb, "&#39;"); break;
		default: qes__strbuf_addch(sb, *s);
		}
	}
}

/* One CSV line through the project's RFC 4180 field quoting; lines end
 * CRLF as the RFC says. */
int qes__theme_csv_line(qes_strbuf *sb, json_t *row)
{
	size_t i;
	json_t *v;
	int rc = 0;
	json_array_foreach(row, i, v) {
		if (i)
			rc |= qes__strbuf_addch(sb, ',');
		rc |= qes__csv_field(sb, json_string_value(v));
	}
	return rc | qes__strbuf_addstr(sb, "\r\n");
}

char *qes__theme_slice(const char *text, size_t len, long start, long end)
{
	size_t b0 = qes_code_cp_to_byte(text, len, start);
	size_t b1 = qes_code_cp_to_byte(text, len, end);
	char *out = malloc(b1 - b0 + 1);
	if (out) {
		memcpy(out, text + b0, b1 - b0);
		out[b1 - b0] = 0;
	}
	return out;
}
