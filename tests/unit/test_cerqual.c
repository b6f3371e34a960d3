/* test_cerqual.c: review findings (links, derived and corrected
 * contributing studies through themes, subthemes and code folders), the
 * limitations summary against a hand count, CERQual judgements (refusals,
 * pre-filled limitations, levels), the SoQF and profile tables, the log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "fixture.h"
#include "synth_fixture.h"

#include "qes/cerqual.h"

static int setup(void **state)
{
	*state = synth_fixture("cerqual");
	return 0;
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

/* "K01 K03" from a finding's included studies. */
static void studies_of(fixture *f, const char *key, char *out, size_t n)
{
	json_t *j = qes_finding_json(f->st, key, &f->err), *s;
	assert_non_null(j);
	size_t i, len = 0;
	out[0] = 0;
	json_array_foreach(json_object_get(j, "studies"), i, s)
		if (json_is_true(json_object_get(s, "included")))
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? " " : "",
						json_string_value(json_object_get(s, "study")));
	json_decref(j);
}

static void derived_studies(void **state)
{
	fixture *f = *state;
	char got[128];
	char *t1[] = { (char *)"code:Parent" };   /* a folder: its codes count */
	assert_int_equal(qes_finding_add(f->st, "F1", "Parents felt inspected.", t1, 1, "ann", &f->err), 0);
	studies_of(f, "F1", got, sizeof(got));
	assert_string_equal(got, "K01 K03");
	/* An analytical theme with a subtheme grouping a descriptive theme. */
	long long d = synth_theme(f, "descriptive", 0, "Double role", "Worker/Double role");
	long long a = synth_theme(f, "analytical", 0, "Constrained services", "");
	long long sub = synth_theme(f, "subtheme", a, "Caught between", "");
	synth_link(f, sub, d);
	char *t2[] = { (char *)"theme:Constrained services" };
	assert_int_equal(qes_finding_add(f->st, "F2", "Workers are caught.", t2, 1, "ann", &f->err), 0);
	studies_of(f, "F2", got, sizeof(got));
	assert_string_equal(got, "K02");
	char *t3[] = { (char *)"code:Worker/No time", (char *)"theme:Nope" };
	assert_int_equal(qes_finding_link(f->st, "F2", t3, 2, "ann", &f->err), QES_ENOTFOUND);
	studies_of(f, "F2", got, sizeof(got));
	assert_string_equal(got, "K02");          /* all or nothing */
	assert_int_equal(qes_finding_link(f->st, "F2", t3, 1, "ann", &f->err), 0);
	studies_of(f, "F2", got, sizeof(got));
	assert_string_equal(got, "K02 K04");
	/* Corrections, with reasons. */
	assert_int_equal(qes_finding_study(f->st, "F2", "K05", 1, NULL, "ann", &f->err), QES_EINVAL);
	assert_int_equal(qes_finding_study(f->st, "F2", "K05", 1, "reported in discussion", "ann", &f->err), 0);
	assert_int_equal(qes_finding_study(f->st, "F2", "K04", 0, "about workload", "ann", &f->err), 0);
	studies_of(f, "F2", got, sizeof(got));
	assert_string_equal(got, "K02 K05");
	assert_int_equal(qes_finding_study(f->st, "F2", "K99", 1, "x", "ann", &f->err), QES_ENOTFOUND);
	/* Errors leave nothing behind. */
	char *bad[] = { (char *)"theme:Nope" };
	assert_int_equal(qes_finding_add(f->st, "F3", "x", bad, 1, "ann", &f->err), QES_ENOTFOUND);
	assert_int_equal(qes_finding_add(f->st, "F1", "again", NULL, 0, "ann", &f->err), QES_EEXIST);
	assert_int_equal(qes_finding_add(f->st, "F 4", "x", NULL, 0, "ann", &f->err), QES_EINVAL);
	assert_int_equal(qes_store_count(f->st, "synth_findings", &f->err), 2);
	/* A theme name at two levels is ambiguous. */
	synth_theme(f, "descriptive", 0, "Constrained services", "");
	char *t4[] = { (char *)"theme:Constrained services" };
	assert_int_equal(qes_finding_link(f->st, "F1", t4, 1, "ann", &f->err), QES_EAMBIG);
}

