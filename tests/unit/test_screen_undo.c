/* test_screen_undo.c: undoing a decision (qes_screen_undo, what the web
 * screener's z key and POST /api/screen/undo call), on real records: the
 * latest decision goes first, each undo is logged with the decision it took
 * back, one stage never touches the other, and undo is refused, changing
 * nothing, once another reviewer has decided the record or its conflict was
 * resolved. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qes/import.h"
#include "qes/screen.h"
#include "fixture.h"

#define DATA "../shared/data/screening/Cohen_2006_Antihistamines.csv"

static int setup(void **state)
{
	*state = NULL;
	if (access(DATA, R_OK)) {
		fprintf(stderr, "skipped: %s is not there\n", DATA);
		return 0;
	}
	fixture *f = fixture_new("undo");
	const char *paths[] = { DATA };
	qes_import_opts io = { .source = "MEDLINE" };
	qes_import_result res;
	if (qes_import_files(f->st, paths, 1, &io, &res, &f->err) ||
	    qes_reviewer_add(f->st, "AB", NULL, NULL, &f->err) ||
	    qes_reviewer_add(f->st, "CD", NULL, NULL, &f->err))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	if (*state)
		fixture_free(*state);
	return 0;
}

#define NEED_DATA(f) do { if (!(f)) { skip(); return; } } while (0)

static int decide(fixture *f, const char *as, long long id, qes_decision d)
{
	qes_decide_opts o = { NULL, NULL };
	return qes_screen_decide(f->st, as, QES_STAGE_TA, id, d, &o, &f->err);
}

/* The n-th record of the pool (1-based), in id order. */
static long long nth(fixture *f, int n)
{
	long long id = 0;
	for (int i = 0; i < n; i++)
		assert_int_equal(qes_screen_next(f->st, "AB", QES_STAGE_TA, id, &id, &f->err), 0);
	return id;
}

typedef struct undo_log {
	int undos;
	char last_old[16], last_key[32];
} undo_log;

static int count_undo(void *ud, const qes_log_entry *e)
{
	undo_log *u = ud;
	if (strcmp(e->action, "undo"))
		return 0;
	u->undos++;
	snprintf(u->last_old, sizeof(u->last_old), "%s", e->old_decision ? e->old_decision : "");
	snprintf(u->last_key, sizeof(u->last_key), "%s", e->source_key ? e->source_key : "");
	return 0;
}

static undo_log log_of(fixture *f, const char *as)
{
	undo_log u = { 0 };
	assert_int_equal(qes_log_foreach(f->st, as, count_undo, &u, &f->err), 0);
	return u;
}

static qes_decision own(fixture *f, const char *as, long long id)
{
	qes_decision_view *v = NULL;
	int n = 0;
	qes_decision d = QES_DEC_NONE;
	assert_int_equal(qes_screen_decisions(f->st, as, QES_STAGE_TA, id, &v, &n, &f->err), 0);
	for (int i = 0; i < n; i++)
		if (!strcmp(v[i].initials, as))
			d = v[i].decision;
	qes_decision_views_release(v, n);
	return d;
}

static void test_nothing_to_undo(void **state)
{
	fixture *f = *state;
	NEED_DATA(f);
	long long id = -1;
	assert_int_equal(qes_screen_undo(f->st, "AB", QES_STAGE_TA, &id, &f->err), 0);
	assert_int_equal(id, 0);
	assert_int_equal(log_of(f, "AB").undos, 0);
	assert_int_equal(qes_screen_undo(f->st, "ZZ", QES_STAGE_TA, &id, &f->err), QES_ENOTFOUND);
}

static void test_latest_first_and_logged(void **state)
{
	fixture *f = *state;
	NEED_DATA(f);
	long long a = nth(f, 1), b = nth(f, 2), id;
	assert_true(a > 0 && b > a);
	assert_int_equal(decide(f, "AB", b, QES_DEC_EXCLUDE), 0);
	assert_int_equal(decide(f, "AB", a, QES_DEC_INCLUDE), 0);
	/* The latest decision (a), not the highest record id. */
	assert_int_equal(qes_screen_undo(f->st, "AB", QES_STAGE_TA, &id, &f->err), 0);
	assert_int_equal(id, a);
	assert_int_equal(own(f, "AB", a), QES_DEC_NONE);
	assert_int_equal(own(f, "AB", b), QES_DEC_EXCLUDE);
	undo_log u = log_of(f, "AB");
	assert_int_equal(u.undos, 1);
	assert_string_equal(u.last_old, "include");
	assert_int_equal(qes_screen_undo(f->st, "AB", QES_STAGE_TA, &id, &f->err), 0);
	assert_int_equal(id, b);
	u = log_of(f, "AB");
	assert_int_equal(u.undos, 2);
	assert_string_equal(u.last_old, "exclude");
	assert_int_equal(qes_screen_undo(f->st, "AB", QES_STAGE_TA, &id, &f->err), 0);
	assert_int_equal(id, 0);
	/* The record is back in the reviewer's queue. */
	long long next;
	assert_int_equal(qes_screen_next(f->st, "AB", QES_STAGE_TA, 0, &next, &f->err), 0);
	assert_int_equal(next, a);
}

