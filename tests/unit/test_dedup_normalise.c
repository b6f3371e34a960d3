/* test_dedup_normalise.c: every folding rule of dedup_normalise.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "dedup_int.h"

static qes_arena A;

static int setup(void **state) { (void)state; qes__arena_init(&A, 4096); return 0; }
static int teardown(void **state) { (void)state; qes__arena_free(&A); return 0; }

#define FOLD(in, out) assert_string_equal(qes__dd_fold(&A, in), out)
#define FOLD_EMPTY(in) assert_null(qes__dd_fold(&A, in))

static void test_nfkc(void **state)
{
	(void)state;
	FOLD("\xef\xac\x81nding", "finding");               /* ligature fi */
	FOLD("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", "abc"); /* full-width ABC */
	FOLD("H\xe2\x82\x82O", "h2o");                       /* subscript two */
}

static void test_case_folding(void **state)
{
	(void)state;
	FOLD("Stra\xc3\x9f" "e", "strasse");
	FOLD("MIXED Case", "mixed case");
}

static void test_accents(void **state)
{
	(void)state;
	FOLD("\xc3\x85ngstr\xc3\xb6m caf\xc3\xa9", "angstrom cafe");
	FOLD("S\xc3\xb8rensen \xc5\x9e" "ahin", "s\xc3\xb8rensen sahin");  /* ø is a letter, not o+mark */
}

static void test_markup(void **state)
{
	(void)state;
	FOLD("Effect of <i>E. coli</i> on <sup>14</sup>C", "effect of e coli on 14 c");
	FOLD("Smith &amp; Jones", "smith and jones");
	FOLD("Smith & Jones", "smith and jones");
	FOLD_EMPTY("&lt;&gt;");
	FOLD("x &lt; y &#946;", "x y");
	FOLD("Sch{\\\"o}n {T}he", "schon the");
	FOLD("\\textit{in vivo}", "in vivo");
	FOLD("$\\alpha$-synuclein", "alpha synuclein");
}

static void test_punctuation_and_space(void **state)
{
	(void)state;
	FOLD("  Hello,   world!  (really?) ", "hello world really");
	FOLD("Well-being: a review.", "well being a review");
	FOLD("1,000 patients and 0.5 mg", "1000 patients and 05 mg");
	FOLD_EMPTY("...");
	FOLD_EMPTY("");
	assert_null(qes__dd_fold(&A, NULL));
}

static void test_greek(void **state)
{
	(void)state;
	FOLD("\xce\xb2-cell and \xce\x91", "beta cell and alpha");   /* β, capital Α */
	FOLD("TNF-\xce\xb1", "tnf alpha");
	FOLD("10 \xc2\xb5g", "10 mug");   /* micro sign: NFKC makes it mu */
}

static void test_strip_notes(void **state)
{
	(void)state;
	unsigned f = 0;
	assert_string_equal(qes__dd_strip_notes(&A, "Title here. [Review] [72 refs]", &f), "Title here");
	assert_string_equal(qes__dd_strip_notes(&A, "Title here. [Swedish]", &f), "Title here");
	assert_string_equal(qes__dd_strip_notes(&A, "[Translated title]. [Polish]", &f), "[Translated title]");
	assert_string_equal(qes__dd_strip_notes(&A, "Title.[Erratum appears in Arch", &f), "Title");
	assert_string_equal(qes__dd_strip_notes(&A,
		"A title.[Erratum appears in X. 2009;9(9):2205 Note: P [added]].[Erratum", &f), "A title");
	assert_int_equal(f, 0);
	assert_string_equal(qes__dd_strip_notes(&A, "Keep [brackets] inside", &f), "Keep [brackets] inside");
	assert_int_equal(f, 0);
	assert_string_equal(qes__dd_strip_notes(&A, "Eculizumab for aHUS (vol 360, pg 542, 2009)", &f),
			    "Eculizumab for aHUS");
	assert_true(f & QES__DD_ERRATUM);
	f = 0;
	assert_string_equal(qes__dd_strip_notes(&A,
		"Eculizumab for aHUS (New England Journal of Medicine (2009) 360 (542-544))", &f),
		"Eculizumab for aHUS");
	assert_true(f & QES__DD_ERRATUM);
	f = 0;
	assert_string_equal(qes__dd_strip_notes(&A, "Trial of X (the ABC study)", &f),
			    "Trial of X (the ABC study)");
	assert_int_equal(f, 0);
}

