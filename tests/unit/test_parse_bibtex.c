/* test_parse_bibtex.c: the BibTeX parser, one rule per test, through the
 * public qes_parse_mem() with the format forced. */
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
	json_t *recs;          /* records as JSON, plus "raw" and "extra" */
	int nskip, nwarn;
	qes_error skips[8];
	char warns[8][1024];
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
	if (g->nskip < 8)
		g->skips[g->nskip] = *why;
	g->nskip++;
}

static void on_warn(void *ud, const char *file, long line, const char *msg)
{
	got *g = ud;
	(void)file;
	if (g->nwarn < 8)
		snprintf(g->warns[g->nwarn], sizeof(g->warns[0]), "%ld: %s", line, msg);
	g->nwarn++;
}

static got *parse(const char *text, int skip_bad)
{
	got *g = calloc(1, sizeof(*g));
	g->recs = json_array();
	qes_parse_opts o = { .format = "bibtex", .skip_bad = skip_bad, .on_skip = on_skip,
			     .on_warn = on_warn, .ud = g };
	qes_error_clear(&g->err);
	g->rc = qes_parse_mem("t.bib", text, strlen(text), &o, on_record, g, &g->err);
	return g;
}

static void got_free(got *g)
{
	json_decref(g->recs);
	free(g);
}

static size_t nrec(const got *g)
{
	return json_array_size(g->recs);
}

/* Field k of record i as a string ("" for null, JSON for lists). */
static const char *fld(const got *g, size_t i, const char *k)
{
	static char buf[8][4096];
	static int slot;
	json_t *r = json_array_get(g->recs, i);
	assert_non_null(r);
	json_t *v = json_object_get(r, k);
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
	json_t *e = json_object_get(json_array_get(g->recs, i), "extra");
	json_t *v = json_object_get(e, k);
	return v ? json_string_value(v) : NULL;
}

static long lineof(const got *g, size_t i)
{
	return (long)json_integer_value(json_object_get(json_array_get(g->recs, i), "line"));
}

static void test_article_fields(void **state)
{
	(void)state;
	got *g = parse("% exported\n"
		       "@Article{smith2020,\n"
		       "  author = {Smith, John and Doe, Jane},\n"
		       "  title = {A {DNA} study},\n"
		       "  journal = {Nature},\n"
		       "  year = 2020, month = mar,\n"
		       "  volume = {5}, number = {2}, pages = {10--20},\n"
		       "  doi = {https://doi.org/10.1000/ABC},\n"
		       "  pmid = {12345}, issn = {1234-5678}, isbn = {978-0-00-000000-0},\n"
		       "  keywords = {one, two; three, {Ear, Middle}, },\n"
		       "  language = {English}, url = {http://x.org/a_b},\n"
		       "  publisher = {Pub}, note = {cited By 3}, abstract = {Abs.},\n"
		       "  Funding_Details = {Grant 1}\n"
		       "}\n", 0);
	assert_int_equal(g->rc, 0);
	assert_int_equal(nrec(g), 1);
	assert_string_equal(fld(g, 0, "source_key"), "smith2020");
	assert_string_equal(fld(g, 0, "type"), "article");
	assert_string_equal(fld(g, 0, "type_raw"), "Article");
	assert_string_equal(fld(g, 0, "title"), "A DNA study");
	assert_string_equal(fld(g, 0, "authors"), "[\"Smith, John\",\"Doe, Jane\"]");
	assert_string_equal(fld(g, 0, "journal"), "Nature");
	assert_string_equal(fld(g, 0, "year"), "2020");
	assert_string_equal(fld(g, 0, "date"), "2020 March");
	assert_string_equal(fld(g, 0, "volume"), "5");
	assert_string_equal(fld(g, 0, "issue"), "2");
	assert_string_equal(fld(g, 0, "pages"), "10-20");
	assert_string_equal(fld(g, 0, "doi"), "10.1000/abc");
	assert_string_equal(fld(g, 0, "pmid"), "12345");
	assert_string_equal(fld(g, 0, "issn"), "1234-5678");
	assert_string_equal(fld(g, 0, "isbn"), "978-0-00-000000-0");
	assert_string_equal(fld(g, 0, "keywords"), "[\"one\",\"two\",\"three\",\"Ear, Middle\"]");
	assert_string_equal(fld(g, 0, "language"), "English");
	assert_string_equal(fld(g, 0, "url"), "http://x.org/a_b");
	assert_string_equal(fld(g, 0, "publisher"), "Pub");
	assert_string_equal(fld(g, 0, "notes"), "cited By 3");
	assert_string_equal(fld(g, 0, "abstract"), "Abs.");
	/* unknown fields keep their (lower-cased) name */
	assert_string_equal(extra(g, 0, "funding_details"), "Grant 1");
	assert_int_equal(lineof(g, 0), 2);
	/* raw is the entry's text, from '@' to the closing brace */
	const char *raw = fld(g, 0, "raw");
	assert_true(!strncmp(raw, "@Article{smith2020,", 19));
	assert_int_equal(raw[strlen(raw) - 1], '}');
	got_free(g);
}

