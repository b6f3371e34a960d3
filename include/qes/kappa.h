/* qes/kappa.h: Cohen's kappa for two raters, shared by screening,
 * appraisal and coding agreement. */
#ifndef QES_KAPPA_H_PUBLIC
#define QES_KAPPA_H_PUBLIC

#include "qes/error.h"

/* Cohen's kappa for a k x k table of counts (rows: rater a, columns: b),
 * with the large-sample standard error of Fleiss, Cohen & Everitt (1969);
 * the 95% interval is the union of kappa +- 1.96 SE and the Wilson score
 * interval of po carried to the kappa scale, so that it keeps a width at
 * kappa = 1 and at small n (lib/kappa.c). QES_EINVAL when n is 0; kappa,
 * se and the interval are NaN when kappa is not estimable (a rater used one
 * category only). Gwet's AC1 (over the k categories) and Krippendorff's
 * alpha (nominal, two coders; NaN when every value is the same) beside it. */
typedef struct qes_kappa {
	long n;
	double po, pe, kappa, se, ci_low, ci_high;
	double ac1, alpha;
} qes_kappa;
int qes_kappa_compute(const long *table, int k, qes_kappa *out, qes_error *err);

#endif
