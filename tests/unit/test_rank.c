/* test_rank.c: the ranking library on small inputs whose answers can be
 * worked out by hand (tokeniser, TF-IDF weights, metrics, stopping test),
 * and a model that must put the obviously relevant record first. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rank_internal.h"

typedef struct toks {
	char buf[512];
} toks;

static int collect(void *ud, const char *tok, size_t len)
{
	toks *t = ud;
	size_t at = strlen(t->buf);
	snprintf(t->buf + at, sizeof(t->buf) - at, "%s%.*s", at ? "|" : "", (int)len, tok);
	return 0;
}

static void test_tokenise_stem(void **state)
{
	(void)state;
	qes__tokeniser *tk;
	assert_int_equal(qes__tokeniser_new(&tk, 1), 0);
	toks t = { "" };
	/* folded case, diacritics stripped, single letters dropped, stemmed */
	assert_int_equal(qes__tokenise(tk, "Running RUNNERS in a Café: randomised trials, 2019!", collect, &t), 0);
	assert_string_equal(t.buf, "run|runner|in|cafe|randomis|trial|2019");
	t.buf[0] = '\0';
	assert_int_equal(qes__tokenise(tk, "", collect, &t), 0);
	assert_string_equal(t.buf, "");
	qes__tokeniser_free(tk);
	/* Without the stemmer the folded tokens come through as they are. */
	assert_int_equal(qes__tokeniser_new(&tk, 0), 0);
	assert_int_equal(qes__tokenise(tk, "Running RUNNERS in a Café", collect, &t), 0);
	assert_string_equal(t.buf, "running|runners|in|cafe");
	qes__tokeniser_free(tk);
}

static const qes_rank_features *find_term_row(const qes_rank_features *f, size_t row,
					      const char *term, double *val)
{
	*val = -1;
	for (size_t k = f->rowptr[row]; k < f->rowptr[row + 1]; k++)
		if (!strcmp(f->termbuf + f->termoff[f->col[k]], term))
			*val = f->val[k];
	return f;
}

/* Three records, unigrams: "apple apple banana", "banana cherry", "cherry".
 * idf(appl) = ln(4/2) + 1 = 1.693147, idf(banana) = ln(4/3) + 1 = 1.287682.
 * Record 0: appl (1 + ln 2) x 1.693147 = 2.866747, banana 1.287682,
 * norm 3.142669, so 0.912202 and 0.409742. Record 2: cherri alone, 1. */
