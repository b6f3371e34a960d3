/* cmd_entreq.c: qes entreq: the ENTREQ checklist filled from the review. */
#include "cli.h"
#include "synth_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/advisory.h"

static const char usage[] =
	"qes entreq REVIEW [--json|--csv|--html] [-o FILE] | qes entreq REVIEW --set N TEXT";
static const char help[] =
	"ENTREQ (Tong et al. 2012): 21 items on reporting a qualitative evidence\n"
	"synthesis, each filled from what the review holds, with its status\n"
	"(filled, partial, needs_author) and the evidence. --set N TEXT adds the\n"
	"authors' own answer to item N (\"\" removes it); an item with one counts as filled.\n";

int cmd_entreq(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' }, { "csv", no_argument, NULL, 'c' },
		{ "html", no_argument, NULL, 'H' }, { "output", required_argument, NULL, 'o' },
		{ "set", required_argument, NULL, 's' }, { "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *out = NULL, *set = NULL;
	int c, fmt = SYNTH_OUT_TEXT;
	optind = 0;
	while ((c = getopt_long(argc, argv, "ho:", lo, NULL)) != -1) {
		switch (c) {
		case 'j': fmt = SYNTH_OUT_JSON; break;
		case 'c': fmt = SYNTH_OUT_CSV; break;
		case 'H': fmt = SYNTH_OUT_HTML; break;
		case 'o': out = optarg; break;
		case 's': set = optarg; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	if (argc - optind != (set ? 2 : 1))
		return cli_usage_error(usage, set ? "--set N needs the review and the text"
					     : "entreq needs a review");
	char *end;
	long item = set ? strtol(set, &end, 10) : 0;
	if (set && (!*set || *end))
		return cli_usage_error(usage, "--set takes an item number (1 to 21)");
	qes_store *st = NULL;
	int rc = cli_open("entreq", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	if (set) {
		if ((rc = qes_entreq_set(st, (int)item, argv[optind + 1], &err)))
			rc = cli_fail("entreq", &err);
	} else if (fmt == SYNTH_OUT_JSON) {
		json_t *v = qes_entreq_json(st, &err);
		rc = v ? synth_emit_json("entreq", out, v) : cli_fail("entreq", &err);
	} else if (fmt) {
		char *text = NULL;
		if (qes_entreq_text(st, fmt == SYNTH_OUT_HTML ? QES_TABLE_HTML : QES_TABLE_CSV, &text, &err))
			rc = cli_fail("entreq", &err);
		else
			rc = synth_emit("entreq", out, text);
		free(text);
	} else {
		json_t *v = qes_entreq_json(st, &err), *it;
		size_t i;
		if (!v) {
			rc = cli_fail("entreq", &err);
		} else {
			json_array_foreach(json_object_get(v, "items"), i, it) {
				const char *a = json_string_value(json_object_get(it, "author_text"));
				cli_row("%2d. %s %s %s%s%s\n", (int)json_integer_value(json_object_get(it, "item")),
				       cli_pad(json_string_value(json_object_get(it, "title")), 28),
				       cli_pad(json_string_value(json_object_get(it, "status")), 12), a, *a ? " " : "",
				       json_string_value(json_object_get(it, "evidence")));
			}
			json_decref(v);
		}
	}
	qes_store_close(st);
	return rc;
}
