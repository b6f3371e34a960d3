/* rank_metrics.c: screening metrics, defined as asreview-insights defines
 * them (and as /work/shared/tools/wss.py recomputes them): the two priors are
 * left out, the labels of the records screened after them are padded with
 * zeros to n, and "found" counts relevant records after i + 1 of them.
 *   recall@10%: found[floor(0.1 n) - 1] / (included - prior_included)
 *   WSS@95:     (i_random - i_model) / n, where i_model is the first i with
 *               found[i] >= k, k = floor(0.95 npos) (1 when that is 0), and
 *               i_random the same for the random line round(i npos / (n-1)).
 * Cohen et al. (2006) define WSS@95 as (TN + FN) / N - 0.05: the share of the
 * N records left unscreened once 95% of all the relevant ones are found, less
 * 0.05. Here the two priors are screened records (the reviewer labels them)
 * and the relevant prior counts as found: screened = 2 + the records after
 * the priors needed to reach ceil(0.95 included) with the priors' ones. */
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
	size_t irand = n, imodel = n;
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
	/* Cohen: ceil(0.95 included) in integers, so that 0.95 x 20 is 19. */
	size_t need = (95 * included + 99) / 100, screened = n;
	for (size_t i = 0; i + QES_RANK_PRIORS < n; i++)
		if (prior_included + found[i] >= need) {
			screened = QES_RANK_PRIORS + i + 1;
			break;
		}
	out->wss_at_95 = ((double)irand - (double)imodel) / (double)n;
	out->wss_at_95_cohen = ((double)n - (double)screened) / (double)n - 0.05;
	out->screened_to_last = -1;
	for (size_t i = 0; i < n; i++)
		if ((double)found[i] >= npos) {
			out->screened_to_last = (long)i + 1;
			break;
		}
	free(found);
	return 0;
}