static void test_tfidf_by_hand(void **state)
{
	(void)state;
	qes_rank_item items[3] = {
		{ "a", "Apple apple", "banana", NULL },
		{ "b", NULL, "banana cherry", NULL },
		{ "c", "cherry", NULL, NULL },
	};
	qes_rank_opts o;
	qes_rank_opts_default(&o);
	o.ngram_max = 1;
	o.max_df = 1.0;
	qes_rank_features *f;
	qes_error err;
	assert_int_equal(qes_rank_features_build(&f, items, 3, &o, &err), 0);
	assert_int_equal(qes_rank_features_terms(f), 3);
	double v;
	/* "appl" is in one record only: not stored, its squared weight kept in self */
	find_term_row(f, 0, "appl", &v);
	assert_float_equal(v, -1, 0);
	assert_float_equal(f->self[0], 0.912202 * 0.912202, 1e-5);
	assert_int_equal(f->nsingle, 1);
	find_term_row(f, 0, "banana", &v);
	assert_float_equal(v, 0.409742, 1e-5);
	find_term_row(f, 0, "cherri", &v);
	assert_float_equal(v, -1, 0);
	find_term_row(f, 1, "banana", &v);
	assert_float_equal(v, M_SQRT1_2, 1e-6);   /* same df, same tf: equal weights */
	find_term_row(f, 2, "cherri", &v);
	assert_float_equal(v, 1.0, 1e-6);
	assert_float_equal(f->self[2], 0, 0);
	assert_int_equal(qes_rank_features_find(f, "c"), 2);
	assert_int_equal(qes_rank_features_find(f, "zz"), -1);
	qes_rank_features_free(f);

	/* Bigrams stay inside a field; max_df drops a term in every record. */
	qes_rank_item three[3] = { { "x", "heart failure", "failure", NULL },
				   { "y", "heart failure trial", "failure", NULL },
				   { "z", "kidney", "failure", NULL } };
	qes_rank_opts_default(&o);
	assert_float_equal(o.max_df, 0.5, 0);
	assert_int_equal(qes_rank_features_build(&f, three, 3, &o, &err), 0);
	find_term_row(f, 0, "heart failur", &v);    /* default max_df 0.5: df 2/3 is too common */
	assert_float_equal(v, -1, 0);
	qes_rank_features_free(f);
	o.max_df = 0.95;
	assert_int_equal(qes_rank_features_build(&f, three, 3, &o, &err), 0);
	find_term_row(f, 0, "heart failur", &v);
	assert_true(v > 0);
	find_term_row(f, 0, "failur failur", &v);   /* title and abstract never join */
	assert_float_equal(v, -1, 0);
	find_term_row(f, 0, "failur", &v);          /* in every record: df 1.0 > 0.95 */
	assert_float_equal(v, -1, 0);
	assert_int_equal(f->rowptr[3] - f->rowptr[2], 0);   /* kidney: a singleton only */
	assert_float_equal(f->self[2], 1.0, 1e-6);
	qes_rank_features_free(f);

	/* Trigrams when asked for, also within one field only. */
	qes_rank_item tri[3] = { { "x", "acute heart failure", "trial", NULL },
				 { "y", "acute heart failure", "trial", NULL },
				 { "z", "kidney", NULL, NULL } };
	o.ngram_max = 3;
	assert_int_equal(qes_rank_features_build(&f, tri, 3, &o, &err), 0);
	find_term_row(f, 1, "acut heart failur", &v);
	assert_true(v > 0);
	find_term_row(f, 1, "heart failur trial", &v);
	assert_float_equal(v, -1, 0);
	qes_rank_features_free(f);
}

/* Character n-grams (opts.char_ngrams 5, unstemmed): "trial" padded to
 * " trial " gives 5 + 4 + 3 = 12 n-grams of 3 to 5 bytes, "trials" 6 + 5 + 4
 * = 15; they share " tr", "tri", "ria", "ial", " tri", "tria", "rial",
 * " tria", "trial" (9, df 2); "kidney" shares nothing (15 singletons). */
static void test_char_ngrams_by_hand(void **state)
{
	(void)state;
	qes_rank_item items[3] = { { "a", "Trial", NULL, NULL }, { "b", "trials", NULL, NULL },
				   { "c", NULL, "kidney", NULL } };
	qes_rank_opts o;
	qes_rank_opts_default(&o);
	o.char_ngrams = 5;
	o.stem = 0;
	o.max_df = 1.0;
	qes_rank_features *f;
	qes_error err;
	assert_int_equal(qes_rank_features_build(&f, items, 3, &o, &err), 0);
	assert_int_equal(f->nterms, 9);
	assert_int_equal(qes_rank_features_terms(f), 9 + 3 + 6 + 15);
	assert_int_equal(f->rowptr[1] - f->rowptr[0], 9);
	assert_int_equal(f->rowptr[3] - f->rowptr[2], 0);
	/* Record 0: 9 shared n-grams (idf ln(4/3) + 1), 3 of its own (ln 2 + 1). */
	double sh = log(4.0 / 3) + 1, own = log(2.0) + 1, v;
	double norm = sqrt(9 * sh * sh + 3 * own * own);
	find_term_row(f, 0, " tr", &v);
	assert_float_equal(v, sh / norm, 1e-6);
	find_term_row(f, 0, "trial", &v);
	assert_float_equal(v, sh / norm, 1e-6);
	find_term_row(f, 1, " tria", &v);
	assert_true(v > 0);
	find_term_row(f, 0, "al ", &v);      /* in "trial" only: a singleton */
	assert_float_equal(v, -1, 0);
	assert_float_equal(f->self[0], 3 * own * own / (norm * norm), 1e-6);
	find_term_row(f, 0, "tri", &v);
	assert_true(v > 0);
	find_term_row(f, 0, "ri", &v);       /* shorter than 3: never a term */
	assert_float_equal(v, -1, 0);
	qes_rank_features_free(f);
}

