/* test_screen.c: screening through the library API: blinding cannot be
 * bypassed, policies and their reproducible samples, deciding and undoing,
 * conflicts and their resolution, the append-only log. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <math.h>
#include <cairo.h>
#include <cairo-pdf.h>

#include "qes/screen.h"

#define NREC 200

typedef struct fixture {
	char dir[64], path[96];
	qes_store *st;
	qes_error err;
} fixture;

/* A review with NREC records from one database import, reviewers AB
 * (owner), CD, EF (arbiter), and two exclusion reasons. Records are
 * inserted directly: screening only needs their ids. */
static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/qes-screen-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/r.qes", f->dir);
	if (qes_store_create(&f->st, f->path, &f->err))
		return -1;
	sqlite3 *db = qes_store_db(f->st);
	if (sqlite3_exec(db,
			 "INSERT INTO sources(id, name) VALUES (1, 'MEDLINE');"
			 "INSERT INTO imports(id, source_id, file_name, file_sha256, file_bytes,"
			 " format, encoding) VALUES (1, 1, 'x.ris', 'x', 1, 'ris', 'UTF-8');"
			 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
			 " WHERE i < 200) INSERT INTO records(id, import_id, source_key, ordinal,"
			 " line, type, title, raw) SELECT i, 1, 'k' || i, i, i, 'article',"
			 " 'Title ' || i, '' FROM n;", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	if (qes_reviewer_add(f->st, "AB", "Ann Bee", NULL, &f->err) ||
	    qes_reviewer_add(f->st, "CD", "Cy Dee", NULL, &f->err) ||
	    qes_reviewer_add(f->st, "EF", NULL, "arbiter", &f->err) ||
	    qes_reason_add(f->st, "Wrong population", &f->err) ||
	    qes_reason_add(f->st, "Not qualitative", &f->err))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
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

static void set_double(fixture *f, qes_stage stage)
{
	qes_policy p = { QES_POLICY_DOUBLE, 0, 0 };
	assert_int_equal(qes_policy_set(f->st, stage, &p, "AB", &f->err), 0);
}

static int decide(fixture *f, const char *as, long long id, qes_decision d)
{
	return qes_screen_decide(f->st, as, QES_STAGE_TA, id, d, NULL, &f->err);
}

/* What `as` sees of `other`'s decision on record id at ta. */
static qes_decision seen(fixture *f, const char *as, const char *other, long long id,
			 int *hidden)
{
	qes_decision_view *v;
	int n;
	assert_int_equal(qes_screen_decisions(f->st, as, QES_STAGE_TA, id, &v, &n, &f->err), 0);
	qes_decision d = QES_DEC_NONE;
	*hidden = 0;
	for (int i = 0; i < n; i++)
		if (!strcmp(v[i].initials, other)) {
			d = v[i].decision;
			*hidden = v[i].hidden;
			assert_true(v[i].hidden ? v[i].reason == NULL : 1);
		}
	qes_decision_views_release(v, n);
	return d;
}

static void check_views_agree(fixture *f);

static int count_log(void *ud, const qes_log_entry *e)
{
	int *hidden_includes = ud;
	if (e->record_id == 7 && e->new_decision && !strcmp(e->new_decision, "include"))
		hidden_includes[0]++;
	if (e->record_id == 7 && e->hidden)
		hidden_includes[1]++;
	return 0;
}

static void test_blinding(void **state)
{
	fixture *f = *state;
	set_double(f, QES_STAGE_TA);
	qes_decide_opts o = { "Wrong population", "adults only" };
	assert_int_equal(qes_screen_decide(f->st, "AB", QES_STAGE_TA, 7, QES_DEC_EXCLUDE, &o,
					   &f->err), 0);
	int hidden;
	/* CD (reviewer), EF (arbiter) and nobody (NULL) cannot see AB's decision. */
	assert_int_equal(seen(f, "CD", "AB", 7, &hidden), QES_DEC_NONE);
	assert_true(hidden);
	assert_int_equal(seen(f, "EF", "AB", 7, &hidden), QES_DEC_NONE);
	assert_true(hidden);
	assert_int_equal(seen(f, NULL, "AB", 7, &hidden), QES_DEC_NONE);
	/* AB sees their own. */
	assert_int_equal(seen(f, "AB", "AB", 7, &hidden), QES_DEC_EXCLUDE);
	/* The log masks it too. */
	int counts[2] = { 0, 0 };
	assert_int_equal(qes_log_foreach(f->st, "CD", count_log, counts, &f->err), 0);
	assert_int_equal(counts[1], 1);
	/* Conflicts and agreement show nothing while only one has decided. */
	qes_outcome out;
	assert_int_equal(qes_screen_outcome(f->st, QES_STAGE_TA, 7, &out, &f->err), 0);
	assert_int_equal(out, QES_OUT_PENDING);
	/* Once CD decides, both see each other's decision: a conflict. */
	assert_int_equal(decide(f, "CD", 7, QES_DEC_INCLUDE), 0);
	assert_int_equal(seen(f, "CD", "AB", 7, &hidden), QES_DEC_EXCLUDE);
	assert_false(hidden);
	assert_int_equal(seen(f, "AB", "CD", 7, &hidden), QES_DEC_INCLUDE);
	assert_int_equal(qes_screen_outcome(f->st, QES_STAGE_TA, 7, &out, &f->err), 0);
	assert_int_equal(out, QES_OUT_CONFLICT);
	/* Nobody may change a decision after seeing the other's. */
	assert_int_equal(decide(f, "AB", 7, QES_DEC_INCLUDE), QES_ECONFLICT);
	long long undone;
	assert_int_equal(qes_screen_undo(f->st, "CD", QES_STAGE_TA, &undone, &f->err),
			 QES_ECONFLICT);
	/* A third reviewer cannot add a decision to a complete record. */
	assert_int_equal(decide(f, "EF", 7, QES_DEC_INCLUDE), QES_ECONFLICT);
	counts[0] = counts[1] = 0;
	assert_int_equal(qes_log_foreach(f->st, "EF", count_log, counts, &f->err), 0);
	assert_int_equal(counts[1], 0);
	assert_int_equal(counts[0], 1);
}

static void test_sample_reproducible(void **state)
{
	fixture *f = *state;
	qes_policy p = { QES_POLICY_SAMPLE, 0.1, 20230517 };
	assert_int_equal(qes_policy_set(f->st, QES_STAGE_TA, &p, "AB", &f->err), 0);
	/* Only the owner may change a policy. */
	assert_int_equal(qes_policy_set(f->st, QES_STAGE_TA, &p, "CD", &f->err), QES_EPERM);
	assert_int_equal(qes_policy_set(f->st, QES_STAGE_TA, &p, NULL, &f->err), QES_EPERM);
	qes_policy got;
	assert_int_equal(qes_policy_get(f->st, QES_STAGE_TA, &got, &f->err), 0);
	assert_int_equal(got.mode, QES_POLICY_SAMPLE);
	assert_int_equal(got.seed, 20230517);
	/* Exactly round(0.1 x 200) = 20 records, the 20 smallest draw keys
	 * (recomputed here from the seed alone). */
	qes_progress pr;
	assert_int_equal(qes_screen_progress(f->st, "AB", QES_STAGE_TA, &pr, &f->err), 0);
	assert_int_equal(pr.pool, NREC);
	assert_int_equal(pr.double_needed, 20);
	assert_int_equal(pr.planned, 20);
	assert_int_equal(pr.double_decided, 0);
	double keys[NREC], sorted[NREC];
	for (long long id = 1; id <= NREC; id++)
		sorted[id - 1] = keys[id - 1] = qes_policy_draw_key(&got, QES_STAGE_TA, id);
	for (int i = 1; i < NREC; i++)     /* insertion sort: small n */
		for (int j = i; j > 0 && sorted[j] < sorted[j - 1]; j--) {
			double t = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = t;
		}
	double cut = sorted[19];
	int expect = 0;
	for (long long id = 1; id <= NREC; id++) {
		int yes;
		assert_int_equal(qes_screen_in_sample(f->st, QES_STAGE_TA, id, &yes, &f->err), 0);
		assert_int_equal(yes, keys[id - 1] <= cut);
		expect += yes;
	}
	assert_int_equal(expect, 20);
	/* Another seed orders the records another way. */
	qes_policy q = p;
	q.seed = 7;
	int same = 0;
	for (long long id = 1; id <= NREC; id++)
		same += (qes_policy_draw_key(&q, QES_STAGE_TA, id) < 0.5) ==
			(keys[id - 1] < 0.5);
	assert_true(same < NREC * 9 / 10);
	/* Screen everything as AB, then CD gets exactly the sampled records. */
	long long id = 0;
	int n = 0;
	while (!qes_screen_next(f->st, "AB", QES_STAGE_TA, 0, &id, &f->err) && id) {
		assert_int_equal(decide(f, "AB", id, QES_DEC_EXCLUDE), 0);
		n++;
	}
	assert_int_equal(n, NREC);
	int cd = 0;
	id = 0;
	while (!qes_screen_next(f->st, "CD", QES_STAGE_TA, id, &id, &f->err) && id) {
		assert_true(keys[id - 1] <= cut);
		assert_int_equal(decide(f, "CD", id, QES_DEC_EXCLUDE), 0);
		cd++;
	}
	assert_int_equal(cd, expect);
	assert_int_equal(qes_screen_progress(f->st, NULL, QES_STAGE_TA, &pr, &f->err), 0);
	assert_int_equal(pr.double_decided, 20);
	/* The pool grows by 60 (citation searching): round(0.1 x 260) = 26.
	 * The 20 stay; 6 are drawn from the new records (nobody has decided
	 * them yet), the 6 smallest keys among them. */
	assert_int_equal(sqlite3_exec(qes_store_db(f->st),
		"WITH RECURSIVE n(i) AS (SELECT 201 UNION ALL SELECT i + 1 FROM n WHERE i < 260)"
		" INSERT INTO records(id, import_id, source_key, ordinal, line, type, title, raw)"
		" SELECT i, 1, 'k' || i, i, i, 'article', 'Title ' || i, '' FROM n;",
		NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(qes_screen_progress(f->st, NULL, QES_STAGE_TA, &pr, &f->err), 0);
	assert_int_equal(pr.pool, 260);
	assert_int_equal(pr.planned, 26);
	assert_int_equal(pr.double_needed, 26);
	double nk[60], ns[60];
	for (int i = 0; i < 60; i++)
		ns[i] = nk[i] = qes_policy_draw_key(&got, QES_STAGE_TA, 201 + i);
	for (int i = 1; i < 60; i++)
		for (int j = i; j > 0 && ns[j] < ns[j - 1]; j--) {
			double t = ns[j]; ns[j] = ns[j - 1]; ns[j - 1] = t;
		}
	for (long long r = 1; r <= 260; r++) {
		int yes;
		assert_int_equal(qes_screen_in_sample(f->st, QES_STAGE_TA, r, &yes, &f->err), 0);
		assert_int_equal(yes, r <= NREC ? keys[r - 1] <= cut : nk[r - 201] <= ns[5]);
	}
	assert_int_equal(sqlite3_exec(qes_store_db(f->st), "DELETE FROM records WHERE id > 200"
				      " AND id NOT IN (SELECT record_id FROM screen_sample);"
				      "DELETE FROM screen_sample WHERE record_id > 200;"
				      "DELETE FROM records WHERE id > 200;", NULL, NULL, NULL), SQLITE_OK);
	check_views_agree(f);
}

/* round(fraction x pool), exactly, for small and large pools: 10% of 7 is
 * 1 (0 of 7 was the old per-record coin's answer), of 123 is 12, of 260 is
 * 26, of 1,000 is 100. */
static void test_sample_exact_sizes(void **state)
{
	(void)state;
	static const struct { int pool, want; } cases[] = {
		{ 7, 1 }, { 123, 12 }, { 260, 26 }, { 1000, 100 },
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char dir[64], path[96], sql[512];
		snprintf(dir, sizeof(dir), "/tmp/qes-sample-XXXXXX");
		assert_non_null(mkdtemp(dir));
		snprintf(path, sizeof(path), "%s/r.qes", dir);
		qes_store *st;
		qes_error err;
		assert_int_equal(qes_store_create(&st, path, &err), 0);
		snprintf(sql, sizeof(sql),
			 "INSERT INTO sources(id, name) VALUES (1, 'MEDLINE');"
			 "INSERT INTO imports(id, source_id, file_name, file_sha256, file_bytes,"
			 " format, encoding) VALUES (1, 1, 'x.ris', 'x', 1, 'ris', 'UTF-8');"
			 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
			 " WHERE i < %d) INSERT INTO records(id, import_id, source_key, ordinal,"
			 " line, type, title, raw) SELECT i, 1, 'k' || i, i, i, 'article',"
			 " 'Title ' || i, '' FROM n;", cases[c].pool);
		assert_int_equal(sqlite3_exec(qes_store_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
		qes_policy p = { QES_POLICY_SAMPLE, 0.1, 42 };
		assert_int_equal(qes_policy_set(st, QES_STAGE_TA, &p, NULL, &err), 0);
		qes_progress pr;
		assert_int_equal(qes_screen_progress(st, NULL, QES_STAGE_TA, &pr, &err), 0);
		assert_int_equal(pr.pool, cases[c].pool);
		assert_int_equal(pr.planned, cases[c].want);
		assert_int_equal(pr.double_needed, cases[c].want);
		qes_store_close(st);
		const char *sfx[] = { "", "-wal", "-shm" };
		for (int i = 0; i < 3; i++) {
			snprintf(sql, sizeof(sql), "%s%s", path, sfx[i]);
			unlink(sql);
		}
		rmdir(dir);
	}
}

static void test_undo_and_change(void **state)
{
	fixture *f = *state;
	assert_int_equal(decide(f, "AB", 3, QES_DEC_INCLUDE), 0);
	assert_int_equal(decide(f, "AB", 4, QES_DEC_INCLUDE), 0);
	/* Single screening: changing one's own decision is allowed. */
	assert_int_equal(decide(f, "AB", 4, QES_DEC_UNSURE), 0);
	long long id;
	assert_int_equal(qes_screen_undo(f->st, "AB", QES_STAGE_TA, &id, &f->err), 0);
	assert_int_equal(id, 4);
	qes_outcome out;
	assert_int_equal(qes_screen_outcome(f->st, QES_STAGE_TA, 4, &out, &f->err), 0);
	assert_int_equal(out, QES_OUT_PENDING);
	/* The next record for AB is 1, then skipping past 3. */
	assert_int_equal(qes_screen_next(f->st, "AB", QES_STAGE_TA, 2, &id, &f->err), 0);
	assert_int_equal(id, 4);
	/* Reasons come from the list; unknown reviewers and stages are refused. */
	qes_decide_opts bad = { "Because", NULL };
	assert_int_equal(qes_screen_decide(f->st, "AB", QES_STAGE_TA, 5, QES_DEC_EXCLUDE, &bad,
					   &f->err), QES_EINVAL);
	assert_int_equal(decide(f, "ZZ", 5, QES_DEC_EXCLUDE), QES_ENOTFOUND);
	/* Full text: record 3 was included at ta, but has no full text yet. */
	assert_int_equal(qes_screen_decide(f->st, "AB", QES_STAGE_FT, 3, QES_DEC_INCLUDE, NULL,
					   &f->err), QES_ECONFLICT);
	assert_int_equal(qes_screen_decide(f->st, "AB", QES_STAGE_FT, 5, QES_DEC_INCLUDE, NULL,
					   &f->err), QES_ECONFLICT);
	/* Undo must not rewrite history (issue 18): record 3 goes on to full
	 * text and its report is marked not retrieved; undoing, or changing to
	 * exclude, the title/abstract decision would drop that from PRISMA, so
	 * both are refused and the message says what depends on it. */
	assert_int_equal(decide(f, "AB", 6, QES_DEC_INCLUDE), 0);
	assert_int_equal(qes_fulltext_missing(f->st, "AB", 6, NULL, &f->err), 0);
	assert_int_equal(qes_screen_undo(f->st, "AB", QES_STAGE_TA, &id, &f->err), QES_ECONFLICT);
	assert_non_null(strstr(f->err.message, "not retrieved"));
	assert_non_null(strstr(f->err.message, "#6"));
	assert_int_equal(decide(f, "AB", 6, QES_DEC_EXCLUDE), QES_ECONFLICT);
	assert_non_null(strstr(f->err.message, "full-text stage depends on it"));
	assert_int_equal(decide(f, "AB", 6, QES_DEC_UNSURE), 0);   /* still sought */
	assert_int_equal(qes_screen_outcome(f->st, QES_STAGE_FT, 6, &out, &f->err), 0);
	assert_int_equal(out, QES_OUT_NOT_RETRIEVED);
	/* The log cannot be rewritten. */
	sqlite3 *db = qes_store_db(f->st);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM screen_log", NULL, NULL, NULL),
			     SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE screen_log SET new_decision = 'exclude'",
					  NULL, NULL, NULL), SQLITE_OK);
}

typedef struct seen_conflicts {
	int n, resolved;
	qes_decision a, b;
} seen_conflicts;

static int on_conflict(void *ud, const qes_conflict *c)
{
	seen_conflicts *s = ud;
	s->n++;
	s->a = c->decision[0];
	s->b = c->decision[1];
	s->resolved += c->resolved != QES_DEC_NONE;
	return 0;
}

static int on_pair(void *ud, const qes_agreement_pair *p)
{
	*(qes_agreement_pair *)ud = *p;
	return 0;
}

static void test_conflicts_and_agreement(void **state)
{
	fixture *f = *state;
	set_double(f, QES_STAGE_TA);
	/* 10 records: agree include on 1-3, exclude on 4-8, disagree on 9-10. */
	for (long long id = 1; id <= 10; id++) {
		qes_decision a = id <= 3 ? QES_DEC_INCLUDE : QES_DEC_EXCLUDE;
		qes_decision b = id <= 3 || id == 10 ? QES_DEC_INCLUDE : QES_DEC_EXCLUDE;
		if (id == 9)
			b = QES_DEC_UNSURE;
		assert_int_equal(decide(f, "AB", id, a), 0);
		assert_int_equal(decide(f, "CD", id, b), 0);
	}
	seen_conflicts sc = { 0 };
	assert_int_equal(qes_conflicts_foreach(f->st, QES_STAGE_TA, 0, on_conflict, &sc,
					       &f->err), 0);
	assert_int_equal(sc.n, 2);
	qes_agreement_pair p;
	memset(&p, 0, sizeof(p));
	assert_int_equal(qes_agreement_foreach(f->st, QES_STAGE_TA, on_pair, &p, &f->err), 0);
	assert_string_equal(p.a, "AB");
	assert_string_equal(p.b, "CD");
	assert_int_equal(p.n, 10);
	assert_true(p.percent_agreement > 79.99 && p.percent_agreement < 80.01);
	/* Table rows AB, columns CD: [3 0 0; 1 5 1; 0 0 0]: po .8,
	 * pe = .3*.4 + .7*.5 = .47, kappa = .33/.53. */
	assert_true(fabs(p.k.kappa - 0.33 / 0.53) < 1e-9);
	/* A reviewer who did not decide cannot resolve by consensus; CD cannot
	 * act as a third reviewer on their own conflict. */
	assert_int_equal(qes_conflict_resolve(f->st, "EF", QES_STAGE_TA, 10, "consensus",
					      QES_DEC_INCLUDE, NULL, &f->err), QES_EPERM);
	assert_int_equal(qes_conflict_resolve(f->st, "CD", QES_STAGE_TA, 10, "third",
					      QES_DEC_INCLUDE, NULL, &f->err), QES_EPERM);
	assert_int_equal(qes_conflict_resolve(f->st, "EF", QES_STAGE_TA, 10, "third",
					      QES_DEC_INCLUDE, NULL, &f->err), 0);
	assert_int_equal(qes_conflict_resolve(f->st, "CD", QES_STAGE_TA, 9, "consensus",
					      QES_DEC_EXCLUDE, NULL, &f->err), 0);
	/* Resolving twice, or a record with no conflict, is refused. */
	assert_int_equal(qes_conflict_resolve(f->st, "AB", QES_STAGE_TA, 9, "consensus",
					      QES_DEC_INCLUDE, NULL, &f->err), QES_ECONFLICT);
	assert_int_equal(qes_conflict_resolve(f->st, "AB", QES_STAGE_TA, 1, "consensus",
					      QES_DEC_EXCLUDE, NULL, &f->err), QES_ECONFLICT);
	memset(&sc, 0, sizeof(sc));
	assert_int_equal(qes_conflicts_foreach(f->st, QES_STAGE_TA, 0, on_conflict, &sc,
					       &f->err), 0);
	assert_int_equal(sc.n, 0);
	assert_int_equal(qes_conflicts_foreach(f->st, QES_STAGE_TA, 1, on_conflict, &sc,
					       &f->err), 0);
	assert_int_equal(sc.resolved, 2);
	qes_progress pr;
	assert_int_equal(qes_screen_progress(f->st, NULL, QES_STAGE_TA, &pr, &f->err), 0);
	assert_int_equal(pr.screened, 10);
	assert_int_equal(pr.included, 4);     /* 1-3 and 10 */
	assert_int_equal(pr.excluded, 6);
	/* ft pool: the 4 records sent on; records 9 and 4 are not sought. */
	assert_int_equal(qes_screen_progress(f->st, NULL, QES_STAGE_FT, &pr, &f->err), 0);
	assert_int_equal(pr.sought, 4);
	assert_int_equal(qes_fulltext_missing(f->st, "AB", 2, "library has no copy", &f->err), 0);
	assert_int_equal(qes_fulltext_missing(f->st, "AB", 4, NULL, &f->err), QES_ECONFLICT);
	assert_int_equal(qes_screen_progress(f->st, NULL, QES_STAGE_FT, &pr, &f->err), 0);
	assert_int_equal(pr.not_retrieved, 1);
	check_views_agree(f);
}

/* The views (listings) and the per-record state (deciding) must agree. */
typedef struct agree_ctx { qes_store *st; qes_stage stage; int n; } agree_ctx;

static int same_outcome(void *ud, long long id, const char *key, const char *method,
			qes_outcome o)
{
	(void)key;
	(void)method;
	agree_ctx *c = ud;
	qes_outcome one = QES_OUT_NOT_IN_POOL;
	assert_int_equal(qes_screen_outcome(c->st, c->stage, id, &one, NULL), 0);
	assert_int_equal(one, o);
	c->n++;
	return 0;
}

static void check_views_agree(fixture *f)
{
	agree_ctx ta = { f->st, QES_STAGE_TA, 0 }, ft = { f->st, QES_STAGE_FT, 0 };
	assert_int_equal(qes_screen_outcomes_foreach(f->st, QES_STAGE_TA, same_outcome, &ta, NULL), 0);
	assert_int_equal(qes_screen_outcomes_foreach(f->st, QES_STAGE_FT, same_outcome, &ft, NULL), 0);
	assert_int_equal(ta.n, NREC);
}

/* A two-page PDF written with cairo, attached, its text read back. */
static void test_fulltext_pdf(void **state)
{
	fixture *f = *state;
	char pdf[128];
	snprintf(pdf, sizeof(pdf), "%s/paper.pdf", f->dir);
	cairo_surface_t *surf = cairo_pdf_surface_create(pdf, 595, 842);
	cairo_t *cr = cairo_create(surf);
	cairo_select_font_face(cr, "sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 12);
	cairo_move_to(cr, 72, 72);
	cairo_show_text(cr, "Parents described support");
	cairo_show_page(cr);
	cairo_move_to(cr, 72, 72);
	cairo_show_text(cr, "Practitioners felt constrained");
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_destroy(surf);

	int pages = 0;
	/* Not sought yet: record 3 has no ta decision. */
	assert_int_equal(qes_fulltext_attach(f->st, "AB", 3, pdf, &pages, &f->err), QES_ECONFLICT);
	assert_int_equal(decide(f, "AB", 3, QES_DEC_INCLUDE), 0);
	assert_int_equal(qes_fulltext_attach(f->st, "AB", 3, pdf, &pages, &f->err), 0);
	assert_int_equal(pages, 2);
	const char *status;
	char *text;
	assert_int_equal(qes_fulltext_get(f->st, 3, &status, &text, &f->err), 0);
	assert_string_equal(status, "attached");
	assert_non_null(strstr(text, "Parents described support"));
	assert_non_null(strstr(text, "\fPractitioners felt constrained"));
	free(text);
	long long id;
	assert_int_equal(qes_screen_next(f->st, "CD", QES_STAGE_FT, 0, &id, &f->err), 0);
	assert_int_equal(id, 3);
	qes_decide_opts o = { "not qualitative", NULL };   /* reasons match ignoring case */
	assert_int_equal(qes_screen_decide(f->st, "CD", QES_STAGE_FT, 3, QES_DEC_EXCLUDE, &o,
					   &f->err), 0);
	qes_outcome out;
	assert_int_equal(qes_screen_outcome(f->st, QES_STAGE_FT, 3, &out, &f->err), 0);
	assert_int_equal(out, QES_OUT_EXCLUDE);
	check_views_agree(f);
	/* Not a PDF. */
	assert_int_equal(qes_pdf_text("%PDF-1.4 garbage", 16, &text, &pages, &f->err), QES_EFORMAT);
	assert_int_equal(qes_fulltext_attach(f->st, "AB", 3, "/nonexistent.pdf", &pages, &f->err),
			 QES_EIO);
	unlink(pdf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_blinding, setup, teardown),
		cmocka_unit_test(test_sample_exact_sizes),
		cmocka_unit_test_setup_teardown(test_sample_reproducible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undo_and_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflicts_and_agreement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fulltext_pdf, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
