/* cmd_lay.c: qes lay: the plain-language summary, drafted in qes with the
 * advisory group: edit, show, share, export, readability, comment. */
#include "cli.h"
#include "synth_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "qes/advisory.h"
#include "qes/lay.h"
#include "qes/limits.h"

static const char usage[] =
	"qes lay REVIEW edit [--from FILE|-] [--by NAME]\n"
	"       qes lay REVIEW show [--version N] [--template] [--html]\n"
	"       qes lay REVIEW versions [--json]\n"
	"       qes lay REVIEW share [--version N] [--stop] [--by NAME]\n"
	"       qes lay REVIEW export -o FILE.html|FILE.pdf|FILE.docx [--version N]\n"
	"       qes lay REVIEW readability [--version N] [--from FILE|-] [--json]";
static const char help[] =
	"The lay summary, in markdown (# headings, paragraphs, - lists, **bold**,\n"
	"*italic*). edit saves a new version: from --from FILE (- for standard\n"
	"input), or opens $EDITOR on the latest version (or the template filled\n"
	"from the review when there is none). Every save is kept. share shares a\n"
	"version with the advisory group (advisors see that version only, in the\n"
	"web app, and comment on it: qes advisory comment REVIEW --on lay:N);\n"
	"--stop stops sharing. readability: Flesch reading ease, mean sentence\n"
	"length, long words and jargon from the plain-language word list.\n";

static char *read_stream(FILE *f, const char *name)
{
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap + 1);
	while (b) {
		size_t got = fread(b + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		if (cap >= QES_MAX_FIELD) {
			fprintf(stderr, "qes lay: %s: over %u bytes\n", name, QES_MAX_FIELD);
			free(b);
			return NULL;
		}
		char *nb = realloc(b, cap * 2 + 1);
		if (!nb) {
			free(b);
			return NULL;
		}
		b = nb;
		cap *= 2;
	}
	if (b)
		b[n] = 0;
	return b;
}

static char *read_input(const char *from)
{
	if (!strcmp(from, "-"))
		return read_stream(stdin, "standard input");
	FILE *f = fopen(from, "rb");
	if (!f) {
		fprintf(stderr, "qes lay: %s: %s\n", from, strerror(errno));
		return NULL;
	}
	char *t = read_stream(f, from);
	fclose(f);
	return t;
}

/* Writes start to a temporary file, runs $EDITOR (or vi) on it, reads it
 * back. NULL when the editor failed. */
static char *run_editor(const char *start)
{
	char path[] = "/tmp/qes-lay-XXXXXX.md";
	int fd = mkstemps(path, 3);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(path);
		return NULL;
	}
	fputs(start, f);
	fclose(f);
	const char *ed = getenv("VISUAL");
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	char *out = NULL;
	pid_t pid = fork();
	if (pid == 0) {
		execlp("sh", "sh", "-c", "$0 \"$1\"", ed, path, (char *)NULL);
		_exit(127);
	}
	int status = 0;
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status))
		out = read_input(path);
	else
		fprintf(stderr, "qes lay: the editor (%s) failed; nothing saved\n", ed);
	unlink(path);
	return out;
}

static void print_readability(json_t *r)
{
	json_t *f = json_object_get(r, "flesch"), *m = json_object_get(r, "mean_sentence_length"), *x;
	printf("Flesch reading ease: %s%.1f (60-70 is plain English; higher is easier)\n",
	       json_is_number(f) ? "" : "n/a ", json_number_value(f));
	printf("Words %lld, sentences %lld, mean sentence length %.1f words\n",
	       (long long)json_integer_value(json_object_get(r, "words")),
	       (long long)json_integer_value(json_object_get(r, "sentences")), json_number_value(m));
	size_t i;
	json_array_foreach(json_object_get(r, "long_sentences"), i, x)
		printf("Long sentence (%lld words): %s\n",
		       (long long)json_integer_value(json_object_get(x, "words")),
		       json_string_value(json_object_get(x, "sentence")));
	json_array_foreach(json_object_get(r, "jargon"), i, x)
		printf("Jargon: %s -> %s\n", json_string_value(json_object_get(x, "word")),
		       json_string_value(json_object_get(x, "plain")));
	printf("Long words:");
	json_array_foreach(json_object_get(r, "long_words"), i, x)
		printf(" %s", json_string_value(x));
	printf("\n");
}