static const qes_rank_item corpus[] = {
	{ "r1", "Aspirin for secondary prevention of stroke: a randomised controlled trial",
	  "Patients after ischaemic stroke received aspirin or placebo.", NULL },
	{ "x1", "Pasta cooking times and texture", "We boiled pasta for various times.", NULL },
	{ "x2", "Football injuries in amateur leagues", "Injuries among football players.", NULL },
	{ "x3", "Soil bacteria in alpine meadows", "Bacteria were sampled in meadows.", NULL },
	{ "r2", "Low-dose aspirin after stroke: randomised trial",
	  "A randomised trial of aspirin to prevent recurrent stroke.", NULL },
	{ "x4", "Teaching mathematics with games", "Games in mathematics classes.", NULL },
	{ "x5", "Pasta, bread and the Mediterranean diet", "Bread and pasta consumption.", NULL },
};

static void test_model_ranks_relevant_first(void **state)
{
	(void)state;
	qes_rank_features *f;
	qes_rank *r;
	qes_error err;
	assert_int_equal(qes_rank_features_build(&f, corpus, 7, NULL, &err), 0);
	assert_int_equal(qes_rank_new(&r, f, NULL, NULL, &err), 0);
	assert_int_equal(qes_rank_label(r, 0, 1, 0, &err), 0);
	assert_int_equal(qes_rank_retrain(r, &err), QES_ECONFLICT);   /* one class only */
	assert_int_equal(qes_rank_label(r, 1, 0, 0, &err), 0);
	assert_int_equal(qes_rank_label(r, 99, 0, 0, &err), QES_EINVAL);
	assert_int_equal(qes_rank_retrain(r, &err), 0);
	size_t next[7];
	assert_int_equal(qes_rank_next(r, next, 7), 5);   /* the five unlabelled */
	assert_string_equal(qes_rank_features_id(f, next[0]), "r2");
	qes_rank_term why[3];
	size_t nw = qes_rank_explain(r, next[0], why, 3);
	assert_true(nw >= 2);
	int saw = 0;
	for (size_t i = 0; i < nw; i++) {
		saw |= !strcmp(why[i].term, "aspirin") || !strcmp(why[i].term, "stroke");
		if (i)
			assert_true(why[i - 1].contribution >= why[i].contribution);
	}
	assert_true(saw);
	double ms;
	assert_int_equal(qes_rank_retrains(r, &ms), 1);
	/* Forgetting a label (a changed decision) refits from scratch. */
	assert_int_equal(qes_rank_label(r, 4, 1, 0, &err), 0);
	assert_int_equal(qes_rank_label(r, 0, -1, 0, &err), 0);
	assert_int_equal(qes_rank_retrain(r, &err), 0);
	assert_int_equal(qes_rank_next(r, next, 1), 1);
	assert_string_equal(qes_rank_features_id(f, next[0]), "r1");
	qes_rank_free(r);
	qes_rank_features_free(f);
}

typedef struct bg {
	qes_rank *r;
	int rc;
} bg;

static void *retrain_loop(void *ud)
{
	bg *b = ud;
	qes_error err;
	for (int i = 0; i < 50 && !b->rc; i++)
		b->rc = qes_rank_retrain(b->r, &err);
	return NULL;
}

/* A background thread retrains while this one labels and asks for the next
 * record: what rank.h promises. Run under ASan (and TSan when built so). */
/* The ensemble (opts.view2): a second model on unstemmed words whose
 * standardised scores are added to the first's. With weight 0 it must give
 * exactly the single model's order (standardising is monotone); with weight
 * 1 the relevant record must still come first. */
