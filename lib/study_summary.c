/* study_summary.c: the characteristics summary computed from the data, the
 * contradiction check on totals typed in text, and the HTML table. Every
 * number comes from extract_values; nothing typed is trusted. */
#include "study_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "qes/study.h"

/* Adds 1 (or by) to key's count in obj. */
static void bump(json_t *obj, const char *key, long long by)
{
	json_t *v = json_object_get(obj, key);
	json_object_set_new(obj, key, json_integer((v ? json_integer_value(v) : 0) + by));
}

static int by_n_desc(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	long long nx = json_integer_value(json_object_get(x, "n"));
	long long ny = json_integer_value(json_object_get(y, "n"));
	if (nx != ny)
		return nx < ny ? 1 : -1;
	const char *kx = json_string_value(json_object_get(x, "k"));
	const char *ky = json_string_value(json_object_get(y, "k"));
	return strcmp(kx, ky);
}

/* {key: n} to [{name: key, "n": n}] sorted by n (desc), then key. */
static json_t *to_list(json_t *counts, const char *name, json_t *studies_per)
{
	size_t k = json_object_size(counts), i = 0;
	json_t **items = calloc(k ? k : 1, sizeof(*items)), *list = json_array();
	const char *key;
	json_t *v;
	json_object_foreach(counts, key, v)
		items[i++] = json_pack("{s:s,s:I}", "k", key, "n", json_integer_value(v));
	qsort(items, k, sizeof(*items), by_n_desc);
	for (i = 0; i < k; i++) {
		const char *kk = json_string_value(json_object_get(items[i], "k"));
		json_t *o = json_pack("{s:s,s:O}", name, kk, "n", json_object_get(items[i], "n"));
		if (studies_per)
			json_object_set(o, "studies", json_object_get(studies_per, kk));
		json_array_append_new(list, o);
		json_decref(items[i]);
	}
	free(items);
	return list;
}

