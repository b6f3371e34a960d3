/* qes/kappa.h: Cohen's kappa for two raters, shared by screening,
 * appraisal and coding agreement. */
#ifndef QES_KAPPA_H_PUBLIC
#define QES_KAPPA_H_PUBLIC

#include "qes/error.h"

/* Cohen's kappa for a k x k table of counts (rows: rater a, columns: b),
 * with the large-sample standard error of Fleiss, Cohen & Everitt (1969).
 * QES_EINVAL when n is 0; kappa is NaN when chance agreement is 1. */
typedef struct qes_kappa {
	long n;
	double po, pe, kappa, se, ci_low, ci_high;
} qes_kappa;
int qes_kappa_compute(const long *table, int k, qes_kappa *out, qes_error *err);

#endif
