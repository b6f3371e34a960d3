/* cmd_fulltext.c: qes fulltext attach|retrieved|missing|show */
#include "cli.h"
#include "qes/screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"qes fulltext attach REVIEW SOURCE_KEY FILE.pdf [--as INITIALS]\n"
	"       qes fulltext retrieved REVIEW SOURCE_KEY [--note TEXT] [--as INITIALS]\n"
	"       qes fulltext missing REVIEW SOURCE_KEY [--note TEXT] [--as INITIALS]\n"
	"       qes fulltext show REVIEW SOURCE_KEY";
static const char help[] =
	"Full texts of the records sought for retrieval (included or unsure at\n"
	"title/abstract). attach stores the PDF inside the review file and extracts\n"
	"its text with poppler; retrieved marks the report as retrieved without its\n"
	"file (held in another tool: full-text decisions may follow, and PRISMA\n"
	"counts it as assessed); missing marks it as not retrieved (PRISMA); show\n"
	"prints the extracted text.\n"
	"\n"
	"  --as INITIALS   who did it (for the log)\n"
	"  --note TEXT     where the report is held, or why it could not be retrieved\n";

int cmd_fulltext(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "note", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *as = NULL, *note = NULL;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "a:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': as = optarg; break;
		case 'n': note = optarg; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	static const char *const actions[] = { "attach", "retrieved", "missing", "show" };
	if (optind < argc && cli_action("fulltext", usage, argv[optind], CLI_ACTIONS(actions)) >= 0)
		return QES_EXIT_USAGE;
	int left = argc - optind;
	const char *sub = left > 0 ? argv[optind] : "";
	int attach = !strcmp(sub, "attach"), missing = !strcmp(sub, "missing"),
	    show = !strcmp(sub, "show"), retrieved = !strcmp(sub, "retrieved");
	if (!(attach && left == 4) && !((missing || show || retrieved) && left == 3))
		return cli_usage_error(usage, "say attach, retrieved, missing or show, with its "
					      "arguments");
	qes_store *st;
	int rc = cli_open("fulltext", argv[optind + 1], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	long long id;
	const char *key = argv[optind + 2];
	if (qes_record_find(st, key, &id, &err)) {
		rc = cli_fail("fulltext", &err);
	} else if (attach) {
		int pages = 0;
		if (qes_fulltext_attach(st, as, id, argv[optind + 3], &pages, &err))
			rc = cli_fail("fulltext", &err);
		else
			printf("attached %s to %s (%d page%s)\n", argv[optind + 3], key, pages,
			       pages == 1 ? "" : "s");
	} else if (retrieved) {
		if (qes_fulltext_retrieved(st, as, id, note, &err))
			rc = cli_fail("fulltext", &err);
		else
			printf("%s: report retrieved (no file here%s%s)\n", key, note ? ": " : "",
			       note ? note : "");
	} else if (missing) {
		if (qes_fulltext_missing(st, as, id, note, &err))
			rc = cli_fail("fulltext", &err);
		else
			printf("%s: report not retrieved\n", key);
	} else {
		const char *status;
		char *text = NULL;
		if (qes_fulltext_get(st, id, &status, &text, &err)) {
			rc = cli_fail("fulltext", &err);
		} else if (!status) {
			fprintf(stderr, "qes fulltext: %s has no full text\n", key);
			rc = QES_EXIT_NOTFOUND;
		} else if (!strcmp(status, "retrieved")) {
			printf("%s: report retrieved, its file held elsewhere\n", key);
		} else if (text) {
			fputs(text, stdout);
			if (*text && text[strlen(text) - 1] != '\n')
				fputc('\n', stdout);
		} else {
			printf("%s: report not retrieved\n", key);
		}
		free(text);
	}
	qes_store_close(st);
	return rc;
}
