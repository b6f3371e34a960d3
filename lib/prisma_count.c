/* prisma_count.c: every number of the PRISMA 2020 diagram, from the data.
 *
 * A "work" is what screening screens: a duplicate cluster (its primary
 * record stands for it) or a record on its own. Records identified are all
 * imported records, before deduplication, per source; duplicates removed is
 * the database records that are not works. Screening outcomes come from the
 * screening module's views; studies from the study module. */
#include "qes/prisma.h"
#include "qes/store.h"
#include "screen_internal.h"
#include "study_internal.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static int table_exists(sqlite3 *db, const char *name)
{
	sqlite3_stmt *s;
	int yes = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
			       -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
		yes = sqlite3_step(s) == SQLITE_ROW;
		sqlite3_finalize(s);
	}
	return yes;
}

/* temp.prisma_rec: every record with its source and its work (unit);
 * temp.prisma_works: each work and whether a database found it. */
static int build_works(qes_store *st, qes_error *err)
{
	sqlite3 *db = qes_store_db(st);
	const char *unit = table_exists(db, "dedup_members")
		? "coalesce((SELECT c.best_record_id FROM dedup_members m JOIN dedup_clusters c"
		  " ON c.id = m.cluster_id AND c.status = 'active' WHERE m.record_id = r.id), r.id)"
		: "r.id";
	char *sql = sqlite3_mprintf(
		"DROP TABLE IF EXISTS temp.prisma_rec; DROP TABLE IF EXISTS temp.prisma_works;"
		"CREATE TEMP TABLE prisma_rec AS SELECT r.id, s.id AS sid, s.name, s.method,"
		" %s AS unit FROM records r JOIN imports i ON i.id = r.import_id"
		" JOIN sources s ON s.id = i.source_id;"
		"CREATE TEMP TABLE prisma_works AS SELECT unit,"
		" max(method IN ('database', 'register')) AS db FROM temp.prisma_rec GROUP BY unit;"
		"CREATE INDEX temp.prisma_works_unit ON prisma_works(unit);", unit);
	if (!sql)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	int rc = qes_store_exec(st, sql, err);
	sqlite3_free(sql);
	return rc;
}

static int push_count(qes_prisma_count **list, size_t *n, const char *name, long v)
{
	qes_prisma_count *p = realloc(*list, (*n + 1) * sizeof(**list));
	if (!p)
		return QES_ENOMEM;
	*list = p;
	p[*n].name = strdup(name ? name : "");
	p[*n].n = v;
	if (!p[*n].name)
		return QES_ENOMEM;
	(*n)++;
	return 0;
}

static int identified(qes_store *st, qes_prisma *p, qes_error *err)
{
	sqlite3_stmt *s;
	/* Every record, per source, in both columns: a record of other methods
	 * that duplicates one already identified is counted here and removed as
	 * a duplicate, so every imported record is accounted for. */
	/* A source searched with no records (a search recorded with
	 * 'qes source add') is listed with n = 0. */
	const char *sql =
		"SELECT s.name, s.method, (SELECT count(*) FROM temp.prisma_rec r WHERE r.sid = s.id)"
		" FROM sources s WHERE s.method IN ('database', 'register')"
		" AND EXISTS (SELECT 1 FROM imports i WHERE i.source_id = s.id) ORDER BY s.id";
	if (sqlite3_prepare_v2(qes_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "counting records identified");
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		long n = (long)sqlite3_column_int64(s, 2);
		rc = push_count(&p->db.identified, &p->db.n_identified,
				(const char *)sqlite3_column_text(s, 0), n);
		p->db.identified_total += n;
		if (!strcmp((const char *)sqlite3_column_text(s, 1), "register"))
			p->db.registers += n;
	}
	sqlite3_finalize(s);
	if (rc)
		return qes_error_set(err, rc, "out of memory");
	sql = "SELECT s.name, (SELECT count(*) FROM temp.prisma_rec r WHERE r.sid = s.id)"
	      " FROM sources s WHERE s.method NOT IN ('database', 'register')"
	      " AND EXISTS (SELECT 1 FROM imports i WHERE i.source_id = s.id) ORDER BY s.id";
	if (sqlite3_prepare_v2(qes_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "counting records identified");
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		long n = (long)sqlite3_column_int64(s, 1);
		rc = push_count(&p->other.identified, &p->other.n_identified,
				(const char *)sqlite3_column_text(s, 0), n);
		p->other.identified_total += n;
	}
	sqlite3_finalize(s);
	if (rc)
		return qes_error_set(err, rc, "out of memory");
	p->other.present = p->other.n_identified > 0;
	return 0;
}

