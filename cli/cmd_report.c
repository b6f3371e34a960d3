/* cmd_report.c: qes report REVIEW -o report.html|.docx|.xlsx, and the
 * authors' own paragraphs (--set-text, --reset-text, --texts). */
#include "cli.h"
#include "qes/report.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"qes report REVIEW -o FILE.html|FILE.docx|FILE.xlsx\n"
	"       qes report REVIEW --set-text SECTION TEXT [--by WHO] | --reset-text SECTION\n"
	"       qes report REVIEW --texts [--json]";
static const char help[] =
	"Writes the review report: the eligibility criteria (Table 1), the searches\n"
	"(database, date, hits), the PRISMA 2020 diagram, screening progress and\n"
	"agreement (Cohen's kappa), the included studies and their reports, the\n"
	"excluded full texts with reasons, study characteristics, appraisal, themes,\n"
	"GRADE-CERQual and the ENTREQ statement. The file's extension picks the format:\n"
	".html (one self-contained page), .docx (Word: headings, paragraphs and every\n"
	"table) or .xlsx (one worksheet per table).\n"
	"\n"
	"Each section opens with a paragraph generated from the data (sections:\n"
	"eligibility, searches, screening, studies, appraisal, synthesis). Replace it\n"
	"with your own wording with --set-text; --reset-text goes back to the\n"
	"generated one; --texts lists every section's text and whether it is edited.\n"
	"\n"
	"  -o FILE              write the report\n"
	"  --set-text S TEXT    the authors' text for section S\n"
	"  --reset-text S       use the generated text again\n"
	"  --texts              list the sections' texts (--json for scripts)\n"
	"  --by WHO             who edited (default $USER)\n";

static int list_texts(qes_store *st, int json)
{
	qes_error err;
	qes_error_clear(&err);
	json_t *v = qes_report_texts_json(st, &err);
	if (!v)
		return cli_fail("report", &err);
	if (json)
		return cli_print_json(v);
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) {
		int edited = json_is_true(json_object_get(e, "edited"));
		printf("%s\t%s\t%s\n", json_string_value(json_object_get(e, "section")),
		       edited ? "edited" : "generated", json_string_value(json_object_get(e, "text")));
	}
	json_decref(v);
	return 0;
}

int cmd_report(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "set-text", required_argument, NULL, 's' },
		{ "reset-text", required_argument, NULL, 'r' },
		{ "texts", no_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *out = NULL, *set = NULL, *reset = NULL, *by = NULL;
	int texts = 0, json = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 's': set = optarg; break;
		case 'r': reset = optarg; break;
		case 't': texts = 1; break;
		case 'j': json = 1; break;
		case 'b': by = optarg; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	int actions = !!out + !!set + !!reset + texts;
	if (actions != 1)
		return cli_usage_error(usage, "report takes a review and one of -o FILE, --set-text, "
				       "--reset-text or --texts");
	if (argc - optind != (set ? 2 : 1))
		return cli_usage_error(usage, set ? "--set-text takes a section and its text"
					  : "report takes one review");
	if (json && !texts)
		return cli_usage_error(usage, "--json goes with --texts");
	qes_store *st;
	int rc = cli_open_read("report", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	if (texts) {
		rc = list_texts(st, json);
	} else if (set || reset) {
		const char *text = set ? argv[optind + 1] : NULL;
		if (!by)
			by = getenv("USER");
		if (set && !*text)
			rc = cli_usage_error(usage, "the text is empty (use --reset-text to go back to "
					     "the generated one)");
		else if (qes_report_text_set(st, set ? set : reset, text, by, &err))
			rc = cli_fail("report", &err);
		else
			fprintf(stderr, set ? "The %s paragraph is now the authors' text\n"
				: "The %s paragraph is generated from the data again\n",
				set ? set : reset);
	} else if (qes_report_write(st, out, &err)) {
		rc = cli_fail("report", &err);
	} else {
		fprintf(stderr, "Wrote %s\n", out);
	}
	qes_store_close(st);
	return rc;
}
