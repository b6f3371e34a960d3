/* cmd_theme.c: qes theme add|codes|group|remove|rename|describe|move|list|
 * trace|table|summary: descriptive and analytical themes over the codes. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/theme.h"
#include "synth_cli.h"

static const char usage[] =
	"qes theme ACTION REVIEW ... (add | codes | group | remove | rename | describe | move |\n"
	"       list | trace | table | summary | sensitivity); qes theme --help";
static const char help[] =
	"Themes of a thematic synthesis. A theme is named by its name, 'Analytical/Subtheme'\n"
	"or #ID. Views count every coder's codings unless --as CODER (blinded) is given.\n"
	"\n"
	"  add REVIEW NAME --level descriptive|analytical [--description T]\n"
	"  add REVIEW NAME --parent ANALYTICAL [--description T]     a subtheme\n"
	"  codes REVIEW THEME CODE... [--remove]      codes (or code folders) in a theme\n"
	"  group REVIEW PARENT THEME... [--remove]    descriptive themes under an analytical\n"
	"                                             theme or a subtheme\n"
	"  remove REVIEW THEME | rename REVIEW THEME NEW | describe REVIEW THEME TEXT\n"
	"  move REVIEW SUBTHEME ANALYTICAL            a subtheme to another analytical theme\n"
	"  list REVIEW [--as C] [--json|--csv]        the tree with counts\n"
	"  trace REVIEW THEME [--as C] [--json]       every span, source, study, case it rests on\n"
	"  table REVIEW [--quotes N] [--as C] [--json|--csv|--html] [-o FILE]   theme, subtheme,\n"
	"        quotes; -o FILE.xlsx|.docx writes a spreadsheet or Word table\n"
	"  summary REVIEW THEME (--study KEY | --case NAME) TEXT      a framework cell's summary\n"
	"  sensitivity REVIEW [--rule serious|moderate|minor] [--json]   each theme's and\n"
	"             finding's studies and passages, and what remains without the studies\n"
	"             the appraisal rule (qes appraise rule) weighs as weak; '!' flags one\n"
	"             that would lose more than half of its support\n";

typedef struct opts {
	const char *level, *parent, *description, *as, *study, *case_name, *out, *rule;
	int remove, how, quotes;
} opts;

static int write_action(qes_store *st, const char *a, char **r, int n, const opts *o,
			qes_error *err)
{
	long long id = 0;
	if (!strcmp(a, "add") && n == 1) {
		int rc = qes_theme_add(st, r[0], o->level, o->parent, o->description, &id, err);
		if (!rc)
			printf("theme #%lld added\n", id);
		return rc;
	}
	if (!strcmp(a, "codes") && n >= 2)
		return qes_theme_codes(st, r[0], r + 1, n - 1, o->remove, err);
	if (!strcmp(a, "group") && n >= 2)
		return qes_theme_group(st, r[0], r + 1, n - 1, o->remove, err);
	if (!strcmp(a, "remove") && n == 1)
		return qes_theme_remove(st, r[0], err);
	if (!strcmp(a, "rename") && n == 2)
		return qes_theme_rename(st, r[0], r[1], err);
	if (!strcmp(a, "describe") && n == 2)
		return qes_theme_describe(st, r[0], r[1], err);
	if (!strcmp(a, "move") && n == 2)
		return qes_theme_move(st, r[0], r[1], err);
	if (!strcmp(a, "summary") && n == 2) {
		if (!!o->study == !!o->case_name)
			return qes_error_set(err, QES_EINVAL, "summary needs --study KEY or --case NAME");
		return qes_theme_summary_set(st, o->study ? "study" : "case",
					     o->study ? o->study : o->case_name, r[0], r[1], err);
	}
	return qes_error_set(err, QES_EINVAL, "wrong arguments for 'theme %s' (qes theme --help)", a);
}

static void print_tree(json_t *l)
{
	size_t i, k;
	json_t *t, *v;
	json_array_foreach(l, i, t) {
		json_t *c = json_object_get(t, "counts");
		const char *level = json_string_value(json_object_get(t, "level"));
		printf("%s%s [%s]  codes %lld, passages %lld, spans %lld, sources %lld, studies %lld,"
		       " cases %lld\n", !strcmp(level, "subtheme") ? "  " : "",
		       json_string_value(json_object_get(t, "name")), level,
		       (long long)json_integer_value(json_object_get(c, "codes")),
		       (long long)json_integer_value(json_object_get(c, "passages")),
		       (long long)json_integer_value(json_object_get(c, "spans")),
		       (long long)json_integer_value(json_object_get(c, "sources")),
		       (long long)json_integer_value(json_object_get(c, "studies")),
		       (long long)json_integer_value(json_object_get(c, "cases")));
		const char *pad = !strcmp(level, "subtheme") ? "    " : "  ";
		json_array_foreach(json_object_get(t, "themes"), k, v)
			printf("%s> %s\n", pad, json_string_value(v));
		json_array_foreach(json_object_get(t, "codes"), k, v)
			printf("%s- %s\n", pad, json_string_value(v));
	}
}

static void print_trace(json_t *t)
{
	static const char *const keys[] = { "codes", "themes", "sources", "studies", "cases",
					    "perspectives" };
	size_t i, k;
	json_t *v;
	printf("%s [%s]\n", json_string_value(json_object_get(t, "theme")),
	       json_string_value(json_object_get(t, "level")));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		/* Padded only when an entry follows (no trailing spaces). */
		printf("%s", json_array_size(json_object_get(t, keys[i])) ? cli_pad(keys[i], 13) : keys[i]);
		json_array_foreach(json_object_get(t, keys[i]), k, v)
			printf("%s%s", k ? "; " : " ", json_string_value(v));
		putchar('\n');
	}
	printf("%-13s %zu distinct, %zu spans by coders\n", "passages",
	       json_array_size(json_object_get(t, "passages")),
	       json_array_size(json_object_get(t, "spans")));
	json_array_foreach(json_object_get(t, "advisors"), k, v) {
		const char *change = json_string_value(json_object_get(v, "change"));
		printf("advisor       %s: \"%s\" [%s]%s%s\n",
		       json_string_value(json_object_get(v, "advisor")),
		       json_string_value(json_object_get(v, "text")),
		       json_string_value(json_object_get(v, "status")),
		       change && *change ? " changed: " : "", change ? change : "");
	}
	json_array_foreach(json_object_get(t, "spans"), k, v) {
		printf("%s\t%lld-%lld\t%s\t%s\t%s\n", json_string_value(json_object_get(v, "source")),
		       (long long)json_integer_value(json_object_get(v, "start")),
		       (long long)json_integer_value(json_object_get(v, "end")),
		       json_string_value(json_object_get(v, "code")),
		       json_string_value(json_object_get(v, "coder")),
		       json_string_value(json_object_get(v, "text")));
	}
}