static int add_gap(qes_prisma_gap **gaps, size_t *n, long long id, const char *key,
		   const char *stage, const char *state)
{
	qes_prisma_gap *g = realloc(*gaps, (*n + 1) * sizeof(**gaps));
	if (!g)
		return QES_ENOMEM;
	*gaps = g;
	g[*n] = (qes_prisma_gap){ id, strdup(key ? key : ""), strdup(stage),
				   strdup(state ? state : "not screened") };
	(*n)++;
	return 0;
}

static int outcomes(qes_store *st, qes_prisma *p, qes_prisma_gap **gaps, size_t *n_gaps,
		    qes_error *err)
{
	sqlite3_stmt *s;
	const char *sql =
		"SELECT w.unit, w.db, r.source_key,"
		" CASE WHEN ta.outcome = 'pending' AND ta.n > 0 THEN 'waiting_second' ELSE ta.outcome END,"
		" CASE WHEN ft.outcome = 'pending' AND ft.n > 0 THEN 'waiting_second' ELSE ft.outcome END"
		" FROM temp.prisma_works w"
		" JOIN records r ON r.id = w.unit"
		" LEFT JOIN temp.screen_outcome_ta ta ON ta.record_id = w.unit"
		" LEFT JOIN temp.screen_outcome_ft ft ON ft.record_id = w.unit ORDER BY w.unit";
	if (sqlite3_prepare_v2(qes_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "counting screening outcomes");
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		int is_db = sqlite3_column_int(s, 1);
		const char *key = (const char *)sqlite3_column_text(s, 2);
		const char *ta = (const char *)sqlite3_column_text(s, 3);
		const char *ft = (const char *)sqlite3_column_text(s, 4);
		qes_prisma_column *c = is_db ? &p->db : &p->other;
		c->screened++;
		/* The screening module's outcomes, so "screened" means here what
		 * it means everywhere (qes/screen.h): a gap is "pending" (no
		 * decision yet), "waiting_second" (one of two decisions in) or
		 * "conflict". */
		int ta_on = ta && (!strcmp(ta, "include") || !strcmp(ta, "unsure"));
		int ta_out = ta && !strcmp(ta, "exclude");
		if (ta_out) {
			c->excluded_screening++;
			continue;
		}
		if (!ta_on && is_db) {
			rc = add_gap(gaps, n_gaps, id, key, "ta", ta);
			continue;
		}
		/* Sought for retrieval: included at title/abstract, or found by
		 * other methods (no title/abstract box in that column). */
		c->sought++;
		if (ft && !strcmp(ft, "not_retrieved")) {
			c->not_retrieved++;
			continue;
		}
		c->assessed++;
		if (ft && !strcmp(ft, "include")) {
			p->reports_included++;
		} else if (!ft || strcmp(ft, "exclude")) {
			/* A work of other methods not yet screened at title/abstract
			 * has no full-text pool entry: it waits at "ta". */
			rc = add_gap(gaps, n_gaps, id, key, ft ? "ft" : ta_on ? "ft" : "ta",
				     ft ? ft : NULL);
		}
	}
	sqlite3_finalize(s);
	return rc ? qes_error_set(err, rc, "out of memory") : 0;
}

/* Reasons for full-text exclusions: the resolution's, else the first
 * reviewer's who excluded; largest first. */
