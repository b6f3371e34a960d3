/* screen_report.c: what qes screen prints for scripts instead of opening
 * the screener: progress (--progress), every record's outcome
 * (--outcomes) and the stopping estimate (--stopping), as text or JSON.
 * None of it needs a terminal. */
#include "screen_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_outcome(void *ud, long long id, const char *key, const char *method,
		       qes_outcome o)
{
	json_t *e = json_object();
	json_object_set_new(e, "record_id", json_integer(id));
	json_object_set_new(e, "source_key", json_string(key));
	json_object_set_new(e, "method", json_string(method));
	json_object_set_new(e, "outcome", json_string(qes_outcome_name(o)));
	json_array_append_new(ud, e);
	return 0;
}

int cli_screen_report(qes_store *st, const char *as, qes_stage stage, int outcomes, int json)
{
	qes_error err;
	qes_error_clear(&err);
	if (outcomes) {
		json_t *arr = json_array();
		if (qes_screen_outcomes_foreach(st, stage, add_outcome, arr, &err)) {
			json_decref(arr);
			return cli_fail("screen", &err);
		}
		if (json)
			return cli_print_json(arr);
		size_t i;
		json_t *e;
		json_array_foreach(arr, i, e)
			printf("%s\t%s\t%s\n", json_string_value(json_object_get(e, "source_key")),
			       json_string_value(json_object_get(e, "method")),
			       json_string_value(json_object_get(e, "outcome")));
		json_decref(arr);
		return 0;
	}
	qes_progress p;
	if (qes_screen_progress(st, as, stage, &p, &err))
		return cli_fail("screen", &err);
	json_t *o = json_object();
	json_object_set_new(o, "stage", json_string(qes_stage_name(stage)));
	json_object_set_new(o, "pool", json_integer(p.pool));
	json_object_set_new(o, "double_needed", json_integer(p.double_needed));
	json_object_set_new(o, "double_planned", json_integer(p.planned));
	json_object_set_new(o, "double_decided", json_integer(p.double_decided));
	json_object_set_new(o, "screened", json_integer(p.screened));
	json_object_set_new(o, "included", json_integer(p.included));
	json_object_set_new(o, "excluded", json_integer(p.excluded));
	json_object_set_new(o, "unsure", json_integer(p.unsure));
	json_object_set_new(o, "conflicts", json_integer(p.conflicts));
	json_object_set_new(o, "pending", json_integer(p.pending));
	json_object_set_new(o, "not_yet_screened", json_integer(p.undecided));
	json_object_set_new(o, "waiting_second", json_integer(p.waiting_second));
	if (stage == QES_STAGE_FT) {
		json_object_set_new(o, "sought", json_integer(p.sought));
		json_object_set_new(o, "retrieved", json_integer(p.retrieved));
		json_object_set_new(o, "not_retrieved", json_integer(p.not_retrieved));
	}
	if (as) {
		json_object_set_new(o, "reviewer", json_string(as));
		json_object_set_new(o, "mine", json_integer(p.mine));
		json_object_set_new(o, "mine_included", json_integer(p.mine_included));
		json_object_set_new(o, "to_do", json_integer(p.to_do));
	}
	if (json)
		return cli_print_json(o);
	char a[32], b[32], c[32];
	printf("%s: %s of %s screened, %s included, %ld excluded, %ld conflicts\n",
	       qes_stage_name(stage), cli_thousands(p.screened, a), cli_thousands(p.pool, b),
	       cli_thousands(p.included, c), p.excluded, p.conflicts);
	if (p.pending)
		printf("  pending: %ld not yet screened, %ld waiting for a second reviewer\n",
		       p.undecided, p.waiting_second);
	json_decref(o);
	return 0;
}

int cli_screen_stopping(qes_store *st, const char *as, qes_stage stage, int json)
{
	qes_error err;
	qes_error_clear(&err);
	qes_rank_stop r;
	if (qes_screen_stopping(st, as, stage, 0, 0, &r, &err))
		return cli_fail("screen", &err);
	char sentence[1024];
	qes_screen_stopping_sentence(&r, sentence, sizeof(sentence));
	if (!json) {
		printf("%s\n", sentence);
		return 0;
	}
	json_t *o = json_object();
	json_object_set_new(o, "stage", json_string(qes_stage_name(stage)));
	json_object_set_new(o, "reviewer", json_string(as));
	json_object_set_new(o, "rule", json_string("Callaghan & Mueller-Hansen 2020, Systematic "
						   "Reviews 9:273 (hypergeometric test on a random "
						   "sample of the records left)"));
	json_object_set_new(o, "total", json_integer(r.total));
	json_object_set_new(o, "screened", json_integer(r.screened));
	json_object_set_new(o, "relevant", json_integer(r.relevant));
	json_object_set_new(o, "sample_pool", json_integer(r.sample_pool));
	json_object_set_new(o, "sample_n", json_integer(r.sample_n));
	json_object_set_new(o, "sample_relevant", json_integer(r.sample_relevant));
	json_object_set_new(o, "target", json_real(r.target));
	json_object_set_new(o, "confidence", json_real(r.confidence));
	json_object_set_new(o, "p_value", json_real(r.p_value));
	json_object_set_new(o, "can_stop", json_boolean(r.can_stop));
	json_object_set_new(o, "remaining_est", r.remaining_est < 0 ? json_null()
			    : json_real(r.remaining_est));
	json_object_set_new(o, "remaining_upper", r.remaining_upper < 0 ? json_null()
			    : json_integer(r.remaining_upper));
	json_object_set_new(o, "recall_lower", json_real(r.recall_lower));
	json_object_set_new(o, "since_relevant", json_integer(r.since_relevant));
	json_object_set_new(o, "sentence", json_string(sentence));
	return cli_print_json(o);
}
