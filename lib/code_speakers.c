/* code_speakers.c: a transcript's speaker turns become cases, as NVivo's
 * "auto code by speaker" does. A turn starts with a label at the start of a
 * line ("Mother (P1):", "P2:", "Team leader:") and runs to the next label;
 * the case is the short identifier in brackets when there is one (so
 * "Mother (P1)" and "P1" are the same person) and the words before it are
 * the case's role. Interviewers' turns end the previous speaker's turn but
 * are not linked to a case. */
#include "code_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LABEL_MAX 48    /* bytes: longer text before ':' is a sentence */
#define LABEL_WORDS 4

static const char *const default_skip[] = {
	"facilitator", "interviewer", "moderator", "researcher", "int", "i", "q", NULL
};

/* The label of a turn starting at line (length n), or 0: its length, with
 * *after pointing past the colon. */
static size_t turn_label(const char *line, size_t n, const char **after)
{
	size_t i = 0;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	size_t start = i, words = 1;
	if (i >= n || !(isalnum((unsigned char)line[i]) || (unsigned char)line[i] >= 0x80))
		return 0;
	for (; i < n && i - start <= LABEL_MAX; i++) {
		char c = line[i];
		if (c == ':') {
			if (i + 1 < n && line[i + 1] != ' ' && line[i + 1] != '\t')
				return 0;  /* "10:30" or a URL, not a turn */
			*after = line + i + 1;
			return i - start;
		}
		if (strchr(".?!;\"", c))
			return 0;
		if (c == ' ' && ++words > LABEL_WORDS)
			return 0;
	}
	return 0;
}

