/* api_screen.c: screening through the web. Who may screen is decided here
 * (role and the reviewer the user is mapped to); everything else, blinding
 * included, is the screening library's: the answer carries the record and
 * the asking reviewer's own progress, never another reviewer's decision.
 *
 * The order is the terminal screener's (qes_orderer_*, "auto": prioritised
 * at title/abstract, random at full text). An orderer holds the features of
 * the pool and a model, so building one per request would cost a feature
 * pass each time; it is kept per (review, reviewer, stage) in a small cache.
 * An orderer is tied to one SQLite connection that only one thread may use
 * at a time (the stores are opened NOMUTEX), so each cached orderer owns a
 * connection of its own and a mutex: whichever worker thread serves the
 * reviewer takes the mutex and uses that orderer and its connection. A
 * reviewer's requests are naturally one at a time, so the mutex is hardly
 * ever contended; different reviewers never wait for each other. */
#include "web.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "arena.h"
#include "qes/limits.h"
#include "qes/record.h"
#include "qes/screen.h"

#define ORDER_CACHE_MAX 128   /* reviewers x stages kept; the least recently used goes */
#define KEYWORD_MAX 200       /* bytes of a keyword added from the page */
#define RECHECK_SECONDS 5     /* how often a cached orderer looks for new records */
/* From this many records the features are built in the orderer's thread
 * and the first records come in random order meanwhile (about 0.7 s of
 * building at 2,000 records, 4 s at 10,000, minutes at 100,000). */
#define FEATURES_LATER_MIN 2000

/* --- Claims: work shared out -------------------------------------------------
 * A record offered to a reviewer is held for them for QES_SCREEN_CLAIM_SECONDS
 * (or until they decide it, or take QES_SCREEN_CLAIMS_PER_REVIEWER newer
 * ones): the next reviewer is offered the best record in their own order that
 * still needs more decisions than the live claims of others cover. Under
 * double screening that spreads reviewers over the top of their orders
 * instead of offering all of them the same record, of which only two could
 * decide (the others' 409s were reading wasted). A claim only steers what is
 * offered: a decision is accepted or refused by the screening library as
 * before, so a claim never costs an acknowledged decision, and claims live in
 * memory only (a restart forgets them). */

typedef struct claim {
	unsigned long long review;  /* FNV-1a of the review's path; 0: free slot */
	long long record_id;
	time_t expires;
	int stage;
	char initials[16];
} claim;

static pthread_mutex_t claims_mu = PTHREAD_MUTEX_INITIALIZER;
static claim claims[QES_MAX_SCREEN_CLAIMS];
static size_t claims_top;   /* slots at and past this index were never used */