static void test_parens_and_shared_lines(void **state)
{
	(void)state;
	got *g = parse("@book(b1, title = \"One (first)\") @misc{m2, title={Two}}\n"
		       "@article{a3,\ntitle={Three}}", 0);
	assert_int_equal(g->rc, 0);
	assert_int_equal(nrec(g), 3);
	assert_string_equal(fld(g, 0, "title"), "One (first)");
	assert_string_equal(fld(g, 0, "type"), "book");
	assert_string_equal(fld(g, 1, "title"), "Two");
	assert_int_equal(lineof(g, 1), 1);
	assert_string_equal(fld(g, 2, "title"), "Three");
	assert_int_equal(lineof(g, 2), 2);
	got_free(g);
}

static void test_values_and_macros(void **state)
{
	(void)state;
	got *g = parse("@STRING{ jn = \"Journal of \" # {Things} }\n"
		       "@string(pub = {Big {Press}})\n"
		       "@article{k,\n"
		       "  journal = jn # \" and \" # JN,\n"
		       "  publisher = PUB,\n"
		       "  title = {Nested {braces {deep}} here},\n"
		       "  volume = 12,\n"
		       "  month = dec, year = \"1999\",\n"
		       "  note = {Has \"quotes\" inside}\n"
		       "}\n", 0);
	assert_int_equal(g->rc, 0);
	assert_int_equal(nrec(g), 1);
	assert_string_equal(fld(g, 0, "journal"), "Journal of Things and Journal of Things");
	assert_string_equal(fld(g, 0, "publisher"), "Big Press");
	assert_string_equal(fld(g, 0, "title"), "Nested braces deep here");
	assert_string_equal(fld(g, 0, "volume"), "12");
	assert_string_equal(fld(g, 0, "date"), "1999 December");
	assert_string_equal(fld(g, 0, "notes"), "Has \"quotes\" inside");
	assert_int_equal(g->nwarn, 0);
	got_free(g);
}

static void test_undefined_and_cyclic_macros(void **state)
{
	(void)state;
	/* Macros are expanded when defined (BibTeX's rule), so a "cycle" is a
	 * use of a macro not yet defined: kept as its name, with a warning,
	 * and nothing loops. */
	got *g = parse("@string{a = b}\n@string{b = a # a}\n"
		       "@article{k, title = b, journal = NOSUCH}\n", 0);
	assert_int_equal(g->rc, 0);
	assert_int_equal(nrec(g), 1);
	assert_string_equal(fld(g, 0, "title"), "bb");
	assert_string_equal(fld(g, 0, "journal"), "NOSUCH");
	assert_int_equal(g->nwarn, 2);
	assert_non_null(strstr(g->warns[0], "undefined macro 'b'"));
	assert_non_null(strstr(g->warns[1], "3: undefined macro 'NOSUCH' in 'journal'"));
	got_free(g);
}

