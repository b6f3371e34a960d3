/* code_passage.c: what a passage is, in one place.
 *
 * A passage is a stretch of one source that was coded: spans of the same
 * source in the same group (a theme, a kind of coding, a source as a
 * whole) that overlap, directly or through a chain of overlapping spans,
 * are one passage, whoever coded them and under whichever code. Two coders
 * marking the same words give one passage, not two; spans that only touch
 * (one ends where the next starts) are two. A passage is numbered by the
 * first of its codings in (start, end, id) order, so the numbers are stable
 * for the same codings. Every count of passages in qes (theme views, the
 * themes table, the matrices, agreement, ENTREQ, sensitivity, the report)
 * goes through qes__code_passages. */
#include "code_internal.h"

#include <stdio.h>

int qes__code_passages(qes_store *st, const char *spans_sql, const char *into,
		       qes_error *err)
{
	sqlite3_stmt *s = NULL, *ins = NULL;
	char sql[256];
	int rc;
	/* One savepoint for the lot: outside a transaction each insert into
	 * the temporary table would be a transaction of its own. */
	int own = sqlite3_get_autocommit(qes_store_db(st));
	if (own && (rc = qes_store_exec(st, "SAVEPOINT qes_passages", err)))
		return rc;
	snprintf(sql, sizeof(sql), "INSERT INTO %s(grp, coding_id, passage) VALUES (?, ?, ?)", into);
	if ((rc = qes__code_prep(st, &s, spans_sql, err)) ||
	    (rc = qes__code_prep(st, &ins, sql, err)))
		goto out;
	long long grp = 0, src = 0, passage = 0;
	long reach = -1;   /* the end of the passage being grown */
	int first = 1;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		long long g = sqlite3_column_int64(s, 0), id = sqlite3_column_int64(s, 1);
		long long so = sqlite3_column_int64(s, 2);
		long start = (long)sqlite3_column_int64(s, 3), end = (long)sqlite3_column_int64(s, 4);
		if (first || g != grp || so != src || start >= reach) {
			passage = id;
			reach = end;
			grp = g;
			src = so;
			first = 0;
		} else if (end > reach) {
			reach = end;
		}
		sqlite3_bind_int64(ins, 1, g);
		sqlite3_bind_int64(ins, 2, id);
		sqlite3_bind_int64(ins, 3, passage);
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = qes_store_sqlerr(st, err, "numbering passages");
		sqlite3_reset(ins);
	}
out:
	sqlite3_finalize(s);
	sqlite3_finalize(ins);
	if (own) {
		qes_error e;
		qes_error_clear(&e);
		int r2 = qes_store_exec(st, rc ? "ROLLBACK TO qes_passages; RELEASE qes_passages"
					: "RELEASE qes_passages", rc ? &e : err);
		if (!rc)
			rc = r2;
	}
	return rc;
}

int qes__code_passage_table(qes_store *st, const char *name, qes_error *err)
{
	char sql[512];
	snprintf(sql, sizeof(sql), "CREATE TEMP TABLE IF NOT EXISTS %s(grp INTEGER, coding_id INTEGER,"
		 " passage INTEGER, PRIMARY KEY (grp, coding_id)) WITHOUT ROWID;"
		 " CREATE INDEX IF NOT EXISTS temp.%s_passage ON %s(grp, passage);"
		 " DELETE FROM temp.%s;", name, name, name, name);
	return qes_store_exec(st, sql, err);
}
