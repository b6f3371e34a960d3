/* test_dedup_store.c: the library calls the CLI and the web UI share: run,
 * dry run, queue, decisions, undo, export, summary. Records are put in with
 * SQL (the import path is tested elsewhere). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qes/dedup.h"
#include "qes/store.h"

typedef struct fx {
	char dir[64], path[96];
	qes_store *st;
} fx;

static void add(qes_store *st, const char *key, const char *title, const char *authors,
		int year, const char *journal, const char *pages, const char *doi)
{
	char sql[2048];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO records(import_id, source_key, ordinal, line, type, title, authors, year,"
		 " journal, volume, pages, doi, raw) VALUES (1, '%s', 1, 1, 'article', %s%s%s, '%s', %d,"
		 " '%s', '12', '%s', %s%s%s, '')",
		 key, title ? "'" : "", title ? title : "NULL", title ? "'" : "", authors, year, journal,
		 pages, doi ? "'" : "", doi ? doi : "NULL", doi ? "'" : "");
	qes_error err;
	assert_int_equal(qes_store_exec(st, sql, &err), 0);
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	strcpy(f->dir, "/tmp/qes-dedup-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/r.qes", f->dir);
	qes_error err;
	assert_int_equal(qes_store_create(&f->st, f->path, &err), 0);
	assert_int_equal(qes_store_exec(f->st,
		"INSERT INTO sources(name) VALUES ('medline');"
		"INSERT INTO imports(source_id, file_name, file_sha256, file_bytes, format, encoding)"
		" VALUES (1, 'x.ris', 'x', 0, 'ris', 'UTF-8');", &err), 0);
	/* a1/a2: one article from two databases (certain). b1/b2: same title,
	 * year 1 apart, no pages on one side (unsure). c1/c2: an article and
	 * its erratum. d1/d2: no title (never merged on weak evidence). */
	add(f->st, "a1", "Effects of exercise on mood in older adults", "Smith, J\nJones, K", 2010,
	    "Journal of Things", "100-110", NULL);
	add(f->st, "a2", "Effects of Exercise on Mood in Older Adults.", "Smith J\nJones K", 2010,
	    "J Things", "100-10", "10.1000/a");
	add(f->st, "b1", "Sleep and memory in shift workers: a cohort", "Brown, A", 2015,
	    "Sleep", "", NULL);
	add(f->st, "b2", "Sleep and memory in shift workers: a cohort", "Brown, A", 2016,
	    "Sleep", "", NULL);
	add(f->st, "c1", "Screening for anxiety in primary care", "Lee, C", 2012, "BMJ", "5-9", NULL);
	add(f->st, "c2", "Erratum: Screening for anxiety in primary care", "Lee, C", 2012, "BMJ",
	    "300", NULL);
	add(f->st, "d1", NULL, "Wu, D", 2011, "Lancet", "1-2", NULL);
	add(f->st, "d2", NULL, "Wu, D", 2011, "Lancet", "1-2", NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	qes_store_close(f->st);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static long long id_of(qes_store *st, const char *key)
{
	long long id;
	qes_error err;
	assert_int_equal(qes_record_find(st, key, &id, &err), 0);
	return id;
}

static long long cluster(qes_store *st, const char *key)
{
	long long c;
	qes_error err;
	assert_int_equal(qes_dedup_cluster_of(st, id_of(st, key), &c, &err), 0);
	return c;
}

static void test_dry_run_writes_nothing(void **state)
{
	fx *f = *state;
	qes_dedup_opts o = { .dry_run = 1 };
	qes_dedup_result r;
	qes_error err;
	assert_int_equal(qes_dedup_run(f->st, &o, &r, &err), 0);
	assert_int_equal(r.clusters, 1);
	assert_int_equal(r.queued, 1);
	qes_dedup_counts c;
	assert_int_equal(qes_dedup_summary(f->st, &c, &err), 0);
	assert_int_equal(c.clusters, 0);
	assert_int_equal(c.pending, 0);
	assert_int_equal(c.runs, 0);
	assert_string_equal(c.rules_version, "");
	assert_int_equal(c.works, 8);
}

static void test_run_merges_certain_and_queues_unsure(void **state)
{
	fx *f = *state;
	qes_dedup_result r;
	qes_error err;
	assert_int_equal(qes_dedup_run(f->st, NULL, &r, &err), 0);
	assert_int_equal(r.records, 8);
	assert_int_equal(r.works, 7);
	assert_true(cluster(f->st, "a1") && cluster(f->st, "a1") == cluster(f->st, "a2"));
	assert_int_equal(cluster(f->st, "b1"), 0);
	assert_int_equal(cluster(f->st, "c1"), 0);   /* erratum kept apart */
	assert_int_equal(cluster(f->st, "d1"), 0);   /* no title */
	qes_dedup_pair *p;
	size_t n;
	assert_int_equal(qes_dedup_queue(f->st, 1, &p, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].key_a, "b1");
	assert_string_equal(p[0].key_b, "b2");
	assert_string_equal(p[0].status, "pending");
	qes_dedup_pairs_free(p, n);
	qes_dedup_counts c;
	assert_int_equal(qes_dedup_summary(f->st, &c, &err), 0);
	assert_int_equal(c.records, 8);
	assert_int_equal(c.clusters, 1);
	assert_int_equal(c.duplicates, 1);
	assert_int_equal(c.pending, 1);
	assert_int_equal(c.runs, 1);
	assert_string_equal(c.rules_version, QES_DEDUP_RULES_VERSION);
	/* Run again: nothing new. */
	assert_int_equal(qes_dedup_run(f->st, NULL, &r, &err), 0);
	assert_int_equal(r.clusters, 0);
	assert_int_equal(r.queued, 0);
}

static void test_decisions(void **state)
{
	fx *f = *state;
	qes_dedup_result r;
	qes_error err;
	assert_int_equal(qes_dedup_run(f->st, NULL, &r, &err), 0);
	long long b1 = id_of(f->st, "b1"), b2 = id_of(f->st, "b2");
	/* Through the queue only queued pairs (issue 16): b1/d1 is none, and
	 * nothing is written for it. */
	long long d1 = id_of(f->st, "d1");
	assert_int_equal(qes_dedup_decide_queued(f->st, b1, d1, QES_DEDUP_MERGE, "bob", &err), QES_EPERM);
	assert_int_equal(cluster(f->st, "b1"), 0);
	assert_int_equal(cluster(f->st, "d1"), 0);
	assert_int_equal(qes_store_count(f->st, "SELECT count(*) FROM dedup_pairs WHERE"
					 " reason = 'decided by a person'", &err), 0);
	assert_int_equal(qes_dedup_decide_queued(f->st, b2, b1, QES_DEDUP_SKIP, "bob", &err), 0);
	assert_int_equal(qes_dedup_decide(f->st, b2, b1, QES_DEDUP_SKIP, "ann", &err), 0);
	assert_int_equal(cluster(f->st, "b1"), 0);
	assert_int_equal(qes_dedup_decide(f->st, b1, b2, QES_DEDUP_MERGE, "ann", &err), 0);
	assert_true(cluster(f->st, "b1") && cluster(f->st, "b1") == cluster(f->st, "b2"));
	assert_int_equal(qes_dedup_decide(f->st, b1, b2, QES_DEDUP_DISTINCT, "ann", &err), QES_ECONFLICT);
	/* A person's distinct outlasts later runs. */
	long long c1 = id_of(f->st, "a1"), c2 = id_of(f->st, "c1");
	assert_int_equal(qes_dedup_decide(f->st, c1, c2, QES_DEDUP_DISTINCT, NULL, &err), 0);
	assert_int_equal(qes_dedup_decide(f->st, c1, c1, QES_DEDUP_MERGE, NULL, &err), QES_EINVAL);
	assert_int_equal(qes_dedup_run(f->st, NULL, &r, &err), 0);
	assert_true(cluster(f->st, "b1") == cluster(f->st, "b2"));   /* merge kept */
	qes_dedup_pair *p;
	size_t n;
	assert_int_equal(qes_dedup_queue(f->st, 1, &p, &n, &err), 0);
	assert_int_equal(n, 0);
	qes_dedup_pairs_free(p, n);
}

static void test_undo(void **state)
{
	fx *f = *state;
	qes_dedup_result r;
	qes_error err;
	assert_int_equal(qes_dedup_run(f->st, NULL, &r, &err), 0);
	long long c = cluster(f->st, "a1");
	assert_true(c > 0);
	long undone;
	assert_int_equal(qes_dedup_undo(f->st, c, &undone, &err), 0);
	assert_int_equal(undone, 1);
	assert_int_equal(cluster(f->st, "a1"), 0);
	assert_int_equal(cluster(f->st, "a2"), 0);
	assert_int_equal(qes_dedup_undo(f->st, c, &undone, &err), QES_ENOTFOUND);
	/* The pair went back to the queue; a run does not redo the merge. */
	assert_int_equal(qes_dedup_run(f->st, NULL, &r, &err), 0);
	assert_int_equal(cluster(f->st, "a1"), 0);
	qes_dedup_pair *p;
	size_t n;
	assert_int_equal(qes_dedup_queue(f->st, 1, &p, &n, &err), 0);
	assert_int_equal(n, 2);
	qes_dedup_pairs_free(p, n);
	/* Records are never deleted. */
	assert_int_equal(qes_store_count(f->st, "records", &err), 8);
}

static void test_undo_all_and_export(void **state)
{
	fx *f = *state;
	qes_dedup_result r;
	qes_error err;
	assert_int_equal(qes_dedup_run(f->st, NULL, &r, &err), 0);
	char out[128];
	snprintf(out, sizeof(out), "%s/clusters.csv", f->dir);
	assert_int_equal(qes_dedup_export_clusters(f->st, out, &err), 0);
	FILE *fp = fopen(out, "r");
	assert_non_null(fp);
	char line[256], ca1[256] = "", ca2[256] = "";
	int rows = 0;
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_string_equal(line, "source_key,cluster\n");
	while (fgets(line, sizeof(line), fp)) {
		rows++;
		if (!strncmp(line, "a1,", 3))
			snprintf(ca1, sizeof(ca1), "%s", line + 3);
		if (!strncmp(line, "a2,", 3))
			snprintf(ca2, sizeof(ca2), "%s", line + 3);
	}
	fclose(fp);
	assert_int_equal(rows, 8);
	assert_string_equal(ca1, ca2);
	long undone;
	assert_int_equal(qes_dedup_undo(f->st, 0, &undone, &err), 0);
	assert_int_equal(undone, 1);
	assert_int_equal(cluster(f->st, "a1"), 0);
	/* A reset: the next run merges again. */
	assert_int_equal(qes_dedup_run(f->st, NULL, &r, &err), 0);
	assert_true(cluster(f->st, "a1") && cluster(f->st, "a1") == cluster(f->st, "a2"));
	snprintf(out, sizeof(out), "%s/no/such/dir/c.csv", f->dir);
	assert_int_equal(qes_dedup_export_clusters(f->st, out, &err), QES_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dry_run_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_merges_certain_and_queues_unsure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decisions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undo_all_and_export, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