static void test_ensemble_view2(void **state)
{
	(void)state;
	qes_rank_opts o;
	qes_rank_opts_default(&o);
	qes_error err;
	qes_rank_features *f1, *f2;
	assert_int_equal(o.view2, 3);    /* the default: latent semantic features */
	o.view2 = 0;
	assert_int_equal(qes_rank_features_build(&f1, corpus, 7, &o, &err), 0);
	assert_null(f1->alt);
	o.view2 = 1;
	assert_int_equal(qes_rank_features_build(&f2, corpus, 7, &o, &err), 0);
	assert_non_null(f2->alt);
	assert_int_equal(f2->alt->n, 7);
	double v;
	find_term_row(f2, 4, "randomis", &v);        /* stemmed in the first view */
	assert_true(v > 0);
	find_term_row(f2->alt, 4, "randomised", &v); /* as written in the second */
	assert_true(v > 0);
	find_term_row(f2->alt, 4, "randomis", &v);
	assert_float_equal(v, -1, 0);
	size_t a[7], b[7];
	for (int wt = 0; wt <= 1; wt++) {
		qes_rank_opts single = o;
		single.view2 = 0;
		o.view2_weight = wt;
		qes_rank *r1, *r2;
		assert_int_equal(qes_rank_new(&r1, f1, NULL, &single, &err), 0);
		assert_int_equal(qes_rank_new(&r2, f2, NULL, &o, &err), 0);
		qes_rank *rs[2] = { r1, r2 };
		for (int k = 0; k < 2; k++) {
			assert_int_equal(qes_rank_label(rs[k], 0, 1, 0, &err), 0);
			assert_int_equal(qes_rank_label(rs[k], 1, 0, 0, &err), 0);
			assert_int_equal(qes_rank_label(rs[k], 5, 0, 0, &err), 0);
			assert_int_equal(qes_rank_retrain(rs[k], &err), 0);
			assert_int_equal(qes_rank_label(rs[k], 2, 0, 0, &err), 0);
			assert_int_equal(qes_rank_retrain(rs[k], &err), 0);   /* warm start */
		}
		assert_int_equal(qes_rank_next(r1, a, 7), 3);
		assert_int_equal(qes_rank_next(r2, b, 7), 3);
		assert_string_equal(qes_rank_features_id(f2, b[0]), "r2");
		if (wt == 0)
			assert_memory_equal(a, b, 3 * sizeof(*a));
		/* standardised: the scores of the ranked records have mean 0 */
		double sum = 0;
		for (int k = 0; k < 3; k++)
			sum += qes_rank_score(r2, b[k]);
		assert_float_equal(sum, 0, 1e-6);
		qes_rank_free(r1);
		qes_rank_free(r2);
	}
	qes_rank_features_free(f1);
	qes_rank_features_free(f2);
	/* Latent semantic features with as many dimensions as records span the
	 * whole row space, so the cosine of two records there equals their
	 * cosine in the TF-IDF matrix (the stored terms). */
	o.view2 = 3;
	o.lsa_dims = 100;
	assert_int_equal(qes_rank_features_build(&f2, corpus, 7, &o, &err), 0);
	const qes_rank_features *e = f2->alt;
	assert_int_equal(e->nterms, 7);
	int compared = 0;
	for (size_t i = 0; i < 7; i++) {
		double ni = 0;
		for (size_t q = e->rowptr[i]; q < e->rowptr[i + 1]; q++)
			ni += (double)e->val[q] * e->val[q];
		for (size_t j = 0; j < i; j++) {
			double xi = 0, xj = 0, xx = 0, ee = 0;
			for (size_t q = f2->rowptr[i]; q < f2->rowptr[i + 1]; q++) {
				xi += (double)f2->val[q] * f2->val[q];
				double vj;
				find_term_row(f2, j, f2->termbuf + f2->termoff[f2->col[q]], &vj);
				if (vj > 0)
					xx += f2->val[q] * vj;
			}
			for (size_t q = f2->rowptr[j]; q < f2->rowptr[j + 1]; q++)
				xj += (double)f2->val[q] * f2->val[q];
			if (xi == 0 || xj == 0)
				continue;
			assert_float_equal(ni, 1.0, 1e-4);
			for (size_t b = 0; b < 7; b++)
				ee += (double)e->val[e->rowptr[i] + b] * e->val[e->rowptr[j] + b];
			assert_float_equal(ee, xx / sqrt(xi * xj), 1e-3);
			compared += xx > 0;
		}
	}
	assert_true(compared >= 1);   /* r1 and r2 share terms */
	qes_rank_features_free(f2);
	/* Beyond its memory bound it keeps the terms in most records: here
	 * alpha (df 4), beta (3), then one of gamma and delta (2). */
	qes_rank_item ab[5] = { { "1", "alpha beta gamma", NULL, NULL },
				{ "2", "alpha beta delta", NULL, NULL },
				{ "3", "alpha beta gamma", NULL, NULL },
				{ "4", "alpha delta", NULL, NULL }, { "5", "omega", NULL, NULL } };
	qes_rank_opts_default(&o);
	o.ngram_max = 1;
	o.max_df = 1.0;
	assert_int_equal(qes_rank_features_build(&f2, ab, 5, &o, &err), 0);
	assert_int_equal(f2->nterms, 4);
	uint32_t map[4];
	const char *want[4] = { "alpha", "beta", "gamma", "delta" };
	size_t cnt[4] = { 1, 2, 3, 4 };
	for (size_t cap = 1; cap <= 4; cap++) {
		assert_int_equal(qes__lsa_terms(f2, cap, map), cnt[cap - 1]);
		for (size_t t = 0; t < 4; t++) {
			const char *term = f2->termbuf + f2->termoff[t];
			size_t rank = 0;
			while (strcmp(want[rank], term))
				rank++;
			if (rank < 2 || cap == 4)      /* alpha and beta by df; all when they fit */
				assert_int_equal(map[t] != UINT32_MAX, rank < cap);
		}
		size_t ties = 0;
		for (size_t t = 0; t < 4; t++)
			ties += map[t] != UINT32_MAX;
		assert_int_equal(ties, cap);
	}
	qes_rank_features_free(f2);
	/* The character n-gram view builds too. */
	o.view2 = 2;
	assert_int_equal(qes_rank_features_build(&f2, corpus, 7, &o, &err), 0);
	find_term_row(f2->alt, 0, "aspir", &v);
	assert_true(v > 0);
	qes_rank_features_free(f2);
}

