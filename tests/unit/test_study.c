/* test_study.c: studies and reports, value validation (every field type,
 * countries and aliases), the CSV reader, atomic CSV import, the summary and
 * the contradiction check, and the HTML table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "study_internal.h"
#include "qes/screen.h"
#include "qes/study.h"


static int setup(void **state)
{
	fixture *f = fixture_new("study");
	assert_int_equal(qes_store_exec(f->st,
		"INSERT INTO sources(name) VALUES ('Hand');"
		"INSERT INTO imports(source_id, file_name, file_sha256, file_bytes, format, encoding)"
		" VALUES (1,'a.ris','aa',10,'ris','UTF-8');"
		"INSERT INTO records(import_id, source_key, ordinal, line, type, title, authors, year, raw)"
		" VALUES (1,'A1',1,1,'article','One','Okafor, N\nLee, S',2019,'x'),"
		"        (1,'A2',2,5,'article','Two','Moreau, C',2021,'x'),"
		"        (1,'A3',3,9,'article','Three',NULL,NULL,'x'),"
		"        (1,'A1b',4,13,'article','One again','Okafor, N',2022,'x');", &f->err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

static void add_all(fixture *f)
{
	assert_int_equal(qes_study_add(f->st, "A1", &f->err), 0);
	assert_int_equal(qes_study_add(f->st, "A2", &f->err), 0);
	assert_int_equal(qes_study_add(f->st, "A3", &f->err), 0);
	assert_int_equal(qes_study_link(f->st, "A1", "A1b", &f->err), 0);
}

static void studies_and_reports(void **state)
{
	fixture *f = *state;
	add_all(f);
	assert_int_equal(qes_study_add(f->st, "A1", &f->err), QES_EEXIST);
	assert_int_equal(qes_study_add(f->st, "A1b", &f->err), QES_EEXIST);
	assert_non_null(strstr(f->err.message, "study 'A1'"));
	assert_int_equal(qes_study_add(f->st, "ZZ", &f->err), QES_ENOTFOUND);
	assert_int_equal(qes_study_link(f->st, "ZZ", "A2", &f->err), QES_ENOTFOUND);
	json_t *l = qes_study_list_json(f->st, &f->err);
	assert_non_null(l);
	assert_int_equal(json_array_size(l), 3);
	json_t *a1 = json_array_get(l, 0);
	assert_string_equal(json_string_value(json_object_get(a1, "label")), "Okafor 2019");
	assert_int_equal(json_array_size(json_object_get(a1, "reports")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(a1, "reports"), 1)), "A1b");
	/* No author, no year: the key is the label. */
	assert_string_equal(json_string_value(json_object_get(json_array_get(l, 2), "label")), "A3");
	json_decref(l);
}

/* A record included at full text is a study as soon as anyone looks it up
 * by key, before any listing has brought the studies up to date. */
static void found_after_inclusion(void **state)
{
	fixture *f = *state;
	long long id = 0;
	assert_int_equal(qes_study_find(f->st, "A2", &id, &f->err), QES_ENOTFOUND);
	assert_non_null(strstr(f->err.message, "no study 'A2'"));
	assert_int_equal(qes_reviewer_add(f->st, "AB", "Ann", NULL, &f->err), 0);
	qes_decide_opts o = { NULL, NULL };
	assert_int_equal(qes_screen_decide(f->st, "AB", QES_STAGE_TA, 2, QES_DEC_INCLUDE, &o, &f->err), 0);
	assert_int_equal(qes_study_find(f->st, "A2", &id, &f->err), QES_ENOTFOUND);
	/* Its full text, as qes fulltext attach stores it (the PDF itself does
	 * not matter here). */
	assert_int_equal(qes_store_exec(f->st, "INSERT INTO fulltexts(record_id, status, file_name,"
					" sha256, bytes, pages, pdf, text) VALUES (2, 'attached', 'a2.pdf', 'x',"
					" 1, 1, x'25', 'Two')", &f->err), 0);
	assert_int_equal(qes_screen_decide(f->st, "AB", QES_STAGE_FT, 2, QES_DEC_INCLUDE, &o, &f->err), 0);
	assert_int_equal(qes_study_find(f->st, "A2", &id, &f->err), 0);
	assert_true(id > 0);
	assert_int_equal(qes_study_find(f->st, "A3", &id, &f->err), QES_ENOTFOUND);
}

