/* kappa.c: Cohen's kappa with its large-sample confidence interval.
 *
 * kappa = (po - pe) / (1 - pe), po the observed and pe the chance agreement
 * from the margins (Cohen 1960). The standard error is the large-sample one
 * of Fleiss, Cohen & Everitt (1969), as in Fleiss, Levin & Paik (2003),
 * Statistical Methods for Rates and Proportions, 3rd ed., eq. 18.12:
 *   var = [ sum_i p_ii (1 - (p_i. + p_.i)(1 - k))^2
 *         + (1 - k)^2 sum_{i!=j} p_ij (p_.i + p_j.)^2
 *         - (k - pe (1 - k))^2 ] / (n (1 - pe)^2)
 * and the 95% interval is kappa +- 1.959964 SE, cut to [-1, 1]. */
#include "qes/kappa.h"
#include "kappa.h"

#include <stdlib.h>

#include <math.h>

#define QES_KAPPA_MAX_K 16

int qes_kappa_compute(const long *table, int k, qes_kappa *out, qes_error *err)
{
	*out = (qes_kappa){ 0, NAN, NAN, NAN, NAN, NAN, NAN };
	if (k < 2 || k > QES_KAPPA_MAX_K)
		return qes_error_set(err, QES_EINVAL, "kappa needs 2 to %d categories",
				     QES_KAPPA_MAX_K);
	long n = 0;
	for (int i = 0; i < k * k; i++) {
		if (table[i] < 0)
			return qes_error_set(err, QES_EINVAL, "negative count in a kappa table");
		n += table[i];
	}
	out->n = n;
	if (n == 0)
		return qes_error_set(err, QES_EINVAL, "kappa needs at least one rated record");
	double row[QES_KAPPA_MAX_K] = { 0 }, col[QES_KAPPA_MAX_K] = { 0 };
	double po = 0, pe = 0;
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++) {
			double p = (double)table[i * k + j] / (double)n;
			row[i] += p;
			col[j] += p;
			if (i == j)
				po += p;
		}
	for (int i = 0; i < k; i++)
		pe += row[i] * col[i];
	out->po = po;
	out->pe = pe;
	if (pe >= 1.0)
		return 0;   /* both raters used one category only: kappa undefined */
	double kap = (po - pe) / (1 - pe);
	double a = 0, b = 0;
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++) {
			double p = (double)table[i * k + j] / (double)n;
			if (i == j) {
				double t = 1 - (row[i] + col[i]) * (1 - kap);
				a += p * t * t;
			} else {
				double t = col[i] + row[j];
				b += p * t * t;
			}
		}
	b *= (1 - kap) * (1 - kap);
	double c = kap - pe * (1 - kap);
	double var = (a + b - c * c) / ((double)n * (1 - pe) * (1 - pe));
	out->kappa = kap;
	out->se = var > 0 ? sqrt(var) : 0;
	out->ci_low = fmax(-1.0, kap - 1.959963984540054 * out->se);
	out->ci_high = fmin(1.0, kap + 1.959963984540054 * out->se);
	return 0;
}

int qes__kappa(const int *table, int k, double *kappa, double *lo, double *hi)
{
	if (k < 2 || k > QES_KAPPA_MAX_K)
		return QES_EINVAL;
	long counts[QES_KAPPA_MAX_K * QES_KAPPA_MAX_K];
	for (int i = 0; i < k * k; i++)
		counts[i] = table[i];
	qes_kappa q;
	int rc = qes_kappa_compute(counts, k, &q, NULL);
	if (rc)
		return rc;
	if (isnan(q.kappa))
		return QES_EINVAL;
	*kappa = q.kappa;
	*lo = q.ci_low;
	*hi = q.ci_high;
	return 0;
}
