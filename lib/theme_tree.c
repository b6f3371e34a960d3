/* theme_tree.c: the theme tree: add, put codes in, group, ungroup, remove,
 * rename, describe, move. Each action is one transaction. */
#include "theme_internal.h"
#include "text_limit.h"
#include "code_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int qes__theme_exec(qes_store *st, const char *sql, const char *types, qes_error *err, ...)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, sql, err);
	if (rc)
		return rc;
	va_list ap;
	va_start(ap, err);
	for (int i = 0; types[i]; i++) {
		if (types[i] == 't') {
			const char *v = va_arg(ap, const char *);
			if (v)
				sqlite3_bind_text(s, i + 1, v, -1, SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_int64(s, i + 1, va_arg(ap, long long));
		}
	}
	va_end(ap);
	int step = sqlite3_step(s);
	if ((step & 0xff) == SQLITE_CONSTRAINT)
		rc = qes_error_set(err, QES_EEXIST, "%s", sqlite3_errmsg(qes_store_db(st)));
	else if (step != SQLITE_DONE && step != SQLITE_ROW)
		rc = qes_store_sqlerr(st, err, "changing themes");
	sqlite3_finalize(s);
	return rc;
}

/* Theme ids whose name (and parent's name, for "A/B") match; *n gets how
 * many (the first in *id). */
