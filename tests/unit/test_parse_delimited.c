/* test_parse_delimited.c: the CSV/TSV/semicolon parser, rule by rule,
 * through qes_parse_mem with the format forced to "csv". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qes/import.h"
#include "qes/json.h"
#include "qes/limits.h"

/* Each record as JSON (qes_record_to_json with raw), plus "extra": an
 * object of the extra name/value pairs. */
typedef struct parsed {
	json_t *recs;
	long skipped;
	long skip_line[8];
} parsed;

static int collect(void *ud, const qes_record *rec)
{
	parsed *p = ud;
	json_t *o = qes_record_to_json(rec, 1);
	json_t *ex = json_object();
	for (size_t i = 0; i + 1 < rec->extra.n; i += 2)
		json_object_set_new(ex, rec->extra.items[i], json_string(rec->extra.items[i + 1]));
	json_object_set_new(o, "extra", ex);
	json_array_append_new(p->recs, o);
	return 0;
}

static void on_skip(void *ud, const qes_error *why)
{
	parsed *p = ud;
	if (p->skipped < 8)
		p->skip_line[p->skipped] = why->line;
	p->skipped++;
}

static int parse(const char *text, int skip_bad, parsed *p, qes_error *err)
{
	memset(p, 0, sizeof(*p));
	p->recs = json_array();
	qes_parse_opts o;
	memset(&o, 0, sizeof(o));
	o.format = "csv";
	o.skip_bad = skip_bad;
	o.on_skip = on_skip;
	o.ud = p;
	qes_error_clear(err);
	return qes_parse_mem("test.csv", text, strlen(text), &o, collect, p, err);
}

/* Parses text that must succeed, returns the records (caller decrefs). */
static json_t *parse_ok(const char *text)
{
	parsed p;
	qes_error err;
	int rc = parse(text, 0, &p, &err);
	if (rc)
		fail_msg("parse failed: %s (line %ld)", err.message, err.line);
	return p.recs;
}