static void expect_norm(fixture *f, const char *field, const char *in, const char *want)
{
	char *norm = NULL;
	int rc = qes_extract_validate(f->st, field, in, &norm, &f->err);
	if (rc)
		fail_msg("%s = '%s': %s", field, in, f->err.message);
	assert_string_equal(norm, want);
	free(norm);
}

static void expect_bad(fixture *f, const char *field, const char *in)
{
	char *norm = NULL;
	assert_int_equal(qes_extract_validate(f->st, field, in, &norm, &f->err), QES_EFORMAT);
	assert_null(norm);
	assert_non_null(strstr(f->err.message, field));
}

static void validation(void **state)
{
	fixture *f = *state;
	assert_int_equal(qes_extract_field_add(f->st, "sites", "number", NULL, "Sites", &f->err), 0);
	assert_int_equal(qes_extract_field_add(f->st, "sites", "number", NULL, NULL, &f->err), QES_EEXIST);
	assert_int_equal(qes_extract_field_add(f->st, "Bad Name", "text", NULL, NULL, &f->err), QES_EINVAL);
	assert_int_equal(qes_extract_field_add(f->st, "mode", "multi", "", NULL, &f->err), QES_EINVAL);
	expect_norm(f, "sites", " 3.5 ", "3.5");
	expect_bad(f, "sites", "3 sites");
	expect_bad(f, "sites", "nan");
	expect_norm(f, "participants.parents", "012", "12");
	expect_norm(f, "participants.carers", "0", "0");
	expect_bad(f, "participants.parents", "1.5");
	expect_bad(f, "participants.parents", "-1");
	expect_bad(f, "participants.parents", "99999999999999999999999");
	expect_bad(f, "participants", "3");
	expect_bad(f, "participants.Bad Group", "3");
	expect_bad(f, "design.x", "qualitative");
	expect_norm(f, "design", "Mixed-Methods", "mixed-methods");
	expect_bad(f, "design", "mixed");
	expect_norm(f, "data_collection", "Interviews;focus-groups ; ", "interviews; focus-groups");
	expect_bad(f, "data_collection", "interviews; diaries");
	expect_norm(f, "demographics", "Y", "yes");
	expect_norm(f, "demographics", "false", "no");
	expect_bad(f, "demographics", "sometimes");
	expect_norm(f, "country", "england", "England");
	expect_norm(f, "country", "UK; Northern Ireland", "United Kingdom; Northern Ireland");
	expect_norm(f, "country", "usa", "United States");
	expect_norm(f, "country", "Viet Nam", "Viet Nam");
	expect_norm(f, "country", "Côte d'Ivoire", "Côte d'Ivoire");
	expect_bad(f, "country", "Narnia");
	expect_norm(f, "aim", "  free text, kept  ", "free text, kept");
	expect_bad(f, "nosuchfield", "x");
	assert_null(qes_country_canonical("Wessex"));
	assert_string_equal(qes_country_canonical("Great Britain"), "United Kingdom");
}

typedef struct rows {
	int n;
	char got[8][4][32];
	int nf[8];
	long line[8];
} rows;

static int collect_row(void *ud, long line, char **fields, int nfields, qes_error *err)
{
	(void)err;
	rows *r = ud;
	if (r->n >= 8)
		return QES_ELIMIT;
	r->nf[r->n] = nfields;
	r->line[r->n] = line;
	for (int i = 0; i < nfields && i < 4; i++)
		snprintf(r->got[r->n][i], 32, "%s", fields[i]);
	r->n++;
	return 0;
}

static void csv_reader(void **state)
{
	(void)state;
	qes_error err;
	rows r = { 0 };
	const char *csv = "\xEF\xBB\xBFstudy,field,value\r\nA1,notes,\"a, \"\"quoted\"\"\nvalue\"\r\n"
			  "A2,,\n\nA3,x,last";
	assert_int_equal(qes__csv_parse("t.csv", csv, strlen(csv), collect_row, &r, &err), 0);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.got[0][0], "study");
	assert_string_equal(r.got[1][2], "a, \"quoted\"\nvalue");
	assert_int_equal(r.line[2], 4);
	assert_int_equal(r.nf[2], 3);
	assert_string_equal(r.got[2][1], "");
	assert_int_equal(r.line[3], 6);
	assert_string_equal(r.got[3][2], "last");

	memset(&r, 0, sizeof(r));
	const char *open = "a,b\n1,\"unterminated\n";
	assert_int_equal(qes__csv_parse("t.csv", open, strlen(open), collect_row, &r, &err), QES_EFORMAT);
	assert_int_equal(err.line, 2);
	const char *after = "a,\"b\"c\n";
	assert_int_equal(qes__csv_parse("t.csv", after, strlen(after), collect_row, &r, &err), QES_EFORMAT);
	const char latin1[] = "a,caf\xe9\n";
	assert_int_equal(qes__csv_parse("t.csv", latin1, sizeof(latin1) - 1, collect_row, &r, &err), QES_EFORMAT);
	assert_non_null(strstr(err.message, "UTF-8"));
	const char nul[] = "a,b\0c\n";
	assert_int_equal(qes__csv_parse("t.csv", nul, sizeof(nul) - 1, collect_row, &r, &err), QES_EFORMAT);
}

