/* code_compare.c: two coders' coding frames side by side, per source and
 * code, for the meeting where they compare them (Thomas & Harden's second
 * coder "compared coding frames"). Each row is an agreement row (the same
 * numbers as qes code agreement) with both coders' spans and their text.
 * A source still blinded (in the double-coding sample and not yet marked
 * done by two coders) is left out and counted, so comparing never shows a
 * coder the other's work before both have finished. */
#include "code_internal.h"

#include <string.h>

/* 1 when source name is sampled and fewer than two coders are done. */
static int still_blinded(qes_store *st, const char *source, qes_error *err, int *blinded)
{
	sqlite3_stmt *s = NULL;
	int rc = qes__code_prep(st, &s, "SELECT so.id IN (SELECT source_id FROM code_sample) AND"
				" (SELECT count(*) FROM code_done d WHERE d.source_id = so.id) < 2"
				" FROM code_sources so WHERE so.name = ?", err);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, source, -1, SQLITE_TRANSIENT);
	*blinded = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return 0;
}

/* The spans of coder under code on source, from the full listing. */
static json_t *spans_of(json_t *all, const char *source, const char *code, const char *coder)
{
	json_t *out = json_array(), *c;
	size_t i;
	json_array_foreach(all, i, c) {
		if (strcmp(json_string_value(json_object_get(c, "source")), source) ||
		    strcmp(json_string_value(json_object_get(c, "code")), code) ||
		    strcmp(json_string_value(json_object_get(c, "coder")), coder))
			continue;
		json_array_append_new(out, json_pack("{sO sO sO sO}", "start", json_object_get(c, "start"),
			"end", json_object_get(c, "end"), "text", json_object_get(c, "text"),
			"kind", json_object_get(c, "kind")));
	}
	return out;
}

json_t *qes_code_compare_json(qes_store *st, const char *a, const char *b, const char *source,
			      qes_error *err)
{
	json_t *ag = qes_code_agreement_json(st, a, b, 0, err), *all = NULL, *rows = NULL;
	if (!ag)
		return NULL;
	qes_code_filter f = { source, NULL, NULL };
	if (!(all = qes_code_list_json(st, &f, err)))
		goto fail;
	rows = json_array();
	long blinded_rows = 0;
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(ag, "rows"), i, r) {
		const char *src = json_string_value(json_object_get(r, "source"));
		const char *code = json_string_value(json_object_get(r, "code"));
		int blinded = 0;
		if (source && strcmp(src, source))
			continue;
		if (still_blinded(st, src, err, &blinded))
			goto fail;
		if (blinded) {
			blinded_rows++;
			continue;
		}
		json_array_append_new(rows, json_pack("{ss ss sO sO so so}", "source", src, "code", code,
			"agreement", json_object_get(r, "agreement"), "kappa", json_object_get(r, "kappa"),
			"a_spans", spans_of(all, src, code, a), "b_spans", spans_of(all, src, code, b)));
	}
	json_t *out = json_pack("{ss ss so sI sO sO}", "a", a, "b", b, "rows", rows,
				"blinded_rows", (json_int_t)blinded_rows,
				"mapped", json_object_get(ag, "mapped"),
				"proposed", json_object_get(ag, "proposed"));
	json_decref(all);
	json_decref(ag);
	return out;
fail:
	json_decref(rows);
	json_decref(all);
	json_decref(ag);
	return NULL;
}
