/* rank.c: one active-learning session: labels, model, scores, and the lock
 * discipline rank.h promises (retrain fits outside the session lock and
 * swaps its results in). */
#include "rank_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The second model of the ensemble (opts.view2): its own features, alphas,
 * weights and scores; it sees the same labelled rows as the first. */
typedef struct view {
	const qes_rank_features *f;
	double *alpha, *c, *score;
	float *w, *wmix;
} view;

struct qes_rank {
	const qes_rank_features *f;
	qes_rank_opts o;
	pthread_mutex_t lock;        /* labels, published scores and weights */
	pthread_mutex_t train_lock;  /* one retrain at a time; the train-side buffers */
	signed char *label;          /* per record: -1 unlabelled, 0, 1 */
	unsigned char *sampled;      /* labelled from the random stopping sample */
	unsigned char *pseudo;       /* presumed irrelevant while unlabelled */
	uint32_t *tiebreak;
	double *score, *w_pub;       /* published (under lock) */
	long retrains;
	double ms_total;
	uint64_t rng;                /* sampling for the stopping estimate */
	long sample_pool;            /* unlabelled records when sampling began */
	/* train side (under train_lock) */
	double *alpha, *score_new;
	float *w;                    /* single precision: half the cache traffic */
	float *wmix;                 /* SVM mixed with naive Bayes or the centroid */
	double *nb, *nbp, *nbn;
	uint32_t *rows, *scratch;
	signed char *y;
	signed char *ylast;
	signed char *snap;           /* the labels this fit saw */          /* y of each record in the last fit, 0 = not in it */
	long fits;
	view v2;                     /* f NULL: one model only */
};

uint64_t qes_rank_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void qes_rank_shuffle(uint32_t *perm, size_t n, uint64_t seed)
{
	uint64_t s = seed;
	for (size_t i = 0; i < n; i++)
		perm[i] = (uint32_t)i;
	for (size_t i = n; i > 1; i--) {
		size_t j = qes_rank_rand(&s) % i;
		uint32_t t = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = t;
	}
}

int qes_rank_new(qes_rank **out, const qes_rank_features *f,
		 const uint32_t *tiebreak, const qes_rank_opts *o, qes_error *err)
{
	*out = NULL;
	qes_rank *r = calloc(1, sizeof(*r));
	if (!r)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	size_t n = f->n, nt = f->nterms + 1;
	r->f = f;
	if (o)
		r->o = *o;
	else
		qes_rank_opts_default(&r->o);
	r->label = malloc(n);
	r->sampled = calloc(n, 1);
	r->pseudo = calloc(n, 1);
	r->tiebreak = malloc(n * sizeof(*r->tiebreak));
	r->score = calloc(n, sizeof(*r->score));
	r->score_new = calloc(n, sizeof(*r->score_new));
	r->w_pub = calloc(nt, sizeof(*r->w_pub));
	r->w = calloc(nt, sizeof(*r->w));
	int nb_ok = 1;
	if (r->o.nb_mix > 0 || r->o.rocchio > 0) {
		r->wmix = calloc(nt, sizeof(*r->wmix));
		r->nb = calloc(nt, sizeof(*r->nb));
	}
	if (r->o.nb_mix > 0) {
		r->nbp = calloc(nt, sizeof(*r->nbp));
		r->nbn = calloc(nt, sizeof(*r->nbn));
		if (!r->nbp || !r->nbn)
			nb_ok = 0;
	}
	if ((r->o.nb_mix > 0 || r->o.rocchio > 0) && (!r->wmix || !r->nb))
		nb_ok = 0;
	r->alpha = calloc(n, sizeof(*r->alpha));
	r->rows = malloc(n * sizeof(*r->rows));
	r->scratch = calloc(n, sizeof(*r->scratch));
	r->y = malloc(n);
	r->ylast = calloc(n, 1);
	r->snap = malloc(n);
	if (r->o.view2 > 0 && f->alt) {
		size_t nt2 = f->alt->nterms + 1;
		r->v2.alpha = calloc(n, sizeof(*r->v2.alpha));
		r->v2.score = calloc(n, sizeof(*r->v2.score));
		r->v2.c = calloc(nt2, sizeof(*r->v2.c));
		r->v2.w = calloc(nt2, sizeof(*r->v2.w));
		r->v2.wmix = calloc(nt2, sizeof(*r->v2.wmix));
		if (r->v2.alpha && r->v2.score && r->v2.c && r->v2.w && r->v2.wmix)
			r->v2.f = f->alt;
		else
			nb_ok = 0;
	}
	if (!r->label || !r->tiebreak || !r->score || !r->score_new || !r->w_pub || !r->w ||
	    !r->alpha || !r->rows || !r->scratch || !r->y || !r->sampled || !r->pseudo || !r->ylast || !r->snap ||
	    !nb_ok) {
		r->f = NULL;   /* locks not initialised yet */
		qes_rank_free(r);
		return qes_error_set(err, QES_ENOMEM, "out of memory for a ranking session of %zu records", n);
	}
	memset(r->label, -1, n);
	for (size_t i = 0; i < n; i++)
		r->tiebreak[i] = tiebreak ? tiebreak[i] : (uint32_t)i;
	r->rng = 0x5eed0000ull ^ n;
	/* Pseudo-negatives: a random set, drawn once so that warm starts stay valid. */
	for (size_t k = 0; k < (size_t)r->o.pseudo_neg && k < n / 2; k++)
		r->pseudo[qes_rank_rand(&r->rng) % n] = 1;
	pthread_mutex_init(&r->lock, NULL);
	pthread_mutex_init(&r->train_lock, NULL);
	*out = r;
	return 0;
}

