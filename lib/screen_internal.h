/* screen_internal.h: what the screen*.c files share. */
#ifndef QES_SCREEN_INTERNAL_H
#define QES_SCREEN_INTERNAL_H

#include "qes/screen.h"
#include <sqlite3.h>

/* The SELECT (one column, record_id) of the records to be screened: the
 * screening units. The one place that knows about deduplication. */
const char *qes__screen_pool_sql(void);

/* Creates the temp views
 * screen_outcome_ta / screen_outcome_ft (columns record_id, need, n, ni, ne,
 * nu, resolved, outcome) on this connection. Cheap after the first call. */
int qes__screen_prepare(qes_store *st, qes_error *err);

/* Extends each stage's double-screening sample to round(fraction x pool)
 * (screen_sample.c); qes__screen_prepare calls it when the review changed.
 * Opens its own transaction when none is open. */
int qes__screen_sample_sync(qes_store *st, qes_error *err);
/* A stage's pool, its sampled records (in the pool) and the pool records
 * with two or more decisions (double_decided may be NULL); on the views. */
int qes__screen_sample_counts(qes_store *st, qes_stage stage, long *pool, long *sampled,
			      long *double_decided, qes_error *err);

/* Prepares sql or fills err. */
int qes__screen_stmt(qes_store *st, sqlite3_stmt **s, const char *sql, qes_error *err);

/* Looks up a reviewer: id and role ("owner", ...; copied to role[16]). */
int qes__reviewer_lookup(qes_store *st, const char *initials, long long *id,
			 char role[16], qes_error *err);

/* Appends to the audit log; *log_id (may be NULL) gets the entry's id. */
int qes__screen_log(qes_store *st, long long reviewer_id, const char *action,
		    long long record_id, const char *stage, const char *old_d,
		    const char *new_d, const char *reason, const char *note,
		    const char *detail, long long *log_id, qes_error *err);

/* The canonical spelling of reason from the review's list, into out. */
int qes__reason_check(qes_store *st, const char *reason, char *out, size_t outlen,
		      qes_error *err);

/* Decides inside an open transaction (qes_screen_decide and the CSV import). */
int qes__screen_decide_locked(qes_store *st, const char *as, qes_stage stage,
			      long long record_id, qes_decision d,
			      const qes_decide_opts *o, const char *action,
			      qes_error *err);

/* The same, with a detail for the log entry ("order=random"). */
int qes__screen_decide_detail(qes_store *st, const char *as, qes_stage stage,
			      long long record_id, qes_decision d,
			      const qes_decide_opts *o, const char *action,
			      const char *detail, qes_error *err);

/* Reads a decisions CSV (screen_csv.c): row gets each data row's fields in
 * the order source_key, reviewer, stage, decision, reason, and its line.
 * A non-zero return from row stops with that code. */
#include <stdio.h>
int qes__decisions_csv(FILE *fp, const char *name,
		       int (*row)(void *ud, long line, const char *const f[5]),
		       void *ud, qes_error *err);

/* One record's state at a stage, computed for that record alone (the views
 * compute every record's, which is for listings): in_pool 0 when it is not
 * screened at the stage. */
typedef struct qes_rec_state {
	int in_pool, need, n, resolved;
	qes_outcome outcome;
} qes_rec_state;
int qes__screen_state(qes_store *st, qes_stage stage, long long record_id,
		      qes_rec_state *rs, qes_error *err);

/* Outcome of a record ("pending", "conflict", ...) read from the views. */
qes_outcome qes__outcome_from(const char *s);

#endif
