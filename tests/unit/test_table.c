/* test_table.c: the table model (qes/table.h): CSV read (quotes, doubled
 * quotes, line breaks in fields, BOM, an unclosed quote) and written back,
 * empty columns dropped and named, HTML read into a document (headings,
 * paragraphs, captions, header rows, row headers, colspan, cell lines,
 * noexport marks, figures), and the Word and spreadsheet writers: the
 * files they write are zips holding the expected parts, and a write into
 * a missing folder fails with nothing left behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "qes/table.h"

static const char *cell(const qes_table *t, size_t r, size_t c)
{
	return r < t->n_rows && c < t->rows[r].n ? t->rows[r].cells[c].text : "(none)";
}

static void test_csv_read(void **state)
{
	(void)state;
	static const char csv[] = "\xEF\xBB\xBFstudy,note,n\r\n"
				  "\"Bennett, 2020\",\"said \"\"no\"\"\nthen yes\",12\n"
				  "Okafor 2022,,3";
	qes_table *t = NULL;
	qes_error err;
	qes_error_clear(&err);
	assert_int_equal(qes_table_from_csv(csv, sizeof(csv) - 1, &t, &err), 0);
	assert_int_equal(t->n_rows, 3);
	assert_true(t->rows[0].header);
	assert_false(t->rows[1].header);
	assert_string_equal(cell(t, 0, 0), "study");
	assert_string_equal(cell(t, 1, 0), "Bennett, 2020");
	assert_string_equal(cell(t, 1, 1), "said \"no\"\nthen yes");
	assert_string_equal(cell(t, 2, 1), "");
	assert_string_equal(cell(t, 2, 2), "3");
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(qes_table_csv(t, &out, &len, &err), 0);
	assert_string_equal(out, "study,note,n\n\"Bennett, 2020\",\"said \"\"no\"\"\nthen yes\",12\n"
				 "Okafor 2022,,3\n");
	free(out);
	qes_table_free(t);

	t = NULL;
	assert_int_equal(qes_table_from_csv("a,\"b\n", 6, &t, &err), QES_EFORMAT);
	assert_int_equal(err.line, 1);
	assert_null(t);
}

static void test_drop_empty(void **state)
{
	(void)state;
	qes_table *t = NULL;
	qes_error err;
	qes_error_clear(&err);
	static const char csv[] = "Study,Aim,Country,Notes\nA,,UK,\nB,,Wales,\n";
	assert_int_equal(qes_table_from_csv(csv, sizeof(csv) - 1, &t, &err), 0);
	char *dropped = NULL;
	assert_int_equal(qes_table_drop_empty_columns(t, &dropped, &err), 0);
	assert_string_equal(dropped, "Aim, Notes");
	assert_int_equal(qes_table_width(t), 2);
	assert_string_equal(cell(t, 0, 1), "Country");
	assert_string_equal(cell(t, 2, 1), "Wales");
	free(dropped);
	/* Nothing more to drop: NULL. */
	qes_table *blank = NULL;
	assert_int_equal(qes_table_from_csv(",,x\n1,,\n", 9, &blank, &err), 0);
	assert_int_equal(qes_table_drop_empty_columns(blank, &dropped, &err), 0);
	assert_string_equal(dropped, "column 2, x");
	assert_int_equal(qes_table_width(blank), 1);
	free(dropped);
	qes_table_free(blank);
	assert_int_equal(qes_table_drop_empty_columns(t, &dropped, &err), 0);
	assert_null(dropped);
	qes_table_free(t);
}

