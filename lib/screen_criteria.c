/* screen_criteria.c: eligibility criteria, exclusion reasons, and the
 * keywords the screener highlights. */
#include "screen_internal.h"
#include "text_limit.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = { "concept", "include", "exclude" };

const char *qes_criterion_kind_name(qes_criterion_kind k)
{
	return k >= QES_CRIT_CONCEPT && k <= QES_CRIT_EXCLUDE ? kind_names[k] : "";
}

int qes_criteria_set_framework(qes_store *st, const char *framework, qes_error *err)
{
	if (!framework || !*framework)
		return qes_error_set(err, QES_EINVAL, "name the framework (SPICE, PICo, PICO, ...)");
	return qes_store_set_meta(st, "screen.framework", framework, err);
}

/* Runs one INSERT with up to three text parameters as its own transaction. */
static int insert(qes_store *st, const char *sql, const char *a, const char *b,
		  const char *c, const char *what, qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, sql, err))
		return QES_ESTORE;
	const char *v[3] = { a, b, c };
	for (int i = 0; i < 3; i++)
		if (v[i])
			sqlite3_bind_text(s, i + 1, v[i], -1, SQLITE_STATIC);
	int step = sqlite3_step(s);
	sqlite3_finalize(s);
	if (step == SQLITE_CONSTRAINT_UNIQUE)
		return qes_error_set(err, QES_EEXIST, "%s '%s' is already there", what, a);
	return step == SQLITE_DONE ? 0 : qes_store_sqlerr(st, err, what);
}

int qes_criteria_add(qes_store *st, qes_criterion_kind kind, const char *label,
		     const char *text, qes_error *err)
{
	if (!text || !*text)
		return qes_error_set(err, QES_EINVAL, "a criterion needs its text");
	if (qes__text_limit("a criterion's label", label, QES_MAX_NAME_TEXT, err) ||
	    qes__text_limit("a criterion", text, QES_MAX_LONG_TEXT, err))
		return err->code;
	if (kind == QES_CRIT_CONCEPT && (!label || !*label))
		return qes_error_set(err, QES_EINVAL, "a concept block needs a label (Setting=...)");
	return insert(st, "INSERT INTO screen_criteria(kind, label, text) VALUES (?, ?, ?)",
		      qes_criterion_kind_name(kind), label, text, "criterion", err);
}

int qes_criteria_foreach(qes_store *st, char **framework,
			 int (*fn)(void *ud, qes_criterion_kind kind,
				   const char *label, const char *text),
			 void *ud, qes_error *err)
{
	if (framework && qes_store_get_meta(st, "screen.framework", framework, err))
		return QES_ESTORE;
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT kind, label, text FROM screen_criteria"
				     " ORDER BY CASE kind WHEN 'concept' THEN 0"
				     " WHEN 'include' THEN 1 ELSE 2 END, id", err))
		return QES_ESTORE;
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(s, 0);
		qes_criterion_kind kind = !strcmp(k, "concept") ? QES_CRIT_CONCEPT
			: !strcmp(k, "include") ? QES_CRIT_INCLUDE : QES_CRIT_EXCLUDE;
		rc = fn(ud, kind, (const char *)sqlite3_column_text(s, 1),
			(const char *)sqlite3_column_text(s, 2));
	}
	sqlite3_finalize(s);
	return rc;
}

int qes_reason_add(qes_store *st, const char *reason, qes_error *err)
{
	if (!reason || !*reason)
		return qes_error_set(err, QES_EINVAL, "an exclusion reason needs its text");
	return insert(st, "INSERT INTO screen_reasons(reason) VALUES (?)", reason, NULL, NULL,
		      "reason", err);
}

int qes_reason_foreach(qes_store *st, int (*fn)(void *ud, const char *reason),
		       void *ud, qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT reason FROM screen_reasons ORDER BY id", err))
		return QES_ESTORE;
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW)
		rc = fn(ud, (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return rc;
}

int qes_keyword_add(qes_store *st, const char *word, int exclude, qes_error *err)
{
	return qes_keyword_add_by(st, word, exclude, NULL, err);
}

int qes_keyword_add_by(qes_store *st, const char *word, int exclude, const char *by,
		       qes_error *err)
{
	if (!word || !*word)
		return qes_error_set(err, QES_EINVAL, "a keyword cannot be empty");
	if (qes__text_limit("a keyword", word, QES_MAX_NAME_TEXT, err))
		return err->code;
	return insert(st, exclude ? "INSERT INTO screen_keywords(word, exclude, added_by) VALUES (?1, 1, ?2)"
				  : "INSERT INTO screen_keywords(word, exclude, added_by) VALUES (?1, 0, ?2)",
		      word, by, NULL, "keyword", err);
}

int qes_keyword_remove(qes_store *st, const char *word, const char *by, qes_error *err)
{
	sqlite3_stmt *s;
	if (!word || !*word)
		return qes_error_set(err, QES_EINVAL, "which keyword?");
	if (qes__screen_stmt(st, &s, "SELECT id, added_by FROM screen_keywords WHERE word = ?", err))
		return QES_ESTORE;
	sqlite3_bind_text(s, 1, word, -1, SQLITE_STATIC);
	int step = sqlite3_step(s), rc = 0;
	long long id = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	const char *added = step == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 1) : NULL;
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = qes_store_sqlerr(st, err, "reading the keywords");
	else if (!id)
		rc = qes_error_set(err, QES_ENOTFOUND, "no keyword '%s'", word);
	else if (by && (!added || sqlite3_stricmp(added, by)))
		rc = qes_error_set(err, QES_EPERM, "keyword '%s' was added by %s: only they or an"
				   " owner may remove it", word, added ? added : "the owner");
	sqlite3_finalize(s);
	if (rc)
		return rc;
	if (qes__screen_stmt(st, &s, "DELETE FROM screen_keywords WHERE id = ?", err))
		return QES_ESTORE;
	sqlite3_bind_int64(s, 1, id);
	step = sqlite3_step(s);
	sqlite3_finalize(s);
	return step == SQLITE_DONE ? 0 : qes_store_sqlerr(st, err, "removing a keyword");
}

int qes_keyword_foreach(qes_store *st, int (*fn)(void *ud, const char *w, int exclude),
			void *ud, qes_error *err)
{
	sqlite3_stmt *s;
	if (qes__screen_stmt(st, &s, "SELECT word, exclude FROM screen_keywords ORDER BY id", err))
		return QES_ESTORE;
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW)
		rc = fn(ud, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int(s, 1));
	sqlite3_finalize(s);
	return rc;
}
