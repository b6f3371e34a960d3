/* cmd_appraise.c: qes appraise (ratings, table, plots, agreement, sample) */
#include "cli.h"
#include "qes/table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/appraise.h"

static const char usage[] =
	"qes appraise REVIEW --from ratings.csv\n"
	"       qes appraise table REVIEW [--json | --csv | --html] [-o FILE.xlsx|.docx|.csv|.html]\n"
	"       qes appraise plot REVIEW -o FILE.svg [--summary] [--palette robvis|colourblind]\n"
	"       qes appraise agreement REVIEW [--json]\n"
	"       qes appraise sample REVIEW --fraction F --seed N [--json]\n"
	"       qes appraise discrepancies REVIEW [--json]\n"
	"       qes appraise rule REVIEW [--questions Q --serious N [--moderate N] [--minor N]\n"
	"                                 | --default] [--json]";
static const char help[] =
	"Quality appraisal with the review's checklist (CASP qualitative 2018 by default;\n"
	"see qes checklist).\n"
	"\n"
	"  REVIEW --from FILE.csv   store ratings: columns study,reviewer,question,answer,comment;\n"
	"                           answers yes, no, cant_tell (free text for text questions);\n"
	"                           reviewer 'consensus' records the agreed answer; with\n"
	"                           several checklists active (qes checklist use --add) a\n"
	"                           question of any of them, checklist:question when two\n"
	"                           share its id (table, plots, agreement, rule span all)\n"
	"  table REVIEW             studies by questions (final answers)\n"
	"  plot REVIEW -o F.svg     traffic-light plot; --summary: stacked bars per question\n"
	"  agreement REVIEW         percent agreement and Cohen's kappa (95% CI) of the two\n"
	"                           reviewers who rated the most items together\n"
	"  sample REVIEW            draw the studies to rate twice (same seed, same studies)\n"
	"  discrepancies REVIEW     items the reviewers answered differently\n"
	"  rule REVIEW              how a study's limitations are weighed: --questions\n"
	"                           casp2-casp9 (ids and ranges, or all) --serious 2: serious\n"
	"                           concerns when 2 or more of them are 'no' (--moderate,\n"
	"                           --minor likewise); --default: one 'no' anywhere is\n"
	"                           serious. Printed with the table, used by CERQual and\n"
	"                           qes theme sensitivity\n";

typedef struct opts {
	int json, csv, html, summary, palette, have_seed, deflt;
	int serious, moderate, minor;
	const char *from, *out, *questions;
	double fraction;
	unsigned long long seed;
} opts;

