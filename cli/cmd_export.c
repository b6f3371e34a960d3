/* cmd_export.c: qes export REVIEW -o FILE */
#include "cli.h"
#include "qes/export.h"

#include "qes/table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char usage[] =
	"qes export REVIEW -o FILE [--format ris|csv|bibtex|xlsx] [--search QUERY] [--raw]";
static const char help[] =
	"Writes the review's records to FILE: RIS, CSV, BibTeX or a spreadsheet (the\n"
	"CSV's columns), chosen by the extension (.ris, .csv, .bib, .xlsx) or --format.\n"
	"The file appears whole or not at all.\n"
	"RIS carries each record's source key in ID; CSV has a source_key column and\n"
	"the normalised fields (authors and keywords joined by \"; \"). A CSV value that\n"
	"starts with = + - @ (a spreadsheet formula) gets an apostrophe in front so that\n"
	"Excel shows it as text; qes import takes it off again.\n"
	"\n"
	"  -o, --output FILE  where to write\n"
	"  --format F         ris, csv, bibtex or xlsx\n"
	"  --search QUERY     only records matching a full-text query\n"
	"  --raw              CSV: write every value exactly, formulas included (a\n"
	"                     spreadsheet's cells are always text, never formulas)\n";

/* A spreadsheet of the records: the CSV export, written to a temporary
 * file, read into the table model and written as .xlsx. */
static int export_xlsx(const char *review, const char *out, qes_export_opts *o)
{
	char tmp[] = "/tmp/qes-export-XXXXXX";
	int fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "qes export: cannot make a temporary file: %s\n", strerror(errno));
		return QES_EXIT_ERROR;
	}
	close(fd);
	qes_store *st;
	int rc = cli_open_read("export", review, &st);
	if (rc) {
		unlink(tmp);
		return rc;
	}
	qes_error err;
	qes_error_clear(&err);
	long n = 0;
	char *text = NULL;
	size_t len = 0;
	o->format = "csv";
	o->raw = 1;   /* the table writer stores every cell as a string, never a formula */
	if (qes_export_file(st, tmp, o, &n, &err)) {
		rc = cli_fail("export", &err);
	} else {
		FILE *f = fopen(tmp, "rb");
		FILE *m = open_memstream(&text, &len);
		char buf[65536];
		size_t k;
		while (f && m && (k = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, k, m);
		int bad = !f || !m || ferror(f);
		if (f)
			fclose(f);
		if ((m && fclose(m)) || bad) {
			fprintf(stderr, "qes export: cannot read back %s\n", tmp);
			rc = QES_EXIT_ERROR;
		} else if (qes_table_export(text, len, 0, "Records", out, &err)) {
			rc = cli_fail("export", &err);
		} else {
			fprintf(stderr, "Wrote %ld record%s to %s (xlsx)\n", n, n == 1 ? "" : "s", out);
		}
	}
	free(text);
	unlink(tmp);
	qes_store_close(st);
	return rc;
}

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
	int xlsx = o.format ? !strcmp(o.format, "xlsx") : qes_table_path_is_office(out) &&
		   strlen(out) > 5 && !strcasecmp(out + strlen(out) - 5, ".xlsx");
	if (xlsx)
		return export_xlsx(argv[optind], out, &o);
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