/* The name of the first field of a type (or the named one if it exists). */
static char *field_named(qes_store *st, const char *prefer, const char *type)
{
	sqlite3_stmt *s = NULL;
	char *name = NULL;
	if (qes__prep(st, &s, "SELECT name FROM extract_fields WHERE name = ?1 OR "
		      "(?2 IS NOT NULL AND type = ?2) ORDER BY name = ?1 DESC, position LIMIT 1", NULL))
		return NULL;
	sqlite3_bind_text(s, 1, prefer, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		name = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return name;
}

typedef struct summary {
	char *country, *design, *count, *publication;
	json_t *countries, *nations, *designs, *perspectives, *totals, *group_studies, *pubs;
	json_t *contradictions;
	json_t *study_counts;   /* {study: {group: n}} */
	json_t *study_persp;    /* {study: perspective} */
	json_t *groups_seen;
	long long studies;
} summary;

/* A study's countries: at country level (the UK nations are the United
 * Kingdom, counted once per study), and the UK nations as reported. */
static void country_add(json_t *countries, json_t *nations, const char *v)
{
	json_t *seen = json_object(), *seen_n = json_object();
	while (v && *v) {
		size_t n = strcspn(v, ";");
		while (n && isspace((unsigned char)*v)) {
			v++;
			n--;
		}
		while (n && isspace((unsigned char)v[n - 1]))
			n--;
		char *part = strndup(v, n);
		if (part && *part) {
			const char *c = qes_country_level(part);
			if (!json_object_get(seen, c)) {
				bump(countries, c, 1);
				json_object_set_new(seen, c, json_true());
			}
			if (qes_country_is_nation(part)) {
				const char *nat = qes_country_canonical(part);
				if (!json_object_get(seen_n, nat)) {
					bump(nations, nat, 1);
					json_object_set_new(seen_n, nat, json_true());
				}
			}
		}
		free(part);
		v += strcspn(v, ";");
		if (*v == ';')
			v++;
	}
	json_decref(seen);
	json_decref(seen_n);
}

/* Reads every study's values: characteristics and participant counts. */
static int collect(qes_store *st, summary *sm, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__prep(st, &s, "SELECT st.key, "
			   " (SELECT value FROM extract_values WHERE study_id = st.id AND field = ?1),"
			   " (SELECT value FROM extract_values WHERE study_id = st.id AND field = ?2),"
			   " (SELECT value FROM extract_values WHERE study_id = st.id AND field = ?3) "
			   "FROM studies st ORDER BY st.key", err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, sm->country ? sm->country : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, sm->design ? sm->design : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, sm->publication ? sm->publication : "", -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(s, 1);
		const char *d = (const char *)sqlite3_column_text(s, 2);
		const char *p = (const char *)sqlite3_column_text(s, 3);
		sm->studies++;
		if (c)
			country_add(sm->countries, sm->nations, c);
		else
			bump(sm->countries, "not reported", 1);
		bump(sm->designs, d ? d : "not reported", 1);
		bump(sm->pubs, p ? p : "not reported", 1);
		json_object_set_new(sm->study_counts, (const char *)sqlite3_column_text(s, 0),
				    json_object());
	}
	sqlite3_finalize(s);
	if (!sm->count)
		return 0;
	if ((rc = qes__prep(st, &s, "SELECT st.key, substr(v.field, length(?1) + 2), v.value "
			    "FROM extract_values v JOIN studies st ON st.id = v.study_id "
			    "WHERE substr(v.field, 1, length(?1) + 1) = ?1 || '.' "
			    "ORDER BY st.key, v.field", err)))
		return rc;
	sqlite3_bind_text(s, 1, sm->count, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *group = (const char *)sqlite3_column_text(s, 1);
		long long n = sqlite3_column_int64(s, 2);
		json_object_set_new(json_object_get(sm->study_counts,
						    (const char *)sqlite3_column_text(s, 0)),
				    group, json_integer(n));
		bump(sm->totals, group, n);
		bump(sm->group_studies, group, 1);
		json_object_set_new(sm->groups_seen, group, json_true());
	}
	sqlite3_finalize(s);
	return 0;
}

/* Perspective of one study: the groups with at least one participant. */
static void perspectives(summary *sm)
{
	const char *key;
	json_t *counts;
	json_object_foreach(sm->study_counts, key, counts) {
		qes_strbuf sb = QES_STRBUF_INIT(4096);
		const char *g, *only = NULL;
		json_t *v;
		int groups = 0;
		json_object_foreach(counts, g, v) {
			if (json_integer_value(v) <= 0)
				continue;
			if (groups++)
				qes__strbuf_addstr(&sb, " and ");
			qes__strbuf_addstr(&sb, g);
			only = g;
		}
		char *l = NULL;
		if (groups == 0)
			l = strdup("not reported");
		else if (groups == 1) {
			if (asprintf(&l, "%s only", only) < 0)
				l = NULL;
		} else if (groups == 2 && json_object_size(sm->groups_seen) == 2)
			l = strdup("both");
		else
			l = strdup(qes__strbuf_str(&sb));
		if (l) {
			bump(sm->perspectives, l, 1);
			json_object_set_new(sm->study_persp, key, json_string(l));
		}
		free(l);
		qes__strbuf_release(&sb);
	}
}

/* The group a word names ("parents", "parent"), "studies" for studies or
 * papers, or NULL. */
static const char *word_group(summary *sm, const char *w, size_t n)
{
	const char *g;
	json_t *v;
	static const char *const study_words[] = { "studies", "study", "papers", "paper" };
	for (size_t i = 0; i < 4; i++)
		if (strlen(study_words[i]) == n && !strncasecmp(study_words[i], w, n))
			return "studies";
	json_object_foreach(sm->groups_seen, g, v) {
		size_t gl = strlen(g);
		if ((gl == n && !strncasecmp(g, w, n)) ||
		    (gl == n + 1 && g[n] == 's' && !strncasecmp(g, w, n)) ||
		    (gl + 1 == n && (w[gl] == 's' || w[gl] == 'S') && !strncasecmp(g, w, gl)))
			return g;
	}
	return NULL;
}

/* Finds "NUMBER WORD" claims in text and compares them with the data:
 * a study's text with its own counts (study != NULL), review notes with
 * the totals and the number of studies. */
static void check_text(summary *sm, const char *where, const char *study, const char *text)
{
	const char *p = text;
	while (*p) {
		if (!isdigit((unsigned char)*p) || (p > text && (isalnum((unsigned char)p[-1]) ||
								 p[-1] == '.' || p[-1] == ','))) {
			p++;
			continue;
		}
		long long n = 0;
		const char *q = p;
		while (isdigit((unsigned char)*q) || (*q == ',' && isdigit((unsigned char)q[1]))) {
			if (*q != ',')
				n = n < 1000000000000LL ? n * 10 + (*q - '0') : n;
			q++;
		}
		const char *w = q;
		while (*w == ' ')
			w++;
		size_t wl = 0;
		while (isalpha((unsigned char)w[wl]))
			wl++;
		const char *g = (w > q && wl) ? word_group(sm, w, wl) : NULL;
		json_t *computed = NULL;
		if (g && !strcmp(g, "studies"))
			computed = study ? NULL : json_integer(sm->studies);
		else if (g && study) {
			json_t *c = json_object_get(json_object_get(sm->study_counts, study), g);
			computed = c ? json_copy(c) : NULL;
		} else if (g)
			computed = json_integer(json_integer_value(json_object_get(sm->totals, g)));
		if (computed && json_integer_value(computed) != n) {
			json_array_append_new(sm->contradictions,
				json_pack("{s:s,s:s#,s:s,s:I,s:o}", "where", where,
					  "text", p, (int)(w + wl - p), "group", g,
					  "stated", (json_int_t)n, "computed", computed));
			computed = NULL;
		}
		json_decref(computed);
		p = w + wl > q ? w + wl : q;
	}
}

static int contradictions(qes_store *st, summary *sm, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__prep(st, &s, "SELECT st.key, v.field, v.value FROM extract_values v "
			   "JOIN studies st ON st.id = v.study_id "
			   "JOIN extract_fields f ON f.name = v.field AND f.type = 'text' "
			   "ORDER BY st.key, f.position", err);
	if (rc)
		return rc;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(s, 0);
		char *where = NULL;
		if (asprintf(&where, "study %s, %s", key, (const char *)sqlite3_column_text(s, 1)) < 0)
			continue;
		check_text(sm, where, key, (const char *)sqlite3_column_text(s, 2));
		free(where);
	}
	sqlite3_finalize(s);
	if ((rc = qes__prep(st, &s, "SELECT id, text FROM study_notes ORDER BY id", err)))
		return rc;
	while (sqlite3_step(s) == SQLITE_ROW) {
		char *where = NULL;
		if (asprintf(&where, "note %lld", (long long)sqlite3_column_int64(s, 0)) < 0)
			continue;
		check_text(sm, where, NULL, (const char *)sqlite3_column_text(s, 1));
		free(where);
	}
	sqlite3_finalize(s);
	return 0;
}

