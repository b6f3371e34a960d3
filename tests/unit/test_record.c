/* test_record.c: the common normalisation every imported record goes
 * through, and that it is idempotent (export then re-import changes nothing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "parser.h"

static qes_arena arena;

static char *s(const char *v)
{
	return qes__arena_strdup(&arena, v);
}

static qes_record norm(qes_record r)
{
	assert_int_equal(qes__record_normalise(&r, &arena), 0);
	return r;
}

static void test_whitespace(void **state)
{
	(void)state;
	qes_record r;
	qes__record_init(&r);
	r.title = s("  Mothers'\n  experiences\tof \xC2\xA0support  ");
	r.abstract = s("\n\n");
	r.journal = s("Child\xE2\x80\x83" "Abuse\x01 Negl");
	r = norm(r);
	assert_string_equal(r.title, "Mothers' experiences of support");
	assert_null(r.abstract);
	assert_string_equal(r.journal, "Child Abuse Negl");
	assert_string_equal(r.type, QES_TYPE_OTHER);
}

static void test_doi(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "10.1111/CFS.12345", "10.1111/cfs.12345" },
		{ "https://doi.org/10.1002/ABC.1", "10.1002/abc.1" },
		{ "http://dx.doi.org/10.1002/abc.1.", "10.1002/abc.1" },
		{ "doi:10.1186/s12888-021-03040-0", "10.1186/s12888-021-03040-0" },
		{ "DOI 10.1037/a0012345 [doi]", "10.1037/a0012345" },
		{ "10.1000/x; 10.1000/y", "10.1000/x" },
		{ "N/A", NULL },
		{ "10.1000", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		qes_record r;
		qes__record_init(&r);
		r.doi = s(cases[i][0]);
		r = norm(r);
		if (cases[i][1])
			assert_string_equal(r.doi, cases[i][1]);
		else
			assert_null(r.doi);
	}
}

static void test_pages_year_pmid(void **state)
{
	(void)state;
	qes_record r;
	qes__record_init(&r);
	r.pages = s("123 - 130");
	r.date = s("2021 Mar 4");
	r.pmid = s("PMID: 34567890 [Indexed for MEDLINE]");
	r = norm(r);
	assert_string_equal(r.pages, "123-130");
	assert_int_equal(r.year, 2021);
	assert_string_equal(r.pmid, "34567890");

	qes__record_init(&r);
	r.pages = s("e1234\xE2\x80\x93" "e1240");
	r.year = 20211;
	r.date = s("c1999");
	r = norm(r);
	assert_string_equal(r.pages, "e1234-e1240");
	assert_int_equal(r.year, 1999);

	qes__record_init(&r);
	r.pages = s("45--67");
	r.pmid = s("none");
	r = norm(r);
	assert_string_equal(r.pages, "45-67");
	assert_null(r.pmid);
}

static void test_lists(void **state)
{
	(void)state;
	qes_record r;
	qes__record_init(&r);
	qes__strlist_push(&r.authors, &arena, s(" Smith,  J. "));
	qes__strlist_push(&r.authors, &arena, s("  "));
	qes__strlist_push(&r.authors, &arena, s("Jones, K"));
	r = norm(r);
	assert_int_equal(r.authors.n, 2);
	assert_string_equal(r.authors.items[0], "Smith, J.");
	assert_string_equal(r.authors.items[1], "Jones, K");
}

static void test_idempotent(void **state)
{
	(void)state;
	qes_record r;
	qes__record_init(&r);
	r.title = s(" A  title ");
	r.doi = s("https://doi.org/10.1/X");
	r.pages = s("1 -2");
	r = norm(r);
	qes_record again = norm(r);
	assert_string_equal(again.title, "A title");
	assert_string_equal(again.doi, "10.1/x");
	assert_string_equal(again.pages, "1-2");
}

static void test_year_from(void **state)
{
	(void)state;
	assert_int_equal(qes__year_from("2019/05/01/"), 2019);
	assert_int_equal(qes__year_from("Spring 2003"), 2003);
	assert_int_equal(qes__year_from("12345"), 0);
	assert_int_equal(qes__year_from("vol 3000"), 0);
	assert_int_equal(qes__year_from(NULL), 0);
}

static void test_extra(void **state)
{
	(void)state;
	qes_record r;
	qes__record_init(&r);
	qes__strlist_push(&r.extra, &arena, s("label_included"));
	qes__strlist_push(&r.extra, &arena, s("1"));
	assert_string_equal(qes_record_extra(&r, "LABEL_INCLUDED"), "1");
	assert_null(qes_record_extra(&r, "dup_group"));
}

static int setup(void **state)
{
	(void)state;
	qes__arena_init(&arena, 4096);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	qes__arena_free(&arena);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whitespace),
		cmocka_unit_test(test_doi),
		cmocka_unit_test(test_pages_year_pmid),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_year_from),
		cmocka_unit_test(test_extra),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
