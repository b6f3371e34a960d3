/* screen_import.c: decisions from a CSV (teams moving in from Rayyan or
 * Covidence bring their labels). Columns source_key, reviewer, stage,
 * decision, reason; the file is read by the shared CSV parser (unmapped
 * columns arrive as the record's extra fields) and every row is decided in
 * one transaction, so a bad row rejects the whole file and names its line. */
#include "screen_internal.h"
#include "qes/import.h"

#include <stdio.h>
#include <string.h>

typedef struct import_ctx {
	qes_store *st;
	const char *path;
	long rows;
	qes_error *err;
} import_ctx;

static int row_fail(import_ctx *c, long line, const char *field, int code,
		    const char *why)
{
	char msg[sizeof(c->err->message)];
	snprintf(msg, sizeof(msg), "%s", why);
	return qes_error_at(c->err, code, c->path, line, field, "%s", msg);
}

static int on_row(void *ud, const qes_record *rec)
{
	import_ctx *c = ud;
	qes_error e;
	qes_error_clear(&e);
	static const char *const cols[] = { "reviewer", "stage", "decision" };
	const char *key = qes_record_extra(rec, "source_key");
	if (!key)
		key = rec->source_key;
	if (!key || !*key)
		return row_fail(c, rec->line, "source_key", QES_EFORMAT,
				"no source_key (columns: source_key,reviewer,stage,decision,reason)");
	for (int i = 0; i < 3; i++) {
		const char *v = qes_record_extra(rec, cols[i]);
		if (!v || !*v)
			return row_fail(c, rec->line, cols[i], QES_EFORMAT, "empty or missing column");
	}
	qes_stage stage;
	qes_decision d;
	long long id;
	if (qes_stage_parse(qes_record_extra(rec, "stage"), &stage, &e))
		return row_fail(c, rec->line, "stage", QES_EFORMAT, e.message);
	if (qes_decision_parse(qes_record_extra(rec, "decision"), &d, &e))
		return row_fail(c, rec->line, "decision", QES_EFORMAT, e.message);
	if (qes_record_find(c->st, key, &id, &e))
		return row_fail(c, rec->line, "source_key", e.code, e.message);
	qes_decide_opts o = { qes_record_extra(rec, "reason"), NULL };
	if (qes__screen_decide_locked(c->st, qes_record_extra(rec, "reviewer"), stage, id, d,
				      &o, "import", &e))
		return row_fail(c, rec->line, NULL, e.code, e.message);
	c->rows++;
	return 0;
}

int qes_decisions_import(qes_store *st, const char *path, long *count, qes_error *err)
{
	*count = 0;
	import_ctx c = { st, path, 0, err };
	qes_parse_opts po = { .format = "csv" };
	int rc = qes__screen_prepare(st, err);
	if (rc || (rc = qes_store_begin(st, err)))
		return rc;
	rc = qes_parse_file(path, &po, on_row, &c, NULL, err);
	if (!rc)
		rc = qes_store_commit(st, err);
	if (rc)
		qes_store_rollback(st);
	else
		*count = c.rows;
	return rc;
}
