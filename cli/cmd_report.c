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
	const char *out = NULL;
	int opt_rc = cli_one_option(argc, argv, "output", 'o', usage, help, &out);
	if (opt_rc >= 0)
		return opt_rc;
	if (argc - optind != 1 || !out)
		return cli_usage_error(usage, "report takes a review and -o FILE");
	qes_store *st;
	int rc = cli_open_read("report", argv[optind], &st);
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
