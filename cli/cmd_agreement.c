/* cmd_agreement.c: qes agreement REVIEW --stage ta|ft [--json] */
#include "cli.h"
#include "qes/screen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage[] = "qes agreement REVIEW --stage ta|ft [--json | -o FILE.xlsx|.docx|.csv]";
static const char help[] =
	"Agreement between each pair of reviewers over the records both decided:\n"
	"percent agreement, Cohen's kappa over include / exclude / unsure with a\n"
	"95% confidence interval (the large-sample interval of Fleiss, Cohen and\n"
	"Everitt 1969 joined with a Wilson score interval, so that it behaves at\n"
	"small n and at kappa = 1; see docs/screening.md), Gwet's AC1 and\n"
	"Krippendorff's alpha, which skewed prevalence moves less than kappa.\n"
	"Fewer than 20 records decided by both: a warning, the numbers are unstable.\n"
	"\n"
	"  --json   {stage, pairs: [{a, b, n, percent_agreement, kappa, kappa_ci95:\n"
	"           [low, high], ac1, alpha, table, warning?}]}; kappa is null when\n"
	"           not estimable (a reviewer used one category only), alpha when\n"
	"           every decision was the same\n"
	"  -o FILE  one row per pair (the JSON's numbers; the CI as two columns):\n"
	"           .xlsx spreadsheet, .docx Word table, else CSV\n";

/* The pairs as a CSV table: every scalar of a pair is a column (so new
 * statistics come along), an interval [low, high] two columns, the 3x3
 * table left out. */
static int write_pairs(const char *path, json_t *pairs, const char *stage)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return QES_EXIT_ERROR;
	json_t *first = json_array_get(pairs, 0), *p, *v;
	const char *key;
	size_t i;
	fprintf(m, "stage");
	json_object_foreach(first, key, v) {
		if (json_is_array(v) && json_array_size(v) == 2 && !json_is_array(json_array_get(v, 0)))
			fprintf(m, ",%s_low,%s_high", key, key);
		else if (!json_is_array(v) && !json_is_object(v))
			fprintf(m, ",%s", key);
	}
	fputc('\n', m);
	json_array_foreach(pairs, i, p) {
		fprintf(m, "%s", stage);
		json_object_foreach(first, key, v) {
			json_t *x = json_object_get(p, key);
			if (json_is_array(v) && json_array_size(v) == 2 && !json_is_array(json_array_get(v, 0))) {
				for (int k = 0; k < 2; k++) {
					json_t *e = json_array_get(x, (size_t)k);
					if (json_is_number(e))
						fprintf(m, ",%.6g", json_number_value(e));
					else
						fputc(',', m);
				}
			} else if (json_is_string(x)) {
				fprintf(m, ",\"");
				for (const char *c = json_string_value(x); *c; c++)
					fprintf(m, *c == '"' ? "\"\"" : "%c", *c);
				fputc('"', m);
			} else if (json_is_integer(x)) {
				fprintf(m, ",%lld", (long long)json_integer_value(x));
			} else if (json_is_real(x)) {
				fprintf(m, ",%.6g", json_real_value(x));
			} else if (!json_is_array(v) && !json_is_object(v)) {
				fputc(',', m);
			}
		}
		fputc('\n', m);
	}
	if (fclose(m)) {
		free(text);
		return QES_EXIT_ERROR;
	}
	int rc = cli_write_table("agreement", path, text, 0, "Agreement between reviewers");
	free(text);
	return rc;
}

static json_t *num(double v) { return isnan(v) ? json_null() : json_real(v); }

static int add_pair(void *ud, const qes_agreement_pair *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "a", json_string(p->a));
	json_object_set_new(o, "b", json_string(p->b));
	json_object_set_new(o, "n", json_integer(p->n));
	json_object_set_new(o, "percent_agreement", json_real(p->percent_agreement));
	json_object_set_new(o, "kappa", num(p->k.kappa));
	json_t *ci = json_array();
	json_array_append_new(ci, num(p->k.ci_low));
	json_array_append_new(ci, num(p->k.ci_high));
	json_object_set_new(o, "kappa_ci95", ci);
	json_object_set_new(o, "ac1", num(p->k.ac1));
	json_object_set_new(o, "alpha", num(p->k.alpha));
	if (p->n < QES_AGREEMENT_MIN_N)
		json_object_set_new(o, "warning", json_string(
			"fewer than 20 records decided by both reviewers: agreement statistics are "
			"unstable"));
	json_t *t = json_array();
	for (int i = 0; i < 3; i++) {
		json_t *row = json_array();
		for (int j = 0; j < 3; j++)
			json_array_append_new(row, json_integer(p->table[i][j]));
		json_array_append_new(t, row);
	}
	json_object_set_new(o, "table", t);
	json_array_append_new(ud, o);
	return 0;
}

int cmd_agreement(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stage", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *stage_s = NULL, *out = NULL;
	int json = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "s:jho:", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 's': stage_s = optarg; break;
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	qes_error err;
	qes_error_clear(&err);
	qes_stage stage;
	if (argc - optind != 1 || !stage_s)
		return cli_usage_error(usage, "agreement takes one review and --stage");
	if (qes_stage_parse(stage_s, &stage, &err))
		return cli_usage_error(usage, "%s", err.message);
	qes_store *st;
	int rc = cli_open_read("agreement", argv[optind], &st);
	if (rc)
		return rc;
	json_t *pairs = json_array();
	if (qes_agreement_foreach(st, stage, add_pair, pairs, &err)) {
		json_decref(pairs);
		qes_store_close(st);
		return cli_fail("agreement", &err);
	}
	qes_store_close(st);
	if (out) {
		int rc = write_pairs(out, pairs, qes_stage_name(stage));
		json_decref(pairs);
		return rc;
	}
	if (json) {
		json_t *o = json_object();
		json_object_set_new(o, "stage", json_string(qes_stage_name(stage)));
		json_object_set_new(o, "pairs", pairs);
		return cli_print_json(o);
	}
	if (!json_array_size(pairs))
		printf("no record at %s was decided by two reviewers yet\n", qes_stage_name(stage));
	size_t i;
	json_t *p;
	json_array_foreach(pairs, i, p) {
		json_t *k = json_object_get(p, "kappa");
		json_t *ci = json_object_get(p, "kappa_ci95");
		long long np = json_integer_value(json_object_get(p, "n"));
		printf("%s-%s: %lld record%s, %.1f%% agreement, ",
		       json_string_value(json_object_get(p, "a")),
		       json_string_value(json_object_get(p, "b")), np, cli_s(np),
		       json_real_value(json_object_get(p, "percent_agreement")));
		if (json_is_null(k))
			printf("kappa not estimable (a reviewer used one category only)");
		else
			printf("kappa %.3f (95%% CI %.3f to %.3f)", json_real_value(k),
			       json_real_value(json_array_get(ci, 0)),
			       json_real_value(json_array_get(ci, 1)));
		json_t *ac1 = json_object_get(p, "ac1"), *al = json_object_get(p, "alpha");
		if (json_is_real(ac1))
			printf(", AC1 %.3f", json_real_value(ac1));
		if (json_is_real(al))
			printf(", alpha %.3f", json_real_value(al));
		putchar('\n');
		json_t *w = json_object_get(p, "warning");
		if (w)
			printf("  warning: %s\n", json_string_value(w));
	}
	json_decref(pairs);
	return 0;
}
