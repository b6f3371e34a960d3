/* bench_rank.c: retrain + rescore time at scale, on synthetic records.
 *
 *   build/rel/bench/bench_rank [--records N] [--seed S] [--labels L]
 *
 * Makes N records (title of 12 words, abstract of 180, drawn from a Zipf-like
 * vocabulary of 30,000 made-up words; 3% relevant, whose text leans on 200
 * topic words), builds the features, labels L records at random, then adds
 * one label at a time and times 20 retrains (fit + rescore of every record),
 * as a reviewer screening a large search would see them. Prints one line of
 * JSON. Single-threaded: it uses one core. */
#include "qes/rank.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define VOCAB 30000

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A pronounceable made-up word for index k (distinct for distinct k). */
static void word(unsigned k, char *out)
{
	static const char *syl[] = { "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa",
				     "do", "fi", "gu", "he", "jo", "bi", "co", "wu", "xa", "ye" };
	int n = 0;
	do {
		n += sprintf(out + n, "%s", syl[k % 20]);
		k /= 20;
	} while (k);
	strcpy(out + n, "x");
}

static char *text(uint64_t *rs, int words, int relevant)
{
	char *s = malloc((size_t)words * 16 + 1), w[16];
	size_t at = 0;
	for (int i = 0; i < words; i++) {
		double u = (double)(qes_rank_rand(rs) >> 11) / 9007199254740992.0;
		unsigned k = (unsigned)(pow(VOCAB, u)) - 1;   /* log-uniform: Zipf-like */
		if (relevant && qes_rank_rand(rs) % 8 == 0)
			k = VOCAB + (unsigned)(qes_rank_rand(rs) % 200);
		word(k, w);
		at += (size_t)sprintf(s + at, "%s%s", i ? " " : "", w);
	}
	return s;
}

int main(int argc, char **argv)
{
	long n = 100000, seed = 1, labels = 1000;
	static const struct option opts[] = {
		{ "records", required_argument, NULL, 'n' }, { "seed", required_argument, NULL, 's' },
		{ "labels", required_argument, NULL, 'l' }, { 0, 0, 0, 0 } };
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'n') n = atol(optarg);
		else if (c == 's') seed = atol(optarg);
		else if (c == 'l') labels = atol(optarg);
		else return 2;
	}
	if (n < 100 || labels < 2 || labels + 40 > n) {
		fprintf(stderr, "bench_rank: need --records >= 100 and 2 <= --labels < records - 40\n");
		return 2;
	}
	uint64_t rs = (uint64_t)seed;
	qes_rank_item *items = calloc((size_t)n, sizeof(*items));
	unsigned char *rel = calloc((size_t)n, 1);
	char (*ids)[24] = calloc((size_t)n, sizeof(*ids));
	for (long i = 0; i < n; i++) {
		rel[i] = qes_rank_rand(&rs) % 100 < 3;
		snprintf(ids[i], sizeof(ids[i]), "%ld", i + 1);
		items[i].id = ids[i];
		items[i].title = text(&rs, 12, rel[i]);
		items[i].abstract = text(&rs, 180, rel[i]);
	}
	qes_error err;
	qes_rank_features *f = NULL;
	qes_rank *r = NULL;
	double t0 = now_ms();
	int rc = qes_rank_features_build(&f, items, (size_t)n, NULL, &err);
	double build = now_ms() - t0;
	if (!rc)
		rc = qes_rank_new(&r, f, NULL, NULL, &err);
	if (rc) {
		fprintf(stderr, "bench_rank: %s\n", err.message);
		return 1;
	}
	/* Random labels, both classes present. */
	long i = 0, done = 0;
	qes_rank_label(r, 0, 1, 0, &err);
	qes_rank_label(r, 1, 0, 0, &err);
	while (done < labels - 2) {
		i = (long)(qes_rank_rand(&rs) % (uint64_t)n);
		qes_rank_label(r, (size_t)i, rel[i], 0, &err);
		done++;
	}
	qes_rank_retrain(r, &err);   /* the first fit is a cold start; not timed */
	double worst = 0, sum = 0;
	for (int k = 0; k < 20; k++) {
		size_t next;
		qes_rank_next(r, &next, 1);
		qes_rank_label(r, next, rel[next], 0, &err);
		double a = now_ms();
		qes_rank_retrain(r, &err);
		double d = now_ms() - a;
		sum += d;
		worst = d > worst ? d : worst;
	}
	printf("{\"records\": %ld, \"labels\": %ld, \"terms\": %zu, \"build_ms\": %.0f, "
	       "\"ms_per_retrain\": %.2f, \"worst_ms\": %.2f}\n", n, labels + 20,
	       qes_rank_features_terms(f), build, sum / 20, worst);
	qes_rank_free(r);
	qes_rank_features_free(f);
	for (long k = 0; k < n; k++) {
		free((char *)items[k].title);
		free((char *)items[k].abstract);
	}
	free(items);
	free(rel);
	free(ids);
	return 0;
}
