/* screen_reviewer.c: the review team (initials, name, role). */
#include "screen_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int initials_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 15)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

int qes_reviewer_add(qes_store *st, const char *initials, const char *name,
		     const char *role, qes_error *err)
{
	if (!initials_ok(initials))
		return qes_error_set(err, QES_EINVAL,
				     "initials '%s': use 1 to 15 letters, digits, '-' or '_'",
				     initials ? initials : "");
	if (role && strcmp(role, "owner") && strcmp(role, "reviewer") && strcmp(role, "arbiter"))
		return qes_error_set(err, QES_EINVAL,
				     "no such role '%s' (owner, reviewer or arbiter)", role);
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	sqlite3_stmt *s = NULL;
	/* The first reviewer runs the review unless told otherwise. */
	long long count = qes_store_count(st, "reviewers", err);
	if (count < 0) {
		rc = QES_ESTORE;
		goto out;
	}
	if (!role)
		role = count == 0 ? "owner" : "reviewer";
	if ((rc = qes__screen_stmt(st, &s,
				   "INSERT INTO reviewers(initials, name, role) VALUES (?, ?, ?)",
				   err)))
		goto out;
	sqlite3_bind_text(s, 1, initials, -1, SQLITE_STATIC);
	if (name)
		sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, role, -1, SQLITE_STATIC);
	int step = sqlite3_step(s);
	if (step == SQLITE_CONSTRAINT_UNIQUE) {
		rc = qes_error_set(err, QES_EEXIST, "reviewer '%s' already exists", initials);
		goto out;
	}
	if (step != SQLITE_DONE) {
		rc = qes_store_sqlerr(st, err, "adding reviewer");
		goto out;
	}
	long long id = sqlite3_last_insert_rowid(qes_store_db(st));
	char detail[600];
	snprintf(detail, sizeof(detail), "reviewer %s (%s)%s%s", initials, role,
		 name ? ": " : "", name ? name : "");
	if ((rc = qes__screen_log(st, id, "reviewer", 0, NULL, NULL, NULL, NULL, NULL,
				  detail, NULL, err)))
		goto out;
	rc = qes_store_commit(st, err);
out:
	sqlite3_finalize(s);
	if (rc)
		qes_store_rollback(st);
	return rc;
}

static void fill(sqlite3_stmt *s, qes_reviewer *r)
{
	r->id = sqlite3_column_int64(s, 0);
	snprintf(r->initials, sizeof(r->initials), "%s", (const char *)sqlite3_column_text(s, 1));
	const unsigned char *n = sqlite3_column_text(s, 2);
	r->name = n ? strdup((const char *)n) : NULL;
	r->role = strdup((const char *)sqlite3_column_text(s, 3));
}

int qes_reviewer_get(qes_store *st, const char *initials, qes_reviewer *out,
		     qes_error *err)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT id, initials, name, role FROM reviewers"
				     " WHERE initials = ?", err))
		return QES_ESTORE;
	sqlite3_bind_text(s, 1, initials, -1, SQLITE_STATIC);
	int rc = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		fill(s, out);
		if (!out->role)
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
	} else {
		rc = qes_error_set(err, QES_ENOTFOUND, "no reviewer '%s'", initials);
	}
	sqlite3_finalize(s);
	return rc;
}

int qes_reviewer_foreach(qes_store *st, int (*fn)(void *ud, const qes_reviewer *r),
			 void *ud, qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT id, initials, name, role FROM reviewers"
				     " ORDER BY id", err))
		return QES_ESTORE;
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		qes_reviewer r;
		fill(s, &r);
		rc = r.role ? fn(ud, &r) : qes_error_set(err, QES_ENOMEM, "out of memory");
		qes_reviewer_release(&r);
	}
	sqlite3_finalize(s);
	return rc;
}

void qes_reviewer_release(qes_reviewer *r)
{
	free(r->name);
	free(r->role);
	r->name = r->role = NULL;
}
