/* dedup_store.c: clusters, the review queue, decisions, undo, export.
 *
 * A cluster is a row in dedup_clusters (with the best value of each field)
 * and its rows in dedup_members; records themselves are never touched, so
 * per-database counts before deduplication stay what they were. */
#include "dedup_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The best value of each field over a cluster's records: the longest text
 * (full journal name over abbreviation, "221-228" over "221-8", the fullest
 * author list), the most common value for identifiers and numbers. The
 * best record, the one screening screens for the cluster, is a record
 * already screened when there is one (so a cluster that grows after
 * screening began never hides its decisions), else the most complete. */
#define M_ "FROM dedup_members m JOIN records r ON r.id = m.record_id WHERE m.cluster_id = ?1"
#define LONGEST(f) "(SELECT r." f " " M_ " AND r." f " IS NOT NULL ORDER BY length(r." f ") DESC, r.id LIMIT 1)"
#define COMMON(f) "(SELECT r." f " " M_ " AND r." f " IS NOT NULL GROUP BY r." f " ORDER BY count(*) DESC, min(r.id) LIMIT 1)"
static const char best_sql[] =
	"UPDATE dedup_clusters SET changed_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'),"
	" best_record_id = (SELECT r.id " M_ " ORDER BY"
	"   EXISTS (SELECT 1 FROM screen_decisions d WHERE d.record_id = r.id) DESC,"
	"   (r.title IS NOT NULL) + (r.abstract IS NOT NULL)"
	"   + (r.authors IS NOT NULL) + (r.doi IS NOT NULL) + (r.pmid IS NOT NULL)"
	"   + (r.journal IS NOT NULL) + (r.volume IS NOT NULL) + (r.issue IS NOT NULL)"
	"   + (r.pages IS NOT NULL) + (r.year IS NOT NULL) DESC, r.id LIMIT 1),"
	" title = " LONGEST("title") ", authors = " LONGEST("authors") ","
	" year = " COMMON("year") ", journal = " LONGEST("journal") ","
	" volume = " COMMON("volume") ", issue = " COMMON("issue") ","
	" pages = " LONGEST("pages") ", doi = " COMMON("doi") ", pmid = " COMMON("pmid") ","
	" abstract = " LONGEST("abstract")
	" WHERE id = ?1";

typedef struct stmts {
	sqlite3_stmt *new_cluster, *member, *absorb, *log, *best, *queue, *run, *doi;
} stmts;

static void stmts_free(stmts *s)
{
	sqlite3_finalize(s->new_cluster);
	sqlite3_finalize(s->member);
	sqlite3_finalize(s->absorb);
	sqlite3_finalize(s->log);
	sqlite3_finalize(s->best);
	sqlite3_finalize(s->queue);
	sqlite3_finalize(s->run);
	sqlite3_finalize(s->doi);
}

