/* cmd_conflicts.c: qes conflicts [list] REVIEW, qes conflicts resolve REVIEW ... */
#include "cli.h"
#include "qes/screen.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"qes conflicts [list] REVIEW --stage ta|ft [--all] [--json]\n"
	"       qes conflicts resolve REVIEW --as INITIALS --stage ta|ft SOURCE_KEY "
	"include|exclude|unsure\n"
	"       [--method consensus|third] [--reason TEXT] [--note TEXT]";
static const char help[] =
	"Lists the records whose reviewers disagree (at full text, also those both\n"
	"marked unsure), or records how one was resolved: by consensus (one of the\n"
	"two reviewers, or an owner) or by a third reviewer (an owner or arbiter who\n"
	"did not decide it).\n"
	"\n"
	"  --stage ta|ft     title/abstract or full text\n"
	"  --all             also list conflicts already resolved\n"
	"  --json            an array of {source_key, record_id, title, decisions:\n"
	"                    [{reviewer, decision, reason}], resolution}\n"
	"  --as INITIALS     who resolves\n"
	"  --method M        consensus (default) or third\n"
	"  --reason TEXT     exclusion reason (needed to exclude at full text)\n"
	"  --note TEXT       what was discussed\n";

static int add_conflict(void *ud, const qes_conflict *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "source_key", cli_json_str(c->source_key));
	json_object_set_new(o, "record_id", json_integer(c->record_id));
	json_object_set_new(o, "title", cli_json_str(c->title));
	json_t *ds = json_array();
	for (int i = 0; i < c->n && i < 2; i++) {
		json_t *d = json_object();
		json_object_set_new(d, "reviewer", json_string(c->initials[i]));
		json_object_set_new(d, "decision", json_string(qes_decision_name(c->decision[i])));
		json_object_set_new(d, "reason", cli_json_str(c->reason[i]));
		json_array_append_new(ds, d);
	}
	json_object_set_new(o, "decisions", ds);
	if (c->resolved) {
		json_t *r = json_object();
		json_object_set_new(r, "decision", json_string(qes_decision_name(c->resolved)));
		json_object_set_new(r, "method", cli_json_str(c->method));
		json_object_set_new(r, "by", cli_json_str(c->resolved_by));
		json_object_set_new(r, "reason", cli_json_str(c->resolved_reason));
		json_object_set_new(r, "note", cli_json_str(c->resolved_note));
		json_object_set_new(r, "at", cli_json_str(c->resolved_at));
		json_object_set_new(o, "resolution", r);
	} else {
		json_object_set_new(o, "resolution", json_null());
	}
	json_array_append_new(ud, o);
	return 0;
}

static void print_text(json_t *arr)
{
	size_t i, j;
	json_t *c, *d;
	if (!json_array_size(arr))
		printf("no conflicts\n");
	json_array_foreach(arr, i, c) {
		const char *t = json_string_value(json_object_get(c, "title"));
		printf("%s  %.60s\n", json_string_value(json_object_get(c, "source_key")), t ? t : "");
		json_array_foreach(json_object_get(c, "decisions"), j, d) {
			const char *r = json_string_value(json_object_get(d, "reason"));
			cli_row("    %s %s%s%s\n", cli_pad(json_string_value(json_object_get(d, "reviewer")), 6),
			       json_string_value(json_object_get(d, "decision")), r ? ": " : "",
			       r ? r : "");
		}
		json_t *res = json_object_get(c, "resolution");
		if (!json_is_null(res))
			printf("    resolved: %s by %s (%s)\n",
			       json_string_value(json_object_get(res, "decision")),
			       json_string_value(json_object_get(res, "by")),
			       json_string_value(json_object_get(res, "method")));
	}
}

int cmd_conflicts(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stage", required_argument, NULL, 's' },
		{ "all", no_argument, NULL, 'A' },
		{ "json", no_argument, NULL, 'j' },
		{ "as", required_argument, NULL, 'a' },
		{ "method", required_argument, NULL, 'm' },
		{ "reason", required_argument, NULL, 'r' },
		{ "note", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *stage_s = NULL, *as = NULL, *method = NULL;
	qes_decide_opts o = { NULL, NULL };
	int all = 0, json = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "s:Aja:m:r:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': stage_s = optarg; break;
		case 'A': all = 1; break;
		case 'j': json = 1; break;
		case 'a': as = optarg; break;
		case 'm': method = optarg; break;
		case 'r': o.reason = optarg; break;
		case 'n': o.note = optarg; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	static const char *const actions[] = { "list", "resolve" };
	if (optind < argc && cli_action_or_review("conflicts", usage, argv[optind], CLI_ACTIONS(actions)) >= 0)
		return QES_EXIT_USAGE;
	int left = argc - optind;
	int resolve = left > 0 && !strcmp(argv[optind], "resolve");
	if (left > 0 && (resolve || !strcmp(argv[optind], "list"))) {
		optind++;
		left--;
	}
	qes_error err;
	qes_error_clear(&err);
	qes_stage stage;
	qes_decision d = QES_DEC_NONE;
	if (!stage_s)
		return cli_usage_error(usage, "say which stage (--stage ta|ft)");
	if (qes_stage_parse(stage_s, &stage, &err))
		return cli_usage_error(usage, "%s", err.message);
	if (resolve) {
		if (left != 3 || !as)
			return cli_usage_error(usage, "resolve takes REVIEW SOURCE_KEY DECISION and --as");
		if (qes_decision_parse(argv[optind + 2], &d, &err))
			return cli_usage_error(usage, "%s", err.message);
	} else if (left != 1) {
		return cli_usage_error(usage, "conflicts takes one review");
	}
	qes_store *st;
	int rc = cli_open("conflicts", argv[optind], &st);
	if (rc)
		return rc;
	if (resolve) {
		long long id;
		if (qes_record_find(st, argv[optind + 1], &id, &err) ||
		    qes_conflict_resolve(st, as, stage, id, method, d, &o, &err))
			rc = cli_fail("conflicts", &err);
		else
			printf("resolved %s at %s: %s\n", argv[optind + 1], qes_stage_name(stage),
			       qes_decision_name(d));
		qes_store_close(st);
		return rc;
	}
	json_t *arr = json_array();
	if (qes_conflicts_foreach(st, stage, all, add_conflict, arr, &err)) {
		json_decref(arr);
		qes_store_close(st);
		return cli_fail("conflicts", &err);
	}
	qes_store_close(st);
	if (json)
		return cli_print_json(arr);
	print_text(arr);
	json_decref(arr);
	return 0;
}