/* One line per theme and finding: studies and passages, then without the
 * weak studies; '!' marks one that would lose most of its support. */
static void print_sensitivity(json_t *v)
{
	size_t i;
	json_t *r;
	printf("set aside: studies with %s concerns by the rule (%s):",
	       json_string_value(json_object_get(v, "set_aside")),
	       json_string_value(json_object_get(json_object_get(v, "rule"), "text")));
	json_array_foreach(json_object_get(v, "weak_studies"), i, r)
		printf("%s%s", i ? ", " : " ", json_string_value(json_object_get(r, "study")));
	printf("%s\n%-46s %7s %8s  %s\n", json_array_size(json_object_get(v, "weak_studies")) ? ""
	       : " none", "theme / finding", "studies", "passages", "without weak");
	for (int f = 0; f < 2; f++)
		json_array_foreach(json_object_get(v, f ? "findings" : "themes"), i, r) {
			char name[256];
			snprintf(name, sizeof(name), "%s%s", f ? "finding " : "",
				 json_string_value(json_object_get(r, f ? "finding" : "theme")));
			printf("%-46.46s %7lld %8lld  %lld studies, %lld passages%s\n", name,
			       (long long)json_integer_value(json_object_get(r, "studies")),
			       (long long)json_integer_value(json_object_get(r, "passages")),
			       (long long)json_integer_value(json_object_get(r, "studies_without_weak")),
			       (long long)json_integer_value(json_object_get(r, "passages_without_weak")),
			       json_is_true(json_object_get(r, "flagged")) ? "  ! most support lost" : "");
		}
}

/* Theme / subtheme, then each quote attributed as in the HTML. */
static void print_table(json_t *t)
{
	size_t i, k;
	json_t *r, *q;
	json_array_foreach(json_object_get(t, "rows"), i, r) {
		const char *sub = json_string_value(json_object_get(r, "subtheme"));
		printf("%s%s%s\n", json_string_value(json_object_get(r, "theme")), *sub ? " / " : "", sub);
		for (int c = 0; c < 2; c++) {
			json_t *l = json_object_get(r, c ? "interpretations" : "quotes");
			if (c && json_array_size(l))
				printf("  authors' interpretations:\n");
			json_array_foreach(l, k, q) {
				const char *role = json_string_value(json_object_get(q, "role"));
				const char *who = c ? "" : *role ? role
					: json_string_value(json_object_get(q, "perspective"));
				const char *where = json_string_value(json_object_get(q, "study_label"));
				printf("  %s\xe2\x80\x9c%s\xe2\x80\x9d%s%s%s [%s]\n", c ? "  " : "",
				       json_string_value(json_object_get(q, "text")), *who ? " (" : "", who,
				       *who ? ")" : "",
				       where ? where : json_string_value(json_object_get(q, "source")));
			}
		}
	}
}

