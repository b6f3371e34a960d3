/* cmd_init.c: qes init REVIEW */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char usage[] = "qes init REVIEW [--title TEXT]";

static const char help[] =
	"Creates a new, empty review file (SQLite). By convention it ends in .qes.\n"
	"\n"
	"  --title TEXT   the review's title, shown in reports\n"
	"\n"
	"Example: qes init parents.qes --title \"Parents' experiences of child protection\"\n";

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *title = NULL;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "t:h", opts, NULL)) != -1) {
		switch (c) {
		case 't': title = optarg; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(usage, "init takes one review file");
	const char *path = argv[optind];
	qes_error err;
	qes_error_clear(&err);
	qes_store *st;
	if (qes_store_create(&st, path, &err))
		return cli_fail("init", &err);
	if (title && qes_store_set_meta(st, "title", title, &err)) {
		qes_store_close(st);
		return cli_fail("init", &err);
	}
	qes_store_close(st);
	printf("Created review %s\n", path);
	return 0;
}
