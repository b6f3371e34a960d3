/* cmd_export.c: qes export REVIEW -o FILE */
#include "cli.h"
#include "qes/export.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"qes export REVIEW -o FILE [--format ris|csv|bibtex] [--search QUERY] [--raw]";
static const char help[] =
	"Writes the review's records to FILE: RIS, CSV or BibTeX, chosen by the\n"
	"extension (.ris, .csv, .bib) or --format. The file appears whole or not at all.\n"
	"RIS carries each record's source key in ID; CSV has a source_key column and\n"
	"the normalised fields (authors and keywords joined by \"; \"). A CSV value that\n"
	"starts with = + - @ (a spreadsheet formula) gets an apostrophe in front so that\n"
	"Excel shows it as text; qes import takes it off again.\n"
	"\n"
	"  -o, --output FILE  where to write\n"
	"  --format F         ris, csv or bibtex\n"
	"  --search QUERY     only records matching a full-text query\n"
	"  --raw              CSV: write every value exactly, formulas included\n";

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "search", required_argument, NULL, 's' },
		{ "raw", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	qes_export_opts o;
	memset(&o, 0, sizeof(o));
	const char *out = NULL;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:f:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'f': o.format = optarg; break;
		case 's': o.query.match = optarg; break;
		case 'r': o.raw = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	if (argc - optind != 1 || !out)
		return cli_usage_error(usage, "export takes a review and -o FILE");
	qes_error err;
	qes_error_clear(&err);
	const char *fmt;
	if (qes_export_format_for(out, o.format, &fmt, &err))
		return cli_fail("export", &err);
	qes_store *st;
	int rc = cli_open_read("export", argv[optind], &st);
	if (rc)
		return rc;
	long n = 0;
	if (qes_export_file(st, out, &o, &n, &err))
		rc = cli_fail("export", &err);
	else
		fprintf(stderr, "Wrote %ld record%s to %s (%s)\n", n, n == 1 ? "" : "s", out, fmt);
	qes_store_close(st);
	return rc;
}
