/* test_parse_endnote_xml.c: the EndNote XML parser through qes_parse_mem()
 * with the format forced. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qes/import.h"
#include "qes/json.h"
#include "qes/limits.h"

typedef struct got {
	json_t *recs;
	int nskip, nwarn;
	qes_error skips[4];
	int rc;
	qes_error err;
} got;

static int on_record(void *ud, const qes_record *rec)
{
	got *g = ud;
	json_t *o = qes_record_to_json(rec, 1);
	json_t *extra = json_object();
	for (size_t i = 0; i + 1 < rec->extra.n; i += 2)
		json_object_set_new(extra, rec->extra.items[i], json_string(rec->extra.items[i + 1]));
	json_object_set_new(o, "extra", extra);
	json_array_append_new(g->recs, o);
	return 0;
}

static void on_skip(void *ud, const qes_error *why)
{
	got *g = ud;
	if (g->nskip < 4)
		g->skips[g->nskip] = *why;
	g->nskip++;
}

static void on_warn(void *ud, const char *file, long line, const char *msg)
{
	got *g = ud;
	(void)file; (void)line; (void)msg;
	g->nwarn++;
}

static got *parse_n(const char *text, size_t len, int skip_bad)
{
	got *g = calloc(1, sizeof(*g));
	g->recs = json_array();
	qes_parse_opts o = { .format = "endnote-xml", .skip_bad = skip_bad, .on_skip = on_skip,
			     .on_warn = on_warn, .ud = g };
	qes_error_clear(&g->err);
	g->rc = qes_parse_mem("t.xml", text, len, &o, on_record, g, &g->err);
	return g;
}

static got *parse(const char *text, int skip_bad)
{
	return parse_n(text, strlen(text), skip_bad);
}

static void got_free(got *g)
{
	json_decref(g->recs);
	free(g);
}

static const char *fld(const got *g, size_t i, const char *k)
{
	static char buf[8][4096];
	static int slot;
	json_t *v = json_object_get(json_array_get(g->recs, i), k);
	char *out = buf[slot++ % 8];
	if (!v || json_is_null(v)) {
		out[0] = '\0';
	} else if (json_is_string(v)) {
		snprintf(out, 4096, "%s", json_string_value(v));
	} else {
		char *d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		snprintf(out, 4096, "%s", d);
		free(d);
	}
	return out;
}

static const char *extra(const got *g, size_t i, const char *k)
{
	json_t *v = json_object_get(json_object_get(json_array_get(g->recs, i), "extra"), k);
	return v ? json_string_value(v) : NULL;
}

static long lineof(const got *g, size_t i)
{
	return (long)json_integer_value(json_object_get(json_array_get(g->recs, i), "line"));
}

#define STYLE(x) "<style face=\"normal\" font=\"default\" size=\"100%\">" x "</style>"

static const char endnote_record[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
	"<xml><records>\n"
	"<record>\n"
	"<database name=\"My.enl\" path=\"C:\\My.enl\">My.enl</database>\n"
	"<source-app name=\"EndNote\" version=\"20.0\">EndNote</source-app>\n"
	"<rec-number>42</rec-number>\n"
	"<ref-type name=\"Journal Article\">17</ref-type>\n"
	"<contributors><authors><author>" STYLE("Smith, John") "</author>"
	"<author>" STYLE("Doe, J.") "</author></authors>"
	"<secondary-authors><author>Ed, Itor</author></secondary-authors></contributors>\n"
	"<titles><title>" STYLE("Effects of ") "<style face=\"italic\" font=\"default\" size=\"100%\">"
	"in vitro</style>" STYLE(" &amp; in vivo") "</title>"
	"<secondary-title>" STYLE("J Things") "</secondary-title></titles>\n"
	"<periodical><full-title>" STYLE("Journal of Things") "</full-title></periodical>\n"
	"<pages>" STYLE("123-30") "</pages><volume>7</volume><number>2</number>\n"
	"<keywords><keyword>" STYLE("alpha") "</keyword><keyword>beta\rgamma</keyword></keywords>\n"
	"<dates><year>" STYLE("2021") "</year><pub-dates><date>" STYLE("Mar 4") "</date></pub-dates></dates>\n"
	"<isbn>" STYLE("1234-5678 (Print) 8765-432X (Linking)") "</isbn>\n"
	"<accession-num>" STYLE("33333333") "</accession-num>\n"
	"<abstract>" STYLE("An abstract.") "</abstract>\n"
	"<notes>" STYLE("A note") "</notes>\n"
	"<urls><related-urls><url>https://x.org/1</url><url>https://x.org/2</url></related-urls>"
	"<pdf-urls><url>internal-pdf://a.pdf</url></pdf-urls></urls>\n"
	"<electronic-resource-num>" STYLE("10.1000/XYZ") "</electronic-resource-num>\n"
	"<remote-database-name>MEDLINE</remote-database-name>\n"
	"<remote-database-provider>NLM</remote-database-provider>\n"
	"<language>eng</language><publisher>Pub</publisher>\n"
	"<custom1>c1</custom1>\n"
	"</record>\n"
	"</records></xml>\n";

static void test_endnote_fields(void **state)
{
	(void)state;
	got *g = parse(endnote_record, 0);
	assert_int_equal(g->rc, 0);
	assert_int_equal(json_array_size(g->recs), 1);
	assert_string_equal(fld(g, 0, "source_key"), "42");
	assert_string_equal(fld(g, 0, "type"), "article");
	assert_string_equal(fld(g, 0, "type_raw"), "Journal Article");
	/* style markup inside a field is concatenated */
	assert_string_equal(fld(g, 0, "title"), "Effects of in vitro & in vivo");
	assert_string_equal(fld(g, 0, "authors"), "[\"Smith, John\",\"Doe, J.\"]");
	assert_string_equal(extra(g, 0, "editor"), "Ed, Itor");
	assert_string_equal(fld(g, 0, "journal"), "Journal of Things");
	assert_string_equal(extra(g, 0, "secondary-title"), "J Things");
	assert_string_equal(fld(g, 0, "pages"), "123-30");
	assert_string_equal(fld(g, 0, "volume"), "7");
	assert_string_equal(fld(g, 0, "issue"), "2");
	assert_string_equal(fld(g, 0, "keywords"), "[\"alpha\",\"beta\",\"gamma\"]");
	assert_string_equal(fld(g, 0, "year"), "2021");
	assert_string_equal(fld(g, 0, "date"), "2021 Mar 4");
	assert_string_equal(fld(g, 0, "issn"), "1234-5678; 8765-432X");
	assert_string_equal(fld(g, 0, "isbn"), "");
	assert_string_equal(fld(g, 0, "pmid"), "33333333");
	assert_string_equal(fld(g, 0, "abstract"), "An abstract.");
	assert_string_equal(fld(g, 0, "notes"), "A note");
	assert_string_equal(fld(g, 0, "url"), "https://x.org/1");
	assert_string_equal(fld(g, 0, "doi"), "10.1000/xyz");
	assert_string_equal(fld(g, 0, "database"), "MEDLINE");
	assert_string_equal(fld(g, 0, "language"), "eng");
	assert_string_equal(fld(g, 0, "publisher"), "Pub");
	assert_string_equal(extra(g, 0, "custom1"), "c1");
	assert_int_equal(lineof(g, 0), 3);
	const char *raw = fld(g, 0, "raw");
	assert_true(!strncmp(raw, "<record>", 8));
	assert_non_null(strstr(raw, "<rec-number>42</rec-number>"));
	assert_true(strlen(raw) > 9 && !strcmp(raw + strlen(raw) - 9, "</record>"));
	got_free(g);
}

