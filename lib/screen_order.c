/* screen_order.c: the order in which a reviewer is offered records (id,
 * random, prioritised) and the stopping estimate.
 *
 * An orderer caches the text features of the screening units (built once)
 * and a ranking session (qes/rank.h). After each decision the screener calls
 * qes_orderer_update(): it re-reads the labels the reviewer may see and, in
 * background mode, wakes the orderer's thread, which retrains while the
 * reviewer reads the next record. qes_orderer_next() never waits for it: it
 * reads the latest finished scores (the rank session is thread-safe). The
 * thread touches only the rank session, never the store.
 *
 * Blinding lives in visible_sql: a label is the record's outcome when the
 * record is complete (every decision its policy needs, or resolved), else
 * the reviewer's own decision, else none. Another reviewer's decision on an
 * incomplete record is never read. */
#include "screen_internal.h"
#include "qes/rank.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* "Why here" names the terms a person can read as reasons: the model also
 * weighs function words ("to", "of"), which explain nothing. */
static const char *const stop_words[] = {
	"a", "about", "after", "all", "also", "among", "an", "and", "any", "are", "as", "at",
	"be", "been", "between", "both", "but", "by", "can", "could", "did", "do", "does",
	"during", "each", "for", "from", "had", "has", "have", "how", "however", "if", "in",
	"into", "is", "it", "its", "may", "more", "most", "no", "not", "of", "on", "or",
	"other", "our", "over", "s", "such", "than", "that", "the", "their", "them", "then",
	"there", "these", "they", "this", "those", "through", "to", "under", "up", "was",
	"we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
	"with", "within", "would",
};

static int cmp_word(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 1 when the term (a word or "word word") has a stop word in it. */
static int has_stop_word(const char *term)
{
	char w[96];
	while (*term) {
		size_t n = strcspn(term, " ");
		if (n && n < sizeof(w)) {
			memcpy(w, term, n);
			w[n] = '\0';
			const char *key = w;
			if (bsearch(&key, stop_words, sizeof(stop_words) / sizeof(stop_words[0]),
				    sizeof(stop_words[0]), cmp_word))
				return 1;
		}
		term += n;
		while (*term == ' ')
			term++;
	}
	return 0;
}

static const char *const order_names[] = { "auto", "id", "random", "prioritised" };

int qes_screen_order_parse(const char *s, qes_screen_order *out, qes_error *err)
{
	for (int i = 0; s && i < 4; i++)
		if (!strcasecmp(s, order_names[i])) {
			*out = (qes_screen_order)i;
			return 0;
		}
	if (s && !strcasecmp(s, "prioritized")) {
		*out = QES_ORDER_PRIORITISED;
		return 0;
	}
	return qes_error_set(err, QES_EINVAL,
			     "no such order '%s' (prioritised, random or id)", s ? s : "");
}

const char *qes_screen_order_name(qes_screen_order o)
{
	return o >= QES_ORDER_AUTO && o <= QES_ORDER_PRIORITISED ? order_names[o] : "";
}

/* Per record of the stage: the label the reviewer ?1 may see (1 include,
 * 0 exclude, NULL none) and whether they still have to screen it. */
static const char *const visible_sql[] = {
	"SELECT o.record_id,"
	" CASE WHEN o.resolved IS NOT NULL OR o.n >= o.need THEN"
	"   CASE o.outcome WHEN 'include' THEN 1 WHEN 'exclude' THEN 0 END END,"
	" (SELECT decision FROM screen_decisions d WHERE d.record_id = o.record_id"
	"   AND d.stage = 'ta' AND d.reviewer_id = ?1),"
	" o.resolved IS NULL AND o.n < o.need, o.need - o.n"
	" FROM screen_outcome_ta o",
	"SELECT o.record_id,"
	" CASE WHEN o.resolved IS NOT NULL OR o.n >= o.need THEN"
	"   CASE o.outcome WHEN 'include' THEN 1 WHEN 'exclude' THEN 0 END END,"
	" (SELECT decision FROM screen_decisions d WHERE d.record_id = o.record_id"
	"   AND d.stage = 'ft' AND d.reviewer_id = ?1),"
	" o.resolved IS NULL AND o.n < o.need AND EXISTS (SELECT 1 FROM fulltexts f"
	"   WHERE f.record_id = o.record_id AND f.status IN ('attached', 'retrieved')), o.need - o.n"
	" FROM screen_outcome_ft o",
};

/* One row of visible_sql read: label -1/0/1, mine (own decision or NONE),
 * todo (the reviewer may still screen it). */
typedef struct vis_row {
	long long id;
	int label, todo;           /* todo: the decisions it still needs (0: none) */
	qes_decision mine;
} vis_row;

static void vis_read(sqlite3_stmt *s, vis_row *v)
{
	v->id = sqlite3_column_int64(s, 0);
	v->label = sqlite3_column_type(s, 1) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 1);
	v->mine = QES_DEC_NONE;
	if (sqlite3_column_type(s, 2) != SQLITE_NULL)
		qes_decision_parse((const char *)sqlite3_column_text(s, 2), &v->mine, NULL);
	v->todo = 0;
	if (sqlite3_column_int(s, 3) && v->mine == QES_DEC_NONE) {
		int left = sqlite3_column_int(s, 4);
		v->todo = left < 1 ? 1 : left > 255 ? 255 : left;
	}
	if (v->label < 0 && v->mine == QES_DEC_INCLUDE)
		v->label = 1;
	else if (v->label < 0 && v->mine == QES_DEC_EXCLUDE)
		v->label = 0;
}

