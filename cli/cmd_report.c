/* cmd_report.c: qes report REVIEW -o report.html */
#include "cli.h"
#include "qes/report.h"

#include <stdio.h>

static const char usage[] = "qes report REVIEW -o FILE.html";
static const char help[] =
	"Writes the review report: one self-contained HTML page with the searches\n"
	"(database, date, hits), the PRISMA 2020 diagram, screening progress and\n"
	"agreement (Cohen's kappa), the included studies and their reports, the\n"
	"excluded full texts with reasons, study characteristics and appraisal.\n";

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *out = NULL;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	if (argc - optind != 1 || !out)
		return cli_usage_error(usage, "report takes a review and -o FILE");
	qes_store *st;
	int rc = cli_open("report", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	if (qes_report_write(st, out, &err))
		rc = cli_fail("report", &err);
	else
		fprintf(stderr, "Wrote %s\n", out);
	qes_store_close(st);
	return rc;
}
