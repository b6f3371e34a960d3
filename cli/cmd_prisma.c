/* cmd_prisma.c: qes prisma REVIEW [-o FILE] [--json] [--csv] */
#include "cli.h"
#include "qes/json.h"
#include "qes/prisma.h"
#include "qes/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"qes prisma REVIEW [-o FILE.svg|.png|.pdf|.xlsx|.docx] [--json] [--csv]\n"
	"                  [--previous STUDIES,REPORTS]";
static const char help[] =
	"The PRISMA 2020 flow diagram, computed from the review: records identified per\n"
	"source, duplicates removed, screening and full-text outcomes, exclusion reasons,\n"
	"studies and reports included. The variant follows the data (an other-methods\n"
	"column only when records came from other methods; previous studies for an\n"
	"update). Every arithmetic relation is checked; while records lack a final\n"
	"decision, qes lists them and draws nothing (exit 5).\n"
	"\n"
	"  -o, --output FILE   write the diagram: SVG, PNG or PDF by the extension;\n"
	"                      .xlsx or .docx: the --csv table as a spreadsheet or Word\n"
	"  --json              the number in every box (one object)\n"
	"  --csv               the same as CSV: column,box,label,n\n"
	"  --previous S,R      an update: S studies and R reports included in the\n"
	"                      previous version of the review (stored in the review)\n";

/* Where --csv goes: stdout, or a memory stream for -o FILE.xlsx|.docx. */
static FILE *csv_out;

static void csv_row(const char *col, const char *box, const char *label, long n)
{
	fprintf(csv_out, "%s,%s,\"", col, box);
	for (const char *s = label ? label : ""; *s; s++) {
		if (*s == '"')
			fputc('"', csv_out);
		fputc(*s, csv_out);
	}
	fprintf(csv_out, "\",%ld\n", n);
}

static void column_csv(const char *col, const qes_prisma_column *c, int databases)
{
	for (size_t i = 0; i < c->n_identified; i++)
		csv_row(col, "identified", c->identified[i].name, c->identified[i].n);
	csv_row(col, "identified_total", "", c->identified_total);
	if (databases) {
		csv_row(col, "registers", "", c->registers);
		csv_row(col, "duplicates_removed", "", c->duplicates_removed);
		csv_row(col, "automation_removed", "", c->automation_removed);
		csv_row(col, "other_removed", "", c->other_removed);
		csv_row(col, "screened", "", c->screened);
		csv_row(col, "excluded_screening", "", c->excluded_screening);
	} else {
		csv_row(col, "duplicates_removed", "", c->duplicates_removed);
		csv_row(col, "excluded_screening", "", c->excluded_screening);
	}
	csv_row(col, "sought", "", c->sought);
	csv_row(col, "not_retrieved", "", c->not_retrieved);
	csv_row(col, "assessed", "", c->assessed);
	for (size_t i = 0; i < c->n_excluded_reports; i++)
		csv_row(col, "excluded_reports", c->excluded_reports[i].name, c->excluded_reports[i].n);
}

static int set_previous(qes_store *st, const char *arg, qes_error *err)
{
	long s, r;
	char extra;
	if (sscanf(arg, "%ld,%ld%c", &s, &r, &extra) != 2 || s < 0 || r < s)
		return qes_error_set(err, QES_EINVAL,
				     "--previous takes STUDIES,REPORTS (reports >= studies), not '%s'", arg);
	char a[32], b[32];
	snprintf(a, sizeof(a), "%ld", s);
	snprintf(b, sizeof(b), "%ld", r);
	int rc = qes_store_begin(st, err);
	if (!rc)
		rc = qes_store_set_meta(st, "prisma.previous_studies", a, err);
	if (!rc)
		rc = qes_store_set_meta(st, "prisma.previous_reports", b, err);
	if (rc) {
		qes_store_rollback(st);
		return rc;
	}
	return qes_store_commit(st, err);
}

