/* qes/rank.h: prioritised screening (active learning), independent of the
 * store and the CLI.
 *
 * Two objects:
 *  - qes_rank_features: the text features of a fixed set of records (stemmed
 *    uni- and bigrams, sublinear TF-IDF, L2-normalised rows, sparse; and by
 *    default a second view, latent semantic features), built
 *    once per set of records. Immutable once built, so any number of sessions
 *    and threads may read it at once.
 *  - qes_rank: one screening session over those features: the labels, the
 *    linear model (L2-loss SVM, class-weighted, plus the centroid of the
 *    relevant records while few are known; by default a second SVM on the
 *    latent features, the two standardised scores added) and the score of
 *    every record.
 *
 * Thread-safety of a qes_rank: every function below may be called from any
 * thread at any time. qes_rank_retrain() does the heavy work without holding
 * the session lock: it takes a snapshot of the labels, fits and rescores, and
 * then swaps the new scores in, so a UI thread can keep calling
 * qes_rank_label() and qes_rank_next() while a background thread retrains
 * (the next record comes from the latest finished model; records labelled in
 * the meantime are never offered again). Two retrains on one session run one
 * after the other. qes_rank_free() must not race with any other call.
 *
 * Records are addressed by index (0..n-1, the order given to
 * qes_rank_features_build); qes_rank_features_find() maps an id to it.
 * Strings returned point into the features and live as long as they do. */
#ifndef QES_RANK_H
#define QES_RANK_H

#include <stddef.h>
#include <stdint.h>
#include "qes/error.h"

typedef struct qes_rank_features qes_rank_features;
typedef struct qes_rank qes_rank;

/* One record's text; any field may be NULL. Copied during the build. */
typedef struct qes_rank_item {
	const char *id;         /* the record's key (source key, "#id"...) */
	const char *title;
	const char *abstract;
	const char *keywords;   /* one string, keywords separated by anything */
} qes_rank_item;

typedef struct qes_rank_opts {
	int ngram_max;          /* 1, 2 or 3 (default 2) */
	double max_df;          /* drop terms in more than this share of records (0.5) */
	int min_df;             /* drop terms in fewer records than this (1) */
	double C;               /* SVM regularisation (see docs/ranking.md) */
	double balance_ratio;   /* > 0: all relevant records together weigh this many
				 * times all irrelevant ones, mean weight 1 (ASReview's
				 * "balanced" scheme); default 30 */
	double pos_weight;      /* when balance_ratio is 0: cost of a relevant record
				 * relative to an irrelevant one (0: by class sizes) */
	int epochs;             /* upper bound of solver passes per retrain (1) */
	int stem;               /* 1: Snowball English stemming (default), 0: none */
	int title_repeat;       /* title terms counted this many times (1) */
	double nb_mix;          /* weight of a naive Bayes model mixed into the SVM (0) */
	int pseudo_neg;         /* unlabelled records drawn at random and treated as
				 * irrelevant until labelled (TREC Total Recall BMI) */
	double rocchio;         /* weight of the centroid of the relevant records mixed
				 * into the SVM (both scaled to unit length; 1) */
	double rocchio_k;       /* that weight is rocchio * k / (k + relevant - 1), so
				 * it fades as relevant records are found (6; 0: constant) */
	int view2;              /* a second model on other features, its scores
				 * standardised and added to the first's: 0 none,
				 * 1 unstemmed words, 2 character 3-5-grams, 3 latent
				 * semantic features (lsa_dims; the default; not built
				 * above 10,000 records, where sessions run the SVM
				 * alone; docs/ranking.md). Must be set when the
				 * features are built (they then hold the second view)
				 * and for the session; qes_rank_explain explains the
				 * first model only. */
	double view2_weight;    /* weight of the second model's standardised score (0.5) */
	int char_ngrams;        /* features are character n-grams of 3..this length
				 * within word boundaries instead of words (0: words) */
	int lsa_dims;           /* dimensions of the latent features of view2 3 (100) */
} qes_rank_opts;

/* The defaults docs/ranking.md justifies. */
void qes_rank_opts_default(qes_rank_opts *o);

int qes_rank_features_build(qes_rank_features **out, const qes_rank_item *items,
			    size_t n, const qes_rank_opts *o, qes_error *err);
void qes_rank_features_free(qes_rank_features *f);
size_t qes_rank_features_count(const qes_rank_features *f);
/* Terms in the vocabulary (those in one record only included). */
size_t qes_rank_features_terms(const qes_rank_features *f);
/* Index of the record with this id, or -1. */
long qes_rank_features_find(const qes_rank_features *f, const char *id);
const char *qes_rank_features_id(const qes_rank_features *f, size_t idx);

/* A session. tiebreak (may be NULL: index order) gives every record a
 * distinct rank used when two scores are equal; it is copied. The session
 * borrows f, which must outlive it. */
int qes_rank_new(qes_rank **out, const qes_rank_features *f,
		 const uint32_t *tiebreak, const qes_rank_opts *o, qes_error *err);
void qes_rank_free(qes_rank *r);

/* Labels. relevant: 1 relevant, 0 irrelevant, -1 forget the label.
 * from_sample: 1 when the record was drawn by qes_rank_sample_next() for the
 * stopping estimate (the estimate needs to know which decisions were random). */