static const char *str(json_t *recs, size_t i, const char *key)
{
	json_t *v = json_object_get(json_array_get(recs, i), key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *item(json_t *recs, size_t i, const char *key, size_t k)
{
	json_t *v = json_array_get(json_object_get(json_array_get(recs, i), key), k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static size_t count(json_t *recs, size_t i, const char *key)
{
	return json_array_size(json_object_get(json_array_get(recs, i), key));
}

static const char *extra(json_t *recs, size_t i, const char *name)
{
	json_t *v = json_object_get(json_object_get(json_array_get(recs, i), "extra"), name);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static long num(json_t *recs, size_t i, const char *key)
{
	return (long)json_integer_value(json_object_get(json_array_get(recs, i), key));
}

static void test_delimiters(void **state)
{
	(void)state;
	const char *files[] = {
		"title,abstract,year\nA title,An abstract,2020\n",
		"title;abstract;year\nA title;An abstract;2020\n",
		"title\tabstract\tyear\nA title\tAn abstract\t2020\n",
		/* the comma inside quotes does not count: semicolons win */
		"\"title, main\";abstract;year\nA title;An abstract;2020\n",
	};
	for (size_t f = 0; f < 4; f++) {
		json_t *r = parse_ok(files[f]);
		assert_int_equal(json_array_size(r), 1);
		assert_string_equal(str(r, 0, "abstract"), "An abstract");
		assert_int_equal(num(r, 0, "year"), 2020);
		json_decref(r);
	}
	/* a value with commas in a semicolon file stays whole */
	json_t *r = parse_ok("title;authors\nA, B and C;Smith, J\n");
	assert_string_equal(str(r, 0, "title"), "A, B and C");
	json_decref(r);
}

static void test_quoting(void **state)
{
	(void)state;
	json_t *r = parse_ok("title,notes\n\"He said \"\"no\"\", twice\",\"a,b\"\n"
			     "plain \"quoted\" inside,\"closed\"tail\n");
	assert_int_equal(json_array_size(r), 2);
	assert_string_equal(str(r, 0, "title"), "He said \"no\", twice");
	assert_string_equal(str(r, 0, "notes"), "a,b");
	/* lenient like Excel and Python: quotes inside unquoted values are
	 * text, and text after a closing quote is kept */
	assert_string_equal(str(r, 1, "title"), "plain \"quoted\" inside");
	assert_string_equal(str(r, 1, "notes"), "closedtail");
	json_decref(r);
}

static void test_newlines_in_quotes(void **state)
{
	(void)state;
	const char *files[] = {
		"id,title,abstract\n1,\"Two\nlines\",\"para one\n\npara two\"\n2,Next,x\n",
		"id,title,abstract\r\n1,\"Two\r\nlines\",\"para one\r\n\r\npara two\"\r\n2,Next,x\r\n",
		"id,title,abstract\r1,\"Two\rlines\",\"para one\r\rpara two\"\r2,Next,x\r",
	};
	for (size_t f = 0; f < 3; f++) {
		json_t *r = parse_ok(files[f]);
		assert_int_equal(json_array_size(r), 2);
		/* normalised fields collapse the break; raw keeps it as "\n" */
		assert_string_equal(str(r, 0, "title"), "Two lines");
		assert_string_equal(str(r, 0, "abstract"), "para one para two");
		assert_string_equal(str(r, 0, "raw"),
				    "1,\"Two\nlines\",\"para one\n\npara two\"");
		assert_int_equal(num(r, 0, "line"), 2);
		assert_int_equal(num(r, 1, "line"), 6);
		assert_string_equal(str(r, 1, "source_key"), "2");
		json_decref(r);
	}
}

static void test_bom(void **state)
{
	(void)state;
	json_t *r = parse_ok("\xEF\xBB\xBFTitle,Year\nBOM file,1999\n");
	assert_int_equal(json_array_size(r), 1);
	assert_string_equal(str(r, 0, "title"), "BOM file");
	assert_int_equal(num(r, 0, "year"), 1999);
	assert_null(json_object_get(json_object_get(json_array_get(r, 0), "extra"),
				    "\xEF\xBB\xBFTitle"));
	json_decref(r);
}

static void test_ragged_rows(void **state)
{
	(void)state;
	/* fewer columns: the rest are missing */
	json_t *r = parse_ok("title,abstract,year\nShort row\nFull,abs,2001\n");
	assert_int_equal(json_array_size(r), 2);
	assert_string_equal(str(r, 0, "title"), "Short row");
	assert_null(str(r, 0, "abstract"));
	json_decref(r);
	/* more columns, all empty: fine (Excel pads rows) */
	r = parse_ok("title,year\nPadded,2001,,  ,\n");
	assert_int_equal(json_array_size(r), 1);
	assert_int_equal(num(r, 0, "year"), 2001);
	json_decref(r);
	/* more columns with data: an error naming the row's line */
	const char *bad = "title,year\nok,2001\n\n\"multi\nline\",2002,surplus\nlast,2003\n";
	parsed p;
	qes_error err;
	assert_int_equal(parse(bad, 0, &p, &err), QES_EFORMAT);
	assert_int_equal(err.line, 4);
	assert_non_null(strstr(err.message, "3 columns but the header has 2"));
	json_decref(p.recs);
	/* with skip_bad: the row is reported and skipped, the rest read */
	assert_int_equal(parse(bad, 1, &p, &err), 0);
	assert_int_equal(json_array_size(p.recs), 2);
	assert_int_equal(p.skipped, 1);
	assert_int_equal(p.skip_line[0], 4);
	assert_string_equal(str(p.recs, 1, "title"), "last");
	assert_int_equal(num(p.recs, 1, "line"), 6);
	json_decref(p.recs);
}

/* A stray quote that a later quote closes: the broken row is one bad
 * record, blamed on the quote, and the rows it swallowed are read again. */
static void test_stray_quote_resync(void **state)
{
	(void)state;
	const char *bad = "title,abstract,year\nGood one,abc,2020\n"
			  "Bad,\"unclosed abstract, with a comma,2021\n"
			  "Next good,\"xyz, quoted\",2019\nLast,def,2018\n";
	parsed p;
	qes_error err;
	assert_int_equal(parse(bad, 0, &p, &err), QES_EFORMAT);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.message, "quoted value opened on line 3 is not closed"));
	json_decref(p.recs);
	assert_int_equal(parse(bad, 1, &p, &err), 0);
	assert_int_equal(json_array_size(p.recs), 3);
	assert_int_equal(p.skipped, 1);
	assert_int_equal(p.skip_line[0], 3);
	assert_string_equal(str(p.recs, 1, "title"), "Next good");
	assert_string_equal(str(p.recs, 1, "abstract"), "xyz, quoted");
	assert_int_equal(num(p.recs, 1, "line"), 4);
	json_decref(p.recs);
}

static void test_blank_lines(void **state)
{
	(void)state;
	json_t *r = parse_ok("\n\ntitle,year\n\nA,2001\n   \n,\nB,2002\n\n");
	assert_int_equal(json_array_size(r), 2);
	assert_int_equal(num(r, 0, "line"), 5);
	assert_int_equal(num(r, 1, "line"), 8);
	json_decref(r);
}

static void test_missing_header(void **state)
{
	(void)state;
	parsed p;
	qes_error err;
	assert_int_equal(parse("A study of things,2019,10.1000/xyz\nAnother,2020,10.1000/abc\n",
			       0, &p, &err), QES_EFORMAT);
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.message, "header row is missing"));
	json_decref(p.recs);
	assert_int_equal(parse("foo,bar\n1,2\n", 0, &p, &err), QES_EFORMAT);
	assert_non_null(strstr(err.message, "no known column names"));
	json_decref(p.recs);
}

static void test_unclosed_quote(void **state)
{
	(void)state;
	const char *bad = "title,year\n\"Runaway,2001\nSecond,2002\nThird,2003\n";
	parsed p;
	qes_error err;
	assert_int_equal(parse(bad, 0, &p, &err), QES_EFORMAT);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.message, "never closed"));
	assert_string_equal(err.field, "title");   /* the column the quote opened in */
	json_decref(p.recs);
	/* skip_bad drops the row that opened the quote and reads on */
	assert_int_equal(parse(bad, 1, &p, &err), 0);
	assert_int_equal(p.skipped, 1);
	assert_int_equal(json_array_size(p.recs), 2);
	assert_string_equal(str(p.recs, 0, "title"), "Second");
	assert_int_equal(num(p.recs, 0, "line"), 3);
	assert_int_equal(num(p.recs, 1, "line"), 4);
	json_decref(p.recs);
}