static void test_background_retrain(void **state)
{
	(void)state;
	qes_rank_features *f;
	qes_error err;
	assert_int_equal(qes_rank_features_build(&f, corpus, 7, NULL, &err), 0);
	bg b = { NULL, 0 };
	assert_int_equal(qes_rank_new(&b.r, f, NULL, NULL, &err), 0);
	qes_rank_label(b.r, 0, 1, 0, &err);
	qes_rank_label(b.r, 1, 0, 0, &err);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, retrain_loop, &b), 0);
	size_t next;
	for (int i = 0; i < 200; i++) {
		qes_rank_label(b.r, 2 + (size_t)(i % 5), i % 3 == 0, 0, &err);
		if (qes_rank_next(b.r, &next, 1) == 1)
			assert_true(next >= 2 && next < 7);
	}
	pthread_join(th, NULL);
	assert_int_equal(b.rc, 0);
	assert_int_equal(qes_rank_retrains(b.r, NULL), 50);
	qes_rank_free(b.r);
	qes_rank_features_free(f);
}

/* n = 10, 3 included of which 1 is a prior, so npos = 2; after the priors
 * the labels are 1,0,1,0... found = 1,1,2,2,...
 *   recall@10% = found[0] / 2 = 0.5
 *   k = floor(0.95 x 2) = 1; random line round(i x 2/9) = 0,0,0,1 -> 3;
 *   the model reaches 1 at 0: WSS@95 = (3 - 0) / 10 = 0.3
 *   Cohen, (TN + FN) / N - 0.05 over all 10 records: 95% of the 3 included
 *   is 2.85, so all 3 must be found; the prior gives 1, the records after
 *   the priors 1 after one and 2 after three, so the reviewer has screened
 *   2 priors + 3 = 5 records (TP + FP) and left TN + FN = 10 - 5 = 5:
 *   5 / 10 - 0.05 = 0.45
 *   last inclusion after 3 records. */