int qes_rank_label(qes_rank *r, size_t idx, int relevant, int from_sample,
		   qes_error *err);
/* Fits the model on the labels as they are now and rescores every record.
 * Needs at least one relevant and one irrelevant label (QES_ECONFLICT
 * otherwise; the order then stays as it was). */
int qes_rank_retrain(qes_rank *r, qes_error *err);
/* Up to k unlabelled records, best first, into out; returns how many. Before
 * the first retrain the order is the tiebreak order. */
size_t qes_rank_next(qes_rank *r, size_t *out, size_t k);
/* Latest score of a record (higher = more likely relevant), 0 before training.
 * Records already labelled when a retrain began are not rescored by it (their
 * score is then -HUGE_VAL): they are never offered again. */
double qes_rank_score(qes_rank *r, size_t idx);
/* Number of retrains finished, and the mean wall time of one (fit + rescore). */
long qes_rank_retrains(qes_rank *r, double *ms_mean);

/* Why a record ranks where it does: its terms with the largest contribution
 * (weight x feature value) to its score, largest first. */
typedef struct qes_rank_term {
	char term[96];          /* the stemmed term or bigram ("random trial") */
	double contribution;
} qes_rank_term;
size_t qes_rank_explain(qes_rank *r, size_t idx, qes_rank_term *out, size_t k);

/* Stopping aid: the statistical stopping criterion of Callaghan and
 * Müller-Hansen (2020, Systematic Reviews 9:273). After prioritised
 * screening, the reviewer screens records drawn at random from those left
 * (qes_rank_sample_next); the hypergeometric test then says whether recall
 * below the target can be rejected, and bounds the relevant records left. */
typedef struct qes_rank_stop {
	long total;             /* records */
	long screened;          /* records labelled (sample included) */
	long relevant;          /* relevant records found */
	long sample_pool;       /* records left when random sampling began (0: none yet) */
	long sample_n;          /* records screened at random since then */
	long sample_relevant;   /* relevant among them */
	double target;          /* recall target, e.g. 0.95 */
	double confidence;      /* e.g. 0.95 */
	double p_value;         /* H0 "recall < target"; 1 when no sample */
	int can_stop;           /* p_value < 1 - confidence */
	double remaining_est;   /* point estimate of relevant records not yet screened */
	long remaining_upper;   /* at this confidence, at most this many remain (-1: unknown) */
	double recall_lower;    /* so recall is at least this (0 when unknown) */
	long since_relevant;    /* decisions since the last relevant one, in the order
				 * they were made (0 when unknown); from
				 * QES_RANK_STOP_SWITCH_AFTER on, before any sample,
				 * the sentence suggests starting the random sample */
} qes_rank_stop;

/* Irrelevant records in a row after which prioritised screening has
 * probably found most of what it will find soon: the cue to start the
 * stopping rule's random sample (the switch `qes simulate --stopping 50`
 * replays; docs/ranking.md). */
#define QES_RANK_STOP_SWITCH_AFTER 50

/* A random unlabelled record (uniform, from the session's seeded generator),
 * or -1 when none is left. The first call marks the start of the sample. */
long qes_rank_sample_next(qes_rank *r);
void qes_rank_stop_estimate(qes_rank *r, double target, double confidence,
			    qes_rank_stop *out);
/* The test alone, for given counts (fills p_value, can_stop, remaining_*,
 * recall_lower from the other fields of st). */
void qes_rank_stop_test(qes_rank_stop *st);
/* A sentence a reviewer can act on and cite. */
void qes_rank_stop_sentence(const qes_rank_stop *st, char *buf, size_t len);
/* Whether the sentence has something true to say while screening: a random
 * sample to estimate from, or QES_RANK_STOP_SWITCH_AFTER records in a row
 * without a relevant one (the cue to start the sample). Until then the
 * screeners (terminal and web) show no stopping sentence; --stopping and
 * the API's "sentence" always answer. */
int qes_rank_stop_worth_saying(const qes_rank_stop *st);

/* Screening metrics as asreview-insights defines them (priors excluded, the
 * list of labels padded with zeros to n). labels: the label of each record
 * screened after the priors, in order (m of them); n: records in the
 * dataset, the QES_RANK_PRIORS priors included; included: relevant records in
 * the dataset; prior_included: relevant records among the priors. */
#define QES_RANK_PRIORS 2   /* the simulation's priors: one included, one excluded */
typedef struct qes_rank_metrics {
	double recall_at_10pct;
	double wss_at_95;         /* asreview-insights */
	double wss_at_95_cohen;   /* Cohen et al. 2006: (TN + FN) / N - 0.05, priors screened */
	long screened_to_last;    /* records screened after the priors to find the last relevant (-1: never) */
} qes_rank_metrics;
int qes_rank_metrics_compute(const unsigned char *labels, size_t m, size_t n,
			     size_t included, size_t prior_included,
			     qes_rank_metrics *out, qes_error *err);

/* Deterministic PRNG for the simulation protocol (splitmix64). */
uint64_t qes_rank_rand(uint64_t *state);
/* Fisher-Yates permutation of 0..n-1 from seed. */
void qes_rank_shuffle(uint32_t *perm, size_t n, uint64_t seed);

#endif