/* "Mother (P1)" -> case "P1", role "mother"; "P2" -> "P2", no role. */
static void split_label(const char *label, char *cas, size_t ncas, char *role, size_t nrole)
{
	const char *open = strchr(label, '('), *close = open ? strchr(open, ')') : NULL;
	role[0] = '\0';
	if (open && close && close > open + 1 && (size_t)(close - open - 1) < ncas) {
		snprintf(cas, ncas, "%.*s", (int)(close - open - 1), open + 1);
		size_t r = (size_t)(open - label);
		while (r && label[r - 1] == ' ')
			r--;
		snprintf(role, nrole, "%.*s", (int)r, label);
	} else {
		snprintf(cas, ncas, "%s", label);
	}
	for (char *p = role; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

static int skipped(const char *label, const char *role, const char *const *skip, int nskip)
{
	for (int i = 0; default_skip[i]; i++)
		if (!strcasecmp(label, default_skip[i]) || !strcasecmp(role, default_skip[i]))
			return 1;
	for (int i = 0; i < nskip; i++)
		if (!strcasecmp(label, skip[i]) || !strcasecmp(role, skip[i]))
			return 1;
	return 0;
}

/* The speaker's row in the answer, made on first sight. */
static json_t *speaker_row(json_t *rows, const char *cas, const char *label, const char *role,
			   int skip)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		if (!strcmp(json_string_value(json_object_get(r, "case")), cas))
			return r;
	r = json_pack("{ss ss ss sb sI sI sb so}", "case", cas, "label", label, "role", role,
		      "skipped", skip, "turns", (json_int_t)0, "lines", (json_int_t)0,
		      "created", 0, "ranges", json_array());
	json_array_append_new(rows, r);
	return r;
}

static void add_turn(json_t *row, long from, long to)
{
	json_t *ranges = json_object_get(row, "ranges");
	json_array_append_new(ranges, json_pack("[II]", (json_int_t)from, (json_int_t)to));
	json_object_set_new(row, "turns", json_integer(json_integer_value(json_object_get(row, "turns")) + 1));
	json_object_set_new(row, "lines", json_integer(json_integer_value(json_object_get(row, "lines")) + to - from + 1));
}

/* Splits text into turns; rows get one entry per speaker. */
static json_t *find_turns(const char *text, size_t len, const qes_code_speaker_opts *o)
{
	json_t *rows = json_array(), *cur = NULL;
	long line = 0, from = 0;
	for (size_t at = 0; at < len;) {
		const char *lf = memchr(text + at, '\n', len - at);
		size_t n = lf ? (size_t)(lf - (text + at)) : len - at;
		line++;
		const char *after;
		size_t ln = turn_label(text + at, n, &after);
		if (ln) {
			if (cur)
				add_turn(cur, from, line - 1);
			char label[LABEL_MAX + 2], cas[LABEL_MAX + 2], role[LABEL_MAX + 2];
			const char *l = text + at;
			while (*l == ' ' || *l == '\t')
				l++;
			snprintf(label, sizeof(label), "%.*s", (int)ln, l);
			split_label(label, cas, sizeof(cas), role, sizeof(role));
			cur = speaker_row(rows, cas, label, role,
					  skipped(label, role, o->skip, o->nskip));
			from = line;
		}
		at += n + (lf != NULL);
	}
	if (cur)
		add_turn(cur, from, line);
	return rows;
}

static int link_row(qes_store *st, long long sid, json_t *row, const qes_code_speaker_opts *o,
		    qes_error *err)
{
	const char *cas = json_string_value(json_object_get(row, "case"));
	const char *role = json_string_value(json_object_get(row, "role"));
	long long cid = 0;
	int rc = qes__code_lookup(st, "code_cases", "name", cas, "case", &cid, err);
	sqlite3_stmt *s = NULL;
	if (rc == QES_ENOTFOUND) {
		qes_error_clear(err);
		char guid[37];
		qes_code_guid(guid);
		if ((rc = qes__code_prep(st, &s, "INSERT INTO code_cases(guid, name) VALUES (?, ?)", err)))
			return rc;
		sqlite3_bind_text(s, 1, guid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, cas, -1, SQLITE_TRANSIENT);
		if ((rc = qes__code_done_stmt(st, s, "adding a case", err)))
			return rc;
		cid = sqlite3_last_insert_rowid(qes_store_db(st));
		json_object_set_new(row, "created", json_true());
		/* A new case gets the role from its label, then the caller's
		 * attributes (which win: --attr role=... corrects a label). */
		for (int i = -1; i < o->nattrs; i++) {
			const char *kv = i < 0 ? NULL : o->attrs[i], *eq = kv ? strchr(kv, '=') : NULL;
			if (i < 0 && !*role)
				continue;
			if ((rc = qes__code_attr_check(st, cas, kv ? kv : "role", kv ? (size_t)(eq - kv) : 4,
						       kv ? eq + 1 : role, err)))
				return rc;
			if ((rc = qes__code_prep(st, &s, "INSERT OR REPLACE INTO code_case_attrs(case_id,"
						 " key, value) VALUES (?, ?, ?)", err)))
				return rc;
			sqlite3_bind_int64(s, 1, cid);
			sqlite3_bind_text(s, 2, kv ? kv : "role", kv ? (int)(eq - kv) : -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 3, kv ? eq + 1 : role, -1, SQLITE_TRANSIENT);
			if ((rc = qes__code_done_stmt(st, s, "adding a case attribute", err)))
				return rc;
		}
	} else if (rc) {
		return rc;
	}
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(row, "ranges"), i, r) {
		if ((rc = qes__code_prep(st, &s, "INSERT OR REPLACE INTO code_case_sources(case_id,"
					 " source_id, line_from, line_to) VALUES (?,?,?,?)", err)))
			return rc;
		sqlite3_bind_int64(s, 1, cid);
		sqlite3_bind_int64(s, 2, sid);
		sqlite3_bind_int64(s, 3, json_integer_value(json_array_get(r, 0)));
		sqlite3_bind_int64(s, 4, json_integer_value(json_array_get(r, 1)));
		if ((rc = qes__code_done_stmt(st, s, "linking a turn", err)))
			return rc;
	}
	return 0;
}

json_t *qes_code_speakers(qes_store *st, const char *source, const qes_code_speaker_opts *o,
			  qes_error *err)
{
	for (int i = 0; i < o->nattrs; i++) {
		const char *eq = strchr(o->attrs[i], '=');
		if (!eq || eq == o->attrs[i]) {
			qes_error_set(err, QES_EINVAL, "attribute '%s' is not key=value", o->attrs[i]);
			return NULL;
		}
	}
	long long sid = 0;
	char *text = NULL;
	size_t len = 0;
	json_t *rows = NULL;
	if (qes_code_source_find(st, source, &sid, err) ||
	    qes_code_source_text(st, sid, &text, &len, err))
		return NULL;
	rows = find_turns(text, len, o);
	free(text);
	if (!json_array_size(rows)) {
		json_decref(rows);
		qes_error_set(err, QES_ENOTFOUND, "source '%s' has no speaker turns (lines that"
			      " start 'Name:' or 'Role (ID):')", source);
		return NULL;
	}
	if (o->dry_run)
		return rows;
	int rc = qes_store_begin(st, err);
	if (!rc) {
		size_t i;
		json_t *r;
		json_array_foreach(rows, i, r)
			if (!rc && !json_is_true(json_object_get(r, "skipped")))
				rc = link_row(st, sid, r, o, err);
		rc = qes__code_txn(st, rc, err);
	}
	if (rc) {
		json_decref(rows);
		return NULL;
	}
	return rows;
}
