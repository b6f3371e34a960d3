/* test_parse_tagged.c: the RIS, MEDLINE and Web of Science parsers, through
 * qes_parse_mem, on small inputs that each show one rule (see the comments
 * at the top of lib/parse_ris.c, parse_medline.c and parse_wos.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qes/import.h"
#include "qes/json.h"
#include "qes/limits.h"

/* What one parse produced: the records as JSON (with raw and extra), the
 * records skipped and the warnings. */
typedef struct got {
	json_t *recs;
	int skipped, warnings;
	qes_error skip;       /* the last skip */
	char warn[1024];      /* the last warning */
	long warn_line;
} got;

static int collect(void *ud, const qes_record *rec)
{
	got *g = ud;
	json_t *o = qes_record_to_json(rec, 1);
	json_t *extra = json_array();
	for (size_t i = 0; i + 1 < rec->extra.n; i += 2)
		json_array_append_new(extra, json_pack("[ss]", rec->extra.items[i],
						       rec->extra.items[i + 1]));
	json_object_set_new(o, "extra", extra);
	json_array_append_new(g->recs, o);
	return 0;
}

static void on_skip(void *ud, const qes_error *why)
{
	got *g = ud;
	g->skipped++;
	g->skip = *why;
}

static void on_warn(void *ud, const char *file, long line, const char *msg)
{
	got *g = ud;
	(void)file;
	g->warnings++;
	g->warn_line = line;
	snprintf(g->warn, sizeof(g->warn), "%s", msg);
}

static int parse_n(const char *format, const char *text, size_t len, int skip_bad,
		   got *g, qes_error *err)
{
	memset(g, 0, sizeof(*g));
	g->recs = json_array();
	qes_parse_opts o = { .format = format, .skip_bad = skip_bad,
			     .on_skip = on_skip, .on_warn = on_warn, .ud = g };
	qes_error_clear(err);
	return qes_parse_mem("t.in", text, len, &o, collect, g, err);
}

static int parse(const char *format, const char *text, int skip_bad, got *g, qes_error *err)
{
	return parse_n(format, text, strlen(text), skip_bad, g, err);
}

static void done(got *g)
{
	json_decref(g->recs);
}

static json_t *rec(got *g, size_t i)
{
	json_t *r = json_array_get(g->recs, i);
	assert_non_null(r);
	return r;
}

