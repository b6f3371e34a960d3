/* test_screen_order.c: the order records are offered in (random,
 * prioritised), blinding of the model, background retraining, and the
 * stopping estimate's random sample, on a real dataset (Cohen et al. 2006,
 * antihistamines: 310 records, label_included the truth). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qes/screen.h"
#include "qes/import.h"

#define DATA "../shared/data/screening/Cohen_2006_Antihistamines.csv"
#define MAXREC 400
#define TOP 20

typedef struct fixture {
	char dir[64], path[96];
	qes_store *st;
	qes_error err;
	long n;
	signed char truth[MAXREC + 1];   /* by record id: label_included */
} fixture;

/* label_included is the second-to-last column of each raw CSV row. */
static int read_truth(fixture *f)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(qes_store_db(f->st), "SELECT id, raw FROM records", -1, &s,
			       NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(s) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		const char *raw = (const char *)sqlite3_column_text(s, 1);
		const char *last = strrchr(raw, ',');
		if (id < 1 || id > MAXREC || !last || last - raw < 2 || last[-2] != ',')
			continue;
		f->truth[id] = last[-1] == '1';
		f->n++;
	}
	sqlite3_finalize(s);
	return f->n > 0 ? 0 : -1;
}

static int setup(void **state)
{
	if (access(DATA, R_OK)) {
		fprintf(stderr, "skipped: %s is not there\n", DATA);
		*state = NULL;
		return 0;
	}
	fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/qes-order-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/r.qes", f->dir);
	const char *paths[] = { DATA };
	qes_import_opts io = { .source = "MEDLINE" };
	qes_import_result res;
	if (qes_store_create(&f->st, f->path, &f->err) ||
	    qes_import_files(f->st, paths, 1, &io, &res, &f->err) ||
	    qes_reviewer_add(f->st, "AB", NULL, NULL, &f->err) ||
	    qes_reviewer_add(f->st, "CD", NULL, NULL, &f->err) || read_truth(f))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	if (!f)
		return 0;
	qes_store_close(f->st);
	char p[128];
	const char *sfx[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", f->path, sfx[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

#define NEED_DATA(f) do { if (!(f)) { skip(); return; } } while (0)

static qes_orderer *orderer(fixture *f, const char *as, qes_screen_order o,
			    unsigned long long seed, int background)
{
	qes_orderer *q = NULL;
	qes_orderer_opts oo = { o, seed, background, 0 };
	assert_int_equal(qes_orderer_new(&q, f->st, as, QES_STAGE_TA, &oo, &f->err), 0);
	return q;
}

/* The first k records of the orderer's order (walking with after). */
static void first_k(fixture *f, qes_orderer *q, long long *out, int k, qes_order_info *info)
{
	long long after = 0;
	for (int i = 0; i < k; i++) {
		assert_int_equal(qes_orderer_next(q, after, &out[i], i ? NULL : info, &f->err), 0);
		assert_true(out[i] > 0);
		after = out[i];
	}
}

static int includes_in(const fixture *f, const long long *ids, int k)
{
	int n = 0;
	for (int i = 0; i < k; i++)
		n += f->truth[ids[i]];
	return n;
}

/* AB decides, by the truth, the first `inc` included and `exc` excluded
 * records by id (the "prior knowledge" of a prioritised screening). */
static void priors(fixture *f, const char *as, int inc, int exc)
{
	for (long long id = 1; id <= f->n && (inc || exc); id++) {
		int *left = f->truth[id] ? &inc : &exc;
		if (!*left)
			continue;
		assert_int_equal(qes_screen_decide(f->st, as, QES_STAGE_TA, id, f->truth[id]
						   ? QES_DEC_INCLUDE : QES_DEC_EXCLUDE, NULL,
						   &f->err), 0);
		(*left)--;
	}
}

static void test_random_reproducible(void **state)
{
	fixture *f = *state;
	NEED_DATA(f);
	long long a[TOP], b[TOP], c[TOP];
	qes_order_info info;
	qes_orderer *q = orderer(f, "AB", QES_ORDER_RANDOM, 7, 0);
	first_k(f, q, a, TOP, &info);
	assert_int_equal(info.order, QES_ORDER_RANDOM);
	qes_orderer_free(q);
	q = orderer(f, "AB", QES_ORDER_RANDOM, 7, 0);
	first_k(f, q, b, TOP, NULL);
	qes_orderer_free(q);
	q = orderer(f, "AB", QES_ORDER_RANDOM, 8, 0);
	first_k(f, q, c, TOP, NULL);
	qes_orderer_free(q);
	assert_memory_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, c, sizeof(a));
	int in_id_order = 1;
	for (int i = 0; i < TOP; i++)
		in_id_order &= a[i] == i + 1;
	assert_false(in_id_order);
	/* Prioritised with nothing decided is random, and says why. */
	q = orderer(f, "AB", QES_ORDER_AUTO, 7, 0);
	first_k(f, q, b, TOP, &info);
	qes_orderer_free(q);
	assert_int_equal(info.order, QES_ORDER_RANDOM);
	assert_non_null(strstr(info.why_not, "one include and one exclude"));
	assert_memory_equal(a, b, sizeof(a));
}

/* After one include and a few excludes, the records the model puts first
 * hold more of the truly included records than the random order's. */
static void test_prioritised_first(void **state)
{
	fixture *f = *state;
	NEED_DATA(f);
	priors(f, "AB", 2, 10);
	long long pri[TOP], rnd[TOP];
	qes_order_info info;
	qes_orderer *q = orderer(f, "AB", QES_ORDER_PRIORITISED, 7, 0);
	first_k(f, q, pri, TOP, &info);
	qes_orderer_free(q);
	q = orderer(f, "AB", QES_ORDER_RANDOM, 7, 0);
	first_k(f, q, rnd, TOP, NULL);
	qes_orderer_free(q);
	assert_int_equal(info.order, QES_ORDER_PRIORITISED);
	assert_int_equal(info.labelled, 12);
	assert_int_equal(info.relevant, 2);
	assert_true(info.nterms > 0);
	assert_true(info.terms[0][0] != '\0');
	int ip = includes_in(f, pri, TOP), ir = includes_in(f, rnd, TOP);
	print_message("includes in the first %d: prioritised %d, random %d\n", TOP, ip, ir);
	assert_true(ip > ir);
	/* Records already decided are never offered. */
	for (int i = 0; i < TOP; i++) {
		qes_decision_view *v;
		int n;
		assert_int_equal(qes_screen_decisions(f->st, "AB", QES_STAGE_TA, pri[i], &v, &n,
						      &f->err), 0);
		assert_int_equal(n, 0);
		qes_decision_views_release(v, n);
	}
}

/* The log names the order each record was offered in: a prioritised session
 * offers records at random until the reviewer has an include and an
 * exclude, and only the records offered by the model say "prioritised". */
static void test_log_names_order_offered(void **state)
{
	fixture *f = *state;
	NEED_DATA(f);
	qes_orderer *q = orderer(f, "AB", QES_ORDER_PRIORITISED, 7, 0);
	int ranked_from = -1;
	for (int i = 0; i < 12; i++) {
		long long id;
		qes_order_info info;
		assert_int_equal(qes_orderer_next(q, 0, &id, &info, &f->err), 0);
		if (ranked_from < 0 && info.order == QES_ORDER_PRIORITISED)
			ranked_from = i;
		/* alternate so both classes exist after two decisions */
		assert_int_equal(qes_orderer_decide(q, id, i % 2 ? QES_DEC_EXCLUDE
						    : QES_DEC_INCLUDE, NULL, &f->err), 0);
	}
	qes_orderer_free(q);
	assert_int_equal(ranked_from, 2);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(qes_store_db(f->st), "SELECT detail FROM screen_log"
					    " WHERE action = 'decide' ORDER BY id", -1, &s, NULL),
			 SQLITE_OK);
	int k = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(s, 0);
		assert_string_equal(d, k < 2 ? "order=random" : "order=prioritised");
		k++;
	}
	sqlite3_finalize(s);
	assert_int_equal(k, 12);
}

