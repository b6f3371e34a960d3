/* api_selfcheck.c: the review appraised as a whole, for the team (owners
 * and reviewers): GET /api/selfcheck?checklist=ID gives qes_selfcheck_json
 * plus the checklists shipped; POST /api/selfcheck {checklist, item,
 * answer, comment} stores the team's answer (answer null or "" clears it),
 * as `qes selfcheck --set` does: one transaction, logged. */
#include "web.h"

#include <string.h>

#include "qes/selfcheck.h"

#define SELFCHECK_COMMENT_MAX 4000   /* bytes: a comment, not a document */

int qes__web_selfcheck(qes__web_call *cx, qes_error *err)
{
	const char *id = qes__web_arg(cx, "checklist");
	json_t *v = qes_selfcheck_json(cx->st, id && *id ? id : NULL, err), *lists, *l;
	if (!v)
		return err->code;
	if (!(lists = qes_selfcheck_lists_json(err))) {
		json_decref(v);
		return err->code;
	}
	json_t *brief = json_array();
	size_t i;
	json_array_foreach(lists, i, l)
		json_array_append_new(brief, json_pack("{sO sO}", "id", json_object_get(l, "id"),
						       "title", json_object_get(l, "title")));
	json_decref(lists);
	json_object_set_new(v, "checklists", brief);
	cx->json = v;
	return 0;
}

int qes__web_selfcheck_set(qes__web_call *cx, qes_error *err)
{
	const char *list = json_string_value(json_object_get(cx->body, "checklist"));
	const char *item = json_string_value(json_object_get(cx->body, "item"));
	const char *answer = json_string_value(json_object_get(cx->body, "answer"));
	const char *comment = json_string_value(json_object_get(cx->body, "comment"));
	if (!item || !*item)
		return qes_error_set(err, QES_EINVAL, "item: the checklist item's id");
	if (comment && strlen(comment) > SELFCHECK_COMMENT_MAX)
		return qes_error_set(err, QES_ELIMIT, "comment: at most %d bytes", SELFCHECK_COMMENT_MAX);
	int rc = qes_selfcheck_set(cx->st, list && *list ? list : NULL, item,
				   answer && *answer ? answer : NULL, comment, cx->session->name, err);
	if (!rc)
		cx->json = json_pack("{sb}", "ok", 1);
	return rc;
}