static void test_only_own_and_stage(void **state)
{
	fixture *f = *state;
	NEED_DATA(f);
	long long a = nth(f, 1), b = nth(f, 2), id;
	/* Single screening: CD decides another record after AB; AB's undo
	 * takes back AB's own latest, never CD's. */
	assert_int_equal(decide(f, "AB", a, QES_DEC_INCLUDE), 0);
	assert_int_equal(decide(f, "CD", b, QES_DEC_EXCLUDE), 0);
	assert_int_equal(qes_screen_undo(f->st, "AB", QES_STAGE_FT, &id, &f->err), 0);
	assert_int_equal(id, 0);   /* nothing at full text */
	assert_int_equal(own(f, "AB", a), QES_DEC_INCLUDE);
	assert_int_equal(qes_screen_undo(f->st, "AB", QES_STAGE_TA, &id, &f->err), 0);
	assert_int_equal(id, a);
	assert_int_equal(own(f, "CD", b), QES_DEC_EXCLUDE);
}

static void test_refused_once_other_decided(void **state)
{
	fixture *f = *state;
	NEED_DATA(f);
	qes_policy p = { QES_POLICY_DOUBLE, 0, 0 };
	assert_int_equal(qes_policy_set(f->st, QES_STAGE_TA, &p, "AB", &f->err), 0);
	long long a = nth(f, 1), id = -1;
	assert_int_equal(decide(f, "AB", a, QES_DEC_INCLUDE), 0);
	assert_int_equal(decide(f, "CD", a, QES_DEC_EXCLUDE), 0);
	assert_int_equal(qes_screen_undo(f->st, "AB", QES_STAGE_TA, &id, &f->err), QES_ECONFLICT);
	assert_non_null(strstr(f->err.message, "resolved"));
	assert_int_equal(id, 0);
	/* Refused means unchanged: both decisions stand, nothing logged. */
	assert_int_equal(own(f, "AB", a), QES_DEC_INCLUDE);
	assert_int_equal(own(f, "CD", a), QES_DEC_EXCLUDE);
	assert_int_equal(log_of(f, NULL).undos, 0);
	assert_int_equal(qes_screen_undo(f->st, "CD", QES_STAGE_TA, &id, &f->err), QES_ECONFLICT);
	/* Resolved: still refused, for both. */
	qes_decide_opts o = { NULL, NULL };
	assert_int_equal(qes_conflict_resolve(f->st, "AB", QES_STAGE_TA, a, "consensus",
					      QES_DEC_INCLUDE, &o, &f->err), 0);
	assert_int_equal(qes_screen_undo(f->st, "AB", QES_STAGE_TA, &id, &f->err), QES_ECONFLICT);
	assert_int_equal(qes_screen_undo(f->st, "CD", QES_STAGE_TA, &id, &f->err), QES_ECONFLICT);
	qes_outcome out;
	assert_int_equal(qes_screen_outcome(f->st, QES_STAGE_TA, a, &out, &f->err), 0);
	assert_int_equal(out, QES_OUT_INCLUDE);
	assert_int_equal(log_of(f, NULL).undos, 0);
}

static void test_allowed_while_other_pending(void **state)
{
	fixture *f = *state;
	NEED_DATA(f);
	qes_policy p = { QES_POLICY_DOUBLE, 0, 0 };
	assert_int_equal(qes_policy_set(f->st, QES_STAGE_TA, &p, "AB", &f->err), 0);
	long long a = nth(f, 1), id;
	/* Double screening, CD has not decided yet: AB may still undo, and CD
	 * (blinded) never knew. */
	assert_int_equal(decide(f, "AB", a, QES_DEC_EXCLUDE), 0);
	assert_int_equal(qes_screen_undo(f->st, "AB", QES_STAGE_TA, &id, &f->err), 0);
	assert_int_equal(id, a);
	qes_outcome out;
	assert_int_equal(qes_screen_outcome(f->st, QES_STAGE_TA, a, &out, &f->err), 0);
	assert_int_equal(out, QES_OUT_PENDING);
	assert_int_equal(decide(f, "CD", a, QES_DEC_INCLUDE), 0);
	assert_int_equal(decide(f, "AB", a, QES_DEC_INCLUDE), 0);
	assert_int_equal(qes_screen_outcome(f->st, QES_STAGE_TA, a, &out, &f->err), 0);
	assert_int_equal(out, QES_OUT_INCLUDE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nothing_to_undo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_latest_first_and_logged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_only_own_and_stage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_once_other_decided, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allowed_while_other_pending, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
