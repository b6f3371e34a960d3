/* cmd_extract.c: qes extract (fill a study's form, CSV round trip, the form) */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/study.h"

static const char usage[] =
	"qes extract REVIEW --from FILE.csv | REVIEW -o FILE.csv | REVIEW STUDY [--show [--json]]\n"
	"       qes extract form REVIEW [--json]\n"
	"       qes extract field add REVIEW NAME --type TYPE [--options a,b,c] [--label TEXT]";
static const char help[] =
	"Data extraction: a study's characteristics, on the team's form.\n"
	"\n"
	"  REVIEW --from FILE.csv  store values from a CSV with columns study,field,value\n"
	"                          (one transaction: a bad value rejects the file, naming its line)\n"
	"  REVIEW -o FILE.csv      write every value as study,field,value\n"
	"  REVIEW STUDY            fill the study's form in the terminal, field by field\n"
	"                          (Enter keeps the value shown, '-' clears it); values are\n"
	"                          checked as typed and stored together at the end\n"
	"  REVIEW STUDY --show     print the study's values (--json for scripts)\n"
	"  form REVIEW [--json]    the form's fields, types and options\n"
	"  field add REVIEW NAME --type text|number|choice|multi|yesno|country|count\n"
	"                          [--options a,b,c] [--label TEXT]   add a field to the form\n"
	"\n"
	"Count fields hold one number per group: participants.parents, participants.practitioners.\n"
	"Multi and country fields take several values separated by ';'.\n";

typedef struct opts {
	int json, show;
	const char *from, *out, *type, *options, *label;
} opts;

static int parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "show", no_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "type", required_argument, NULL, 't' },
		{ "options", required_argument, NULL, 'O' },
		{ "label", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "jsf:o:t:h", lo, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = 1; break;
		case 's': o->show = 1; break;
		case 'f': o->from = optarg; break;
		case 'o': o->out = optarg; break;
		case 't': o->type = optarg; break;
		case 'O': o->options = optarg; break;
		case 'l': o->label = optarg; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return -1;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	return 0;
}

static int show_form(qes_store *st, int json)
{
	qes_error err;
	qes_error_clear(&err);
	json_t *f = qes_extract_form_json(st, &err);
	if (!f)
		return cli_fail("extract form", &err);
	if (json)
		return cli_print_json(f);
	size_t i, j;
	json_t *x, *o;
	json_array_foreach(json_object_get(f, "fields"), i, x) {
		printf("%s %s %s", cli_pad(json_string_value(json_object_get(x, "name")), 18),
		       cli_pad(json_string_value(json_object_get(x, "type")), 8),
		       json_string_value(json_object_get(x, "label")));
		json_array_foreach(json_object_get(x, "options"), j, o)
			printf("%s%s", j ? ", " : "  [", json_string_value(o));
		printf("%s\n", json_array_size(json_object_get(x, "options")) ? "]" : "");
	}
	json_decref(f);
	return 0;
}

