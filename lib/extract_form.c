/* extract_form.c: the team's extraction form and value validation. */
#include "study_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "qes/study.h"

static const char *const types[] = { "text", "number", "choice", "multi", "yesno",
				     "country", "count" };

/* Field and group names: lower-case letters, digits, '_' and '-'. */
static int valid_name(const char *s, size_t n)
{
	if (!n || n > 63)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) ||
		      s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

int qes_extract_field_add(qes_store *st, const char *name, const char *type,
			  const char *options, const char *label, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int known = 0, rc;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		known |= !strcmp(types[i], type);
	if (!known)
		return qes_error_set(err, QES_EINVAL, "unknown field type '%s' (text, number, "
				     "choice, multi, yesno, country, count)", type);
	if (!valid_name(name, strlen(name)))
		return qes_error_set(err, QES_EINVAL, "field name '%s': use lower-case letters, "
				     "digits, '_' or '-'", name);
	if ((options && !qes__utf8_valid(options, strlen(options))) ||
	    (label && !qes__utf8_valid(label, strlen(label))))
		return qes_error_set(err, QES_EINVAL, "options and label must be UTF-8 text");
	if ((!strcmp(type, "choice") || !strcmp(type, "multi")) && (!options || !*options))
		return qes_error_set(err, QES_EINVAL, "a %s field needs --options", type);
	if ((rc = qes_store_begin(st, err)))
		return rc;
	if ((rc = qes__prep(st, &s, "INSERT INTO extract_fields(name, type, options, label, "
			    "position) SELECT ?1, ?2, ?3, ?4, coalesce(max(position), 0) + 1 "
			    "FROM extract_fields", err)))
		goto out;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, options ? options : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, label && *label ? label : name, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = sqlite3_extended_errcode(qes_store_db(st)) == SQLITE_CONSTRAINT_UNIQUE
			? qes_error_set(err, QES_EEXIST, "the form already has a field '%s'", name)
			: qes_store_sqlerr(st, err, "adding a field");
		goto out;
	}
	rc = qes_store_commit(st, err);
out:
	sqlite3_finalize(s);
	if (rc)
		qes_store_rollback(st);
	return rc;
}

static json_t *split_options(const char *opts)
{
	json_t *a = json_array();
	while (opts && *opts) {
		size_t n = strcspn(opts, ",");
		while (n && isspace((unsigned char)*opts)) {
			opts++;
			n--;
		}
		size_t m = n;
		while (m && isspace((unsigned char)opts[m - 1]))
			m--;
		if (m)
			json_array_append_new(a, json_stringn(opts, m));
		opts += n;
		if (*opts == ',')
			opts++;
	}
	return a;
}

json_t *qes_extract_form_json(qes_store *st, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *fields = json_array(), *out = NULL;
	if (!fields || qes__prep(st, &s, "SELECT name, type, label, options FROM extract_fields "
				 "ORDER BY position", err))
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *f = json_object();
		json_object_set_new(f, "name", json_string((const char *)sqlite3_column_text(s, 0)));
		json_object_set_new(f, "type", json_string((const char *)sqlite3_column_text(s, 1)));
		json_object_set_new(f, "label", json_string((const char *)sqlite3_column_text(s, 2)));
		json_object_set_new(f, "options", split_options((const char *)sqlite3_column_text(s, 3)));
		json_array_append_new(fields, f);
	}
	out = json_pack("{s:o}", "fields", fields);
	fields = NULL;
out:
	sqlite3_finalize(s);
	json_decref(fields);
	return out;
}

/* Matches one option case-insensitively; returns its spelling or NULL. */
static const char *match_option(json_t *opts, const char *v, size_t n)
{
	size_t i;
	json_t *o;
	json_array_foreach(opts, i, o) {
		const char *s = json_string_value(o);
		if (strlen(s) == n && !strncasecmp(s, v, n))
			return s;
	}
	return NULL;
}

static char *trimmed(const char *v)
{
	while (isspace((unsigned char)*v))
		v++;
	size_t n = strlen(v);
	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	return strndup(v, n);
}

/* Validates each "; "-separated part with the list (multi) or the country
 * table and joins the normalised parts with "; ". */
