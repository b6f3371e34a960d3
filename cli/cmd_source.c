/* cmd_source.c: qes source add REVIEW NAME --searched YYYY-MM-DD [...] */
#include "cli.h"
#include "qes/import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"qes source add REVIEW NAME --searched YYYY-MM-DD [--string S] [--hits N]\n"
	"       [--method database|register|other] [--limits L] [--platform P] [--json]";
static const char help[] =
	"Records a search that has no export to import: most often one that found\n"
	"nothing. The source appears in the PRISMA diagram (n = 0) and in the report's\n"
	"searches, with its date, string, limits, platform and hits. Searches with\n"
	"results are recorded by 'qes import' (which takes --limits and --platform too).\n"
	"\n"
	"  --searched DATE  the date the search was run, YYYY-MM-DD (required)\n"
	"  --string S       the search as run\n"
	"  --hits N         the number of hits the source reported (default 0); PRISMA\n"
	"                   counts the records imported\n"
	"  --method M       database (default), register or other (citation searching,\n"
	"                   websites, organisations)\n"
	"  --limits L       limits applied (years, languages, publication types)\n"
	"  --platform P     the interface searched (Ovid, EBSCOhost, ProQuest...)\n"
	"  --json           {source, import_id, searched, hits}\n"
	"\n"
	"Example: qes source add review.qes \"Social Care Online\" --searched 2022-03-14 \\\n"
	"           --string '\"child protection\" AND parent*' --hits 0\n";

int cmd_source(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "searched", required_argument, NULL, 'd' },
		{ "string", required_argument, NULL, 'q' },
		{ "hits", required_argument, NULL, 'n' },
		{ "method", required_argument, NULL, 'm' },
		{ "limits", required_argument, NULL, 'l' },
		{ "platform", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	qes_search_opts o;
	memset(&o, 0, sizeof(o));
	int json = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "d:q:n:m:l:p:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o.searched = optarg; break;
		case 'q': o.search_string = optarg; break;
		case 'n': {
			char *end = NULL;
			errno = 0;
			o.hits = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || o.hits < 0)
				return cli_usage_error(usage, "--hits wants a whole number, 0 or more");
			break;
		}
		case 'm': o.method = optarg; break;
		case 'l': o.limits = optarg; break;
		case 'p': o.platform = optarg; break;
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	static const char *const actions[] = { "add" };
	if (optind < argc && cli_action("source", usage, argv[optind], CLI_ACTIONS(actions)) >= 0)
		return QES_EXIT_USAGE;
	if (argc - optind != 3 || strcmp(argv[optind], "add"))
		return cli_usage_error(usage, "source takes: add REVIEW NAME");
	if (!o.searched)
		return cli_usage_error(usage, "a search needs its date (--searched YYYY-MM-DD)");
	o.source = argv[optind + 2];
	qes_store *st;
	int rc = cli_open("source", argv[optind + 1], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	long long id = 0;
	if (qes_search_record(st, &o, &id, &err)) {
		rc = cli_fail("source", &err);
		qes_store_close(st);
		return rc;
	}
	qes_store_close(st);
	if (json) {
		json_t *j = json_object();
		json_object_set_new(j, "source", json_string(o.source));
		json_object_set_new(j, "import_id", json_integer(id));
		json_object_set_new(j, "searched", json_string(o.searched));
		json_object_set_new(j, "hits", json_integer(o.hits));
		return cli_print_json(j);
	}
	printf("Recorded the search of %s on %s (%ld hit%s)\n", o.source, o.searched, o.hits,
	       o.hits == 1 ? "" : "s");
	return 0;
}