static void test_comments_preamble_outside_text(void **state)
{
	(void)state;
	got *g = parse("This file was made by hand. Mail me at x@y.org.\n"
		       "@comment{ @article{dead, title = {Not a record}} }\n"
		       "@preamble{ \"\\newcommand{\\x}{y}\" }\n"
		       "% @article{commented, title={No}}\n"
		       "@COMMENT{multi\nline}\n"
		       "@article{live,\n"
		       "  % title = {old},\n"
		       "  title = {Live}\n"
		       "}\n", 0);
	assert_int_equal(g->rc, 0);
	assert_int_equal(nrec(g), 1);
	assert_string_equal(fld(g, 0, "source_key"), "live");
	assert_string_equal(fld(g, 0, "title"), "Live");
	assert_int_equal(lineof(g, 0), 7);
	got_free(g);
}

static void test_comma_styles(void **state)
{
	(void)state;
	got *g = parse("@article{cf\n , author = {A, B}\n , title = {Comma first}\n}\n"
		       "@article{tc, title = {Trailing},,\n}\n"
		       "@article{mc,\n  title = {Missing}\n  year = {2013},\n}\n", 0);
	assert_int_equal(g->rc, 0);
	assert_int_equal(nrec(g), 3);
	assert_string_equal(fld(g, 0, "title"), "Comma first");
	assert_string_equal(fld(g, 0, "authors"), "[\"A, B\"]");
	assert_string_equal(fld(g, 1, "title"), "Trailing");
	/* A forgotten comma between fields: the user clearly meant two fields;
	 * both are read and the user is told where. */
	assert_string_equal(fld(g, 2, "title"), "Missing");
	assert_string_equal(fld(g, 2, "year"), "2013");
	assert_int_equal(g->nwarn, 1);
	assert_string_equal(g->warns[0], "8: entry 'mc': missing ',' after field 'title'");
	got_free(g);
}

static void test_field_names(void **state)
{
	(void)state;
	got *g = parse("@article{k, Strange_Field-Name2 = {v}, author+an = {1=x},"
		       " Dc.Date = {2004}, funding_text 1 = {F}, TITLE = {T}}\n", 0);
	assert_int_equal(g->rc, 0);
	assert_string_equal(extra(g, 0, "strange_field-name2"), "v");
	assert_string_equal(extra(g, 0, "author+an"), "1=x");
	assert_string_equal(extra(g, 0, "dc.date"), "2004");
	assert_string_equal(extra(g, 0, "funding_text 1"), "F");
	assert_string_equal(fld(g, 0, "title"), "T");
	got_free(g);
}

static void test_latex(void **state)
{
	(void)state;
	got *g = parse("@article{k,\n"
		       " title = {Caf\\'e {\\\"o} \\c{c} \\ss{} \\o\\ \\aa\\ \\& 1--2 a---b n.s.~2 "
		       "{\\em emph} \\textbf{bold} {DNA} $\\alpha$-helix H$_2$O \\'{\\i} "
		       "\\v{s}\\u{g}\\H{o} \\~n \\`a \\^e \\=a \\k{a} 50\\% \\textless{}x "
		       "``quoted'' \\l\\L},\n"
		       " abstract = {Stra\\ss e \\textit{et al.} {\\'E}cole}\n"
		       "}\n", 0);
	assert_int_equal(g->rc, 0);
	assert_string_equal(fld(g, 0, "title"),
			    "Café ö ç ß ø å & 1–2 a—b n.s. 2 emph bold DNA α-helix H2O í "
			    "šğő ñ à ê ā ą 50% <x “quoted” łŁ");
	assert_string_equal(fld(g, 0, "abstract"), "Straße et al. École");
	got_free(g);
}