void qes_rank_free(qes_rank *r)
{
	if (!r)
		return;
	if (r->f) {
		pthread_mutex_destroy(&r->lock);
		pthread_mutex_destroy(&r->train_lock);
	}
	free(r->label);
	free(r->sampled);
	free(r->pseudo);
	free(r->tiebreak);
	free(r->score);
	free(r->score_new);
	free(r->w_pub);
	free(r->w);
	free(r->wmix);
	free(r->nb);
	free(r->nbp);
	free(r->nbn);
	free(r->alpha);
	free(r->rows);
	free(r->scratch);
	free(r->y);
	free(r->ylast);
	free(r->snap);
	free(r->v2.alpha);
	free(r->v2.score);
	free(r->v2.c);
	free(r->v2.w);
	free(r->v2.wmix);
	free(r);
}

int qes_rank_label(qes_rank *r, size_t idx, int relevant, int from_sample, qes_error *err)
{
	if (idx >= r->f->n)
		return qes_error_set(err, QES_EINVAL, "no record %zu in the ranking (it has %zu)", idx, r->f->n);
	if (relevant < -1 || relevant > 1)
		return qes_error_set(err, QES_EINVAL, "a label is 1, 0 or -1, not %d", relevant);
	pthread_mutex_lock(&r->lock);
	r->label[idx] = (signed char)relevant;
	r->sampled[idx] = relevant >= 0 && from_sample;
	pthread_mutex_unlock(&r->lock);
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Class costs: the relevant class is rare, so without weights the model
 * would learn to call everything irrelevant. */
static void class_costs(const qes_rank_opts *o, size_t npos, size_t nneg, double *cp, double *cn)
{
	if (o->balance_ratio > 0) {
		double wn = (double)npos / (o->balance_ratio * (double)nneg);
		double scale = (double)(npos + nneg) / ((double)npos + wn * (double)nneg);
		*cp = o->C * scale;
		*cn = o->C * scale * wn;
		return;
	}
	if (o->pos_weight > 0) {
		*cp = o->C * o->pos_weight;
		*cn = o->C;
		return;
	}
	double m = (double)(npos + nneg);
	*cp = o->C * m / (2.0 * (double)npos);
	*cn = o->C * m / (2.0 * (double)nneg);
}

/* 1 when the rows of this fit only add to those of the last one (the usual
 * case: one new decision), so the weights need no recomputation. Rows that
 * left or changed sign get alpha 0. Updates ylast. */
static int keep_w(qes_rank *r, size_t m)
{
	size_t n = r->f->n;
	int same = r->fits > 0;
	for (size_t j = 0; j < m; j++)
		r->scratch[r->rows[j]] = (uint32_t)j + 1;
	for (size_t i = 0; i < n; i++) {
		signed char cur = 0;
		uint32_t j = r->scratch[i];
		if (j && j <= m && r->rows[j - 1] == i)
			cur = r->y[j - 1];
		if (r->ylast[i] && r->ylast[i] != cur) {
			same = 0;
			r->alpha[i] = 0;
			if (r->v2.alpha)
				r->v2.alpha[i] = 0;
		}
		r->ylast[i] = cur;
	}
	return same;
}

/* The SVM and naive Bayes weights, each scaled to unit length, summed with
 * weight nb_mix on the latter: a linear combination of linear models is
 * one linear model, so scoring still costs one pass. */
static const float *mix_nb(qes_rank *r, const qes__svm_prob *p)
{
	size_t nt = r->f->nterms;
	qes__nb_weights(p, 3.822, r->nbp, r->nbn, r->nb);
	double a = 0, b = 0;
	for (size_t t = 0; t < nt; t++) {
		a += (double)r->w[t] * r->w[t];
		b += r->nb[t] * r->nb[t];
	}
	a = a > 0 ? 1 / sqrt(a) : 0;
	b = b > 0 ? r->o.nb_mix / sqrt(b) : 0;
	for (size_t t = 0; t < nt; t++)
		r->wmix[t] = (float)(a * r->w[t] + b * r->nb[t]);
	r->wmix[nt] = (float)(a * r->w[nt]);
	return r->wmix;
}

/* The early phase: with one or two relevant records known, the SVM is fitted
 * to very little evidence and follows the words of those few records; the
 * centroid of the relevant rows (Rocchio relevance feedback) spreads the
 * score over all their terms. Both are scaled to unit length and summed, the
 * centroid with weight rocchio x k / (k + relevant - 1), which fades as
 * relevant records are found. Still one linear model: one scoring pass. */
static const float *mix_rocchio(const qes_rank_opts *o, const qes_rank_features *f,
				const float *w, double *c, float *wmix, const qes__svm_prob *p,
				size_t npos)
{
	size_t nt = f->nterms;
	double b = o->rocchio, k = o->rocchio_k;
	if (k > 0)
		b *= k / (k + (double)npos - 1);
	memset(c, 0, nt * sizeof(*c));
	for (size_t j = 0; j < p->m; j++) {
		if (p->y[j] < 0)
			continue;
		uint32_t i = p->rows[j];
		for (size_t q = f->rowptr[i]; q < f->rowptr[i + 1]; q++)
			c[f->col[q]] += f->val[q];
	}
	double a = 0, cc = 0;
	for (size_t t = 0; t < nt; t++) {
		a += (double)w[t] * w[t];
		cc += c[t] * c[t];
	}
	a = a > 0 ? 1 / sqrt(a) : 0;
	cc = cc > 0 ? b / sqrt(cc) : 0;
	for (size_t t = 0; t < nt; t++)
		wmix[t] = (float)(a * w[t] + cc * c[t]);
	wmix[nt] = (float)(a * w[nt]);
	return wmix;
}

/* Mean and standard deviation of the scores of the records being ranked. */
static void score_stats(const double *sc, const signed char *skip, size_t n, double *mean,
			double *sd)
{
	double s = 0, ss = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (skip[i] >= 0)
			continue;
		s += sc[i];
		ss += sc[i] * sc[i];
		k++;
	}
	*mean = k ? s / (double)k : 0;
	double var = k ? ss / (double)k - *mean * *mean : 0;
	*sd = var > 1e-24 ? sqrt(var) : 1;
}