static void test_types_and_isbn(void **state)
{
	(void)state;
	got *g = parse("<xml><records>"
		       "<record><ref-type>5</ref-type><isbn>978-0-12-345678-9</isbn></record>"
		       "<record><ref-type name=\"Journal Article\">0</ref-type></record>"
		       "<record><ref-type name=\"Generic\">31</ref-type></record>"
		       "<record><ref-type name=\"Thesis\">32</ref-type></record>"
		       "<record><ref-type name=\"Conference Proceedings\">10</ref-type></record>"
		       "<record><ref-type name=\"Web Page\">12</ref-type></record>"
		       "<record><ref-type name=\"Book\">6</ref-type><isbn>n/a</isbn></record>"
		       "<record><accession-num>WOS:000123</accession-num></record>"
		       "</records></xml>", 0);
	assert_int_equal(g->rc, 0);
	assert_int_equal(json_array_size(g->recs), 8);
	assert_string_equal(fld(g, 0, "type"), "chapter");   /* by number */
	assert_string_equal(fld(g, 0, "isbn"), "978-0-12-345678-9");
	assert_string_equal(fld(g, 1, "type"), "article");   /* Mendeley: the name wins */
	assert_string_equal(fld(g, 2, "type"), "other");
	assert_string_equal(fld(g, 3, "type"), "thesis");
	assert_string_equal(fld(g, 4, "type"), "conference");
	assert_string_equal(fld(g, 5, "type"), "web");
	assert_string_equal(fld(g, 6, "isbn"), "n/a");       /* unrecognised: kept */
	assert_string_equal(fld(g, 7, "pmid"), "");
	assert_string_equal(extra(g, 7, "accession-num"), "WOS:000123");
	assert_string_equal(fld(g, 7, "source_key"), "");    /* no rec-number: ordinal */
	got_free(g);
}