static void test_authors(void **state)
{
	(void)state;
	got *g = parse("@book{k, author = {Jean C{\\'e}sar and {Barnes and Noble, Inc.} AND "
		       "Ludwig van Beethoven and de la Fontaine, Jean and Ford, Jr., Henry and "
		       "Madonna and Brand~Name and others},\n editor = {Ed Itor}}\n", 0);
	assert_int_equal(g->rc, 0);
	assert_string_equal(fld(g, 0, "authors"),
			    "[\"César, Jean\",\"Barnes and Noble, Inc.\","
			    "\"van Beethoven, Ludwig\",\"de la Fontaine, Jean\","
			    "\"Ford, Henry, Jr.\",\"Madonna\",\"Name, Brand\"]");
	assert_string_equal(extra(g, 0, "editor"), "Ed Itor");
	got_free(g);
}

static void test_types(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "article", "article" }, { "book", "book" }, { "inbook", "chapter" },
		{ "incollection", "chapter" }, { "inproceedings", "conference" },
		{ "conference", "conference" }, { "proceedings", "conference" },
		{ "phdthesis", "thesis" }, { "mastersthesis", "thesis" },
		{ "techreport", "report" }, { "report", "report" }, { "online", "web" },
		{ "electronic", "web" }, { "www", "web" }, { "misc", "other" },
		{ "unpublished", "other" }, { "wrong", "other" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[128];
		snprintf(text, sizeof(text), "@%s{k, title={T}}", cases[i][0]);
		got *g = parse(text, 0);
		assert_int_equal(nrec(g), 1);
		assert_string_equal(fld(g, 0, "type"), cases[i][1]);
		got_free(g);
	}
	/* misc with only a URL is a web page */
	got *g = parse("@misc{k, title={T}, howpublished={\\url{https://x.org}}}", 0);
	assert_string_equal(fld(g, 0, "type"), "web");
	got_free(g);
}

static void test_crossref(void **state)
{
	(void)state;
	got *g = parse("@inproceedings{child, title = {Paper}, author = {A, B},\n"
		       "  crossref = {conf}, pages = {1--2}}\n"
		       "@proceedings{conf, title = {Proc. of Things}, year = {2009},\n"
		       "  publisher = {ACM}, doi = {10.1/proc}, editor = {E, F}, pages = {500}}\n"
		       "@inbook{late, title = {Late}, crossref = {CONF}}\n"
		       "@book{vol, title = {Volume 2}, booktitle = {The Series Title}}\n"
		       "@incollection{ch, title = {Chapter}, crossref = {vol}}\n", 0);
	assert_int_equal(g->rc, 0);
	assert_int_equal(nrec(g), 5);
	/* the parent's booktitle, when it has one, is the child's */
	assert_string_equal(fld(g, 3, "source_key"), "ch");
	assert_string_equal(fld(g, 3, "journal"), "The Series Title");
	/* the parent comes first: the child waited for it */
	assert_string_equal(fld(g, 0, "source_key"), "conf");
	assert_string_equal(fld(g, 1, "source_key"), "late");
	assert_string_equal(fld(g, 1, "journal"), "Proc. of Things");
	assert_string_equal(fld(g, 4, "source_key"), "child");
	assert_int_equal(lineof(g, 4), 1);
	assert_string_equal(fld(g, 4, "journal"), "Proc. of Things");
	assert_string_equal(fld(g, 4, "year"), "2009");
	assert_string_equal(fld(g, 4, "publisher"), "ACM");
	assert_string_equal(extra(g, 4, "editor"), "E, F");
	/* identifiers and pages of the parent are not the child's */
	assert_string_equal(fld(g, 4, "doi"), "");
	assert_string_equal(fld(g, 4, "pages"), "1-2");
	assert_string_equal(fld(g, 4, "title"), "Paper");
	assert_int_equal(g->nwarn, 0);
	got_free(g);
}