/* The ensemble: the second model fitted on its own features, and each
 * model's scores standardised over the records being ranked before they are
 * added, so neither dominates by the scale of its features. */
static void add_view2(qes_rank *r, qes__svm_prob p, size_t npos)
{
	view *v = &r->v2;
	size_t n = r->f->n;
	p.f = v->f;
	qes__svm_fit(&p, v->alpha, v->w, r->scratch);
	const float *ws = v->w;
	if (r->o.rocchio > 0)
		ws = mix_rocchio(&r->o, v->f, v->w, v->c, v->wmix, &p, npos);
	qes__svm_score(v->f, ws, r->snap, v->score);
	double m1, s1, m2, s2;
	score_stats(r->score_new, r->snap, n, &m1, &s1);
	score_stats(v->score, r->snap, n, &m2, &s2);
	double wt = r->o.view2_weight;
	for (size_t i = 0; i < n; i++)
		if (r->snap[i] < 0)
			r->score_new[i] = (r->score_new[i] - m1) / s1 + wt * (v->score[i] - m2) / s2;
}

int qes_rank_retrain(qes_rank *r, qes_error *err)
{
	int rc = 0;
	pthread_mutex_lock(&r->train_lock);
	double t0 = now_ms();
	size_t m = 0, npos = 0, n = r->f->n;
	pthread_mutex_lock(&r->lock);
	memcpy(r->snap, r->label, n);
	for (size_t i = 0; i < n; i++) {
		if (r->label[i] < 0) {
			if (r->pseudo[i]) {
				r->rows[m] = (uint32_t)i;
				r->y[m++] = -1;
			}
			continue;
		}
		r->rows[m] = (uint32_t)i;
		r->y[m++] = r->label[i] ? 1 : -1;
		npos += r->label[i] == 1;
	}
	pthread_mutex_unlock(&r->lock);
	if (npos == 0 || npos == m) {
		rc = qes_error_set(err, QES_ECONFLICT, "the model needs at least one relevant and "
				   "one irrelevant decision before it can rank");
		goto out;
	}
	qes__svm_prob p = { r->f, r->rows, r->y, m, 0, 0, r->o.epochs, 0, keep_w(r, m) };
	class_costs(&r->o, npos, m - npos, &p.c_pos, &p.c_neg);
	p.seed = 0x51b0ull + (uint64_t)r->fits++;
	qes__svm_fit(&p, r->alpha, r->w, r->scratch);
	/* Records labelled at snapshot time are never offered again: no score. */
	const float *ws = r->w;
	if (r->o.nb_mix > 0)
		ws = mix_nb(r, &p);
	else if (r->o.rocchio > 0)
		ws = mix_rocchio(&r->o, r->f, r->w, r->nb, r->wmix, &p, npos);
	qes__svm_score(r->f, ws, r->snap, r->score_new);
	if (r->v2.f)
		add_view2(r, p, npos);
	pthread_mutex_lock(&r->lock);
	double *t = r->score;
	r->score = r->score_new;
	r->score_new = t;
	for (size_t j = 0; j <= r->f->nterms; j++)
		r->w_pub[j] = ws[j];
	r->retrains++;
	r->ms_total += now_ms() - t0;
	pthread_mutex_unlock(&r->lock);
out:
	pthread_mutex_unlock(&r->train_lock);
	return rc;
}

