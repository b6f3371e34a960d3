/* qes/dedup.h: finding the same work imported many times.
 *
 * Records are never deleted. A merge groups records under a cluster (a
 * "work") with a best value for each field; undo ungroups them. Pairs the
 * rules are not certain of wait in a review queue for a person to decide
 * (merge, distinct or skip). Every merge, decision and undo is logged with
 * the rules' version. The CLI and the web UI both use these calls; each call
 * that writes is one transaction.
 *
 * Ownership: strings in the structs below are malloc'd by the library and
 * freed by the matching *_free / *_release call. */
#ifndef QES_DEDUP_H
#define QES_DEDUP_H

#include <stdio.h>

#include "qes/error.h"
#include "qes/store.h"

/* Bumped whenever a rule changes what is merged; logged with every decision. */
#define QES_DEDUP_RULES_VERSION "qes-dedup-4"

/* What the rules say about one pair of records. */
enum qes_dedup_verdict {
	QES_DEDUP_NONE = 0,   /* not the same work (weak or no evidence) */
	QES_DEDUP_APART,      /* strong evidence against: never in one cluster */
	QES_DEDUP_UNSURE,     /* goes to the review queue */
	QES_DEDUP_SAME,       /* certain: merged automatically */
};

/* One compared pair, for --explain (valid during the callback only). */
typedef struct qes_dedup_explain {
	long long a, b;              /* record ids */
	const char *key_a, *key_b;   /* their source keys */
	int verdict;                 /* enum qes_dedup_verdict */
	double title_sim;            /* 0..1, -1 when a title is missing */
	const char *why;             /* the rule that decided, in words */
	const char *outcome;         /* "merged", "queued", "kept apart", ... */
} qes_dedup_explain;

typedef struct qes_dedup_opts {
	int dry_run;                 /* compute and report, write nothing */
	void (*explain)(void *ud, const qes_dedup_explain *e);   /* may be NULL */
	void *ud;
} qes_dedup_opts;

typedef struct qes_dedup_result {
	long records;        /* records considered */
	long pairs;          /* candidate pairs compared (after blocking) */
	long clusters;       /* clusters created or grown by this run */
	long merged;         /* records this run merged into a cluster with others */
	long queued;         /* pairs newly put in the review queue */
	long blocked;        /* merges refused because a cluster would hold two DOIs
			      * or a pair a reviewer called distinct */
	long works;          /* distinct works after this run */
} qes_dedup_result;

/* Finds duplicates among all records, merges the certain ones, queues the
 * uncertain ones. Clusters from earlier runs and reviewer decisions are kept. */
int qes_dedup_run(qes_store *st, const qes_dedup_opts *o, qes_dedup_result *res,
		  qes_error *err);

/* --- The review queue --------------------------------------------------- */

typedef struct qes_dedup_pair {
	long long id;            /* queue entry */
	long long a, b;          /* record ids, a < b */
	char *key_a, *key_b;     /* source keys */
	double score;
	char *reason;            /* why the rules were unsure */
	char *status;            /* "pending", "merge", "distinct", "skip" */
} qes_dedup_pair;

/* Pairs in the queue: pending ones only (skipped ones after them) when
 * pending_only, else every entry. Pairs whose records are already in one
 * cluster are left out. *pairs is an array of *n; free with qes_dedup_pairs_free. */
int qes_dedup_queue(qes_store *st, int pending_only, qes_dedup_pair **pairs,
		    size_t *n, qes_error *err);
void qes_dedup_pairs_free(qes_dedup_pair *pairs, size_t n);

enum qes_dedup_decision { QES_DEDUP_MERGE, QES_DEDUP_DISTINCT, QES_DEDUP_SKIP };

/* A person's decision on two records (queued or not). Merge joins their
 * clusters at once; distinct keeps them apart in every later run (fails with
 * QES_ECONFLICT if they are already in one cluster: undo it first); skip
 * leaves the pair queued after the others. who may be NULL. */
int qes_dedup_decide(qes_store *st, long long a, long long b, int decision,
		     const char *who, qes_error *err);
/* The same for a pair in the queue only (one a deduplication run put there):
 * QES_EPERM for any other two records, nothing changed. What a reviewer may
 * do through the web queue; other merges are the owner's (logged, undone
 * with qes_dedup_undo). */
int qes_dedup_decide_queued(qes_store *st, long long a, long long b, int decision,
			    const char *who, qes_error *err);

/* --- Clusters ----------------------------------------------------------- */

/* Undoes one cluster (its records become separate again, its pairs go back
 * to the queue so no later run merges them silently), or every cluster when
 * cluster_id is 0 (a reset: later runs merge afresh; decisions are kept).
 * *undone gets the number of clusters undone. */
int qes_dedup_undo(qes_store *st, long long cluster_id, long *undone, qes_error *err);

/* The cluster of a record (0 when it is alone). */
int qes_dedup_cluster_of(qes_store *st, long long record_id, long long *cluster_id,
			 qes_error *err);

/* Writes CSV "source_key,cluster", one row per record (the interface scripts
 * and the benchmark read). Records alone get their own cluster. */
int qes_dedup_export_clusters(qes_store *st, const char *path, qes_error *err);
/* The same CSV to an open stream (standard output, an HTTP response). */
int qes_dedup_write_clusters(qes_store *st, FILE *f, qes_error *err);

typedef struct qes_dedup_counts {
	long records;        /* imported, before deduplication */
	long works;          /* after deduplication */
	long duplicates;     /* records - works */
	long clusters;       /* active clusters (works with two or more records) */
	long pending;        /* pairs waiting for a person */
	long decided;        /* pairs a person decided */
	long runs;           /* dedup runs so far */
	char rules_version[32];   /* of the last run, "" when never run */
} qes_dedup_counts;

/* Counts for 'qes status' and the web UI. */
int qes_dedup_summary(qes_store *st, qes_dedup_counts *c, qes_error *err);

/* The rules on two loaded records, for the side-by-side review screen.
 * why (may be NULL) gets the deciding rule. Returns a qes_dedup_verdict. */
int qes_dedup_compare(const qes_record *a, const qes_record *b, double *title_sim,
		      char *why, size_t whylen);

#endif
