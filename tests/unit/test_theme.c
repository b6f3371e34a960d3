/* test_theme.c: themes and synthesis queries through the library API: the
 * tree's rules (levels, names, grouping, moves, removal), a theme's spans
 * through lower themes and code folders, perspectives from a speaker's
 * lines, the matrix and co-occurrence against hand counts, blinding,
 * Unicode text search with code-point offsets, framework summaries, and
 * CSV/HTML escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "fixture.h"

#include <stdlib.h>
#include <string.h>
#include "qes/code.h"
#include "qes/theme.h"
#include "qes/limits.h"
#include "qes/screen.h"

/* A writable copy of a literal (the APIs take char *const *). */
#define W(lit) ((char[]){ lit })

static int setup(void **state)
{
	*state = fixture_new("theme");
	return 0;
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

static void add_text(fixture *f, const char *name, const char *text)
{
	qes_code_source_opts o = { .name = name, .kind = "transcript" };
	assert_int_equal(qes_code_source_add_text(f->st, text, strlen(text), &o, NULL, &f->err), 0);
}

static void span(fixture *f, const char *coder, const char *src, long a, long b,
		 const char *code, int flags)
{
	assert_int_equal(qes_code_span(f->st, coder, src, a, b, code, flags, NULL, NULL, &f->err), 0);
}

static void add_theme(fixture *f, const char *name, const char *level, const char *parent)
{
	assert_int_equal(qes_theme_add(f->st, name, level, parent, NULL, NULL, &f->err), 0);
}

/* A focus group, one line per speaker (offsets by hand):
 *   line 1 "Facilitator: how was it?\n"          [0, 25)
 *   line 2 "Mum: I hid it from the nurse.\n"      [25, 55)
 *   line 3 "Nurse: We watch for signs.\n"         [55, 82)
 * Cases: Mum on line 2 (parent), Nurse on line 3 (practitioner), and the
 * group on the whole source (perspective mixed) for line 1. */
static void focus_group(fixture *f)
{
	add_text(f, "FG", "Facilitator: how was it?\nMum: I hid it from the nurse.\n"
		 "Nurse: We watch for signs.\n");
	char *mum[] = { W("perspective=parent"), W("role=mother") };
	char *nurse[] = { W("perspective=practitioner"), W("role=nurse") };
	char *group[] = { W("perspective=mixed") };
	assert_int_equal(qes_code_case_add(f->st, "Mum", mum, 2, NULL, &f->err), 0);
	assert_int_equal(qes_code_case_add(f->st, "Nurse", nurse, 2, NULL, &f->err), 0);
	assert_int_equal(qes_code_case_add(f->st, "Group", group, 1, NULL, &f->err), 0);
	assert_int_equal(qes_code_case_link(f->st, "Mum", "FG", 2, 2, &f->err), 0);
	assert_int_equal(qes_code_case_link(f->st, "Nurse", "FG", 3, 3, &f->err), 0);
	assert_int_equal(qes_code_case_link(f->st, "Group", "FG", 0, 0, &f->err), 0);
	assert_int_equal(qes_code_add(f->st, "Parent/Hiding", NULL, NULL, NULL, &f->err), 0);
	assert_int_equal(qes_code_add(f->st, "Parent/Shame", NULL, NULL, NULL, &f->err), 0);
	assert_int_equal(qes_code_add(f->st, "Staff/Watching", NULL, NULL, NULL, &f->err), 0);
}

static void tree_rules(void **state)
{
	fixture *f = *state;
	long long id = 0, found = 0;
	add_theme(f, "Hiding", "descriptive", NULL);
	add_theme(f, "Fear", "analytical", NULL);
	assert_int_equal(qes_theme_add(f->st, "Hiding", NULL, "Fear", NULL, &id, &f->err), 0);
	/* "Hiding" is now a descriptive theme and a subtheme of Fear */
	assert_int_equal(qes_theme_find(f->st, "Hiding", &found, &f->err), QES_EAMBIG);
	assert_int_equal(qes_theme_find(f->st, "Fear/Hiding", &found, &f->err), 0);
	assert_int_equal(found, id);
	assert_int_equal(qes_theme_find(f->st, "Fear/Nope", &found, &f->err), QES_ENOTFOUND);
	assert_int_equal(qes_theme_add(f->st, "Hiding", "descriptive", NULL, NULL, NULL, &f->err),
			 QES_EEXIST);
	assert_int_equal(qes_theme_add(f->st, "X", "subtheme", NULL, NULL, NULL, &f->err), QES_EINVAL);
	assert_int_equal(qes_theme_add(f->st, "X", "descriptive", "Fear", NULL, NULL, &f->err),
			 QES_EINVAL);
	assert_int_equal(qes_theme_add(f->st, "X", NULL, "Fear/Hiding", NULL, NULL, &f->err),
			 QES_EINVAL);   /* a subtheme is not a parent */
	assert_int_equal(qes_theme_add(f->st, "a/b", "analytical", NULL, NULL, NULL, &f->err),
			 QES_EINVAL);
	/* grouping: only descriptive themes, only under analytical or subtheme */
	add_theme(f, "Silence", "descriptive", NULL);
	char *silence[] = { W("Silence") }, *sub[] = { W("Fear/Hiding") };
	assert_int_equal(qes_theme_group(f->st, "Fear/Hiding", silence, 1, 0, &f->err), 0);
	assert_int_equal(qes_theme_group(f->st, "Fear/Hiding", silence, 1, 0, &f->err), 0);
	assert_int_equal(qes_theme_group(f->st, "Fear", sub, 1, 0, &f->err), QES_EINVAL);
	char *hid[] = { W("#1") };
	assert_int_equal(qes_theme_group(f->st, "Silence", hid, 1, 0, &f->err), QES_EINVAL);
	/* move and rename; removal refused while subthemes remain */
	add_theme(f, "Trust", "analytical", NULL);
	assert_int_equal(qes_theme_move(f->st, "Fear/Hiding", "Trust", &f->err), 0);
	assert_int_equal(qes_theme_find(f->st, "Trust/Hiding", &found, &f->err), 0);
	assert_int_equal(qes_theme_move(f->st, "Silence", "Fear", &f->err), QES_EINVAL);
	assert_int_equal(qes_theme_rename(f->st, "Trust/Hiding", "Keeping quiet", &f->err), 0);
	assert_int_equal(qes_theme_rename(f->st, "Silence", "Hiding", &f->err), QES_EEXIST);
	assert_int_equal(qes_theme_remove(f->st, "Trust", &f->err), QES_ECONFLICT);
	assert_int_equal(qes_theme_remove(f->st, "Trust/Keeping quiet", &f->err), 0);
	assert_int_equal(qes_theme_remove(f->st, "Trust", &f->err), 0);
	/* the grouping went with the subtheme: no link is left */
	assert_int_equal(qes_store_count(f->st, "code_theme_links", &f->err), 0);
	assert_int_equal(qes_store_count(f->st, "code_themes", &f->err), 3);
}

/* Codings (ann unless said): s1 Mum "I hid it" [30, 38) Hiding;
 * s2 Mum "I hid it from the nurse." [30, 54) Shame (overlaps s1 by 8);
 * s3 Nurse "We watch for signs." [62, 81) Watching; s4 facilitator
 * "how was it?" [13, 24) Shame (the group's whole-source case: mixed);
 * s5 bob "hid it" [32, 38) Shame (overlaps s1, but another coder). */
/* One set of limits for text a person types (qes/limits.h), enforced by
 * the library whatever the caller (issue 16: a 20 MB description). */
static void text_limits(void **state)
{
	fixture *f = *state;
	char *big = malloc(QES_MAX_LONG_TEXT + 2);
	assert_non_null(big);
	memset(big, 'w', QES_MAX_LONG_TEXT + 1);
	big[QES_MAX_LONG_TEXT + 1] = '\0';
	long long id;
	assert_int_equal(qes_theme_add(f->st, "Fear", "analytical", NULL, big, NULL, &f->err), QES_ELIMIT);
	assert_non_null(strstr(f->err.message, "QES_MAX_LONG_TEXT"));
	assert_int_equal(qes_store_count(f->st, "code_themes", &f->err), 0);
	assert_int_equal(qes_theme_add(f->st, "Fear", "analytical", NULL, "short", NULL, &f->err), 0);
	assert_int_equal(qes_theme_describe(f->st, "Fear", big, &f->err), QES_ELIMIT);
	big[QES_MAX_NAME_TEXT + 1] = '\0';
	assert_int_equal(qes_theme_rename(f->st, "Fear", big, &f->err), QES_ELIMIT);
	assert_non_null(strstr(f->err.message, "QES_MAX_NAME_TEXT"));
	assert_int_equal(qes_code_add(f->st, big, NULL, NULL, &id, &f->err), QES_ELIMIT);
	assert_int_equal(qes_keyword_add(f->st, big, 0, &f->err), QES_ELIMIT);
	big[QES_MAX_NAME_TEXT] = '\0';   /* at the limit: taken */
	assert_int_equal(qes_theme_rename(f->st, "Fear", big, &f->err), 0);
	free(big);
}

static void code_focus_group(fixture *f)
{
	focus_group(f);
	span(f, "ann", "FG", 30, 38, "Parent/Hiding", QES_CODING_QUOTE | QES_CODING_ILLUSTRATIVE);
	span(f, "ann", "FG", 30, 54, "Parent/Shame", QES_CODING_QUOTE);
	span(f, "ann", "FG", 62, 81, "Staff/Watching", 0);
	span(f, "ann", "FG", 13, 24, "Parent/Shame", 0);
	span(f, "bob", "FG", 32, 38, "Parent/Shame", 0);
	add_theme(f, "Concealment", "descriptive", NULL);
	add_theme(f, "Surveillance", "descriptive", NULL);
	add_theme(f, "Living under watch", "analytical", NULL);
	char *parent[] = { W("Parent") }, *watch[] = { W("Staff/Watching") };
	char *both[] = { W("Concealment"), W("Surveillance") };
	assert_int_equal(qes_theme_codes(f->st, "Concealment", parent, 1, 0, &f->err), 0);
	assert_int_equal(qes_theme_codes(f->st, "Surveillance", watch, 1, 0, &f->err), 0);
	assert_int_equal(qes_theme_group(f->st, "Living under watch", both, 2, 0, &f->err), 0);
}

static json_t *row_of(json_t *m, const char *theme)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(m, "rows"), i, r)
		if (!strcmp(json_string_value(json_object_get(r, "theme")), theme))
			return r;
	fail_msg("no row %s", theme);
	return NULL;
}

