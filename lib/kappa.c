/* kappa.c: Cohen's kappa and its 95% confidence interval. */
#include "kappa.h"

#include <math.h>
#include <stdlib.h>
#include "qes/error.h"

int qes__kappa(const int *table, int k, double *kappa, double *lo, double *hi)
{
	double n = 0, po = 0, pe = 0;
	double *row = NULL, *col = NULL;
	int rc = QES_EINVAL;
	if (k < 1 || k > 64)
		return QES_EINVAL;
	row = calloc((size_t)k, sizeof(double));
	col = calloc((size_t)k, sizeof(double));
	if (!row || !col) {
		rc = QES_ENOMEM;
		goto out;
	}
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++)
			n += table[i * k + j];
	if (n <= 0)
		goto out;
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++) {
			row[i] += table[i * k + j] / n;
			col[j] += table[i * k + j] / n;
		}
	for (int i = 0; i < k; i++) {
		po += table[i * k + i] / n;
		pe += row[i] * col[i];
	}
	if (1 - pe < 1e-12)
		goto out;
	double kap = (po - pe) / (1 - pe);
	/* Fleiss, Cohen & Everitt (1969): variance of kappa-hat. */
	double a = 0, b = 0;
	for (int i = 0; i < k; i++) {
		double t = 1 - (row[i] + col[i]) * (1 - kap);
		a += table[i * k + i] / n * t * t;
		for (int j = 0; j < k; j++)
			if (i != j) {
				double u = col[i] + row[j];
				b += table[i * k + j] / n * u * u;
			}
	}
	b *= (1 - kap) * (1 - kap);
	double c = kap - pe * (1 - kap);
	double var = (a + b - c * c) / (n * (1 - pe) * (1 - pe));
	double se = var > 0 ? sqrt(var) : 0;
	*kappa = kap;
	*lo = fmax(-1, kap - 1.959963984540054 * se);
	*hi = fmin(1, kap + 1.959963984540054 * se);
	rc = 0;
out:
	free(row);
	free(col);
	return rc;
}
