/* rank_features.c: vocabulary and the sparse TF-IDF matrix, built once per
 * set of records. Terms are stemmed unigrams and bigrams (bigrams never
 * cross a field boundary); weights are sublinear TF-IDF as scikit-learn
 * computes them ((1 + ln tf) x (ln((1 + n) / (1 + df)) + 1)), rows
 * L2-normalised, so scores compare with ASReview's features. */
#include "rank_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void qes_rank_opts_default(qes_rank_opts *o)
{
	o->ngram_max = 2;
	o->max_df = 0.5;     /* with the centroid mix (docs/ranking.md) */
	o->min_df = 1;
	o->C = 1.0;
	o->pos_weight = 0;   /* 0: balanced by the labelled class sizes */
	o->epochs = 1;       /* warm-started: one pass is as good as two (docs/ranking.md) */
	o->pseudo_neg = 0;
	o->stem = 1;
	o->balance_ratio = 30;   /* relevant records together weigh 30x the irrelevant */
	o->title_repeat = 1;
	o->nb_mix = 0;
	o->rocchio = 1;      /* early phase: the relevant centroid weighs as much as the SVM */
	o->rocchio_k = 6;
	o->view2 = 3;        /* ensemble with latent semantic features (docs/ranking.md) */
	o->view2_weight = 0.5;
	o->char_ngrams = 0;
	o->lsa_dims = 100;
}

/* A growable array of T with a count and capacity. */
#define GROW(arr, cnt, cap, need) \
	((cnt) + (need) <= (cap) ? 0 : grow_arr((void **)&(arr), &(cap), (cnt) + (need), sizeof(*(arr))))

static int grow_arr(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	void *p = realloc(*arr, c * elem);
	if (!p)
		return QES_ENOMEM;
	*arr = p;
	*cap = c;
	return 0;
}

typedef struct vocab {
	uint32_t *slots;        /* term id + 1, 0 = empty */
	size_t nslots;
	char *buf;              /* term strings, NUL-terminated one after another */
	size_t blen, bcap;
	size_t *off;            /* offset of each term in buf */
	uint64_t *hash;
	size_t n, ocap, hcap;
} vocab;

