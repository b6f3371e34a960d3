/* cmd_records.c: qes records (list and search) and qes show (one record). */
#include "cli.h"
#include "arena.h"
#include "qes/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_records[] =
	"qes records REVIEW [--search QUERY] [--limit N] [--offset N] [--json]";
static const char help_records[] =
	"Lists the review's records, or those matching a full-text search over title,\n"
	"abstract and keywords (SQLite FTS5 syntax: words, \"phrases\", OR, NOT, prefix*,\n"
	"title:word). Search results come best match first.\n"
	"\n"
	"  --search QUERY  only records matching QUERY\n"
	"  --limit N       at most N records (default: all)\n"
	"  --offset N      skip the first N\n"
	"  --json          a JSON array of records (the fields of 'qes show --json')\n"
	"\n"
	"Example: qes records review.qes --search '\"child protection\" AND mother*'\n";

static const char usage_show[] = "qes show REVIEW KEY [--json] [--raw]";
static const char help_show[] =
	"Shows one record: every field, and where it came from (source, file, line).\n"
	"KEY is the record's source key (its ID in the file it came from), IMPORT:KEY\n"
	"when several imports use the same key, or #N for the store's own record id.\n"
	"\n"
	"  --json   as one JSON object (with \"provenance\")\n"
	"  --raw    also print the record's text exactly as it was in the file\n";

static long parse_long(const char *s, int *ok)
{
	char *end;
	long v = strtol(s, &end, 10);
	*ok = *s && !*end && v >= 0;
	return v;
}

/* "Smith J" from the first author, "et al." when there are more. */
static void print_row(long long id, const qes_record *r)
{
	const char *a = r->authors.n ? r->authors.items[0] : "";
	char author[48];
	/* At most 30 bytes of the name, never ending inside a UTF-8 sequence. */
	size_t an = strlen(a) > 30 ? 30 : strlen(a);
	while (an > 0 && an < strlen(a) && ((unsigned char)a[an] & 0xC0) == 0x80)
		an--;
	snprintf(author, sizeof(author), "%.*s%s", (int)an, a, r->authors.n > 1 ? " et al." : "");
	char title[160];
	snprintf(title, sizeof(title), "%.150s", r->title ? r->title : "(no title)");
	/* Never end inside a UTF-8 sequence. */
	size_t n = strlen(title);
	if (n == 150) {
		while (n > 0 && ((unsigned char)title[n - 1] & 0xC0) == 0x80)
			n--;
		if (n > 0 && ((unsigned char)title[n - 1] & 0xC0) == 0xC0)
			n--;
		title[n] = '\0';
	}
	char year[8] = "";
	if (r->year)
		snprintf(year, sizeof(year), "%d", r->year);
	cli_row("%s %s  %s  %s\n", cli_pad(r->source_key ? r->source_key : "", 14), cli_pad(year, 4),
	       cli_pad(author, 38), title);
	(void)id;
}

