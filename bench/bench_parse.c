/* bench_parse.c: parse-only throughput of one file.
 *
 *   build/rel/bench/bench_parse FILE [FORMAT] [REPEAT]
 *
 * Runs qes_parse_file REPEAT times (default 3) with a callback that does
 * nothing, and prints the best MB/s. qes_parse_file first sniffs the whole
 * file (SHA-256, encoding, format); that pass is timed on its own too, so
 * the parser's share can be read off: parse MB/s excludes the sniff.
 * Times are CPU time of the process (the benchmark machine is shared, so
 * wall time says more about the neighbours than about qes).
 * Make a test file with bench/gen_ris.py (not committed: large). */
#include "qes/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static int noop(void *ud, const qes_record *rec)
{
	(*(long *)ud)++;
	(void)rec;
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_parse FILE [FORMAT] [REPEAT]\n");
		return 2;
	}
	struct stat st;
	if (stat(argv[1], &st)) {
		perror(argv[1]);
		return 1;
	}
	qes_parse_opts o = { .format = argc > 2 && argv[2][0] ? argv[2] : NULL };
	int repeat = argc > 3 ? atoi(argv[3]) : 3;
	double mb = (double)st.st_size / 1e6, best = 1e30, best_sniff = 1e30;
	long records = 0;
	for (int i = 0; i < repeat; i++) {
		qes_error err;
		qes_error_clear(&err);
		qes_sniff sn;
		double t0 = now();
		if (qes_sniff_file(argv[1], &sn, &err)) {
			fprintf(stderr, "sniff: %s\n", err.message);
			return 1;
		}
		double t1 = now();
		records = 0;
		if (qes_parse_file(argv[1], &o, noop, &records, NULL, &err)) {
			char msg[2048];
			qes_error_format(&err, msg, sizeof(msg));
			fprintf(stderr, "parse: %s\n", msg);
			return 1;
		}
		double t2 = now();
		if (t1 - t0 < best_sniff)
			best_sniff = t1 - t0;
		if (t2 - t1 < best)
			best = t2 - t1;
	}
	double parse_only = best - best_sniff;
	printf("%s: %.1f MB, %ld records\n", argv[1], mb, records);
	printf("qes_parse_file (sniff + parse): %.0f MB/s\n", mb / best);
	printf("sniff alone:                    %.0f MB/s\n", mb / best_sniff);
	printf("parse only (without the sniff): %.0f MB/s\n",
	       parse_only > 0 ? mb / parse_only : 0.0);
	return 0;
}