static void test_metrics_by_hand(void **state)
{
	(void)state;
	unsigned char lab[8] = { 1, 0, 1, 0, 0, 0, 0, 0 };
	qes_rank_metrics m;
	qes_error err;
	assert_int_equal(qes_rank_metrics_compute(lab, 8, 10, 3, 1, &m, &err), 0);
	assert_float_equal(m.recall_at_10pct, 0.5, 1e-12);
	assert_float_equal(m.wss_at_95, 0.3, 1e-12);
	assert_float_equal(m.wss_at_95_cohen, 0.45, 1e-12);
	assert_int_equal(m.screened_to_last, 3);
	/* Only 3 screened (padding with zeros), the last relevant never found. */
	unsigned char lab2[3] = { 0, 0, 1 };
	assert_int_equal(qes_rank_metrics_compute(lab2, 3, 10, 4, 1, &m, &err), 0);
	assert_float_equal(m.recall_at_10pct, 0.0, 1e-12);
	assert_int_equal(m.screened_to_last, -1);
	/* k = floor(0.95 x 3) = 2, never reached: (i_random - 10) / 10 < 0 */
	assert_true(m.wss_at_95 < 0);
	/* Cohen: 95% of 4 needs all 4, never found, so all 10 are screened:
	 * 0 / 10 - 0.05. */
	assert_float_equal(m.wss_at_95_cohen, -0.05, 1e-12);
	/* n = 30, 21 included (1 a prior): 95% of 21 is 19.95, so 20 must be
	 * found and one may be missed. 19 relevant records come first after the
	 * priors: 1 + 19 = 20 after 2 + 19 = 21 screened; TN + FN = 9:
	 * 9 / 30 - 0.05 = 0.25. */
	unsigned char lab3[28] = { 0 };
	for (int i = 0; i < 19; i++)
		lab3[i] = 1;
	lab3[20] = 1;
	assert_int_equal(qes_rank_metrics_compute(lab3, 28, 30, 21, 1, &m, &err), 0);
	assert_float_equal(m.wss_at_95_cohen, 9.0 / 30.0 - 0.05, 1e-12);
	assert_int_equal(m.screened_to_last, 21);
	assert_int_equal(qes_rank_metrics_compute(lab2, 3, 10, 1, 1, &m, &err), QES_EINVAL);
}

/* 20 relevant found by prioritised screening; 100 records left; a random
 * sample finds none. H0 recall < 95% means K_tar = floor(20/0.95) - 20 + 1
 * = 2 relevant in the pool. P(X = 0 | 100, 2, n) = C(98, n) / C(100, n):
 *   n = 50: (50 x 49) / (100 x 99) = 0.247475 -> keep screening
 *   n = 80: (20 x 19) / (100 x 99) = 0.038384 -> may stop at 95%
 * Upper bound at n = 80: K = 1 gives 20/100 = 0.2 >= 0.05, K = 2 does not,
 * so at most 1 remains and recall >= 20/21. */
