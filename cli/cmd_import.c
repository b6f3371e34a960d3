/* cmd_import.c: qes import REVIEW FILE... */
#include "cli.h"
#include "qes/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"qes import REVIEW FILE... [--source NAME] [--searched YYYY-MM-DD] [--format F]\n"
	"                  [--skip-bad] [--method database|register|other] [--search-string TEXT]\n"
	"                  [--limits L] [--platform P] [--encoding E] [--allow-same-file] [--json]";

static const char help[] =
	"Imports search results into the review, all files in one transaction: on any\n"
	"error nothing is imported. The format and encoding are told from the content.\n"
	"\n"
	"  --source NAME        the database or register searched (\"PsycINFO\", \"CINAHL\",\n"
	"                       \"MEDLINE (Ovid)\"), or the other method (\"Citation searching\").\n"
	"                       Default: the file name without its extension.\n"
	"  --method M           database (default), register, or other (citation searching,\n"
	"                       websites, organisations, experts): PRISMA counts them apart\n"
	"  --searched DATE      the date the search was run, YYYY-MM-DD\n"
	"  --search-string TEXT the search as run, kept for the report\n"
	"  --limits L           limits applied (years, languages...), kept for the report\n"
	"  --platform P         the interface searched (Ovid, EBSCOhost...), kept for the report\n"
	"  --format F           ris, medline (nbib), wos (ciw), bibtex, endnote-xml, csv (tsv)\n"
	"  --encoding E         the file's encoding when it is not UTF-8/UTF-16 with a BOM\n"
	"                       (default: detected; legacy 8-bit files are reported as assumed)\n"
	"  --skip-bad           import the good records, list each malformed one skipped\n"
	"                       (without it, every malformed record is listed, up to 100,\n"
	"                       and nothing is imported)\n"
	"  --allow-same-file    import a file even though its SHA-256 is already in the source\n"
	"  --json               print the result as JSON (with the skipped records and the\n"
	"                       warnings: values taken with doubt, such as a year \"20x4\")\n"
	"\n"
	"Example: qes import review.qes psycinfo.ris --source PsycINFO --searched 2022-03-14\n";

/* Warnings and skipped records, kept to be listed after the summary (and
 * in --json) rather than scattered through the import's output. */
typedef struct problems {
	json_t *warnings, *skipped;
} problems;

static void keep_warning(void *ud, const char *file, long line, const char *msg)
{
	problems *p = ud;
	json_t *w = json_object();
	json_object_set_new(w, "file", json_string(file));
	json_object_set_new(w, "line", line > 0 ? json_integer(line) : json_null());
	json_object_set_new(w, "message", json_string(msg));
	json_array_append_new(p->warnings, w);
}

static void keep_skip(void *ud, const qes_error *why)
{
	problems *p = ud;
	json_t *w = json_object();
	json_object_set_new(w, "file", json_string(why->file));
	json_object_set_new(w, "line", why->line > 0 ? json_integer(why->line) : json_null());
	json_object_set_new(w, "field", why->field[0] ? json_string(why->field) : json_null());
	json_object_set_new(w, "message", json_string(why->message));
	json_array_append_new(p->skipped, w);
}

static void print_error(void *ud, const qes_error *why)
{
	(void)ud;
	char msg[2048];
	qes_error_format(why, msg, sizeof(msg));
	fprintf(stderr, "error: %s\n", msg);
}