int cmd_prisma(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'c' },
		{ "previous", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *out = NULL, *prev = NULL;
	int json = 0, csv = 0, office = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:jcp:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'j': json = 1; break;
		case 'c': csv = 1; break;
		case 'p': prev = optarg; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(usage, "prisma takes one review");
	office = qes_table_path_is_office(out);
	if (office && json)
		return cli_usage_error(usage, "-o FILE.xlsx|.docx writes the --csv table, not JSON");
	qes_store *st;
	int rc = cli_open_read("prisma", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	qes_prisma p;
	qes_prisma_gap *gaps = NULL;
	size_t n_gaps = 0;
	if ((prev && set_previous(st, prev, &err)) ||
	    qes_prisma_compute(st, &p, &gaps, &n_gaps, &err)) {
		rc = cli_fail("prisma", &err);
		qes_store_close(st);
		return rc;
	}
	if (json) {
		rc = cli_print_json(qes_prisma_json(&p, gaps, n_gaps));
	} else if (csv || office) {
		char *text = NULL;
		size_t len = 0;
		csv_out = office ? open_memstream(&text, &len) : stdout;
		if (!csv_out) {
			rc = QES_EXIT_ERROR;
			goto done;
		}
		fprintf(csv_out, "column,box,label,n\n");
		column_csv("databases", &p.db, 1);
		if (p.other.present)
			column_csv("other_methods", &p.other, 0);
		csv_row("included", "studies_included", "", p.studies_included);
		csv_row("included", "reports_included", "", p.reports_included);
		if (office) {
			/* The numbers are written even while records lack a decision:
			 * the table says what is there; the diagram waits. */
			rc = fclose(csv_out) ? QES_EXIT_ERROR
			     : cli_write_table("prisma", out, text, 0, "PRISMA 2020 flow diagram: counts");
			free(text);
			out = NULL;
		}
	}
	if (n_gaps) {
		fprintf(stderr, "qes prisma: %zu record%s without a final decision, so the diagram "
			"would be wrong; decide or resolve them first:\n", n_gaps, n_gaps == 1 ? "" : "s");
		for (size_t i = 0; i < n_gaps && i < 20; i++)
			fprintf(stderr, "  %s %s %s\n", cli_pad(gaps[i].key, 16),
				!strcmp(gaps[i].stage, "ta") ? "title/abstract" : "full text",
				!strcmp(gaps[i].state, "waiting_second")
				? "waiting for a second reviewer"
				: !strcmp(gaps[i].state, "pending") ? "not yet screened" : gaps[i].state);
		if (n_gaps > 20)
			fprintf(stderr, "  ... and %zu more ('qes prisma --json' lists all)\n", n_gaps - 20);
		rc = QES_EXIT_CONFLICT;
	} else if (out) {
		if (qes_prisma_write(&p, out, NULL, &err))
			rc = cli_fail("prisma", &err);
		else
			fprintf(stderr, "Wrote the PRISMA 2020 diagram to %s\n", out);
	} else if (!json && !csv && !office) {
		if (qes_prisma_check(&p, &err)) {
			rc = cli_fail("prisma", &err);
		} else {
			char b[32];
			printf("Records identified: %s", cli_thousands(p.db.identified_total, b));
			printf("; duplicates removed: %s", cli_thousands(p.db.duplicates_removed, b));
			printf("; screened: %s", cli_thousands(p.db.screened, b));
			printf("; excluded: %s\n", cli_thousands(p.db.excluded_screening, b));
			printf("Reports sought: %ld; not retrieved: %ld; assessed: %ld\n",
			       p.db.sought, p.db.not_retrieved, p.db.assessed);
			if (p.other.present) {
				printf("Other methods: records identified: %s",
				       cli_thousands(p.other.identified_total, b));
				printf("; duplicates removed: %ld; excluded on title and abstract: %ld\n",
				       p.other.duplicates_removed, p.other.excluded_screening);
				printf("Other methods: reports sought: %ld; not retrieved: %ld; "
				       "assessed: %ld\n", p.other.sought, p.other.not_retrieved,
				       p.other.assessed);
			}
			printf("Studies included: %ld (reports: %ld)\n", p.studies_included,
			       p.reports_included);
			printf("Draw it with: qes prisma %s -o prisma.svg\n", argv[optind]);
		}
	}
done:
	qes_prisma_release(&p);
	qes_prisma_gaps_free(gaps, n_gaps);
	qes_store_close(st);
	return rc;
}
