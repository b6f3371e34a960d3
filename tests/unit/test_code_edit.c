/* test_code_edit.c: lib/code_edit.c. Changing and deleting a coding (its
 * coder or an owner only, each one transaction that leaves nothing behind
 * when refused), and the blinded views the web page reads: sources with a
 * coder's progress, the code tree's counts (a folder counts its
 * descendants), notes, one coding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "fixture.h"

#include <string.h>
#include "qes/code.h"
#include "qes/store.h"

static int setup(void **state)
{
	fixture *f = fixture_new("code-edit");
	qes_code_source_opts o = { .name = "S1", .kind = "results" };
	/* "Mum: 😀 we were scared." — the emoji is one code point. */
	const char *t1 = "Mum: \xf0\x9f\x98\x80 we were scared.";
	assert_int_equal(qes_code_source_add_text(f->st, t1, strlen(t1), &o, NULL, &f->err), 0);
	o.name = "S2";
	o.kind = "transcript";
	const char *t2 = "Dad: nobody explained the report.";
	assert_int_equal(qes_code_source_add_text(f->st, t2, strlen(t2), &o, NULL, &f->err), 0);
	assert_int_equal(qes_code_add(f->st, "Parent/Fear", "#aa0000", NULL, NULL, &f->err), 0);
	assert_int_equal(qes_code_add(f->st, "Parent/Silence", NULL, NULL, NULL, &f->err), 0);
	assert_int_equal(qes_code_add(f->st, "Other", NULL, NULL, NULL, &f->err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

static long long span(fixture *f, const char *coder, const char *src, long a, long b,
		      const char *code)
{
	long long id = 0;
	assert_int_equal(qes_code_span(f->st, coder, src, a, b, code, 0, NULL, &id, &f->err), 0);
	return id;
}

/* One row of qes_code_list_json (everything) by id, or NULL. */
static json_t *row(fixture *f, long long id)
{
	json_t *c = qes_code_coding_json(f->st, id, NULL, &f->err);
	if (!c)
		assert_int_equal(f->err.code, QES_ENOTFOUND);
	return c;
}

static void update_by_coder_and_owner(void **state)
{
	fixture *f = *state;
	long long a = span(f, "ann", "S1", 5, 14, "Parent/Fear");
	json_t *c = row(f, a);
	assert_string_equal(json_string_value(json_object_get(c, "text")), "\xf0\x9f\x98\x80 we were");
	json_decref(c);

	qes_code_change ch = { "Parent/Silence", "quote", 1 };
	/* bob is not ann, and no owner: refused, nothing changed */
	assert_int_equal(qes_code_coding_update(f->st, a, "bob", 0, &ch, &f->err), QES_EPERM);
	assert_non_null(strstr(f->err.message, "ann"));
	assert_int_equal(qes_code_coding_update(f->st, a, NULL, 0, &ch, &f->err), QES_EPERM);
	c = row(f, a);
	assert_string_equal(json_string_value(json_object_get(c, "code")), "Parent/Fear");
	assert_string_equal(json_string_value(json_object_get(c, "kind")), "");
	assert_false(json_is_true(json_object_get(c, "illustrative")));
	json_decref(c);

	/* ann changes all three */
	assert_int_equal(qes_code_coding_update(f->st, a, "ann", 0, &ch, &f->err), 0);
	c = row(f, a);
	assert_string_equal(json_string_value(json_object_get(c, "code")), "Parent/Silence");
	assert_string_equal(json_string_value(json_object_get(c, "kind")), "quote");
	assert_true(json_is_true(json_object_get(c, "illustrative")));
	assert_int_equal(json_integer_value(json_object_get(c, "start")), 5);
	json_decref(c);

	/* an owner (any) changes only the kind; the rest is kept */
	qes_code_change k = { NULL, "interpretation", -1 };
	assert_int_equal(qes_code_coding_update(f->st, a, "bob", 1, &k, &f->err), 0);
	c = row(f, a);
	assert_string_equal(json_string_value(json_object_get(c, "code")), "Parent/Silence");
	assert_string_equal(json_string_value(json_object_get(c, "kind")), "interpretation");
	assert_true(json_is_true(json_object_get(c, "illustrative")));
	assert_string_equal(json_string_value(json_object_get(c, "coder")), "ann");
	json_decref(c);

	/* bad values: refused before anything is written */
	qes_code_change bad = { NULL, "both", -1 };
	assert_int_equal(qes_code_coding_update(f->st, a, "ann", 0, &bad, &f->err), QES_EINVAL);
	qes_code_change bad2 = { NULL, NULL, 2 };
	assert_int_equal(qes_code_coding_update(f->st, a, "ann", 0, &bad2, &f->err), QES_EINVAL);
	qes_code_change nocode = { "Nope", "", 0 };
	assert_int_equal(qes_code_coding_update(f->st, a, "ann", 0, &nocode, &f->err), QES_ENOTFOUND);
	c = row(f, a);
	assert_string_equal(json_string_value(json_object_get(c, "kind")), "interpretation");
	json_decref(c);
	assert_int_equal(qes_code_coding_update(f->st, 9999, "ann", 1, &k, &f->err), QES_ENOTFOUND);
}

static void delete_takes_the_notes(void **state)
{
	fixture *f = *state;
	long long a = span(f, "ann", "S1", 0, 3, "Parent/Fear");
	long long b = span(f, "bob", "S1", 0, 3, "Parent/Fear");
	json_t *c = row(f, a);
	assert_int_equal(qes_code_note_add(f->st, "coding", json_string_value(json_object_get(c, "guid")),
					   "ann", "a thought", &f->err), 0);
	json_decref(c);
	assert_int_equal(qes_code_coding_delete(f->st, a, "bob", 0, &f->err), QES_EPERM);
	assert_non_null((c = row(f, a)));
	json_decref(c);
	assert_int_equal(qes_code_coding_delete(f->st, a, "ann", 0, &f->err), 0);
	assert_null(row(f, a));
	json_t *n = qes_code_notes_json(f->st, "S1", NULL, &f->err);
	assert_non_null(n);
	assert_int_equal(json_array_size(n), 0);   /* the note went with its coding */
	json_decref(n);
	assert_int_equal(qes_code_coding_delete(f->st, a, "ann", 0, &f->err), QES_ENOTFOUND);
	/* an owner deletes bob's */
	assert_int_equal(qes_code_coding_delete(f->st, b, "ann", 1, &f->err), 0);
	json_t *l = qes_code_list_json(f->st, NULL, &f->err);
	assert_int_equal(json_array_size(l), 0);
	json_decref(l);
}

static long long count_of(json_t *tree, const char *path, const char *key)
{
	size_t i;
	json_t *v;
	json_array_foreach(tree, i, v) {
		if (!strcmp(json_string_value(json_object_get(v, "path")), path)) {
			json_t *x = json_object_get(v, key);
			return json_is_boolean(x) ? json_is_true(x) : json_integer_value(x);
		}
	}
	fail_msg("no code %s", path);
	return -1;
}

/* S1 sampled: ann and bob do not see each other's codings there (nor
 * their notes, nor in the counts) until both are done; S2 is open. */
static void views_are_blinded(void **state)
{
	fixture *f = *state;
	long drawn = 0;
	/* seed chosen so the draw is S1: checked below, not assumed */
	unsigned long long seed = 0;
	json_t *s = NULL;
	for (; seed < 64; seed++) {
		assert_int_equal(qes_code_sample(f->st, 0.5, seed, &drawn, &f->err), 0);
		s = qes_code_sources_json(f->st, "ann", &f->err);
		int s1 = json_is_true(json_object_get(json_array_get(s, 0), "sampled"));
		json_decref(s);
		if (s1)
			break;
	}
	assert_true(seed < 64);
	long long a = span(f, "ann", "S1", 5, 6, "Parent/Fear");
	span(f, "bob", "S1", 0, 3, "Parent/Fear");
	span(f, "bob", "S2", 0, 3, "Parent/Silence");
	json_t *ca = qes_code_coding_json(f->st, a, "ann", &f->err);
	assert_non_null(ca);
	assert_string_equal(json_string_value(json_object_get(ca, "text")), "\xf0\x9f\x98\x80");
	assert_int_equal(qes_code_note_add(f->st, "coding", json_string_value(json_object_get(ca, "guid")),
					   "ann", "ann's note", &f->err), 0);
	json_decref(ca);
	assert_int_equal(qes_code_note_add(f->st, "source", "S1", "ann", "ann on S1", &f->err), 0);
	assert_int_equal(qes_code_note_add(f->st, "source", "S1", NULL, "team note", &f->err), 0);
	assert_int_equal(qes_code_note_add(f->st, "code", "Other", "bob", "bob on a code", &f->err), 0);

	/* bob cannot see ann's coding, nor get it by id */
	assert_null(qes_code_coding_json(f->st, a, "bob", &f->err));
	assert_int_equal(f->err.code, QES_ENOTFOUND);

	json_t *sb = qes_code_sources_json(f->st, "bob", &f->err);
	assert_non_null(sb);
	json_t *b1 = json_array_get(sb, 0), *b2 = json_array_get(sb, 1);
	assert_string_equal(json_string_value(json_object_get(b1, "name")), "S1");
	assert_int_equal(json_integer_value(json_object_get(b1, "length")), 22);
	assert_int_equal(json_integer_value(json_object_get(b1, "mine")), 1);
	assert_true(json_is_true(json_object_get(b1, "blinded")));
	assert_false(json_is_true(json_object_get(b2, "blinded")));
	assert_string_equal(json_string_value(json_object_get(b2, "kind")), "transcript");
	assert_true(json_is_null(json_object_get(b2, "study")));
	assert_null(json_object_get(b1, "text"));
	json_decref(sb);

	json_t *tb = qes_code_tree_json(f->st, "bob", &f->err), *ta = qes_code_tree_json(f->st, NULL, &f->err);
	assert_int_equal(count_of(tb, "Parent/Fear", "codings"), 1);   /* his own only */
	assert_int_equal(count_of(ta, "Parent/Fear", "codings"), 2);   /* everyone's */
	assert_int_equal(count_of(tb, "Parent", "codings"), 2);        /* folder: Fear 1 + Silence 1 */
	assert_int_equal(count_of(tb, "Parent", "sources"), 2);
	assert_int_equal(count_of(ta, "Other", "codings"), 0);
	assert_int_equal(count_of(ta, "Parent", "folder"), 1);
	assert_int_equal(count_of(ta, "Other", "folder"), 0);
	json_decref(tb);
	json_decref(ta);

	/* notes bob sees on S1: the team's and the code's, not ann's */
	json_t *nb = qes_code_notes_json(f->st, "S1", "bob", &f->err);
	assert_non_null(nb);
	assert_int_equal(json_array_size(nb), 2);
	size_t i;
	json_t *v;
	json_array_foreach(nb, i, v)
		assert_null(strstr(json_string_value(json_object_get(v, "text")), "ann"));
	json_decref(nb);
	json_t *na = qes_code_notes_json(f->st, "S1", "ann", &f->err);
	assert_int_equal(json_array_size(na), 4);
	json_decref(na);

	/* both done: bob sees everything */
	assert_int_equal(qes_code_done(f->st, "ann", "S1", &f->err), 0);
	assert_int_equal(qes_code_done(f->st, "bob", "S1", &f->err), 0);
	json_t *one = qes_code_source_json(f->st, "S1", "bob", &f->err);
	assert_non_null(one);
	assert_false(json_is_true(json_object_get(one, "blinded")));
	assert_true(json_is_true(json_object_get(one, "done")));
	assert_int_equal(json_integer_value(json_object_get(one, "done_by")), 2);
	assert_string_equal(json_string_value(json_object_get(one, "text")),
			    "Mum: \xf0\x9f\x98\x80 we were scared.");
	json_decref(one);
	ca = qes_code_coding_json(f->st, a, "bob", &f->err);
	assert_non_null(ca);
	json_decref(ca);
	nb = qes_code_notes_json(f->st, "S1", "bob", &f->err);
	assert_int_equal(json_array_size(nb), 4);
	json_decref(nb);
	assert_null(qes_code_source_json(f->st, "S9", "bob", &f->err));
	assert_int_equal(f->err.code, QES_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(update_by_coder_and_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(delete_takes_the_notes, setup, teardown),
		cmocka_unit_test_setup_teardown(views_are_blinded, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
