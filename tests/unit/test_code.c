/* test_code.c: coding for thematic synthesis through the library API:
 * code-point offsets on non-ASCII text, overlapping spans, the code tree,
 * blinding of the double-coding sample, and character-level agreement
 * against a hand computation. */
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
#include "code_internal.h"
#include "qes/code.h"
#include "qes/store.h"


static int setup(void **state)
{
	fixture *f = fixture_new("code");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

static long long add_text(fixture *f, const char *name, const char *text)
{
	qes_code_source_opts o = { .name = name, .kind = "results" };
	long long id = 0;
	assert_int_equal(qes_code_source_add_text(f->st, text, strlen(text), &o, &id, &f->err), 0);
	return id;
}

/* "Cafe" + combining acute, CRLF, "x": NFC makes é one code point and the
 * CRLF one LF, so the text is 6 code points in 7 bytes. */
static void normalise_and_offsets(void **state)
{
	(void)state;
	char *out = NULL;
	size_t len = 0;
	long cps = 0;
	qes_error err;
	qes_error_clear(&err);
	assert_int_equal(qes_code_normalise("Cafe\xcc\x81\r\nx\ry", 11, &out, &len, &cps, &err), 0);
	assert_string_equal(out, "Caf\xc3\xa9\nx\ny");
	assert_int_equal(cps, 8);
	assert_int_equal(len, 9);
	assert_int_equal(qes_code_cp_to_byte(out, len, 3), 3);   /* é starts at byte 3 */
	assert_int_equal(qes_code_cp_to_byte(out, len, 4), 5);   /* LF after the two-byte é */
	assert_int_equal(qes_code_cp_to_byte(out, len, 99), len);
	assert_int_equal(qes_code_byte_to_cp(out, 5), 4);
	free(out);
	assert_int_equal(qes_code_normalise("a\xff", 2, &out, &len, &cps, &err), QES_EFORMAT);
	assert_null(out);
	char guid[37];
	qes_code_guid(guid);
	assert_int_equal(strlen(guid), 36);
	assert_int_equal(guid[14], '4');
	assert_non_null(strchr("89ab", guid[19]));
}

/* Source written with a decomposed Å: "Åsa said “no”. Åsa said “yes”."
 * "Åsa said “no”. " is 15 code points, "Åsa said " 9 more: “yes” is
 * [24, 29) — by hand, counting Å, “ and ” as one each. */
static void find_counts_code_points(void **state)
{
	fixture *f = *state;
	add_text(f, "S1", "A\xcc\x8asa said \xe2\x80\x9cno\xe2\x80\x9d. A\xcc\x8asa said \xe2\x80\x9cyes\xe2\x80\x9d.");
	assert_int_equal(qes_code_add(f->st, "Voice", NULL, NULL, NULL, &f->err), 0);
	long long id = 0;
	assert_int_equal(qes_code_find(f->st, "ann", "S1", "\xe2\x80\x9cyes\xe2\x80\x9d", "Voice",
				       QES_CODING_QUOTE, NULL, &id, &f->err), 0);
	/* the needle decomposed too: NFC on both sides, same first match */
	assert_int_equal(qes_code_find(f->st, "ann", "S1", "A\xcc\x8asa said", "Voice", 0, "memo",
				       &id, &f->err), 0);
	json_t *l = qes_code_list_json(f->st, NULL, &f->err);
	assert_non_null(l);
	assert_int_equal(json_array_size(l), 2);
	json_t *first = json_array_get(l, 0), *second = json_array_get(l, 1);
	assert_int_equal(json_integer_value(json_object_get(first, "start")), 0);
	assert_int_equal(json_integer_value(json_object_get(first, "end")), 8);
	assert_string_equal(json_string_value(json_object_get(first, "text")), "\xc3\x85sa said");
	assert_string_equal(json_string_value(json_object_get(first, "memo")), "memo");
	assert_int_equal(json_integer_value(json_object_get(second, "start")), 24);
	assert_int_equal(json_integer_value(json_object_get(second, "end")), 29);
	assert_string_equal(json_string_value(json_object_get(second, "kind")), "quote");
	json_decref(l);
	/* a span past the end (30 code points) is refused, nothing written */
	assert_int_equal(qes_code_span(f->st, "ann", "S1", 25, 31, "Voice", 0, NULL, NULL, &f->err),
			 QES_EINVAL);
	assert_int_equal(qes_code_span(f->st, "ann", "S1", 29, 30, "Voice", 0, NULL, NULL, &f->err), 0);
	assert_int_equal(qes_code_find(f->st, "ann", "S1", "absent", "Voice", 0, NULL, NULL, &f->err),
			 QES_ENOTFOUND);
}

/* Two codes on overlapping spans by one coder, and the tree: parents are
 * folders, the code filter takes a folder's descendants, not a prefix. */
static void overlapping_spans_and_tree(void **state)
{
	fixture *f = *state;
	add_text(f, "S1", "We feared they would take the children; the worker listened.");
	long long fear = 0, trust = 0, again = 0;
	assert_int_equal(qes_code_add(f->st, "Parent/Fear of removal", "#aa0000", "m", &fear, &f->err), 0);
	assert_int_equal(qes_code_add(f->st, "Parent/Trust", NULL, NULL, &trust, &f->err), 0);
	assert_int_equal(qes_code_add(f->st, "Parents", NULL, NULL, NULL, &f->err), 0);
	assert_int_equal(qes_code_add(f->st, "Parent/Trust", NULL, NULL, &again, &f->err), QES_EEXIST);
	assert_int_equal(qes_code_add(f->st, "Parent//x", NULL, NULL, NULL, &f->err), QES_EINVAL);
	assert_int_equal(qes_code_add(f->st, "Bad", "red", NULL, NULL, &f->err), QES_EINVAL);
	long long parent = 0;
	assert_int_equal(qes_code_find_code(f->st, "Parent", &parent, &f->err), 0);
	assert_true(parent < fear && fear < trust);
	assert_int_equal(qes_code_span(f->st, "ann", "S1", 3, 38, "Parent/Fear of removal", 0, NULL, NULL, &f->err), 0);
	assert_int_equal(qes_code_span(f->st, "ann", "S1", 30, 60, "Parent/Trust", 0, NULL, NULL, &f->err), 0);
	assert_int_equal(qes_code_span(f->st, "ann", "S1", 40, 60, "Parents", 0, NULL, NULL, &f->err), 0);
	qes_code_filter flt = { NULL, "Parent", NULL };
	json_t *l = qes_code_list_json(f->st, &flt, &f->err);
	assert_int_equal(json_array_size(l), 2);   /* not "Parents" */
	assert_string_equal(json_string_value(json_object_get(json_array_get(l, 0), "text")),
			    "feared they would take the children");
	assert_string_equal(json_string_value(json_object_get(json_array_get(l, 1), "text")),
			    "children; the worker listened.");
	json_decref(l);
	json_t *s = qes_code_stats_json(f->st, &f->err);
	assert_int_equal(json_integer_value(json_object_get(s, "codes")), 3);
	assert_int_equal(json_integer_value(json_object_get(s, "folders")), 1);
	assert_int_equal(json_integer_value(json_object_get(s, "codings")), 3);
	assert_int_equal(json_integer_value(json_object_get(s, "notes")), 1);
	json_decref(s);
}

static size_t count_as(fixture *f, const char *as)
{
	qes_code_filter flt = { NULL, NULL, as };
	json_t *l = qes_code_list_json(f->st, &flt, &f->err);
	assert_non_null(l);
	size_t n = json_array_size(l);
	json_decref(l);
	return n;
}

/* A sampled source: each coder sees only their own codings until both
 * marked it done; an unsampled source is open to all. */
static void blinding(void **state)
{
	fixture *f = *state;
	add_text(f, "S1", "The social worker explained every step to us.");
	assert_int_equal(qes_code_add(f->st, "Trust", NULL, NULL, NULL, &f->err), 0);
	long drawn = 0;
	assert_int_equal(qes_code_sample(f->st, 1.0, 7, &drawn, &f->err), 0);
	assert_int_equal(drawn, 1);
	assert_int_equal(qes_code_find(f->st, "ann", "S1", "explained every step", "Trust", 0, NULL, NULL, &f->err), 0);
	assert_int_equal(qes_code_find(f->st, "bob", "S1", "social worker explained", "Trust", 0, NULL, NULL, &f->err), 0);
	assert_int_equal(count_as(f, "ann"), 1);
	assert_int_equal(count_as(f, "bob"), 1);
	assert_int_equal(count_as(f, "carol"), 0);
	assert_int_equal(count_as(f, NULL), 2);
	assert_int_equal(qes_code_done(f->st, "ann", "S1", &f->err), 0);
	assert_int_equal(count_as(f, "ann"), 1);
	assert_int_equal(qes_code_done(f->st, "bob", "S1", &f->err), 0);
	assert_int_equal(count_as(f, "ann"), 2);
	add_text(f, "S2", "Nobody told us anything.");
	assert_int_equal(qes_code_find(f->st, "bob", "S2", "Nobody", "Trust", 0, NULL, NULL, &f->err), 0);
	assert_int_equal(count_as(f, "ann"), 3);   /* S2 is not in the sample (drawn before it) */
}

static double num(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

/* 20 code points with non-ASCII ("Åsa feared the ward."), code X:
 * ann [0,12), bob [4,16). By hand: both 8, ann only 4, bob only 4,
 * neither 4. po = 12/20 = 0.6; each coder codes 12/20, so pe = 0.6*0.6 +
 * 0.4*0.4 = 0.52; kappa = (0.6 - 0.52) / 0.48 = 1/6.
 * Coded only (16 characters): po = 8/16 = 0.5; pe = 0.75^2 + 0.25^2 =
 * 0.625; kappa = (0.5 - 0.625) / 0.375 = -1/3. */
static void agreement_by_hand(void **state)
{
	fixture *f = *state;
	add_text(f, "S1", "\xc3\x85sa feared the ward.");
	assert_int_equal(qes_code_add(f->st, "X", NULL, NULL, NULL, &f->err), 0);
	assert_int_equal(qes_code_span(f->st, "ann", "S1", 0, 12, "X", 0, NULL, NULL, &f->err), 0);
	assert_int_equal(qes_code_span(f->st, "bob", "S1", 4, 16, "X", 0, NULL, NULL, &f->err), 0);
	/* a second, overlapping ann span on the same code counts each character once */
	assert_int_equal(qes_code_span(f->st, "ann", "S1", 2, 6, "X", 0, NULL, NULL, &f->err), 0);
	json_t *a = qes_code_agreement_json(f->st, "ann", "bob", 0, &f->err);
	assert_non_null(a);
	json_t *p = json_object_get(a, "pooled");
	assert_int_equal(json_integer_value(json_object_get(p, "chars")), 20);
	assert_int_equal(json_integer_value(json_object_get(p, "both")), 8);
	assert_int_equal(json_integer_value(json_object_get(p, "a_only")), 4);
	assert_int_equal(json_integer_value(json_object_get(p, "b_only")), 4);
	assert_float_equal(num(p, "agreement"), 60.0, 1e-9);
	assert_float_equal(num(p, "kappa"), 1.0 / 6.0, 1e-9);
	json_decref(a);
	a = qes_code_agreement_json(f->st, "ann", "bob", 1, &f->err);
	p = json_object_get(a, "pooled");
	assert_int_equal(json_integer_value(json_object_get(p, "chars")), 16);
	assert_float_equal(num(p, "agreement"), 50.0, 1e-9);
	assert_float_equal(num(p, "kappa"), -1.0 / 3.0, 1e-9);
	json_decref(a);
	assert_null(qes_code_agreement_json(f->st, "ann", "nobody", 0, &f->err));
	assert_int_equal(f->err.code, QES_ENOTFOUND);
}

/* document.xml: paragraphs to lines, runs joined, w:tab a tab, w:br a
 * line break, text outside the Word namespace ignored; a DTD is refused,
 * and so is anything that is not a zip. */
static void docx_document_xml(void **state)
{
	(void)state;
	static const char xml[] =
		"<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/"
		"wordprocessingml/2006/main\" xmlns:o=\"urn:other\"><w:body>"
		"<w:p><w:r><w:t xml:space=\"preserve\">Fear of </w:t></w:r><w:r><w:t>removal</w:t></w:r></w:p>"
		"<w:p><w:r><w:t>P1:</w:t><w:tab/><w:t>\xe2\x80\x9cno\xe2\x80\x9d</w:t><w:br/><w:t>x</w:t></w:r>"
		"<o:t>hidden</o:t></w:p></w:body></w:document>";
	char *out = NULL;
	size_t len = 0;
	qes_error err;
	qes_error_clear(&err);
	assert_int_equal(qes__code_docx_xml(xml, sizeof(xml) - 1, &out, &len, &err), 0);
	assert_string_equal(out, "Fear of removal\nP1:\t\xe2\x80\x9cno\xe2\x80\x9d\nx\n");
	assert_int_equal(len, strlen(out));
	free(out);
	static const char dtd[] = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\">]><d>&a;</d>";
	assert_int_equal(qes__code_docx_xml(dtd, sizeof(dtd) - 1, &out, &len, &err), QES_EFORMAT);
	assert_null(out);
	assert_int_equal(qes_code_docx_text("PK\3\4 not really", 17, &out, &len, &err), QES_EFORMAT);
	assert_null(out);
}


/* The one definition of a passage: spans of one source in one group that
 * overlap, directly or through a chain, are one passage numbered by its
 * first coding; spans that only touch are two; another group or source
 * starts afresh. */
static void passages(void **state)
{
	fixture *f = *state;
	add_text(f, "A", "0123456789012345678901234567890123456789");
	add_text(f, "B", "0123456789012345678901234567890123456789");
	assert_int_equal(qes_code_add(f->st, "C", NULL, NULL, NULL, &f->err), 0);
	/* A: [0,5) [3,8) [7,9) chain into one; [9,12) touches [7,9) only: two.
	 * B: [0,5) by bob overlaps nothing else. Group 2: A [4,6) alone. */
	static const struct { const char *who, *src; long s, e; } sp[] = {
		{ "ann", "A", 0, 5 }, { "bob", "A", 3, 8 }, { "ann", "A", 7, 9 },
		{ "bob", "A", 9, 12 }, { "bob", "B", 0, 5 }, { "ann", "A", 4, 6 },
	};
	long long id[6];
	for (int i = 0; i < 6; i++)
		assert_int_equal(qes_code_span(f->st, sp[i].who, sp[i].src, sp[i].s, sp[i].e, "C", 0,
					       NULL, &id[i], &f->err), 0);
	char sql[512];
	snprintf(sql, sizeof(sql), "SELECT CASE WHEN id = %lld THEN 2 ELSE 1 END AS g, id,"
		 " source_id, start, end FROM code_codings ORDER BY g, source_id, start, end, id",
		 id[5]);
	assert_int_equal(qes__code_passage_table(f->st, "tp", &f->err), 0);
	assert_int_equal(qes__code_passages(f->st, sql, "temp.tp", &f->err), 0);
	long long want[6] = { id[0], id[0], id[0], id[3], id[4], id[5] };
	for (int i = 0; i < 6; i++) {
		snprintf(sql, sizeof(sql), "SELECT passage FROM temp.tp WHERE coding_id = %lld", id[i]);
		assert_int_equal(qes_store_count(f->st, sql, &f->err), want[i]);
	}
	assert_int_equal(qes_store_count(f->st, "SELECT count(DISTINCT passage) FROM temp.tp",
					 &f->err), 4);
}

/* An inductive sample: until every sampled source is done by two coders,
 * each coder's code tree and listing leave out the other's codes. */
static void inductive_blinding(void **state)
{
	fixture *f = *state;
	add_text(f, "A", "Mothers kept it hidden from the nurse.");
	add_text(f, "B", "Fathers were not asked.");
	assert_int_equal(qes_code_add(f->st, "Ann/Hiding", NULL, NULL, NULL, &f->err), 0);
	assert_int_equal(qes_code_add(f->st, "Bob/Secrecy", NULL, NULL, NULL, &f->err), 0);
	long n = 0;
	assert_int_equal(qes_code_sample(f->st, 0.5, 7, &n, &f->err), 0);
	assert_int_equal(qes_code_sample_mode_set(f->st, "inductive", &f->err), 0);
	assert_string_equal(qes_code_sample_mode(f->st), "inductive");
	assert_int_equal(qes_code_sample_mode_set(f->st, "other", &f->err), QES_EINVAL);
	assert_int_equal(qes_code_span(f->st, "ann", "A", 8, 22, "Ann/Hiding", 0, NULL, NULL,
				       &f->err), 0);
	assert_int_equal(qes_code_span(f->st, "bob", "A", 8, 22, "Bob/Secrecy", 0, NULL, NULL,
				       &f->err), 0);
	/* on B too: not sampled, yet bob's code name must stay hidden */
	assert_int_equal(qes_code_span(f->st, "bob", "B", 0, 7, "Bob/Secrecy", 0, NULL, NULL,
				       &f->err), 0);
	assert_int_equal(qes_code_span(f->st, "ann", "B", 0, 7, "Ann/Hiding", 0, NULL, NULL,
				       &f->err), 0);
	json_t *t = qes_code_tree_json(f->st, "ann", &f->err);
	char *d = json_dumps(t, 0);
	assert_null(strstr(d, "Bob"));
	assert_non_null(strstr(d, "Ann/Hiding"));
	free(d);
	json_decref(t);
	qes_code_filter fl = { NULL, NULL, "ann" };
	json_t *l = qes_code_list_json(f->st, &fl, &f->err);
	assert_int_equal(json_array_size(l), 2);   /* her two spans only */
	json_decref(l);
	/* every sampled source done by both: all is open */
	json_t *srcs = qes_code_sources_json(f->st, NULL, &f->err);
	size_t i;
	json_t *s;
	json_array_foreach(srcs, i, s)
		if (json_is_true(json_object_get(s, "sampled"))) {
			const char *name = json_string_value(json_object_get(s, "name"));
			assert_int_equal(qes_code_done(f->st, "ann", name, &f->err), 0);
			assert_int_equal(qes_code_done(f->st, "bob", name, &f->err), 0);
		}
	json_decref(srcs);
	l = qes_code_list_json(f->st, &fl, &f->err);
	assert_int_equal(json_array_size(l), 4);
	json_decref(l);
	t = qes_code_tree_json(f->st, "ann", &f->err);
	assert_int_equal(json_array_size(t), 4);   /* Ann, Ann/Hiding, Bob, Bob/Secrecy */
	json_decref(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalise_and_offsets),
		cmocka_unit_test(docx_document_xml),
		cmocka_unit_test_setup_teardown(find_counts_code_points, setup, teardown),
		cmocka_unit_test_setup_teardown(overlapping_spans_and_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(blinding, setup, teardown),
		cmocka_unit_test_setup_teardown(agreement_by_hand, setup, teardown),
		cmocka_unit_test_setup_teardown(passages, setup, teardown),
		cmocka_unit_test_setup_teardown(inductive_blinding, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