static unsigned long long review_key(const char *path)
{
	unsigned long long h = 1469598103934665603ULL;
	for (const char *p = path; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h ? h : 1;
}

/* The claims of others on one review and stage, as a sorted list of record
 * ids (one entry per claim), copied out under the lock. */
typedef struct taken_list {
	long long *ids;
	size_t n;
} taken_list;

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

static void claims_of_others(unsigned long long review, int stage, const char *initials,
			     taken_list *out)
{
	time_t now = time(NULL);
	out->ids = NULL;
	out->n = 0;
	pthread_mutex_lock(&claims_mu);
	size_t live = 0;
	for (size_t i = 0; i < claims_top; i++)
		if (claims[i].review == review && claims[i].stage == stage && claims[i].expires > now &&
		    strcmp(claims[i].initials, initials))
			live++;
	if (live && (out->ids = malloc(live * sizeof(*out->ids))))
		for (size_t i = 0; i < claims_top; i++)
			if (claims[i].review == review && claims[i].stage == stage &&
			    claims[i].expires > now && strcmp(claims[i].initials, initials))
				out->ids[out->n++] = claims[i].record_id;
	pthread_mutex_unlock(&claims_mu);
	if (out->n > 1)
		qsort(out->ids, out->n, sizeof(*out->ids), cmp_ll);
}

/* qes_orderer_taken_fn: others' live claims cover what the record needs. */
static int is_taken(void *ud, long long record_id, int left)
{
	const taken_list *t = ud;
	size_t lo = 0, hi = t->n;
	while (lo < hi) {   /* the first id >= record_id */
		size_t mid = (lo + hi) / 2;
		if (t->ids[mid] < record_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	int n = 0;
	while (lo < t->n && t->ids[lo] == record_id) {
		n++;
		lo++;
	}
	return n >= left;
}

/* Holds record_id for the reviewer (renewing their claim on it); drops
 * their oldest claims beyond QES_SCREEN_CLAIMS_PER_REVIEWER. With left > 0,
 * only when others' live claims on it are still fewer than left (another
 * reviewer may have claimed it since the list was copied): returns 0 then,
 * 1 when claimed or no room. Best effort: with every slot live, no claim. */
static int claim_take(unsigned long long review, int stage, const char *initials,
		      long long record_id, int left)
{
	time_t now = time(NULL);
	pthread_mutex_lock(&claims_mu);
	long slot = -1, mine[QES_SCREEN_CLAIMS_PER_REVIEWER + 1];
	size_t nmine = 0;
	int others = 0;
	for (size_t i = 0; left > 0 && i < claims_top; i++)
		if (claims[i].review == review && claims[i].stage == stage &&
		    claims[i].record_id == record_id && claims[i].expires > now &&
		    strcmp(claims[i].initials, initials))
			others++;
	if (left > 0 && others >= left) {
		pthread_mutex_unlock(&claims_mu);
		return 0;
	}
	for (size_t i = 0; i < claims_top; i++) {
		claim *c = &claims[i];
		if (c->review && c->expires <= now)
			c->review = 0;
		if (!c->review) {
			if (slot < 0)
				slot = (long)i;
			continue;
		}
		if (c->review != review || c->stage != stage || strcmp(c->initials, initials))
			continue;
		if (c->record_id == record_id) {
			c->review = 0;   /* renewed below */
			if (slot < 0)
				slot = (long)i;
			continue;
		}
		if (nmine < QES_SCREEN_CLAIMS_PER_REVIEWER + 1)
			mine[nmine++] = (long)i;
	}
	/* keep the newest PER_REVIEWER - 1 others: drop the ones expiring first */
	while (nmine >= QES_SCREEN_CLAIMS_PER_REVIEWER) {
		size_t old = 0;
		for (size_t k = 1; k < nmine; k++)
			if (claims[mine[k]].expires < claims[mine[old]].expires)
				old = k;
		claims[mine[old]].review = 0;
		mine[old] = mine[--nmine];
	}
	if (slot < 0 && claims_top < QES_MAX_SCREEN_CLAIMS)
		slot = (long)claims_top;
	if (slot >= 0) {
		if ((size_t)slot >= claims_top)
			claims_top = (size_t)slot + 1;
		claim *c = &claims[slot];
		c->review = review;
		c->stage = stage;
		c->record_id = record_id;
		c->expires = now + QES_SCREEN_CLAIM_SECONDS;
		snprintf(c->initials, sizeof(c->initials), "%s", initials);
	}
	pthread_mutex_unlock(&claims_mu);
	return 1;
}

/* The reviewer decided the record: their claim has done its job. */
static void claim_release(unsigned long long review, int stage, const char *initials,
			  long long record_id)
{
	pthread_mutex_lock(&claims_mu);
	for (size_t i = 0; i < claims_top; i++)
		if (claims[i].review == review && claims[i].stage == stage &&
		    claims[i].record_id == record_id && !strcmp(claims[i].initials, initials))
			claims[i].review = 0;
	pthread_mutex_unlock(&claims_mu);
}

/* --- The orderer cache ---------------------------------------------------- */

typedef struct ord_entry {
	char *path;
	char initials[16];
	qes_stage stage;
	qes_screen_order order;  /* as asked for: auto, prioritised, random, id */
	pthread_mutex_t mu;      /* held while the orderer and st are in use */
	qes_store *st;           /* the orderer's own connection */
	qes_orderer *q;          /* NULL until first used (built under mu) */
	char fp[96];             /* the records it was built on (pool_fingerprint) */
	time_t checked;          /* when fp was last compared */
	int refs;                /* requests holding the entry (guarded by cache_mu) */
	unsigned long long used; /* for eviction (guarded by cache_mu) */
} ord_entry;

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static ord_entry *cache[ORDER_CACHE_MAX];
static unsigned long long cache_clock;

static void entry_free(ord_entry *e)
{
	if (!e)
		return;
	qes_orderer_free(e->q);
	qes_store_close(e->st);
	pthread_mutex_destroy(&e->mu);
	free(e->path);
	free(e);
}

/* The entry for (path, initials, stage, order), held (refs + 1); NULL when
 * the cache is full of entries in use, or out of memory. */
static ord_entry *entry_get(const char *path, const char *initials, qes_stage stage,
			    qes_screen_order order)
{
	ord_entry *e = NULL, *victim = NULL;
	int free_slot = -1, victim_slot = -1;
	pthread_mutex_lock(&cache_mu);
	for (int i = 0; i < ORDER_CACHE_MAX; i++) {
		ord_entry *c = cache[i];
		if (!c) {
			if (free_slot < 0)
				free_slot = i;
			continue;
		}
		if (c->stage == stage && c->order == order && !strcasecmp(c->initials, initials) &&
		    !strcmp(c->path, path)) {
			e = c;
			break;
		}
		if (!c->refs && (victim_slot < 0 || c->used < cache[victim_slot]->used))
			victim_slot = i;
	}
	if (!e) {
		int slot = free_slot >= 0 ? free_slot : victim_slot;
		if (slot >= 0 && (e = calloc(1, sizeof(*e))) && (e->path = strdup(path))) {
			snprintf(e->initials, sizeof(e->initials), "%s", initials);
			e->stage = stage;
			e->order = order;
			pthread_mutex_init(&e->mu, NULL);
			victim = cache[slot];
			cache[slot] = e;
		} else if (e) {
			free(e);
			e = NULL;
		}
	}
	if (e) {
		e->refs++;
		e->used = ++cache_clock;
	}
	pthread_mutex_unlock(&cache_mu);
	entry_free(victim);   /* unused (refs 0) and out of the table: nobody can reach it */
	return e;
}

static void entry_put(ord_entry *e)
{
	pthread_mutex_lock(&cache_mu);
	e->refs--;
	pthread_mutex_unlock(&cache_mu);
}

void qes__web_screen_cache_clear(void)
{
	pthread_mutex_lock(&cache_mu);
	for (int i = 0; i < ORDER_CACHE_MAX; i++) {
		if (cache[i] && !cache[i]->refs) {
			entry_free(cache[i]);
			cache[i] = NULL;
		}
	}
	pthread_mutex_unlock(&cache_mu);
	/* A server stopped: its claims go with it. */
	pthread_mutex_lock(&claims_mu);
	memset(claims, 0, sizeof(claims));
	claims_top = 0;
	pthread_mutex_unlock(&claims_mu);
}

/* What the pool of screening units depends on: the records (imports only
 * add) and the duplicate clusters (dedup adds, undoes, changes the best
 * record). An orderer holds the features of the pool it was built on, so
 * when this changes (an import or a dedup while the server runs) it is
 * built again. Read at most every RECHECK_SECONDS per orderer: the max over
 * changed_at reads every cluster. */
static int pool_fingerprint(qes_store *st, char *out, size_t n, qes_error *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(qes_store_db(st),
			       "SELECT coalesce((SELECT max(id) FROM records), 0),"
			       " coalesce((SELECT max(id) FROM dedup_clusters), 0),"
			       " coalesce((SELECT max(coalesce(changed_at, created_at)) FROM dedup_clusters), '')",
			       -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "reading the records");
	int rc = 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, n, "%lld/%lld/%s", (long long)sqlite3_column_int64(s, 0),
			 (long long)sqlite3_column_int64(s, 1), (const char *)sqlite3_column_text(s, 2));
	else
		rc = qes_store_sqlerr(st, err, "reading the records");
	sqlite3_finalize(s);
	return rc;
}

/* Builds the entry's orderer when it has none, or again when the records
 * changed since it was built. Called with e->mu held. */
static int entry_ready(ord_entry *e, const char *as, qes_stage stage, qes_error *err)
{
	qes_orderer_opts oo = { e->order, 0, 1, FEATURES_LATER_MIN };
	char fp[sizeof(e->fp)];
	time_t now = time(NULL);
	if (e->q && now - e->checked < RECHECK_SECONDS)
		return 0;
	int rc = pool_fingerprint(e->st, fp, sizeof(fp), err);
	if (rc)
		return rc;
	e->checked = now;
	if (e->q && !strcmp(fp, e->fp))
		return 0;
	qes_orderer_free(e->q);
	e->q = NULL;
	snprintf(e->fp, sizeof(e->fp), "%s", fp);
	/* background: retrain in the orderer's thread while the reviewer reads. */
	return qes_orderer_new(&e->q, e->st, as, stage, &oo, err);
}

/* SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25... ms between
 * tries: with many reviewers deciding at once a writer that found the lock
 * taken would sleep far longer than the few hundred microseconds the holder
 * keeps it. Retry every 200 us instead, for up to 10 s as before. */
static int busy_retry(void *ud, int tries)
{
	(void)ud;
	if (tries >= 50000)
		return 0;
	struct timespec ts = { 0, 200000 };
	nanosleep(&ts, NULL);
	return 1;
}

/* The reviewer's orderer, locked: release with orderer_release. When the
 * cache has no room, a throwaway orderer on the thread's own connection
 * (correct, only slower). */
typedef struct held {
	ord_entry *e;
	qes_orderer *q;
	qes_store *st;   /* the connection that goes with q */
} held;

static int orderer_acquire(qes_store *st, const char *as, qes_stage stage,
			   qes_screen_order order, held *h, qes_error *err)
{
	memset(h, 0, sizeof(*h));
	h->e = entry_get(qes_store_path(st), as, stage, order);
	if (!h->e) {
		qes_orderer_opts oo = { order, 0, 0, 0 };
		h->st = st;
		return qes_orderer_new(&h->q, st, as, stage, &oo, err);
	}
	pthread_mutex_lock(&h->e->mu);
	int rc = 0;
	if (!h->e->st && !(rc = qes_store_open(&h->e->st, h->e->path, err)))
		sqlite3_busy_handler(qes_store_db(h->e->st), busy_retry, NULL);
	if (!rc)
		rc = entry_ready(h->e, as, stage, err);
	if (rc) {
		pthread_mutex_unlock(&h->e->mu);
		entry_put(h->e);
		h->e = NULL;
		return rc;
	}
	h->q = h->e->q;
	h->st = h->e->st;
	return 0;
}

static void orderer_release(held *h)
{
	if (h->e) {
		pthread_mutex_unlock(&h->e->mu);
		entry_put(h->e);
	} else {
		qes_orderer_free(h->q);
	}
	memset(h, 0, sizeof(*h));
}

/* --- Answers -------------------------------------------------------------- */

static int may_screen(const qes__web_session *s, qes_error *err)
{
	if (strcmp(s->role, "owner") && strcmp(s->role, "reviewer"))
		return qes_error_set(err, QES_EPERM, "an %s does not screen", s->role);
	if (!s->initials[0])
		return qes_error_set(err, QES_EPERM,
				     "user %s screens as no reviewer (qes user add ... --initials)", s->name);
	return 0;
}

static json_t *record_json(long long id, const qes_record *r)
{
	json_t *authors = json_array(), *kw = json_array();
	for (size_t i = 0; i < r->authors.n; i++)
		json_array_append_new(authors, json_string(r->authors.items[i]));
	for (size_t i = 0; i < r->keywords.n; i++)
		json_array_append_new(kw, json_string(r->keywords.items[i]));
	return json_pack("{s:I,s:s?,s:s?,s:o,s:o,s:o,s:s?,s:s?}", "id", (json_int_t)id, "title",
			 r->title, "abstract", r->abstract, "authors", authors, "keywords", kw,
			 "year", r->year ? json_integer(r->year) : json_null(), "journal",
			 r->journal, "doi", r->doi);
}

static int add_record(qes_store *st, json_t *o, long long id, qes_error *err)
{
	if (!id)
		return json_object_set_new(o, "record", json_null()) ? QES_ENOMEM : 0;
	qes_arena a;
	qes_record rec;
	qes__arena_init(&a, 64 * 1024);
	int rc = qes_record_load(st, id, &rec, &a, err);
	if (!rc)
		json_object_set_new(o, "record", record_json(id, &rec));
	qes__arena_free(&a);
	return rc;
}

static json_t *progress_json(const qes_progress *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "pool", json_integer(p->pool));
	json_object_set_new(o, "screened", json_integer(p->screened));
	json_object_set_new(o, "included", json_integer(p->included));
	json_object_set_new(o, "not_yet_screened", json_integer(p->undecided));
	json_object_set_new(o, "waiting_second", json_integer(p->waiting_second));
	json_object_set_new(o, "mine", json_integer(p->mine));
	json_object_set_new(o, "to_do", json_integer(p->to_do));
	return o;
}

/* Why this record is offered here: the order used and, when prioritised,
 * the record's score and its strongest terms; when prioritised was wanted
 * but not possible yet, why not. */
static json_t *order_json(const qes_order_info *in)
{
	json_t *o = json_object(), *terms = json_array();
	json_object_set_new(o, "used", json_string(qes_screen_order_name(in->order)));
	json_object_set_new(o, "why_not", in->why_not[0] ? json_string(in->why_not) : json_null());
	json_object_set_new(o, "score", in->order == QES_ORDER_PRIORITISED ? json_real(in->score)
									     : json_null());
	for (int i = 0; i < in->nterms; i++)
		json_array_append_new(terms, json_string(in->terms[i]));
	json_object_set_new(o, "terms", terms);
	json_object_set_new(o, "labelled", json_integer(in->labelled));
	json_object_set_new(o, "relevant", json_integer(in->relevant));
	json_object_set_new(o, "retrains", json_integer(in->retrains));
	return o;
}

/* The order a request asks for; none: auto. */
static int parse_order(const char *s, qes_screen_order *order, qes_error *err)
{
	*order = QES_ORDER_AUTO;
	return s && *s ? qes_screen_order_parse(s, order, err) : 0;
}

static int parse_after(const char *s, long long *after, qes_error *err)
{
	*after = 0;
	if (!s || !*s)
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end || v < 0)
		return qes_error_set(err, QES_EINVAL, "after is a record id");
	*after = v;
	return 0;
}