/* Rows that each open a quote running to the end of the file: after 16
 * re-reads the parser gives up on the rest, and says which lines. */
static void test_many_unclosed_quotes(void **state)
{
	(void)state;
	char text[512] = "title,abstract\n";
	for (int i = 0; i < 20; i++)
		strcat(text, "a\",\"\n");   /* opens a quote, and keeps one open */
	parsed p;
	qes_error err;
	assert_int_equal(parse(text, 1, &p, &err), 0);
	assert_int_equal(json_array_size(p.recs), 0);
	assert_int_equal(p.skipped, 17);
	assert_int_equal(p.skip_line[0], 2);
	assert_int_equal(p.skip_line[1], 3);
	json_decref(p.recs);
	assert_int_equal(parse(text, 0, &p, &err), QES_EFORMAT);
	assert_int_equal(err.line, 2);
	json_decref(p.recs);
}

/* Limits from qes/limits.h: a value longer than QES_MAX_FIELD is a bad
 * record; a header wider than QES_MAX_CSV_COLUMNS is refused. */
static void test_limits(void **state)
{
	(void)state;
	size_t half = 3u << 20;
	size_t cap = 2 * half + 256;
	char *text = malloc(cap);
	assert_non_null(text);
	strcpy(text, "title,year\n\"");
	size_t n = strlen(text);
	memset(text + n, 'x', half);
	n += half;
	text[n++] = '\n';
	memset(text + n, 'y', half);
	n += half;
	strcpy(text + n, "\",2001\nNext,2002\n");
	parsed p;
	qes_error err;
	assert_int_equal(parse(text, 0, &p, &err), QES_EFORMAT);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.message, "a value is longer than"));
	json_decref(p.recs);
	assert_int_equal(parse(text, 1, &p, &err), 0);
	assert_int_equal(json_array_size(p.recs), 1);
	assert_string_equal(str(p.recs, 0, "title"), "Next");
	assert_int_equal(num(p.recs, 0, "line"), 4);
	json_decref(p.recs);

	strcpy(text, "title");
	for (int i = 0; i < QES_MAX_CSV_COLUMNS; i++)
		strcat(text + 5 + 2 * i, ",c");
	strcat(text, "\nT\n");
	assert_int_equal(parse(text, 1, &p, &err), QES_ELIMIT);
	assert_non_null(strstr(err.message, "more than"));
	json_decref(p.recs);
	free(text);
}