static long long cell(json_t *m, const char *theme, const char *col, const char *what)
{
	json_t *r = row_of(m, theme);
	json_t *c = col ? json_object_get(json_object_get(r, "cells"), col) : json_object_get(r, "total");
	return c ? json_integer_value(json_object_get(c, what)) : -1;
}

/* By hand: Concealment (folder Parent: Hiding, Shame) = s1 s2 s4 s5:
 * parent s1 s2 s5 = 3 spans, mixed s4 = 1. Surveillance = s3:
 * practitioner 1. Living under watch = all five. No study anywhere. */
static void matrix_by_hand(void **state)
{
	fixture *f = *state;
	code_focus_group(f);
	json_t *m = qes_query_matrix_json(f->st, NULL, NULL, &f->err);
	assert_non_null(m);
	json_t *cols = json_object_get(m, "columns");
	assert_int_equal(json_array_size(cols), 3);
	assert_string_equal(json_string_value(json_array_get(cols, 0)), "mixed");
	assert_string_equal(json_string_value(json_array_get(cols, 1)), "parent");
	assert_string_equal(json_string_value(json_array_get(cols, 2)), "practitioner");
	assert_int_equal(cell(m, "Concealment", "parent", "spans"), 3);
	assert_int_equal(cell(m, "Concealment", "mixed", "spans"), 1);
	assert_int_equal(cell(m, "Concealment", "practitioner", "spans"), -1);
	assert_int_equal(cell(m, "Concealment", NULL, "spans"), 4);
	assert_int_equal(cell(m, "Concealment", NULL, "studies"), 0);
	assert_int_equal(cell(m, "Concealment", NULL, "sources"), 1);
	assert_int_equal(cell(m, "Surveillance", "practitioner", "spans"), 1);
	assert_int_equal(cell(m, "Living under watch", NULL, "spans"), 5);
	json_decref(m);
	/* by role: the facilitator's line has no role: "(none)" comes last */
	m = qes_query_matrix_json(f->st, "role", NULL, &f->err);
	cols = json_object_get(m, "columns");
	assert_string_equal(json_string_value(json_array_get(cols, json_array_size(cols) - 1)), "(none)");
	assert_int_equal(cell(m, "Concealment", "mother", "spans"), 3);
	assert_int_equal(cell(m, "Concealment", "(none)", "spans"), 1);
	json_decref(m);
	/* blinded: FG in the sample, nobody done: bob sees s5 only */
	long drawn = 0;
	assert_int_equal(qes_code_sample(f->st, 1.0, 1, &drawn, &f->err), 0);
	m = qes_query_matrix_json(f->st, NULL, "bob", &f->err);
	assert_int_equal(cell(m, "Living under watch", NULL, "spans"), 1);
	json_decref(m);
	m = qes_query_matrix_json(f->st, NULL, "nobody", &f->err);
	assert_int_equal(cell(m, "Living under watch", NULL, "spans"), 0);
	json_decref(m);
}

