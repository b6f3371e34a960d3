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
	const char *title = NULL;
	int opt_rc = cli_one_option(argc, argv, "title", 't', usage, help, &title);
	if (opt_rc >= 0)
		return opt_rc;
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
