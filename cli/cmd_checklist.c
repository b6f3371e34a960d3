/* cmd_checklist.c: qes checklist list|add|add-question|use|export */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/appraise.h"

static const char usage[] =
	"qes checklist list REVIEW [--json] | add REVIEW FILE.json [--use] |\n"
	"       add-question REVIEW CHECKLIST ID TEXT [--type rating|text] |\n"
	"       use REVIEW CHECKLIST [--add|--remove] | export REVIEW [CHECKLIST] [-o FILE.json]";
static const char help[] =
	"Appraisal checklists are data: JSON files with an id, title, citation, answers\n"
	"and questions (see docs/appraisal.md). A review starts with the CASP qualitative\n"
	"checklist (2018).\n"
	"\n"
	"  list REVIEW                          the review's checklists (* = active)\n"
	"  add REVIEW FILE.json [--use]         load a checklist (--use: make it active)\n"
	"  add-question REVIEW CL ID TEXT       add a review-specific question (rating by default)\n"
	"  use REVIEW CHECKLIST                 rate with this checklist only from now on\n"
	"  use REVIEW CHECKLIST --add|--remove  several active at once: add one, take one away\n"
	"                                       (table, plots, agreement and rule span them all)\n"
	"  export REVIEW [CHECKLIST] [-o FILE]  the checklist as JSON, to edit and add again\n";

int cmd_checklist(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "use", no_argument, NULL, 'u' },
		{ "add", no_argument, NULL, 'A' },
		{ "remove", no_argument, NULL, 'R' },
		{ "type", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	int json = 0, use = 0, add = 0, remove = 0, c;
	const char *type = "rating", *out = NULL;
	optind = 0;
	while ((c = getopt_long(argc, argv, "jt:o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'u': use = 1; break;
		case 'A': add = 1; break;
		case 'R': remove = 1; break;
		case 't': type = optarg; break;
		case 'o': out = optarg; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	static const char *const actions[] = { "list", "add", "add-question", "use", "export" };
	if (optind < argc && cli_action("checklist", usage, argv[optind], CLI_ACTIONS(actions)) >= 0)
		return QES_EXIT_USAGE;
	int nargs = argc - optind;
	char **a = argv + optind;
	if (nargs < 2)
		return cli_usage_error(usage, "checklist needs an action and a review");
	const char *act = a[0];
	if (!(!strcmp(act, "list") && nargs == 2) && !(!strcmp(act, "add") && nargs == 3) &&
	    !(!strcmp(act, "add-question") && nargs == 5) && !(!strcmp(act, "use") && nargs == 3) &&
	    !(!strcmp(act, "export") && (nargs == 2 || nargs == 3)))
		return cli_usage_error(usage, "wrong arguments for 'checklist %s'", act);
	if ((add || remove) && (strcmp(act, "use") || (add && remove)))
		return cli_usage_error(usage, "--add or --remove go with 'checklist use'");
	qes_store *st;
	int rc = cli_open("checklist", a[1], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	json_t *j = NULL;
	char *id = NULL;
	if (qes_checklist_ensure_default(st, &err))
		goto fail;
	if (!strcmp(act, "list")) {
		if (!(j = qes_checklist_list_json(st, &err)))
			goto fail;
		if (json) {
			rc = cli_print_json(j);
			j = NULL;
		} else {
			size_t i;
			json_t *x;
			json_array_foreach(j, i, x)
				cli_row("%s %s %3lld questions  %s\n",
				       json_is_true(json_object_get(x, "active")) ? "*" : " ",
				       cli_pad(json_string_value(json_object_get(x, "id")), 28),
				       (long long)json_integer_value(json_object_get(x, "questions")),
				       json_string_value(json_object_get(x, "title")));
		}
	} else if (!strcmp(act, "add")) {
		if (qes_checklist_add_file(st, a[2], use, &id, &err))
			goto fail;
		printf("checklist %s added%s\n", id, use ? " and in use" : "");
	} else if (!strcmp(act, "add-question")) {
		if (qes_checklist_add_question(st, a[2], a[3], a[4], type, &err))
			goto fail;
	} else if (!strcmp(act, "use")) {
		if ((add || remove ? qes_checklist_activate(st, a[2], add, &err)
				   : qes_checklist_use(st, a[2], &err)))
			goto fail;
	} else {
		if (!(j = qes_checklist_json(st, nargs == 3 ? a[2] : NULL, &err)))
			goto fail;
		if (out && strcmp(out, "-")) {
			if (json_dump_file(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) {
				qes_error_at(&err, QES_EIO, out, 0, NULL, "cannot write");
				goto fail;
			}
		} else {
			rc = cli_print_json(j);
			j = NULL;
		}
	}
	goto done;
fail:
	rc = cli_fail("checklist", &err);
done:
	json_decref(j);
	free(id);
	qes_store_close(st);
	return rc;
}
