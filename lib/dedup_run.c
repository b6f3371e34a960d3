/* dedup_run.c: one deduplication run, from the records to the clusters.
 *
 *   load      every record in comparable form (dedup_normalise.c)
 *   block     candidate pairs (dedup_block.c)
 *   compare   a verdict per pair (dedup_compare.c)
 *   cluster   earlier clusters and a person's merges first, then the
 *             certain pairs best first, never against a DOI conflict or
 *             a pair kept apart (dedup_cluster.c)
 *   write     new and grown clusters, their best fields, the queue, the
 *             log: one transaction, or nothing with dry_run */
#include "dedup_int.h"
#include "dedup_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum outcome { OUT_NONE, OUT_MERGED, OUT_ALREADY, OUT_QUEUED, OUT_APART, OUT_REFUSED,
	       OUT_DECIDED };

typedef struct run {
	qes_store *st;
	const qes_dedup_opts *o;
	qes_arena arena;
	qes__dd_rec *recs;
	size_t n, alloc;
	long long *cluster;       /* per record: its cluster before this run, 0 = none */
	uint64_t *pairs;          /* candidate pairs (i << 32 | j) */
	size_t npairs;
	unsigned char *verdict, *outcome;
	float *score;
	uint64_t *decided;        /* pairs already in dedup_pairs, sorted */
	char *decided_status;     /* parallel: 'p'ending, 'm'erge, 'd'istinct, 's'kip */
	size_t ndecided;
	qes__dd_uf *uf;
} run;

static char *keep(qes_arena *a, const char *s)
{
	return s ? qes__arena_strdup(a, s) : NULL;
}

static int load_records(run *r, qes_error *err)
{
	sqlite3 *db = qes_store_db(r->st);
	sqlite3_stmt *s = NULL;
	qes_arena scratch;
	qes__arena_init(&scratch, 64 * 1024);
	int rc = 0;
	if (sqlite3_prepare_v2(db,
			"SELECT id, source_key, type, title, authors, year, journal, volume,"
			" issue, pages, doi, pmid, language, issn, isbn FROM records ORDER BY id",
			-1, &s, NULL) != SQLITE_OK) {
		rc = qes_store_sqlerr(r->st, err, "reading records");
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (r->n == r->alloc) {
			size_t na = r->alloc ? r->alloc * 2 : 1024;
			qes__dd_rec *g = realloc(r->recs, na * sizeof(*g));
			if (!g) {
				rc = qes_error_set(err, QES_ENOMEM, "out of memory");
				goto out;
			}
			r->recs = g;
			r->alloc = na;
		}
		qes__arena_reset(&scratch);
		qes_record rec;
		memset(&rec, 0, sizeof(rec));
		rec.source_key = (char *)sqlite3_column_text(s, 1);
		rec.type = (char *)sqlite3_column_text(s, 2);
		rec.title = (char *)sqlite3_column_text(s, 3);
		char *au = (char *)sqlite3_column_text(s, 4);
		char *items[12];
		rec.authors.items = items;
		if (au) {
			char *copy = qes__arena_strdup(&scratch, au);
			for (char *p = copy; p && *p && rec.authors.n < 12;) {
				items[rec.authors.n++] = p;
				p = strchr(p, '\n');
				if (p)
					*p++ = '\0';
			}
		}
		rec.year = sqlite3_column_int(s, 5);
		rec.journal = (char *)sqlite3_column_text(s, 6);
		rec.volume = (char *)sqlite3_column_text(s, 7);
		rec.issue = (char *)sqlite3_column_text(s, 8);
		rec.pages = (char *)sqlite3_column_text(s, 9);
		rec.doi = (char *)sqlite3_column_text(s, 10);
		rec.pmid = (char *)sqlite3_column_text(s, 11);
		rec.language = (char *)sqlite3_column_text(s, 12);
		rec.issn = (char *)sqlite3_column_text(s, 13);
		rec.isbn = (char *)sqlite3_column_text(s, 14);
		qes__dd_rec *d = &r->recs[r->n];
		if (qes__dd_prepare(d, &rec, &scratch)) {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
			goto out;
		}
		/* Only what comparing needs outlives the row. */
		d->id = sqlite3_column_int64(s, 0);
		d->key = keep(&r->arena, d->key);
		const char *tkey = d->tkey, *title = d->title;
		d->tkey = keep(&r->arena, tkey);
		/* The words too: titles worded differently are compared word
		 * by word (a translated title against the other version). */
		d->title = keep(&r->arena, title);
		d->nums = keep(&r->arena, d->nums);
		d->authors = keep(&r->arena, d->authors);
		d->journal = keep(&r->arena, d->journal);
		d->journal_main = keep(&r->arena, d->journal_main);
		d->first_alt = keep(&r->arena, d->first_alt);
		d->doi = keep(&r->arena, d->doi);
		d->pmid = keep(&r->arena, d->pmid);
		d->lang = keep(&r->arena, d->lang);
		if ((tkey && !d->tkey) || (title && !d->title) || d->key == NULL) {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
			goto out;
		}
		r->n++;
	}
	rc = rc == SQLITE_DONE ? 0 : qes_store_sqlerr(r->st, err, "reading records");
out:
	sqlite3_finalize(s);
	qes__arena_free(&scratch);
	return rc;
}