static int match(qes_store *st, const char *name, long long *id, int *n, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	const char *slash = strchr(name, '/');
	int rc = qes__code_prep(st, &s, slash
		? "SELECT t.id FROM code_themes t JOIN code_themes p ON p.id = t.parent_id"
		  " WHERE p.name = substr(?1, 1, ?2) AND t.name = substr(?1, ?2 + 2) ORDER BY t.id"
		: "SELECT id FROM code_themes WHERE name = ?1 ORDER BY id", err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	/* substr counts characters: the slash's position in code points. */
	if (slash)
		sqlite3_bind_int64(s, 2, qes_code_byte_to_cp(name, (size_t)(slash - name)));
	*n = 0;
	while (sqlite3_step(s) == SQLITE_ROW)
		if ((*n)++ == 0)
			*id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return 0;
}

int qes_theme_find(qes_store *st, const char *name, long long *id, qes_error *err)
{
	if (!name || !*name)
		return qes_error_set(err, QES_EINVAL, "a theme needs a name");
	if (name[0] == '#' && name[1])
		return qes__code_lookup(st, "code_themes", "id", name, "theme", id, err);
	int n = 0, rc = match(st, name, id, &n, err);
	if (rc)
		return rc;
	if (n == 0)
		return qes_error_set(err, QES_ENOTFOUND, "no theme '%s' (qes theme list)", name);
	if (n > 1)
		return qes_error_set(err, QES_EAMBIG, "%d themes are called '%s': name a subtheme"
				     " as 'Analytical/Subtheme', or use #ID (qes theme list)", n, name);
	return 0;
}

static int level_of(qes_store *st, long long id, char out[16], qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT level FROM code_themes WHERE id = ?", err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	out[0] = 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, 16, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return 0;
}

static int check_name(const char *name, qes_error *err)
{
	if (!name || !*name || strchr(name, '/') || name[0] == '#')
		return qes_error_set(err, QES_EINVAL, "a theme's name is not empty, has no '/'"
				     " and does not start with '#'");
	return 0;
}

static int add(qes_store *st, const char *name, const char *level, const char *parent,
	       const char *description, long long *id, qes_error *err)
{
	long long pid = 0;
	char plevel[16];
	int rc = check_name(name, err);
	if (rc)
		return rc;
	if (parent) {
		if (level && strcmp(level, "subtheme"))
			return qes_error_set(err, QES_EINVAL, "--parent makes a subtheme; a %s theme"
					     " has no parent", level);
		level = "subtheme";
		if ((rc = qes_theme_find(st, parent, &pid, err)) || (rc = level_of(st, pid, plevel, err)))
			return rc;
		if (strcmp(plevel, "analytical"))
			return qes_error_set(err, QES_EINVAL, "a subtheme's parent is an analytical"
					     " theme; '%s' is %s", parent, plevel);
	} else if (!level || (strcmp(level, "descriptive") && strcmp(level, "analytical"))) {
		return qes_error_set(err, QES_EINVAL, level && !strcmp(level, "subtheme")
				     ? "a subtheme needs --parent ANALYTICAL"
				     : "--level is descriptive or analytical (or --parent for a subtheme)");
	}
	char guid[37];
	qes_code_guid(guid);
	rc = qes__theme_exec(st, pid
		? "INSERT INTO code_themes(guid, level, parent_id, name, description, position)"
		  " SELECT ?1, ?2, ?3, ?4, ?5, coalesce(max(position), 0) + 1 FROM code_themes"
		  " WHERE parent_id = ?3"
		: "INSERT INTO code_themes(guid, level, parent_id, name, description, position)"
		  " SELECT ?1, ?2, NULL, ?4, ?5, coalesce(max(position), 0) + 1 FROM code_themes"
		  " WHERE parent_id IS NULL AND level = ?2 AND ?3 = 0",
		"ttitt", err, guid, level, pid, name, description ? description : "");
	if (rc == QES_EEXIST)
		return qes_error_set(err, QES_EEXIST, "there is already a %s theme '%s'%s%s", level,
				     name, pid ? " under " : "", pid ? parent : "");
	if (!rc && id)
		*id = sqlite3_last_insert_rowid(qes_store_db(st));
	return rc;
}

int qes_theme_add(qes_store *st, const char *name, const char *level, const char *parent,
		  const char *description, long long *id, qes_error *err)
{
	if (qes__text_limit("a theme name", name, QES_MAX_NAME_TEXT, err) ||
	    qes__text_limit("a theme description", description, QES_MAX_LONG_TEXT, err))
		return err->code;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	return qes__code_txn(st, add(st, name, level, parent, description, id, err), err);
}

static int codes(qes_store *st, const char *theme, char *const *paths, int n, int remove,
		 qes_error *err)
{
	long long tid = 0, cid = 0;
	int rc = qes_theme_find(st, theme, &tid, err);
	for (int i = 0; !rc && i < n; i++) {
		if ((rc = qes_code_find_code(st, paths[i], &cid, err)))
			break;
		rc = qes__theme_exec(st, remove
			? "DELETE FROM code_theme_codes WHERE theme_id = ? AND code_id = ?"
			: "INSERT OR IGNORE INTO code_theme_codes(theme_id, code_id) VALUES (?, ?)",
			"ii", err, tid, cid);
	}
	return rc;
}

int qes_theme_codes(qes_store *st, const char *theme, char *const *paths, int n,
		    int remove, qes_error *err)
{
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	return qes__code_txn(st, codes(st, theme, paths, n, remove, err), err);
}

/* Only descriptive themes are grouped, and only under an analytical theme
 * or a subtheme, so the grouping can never make a cycle. */
static int group(qes_store *st, const char *parent, char *const *children, int n, int remove,
		 qes_error *err)
{
	long long pid = 0, cid = 0;
	char lv[16];
	int rc = qes_theme_find(st, parent, &pid, err);
	if (!rc && !(rc = level_of(st, pid, lv, err)) && !strcmp(lv, "descriptive"))
		rc = qes_error_set(err, QES_EINVAL, "'%s' is a descriptive theme: descriptive themes"
				   " group codes (qes theme codes); themes are grouped under an"
				   " analytical theme or a subtheme", parent);
	for (int i = 0; !rc && i < n; i++) {
		if ((rc = qes_theme_find(st, children[i], &cid, err)) || (rc = level_of(st, cid, lv, err)))
			break;
		if (strcmp(lv, "descriptive")) {
			rc = qes_error_set(err, QES_EINVAL, "'%s' is %s: only descriptive themes are"
					   " grouped (a subtheme belongs to its analytical theme:"
					   " qes theme move)", children[i], lv);
			break;
		}
		rc = qes__theme_exec(st, remove
			? "DELETE FROM code_theme_links WHERE parent_id = ? AND child_id = ?"
			: "INSERT OR IGNORE INTO code_theme_links(parent_id, child_id) VALUES (?, ?)",
			"ii", err, pid, cid);
	}
	return rc;
}

int qes_theme_group(qes_store *st, const char *parent, char *const *children, int n,
		    int remove, qes_error *err)
{
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	return qes__code_txn(st, group(st, parent, children, n, remove, err), err);
}

static int remove_theme(qes_store *st, const char *theme, qes_error *err)
{
	long long id = 0;
	int rc = qes_theme_find(st, theme, &id, err);
	if (rc)
		return rc;
	long long subs = 0;
	sqlite3_stmt *s = NULL;
	if ((rc = qes__code_prep(st, &s, "SELECT count(*) FROM code_themes WHERE parent_id = ?", err)))
		return rc;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		subs = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (subs)
		return qes_error_set(err, QES_ECONFLICT, "'%s' has %lld subtheme%s: remove or move"
				     " them first", theme, subs, subs == 1 ? "" : "s");
	/* A review finding (CERQual) that names the theme would be left
	 * pointing at nothing, its evidence changed without a trace. */
	if ((rc = qes__code_prep(st, &s, "SELECT group_concat(f.key, ', ') FROM synth_finding_links l"
				 " JOIN synth_findings f ON f.id = l.finding_id"
				 " WHERE l.kind = 'theme' AND l.target_id = ?", err)))
		return rc;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		const char *keys = (const char *)sqlite3_column_text(s, 0);
		int many = strchr(keys, ',') != NULL;
		rc = qes_error_set(err, QES_ECONFLICT, "finding%s %s rest%s on '%s': the theme stays"
				   " while a finding names it", many ? "s" : "", keys, many ? "" : "s",
				   theme);
	}
	sqlite3_finalize(s);
	if (rc)
		return rc;
	/* The links and codes go by ON DELETE CASCADE; said here too, so a
	 * store opened without foreign keys behaves the same. */
	if ((rc = qes__theme_exec(st, "DELETE FROM code_theme_links WHERE parent_id = ?1"
				  " OR child_id = ?1", "i", err, id)) ||
	    (rc = qes__theme_exec(st, "DELETE FROM code_theme_codes WHERE theme_id = ?", "i", err, id)) ||
	    (rc = qes__theme_exec(st, "DELETE FROM theme_summaries WHERE theme_id = ?", "i", err, id)) ||
	    (rc = qes__theme_exec(st, "DELETE FROM synth_sharing WHERE kind = 'theme' AND target_id = ?",
				  "i", err, id)))
		return rc;
	return qes__theme_exec(st, "DELETE FROM code_themes WHERE id = ?", "i", err, id);
}

