/* cmd_selfcheck.c: qes selfcheck: the review appraised as a whole by a
 * checklist for systematic reviews, filled from the review's data. */
#include "cli.h"
#include "synth_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/selfcheck.h"

static const char usage[] =
	"qes selfcheck REVIEW [--checklist jbi-sr|amstar2|entreq-sr] [--json] [-o FILE]\n"
	"       qes selfcheck REVIEW [--checklist C] --set ID --answer yes|no|unclear|na"
	" [--comment T] [--by NAME]\n"
	"       qes selfcheck REVIEW [--checklist C] --set ID --clear\n"
	"       qes selfcheck --lists [--json]";
static const char help[] =
	"Appraises the review itself with a checklist for systematic reviews: JBI's\n"
	"11 items (default), AMSTAR 2 (amstar2) or ENTREQ-based items (entreq-sr).\n"
	"Each item shows the evidence qes finds in the review, a proposed answer\n"
	"(yes, no, unclear, na) by the item's rule (docs/selfcheck.md), and the\n"
	"team's confirmed answer and comment. --set ID --answer A stores the team's\n"
	"answer (logged; --by NAME, default $USER); --clear removes it. The\n"
	"checklists' questions are short paraphrases; see each one's citation and\n"
	"licence (--lists).\n";

static int print_lists(int json)
{
	qes_error err;
	qes_error_clear(&err);
	json_t *v = qes_selfcheck_lists_json(&err), *l;
	if (!v)
		return cli_fail("selfcheck", &err);
	if (json)
		return cli_print_json(v);
	size_t i;
	json_array_foreach(v, i, l)
		printf("%-10s %s (%zu items)\n  %s\n  Licence: %s\n",
		       json_string_value(json_object_get(l, "id")),
		       json_string_value(json_object_get(l, "title")),
		       json_array_size(json_object_get(l, "items")),
		       json_string_value(json_object_get(l, "citation")),
		       json_string_value(json_object_get(l, "licence")));
	json_decref(v);
	return 0;
}

int cmd_selfcheck(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' }, { "output", required_argument, NULL, 'o' },
		{ "checklist", required_argument, NULL, 'c' }, { "set", required_argument, NULL, 's' },
		{ "answer", required_argument, NULL, 'a' }, { "comment", required_argument, NULL, 'm' },
		{ "clear", no_argument, NULL, 'x' }, { "by", required_argument, NULL, 'b' },
		{ "lists", no_argument, NULL, 'l' }, { "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *out = NULL, *list = NULL, *set = NULL, *answer = NULL, *comment = NULL;
	const char *by = NULL;
	int c, json = 0, clear = 0, lists = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "ho:", lo, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'o': out = optarg; break;
		case 'c': list = optarg; break;
		case 's': set = optarg; break;
		case 'a': answer = optarg; break;
		case 'm': comment = optarg; break;
		case 'x': clear = 1; break;
		case 'b': by = optarg; break;
		case 'l': lists = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	if (lists)
		return print_lists(json);
	if (argc - optind != 1)
		return cli_usage_error(usage, "selfcheck needs a review");
	if ((answer || comment || clear) && !set)
		return cli_usage_error(usage, "--answer, --comment and --clear go with --set ID");
	if (set && !answer == !clear)
		return cli_usage_error(usage, "--set ID needs --answer A or --clear");
	qes_store *st = NULL;
	int rc = cli_open("selfcheck", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	if (set) {
		if ((rc = qes_selfcheck_set(st, list, set, clear ? NULL : answer, comment,
					    synth_who(by), &err)))
			rc = cli_fail("selfcheck", &err);
		qes_store_close(st);
		return rc;
	}
	json_t *v = qes_selfcheck_json(st, list, &err), *it;
	if (!v) {
		rc = cli_fail("selfcheck", &err);
	} else if (json) {
		rc = synth_emit_json("selfcheck", out, v);
		v = NULL;
	} else {
		json_t *cl = json_object_get(v, "checklist"), *n = json_object_get(v, "counts");
		printf("%s\n", json_string_value(json_object_get(cl, "title")));
		size_t i;
		json_array_foreach(json_object_get(v, "items"), i, it) {
			const char *a = json_string_value(json_object_get(it, "answer"));
			const char *cm = json_string_value(json_object_get(it, "comment"));
			printf("%-9s %-8s %-8s %s\n          %s\n",
			       json_string_value(json_object_get(it, "id")),
			       json_string_value(json_object_get(it, "proposed")), a ? a : "-",
			       json_string_value(json_object_get(it, "question")),
			       json_string_value(json_object_get(it, "evidence")));
			if (cm && *cm)
				printf("          Comment: %s\n", cm);
		}
		printf("yes %d, no %d, unclear %d, na %d (%d confirmed by the team)\n",
		       (int)json_integer_value(json_object_get(n, "yes")),
		       (int)json_integer_value(json_object_get(n, "no")),
		       (int)json_integer_value(json_object_get(n, "unclear")),
		       (int)json_integer_value(json_object_get(n, "na")),
		       (int)json_integer_value(json_object_get(n, "confirmed")));
	}
	json_decref(v);
	qes_store_close(st);
	return rc;
}
