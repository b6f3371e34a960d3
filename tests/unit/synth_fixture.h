/* synth_fixture.h: a small synthesis for test_cerqual and test_advisory:
 * four included studies (K01 Author1 2001 ... K04), a results section each
 * (texts written for the tests), a code tree, codings by two coders,
 * themes written straight into the code module's tables, and CASP ratings.
 * Include after cmocka.h and fixture.h. */
#ifndef QES_TEST_SYNTH_FIXTURE_H
#define QES_TEST_SYNTH_FIXTURE_H

#include <string.h>
#include "qes/appraise.h"
#include "qes/code.h"
#include "qes/study.h"

static const char *const synth_texts[4][2] = {
	{ "S1", "Mothers said the first visit felt like an inspection. \"They looked in the fridge before they "
	  "asked how I was.\" The authors read this as surveillance replacing care." },
	{ "S2", "Workers described their double role. \"I support her on Monday and write the court report on "
	  "Friday.\" Several said explaining the plan helped." },
	{ "S3", "Parents hid their low mood from the health visitor. \"If I say I'm not coping, that goes "
	  "on the file.\"" },
	{ "S4", "Staff had no time to explain. \"Twenty minutes, then a letter arrives.\"" },
};

static void synth_code(fixture *f, const char *coder, const char *src, const char *text,
		       const char *code, int flags)
{
	long long id;
	assert_int_equal(qes_code_find(f->st, coder, src, text, code, flags, NULL, &id, &f->err), 0);
}

/* A theme by SQL (the theme library is another module's); returns its id. */
static long long synth_theme(fixture *f, const char *level, long long parent, const char *name,
			     const char *codes)
{
	char sql[1024], guid[37], par[32] = "NULL";
	qes_code_guid(guid);
	if (parent)
		snprintf(par, sizeof(par), "%lld", parent);
	snprintf(sql, sizeof(sql), "INSERT INTO code_themes(guid, level, parent_id, name)"
		 " VALUES ('%s', '%s', %s, '%s')", guid, level, par, name);
	assert_int_equal(qes_store_exec(f->st, sql, &f->err), 0);
	long long id = qes_store_count(f->st, "SELECT max(id) FROM code_themes", &f->err);
	/* codes: paths separated by '|' */
	for (const char *p = codes; p && *p;) {
		size_t n = strcspn(p, "|");
		snprintf(sql, sizeof(sql), "INSERT INTO code_theme_codes SELECT %lld, id FROM code_codes"
			 " WHERE path = '%.*s'", id, (int)n, p);
		assert_int_equal(qes_store_exec(f->st, sql, &f->err), 0);
		p += n + (p[n] == '|');
	}
	return id;
}

static void synth_link(fixture *f, long long parent, long long child)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "INSERT INTO code_theme_links VALUES (%lld, %lld)", parent, child);
	assert_int_equal(qes_store_exec(f->st, sql, &f->err), 0);
}

static fixture *synth_fixture(const char *name)
{
	fixture *f = fixture_new(name);
	assert_int_equal(qes_store_exec(f->st,
		"INSERT INTO sources(name) VALUES ('Hand');"
		"INSERT INTO imports(source_id, file_name, file_sha256, file_bytes, format, encoding)"
		" VALUES (1,'a.ris','aa',10,'ris','UTF-8');"
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6)"
		" INSERT INTO records(import_id, source_key, ordinal, line, type, title, authors, year, raw)"
		" SELECT 1, printf('K%02d', i), i, i, 'article', 'T', printf('Author%d, A', i), 2000 + i, 'x'"
		" FROM n;", &f->err), 0);
	for (int i = 0; i < 4; i++) {
		char key[16];
		long long id;
		snprintf(key, sizeof(key), "K%02d", i + 1);
		assert_int_equal(qes_study_add(f->st, key, &f->err), 0);
		qes_code_source_opts o = { .name = synth_texts[i][0], .study = key, .kind = "results" };
		assert_int_equal(qes_code_source_add_text(f->st, synth_texts[i][1],
							  strlen(synth_texts[i][1]), &o, &id, &f->err), 0);
	}
	assert_int_equal(qes_study_add(f->st, "K05", &f->err), 0);
	long long id;
	static const char *const codes[] = { "Parent/Inspection", "Parent/Hiding", "Worker/Double role",
					     "Worker/No time", "Worker/Explaining" };
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		assert_int_equal(qes_code_add(f->st, codes[i], NULL, NULL, &id, &f->err), 0);
	synth_code(f, "ann", "S1", "They looked in the fridge before they asked how I was.", "Parent/Inspection",
		   QES_CODING_QUOTE | QES_CODING_ILLUSTRATIVE);
	synth_code(f, "ann", "S1", "The authors read this as surveillance replacing care.", "Parent/Inspection",
		   QES_CODING_INTERPRETATION);
	synth_code(f, "bob", "S1", "They looked in the fridge", "Parent/Inspection", QES_CODING_QUOTE);
	synth_code(f, "ann", "S3", "If I say I'm not coping, that goes on the file.", "Parent/Hiding",
		   QES_CODING_QUOTE);
	synth_code(f, "ann", "S2", "I support her on Monday and write the court report on Friday.",
		   "Worker/Double role", QES_CODING_QUOTE);
	synth_code(f, "ann", "S2", "Several said explaining the plan helped.", "Worker/Explaining", 0);
	synth_code(f, "ann", "S4", "Twenty minutes, then a letter arrives.", "Worker/No time", QES_CODING_QUOTE);
	/* Ratings: K01 'no' on casp6 and can't tell on casp4; K03 'no' on
	 * casp6 and casp8; K02 all yes; K04 not appraised. */
	char csv[4096] = "study,reviewer,question,answer,comment\n";
	for (int s = 1; s <= 3; s++)
		for (int q = 1; q <= 9; q++) {
			const char *a = "yes";
			if ((s == 1 && q == 6) || (s == 3 && (q == 6 || q == 8)))
				a = "no";
			else if (s == 1 && q == 4)
				a = "cant_tell";
			size_t n = strlen(csv);
			snprintf(csv + n, sizeof(csv) - n, "K%02d,consensus,casp%d,%s,\n", s, q, a);
		}
	long n;
	assert_int_equal(qes_appraise_import_buf(f->st, "r.csv", csv, strlen(csv), &n, &f->err), 0);
	assert_int_equal(n, 27);
	return f;
}

#endif
