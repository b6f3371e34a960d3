/* kappa.h: Cohen's kappa with a 95% confidence interval, over a k x k
 * contingency table of two raters' categories (row: first rater, column:
 * second rater; table[i * k + j] = items rated i by the first and j by the
 * second), for callers with int tables; a wrapper of qes_kappa_compute().
 *
 * The standard error is the large-sample (non-null) one of Fleiss, Cohen &
 * Everitt (1969), as in Fleiss, Levin & Paik, Statistical Methods for Rates
 * and Proportions (3rd ed., 2003), section 18.1. */
#ifndef QES_KAPPA_H
#define QES_KAPPA_H

/* Returns 0 and fills kappa, lo, hi (lo/hi clamped to [-1, 1]);
 * QES_EINVAL when kappa is undefined (no items, or chance agreement 1:
 * both raters used one and the same category for everything). */
int qes__kappa(const int *table, int k, double *kappa, double *lo, double *hi);

#endif