/* Same coder only: ann's s1 x s2 (Hiding x Shame, 8 characters); bob's
 * s5 overlaps s1 but is bob's. */
static void cooccurrence(void **state)
{
	fixture *f = *state;
	code_focus_group(f);
	json_t *c = qes_query_cooccur_json(f->st, NULL, NULL, &f->err);
	assert_non_null(c);
	json_t *p = json_object_get(c, "pairs");
	assert_int_equal(json_array_size(p), 1);
	json_t *a = json_array_get(p, 0);
	assert_string_equal(json_string_value(json_object_get(a, "code_a")), "Parent/Hiding");
	assert_string_equal(json_string_value(json_object_get(a, "code_b")), "Parent/Shame");
	assert_int_equal(json_integer_value(json_object_get(a, "overlaps")), 1);
	assert_int_equal(json_integer_value(json_object_get(a, "chars")), 8);
	json_decref(c);
	c = qes_query_cooccur_json(f->st, "bob", NULL, &f->err);
	assert_int_equal(json_array_size(json_object_get(c, "pairs")), 0);
	json_decref(c);
	assert_null(qes_query_cooccur_json(f->st, "nobody", NULL, &f->err));
	assert_int_equal(f->err.code, QES_ENOTFOUND);
}

/* Trace, list counts and the themes table over the same codings. */
static void trace_list_table(void **state)
{
	fixture *f = *state;
	code_focus_group(f);
	json_t *t = qes_theme_trace_json(f->st, "Living under watch", NULL, &f->err);
	assert_non_null(t);
	assert_int_equal(json_array_size(json_object_get(t, "spans")), 5);
	assert_int_equal(json_array_size(json_object_get(t, "codes")), 3);   /* not the folder */
	assert_int_equal(json_array_size(json_object_get(t, "cases")), 3);
	assert_int_equal(json_array_size(json_object_get(t, "perspectives")), 3);
	json_t *s3 = json_array_get(json_object_get(t, "spans"), 4);
	assert_string_equal(json_string_value(json_object_get(s3, "text")), "We watch for signs.");
	assert_string_equal(json_string_value(json_array_get(json_object_get(s3, "cases"), 0)), "Nurse");
	json_decref(t);
	json_t *l = qes_theme_list_json(f->st, NULL, &f->err);
	assert_non_null(l);
	/* tree order: the analytical theme first */
	json_t *first = json_array_get(l, 0);
	assert_string_equal(json_string_value(json_object_get(first, "name")), "Living under watch");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(first, "counts"), "cases")), 3);
	json_decref(l);
	/* no subthemes: the analytical theme is its own row; quotes s1
	 * (illustrative) and s2 overlap: one passage, one quote, s1's words */
	json_t *tab = qes_theme_table_json(f->st, 0, NULL, &f->err);
	json_t *rows = json_object_get(tab, "rows");
	assert_int_equal(json_array_size(rows), 1);
	json_t *q = json_object_get(json_array_get(rows, 0), "quotes");
	assert_int_equal(json_array_size(q), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(q, 0), "text")), "I hid it");
	assert_string_equal(json_string_value(json_object_get(json_array_get(q, 0), "role")), "mother");
	assert_true(json_is_null(json_object_get(json_array_get(q, 0), "study")));
	json_decref(tab);
}