struct qes_orderer {
	qes_store *st;
	char as[16];
	long long who;
	qes_stage stage;
	qes_orderer_opts o;
	size_t n;
	long long *ids;            /* index -> record id, ascending */
	uint32_t *tiebreak;        /* the random order: a permutation of 0..n-1 */
	signed char *label;        /* labels given to the session (-1 none) */
	unsigned char *todo;       /* refreshed by each next: decisions still needed */
	unsigned char *offered;    /* the order each record was last offered in, + 1
				    * (prioritised falls back to random until the
				    * model can rank; the log says which it was) */
	long npos, nneg;
	qes_rank_features *f;
	qes_rank *r;
	/* features_later: the thread that builds f and r on its own connection
	 * (path), handing them over in nf, nr (under mu; adopt() takes them). */
	char *path;
	pthread_t fth;
	int have_fthread, building;
	qes_rank_features *nf;
	qes_rank *nr;
	char build_err[160];
	int fresh;                 /* features_later: synced by qes_orderer_new just now;
				    * the next qes_orderer_next need not read the whole
				    * stage again (the web calls both in one request) */
	/* The retrain thread. */
	pthread_t th;
	int have_thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int dirty, busy, quit;
};

static long find_idx(const qes_orderer *q, long long id)
{
	size_t lo = 0, hi = q->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (q->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < q->n && q->ids[lo] == id ? (long)lo : -1;
}

static void *retrain_main(void *arg)
{
	qes_orderer *q = arg;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->dirty && !q->quit)
			pthread_cond_wait(&q->cv, &q->mu);
		if (q->quit)
			break;
		q->dirty = 0;
		q->busy = 1;
		pthread_mutex_unlock(&q->mu);
		qes_error err;
		qes_rank_retrain(q->r, &err);   /* ECONFLICT (one class only): order stays */
		pthread_mutex_lock(&q->mu);
		q->busy = 0;
		pthread_cond_broadcast(&q->cv);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* The features of a pool are the same for every reviewer (they depend on
 * the records' text only), and at 10,000 records they take seconds to build
 * and tens of megabytes to hold; the orderers of one process share them.
 * An entry is found by the pool's size and a hash of its ids and texts and
 * freed with its last orderer. Built under the lock: a second reviewer
 * starting on the same pool waits for the first build, not for its own. */
typedef struct shared_features {
	struct shared_features *next;
	uint64_t key;
	size_t n;
	int refs;
	qes_rank_features *f;
} shared_features;

static pthread_mutex_t shared_mu = PTHREAD_MUTEX_INITIALIZER;
static shared_features *shared_head;

static uint64_t fnv_add(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (h ^ (s ? 0x1f : 0x1e)) * 1099511628211ull;   /* field end; NULL differs from "" */
}

static int features_acquire(qes_rank_features **out, const qes_rank_item *items, size_t n,
			    const qes_rank_opts *ro, qes_error *err)
{
	uint64_t key = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		key = fnv_add(key, items[i].id);
		key = fnv_add(key, items[i].title);
		key = fnv_add(key, items[i].abstract);
		key = fnv_add(key, items[i].keywords);
	}
	int rc = 0;
	pthread_mutex_lock(&shared_mu);
	shared_features *e = shared_head;
	while (e && (e->key != key || e->n != n))
		e = e->next;
	if (e) {
		e->refs++;
		*out = e->f;
		goto out;
	}
	if (!(e = calloc(1, sizeof(*e)))) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = qes_rank_features_build(&e->f, items, n, ro, err))) {
		free(e);
		goto out;
	}
	e->key = key;
	e->n = n;
	e->refs = 1;
	e->next = shared_head;
	shared_head = e;
	*out = e->f;