/* The study list with each study's values and perspective. */
static json_t *study_rows(qes_store *st, summary *sm, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *list = qes_study_list_json(st, err);
	size_t i;
	json_t *o;
	if (!list || qes__prep(st, &s, "SELECT v.field, v.value FROM extract_values v "
			       "JOIN studies st ON st.id = v.study_id WHERE st.key = ? "
			       "ORDER BY v.field", err)) {
		json_decref(list);
		return NULL;
	}
	json_array_foreach(list, i, o) {
		const char *key = json_string_value(json_object_get(o, "study"));
		json_t *vals = json_object();
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(s) == SQLITE_ROW)
			json_object_set_new(vals, (const char *)sqlite3_column_text(s, 0),
					    json_string((const char *)sqlite3_column_text(s, 1)));
		json_object_set_new(o, "values", vals);
		json_object_set(o, "perspective", json_object_get(sm->study_persp, key));
	}
	sqlite3_finalize(s);
	return list;
}

json_t *qes_studies_summary_json(qes_store *st, qes_error *err)
{
	json_t *rows = NULL;
	summary sm = { 0 };
	json_t *out = NULL;
	sm.country = field_named(st, "country", "country");
	sm.design = field_named(st, "design", NULL);
	sm.count = field_named(st, "participants", "count");
	sm.publication = field_named(st, "publication", NULL);
	sm.countries = json_object();
	sm.nations = json_object();
	sm.designs = json_object();
	sm.perspectives = json_object();
	sm.totals = json_object();
	sm.group_studies = json_object();
	sm.pubs = json_object();
	sm.contradictions = json_array();
	sm.study_counts = json_object();
	sm.groups_seen = json_object();
	sm.study_persp = json_object();
	if (qes__study_pool_sync(st, err) || collect(st, &sm, err))
		goto out;
	perspectives(&sm);
	if (contradictions(st, &sm, err))
		goto out;
	long long reports = qes_store_count(st, "study_reports", err);
	if (reports < 0 || !(rows = study_rows(st, &sm, err)))
		goto out;
	out = json_pack("{s:{s:I,s:I},s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:O}",
			"totals", "studies", (json_int_t)sm.studies, "reports", (json_int_t)reports,
			"studies", rows,
			"by_country", to_list(sm.countries, "country", NULL),
			"by_nation", to_list(sm.nations, "nation", NULL),
			"by_design", to_list(sm.designs, "design", NULL),
			"by_perspective", to_list(sm.perspectives, "perspective", NULL),
			"participants", to_list(sm.totals, "group", sm.group_studies),
			"by_publication", to_list(sm.pubs, "publication", NULL),
			"contradictions", sm.contradictions);
out:
	free(sm.country);
	free(sm.design);
	free(sm.count);
	free(sm.publication);
	json_decref(sm.countries);
	json_decref(sm.nations);
	json_decref(sm.designs);
	json_decref(sm.perspectives);
	json_decref(sm.totals);
	json_decref(sm.group_studies);
	json_decref(sm.pubs);
	json_decref(sm.contradictions);
	json_decref(sm.study_counts);
	json_decref(sm.groups_seen);
	json_decref(sm.study_persp);
	return out;
}

