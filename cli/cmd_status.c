/* cmd_status.c: qes status REVIEW */
#include "cli.h"
#include "qes/dedup.h"
#include "qes/screen.h"
#include "qes/study.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "qes status REVIEW [--json]";
static const char help[] =
	"Summarises the review: its records and the sources they came from.\n"
	"\n"
	"  --json   one object: records, sources (name, method, format, records,\n"
	"           imports, searched), imports\n";

static json_t *progress_json(const qes_progress *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "pool", json_integer(p->pool));
	json_object_set_new(o, "screened", json_integer(p->screened));
	json_object_set_new(o, "included", json_integer(p->included));
	json_object_set_new(o, "excluded", json_integer(p->excluded));
	json_object_set_new(o, "unsure", json_integer(p->unsure));
	json_object_set_new(o, "conflicts", json_integer(p->conflicts));
	json_object_set_new(o, "pending", json_integer(p->pending));
	return o;
}

/* Deduplication, screening progress per stage, and the included studies. */
static int add_progress(qes_store *st, json_t *top, qes_error *err)
{
	qes_dedup_counts dc;
	if (qes_dedup_summary(st, &dc, err))
		return err->code;
	json_t *d = json_object();
	json_object_set_new(d, "works", json_integer(dc.works));
	json_object_set_new(d, "duplicates", json_integer(dc.duplicates));
	json_object_set_new(d, "clusters", json_integer(dc.clusters));
	json_object_set_new(d, "pending", json_integer(dc.pending));
	json_object_set_new(d, "decided", json_integer(dc.decided));
	json_object_set_new(d, "runs", json_integer(dc.runs));
	json_object_set_new(d, "rules_version", dc.runs ? json_string(dc.rules_version) : json_null());
	json_object_set_new(top, "dedup", d);
	json_t *scr = json_object();
	static const char *const stages[] = { "ta", "ft" };
	for (int k = 0; k < 2; k++) {
		qes_progress p;
		if (qes_screen_progress(st, NULL, (qes_stage)k, &p, err)) {
			json_decref(scr);
			return err->code;
		}
		json_object_set_new(scr, stages[k], progress_json(&p));
	}
	json_object_set_new(top, "screening", scr);
	json_t *studies = qes_study_list_json(st, err);
	if (!studies)
		return err->code ? err->code : QES_ENOMEM;
	json_object_set_new(top, "studies", json_integer((json_int_t)json_array_size(studies)));
	json_decref(studies);
	return 0;
}

static int add_source(void *ud, const qes_source_info *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "method", json_string(s->method));
	json_object_set_new(o, "format", json_string(s->formats));
	json_object_set_new(o, "records", json_integer(s->records));
	json_object_set_new(o, "imports", json_integer(s->imports));
	json_object_set_new(o, "searched", cli_json_str(s->searched));
	json_array_append_new(ud, o);
	return 0;
}

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
	int rc = cli_open("status", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	json_t *top = json_object();
	json_t *sources = json_array();
	char *title = NULL;
	long long records = qes_store_count(st, "records", &err);
	long long imports = qes_store_count(st, "imports", &err);
	if (records < 0 || imports < 0 || qes_sources_foreach(st, add_source, sources, &err) ||
	    qes_store_get_meta(st, "title", &title, &err)) {
		json_decref(top);
		json_decref(sources);
		qes_store_close(st);
		return cli_fail("status", &err);
	}
	json_object_set_new(top, "review", json_string(argv[optind]));
	json_object_set_new(top, "title", cli_json_str(title));
	json_object_set_new(top, "records", json_integer(records));
	json_object_set_new(top, "imports", json_integer(imports));
	json_object_set_new(top, "sources", sources);
	if (add_progress(st, top, &err)) {
		json_decref(top);
		free(title);
		qes_store_close(st);
		return cli_fail("status", &err);
	}
	qes_store_close(st);
	free(title);
	if (json)
		return cli_print_json(top);

	char b[32];
	const char *t = json_string_value(json_object_get(top, "title"));
	printf("%s%s%s\n", argv[optind], t ? ": " : "", t ? t : "");
	printf("%s records from %zu source%s (%lld import%s)\n", cli_thousands(records, b),
	       json_array_size(sources), json_array_size(sources) == 1 ? "" : "s",
	       imports, imports == 1 ? "" : "s");
	size_t i;
	json_t *s;
	json_array_foreach(sources, i, s) {
		const char *searched = json_string_value(json_object_get(s, "searched"));
		printf("  %-28s %10s records  %-12s %s%s\n",
		       json_string_value(json_object_get(s, "name")),
		       cli_thousands(json_integer_value(json_object_get(s, "records")), b),
		       json_string_value(json_object_get(s, "format")),
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
	}
	long long ns = json_integer_value(json_object_get(top, "studies"));
	if (ns)
		printf("Included studies: %lld\n", ns);
	json_decref(top);
	return 0;
}