static void print_problems(const char *label, json_t *list)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		json_t *line = json_object_get(v, "line");
		json_t *field = json_object_get(v, "field");
		fprintf(stderr, "%s: %s", label, json_string_value(json_object_get(v, "file")));
		if (json_is_integer(line))
			fprintf(stderr, ":%lld", (long long)json_integer_value(line));
		fputs(": ", stderr);
		if (json_is_string(field))
			fprintf(stderr, "field %s: ", json_string_value(field));
		fprintf(stderr, "%s\n", json_string_value(json_object_get(v, "message")));
	}
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "searched", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "method", required_argument, NULL, 'm' },
		{ "search-string", required_argument, NULL, 'q' },
		{ "limits", required_argument, NULL, 'L' },
		{ "platform", required_argument, NULL, 'P' },
		{ "skip-bad", no_argument, NULL, 'k' },
		{ "allow-same-file", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	qes_import_opts o;
	memset(&o, 0, sizeof(o));
	int json = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "s:d:f:e:m:q:L:P:kajh", opts, NULL)) != -1) {
		switch (c) {
		case 's': o.source = optarg; break;
		case 'd': o.searched = optarg; break;
		case 'f': o.parse.format = optarg; break;
		case 'e': o.parse.encoding = optarg; break;
		case 'm': o.method = optarg; break;
		case 'q': o.search_string = optarg; break;
		case 'L': o.limits = optarg; break;
		case 'P': o.platform = optarg; break;
		case 'k': o.parse.skip_bad = 1; break;
		case 'a': o.allow_same_file = 1; break;
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	if (argc - optind < 2)
		return cli_usage_error(usage, "import takes a review and at least one file");
	problems pb = { json_array(), json_array() };
	if (!pb.warnings || !pb.skipped) {
		json_decref(pb.warnings);
		json_decref(pb.skipped);
		fputs("qes import: out of memory\n", stderr);
		return QES_EXIT_ERROR;
	}
	o.parse.on_skip = keep_skip;
	o.parse.on_warn = keep_warning;
	o.parse.on_error = print_error;
	o.parse.ud = &pb;
	qes_store *st;
	int rc = cli_open("import", argv[optind], &st);
	if (rc) {
		json_decref(pb.warnings);
		json_decref(pb.skipped);
		return rc;
	}
	int n = argc - optind - 1;
	qes_import_result *res = calloc((size_t)n, sizeof(*res));
	qes_error err;
	qes_error_clear(&err);
	if (!res) {
		qes_store_close(st);
		fputs("qes import: out of memory\n", stderr);
		return QES_EXIT_ERROR;
	}
	if (qes_import_files(st, (const char *const *)argv + optind + 1, n, &o, res, &err)) {
		print_problems("warning", pb.warnings);
		rc = cli_fail("import", &err);
		goto out;
	}
	if (json) {
		json_t *arr = json_array();
		for (int i = 0; i < n; i++) {
			json_t *f = json_object();
			json_object_set_new(f, "file", json_string(argv[optind + 1 + i]));
			json_object_set_new(f, "import", json_integer(res[i].import_id));
			json_object_set_new(f, "format", json_string(res[i].sniff.format));
			json_object_set_new(f, "encoding", json_string(res[i].sniff.encoding));
			json_object_set_new(f, "encoding_guessed", json_boolean(res[i].sniff.encoding_guessed));
			json_object_set_new(f, "records", json_integer(res[i].records));
			json_object_set_new(f, "skipped", json_integer(res[i].skipped));
			json_object_set_new(f, "sha256", json_string(res[i].sniff.sha256));
			json_array_append_new(arr, f);
		}
		json_t *top = json_object();
		json_object_set_new(top, "imports", arr);
		json_object_set(top, "skipped_records", pb.skipped);
		json_object_set(top, "warnings", pb.warnings);
		rc = cli_print_json(top);
	} else {
		for (int i = 0; i < n; i++) {
			char b[32];
			printf("%s: %s record%s (%s, %s%s, %s line ends)", argv[optind + 1 + i],
			       cli_thousands(res[i].records, b), cli_s(res[i].records), res[i].sniff.format,
			       res[i].sniff.encoding,
			       res[i].sniff.encoding_guessed ? " assumed: not valid UTF-8" : "",
			       res[i].sniff.eol);
			if (res[i].skipped)
				printf(", %ld malformed record%s skipped", res[i].skipped,
				       res[i].skipped == 1 ? "" : "s");
			putchar('\n');
		}
		fflush(stdout);
	}
	/* After the summary: each record skipped, then each warning. */
	print_problems("skipped", pb.skipped);
	print_problems("warning", pb.warnings);
out:
	json_decref(pb.warnings);
	json_decref(pb.skipped);
	free(res);
	qes_store_close(st);
	return rc;
}
