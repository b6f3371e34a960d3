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
	/* The interval is the union of the large-sample one (0.5317210 to
	 * 0.8196303, statpsych) and the Wilson score interval of po = 89/105
	 * (Wilson 1927) carried to the kappa scale with pe held: here the
	 * Wilson side gives the lower end. */
	double z = 1.959963984540054, n = 105, po = 89.0 / 105, pe = k.pe;
	double mid = (po + z * z / (2 * n)) / (1 + z * z / n);
	double half = z * sqrt(po * (1 - po) / n + z * z / (4 * n * n)) / (1 + z * z / n);
	double wl = (mid - half - pe) / (1 - pe);
	assert_true(wl < 0.5317210);
	assert_true(fabs(k.ci_low - wl) < 1e-12);
	assert_true(fabs(k.ci_high - 0.8196303) < 5e-8);
}

/* Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., via the
 * README of his R package irrCAC: the table cont3x3abstractors
 * (13 0 0 / 0 20 7 / 0 4 56) gives Cohen's kappa 0.7964094, Gwet's AC1
 * 0.8493305 and Krippendorff's alpha 0.7972585. */
static void test_gwet_abstractors(void **state)
{
	(void)state;
	const long t[9] = { 13, 0, 0, 0, 20, 7, 0, 4, 56 };
	qes_kappa k;
	assert_int_equal(qes_kappa_compute(t, 3, &k, NULL), 0);
	assert_true(fabs(k.po - 0.89) < 1e-12);
	assert_true(fabs(k.kappa - 0.7964094) < 5e-8);
	assert_true(fabs(k.ac1 - 0.8493305) < 5e-8);
	assert_true(fabs(k.alpha - 0.7972585) < 5e-8);
}

/* Krippendorff (2011), "Computing Krippendorff's alpha-reliability",
 * section A, binary data, two observers, ten units: A = 0100000010,
 * B = 1110010000; alpha = 0.095. As a table (A rows, B columns, 0 then 1):
 * 5, 3 / 1, 1. */
static void test_krippendorff_binary(void **state)
{
	(void)state;
	const long t[4] = { 5, 3, 1, 1 };
	qes_kappa k;
	assert_int_equal(qes_kappa_compute(t, 2, &k, NULL), 0);
	assert_true(fabs(k.alpha - 0.095) < 5e-4);
	assert_true(fabs(k.alpha - (1 - 19.0 * 8 / 168)) < 1e-12);
}

/* One record (issue 18: "kappa 0.000 (95% CI 0.000 to 0.000)"): each rater
 * used one category, so kappa is not estimable, agreeing or not. */
static void test_one_record(void **state)
{
	(void)state;
	const long disagree[9] = { 0, 1, 0, 0, 0, 0, 0, 0, 0 };
	const long agree[9] = { 0, 0, 0, 0, 1, 0, 0, 0, 0 };
	qes_kappa k;
	assert_int_equal(qes_kappa_compute(disagree, 3, &k, NULL), 0);
	assert_true(isnan(k.kappa) && isnan(k.ci_low) && isnan(k.ci_high));
	assert_int_equal(qes_kappa_compute(agree, 3, &k, NULL), 0);
	assert_true(isnan(k.kappa));
	assert_true(fabs(k.ac1 - 1.0) < 1e-12);   /* AC1 is defined */
	assert_true(isnan(k.alpha));             /* every value the same */
	/* One rater always "exclude", the other not: kappa would be 0 whatever
	 * the agreement, so it is not estimable either. */
	const long skew[4] = { 0, 0, 3, 17 };
	assert_int_equal(qes_kappa_compute(skew, 2, &k, NULL), 0);
	assert_true(isnan(k.kappa));
	assert_true(k.ac1 > 0.7);
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
	/* Full agreement no longer gives "1.00 to 1.00": 17 of 17 agreeing
	 * leaves a Wilson lower bound for po of 17 / (17 + 1.96^2). */
	double z2 = 1.959963984540054 * 1.959963984540054;
	double lo = (17 / (17 + z2) - k.pe) / (1 - k.pe);
	assert_true(fabs(k.ci_low - lo) < 1e-9);
	assert_true(k.ci_low < 0.9 && k.ci_high == 1.0);
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
		cmocka_unit_test(test_gwet_abstractors),
		cmocka_unit_test(test_krippendorff_binary),
		cmocka_unit_test(test_one_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