/* Reads one line from stdin without its newline; NULL at end of input. */
static char *read_line(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

/* Asks for one field until the answer is valid; stores the answer in edits. */
static int ask(qes_store *st, const char *field, const char *label, json_t *opts,
	       const char *cur, json_t *edits)
{
	for (;;) {
		printf("%s (%s)", label, field);
		size_t i;
		json_t *o;
		json_array_foreach(opts, i, o)
			printf("%s%s", i ? ", " : " [", json_string_value(o));
		printf("%s%s%s: ", json_array_size(opts) ? "]" : "", cur ? " = " : "", cur ? cur : "");
		fflush(stdout);
		char *line = read_line();
		if (!line)
			return 1;   /* end of input: stop asking, keep what we have */
		if (!*line) {
			free(line);
			return 0;
		}
		if (!strcmp(line, "-")) {
			json_object_set_new(edits, field, json_string(""));
			free(line);
			return 0;
		}
		char *norm = NULL;
		qes_error err;
		qes_error_clear(&err);
		if (qes_extract_validate(st, field, line, &norm, &err) == 0) {
			json_object_set_new(edits, field, json_string(norm));
			free(norm);
			free(line);
			return 0;
		}
		printf("  %s\n", err.message);
		free(line);
	}
}

static int interactive(qes_store *st, const char *study)
{
	qes_error err;
	qes_error_clear(&err);
	json_t *form = qes_extract_form_json(st, &err), *vals = NULL, *edits = json_object();
	int rc = 0, eof = 0;
	if (!form || !(vals = qes_extract_study_json(st, study, &err))) {
		rc = cli_fail("extract", &err);
		goto out;
	}
	const char *label = json_string_value(json_object_get(vals, "label"));
	printf("Study %s%s%s. Enter keeps a value, '-' clears it.\n", study,
	       label ? ": " : "", label ? label : "");
	json_t *v = json_object_get(vals, "values"), *f;
	size_t i, j;
	json_array_foreach(json_object_get(form, "fields"), i, f) {
		const char *name = json_string_value(json_object_get(f, "name"));
		const char *flabel = json_string_value(json_object_get(f, "label"));
		json_t *opts = json_object_get(f, "options");
		if (eof)
			break;
		if (strcmp(json_string_value(json_object_get(f, "type")), "count")) {
			eof = ask(st, name, flabel, opts, json_string_value(json_object_get(v, name)), edits);
			continue;
		}
		json_t *g, *none = json_array();
		json_array_foreach(opts, j, g) {
			char *fn = NULL;
			if (asprintf(&fn, "%s.%s", name, json_string_value(g)) < 0)
				break;
			if (!eof)
				eof = ask(st, fn, flabel, none, json_string_value(json_object_get(v, fn)), edits);
			free(fn);
		}
		json_decref(none);
	}
	if (!json_object_size(edits)) {
		printf("nothing changed\n");
		goto out;
	}
	if (qes_store_begin(st, &err)) {
		rc = cli_fail("extract", &err);
		goto out;
	}
	const char *k;
	json_object_foreach(edits, k, v) {
		if (qes_extract_set(st, study, k, json_string_value(v), &err)) {
			qes_store_rollback(st);
			rc = cli_fail("extract", &err);
			goto out;
		}
	}
	if (qes_store_commit(st, &err)) {
		qes_store_rollback(st);
		rc = cli_fail("extract", &err);
		goto out;
	}
	printf("%zu value%s stored\n", json_object_size(edits), json_object_size(edits) == 1 ? "" : "s");
out:
	json_decref(form);
	json_decref(vals);
	json_decref(edits);
	return rc;
}

static int show(qes_store *st, const char *study, int json)
{
	qes_error err;
	qes_error_clear(&err);
	json_t *v = qes_extract_study_json(st, study, &err);
	if (!v)
		return cli_fail("extract", &err);
	if (json)
		return cli_print_json(v);
	const char *k;
	json_t *x;
	json_object_foreach(json_object_get(v, "values"), k, x)
		cli_row("%s %s\n", cli_pad(k, 28), json_string_value(x));
	json_decref(v);
	return 0;
}

static int field_add(int nargs, char **args, const opts *o)
{
	if (nargs != 3 || strcmp(args[0], "add"))
		return cli_usage_error(usage, "use: qes extract field add REVIEW NAME --type TYPE");
	if (!o->type)
		return cli_usage_error(usage, "field add needs --type");
	qes_store *st;
	int rc = cli_open("extract", args[1], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	if (qes_extract_field_add(st, args[2], o->type, o->options, o->label, &err))
		rc = cli_fail("extract field add", &err);
	qes_store_close(st);
	return rc;
}

int cmd_extract(int argc, char **argv)
{
	opts o = { 0 };
	int rc = parse(argc, argv, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	int nargs = argc - optind;
	char **args = argv + optind;
	static const char *const actions[] = { "form", "field" };
	if (nargs > 0 && cli_action_or_review("extract", usage, args[0], CLI_ACTIONS(actions)) >= 0)
		return QES_EXIT_USAGE;
	if (nargs >= 1 && !strcmp(args[0], "field"))
		return field_add(nargs - 1, args + 1, &o);
	int is_form = nargs == 2 && !strcmp(args[0], "form");
	if (!is_form && (nargs < 1 || nargs > 2 || (nargs == 2) == (o.from || o.out) ||
			 (o.from && o.out)))
		return cli_usage_error(usage, "extract takes a review and --from, -o or a study");
	qes_store *st;
	if ((rc = cli_open("extract", args[is_form ? 1 : 0], &st)))
		return rc;
	qes_error err;
	qes_error_clear(&err);
	long n = 0;
	if (is_form) {
		rc = show_form(st, o.json);
	} else if (o.from) {
		if (qes_extract_import_csv(st, o.from, &n, &err))
			rc = cli_fail("extract", &err);
		else
			printf("%ld value%s stored\n", n, n == 1 ? "" : "s");
	} else if (o.out) {
		if (qes_extract_export_csv(st, o.out, &err))
			rc = cli_fail("extract", &err);
	} else if (o.show) {
		rc = show(st, args[1], o.json);
	} else {
		rc = interactive(st, args[1]);
	}
	qes_store_close(st);
	return rc;
}