static void test_malformed_names_line(void **state)
{
	(void)state;
	const char *text = "<xml><records>\n<record><titles><title>A</title></titles></record>\n"
			   "<record>\n<titles>\n<title>B</titl>\n</titles></record>\n"
			   "</records></xml>\n";
	got *g = parse(text, 0);
	assert_int_equal(g->rc, QES_EFORMAT);
	assert_int_equal(g->err.line, 5);
	assert_non_null(strstr(g->err.message, "malformed XML"));
	assert_non_null(strstr(g->err.message, "titl"));
	got_free(g);
}

/* Far enough before the error, records are complete before the XML reader
 * sees it: with skip_bad they stand, and the error is one skipped record. */
static void test_malformed_keeps_earlier_with_skip_bad(void **state)
{
	(void)state;
	size_t cap = 200000, n = 0;
	char *text = malloc(cap);
	n += (size_t)snprintf(text + n, cap - n, "<xml><records>\n");
	for (int i = 1; i <= 500; i++)
		n += (size_t)snprintf(text + n, cap - n,
				      "<record><rec-number>%d</rec-number><titles><title>Title %d"
				      "</title></titles></record>\n", i, i);
	n += (size_t)snprintf(text + n, cap - n, "<record><titles><title>bad</x></record>\n");
	got *g = parse_n(text, n, 0);
	assert_int_equal(g->rc, QES_EFORMAT);
	assert_int_equal(g->err.line, 502);
	got_free(g);
	g = parse_n(text, n, 1);
	assert_int_equal(g->rc, 0);
	assert_true(json_array_size(g->recs) >= 400);
	assert_true(json_array_size(g->recs) <= 500);
	assert_string_equal(fld(g, 0, "source_key"), "1");
	assert_int_equal(lineof(g, 0), 2);
	assert_int_equal(g->nskip, 1);
	assert_int_equal(g->skips[0].line, 502);
	assert_int_equal(g->nwarn, 1);
	got_free(g);
	free(text);
}

static void test_doctype_and_entities_refused(void **state)
{
	(void)state;
	got *g = parse("<?xml version=\"1.0\"?>\n"
		       "<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">"
		       "<!ENTITY ext SYSTEM \"file:///etc/passwd\">]>\n"
		       "<xml><records><record><titles><title>&b;&ext;</title></titles></record>"
		       "</records></xml>\n", 1);
	assert_int_equal(g->rc, QES_EFORMAT);
	assert_non_null(strstr(g->err.message, "DOCTYPE"));
	assert_int_equal(json_array_size(g->recs), 0);
	got_free(g);
}

static void test_not_endnote(void **state)
{
	(void)state;
	got *g = parse("<?xml version=\"1.0\"?>\n<PubmedArticleSet><a/></PubmedArticleSet>\n", 0);
	assert_int_equal(g->rc, QES_EFORMAT);
	assert_int_equal(g->err.line, 2);
	assert_non_null(strstr(g->err.message, "root element is <PubmedArticleSet>"));
	got_free(g);
}

static void test_depth_limit(void **state)
{
	(void)state;
	size_t cap = 16 * (QES_MAX_XML_DEPTH + 10) + 100, n = 0;
	char *text = malloc(cap);
	n += (size_t)snprintf(text + n, cap - n, "<xml><records><record><notes>\n");
	for (int i = 0; i < QES_MAX_XML_DEPTH + 5; i++)
		n += (size_t)snprintf(text + n, cap - n, "<a>");
	for (int i = 0; i < QES_MAX_XML_DEPTH + 5; i++)
		n += (size_t)snprintf(text + n, cap - n, "</a>");
	n += (size_t)snprintf(text + n, cap - n, "</notes></record></records></xml>");
	got *g = parse_n(text, n, 0);
	assert_int_equal(g->rc, QES_EFORMAT);
	assert_int_equal(g->err.line, 2);
	assert_int_equal(json_array_size(g->recs), 0);
	got_free(g);
	free(text);
}

/* The reader has already decoded the file (here from Windows-1252, which
 * sniffing assumes for these bytes); the XML declaration must not make
 * libxml2 decode it a second time. */
static void test_declared_encoding_ignored(void **state)
{
	(void)state;
	got *g = parse("<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n"
		       "<xml><records><record><titles><title>Caf\xe9</title></titles></record>"
		       "</records></xml>\n", 0);
	assert_int_equal(g->rc, 0);
	assert_string_equal(fld(g, 0, "title"), "Caf\xc3\xa9");
	got_free(g);
}

static void test_empty_records(void **state)
{
	(void)state;
	got *g = parse("<xml><records/></xml>", 0);
	assert_int_equal(g->rc, 0);
	assert_int_equal(json_array_size(g->recs), 0);
	got_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_endnote_fields),
		cmocka_unit_test(test_types_and_isbn),
		cmocka_unit_test(test_malformed_names_line),
		cmocka_unit_test(test_malformed_keeps_earlier_with_skip_bad),
		cmocka_unit_test(test_doctype_and_entities_refused),
		cmocka_unit_test(test_not_endnote),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_declared_encoding_ignored),
		cmocka_unit_test(test_empty_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