int qes__web_api_screen_next(qes_store *st, const qes__web_session *s,
			     const char *stage_s, const char *after_s, const char *order_s,
			     json_t **out, qes_error *err)
{
	qes_stage stage;
	qes_screen_order order;
	qes_progress p;
	qes_order_info info;
	long long id = 0, after;
	held h = { 0 };
	json_t *o = NULL;
	*out = NULL;
	int rc = may_screen(s, err);
	if (rc || (rc = qes_stage_parse(stage_s ? stage_s : "ta", &stage, err)) ||
	    (rc = parse_after(after_s, &after, err)) || (rc = parse_order(order_s, &order, err)) ||
	    (rc = orderer_acquire(st, s->initials, stage, order, &h, err)))
		return rc;
	/* Everything on the orderer's connection. The counts read the whole
	 * stage again (qes_screen_progress), the most expensive part of the
	 * answer: a prefetch (after) leaves them out, and the page counts its
	 * own decisions until it asks /api/screen/progress. */
	unsigned long long rk = review_key(qes_store_path(st));
	/* Claim what the order offers; when another reviewer claimed it
	 * between the copy of the claims and now, ask again (a few times,
	 * then take the record anyway: a 409 is possible, a lost decision not). */
	for (int tries = 0; !rc; tries++) {
		taken_list tl;
		claims_of_others(rk, (int)stage, s->initials, &tl);
		rc = qes_orderer_next_free(h.q, after, is_taken, &tl, &id, &info, err);
		free(tl.ids);
		if (rc || id <= 0 || claim_take(rk, (int)stage, s->initials, id, tries < 3 ? info.left : 0))
			break;
	}
	if (rc || (!after && (rc = qes_screen_progress(h.st, s->initials, stage, &p, err))))
		goto out;
	o = json_object();
	json_object_set_new(o, "stage", json_string(qes_stage_name(stage)));
	json_object_set_new(o, "progress", after ? json_null() : progress_json(&p));
	json_object_set_new(o, "order", order_json(&info));
	json_t *reasons = json_array();
	json_object_set_new(o, "reasons", reasons);
	if ((rc = qes_reason_foreach(h.st, qes__web_add_reason, reasons, err)) ||
	    (rc = add_record(h.st, o, id, err)))
		goto out;
out:
	orderer_release(&h);
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}