/* Header variants from real exports, each with the field it must fill. */
static void test_header_mapping(void **state)
{
	(void)state;
	static const struct { const char *header, *field, *value; } cases[] = {
		{ "Title", "title", "T" }, { "TI", "title", "T" },
		{ "Article Title", "title", "T" }, { "Document Title", "title", "T" },
		{ "primary_title", "title", "T" }, { " title ", "title", "T" },
		{ "Abstract", "abstract", "A" }, { "AB", "abstract", "A" },
		{ "abstract_note", "abstract", "A" }, { "Abstract Note", "abstract", "A" },
		{ "Source title", "journal", "J" }, { "SO", "journal", "J" },
		{ "Publication Title", "journal", "J" }, { "secondary_title", "journal", "J" },
		{ "journal_name", "journal", "J" }, { "Journal", "journal", "J" },
		{ "Volume", "volume", "7" }, { "VL", "volume", "7" },
		{ "Issue", "issue", "2" }, { "number", "issue", "2" },
		{ "Pages", "pages", "1-9" }, { "DOI", "doi", "10.1/x" }, { "DI", "doi", "10.1/x" },
		{ "PMID", "pmid", "123" }, { "PubMed ID", "pmid", "123" },
		{ "pubmedID", "pmid", "123" }, { "ISSN", "issn", "1234-5678" },
		{ "ISBN", "isbn", "978" }, { "Language", "language", "eng" },
		{ "Language of Original Document", "language", "eng" },
		{ "URL", "url", "http://x" }, { "Link", "url", "http://x" },
		{ "Publisher", "publisher", "P" }, { "Notes", "notes", "N" },
		{ "Document Type", "type_raw", "Article" }, { "Item Type", "type_raw", "Article" },
		{ "ENTRYTYPE", "type_raw", "Article" }, { "type_of_reference", "type_raw", "Article" },
		{ "Date", "date", "2020-03-04" }, { "Name of Database", "database", "Embase" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256];
		snprintf(text, sizeof(text), "%s,title2\n%s,x\n", cases[i].header, cases[i].value);
		/* "title2" is no known name: it must land in extra */
		json_t *r = parse_ok(text);
		assert_string_equal(extra(r, 0, "title2"), "x");
		const char *got = str(r, 0, cases[i].field);
		if (!got || strcmp(got, cases[i].value))
			fail_msg("header '%s': %s is '%s', want '%s'", cases[i].header,
				 cases[i].field, got ? got : "(null)", cases[i].value);
		json_decref(r);
	}
	/* years from every year column, with ASReview's "2014//" */
	const char *years[] = { "Year", "PY", "Publication Year", "pubyear", "publication_year" };
	for (size_t i = 0; i < 5; i++) {
		char text[128];
		snprintf(text, sizeof(text), "title,%s\nT,2014//\n", years[i]);
		json_t *r = parse_ok(text);
		assert_int_equal(num(r, 0, "year"), 2014);
		json_decref(r);
	}
	/* the type is mapped from the raw type */
	json_t *r = parse_ok("title,Document Type\nA,Conference Paper\nB,Article; Early Access\n"
			     "C,bookSection\nD,JOUR\nE,Something else\n");
	assert_string_equal(str(r, 0, "type"), "conference");
	assert_string_equal(str(r, 1, "type"), "article");
	assert_string_equal(str(r, 2, "type"), "chapter");
	assert_string_equal(str(r, 3, "type"), "article");
	assert_string_equal(str(r, 4, "type"), "other");
	json_decref(r);
}