int qes_study_note_add(qes_store *st, const char *text, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	if (!qes__utf8_valid(text, strlen(text)))
		return qes_error_set(err, QES_EFORMAT, "the note is not UTF-8 text");
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if ((rc = qes__prep(st, &s, "INSERT INTO study_notes(text) VALUES (?)", err)))
		goto out;
	sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = qes_store_sqlerr(st, err, "adding a note");
		goto out;
	}
	rc = qes_store_commit(st, err);
out:
	sqlite3_finalize(s);
	if (rc)
		qes_store_rollback(st);
	return rc;
}

/* One column per field; count fields get one column per group in use. */
static int table_columns(qes_store *st, json_t *cols, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__prep(st, &s, "SELECT f.name, f.label, f.type FROM extract_fields f "
			   "ORDER BY f.position", err);
	if (rc)
		return rc;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		const char *label = (const char *)sqlite3_column_text(s, 1);
		if (strcmp((const char *)sqlite3_column_text(s, 2), "count")) {
			json_array_append_new(cols, json_pack("[s,s]", name, label));
			continue;
		}
		sqlite3_stmt *g = NULL;
		if ((rc = qes__prep(st, &g, "SELECT DISTINCT field FROM extract_values WHERE "
				    "substr(field, 1, length(?1) + 1) = ?1 || '.' ORDER BY field", err)))
			break;
		sqlite3_bind_text(g, 1, name, -1, SQLITE_STATIC);
		while (sqlite3_step(g) == SQLITE_ROW) {
			const char *f = (const char *)sqlite3_column_text(g, 0);
			char *l = NULL;
			if (asprintf(&l, "%s: %s", label, f + strlen(name) + 1) >= 0) {
				json_array_append_new(cols, json_pack("[s,s]", f, l));
				free(l);
			}
		}
		sqlite3_finalize(g);
	}
	sqlite3_finalize(s);
	return rc;
}

int qes_study_table_html(qes_store *st, char **html, qes_error *err)
{
	qes_strbuf sb = QES_STRBUF_INIT(1u << 30);
	json_t *cols = json_array(), *list = NULL;
	sqlite3_stmt *s = NULL;
	int rc;
	*html = NULL;
	if ((rc = table_columns(st, cols, err)))
		goto out;
	if (!(list = qes_study_list_json(st, err))) {
		rc = err->code ? err->code : QES_ENOMEM;
		goto out;
	}
	if ((rc = qes__prep(st, &s, "SELECT value FROM extract_values v JOIN studies st "
			    "ON st.id = v.study_id WHERE st.key = ? AND v.field = ?", err)))
		goto out;
	qes__strbuf_addstr(&sb, "<table class=\"qes-studies\">\n<thead><tr><th>Study</th>");
	size_t i, j;
	json_t *c, *study;
	json_array_foreach(cols, i, c) {
		qes__strbuf_addstr(&sb, "<th>");
		qes__html_escape(&sb, json_string_value(json_array_get(c, 1)));
		qes__strbuf_addstr(&sb, "</th>");
	}
	qes__strbuf_addstr(&sb, "</tr></thead>\n<tbody>\n");
	json_array_foreach(list, j, study) {
		const char *key = json_string_value(json_object_get(study, "study"));
		const char *label = json_string_value(json_object_get(study, "label"));
		qes__strbuf_addstr(&sb, "<tr><th scope=\"row\">");
		qes__html_escape(&sb, label ? label : key);
		qes__strbuf_addstr(&sb, "</th>");
		json_array_foreach(cols, i, c) {
			sqlite3_reset(s);
			sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 2, json_string_value(json_array_get(c, 0)), -1,
					  SQLITE_TRANSIENT);
			qes__strbuf_addstr(&sb, "<td>");
			if (sqlite3_step(s) == SQLITE_ROW)
				qes__html_escape(&sb, (const char *)sqlite3_column_text(s, 0));
			qes__strbuf_addstr(&sb, "</td>");
		}
		qes__strbuf_addstr(&sb, "</tr>\n");
	}
	if (qes__strbuf_addstr(&sb, "</tbody>\n</table>\n")) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	*html = qes__strbuf_detach(&sb, NULL);
out:
	sqlite3_finalize(s);
	json_decref(cols);
	json_decref(list);
	qes__strbuf_release(&sb);
	return rc;
}
