/* test_sniff.c: telling format, encoding and line endings from content. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "qes/import.h"

static void sniff(const char *data, size_t len, qes_sniff *sn)
{
	qes_error err;
	qes_error_clear(&err);
	assert_int_equal(qes_sniff_mem(data, len, sn, &err), 0);
}

static const char *fmt(const char *text)
{
	return qes_detect_format(text, strlen(text));
}

static void test_formats(void **state)
{
	(void)state;
	assert_string_equal(fmt("TY  - JOUR\nTI  - x\nER  - \n"), "ris");
	assert_string_equal(fmt("\n\nTY  - JOUR\r\nER  -\r\n"), "ris");
	assert_string_equal(fmt("PMID- 123\nOWN - NLM\nTI  - x\n      y\n"), "medline");
	assert_string_equal(fmt("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, J\nER\nEF\n"), "wos");
	assert_string_equal(fmt("% comment\n@article{key,\n title={x}}\n"), "bibtex");
	assert_string_equal(fmt("@String{j = \"J\"}\n@Book(k, title=\"x\")\n"), "bibtex");
	assert_string_equal(fmt("<?xml version=\"1.0\"?><xml><records><record></record></records></xml>"), "endnote-xml");
	assert_string_equal(fmt("title,abstract,year\nx,y,2000\n"), "csv");
	assert_string_equal(fmt("Title\tAuthors\nx\ty\n"), "csv");
	assert_string_equal(fmt("Title;Authors\nx;y\n"), "csv");
	assert_null(fmt(""));
	assert_null(fmt("\n \n"));
}

static void test_encodings(void **state)
{
	(void)state;
	qes_sniff sn;
	sniff("TY  - JOUR\nTI  - caf\xC3\xA9\nER  - \n", 30, &sn);
	assert_string_equal(sn.encoding, "UTF-8");
	assert_int_equal(sn.bom, 0);
	assert_int_equal(sn.encoding_guessed, 0);
	assert_string_equal(sn.format, "ris");

	sniff("\xEF\xBB\xBFTY  - JOUR\n", 14, &sn);
	assert_string_equal(sn.encoding, "UTF-8");
	assert_int_equal(sn.bom, 1);
	assert_string_equal(sn.format, "ris");

	const char le[] = "\xFF\xFET\0Y\0 \0 \0-\0 \0J\0\n\0";
	sniff(le, sizeof(le) - 1, &sn);
	assert_string_equal(sn.encoding, "UTF-16LE");
	assert_string_equal(sn.format, "ris");

	/* Accented letters between ASCII ones: Western 8-bit text. */
	const char w[] = "title,abstract\nCaf\xE9 and \x93quotes\x94 in na\xEFve text,x\n";
	sniff(w, sizeof(w) - 1, &sn);
	assert_string_equal(sn.encoding, "WINDOWS-1252");
	assert_int_equal(sn.encoding_guessed, 1);

	/* 0x81 is undefined in Windows-1252 and isolated: ISO-8859-1. */
	const char l1[] = "title\nx\x81y z\xE9w\n";
	sniff(l1, sizeof(l1) - 1, &sn);
	assert_string_equal(sn.encoding, "ISO-8859-1");

	/* High bytes in pairs: a double-byte Chinese encoding. "中文" in GBK. */
	const char gbk[] = "@article{k,\n title = {\xD6\xD0\xCE\xC4\xB2\xE2\xCA\xD4}\n}\n";
	sniff(gbk, sizeof(gbk) - 1, &sn);
	assert_string_equal(sn.encoding, "GB18030");
	assert_string_equal(sn.format, "bibtex");
}

static void test_eol_and_hash(void **state)
{
	(void)state;
	qes_sniff sn;
	sniff("a\nb\n", 4, &sn);
	assert_string_equal(sn.eol, "LF");
	sniff("a\r\nb\r\n", 6, &sn);
	assert_string_equal(sn.eol, "CRLF");
	sniff("a\rb\r", 4, &sn);
	assert_string_equal(sn.eol, "CR");
	sniff("a\r\nb\n", 5, &sn);
	assert_string_equal(sn.eol, "mixed");
	sniff("", 0, &sn);
	assert_string_equal(sn.eol, "none");
	/* SHA-256 of the empty string. */
	assert_string_equal(sn.sha256,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(sn.bytes, 0);
	assert_string_equal(sn.format, "");
}

static void test_binary(void **state)
{
	(void)state;
	qes_sniff sn;
	qes_error err;
	qes_error_clear(&err);
	const char zip[] = "PK\x03\x04\x14\0\0\0\x08\0";
	assert_int_equal(qes_sniff_mem(zip, sizeof(zip) - 1, &sn, &err), QES_EFORMAT);
	assert_non_null(strstr(err.message, "binary"));
}

static void test_format_names(void **state)
{
	(void)state;
	const char *c;
	assert_true(qes_format_lookup("nbib", &c));
	assert_string_equal(c, "medline");
	assert_true(qes_format_lookup("TSV", &c));
	assert_string_equal(c, "csv");
	assert_true(qes_format_lookup("ciw", &c));
	assert_string_equal(c, "wos");
	assert_false(qes_format_lookup("docx", &c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_eol_and_hash),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_format_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