static int parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'c' },
		{ "html", no_argument, NULL, 'H' },
		{ "summary", no_argument, NULL, 'S' },
		{ "palette", required_argument, NULL, 'p' },
		{ "from", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "fraction", required_argument, NULL, 'F' },
		{ "seed", required_argument, NULL, 's' },
		{ "questions", required_argument, NULL, 'Q' },
		{ "serious", required_argument, NULL, '1' },
		{ "moderate", required_argument, NULL, '2' },
		{ "minor", required_argument, NULL, '3' },
		{ "default", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	int c;
	char *end;
	optind = 0;
	o->fraction = 0.1;
	while ((c = getopt_long(argc, argv, "jf:o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = 1; break;
		case 'c': o->csv = 1; break;
		case 'H': o->html = 1; break;
		case 'S': o->summary = 1; break;
		case 'f': o->from = optarg; break;
		case 'o': o->out = optarg; break;
		case 'p':
			if (!strcmp(optarg, "colourblind") || !strcmp(optarg, "colorblind"))
				o->palette = QES_PALETTE_COLOURBLIND;
			else if (!strcmp(optarg, "robvis"))
				o->palette = QES_PALETTE_ROBVIS;
			else
				return cli_usage_error(usage, "--palette is robvis or colourblind");
			break;
		case 'F':
			errno = 0;
			o->fraction = strtod(optarg, &end);
			if (*end || errno || !(o->fraction > 0 && o->fraction <= 1))
				return cli_usage_error(usage, "--fraction is a number above 0, at most 1");
			break;
		case 's':
			errno = 0;
			o->seed = strtoull(optarg, &end, 10);
			if (*end || errno || !*optarg || *optarg == '-')
				return cli_usage_error(usage, "--seed is a whole number");
			o->have_seed = 1;
			break;
		case 'Q': o->questions = optarg; break;
		case 'D': o->deflt = 1; break;
		case '1': case '2': case '3': {
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (*end || errno || !*optarg || v < 0 || v > 1000)
				return cli_usage_error(usage, "--serious, --moderate and --minor take a"
						       " whole number of 'no' answers");
			*(c == '1' ? &o->serious : c == '2' ? &o->moderate : &o->minor) = (int)v;
			break;
		}
		case 'h': printf("usage: %s\n\n%s", usage, help); return -1;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	return 0;
}

/* appraise table -o FILE: the CSV (with --csv) or the HTML table, in the
 * format FILE's extension names (.xlsx, .docx, else as it is). */
static int table_file(qes_store *st, const opts *o, qes_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc;
	if (o->csv) {
		FILE *m = open_memstream(&text, &len);
		if (!m)
			return qes_error_set(err, QES_ENOMEM, "out of memory");
		rc = qes_appraise_table_csv(st, m, err);
		if (fclose(m) && !rc)
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
	} else {
		rc = qes_appraise_table_html(st, &text, err);
		len = text ? strlen(text) : 0;
	}
	if (!rc) {
		rc = qes_table_export(text, len, !o->csv, "Quality appraisal", o->out, err);
		if (!rc && qes_table_path_is_office(o->out))
			fprintf(stderr, "Wrote %s\n", o->out);
	}
	free(text);
	return rc;
}

static int table(qes_store *st, const opts *o, qes_error *err)
{
	if (o->out)
		return table_file(st, o, err);
	if (o->csv)
		return qes_appraise_table_csv(st, stdout, err);
	if (o->html) {
		char *h = NULL;
		int rc = qes_appraise_table_html(st, &h, err);
		if (!rc)
			fputs(h, stdout);
		free(h);
		return rc;
	}
	json_t *t = qes_appraise_table_json(st, err);
	if (!t)
		return err->code ? err->code : QES_ENOMEM;
	if (o->json)
		return cli_print_json(t) ? QES_EIO : 0;
	size_t i, j;
	json_t *q, *row, *qs = json_object_get(t, "questions"), *cl;
	/* Several checklists: a line above the columns says whose they are. */
	if (json_array_size(json_object_get(t, "checklists")) > 1) {
		printf("%s", cli_pad("", 24));
		json_array_foreach(json_object_get(t, "checklists"), i, cl) {
			size_t n = json_array_size(json_object_get(cl, "questions"));
			int w = n ? (int)(10 * n - 1) : 0;
			if (w)
				printf(" %-*.*s", w, w, json_string_value(json_object_get(cl, "id")));
		}
		putchar('\n');
	}
	printf("%s", cli_pad("study", 24));
	json_array_foreach(qs, j, q)
		printf(" %s", j + 1 < json_array_size(qs) ? cli_pad(json_string_value(json_object_get(q, "id")), 9)
							  : json_string_value(json_object_get(q, "id")));
	putchar('\n');
	json_array_foreach(json_object_get(t, "studies"), i, row) {
		printf("%-24.24s", json_string_value(json_object_get(row, "label")));
		json_array_foreach(qs, j, q) {
			const char *a = json_string_value(json_object_get(json_object_get(row, "answers"),
				json_string_value(json_object_get(q, "id"))));
			if (j + 1 < json_array_size(qs))
				printf(" %-9.9s", a ? a : ".");
			else
				printf(" %.9s", a ? a : ".");
		}
		putchar('\n');
	}
	printf("rule: %s\n", json_string_value(json_object_get(json_object_get(t, "rule"), "text")));
	json_array_foreach(json_object_get(t, "studies"), i, row) {
		const char *lim = json_string_value(json_object_get(row, "limitations"));
		if (lim)
			printf("  %-24.24s %s concerns (%lld 'no')\n",
			       json_string_value(json_object_get(row, "label")), lim,
			       (long long)json_integer_value(json_object_get(row, "no")));
	}
	long u = (long)json_integer_value(json_object_get(t, "unresolved"));
	if (u)
		printf("%ld unresolved discrepanc%s (qes appraise discrepancies)\n", u, u == 1 ? "y" : "ies");
	json_decref(t);
	return 0;
}

static int plot(qes_store *st, const opts *o, qes_error *err)
{
	char *svg = NULL;
	int rc = qes_appraise_plot_svg(st, o->summary, (enum qes_palette)o->palette, &svg, err);
	if (rc)
		return rc;
	if (!strcmp(o->out, "-"))
		fputs(svg, stdout);
	else {
		FILE *fp = fopen(o->out, "wb");
		if (!fp || fputs(svg, fp) < 0)
			rc = qes_error_at(err, QES_EIO, o->out, 0, NULL, "cannot write: %s", strerror(errno));
		if (fp && fclose(fp) && !rc)
			rc = qes_error_at(err, QES_EIO, o->out, 0, NULL, "write failed");
	}
	free(svg);
	return rc;
}

static int print_or_fail(json_t *v, const qes_error *err)
{
	return v ? (cli_print_json(v) ? QES_EIO : 0) : (err->code ? err->code : QES_ENOMEM);
}

static int agreement(qes_store *st, const opts *o, qes_error *err)
{
	json_t *a = qes_appraise_agreement_json(st, err);
	if (!a || o->json)
		return print_or_fail(a, err);
	json_t *r = json_object_get(a, "reviewers"), *k = json_object_get(a, "kappa");
	printf("%s and %s: %lld items, %lld agreed (%.1f%%)", json_string_value(json_array_get(r, 0)),
	       json_string_value(json_array_get(r, 1)),
	       (long long)json_integer_value(json_object_get(a, "items")),
	       (long long)json_integer_value(json_object_get(a, "agreed")),
	       json_real_value(json_object_get(a, "percent")));
	if (json_is_real(k))
		printf(", kappa %.3f (95%% CI %.3f to %.3f)\n", json_real_value(k),
		       json_real_value(json_object_get(a, "ci_low")),
		       json_real_value(json_object_get(a, "ci_high")));
	else
		printf(", kappa undefined (one answer throughout)\n");
	json_decref(a);
	return 0;
}

static int discrepancies(qes_store *st, const opts *o, qes_error *err)
{
	json_t *d = qes_appraise_discrepancies_json(st, err);
	if (!d || o->json)
		return print_or_fail(d, err);
	size_t i;
	json_t *x;
	json_array_foreach(d, i, x) {
		printf("%s %s:", json_string_value(json_object_get(x, "study")),
		       json_string_value(json_object_get(x, "question")));
		const char *rev;
		json_t *a;
		json_object_foreach(json_object_get(x, "answers"), rev, a)
			printf(" %s=%s", rev, json_string_value(a));
		const char *c = json_string_value(json_object_get(x, "consensus"));
		printf("%s%s\n", c ? "  resolved: " : "  unresolved", c ? c : "");
	}
	printf("%zu discrepanc%s\n", json_array_size(d), json_array_size(d) == 1 ? "y" : "ies");
	json_decref(d);
	return 0;
}

static int rule(qes_store *st, const opts *o, qes_error *err)
{
	int rc = 0;
	if (o->deflt)
		rc = qes_appraise_rule_set(st, NULL, 0, 0, 0, err);
	else if (o->questions || o->serious || o->moderate || o->minor)
		rc = o->questions ? qes_appraise_rule_set(st, o->questions, o->serious, o->moderate,
							  o->minor, err)
			: qes_error_set(err, QES_EINVAL, "a rule needs --questions (ids, ranges or all)");
	if (rc)
		return rc;
	json_t *r = qes_appraise_rule_json(st, err);
	if (!r || o->json)
		return print_or_fail(r, err);
	printf("%s%s\n", json_string_value(json_object_get(r, "text")),
	       json_is_true(json_object_get(r, "default")) ? " (the default rule)" : "");
	json_decref(r);
	return 0;
}

static int sample(qes_store *st, const opts *o, qes_error *err)
{
	json_t *s = qes_appraise_sample(st, o->fraction, o->seed, err);
	if (!s || o->json)
		return print_or_fail(s, err);
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(s, "sample"), i, k)
		printf("%s\n", json_string_value(k));
	json_decref(s);
	return 0;
}

int cmd_appraise(int argc, char **argv)
{
	opts o = { 0 };
	int rc = parse(argc, argv, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	int nargs = argc - optind;
	char **args = argv + optind;
	static const char *const actions[] = { "table", "plot", "agreement", "sample",
					       "discrepancies", "rule" };
	if (nargs > 0 && cli_action_or_review("appraise", usage, args[0], CLI_ACTIONS(actions)) >= 0)
		return QES_EXIT_USAGE;
	const char *action = NULL;
	for (size_t i = 0; nargs == 2 && i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(args[0], actions[i]))
			action = actions[i];
	if (!action && (nargs != 1 || !o.from))
		return cli_usage_error(usage, "appraise takes REVIEW --from FILE, or an action and a review");
	if (action && !strcmp(action, "plot") && !o.out)
		return cli_usage_error(usage, "plot needs -o FILE.svg");
	if (action && !strcmp(action, "sample") && !o.have_seed)
		return cli_usage_error(usage, "sample needs --seed N (write it down: it redraws the sample)");
	qes_store *st;
	if ((rc = cli_open("appraise", args[action ? 1 : 0], &st)))
		return rc;
	qes_error err;
	qes_error_clear(&err);
	long n = 0;
	int st_rc = qes_checklist_ensure_default(st, &err);
	if (!st_rc) {
		if (!action) {
			st_rc = qes_appraise_import_csv(st, o.from, &n, &err);
			if (!st_rc)
				printf("%ld rating%s stored\n", n, n == 1 ? "" : "s");
		} else if (!strcmp(action, "table"))
			st_rc = table(st, &o, &err);
		else if (!strcmp(action, "plot"))
			st_rc = plot(st, &o, &err);
		else if (!strcmp(action, "agreement"))
			st_rc = agreement(st, &o, &err);
		else if (!strcmp(action, "sample"))
			st_rc = sample(st, &o, &err);
		else if (!strcmp(action, "rule"))
			st_rc = rule(st, &o, &err);
		else
			st_rc = discrepancies(st, &o, &err);
	}
	if (st_rc)
		rc = err.code ? cli_fail("appraise", &err) : QES_EXIT_ERROR;
	qes_store_close(st);
	return rc;
}
