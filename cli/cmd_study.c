/* cmd_study.c: qes study add|link|unlink|list|note */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/study.h"

static const char usage[] =
	"qes study add REVIEW SOURCE_KEY... | link REVIEW STUDY_KEY SOURCE_KEY |\n"
	"       unlink REVIEW SOURCE_KEY | list REVIEW [--json] | note REVIEW TEXT";
static const char help[] =
	"Included studies and their reports. Every record included at full text is a\n"
	"study keyed by its source key; a study can have several reports.\n"
	"\n"
	"  add REVIEW SOURCE_KEY...          declare records included studies (each its own\n"
	"                                    study; for sets screened elsewhere)\n"
	"  link REVIEW STUDY_KEY SOURCE_KEY  add another report to a study (only a report\n"
	"                                    included at full text, or one screened elsewhere)\n"
	"  unlink REVIEW SOURCE_KEY          take a report out of its study (not its only one);\n"
	"                                    included at full text, it is a study of its own again\n"
	"  list REVIEW [--json]              the studies and their reports\n"
	"  note REVIEW TEXT                  keep a review-level note (e.g. a draft's totals);\n"
	"                                    qes studies flags numbers in it that contradict the data\n";

static int list(qes_store *st, int json)
{
	qes_error err;
	qes_error_clear(&err);
	json_t *l = qes_study_list_json(st, &err);
	if (!l)
		return cli_fail("study list", &err);
	if (json)
		return cli_print_json(l);
	size_t i, j;
	json_t *s, *r;
	json_array_foreach(l, i, s) {
		const char *label = json_string_value(json_object_get(s, "label"));
		/* Padded only when a report follows (no trailing spaces). */
		int reports = json_array_size(json_object_get(s, "reports")) > 0;
		cli_row("%s %s", cli_pad(json_string_value(json_object_get(s, "study")), 20),
			reports ? cli_pad(label ? label : "", 24) : label ? label : "");
		json_array_foreach(json_object_get(s, "reports"), j, r)
			printf(" %s", json_string_value(r));
		putchar('\n');
	}
	printf("%zu stud%s\n", json_array_size(l), json_array_size(l) == 1 ? "y" : "ies");
	json_decref(l);
	return 0;
}

int cmd_study(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	int json = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	static const char *const actions[] = { "add", "link", "unlink", "list", "note" };
	if (optind < argc && cli_action("study", usage, argv[optind], CLI_ACTIONS(actions)) >= 0)
		return QES_EXIT_USAGE;
	int nargs = argc - optind;
	if (nargs < 2)
		return cli_usage_error(usage, "study needs an action and a review");
	const char *action = argv[optind], *review = argv[optind + 1];
	char **rest = argv + optind + 2;
	int nrest = nargs - 2;
	if (!(!strcmp(action, "add") && nrest >= 1) && !(!strcmp(action, "link") && nrest == 2) &&
	    !(!strcmp(action, "unlink") && nrest == 1) &&
	    !(!strcmp(action, "list") && nrest == 0) && !(!strcmp(action, "note") && nrest == 1))
		return cli_usage_error(usage, "wrong arguments for 'study %s'", action);
	qes_store *st;
	int rc = cli_open("study", review, &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	if (!strcmp(action, "list")) {
		rc = list(st, json);
	} else if (!strcmp(action, "link")) {
		if (qes_study_link(st, rest[0], rest[1], &err))
			rc = cli_fail("study link", &err);
		else
			printf("study %s: report %s linked\n", rest[0], rest[1]);
	} else if (!strcmp(action, "unlink")) {
		if (qes_study_unlink(st, rest[0], &err))
			rc = cli_fail("study unlink", &err);
		else
			printf("report %s unlinked\n", rest[0]);
	} else if (!strcmp(action, "note")) {
		if (qes_study_note_add(st, rest[0], &err))
			rc = cli_fail("study note", &err);
	} else {
		for (int i = 0; i < nrest && !rc; i++) {
			if (qes_study_add(st, rest[i], &err))
				rc = cli_fail("study add", &err);
		}
		if (!rc)
			printf("%d stud%s added\n", nrest, nrest == 1 ? "y" : "ies");
	}
	qes_store_close(st);
	return rc;
}