/* GET /api/screen/progress?stage=: the user's counts and the stopping
 * estimate of the terminal screener (qes_screen_stopping) with its
 * sentence. Apart from next, because both read every decision of the stage
 * again: the page asks for them once the next record is on screen, so they
 * never delay a record. */
int qes__web_api_screen_progress(qes_store *st, const qes__web_session *s,
				 const char *stage_s, json_t **out, qes_error *err)
{
	qes_stage stage;
	qes_progress p;
	qes_rank_stop stop;
	char sentence[700];
	*out = NULL;
	int rc = may_screen(s, err);
	if (rc || (rc = qes_stage_parse(stage_s ? stage_s : "ta", &stage, err)) ||
	    (rc = qes_screen_progress(st, s->initials, stage, &p, err)) ||
	    (rc = qes_screen_stopping(st, s->initials, stage, 0, 0, &stop, err)))
		return rc;
	qes_screen_stopping_sentence(&stop, sentence, sizeof(sentence));
	*out = json_pack("{ss so s{ss sb sf si si si si si si sb}}", "stage", qes_stage_name(stage),
			 "progress", progress_json(&p), "stopping", "sentence", sentence,
			 "can_stop", stop.can_stop, "p_value", stop.p_value,
			 "screened", (json_int_t)stop.screened, "total", (json_int_t)stop.total,
			 "relevant", (json_int_t)stop.relevant, "sample_n", (json_int_t)stop.sample_n,
			 "sample_relevant", (json_int_t)stop.sample_relevant,
			 "since_relevant", (json_int_t)stop.since_relevant,
			 "worth_saying", qes_rank_stop_worth_saying(&stop));
	return *out ? 0 : qes_error_set(err, QES_ENOMEM, "out of memory");
}