/* Orderers on one pool share its features, whoever the reviewer and
 * whatever the order; once a record's text changes a new orderer builds its
 * own, and the older orderers keep theirs until the last one is freed. */
static void test_features_shared(void **state)
{
	fixture *f = *state;
	NEED_DATA(f);
	qes_orderer *a = orderer(f, "AB", QES_ORDER_PRIORITISED, 7, 0);
	qes_orderer *b = orderer(f, "CD", QES_ORDER_RANDOM, 3, 1);
	const qes_rank_features *fa = qes_orderer_features(a);
	assert_non_null(fa);
	assert_ptr_equal(qes_orderer_features(b), fa);
	assert_int_equal(sqlite3_exec(qes_store_db(f->st), "UPDATE records SET title = title || "
				      "' (erratum)' WHERE id = (SELECT min(record_id) FROM screen_units)",
				      NULL, NULL, NULL), SQLITE_OK);
	qes_orderer *c = orderer(f, "AB", QES_ORDER_PRIORITISED, 7, 0);
	assert_ptr_not_equal(qes_orderer_features(c), fa);
	assert_int_equal(qes_rank_features_count(qes_orderer_features(c)),
			 qes_rank_features_count(fa));
	size_t n = qes_rank_features_count(fa);
	qes_orderer_free(a);
	/* b still holds the features a built (ASan: nothing freed early) */
	long long id;
	qes_order_info info;
	assert_int_equal(qes_orderer_next(b, 0, &id, &info, &f->err), 0);
	assert_true(id > 0);
	assert_int_equal(info.order, QES_ORDER_RANDOM);
	assert_ptr_equal(qes_orderer_features(b), fa);
	assert_int_equal(qes_rank_features_count(qes_orderer_features(b)), n);
	qes_orderer_free(b);
	qes_orderer_free(c);
}

