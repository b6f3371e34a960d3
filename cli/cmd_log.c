/* cmd_log.c: qes log REVIEW [--as INITIALS] [--json] */
#include "cli.h"
#include "qes/screen.h"

#include <stdio.h>

static const char usage[] = "qes log REVIEW [--as INITIALS] [--json]";
static const char help[] =
	"The screening audit log, oldest first: every decision, change, undo,\n"
	"import, resolution, full text and policy change (who, when, what changed).\n"
	"The log is append-only. Blinding holds here too: others' decisions on\n"
	"records that still need a decision are shown as hidden; --as shows your own.\n"
	"\n"
	"  --as INITIALS   read the log as this reviewer\n"
	"  --json          an array of {id, at, by, action, stage, source_key,\n"
	"                  old, new, reason, note, detail, hidden}\n";

static int add_entry(void *ud, const qes_log_entry *e)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "at", cli_json_str(e->at));
	json_object_set_new(o, "by", cli_json_str(e->by));
	json_object_set_new(o, "action", json_string(e->action));
	json_object_set_new(o, "stage", cli_json_str(e->stage));
	json_object_set_new(o, "source_key", cli_json_str(e->source_key));
	json_object_set_new(o, "old", cli_json_str(e->old_decision));
	json_object_set_new(o, "new", cli_json_str(e->new_decision));
	json_object_set_new(o, "reason", cli_json_str(e->reason));
	json_object_set_new(o, "note", cli_json_str(e->note));
	json_object_set_new(o, "detail", cli_json_str(e->detail));
	json_object_set_new(o, "hidden", json_boolean(e->hidden));
	json_array_append_new(ud, o);
	return 0;
}

static int print_entry(void *ud, const qes_log_entry *e)
{
	(void)ud;
	int more = e->stage || e->source_key || e->hidden || e->old_decision || e->new_decision ||
		   e->reason || e->detail || e->note;
	/* The action is padded only when a cell follows it (no trailing spaces). */
	printf("%s %s %s", e->at, cli_pad(e->by ? e->by : "-", 4), more ? cli_pad(e->action, 8) : e->action);
	if (e->stage)
		printf(" %s", e->stage);
	if (e->source_key)
		printf(" %s", e->source_key);
	if (e->hidden)
		printf(" (decision hidden until every reviewer has decided)");
	if (e->old_decision)
		printf(" %s ->", e->old_decision);
	if (e->new_decision)
		printf(" %s", e->new_decision);
	if (e->reason)
		printf(" [%s]", e->reason);
	if (e->detail)
		printf(" %s", e->detail);
	if (e->note)
		printf(" (note: %s)", e->note);
	printf("\n");
	return 0;
}

int cmd_log(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *as = NULL;
	int json = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "a:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': as = optarg; break;
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(usage, "log takes one review");
	qes_store *st;
	int rc = cli_open_read("log", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	json_t *arr = json ? json_array() : NULL;
	if (qes_log_foreach(st, as, json ? add_entry : print_entry, arr, &err)) {
		json_decref(arr);
		qes_store_close(st);
		return cli_fail("log", &err);
	}
	qes_store_close(st);
	return json ? cli_print_json(arr) : 0;
}
