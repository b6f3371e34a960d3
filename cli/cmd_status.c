/* cmd_status.c: qes status REVIEW */
#include "cli.h"
#include "qes/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "qes status REVIEW [--json]";
static const char help[] =
	"Summarises the review: its records and the sources they came from.\n"
	"\n"
	"  --json   one object: records, sources (name, method, format, records,\n"
	"           imports, searched), imports\n";

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	int json = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(usage, "status takes one review");
	qes_store *st;
	int rc = cli_open_read("status", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	json_t *status = NULL;
	if (qes_status_json(st, &status, &err)) {
		qes_store_close(st);
		return cli_fail("status", &err);
	}
	qes_store_close(st);
	json_t *top = json_object();
	json_object_set_new(top, "review", json_string(argv[optind]));
	json_object_update(top, status);
	json_decref(status);
	json_t *sources = json_object_get(top, "sources");
	long long records = json_integer_value(json_object_get(top, "records"));
	long long imports = json_integer_value(json_object_get(top, "imports"));
	if (json)
		return cli_print_json(top);

	char b[32];
	const char *t = json_string_value(json_object_get(top, "title"));
	printf("%s%s%s\n", argv[optind], t ? ": " : "", t ? t : "");
	printf("%s record%s from %zu source%s (%lld import%s)\n", cli_thousands(records, b),
	       cli_s(records),
	       json_array_size(sources), json_array_size(sources) == 1 ? "" : "s",
	       imports, imports == 1 ? "" : "s");
	size_t i;
	json_t *s;
	json_array_foreach(sources, i, s) {
		const char *searched = json_string_value(json_object_get(s, "searched"));
		long long nr = json_integer_value(json_object_get(s, "records"));
		cli_row("  %s %10s record%s %s %s%s\n",
		       cli_pad(json_string_value(json_object_get(s, "name")), 28),
		       cli_thousands(nr, b), nr == 1 ? "  " : "s ",
		       cli_pad(json_string_value(json_object_get(s, "format")), 12),
		       searched ? "searched " : "", searched ? searched : "");
	}
	json_t *d = json_object_get(top, "dedup");
	if (json_integer_value(json_object_get(d, "runs"))) {
		printf("Deduplication: %s works after removing ",
		       cli_thousands(json_integer_value(json_object_get(d, "works")), b));
		printf("%s duplicates", cli_thousands(json_integer_value(json_object_get(d, "duplicates")), b));
		long long pend = json_integer_value(json_object_get(d, "pending"));
		if (pend)
			printf(", %lld uncertain pair%s to review (qes dedup review)", pend,
			       pend == 1 ? "" : "s");
		putchar('\n');
	}
	static const char *const names[] = { "title/abstract", "full text" };
	static const char *const keys[] = { "ta", "ft" };
	for (int k = 0; k < 2; k++) {
		json_t *p = json_object_get(json_object_get(top, "screening"), keys[k]);
		long long pool = json_integer_value(json_object_get(p, "pool"));
		if (!pool)
			continue;
		printf("Screening, %s: %s of ", names[k],
		       cli_thousands(json_integer_value(json_object_get(p, "screened")), b));
		printf("%s screened, ", cli_thousands(pool, b));
		printf("%s included", cli_thousands(json_integer_value(json_object_get(p, "included")), b));
		long long c = json_integer_value(json_object_get(p, "conflicts"));
		if (c)
			printf(", %lld conflict%s", c, c == 1 ? "" : "s");
		putchar('\n');
		long long und = json_integer_value(json_object_get(p, "not_yet_screened"));
		long long sec = json_integer_value(json_object_get(p, "waiting_second"));
		if (und || sec)
			printf("  pending: %lld not yet screened, %lld waiting for a second reviewer\n",
			       und, sec);
		long long plan = json_integer_value(json_object_get(p, "double_planned"));
		long long got = json_integer_value(json_object_get(p, "double_decided"));
		if (plan || got)
			printf("  two reviewers: planned for %lld of %lld (%.1f%%), achieved for %lld "
			       "(%.1f%%)\n", plan, pool, 100.0 * (double)plan / (double)pool, got,
			       100.0 * (double)got / (double)pool);
	}
	long long ns = json_integer_value(json_object_get(top, "studies"));
	if (ns)
		printf("Included studies: %lld\n", ns);
	json_decref(top);
	return 0;
}
