/* cmd_cerqual.c: qes cerqual assess|soqf|profile|log: GRADE-CERQual
 * judgements on review findings and the tables they make. */
#include "cli.h"
#include "qes/table.h"
#include "synth_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"qes cerqual ACTION REVIEW ... (assess | soqf | profile | log); qes cerqual --help";
static const char help[] =
	"GRADE-CERQual: how much confidence each review finding deserves.\n"
	"\n"
	"  assess REVIEW FINDING COMPONENT LEVEL [--explain TEXT] [--by NAME]\n"
	"      COMPONENT limitations|coherence|adequacy|relevance with LEVEL\n"
	"      none (no or very minor)|minor|moderate|serious, or overall with\n"
	"      high|moderate|low|very_low. An explanation is required above 'none'\n"
	"      and for overall; for limitations it defaults to the summary of the\n"
	"      contributing studies' appraisal (qes finding show).\n"
	"  soqf REVIEW [--json|--csv|--html] [-o FILE]     Summary of Qualitative Findings\n"
	"  profile REVIEW [--json|--csv|--html] [-o FILE]  the CERQual evidence profile\n"
	"      (for people by default; CSV with --csv, and with -o FILE alone)\n"
	"  log REVIEW [--json]      every change to findings, assessments and the advisory group\n";

int synth_emit(const char *cmd, const char *path, const char *text)
{
	FILE *fp = path ? fopen(path, "w") : stdout;
	if (!fp) {
		fprintf(stderr, "qes %s: cannot write %s: %s\n", cmd, path, strerror(errno));
		return QES_EXIT_ERROR;
	}
	int bad = fputs(text, fp) < 0;
	if (path)
		bad |= fclose(fp) != 0;
	if (bad) {
		fprintf(stderr, "qes %s: cannot write %s\n", cmd, path ? path : "the output");
		return QES_EXIT_ERROR;
	}
	return 0;
}

int synth_emit_json(const char *cmd, const char *path, json_t *v)
{
	if (!path)
		return cli_print_json(v);
	char *s = v ? json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(v);
	int rc = s ? synth_emit(cmd, path, s) : QES_EXIT_ERROR;
	free(s);
	return rc;
}

const char *synth_who(const char *by)
{
	if (by && *by)
		return by;
	const char *u = getenv("USER");
	return u && *u ? u : NULL;
}

/* text, wrapped at 78 columns under a 4-space indent, after label. */
static void wrap(const char *label, const char *text)
{
	int col = printf("    %s", label);
	const char *p = text;
	while (*p) {
		size_t wl = strcspn(p, " \n");
		if (col + 1 + (int)wl > 78 && col > 4 + (int)strlen(label))
			col = printf("\n    %*s", (int)strlen(label), "") - 1;
		else if (p != text)
			col += printf(" ");
		col += printf("%.*s", (int)wl, p);
		p += wl;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	putchar('\n');
}

/* A value of the JSON table as words: strings as they are, lists joined by
 * "; ", a judgement object as "minor: its explanation". */
static void value_text(json_t *v, char *buf, size_t len)
{
	buf[0] = '\0';
	if (json_is_string(v)) {
		snprintf(buf, len, "%s", json_string_value(v));
	} else if (json_is_array(v) || json_is_object(v)) {
		size_t i, n = 0;
		const char *k;
		json_t *x;
		if (json_is_array(v)) {
			json_array_foreach(v, i, x)
				n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", i ? "; " : "",
						      json_is_string(x) ? json_string_value(x) : "");
		} else {
			json_object_foreach(v, k, x)
				if (json_is_string(x) && *json_string_value(x))
					n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
							      n ? ": " : "", json_string_value(x));
		}
	} else if (json_is_integer(v)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	}
}

/* The SoQF or the evidence profile for people: one block per finding. */
static void print_for_people(json_t *t)
{
	size_t i;
	json_t *row;
	static char buf[16384];
	if (!json_array_size(json_object_get(t, "rows")))
		printf("No review findings yet (qes finding add).\n");
	json_array_foreach(json_object_get(t, "rows"), i, row) {
		const char *k;
		json_t *v;
		printf("%s%s\n", i ? "\n" : "", json_string_value(json_object_get(row, "finding")));
		json_object_foreach(row, k, v) {
			if (!strcmp(k, "finding") || !strcmp(k, "limitations_summary"))
				continue;
			value_text(v, buf, sizeof(buf));
			if (!buf[0])
				continue;
			char label[64];
			snprintf(label, sizeof(label), "%s: ", k);
			wrap(label, buf);
		}
	}
}

