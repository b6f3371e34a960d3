/* test_reader.c: the decoded line reader: every line ending, BOMs, encodings,
 * chunk boundaries, and the errors for binary data and overlong lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "qes/limits.h"

/* Reads all lines of data into a "|"-joined string. */
static char *lines_of(const void *data, size_t len, const char *enc, int *rc_out)
{
	qes_reader *r;
	qes_error err;
	qes_error_clear(&err);
	assert_int_equal(qes__reader_open_mem(&r, "t", data, len, enc, &err), 0);
	size_t cap = len * 4 + 64, used = 0;
	char *out = calloc(1, cap);
	char *line;
	size_t n;
	int rc;
	while ((rc = qes__reader_getline(r, &line, &n, &err)) == 1) {
		assert_int_equal(strlen(line), n);
		if (used + n + 2 > cap) {
			cap = (used + n + 2) * 2;
			out = realloc(out, cap);
		}
		memcpy(out + used, line, n);
		used += n;
		out[used++] = '|';
		out[used] = '\0';
	}
	*rc_out = rc;
	qes__reader_free(r);
	return out;
}

static void check(const char *in, const char *want)
{
	int rc;
	char *got = lines_of(in, strlen(in), NULL, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(got, want);
	free(got);
}

static void test_line_endings(void **state)
{
	(void)state;
	check("a\nb\n", "a|b|");
	check("a\r\nb\r\n", "a|b|");
	check("a\rb\r", "a|b|");
	check("a\r\nb\rc\nd", "a|b|c|d|");
	check("a\n\nb", "a||b|");
	check("a\r\n\r\nb", "a||b|");
	check("a\r\r\nb", "a||b|");
	check("", "");
	check("\n", "|");
	check("no newline", "no newline|");
}

static void test_bom(void **state)
{
	(void)state;
	check("\xEF\xBB\xBFTY  - JOUR\n", "TY  - JOUR|");
	/* A BOM-like sequence after the start is text, not a BOM. */
	check("x\xEF\xBB\xBF\n", "x\xEF\xBB\xBF|");
}

static void test_utf16(void **state)
{
	(void)state;
	/* "Aé\r\nB" in UTF-16LE with BOM. */
	const unsigned char le[] = { 0xFF, 0xFE, 'A', 0, 0xE9, 0, '\r', 0, '\n', 0, 'B', 0 };
	int rc;
	char *got = lines_of(le, sizeof(le), "UTF-16", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "A\xC3\xA9|B|");
	free(got);
}

static void test_latin1(void **state)
{
	(void)state;
	int rc;
	char *got = lines_of("caf\xE9\n\x93quoted\x94\n", 14, "WINDOWS-1252", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "caf\xC3\xA9|\xE2\x80\x9Cquoted\xE2\x80\x9D|");
	free(got);
}

/* A CRLF split across the reader's 1 MiB chunks must still be one line end. */
static void test_crlf_across_chunks(void **state)
{
	(void)state;
	size_t chunk = 1u << 20;
	size_t len = chunk + 10;
	char *buf = malloc(len);
	memset(buf, 'x', len);
	buf[chunk - 1] = '\r';
	buf[chunk] = '\n';
	buf[len - 1] = '\n';
	qes_reader *r;
	qes_error err;
	qes_error_clear(&err);
	assert_int_equal(qes__reader_open_mem(&r, "t", buf, len, NULL, &err), 0);
	char *line;
	size_t n;
	assert_int_equal(qes__reader_getline(r, &line, &n, &err), 1);
	assert_int_equal(n, chunk - 1);
	assert_int_equal(qes__reader_getline(r, &line, &n, &err), 1);
	assert_int_equal(n, 8);
	assert_int_equal(qes__reader_lineno(r), 2);
	assert_int_equal(qes__reader_getline(r, &line, &n, &err), 0);
	qes__reader_free(r);
	free(buf);
}

static void test_nul_is_binary(void **state)
{
	(void)state;
	qes_reader *r;
	qes_error err;
	qes_error_clear(&err);
	const char data[] = "ok\nbad\0line\n";
	assert_int_equal(qes__reader_open_mem(&r, "f.ris", data, sizeof(data) - 1, NULL, &err), 0);
	char *line;
	size_t n;
	assert_int_equal(qes__reader_getline(r, &line, &n, &err), 1);
	assert_int_equal(qes__reader_getline(r, &line, &n, &err), QES_EFORMAT);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.file, "f.ris");
	assert_non_null(strstr(err.message, "binary"));
	qes__reader_free(r);
}

static void test_overlong_line(void **state)
{
	(void)state;
	size_t len = QES_MAX_LINE + 100;
	char *buf = malloc(len);
	memset(buf, 'a', len);
	qes_reader *r;
	qes_error err;
	qes_error_clear(&err);
	assert_int_equal(qes__reader_open_mem(&r, "big", buf, len, NULL, &err), 0);
	char *line;
	size_t n;
	assert_int_equal(qes__reader_getline(r, &line, &n, &err), QES_ELIMIT);
	assert_int_equal(err.line, 1);
	qes__reader_free(r);
	free(buf);
}

static void test_invalid_in_encoding(void **state)
{
	(void)state;
	qes_reader *r;
	qes_error err;
	qes_error_clear(&err);
	/* 0x81 is undefined in Windows-1252. */
	assert_int_equal(qes__reader_open_mem(&r, "x", "a\nb\x81\n", 5, "WINDOWS-1252", &err), 0);
	char *line;
	size_t n;
	int rc;
	while ((rc = qes__reader_getline(r, &line, &n, &err)) == 1)
		;
	assert_int_equal(rc, QES_EFORMAT);
	assert_non_null(strstr(err.message, "--encoding"));
	qes__reader_free(r);
	assert_int_equal(qes__reader_open_mem(&r, "x", "", 0, "NO-SUCH-ENCODING", &err), QES_EINVAL);
}

static void test_read_bytes(void **state)
{
	(void)state;
	qes_reader *r;
	qes_error err;
	qes_error_clear(&err);
	const char data[] = "\xEF\xBB\xBF<xml>\r\n</xml>";
	assert_int_equal(qes__reader_open_mem(&r, "x", data, sizeof(data) - 1, NULL, &err), 0);
	char buf[64];
	long got = 0, n;
	while ((n = qes__reader_read(r, buf + got, sizeof(buf) - (size_t)got - 1, &err)) > 0)
		got += n;
	assert_int_equal(n, 0);
	buf[got] = '\0';
	assert_string_equal(buf, "<xml>\r\n</xml>");
	qes__reader_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_endings),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_latin1),
		cmocka_unit_test(test_crlf_across_chunks),
		cmocka_unit_test(test_nul_is_binary),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_invalid_in_encoding),
		cmocka_unit_test(test_read_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