int qes__web_api_screen_decide(qes_store *st, const qes__web_session *s,
			       const json_t *body, json_t **out, qes_error *err)
{
	qes_stage stage;
	qes_decision d;
	held h;
	*out = NULL;
	int rc = may_screen(s, err);
	if (rc)
		return rc;
	json_t *idv = json_object_get(body, "record_id");
	const char *stage_s = json_string_value(json_object_get(body, "stage"));
	const char *dec_s = json_string_value(json_object_get(body, "decision"));
	json_t *reason_v = json_object_get(body, "reason"), *order_v = json_object_get(body, "order");
	json_t *note_v = json_object_get(body, "note");
	const char *reason = json_string_value(reason_v), *order_s = json_string_value(order_v);
	const char *note = json_string_value(note_v);
	qes_screen_order order;
	if (!json_is_integer(idv) || json_integer_value(idv) <= 0 || !stage_s || !dec_s ||
	    (reason_v && !json_is_null(reason_v) && !reason) ||
	    (order_v && !json_is_null(order_v) && !order_s) ||
	    (note_v && !json_is_null(note_v) && !note))
		return qes_error_set(err, QES_EINVAL, "expected {record_id: number, stage: text, "
				     "decision: text, reason?: text, order?: text, note?: text}");
	if ((rc = qes_stage_parse(stage_s, &stage, err)) || (rc = qes_decision_parse(dec_s, &d, err)) ||
	    (rc = parse_order(order_s, &order, err)))
		return rc;
	long long id = (long long)json_integer_value(idv);
	qes_decide_opts o = { reason && *reason ? reason : NULL, note && *note ? note : NULL };
	/* Through the orderer, so that the log notes the order the record was
	 * offered in (the stopping estimate's random sample needs it). */
	if ((rc = orderer_acquire(st, s->initials, stage, order, &h, err)))
		return rc;
	rc = qes_orderer_decide(h.q, id, d, &o, err);
	orderer_release(&h);
	if (rc)
		return rc;
	claim_release(review_key(qes_store_path(st)), (int)stage, s->initials, id);
	json_t *r = json_object();
	json_object_set_new(r, "record_id", json_integer(id));
	json_object_set_new(r, "stage", json_string(qes_stage_name(stage)));
	json_object_set_new(r, "decision", json_string(qes_decision_name(d)));
	*out = r;
	return 0;
}