/* since_relevant: AB's decisions since their last include or unsure, in the
 * order made; an undone decision does not count. */
static void test_since_relevant(void **state)
{
	fixture *f = *state;
	NEED_DATA(f);
	static const qes_decision seq[] = { QES_DEC_EXCLUDE, QES_DEC_INCLUDE, QES_DEC_EXCLUDE,
					    QES_DEC_EXCLUDE, QES_DEC_UNSURE, QES_DEC_EXCLUDE,
					    QES_DEC_EXCLUDE, QES_DEC_EXCLUDE };
	static const long after[] = { 1, 0, 1, 2, 0, 1, 2, 3 };
	qes_rank_stop rs;
	for (int i = 0; i < 8; i++) {
		assert_int_equal(qes_screen_decide(f->st, "AB", QES_STAGE_TA, 100 - i, seq[i], NULL,
						   &f->err), 0);
		assert_int_equal(qes_screen_stopping(f->st, "AB", QES_STAGE_TA, 0, 0, &rs, &f->err), 0);
		assert_int_equal(rs.since_relevant, after[i]);
	}
	long long undone;
	assert_int_equal(qes_screen_undo(f->st, "AB", QES_STAGE_TA, &undone, &f->err), 0);
	assert_int_equal(undone, 93);
	assert_int_equal(qes_screen_stopping(f->st, "AB", QES_STAGE_TA, 0, 0, &rs, &f->err), 0);
	assert_int_equal(rs.since_relevant, 2);
	/* another reviewer's decisions are not AB's run */
	assert_int_equal(qes_screen_decide(f->st, "CD", QES_STAGE_TA, 50, QES_DEC_EXCLUDE, NULL,
					   &f->err), 0);
	assert_int_equal(qes_screen_stopping(f->st, "AB", QES_STAGE_TA, 0, 0, &rs, &f->err), 0);
	assert_int_equal(rs.since_relevant, 2);
}

/* Under double screening, CD's decisions on records AB has not decided are
 * undisclosed to AB: AB's model and order must not move when CD decides,
 * even when CD decides every one against the truth. Once AB decides one of
 * them too, it is complete and visible, and the model learns it. */
static void test_blinding(void **state)
{
	fixture *f = *state;
	NEED_DATA(f);
	qes_policy p = { QES_POLICY_DOUBLE, 0, 0 };
	assert_int_equal(qes_policy_set(f->st, QES_STAGE_TA, &p, "AB", &f->err), 0);
	priors(f, "AB", 2, 10);
	long long before[TOP], after[TOP], fresh[TOP];
	qes_order_info i1, i2, i3;
	qes_orderer *q = orderer(f, "AB", QES_ORDER_PRIORITISED, 7, 0);
	first_k(f, q, before, TOP, &i1);
	/* CD decides, against the truth, AB's top records and 60 more. */
	int cd = 0;
	for (int i = 0; i < TOP; i++, cd++)
		assert_int_equal(qes_screen_decide(f->st, "CD", QES_STAGE_TA, before[i],
						   f->truth[before[i]] ? QES_DEC_EXCLUDE
						   : QES_DEC_INCLUDE, NULL, &f->err), 0);
	for (long long id = f->n; id > 0 && cd < TOP + 60; id--) {
		qes_decision_view *v;
		int n;
		assert_int_equal(qes_screen_decisions(f->st, "AB", QES_STAGE_TA, id, &v, &n,
						      &f->err), 0);
		qes_decision_views_release(v, n);
		if (n)
			continue;   /* decided by AB or CD already */
		assert_int_equal(qes_screen_decide(f->st, "CD", QES_STAGE_TA, id,
						   f->truth[id] ? QES_DEC_EXCLUDE : QES_DEC_INCLUDE,
						   NULL, &f->err), 0);
		cd++;
	}
	assert_int_equal(qes_orderer_update(q, &f->err), 0);
	first_k(f, q, after, TOP, &i2);
	qes_orderer *q2 = orderer(f, "AB", QES_ORDER_PRIORITISED, 7, 0);
	first_k(f, q2, fresh, TOP, &i3);
	qes_orderer_free(q2);
	assert_memory_equal(before, after, sizeof(before));
	assert_memory_equal(before, fresh, sizeof(before));
	assert_int_equal(i2.labelled, i1.labelled);
	assert_int_equal(i3.labelled, i1.labelled);
	assert_true(i2.score == i1.score);
	/* Control: AB decides CD's record too; now both are visible. */
	assert_int_equal(qes_orderer_decide(q, before[0], QES_DEC_INCLUDE, NULL, &f->err), 0);
	first_k(f, q, after, 1, &i2);
	assert_int_equal(i2.labelled, i1.labelled + 1);
	qes_orderer_free(q);
}

