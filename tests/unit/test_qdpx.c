/* test_qdpx.c: REFI-QDA exchange through the library: the offset map over a
 * vendor's text (BOM, CRLF, lone CR, decomposed accents), safe XML reading
 * (DTD refused, schema problems with their line), internal:// paths that
 * try to leave sources/, derived GUIDs, and a project with a theme going
 * out and back in (the theme as a Set, re-import adding nothing). */
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
#include "qdpx_internal.h"
#include "qes/code.h"
#include "qes/qdpx.h"

/* BOM, "Cafe" + combining acute, CRLF, "x", CR, "yz". The file's offsets
 * count the BOM out, the accent and CR, LF each as one; qes's text is
 * "Café\nx\nyz". */
static void map_bom_crlf_nfc(void **state)
{
	(void)state;
	static const char raw[] = "\xEF\xBB\xBF" "Cafe\xCC\x81\r\nx\ryz";
	char *text = NULL;
	size_t tlen = 0;
	qes__qdpx_map m;
	qes__qdpx_textinfo ti;
	qes_error err;
	qes_error_clear(&err);
	assert_int_equal(qes__qdpx_text(raw, sizeof(raw) - 1, &text, &tlen, &m, &ti, &err), 0);
	assert_string_equal(text, "Caf\xC3\xA9\nx\nyz");
	assert_true(ti.bom);
	assert_int_equal(ti.crlf, 1);
	assert_int_equal(ti.cr, 1);
	assert_true(ti.nfc);
	assert_int_equal(m.file_cps, 11);   /* C a f e ◌́ CR LF x CR y z */
	assert_int_equal(m.text_cps, 9);    /* C a f é LF x LF y z */
	/* file offset -> text offset, by hand */
	/* [3,5) "é" in the file (e + accent) is [3,4) in the text */
	assert_int_equal(qes__qdpx_map_offset(&m, 3), 3);
	assert_int_equal(qes__qdpx_map_offset(&m, 5), 4);
	/* "x" is [7,8) in the file (after CR LF), [5,6) in the text */
	assert_int_equal(qes__qdpx_map_offset(&m, 7), 5);
	assert_int_equal(qes__qdpx_map_offset(&m, 8), 6);
	/* "yz" is [9,11) in the file, [7,9) in the text */
	assert_int_equal(qes__qdpx_map_offset(&m, 9), 7);
	assert_int_equal(qes__qdpx_map_offset(&m, 11), 9);
	/* a selection ending between CR and LF ends before the LF */
	assert_int_equal(qes__qdpx_map_offset(&m, 6), 4);
	qes__qdpx_map_release(&m);
	free(text);
}

/* Text already NFC with LF: the map is the identity. */
static void map_identity(void **state)
{
	(void)state;
	static const char raw[] = "Praktiker \xC3\xBC" "ber Vertrauen\n\xE4\xBF\xA1\xE9\xA0\xBC\n";
	char *text = NULL;
	size_t tlen = 0;
	qes__qdpx_map m;
	qes__qdpx_textinfo ti;
	qes_error err;
	qes_error_clear(&err);
	assert_int_equal(qes__qdpx_text(raw, sizeof(raw) - 1, &text, &tlen, &m, &ti, &err), 0);
	assert_string_equal(text, raw);
	assert_false(ti.bom || ti.crlf || ti.cr || ti.nfc);
	for (long o = 0; o <= m.file_cps; o++)
		assert_int_equal(qes__qdpx_map_offset(&m, o), o);
	qes__qdpx_map_release(&m);
	free(text);
}

static void text_rejects_binary(void **state)
{
	(void)state;
	char *text = NULL;
	size_t tlen = 0;
	qes__qdpx_map m;
	qes__qdpx_textinfo ti;
	qes_error err;
	qes_error_clear(&err);
	assert_int_equal(qes__qdpx_text("a\0b", 3, &text, &tlen, &m, &ti, &err), QES_EFORMAT);
	assert_int_equal(qes__qdpx_text("a\xC3(", 3, &text, &tlen, &m, &ti, &err), QES_EFORMAT);
	assert_null(text);
}