/* POST /api/screen/undo {stage}: takes back the user's latest decision at
 * the stage (qes_screen_undo: one transaction, logged as "undo"; refused
 * with 409 once another reviewer has decided the record or its conflict was
 * resolved). Answers the record again, so the page can show it. */
int qes__web_api_screen_undo(qes_store *st, const qes__web_session *s, const json_t *body,
			     json_t **out, qes_error *err)
{
	qes_stage stage;
	long long id = 0;
	*out = NULL;
	int rc = may_screen(s, err);
	const char *stage_s = json_string_value(json_object_get(body, "stage"));
	if (rc || (rc = qes_stage_parse(stage_s ? stage_s : "ta", &stage, err)) ||
	    (rc = qes_screen_undo(st, s->initials, stage, &id, err)))
		return rc;
	json_t *o = json_object();
	json_object_set_new(o, "stage", json_string(qes_stage_name(stage)));
	json_object_set_new(o, "record_id", json_integer(id));
	if ((rc = add_record(st, o, id, err)))
		json_decref(o);
	else
		*out = o;
	return rc;
}

static int add_keyword(void *ud, const char *w, int exclude)
{
	json_t *list = json_object_get(ud, exclude ? "exclude" : "include");
	return json_array_append_new(list, json_string(w)) ? QES_ENOMEM : 0;
}

