/* cmd_studies.c: qes studies REVIEW [--json] [--html] [-o FILE] */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include "qes/study.h"

static const char usage[] = "qes studies REVIEW [--json | --html | -o FILE.xlsx|.docx|.html]";
static const char help[] =
	"Summarises the included studies from the extracted data: studies by country,\n"
	"design, perspective and publication, participant totals by group, and any\n"
	"number typed in a note or text field that contradicts the data.\n"
	"\n"
	"  --json   { totals: {studies, reports}, studies: [{study, label, title,\n"
	"           reports, values, perspective}], by_country (UK nations count as\n"
	"           the United Kingdom), by_nation, by_design,\n"
	"           by_perspective, participants, by_publication, contradictions }\n"
	"  --html   the characteristics table as an HTML fragment\n"
	"  -o FILE  the characteristics table to FILE: .xlsx (spreadsheet), .docx\n"
	"           (Word) or, any other name, the HTML fragment\n";

static void print_list(json_t *top, const char *key, const char *name, const char *title)
{
	size_t i;
	json_t *o;
	printf("%s:\n", title);
	json_array_foreach(json_object_get(top, key), i, o)
		cli_row("  %s %5lld\n", cli_pad(json_string_value(json_object_get(o, name)), 40),
		       (long long)json_integer_value(json_object_get(o, "n")));
}

int cmd_studies(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "html", no_argument, NULL, 'H' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	int json = 0, html = 0, c;
	const char *out = NULL;
	optind = 0;
	while ((c = getopt_long(argc, argv, "jho:", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'j': json = 1; break;
		case 'H': html = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(usage, "studies takes one review");
	qes_store *st;
	int rc = cli_open_read("studies", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	if (html || out) {
		char *h = NULL;
		if (qes_study_table_html(st, &h, &err))
			rc = cli_fail("studies", &err);
		else if (out)
			rc = cli_write_table("studies", out, h, 1, "Characteristics of included studies");
		else
			fputs(h, stdout);
		free(h);
		qes_store_close(st);
		return rc;
	}
	json_t *top = qes_studies_summary_json(st, &err);
	qes_store_close(st);
	if (!top)
		return cli_fail("studies", &err);
	if (json)
		return cli_print_json(top);
	json_t *tot = json_object_get(top, "totals");
	printf("%lld studies (%lld reports)\n",
	       (long long)json_integer_value(json_object_get(tot, "studies")),
	       (long long)json_integer_value(json_object_get(tot, "reports")));
	print_list(top, "by_country", "country", "By country");
	if (json_array_size(json_object_get(top, "by_nation")))
		print_list(top, "by_nation", "nation", "United Kingdom, by nation");
	print_list(top, "by_design", "design", "By design");
	print_list(top, "by_perspective", "perspective", "By perspective");
	print_list(top, "by_publication", "publication", "By publication");
	print_list(top, "participants", "group", "Participants");
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(top, "contradictions"), i, o)
		printf("contradiction: %s: \"%s\" but the data give %lld\n",
		       json_string_value(json_object_get(o, "where")),
		       json_string_value(json_object_get(o, "text")),
		       (long long)json_integer_value(json_object_get(o, "computed")));
	json_decref(top);
	return 0;
}
