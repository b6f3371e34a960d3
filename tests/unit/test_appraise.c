/* test_appraise.c: checklists (parse errors, the compiled-in CASP, added
 * questions), ratings and final answers, agreement, discrepancies, the
 * reproducible sample and the SVG plots. */
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

#include "qes/appraise.h"
#include "qes/study.h"


static int setup(void **state)
{
	fixture *f = fixture_new("appraise");
	assert_int_equal(qes_store_exec(f->st,
		"INSERT INTO sources(name) VALUES ('Hand');"
		"INSERT INTO imports(source_id, file_name, file_sha256, file_bytes, format, encoding)"
		" VALUES (1,'a.ris','aa',10,'ris','UTF-8');"
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)"
		" INSERT INTO records(import_id, source_key, ordinal, line, type, title, authors, year, raw)"
		" SELECT 1, printf('K%02d', i), i, i, 'article', 'T', printf('Author%d, A', i), 2000 + i, 'x'"
		" FROM n;", &f->err), 0);
	for (int i = 1; i <= 4; i++) {
		char key[16];
		snprintf(key, sizeof(key), "K%02d", i);
		assert_int_equal(qes_study_add(f->st, key, &f->err), 0);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

static void parse_errors(void **state)
{
	(void)state;
	qes_error err;
	json_t *cl;
	static const struct { const char *json, *field; } bad[] = {
		{ "[1]", "id" },
		{ "{\"id\": \"a b\", \"title\": \"T\", \"questions\": [{\"id\": \"q\", \"text\": \"Q\"}]}", "id" },
		{ "{\"id\": \"a\", \"questions\": [{\"id\": \"q\", \"text\": \"Q\"}]}", "title" },
		{ "{\"id\": \"a\", \"title\": \"T\", \"questions\": []}", "questions" },
		{ "{\"id\": \"a\", \"title\": \"T\", \"questions\": [{\"id\": \"q\"}]}", "questions[0]" },
		{ "{\"id\": \"a\", \"title\": \"T\", \"questions\": [{\"id\": \"q\", \"text\": \"Q\", "
		  "\"type\": \"score\"}]}", "questions[0]" },
		{ "{\"id\": \"a\", \"title\": \"T\", \"answers\": [\"yes\", \"no\"], "
		  "\"questions\": [{\"id\": \"q\", \"text\": \"Q\"}]}", "answers" },
		{ "{\"id\": \"a\", \"title\": \"T\", \"questions\": [{\"id\": \"q\", \"text\": \"Q\"}, "
		  "{\"id\": \"q\", \"text\": \"R\"}]}", "questions[1]" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		qes_error_clear(&err);
		assert_int_equal(qes_checklist_parse("c.json", bad[i].json, strlen(bad[i].json), &cl, &err),
				 QES_EFORMAT);
		assert_null(cl);
		assert_string_equal(err.field, bad[i].field);
	}
	assert_int_equal(qes_checklist_parse("c.json", "{\"id\":", 6, &cl, &err), QES_EFORMAT);
	assert_int_equal(err.line, 1);
}

static void casp_default(void **state)
{
	fixture *f = *state;
	assert_int_equal(qes_checklist_ensure_default(f->st, &f->err), 0);
	assert_int_equal(qes_checklist_ensure_default(f->st, &f->err), 0);   /* idempotent */
	json_t *cl = qes_checklist_json(f->st, NULL, &f->err);
	assert_non_null(cl);
	assert_string_equal(json_string_value(json_object_get(cl, "id")), "casp-qualitative-2018");
	json_t *qs = json_object_get(cl, "questions");
	assert_int_equal(json_array_size(qs), 10);
	assert_string_equal(json_string_value(json_object_get(json_array_get(qs, 5), "text")),
		"Has the relationship between researcher and participants been adequately considered?");
	assert_string_equal(json_string_value(json_object_get(json_array_get(qs, 9), "type")), "text");
	json_decref(cl);
	assert_int_equal(qes_checklist_add_question(f->st, "casp-qualitative-2018", "extra1",
						    "An added question?", "rating", &f->err), 0);
	assert_int_equal(qes_checklist_add_question(f->st, "casp-qualitative-2018", "extra1",
						    "Again?", "rating", &f->err), QES_EEXIST);
	assert_int_equal(qes_checklist_add_question(f->st, "casp-qualitative-2018", "bad id",
						    "X?", "rating", &f->err), QES_EINVAL);
	assert_int_equal(qes_checklist_add_question(f->st, "nope", "x", "X?", NULL, &f->err),
			 QES_ENOTFOUND);
	cl = qes_checklist_json(f->st, "casp-qualitative-2018", &f->err);
	qs = json_object_get(cl, "questions");
	assert_int_equal(json_array_size(qs), 11);
	assert_string_equal(json_string_value(json_object_get(json_array_get(qs, 10), "id")), "extra1");
	json_decref(cl);
}

static const char ratings[] =
	"study,reviewer,question,answer,comment\n"
	"K01,ann,casp1,yes,clear aims\n"
	"K01,bob,casp1,Yes,\n"
	"K01,ann,casp2,no,\n"
	"K01,bob,casp2,can't tell,\n"
	"K02,ann,casp1,cant_tell,\n"
	"K02,bob,casp1,no,\n"
	"K02,consensus,casp1,no,agreed\n"
	"K03,ann,casp1,no,\n"
	"K01,ann,casp10,\"Useful, locally\",\n";

static void ratings_and_final_answers(void **state)
{
	fixture *f = *state;
	long n = 0;
	assert_int_equal(qes_appraise_import_buf(f->st, "r.csv", ratings, strlen(ratings), &n, &f->err), 0);
	assert_int_equal(n, 9);
	json_t *t = qes_appraise_table_json(f->st, &f->err);
	assert_non_null(t);
	json_t *rows = json_object_get(t, "studies");
	assert_int_equal(json_array_size(rows), 4);
	json_t *a1 = json_object_get(json_array_get(rows, 0), "answers");
	assert_string_equal(json_string_value(json_object_get(a1, "casp1")), "yes");
	assert_true(json_is_null(json_object_get(a1, "casp2")));   /* no vs can't tell */
	assert_string_equal(json_string_value(json_object_get(a1, "casp10")), "Useful, locally");
	json_t *a2 = json_object_get(json_array_get(rows, 1), "answers");
	assert_string_equal(json_string_value(json_object_get(a2, "casp1")), "no");   /* consensus */
	assert_true(json_is_null(json_object_get(json_object_get(json_array_get(rows, 3), "answers"),
						 "casp1")));   /* not rated */
	assert_int_equal(json_integer_value(json_object_get(t, "unresolved")), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(rows, 0),
		"comments"), "casp1")), "ann: clear aims");
	json_decref(t);

	/* Agreement of ann and bob: 3 items; (yes,yes) (no,cant_tell) (cant_tell,no);
	 * po = 1/3; margins ann yes1 ct1 no1, bob yes1 ct1 no1: pe = 3/9;
	 * kappa = (1/3 - 1/3) / (2/3) = 0. */
	json_t *a = qes_appraise_agreement_json(f->st, &f->err);
	assert_non_null(a);
	assert_int_equal(json_integer_value(json_object_get(a, "items")), 3);
	assert_int_equal(json_integer_value(json_object_get(a, "agreed")), 1);
	assert_float_equal(json_real_value(json_object_get(a, "kappa")), 0.0, 1e-12);
	json_decref(a);

	json_t *d = qes_appraise_discrepancies_json(f->st, &f->err);
	assert_int_equal(json_array_size(d), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(d, 0), "question")), "casp2");
	assert_false(json_is_true(json_object_get(json_array_get(d, 0), "resolved")));
	assert_true(json_is_true(json_object_get(json_array_get(d, 1), "resolved")));
	json_decref(d);

	/* A bad row rejects the whole file, naming its line. */
	const char *bad = "study,reviewer,question,answer,comment\nK04,ann,casp1,yes,\nK04,ann,casp3,perhaps,\n";
	assert_int_equal(qes_appraise_import_buf(f->st, "b.csv", bad, strlen(bad), &n, &f->err), QES_EFORMAT);
	assert_int_equal(f->err.line, 3);
	assert_string_equal(f->err.field, "answer");
	t = qes_appraise_table_json(f->st, &f->err);
	assert_true(json_is_null(json_object_get(json_object_get(json_array_get(
		json_object_get(t, "studies"), 3), "answers"), "casp1")));
	json_decref(t);
}

