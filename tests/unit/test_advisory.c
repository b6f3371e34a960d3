/* test_advisory.c: the advisory group (advisors and web accounts,
 * workshops, comments, responses), what advisors see (sharing rules, held
 * back quotes, overlapping codings), the LEAG log, and ENTREQ filled from
 * the data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "fixture.h"
#include "synth_fixture.h"

#include "qes/advisory.h"
#include "qes/limits.h"

static int setup(void **state)
{
	fixture *f = synth_fixture("advisory");
	long long d1 = synth_theme(f, "descriptive", 0, "Inspected", "Parent/Inspection");
	long long d2 = synth_theme(f, "descriptive", 0, "Hiding", "Parent/Hiding");
	synth_theme(f, "descriptive", 0, "Double role", "Worker/Double role|Worker/Explaining");
	long long a = synth_theme(f, "analytical", 0, "Watched, not helped", "");
	synth_link(f, a, d1);
	synth_link(f, a, d2);
	char *t1[] = { (char *)"theme:Inspected" }, *t2[] = { (char *)"theme:Double role" };
	assert_int_equal(qes_finding_add(f->st, "F1", "Mothers felt inspected.", t1, 1, "ann", &f->err), 0);
	assert_int_equal(qes_finding_add(f->st, "F2", "Workers hold two roles.", t2, 1, "ann", &f->err), 0);
	assert_int_equal(qes_store_exec(f->st, "INSERT INTO web_users(name, role, pwhash) VALUES"
					" ('rose', 'advisor', 'x'), ('rev', 'reviewer', 'x')", &f->err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

static void group(void **state)
{
	fixture *f = *state;
	long long id, w, c;
	assert_int_equal(qes_advisor_add(f->st, "Rose", "rose", "ann", &f->err), 0);
	assert_int_equal(qes_advisor_add(f->st, "Rev", "rev", "ann", &f->err), QES_ECONFLICT);
	assert_int_equal(qes_advisor_add(f->st, "Nobody", "ghost", "ann", &f->err), QES_ENOTFOUND);
	assert_int_equal(qes_advisor_add(f->st, "rose", NULL, "ann", &f->err), QES_EEXIST);
	assert_int_equal(qes_advisor_add(f->st, "Maya", NULL, "ann", &f->err), 0);
	assert_int_equal(qes_advisor_add(f->st, "Lee", NULL, "ann", &f->err), 0);
	assert_int_equal(qes_advisor_for_user(f->st, 1, &id, &f->err), 0);
	assert_int_equal(id, 1);
	assert_int_equal(qes_advisor_for_user(f->st, 2, &id, &f->err), QES_ENOTFOUND);
	char *who[] = { (char *)"Rose", (char *)"Maya" };
	char *shown[] = { (char *)"theme:Watched, not helped", (char *)"finding:F1", (char *)"text:Code list" };
	char *bad[] = { (char *)"coding:#1" };
	assert_int_equal(qes_workshop_add(f->st, "2026-02-30x", NULL, who, 2, NULL, 0, "ann", &w, &f->err),
			 QES_EINVAL);
	assert_int_equal(qes_workshop_add(f->st, "2026-03-04", "One", who, 2, bad, 1, "ann", &w, &f->err),
			 QES_EINVAL);
	assert_int_equal(qes_store_count(f->st, "synth_workshops", &f->err), 0);
	assert_int_equal(qes_workshop_add(f->st, "2026-03-04", "One", who, 2, shown, 3, "ann", &w, &f->err), 0);
	assert_int_equal(qes_comment_add(f->st, "Lee", w, NULL, "Not there", "ann", &c, &f->err), QES_ECONFLICT);
	assert_int_equal(qes_comment_add(f->st, "Rose", 9, NULL, "x", "ann", &c, &f->err), QES_ENOTFOUND);
	char *huge = malloc(QES_MAX_FIELD + 2);
	assert_non_null(huge);
	memset(huge, 'a', QES_MAX_FIELD + 1);
	huge[QES_MAX_FIELD + 1] = 0;
	assert_int_equal(qes_comment_add(f->st, "Rose", w, NULL, huge, "ann", &c, &f->err), QES_ELIMIT);
	free(huge);
	assert_int_equal(qes_comment_add(f->st, "Rose", w, "theme:Inspected", "Say watched", "ann", &c, &f->err), 0);
	assert_int_equal(qes_comment_add(f->st, NULL, w, "finding:F1", "Fear starts early", "ann", &c, &f->err), 0);
	assert_int_equal(qes_comment_add(f->st, "Lee", 0, "coding:#4", "This quote matters", "ann", &c, &f->err), 0);
	assert_int_equal(qes_comment_respond(f->st, 1, "adopted", NULL, NULL, 0, "ann", &f->err), QES_EINVAL);
	assert_int_equal(qes_comment_respond(f->st, 1, "accepted", "x", NULL, 0, "ann", &f->err), QES_EINVAL);
	assert_int_equal(qes_comment_respond(f->st, 7, "pending", NULL, NULL, 0, "ann", &f->err), QES_ENOTFOUND);
	char *aff[] = { (char *)"theme:Inspected", (char *)"finding:F1" };
	assert_int_equal(qes_comment_respond(f->st, 1, "adopted", "Renamed", aff, 2, "ann", &f->err), 0);
	assert_int_equal(qes_comment_respond(f->st, 2, "not_adopted", "Outside the data", NULL, 0, "bob", &f->err), 0);
	json_t *log = qes_advisory_log_json(f->st, &f->err);
	assert_non_null(log);
	json_t *cnt = json_object_get(log, "counts");
	assert_int_equal(json_integer_value(json_object_get(cnt, "advisors")), 3);
	assert_int_equal(json_integer_value(json_object_get(cnt, "comments")), 3);
	assert_int_equal(json_integer_value(json_object_get(cnt, "adopted")), 1);
	assert_int_equal(json_integer_value(json_object_get(cnt, "not_adopted")), 1);
	assert_int_equal(json_integer_value(json_object_get(cnt, "pending")), 1);
	json_t *c1 = json_array_get(json_object_get(log, "comments"), 0);
	assert_string_equal(json_string_value(json_object_get(c1, "on")), "descriptive theme: Inspected");
	assert_int_equal(json_array_size(json_object_get(c1, "affects")), 2);
	json_t *w1 = json_array_get(json_object_get(log, "workshops"), 0);
	assert_string_equal(json_string_value(json_array_get(json_object_get(w1, "shown"), 2)), "Code list");
	json_decref(log);
	char *csv = NULL;
	assert_int_equal(qes_advisory_log_text(f->st, QES_TABLE_CSV, &csv, &f->err), 0);
	assert_non_null(strstr(csv, "workshop,date,advisors,shown,comment,by,on,text,status,change,affects\r\n"
				    "1,2026-03-04,Maya; Rose,"));
	assert_non_null(strstr(csv, ",3,Lee,coding #4 (S3),This quote matters,pending,,\r\n"));
	/* Rendering a log already read gives the same table. */
	char *again = NULL;
	json_t *read = qes_advisory_log_json(f->st, &f->err);
	assert_non_null(read);
	assert_int_equal(qes_advisory_log_render(read, QES_TABLE_CSV, &again, &f->err), 0);
	assert_string_equal(again, csv);
	json_decref(read);
	free(again);
	free(csv);
}

