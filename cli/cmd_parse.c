/* cmd_parse.c: qes parse FILE... : what qes reads from a file, without a review. */
#include "cli.h"
#include "qes/import.h"
#include "qes/json.h"

#include <stdio.h>
#include <string.h>

static const char usage[] = "qes parse FILE... [--format F] [--encoding E] [--skip-bad] [--json]";
static const char help[] =
	"Reads export files exactly as 'qes import' would and prints the normalised\n"
	"records, without touching any review: check a file before importing it.\n"
	"\n"
	"  --json   one JSON object per file: file, format, encoding, eol, records (array)\n"
	"  --count  only the number of records per file\n";

static int collect(void *ud, const qes_record *rec)
{
	json_array_append_new(ud, qes_record_to_json(rec, 0));
	return 0;
}

static int count_only(void *ud, const qes_record *rec)
{
	(void)rec;
	++*(long *)ud;
	return 0;
}

int cmd_parse(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "skip-bad", no_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "count", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	qes_parse_opts o;
	memset(&o, 0, sizeof(o));
	int json = 0, count = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:e:kjch", opts, NULL)) != -1) {
		switch (c) {
		case 'f': o.format = optarg; break;
		case 'e': o.encoding = optarg; break;
		case 'k': o.skip_bad = 1; break;
		case 'j': json = 1; break;
		case 'c': count = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	if (argc - optind < 1)
		return cli_usage_error(usage, "parse takes at least one file");
	o.on_skip = cli_on_skip;
	o.on_warn = cli_on_warn;
	int rc = 0;
	for (int i = optind; i < argc; i++) {
		qes_error err;
		qes_error_clear(&err);
		if (count) {
			/* Counting keeps no records: memory stays flat on any file. */
			long n = 0;
			if (qes_parse_file(argv[i], &o, count_only, &n, NULL, &err))
				rc = cli_fail("parse", &err);
			else
				printf("%s\t%ld\n", argv[i], n);
			continue;
		}
		json_t *recs = json_array();
		qes_sniff sn;
		if (qes_parse_file(argv[i], &o, collect, recs, &sn, &err)) {
			json_decref(recs);
			rc = cli_fail("parse", &err);
			continue;
		}
		if (json) {
			json_t *f = json_object();
			json_object_set_new(f, "file", json_string(argv[i]));
			json_object_set_new(f, "format", json_string(o.format ? o.format : sn.format));
			json_object_set_new(f, "encoding", json_string(o.encoding ? o.encoding : sn.encoding));
			json_object_set_new(f, "eol", json_string(sn.eol));
			json_object_set_new(f, "records", recs);
			if (cli_print_json(f))
				rc = QES_EXIT_ERROR;
		} else {
			size_t k;
			json_t *r;
			json_array_foreach(recs, k, r) {
				const char *t = json_string_value(json_object_get(r, "title"));
				printf("%s:%lld\t%s\n", argv[i],
				       (long long)json_integer_value(json_object_get(r, "line")),
				       t ? t : "(no title)");
			}
			json_decref(recs);
		}
	}
	return rc;
}