static void no_pair_no_agreement(void **state)
{
	fixture *f = *state;
	const char *one = "study,reviewer,question,answer\nK01,ann,casp1,yes\n";
	long n;
	assert_int_equal(qes_appraise_import_buf(f->st, "o.csv", one, strlen(one), &n, &f->err), 0);
	assert_null(qes_appraise_agreement_json(f->st, &f->err));
	assert_int_equal(f->err.code, QES_ENOTFOUND);
}

static void sample_is_reproducible(void **state)
{
	fixture *f = *state;
	for (int i = 5; i <= 20; i++) {
		char key[16];
		snprintf(key, sizeof(key), "K%02d", i);
		assert_int_equal(qes_study_add(f->st, key, &f->err), 0);
	}
	json_t *a = qes_appraise_sample(f->st, 0.1, 42, &f->err);
	json_t *b = qes_appraise_sample(f->st, 0.1, 42, &f->err);
	assert_non_null(a);
	/* 10% of 20 studies = 2. */
	assert_int_equal(json_array_size(json_object_get(a, "sample")), 2);
	assert_true(json_equal(json_object_get(a, "sample"), json_object_get(b, "sample")));
	assert_int_equal(qes_store_count(f->st, "appraisal_sample", &f->err), 2);
	int differs = 0;
	for (unsigned long long s = 1; s < 10 && !differs; s++) {
		json_t *c = qes_appraise_sample(f->st, 0.1, s, &f->err);
		differs = !json_equal(json_object_get(a, "sample"), json_object_get(c, "sample"));
		json_decref(c);
	}
	assert_true(differs);
	json_t *all = qes_appraise_sample(f->st, 1.0, 7, &f->err);
	assert_int_equal(json_array_size(json_object_get(all, "sample")), 20);
	assert_null(qes_appraise_sample(f->st, 0, 7, &f->err));
	assert_null(qes_appraise_sample(f->st, 1.5, 7, &f->err));
	json_decref(a);
	json_decref(b);
	json_decref(all);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void plots(void **state)
{
	fixture *f = *state;
	long n;
	assert_int_equal(qes_appraise_import_buf(f->st, "r.csv", ratings, strlen(ratings), &n, &f->err), 0);
	char *svg = NULL;
	assert_int_equal(qes_appraise_plot_svg(f->st, 0, QES_PALETTE_ROBVIS, &svg, &f->err), 0);
	/* 4 studies x 9 rating questions (casp10 is free text). */
	assert_int_equal(count(svg, "<circle class=\"cell\""), 36);
	assert_non_null(strstr(svg, "data-study=\"K01\" data-question=\"casp1\" data-answer=\"yes\""));
	assert_non_null(strstr(svg, "data-study=\"K01\" data-question=\"casp2\" data-answer=\"none\""));
	assert_non_null(strstr(svg, "data-study=\"K02\" data-question=\"casp1\" data-answer=\"no\""));
	assert_null(strstr(svg, "casp10\" data-answer"));
	assert_non_null(strstr(svg, "#02C100"));
	free(svg);
	assert_int_equal(qes_appraise_plot_svg(f->st, 1, QES_PALETTE_COLOURBLIND, &svg, &f->err), 0);
	/* casp1: K01 yes, K02 no, K03 no, K04 none -> yes 25%, no 50%, none 25%. */
	assert_non_null(strstr(svg, "data-question=\"casp1\" data-answer=\"yes\" data-n=\"1\" data-percent=\"25.0\""));
	assert_non_null(strstr(svg, "data-question=\"casp1\" data-answer=\"no\" data-n=\"2\" data-percent=\"50.0\""));
	assert_non_null(strstr(svg, "data-question=\"casp3\" data-answer=\"none\" data-n=\"4\" data-percent=\"100.0\""));
	assert_non_null(strstr(svg, "#D55E00"));
	assert_null(strstr(svg, "#02C100"));
	free(svg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_errors),
		cmocka_unit_test_setup_teardown(casp_default, setup, teardown),
		cmocka_unit_test_setup_teardown(ratings_and_final_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(no_pair_no_agreement, setup, teardown),
		cmocka_unit_test_setup_teardown(sample_is_reproducible, setup, teardown),
		cmocka_unit_test_setup_teardown(plots, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