static int stmts_prepare(qes_store *st, stmts *s, qes_error *err)
{
	sqlite3 *db = qes_store_db(st);
	memset(s, 0, sizeof(*s));
	if (sqlite3_prepare_v2(db, "INSERT INTO dedup_clusters(origin, rules_version) VALUES (?1, '"
			       QES_DEDUP_RULES_VERSION "')", -1, &s->new_cluster, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO dedup_members(record_id, cluster_id)"
			       " VALUES (?1, ?2)", -1, &s->member, NULL) ||
	    sqlite3_prepare_v2(db, "UPDATE dedup_clusters SET status = 'absorbed', changed_at ="
			       " strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1", -1, &s->absorb, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO dedup_log(action, cluster_id, a, b, detail, by,"
			       " rules_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, '"
			       QES_DEDUP_RULES_VERSION "')", -1, &s->log, NULL) ||
	    sqlite3_prepare_v2(db, best_sql, -1, &s->best, NULL) ||
	    sqlite3_prepare_v2(db, "UPDATE dedup_clusters SET doi = (SELECT doi FROM records"
			       " WHERE id = ?2) WHERE id = ?1 AND doi = (SELECT doi FROM records"
			       " WHERE id = ?3)", -1, &s->doi, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO dedup_pairs(a, b, score, reason)"
			       " VALUES (?1, ?2, ?3, ?4)", -1, &s->queue, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO dedup_runs(rules_version, records, pairs, clusters,"
			       " merged, queued, blocked) VALUES ('" QES_DEDUP_RULES_VERSION
			       "', ?1, ?2, ?3, ?4, ?5, ?6)", -1, &s->run, NULL)) {
		int rc = qes_store_sqlerr(st, err, "preparing deduplication");
		stmts_free(s);
		return rc;
	}
	return 0;
}

static int step(sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : rc;
}

static long long new_cluster(qes_store *st, stmts *s, const char *origin)
{
	sqlite3_bind_text(s->new_cluster, 1, origin, -1, SQLITE_STATIC);
	if (step(s->new_cluster))
		return 0;
	return sqlite3_last_insert_rowid(qes_store_db(st));
}

static int log_action(stmts *s, const char *action, long long cluster, long long a,
		      long long b, const char *detail, const char *by)
{
	sqlite3_bind_text(s->log, 1, action, -1, SQLITE_STATIC);
	if (cluster)
		sqlite3_bind_int64(s->log, 2, cluster);
	if (a)
		sqlite3_bind_int64(s->log, 3, a);
	if (b)
		sqlite3_bind_int64(s->log, 4, b);
	sqlite3_bind_text(s->log, 5, detail, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s->log, 6, by ? by : "auto", -1, SQLITE_TRANSIENT);
	return step(s->log);
}

static int set_member(stmts *s, long long record, long long cluster)
{
	sqlite3_bind_int64(s->member, 1, record);
	sqlite3_bind_int64(s->member, 2, cluster);
	return step(s->member);
}

static int update_best(stmts *s, long long cluster)
{
	sqlite3_bind_int64(s->best, 1, cluster);
	return step(s->best);
}

/* A cluster whose most common DOI names another journal than its record's
 * (two records carry a regpep DOI on an Appetite abstract, two the appet
 * one) takes the DOI that fits. */
static int fitting_doi(stmts *s, const qes__dd_write_input *in, const uint64_t *g, size_t gn,
		       long long cluster)
{
	const qes__dd_rec *fit = NULL;
	for (size_t k = 0; k < gn && !fit; k++) {
		const qes__dd_rec *r = &in->recs[g[k] & 0xffffffffu];
		if (r->doi && !(r->flags & QES__DD_DOI_MISFIT))
			fit = r;
	}
	for (size_t k = 0; fit && k < gn; k++) {
		const qes__dd_rec *r = &in->recs[g[k] & 0xffffffffu];
		if (!(r->flags & QES__DD_DOI_MISFIT))
			continue;
		sqlite3_bind_int64(s->doi, 1, cluster);
		sqlite3_bind_int64(s->doi, 2, fit->id);
		sqlite3_bind_int64(s->doi, 3, r->id);
		if (step(s->doi))
			return -1;
	}
	return 0;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

/* Writes one group of record indexes (one final cluster). */
static int write_group(qes_store *st, stmts *s, const qes__dd_write_input *in,
		       const uint64_t *g, size_t gn, int dry_run, qes_dedup_result *res)
{
	long long target = 0;
	int several = 0;
	for (size_t k = 0; k < gn; k++) {
		long long c = in->cluster[g[k] & 0xffffffffu];
		if (c && target && c != target)
			several = 1;
		if (c && (!target || c < target))
			target = c;
	}
	size_t moved = target ? 0 : gn;
	for (size_t k = 0; target && k < gn; k++)
		moved += in->cluster[g[k] & 0xffffffffu] != target;
	if (!moved && !several)
		return 0;
	res->clusters++;
	res->merged += (long)moved;
	if (dry_run)
		return 0;
	const char *action = target ? "grow" : "merge";
	if (!target && !(target = new_cluster(st, s, "auto")))
		return -1;
	char detail[256];
	size_t dl = (size_t)snprintf(detail, sizeof(detail), "records");
	for (size_t k = 0; k < gn; k++) {
		size_t i = g[k] & 0xffffffffu;
		long long prev = in->cluster[i];
		if (prev == target)
			continue;
		if (prev && prev != target) {
			/* A whole earlier cluster joins this one. */
			sqlite3_bind_int64(s->absorb, 1, prev);
			if (step(s->absorb))
				return -1;
			char why[64];
			snprintf(why, sizeof(why), "into cluster %lld", target);
			if (log_action(s, "absorb", prev, 0, 0, why, NULL))
				return -1;
		}
		if (set_member(s, in->recs[i].id, target))
			return -1;
		if (dl + 24 < sizeof(detail))
			dl += (size_t)snprintf(detail + dl, sizeof(detail) - dl, " #%lld", in->recs[i].id);
	}
	if (log_action(s, action, target, 0, 0, detail, NULL) || update_best(s, target) ||
	    fitting_doi(s, in, g, gn, target))
		return -1;
	return 0;
}

static int write_clusters(qes_store *st, stmts *s, const qes__dd_write_input *in,
			  int dry_run, qes_dedup_result *res)
{
	uint64_t *by_root = malloc((in->n ? in->n : 1) * sizeof(*by_root));
	if (!by_root)
		return QES_ENOMEM;
	for (size_t i = 0; i < in->n; i++)
		by_root[i] = (uint64_t)qes__dd_uf_find(in->uf, i) << 32 | i;
	qsort(by_root, in->n, sizeof(*by_root), cmp_u64);
	int rc = 0;
	long works = 0;
	for (size_t a = 0; a < in->n && !rc;) {
		size_t b = a + 1;
		while (b < in->n && by_root[b] >> 32 == by_root[a] >> 32)
			b++;
		works++;
		if (b - a > 1)
			rc = write_group(st, s, in, by_root + a, b - a, dry_run, res);
		a = b;
	}
	res->works = works;
	free(by_root);
	return rc;
}

static int write_queue(stmts *s, const qes__dd_write_input *in, int dry_run,
		       qes_dedup_result *res)
{
	for (size_t k = 0; k < in->npairs; k++) {
		if (in->outcome[k] != QES__DD_OUT_QUEUED)
			continue;
		res->queued++;
		if (dry_run)
			continue;
		const qes__dd_rec *a = &in->recs[in->pairs[k] >> 32];
		const qes__dd_rec *b = &in->recs[in->pairs[k] & 0xffffffffu];
		char why[512];
		qes__dd_compare(a, b, NULL, why, sizeof(why));
		sqlite3_bind_int64(s->queue, 1, a->id);
		sqlite3_bind_int64(s->queue, 2, b->id);
		sqlite3_bind_double(s->queue, 3, in->score[k]);
		sqlite3_bind_text(s->queue, 4, why, -1, SQLITE_TRANSIENT);
		if (step(s->queue))
			return -1;
	}
	return 0;
}

int qes__dd_write(qes_store *st, const qes__dd_write_input *in, int dry_run,
		  qes_dedup_result *res, qes_error *err)
{
	stmts s;
	int rc = stmts_prepare(st, &s, err);
	if (rc)
		return rc;
	if (!dry_run && (rc = qes_store_begin(st, err)))
		goto out;
	rc = write_clusters(st, &s, in, dry_run, res);
	if (!rc)
		rc = write_queue(&s, in, dry_run, res);
	if (!rc && !dry_run) {
		sqlite3_bind_int64(s.run, 1, res->records);
		sqlite3_bind_int64(s.run, 2, res->pairs);
		sqlite3_bind_int64(s.run, 3, res->clusters);
		sqlite3_bind_int64(s.run, 4, res->merged);
		sqlite3_bind_int64(s.run, 5, res->queued);
		sqlite3_bind_int64(s.run, 6, res->blocked);
		rc = step(s.run);
	}
	if (rc) {
		rc = rc == QES_ENOMEM ? qes_error_set(err, QES_ENOMEM, "out of memory")
				      : qes_store_sqlerr(st, err, "saving the deduplication");
		if (!dry_run)
			qes_store_rollback(st);
		goto out;
	}
	if (!dry_run)
		rc = qes_store_commit(st, err);
out:
	stmts_free(&s);
	return rc;
}

/* --- Queue, decisions, undo ---------------------------------------------- */

int qes_dedup_queue(qes_store *st, int pending_only, qes_dedup_pair **pairs, size_t *n,
		    qes_error *err)
{
	*pairs = NULL;
	*n = 0;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(qes_store_db(st),
			"SELECT p.id, p.a, p.b, ra.source_key, rb.source_key, p.score, p.reason, p.status"
			" FROM dedup_pairs p JOIN records ra ON ra.id = p.a JOIN records rb ON rb.id = p.b"
			" LEFT JOIN dedup_members ma ON ma.record_id = p.a"
			" LEFT JOIN dedup_members mb ON mb.record_id = p.b"
			" WHERE ?1 = 0 OR (p.status IN ('pending', 'skip')"
			"   AND (ma.cluster_id IS NULL OR mb.cluster_id IS NULL OR ma.cluster_id <> mb.cluster_id))"
			" ORDER BY p.status = 'skip', p.score DESC, p.id", -1, &s, NULL))
		return qes_store_sqlerr(st, err, "reading the review queue");
	sqlite3_bind_int(s, 1, pending_only);
	size_t cap = 0;
	int rc = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			qes_dedup_pair *g = realloc(*pairs, cap * sizeof(*g));
			if (!g) {
				rc = qes_error_set(err, QES_ENOMEM, "out of memory");
				break;
			}
			*pairs = g;
		}
		qes_dedup_pair *p = &(*pairs)[(*n)++];
		p->id = sqlite3_column_int64(s, 0);
		p->a = sqlite3_column_int64(s, 1);
		p->b = sqlite3_column_int64(s, 2);
		p->key_a = strdup((const char *)sqlite3_column_text(s, 3));
		p->key_b = strdup((const char *)sqlite3_column_text(s, 4));
		p->score = sqlite3_column_double(s, 5);
		const char *why = (const char *)sqlite3_column_text(s, 6);
		p->reason = strdup(why ? why : "");
		p->status = strdup((const char *)sqlite3_column_text(s, 7));
		if (!p->key_a || !p->key_b || !p->reason || !p->status) {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
			break;
		}
	}
	sqlite3_finalize(s);
	if (rc) {
		qes_dedup_pairs_free(*pairs, *n);
		*pairs = NULL;
		*n = 0;
	}
	return rc;
}

