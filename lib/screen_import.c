/* screen_import.c: decisions from a CSV (teams moving in from Rayyan or
 * Covidence bring their labels). Columns source_key, reviewer, stage,
 * decision, reason (screen_csv.c reads them); every row is decided in one
 * transaction, so a bad row rejects the whole file and names its line. */
#include "screen_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct import_ctx {
	qes_store *st;
	const char *path;
	long rows;
	qes_error *err;
} import_ctx;

static int row_fail(import_ctx *c, long line, const char *field, const qes_error *why)
{
	return qes_error_at(c->err, why->code == QES_EINVAL ? QES_EFORMAT : why->code,
			    c->path, line, field, "%s", why->message);
}

static int on_row(void *ud, long line, const char *const f[5])
{
	import_ctx *c = ud;
	qes_error e;
	qes_error_clear(&e);
	qes_stage stage;
	qes_decision d;
	long long id;
	if (!f[0][0]) {
		qes_error_set(&e, QES_EFORMAT, "empty source_key");
		return row_fail(c, line, "source_key", &e);
	}
	if (qes_stage_parse(f[2], &stage, &e))
		return row_fail(c, line, "stage", &e);
	if (qes_decision_parse(f[3], &d, &e))
		return row_fail(c, line, "decision", &e);
	if (qes_record_find(c->st, f[0], &id, &e))
		return row_fail(c, line, "source_key", &e);
	qes_decide_opts o = { f[4], NULL };
	if (qes__screen_decide_locked(c->st, f[1], stage, id, d, &o, "import", &e))
		return row_fail(c, line, NULL, &e);
	c->rows++;
	return 0;
}

int qes_decisions_import(qes_store *st, const char *path, long *count, qes_error *err)
{
	*count = 0;
	import_ctx c = { st, path, 0, err };
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return qes_error_at(err, QES_EIO, path, 0, NULL, "cannot open: %s", strerror(errno));
	int rc = qes__screen_prepare(st, err);
	if (rc || (rc = qes_store_begin(st, err))) {
		fclose(fp);
		return rc;
	}
	rc = qes__decisions_csv(fp, path, on_row, &c, err);
	if (!rc && ferror(fp))
		rc = qes_error_at(err, QES_EIO, path, 0, NULL, "read error");
	fclose(fp);
	if (!rc)
		rc = qes_store_commit(st, err);
	if (rc)
		qes_store_rollback(st);
	else
		*count = c.rows;
	return rc;
}