static void test_pages(void **state)
{
	(void)state;
	json_t *r = parse_ok("title,Page start,Page end\nA,12,19\nB,e0815,\n");
	assert_string_equal(str(r, 0, "pages"), "12-19");
	assert_string_equal(str(r, 1, "pages"), "e0815");
	json_decref(r);
	r = parse_ok("TI\tBP\tEP\nA\t5\t9\n");
	assert_string_equal(str(r, 0, "pages"), "5-9");
	json_decref(r);
}

static void test_authors(void **state)
{
	(void)state;
	json_t *r = parse_ok(
		"title\tauthors\n"
		"semicolons\tSmith, John; Doe, A.\n"
		"bibtex\tZuber, J and Le Quintrec, M and Loirat, C\n"
		"initials\tLiu R., Adler D.G.\n"
		"one\tSmith, John\n"
		"python\t['Marx, Karl', \"O'Brien, Pat\"]\n"
		"mixed\tD. Pavlinac, R. Langer, L. Lenhard and L. Deftos\n"
		"pair\tR. L. Whistler and W. C. Lake\n"
		"vancouver\tSmith JA, Doe B, Roe C\n"
		"group\tParkinson Study Group\n"
		"pairs\tSmith, J., Doe, A. B., Roe, C.\n"
		"pairs-and\tSmith, J., Doe, A. and Roe, C.\n"
		"one-pair\tSmith, J. A.\n");
	assert_int_equal(json_array_size(r), 12);
	assert_int_equal(count(r, 0, "authors"), 2);
	assert_string_equal(item(r, 0, "authors", 1), "Doe, A.");
	assert_int_equal(count(r, 1, "authors"), 3);
	assert_string_equal(item(r, 1, "authors", 1), "Le Quintrec, M");
	assert_int_equal(count(r, 2, "authors"), 2);
	assert_string_equal(item(r, 2, "authors", 1), "Adler D.G.");
	assert_int_equal(count(r, 3, "authors"), 1);
	assert_string_equal(item(r, 3, "authors", 0), "Smith, John");
	assert_int_equal(count(r, 4, "authors"), 2);
	assert_string_equal(item(r, 4, "authors", 1), "O'Brien, Pat");
	assert_int_equal(count(r, 5, "authors"), 4);
	assert_string_equal(item(r, 5, "authors", 3), "L. Deftos");
	assert_int_equal(count(r, 6, "authors"), 2);
	assert_int_equal(count(r, 7, "authors"), 3);
	assert_string_equal(item(r, 7, "authors", 2), "Roe C");
	assert_int_equal(count(r, 8, "authors"), 1);
	assert_int_equal(count(r, 9, "authors"), 3);
	assert_string_equal(item(r, 9, "authors", 1), "Doe, A. B.");
	assert_int_equal(count(r, 10, "authors"), 3);
	assert_string_equal(item(r, 10, "authors", 0), "Smith, J.");
	assert_string_equal(item(r, 10, "authors", 2), "Roe, C.");
	assert_int_equal(count(r, 11, "authors"), 1);
	assert_string_equal(item(r, 11, "authors", 0), "Smith, J. A.");
	json_decref(r);
	/* Scopus: "Author full names" wins over "Authors"; ids dropped */
	r = parse_ok("Authors,Author full names,Title\n"
		     "\"Smith J.; Doe A.\",\"Smith, John (57190000000); Doe, Alice (123)\",T\n");
	assert_int_equal(count(r, 0, "authors"), 2);
	assert_string_equal(item(r, 0, "authors", 0), "Smith, John");
	assert_string_equal(item(r, 0, "authors", 1), "Doe, Alice");
	assert_string_equal(extra(r, 0, "Authors"), "Smith J.; Doe A.");
	json_decref(r);
}