static void test_html_read(void **state)
{
	(void)state;
	static const char html[] =
		"<!doctype html><html><head><title>Report</title><style>p{}</style></head><body>"
		"<h1>Review</h1><p class=\"lead\">Text <b>bold</b> &amp; more"
		"<span class=\"mark noexport\">[edited]</span></p>"
		"<figure><svg><text>box</text></svg><figcaption>Figure 1.</figcaption></figure>"
		"<h2>Studies</h2><table class=\"x\"><caption>Table 2.</caption>"
		"<thead><tr><th>Study</th><th title=\"Was it clear?\">Clear</th><th>C</th></tr></thead>"
		"<tbody><tr><th scope=\"row\">A 2020</th><td colspan=\"2\">x<br>y</td></tr>"
		"<tr><td>B</td><td><p class=\"q\">one</p><p class=\"q\">two</p></td><td>3</td></tr>"
		"</tbody></table><dl class=\"key\"><dt>Clear</dt><dd>Was it clear?</dd></dl></body></html>";
	qes_doc *d = NULL;
	qes_error err;
	qes_error_clear(&err);
	assert_int_equal(qes_doc_from_html(html, sizeof(html) - 1, &d, &err), 0);
	assert_string_equal(d->title, "Report");
	assert_int_equal(d->n, 6);
	assert_int_equal(d->blocks[0].kind, QES_BLOCK_HEADING);
	assert_int_equal(d->blocks[0].level, 1);
	assert_string_equal(d->blocks[1].text, "Text bold & more");
	assert_string_equal(d->blocks[2].text, "Figure 1.");
	assert_int_equal(d->blocks[3].level, 2);
	assert_int_equal(d->blocks[4].kind, QES_BLOCK_TABLE);
	assert_string_equal(d->blocks[5].text, "Clear: Was it clear?");
	const qes_table *t = d->blocks[4].table;
	assert_string_equal(t->caption, "Table 2.");
	assert_int_equal(t->n_rows, 3);
	assert_true(t->rows[0].header);
	assert_false(t->rows[1].header);   /* a row header leaves it a body row */
	assert_string_equal(t->rows[0].cells[1].title, "Was it clear?");
	assert_int_equal(t->rows[1].n, 3);  /* colspan 2: the text, then an empty cell */
	assert_string_equal(cell(t, 1, 1), "x\ny");
	assert_string_equal(cell(t, 1, 2), "");
	assert_string_equal(cell(t, 2, 1), "one\ntwo");
	assert_string_equal(t->rows[2].cells[1].cls ? t->rows[2].cells[1].cls : "", "");
	assert_int_equal(qes_doc_tables(d), 1);

	char *out = NULL;
	size_t len;
	assert_int_equal(qes_table_html(t, "t", &out, &len, &err), 0);
	assert_non_null(strstr(out, "<th scope=\"col\" title=\"Was it clear?\">Clear</th>"));
	assert_non_null(strstr(out, "<td>x<br>y</td>"));
	assert_non_null(strstr(out, "</thead>\n<tbody>\n"));
	free(out);
	qes_doc_free(d);
}

static int zip_has(const char *path, const char *entry, const char *needle)
{
	int ze = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &ze);
	if (!z)
		return 0;
	zip_stat_t zs;
	int found = 0;
	if (!zip_stat(z, entry, 0, &zs)) {
		zip_file_t *f = zip_fopen(z, entry, 0);
		char *buf = calloc(1, zs.size + 1);
		if (f && buf && zip_fread(f, buf, zs.size) == (zip_int64_t)zs.size)
			found = !needle || strstr(buf, needle) != NULL;
		free(buf);
		if (f)
			zip_fclose(f);
	}
	zip_close(z);
	return found;
}

static void test_office_writers(void **state)
{
	(void)state;
	char dir[] = "/tmp/qes-test-table-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char docx[128], xlsx[128], bad[160];
	snprintf(docx, sizeof(docx), "%s/t.docx", dir);
	snprintf(xlsx, sizeof(xlsx), "%s/t.xlsx", dir);
	snprintf(bad, sizeof(bad), "%s/missing/t.xlsx", dir);
	static const char csv[] = "Study,n,id\nA & B <x>,12,0012\nC,3.5,7\n";
	qes_error err;
	qes_error_clear(&err);
	assert_int_equal(qes_table_export(csv, sizeof(csv) - 1, 0, "Studies: [all]", docx, &err), 0);
	assert_true(zip_has(docx, "[Content_Types].xml", "wordprocessingml.document.main+xml"));
	assert_true(zip_has(docx, "_rels/.rels", "word/document.xml"));
	assert_true(zip_has(docx, "word/styles.xml", "Heading1"));
	assert_true(zip_has(docx, "word/document.xml", "<w:tblHeader/>"));
	assert_true(zip_has(docx, "word/document.xml", "A &amp; B &lt;x&gt;"));

	assert_int_equal(qes_table_export(csv, sizeof(csv) - 1, 0, "Studies: [all]", xlsx, &err), 0);
	assert_true(zip_has(xlsx, "xl/workbook.xml", "name=\"Studies   all \"") ||
		    zip_has(xlsx, "xl/workbook.xml", "name=\"Studies   all\""));
	assert_true(zip_has(xlsx, "xl/worksheets/sheet1.xml", "<v>12</v>"));
	assert_true(zip_has(xlsx, "xl/worksheets/sheet1.xml", "<v>3.5</v>"));
	/* 0012 is an identifier: text, not the number 12. */
	assert_true(zip_has(xlsx, "xl/sharedStrings.xml", "0012"));

	assert_int_equal(qes_table_export(csv, sizeof(csv) - 1, 0, NULL, bad, &err), QES_EIO);
	/* Nothing but the two files in the folder: no temporary left. */
	DIR *dp = opendir(dir);
	int files = 0;
	for (struct dirent *e; dp && (e = readdir(dp));)
		files += e->d_name[0] != '.';
	closedir(dp);
	assert_int_equal(files, 2);

	/* A document without a table makes no spreadsheet. */
	qes_doc *d = qes_doc_new("x");
	assert_int_equal(qes_doc_para(d, "only text", &err), 0);
	assert_int_equal(qes_xlsx_write(d, xlsx, &err), QES_EINVAL);
	qes_doc_free(d);
	unlink(docx);
	unlink(xlsx);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_read),
		cmocka_unit_test(test_drop_empty),
		cmocka_unit_test(test_html_read),
		cmocka_unit_test(test_office_writers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
