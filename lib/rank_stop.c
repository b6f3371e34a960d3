/* rank_stop.c: when may a reviewer stop? The statistical stopping criterion
 * of Callaghan and Müller-Hansen (2020), "Statistical stopping criteria for
 * automated screening in systematic reviews", Systematic Reviews 9:273.
 *
 * After prioritised screening has found r_AL relevant records, the reviewer
 * screens n records drawn at random (without replacement) from the N records
 * then left, and finds k relevant. If recall were below the target tau, the
 * total of relevant records would be at least floor((r_AL + k) / tau) + 1, so
 * the pool held at least K_tar = floor((r_AL + k) / tau) - r_AL + 1 relevant
 * records. The p-value of H0 "recall < tau" is the hypergeometric
 * P(X <= k; N, K_tar, n): finding so few relevant records in the sample would
 * be that unlikely if H0 held. Stop when p < 1 - confidence.
 *
 * The same distribution bounds what is left: the largest K the sample does
 * not reject at this confidence, less the k already found in the sample. */
#include "rank_internal.h"

#include <math.h>
#include <stdio.h>

static double lchoose(double n, double k)
{
	return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

/* P(X <= k) for X ~ Hypergeometric(population N, successes K, draws n). */
static double hyper_cdf(long k, long N, long K, long n)
{
	if (K > N)
		return 0;
	long lo = n - (N - K) > 0 ? n - (N - K) : 0;
	long hi = k < K ? k : K;
	if (hi > n)
		hi = n;
	double s = 0, lt = lchoose((double)N, (double)n);
	for (long x = lo; x <= hi; x++)
		s += exp(lchoose((double)K, (double)x) + lchoose((double)(N - K), (double)(n - x)) - lt);
	return s > 1 ? 1 : s;
}

void qes_rank_stop_test(qes_rank_stop *st)
{
	double alpha = 1 - st->confidence;
	st->p_value = 1;
	st->can_stop = 0;
	st->remaining_est = -1;
	st->remaining_upper = -1;
	st->recall_lower = 0;
	long N = st->sample_pool, n = st->sample_n, k = st->sample_relevant;
	if (N <= 0 || n <= 0 || st->target <= 0 || st->target > 1)
		return;
	long r_al = st->relevant - k;
	long ktar = (long)floor((double)(r_al + k) / st->target) - r_al + 1;
	st->p_value = hyper_cdf(k, N, ktar, n);
	st->can_stop = st->p_value < alpha;
	st->remaining_est = (double)k / (double)n * (double)(N - n);
	/* Largest K with P(X <= k; K) >= alpha; the cdf falls as K grows. */
	long lo = k, hi = N - (n - k);
	while (lo < hi) {
		long mid = lo + (hi - lo + 1) / 2;
		if (hyper_cdf(k, N, mid, n) >= alpha)
			lo = mid;
		else
			hi = mid - 1;
	}
	st->remaining_upper = lo - k;
	double tot = (double)st->relevant + (double)st->remaining_upper;
	st->recall_lower = tot > 0 ? (double)st->relevant / tot : 1;
}

int qes_rank_stop_worth_saying(const qes_rank_stop *st)
{
	/* One rule for both screeners, so they cannot drift (the web
	 * screener showed "No random sample yet..." from the start). A sample
	 * speaks once it rules out something a reviewer can use: its bound on
	 * the relevant records left is under half the records left. Before
	 * that the sentence is true but empty ("a random sample of 1 of the 13
	 * records...: at most 12 of the 12 left", "at most 302 of the 307"),
	 * so both stay silent (issue 20). */
	if (!st)
		return 0;
	long left = st->total - st->screened;
	int informative = st->sample_n > 0 && st->remaining_upper >= 0 &&
			  2 * st->remaining_upper < left;
	return informative || st->since_relevant >= QES_RANK_STOP_SWITCH_AFTER;
}

void qes_rank_stop_sentence(const qes_rank_stop *st, char *buf, size_t len)
{
	long left = st->total - st->screened;
	if (st->sample_n <= 0) {
		int n = snprintf(buf, len,
				 "Screened %ld of %ld record%s, %ld relevant. No random sample yet: to know "
				 "how many relevant records the %ld left may hold, screen records drawn at "
				 "random from them (stopping criterion of Callaghan & Mueller-Hansen 2020, "
				 "Systematic Reviews 9:273); stopping now has no statistical guarantee.",
				 st->screened, st->total, st->total == 1 ? "" : "s", st->relevant, left);
		if (n >= 0 && (size_t)n < len && left > 0 &&
		    st->since_relevant >= QES_RANK_STOP_SWITCH_AFTER)
			snprintf(buf + n, len - (size_t)n,
				 " The last %ld records screened held no relevant one: a good point to "
				 "switch to random order and start the sample.", st->since_relevant);
		return;
	}
	/* "left after prioritised screening" only when some was: a sample
	 * drawn from the start is a sample of every record. */
	int n = snprintf(buf, len,
			 "Screened %ld of %ld record%s, %ld relevant. A random sample of %ld of the %ld "
			 "records%s held %ld relevant: with %.0f%% "
			 "confidence at most %ld relevant record%s unscreened (estimate %.1f), so "
			 "recall is at least %.1f%%. ",
			 st->screened, st->total, st->total == 1 ? "" : "s", st->relevant, st->sample_n,
			 st->sample_pool,
			 st->sample_pool < st->total ? " left after prioritised screening" : "",
			 st->sample_relevant, st->confidence * 100, st->remaining_upper,
			 st->remaining_upper == 1 ? " remains" : "s remain", st->remaining_est, st->recall_lower * 100);
	if (n < 0 || (size_t)n >= len)
		return;
	snprintf(buf + n, len - (size_t)n,
		 st->can_stop ?
		 "Recall below %.0f%% is rejected (p = %.3g < %.2g): you may stop screening and cite "
		 "the stopping criterion of Callaghan & Mueller-Hansen 2020 (Systematic Reviews 9:273)." :
		 "Recall below %.0f%% cannot be rejected yet (p = %.3g, needs < %.2g): keep screening "
		 "the random sample.",
		 st->target * 100, st->p_value, 1 - st->confidence);
}