void qes_dedup_pairs_free(qes_dedup_pair *pairs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(pairs[i].key_a);
		free(pairs[i].key_b);
		free(pairs[i].reason);
		free(pairs[i].status);
	}
	free(pairs);
}

int qes_dedup_cluster_of(qes_store *st, long long record_id, long long *cluster_id,
			 qes_error *err)
{
	sqlite3_stmt *s;
	*cluster_id = 0;
	if (sqlite3_prepare_v2(qes_store_db(st),
			       "SELECT cluster_id FROM dedup_members WHERE record_id = ?", -1, &s, NULL))
		return qes_store_sqlerr(st, err, "reading clusters");
	sqlite3_bind_int64(s, 1, record_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		*cluster_id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return 0;
}

static int exec_bind2(qes_store *st, const char *sql, long long x, long long y)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(qes_store_db(st), sql, -1, &s, NULL))
		return -1;
	sqlite3_bind_int64(s, 1, x);
	sqlite3_bind_int64(s, 2, y);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* A person's merge: the two records' clusters become one now. */
static int merge_now(qes_store *st, stmts *s, long long a, long long b, const char *who)
{
	long long ca, cb;
	qes_error e;
	if (qes_dedup_cluster_of(st, a, &ca, &e) || qes_dedup_cluster_of(st, b, &cb, &e))
		return -1;
	if (ca && ca == cb)
		return 0;
	long long target = ca && cb ? (ca < cb ? ca : cb) : ca ? ca : cb;
	if (!target && !(target = new_cluster(st, s, "reviewer")))
		return -1;
	long long other = ca && cb ? (target == ca ? cb : ca) : 0;
	if (other) {
		if (exec_bind2(st, "UPDATE dedup_members SET cluster_id = ?1 WHERE cluster_id = ?2",
			       target, other))
			return -1;
		sqlite3_bind_int64(s->absorb, 1, other);
		if (step(s->absorb))
			return -1;
	}
	if (set_member(s, a, target) || set_member(s, b, target))
		return -1;
	char detail[96];
	snprintf(detail, sizeof(detail), "records #%lld #%lld", a, b);
	if (log_action(s, "merge", target, a, b, detail, who))
		return -1;
	return update_best(s, target);
}