static void test_crossref_cascade_cycle_missing(void **state)
{
	(void)state;
	got *g = parse("@book{r1, crossref = {r2}}\n@book{r2, crossref = {r3}}\n"
		       "@book{r3, publisher = {P3}, ids = {alias3}}\n"
		       "@inbook{viaalias, crossref = {alias3}}\n"
		       "@book{c1, crossref = {c2}, year = 1911}\n@book{c2, crossref = {c1}}\n"
		       "@inbook{m, crossref = {missing1}}\n", 0);
	assert_int_equal(g->rc, 0);
	assert_int_equal(nrec(g), 7);
	for (size_t i = 0; i < nrec(g); i++) {
		const char *k = fld(g, i, "source_key");
		if (!strcmp(k, "r1") || !strcmp(k, "viaalias"))
			assert_string_equal(fld(g, i, "publisher"), "P3");
		if (!strcmp(k, "c2"))
			assert_string_equal(fld(g, i, "year"), "1911");
	}
	int cycle = 0, missing = 0;
	for (int i = 0; i < g->nwarn && i < 8; i++) {
		cycle += strstr(g->warns[i], "loops back") != NULL;
		if (strstr(g->warns[i], "crossref 'missing1' is not in the file")) {
			missing++;
			assert_int_equal(atol(g->warns[i]), 7);
		}
	}
	assert_int_equal(cycle, 2);
	assert_int_equal(missing, 1);
	got_free(g);
}

static void test_unterminated_at_eof(void **state)
{
	(void)state;
	got *g = parse("@article{ok, title = {Fine}}\n"
		       "@article{broken,\n"
		       "  title = {Fine},\n"
		       "  abstract = {never closed\n"
		       "  and on\n", 0);
	assert_int_equal(g->rc, QES_EFORMAT);
	assert_int_equal(g->err.line, 4);
	assert_string_equal(g->err.field, "abstract");
	assert_non_null(strstr(g->err.message, "entry 'broken' (line 2)"));
	assert_non_null(strstr(g->err.message, "never closed"));
	got_free(g);
}

static void test_resync_at_next_entry(void **state)
{
	(void)state;
	const char *text = "@article{a, title = {One}}\n"
			   "@article{b,\n"
			   "  title = {Two\n"
			   "@article{c, title = {Three}}\n";
	got *g = parse(text, 0);
	assert_int_equal(g->rc, QES_EFORMAT);
	assert_int_equal(g->err.line, 3);
	assert_string_equal(g->err.field, "title");
	got_free(g);
	g = parse(text, 1);
	assert_int_equal(g->rc, 0);
	assert_int_equal(nrec(g), 2);
	assert_string_equal(fld(g, 0, "source_key"), "a");
	assert_string_equal(fld(g, 1, "source_key"), "c");
	assert_int_equal(lineof(g, 1), 4);
	assert_int_equal(g->nskip, 1);
	assert_int_equal(g->skips[0].line, 3);
	got_free(g);
}

static void test_depth_limit(void **state)
{
	(void)state;
	char text[1024];
	int n = snprintf(text, sizeof(text), "@article{deep,\n  title = {ok},\n  note = ");
	for (int i = 0; i < QES_MAX_BIBTEX_DEPTH + 1; i++)
		text[n++] = '{';
	for (int i = 0; i < QES_MAX_BIBTEX_DEPTH + 1; i++)
		text[n++] = '}';
	snprintf(text + n, sizeof(text) - (size_t)n, "\n}\n@article{next, title={N}}\n");
	got *g = parse(text, 0);
	assert_int_equal(g->rc, QES_EFORMAT);
	assert_int_equal(g->err.line, 3);
	assert_string_equal(g->err.field, "note");
	assert_non_null(strstr(g->err.message, "nested deeper than 64"));
	got_free(g);
	g = parse(text, 1);
	assert_int_equal(nrec(g), 1);
	assert_string_equal(fld(g, 0, "source_key"), "next");
	got_free(g);
}

