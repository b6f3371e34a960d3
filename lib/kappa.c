/* kappa.c: Cohen's kappa with its large-sample confidence interval.
 *
 * kappa = (po - pe) / (1 - pe), po the observed and pe the chance agreement
 * from the margins (Cohen 1960). The standard error is the large-sample one
 * of Fleiss, Cohen & Everitt (1969), as in Fleiss, Levin & Paik (2003),
 * Statistical Methods for Rates and Proportions, 3rd ed., eq. 18.12:
 *   var = [ sum_i p_ii (1 - (p_i. + p_.i)(1 - k))^2
 *         + (1 - k)^2 sum_{i!=j} p_ij (p_.i + p_j.)^2
 *         - (k - pe (1 - k))^2 ] / (n (1 - pe)^2)
 * That interval collapses to a point at kappa = 1 (SE 0) and at small n
 * (one disagreeing record: 0 to 0), so the interval reported is the union
 * of it and the Wilson (1927) score interval for the observed agreement po
 * carried to the kappa scale with pe held at its observed value,
 * (L - pe) / (1 - pe) to (U - pe) / (1 - pe), cut to [-1, 1]: the Wilson
 * interval keeps a width at the bounds and at small n, the large-sample one
 * carries the margins' own variability (docs/screening.md).
 *
 * Kappa is not estimable (NaN) when either rater used one category only:
 * pe = 1 when both did, and kappa is 0 whatever the agreement when one did.
 * Beside kappa: Gwet's AC1 (Gwet 2008, BJMSP 61:29-48), chance agreement
 * from the mean margins pi_k, pe = sum pi_k (1 - pi_k) / (q - 1) over the q
 * categories of the scale; and Krippendorff's alpha for two coders, nominal
 * data, no missing values (Krippendorff 2011, "Computing Krippendorff's
 * alpha-reliability"): alpha = 1 - (n - 1) sum_{c!=k} o_ck / sum_{c!=k}
 * n_c n_k over the coincidence matrix o_ck = table[c][k] + table[k][c], n =
 * 2N values. Both are less moved than kappa by skewed prevalence. */
#include "qes/kappa.h"
#include "kappa.h"

#include <stdlib.h>

#include <math.h>

#define QES_KAPPA_MAX_K 16

int qes_kappa_compute(const long *table, int k, qes_kappa *out, qes_error *err)
{
	*out = (qes_kappa){ 0, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN };
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
	/* Gwet's AC1 and Krippendorff's alpha: defined whatever the margins
	 * (alpha not when every value is the same). */
	double peg = 0, nn = 2.0 * (double)n, obs = 0, dexp = nn * nn;
	for (int i = 0; i < k; i++) {
		double pi = (row[i] + col[i]) / 2;
		peg += pi * (1 - pi);
		double nc = pi * nn;
		dexp -= nc * nc;
		for (int j = 0; j < k; j++)
			if (i != j)
				obs += (double)table[i * k + j] * 2;
	}
	peg /= (double)(k - 1);
	out->ac1 = (po - peg) / (1 - peg);
	if (dexp > 0.5)
		out->alpha = 1 - (nn - 1) * obs / dexp;
	int one_a = 0, one_b = 0;
	for (int i = 0; i < k; i++) {
		one_a |= row[i] > 1 - 1e-12;
		one_b |= col[i] > 1 - 1e-12;
	}
	if (pe >= 1.0 || one_a || one_b)
		return 0;   /* a rater used one category only: kappa not estimable */
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
	const double z = 1.959963984540054;
	out->kappa = kap;
	out->se = var > 0 ? sqrt(var) : 0;
	/* Wilson score interval for po, carried to the kappa scale. */
	double z2n = z * z / (double)n;
	double mid = (po + z2n / 2) / (1 + z2n);
	double half = z * sqrt(po * (1 - po) / (double)n + z2n / (4 * (double)n)) / (1 + z2n);
	double wl = (mid - half - pe) / (1 - pe), wh = (mid + half - pe) / (1 - pe);
	out->ci_low = fmax(-1.0, fmin(kap - z * out->se, wl));
	out->ci_high = fmin(1.0, fmax(kap + z * out->se, wh));
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