/* In background mode a decision returns before the retrain ends; the next
 * record then comes from the latest finished model. */
static void test_background(void **state)
{
	fixture *f = *state;
	NEED_DATA(f);
	priors(f, "AB", 1, 3);
	qes_orderer *q = orderer(f, "AB", QES_ORDER_PRIORITISED, 7, 1);
	long long id;
	qes_order_info info;
	for (int i = 0; i < 15; i++) {
		assert_int_equal(qes_orderer_next(q, 0, &id, &info, &f->err), 0);
		assert_true(id > 0);
		assert_int_equal(qes_orderer_decide(q, id, f->truth[id] ? QES_DEC_INCLUDE
						    : QES_DEC_EXCLUDE, NULL, &f->err), 0);
	}
	qes_orderer_wait(q);
	assert_int_equal(qes_orderer_next(q, 0, &id, &info, &f->err), 0);
	assert_int_equal(info.labelled, 19);
	assert_true(info.retrains >= 2);
	assert_int_equal(info.order, QES_ORDER_PRIORITISED);
	qes_orderer_free(q);   /* joins the thread (ASan: nothing leaks) */
}

/* features_later (the web server on a large review): qes_orderer_new
 * returns before the features exist; the order is random meanwhile, and
 * once they are built it is the same as an orderer built at once. */
static void test_features_later(void **state)
{
	fixture *f = *state;
	NEED_DATA(f);
	priors(f, "AB", 1, 3);
	qes_orderer *q = NULL;
	qes_orderer_opts oo = { QES_ORDER_PRIORITISED, 7, 1, 1 };
	assert_int_equal(qes_orderer_new(&q, f->st, "AB", QES_STAGE_TA, &oo, &f->err), 0);
	assert_null(qes_orderer_features(q));   /* taken over only by a later call */
	long long id;
	qes_order_info info;
	assert_int_equal(qes_orderer_next(q, 0, &id, &info, &f->err), 0);
	assert_true(id > 0);
	if (info.order == QES_ORDER_RANDOM)
		assert_non_null(strstr(info.why_not, "features"));
	qes_orderer_wait(q);
	assert_non_null(qes_orderer_features(q));
	long long a[5], b[5];
	first_k(f, q, a, 5, &info);
	assert_int_equal(info.order, QES_ORDER_PRIORITISED);
	assert_int_equal(info.labelled, 4);
	qes_orderer *now = orderer(f, "AB", QES_ORDER_PRIORITISED, 7, 0);
	first_k(f, now, b, 5, NULL);
	assert_memory_equal(a, b, sizeof(a));
	qes_orderer_free(now);
	qes_orderer_free(q);
}

static void screen_n(fixture *f, qes_orderer *q, int n, long *included)
{
	for (int i = 0; i < n; i++) {
		long long id;
		assert_int_equal(qes_orderer_next(q, 0, &id, NULL, &f->err), 0);
		assert_true(id > 0);
		*included += f->truth[id];
		assert_int_equal(qes_orderer_decide(q, id, f->truth[id] ? QES_DEC_INCLUDE
						    : QES_DEC_EXCLUDE, NULL, &f->err), 0);
	}
}

/* The random sample of the stopping rule: decisions in random order after
 * the last prioritised one; any other decision starts it again. */