static void test_macro_expansion_limit(void **state)
{
	(void)state;
	/* 16 bytes doubled 17 times is 2 MiB: more than a value may hold. */
	char text[4096];
	int n = snprintf(text, sizeof(text), "@string{m0 = {0123456789abcdef}}\n");
	for (int i = 1; i <= 17; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n,
			      "@string{m%d = m%d # m%d}\n", i, i - 1, i - 1);
	snprintf(text + n, sizeof(text) - (size_t)n, "@article{k, title = {T}}\n");
	got *g = parse(text, 0);
	assert_int_equal(g->rc, QES_EFORMAT);
	assert_int_equal(g->err.line, 18);
	assert_string_equal(g->err.field, "m17");
	assert_non_null(strstr(g->err.message, "expands to more than"));
	got_free(g);
	g = parse(text, 1);
	assert_int_equal(nrec(g), 1);
	assert_int_equal(g->nskip, 1);
	got_free(g);
}

/* Each macro within the value limit, but together past
 * QES_MAX_BIBTEX_MACRO_BYTES: the definition that crosses it is refused. */
static void test_macro_total_limit(void **state)
{
	(void)state;
	char text[8192];
	int n = snprintf(text, sizeof(text), "@string{m0 = {0123456789abcdef}}\n");
	for (int i = 1; i <= 16; i++)   /* m16 is 16 << 16 bytes = 1 MiB */
		n += snprintf(text + n, sizeof(text) - (size_t)n,
			      "@string{m%d = m%d # m%d}\n", i, i - 1, i - 1);
	for (int i = 1; i <= 70; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "@string{x%d = m16}\n", i);
	got *g = parse(text, 0);
	assert_int_equal(g->rc, QES_EFORMAT);
	/* m0..m16 hold 16 * (2^17 - 1) bytes; the 63rd MiB crosses 64 MiB */
	assert_string_equal(g->err.field, "x63");
	assert_int_equal(g->err.line, 17 + 63);
	assert_non_null(strstr(g->err.message, "bytes of them"));
	got_free(g);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	got *g = parse("@article{k,\n  title {T}\n}\n", 0);
	assert_int_equal(g->rc, QES_EFORMAT);
	assert_int_equal(g->err.line, 2);
	assert_string_equal(g->err.field, "title");
	assert_non_null(strstr(g->err.message, "expected '=' after field name 'title'"));
	got_free(g);
	g = parse("\n@article\n  key, title = {T}}\n", 0);
	assert_int_equal(g->rc, QES_EFORMAT);
	assert_int_equal(g->err.line, 2);
	assert_non_null(strstr(g->err.message, "'@article' is not followed by '{' or '('"));
	got_free(g);
}

static void test_empty_and_keyless(void **state)
{
	(void)state;
	got *g = parse("", 0);
	assert_int_equal(g->rc, 0);
	assert_int_equal(nrec(g), 0);
	got_free(g);
	g = parse("@article{title = {No key}}\n", 0);
	assert_int_equal(nrec(g), 1);
	assert_string_equal(fld(g, 0, "source_key"), "");
	assert_string_equal(fld(g, 0, "title"), "No key");
	got_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_article_fields),
		cmocka_unit_test(test_parens_and_shared_lines),
		cmocka_unit_test(test_values_and_macros),
		cmocka_unit_test(test_undefined_and_cyclic_macros),
		cmocka_unit_test(test_comments_preamble_outside_text),
		cmocka_unit_test(test_comma_styles),
		cmocka_unit_test(test_field_names),
		cmocka_unit_test(test_latex),
		cmocka_unit_test(test_authors),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_crossref),
		cmocka_unit_test(test_crossref_cascade_cycle_missing),
		cmocka_unit_test(test_unterminated_at_eof),
		cmocka_unit_test(test_resync_at_next_entry),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_macro_expansion_limit),
		cmocka_unit_test(test_macro_total_limit),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_empty_and_keyless),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