static void limitations_summary(void **state)
{
	fixture *f = *state;
	char *t[] = { (char *)"code:Parent", (char *)"code:Worker/No time" };
	assert_int_equal(qes_finding_add(f->st, "F1", "Parents felt inspected.", t, 2, "ann", &f->err), 0);
	json_t *j = qes_finding_json(f->st, "F1", &f->err);
	assert_non_null(j);
	json_t *l = json_object_get(j, "limitations_summary");
	/* Hand count over K01, K03, K04: K04 not appraised; K01 (casp6 no,
	 * casp4 can't tell) and K03 (casp6 no, casp8 no) have serious concerns. */
	assert_int_equal(json_integer_value(json_object_get(l, "studies")), 3);
	assert_int_equal(json_integer_value(json_object_get(l, "appraised")), 2);
	assert_int_equal(json_integer_value(json_object_get(l, "with_serious")), 2);
	json_t *items = json_object_get(l, "items");
	assert_int_equal(json_array_size(items), 3);
	static const struct { const char *q; int no, ct; } want[] = {
		{ "casp4", 0, 1 }, { "casp6", 2, 0 }, { "casp8", 1, 0 },
	};
	for (size_t i = 0; i < 3; i++) {
		json_t *it = json_array_get(items, i);
		assert_string_equal(json_string_value(json_object_get(it, "question")), want[i].q);
		assert_int_equal(json_integer_value(json_object_get(it, "no")), want[i].no);
		assert_int_equal(json_integer_value(json_object_get(it, "cant_tell")), want[i].ct);
	}
	assert_non_null(strstr(json_string_value(json_object_get(l, "text")),
			       "2 of 3 contributing studies appraised"));
	json_decref(j);
}

static void assess(void **state)
{
	fixture *f = *state;
	char *t[] = { (char *)"code:Parent" };
	assert_int_equal(qes_finding_add(f->st, "F1", "Parents felt inspected.", t, 1, "ann", &f->err), 0);
	assert_int_equal(qes_finding_add(f->st, "F2", "Workers have no time.", NULL, 0, "ann", &f->err), 0);
	/* Refusals. */
	assert_int_equal(qes_cerqual_assess(f->st, "F1", "coherence", "moderate", NULL, "ann", &f->err),
			 QES_EINVAL);
	assert_non_null(strstr(f->err.message, "coherence needs an explanation"));
	assert_int_equal(qes_cerqual_assess(f->st, "F1", "overall", "high", "", "ann", &f->err), QES_EINVAL);
	assert_int_equal(qes_cerqual_assess(f->st, "F1", "overall", "serious", "x", "ann", &f->err), QES_EINVAL);
	assert_int_equal(qes_cerqual_assess(f->st, "F1", "relevance", "high", "x", "ann", &f->err), QES_EINVAL);
	assert_int_equal(qes_cerqual_assess(f->st, "F1", "beauty", "none", NULL, "ann", &f->err), QES_EINVAL);
	assert_int_equal(qes_cerqual_assess(f->st, "F1", "coherence", "none", NULL, NULL, &f->err), QES_EINVAL);
	assert_int_equal(qes_cerqual_assess(f->st, "F9", "coherence", "none", NULL, "ann", &f->err), QES_ENOTFOUND);
	/* F2 has no studies, so no appraisal to pre-fill limitations from. */
	assert_int_equal(qes_cerqual_assess(f->st, "F2", "limitations", "minor", NULL, "ann", &f->err),
			 QES_EINVAL);
	assert_int_equal(qes_store_count(f->st, "synth_cerqual", &f->err), 0);
	assert_int_equal(qes_store_count(f->st, "SELECT count(*) FROM synth_log WHERE action = 'cerqual'",
					 &f->err), 0);
	/* Accepted, with the words people use. */
	assert_int_equal(qes_cerqual_assess(f->st, "F1", "coherence", "no or very minor", NULL, "ann", &f->err), 0);
	assert_int_equal(qes_cerqual_assess(f->st, "F1", "limitations", "serious", NULL, "bob", &f->err), 0);
	assert_int_equal(qes_cerqual_assess(f->st, "F1", "adequacy", "moderate", "Two studies", "ann", &f->err), 0);
	assert_int_equal(qes_cerqual_assess(f->st, "F1", "overall", "very low", "Serious limitations",
					    "ann", &f->err), 0);
	json_t *j = qes_finding_json(f->st, "F1", &f->err);
	json_t *cq = json_object_get(j, "cerqual");
	assert_string_equal(json_string_value(json_object_get(json_object_get(cq, "coherence"), "concern")), "none");
	assert_string_equal(json_string_value(json_object_get(json_object_get(cq, "overall"), "confidence")),
			    "very_low");
	json_t *lim = json_object_get(cq, "limitations");
	assert_string_equal(json_string_value(json_object_get(lim, "by")), "bob");
	/* The pre-fill: the appraisal summary, then what is left without the
	 * studies with serious concerns (here none of the 2, none of 3 passages). */
	const char *sum = json_string_value(json_object_get(json_object_get(j, "limitations_summary"),
							    "text"));
	const char *ex = json_string_value(json_object_get(lim, "explanation"));
	assert_int_equal(strncmp(ex, sum, strlen(sum)), 0);
	assert_string_equal(ex + strlen(sum), " Without the studies with serious concerns the finding"
			    " rests on 0 of 2 studies and 0 of 3 passages; most of its support rests on them.");
	json_decref(j);
	/* A change replaces the judgement and is logged; the log cannot be edited. */
	assert_int_equal(qes_cerqual_assess(f->st, "F1", "adequacy", "minor", "Three studies", "bob", &f->err), 0);
	assert_int_equal(qes_store_count(f->st, "SELECT count(*) FROM synth_cerqual WHERE finding_id = 1", &f->err), 4);
	assert_int_equal(qes_store_count(f->st, "SELECT count(*) FROM synth_log WHERE action = 'cerqual'", &f->err), 5);
	assert_int_equal(qes_store_exec(f->st, "UPDATE synth_log SET who = 'x'", &f->err), QES_ESTORE);
	assert_int_equal(qes_store_exec(f->st, "DELETE FROM synth_log", &f->err), QES_ESTORE);
}