/* The texts of all quotes in the advisors' view, joined. */
static void view_text(fixture *f, char *out, size_t n, int *themes, int *findings)
{
	json_t *v = qes_advisory_view_json(f->st, &f->err);
	assert_non_null(v);
	char *s = json_dumps(v, 0);
	snprintf(out, n, "%s", s);
	free(s);
	*themes = (int)json_array_size(json_object_get(v, "themes"));
	*findings = (int)json_array_size(json_object_get(v, "findings"));
	json_decref(v);
}

static void sharing(void **state)
{
	fixture *f = *state;
	char v[8192];
	int nt, nf;
	view_text(f, v, sizeof(v), &nt, &nf);
	assert_int_equal(nt + nf, 0);              /* nothing shared, nothing seen */
	assert_int_equal(qes_advisory_share(f->st, "theme:Watched, not helped", 1, "ann", &f->err), 0);
	assert_int_equal(qes_advisory_share(f->st, "finding:F1", 1, "ann", &f->err), 0);
	assert_int_equal(qes_advisory_share(f->st, "code:Parent", 1, "ann", &f->err), QES_EINVAL);
	view_text(f, v, sizeof(v), &nt, &nf);
	assert_int_equal(nt, 1);
	assert_int_equal(nf, 1);
	assert_non_null(strstr(v, "They looked in the fridge before they asked how I was."));
	assert_non_null(strstr(v, "goes on the file"));
	assert_null(strstr(v, "surveillance replacing care"));   /* an interpretation */
	assert_null(strstr(v, "court report"));                  /* unshared theme and finding */
	assert_null(strstr(v, "Double role"));
	assert_null(strstr(v, "ann"));                           /* no coder names */
	assert_non_null(strstr(v, "\"study\": \"Author1 2001\""));   /* quotes carry their study */
	/* Hold back ann's fridge quote: bob's shorter coding of the same words
	 * overlaps it, so it goes too. */
	assert_int_equal(qes_advisory_share(f->st, "coding:#1", 0, "ann", &f->err), 0);
	view_text(f, v, sizeof(v), &nt, &nf);
	assert_null(strstr(v, "fridge"));
	assert_non_null(strstr(v, "goes on the file"));
	/* A non-quote coding shared one by one shows; sharing the theme back
	 * does not bring a held-back quote. */
	assert_int_equal(qes_advisory_share(f->st, "theme:Double role", 1, "ann", &f->err), 0);
	view_text(f, v, sizeof(v), &nt, &nf);
	assert_int_equal(nt, 2);
	assert_non_null(strstr(v, "court report"));
	assert_null(strstr(v, "explaining the plan"));
	assert_int_equal(qes_advisory_share(f->st, "coding:#6", 1, "ann", &f->err), 0);
	view_text(f, v, sizeof(v), &nt, &nf);
	assert_non_null(strstr(v, "explaining the plan"));
	assert_null(strstr(v, "fridge"));
	assert_int_equal(qes_store_count(f->st, "SELECT count(*) FROM synth_log WHERE action IN"
					 " ('share', 'hold back')", &f->err), 5);
}

