/* code_variables.c: typed case variables. A case attribute is text until
 * its variable is given a type (the REFI-QDA types: Text, Boolean,
 * Integer, Float, Date, DateTime); from then on every value of it is
 * checked, those already stored first, so a number stays a number when the
 * project goes to NVivo or ATLAS.ti and back. */
#include "code_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const types[] = { "Text", "Boolean", "Integer", "Float", "Date", "DateTime", NULL };

static int valid_date(const char *v, size_t n)
{
	int y, m, d;
	char tail;
	if (n != 10 || sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || v[4] != '-' || v[7] != '-')
		return 0;
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] &&
	       (m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
}

/* 1 when value is a valid literal of type (the canonical spelling). */
static int value_fits(const char *type, const char *v)
{
	char *end;
	if (!strcmp(type, "Text"))
		return 1;
	if (!strcmp(type, "Boolean"))
		return !strcasecmp(v, "true") || !strcasecmp(v, "false");
	if (!strcmp(type, "Integer")) {
		errno = 0;
		(void)strtoll(v, &end, 10);
		return *v && !*end && !errno && !isspace((unsigned char)*v);
	}
	if (!strcmp(type, "Float")) {
		errno = 0;
		double d = strtod(v, &end);
		return *v && !*end && !errno && isfinite(d) && !isspace((unsigned char)*v);
	}
	if (!strcmp(type, "Date"))
		return valid_date(v, strlen(v));
	/* DateTime: YYYY-MM-DDTHH:MM:SS, optionally Z. */
	size_t n = strlen(v);
	int h, mi, s;
	char tail;
	return (n == 19 || (n == 20 && v[19] == 'Z')) && valid_date(v, 10) && v[10] == 'T' &&
	       sscanf(v + 11, "%2d:%2d:%2d%c", &h, &mi, &s, &tail) >= 3 && h < 24 && mi < 60 && s < 60;
}

/* The declared type of variable key, or "Text". */
static int type_of(qes_store *st, const char *key, char *type, size_t n, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT type FROM code_variables WHERE name = ?", err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	snprintf(type, n, "%s", sqlite3_step(s) == SQLITE_ROW
		 ? (const char *)sqlite3_column_text(s, 0) : "Text");
	sqlite3_finalize(s);
	return 0;
}

int qes__code_attr_check(qes_store *st, const char *case_name, const char *key,
			 size_t keylen, const char *value, qes_error *err)
{
	char k[256], type[16];
	snprintf(k, sizeof(k), "%.*s", (int)(keylen < sizeof(k) - 1 ? keylen : sizeof(k) - 1), key);
	int rc = type_of(st, k, type, sizeof(type), err);
	if (!rc && !value_fits(type, value))
		rc = qes_error_set(err, QES_EFORMAT, "case %s: %s = '%s' is not %s %s (qes code"
				   " variables shows the types)", case_name, k, value,
				   type[0] == 'I' ? "an" : "a", type);
	return rc;
}

int qes_code_variable_set(qes_store *st, const char *name, const char *type,
			  const char *description, qes_error *err)
{
	const char *canon = NULL;
	for (int i = 0; types[i]; i++)
		if (!strcasecmp(type, types[i]))
			canon = types[i];
	if (!canon)
		return qes_error_set(err, QES_EINVAL, "--type is text, boolean, integer, float, date"
				     " or datetime, not '%s'", type);
	if (!name || !*name)
		return qes_error_set(err, QES_EINVAL, "a variable needs a name");
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	/* Values stored before the type was given must fit it too. */
	sqlite3_stmt *s = NULL;
	if (!(rc = qes__code_prep(st, &s, "SELECT c.name, a.value FROM code_case_attrs a JOIN"
				  " code_cases c ON c.id = a.case_id WHERE a.key = ? ORDER BY c.name", err))) {
		sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
		while (!rc && sqlite3_step(s) == SQLITE_ROW)
			if (!value_fits(canon, (const char *)sqlite3_column_text(s, 1)))
				rc = qes_error_set(err, QES_EFORMAT, "case %s has %s = '%s', which is not"
						   " %s %s", (const char *)sqlite3_column_text(s, 0), name,
						   (const char *)sqlite3_column_text(s, 1),
						   canon[0] == 'I' ? "an" : "a", canon);
		sqlite3_finalize(s);
	}
	char guid[37];
	qes_code_guid(guid);
	if (!rc && !(rc = qes__code_prep(st, &s, "INSERT INTO code_variables(guid, name, type,"
					 " description) VALUES (?, ?, ?, coalesce(?, '')) ON CONFLICT(name)"
					 " DO UPDATE SET type = excluded.type, description ="
					 " coalesce(?4, description)", err))) {
		sqlite3_bind_text(s, 1, guid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, canon, -1, SQLITE_STATIC);
		if (description)
			sqlite3_bind_text(s, 4, description, -1, SQLITE_TRANSIENT);
		rc = qes__code_done_stmt(st, s, "declaring a variable", err);
	}
	return qes__code_txn(st, rc, err);
}

json_t *qes_code_variables_json(qes_store *st, qes_error *err)
{
	/* Every attribute key, typed or not, with how many cases have it. */
	sqlite3_stmt *s = NULL;
	if (qes__code_prep(st, &s, "SELECT k.name, coalesce(v.type, 'Text'), coalesce(v.description, ''),"
			   " (SELECT count(*) FROM code_case_attrs a WHERE a.key = k.name), v.id IS NOT NULL"
			   " FROM (SELECT name FROM code_variables UNION SELECT key FROM code_case_attrs) k"
			   " LEFT JOIN code_variables v ON v.name = k.name ORDER BY k.name", err))
		return NULL;
	json_t *out = json_array();
	while (sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(out, json_pack("{ss ss ss sI sb}",
			"name", (const char *)sqlite3_column_text(s, 0),
			"type", (const char *)sqlite3_column_text(s, 1),
			"description", (const char *)sqlite3_column_text(s, 2),
			"cases", (json_int_t)sqlite3_column_int64(s, 3),
			"declared", sqlite3_column_int(s, 4)));
	sqlite3_finalize(s);
	return out;
}