out:
	pthread_mutex_unlock(&shared_mu);
	return rc;
}

static void features_release(qes_rank_features *f)
{
	pthread_mutex_lock(&shared_mu);
	for (shared_features **pe = &shared_head; *pe; pe = &(*pe)->next) {
		shared_features *e = *pe;
		if (e->f != f)
			continue;
		if (--e->refs == 0) {
			*pe = e->next;
			qes_rank_features_free(e->f);
			free(e);
		}
		break;
	}
	pthread_mutex_unlock(&shared_mu);
}

const qes_rank_features *qes_orderer_features(const qes_orderer *q)
{
	return q->f;
}

/* The random order: a permutation drawn from the seed; tiebreak[i] is
 * record i's place in it. */
static int make_tiebreak(qes_orderer *q, qes_error *err)
{
	uint32_t *perm = malloc((q->n ? q->n : 1) * sizeof(*perm));
	q->tiebreak = malloc((q->n ? q->n : 1) * sizeof(*q->tiebreak));
	if (!perm || !q->tiebreak) {
		free(perm);
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	qes_rank_shuffle(perm, q->n, q->o.seed);
	for (size_t i = 0; i < q->n; i++)
		q->tiebreak[perm[i]] = (uint32_t)i;
	free(perm);
	return 0;
}

/* features_later: only the ids of the screening units (8 bytes a record),
 * so that the orderer can answer in random order at once. */
static int load_ids(qes_orderer *q, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	int step, rc = qes__screen_stmt(q->st, &s, "SELECT record_id FROM screen_units"
					     " ORDER BY record_id", err);
	if (rc)
		return rc;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (q->n == cap) {
			cap = cap ? cap * 2 : 256;
			void *a = realloc(q->ids, cap * sizeof(*q->ids));
			if (!a) {
				sqlite3_finalize(s);
				return qes_error_set(err, QES_ENOMEM, "out of memory");
			}
			q->ids = a;
		}
		q->ids[q->n++] = sqlite3_column_int64(s, 0);
	}
	if (step != SQLITE_DONE)
		rc = qes_store_sqlerr(q->st, err, "reading the records to rank");
	sqlite3_finalize(s);
	return rc ? rc : make_tiebreak(q, err);
}

/* features_later, in its thread, on a connection of its own: the texts of
 * the ids the orderer has (a record imported since is not among them), the
 * features (shared with the process's other orderers) and the model. */
static void *build_main(void *arg)
{
	qes_orderer *q = arg;
	qes_error err;
	qes_error_clear(&err);
	qes_store *st = NULL;
	sqlite3_stmt *s = NULL;
	qes_rank_item *items = calloc(q->n ? q->n : 1, sizeof(*items));
	char (*keys)[24] = calloc(q->n ? q->n : 1, sizeof(*keys));
	qes_rank_features *f = NULL;
	qes_rank *r = NULL;
	int rc = !items || !keys ? qes_error_set(&err, QES_ENOMEM, "out of memory") : 0;
	if (!rc && !(rc = qes_store_open(&st, q->path, &err)) && !(rc = qes__screen_prepare(st, &err)))
		rc = qes__screen_stmt(st, &s, "SELECT r.id, r.title, r.abstract, r.keywords"
				      " FROM screen_units u JOIN records r ON r.id = u.record_id"
				      " ORDER BY r.id", &err);
	for (size_t i = 0; !rc && i < q->n; i++) {
		snprintf(keys[i], sizeof(keys[i]), "%lld", q->ids[i]);
		items[i].id = keys[i];
	}
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		long i = find_idx(q, sqlite3_column_int64(s, 0));
		if (i < 0)
			continue;
		const char **t[3] = { &items[i].title, &items[i].abstract, &items[i].keywords };
		for (int c = 0; c < 3; c++) {
			const unsigned char *v = sqlite3_column_text(s, c + 1);
			if (v && !(*t[c] = strdup((const char *)v)))
				rc = qes_error_set(&err, QES_ENOMEM, "out of memory");
		}
	}
	if (!rc && step != SQLITE_DONE)
		rc = qes_store_sqlerr(st, &err, "reading the records to rank");
	sqlite3_finalize(s);
	qes_store_close(st);
	qes_rank_opts ro;
	qes_rank_opts_default(&ro);
	if (!rc && !(rc = features_acquire(&f, items, q->n, &ro, &err)) &&
	    (rc = qes_rank_new(&r, f, q->tiebreak, &ro, &err))) {
		features_release(f);
		f = NULL;
	}
	for (size_t i = 0; items && i < q->n; i++) {
		free((char *)items[i].title);
		free((char *)items[i].abstract);
		free((char *)items[i].keywords);
	}
	free(items);
	free(keys);
	pthread_mutex_lock(&q->mu);
	q->nf = f;
	q->nr = r;
	q->building = 0;
	if (rc)
		snprintf(q->build_err, sizeof(q->build_err), "%.150s", err.message);
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* The owner's thread takes over what build_main made: the labels seen so
 * far go to the new model, which then trains. */