/* Index of record id, or -1 (records are loaded in id order). */
static long index_of(const run *r, long long id)
{
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->recs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->n && r->recs[lo].id == id ? (long)lo : -1;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

/* Earlier clusters stay together; a person's merges join, their
 * "distinct" keeps apart; every pair already in dedup_pairs is remembered
 * so this run neither re-queues it nor merges it behind a person's back. */
static int load_state(run *r, qes_error *err)
{
	sqlite3 *db = qes_store_db(r->st);
	sqlite3_stmt *s = NULL;
	int rc = 0;
	r->cluster = calloc(r->n ? r->n : 1, sizeof(*r->cluster));
	r->uf = qes__dd_uf_new(r->recs, r->n);
	if (!r->cluster || !r->uf)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	if (sqlite3_prepare_v2(db, "SELECT m.record_id, m.cluster_id FROM dedup_members m"
			       " JOIN dedup_clusters c ON c.id = m.cluster_id"
			       " WHERE c.status = 'active' ORDER BY m.cluster_id", -1, &s, NULL))
		return qes_store_sqlerr(r->st, err, "reading clusters");
	long long cur = 0;
	long first = -1;
	while (sqlite3_step(s) == SQLITE_ROW) {
		long i = index_of(r, sqlite3_column_int64(s, 0));
		long long c = sqlite3_column_int64(s, 1);
		if (i < 0)
			continue;
		r->cluster[i] = c;
		if (c != cur) {
			cur = c;
			first = i;
		} else if (qes__dd_uf_join(r->uf, (size_t)first, (size_t)i, 1) < 0) {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
			break;
		}
	}
	sqlite3_finalize(s);
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(db, "SELECT a, b, status FROM dedup_pairs", -1, &s, NULL))
		return qes_store_sqlerr(r->st, err, "reading the review queue");
	size_t cap = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		long i = index_of(r, sqlite3_column_int64(s, 0));
		long j = index_of(r, sqlite3_column_int64(s, 1));
		const char *st = (const char *)sqlite3_column_text(s, 2);
		if (i < 0 || j < 0 || !st)
			continue;
		if (r->ndecided == cap) {
			cap = cap ? cap * 2 : 256;
			uint64_t *g = realloc(r->decided, cap * sizeof(*g));
			if (!g) {
				rc = qes_error_set(err, QES_ENOMEM, "out of memory");
				break;
			}
			r->decided = g;
		}
		/* Pack the status into the low bits of a separate sort: keep a
		 * parallel array sorted together by encoding status in bits 62-63. */
		uint64_t code = st[0] == 'm' ? 1 : st[0] == 'd' ? 2 : st[0] == 's' ? 3 : 0;
		r->decided[r->ndecided++] = code << 62 | (uint64_t)i << 31 | (uint64_t)j;
		int jr = 0;
		if (code == 1)
			jr = qes__dd_uf_join(r->uf, (size_t)i, (size_t)j, 1);
		else if (code == 2)
			jr = qes__dd_uf_apart(r->uf, (size_t)i, (size_t)j);
		if (jr < 0) {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
			break;
		}
	}
	sqlite3_finalize(s);
	if (rc)
		return rc;
	/* Sort by pair, status bits masked off for lookups. */
	for (size_t k = 0; k < r->ndecided; k++) {
		uint64_t v = r->decided[k];
		r->decided[k] = (v & ((1ull << 62) - 1)) << 2 | v >> 62;
	}
	if (r->ndecided)
		qsort(r->decided, r->ndecided, sizeof(uint64_t), cmp_u64);
	return 0;
}

/* The status a person gave pair (i, j): -1 none, else 0 pending, 1 merge,
 * 2 distinct, 3 skip. */