/* GET /api/screen/keywords: the review's highlighted keywords
 * ({include: [...], exclude: [...]}), from `qes criteria --keyword` or
 * added from the page. */
int qes__web_api_keywords(qes_store *st, json_t **out, qes_error *err)
{
	json_t *o = json_pack("{s[] s[]}", "include", "exclude");
	int rc = o ? qes_keyword_foreach(st, add_keyword, o, err)
		   : qes_error_set(err, QES_ENOMEM, "out of memory");
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}

/* POST /api/screen/keywords {word, exclude?}: adds a keyword for the whole
 * team (one transaction); 409 when it is already there. */
int qes__web_api_keyword_add(qes_store *st, const qes__web_session *s, const json_t *body,
			     json_t **out, qes_error *err)
{
	*out = NULL;
	const char *w = json_string_value(json_object_get(body, "word"));
	json_t *ex = json_object_get(body, "exclude");
	if (!w || (ex && !json_is_boolean(ex)))
		return qes_error_set(err, QES_EINVAL, "expected {word: text, exclude?: true|false}");
	size_t n = strlen(w);
	if (n == 0 || n > KEYWORD_MAX)
		return qes_error_set(err, QES_EINVAL, "a keyword is 1 to %d bytes", KEYWORD_MAX);
	int rc = may_screen(s, err);
	if (rc || (rc = qes_store_begin(st, err)))
		return rc;
	if ((rc = qes_keyword_add_by(st, w, json_is_true(ex), s->name, err)) ||
	    (rc = qes_store_commit(st, err))) {
		qes_store_rollback(st);
		return rc;
	}
	return qes__web_api_keywords(st, out, err);
}

/* POST /api/screen/keywords/remove {word}: an owner removes any keyword, a
 * reviewer only one they added (one transaction). */
int qes__web_api_keyword_remove(qes_store *st, const qes__web_session *s, const json_t *body,
				json_t **out, qes_error *err)
{
	*out = NULL;
	const char *w = json_string_value(json_object_get(body, "word"));
	if (!w || !*w)
		return qes_error_set(err, QES_EINVAL, "expected {word: text}");
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if ((rc = qes_keyword_remove(st, w, strcmp(s->role, "owner") ? s->name : NULL, err)) ||
	    (rc = qes_store_commit(st, err))) {
		qes_store_rollback(st);
		return rc;
	}
	return qes__web_api_keywords(st, out, err);
}
