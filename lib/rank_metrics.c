/* rank_metrics.c: screening metrics, defined as asreview-insights defines
 * them (and as /work/shared/tools/wss.py recomputes them): the two priors are
 * left out, the labels of the records screened after them are padded with
 * zeros to n, and "found" counts relevant records after i + 1 of them.
 *   recall@10%: found[floor(0.1 n) - 1] / (included - prior_included)
 *   WSS@95:     (i_random - i_model) / n, where i_model is the first i with
 *               found[i] >= k, k = floor(0.95 npos) (1 when that is 0), and
 *               i_random the same for the random line round(i npos / (n-1)).
 * Cohen et al. (2006) define WSS@95 as (N - screened to reach 95%) / N - 0.05;
 * we report it too, with the same n and the records needed to reach k. */
#include "rank_internal.h"

#include <math.h>
#include <stdlib.h>

int qes_rank_metrics_compute(const unsigned char *labels, size_t m, size_t n,
			     size_t included, size_t prior_included,
			     qes_rank_metrics *out, qes_error *err)
{
	if (n < 2 || included <= prior_included || m > n)
		return qes_error_set(err, QES_EINVAL, "metrics need at least two records and a "
				     "relevant record besides the priors");
	double npos = (double)(included - prior_included);
	size_t *found = malloc(n * sizeof(*found));
	if (!found)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	size_t c = 0;
	for (size_t i = 0; i < n; i++) {
		c += i < m && labels[i];
		found[i] = c;
	}
	long at10 = (long)(0.1 * (double)n) - 1;
	if (at10 < 0)
		at10 = (long)n - 1;   /* as numpy's index -1 */
	out->recall_at_10pct = (double)found[at10] / npos;
	double k = floor(0.95 * npos);
	if (k == 0)
		k = 1;
	double step = npos / (double)(n - 1);
	size_t irand = n, imodel = n, ireach = n;
	for (size_t i = 0; i < n; i++) {
		double v = i == n - 1 ? npos : rint((double)i * step);
		if (v >= k) {
			irand = i;
			break;
		}
	}
	for (size_t i = 0; i < n; i++)
		if ((double)found[i] >= k) {
			imodel = i;
			break;
		}
	for (size_t i = 0; i < n; i++)
		if ((double)found[i] >= ceil(0.95 * npos)) {
			ireach = i;
			break;
		}
	out->wss_at_95 = ((double)irand - (double)imodel) / (double)n;
	out->wss_at_95_cohen = ((double)n - (double)(ireach + 1)) / (double)n - 0.05;
	out->screened_to_last = -1;
	for (size_t i = 0; i < n; i++)
		if ((double)found[i] >= npos) {
			out->screened_to_last = (long)i + 1;
			break;
		}
	free(found);
	return 0;
}