int cmd_lay(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "from", required_argument, NULL, 'f' }, { "version", required_argument, NULL, 'v' },
		{ "output", required_argument, NULL, 'o' }, { "json", no_argument, NULL, 'j' },
		{ "html", no_argument, NULL, 'H' }, { "template", no_argument, NULL, 't' },
		{ "stop", no_argument, NULL, 's' }, { "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' }, { 0, 0, 0, 0 }
	};
	const char *from = NULL, *out = NULL, *by = NULL;
	long version = 0;
	int c, json = 0, html = 0, tmpl = 0, stop = 0;
	char *end;
	optind = 0;
	while ((c = getopt_long(argc, argv, "ho:", lo, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 'v':
			version = strtol(optarg, &end, 10);
			if (!*optarg || *end || version <= 0)
				return cli_usage_error(usage, "--version takes a version number");
			break;
		case 'o': out = optarg; break;
		case 'j': json = 1; break;
		case 'H': html = 1; break;
		case 't': tmpl = 1; break;
		case 's': stop = 1; break;
		case 'b': by = optarg; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	static const char *const actions[] = { "edit", "show", "versions", "share", "export",
					       "readability" };
	if (argc - optind >= 2 && cli_action("lay", usage, argv[optind + 1], CLI_ACTIONS(actions)) >= 0)
		return QES_EXIT_USAGE;
	if (argc - optind != 2)
		return cli_usage_error(usage, "lay needs a review and an action");
	const char *action = argv[optind + 1];
	if (!strcmp(action, "export") && !out)
		return cli_usage_error(usage, "export needs -o FILE (.html, .pdf or .docx)");
	qes_store *st = NULL;
	int rc = cli_open("lay", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	char *text = NULL, *h = NULL;
	long v = 0;
	json_t *j = NULL;
	if (!strcmp(action, "edit")) {
		if (from) {
			text = read_input(from);
		} else {
			char *cur = NULL;
			if ((rc = qes_lay_get(st, 0, &cur, NULL, &err)))
				goto out;
			text = run_editor(cur);
			free(cur);
		}
		if (!text) {
			rc = QES_EXIT_ERROR;
			goto out;
		}
		if ((rc = qes_lay_save(st, text, synth_who(by), &v, &err)))
			goto out;
		printf("Saved version %ld of the lay summary\n", v);
	} else if (!strcmp(action, "show")) {
		rc = tmpl ? qes_lay_template(st, &text, &err) : qes_lay_get(st, version, &text, &v, &err);
		if (rc)
			goto out;
		if (html && (rc = qes_lay_markdown_html(text, strlen(text), &h, &err)))
			goto out;
		fputs(html ? h : text, stdout);
	} else if (!strcmp(action, "versions")) {
		if (!(j = qes_lay_versions_json(st, &err))) {
			rc = err.code;
			goto out;
		}
		if (json) {
			rc = cli_print_json(j);
			j = NULL;
		} else {
			size_t i;
			json_t *x;
			json_array_foreach(j, i, x)
				printf("v%lld  %s  %s%s  %lld comments\n",
				       (long long)json_integer_value(json_object_get(x, "version")),
				       json_string_value(json_object_get(x, "at")),
				       json_string_value(json_object_get(x, "by")),
				       json_is_true(json_object_get(x, "shared")) ? "  shared" : "",
				       (long long)json_integer_value(json_object_get(x, "comments")));
		}
	} else if (!strcmp(action, "share")) {
		if ((rc = qes_lay_share(st, stop ? -1 : version, synth_who(by), &err)))
			goto out;
		qes_lay_shared(st, &v, &err);
		if (v)
			printf("Version %ld of the lay summary is shared with the advisory group\n", v);
		else
			printf("The lay summary is not shared\n");
	} else if (!strcmp(action, "export")) {
		if ((rc = qes_lay_export(st, version, out, &err)))
			goto out;
		printf("Wrote %s\n", out);
	} else {
		if (from)
			text = read_input(from);
		else if ((rc = qes_lay_get(st, version, &text, NULL, &err)))
			goto out;
		if (!text) {
			rc = QES_EXIT_ERROR;
			goto out;
		}
		if (!(j = qes_lay_readability_json(text, &err))) {
			rc = err.code;
			goto out;
		}
		if (json) {
			rc = cli_print_json(j);
			j = NULL;
		} else {
			print_readability(j);
		}
	}
out:
	if (rc < 0)
		rc = cli_fail("lay", &err);
	json_decref(j);
	free(text);
	free(h);
	qes_store_close(st);
	return rc;
}