static int adopt(qes_orderer *q, qes_error *err)
{
	if (q->r || !q->have_fthread)
		return 0;
	pthread_mutex_lock(&q->mu);
	int ready = !q->building;
	pthread_mutex_unlock(&q->mu);
	if (!ready)
		return 0;
	pthread_join(q->fth, NULL);
	q->have_fthread = 0;
	q->f = q->nf;
	q->r = q->nr;
	q->nf = NULL;
	q->nr = NULL;
	if (!q->r)
		return 0;   /* the build failed (build_err): random order goes on */
	for (size_t i = 0; i < q->n; i++)
		if (q->label[i] >= 0) {
			int rc = qes_rank_label(q->r, i, q->label[i], 0, err);
			if (rc)
				return rc;
		}
	return 0;
}

/* The features of every screening unit: title, abstract, keywords. */
static int load_items(qes_orderer *q, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	qes_rank_item *items = NULL;
	char (*keys)[24] = NULL;
	char **text = NULL;
	size_t cap = 0, ntext = 0;
	int step, rc = qes__screen_stmt(q->st, &s, "SELECT r.id, r.title, r.abstract, r.keywords"
					     " FROM screen_units u JOIN records r ON r.id = u.record_id"
					     " ORDER BY r.id", err);
	if (rc)
		goto out;
	/* The strings live in the statement only until the next step: copy. */
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (q->n == cap) {
			cap = cap ? cap * 2 : 256;
			void *a = realloc(q->ids, cap * sizeof(*q->ids));
			if (a)
				q->ids = a;
			void *b = realloc(text, cap * 3 * sizeof(*text));
			if (b)
				text = b;
			if (!a || !b) {
				rc = qes_error_set(err, QES_ENOMEM, "out of memory");
				goto out;
			}
		}
		q->ids[q->n] = sqlite3_column_int64(s, 0);
		for (int c = 0; c < 3; c++) {
			const unsigned char *v = sqlite3_column_text(s, c + 1);
			text[q->n * 3 + (size_t)c] = v ? strdup((const char *)v) : NULL;
			ntext = q->n * 3 + (size_t)c + 1;
			if (v && !text[ntext - 1]) {
				rc = qes_error_set(err, QES_ENOMEM, "out of memory");
				goto out;
			}
		}
		q->n++;
	}
	if (step != SQLITE_DONE) {
		rc = qes_store_sqlerr(q->st, err, "reading the records to rank");
		goto out;
	}
	items = calloc(q->n ? q->n : 1, sizeof(*items));
	keys = calloc(q->n ? q->n : 1, sizeof(*keys));
	if (!items || !keys) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < q->n; i++) {
		snprintf(keys[i], sizeof(keys[i]), "%lld", q->ids[i]);
		items[i] = (qes_rank_item){ keys[i], text[i * 3], text[i * 3 + 1], text[i * 3 + 2] };
	}
	if (!q->n)
		goto out;   /* nothing to screen: no model, every next answers 0 */
	qes_rank_opts ro;
	qes_rank_opts_default(&ro);
	if ((rc = features_acquire(&q->f, items, q->n, &ro, err)) || (rc = make_tiebreak(q, err)))
		goto out;
	rc = qes_rank_new(&q->r, q->f, q->tiebreak, &ro, err);
out:
	for (size_t i = 0; i < ntext; i++)
		free(text[i]);
	free(text);
	sqlite3_finalize(s);
	free(items);
	free(keys);
	return rc;
}

/* Reads the visible labels and what the reviewer still has to screen;
 * gives changed labels to the session. *changed: 1 when a label changed. */