static unsigned flags(const char *raw)
{
	return qes__dd_title_flags(qes__dd_fold(&A, raw), raw);
}

static void test_trap_flags(void **state)
{
	(void)state;
	assert_int_equal(flags("Erratum: Effects of X on Y"), QES__DD_ERRATUM);
	assert_int_equal(flags("Corrigendum to \"Effects of X\""), QES__DD_ERRATUM);
	assert_int_equal(flags("Correction: Effects of X"), QES__DD_ERRATUM);
	assert_int_equal(flags("Correction of scoliosis in adults"), 0);
	assert_int_equal(flags("Retracted: Effects of X"), QES__DD_RETRACTION);
	assert_int_equal(flags("Expression of concern: Effects of X"), QES__DD_RETRACTION);
	assert_int_equal(flags("Comment on: Effects of X"), QES__DD_COMMENT);
	assert_int_equal(flags("Re: Effects of X"), QES__DD_COMMENT);
	assert_int_equal(flags("Comments from patients on care"), 0);
	assert_int_equal(flags("Reply to: Effects of X"), QES__DD_REPLY);
	assert_int_equal(flags("Effects of X - Reply"), QES__DD_REPLY);
	assert_int_equal(flags("Authors' reply"), QES__DD_REPLY);
	assert_int_equal(flags("Response to treatment with X"), 0);
	assert_int_equal(flags("Effects of X: study protocol for a randomised trial"), QES__DD_PROTOCOL);
	assert_int_equal(flags("The ABC trial: rationale and design"), QES__DD_PROTOCOL);
	assert_int_equal(flags("[Effects of X in children]"), QES__DD_TRANSLATED);
	assert_int_equal(flags("Effects of X in children"), 0);
}

static void test_parts(void **state)
{
	(void)state;
	assert_int_equal(qes__dd_part("cancer screening part 2 methods"), 2);
	assert_int_equal(qes__dd_part("cancer screening part ii methods"), 2);
	assert_int_equal(qes__dd_part("cancer screening pt 3"), 3);
	assert_int_equal(qes__dd_part("counterpart of screening"), 0);
	assert_int_equal(qes__dd_part(NULL), 0);
}

static void test_numbers(void **state)
{
	(void)state;
	assert_string_equal(qes__dd_numbers(&A, "type ii diabetes in 2010"), "2 2010");
	assert_string_equal(qes__dd_numbers(&A, "type 2 diabetes in 2010"), "2 2010");
	assert_string_equal(qes__dd_numbers(&A, "p16ink4a and covid 19"), "16 4 19");
	assert_null(qes__dd_numbers(&A, "vitamin d and x rays"));   /* lone letters */
	assert_null(qes__dd_numbers(&A, NULL));
}

static qes_strlist list(char **items, size_t n)
{
	qes_strlist l = { items, n, n };
	return l;
}

static void test_family_names(void **state)
{
	(void)state;
	char *a1[] = { (char *)"Adeli K.Lewis G. F." };
	qes_strlist l = list(a1, 1);
	assert_string_equal(qes__dd_family_names(&A, &l), "adeli lewis");
	char *a2[] = { (char *)"Zuna RE", (char *)"Wang SS" };
	l = list(a2, 2);
	assert_string_equal(qes__dd_family_names(&A, &l), "zuna wang");
	char *a3[] = { (char *)"Sberro-Soussan, R.", (char *)"M\xc3\xbcller, Hans" };
	l = list(a3, 2);
	assert_string_equal(qes__dd_family_names(&A, &l), "sberro soussan muller");
	char *a4[] = { (char *)"\xe9\x99\x88, \xe8\x8a\xb3", (char *)"G\xc3\xb3mez, \xc3\x81. \xc5\x81." };
	l = list(a4, 2);
	assert_string_equal(qes__dd_family_names(&A, &l), "\xe9\x99\x88 gomez");   /* 陈 is a name */
	l = list(NULL, 0);
	assert_null(qes__dd_family_names(&A, &l));
}

static int compat(const char *a, const char *b)
{
	return qes__dd_journal_compatible(qes__dd_journal(&A, a), qes__dd_journal(&A, b));
}