static void test_stopping_sample(void **state)
{
	fixture *f = *state;
	NEED_DATA(f);
	qes_rank_stop rs;
	long inc = 0, sample_inc = 0;
	assert_int_equal(qes_screen_stopping(f->st, "AB", QES_STAGE_TA, 0, 0, &rs, &f->err), 0);
	assert_int_equal(rs.total, f->n);
	assert_int_equal(rs.screened, 0);
	assert_int_equal(rs.sample_n, 0);
	assert_int_equal(rs.remaining_upper, -1);
	priors(f, "AB", 1, 1);
	inc = 1;
	qes_orderer *q = orderer(f, "AB", QES_ORDER_PRIORITISED, 7, 0);
	screen_n(f, q, 60, &inc);
	qes_orderer_free(q);
	q = orderer(f, "AB", QES_ORDER_RANDOM, 7, 0);
	screen_n(f, q, 80, &sample_inc);
	qes_orderer_free(q);
	assert_int_equal(qes_screen_stopping(f->st, "AB", QES_STAGE_TA, 0.95, 0.95, &rs,
					     &f->err), 0);
	assert_int_equal(rs.screened, 142);
	assert_int_equal(rs.relevant, inc + sample_inc);
	assert_int_equal(rs.sample_n, 80);
	assert_int_equal(rs.sample_relevant, sample_inc);
	assert_int_equal(rs.sample_pool, f->n - 62);
	assert_true(rs.remaining_upper >= 0);
	assert_true(rs.p_value >= 0 && rs.p_value <= 1);
	char buf[1024];
	qes_screen_stopping_sentence(&rs, buf, sizeof(buf));
	assert_non_null(strstr(buf, "Callaghan & Mueller-Hansen 2020"));
	assert_non_null(strstr(buf, rs.can_stop ? "you may stop" : "keep screening"));
	/* The other reviewer's estimate knows nothing of AB's undisclosed work
	 * only under double screening; here (single) AB's decisions are final. */
	qes_rank_stop other;
	assert_int_equal(qes_screen_stopping(f->st, "CD", QES_STAGE_TA, 0, 0, &other, &f->err), 0);
	assert_int_equal(other.screened, 142);
	assert_int_equal(other.sample_n, 0);
	/* A decision outside the random order ends the sample. */
	long long id;
	assert_int_equal(qes_screen_next(f->st, "AB", QES_STAGE_TA, 0, &id, &f->err), 0);
	assert_int_equal(qes_screen_decide(f->st, "AB", QES_STAGE_TA, id, QES_DEC_EXCLUDE, NULL,
					   &f->err), 0);
	assert_int_equal(qes_screen_stopping(f->st, "AB", QES_STAGE_TA, 0, 0, &rs, &f->err), 0);
	assert_int_equal(rs.sample_n, 0);
	assert_int_equal(rs.remaining_upper, -1);
}

/* A review with no records: an orderer all the same, with nothing to offer. */
static void test_empty_review(void **state)
{
	(void)state;
	char dir[] = "/tmp/qes-order-empty-XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.qes", dir);
	qes_store *st;
	qes_error err;
	assert_int_equal(qes_store_create(&st, path, &err), 0);
	assert_int_equal(qes_reviewer_add(st, "AB", NULL, NULL, &err), 0);
	qes_orderer *q;
	qes_orderer_opts oo = { QES_ORDER_PRIORITISED, 0, 1, 0 };
	assert_int_equal(qes_orderer_new(&q, st, "AB", QES_STAGE_TA, &oo, &err), 0);
	long long id = -1;
	assert_int_equal(qes_orderer_next(q, 0, &id, NULL, &err), 0);
	assert_int_equal(id, 0);
	qes_orderer *q2 = NULL;
	assert_int_equal(qes_orderer_new(&q2, st, "ZZ", QES_STAGE_TA, &oo, &err), QES_ENOTFOUND);
	assert_null(q2);
	qes_orderer_free(q);
	qes_store_close(st);
	const char *sfx[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		char p[96];
		snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
		unlink(p);
	}
	rmdir(dir);
}

static void test_order_names(void **state)
{
	(void)state;
	qes_screen_order o;
	qes_error err;
	assert_int_equal(qes_screen_order_parse("prioritized", &o, &err), 0);
	assert_int_equal(o, QES_ORDER_PRIORITISED);
	assert_int_equal(qes_screen_order_parse("Random", &o, &err), 0);
	assert_int_equal(o, QES_ORDER_RANDOM);
	assert_int_equal(qes_screen_order_parse("best", &o, &err), QES_EINVAL);
	assert_non_null(strstr(err.message, "prioritised, random or id"));
	assert_string_equal(qes_screen_order_name(QES_ORDER_PRIORITISED), "prioritised");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_random_reproducible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prioritised_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_names_order_offered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_features_shared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_since_relevant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blinding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_background, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stopping_sample, setup, teardown),
		cmocka_unit_test_setup_teardown(test_features_later, setup, teardown),
		cmocka_unit_test(test_empty_review),
		cmocka_unit_test(test_order_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