static int decided(const run *r, size_t i, size_t j)
{
	uint64_t key = ((uint64_t)i << 31 | (uint64_t)j) << 2;
	size_t lo = 0, hi = r->ndecided;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if ((r->decided[mid] & ~3ull) < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->ndecided && (r->decided[lo] & ~3ull) == key ? (int)(r->decided[lo] & 3) : -1;
}

static int compare_pairs(run *r, qes_error *err)
{
	r->verdict = malloc(r->npairs + 1);
	r->outcome = calloc(r->npairs + 1, 1);
	r->score = malloc((r->npairs + 1) * sizeof(float));
	if (!r->verdict || !r->outcome || !r->score)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	for (size_t k = 0; k < r->npairs; k++) {
		size_t i = r->pairs[k] >> 32, j = r->pairs[k] & 0xffffffffu;
		double t;
		r->verdict[k] = (unsigned char)qes__dd_compare(&r->recs[i], &r->recs[j], &t, NULL, 0);
		r->score[k] = (float)t;
		if (r->verdict[k] == QES_DEDUP_APART && qes__dd_uf_apart(r->uf, i, j))
			return qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	return 0;
}


static const float *sort_scores;
static int cmp_score(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	if (sort_scores[a] != sort_scores[b])
		return sort_scores[a] > sort_scores[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Certain pairs best first, so a doubtful link never pre-empts a sure one. */
static int cluster_pairs(run *r, qes_dedup_result *res, qes_error *err)
{
	size_t ns = 0;
	size_t *idx = malloc((r->npairs + 1) * sizeof(size_t));
	if (!idx)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	for (size_t k = 0; k < r->npairs; k++)
		if (r->verdict[k] == QES_DEDUP_SAME)
			idx[ns++] = k;
	sort_scores = r->score;

	qsort(idx, ns, sizeof(size_t), cmp_score);
	int rc = 0;
	for (size_t m = 0; m < ns; m++) {
		size_t k = idx[m], i = r->pairs[k] >> 32, j = r->pairs[k] & 0xffffffffu;
		int d = decided(r, i, j);
		if (d == 1) {
			r->outcome[k] = OUT_DECIDED;
			continue;
		}
		if (d >= 0) {   /* a person has it, or undid it: not ours to merge */
			r->outcome[k] = OUT_DECIDED;
			continue;
		}
		int was = qes__dd_uf_find(r->uf, i) == qes__dd_uf_find(r->uf, j);
		int j2 = qes__dd_uf_join(r->uf, i, j, 0);
		if (j2 < 0) {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
			break;
		}
		r->outcome[k] = was ? OUT_ALREADY : j2 ? OUT_MERGED : OUT_REFUSED;
		if (!j2)
			res->blocked++;
	}
	free(idx);
	return rc;
}

/* Pairs for a person: unsure ones and refused merges, unless their records
 * ended up together anyway or the pair is already in the queue. */
static void mark_queue(run *r)
{
	for (size_t k = 0; k < r->npairs; k++) {
		size_t i = r->pairs[k] >> 32, j = r->pairs[k] & 0xffffffffu;
		unsigned char v = r->verdict[k];
		if (v == QES_DEDUP_APART)
			r->outcome[k] = OUT_APART;
		if (!(v == QES_DEDUP_UNSURE || r->outcome[k] == OUT_REFUSED))
			continue;
		if (decided(r, i, j) >= 0) {
			r->outcome[k] = OUT_DECIDED;
			continue;
		}
		if (qes__dd_uf_find(r->uf, i) == qes__dd_uf_find(r->uf, j)) {
			r->outcome[k] = OUT_ALREADY;
			continue;
		}
		r->outcome[k] = OUT_QUEUED;
	}
}

static void explain(run *r)
{
	static const char *const words[] = { "not merged", "merged", "in one cluster already",
		"queued for review", "kept apart", "not merged: its cluster has another DOI or a pair kept apart",
		"left to the reviewer's decision" };
	for (size_t k = 0; k < r->npairs; k++) {
		size_t i = r->pairs[k] >> 32, j = r->pairs[k] & 0xffffffffu;
		char why[512];
		qes_dedup_explain e;
		double t;
		e.verdict = qes__dd_compare(&r->recs[i], &r->recs[j], &t, why, sizeof(why));
		e.a = r->recs[i].id;
		e.b = r->recs[j].id;
		e.key_a = r->recs[i].key;
		e.key_b = r->recs[j].key;
		e.title_sim = t;
		e.why = why;
		e.outcome = words[r->outcome[k]];
		r->o->explain(r->o->ud, &e);
	}
}

static void release(run *r)
{
	qes__arena_free(&r->arena);
	free(r->recs);
	free(r->cluster);
	free(r->pairs);
	free(r->verdict);
	free(r->outcome);
	free(r->score);
	free(r->decided);
	qes__dd_uf_free(r->uf);
}

int qes_dedup_run(qes_store *st, const qes_dedup_opts *o, qes_dedup_result *res,
		  qes_error *err)
{
	static const qes_dedup_opts none;
	run r;
	memset(&r, 0, sizeof(r));
	memset(res, 0, sizeof(*res));
	r.st = st;
	r.o = o ? o : &none;
	qes__arena_init(&r.arena, 1 << 20);
	int rc = load_records(&r, err);
	if (!rc && r.n > 0xffffffffu)
		rc = qes_error_set(err, QES_ELIMIT, "too many records to deduplicate at once");
	if (!rc)
		rc = load_state(&r, err);
	if (!rc && qes__dd_block(r.recs, r.n, &r.pairs, &r.npairs))
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
	if (!rc)
		rc = compare_pairs(&r, err);
	if (!rc)
		rc = cluster_pairs(&r, res, err);
	if (rc)
		goto out;
	mark_queue(&r);
	res->records = (long)r.n;
	res->pairs = (long)r.npairs;
	if (r.o->explain)
		explain(&r);
	qes__dd_write_input in = { r.recs, r.n, r.cluster, r.pairs, r.npairs, r.outcome,
				   r.score, r.uf };
	rc = qes__dd_write(st, &in, r.o->dry_run, res, err);
out:
	release(&r);
	return rc;
}
