/* bench_parse.c: parse-only throughput of qes_parse_file (sniff, read,
 * decode, parse, normalise; nothing stored).
 *
 *   bench_parse FILE [--format F] [--repeat N]
 *
 * Prints one line: "records N bytes B seconds S MB/s X records/s Y
 * sniff_seconds T parser_MB/s Z wall_seconds W wall_MB/s V", the best of N
 * runs (default 1), so run.sh can pick the numbers out. seconds, MB/s,
 * records/s, sniff_seconds and parser_MB/s are of CPU time (this process is
 * single-threaded; on a shared machine wall time measures the neighbours as
 * much as the parser); wall_seconds and wall_MB/s are the same runs on the
 * wall clock. MB/s and wall_MB/s are of the whole of qes_parse_file, which
 * includes the sniff pass; parser_MB/s leaves the sniff pass out. */
#include "qes/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int count_record(void *ud, const qes_record *rec)
{
	(void)rec;
	(*(long *)ud)++;
	return 0;
}

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of this single-threaded process. */
static double now(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

static double wall(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

int main(int argc, char **argv)
{
	const char *path = NULL, *format = NULL;
	int repeat = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--format") && i + 1 < argc)
			format = argv[++i];
		else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
			repeat = atoi(argv[++i]);
		else if (!path && argv[i][0] != '-')
			path = argv[i];
		else
			path = NULL, i = argc;
	}
	if (!path || repeat < 1) {
		fputs("usage: bench_parse FILE [--format F] [--repeat N]\n", stderr);
		return 2;
	}
	qes_parse_opts o;
	memset(&o, 0, sizeof(o));
	o.format = format;
	double best = 0, best_sniff = 0, best_wall = 0;
	long records = 0;
	qes_sniff sn;
	/* The sniff pass (SHA-256, encoding, format) alone, so the parser's own
	 * speed can be told apart from the whole of qes_parse_file. */
	for (int r = 0; r < repeat; r++) {
		qes_error err;
		qes_error_clear(&err);
		double t0 = now();
		if (qes_sniff_file(path, &sn, &err))
			return 1;
		double t = now() - t0;
		if (r == 0 || t < best_sniff)
			best_sniff = t;
	}
	for (int r = 0; r < repeat; r++) {
		qes_error err;
		qes_error_clear(&err);
		long n = 0;
		double t0 = now(), w0 = wall();
		if (qes_parse_file(path, &o, count_record, &n, &sn, &err)) {
			char msg[2048];
			qes_error_format(&err, msg, sizeof(msg));
			fprintf(stderr, "bench_parse: %s\n", msg);
			return 1;
		}
		double t = now() - t0, w = wall() - w0;
		if (r == 0 || t < best)
			best = t;
		if (r == 0 || w < best_wall)
			best_wall = w;
		records = n;
	}
	double parser = best - best_sniff > 1e-6 ? best - best_sniff : 1e-6;
	printf("records %ld bytes %llu seconds %.3f MB/s %.1f records/s %.0f "
	       "sniff_seconds %.3f parser_MB/s %.1f wall_seconds %.3f wall_MB/s %.1f\n",
	       records, sn.bytes, best, (double)sn.bytes / 1e6 / best, (double)records / best,
	       best_sniff, (double)sn.bytes / 1e6 / parser, best_wall,
	       (double)sn.bytes / 1e6 / best_wall);
	return 0;
}