static int view(qes_store *st, const char *a, char **r, int n, const opts *o)
{
	qes_error err;
	qes_error_clear(&err);
	json_t *v = NULL;
	if (!strcmp(a, "list") && !n) {
		if (!(v = qes_theme_list_json(st, o->as, &err)))
			return cli_fail("theme list", &err);
		if (o->how != SYNTH_OUT_TEXT)
			return cli_print_query("theme list", "list", v, o->how);
		print_tree(v);
		json_decref(v);
		return 0;
	}
	if (!strcmp(a, "trace") && n == 1) {
		if (!(v = qes_theme_trace_json(st, r[0], o->as, &err)))
			return cli_fail("theme trace", &err);
		if (o->how == SYNTH_OUT_JSON)
			return cli_print_json(v);
		print_trace(v);
		json_decref(v);
		return 0;
	}
	if (!strcmp(a, "table") && !n && o->out) {
		/* -o FILE: the CSV with --csv, else the HTML table (the quotes
		 * one per line), in the format FILE's extension names. */
		char *out = NULL;
		int csv = o->how == SYNTH_OUT_CSV;
		int rc = csv ? qes_theme_table_csv(st, o->quotes, o->as, &out, &err)
			     : qes_theme_table_html(st, o->quotes, o->as, &out, &err);
		if (rc)
			return cli_fail("theme table", &err);
		rc = cli_write_table("theme table", o->out, out, !csv, "Themes");
		free(out);
		return rc;
	}
	if (!strcmp(a, "sensitivity") && !n) {
		if (!(v = qes_theme_sensitivity_json(st, o->rule, &err)))
			return cli_fail("theme sensitivity", &err);
		if (o->how == SYNTH_OUT_JSON)
			return cli_print_json(v);
		print_sensitivity(v);
		json_decref(v);
		return 0;
	}
	if (!strcmp(a, "table") && !n) {
		if (o->how == SYNTH_OUT_JSON || o->how == SYNTH_OUT_TEXT) {
			if (!(v = qes_theme_table_json(st, o->quotes, o->as, &err)))
				return cli_fail("theme table", &err);
			if (o->how == SYNTH_OUT_JSON)
				return cli_print_json(v);
			print_table(v);
			json_decref(v);
			return 0;
		}
		char *out = NULL;
		int rc = o->how == SYNTH_OUT_HTML ? qes_theme_table_html(st, o->quotes, o->as, &out, &err)
			: qes_theme_table_csv(st, o->quotes, o->as, &out, &err);
		if (rc)
			return cli_fail("theme table", &err);
		fputs(out, stdout);
		free(out);
		return 0;
	}
	return cli_usage_error(usage, "wrong arguments for 'theme %s'", a);
}

int cmd_theme(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "level", required_argument, NULL, 'l' }, { "parent", required_argument, NULL, 'p' },
		{ "description", required_argument, NULL, 'd' }, { "as", required_argument, NULL, 'u' },
		{ "study", required_argument, NULL, 's' }, { "case", required_argument, NULL, 'c' },
		{ "remove", no_argument, NULL, 'r' }, { "quotes", required_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' }, { "csv", no_argument, NULL, 'C' },
		{ "html", no_argument, NULL, 'H' }, { "output", required_argument, NULL, 'o' },
		{ "rule", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' }, { 0, 0, 0, 0 }
	};
	opts o = { .quotes = 3 };
	int c;
	char *end;
	optind = 0;
	while ((c = getopt_long(argc, argv, "ho:", lo, NULL)) != -1) {
		switch (c) {
		case 'o': o.out = optarg; break;
		case 'l': o.level = optarg; break;
		case 'p': o.parent = optarg; break;
		case 'd': o.description = optarg; break;
		case 'u': o.as = optarg; break;
		case 's': o.study = optarg; break;
		case 'c': o.case_name = optarg; break;
		case 'r': o.remove = 1; break;
		case 'R': o.rule = optarg; break;
		case 'q':
			o.quotes = (int)strtol(optarg, &end, 10);
			if (!*optarg || *end || o.quotes < 0)
				return cli_usage_error(usage, "--quotes is a number (0: all)");
			break;
		case 'j': o.how = SYNTH_OUT_JSON; break;
		case 'C': o.how = SYNTH_OUT_CSV; break;
		case 'H': o.how = SYNTH_OUT_HTML; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	static const char *const actions[] = { "add", "codes", "group", "remove", "rename", "describe", "move", "list", "trace", "table", "summary", "sensitivity" };
	if (optind < argc && cli_action("theme", usage, argv[optind], CLI_ACTIONS(actions)) >= 0)
		return QES_EXIT_USAGE;
	if (argc - optind < 2)
		return cli_usage_error(usage, "theme needs an action and a review");
	const char *a = argv[optind];
	char **rest = argv + optind + 2;
	int n = argc - optind - 2, rc;
	qes_store *st = NULL;
	if ((rc = cli_open("theme", argv[optind + 1], &st)))
		return rc;
	if (!strcmp(a, "list") || !strcmp(a, "trace") || !strcmp(a, "table") ||
	    !strcmp(a, "sensitivity")) {
		rc = view(st, a, rest, n, &o);
	} else {
		qes_error err;
		qes_error_clear(&err);
		if ((rc = write_action(st, a, rest, n, &o, &err)))
			rc = cli_fail("theme", &err);
	}
	qes_store_close(st);
	return rc;
}