/* 1 if record a should come before record b. */
static int better(const qes_rank *r, size_t a, size_t b)
{
	if (r->score[a] != r->score[b])
		return r->score[a] > r->score[b];
	return r->tiebreak[a] < r->tiebreak[b];
}

size_t qes_rank_next(qes_rank *r, size_t *out, size_t k)
{
	size_t got = 0;
	pthread_mutex_lock(&r->lock);
	for (size_t i = 0; i < r->f->n; i++) {
		if (r->label[i] >= 0)
			continue;
		if (got == k && (k == 0 || !better(r, i, out[k - 1])))
			continue;
		size_t j = got < k ? got++ : k - 1;
		while (j > 0 && better(r, i, out[j - 1])) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = i;
	}
	pthread_mutex_unlock(&r->lock);
	return got;
}

double qes_rank_score(qes_rank *r, size_t idx)
{
	pthread_mutex_lock(&r->lock);
	double s = idx < r->f->n ? r->score[idx] : 0;
	pthread_mutex_unlock(&r->lock);
	return s;
}

long qes_rank_retrains(qes_rank *r, double *ms_mean)
{
	pthread_mutex_lock(&r->lock);
	long n = r->retrains;
	if (ms_mean)
		*ms_mean = n ? r->ms_total / (double)n : 0;
	pthread_mutex_unlock(&r->lock);
	return n;
}

size_t qes_rank_explain(qes_rank *r, size_t idx, qes_rank_term *out, size_t k)
{
	const qes_rank_features *f = r->f;
	size_t got = 0;
	if (idx >= f->n)
		return 0;
	pthread_mutex_lock(&r->lock);
	for (size_t q = f->rowptr[idx]; q < f->rowptr[idx + 1]; q++) {
		double c = r->w_pub[f->col[q]] * (double)f->val[q];
		if (c <= 0 || (got == k && (k == 0 || c <= out[k - 1].contribution)))
			continue;
		size_t j = got < k ? got++ : k - 1;
		while (j > 0 && c > out[j - 1].contribution) {
			out[j] = out[j - 1];
			j--;
		}
		out[j].contribution = c;
		snprintf(out[j].term, sizeof(out[j].term), "%s", f->termbuf + f->termoff[f->col[q]]);
	}
	pthread_mutex_unlock(&r->lock);
	return got;
}

long qes_rank_sample_next(qes_rank *r)
{
	long pick = -1;
	pthread_mutex_lock(&r->lock);
	size_t left = 0;
	for (size_t i = 0; i < r->f->n; i++)
		left += r->label[i] < 0;
	if (left) {
		if (!r->sample_pool)
			r->sample_pool = (long)left;
		size_t want = qes_rank_rand(&r->rng) % left;
		for (size_t i = 0; i < r->f->n; i++)
			if (r->label[i] < 0 && want-- == 0) {
				pick = (long)i;
				break;
			}
	}
	pthread_mutex_unlock(&r->lock);
	return pick;
}

void qes_rank_stop_estimate(qes_rank *r, double target, double confidence, qes_rank_stop *st)
{
	memset(st, 0, sizeof(*st));
	pthread_mutex_lock(&r->lock);
	st->total = (long)r->f->n;
	for (size_t i = 0; i < r->f->n; i++) {
		if (r->label[i] < 0)
			continue;
		st->screened++;
		st->relevant += r->label[i] == 1;
		st->sample_n += r->sampled[i];
		st->sample_relevant += r->sampled[i] && r->label[i] == 1;
	}
	st->sample_pool = r->sample_pool;
	pthread_mutex_unlock(&r->lock);
	st->target = target;
	st->confidence = confidence;
	qes_rank_stop_test(st);
}
