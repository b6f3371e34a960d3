/* dedup_store.h: writing a run's result (dedup_store.c), shared with
 * dedup_run.c. Not public. */
#ifndef QES_DEDUP_STORE_H
#define QES_DEDUP_STORE_H

#include "dedup_int.h"

typedef struct qes__dd_write_input {
	const qes__dd_rec *recs;
	size_t n;
	const long long *cluster;       /* cluster of each record before the run */
	const uint64_t *pairs;
	size_t npairs;
	const unsigned char *outcome;   /* per pair; 3 = queue it */
	const float *score;
	qes__dd_uf *uf;
} qes__dd_write_input;

#define QES__DD_OUT_QUEUED 3

/* Writes new and grown clusters, queued pairs and the run's row in one
 * transaction (nothing when dry_run, but res is filled the same). */
int qes__dd_write(qes_store *st, const qes__dd_write_input *in, int dry_run,
		  qes_dedup_result *res, qes_error *err);

#endif
