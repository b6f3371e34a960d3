/* test_screen_kappa.c: Cohen's kappa and its 95% interval against worked
 * examples from the literature. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <cmocka.h>

#include "qes/screen.h"

/* Fleiss, Levin & Paik (2003) via statpsych's ci.kappa documentation
 * (Bonett): ci.kappa(.05, f00 = 31, f01 = 12, f10 = 4, f11 = 58) gives
 * Cohen kappa 0.6756757, SE 0.07344761, 95% CI 0.5317210 to 0.8196303. */
static void test_bonett_example(void **state)
{
	(void)state;
	const long t[4] = { 31, 12, 4, 58 };
	qes_kappa k;
	qes_error err;
	assert_int_equal(qes_kappa_compute(t, 2, &k, &err), 0);
	assert_int_equal(k.n, 105);
	assert_true(fabs(k.kappa - 0.6756757) < 5e-8);
	assert_true(fabs(k.se - 0.07344761) < 5e-9);
	assert_true(fabs(k.ci_low - 0.5317210) < 5e-8);
	assert_true(fabs(k.ci_high - 0.8196303) < 5e-8);
}

/* The Wikipedia "Cohen's kappa" worked example: 50 proposals, both yes 20,
 * A yes B no 5, A no B yes 10, both no 15: po = 0.7, pe = 0.5, kappa 0.4. */
static void test_wikipedia_example(void **state)
{
	(void)state;
	const long t[4] = { 20, 5, 10, 15 };
	qes_kappa k;
	assert_int_equal(qes_kappa_compute(t, 2, &k, NULL), 0);
	assert_true(fabs(k.po - 0.7) < 1e-12);
	assert_true(fabs(k.pe - 0.5) < 1e-12);
	assert_true(fabs(k.kappa - 0.4) < 1e-12);
	assert_true(k.ci_low < 0.4 && k.ci_high > 0.4);
}

/* Cohen (1960), the three-category example: observed proportions on the
 * diagonal .44, .20, .06 (po = .70), margins .60/.30/.10 and .50/.30/.20,
 * so pe = .41 and kappa = .492. Kappa depends only on the diagonal and the
 * margins; the off-diagonal counts here are chosen to give those margins. */
static void test_cohen_1960_three_categories(void **state)
{
	(void)state;
	const long t[9] = { 88, 14, 18, 10, 40, 10, 2, 6, 12 };
	qes_kappa k;
	assert_int_equal(qes_kappa_compute(t, 3, &k, NULL), 0);
	assert_true(fabs(k.po - 0.70) < 1e-12);
	assert_true(fabs(k.pe - 0.41) < 1e-12);
	assert_true(fabs(k.kappa - 0.4915254) < 1e-6);
}

static void test_perfect_and_degenerate(void **state)
{
	(void)state;
	const long perfect[4] = { 10, 0, 0, 7 };
	qes_kappa k;
	assert_int_equal(qes_kappa_compute(perfect, 2, &k, NULL), 0);
	assert_true(fabs(k.kappa - 1.0) < 1e-12);
	assert_true(k.ci_high <= 1.0);
	const long one_category[4] = { 9, 0, 0, 0 };
	assert_int_equal(qes_kappa_compute(one_category, 2, &k, NULL), 0);
	assert_true(isnan(k.kappa));   /* chance agreement is 1: undefined */
	const long empty[4] = { 0, 0, 0, 0 };
	assert_int_equal(qes_kappa_compute(empty, 2, &k, NULL), QES_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bonett_example),
		cmocka_unit_test(test_wikipedia_example),
		cmocka_unit_test(test_cohen_1960_three_categories),
		cmocka_unit_test(test_perfect_and_degenerate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