static void test_journals(void **state)
{
	(void)state;
	assert_string_equal(qes__dd_journal(&A, "The Journal of Pediatrics."), "journal pediatrics");
	assert_true(compat("Curr Opin Lipidol", "Current Opinion in Lipidology"));
	assert_true(compat("Proc Natl Acad Sci U S A",
			   "Proceedings of the National Academy of Sciences of the United States of America"));
	assert_true(compat("Obstetrics & Gynecology", "Obstetrics and Gynecology"));
	assert_true(compat("Microcirculation", "Microcirculation. Conference: 66th Annual Meeting"));
	assert_true(compat("J Am Soc Nephrol", "Journal of the American Society of Nephrology"));
	assert_true(compat("Journal of Clinical Nursing", "J Clin Nurs"));   /* either order */
	assert_true(compat("The British Journal of Social Work", "Br J Soc Work"));
	assert_false(compat("Diabetes", "Diabetologia"));
	assert_false(compat("Atherosclerosis Supplements", "Atherosclerosis. Conference: 15th ISA"));
	assert_false(compat("Lancet", "Lancet Oncology") && compat("Lancet Oncology", "Lancet Neurology"));
}

/* The whole comparison of two records' journals, as the rules see them. */
static int jmatch(const char *a, const char *b)
{
	qes__dd_rec ra, rb;
	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	ra.journal = qes__dd_journal(&A, a);
	rb.journal = qes__dd_journal(&A, b);
	ra.journal_main = qes__dd_journal_main(&A, a);
	rb.journal_main = qes__dd_journal_main(&A, b);
	ra.journal_rom = qes__dd_journal_roman(ra.journal_main ? ra.journal_main : ra.journal);
	rb.journal_rom = qes__dd_journal_roman(rb.journal_main ? rb.journal_main : rb.journal);
	return qes__dd_journal_match(&ra, &rb);
}

/* Issue 17: journal names as a reviewer reads them. */
static void test_journal_variants(void **state)
{
	(void)state;
	/* ISO 4 abbreviation against the full name with stop words. */
	assert_true(jmatch("J Parenter Enteral Nutr", "Journal of parenteral and enteral nutrition"));
	assert_true(jmatch("JOURNAL OF PARENTERAL & ENTERAL NUTRITION.", "J. Parenter. Enteral Nutr."));
	/* A subtitle or a bracketed translation added to one name. */
	assert_true(jmatch("JPEN. Journal of parenteral and enteral nutrition",
			   "J Parenter Enteral Nutr") ||
		    jmatch("J Parenter Enteral Nutr: official journal of ASPEN", "J Parenter Enteral Nutr"));
	assert_true(jmatch("JPEN J Parenter Enteral Nutr", "Journal of parenteral and enteral nutrition"));
	assert_true(jmatch("JAMA: the journal of the American Medical Association", "J Am Med Assoc"));
	assert_string_equal(qes__dd_journal(&A, "BMJ British Medical Journal"), "british medical journal");
	assert_string_equal(qes__dd_journal(&A, "BMJ Open"), "bmj open");
	assert_true(jmatch("J Thromb Haemost: official journal of the ISTH", "Journal of Thrombosis and Haemostasis"));
	assert_true(jmatch("Zhonghua zhong liu za zhi [Chinese journal of oncology]", "Zhonghua Zhong Liu Za Zhi"));
	assert_true(jmatch("Infectious Agents & Cancer [Electronic Resource]", "Infectious Agents and Cancer"));
	/* Romanisations: Wade-Giles against pinyin, Hepburn against Kunrei. */
	assert_true(jmatch("Chung-Hua Chung Liu Tsa Chih", "Zhonghua zhong liu za zhi"));
	assert_true(jmatch("Chung-hua i hsueh tsa chih", "Zhonghua yi xue za zhi"));
	assert_true(jmatch("Chung-hua wai k'o tsa chih", "Zhonghua Wai Ke Za Zhi"));
	assert_true(jmatch("Nippon Naika Gakkai Zasshi", "Nihon Naika Gakkai Zassi"));
	/* Export damage: "?" for a letter the export could not write. */
	assert_true(jmatch("Revista espa?ola de cardiologia", "Revista Espa\xc3\xb1ola de Cardiolog\xc3\xad" "a"));
	assert_true(jmatch("Journal of th? American Society of Nephrology", "J Am Soc Nephrol"));
	assert_true(jmatch("Laboratory Inv?stigation", "Laboratory Investigation"));
	/* Still different journals. */
	assert_false(jmatch("Chung-Hua Chung Liu Tsa Chih", "Zhonghua wai ke za zhi"));
	assert_false(jmatch("Diabetes", "Diabetologia"));
	assert_false(jmatch("Clinical Oncology", "Journal of Clinical Oncology"));
	assert_false(jmatch("Lancet Oncology", "Lancet Neurology"));
	assert_false(jmatch("Journal of Pediatrics [Chinese]", "Journal of Pediatric Surgery: official"));
	assert_false(jmatch(NULL, "Lancet"));
}

