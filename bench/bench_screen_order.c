/* bench_screen_order.c: what a reviewer waits for in prioritised screening.
 *
 *   build/rel/bench/bench_screen_order CSV TRUTH [DECISIONS]
 *
 * Imports CSV into a temporary review, then screens DECISIONS records (100)
 * as the terminal screener does: the orderer offers the next record
 * (prioritised, retraining in its background thread) and the decision
 * follows TRUTH (lines "source_key label", label 1 for included). Times,
 * per decision, qes_orderer_decide (store the decision, re-read the visible
 * labels, wake the retrain) plus qes_orderer_next (the next record from the
 * latest finished scores): the time from the key to the next record, less
 * drawing. Prints one line of JSON. Make TRUTH with, e.g.
 *   python3 -c 'import csv,sys; [print(r["record_id"], r["label_included"])
 *     for r in csv.DictReader(open(sys.argv[1]))]' CSV > truth */
#include "qes/screen.h"
#include "qes/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* truth[record id] from "source_key label" lines, via the records' keys. */
static signed char *load_truth(qes_store *st, const char *path, long *nrec)
{
	sqlite3 *db = qes_store_db(st);
	sqlite3_stmt *s;
	signed char *t = NULL;
	FILE *fp = fopen(path, "r");
	if (!fp || sqlite3_exec(db, "CREATE TEMP TABLE truth(k TEXT PRIMARY KEY, v INT)",
				NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO truth VALUES (?, ?)", -1, &s, NULL))
		goto out;
	char k[64];
	int v;
	while (fscanf(fp, "%63s %d", k, &v) == 2) {
		sqlite3_bind_text(s, 1, k, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(s, 2, v);
		sqlite3_step(s);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(db, "SELECT max(id) FROM records", -1, &s, NULL))
		goto out;
	sqlite3_step(s);
	*nrec = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	t = calloc((size_t)*nrec + 1, 1);
	if (!t || sqlite3_prepare_v2(db, "SELECT r.id, t.v FROM records r JOIN truth t"
				     " ON t.k = r.source_key", -1, &s, NULL))
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW)
		t[sqlite3_column_int64(s, 0)] = (signed char)sqlite3_column_int(s, 1);
	sqlite3_finalize(s);
out:
	if (fp)
		fclose(fp);
	return t;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_screen_order CSV TRUTH [DECISIONS]\n");
		return 2;
	}
	int want = argc > 3 ? atoi(argv[3]) : 100;
	char dir[] = "/tmp/qes-bench-order-XXXXXX", path[64];
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/r.qes", dir);
	qes_error err;
	qes_error_clear(&err);
	qes_store *st = NULL;
	qes_orderer *q = NULL;
	signed char *truth = NULL;
	double *lat = calloc((size_t)(want > 0 ? want : 1), sizeof(*lat));
	const char *paths[] = { argv[1] };
	qes_import_opts io = { .source = "bench" };
	qes_import_result res;
	int rc = 1, n = 0, found = 0;
	long nrec = 0;
	if (!lat || qes_store_create(&st, path, &err) ||
	    qes_import_files(st, paths, 1, &io, &res, &err) ||
	    qes_reviewer_add(st, "AB", NULL, NULL, &err) ||
	    !(truth = load_truth(st, argv[2], &nrec))) {
		fprintf(stderr, "bench_screen_order: setup failed\n");
		goto out;
	}
	double t0 = now_ms();
	qes_orderer_opts oo = { QES_ORDER_PRIORITISED, 1, 1, 0 };
	if (qes_orderer_new(&q, st, "AB", QES_STAGE_TA, &oo, &err))
		goto out;
	double new_ms = now_ms() - t0;
	long long id;
	qes_order_info info;
	if (qes_orderer_next(q, 0, &id, &info, &err))
		goto out;
	for (; n < want && id; n++) {
		found += truth[id] == 1;
		t0 = now_ms();
		if (qes_orderer_decide(q, id, truth[id] == 1 ? QES_DEC_INCLUDE : QES_DEC_EXCLUDE,
				       NULL, &err) ||
		    qes_orderer_next(q, 0, &id, &info, &err))
			goto out;
		lat[n] = now_ms() - t0;
	}
	qes_orderer_wait(q);
	qes_orderer_next(q, 0, &id, &info, &err);
	qsort(lat, (size_t)n, sizeof(*lat), cmp_d);
	printf("{\"records\": %ld, \"decisions\": %d, \"included_found\": %d, "
	       "\"orderer_new_ms\": %.1f, \"decide_to_next_ms\": {\"median\": %.2f, "
	       "\"p95\": %.2f, \"max\": %.2f}, \"retrains\": %ld, \"retrain_ms_mean\": %.1f}\n",
	       nrec, n, found, new_ms, n ? lat[n / 2] : 0, n ? lat[(n * 95) / 100] : 0,
	       n ? lat[n - 1] : 0, info.retrains, info.retrain_ms);
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "bench_screen_order: %s\n", err.message);
	qes_orderer_free(q);
	qes_store_close(st);
	free(truth);
	free(lat);
	char p[96];
	const char *sfx[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
		unlink(p);
	}
	rmdir(dir);
	return rc;
}
