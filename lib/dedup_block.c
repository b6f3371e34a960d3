/* dedup_block.c: candidate pairs without comparing all pairs.
 *
 * Each record gets a few blocking keys; only records sharing a key are
 * compared. The keys are chosen so that a duplicate shares at least one
 * with its twin even when a field is missing or spelled differently: the
 * DOI, the PMID, the first and the last 24 letters of the title (one
 * database adds "The" or a bracket at the start, another cuts the end),
 * and the first author with the year and first page. Sorting the keys is
 * O(n log n). A block larger than BLOCK_MAX (a common opening such as
 * "Effects of", a title like "Editorial") is not compared all pairs with
 * all: its records are sorted by title (by the reversed title for the
 * title-end key) and each is compared with its WINDOW next neighbours
 * (the sorted-neighbourhood method). The work stays near-linear. */
#include "dedup_int.h"

#include <stdlib.h>
#include <string.h>

#define KEYS_PER_RECORD 5
#define TITLE_KEY 24
#define BLOCK_MAX 24

#define WINDOW 10

typedef struct bkey {
	uint64_t h;
	uint32_t idx;
	char kind;
} bkey;

/* FNV-1a, with the key's kind mixed in so a DOI never meets a title. */
static uint64_t hash(char kind, const char *s, size_t n, long extra1, long extra2)
{
	uint64_t h = 1469598103934665603ull;
	h = (h ^ (unsigned char)kind) * 1099511628211ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	h = (h ^ (uint64_t)extra1) * 1099511628211ull;
	h = (h ^ (uint64_t)extra2) * 1099511628211ull;
	return h;
}

static int cmp_key(const void *x, const void *y)
{
	const bkey *a = x, *b = y;
	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

static size_t keys_of(const qes__dd_rec *r, uint32_t idx, bkey *out)
{
	size_t k = 0;
	if (r->doi)
		out[k++] = (bkey){ hash('d', r->doi, strlen(r->doi), 0, 0), idx, 'd' };
	if (r->pmid)
		out[k++] = (bkey){ hash('p', r->pmid, strlen(r->pmid), 0, 0), idx, 'p' };
	if (r->tkey && r->tlen >= 12) {
		size_t n = r->tlen < TITLE_KEY ? r->tlen : TITLE_KEY;
		out[k++] = (bkey){ hash('t', r->tkey, n, 0, 0), idx, 't' };
		out[k++] = (bkey){ hash('e', r->tkey + r->tlen - n, n, 0, 0), idx, 'e' };
	} else if (r->tkey) {
		out[k++] = (bkey){ hash('s', r->tkey, r->tlen, r->year, 0), idx, 's' };
	}
	if (r->authors && r->year && r->page_first && k < KEYS_PER_RECORD)
		out[k++] = (bkey){ hash('a', r->authors, strcspn(r->authors, " "), r->year,
					r->page_first), idx, 'a' };
	return k;
}

static int push_pair(uint64_t **p, size_t *np, size_t *cap, uint32_t i, uint32_t j)
{
	if (i == j)
		return 0;
	if (*np == *cap) {
		uint64_t *g = realloc(*p, *cap * 2 * sizeof(**p));
		if (!g)
			return QES_ENOMEM;
		*p = g;
		*cap *= 2;
	}
	if (i > j) {
		uint32_t t = i;
		i = j;
		j = t;
	}
	(*p)[(*np)++] = (uint64_t)i << 32 | j;
	return 0;
}

static int cmp_title(const void *x, const void *y, void *ud)
{
	const qes__dd_rec *recs = ud;
	const qes__dd_rec *a = &recs[*(const uint32_t *)x], *b = &recs[*(const uint32_t *)y];
	return strcmp(a->tkey ? a->tkey : "", b->tkey ? b->tkey : "");
}

static int cmp_title_end(const void *x, const void *y, void *ud)
{
	const qes__dd_rec *recs = ud;
	const qes__dd_rec *a = &recs[*(const uint32_t *)x], *b = &recs[*(const uint32_t *)y];
	unsigned i = a->tlen, j = b->tlen;
	while (i && j) {
		unsigned char ca = (unsigned char)a->tkey[--i], cb = (unsigned char)b->tkey[--j];
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return (i > 0) - (j > 0);
}

/* A large block: sorted neighbourhood instead of all pairs. */
static int window_pairs(const qes__dd_rec *recs, const bkey *keys, size_t n,
			uint64_t **p, size_t *np, size_t *cap)
{
	uint32_t *ix = malloc(n * sizeof(*ix));
	if (!ix)
		return QES_ENOMEM;
	for (size_t i = 0; i < n; i++)
		ix[i] = keys[i].idx;
	qsort_r(ix, n, sizeof(*ix), keys[0].kind == 'e' ? cmp_title_end : cmp_title, (void *)recs);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		for (size_t j = i + 1; j < n && j <= i + WINDOW && !rc; j++)
			rc = push_pair(p, np, cap, ix[i], ix[j]);
	free(ix);
	return rc;
}

int qes__dd_block(const qes__dd_rec *recs, size_t n, uint64_t **pairs, size_t *npairs)
{
	int rc = QES_ENOMEM;
	*pairs = NULL;
	*npairs = 0;
	bkey *keys = malloc((n ? n : 1) * KEYS_PER_RECORD * sizeof(*keys));
	uint64_t *p = NULL;
	size_t np = 0, cap = n + 16;
	if (!keys)
		goto out;
	size_t nk = 0;
	for (size_t i = 0; i < n; i++)
		nk += keys_of(&recs[i], (uint32_t)i, keys + nk);
	qsort(keys, nk, sizeof(*keys), cmp_key);
	p = malloc(cap * sizeof(*p));
	if (!p)
		goto out;
	for (size_t s = 0; s < nk;) {
		size_t e = s + 1;
		while (e < nk && keys[e].h == keys[s].h)
			e++;
		if (e - s > BLOCK_MAX) {
			if (window_pairs(recs, keys + s, e - s, &p, &np, &cap))
				goto out;
		} else {
			for (size_t i = s; i < e; i++)
				for (size_t j = i + 1; j < e; j++)
					if (push_pair(&p, &np, &cap, keys[i].idx, keys[j].idx))
						goto out;
		}
		s = e;
	}
	qsort(p, np, sizeof(*p), cmp_u64);
	size_t w = 0;
	for (size_t i = 0; i < np; i++)
		if (!w || p[i] != p[w - 1])
			p[w++] = p[i];
	*pairs = p;
	*npairs = w;
	p = NULL;
	rc = 0;
out:
	free(keys);
	free(p);
	return rc;
}
