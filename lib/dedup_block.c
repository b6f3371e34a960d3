/* dedup_block.c: candidate pairs without comparing all pairs.
 *
 * Each record gets a few blocking keys; only records sharing a key are
 * compared. The keys are chosen so that a duplicate shares at least one
 * with its twin even when a field is missing or spelled differently: the
 * DOI, the PMID, the first and the last 24 letters of the title (one
 * database adds "The" or a bracket at the start, another cuts the end),
 * and the first author with the year and first page. Sorting the keys is
 * O(n log n); blocks larger than BLOCK_MAX (a title like "Editorial") are
 * skipped, which keeps the work near-linear. */
#include "dedup_int.h"

#include <stdlib.h>
#include <string.h>

#define KEYS_PER_RECORD 5
#define TITLE_KEY 24
#define BLOCK_MAX 64

typedef struct bkey {
	uint64_t h;
	uint32_t idx;
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
		out[k++] = (bkey){ hash('d', r->doi, strlen(r->doi), 0, 0), idx };
	if (r->pmid)
		out[k++] = (bkey){ hash('p', r->pmid, strlen(r->pmid), 0, 0), idx };
	if (r->tkey && r->tlen >= 12) {
		size_t n = r->tlen < TITLE_KEY ? r->tlen : TITLE_KEY;
		out[k++] = (bkey){ hash('t', r->tkey, n, 0, 0), idx };
		out[k++] = (bkey){ hash('e', r->tkey + r->tlen - n, n, 0, 0), idx };
	} else if (r->tkey) {
		out[k++] = (bkey){ hash('s', r->tkey, r->tlen, r->year, 0), idx };
	}
	if (r->authors && r->year && r->page_first && k < KEYS_PER_RECORD)
		out[k++] = (bkey){ hash('a', r->authors, strcspn(r->authors, " "), r->year,
					r->page_first), idx };
	return k;
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
		if (e - s > 1 && e - s <= BLOCK_MAX) {
			for (size_t i = s; i < e; i++)
				for (size_t j = i + 1; j < e; j++) {
					if (keys[i].idx == keys[j].idx)
						continue;
					if (np == cap) {
						uint64_t *g = realloc(p, cap * 2 * sizeof(*p));
						if (!g)
							goto out;
						p = g;
						cap *= 2;
					}
					p[np++] = (uint64_t)keys[i].idx << 32 | keys[j].idx;
				}
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