static int decide(qes_store *st, long long a, long long b, int decision, const char *who,
		  int queued_only, qes_error *err);

int qes_dedup_decide(qes_store *st, long long a, long long b, int decision,
		     const char *who, qes_error *err)
{
	return decide(st, a, b, decision, who, 0, err);
}

int qes_dedup_decide_queued(qes_store *st, long long a, long long b, int decision,
			    const char *who, qes_error *err)
{
	return decide(st, a, b, decision, who, 1, err);
}

/* A pair a deduplication run put in the queue (not one a person named). */
static int is_queued(qes_store *st, long long a, long long b, int *queued, qes_error *err)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(qes_store_db(st), "SELECT 1 FROM dedup_pairs WHERE a = ?1 AND b = ?2"
			       " AND reason <> 'decided by a person'", -1, &q, NULL))
		return qes_store_sqlerr(st, err, "reading the queue");
	sqlite3_bind_int64(q, 1, a);
	sqlite3_bind_int64(q, 2, b);
	int step = sqlite3_step(q);
	sqlite3_finalize(q);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return qes_store_sqlerr(st, err, "reading the queue");
	*queued = step == SQLITE_ROW;
	return 0;
}

static int decide(qes_store *st, long long a, long long b, int decision, const char *who,
		  int queued_only, qes_error *err)
{
	static const char *const names[] = { "merge", "distinct", "skip" };
	if (decision < QES_DEDUP_MERGE || decision > QES_DEDUP_SKIP)
		return qes_error_set(err, QES_EINVAL, "decision must be merge, distinct or skip");
	if (a == b)
		return qes_error_set(err, QES_EINVAL, "a record is always the same as itself");
	if (a > b) {
		long long t = a;
		a = b;
		b = t;
	}
	stmts s;
	int rc = stmts_prepare(st, &s, err);
	if (rc)
		return rc;
	if ((rc = qes_store_begin(st, err)))
		goto out;
	long long ca, cb;
	int queued = 1;
	if (queued_only && (rc = is_queued(st, a, b, &queued, err)))
		goto fail;
	if (!queued) {
		rc = qes_error_set(err, QES_EPERM, "records #%lld and #%lld are not a queued pair: only"
				   " the owner decides other pairs", a, b);
		goto fail;
	}
	if ((rc = qes_dedup_cluster_of(st, a, &ca, err)) || (rc = qes_dedup_cluster_of(st, b, &cb, err)))
		goto fail;
	if (decision == QES_DEDUP_DISTINCT && ca && ca == cb) {
		rc = qes_error_set(err, QES_ECONFLICT,
				   "the two records are merged (cluster %lld): undo that cluster first", ca);
		goto fail;
	}
	sqlite3_stmt *up;
	if (sqlite3_prepare_v2(qes_store_db(st),
			"INSERT INTO dedup_pairs(a, b, reason, status, decided_by, decided_at)"
			" VALUES (?1, ?2, 'decided by a person', ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
			" ON CONFLICT(a, b) DO UPDATE SET status = ?3, decided_by = ?4,"
			" decided_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')", -1, &up, NULL)) {
		rc = qes_store_sqlerr(st, err, "saving the decision");
		goto fail;
	}
	sqlite3_bind_int64(up, 1, a);
	sqlite3_bind_int64(up, 2, b);
	sqlite3_bind_text(up, 3, names[decision], -1, SQLITE_STATIC);
	sqlite3_bind_text(up, 4, who ? who : "reviewer", -1, SQLITE_TRANSIENT);
	int src = sqlite3_step(up);
	sqlite3_finalize(up);
	if (src != SQLITE_DONE) {
		rc = (src & 0xff) == SQLITE_CONSTRAINT   /* extended codes are on */
			? qes_error_set(err, QES_ENOTFOUND, "no such record")
			: qes_store_sqlerr(st, err, "saving the decision");
		goto fail;
	}
	if (log_action(&s, "decide", 0, a, b, names[decision], who ? who : "reviewer") ||
	    (decision == QES_DEDUP_MERGE && merge_now(st, &s, a, b, who ? who : "reviewer"))) {
		rc = qes_store_sqlerr(st, err, "saving the decision");
		goto fail;
	}
	rc = qes_store_commit(st, err);
	goto out;
fail:
	qes_store_rollback(st);
out:
	stmts_free(&s);
	return rc;
}