static int check_list(const char *field, const char *v, json_t *opts, int country,
		      char **norm, qes_error *err)
{
	qes_strbuf sb = QES_STRBUF_INIT(1u << 20);
	int rc = 0;
	const char *p = v;
	while (*p) {
		size_t n = strcspn(p, ";");
		char *part = strndup(p, n), *t = part ? trimmed(part) : NULL;
		free(part);
		if (!t) {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
			break;
		}
		const char *ok = NULL;
		if (*t)
			ok = country ? qes_country_canonical(t) : match_option(opts, t, strlen(t));
		if (*t && !ok) {
			rc = country
				? qes_error_set(err, QES_EFORMAT, "%s: '%s' is not a country in the "
						"ISO 3166-1 list (or England, Scotland, Wales, "
						"Northern Ireland)", field, t)
				: qes_error_set(err, QES_EFORMAT, "%s: '%s' is not one of the options",
						field, t);
		}
		free(t);
		if (rc)
			break;
		if (ok && ((sb.len && qes__strbuf_addstr(&sb, "; ")) || qes__strbuf_addstr(&sb, ok))) {
			rc = qes_error_set(err, QES_ELIMIT, "%s: value too long", field);
			break;
		}
		p += n;
		if (*p == ';')
			p++;
	}
	if (!rc)
		*norm = strdup(qes__strbuf_str(&sb));
	qes__strbuf_release(&sb);
	return rc;
}

static int check_value(const char *field, const char *type, json_t *opts,
		       const char *v, char **norm, qes_error *err)
{
	char *end;
	if (!strcmp(type, "text")) {
		*norm = strdup(v);
		return 0;
	}
	if (!strcmp(type, "number")) {
		errno = 0;
		double d = strtod(v, &end);
		if (end == v || *end || errno || !isfinite(d))
			return qes_error_set(err, QES_EFORMAT, "%s: '%s' is not a number", field, v);
		*norm = strdup(v);
		return 0;
	}
	if (!strcmp(type, "count")) {
		errno = 0;
		long long n = strtoll(v, &end, 10);
		if (end == v || *end || errno || n < 0 || !isdigit((unsigned char)*v))
			return qes_error_set(err, QES_EFORMAT, "%s: '%s' is not a count "
					     "(a whole number, 0 or more)", field, v);
		return asprintf(norm, "%lld", n) < 0 ? QES_ENOMEM : 0;
	}
	if (!strcmp(type, "yesno")) {
		if (!strcasecmp(v, "yes") || !strcasecmp(v, "y") || !strcasecmp(v, "true"))
			*norm = strdup("yes");
		else if (!strcasecmp(v, "no") || !strcasecmp(v, "n") || !strcasecmp(v, "false"))
			*norm = strdup("no");
		else
			return qes_error_set(err, QES_EFORMAT, "%s: '%s' is not yes or no", field, v);
		return 0;
	}
	if (!strcmp(type, "choice")) {
		const char *o = match_option(opts, v, strlen(v));
		if (!o) {
			char *list = json_dumps(opts, JSON_COMPACT);
			qes_error_set(err, QES_EFORMAT, "%s: '%s' is not one of the options %s",
				      field, v, list ? list : "");
			free(list);
			return QES_EFORMAT;
		}
		*norm = strdup(o);
		return 0;
	}
	return check_list(field, v, opts, !strcmp(type, "country"), norm, err);
}

int qes_extract_validate(qes_store *st, const char *field, const char *value,
			 char **norm, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	const char *dot = strchr(field, '.');
	size_t base = dot ? (size_t)(dot - field) : strlen(field);
	char *v = NULL;
	int rc;
	*norm = NULL;
	if (!qes__utf8_valid(value, strlen(value)))
		return qes_error_set(err, QES_EFORMAT, "%s: the value is not UTF-8 text", field);
	if ((rc = qes__prep(st, &s, "SELECT type, options FROM extract_fields WHERE name = ?", err)))
		return rc;
	sqlite3_bind_text(s, 1, field, (int)base, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW) {
		rc = qes_error_set(err, QES_EFORMAT, "the form has no field '%.*s' "
				   "(qes extract form shows it)", (int)base, field);
		goto out;
	}
	const char *type = (const char *)sqlite3_column_text(s, 0);
	int is_count = !strcmp(type, "count");
	if (is_count != (dot != NULL) || (dot && !valid_name(dot + 1, strlen(dot + 1)))) {
		rc = is_count
			? qes_error_set(err, QES_EFORMAT, "'%s' counts participants by group: "
					"name the group, e.g. %.*s.parents", field, (int)base, field)
			: qes_error_set(err, QES_EFORMAT, "the form has no field '%s'", field);
		goto out;
	}
	json_t *opts = split_options((const char *)sqlite3_column_text(s, 1));
	if (!(v = trimmed(value))) {
		json_decref(opts);
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	/* Empty is "no value" for every type (qes_extract_set deletes it): a
	 * count or a choice must be clearable too. */
	rc = *v ? check_value(field, type, opts, v, norm, err)
		: ((*norm = strdup("")) ? 0 : QES_ENOMEM);
	json_decref(opts);
	if (!rc && !*norm)
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
out:
	free(v);
	sqlite3_finalize(s);
	return rc;
}
