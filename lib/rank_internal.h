/* rank_internal.h: what the rank_*.c files share. */
#ifndef QES_RANK_INTERNAL_H
#define QES_RANK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "qes/rank.h"

/* The sparse TF-IDF matrix, compressed rows; rows are L2-normalised. */
struct qes_rank_features {
	size_t n;               /* records */
	size_t nterms;          /* columns */
	size_t *rowptr;         /* n + 1 */
	uint32_t *col;          /* term index, ascending within a row */
	float *val;
	/* Terms found in one record only are not stored: no other record can
	 * share their weight, so they never change another record's score. In
	 * the SVM dual they only add alpha_i x_it^2 to record i's own margin, so
	 * self[i] (the sum of their squared values) keeps the fit exact. */
	float *self;
	size_t nsingle;         /* such terms */
	char **ids;             /* n record ids (owned) */
	char *termbuf;          /* all term strings, NUL-separated */
	size_t *termoff;        /* nterms offsets into termbuf */
	struct qes_rank_features *alt;   /* the second view (opts.view2), or NULL */
};

/* Tokeniser: calls fn for each stemmed token of text (lower-cased,
 * diacritics removed, Snowball English stemmer). Returns 0 or QES_ENOMEM. */
typedef struct qes__tokeniser qes__tokeniser;
int qes__tokeniser_new(qes__tokeniser **out, int stem);
void qes__tokeniser_free(qes__tokeniser *t);
int qes__tokenise(qes__tokeniser *t, const char *text,
		  int (*fn)(void *ud, const char *tok, size_t len), void *ud);

/* The terms that take part in the latent semantic features: all, or at most
 * cap of those in most records. Gives each term its row (UINT32_MAX: left
 * out) in map (nterms); returns how many take part. */
size_t qes__lsa_terms(const qes_rank_features *x, size_t cap, uint32_t *map);

/* The model: L2-regularised L2-loss SVM solved in the dual by coordinate
 * descent (Hsieh et al. 2008), warm-started from the previous alphas.
 * rows: labelled record indexes; y: +1/-1; alpha: per record (n), kept by
 * the caller between fits; w: nterms + 1 (last = bias), kept by the caller
 * too: when warm_w is set it is taken as it is (the rows only grew since
 * the last fit, and new rows start at alpha 0), which saves a pass. */
typedef struct qes__svm_prob {
	const qes_rank_features *f;
	const uint32_t *rows;
	const signed char *y;
	size_t m;
	double c_pos, c_neg;
	int epochs;
	uint64_t seed;
	int warm_w;             /* w already equals sum(alpha y x) over these rows */
} qes__svm_prob;
void qes__svm_fit(const qes__svm_prob *p, double *alpha, float *w, uint32_t *scratch);
/* Multinomial naive Bayes on the TF-IDF values (smoothing alpha): the log
 * ratio of each term's class-conditional probabilities into out (nterms);
 * sp, sn: scratch of nterms each. */
void qes__nb_weights(const qes__svm_prob *p, double alpha, double *sp, double *sn, double *out);
/* w.x + bias for every record into score; records with skip[i] >= 0 (the
 * labelled ones; skip may be NULL) get -HUGE_VAL without being scored. */
void qes__svm_score(const qes_rank_features *f, const float *w, const signed char *skip,
		    double *score);

#endif