/* Undoes one active cluster; with requeue its pairs go back to the queue. */
static int undo_one(qes_store *st, stmts *s, long long c, int requeue)
{
	sqlite3 *db = qes_store_db(st);
	sqlite3_stmt *q;
	long long *ids = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;
	if (sqlite3_prepare_v2(db, "SELECT record_id FROM dedup_members WHERE cluster_id = ?"
			       " ORDER BY record_id", -1, &q, NULL))
		return -1;
	sqlite3_bind_int64(q, 1, c);
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			long long *g = realloc(ids, cap * sizeof(*g));
			if (!g)
				goto out;
			ids = g;
		}
		ids[n++] = sqlite3_column_int64(q, 0);
	}
	char detail[256];
	size_t dl = (size_t)snprintf(detail, sizeof(detail), "records");
	for (size_t i = 0; i < n && dl + 24 < sizeof(detail); i++)
		dl += (size_t)snprintf(detail + dl, sizeof(detail) - dl, " #%lld", ids[i]);
	if (exec_bind2(st, "DELETE FROM dedup_members WHERE cluster_id = ?1 AND ?2 = ?2", c, 0) ||
	    exec_bind2(st, "UPDATE dedup_clusters SET status = 'undone', changed_at ="
		       " strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1 AND ?2 = ?2", c, 0) ||
	    log_action(s, "undo", c, 0, 0, detail, "reviewer"))
		goto out;
	for (size_t i = 0; requeue && i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (exec_bind2(st, "INSERT INTO dedup_pairs(a, b, reason) VALUES (?1, ?2,"
				       " 'their merge was undone') ON CONFLICT(a, b) DO UPDATE SET"
				       " status = 'pending', decided_at = NULL, reason = 'their merge was undone'",
				       ids[i], ids[j]))
				goto out;
	rc = 0;
out:
	sqlite3_finalize(q);
	free(ids);
	return rc;
}