static void test_keywords(void **state)
{
	(void)state;
	json_t *r = parse_ok("title,Author Keywords,Index Keywords\n"
			     "A,\"alpha; beta\",\"gamma\"\n");
	assert_int_equal(count(r, 0, "keywords"), 3);
	assert_string_equal(item(r, 0, "keywords", 2), "gamma");
	json_decref(r);
	r = parse_ok("title,keywords\nA,\"['Pippi', 'Nordwind']\"\n"
		     "B,\"article, cyst (diagnosis, surgery), human\"\nC,\"Ear, Middle\"\n");
	assert_int_equal(count(r, 0, "keywords"), 2);
	assert_int_equal(count(r, 1, "keywords"), 3);
	assert_string_equal(item(r, 1, "keywords", 1), "cyst (diagnosis, surgery)");
	assert_int_equal(count(r, 2, "keywords"), 1);
	json_decref(r);
}

static void test_source_key(void **state)
{
	(void)state;
	json_t *r = parse_ok("ID,id,record_id,bench_id,title\na,b,c,d,T\n");
	assert_string_equal(str(r, 0, "source_key"), "d");
	assert_string_equal(extra(r, 0, "record_id"), "c");
	json_decref(r);
	r = parse_ok("ID,id,record_id,title\na,b,c,T\n");
	assert_string_equal(str(r, 0, "source_key"), "c");
	json_decref(r);
	r = parse_ok("ID,id,title\na,b,T\n");
	assert_string_equal(str(r, 0, "source_key"), "b");
	json_decref(r);
	r = parse_ok("ID,title\na,T\n");
	assert_string_equal(str(r, 0, "source_key"), "a");
	json_decref(r);
	/* "Id" and "key" are not key columns: the ordinal is used */
	r = parse_ok("Id,key,title\na,b,T\n");
	assert_null(str(r, 0, "source_key"));
	assert_string_equal(extra(r, 0, "Id"), "a");
	json_decref(r);
}

static void test_extra_columns(void **state)
{
	(void)state;
	json_t *r = parse_ok("bench_id,dup_group,title,label_included,url,URL\n"
			     "r1,g1,T,1,http://a,http://b\nr2,g1,U,,,\n");
	assert_string_equal(extra(r, 0, "dup_group"), "g1");
	assert_string_equal(extra(r, 0, "label_included"), "1");
	/* a second column for a field that is taken stays as extra */
	assert_string_equal(str(r, 0, "url"), "http://a");
	assert_string_equal(extra(r, 0, "URL"), "http://b");
	/* empty cells are absent */
	assert_null(extra(r, 1, "label_included"));
	json_decref(r);
}