static uint64_t fnv(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	/* FNV's low bits cluster; mix them before they pick a slot. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 33);
}

static int vocab_rehash(vocab *v)
{
	size_t ns = v->nslots ? v->nslots * 2 : 1024;
	uint32_t *s = calloc(ns, sizeof(*s));
	if (!s)
		return QES_ENOMEM;
	for (size_t i = 0; i < v->n; i++) {
		size_t j = v->hash[i] & (ns - 1);
		while (s[j])
			j = (j + 1) & (ns - 1);
		s[j] = (uint32_t)i + 1;
	}
	free(v->slots);
	v->slots = s;
	v->nslots = ns;
	return 0;
}

/* The id of term s (added when new), or a negative QES_E* code. */
static long vocab_id(vocab *v, const char *s, size_t len)
{
	if ((v->n + 1) * 2 > v->nslots && vocab_rehash(v))
		return QES_ENOMEM;
	uint64_t h = fnv(s, len);
	size_t j = h & (v->nslots - 1);
	while (v->slots[j]) {
		size_t id = v->slots[j] - 1;
		const char *t = v->buf + v->off[id];
		if (v->hash[id] == h && !strncmp(t, s, len) && t[len] == '\0')
			return (long)id;
		j = (j + 1) & (v->nslots - 1);
	}
	if (v->n >= UINT32_MAX - 1 || GROW(v->buf, v->blen, v->bcap, len + 1))
		return QES_ENOMEM;
	if (GROW(v->off, v->n, v->ocap, 1) || GROW(v->hash, v->n, v->hcap, 1))
		return QES_ENOMEM;
	memcpy(v->buf + v->blen, s, len);
	v->buf[v->blen + len] = '\0';
	v->off[v->n] = v->blen;
	v->hash[v->n] = h;
	v->blen += len + 1;
	v->slots[j] = (uint32_t)v->n + 1;
	return (long)v->n++;
}

static void vocab_release(vocab *v)
{
	free(v->slots);
	free(v->buf);
	free(v->off);
	free(v->hash);
}

/* State while the records are read. */
typedef struct builder {
	vocab voc;
	int ngram;
	int chars;              /* > 0: character n-grams of 3..chars instead */
	uint32_t *doc;          /* term ids of the record being read */
	size_t dn, dcap;
	char prev[80];          /* previous token in this field, for bigrams */
	size_t prevlen;
	char prev2[80];         /* the one before, for trigrams */
	size_t prev2len;
	char big[240];
	/* (term, tf) per record, term ascending */
	uint32_t *term;
	uint16_t *tf;
	size_t nnz, tcap, fcap;
	size_t *rowptr;
} builder;

static int add_term(builder *b, const char *s, size_t len)
{
	long id = vocab_id(&b->voc, s, len);
	if (id < 0)
		return (int)id;
	if (GROW(b->doc, b->dn, b->dcap, 1))
		return QES_ENOMEM;
	b->doc[b->dn++] = (uint32_t)id;
	return 0;
}

/* Character n-grams of 3..chars bytes of the token padded with a space on
 * each side (scikit-learn's char_wb analyser): "trial" gives " tr", "tri",
 * ..., "al ". They match word forms a stemmer keeps apart and parts of
 * compound and chemical names. */
static int on_token_chars(builder *b, const char *tok, size_t len)
{
	char *w = b->big;
	if (len > sizeof(b->big) - 3)
		len = sizeof(b->big) - 3;
	w[0] = ' ';
	memcpy(w + 1, tok, len);
	w[len + 1] = ' ';
	size_t wl = len + 2;
	int rc = 0;
	for (size_t g = 3; g <= (size_t)b->chars && !rc; g++)
		for (size_t i = 0; i + g <= wl && !rc; i++)
			rc = add_term(b, w + i, g);
	return rc;
}

static int on_token(void *ud, const char *tok, size_t len)
{
	builder *b = ud;
	if (b->chars)
		return on_token_chars(b, tok, len);
	if (len >= sizeof(b->prev))
		len = sizeof(b->prev) - 1;
	int rc = add_term(b, tok, len);
	if (!rc && b->ngram >= 2 && b->prevlen) {
		memcpy(b->big, b->prev, b->prevlen);
		b->big[b->prevlen] = ' ';
		memcpy(b->big + b->prevlen + 1, tok, len);
		rc = add_term(b, b->big, b->prevlen + 1 + len);
	}
	if (!rc && b->ngram >= 3 && b->prev2len && b->prevlen) {
		memcpy(b->big, b->prev2, b->prev2len);
		b->big[b->prev2len] = ' ';
		memcpy(b->big + b->prev2len + 1, b->prev, b->prevlen);
		b->big[b->prev2len + 1 + b->prevlen] = ' ';
		memcpy(b->big + b->prev2len + b->prevlen + 2, tok, len);
		rc = add_term(b, b->big, b->prev2len + b->prevlen + 2 + len);
	}
	memcpy(b->prev2, b->prev, b->prevlen);
	b->prev2len = b->prevlen;
	memcpy(b->prev, tok, len);
	b->prevlen = len;
	return rc;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Sorts the record's term ids and appends them as (term, tf). */
static int close_doc(builder *b, size_t row)
{
	if (b->dn > 1)
		qsort(b->doc, b->dn, sizeof(*b->doc), cmp_u32);
	for (size_t i = 0; i < b->dn;) {
		size_t j = i;
		while (j < b->dn && b->doc[j] == b->doc[i])
			j++;
		if (GROW(b->term, b->nnz, b->tcap, 1) || GROW(b->tf, b->nnz, b->fcap, 1))
			return QES_ENOMEM;
		b->term[b->nnz] = b->doc[i];
		b->tf[b->nnz] = (uint16_t)(j - i > 65535 ? 65535 : j - i);
		b->nnz++;
		i = j;
	}
	b->dn = 0;
	b->rowptr[row + 1] = b->nnz;
	return 0;
}

static int read_items(builder *b, const qes_rank_item *items, size_t n, int title_repeat,
		      int stem)
{
	qes__tokeniser *tk = NULL;
	int rc = qes__tokeniser_new(&tk, stem);
	for (size_t i = 0; i < n && !rc; i++) {
		const char *fields[3] = { items[i].title, items[i].abstract, items[i].keywords };
		for (int k = 0; k < 3 && !rc; k++) {
			b->prevlen = b->prev2len = 0;
			rc = qes__tokenise(tk, fields[k], on_token, b);
		}
		for (int k = 1; k < title_repeat && !rc; k++) {
			b->prevlen = b->prev2len = 0;
			rc = qes__tokenise(tk, items[i].title, on_token, b);
		}
		if (!rc)
			rc = close_doc(b, i);
	}
	qes__tokeniser_free(tk);
	return rc;
}

/* Drops terms outside [min_df, max_df] and weighs what is left. */
static int weigh(builder *b, qes_rank_features *f, const qes_rank_opts *o)
{
	size_t nt = b->voc.n, n = f->n;
	uint32_t *df = calloc(nt ? nt : 1, sizeof(*df));
	uint32_t *map = calloc(nt ? nt : 1, sizeof(*map));
	int rc = QES_ENOMEM;
	if (!df || !map)
		goto out;
	for (size_t k = 0; k < b->nnz; k++)
		df[b->term[k]]++;
	double maxdoc = o->max_df * (double)n;
	size_t kept = 0, bytes = 0;
	for (size_t t = 0; t < nt; t++) {
		int keep = df[t] >= (uint32_t)o->min_df && (double)df[t] <= maxdoc && df[t] > 1;
		f->nsingle += df[t] == 1 && o->min_df <= 1;
		map[t] = keep ? (uint32_t)kept++ : UINT32_MAX;
		if (keep)
			bytes += strlen(b->voc.buf + b->voc.off[t]) + 1;
	}
	f->nterms = kept;
	f->termoff = malloc((kept ? kept : 1) * sizeof(*f->termoff));
	f->termbuf = malloc(bytes ? bytes : 1);
	f->rowptr = malloc((n + 1) * sizeof(*f->rowptr));
	f->col = malloc((b->nnz ? b->nnz : 1) * sizeof(*f->col));
	f->val = malloc((b->nnz ? b->nnz : 1) * sizeof(*f->val));
	f->self = calloc(n, sizeof(*f->self));
	if (!f->termoff || !f->termbuf || !f->rowptr || !f->col || !f->val || !f->self)
		goto out;
	size_t at = 0;
	for (size_t t = 0; t < nt; t++) {
		if (map[t] == UINT32_MAX)
			continue;
		const char *s = b->voc.buf + b->voc.off[t];
		size_t l = strlen(s) + 1;
		memcpy(f->termbuf + at, s, l);
		f->termoff[map[t]] = at;
		at += l;
	}
	size_t nz = 0;
	f->rowptr[0] = 0;
	for (size_t i = 0; i < n; i++) {
		double norm = 0, self = 0;
		size_t start = nz;
		for (size_t k = b->rowptr[i]; k < b->rowptr[i + 1]; k++) {
			uint32_t t = b->term[k];
			int single = df[t] == 1 && o->min_df <= 1;
			if (map[t] == UINT32_MAX && !single)
				continue;
			double idf = log((1.0 + (double)n) / (1.0 + df[t])) + 1.0;
			double v = (1.0 + log((double)b->tf[k])) * idf;
			norm += v * v;
			if (single) {
				self += v * v;
				continue;
			}
			f->col[nz] = map[t];
			f->val[nz] = (float)v;
			nz++;
		}
		f->self[i] = norm > 0 ? (float)(self / norm) : 0;
		norm = norm > 0 ? 1.0 / sqrt(norm) : 0;
		for (size_t k = start; k < nz; k++)
			f->val[k] = (float)(f->val[k] * norm);
		f->rowptr[i + 1] = nz;
	}
	rc = 0;
out:
	free(df);
	free(map);
	return rc;
}

/* The range finder keeps a terms x dimensions matrix in single precision:
 * at most this many cells (200 MB); beyond that only the terms in most
 * records take part (rare terms add little to the latent structure). */
#define QES__LSA_MAX_CELLS 50000000u

/* Above this many records the latent view is not built and sessions run the
 * SVM alone: its build grows as records x terms x dimensions (75 s at
 * 100,000 synthetic records) and its rescore would take a third of the
 * 100 ms a retrain may cost there (docs/ranking.md). */
#define QES__LSA_MAX_RECORDS 10000

/* Gram-Schmidt (twice, for stability) on the k columns of q (n rows each). */
static void orthonormalise(double *q, size_t n, size_t k)
{
	for (size_t j = 0; j < k; j++) {
		double *c = q + j * n;
		for (int pass = 0; pass < 2; pass++)
			for (size_t l = 0; l < j; l++) {
				const double *o = q + l * n;
				double d = 0;
				for (size_t i = 0; i < n; i++)
					d += o[i] * c[i];
				for (size_t i = 0; i < n; i++)
					c[i] -= d * o[i];
			}
		double nn = 0;
		for (size_t i = 0; i < n; i++)
			nn += c[i] * c[i];
		nn = nn > 1e-20 ? 1 / sqrt(nn) : 0;
		for (size_t i = 0; i < n; i++)
			c[i] *= nn;
	}
}

/* z (terms taking part x k, row-major) = X^T q (q: k columns of n); map
 * gives each term's row in z, UINT32_MAX for a term left out. buf: k
 * doubles (row i of q, gathered once rather than once per term). */
static void xt_times(const qes_rank_features *x, const uint32_t *map, size_t nz,
		     const double *q, size_t k, float *z, double *buf)
{
	memset(z, 0, nz * k * sizeof(*z));
	for (size_t i = 0; i < x->n; i++) {
		for (size_t j = 0; j < k; j++)
			buf[j] = q[j * x->n + i];
		for (size_t p = x->rowptr[i]; p < x->rowptr[i + 1]; p++) {
			if (map[x->col[p]] == UINT32_MAX)
				continue;
			float *zr = z + (size_t)map[x->col[p]] * k;
			double v = x->val[p];
			for (size_t j = 0; j < k; j++)
				zr[j] += (float)(v * buf[j]);
		}
	}
}

/* y (k columns of n) = X z, row i summed in buf first. */
static void x_times(const qes_rank_features *x, const uint32_t *map, const float *z, size_t k,
		    double *y, double *buf)
{
	for (size_t i = 0; i < x->n; i++) {
		memset(buf, 0, k * sizeof(*buf));
		for (size_t p = x->rowptr[i]; p < x->rowptr[i + 1]; p++) {
			if (map[x->col[p]] == UINT32_MAX)
				continue;
			const float *zr = z + (size_t)map[x->col[p]] * k;
			double v = x->val[p];
			for (size_t j = 0; j < k; j++)
				buf[j] += v * zr[j];
		}
		for (size_t j = 0; j < k; j++)
			y[j * x->n + i] = buf[j];
	}
}

size_t qes__lsa_terms(const qes_rank_features *x, size_t cap, uint32_t *map)
{
	size_t nt = x->nterms, nz = 0;
	uint32_t *df = calloc(nt ? nt : 1, sizeof(*df));
	size_t *hist = calloc(x->n + 2, sizeof(*hist));
	uint32_t min_df = 0;
	if (df && hist && nt > cap) {
		for (size_t p = 0; p < x->rowptr[x->n]; p++)
			df[x->col[p]]++;
		for (size_t t = 0; t < nt; t++)
			hist[df[t]]++;
		/* the smallest df whose terms and all more common ones fit */
		size_t above = 0;
		for (min_df = (uint32_t)x->n + 1; min_df > 1 && above + hist[min_df - 1] <= cap; min_df--)
			above += hist[min_df - 1];
	}
	for (size_t t = 0; t < nt; t++)
		map[t] = nz < cap && (!df || !hist || df[t] >= min_df) ? (uint32_t)nz++ : UINT32_MAX;
	/* then, in term order, those of the df that did not fit as a whole */
	for (size_t t = 0; t < nt && nz < cap && min_df > 1 && df && hist; t++)
		if (df[t] == min_df - 1)
			map[t] = (uint32_t)nz++;
	free(df);
	free(hist);
	return nz;
}

/* Latent semantic features: the records in the k-dimensional space of the
 * largest singular vectors of the TF-IDF matrix (randomised range finder
 * with one power iteration, Halko, Martinsson and Tropp 2011), so records
 * that share no term but whose terms occur together elsewhere come close.
 * Stored as a dense CSR matrix (k values a row), rows L2-normalised, so the
 * same SVM and scoring code runs on it. */
static int build_lsa(const qes_rank_features *x, size_t k, qes_rank_features **out)
{
	size_t n = x->n, nt = x->nterms;
	if (k > n)
		k = n;
	int rc = QES_ENOMEM;
	double *q = malloc(n * k * sizeof(*q)), *w = malloc(n * k * sizeof(*w));
	uint32_t *map = malloc((nt ? nt : 1) * sizeof(*map));
	float *z = NULL;
	uint64_t *sign = NULL;
	double *g = calloc(k * k, sizeof(*g)), *buf = malloc(k * sizeof(*buf));
	qes_rank_features *e = calloc(1, sizeof(*e));
	if (!q || !w || !map || !g || !buf || !e)
		goto out;
	size_t nz = qes__lsa_terms(x, QES__LSA_MAX_CELLS / k, map);
	size_t nw = (k + 63) / 64;
	if (!(z = malloc((nz ? nz : 1) * k * sizeof(*z))) ||
	    !(sign = malloc((nz ? nz : 1) * nw * sizeof(*sign))))
		goto out;
	/* The random test matrix of the range finder: one sign bit per term and
	 * dimension. */
	uint64_t rs = 0x15a0000ull + n;
	for (size_t t = 0; t < nz * nw; t++)
		sign[t] = qes_rank_rand(&rs);
	/* Row by row, each term's sign bits read once per occurrence (they are
	 * megabytes: reading them once per dimension missed the cache). */
	for (size_t i = 0; i < n; i++) {
		memset(buf, 0, k * sizeof(*buf));
		for (size_t p = x->rowptr[i]; p < x->rowptr[i + 1]; p++) {
			uint32_t t = map[x->col[p]];
			if (t == UINT32_MAX)
				continue;
			const uint64_t *sg = sign + (size_t)t * nw;
			double v = x->val[p];
			for (size_t j = 0; j < k; j++)
				buf[j] += sg[j / 64] >> (j % 64) & 1 ? v : -v;
		}
		for (size_t j = 0; j < k; j++)
			q[j * n + i] = buf[j];
	}
	orthonormalise(q, n, k);
	xt_times(x, map, nz, q, k, z, buf);
	x_times(x, map, z, k, q, buf);
	orthonormalise(q, n, k);
	/* G = Q^T X X^T Q = L L^T; the records are then the rows of Q L. */
	xt_times(x, map, nz, q, k, z, buf);
	x_times(x, map, z, k, w, buf);
	for (size_t a = 0; a < k; a++)
		for (size_t b = 0; b <= a; b++) {
			double d = 0;
			for (size_t i = 0; i < n; i++)
				d += q[a * n + i] * w[b * n + i];
			g[a * k + b] = d;
		}
	for (size_t a = 0; a < k; a++) {           /* Cholesky, lower triangle */
		for (size_t b = 0; b <= a; b++) {
			double d = g[a * k + b];
			for (size_t l = 0; l < b; l++)
				d -= g[a * k + l] * g[b * k + l];
			if (a == b)
				g[a * k + a] = d > 1e-12 ? sqrt(d) : 1e-6;
			else
				g[a * k + b] = d / g[b * k + b];
		}
	}
	e->n = n;
	e->nterms = k;
	e->rowptr = malloc((n + 1) * sizeof(*e->rowptr));
	e->col = malloc(n * k * sizeof(*e->col));
	e->val = malloc(n * k * sizeof(*e->val));
	e->self = calloc(n, sizeof(*e->self));
	e->ids = calloc(n, sizeof(*e->ids));
	e->termoff = calloc(k, sizeof(*e->termoff));
	e->termbuf = calloc(1, 1);
	if (!e->rowptr || !e->col || !e->val || !e->self || !e->ids || !e->termoff || !e->termbuf)
		goto out;
	e->rowptr[0] = 0;
	for (size_t i = 0; i < n; i++) {
		double norm = 0;
		for (size_t b = 0; b < k; b++) {
			double v = 0;
			for (size_t a = b; a < k; a++)
				v += q[a * n + i] * g[a * k + b];
			e->col[i * k + b] = (uint32_t)b;
			e->val[i * k + b] = (float)v;
			norm += v * v;
		}
		norm = norm > 0 ? 1 / sqrt(norm) : 0;
		for (size_t b = 0; b < k; b++)
			e->val[i * k + b] = (float)(e->val[i * k + b] * norm);
		e->rowptr[i + 1] = (i + 1) * k;
	}
	*out = e;
	e = NULL;
	rc = 0;
out:
	qes_rank_features_free(e);
	free(q);
	free(w);
	free(map);
	free(sign);
	free(buf);
	free(z);
	free(g);
	return rc;
}

int qes_rank_features_build(qes_rank_features **out, const qes_rank_item *items,
			    size_t n, const qes_rank_opts *o, qes_error *err)
{
	qes_rank_opts def;
	if (!o) {
		qes_rank_opts_default(&def);
		o = &def;
	}
	*out = NULL;
	if (n == 0 || n > UINT32_MAX - 1)
		return qes_error_set(err, QES_EINVAL, "ranking needs between 1 and %u records", UINT32_MAX - 1);
	builder b;
	memset(&b, 0, sizeof(b));
	b.ngram = o->ngram_max;
	b.chars = o->char_ngrams;
	qes_rank_features *f = calloc(1, sizeof(*f));
	int rc = QES_ENOMEM;
	b.rowptr = calloc(n + 1, sizeof(*b.rowptr));
	if (!f || !b.rowptr)
		goto out;
	f->n = n;
	f->ids = calloc(n, sizeof(*f->ids));
	if (!f->ids)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (!(f->ids[i] = strdup(items[i].id ? items[i].id : "")))
			goto out;
	if ((rc = read_items(&b, items, n, o->title_repeat, o->stem)) || (rc = weigh(&b, f, o)))
		goto out;
	if (o->view2 == 3 && n <= QES__LSA_MAX_RECORDS) {
		size_t k = o->lsa_dims > 0 ? (size_t)o->lsa_dims : 100;
		if ((rc = build_lsa(f, k, &f->alt)))
			goto out;
	} else if (o->view2 == 1 || o->view2 == 2) {
		qes_rank_opts o2 = *o;
		o2.view2 = 0;
		o2.stem = 0;
		o2.char_ngrams = o->view2 == 2 ? 5 : 0;
		if ((rc = qes_rank_features_build(&f->alt, items, n, &o2, err)))
			goto out;
	}
	*out = f;
	f = NULL;
out:
	vocab_release(&b.voc);
	free(b.doc);
	free(b.term);
	free(b.tf);
	free(b.rowptr);
	qes_rank_features_free(f);
	if (rc == QES_ENOMEM)
		qes_error_set(err, rc, "out of memory while building text features for %zu records", n);
	return rc;
}

void qes_rank_features_free(qes_rank_features *f)
{
	if (!f)
		return;
	qes_rank_features_free(f->alt);
	if (f->ids)
		for (size_t i = 0; i < f->n; i++)
			free(f->ids[i]);
	free(f->ids);
	free(f->rowptr);
	free(f->col);
	free(f->val);
	free(f->self);
	free(f->termbuf);
	free(f->termoff);
	free(f);
}

size_t qes_rank_features_count(const qes_rank_features *f) { return f->n; }
size_t qes_rank_features_terms(const qes_rank_features *f) { return f->nterms + f->nsingle; }

long qes_rank_features_find(const qes_rank_features *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->ids[i], id))
			return (long)i;
	return -1;
}

const char *qes_rank_features_id(const qes_rank_features *f, size_t idx)
{
	return idx < f->n ? f->ids[idx] : NULL;
}