int qes_dedup_undo(qes_store *st, long long cluster_id, long *undone, qes_error *err)
{
	*undone = 0;
	sqlite3 *db = qes_store_db(st);
	stmts s;
	long long *list = NULL;
	size_t n = 0, cap = 0;
	int rc = stmts_prepare(st, &s, err);
	if (rc)
		return rc;
	if ((rc = qes_store_begin(st, err)))
		goto out;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, "SELECT id FROM dedup_clusters WHERE status = 'active'"
			       " AND (?1 = 0 OR id = ?1) ORDER BY id", -1, &q, NULL)) {
		rc = qes_store_sqlerr(st, err, "reading clusters");
		goto fail;
	}
	sqlite3_bind_int64(q, 1, cluster_id);
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			long long *g = realloc(list, cap * sizeof(*g));
			if (!g)
				break;
			list = g;
		}
		list[n++] = sqlite3_column_int64(q, 0);
	}
	sqlite3_finalize(q);
	if (cluster_id && !n) {
		rc = qes_error_set(err, QES_ENOTFOUND, "no active cluster %lld", cluster_id);
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		if (undo_one(st, &s, list[i], cluster_id != 0)) {
			rc = qes_store_sqlerr(st, err, "undoing a merge");
			goto fail;
		}
	*undone = (long)n;
	rc = qes_store_commit(st, err);
	goto out;
fail:
	qes_store_rollback(st);
out:
	free(list);
	stmts_free(&s);
	return rc;
}

/* --- Export and summary -------------------------------------------------- */

