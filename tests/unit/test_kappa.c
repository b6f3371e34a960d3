/* test_kappa.c: Cohen's kappa and its 95% CI against published examples. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kappa.h"
#include "qes/error.h"

/* Fleiss, Levin & Paik, Statistical Methods for Rates and Proportions (3rd
 * ed., Wiley 2003), large-sample standard error; the worked values are those
 * of the documented example of ci.kappa in Bonett's R package statpsych
 * (ci.kappa(.05, 31, 12, 4, 58): Cohen kappa 0.6756757, SE 0.07344761,
 * 95% CI 0.5317210 to 0.8196303). Table: f00 = 31, f01 = 12, f10 = 4,
 * f11 = 58 (row: rater y, column: rater x). */
static void fleiss_paik_example(void **state)
{
	(void)state;
	int t[4] = { 31, 12, 4, 58 };
	double k, lo, hi;
	assert_int_equal(qes__kappa(t, 2, &k, &lo, &hi), 0);
	assert_float_equal(k, 0.6756757, 1e-7);
	/* The reported interval contains the large-sample one (its lower end
	 * comes from the Wilson side here: test_screen_kappa.c). */
	assert_true(lo < 0.5317210 && lo > 0.50);
	assert_float_equal(hi, 0.8196303, 1e-6);
}

/* The same data with the raters swapped (transposed table) give the same
 * kappa and interval: the statistic is symmetric in the two raters. */
static void symmetric(void **state)
{
	(void)state;
	int t[4] = { 31, 4, 12, 58 };
	double k, lo, hi;
	assert_int_equal(qes__kappa(t, 2, &k, &lo, &hi), 0);
	assert_float_equal(k, 0.6756757, 1e-7);
	/* The reported interval contains the large-sample one (its lower end
	 * comes from the Wilson side here: test_screen_kappa.c). */
	assert_true(lo < 0.5317210 && lo > 0.50);
	assert_float_equal(hi, 0.8196303, 1e-6);
}

/* The common textbook 2 x 2 example (50 items: 20 yes/yes, 5 yes/no,
 * 10 no/yes, 15 no/no): po = 0.70, pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.50,
 * kappa = (0.70 - 0.50) / (1 - 0.50) = 0.40. */
static void textbook_two_by_two(void **state)
{
	(void)state;
	int t[4] = { 20, 5, 10, 15 };
	double k, lo, hi;
	assert_int_equal(qes__kappa(t, 2, &k, &lo, &hi), 0);
	assert_float_equal(k, 0.40, 1e-12);
	assert_true(lo < 0.40 && hi > 0.40);
}

/* Three categories (yes, can't tell, no), the table of t61 by hand:
 * po = 31/36, pe = 536/1296, kappa = 580/760. */
static void three_categories(void **state)
{
	(void)state;
	int t[9] = { 18, 1, 1, 2, 4, 0, 0, 1, 9 };
	double k, lo, hi;
	assert_int_equal(qes__kappa(t, 3, &k, &lo, &hi), 0);
	assert_float_equal(k, 580.0 / 760.0, 1e-12);
	assert_true(lo < k && k < hi && hi <= 1);
}

static void perfect_and_undefined(void **state)
{
	(void)state;
	int perfect[4] = { 7, 0, 0, 3 }, one_cat[4] = { 10, 0, 0, 0 }, empty[4] = { 0 };
	double k, lo, hi;
	assert_int_equal(qes__kappa(perfect, 2, &k, &lo, &hi), 0);
	assert_float_equal(k, 1.0, 1e-12);
	assert_float_equal(hi, 1.0, 1e-12);
	assert_int_equal(qes__kappa(one_cat, 2, &k, &lo, &hi), QES_EINVAL);
	assert_int_equal(qes__kappa(empty, 2, &k, &lo, &hi), QES_EINVAL);
	assert_int_equal(qes__kappa(perfect, 0, &k, &lo, &hi), QES_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fleiss_paik_example),
		cmocka_unit_test(symmetric),
		cmocka_unit_test(textbook_two_by_two),
		cmocka_unit_test(three_categories),
		cmocka_unit_test(perfect_and_undefined),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
