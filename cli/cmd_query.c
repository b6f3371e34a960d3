/* cmd_query.c: qes query matrix|cooccur|search|framework: the questions a
 * thematic synthesis asks of its codings and themes. Each prints a table,
 * or --json, --csv, --html. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/code.h"
#include "qes/theme.h"
#include "synth_cli.h"

static const char usage[] =
	"qes query matrix|cooccur|search|framework REVIEW ... [--json|--csv|--html]; qes query --help";
static const char help[] =
	"Queries of a thematic synthesis. Without --as every coder's codings count (the\n"
	"lead's view); --as CODER applies the blinding of the double-coding sample.\n"
	"\n"
	"  matrix REVIEW [--attribute perspective]   themes by a case attribute: studies, spans\n"
	"  cooccur REVIEW [--coder C]                codes overlapping on the same text, same coder\n"
	"  search REVIEW TEXT [--source S] [--context N] [--limit N]   case-insensitive\n"
	"  framework REVIEW [--by study|case] [--level descriptive|analytical|subtheme]\n"
	"                                           spans, first illustrative quote, summary\n"
	"  common: [--as CODER] [--json | --csv | --html]\n";

/* Terminal columns of s (cli_display_width), for column widths. */
static size_t width(const char *s)
{
	return (size_t)cli_display_width(s);
}

/* A cell for the terminal: one line, at most 60 code points. */
static char *shorten(const char *s)
{
	size_t len = strlen(s), cut = qes_code_cp_to_byte(s, len, 60);
	char *out = malloc(len + 4);
	if (!out)
		return NULL;
	memcpy(out, s, cut);
	strcpy(out + cut, cut < len ? "\xe2\x80\xa6" : "");
	for (char *p = out; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	return out;
}

void cli_print_grid(json_t *grid)
{
	size_t ncols = json_array_size(json_array_get(grid, 0)), i, k;
	size_t *w = calloc(ncols ? ncols : 1, sizeof(*w));
	json_t *row, *v;
	if (!w)
		return;
	json_array_foreach(grid, i, row) {
		json_array_foreach(row, k, v) {
			char *s = shorten(json_string_value(v) ? json_string_value(v) : "");
			if (s && k < ncols && width(s) > w[k])
				w[k] = width(s);
			free(s);
		}
	}
	json_array_foreach(grid, i, row) {
		json_array_foreach(row, k, v) {
			char *s = shorten(json_string_value(v) ? json_string_value(v) : "");
			if (!s || k >= ncols)
				break;
			printf("%s%s", k ? "  " : "", s);
			if (k + 1 < ncols)
				for (size_t pad = width(s); pad < w[k]; pad++)
					putchar(' ');
			free(s);
		}
		putchar('\n');
	}
	free(w);
}

int cli_print_query(const char *cmd, const char *query, json_t *result, int how)
{
	qes_error err;
	qes_error_clear(&err);
	if (how == SYNTH_OUT_JSON)
		return cli_print_json(result);
	json_t *g = qes_query_grid(query, result, &err);
	json_decref(result);
	if (!g)
		return cli_fail(cmd, &err);
	char *out = NULL;
	int rc = 0;
	if (how == SYNTH_OUT_TEXT)
		cli_print_grid(g);
	else if ((how == SYNTH_OUT_CSV ? qes_grid_csv(g, &out, &err)
		  : qes_grid_html(g, "qes-query", &out, &err)))
		rc = cli_fail(cmd, &err);
	else
		fputs(out, stdout);
	free(out);
	json_decref(g);
	return rc;
}

typedef struct opts {
	const char *attribute, *coder, *source, *by, *level, *as;
	long context, limit;
	int how;
} opts;

static json_t *run(qes_store *st, const char *q, char **rest, int nrest, const opts *o,
		   qes_error *err)
{
	if (!strcmp(q, "matrix") && !nrest)
		return qes_query_matrix_json(st, o->attribute, o->as, err);
	if (!strcmp(q, "cooccur") && !nrest)
		return qes_query_cooccur_json(st, o->coder, o->as, err);
	if (!strcmp(q, "search") && nrest == 1)
		return qes_query_search_json(st, rest[0], o->source, o->context, o->limit, err);
	if (!strcmp(q, "framework") && !nrest)
		return qes_query_framework_json(st, o->by, o->level, o->as, err);
	qes_error_set(err, QES_EINVAL, "wrong arguments for 'query %s' (qes query --help)", q);
	return NULL;
}

static int parse_long(const char *s, long *v)
{
	char *end;
	*v = strtol(s, &end, 10);
	return !*s || *end || *v < 0;
}

int cmd_query(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "attribute", required_argument, NULL, 'a' }, { "coder", required_argument, NULL, 'c' },
		{ "source", required_argument, NULL, 's' }, { "context", required_argument, NULL, 'x' },
		{ "limit", required_argument, NULL, 'l' }, { "by", required_argument, NULL, 'b' },
		{ "level", required_argument, NULL, 'L' }, { "as", required_argument, NULL, 'u' },
		{ "json", no_argument, NULL, 'j' }, { "csv", no_argument, NULL, 'C' },
		{ "html", no_argument, NULL, 'H' }, { "help", no_argument, NULL, 'h' }, { 0, 0, 0, 0 }
	};
	opts o = { .context = 40 };
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'a': o.attribute = optarg; break;
		case 'c': o.coder = optarg; break;
		case 's': o.source = optarg; break;
		case 'x':
			if (parse_long(optarg, &o.context))
				return cli_usage_error(usage, "--context is a number of characters");
			break;
		case 'l':
			if (parse_long(optarg, &o.limit))
				return cli_usage_error(usage, "--limit is a number of hits");
			break;
		case 'b': o.by = optarg; break;
		case 'L': o.level = optarg; break;
		case 'u': o.as = optarg; break;
		case 'j': o.how = SYNTH_OUT_JSON; break;
		case 'C': o.how = SYNTH_OUT_CSV; break;
		case 'H': o.how = SYNTH_OUT_HTML; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	static const char *const actions[] = { "matrix", "cooccur", "search", "framework" };
	if (optind < argc && cli_action("query", usage, argv[optind], CLI_ACTIONS(actions)) >= 0)
		return QES_EXIT_USAGE;
	if (argc - optind < 2)
		return cli_usage_error(usage, "query needs a query and a review");
	const char *q = argv[optind];
	qes_store *st = NULL;
	int rc = cli_open_read("query", argv[optind + 1], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	json_t *v = run(st, q, argv + optind + 2, argc - optind - 2, &o, &err);
	rc = v ? cli_print_query("query", q, v, o.how) : cli_fail("query", &err);
	qes_store_close(st);
	return rc;
}
