/* cmd_reviewer.c: qes reviewer add|list */
#include "cli.h"
#include "qes/screen.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"qes reviewer add REVIEW INITIALS [--name NAME] [--role owner|reviewer|arbiter]\n"
	"       qes reviewer list REVIEW [--json]";
static const char help[] =
	"Manages the review team. The first reviewer added is the owner (manages\n"
	"policies, resolves conflicts) unless --role says otherwise; an arbiter is a\n"
	"third reviewer who resolves conflicts.\n"
	"\n"
	"  --name NAME   the reviewer's full name\n"
	"  --role ROLE   owner, reviewer or arbiter\n"
	"  --json        list as an array of {initials, name, role}\n";

static int add_json(void *ud, const qes_reviewer *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "initials", json_string(r->initials));
	json_object_set_new(o, "name", cli_json_str(r->name));
	json_object_set_new(o, "role", json_string(r->role));
	json_array_append_new(ud, o);
	return 0;
}

int cmd_reviewer(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *name = NULL, *role = NULL;
	int json = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "n:r:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': name = optarg; break;
		case 'r': role = optarg; break;
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	static const char *const actions[] = { "add", "list" };
	if (optind < argc && cli_action("reviewer", usage, argv[optind], CLI_ACTIONS(actions)) >= 0)
		return QES_EXIT_USAGE;
	int left = argc - optind;
	const char *sub = left > 0 ? argv[optind] : "";
	int is_add = !strcmp(sub, "add");
	if (!(is_add && left == 3) && !(!strcmp(sub, "list") && left == 2))
		return cli_usage_error(usage, "say add REVIEW INITIALS or list REVIEW");
	qes_store *st;
	int rc = cli_open("reviewer", argv[optind + 1], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	if (is_add) {
		if (qes_reviewer_add(st, argv[optind + 2], name, role, &err))
			rc = cli_fail("reviewer", &err);
		else
			printf("added reviewer %s\n", argv[optind + 2]);
		qes_store_close(st);
		return rc;
	}
	json_t *arr = json_array();
	if (qes_reviewer_foreach(st, add_json, arr, &err)) {
		json_decref(arr);
		qes_store_close(st);
		return cli_fail("reviewer", &err);
	}
	qes_store_close(st);
	if (json)
		return cli_print_json(arr);
	size_t i;
	json_t *r;
	json_array_foreach(arr, i, r) {
		const char *n = json_string_value(json_object_get(r, "name"));
		cli_row("%s %s %s\n", cli_pad(json_string_value(json_object_get(r, "initials")), 6),
		       cli_pad(json_string_value(json_object_get(r, "role")), 8), n ? n : "");
	}
	json_decref(arr);
	return 0;
}