static int reasons(qes_store *st, int db_column, qes_prisma_column *c, qes_error *err)
{
	sqlite3_stmt *s;
	const char *sql =
		"SELECT coalesce("
		"  (SELECT reason FROM screen_resolutions WHERE record_id = w.unit AND stage = 'ft'"
		"    AND reason IS NOT NULL),"
		"  (SELECT d.reason FROM screen_decisions d WHERE d.record_id = w.unit"
		"    AND d.stage = 'ft' AND d.decision = 'exclude' AND d.reason IS NOT NULL"
		"    ORDER BY d.seq LIMIT 1), 'No reason recorded') AS why, count(*) AS n"
		" FROM temp.prisma_works w JOIN temp.screen_outcome_ft ft ON ft.record_id = w.unit"
		" WHERE ft.outcome = 'exclude' AND w.db = ? GROUP BY why ORDER BY n DESC, why";
	if (sqlite3_prepare_v2(qes_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "counting exclusion reasons");
	sqlite3_bind_int(s, 1, db_column);
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW)
		rc = push_count(&c->excluded_reports, &c->n_excluded_reports,
				(const char *)sqlite3_column_text(s, 0),
				(long)sqlite3_column_int64(s, 1));
	sqlite3_finalize(s);
	return rc ? qes_error_set(err, rc, "out of memory") : 0;
}

static int studies(qes_store *st, qes_prisma *p, qes_error *err)
{
	int rc = qes__study_pool_sync(st, err);
	if (rc)
		return rc;
	long long n = qes_store_count(st,
		"SELECT count(DISTINCT sr.study_id) FROM study_reports sr"
		" JOIN temp.screen_outcome_ft ft ON ft.record_id = sr.record_id"
		" WHERE ft.outcome = 'include'", err);
	if (n < 0)
		return QES_ESTORE;
	p->studies_included = (long)n;
	return 0;
}

static int previous(qes_store *st, qes_prisma *p, qes_error *err)
{
	char *v = NULL;
	int rc = qes_store_get_meta(st, "prisma.previous_studies", &v, err);
	if (rc || !v)
		return rc;
	p->update = 1;
	p->previous_studies = atol(v);
	free(v);
	rc = qes_store_get_meta(st, "prisma.previous_reports", &v, err);
	if (!rc && v)
		p->previous_reports = atol(v);
	free(v);
	return rc;
}

int qes_prisma_compute(qes_store *st, qes_prisma *p, qes_prisma_gap **gaps,
		       size_t *n_gaps, qes_error *err)
{
	memset(p, 0, sizeof(*p));
	*gaps = NULL;
	*n_gaps = 0;
	p->db.present = 1;
	int rc;
	if ((rc = qes__screen_prepare(st, err)) || (rc = build_works(st, err)) ||
	    (rc = identified(st, p, err)) || (rc = outcomes(st, p, gaps, n_gaps, err)) ||
	    (rc = reasons(st, 1, &p->db, err)) || (rc = reasons(st, 0, &p->other, err)) ||
	    (rc = studies(st, p, err)) || (rc = previous(st, p, err))) {
		qes_prisma_release(p);
		qes_prisma_gaps_free(*gaps, *n_gaps);
		*gaps = NULL;
		*n_gaps = 0;
		return rc;
	}
	p->db.duplicates_removed = p->db.identified_total - p->db.screened;
	p->other.duplicates_removed = p->other.identified_total - p->other.screened;
	if (p->other.present && p->other.sought == 0 && p->other.identified_total == 0)
		p->other.present = 0;
	qes_store_exec(st, "DROP TABLE IF EXISTS temp.prisma_rec;"
			   "DROP TABLE IF EXISTS temp.prisma_works;", NULL);
	return 0;
}

void qes_prisma_gaps_free(qes_prisma_gap *gaps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(gaps[i].key);
		free(gaps[i].stage);
		free(gaps[i].state);
	}
	free(gaps);
}