static void internal_paths(void **state)
{
	(void)state;
	char e[64];
	assert_int_equal(qes__qdpx_internal_entry("internal://abc.txt", e, sizeof(e)), 0);
	assert_string_equal(e, "sources/abc.txt");
	assert_int_equal(qes__qdpx_internal_entry("internal://../etc/passwd", e, sizeof(e)), -1);
	assert_int_equal(qes__qdpx_internal_entry("internal://..", e, sizeof(e)), -1);
	assert_int_equal(qes__qdpx_internal_entry("internal://a\\b", e, sizeof(e)), -1);
	assert_int_equal(qes__qdpx_internal_entry("internal://", e, sizeof(e)), -1);
	assert_int_equal(qes__qdpx_internal_entry("file:///etc/passwd", e, sizeof(e)), -1);
	assert_int_equal(qes__qdpx_internal_entry("/abs/x.txt", e, sizeof(e)), -1);
}

static void guids(void **state)
{
	(void)state;
	char a[37], b[37], c[37];
	qes__qdpx_guid_derive("x", "selection", a);
	qes__qdpx_guid_derive("x", "selection", b);
	qes__qdpx_guid_derive("x", "variable", c);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_int_equal(strlen(a), 36);
	assert_int_equal(a[14], '8');   /* version 8 */
	qes__qdpx_guid_norm("{ABCDEF01-0000-4000-8000-00000000000A}", c);
	assert_string_equal(c, "abcdef01-0000-4000-8000-00000000000a");
}

static void xml_safety(void **state)
{
	(void)state;
	qes_error err;
	qes_error_clear(&err);
	static const char ok[] = "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"p\"/>";
	assert_int_equal(qes_qdpx_validate(ok, sizeof(ok) - 1, 0, "p.qde", &err), 0);
	static const char dtd[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE Project [<!ENTITY a \"aaaa\">]>\n"
		"<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"&a;\"/>";
	assert_int_equal(qes_qdpx_validate(dtd, sizeof(dtd) - 1, 0, "p.qde", &err), QES_EFORMAT);
	assert_non_null(strstr(err.message, "DTD"));
	static const char bad[] = "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"p\">\n\n"
		"<Users><User name=\"x\"/></Users></Project>";
	qes_error_clear(&err);
	assert_int_equal(qes_qdpx_validate(bad, sizeof(bad) - 1, 0, "p.qde", &err), QES_EFORMAT);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.message, "guid"));
	/* A codebook is not a project. */
	qes_error_clear(&err);
	assert_int_equal(qes_qdpx_validate(ok, sizeof(ok) - 1, 1, "c.qdc", &err), QES_EFORMAT);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc(*len + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, *len, f), *len);
	fclose(f);
	return b;
}

