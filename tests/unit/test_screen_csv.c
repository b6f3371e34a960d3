/* test_screen_csv.c: the strict decisions CSV reader: quoting, BOM, CRLF,
 * columns in any order, and errors that name the line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "screen_internal.h"

typedef struct rows {
	int n;
	long line[8];
	char f[8][5][64];
} rows;

static int on_row(void *ud, long line, const char *const f[5])
{
	rows *r = ud;
	if (r->n < 8) {
		r->line[r->n] = line;
		for (int i = 0; i < 5; i++)
			snprintf(r->f[r->n][i], sizeof(r->f[0][0]), "%s", f[i]);
	}
	r->n++;
	return 0;
}

static int parse(const char *text, rows *r, qes_error *err)
{
	memset(r, 0, sizeof(*r));
	qes_error_clear(err);
	FILE *fp = fmemopen((void *)text, strlen(text), "rb");
	int rc = qes__decisions_csv(fp, "d.csv", on_row, r, err);
	fclose(fp);
	return rc;
}

static void test_quoting_bom_crlf_order(void **state)
{
	(void)state;
	rows r;
	qes_error err;
	const char *text =
		"\xef\xbb\xbf" "reason,decision,stage,reviewer,source_key\r\n"
		"\"Wrong population, adults\",exclude,ta,AB,1:12\r\n"
		"\r\n"
		"\"said \"\"maybe\"\"\nover two lines\",unsure,ft,CD,#7\r\n"
		",include,ta,AB,k3";
	assert_int_equal(parse(text, &r, &err), 0);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.f[0][0], "1:12");
	assert_string_equal(r.f[0][1], "AB");
	assert_string_equal(r.f[0][3], "exclude");
	assert_string_equal(r.f[0][4], "Wrong population, adults");
	assert_int_equal(r.line[1], 4);
	assert_string_equal(r.f[1][4], "said \"maybe\"\nover two lines");
	assert_int_equal(r.line[2], 6);   /* the quoted newline counts */
	assert_string_equal(r.f[2][0], "k3");
	assert_string_equal(r.f[2][4], "");
}

static void test_errors_name_the_line(void **state)
{
	(void)state;
	rows r;
	qes_error err;
	assert_int_equal(parse("source_key,reviewer,stage,decision\n1,AB,ta,include\n", &r, &err),
			 QES_EFORMAT);
	assert_int_equal(err.line, 1);
	assert_int_equal(parse("source_key,reviewer,stage,decision,why\n", &r, &err), QES_EFORMAT);
	assert_string_equal(err.field, "reason");
	assert_int_equal(parse("source_key,reviewer,stage,decision,reason\n1,AB,ta,include,\n"
			       "2,AB,ta,include\n", &r, &err), QES_EFORMAT);
	assert_int_equal(err.line, 3);
	assert_int_equal(r.n, 1);
	assert_int_equal(parse("source_key,reviewer,stage,decision,reason\n1,AB,ta,include,\n"
			       "2,AB,ta,\"include,\n", &r, &err), QES_EFORMAT);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.message, "never closed"));
	assert_int_equal(parse("source_key,reviewer,stage,decision,reason\n1,A\"B,ta,include,\n",
			       &r, &err), QES_EFORMAT);
	assert_int_equal(parse("source_key,reviewer,stage,decision,reason\n\"1\"x,AB,ta,include,\n",
			       &r, &err), QES_EFORMAT);
	assert_int_equal(parse("", &r, &err), QES_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting_bom_crlf_order),
		cmocka_unit_test(test_errors_name_the_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