/* "Åsa" decomposed in the source: NFC makes Å one code point, so the
 * second "ÅSA" (found by a lower-case "åsa") starts at code point 10:
 * "Åsa, then " is Å s a , space t h e n space. */
static void search_unicode(void **state)
{
	fixture *f = *state;
	add_text(f, "S", "A\xcc\x8asa, then \xc3\x85SA again.\nEnd");
	json_t *r = qes_query_search_json(f->st, "\xc3\xa5sa", NULL, 3, 0, &f->err);
	assert_non_null(r);
	json_t *h = json_object_get(r, "hits");
	assert_int_equal(json_array_size(h), 2);
	json_t *b = json_array_get(h, 1);
	assert_int_equal(json_integer_value(json_object_get(b, "start")), 10);
	assert_int_equal(json_integer_value(json_object_get(b, "end")), 13);
	assert_string_equal(json_string_value(json_object_get(b, "text")), "\xc3\x85SA");
	assert_string_equal(json_string_value(json_object_get(b, "before")), "en ");
	assert_string_equal(json_string_value(json_object_get(b, "after")), " ag");
	json_decref(r);
	r = qes_query_search_json(f->st, "again. end", NULL, 0, 0, &f->err);   /* not across a line */
	assert_int_equal(json_array_size(json_object_get(r, "hits")), 0);
	json_decref(r);
	r = qes_query_search_json(f->st, "a", "S", 0, 2, &f->err);
	assert_int_equal(json_array_size(json_object_get(r, "hits")), 2);   /* the limit */
	json_decref(r);
	assert_null(qes_query_search_json(f->st, "", NULL, 0, 0, &f->err));
	assert_int_equal(f->err.code, QES_EINVAL);
}