static const char *str(got *g, size_t i, const char *key)
{
	json_t *v = json_object_get(rec(g, i), key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static long num(got *g, size_t i, const char *key)
{
	return (long)json_integer_value(json_object_get(rec(g, i), key));
}

static const char *item(got *g, size_t i, const char *key, size_t k)
{
	return json_string_value(json_array_get(json_object_get(rec(g, i), key), k));
}

static size_t count(got *g, size_t i, const char *key)
{
	return json_array_size(json_object_get(rec(g, i), key));
}

static const char *extra(got *g, size_t i, const char *name)
{
	json_t *e = json_object_get(rec(g, i), "extra");
	for (size_t k = 0; k < json_array_size(e); k++) {
		json_t *p = json_array_get(e, k);
		if (!strcmp(json_string_value(json_array_get(p, 0)), name))
			return json_string_value(json_array_get(p, 1));
	}
	return NULL;
}

#define assert_str(got_, want) do { const char *g_ = (got_); \
	assert_non_null(g_); assert_string_equal(g_, want); } while (0)

/* --- RIS ------------------------------------------------------------------ */

static const char ris_full[] =
	"TY  - JOUR\n"
	"ID  - rec1\n"
	"TI  - A trial of\n"
	"  something useful\n"
	"AU  - Smith, John\n"
	"AU  - Jones, K.\n"
	"A1  - Brown, A.\n"
	"A2  - Editor, E.\n"
	"AD  - Some University\n"
	"AB  - First line of the abstract\n"
	"second line.\n"
	"PY  - 2019\n"
	"DA  - 2019/03/04\n"
	"JA  - J Test\n"
	"T2  - Journal of Tests\n"
	"VL  - 12\n"
	"IS  - 3\n"
	"SP  - 100\n"
	"EP  - 110\n"
	"DO  - https://doi.org/10.1000/ABC.1\n"
	"SN  - 1234-5678 (Print), 12345679\n"
	"SN  - 978-3-16-148410-0\n"
	"KW  - alpha; beta\n"
	"KW  - gamma\n"
	"LA  - English\n"
	"UR  - https://example.org/1\n"
	"L2  - https://example.org/pdf\n"
	"PB  - Test Press\n"
	"DB  - Scopus\n"
	"N1  - first note\n"
	"N1  - second note\n"
	"ZZ  - unknown tag value\n"
	"ER  - \n";

static void ris_fields(void **state)
{
	(void)state;
	got g;
	qes_error err;
	assert_int_equal(parse("ris", ris_full, 0, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 1);
	assert_str(str(&g, 0, "source_key"), "rec1");
	assert_str(str(&g, 0, "type"), "article");
	assert_str(str(&g, 0, "type_raw"), "JOUR");
	assert_str(str(&g, 0, "title"), "A trial of something useful");
	assert_str(str(&g, 0, "abstract"), "First line of the abstract second line.");
	/* AU and A1 are authors; A2 (editors) only when there is no author;
	 * AD is an address. */
	assert_int_equal(count(&g, 0, "authors"), 3);
	assert_str(item(&g, 0, "authors", 0), "Smith, John");
	assert_str(item(&g, 0, "authors", 2), "Brown, A.");
	assert_str(extra(&g, 0, "A2"), "Editor, E.");
	assert_str(extra(&g, 0, "AD"), "Some University");
	assert_int_equal(num(&g, 0, "year"), 2019);
	assert_str(str(&g, 0, "date"), "2019/03/04");
	assert_str(str(&g, 0, "journal"), "Journal of Tests");   /* full name over JA */
	assert_str(extra(&g, 0, "JA"), "J Test");
	assert_str(str(&g, 0, "volume"), "12");
	assert_str(str(&g, 0, "issue"), "3");
	assert_str(str(&g, 0, "pages"), "100-110");
	assert_str(str(&g, 0, "doi"), "10.1000/abc.1");
	assert_str(str(&g, 0, "issn"), "1234-5678; 1234-5679");
	/* ISBNs keep their hyphens, as written */
	assert_str(str(&g, 0, "isbn"), "978-3-16-148410-0");
	assert_int_equal(count(&g, 0, "keywords"), 3);
	assert_str(item(&g, 0, "keywords", 1), "beta");
	assert_str(str(&g, 0, "language"), "English");
	assert_str(str(&g, 0, "url"), "https://example.org/1");
	assert_str(extra(&g, 0, "L2"), "https://example.org/pdf");
	assert_str(str(&g, 0, "publisher"), "Test Press");
	assert_str(str(&g, 0, "database"), "Scopus");
	assert_str(str(&g, 0, "notes"), "first note; second note");
	assert_str(extra(&g, 0, "ZZ"), "unknown tag value");
	assert_int_equal(num(&g, 0, "line"), 1);
	/* raw is the record's lines as decoded, joined with '\n' */
	char want[sizeof(ris_full)];
	memcpy(want, ris_full, sizeof(ris_full));
	want[strlen(want) - 1] = '\0';
	assert_str(str(&g, 0, "raw"), want);
	assert_int_equal(g.warnings, 0);
	done(&g);
}

static void ris_secondary_authors(void **state)
{
	(void)state;
	got g;
	qes_error err;
	assert_int_equal(parse("ris", "TY  - EDBOOK\nA2  - Editor, One\nA3  - Series, Ed\n"
			       "T1  - Edited book\nY1  - 2016/09//\nER  -\n", 0, &g, &err), 0);
	assert_int_equal(count(&g, 0, "authors"), 1);
	assert_str(item(&g, 0, "authors", 0), "Editor, One");
	assert_str(str(&g, 0, "type"), "book");
	assert_str(str(&g, 0, "title"), "Edited book");
	assert_str(str(&g, 0, "date"), "2016/09");
	assert_int_equal(num(&g, 0, "year"), 2016);
	done(&g);
}

/* EndNote writes one keyword (and one note line) per continuation line. */
static void ris_continuations(void **state)
{
	(void)state;
	got g;
	qes_error err;
	assert_int_equal(parse("ris", "TY  - JOUR\nKW  - Animals\nHumans\nDisease Models, Animal\n"
			       "N1  - line one\n      * line two\nDA  - Jun\nPY  - 2011\n"
			       "ER  -\n", 0, &g, &err), 0);
	assert_int_equal(count(&g, 0, "keywords"), 3);
	assert_str(item(&g, 0, "keywords", 2), "Disease Models, Animal");
	assert_str(str(&g, 0, "notes"), "line one * line two");
	assert_str(str(&g, 0, "date"), "2011 Jun");
	done(&g);
	/* Zotero's "other" part of a date */
	assert_int_equal(parse("ris", "TY  - JOUR\nDA  - 2019/10//undefined\nER  -\n",
			       0, &g, &err), 0);
	assert_str(str(&g, 0, "date"), "2019/10");
	assert_int_equal(num(&g, 0, "year"), 2019);
	done(&g);
}

static void ris_tag_variants(void **state)
{
	(void)state;
	got g;
	qes_error err;
	/* tabs before the hyphen, no value, trailing blanks, bare ER, "ER" inside
	 * prose is not a tag, lowercase is not a tag */
	assert_int_equal(parse("ris", "TY  -\nA1\t- Tab, Author\nID \t- 7\nTI  - Title   \n"
			       "AB  - first\nER then second\nin - vitro\nER\n"
			       "TY  - BOOK\nER  -\n", 0, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 2);
	assert_null(str(&g, 0, "type_raw"));
	assert_str(str(&g, 0, "type"), "other");
	assert_str(item(&g, 0, "authors", 0), "Tab, Author");
	assert_str(str(&g, 0, "source_key"), "7");
	assert_str(str(&g, 0, "title"), "Title");
	assert_str(str(&g, 0, "abstract"), "first ER then second in - vitro");
	assert_str(str(&g, 1, "type"), "book");
	assert_int_equal(num(&g, 1, "line"), 9);
	done(&g);
}

static void ris_types(void **state)
{
	(void)state;
	static const struct { const char *ty, *type; } t[] = {
		{ "JOUR", "article" }, { "MGZN", "article" }, { "BOOK", "book" },
		{ "CHAP", "chapter" }, { "CONF", "conference" }, { "CPAPER", "conference" },
		{ "THES", "thesis" }, { "RPRT", "report" }, { "ELEC", "web" },
		{ "DATA", "dataset" }, { "GEN", "other" }, { "PAT", "other" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char in[128];
		snprintf(in, sizeof(in), "TY  - %s\nTI  - x\nER  -\n", t[i].ty);
		got g;
		qes_error err;
		assert_int_equal(parse("ris", in, 0, &g, &err), 0);
		assert_str(str(&g, 0, "type"), t[i].type);
		assert_str(str(&g, 0, "type_raw"), t[i].ty);
		done(&g);
	}
}

/* BT is the book's title for a chapter and the title of a book. */
static void ris_book_title(void **state)
{
	(void)state;
	got g;
	qes_error err;
	assert_int_equal(parse("ris", "TY  - CHAP\nTI  - Chapter one\nBT  - The book\nER  -\n"
			       "TY  - BOOK\nBT  - Whole book\nER  -\n", 0, &g, &err), 0);
	assert_str(str(&g, 0, "title"), "Chapter one");
	assert_str(str(&g, 0, "journal"), "The book");
	assert_str(str(&g, 1, "title"), "Whole book");
	assert_null(str(&g, 1, "journal"));
	done(&g);
}

static void ris_pages_and_ids(void **state)
{
	(void)state;
	got g;
	qes_error err;
	assert_int_equal(parse("ris",
			       /* PsycINFO: "No Pagination Specified" split over SP and EP */
			       "TY  - JOUR\nSP  - No\nEP  - Specified\nM3  - 10.1234/m3.doi\nER  -\n"
			       /* SP holding a range; AN is the key without ID */
			       "TY  - JOUR\nSP  - 349-69\nAN  - WOS:0001\nL3  - http://dx.doi.org/10.5/L3\nER  -\n"
			       /* no DO: a DOI in UR */
			       "TY  - JOUR\nUR  - https://doi.org/10.77/ur\nER  -\n",
			       0, &g, &err), 0);
	assert_null(str(&g, 0, "pages"));
	assert_str(str(&g, 0, "doi"), "10.1234/m3.doi");
	assert_str(str(&g, 1, "pages"), "349-69");
	assert_str(str(&g, 1, "source_key"), "WOS:0001");
	assert_str(str(&g, 1, "doi"), "10.5/l3");
	assert_str(str(&g, 2, "doi"), "10.77/ur");
	done(&g);
	/* several links in one UR: the first; a ';' inside a link stays */
	assert_int_equal(parse("ris", "TY  - JOUR\nUR  - http://a.org/x;http://b.org\nER  -\n"
			       "TY  - JOUR\nUR  - http://a.org/x;jsessionid=1\nER  -\n",
			       0, &g, &err), 0);
	assert_str(str(&g, 0, "url"), "http://a.org/x");
	assert_str(str(&g, 1, "url"), "http://a.org/x;jsessionid=1");
	done(&g);
}

static void ris_pmid(void **state)
{
	(void)state;
	got g;
	qes_error err;
	assert_int_equal(parse("ris",
			       "TY  - JOUR\nAN  - 21553931\nDP  - NLM\nER  -\n"
			       "TY  - JOUR\nN1  - PMID: 31234567 [Indexed for MEDLINE]\nER  -\n"
			       "TY  - JOUR\nAN  - 2214991469\nDB  - PTSDpubs\nER  -\n"
			       "TY  - JOUR\nN1  - PMID: 1\nN1  - PMID: 2\nER  -\n",
			       0, &g, &err), 0);
	assert_str(str(&g, 0, "pmid"), "21553931");
	assert_str(str(&g, 1, "pmid"), "31234567");
	assert_null(str(&g, 2, "pmid"));     /* not from PubMed: an accession number */
	assert_null(str(&g, 3, "pmid"));     /* two PMIDs: ambiguous */
	done(&g);
}

/* The same records with LF, CRLF, CR, mixed line ends and a BOM. */
static void ris_line_endings(void **state)
{
	(void)state;
	static const char *in[] = {
		"TY  - JOUR\nTI  - One\nAB  - a\nb\nER  - \n\nTY  - BOOK\nTI  - Two\nER  - \n",
		"TY  - JOUR\r\nTI  - One\r\nAB  - a\r\nb\r\nER  - \r\n\r\nTY  - BOOK\r\nTI  - Two\r\nER  - \r\n",
		"TY  - JOUR\rTI  - One\rAB  - a\rb\rER  - \r\rTY  - BOOK\rTI  - Two\rER  - \r",
		"\xEF\xBB\xBFTY  - JOUR\r\nTI  - One\nAB  - a\rb\r\nER  - \n\r\nTY  - BOOK\rTI  - Two\nER  - ",
	};
	for (size_t i = 0; i < 4; i++) {
		got g;
		qes_error err;
		assert_int_equal(parse(i == 3 ? NULL : "ris", in[i], 0, &g, &err), 0);
		assert_int_equal(json_array_size(g.recs), 2);
		assert_str(str(&g, 0, "title"), "One");
		assert_str(str(&g, 0, "abstract"), "a b");
		assert_str(str(&g, 0, "raw"), "TY  - JOUR\nTI  - One\nAB  - a\nb\nER  - ");
		assert_str(str(&g, 1, "title"), "Two");
		assert_int_equal(num(&g, 1, "line"), 7);
		done(&g);
	}
}

/* Headers before the first TY, junk between records, and Ovid's NL after ER. */
static void ris_outside_records(void **state)
{
	(void)state;
	got g;
	qes_error err;
	assert_int_equal(parse("ris", "Record #1 of 2\nProvider: X\n\n1.\nTY  - JOUR\nTI  - A\n"
			       "ER  -\nNL  - Clin Psychol\n\nLink to the Ovid Full Text\n\n2.\n"
			       "TY  - JOUR\nTI  - B\nER  -\n", 0, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 2);
	assert_int_equal(num(&g, 0, "line"), 5);
	assert_str(extra(&g, 0, "NL"), "Clin Psychol");
	assert_str(str(&g, 0, "raw"), "TY  - JOUR\nTI  - A\nER  -\nNL  - Clin Psychol");
	assert_int_equal(num(&g, 1, "line"), 13);
	assert_int_equal(g.warnings, 0);
	done(&g);
}

/* A TY inside an open record: the record is kept with a warning. */
static void ris_missing_er(void **state)
{
	(void)state;
	got g;
	qes_error err;
	assert_int_equal(parse("ris", "TY  - JOUR\nTI  - A\n\nTY  - JOUR\nTI  - B\nER  -\n",
			       0, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 2);
	assert_str(str(&g, 0, "raw"), "TY  - JOUR\nTI  - A");
	assert_int_equal(g.warnings, 1);
	assert_int_equal(g.warn_line, 1);
	assert_non_null(strstr(g.warn, "no ER line"));
	done(&g);
}

/* The file ends inside a record: kept when a blank line follows it,
 * reported as truncated otherwise (never dropped silently). */
static void ris_truncated(void **state)
{
	(void)state;
	got g;
	qes_error err;
	assert_int_equal(parse("ris", "TY  - JOUR\nTI  - A\nER  -\nTY  - JOUR\nTI  - B\n\n",
			       0, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 2);
	assert_int_equal(g.warnings, 1);
	done(&g);

	const char *cut = "TY  - JOUR\nTI  - A\nER  -\nTY  - JOUR\nTI  - B\nAB  - The abs";
	assert_int_equal(parse("ris", cut, 0, &g, &err), QES_EFORMAT);
	assert_string_equal(err.file, "t.in");
	assert_int_equal(err.line, 4);
	assert_string_equal(err.field, "ER");
	assert_non_null(strstr(err.message, "truncated"));
	done(&g);
	assert_int_equal(parse("ris", cut, 1, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 1);
	assert_int_equal(g.skipped, 1);
	assert_int_equal(g.skip.line, 4);
	done(&g);

	/* A producer that writes no ER at all: records end at the next TY and
	 * the last one at the end of the file, each with a warning. */
	assert_int_equal(parse("ris", "TY  - JOUR\nTI  - A\nTY  - JOUR\nTI  - B", 0, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 2);
	assert_int_equal(g.warnings, 2);
	assert_non_null(strstr(g.warn, "no record in this file has one"));
	done(&g);
}

/* Tag lines before the first TY, or ended by their own ER, are a record
 * without TY: an error for that record, and the parser goes on. */
static void ris_no_ty(void **state)
{
	(void)state;
	got g;
	qes_error err;
	const char *in = "AU  - Nobody\nTI  - Lost\nER  -\nTY  - JOUR\nTI  - A\nER  -\n"
			 "UK  - Unknown Tag\nER  -\nTY  - JOUR\nTI  - C\nER  -\n";
	assert_int_equal(parse("ris", in, 0, &g, &err), QES_EFORMAT);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.field, "TY");
	assert_non_null(strstr(err.message, "without a TY line"));
	done(&g);
	assert_int_equal(parse("ris", in, 1, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 2);
	assert_str(str(&g, 0, "title"), "A");
	assert_null(extra(&g, 0, "UK"));
	assert_str(str(&g, 0, "raw"), "TY  - JOUR\nTI  - A\nER  -");
	assert_str(str(&g, 1, "title"), "C");
	assert_int_equal(g.skipped, 2);
	assert_int_equal(g.skip.line, 7);
	done(&g);
}

static char *repeat_lines(const char *head, const char *line, size_t times, const char *tail)
{
	size_t hl = strlen(head), ll = strlen(line), tl = strlen(tail);
	char *s = malloc(hl + ll * times + tl + 1);
	assert_non_null(s);
	memcpy(s, head, hl);
	for (size_t i = 0; i < times; i++)
		memcpy(s + hl + i * ll, line, ll);
	memcpy(s + hl + ll * times, tail, tl + 1);
	return s;
}

static void ris_limits(void **state)
{
	(void)state;
	got g;
	qes_error err;
	/* An abstract over QES_MAX_FIELD, continued over many lines. */
	char *big = repeat_lines("TY  - JOUR\nTI  - A\nER  -\nTY  - JOUR\nAB  - x\n",
				 "0123456789012345678901234567890123456789012345678901234567890123\n",
				 QES_MAX_FIELD / 65 + 2, "ER  -\nTY  - JOUR\nTI  - C\nER  -\n");
	assert_int_equal(parse("ris", big, 0, &g, &err), QES_EFORMAT);
	assert_string_equal(err.field, "AB");
	assert_true(err.line > 5);
	assert_non_null(strstr(err.message, "field longer than"));
	done(&g);
	assert_int_equal(parse("ris", big, 1, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 2);
	assert_str(str(&g, 1, "title"), "C");
	assert_int_equal(g.skipped, 1);
	done(&g);
	free(big);

	/* Too many authors (EndNote: one per continuation line). */
	big = repeat_lines("TY  - JOUR\nAU  - First, A\n", "Next, B\n", QES_MAX_AUTHORS,
			   "ER  -\nTY  - JOUR\nTI  - C\nER  -\n");
	assert_int_equal(parse("ris", big, 0, &g, &err), QES_EFORMAT);
	assert_string_equal(err.field, "AU");
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.message, "authors"));
	done(&g);
	assert_int_equal(parse("ris", big, 1, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 1);
	assert_int_equal(g.skipped, 1);
	done(&g);
	free(big);

	/* More tagged lines than QES_MAX_FIELDS in one record. */
	big = repeat_lines("TY  - JOUR\n", "C1  - x\n", QES_MAX_FIELDS + 1, "ER  -\n");
	assert_int_equal(parse("ris", big, 0, &g, &err), QES_EFORMAT);
	assert_string_equal(err.field, "C1");
	assert_int_equal(err.line, QES_MAX_FIELDS + 1);
	done(&g);
	free(big);
}

static void bad_inputs(void **state)
{
	(void)state;
	got g;
	qes_error err;
	/* empty: detection says so */
	assert_int_equal(parse(NULL, "", 0, &g, &err), QES_EFORMAT);
	assert_non_null(strstr(err.message, "empty"));
	done(&g);
	/* binary data */
	static const char bin[] = "TY  - JOUR\nTI  - \0\x01\x02\nER  -\n";
	assert_int_equal(parse_n("ris", bin, sizeof(bin) - 1, 0, &g, &err), QES_EFORMAT);
	assert_non_null(strstr(err.message, "binary"));
	done(&g);
	/* text that is not the format forced on it */
	static const char *fmts[] = { "ris", "medline", "wos" };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(parse(fmts[i], "hello\nworld\n", 0, &g, &err), QES_EFORMAT);
		assert_non_null(strstr(err.message, "no "));
		done(&g);
		/* blank input with a forced format: no records, no error */
		assert_int_equal(parse(fmts[i], "\n\n", 0, &g, &err), 0);
		assert_int_equal(json_array_size(g.recs), 0);
		done(&g);
	}
}

/* --- MEDLINE -------------------------------------------------------------- */

static const char medline[] =
	"\n"
	"PMID- 28441597\n"
	"OWN - NLM\n"
	"IS  - 1879-1026 (Electronic)\n"
	"IS  - 0048-9697 (Linking)\n"
	"VI  - 598\n"
	"IP  - 2\n"
	"DP  - 2017 Nov 15\n"
	"TI  - Differences in nitrate export between wooded and grassed riparian\n"
	"      zones.\n"
	"PG  - 188-197\n"
	"LID - S0048-9697(17)30912-9 [pii]\n"
	"LID - 10.1016/j.scitotenv.2017.04.075 [doi]\n"
	"AB  - Agricultural activities\n"
	"      in catchments.\n"
	"FAU - Neilen, Amanda D\n"
	"AU  - Neilen AD\n"
	"AD  - Australian Rivers Institute.\n"
	"FAU - Chen, Chengrong R\n"
	"AU  - Chen CR\n"
	"CN  - The Study Group\n"
	"LA  - eng\n"
	"PT  - Journal Article\n"
	"PT  - Review\n"
	"TA  - Sci Total Environ\n"
	"JT  - The Science of the total environment\n"
	"MH  - Animals\n"
	"OT  - Buffer strips\n"
	"\n"
	"PMID- 30689646\n"
	"DP  - 2019\n"
	"TI  - Second\n"
	"AU  - Wu D\n"
	"AID - 10.1371/journal.pone.0209483 [doi]\n"
	"TA  - PLoS One\n"
	"PT  - Preprint\n"
	"PT  - Journal Article\n";

static void medline_fields(void **state)
{
	(void)state;
	got g;
	qes_error err;
	assert_int_equal(parse(NULL, medline, 0, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 2);
	assert_str(str(&g, 0, "source_key"), "28441597");
	assert_str(str(&g, 0, "pmid"), "28441597");
	assert_str(str(&g, 0, "title"),
		   "Differences in nitrate export between wooded and grassed riparian zones.");
	assert_str(str(&g, 0, "abstract"), "Agricultural activities in catchments.");
	assert_int_equal(count(&g, 0, "authors"), 3);     /* FAU over AU, and CN */
	assert_str(item(&g, 0, "authors", 0), "Neilen, Amanda D");
	assert_str(item(&g, 0, "authors", 2), "The Study Group");
	assert_int_equal(num(&g, 0, "year"), 2017);
	assert_str(str(&g, 0, "date"), "2017 Nov 15");
	assert_str(str(&g, 0, "journal"), "The Science of the total environment");
	assert_str(extra(&g, 0, "TA"), "Sci Total Environ");
	assert_str(str(&g, 0, "volume"), "598");
	assert_str(str(&g, 0, "issue"), "2");
	assert_str(str(&g, 0, "pages"), "188-197");
	assert_str(str(&g, 0, "doi"), "10.1016/j.scitotenv.2017.04.075");
	assert_str(str(&g, 0, "issn"), "1879-1026; 0048-9697");
	assert_int_equal(count(&g, 0, "keywords"), 2);
	assert_str(item(&g, 0, "keywords", 1), "Buffer strips");
	assert_str(str(&g, 0, "language"), "eng");
	assert_str(str(&g, 0, "type"), "article");
	assert_str(str(&g, 0, "type_raw"), "Journal Article; Review");
	assert_str(extra(&g, 0, "OWN"), "NLM");
	assert_str(extra(&g, 0, "AD"), "Australian Rivers Institute.");
	assert_int_equal(num(&g, 0, "line"), 2);
	assert_int_equal(num(&g, 1, "line"), 30);
	assert_str(item(&g, 1, "authors", 0), "Wu D");    /* AU when no FAU */
	assert_str(str(&g, 1, "journal"), "PLoS One");
	assert_str(str(&g, 1, "doi"), "10.1371/journal.pone.0209483");
	assert_str(str(&g, 1, "type"), "preprint");
	assert_str(str(&g, 1, "raw"), "PMID- 30689646\nDP  - 2019\nTI  - Second\nAU  - Wu D\n"
		   "AID - 10.1371/journal.pone.0209483 [doi]\nTA  - PLoS One\n"
		   "PT  - Preprint\nPT  - Journal Article");
	done(&g);
}

static void medline_crlf_bom(void **state)
{
	(void)state;
	got g;
	qes_error err;
	assert_int_equal(parse(NULL, "\xEF\xBB\xBFPMID- 1\r\nTI  - A long\r\n      title\r\n\r\n"
			       "PMID- 2\rTI  - B\r\rPMID- 3\nTI  - C\r\n", 0, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 3);
	assert_str(str(&g, 0, "title"), "A long title");
	assert_str(str(&g, 0, "raw"), "PMID- 1\nTI  - A long\n      title");
	assert_int_equal(num(&g, 1, "line"), 5);
	assert_int_equal(num(&g, 2, "line"), 8);
	done(&g);
}

/* Tag lines after a blank line without PMID: a record without PMID. */
static void medline_no_pmid(void **state)
{
	(void)state;
	got g;
	qes_error err;
	const char *in = "PMID- 1\nTI  - A\n\nTI  - Orphan\nAU  - X\n\nPMID- 3\nTI  - C\n";
	assert_int_equal(parse("medline", in, 0, &g, &err), QES_EFORMAT);
	assert_int_equal(err.line, 4);
	assert_string_equal(err.field, "PMID");
	done(&g);
	assert_int_equal(parse("medline", in, 1, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 2);
	assert_int_equal(g.skipped, 1);
	done(&g);
}

/* PubMed ends every record with SO: a last record without it, after
 * records with it, was cut off. Without any SO the last record is kept. */
static void medline_truncated(void **state)
{
	(void)state;
	got g;
	qes_error err;
	const char *cut = "PMID- 1\nTI  - A\nSO  - J. 2020;1:1.\n\nPMID- 2\nTI  - B\nAB  - cut";
	assert_int_equal(parse("medline", cut, 0, &g, &err), QES_EFORMAT);
	assert_int_equal(err.line, 5);
	assert_string_equal(err.field, "SO");
	assert_non_null(strstr(err.message, "truncated"));
	done(&g);
	assert_int_equal(parse("medline", cut, 1, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 1);
	assert_int_equal(g.skipped, 1);
	done(&g);
	assert_int_equal(parse("medline", "PMID- 1\nTI  - A\nSO  - J.\n\nPMID- 2\nTI  - B\n"
			       "SO  - J. 2020;\n      1:1.", 0, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 2);
	done(&g);
	assert_int_equal(parse("medline", "PMID- 1\nTI  - A\n\nPMID- 2\nTI  - B", 0, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 2);
	done(&g);
}

/* --- Web of Science ------------------------------------------------------- */

static const char wos[] =
	"FN Clarivate Analytics Web of Science\n"
	"VR 1.0\n"
	"PT J\n"
	"AU Li, W\n"
	"   Dou, Z\n"
	"AF Li, Wei\n"
	"   Dou, Zhiguo\n"
	"TI Soil fauna diversity in a\n"
	"   lakeshore wetland\n"
	"SO ECOSYSTEM HEALTH\n"
	"LA English\n"
	"DT Article; Proceedings Paper\n"
	"DE soil fauna; wetland restoration; Lake\n"
	"   Taihu\n"
	"ID DIVERSITY\n"
	"AB Introduction: Wetland soil\n"
	"   fauna.\n"
	"SN 2096-4129\n"
	"EI 2332-8878\n"
	"PD DEC\n"
	"PY 2020\n"
	"VL 6\n"
	"IS 1\n"
	"BP 17\n"
	"EP 22\n"
	"DI 10.1080/20964129.2020.1722034\n"
	"PM 31851837\n"
	"UT WOS:000514379300001\n"
	"ER\n"
	"\n"
	"PT B\n"
	"AU Higgins, K\n"
	"TI A book\n"
	"UT WOS:2\n"
	"ER\n"
	"\n"
	"EF\xEF\xBB\xBF" "FN Clarivate Analytics Web of Science\n"
	"VR 1.0\n"
	"PT J\n"
	"TI Third\n"
	"ER\n"
	"\n"
	"EF\n";

static void wos_fields(void **state)
{
	(void)state;
	got g;
	qes_error err;
	assert_int_equal(parse(NULL, wos, 0, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 3);
	assert_str(str(&g, 0, "source_key"), "WOS:000514379300001");
	assert_int_equal(count(&g, 0, "authors"), 2);     /* AF over AU */
	assert_str(item(&g, 0, "authors", 1), "Dou, Zhiguo");
	assert_str(extra(&g, 0, "AU"), "Li, W Dou, Z");
	assert_str(str(&g, 0, "title"), "Soil fauna diversity in a lakeshore wetland");
	assert_str(str(&g, 0, "journal"), "ECOSYSTEM HEALTH");
	assert_str(str(&g, 0, "type"), "conference");
	assert_str(str(&g, 0, "type_raw"), "Article; Proceedings Paper");
	assert_int_equal(count(&g, 0, "keywords"), 4);
	assert_str(item(&g, 0, "keywords", 2), "Lake Taihu");
	assert_str(item(&g, 0, "keywords", 3), "DIVERSITY");
	assert_str(str(&g, 0, "abstract"), "Introduction: Wetland soil fauna.");
	assert_str(str(&g, 0, "issn"), "2096-4129; 2332-8878");
	assert_int_equal(num(&g, 0, "year"), 2020);
	assert_str(str(&g, 0, "date"), "2020 DEC");
	assert_str(str(&g, 0, "pages"), "17-22");
	assert_str(str(&g, 0, "doi"), "10.1080/20964129.2020.1722034");
	assert_str(str(&g, 0, "pmid"), "31851837");
	assert_str(str(&g, 0, "language"), "English");
	assert_int_equal(num(&g, 0, "line"), 3);
	assert_str(str(&g, 1, "type"), "book");
	assert_str(str(&g, 1, "type_raw"), "B");
	assert_str(str(&g, 1, "raw"), "PT B\nAU Higgins, K\nTI A book\nUT WOS:2\nER");
	assert_int_equal(num(&g, 1, "line"), 31);
	assert_str(str(&g, 2, "title"), "Third");
	assert_int_equal(g.warnings, 0);
	done(&g);
}

/* More keywords than QES_MAX_KEYWORDS: the record is reported with the
 * format's own keyword tag, the next one still arrives. */
static void keyword_limits(void **state)
{
	(void)state;
	got g;
	qes_error err;
	char *big = repeat_lines("PMID- 1\nTI  - A\n", "MH  - Parents\n", QES_MAX_KEYWORDS + 1,
				 "\nPMID- 2\nTI  - B\n");
	assert_int_equal(parse("medline", big, 0, &g, &err), QES_EFORMAT);
	assert_string_equal(err.field, "MH");
	assert_non_null(strstr(err.message, "keywords in one record"));
	done(&g);
	assert_int_equal(parse("medline", big, 1, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 1);
	assert_str(str(&g, 0, "title"), "B");
	done(&g);
	free(big);
	big = repeat_lines("FN Clarivate\nVR 1.0\nPT J\nTI A\nDE k", "; k", QES_MAX_KEYWORDS,
			   "\nER\n\nPT J\nTI B\nER\n\nEF\n");
	assert_int_equal(parse("wos", big, 0, &g, &err), QES_EFORMAT);
	assert_string_equal(err.field, "DE");
	done(&g);
	assert_int_equal(parse("wos", big, 1, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 1);
	assert_str(str(&g, 0, "title"), "B");
	done(&g);
	free(big);
}

static void wos_missing_er(void **state)
{
	(void)state;
	got g;
	qes_error err;
	/* PT or EF inside a record: kept with a warning */
	assert_int_equal(parse("wos", "FN x\r\nVR 1.0\r\nPT J\r\nTI A\r\nPT J\r\nTI B\r\nEF\r\n",
			       0, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 2);
	assert_int_equal(g.warnings, 2);
	done(&g);
	/* cut off inside a record */
	const char *cut = "FN x\nVR 1.0\nPT J\nTI A\nER\n\nPT J\nTI B\nAB cut";
	assert_int_equal(parse("wos", cut, 0, &g, &err), QES_EFORMAT);
	assert_int_equal(err.line, 7);
	assert_string_equal(err.field, "ER");
	done(&g);
	assert_int_equal(parse("wos", cut, 1, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 1);
	assert_int_equal(g.skipped, 1);
	done(&g);
	/* tags outside a record */
	const char *orphan = "FN x\nVR 1.0\nTI lost\nER\nPT J\nTI B\nER\nEF\n";
	assert_int_equal(parse("wos", orphan, 0, &g, &err), QES_EFORMAT);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.field, "PT");
	done(&g);
	assert_int_equal(parse("wos", orphan, 1, &g, &err), 0);
	assert_int_equal(json_array_size(g.recs), 1);
	done(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ris_fields),
		cmocka_unit_test(ris_secondary_authors),
		cmocka_unit_test(ris_continuations),
		cmocka_unit_test(ris_tag_variants),
		cmocka_unit_test(ris_types),
		cmocka_unit_test(ris_book_title),
		cmocka_unit_test(ris_pages_and_ids),
		cmocka_unit_test(ris_pmid),
		cmocka_unit_test(ris_line_endings),
		cmocka_unit_test(ris_outside_records),
		cmocka_unit_test(ris_missing_er),
		cmocka_unit_test(ris_truncated),
		cmocka_unit_test(ris_no_ty),
		cmocka_unit_test(ris_limits),
		cmocka_unit_test(bad_inputs),
		cmocka_unit_test(medline_fields),
		cmocka_unit_test(medline_crlf_bom),
		cmocka_unit_test(medline_no_pmid),
		cmocka_unit_test(medline_truncated),
		cmocka_unit_test(wos_fields),
		cmocka_unit_test(keyword_limits),
		cmocka_unit_test(wos_missing_er),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
