/* bench_theme.c: how long the synthesis views take on a large coded review.
 *
 *   build/rel/bench/bench_theme [SOURCES [LINES [CODINGS_PER_SOURCE]]]
 *
 * Makes a review in /tmp with SOURCES transcripts of LINES speaker lines
 * (about 120 characters each, some non-ASCII), one case per line range of
 * ten lines (perspective parent or practitioner alternating), 24 codes,
 * CODINGS_PER_SOURCE codings per source by two coders, 8 descriptive
 * themes under 2 analytical themes with 4 subthemes; then times each view
 * (wall-clock, best of 3) and deletes the review. The data is written with
 * SQL in one transaction: the bench is about the views, not coding.
 * BENCH_THEME_KEEP=1 keeps the review (its path goes to stderr). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "qes/code.h"
#include "qes/store.h"
#include "qes/theme.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const words[] = {
	"worker", "visit", "fear", "trust", "children", "café", "naïve", "report", "help",
	"judged", "listened", "meeting", "support", "removal", "nurse", "mother", "father",
};

/* A source's text: LINES lines "Speaker N: w w w ...". */
static char *make_text(long lines, unsigned *seed)
{
	size_t cap = (size_t)lines * 160 + 1, len = 0;
	char *t = malloc(cap);
	for (long l = 0; t && l < lines; l++) {
		len += (size_t)snprintf(t + len, cap - len, "Speaker %ld:", l % 10);
		for (int w = 0; w < 14; w++)
			len += (size_t)snprintf(t + len, cap - len, " %s",
						words[rand_r(seed) % (sizeof(words) / sizeof(words[0]))]);
		t[len++] = '\n';
	}
	if (t)
		t[len] = 0;
	return t;
}