static void test_given_names(void **state)
{
	(void)state;
	char *a1[] = { (char *)"Tamara, Kneese", (char *)"Smith, J." };
	qes_strlist l = list(a1, 2);
	assert_string_equal(qes__dd_given_names(&A, &l), "kneese");
	char *a2[] = { (char *)"Kneese, T." };
	l = list(a2, 1);
	assert_null(qes__dd_given_names(&A, &l));   /* initials only */
	char *a3[] = { (char *)"Zuna, RE" };
	l = list(a3, 1);
	assert_null(qes__dd_given_names(&A, &l));
	char *a4[] = { (char *)"Dragon-Durey, Marie Agnes" };
	l = list(a4, 1);
	assert_string_equal(qes__dd_given_names(&A, &l), "marie agnes");
}

static void pages(const char *p, long f, long l, char pfx)
{
	long a, b;
	char c;
	qes__dd_pages(p, &a, &b, &c);
	assert_int_equal(a, f);
	assert_int_equal(b, l);
	assert_int_equal(c, pfx);
}

static void test_pages(void **state)
{
	(void)state;
	pages("221-228", 221, 228, 0);
	pages("221-8", 221, 228, 0);
	pages("1299-302", 1299, 1302, 0);
	pages("e1234", 1234, 1234, 'e');
	pages("S45-S50", 45, 50, 's');
	pages("c37-c42", 37, 42, 'c');
	pages("t-51", 0, 0, 0);            /* garbled: unknown */
	pages("Suppl-41", 0, 0, 0);
	pages("532, 534-536", 0, 0, 0);
	pages("2297-2108", 0, 0, 0);       /* a typo: unknown */
	pages(NULL, 0, 0, 0);
	/* What exports add around pages (issue 17). */
	pages("P63 [tp 104]", 63, 63, 0);
	pages("pp. 63-70", 63, 70, 0);
	pages("p. 63", 63, 63, 0);
	pages("35+", 35, 35, 0);
	pages("63-", 63, 63, 0);
	pages("A4912", 4912, 4912, 'a');
	pages("CD006273", 6273, 6273, 'c');
	pages("p63-p70", 63, 70, 'p');
	assert_int_equal(qes__dd_leading_number("38 (Supplement 1)"), 38);
	assert_int_equal(qes__dd_leading_number("Suppl 2"), 2);
	assert_int_equal(qes__dd_leading_number(NULL), 0);
}

static double sim(const char *a, const char *b)
{
	return qes__dd_title_sim(a, (unsigned)strlen(a), b, (unsigned)strlen(b));
}

static void test_title_similarity(void **state)
{
	(void)state;
	assert_true(sim("sameexacttitle", "sameexacttitle") == 1.0);
	assert_true(sim("neurologicalinvolvementinachild", "neurologicalinvolvmentinachild") > 0.95);
	/* A database cut the title at 40+ characters. */
	assert_true(sim("averylongtitlethatadatabasecutshortatsomepoint",
			"averylongtitlethatadatabasecutshortatsomepointandmore") > 0.95);
	/* A heading added before the title. */
	assert_true(sim("atypicalhemolyticuremicsyndrome", "medicalprogressatypicalhemolyticuremicsyndrome") >= 0.9);
	assert_true(sim("completelydifferenttitle", "nothingincommonatallhere") < 0.8);
	/* A typo at the very end ("resuls"): all but one letter in common. */
	assert_true(sim("biopsyresultswithhighlevelresults", "biopsyresultswithhighlevelresuls") > 0.95);
	assert_true(sim("abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxy") > 0.95);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nfkc),
		cmocka_unit_test(test_case_folding),
		cmocka_unit_test(test_accents),
		cmocka_unit_test(test_markup),
		cmocka_unit_test(test_punctuation_and_space),
		cmocka_unit_test(test_greek),
		cmocka_unit_test(test_strip_notes),
		cmocka_unit_test(test_trap_flags),
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_family_names),
		cmocka_unit_test(test_journals),
		cmocka_unit_test(test_journal_variants),
		cmocka_unit_test(test_given_names),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_title_similarity),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