static int table(qes_store *st, const char *action, int fmt, const char *out)
{
	qes_error err;
	qes_error_clear(&err);
	int soqf = !strcmp(action, "soqf");
	/* For people by default on the terminal; a file (-o) without a format
	 * flag stays CSV, as before. */
	if (fmt == SYNTH_OUT_TEXT && !out) {
		json_t *v = soqf ? qes_cerqual_soqf_json(st, &err) : qes_cerqual_profile_json(st, &err);
		if (!v)
			return cli_fail("cerqual", &err);
		print_for_people(v);
		json_decref(v);
		return 0;
	}
	if (fmt == SYNTH_OUT_JSON) {
		json_t *v = soqf ? qes_cerqual_soqf_json(st, &err) : qes_cerqual_profile_json(st, &err);
		return v ? synth_emit_json("cerqual", out, v) : cli_fail("cerqual", &err);
	}
	char *text = NULL;
	/* A spreadsheet or Word file takes the table with its headings (HTML)
	 * unless --csv asks for the CSV columns. */
	int office = qes_table_path_is_office(out);
	qes_table_format f = fmt == SYNTH_OUT_HTML || (office && fmt != SYNTH_OUT_CSV)
		? QES_TABLE_HTML : QES_TABLE_CSV;
	int rc = soqf ? qes_cerqual_soqf_text(st, f, &text, &err)
		      : qes_cerqual_profile_text(st, f, &text, &err);
	if (rc)
		return cli_fail("cerqual", &err);
	rc = office ? cli_write_table("cerqual", out, text, f == QES_TABLE_HTML,
				      soqf ? "Summary of qualitative findings"
					   : "GRADE-CERQual evidence profile")
		    : synth_emit("cerqual", out, text);
	free(text);
	return rc;
}

static int show_log(qes_store *st, int json)
{
	qes_error err;
	qes_error_clear(&err);
	json_t *v = qes_synth_log_json(st, &err);
	if (!v)
		return cli_fail("cerqual log", &err);
	if (json)
		return cli_print_json(v);
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e)
		printf("%s\t%s\t%s\t%s\t%s\n", json_string_value(json_object_get(e, "at")),
		       json_string_value(json_object_get(e, "who")),
		       json_string_value(json_object_get(e, "action")),
		       json_string_value(json_object_get(e, "target")),
		       json_string_value(json_object_get(e, "detail")));
	json_decref(v);
	return 0;
}

int cmd_cerqual(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "explain", required_argument, NULL, 'e' }, { "by", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' }, { "csv", no_argument, NULL, 'c' },
		{ "html", no_argument, NULL, 'H' }, { "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' }, { 0, 0, 0, 0 }
	};
	const char *explain = NULL, *by = NULL, *out = NULL;
	int c, fmt = SYNTH_OUT_TEXT;
	optind = 0;
	while ((c = getopt_long(argc, argv, "ho:", lo, NULL)) != -1) {
		switch (c) {
		case 'e': explain = optarg; break;
		case 'b': by = optarg; break;
		case 'j': fmt = SYNTH_OUT_JSON; break;
		case 'c': fmt = SYNTH_OUT_CSV; break;
		case 'H': fmt = SYNTH_OUT_HTML; break;
		case 'o': out = optarg; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	static const char *const actions[] = { "assess", "soqf", "profile", "log" };
	if (optind < argc && cli_action("cerqual", usage, argv[optind], CLI_ACTIONS(actions)) >= 0)
		return QES_EXIT_USAGE;
	if (argc - optind < 2)
		return cli_usage_error(usage, "cerqual needs an action and a review");
	const char *action = argv[optind], *review = argv[optind + 1];
	char **rest = argv + optind + 2;
	int nrest = argc - optind - 2;
	int assess = !strcmp(action, "assess");
	if (assess && nrest != 3)
		return cli_usage_error(usage, "assess needs FINDING COMPONENT LEVEL");
	if (!assess && strcmp(action, "soqf") && strcmp(action, "profile") && strcmp(action, "log"))
		return cli_usage_error(usage, "no action '%s'", action);
	if (assess && !synth_who(by))
		return cli_usage_error(usage, "say who assessed (--by NAME)");
	qes_store *st = NULL;
	int rc = cli_open("cerqual", review, &st);
	if (rc)
		return rc;
	if (assess) {
		qes_error err;
		qes_error_clear(&err);
		if ((rc = qes_cerqual_assess(st, rest[0], rest[1], rest[2], explain, synth_who(by), &err)))
			rc = cli_fail("cerqual assess", &err);
	} else if (!strcmp(action, "log")) {
		rc = show_log(st, fmt == SYNTH_OUT_JSON);
	} else {
		rc = table(st, action, fmt, out);
	}
	qes_store_close(st);
	return rc;
}