static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

int qes_dedup_write_clusters(qes_store *st, FILE *f, qes_error *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(qes_store_db(st),
			"SELECT r.source_key, coalesce('c' || m.cluster_id, 'r' || r.id)"
			" FROM records r LEFT JOIN dedup_members m ON m.record_id = r.id ORDER BY r.id",
			-1, &s, NULL))
		return qes_store_sqlerr(st, err, "reading clusters");
	fputs("source_key,cluster\n", f);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		csv_field(f, (const char *)sqlite3_column_text(s, 0));
		fputc(',', f);
		fputs((const char *)sqlite3_column_text(s, 1), f);
		fputc('\n', f);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return qes_store_sqlerr(st, err, "reading clusters");
	if (fflush(f) || ferror(f))
		return qes_error_set(err, QES_EIO, "cannot write the clusters: %m");
	return 0;
}

int qes_dedup_export_clusters(qes_store *st, const char *path, qes_error *err)
{
	/* A regular file is written whole or not at all (temp file, then
	 * rename); anything else (a pipe, /dev/stdout) is written in place,
	 * never replaced. */
	struct stat sb;
	int direct = !stat(path, &sb) && !S_ISREG(sb.st_mode);
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid()) >= sizeof(tmp))
		return qes_error_set(err, QES_EINVAL, "output path too long");
	FILE *f = fopen(direct ? path : tmp, "w");
	if (!f)
		return qes_error_at(err, QES_EIO, path, 0, NULL, "cannot write: %m");
	int rc = qes_dedup_write_clusters(st, f, err);
	if (fclose(f) && !rc)
		rc = qes_error_at(err, QES_EIO, path, 0, NULL, "cannot write: %m");
	if (!direct && !rc && rename(tmp, path))
		rc = qes_error_at(err, QES_EIO, path, 0, NULL, "cannot write: %m");
	if (!direct && rc)
		unlink(tmp);
	return rc;
}

static long count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	long v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL))
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

int qes_dedup_summary(qes_store *st, qes_dedup_counts *c, qes_error *err)
{
	sqlite3 *db = qes_store_db(st);
	memset(c, 0, sizeof(*c));
	c->records = count(db, "SELECT count(*) FROM records");
	c->clusters = count(db, "SELECT count(*) FROM dedup_clusters WHERE status = 'active'");
	long members = count(db, "SELECT count(*) FROM dedup_members");
	c->pending = count(db, "SELECT count(*) FROM dedup_pairs p"
			   " LEFT JOIN dedup_members ma ON ma.record_id = p.a"
			   " LEFT JOIN dedup_members mb ON mb.record_id = p.b"
			   " WHERE p.status IN ('pending', 'skip') AND (ma.cluster_id IS NULL"
			   " OR mb.cluster_id IS NULL OR ma.cluster_id <> mb.cluster_id)");
	c->decided = count(db, "SELECT count(*) FROM dedup_pairs WHERE status IN ('merge', 'distinct')");
	c->runs = count(db, "SELECT count(*) FROM dedup_runs");
	if (c->records < 0 || c->clusters < 0 || members < 0 || c->pending < 0 || c->decided < 0 ||
	    c->runs < 0)
		return qes_store_sqlerr(st, err, "reading deduplication counts");
	c->duplicates = members - c->clusters;
	c->works = c->records - c->duplicates;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, "SELECT rules_version FROM dedup_runs ORDER BY id DESC LIMIT 1",
			       -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			snprintf(c->rules_version, sizeof(c->rules_version), "%s",
				 (const char *)sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	return 0;
}

int qes_dedup_compare(const qes_record *a, const qes_record *b, double *title_sim,
		      char *why, size_t whylen)
{
	qes_arena ar;
	qes__arena_init(&ar, 16 * 1024);
	qes__dd_rec ra, rb;
	int v = QES_DEDUP_NONE;
	if (!qes__dd_prepare(&ra, a, &ar) && !qes__dd_prepare(&rb, b, &ar))
		v = qes__dd_compare(&ra, &rb, title_sim, why, whylen);
	qes__arena_free(&ar);
	return v;
}