int qes_theme_remove(qes_store *st, const char *theme, qes_error *err)
{
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	return qes__code_txn(st, remove_theme(st, theme, err), err);
}

static int rename_theme(qes_store *st, const char *theme, const char *name, qes_error *err)
{
	long long id = 0;
	int rc = check_name(name, err);
	if (!rc)
		rc = qes_theme_find(st, theme, &id, err);
	if (!rc)
		rc = qes__theme_exec(st, "UPDATE code_themes SET name = ? WHERE id = ?", "ti", err,
				     name, id);
	if (rc == QES_EEXIST)
		rc = qes_error_set(err, QES_EEXIST, "a theme at that level is already called '%s'", name);
	return rc;
}

int qes_theme_rename(qes_store *st, const char *theme, const char *name, qes_error *err)
{
	if (qes__text_limit("a theme name", name, QES_MAX_NAME_TEXT, err))
		return err->code;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	return qes__code_txn(st, rename_theme(st, theme, name, err), err);
}

int qes_theme_describe(qes_store *st, const char *theme, const char *text, qes_error *err)
{
	long long id = 0;
	if (qes__text_limit("a theme description", text, QES_MAX_LONG_TEXT, err))
		return err->code;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	rc = qes_theme_find(st, theme, &id, err);
	if (!rc)
		rc = qes__theme_exec(st, "UPDATE code_themes SET description = ? WHERE id = ?", "ti",
				     err, text ? text : "", id);
	return qes__code_txn(st, rc, err);
}

static int move(qes_store *st, const char *sub, const char *parent, qes_error *err)
{
	long long id = 0, pid = 0;
	char lv[16], plv[16];
	int rc;
	if ((rc = qes_theme_find(st, sub, &id, err)) || (rc = level_of(st, id, lv, err)) ||
	    (rc = qes_theme_find(st, parent, &pid, err)) || (rc = level_of(st, pid, plv, err)))
		return rc;
	if (strcmp(lv, "subtheme") || strcmp(plv, "analytical"))
		return qes_error_set(err, QES_EINVAL, "move takes a subtheme to another analytical"
				     " theme ('%s' is %s, '%s' is %s)", sub, lv, parent, plv);
	rc = qes__theme_exec(st, "UPDATE code_themes SET parent_id = ?1, position ="
			     " (SELECT coalesce(max(position), 0) + 1 FROM code_themes WHERE parent_id = ?1)"
			     " WHERE id = ?2", "ii", err, pid, id);
	if (rc == QES_EEXIST)
		rc = qes_error_set(err, QES_EEXIST, "'%s' already has a subtheme of that name", parent);
	return rc;
}

int qes_theme_move(qes_store *st, const char *subtheme, const char *parent, qes_error *err)
{
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	return qes__code_txn(st, move(st, subtheme, parent, err), err);
}