static long long count_values(fixture *f)
{
	return qes_store_count(f->st, "extract_values", &f->err);
}

static void csv_import_is_atomic(void **state)
{
	fixture *f = *state;
	add_all(f);
	const char *good = "study,field,value\nA1,country,England\nA1,participants.parents,4\n";
	long n = 0;
	assert_int_equal(qes_extract_import_buf(f->st, "g.csv", good, strlen(good), &n, &f->err), 0);
	assert_int_equal(n, 2);
	const char *bad = "study,field,value\nA2,country,France\nA2,participants.parents,four\n";
	assert_int_equal(qes_extract_import_buf(f->st, "b.csv", bad, strlen(bad), &n, &f->err),
			 QES_EFORMAT);
	assert_string_equal(f->err.file, "b.csv");
	assert_int_equal(f->err.line, 3);
	assert_string_equal(f->err.field, "participants.parents");
	assert_int_equal(count_values(f), 2);   /* France was not kept */
	const char *hdr = "id,field,value\n";
	assert_int_equal(qes_extract_import_buf(f->st, "h.csv", hdr, strlen(hdr), &n, &f->err),
			 QES_EFORMAT);
	assert_int_equal(qes_extract_import_buf(f->st, "e.csv", "", 0, &n, &f->err), QES_EFORMAT);
	/* An empty value deletes. */
	assert_int_equal(qes_store_begin(f->st, &f->err), 0);
	assert_int_equal(qes_extract_set(f->st, "A1", "country", "", &f->err), 0);
	assert_int_equal(qes_store_commit(f->st, &f->err), 0);
	assert_int_equal(count_values(f), 1);
	/* So does a blank one, for a count too (a count cannot be "", but
	 * clearing it must work). */
	assert_int_equal(qes_store_begin(f->st, &f->err), 0);
	assert_int_equal(qes_extract_set(f->st, "A1", "participants.parents", "  ", &f->err), 0);
	assert_int_equal(qes_store_commit(f->st, &f->err), 0);
	assert_int_equal(count_values(f), 0);
}

static json_t *find(json_t *list, const char *key, const char *val)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
		if (!strcmp(json_string_value(json_object_get(o, key)), val))
			return o;
	return NULL;
}

static long long n_of(json_t *sum, const char *list, const char *key, const char *val)
{
	json_t *o = find(json_object_get(sum, list), key, val);
	return o ? json_integer_value(json_object_get(o, "n")) : -1;
}