int cmd_records(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "search", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'n' },
		{ "offset", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	qes_record_query q;
	memset(&q, 0, sizeof(q));
	int json = 0, c, ok;
	optind = 0;
	while ((c = getopt_long(argc, argv, "s:n:o:jh", opts, NULL)) != -1) {
		switch (c) {
		case 's': q.match = optarg; break;
		case 'n':
			q.limit = parse_long(optarg, &ok);
			if (!ok)
				return cli_usage_error(usage_records, "--limit takes a number");
			break;
		case 'o':
			q.offset = parse_long(optarg, &ok);
			if (!ok)
				return cli_usage_error(usage_records, "--offset takes a number");
			break;
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage_records, help_records); return 0;
		default: return cli_usage_error(usage_records, "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(usage_records, "records takes one review");
	qes_store *st;
	int rc = cli_open_read("records", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	qes_record_iter *it;
	if (qes_record_iter_open(&it, st, &q, &err)) {
		rc = cli_fail("records", &err);
		qes_store_close(st);
		return rc;
	}
	json_t *arr = json ? json_array() : NULL;
	long long id;
	qes_record *r;
	long n = 0;
	int got;
	while ((got = qes_record_iter_next(it, &id, &r, &err)) == 1) {
		n++;
		if (json) {
			json_t *o = qes_record_to_json(r, 0);
			json_object_set_new(o, "id", json_integer(id));
			json_array_append_new(arr, o);
		} else {
			print_row(id, r);
		}
	}
	qes_record_iter_close(it);
	qes_store_close(st);
	if (got < 0) {
		json_decref(arr);
		return cli_fail("records", &err);
	}
	if (json)
		return cli_print_json(arr);
	char b[32];
	fflush(stdout);
	fprintf(stderr, "%s record%s\n", cli_thousands(n, b), n == 1 ? "" : "s");
	return 0;
}

static void print_field(const char *name, const char *v)
{
	if (v)
		cli_row("%s %s\n", cli_pad(name, 10), v);
}

int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "raw", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	int json = 0, raw = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "jrh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'r': raw = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage_show, help_show); return 0;
		default: return cli_usage_error(usage_show, "unknown option");
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(usage_show, "show takes a review and a record key");
	qes_store *st;
	int rc = cli_open_read("show", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	qes_arena a;
	qes__arena_init(&a, 64 * 1024);
	qes_provenance p;
	memset(&p, 0, sizeof(p));
	long long id;
	qes_record rec;
	if (qes_record_find(st, argv[optind + 1], &id, &err) ||
	    qes_record_load(st, id, &rec, &a, &err) ||
	    qes_record_provenance(st, id, &p, &err)) {
		rc = cli_fail("show", &err);
		goto out;
	}
	if (json) {
		json_t *o = qes_record_to_json(&rec, raw);
		json_object_set_new(o, "id", json_integer(id));
		json_t *pv = json_object();
		json_object_set_new(pv, "source", cli_json_str(p.source_name));
		json_object_set_new(pv, "method", cli_json_str(p.method));
		json_object_set_new(pv, "file", cli_json_str(p.file_name));
		json_object_set_new(pv, "file_sha256", cli_json_str(p.file_sha256));
		json_object_set_new(pv, "format", cli_json_str(p.format));
		json_object_set_new(pv, "encoding", cli_json_str(p.encoding));
		json_object_set_new(pv, "searched", cli_json_str(p.searched));
		json_object_set_new(pv, "imported_at", cli_json_str(p.imported_at));
		json_object_set_new(pv, "import", json_integer(p.import_id));
		json_object_set_new(pv, "line", json_integer(p.line));
		json_object_set_new(pv, "ordinal", json_integer(p.ordinal));
		json_object_set_new(o, "provenance", pv);
		rc = cli_print_json(o);
		goto out;
	}
	print_field("key", rec.source_key);
	print_field("title", rec.title);
	for (size_t i = 0; i < rec.authors.n; i++)
		print_field(i ? "" : "authors", rec.authors.items[i]);
	char year[8];
	snprintf(year, sizeof(year), "%d", rec.year);
	print_field("year", rec.year ? year : NULL);
	print_field("journal", rec.journal);
	print_field("volume", rec.volume);
	print_field("issue", rec.issue);
	print_field("pages", rec.pages);
	print_field("doi", rec.doi);
	print_field("pmid", rec.pmid);
	print_field("issn", rec.issn);
	print_field("isbn", rec.isbn);
	print_field("type", rec.type);
	print_field("language", rec.language);
	print_field("url", rec.url);
	print_field("publisher", rec.publisher);
	print_field("database", rec.database);
	for (size_t i = 0; i < rec.keywords.n; i++)
		print_field(i ? "" : "keywords", rec.keywords.items[i]);
	print_field("notes", rec.notes);
	if (rec.abstract)
		printf("\n%s\n", rec.abstract);
	printf("\nfrom       %s (%s), %s line %ld, record %ld of import %lld%s%s\n",
	       p.source_name, p.method, p.file_name, p.line, p.ordinal, p.import_id,
	       p.searched ? ", searched " : "", p.searched ? p.searched : "");
	if (raw)
		printf("\n%.*s\n", (int)rec.raw_len, rec.raw ? rec.raw : "");
out:
	qes_provenance_release(&p);
	qes__arena_free(&a);
	qes_store_close(st);
	return rc;
}