static long long count(qes_store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(qes_store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	long long n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* A descriptive theme grouping two codes, under an analytical theme: the
 * export carries both as Sets (the analytical one with its descendants'
 * codes); a fresh review keeps them as sets; importing again adds nothing. */
static void theme_roundtrip(void **state)
{
	(void)state;
	fixture *a = fixture_new("qdpx-a"), *b = fixture_new("qdpx-b");
	qes_code_source_opts o = { .name = "S1", .kind = "results" };
	static const char text[] = "Mothers feared removal.\r\nWorkers explained each step.\r\n";
	assert_int_equal(qes_code_source_add_text(a->st, text, sizeof(text) - 1, &o, NULL, &a->err), 0);
	assert_int_equal(qes_code_add(a->st, "Fear", "#aa0000", "memo on fear", NULL, &a->err), 0);
	assert_int_equal(qes_code_add(a->st, "Trust", NULL, NULL, NULL, &a->err), 0);
	assert_int_equal(qes_code_find(a->st, "ann", "S1", "feared removal", "Fear", QES_CODING_QUOTE,
				       "a memo", NULL, &a->err), 0);
	assert_int_equal(qes_code_find(a->st, "bob", "S1", "explained each step", "Trust", 0, NULL,
				       NULL, &a->err), 0);
	assert_int_equal(qes_store_exec(a->st,
		"INSERT INTO code_themes(guid, level, name, description) VALUES"
		" ('11111111-1111-4111-8111-111111111111', 'descriptive', 'Fear and trust', 'both'),"
		" ('22222222-2222-4222-8222-222222222222', 'analytical', 'Living with the system', '');"
		"INSERT INTO code_theme_codes SELECT 1, id FROM code_codes;"
		"INSERT INTO code_theme_links VALUES (2, 1);", &a->err), 0);
	char path[96];
	snprintf(path, sizeof(path), "%s.qdpx", a->path);
	assert_int_equal(qes_qdpx_export(a->st, path, &a->err), 0);
	size_t len = 0;
	char *zip = slurp(path, &len);
	qes_qdpx_counts c;
	assert_int_equal(qes_qdpx_import_mem(b->st, zip, len, "t.qdpx", NULL, &c, &b->err), 0);
	assert_int_equal(c.sources, 1);
	assert_int_equal(c.codes, 2);
	assert_int_equal(c.codings, 2);
	assert_int_equal(c.sets, 2);
	assert_int_equal(c.notes, 2);
	assert_int_equal(c.users, 2);
	assert_int_equal(c.skipped, 0);
	assert_int_equal(count(b->st, "SELECT count(*) FROM code_set_members m JOIN code_sets s"
			       " ON s.id = m.set_id WHERE s.guid = '22222222-2222-4222-8222-222222222222'"), 2);
	assert_int_equal(count(b->st, "SELECT count(*) FROM code_sets WHERE name = 'Fear and trust'"
			       " AND description = 'both'"), 1);
	assert_int_equal(count(b->st, "SELECT count(*) FROM code_codings WHERE kind = 'quote'"), 1);
	/* The stored text is LF, as qes keeps it; the codings are on the same text. */
	assert_int_equal(count(b->st, "SELECT count(*) FROM code_codings c JOIN code_sources s ON"
			       " s.id = c.source_id WHERE substr(s.text, c.start + 1, c.end - c.start)"
			       " IN ('feared removal', 'explained each step')"), 2);
	assert_int_equal(qes_qdpx_import_mem(b->st, zip, len, "t.qdpx", NULL, &c, &b->err), 0);
	assert_int_equal(c.sources + c.codes + c.codings + c.sets + c.notes + c.users, 0);
	assert_int_equal(c.skipped, 1 + 2 + 2 + 2 + 2 + 2);
	/* A dry run of a fresh import reports the counts and keeps nothing. */
	fixture *d = fixture_new("qdpx-d");
	qes_qdpx_import_opts dry = { NULL, NULL, 1 };
	assert_int_equal(qes_qdpx_import_mem(d->st, zip, len, "t.qdpx", &dry, &c, &d->err), 0);
	assert_int_equal(c.codings, 2);
	assert_int_equal(count(d->st, "SELECT count(*) FROM code_codings"), 0);
	fixture_free(d);
	free(zip);
	unlink(path);
	fixture_free(a);
	fixture_free(b);
}

/* Nothing is written when the export cannot be made (no such directory). */
static void export_fails_cleanly(void **state)
{
	(void)state;
	fixture *a = fixture_new("qdpx-e");
	assert_int_equal(qes_qdpx_export(a->st, "/nonexistent-dir/x.qdpx", &a->err), QES_EIO);
	assert_int_equal(access("/nonexistent-dir/x.qdpx", F_OK), -1);
	assert_int_equal(qes_qdc_export(a->st, "/tmp/qes-test-empty.qdc", &a->err), QES_ENOTFOUND);
	assert_int_equal(access("/tmp/qes-test-empty.qdc", F_OK), -1);
	fixture_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(map_bom_crlf_nfc),
		cmocka_unit_test(map_identity),
		cmocka_unit_test(text_rejects_binary),
		cmocka_unit_test(internal_paths),
		cmocka_unit_test(guids),
		cmocka_unit_test(xml_safety),
		cmocka_unit_test(theme_roundtrip),
		cmocka_unit_test(export_fails_cleanly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