static void test_wos_tab(void **state)
{
	(void)state;
	json_t *r = parse_ok("PT\tAU\tAF\tTI\tSO\tDE\tID\tSP\tPY\tUT\n"
			     "J\tSmith, J\tSmith, John\tT\tJ Med\ta; b\tc\tSponsor\t2001\tWOS:0001\n");
	assert_string_equal(str(r, 0, "source_key"), "WOS:0001");
	assert_string_equal(item(r, 0, "authors", 0), "Smith, John");
	assert_int_equal(count(r, 0, "keywords"), 3);
	assert_null(str(r, 0, "pages"));
	assert_string_equal(extra(r, 0, "SP"), "Sponsor");
	assert_string_equal(str(r, 0, "type"), "article");
	json_decref(r);
}

static void test_zotero_extra_pmid(void **state)
{
	(void)state;
	json_t *r = parse_ok("Key,Item Type,Title,Extra\n"
			     "K1,journalArticle,T,Place: England PMID: 516334  PMCID: PMC1\n");
	assert_string_equal(str(r, 0, "pmid"), "516334");
	assert_string_equal(str(r, 0, "type"), "article");
	assert_string_equal(str(r, 0, "type_raw"), "journalArticle");
	json_decref(r);
}

/* qes's own export reads back exactly: lists split on ";" only. */
static void test_own_export(void **state)
{
	(void)state;
	json_t *r = parse_ok(
		"source_key,type,type_raw,title,abstract,authors,year,date,journal,volume,"
		"issue,pages,doi,pmid,issn,isbn,keywords,language,url,publisher,database,notes\r\n"
		"k1,report,Report,T,,Department of Health and Social Care,2019,,,,,,,,,,"
		"\"Ear, Middle, Inner\",,,,,\r\n");
	assert_string_equal(str(r, 0, "source_key"), "k1");
	assert_string_equal(str(r, 0, "type"), "report");
	assert_string_equal(str(r, 0, "type_raw"), "Report");
	assert_int_equal(count(r, 0, "authors"), 1);
	assert_int_equal(count(r, 0, "keywords"), 1);
	json_decref(r);
}

/* The shared screening and dedup files (skipped with a reason when
 * ../shared is not there). */
static void test_real_files(void **state)
{
	(void)state;
	static const struct { const char *path; size_t n; } files[] = {
		{ "../shared/data/screening/Kitchenham_2010.csv", 1704 },
		{ "../shared/data/dedup/ASySD_Diabetes.csv", 1845 },
	};
	if (access(files[0].path, R_OK)) {
		print_message("skipped: ../shared/data is not here\n");
		skip();
	}
	for (size_t f = 0; f < 2; f++) {
		parsed p;
		memset(&p, 0, sizeof(p));
		p.recs = json_array();
		qes_parse_opts o;
		memset(&o, 0, sizeof(o));
		o.format = "csv";
		qes_error err;
		qes_error_clear(&err);
		if (qes_parse_file(files[f].path, &o, collect, &p, NULL, &err))
			fail_msg("%s: %s", files[f].path, err.message);
		assert_int_equal(json_array_size(p.recs), files[f].n);
		if (f == 0) {
			/* every record has a label and a record_id key */
			for (size_t i = 0; i < files[f].n; i++) {
				assert_non_null(extra(p.recs, i, "label_included"));
				assert_non_null(str(p.recs, i, "source_key"));
			}
		} else {
			assert_string_equal(str(p.recs, 0, "source_key"), "id_0000001");
			assert_non_null(extra(p.recs, 0, "dup_group"));
		}
		json_decref(p.recs);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_newlines_in_quotes),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_ragged_rows),
		cmocka_unit_test(test_stray_quote_resync),
		cmocka_unit_test(test_blank_lines),
		cmocka_unit_test(test_missing_header),
		cmocka_unit_test(test_unclosed_quote),
		cmocka_unit_test(test_many_unclosed_quotes),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_header_mapping),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_authors),
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_source_key),
		cmocka_unit_test(test_extra_columns),
		cmocka_unit_test(test_wos_tab),
		cmocka_unit_test(test_zotero_extra_pmid),
		cmocka_unit_test(test_own_export),
		cmocka_unit_test(test_real_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