static void test_stopping_by_hand(void **state)
{
	(void)state;
	qes_rank_stop st = { .total = 200, .screened = 150, .relevant = 20, .sample_pool = 100,
			     .sample_n = 50, .sample_relevant = 0, .target = 0.95, .confidence = 0.95 };
	qes_rank_stop_test(&st);
	assert_float_equal(st.p_value, 0.247475, 1e-6);
	assert_false(st.can_stop);
	st.sample_n = 80;
	st.screened = 180;
	qes_rank_stop_test(&st);
	assert_float_equal(st.p_value, 0.038384, 1e-6);
	assert_true(st.can_stop);
	assert_int_equal(st.remaining_upper, 1);
	assert_float_equal(st.recall_lower, 20.0 / 21.0, 1e-9);
	char s[1024];
	qes_rank_stop_sentence(&st, s, sizeof(s));
	assert_non_null(strstr(s, "at most 1 relevant record remains unscreened"));
	assert_non_null(strstr(s, "you may stop"));
	assert_non_null(strstr(s, "records left after prioritised screening held"));
	/* A sample from the start (no prioritised screening): never claim one. */
	qes_rank_stop fresh = { .total = 13, .screened = 1, .relevant = 0, .sample_pool = 13,
				.sample_n = 1, .target = 0.95, .confidence = 0.95 };
	qes_rank_stop_test(&fresh);
	qes_rank_stop_sentence(&fresh, s, sizeof(s));
	assert_null(strstr(s, "prioritised"));
	assert_non_null(strstr(s, "A random sample of 1 of the 13 records held 0 relevant"));
	/* ... and a sample of 1 of 13 rules nothing out (at most 12 of the 12
	 * left): nothing worth saying yet. The sample of 80 above does. */
	assert_int_equal(fresh.remaining_upper, 12);
	assert_false(qes_rank_stop_worth_saying(&fresh));
	assert_true(qes_rank_stop_worth_saying(&st));
	st.sample_n = 0;
	qes_rank_stop_test(&st);
	assert_float_equal(st.p_value, 1, 0);
	assert_int_equal(st.remaining_upper, -1);
	qes_rank_stop_sentence(&st, s, sizeof(s));
	assert_non_null(strstr(s, "No random sample yet"));
	assert_null(strstr(s, "switch to random order"));
	/* a long run without a relevant record: the cue to start the sample */
	st.since_relevant = QES_RANK_STOP_SWITCH_AFTER - 1;
	qes_rank_stop_sentence(&st, s, sizeof(s));
	assert_null(strstr(s, "switch to random order"));
	/* Both screeners stay silent until then (no sample, a short run). */
	assert_false(qes_rank_stop_worth_saying(&st));
	st.since_relevant = QES_RANK_STOP_SWITCH_AFTER;
	assert_true(qes_rank_stop_worth_saying(&st));
	qes_rank_stop_sentence(&st, s, sizeof(s));
	assert_non_null(strstr(s, "The last 50 records screened held no relevant one: a good "
			       "point to switch to random order and start the sample."));
}

/* The session's sampling draws only unlabelled records and feeds the test. */
static void test_stop_estimate_session(void **state)
{
	(void)state;
	qes_rank_features *f;
	qes_rank *r;
	qes_error err;
	assert_int_equal(qes_rank_features_build(&f, corpus, 7, NULL, &err), 0);
	assert_int_equal(qes_rank_new(&r, f, NULL, NULL, &err), 0);
	qes_rank_label(r, 0, 1, 0, &err);
	qes_rank_label(r, 4, 1, 0, &err);
	for (int i = 0; i < 5; i++) {
		long s = qes_rank_sample_next(r);
		assert_true(s >= 0 && s != 0 && s != 4);
		assert_int_equal(qes_rank_label(r, (size_t)s, 0, 1, &err), 0);
	}
	assert_int_equal(qes_rank_sample_next(r), -1);
	qes_rank_stop st;
	qes_rank_stop_estimate(r, 0.95, 0.95, &st);
	assert_int_equal(st.screened, 7);
	assert_int_equal(st.relevant, 2);
	assert_int_equal(st.sample_pool, 5);
	assert_int_equal(st.sample_n, 5);
	assert_int_equal(st.sample_relevant, 0);
	/* The whole pool was screened: nothing can remain. */
	assert_int_equal(st.remaining_upper, 0);
	assert_true(st.can_stop);
	qes_rank_free(r);
	qes_rank_features_free(f);
}

static void test_shuffle(void **state)
{
	(void)state;
	uint32_t a[50], b[50];
	qes_rank_shuffle(a, 50, 1000);
	qes_rank_shuffle(b, 50, 1000);
	assert_memory_equal(a, b, sizeof(a));
	int seen[50] = { 0 };
	for (int i = 0; i < 50; i++)
		seen[a[i]]++;
	for (int i = 0; i < 50; i++)
		assert_int_equal(seen[i], 1);
	qes_rank_shuffle(b, 50, 1001);
	assert_memory_not_equal(a, b, sizeof(a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenise_stem),
		cmocka_unit_test(test_tfidf_by_hand),
		cmocka_unit_test(test_char_ngrams_by_hand),
		cmocka_unit_test(test_model_ranks_relevant_first),
		cmocka_unit_test(test_ensemble_view2),
		cmocka_unit_test(test_background_retrain),
		cmocka_unit_test(test_metrics_by_hand),
		cmocka_unit_test(test_stopping_by_hand),
		cmocka_unit_test(test_stop_estimate_session),
		cmocka_unit_test(test_shuffle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