/* The view as one coder sees it: the double-coding blinding of the code
 * lists applies (issue 16: /api/advisor/view leaked a blinded span). */
static int view_has(fixture *f, const char *as, const char *needle)
{
	json_t *v = qes_advisory_view_as_json(f->st, as, &f->err);
	assert_non_null(v);
	char *s = json_dumps(v, 0);
	int has = strstr(s, needle) != NULL;
	free(s);
	json_decref(v);
	return has;
}

static void blinded(void **state)
{
	fixture *f = *state;
	assert_int_equal(qes_advisory_share(f->st, "theme:Hiding", 1, "ann", &f->err), 0);
	assert_int_equal(qes_store_exec(f->st, "INSERT INTO code_sample(source_id)"
					" SELECT id FROM code_sources WHERE name = 'S3'", &f->err), 0);
	const char *q = "goes on the file";   /* ann's quote on S3, in the sample */
	assert_true(view_has(f, NULL, q));     /* the owner's CLI: everything */
	assert_true(view_has(f, "ann", q));    /* its own coder */
	assert_false(view_has(f, "bob", q));   /* the second coder is blinded */
	assert_false(view_has(f, "", q));      /* an advisor: nobody's coder */
	assert_false(view_has(f, "carol", q)); /* has coded nothing yet */
	assert_int_equal(qes_code_done(f->st, "ann", "S3", &f->err), 0);
	assert_false(view_has(f, "bob", q));
	assert_int_equal(qes_code_done(f->st, "bob", "S3", &f->err), 0);
	assert_true(view_has(f, "bob", q));    /* both done: unblinded */
	assert_true(view_has(f, "", q));
}

static void entreq(void **state)
{
	fixture *f = *state;
	json_t *e = qes_entreq_json(f->st, &f->err);
	assert_non_null(e);
	json_t *items = json_object_get(e, "items");
	assert_int_equal(json_array_size(items), 21);
#define ITEM(n, k) json_string_value(json_object_get(json_array_get(items, (n) - 1), k))
	assert_string_equal(ITEM(2, "status"), "filled");
	assert_non_null(strstr(ITEM(2, "evidence"), "(5 codes), 3 descriptive themes, 1 analytical themes"));
	assert_string_equal(ITEM(11, "status"), "filled");
	assert_string_equal(ITEM(13, "status"), "partial");
	assert_non_null(strstr(ITEM(13, "evidence"), "3 of 5 included studies appraised"));
	assert_string_equal(ITEM(15, "status"), "filled");
	assert_non_null(strstr(ITEM(16, "evidence"), "2 coders (ann, bob)"));
	assert_non_null(strstr(ITEM(17, "evidence"), "7 codings of 4 sources under 5 codes by 2 coders"));
	assert_non_null(strstr(ITEM(20, "evidence"), "5 participant quotations and 1 author interpretations"));
	assert_string_equal(ITEM(21, "status"), "partial");        /* findings not yet assessed */
	assert_string_equal(ITEM(4, "status"), "needs_author");
	assert_string_equal(ITEM(5, "status"), "partial");         /* no search dates */
	long filled = (long)json_integer_value(json_object_get(json_object_get(e, "counts"), "filled"));
	json_decref(e);
	assert_int_equal(qes_entreq_set(f->st, 0, "x", &f->err), QES_EINVAL);
	assert_int_equal(qes_entreq_set(f->st, 4, "Studies of parents' or practitioners' views.", &f->err), 0);
	e = qes_entreq_json(f->st, &f->err);
	items = json_object_get(e, "items");
	assert_string_equal(ITEM(4, "status"), "filled");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(e, "counts"), "filled")), filled + 1);
	json_decref(e);
	char *html = NULL;
	assert_int_equal(qes_entreq_text(f->st, QES_TABLE_HTML, &html, &f->err), 0);
	assert_non_null(strstr(html, "<table class=\"qes-entreq\">"));
	assert_non_null(strstr(html, "<td data-col=\"evidence\">Studies of parents' or practitioners' views. "));
	free(html);
	/* A long title reaches the evidence whole. */
	char title[3001];
	memset(title, 'T', sizeof(title) - 1);
	title[sizeof(title) - 1] = '\0';
	assert_int_equal(qes_store_set_meta(f->st, "title", title, &f->err), 0);
	e = qes_entreq_json(f->st, &f->err);
	items = json_object_get(e, "items");
	assert_string_equal(ITEM(1, "status"), "partial");
	assert_int_equal(strlen(ITEM(1, "evidence")), strlen("Review title: . State the question in the introduction.")
			 + strlen(title));
	json_decref(e);
#undef ITEM
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(group, setup, teardown),
		cmocka_unit_test_setup_teardown(sharing, setup, teardown),
		cmocka_unit_test_setup_teardown(blinded, setup, teardown),
		cmocka_unit_test_setup_teardown(entreq, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
