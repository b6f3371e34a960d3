/* rank_model.c: the linear model. An L2-regularised, L2-loss (squared hinge)
 * SVM with a bias term, solved in the dual by coordinate descent (Hsieh,
 * Chang, Lin, Keerthi and Sundararajan 2008, the method of liblinear's
 * solver 1), written here because active learning refits after every
 * decision: the previous alphas are a near-solution for the next fit (warm
 * start), the rows are read straight from the shared TF-IDF matrix without a
 * copy, and the visiting order comes from the session's own seeded generator
 * so that results do not depend on rand()'s global state (liblinear's
 * solvers shuffle with rand()). */
#include "rank_internal.h"

#include <math.h>
#include <string.h>

/* Four partial sums: one running sum makes every add wait for the one
 * before it, and this loop is most of a retrain (fit and rescore). */
static double dot(const qes_rank_features *f, size_t i, const float *w)
{
	float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	size_t k = f->rowptr[i], end = f->rowptr[i + 1];
	const uint32_t *col = f->col;
	const float *val = f->val;
	for (; k + 4 <= end; k += 4) {
		s0 += w[col[k]] * val[k];
		s1 += w[col[k + 1]] * val[k + 1];
		s2 += w[col[k + 2]] * val[k + 2];
		s3 += w[col[k + 3]] * val[k + 3];
	}
	for (; k < end; k++)
		s0 += w[col[k]] * val[k];
	return (s0 + s1) + (s2 + s3);
}

static void axpy(const qes_rank_features *f, size_t i, double a, float *w)
{
	float fa = (float)a;
	for (size_t k = f->rowptr[i]; k < f->rowptr[i + 1]; k++)
		w[f->col[k]] += fa * f->val[k];
}

void qes__svm_fit(const qes__svm_prob *p, double *alpha, float *w, uint32_t *order)
{
	const qes_rank_features *f = p->f;
	size_t nt = f->nterms;
	if (!p->warm_w)
		memset(w, 0, (nt + 1) * sizeof(*w));
	for (size_t j = 0; j < p->m; j++) {
		uint32_t i = p->rows[j];
		if (!p->warm_w && alpha[i] != 0) {
			axpy(f, i, alpha[i] * p->y[j], w);
			w[nt] += (float)(alpha[i] * p->y[j]);
		}
		order[j] = (uint32_t)j;
	}
	uint64_t rs = p->seed;
	for (int ep = 0; ep < p->epochs; ep++) {
		for (size_t j = p->m; j > 1; j--) {
			size_t k = qes_rank_rand(&rs) % j;
			uint32_t t = order[j - 1];
			order[j - 1] = order[k];
			order[k] = t;
		}
		double maxpg = -HUGE_VAL, minpg = HUGE_VAL;
		for (size_t jj = 0; jj < p->m; jj++) {
			size_t j = order[jj];
			uint32_t i = p->rows[j];
			double yi = p->y[j];
			double d = 0.5 / (yi > 0 ? p->c_pos : p->c_neg);
			double g = yi * (dot(f, i, w) + w[nt]) + (f->self[i] + d) * alpha[i] - 1;
			double pg = alpha[i] == 0 ? (g < 0 ? g : 0) : g;
			if (pg > maxpg)
				maxpg = pg;
			if (pg < minpg)
				minpg = pg;
			if (fabs(pg) < 1e-12)
				continue;
			/* Rows are L2-normalised: |x|^2 (stored terms plus self) is 1,
			 * or 0 for a record without text. */
			double qd = (f->rowptr[i + 1] > f->rowptr[i] || f->self[i] > 0 ? 1.0 : 0.0) + 1.0 + d;
			double na = alpha[i] - g / qd;
			if (na < 0)
				na = 0;
			double delta = (na - alpha[i]) * yi;
			alpha[i] = na;
			axpy(f, i, delta, w);
			w[nt] += (float)delta;
		}
		if (maxpg - minpg <= 0.1)
			break;
	}
}

void qes__svm_score(const qes_rank_features *f, const float *w, const signed char *skip,
		    double *score)
{
	for (size_t i = 0; i < f->n; i++)
		score[i] = skip && skip[i] >= 0 ? -HUGE_VAL : dot(f, i, w) + w[f->nterms];
}

void qes__nb_weights(const qes__svm_prob *p, double alpha, double *sp, double *sn, double *out)
{
	const qes_rank_features *f = p->f;
	size_t nt = f->nterms;
	memset(sp, 0, nt * sizeof(*sp));
	memset(sn, 0, nt * sizeof(*sn));
	double tp = 0, tn = 0;
	for (size_t j = 0; j < p->m; j++) {
		uint32_t i = p->rows[j];
		double *acc = p->y[j] > 0 ? sp : sn;
		for (size_t k = f->rowptr[i]; k < f->rowptr[i + 1]; k++) {
			acc[f->col[k]] += f->val[k];
			if (p->y[j] > 0)
				tp += f->val[k];
			else
				tn += f->val[k];
		}
	}
	double dp = log(alpha * (double)nt + tp), dn = log(alpha * (double)nt + tn);
	for (size_t t = 0; t < nt; t++)
		out[t] = log(alpha + sp[t]) - dp - (log(alpha + sn[t]) - dn);
}