static int fill(qes_store *st, long nsrc, long lines, long per, qes_error *err)
{
	sqlite3 *db = qes_store_db(st);
	unsigned seed = 1;
	char sql[512], path[64], name[64];
	int rc = 0;
	for (int c = 0; c < 24; c++) {
		snprintf(path, sizeof(path), "%s/Code %d", c % 2 ? "Parent" : "Practice", c);
		if ((rc = qes_code_add(st, path, NULL, NULL, NULL, err)))
			return rc;
	}
	if ((rc = qes_store_begin(st, err)))
		return rc;
	sqlite3_exec(db, "INSERT INTO code_coders(guid, name) VALUES ('g-ann','ann'),('g-bob','bob')",
		     NULL, NULL, NULL);
	sqlite3_stmt *src, *cs, *cd;
	sqlite3_prepare_v2(db, "INSERT INTO code_sources(guid, name, kind, text, length)"
			   " VALUES (?, ?, 'transcript', ?, ?)", -1, &src, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO code_case_sources(case_id, source_id, line_from, line_to)"
			   " VALUES (?, ?, ?, ?)", -1, &cs, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO code_codings(guid, source_id, code_id, coder_id, start, end,"
			   " kind, illustrative) VALUES (?, ?, (SELECT id FROM code_codes WHERE is_folder = 0"
			   " ORDER BY id LIMIT 1 OFFSET ?), ?, ?, ?, ?, ?)", -1, &cd, NULL);
	for (int k = 0; k < 10; k++) {
		snprintf(sql, sizeof(sql), "INSERT INTO code_cases(guid, name) VALUES ('c%d', 'Case %d');"
			 "INSERT INTO code_case_attrs VALUES (%d, 'perspective', '%s');", k, k, k + 1,
			 k % 2 ? "parent" : "practitioner");
		sqlite3_exec(db, sql, NULL, NULL, NULL);
	}
	long long guid = 0;
	for (long s = 0; s < nsrc; s++) {
		char *text = make_text(lines, &seed);
		size_t blen = strlen(text);
		long cps = qes_code_byte_to_cp(text, blen);
		snprintf(name, sizeof(name), "S%ld", s);
		snprintf(sql, sizeof(sql), "s-%ld", s);
		sqlite3_bind_text(src, 1, sql, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(src, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(src, 3, text, (int)blen, SQLITE_TRANSIENT);
		sqlite3_bind_int64(src, 4, cps);
		sqlite3_step(src);
		sqlite3_reset(src);
		long long sid = sqlite3_last_insert_rowid(db);
		for (long l = 1; l <= lines; l += 10) {
			sqlite3_bind_int64(cs, 1, 1 + (l / 10) % 10);
			sqlite3_bind_int64(cs, 2, sid);
			sqlite3_bind_int64(cs, 3, l);
			sqlite3_bind_int64(cs, 4, l + 9);
			sqlite3_step(cs);
			sqlite3_reset(cs);
		}
		for (long i = 0; i < per; i++) {
			long start = (long)(rand_r(&seed) % (unsigned)(cps - 200));
			snprintf(sql, sizeof(sql), "k-%lld", guid++);
			sqlite3_bind_text(cd, 1, sql, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(cd, 2, sid);
			sqlite3_bind_int64(cd, 3, rand_r(&seed) % 24);
			sqlite3_bind_int64(cd, 4, 1 + i % 2);
			sqlite3_bind_int64(cd, 5, start);
			sqlite3_bind_int64(cd, 6, start + 20 + rand_r(&seed) % 150);
			sqlite3_bind_text(cd, 7, i % 3 ? "" : "quote", -1, SQLITE_STATIC);
			sqlite3_bind_int(cd, 8, i % 7 == 0);
			sqlite3_step(cd);
			sqlite3_reset(cd);
		}
		free(text);
	}
	sqlite3_finalize(src);
	sqlite3_finalize(cs);
	sqlite3_finalize(cd);
	if ((rc = qes_store_commit(st, err)))
		return rc;
	/* Themes: descriptive D0..D7 with three codes each, subthemes grouping two. */
	static const char *const an[] = { "Analytical A", "Analytical B" };
	for (int a = 0; a < 2; a++)
		qes_theme_add(st, an[a], "analytical", NULL, NULL, NULL, err);
	for (int d = 0; d < 8; d++) {
		char dn[32], sn[32], c1[32], c2[32], c3[32];
		snprintf(dn, sizeof(dn), "D%d", d);
		snprintf(sn, sizeof(sn), "Sub %d", d / 2);
		snprintf(c1, sizeof(c1), "%s/Code %d", (3 * d) % 2 ? "Parent" : "Practice", 3 * d);
		snprintf(c2, sizeof(c2), "%s/Code %d", (3 * d + 1) % 2 ? "Parent" : "Practice", 3 * d + 1);
		snprintf(c3, sizeof(c3), "%s/Code %d", (3 * d + 2) % 2 ? "Parent" : "Practice", 3 * d + 2);
		char *codes[] = { c1, c2, c3 }, *kid[] = { dn };
		qes_theme_add(st, dn, "descriptive", NULL, NULL, NULL, err);
		if (d % 2 == 0)
			qes_theme_add(st, sn, NULL, an[d / 4], NULL, NULL, err);
		if ((rc = qes_theme_codes(st, dn, codes, 3, 0, err)) ||
		    (rc = qes_theme_group(st, sn, kid, 1, 0, err)))
			return rc;
	}
	return 0;
}

typedef struct view {
	const char *name;
	json_t *(*run)(qes_store *st, qes_error *err);
} view;

static json_t *v_list(qes_store *st, qes_error *e) { return qes_theme_list_json(st, NULL, e); }
static json_t *v_trace(qes_store *st, qes_error *e) { return qes_theme_trace_json(st, "Analytical A", NULL, e); }
static json_t *v_matrix(qes_store *st, qes_error *e) { return qes_query_matrix_json(st, NULL, NULL, e); }
static json_t *v_matrix_as(qes_store *st, qes_error *e) { return qes_query_matrix_json(st, NULL, "bob", e); }
static json_t *v_cooccur(qes_store *st, qes_error *e) { return qes_query_cooccur_json(st, NULL, NULL, e); }
static json_t *v_search(qes_store *st, qes_error *e) { return qes_query_search_json(st, "NAÏVE report", NULL, 40, 0, e); }
static json_t *v_framework(qes_store *st, qes_error *e) { return qes_query_framework_json(st, "case", NULL, NULL, e); }
static json_t *v_table(qes_store *st, qes_error *e) { return qes_theme_table_json(st, 3, NULL, e); }

int main(int argc, char **argv)
{
	long nsrc = argc > 1 ? atol(argv[1]) : 200, lines = argc > 2 ? atol(argv[2]) : 200;
	long per = argc > 3 ? atol(argv[3]) : 100;
	if (nsrc < 1 || lines < 20 || per < 1) {
		fprintf(stderr, "usage: bench_theme [SOURCES [LINES>=20 [CODINGS_PER_SOURCE]]]\n");
		return 2;
	}
	char path[64];
	snprintf(path, sizeof(path), "/tmp/qes-bench-theme-%ld.qes", (long)getpid());
	qes_store *st = NULL;
	qes_error err;
	qes_error_clear(&err);
	int rc = 1;
	double t0 = now();
	if (qes_store_create(&st, path, &err) || fill(st, nsrc, lines, per, &err)) {
		fprintf(stderr, "bench_theme: %s\n", err.message);
		goto out;
	}
	printf("review: %ld sources x %ld lines, %ld codings, made in %.2f s\n", nsrc, lines,
	       nsrc * per, now() - t0);
	static const view views[] = {
		{ "theme list", v_list }, { "theme trace (analytical)", v_trace },
		{ "query matrix", v_matrix }, { "query matrix --as bob", v_matrix_as },
		{ "query cooccur", v_cooccur }, { "query search", v_search },
		{ "query framework --by case", v_framework }, { "theme table", v_table },
	};
	printf("%-28s %10s\n", "view", "best (s)");
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		double best = 1e9;
		for (int r = 0; r < 3; r++) {
			double a = now();
			json_t *v = views[i].run(st, &err);
			double b = now() - a;
			if (!v) {
				fprintf(stderr, "bench_theme: %s: %s\n", views[i].name, err.message);
				goto out;
			}
			json_decref(v);
			best = b < best ? b : best;
		}
		printf("%-28s %10.3f\n", views[i].name, best);
	}
	rc = 0;
out:
	qes_store_close(st);
	if (getenv("BENCH_THEME_KEEP")) {   /* to look at the review with sqlite3 */
		fprintf(stderr, "kept %s\n", path);
		return rc;
	}
	unlink(path);
	char p2[80];
	snprintf(p2, sizeof(p2), "%s-wal", path);
	unlink(p2);
	snprintf(p2, sizeof(p2), "%s-shm", path);
	unlink(p2);
	return rc;
}