static int sync(qes_orderer *q, int *changed, qes_error *err)
{
	sqlite3_stmt *s;
	*changed = 0;
	int had = q->r != NULL, rc = adopt(q, err);
	if (rc)
		return rc;
	if (!had && q->r)
		*changed = 1;   /* a model that has not learnt the labels yet */
	rc = qes__screen_stmt(q->st, &s, visible_sql[q->stage], err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, q->who);
	memset(q->todo, 0, q->n);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		vis_row v;
		vis_read(s, &v);
		long i = find_idx(q, v.id);
		if (i < 0)
			continue;   /* not a unit when the orderer was made */
		q->todo[i] = (unsigned char)v.todo;
		if (v.label == q->label[i])
			continue;
		q->npos += (v.label == 1) - (q->label[i] == 1);
		q->nneg += (v.label == 0) - (q->label[i] == 0);
		q->label[i] = (signed char)v.label;
		if (q->r && (rc = qes_rank_label(q->r, (size_t)i, v.label, 0, err)))
			break;
		*changed = 1;
	}
	if (!rc && step != SQLITE_DONE)
		rc = qes_store_sqlerr(q->st, err, "reading decisions to rank");
	sqlite3_finalize(s);
	return rc;
}

/* Retrain now, or wake the thread. */
static void kick(qes_orderer *q)
{
	if (!q->r || q->npos < 1 || q->nneg < 1)
		return;
	if (!q->have_thread) {
		qes_error err;
		qes_rank_retrain(q->r, &err);
		return;
	}
	pthread_mutex_lock(&q->mu);
	q->dirty = 1;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

static unsigned long long seed_of(const char *as, qes_stage stage)
{
	unsigned long long h = 1469598103934665603ULL;   /* FNV-1a */
	for (const char *p = as; *p; p++)
		h = (h ^ (unsigned char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p)) * 1099511628211ULL;
	return h ^ (unsigned long long)stage;
}

int qes_orderer_new(qes_orderer **out, qes_store *st, const char *as, qes_stage stage,
		    const qes_orderer_opts *o, qes_error *err)
{
	static const qes_orderer_opts defaults;
	*out = NULL;
	qes_orderer *q = calloc(1, sizeof(*q));
	if (!q)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	q->st = st;
	q->stage = stage;
	q->o = o ? *o : defaults;
	if (q->o.order == QES_ORDER_AUTO)
		q->o.order = stage == QES_STAGE_TA ? QES_ORDER_PRIORITISED : QES_ORDER_RANDOM;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	int rc = qes__screen_prepare(st, err);
	if (rc || (rc = qes__reviewer_lookup(st, as, &q->who, NULL, err)))
		goto out;
	snprintf(q->as, sizeof(q->as), "%s", as);
	if (!q->o.seed)
		q->o.seed = seed_of(as, stage);
	int later = q->o.features_later > 0 && q->o.background && q->o.order == QES_ORDER_PRIORITISED;
	if (later) {
		/* The ids first: a small pool is built at once as before. */
		if ((rc = load_ids(q, err)))
			goto out;
		if (q->n < (size_t)q->o.features_later) {
			later = 0;
			free(q->ids);
			free(q->tiebreak);
			q->ids = NULL;
			q->tiebreak = NULL;
			q->n = 0;
		}
	}
	if (!later && (rc = load_items(q, err)))
		goto out;
	q->label = malloc(q->n ? q->n : 1);
	q->todo = calloc(q->n ? q->n : 1, 1);
	q->offered = calloc(q->n ? q->n : 1, 1);
	if (!q->label || !q->todo || !q->offered) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	memset(q->label, -1, q->n);
	int changed;
	if ((rc = sync(q, &changed, err)))
		goto out;
	/* The first model is fitted here, before the reviewer starts; with
	 * features_later, once the features are built. */
	if (later && q->n) {
		const char *path = qes_store_path(st);
		if (!path || !(q->path = strdup(path))) {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
			goto out;
		}
		q->building = 1;
		if (pthread_create(&q->fth, NULL, build_main, q)) {
			q->building = 0;
			rc = qes_error_set(err, QES_ENOMEM, "cannot start the features thread");
			goto out;
		}
		q->have_fthread = 1;
		q->fresh = 1;
	}
	if (q->o.order == QES_ORDER_PRIORITISED)
		kick(q);
	if (q->o.background && q->o.order == QES_ORDER_PRIORITISED) {
		if (pthread_create(&q->th, NULL, retrain_main, q)) {
			rc = qes_error_set(err, QES_ENOMEM, "cannot start the retrain thread");
			goto out;
		}
		q->have_thread = 1;
	}
out:
	if (rc)
		qes_orderer_free(q);
	else
		*out = q;
	return rc;
}

void qes_orderer_free(qes_orderer *q)
{
	if (!q)
		return;
	if (q->have_fthread) {
		/* The build cannot be stopped half way: wait for it, then drop it. */
		pthread_join(q->fth, NULL);
		if (q->nr)
			qes_rank_free(q->nr);
		if (q->nf)
			features_release(q->nf);
	}
	free(q->path);
	if (q->have_thread) {
		pthread_mutex_lock(&q->mu);
		q->quit = 1;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
		pthread_join(q->th, NULL);
	}
	pthread_cond_destroy(&q->cv);
	pthread_mutex_destroy(&q->mu);
	if (q->r)
		qes_rank_free(q->r);
	if (q->f)
		features_release(q->f);
	free(q->ids);
	free(q->tiebreak);
	free(q->label);
	free(q->todo);
	free(q->offered);
	free(q);
}

int qes_orderer_update(qes_orderer *q, qes_error *err)
{
	int changed;
	q->fresh = 0;
	int rc = sync(q, &changed, err);
	if (!rc && changed && q->o.order == QES_ORDER_PRIORITISED)
		kick(q);
	return rc;
}

void qes_orderer_wait(qes_orderer *q)
{
	if (q->have_fthread) {
		pthread_mutex_lock(&q->mu);
		while (q->building)
			pthread_cond_wait(&q->cv, &q->mu);
		pthread_mutex_unlock(&q->mu);
		qes_error err;
		int changed;
		if (!sync(q, &changed, &err) && changed)
			kick(q);
	}
	if (!q->have_thread)
		return;
	pthread_mutex_lock(&q->mu);
	while (q->dirty || q->busy)
		pthread_cond_wait(&q->cv, &q->mu);
	pthread_mutex_unlock(&q->mu);
}

/* a comes before b in the order: higher score, then the random order. */
static int before(const qes_orderer *q, const double *sc, size_t a, size_t b)
{
	if (sc[a] != sc[b])
		return sc[a] > sc[b];
	return q->tiebreak[a] < q->tiebreak[b];
}

int qes_orderer_next(qes_orderer *q, long long after, long long *record_id,
		     qes_order_info *info, qes_error *err)
{
	return qes_orderer_next_free(q, after, NULL, NULL, record_id, info, err);
}

int qes_orderer_next_free(qes_orderer *q, long long after, qes_orderer_taken_fn taken, void *ud,
			  long long *record_id, qes_order_info *info, qes_error *err)
{
	qes_order_info dummy;
	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	*record_id = 0;
	info->order = q->o.order;
	if (q->o.order == QES_ORDER_ID)
		return qes_screen_next(q->st, q->as, q->stage, after, record_id, err);
	int changed = 0, rc = q->fresh ? 0 : sync(q, &changed, err);
	q->fresh = 0;
	if (rc)
		return rc;
	info->labelled = q->npos + q->nneg;
	info->relevant = q->npos;
	info->retrains = q->r ? qes_rank_retrains(q->r, &info->retrain_ms) : 0;
	if (changed && q->o.order == QES_ORDER_PRIORITISED)
		kick(q);   /* the features just arrived (or a label changed) */
	int use_scores = q->o.order == QES_ORDER_PRIORITISED;
	if (use_scores && !q->r) {
		use_scores = 0;
		if (q->build_err[0])
			snprintf(info->why_not, sizeof(info->why_not),
				 "random order: the ranking features could not be built (%.100s)",
				 q->build_err);
		else
			snprintf(info->why_not, sizeof(info->why_not),
				 "random order while the ranking features of %zu records are built", q->n);
	} else if (use_scores && (q->npos < 1 || q->nneg < 1)) {
		use_scores = 0;
		snprintf(info->why_not, sizeof(info->why_not),
			 "random order until there is one include and one exclude "
			 "(%ld and %ld so far)", q->npos, q->nneg);
	} else if (use_scores && info->retrains == 0) {
		use_scores = 0;
		snprintf(info->why_not, sizeof(info->why_not),
			 "random order while the first model trains");
	}
	if (!use_scores)
		info->order = QES_ORDER_RANDOM;
	double *sc = calloc(q->n ? q->n : 1, sizeof(*sc));
	if (!sc)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	for (size_t i = 0; use_scores && i < q->n; i++)
		if (q->todo[i])
			sc[i] = qes_rank_score(q->r, i);
	/* The best record; with after, the best of those after it, else wrap.
	 * First among the records others have not taken, then among all. */
	long ai = after > 0 ? find_idx(q, after) : -1;
	long best = -1;
	for (int pass = taken ? 0 : 1; pass < 2 && best < 0; pass++) {
		long best_after = -1;
		for (size_t i = 0; i < q->n; i++) {
			if (!q->todo[i] || (long)i == ai)
				continue;
			if (!pass && taken(ud, q->ids[i], q->todo[i]))
				continue;
			if (best < 0 || before(q, sc, i, (size_t)best))
				best = (long)i;
			if (ai >= 0 && before(q, sc, (size_t)ai, i) &&
			    (best_after < 0 || before(q, sc, i, (size_t)best_after)))
				best_after = (long)i;
		}
		if (best_after >= 0)
			best = best_after;
	}
	if (best < 0 && ai >= 0 && q->todo[ai])
		best = ai;   /* the skipped record is the only one left */
	if (best >= 0) {
		*record_id = q->ids[best];
		info->left = q->todo[best];
		q->offered[best] = (unsigned char)(info->order + 1);
		if (use_scores) {
			qes_rank_term t[24];
			info->score = sc[best];
			size_t k = qes_rank_explain(q->r, (size_t)best, t, 24), m = 0;
			for (size_t j = 0; j < k && m < 6; j++)
				if (!has_stop_word(t[j].term))
					snprintf(info->terms[m++], sizeof(info->terms[0]), "%.95s",
						 t[j].term);
			info->nterms = (int)m;
		}
	}
	free(sc);
	return 0;
}


/* --- Stopping ------------------------------------------------------------- */

/* The reviewer's random sample: records whose latest decision entry was
 * made in random order after their last decision in any other order (an
 * interrupted sample starts again), and still decided by them. */
static int sample_records(qes_store *st, long long who, qes_stage stage,
			  long long **ids, size_t *n, qes_error *err)
{
	sqlite3_stmt *s;
	*ids = NULL;
	*n = 0;
	int rc = qes__screen_stmt(st, &s,
		"WITH mine AS (SELECT id, record_id, coalesce(detail, '') AS detail"
		"  FROM screen_log WHERE reviewer_id = ?1 AND stage = ?2"
		"  AND action IN ('decide', 'change')),"
		" start AS (SELECT coalesce(max(id), 0) AS id FROM mine"
		"  WHERE detail <> 'order=random')"
		" SELECT DISTINCT m.record_id FROM mine m, start"
		" WHERE m.id > start.id AND EXISTS (SELECT 1 FROM screen_decisions d"
		"  WHERE d.record_id = m.record_id AND d.stage = ?2 AND d.reviewer_id = ?1)"
		" ORDER BY m.record_id", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, who);
	sqlite3_bind_text(s, 2, qes_stage_name(stage), -1, SQLITE_STATIC);
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			long long *nv = realloc(*ids, cap * sizeof(*nv));
			if (!nv) {
				rc = qes_error_set(err, QES_ENOMEM, "out of memory");
				break;
			}
			*ids = nv;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	if (!rc && step != SQLITE_DONE)
		rc = qes_store_sqlerr(st, err, "reading the random sample");
	sqlite3_finalize(s);
	return rc;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* One record's visible label, for since_relevant. */
typedef struct id_label {
	long long id;
	int label;          /* 1 relevant, 0 not, -1 not decided by the reviewer */
} id_label;

static int cmp_id_label(const void *a, const void *b)
{
	long long x = ((const id_label *)a)->id, y = ((const id_label *)b)->id;
	return (x > y) - (x < y);
}

/* The reviewer's decisions since their last relevant (or unsure) one,
 * newest first, each record once (a changed decision counts where it was
 * last made). */
static int since_relevant(qes_store *st, long long who, qes_stage stage, id_label *labels,
			  size_t n, long *out, qes_error *err)
{
	sqlite3_stmt *s;
	*out = 0;
	unsigned char *seen = calloc(n ? n : 1, 1);
	if (!seen)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	qsort(labels, n, sizeof(*labels), cmp_id_label);
	int rc = qes__screen_stmt(st, &s, "SELECT record_id FROM screen_log WHERE reviewer_id = ?1"
				  " AND stage = ?2 AND action IN ('decide', 'change') ORDER BY id DESC",
				  err);
	if (rc) {
		free(seen);
		return rc;
	}
	sqlite3_bind_int64(s, 1, who);
	sqlite3_bind_text(s, 2, qes_stage_name(stage), -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		id_label key = { sqlite3_column_int64(s, 0), 0 };
		id_label *v = bsearch(&key, labels, n, sizeof(*labels), cmp_id_label);
		if (!v || seen[v - labels] || v->label < 0)
			continue;   /* not in the stage now, counted already, or undone */
		seen[v - labels] = 1;
		if (v->label == 1)
			break;
		(*out)++;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = qes_store_sqlerr(st, err, "reading the screening log");
	sqlite3_finalize(s);
	free(seen);
	return rc;
}

int qes_screen_stopping(qes_store *st, const char *as, qes_stage stage, double target,
			double confidence, qes_rank_stop *out, qes_error *err)
{
	memset(out, 0, sizeof(*out));
	out->target = target > 0 ? target : 0.95;
	out->confidence = confidence > 0 ? confidence : 0.95;
	long long who, *sample = NULL;
	size_t nsample = 0, nlab = 0, caplab = 0;
	id_label *labels = NULL;
	sqlite3_stmt *s = NULL;
	int rc = qes__screen_prepare(st, err);
	if (rc || (rc = qes__reviewer_lookup(st, as, &who, NULL, err)) ||
	    (rc = sample_records(st, who, stage, &sample, &nsample, err)) ||
	    (rc = qes__screen_stmt(st, &s, visible_sql[stage], err)))
		goto out;
	sqlite3_bind_int64(s, 1, who);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		vis_row v;
		vis_read(s, &v);
		out->total++;
		if (nlab == caplab) {
			caplab = caplab ? caplab * 2 : 256;
			id_label *nl = realloc(labels, caplab * sizeof(*nl));
			if (!nl) {
				rc = qes_error_set(err, QES_ENOMEM, "out of memory");
				goto out;
			}
			labels = nl;
		}
		/* an unsure record may be relevant: it ends the run too */
		labels[nlab++] = (id_label){ v.id, v.mine == QES_DEC_NONE ? -1
					     : v.label == 1 || v.mine == QES_DEC_UNSURE };
		/* Screened: a decision the reviewer may see (unsure counts). */
		if (v.label < 0 && v.mine == QES_DEC_NONE && v.todo)
			continue;
		if (v.label < 0 && v.mine == QES_DEC_NONE && !v.todo)
			continue;   /* pending others, or a conflict: not known here */
		out->screened++;
		out->relevant += v.label == 1;
		if (nsample && bsearch(&v.id, sample, nsample, sizeof(*sample), cmp_ll)) {
			out->sample_n++;
			out->sample_relevant += v.label == 1;
		}
	}
	if (step != SQLITE_DONE) {
		rc = qes_store_sqlerr(st, err, "reading decisions for the stopping estimate");
		goto out;
	}
	/* Records left when the sample began: everything not screened before it. */
	if (out->sample_n > 0)
		out->sample_pool = out->total - (out->screened - out->sample_n);
	qes_rank_stop_test(out);
	rc = since_relevant(st, who, stage, labels, nlab, &out->since_relevant, err);
out:
	sqlite3_finalize(s);
	free(sample);
	free(labels);
	return rc;
}

int qes_orderer_decide(qes_orderer *q, long long record_id, qes_decision d,
		       const qes_decide_opts *o, qes_error *err)
{
	/* The order the record was offered in: a prioritised session offers
	 * records at random until its model can rank them. */
	qes_screen_order used = q->o.order;
	long i = find_idx(q, record_id);
	if (i >= 0 && q->offered && q->offered[i])
		used = (qes_screen_order)(q->offered[i] - 1);
	char detail[32];
	snprintf(detail, sizeof(detail), "order=%s", qes_screen_order_name(used));
	int rc = qes__screen_prepare(q->st, err);
	if (rc || (rc = qes_store_begin(q->st, err)))
		return rc;
	rc = qes__screen_decide_detail(q->st, q->as, q->stage, record_id, d, o, "decide",
				       detail, err);
	if (!rc)
		rc = qes_store_commit(q->st, err);
	if (rc) {
		qes_store_rollback(q->st);
		return rc;
	}
	return qes_orderer_update(q, err);
}

void qes_screen_stopping_sentence(const qes_rank_stop *st, char *buf, size_t len)
{
	qes_rank_stop_sentence(st, buf, len);
	size_t n = strlen(buf);
	if (!strstr(buf, "Callaghan") && n + 1 < len)
		snprintf(buf + n, len - n, " (Stopping rule: Callaghan & Mueller-Hansen 2020, "
			 "Systematic Reviews 9:273, recall target %.0f%%.)", st->target * 100);
}