static void tables(void **state)
{
	fixture *f = *state;
	char *t[] = { (char *)"code:Parent" };
	assert_int_equal(qes_finding_add(f->st, "F10", "Later <finding> & \"quoted\"", NULL, 0, "ann", &f->err), 0);
	assert_int_equal(qes_finding_add(f->st, "F2", "Parents, hiding.", t, 1, "ann", &f->err), 0);
	assert_int_equal(qes_cerqual_assess(f->st, "F2", "overall", "low", "Few, thin studies", "ann", &f->err), 0);
	char *csv = NULL, *html = NULL;
	assert_int_equal(qes_cerqual_soqf_text(f->st, QES_TABLE_CSV, &csv, &f->err), 0);
	assert_string_equal(csv, "finding,statement,confidence,explanation,studies\r\n"
			    "F2,\"Parents, hiding.\",low,\"Few, thin studies\",Author1 2001; Author3 2003\r\n"
			    "F10,\"Later <finding> & \"\"quoted\"\"\",,,\r\n");
	assert_int_equal(qes_cerqual_profile_text(f->st, QES_TABLE_HTML, &html, &f->err), 0);
	assert_non_null(strstr(html, "Later &lt;finding&gt; &amp; &quot;quoted&quot;"));
	assert_non_null(strstr(html, "<td data-col=\"confidence\">Low confidence</td>"));
	assert_null(strstr(html, "<finding>"));
	free(csv);
	free(html);
	json_t *p = qes_cerqual_profile_json(f->st, &f->err);
	json_t *row = json_array_get(json_object_get(p, "rows"), 0);
	assert_string_equal(json_string_value(json_object_get(row, "finding")), "F2");
	assert_true(json_is_null(json_object_get(json_object_get(row, "coherence"), "concern")));
	assert_string_equal(json_string_value(json_object_get(row, "assessed_by")), "ann");
	json_decref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(derived_studies, setup, teardown),
		cmocka_unit_test_setup_teardown(limitations_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(assess, setup, teardown),
		cmocka_unit_test_setup_teardown(tables, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