/* Framework by case with a summary; the summary goes with its theme. */
static void framework_summary(void **state)
{
	fixture *f = *state;
	code_focus_group(f);
	assert_int_equal(qes_theme_summary_set(f->st, "case", "Mum", "Concealment",
					       "Hides from the nurse", &f->err), 0);
	assert_int_equal(qes_theme_summary_set(f->st, "case", "Nobody", "Concealment", "x", &f->err),
			 QES_ENOTFOUND);
	assert_int_equal(qes_theme_summary_set(f->st, "study", "S1", "Concealment", "x", &f->err),
			 QES_ENOTFOUND);
	json_t *fw = qes_query_framework_json(f->st, "case", "descriptive", NULL, &f->err);
	assert_non_null(fw);
	json_t *rows = json_object_get(fw, "rows");
	assert_int_equal(json_array_size(rows), 3);   /* Group, Mum, Nurse */
	json_t *mum = json_object_get(json_object_get(json_array_get(rows, 1), "cells"), "Concealment");
	assert_int_equal(json_integer_value(json_object_get(mum, "spans")), 3);
	assert_string_equal(json_string_value(json_object_get(mum, "quote")), "I hid it");
	assert_string_equal(json_string_value(json_object_get(mum, "summary")), "Hides from the nurse");
	json_t *g = qes_query_grid("framework", fw, &f->err);
	assert_non_null(g);
	assert_string_equal(json_string_value(json_array_get(json_array_get(g, 2), 1)),
			    "Hides from the nurse\n1 passage (3 spans): \xe2\x80\x9cI hid it\xe2\x80\x9d");
	char *csv = NULL, *html = NULL;
	assert_int_equal(qes_grid_csv(g, &csv, &f->err), 0);
	assert_non_null(strstr(csv, "Mum,\"Hides from the nurse\n1 passage (3 spans): \xe2\x80\x9cI hid it\xe2\x80\x9d\""));
	assert_int_equal(qes_grid_html(g, "x\"y", &html, &f->err), 0);
	assert_non_null(strstr(html, "<table class=\"x&quot;y\">"));
	assert_non_null(strstr(html, "<td>Hides from the nurse<br>1 passage (3 spans):"));
	free(csv);
	free(html);
	json_decref(g);
	json_decref(fw);
	assert_null(qes_query_framework_json(f->st, "source", NULL, NULL, &f->err));
	assert_int_equal(qes_theme_remove(f->st, "Concealment", &f->err), 0);
	assert_int_equal(qes_store_count(f->st, "theme_summaries", &f->err), 0);
}

/* Markup in names and quotes is escaped in the HTML themes table, and a
 * quote with a comma and a quote mark is one CSV field. */
static void table_escaping(void **state)
{
	fixture *f = *state;
	add_text(f, "S", "She said \"no, <never> & never\".");
	assert_int_equal(qes_code_add(f->st, "C", NULL, NULL, NULL, &f->err), 0);
	span(f, "ann", "S", 9, 30, "C", QES_CODING_QUOTE);   /* the quotation marks too */
	add_theme(f, "A <b>", "descriptive", NULL);
	char *c[] = { W("C") };
	assert_int_equal(qes_theme_codes(f->st, "A <b>", c, 1, 0, &f->err), 0);
	char *html = NULL, *csv = NULL;
	assert_int_equal(qes_theme_table_html(f->st, 3, NULL, &html, &f->err), 0);
	assert_non_null(strstr(html, "<td>A &lt;b&gt;</td>"));
	assert_non_null(strstr(html, "&quot;no, &lt;never&gt; &amp; never&quot;"));
	assert_null(strstr(html, "<never>"));
	assert_int_equal(qes_theme_table_csv(f->st, 3, NULL, &csv, &f->err), 0);
	assert_non_null(strstr(csv, "A <b>,,\"\"\"no, <never> & never\"\"\",,,,,S,participant quote\r\n"));
	free(html);
	free(csv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(tree_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(text_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(matrix_by_hand, setup, teardown),
		cmocka_unit_test_setup_teardown(cooccurrence, setup, teardown),
		cmocka_unit_test_setup_teardown(trace_list_table, setup, teardown),
		cmocka_unit_test_setup_teardown(search_unicode, setup, teardown),
		cmocka_unit_test_setup_teardown(framework_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(table_escaping, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