static void summary_and_contradictions(void **state)
{
	fixture *f = *state;
	add_all(f);
	const char *csv =
		"study,field,value\n"
		"A1,country,England; Wales\nA1,design,qualitative\nA1,participants.parents,4\n"
		"A1,participants.practitioners,6\nA1,publication,grey\n"
		"A1,notes,\"Four mothers; 4 parents and 7 practitioners (1,200 words each)\"\n"
		"A2,country,England\nA2,design,qualitative\nA2,participants.parents,11\n"
		"A3,participants.practitioners,0\nA3,participants.managers,5\n";
	long n;
	assert_int_equal(qes_extract_import_buf(f->st, "s.csv", csv, strlen(csv), &n, &f->err), 0);
	assert_int_equal(qes_study_note_add(f->st, "We included 3 studies with 15 parents "
					    "and 1,100 practitioners.", &f->err), 0);
	json_t *sum = qes_studies_summary_json(f->st, &f->err);
	assert_non_null(sum);
	json_t *tot = json_object_get(sum, "totals");
	assert_int_equal(json_integer_value(json_object_get(tot, "studies")), 3);
	assert_int_equal(json_integer_value(json_object_get(tot, "reports")), 4);
	json_t *rows = json_object_get(sum, "studies");
	assert_int_equal(json_array_size(rows), 3);
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(rows, 0),
		"values"), "country")), "England; Wales");
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "perspective")),
			    "parents only");
	/* Country level: England and Wales are the United Kingdom, once per
	 * study ("England; Wales" counts once); the nations are kept apart. */
	assert_int_equal(n_of(sum, "by_country", "country", "United Kingdom"), 2);
	assert_int_equal(n_of(sum, "by_country", "country", "England"), -1);
	assert_int_equal(n_of(sum, "by_country", "country", "not reported"), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
		json_object_get(sum, "by_country"), 0), "country")), "United Kingdom");
	assert_int_equal(n_of(sum, "by_nation", "nation", "England"), 2);
	assert_int_equal(n_of(sum, "by_nation", "nation", "Wales"), 1);
	assert_int_equal(n_of(sum, "by_design", "design", "qualitative"), 2);
	assert_int_equal(n_of(sum, "participants", "group", "parents"), 15);
	assert_int_equal(n_of(sum, "participants", "group", "practitioners"), 6);
	assert_int_equal(n_of(sum, "participants", "group", "managers"), 5);
	assert_int_equal(json_integer_value(json_object_get(find(json_object_get(sum, "participants"),
		"group", "practitioners"), "studies")), 2);
	/* Three groups in use: A1 is "parents and practitioners", A3 counts 0
	 * practitioners, so "managers only". */
	assert_int_equal(n_of(sum, "by_perspective", "perspective", "parents and practitioners"), 1);
	assert_int_equal(n_of(sum, "by_perspective", "perspective", "parents only"), 1);
	assert_int_equal(n_of(sum, "by_perspective", "perspective", "managers only"), 1);
	assert_int_equal(n_of(sum, "by_publication", "publication", "grey"), 1);
	assert_int_equal(n_of(sum, "by_publication", "publication", "not reported"), 2);
	/* Contradictions: A1's note says 7 practitioners (data: 6); the review
	 * note says 1,100 practitioners (data: 6). "4 parents", "3 studies"
	 * and "15 parents" agree; "1,200 words" names no group. */
	json_t *c = json_object_get(sum, "contradictions");
	assert_int_equal(json_array_size(c), 2);
	json_t *c0 = json_array_get(c, 0), *c1 = json_array_get(c, 1);
	assert_string_equal(json_string_value(json_object_get(c0, "where")), "study A1, notes");
	assert_string_equal(json_string_value(json_object_get(c0, "text")), "7 practitioners");
	assert_int_equal(json_integer_value(json_object_get(c0, "stated")), 7);
	assert_int_equal(json_integer_value(json_object_get(c0, "computed")), 6);
	assert_string_equal(json_string_value(json_object_get(c1, "where")), "note 1");
	assert_int_equal(json_integer_value(json_object_get(c1, "stated")), 1100);
	json_decref(sum);

	char *html = NULL;
	assert_int_equal(qes_study_table_html(f->st, &html, &f->err), 0);
	assert_non_null(strstr(html, "<th>Participants: managers</th>"));
	assert_non_null(strstr(html, "England; Wales"));
	assert_non_null(strstr(html, "Four mothers; 4 parents"));
	free(html);
}

static void export_round_trip(void **state)
{
	fixture *f = *state;
	add_all(f);
	const char *csv = "study,field,value\nA2,aim,\"To see, \"\"really\"\"\"\nA1,country,Wales\n";
	long n;
	assert_int_equal(qes_extract_import_buf(f->st, "r.csv", csv, strlen(csv), &n, &f->err), 0);
	char out[80];
	snprintf(out, sizeof(out), "%s.csv", f->path);
	assert_int_equal(qes_extract_export_csv(f->st, out, &f->err), 0);
	char *buf;
	size_t len;
	assert_int_equal(qes__read_file(out, &buf, &len, &f->err), 0);
	assert_string_equal(buf, "study,field,value\nA1,country,Wales\nA2,aim,\"To see, \"\"really\"\"\"\n");
	free(buf);
	unlink(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(studies_and_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(found_after_inclusion, setup, teardown),
		cmocka_unit_test_setup_teardown(validation, setup, teardown),
		cmocka_unit_test(csv_reader),
		cmocka_unit_test_setup_teardown(csv_import_is_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(summary_and_contradictions, setup, teardown),
		cmocka_unit_test_setup_teardown(export_round_trip, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
