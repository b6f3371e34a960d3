/* dedup_int.h: what the dedup modules share (not public).
 *
 *   dedup_normalise.c  text folding and the comparable form of a record
 *   dedup_block.c      candidate pairs from blocking keys (never all pairs)
 *   dedup_compare.c    the rules: one pair -> a verdict and the reason
 *   dedup_cluster.c    union-find that refuses conflicting DOIs and
 *                      pairs known to be apart
 *   dedup_run.c        loading, running, writing a run's result
 *   dedup_store.c      queue, decisions, undo, export, summary
 *   dedup_schema.c     the tables */
#ifndef QES_DEDUP_INT_H
#define QES_DEDUP_INT_H

#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "qes/dedup.h"
#include "qes/record.h"

/* Kinds of publication that share a title with the work they belong to but
 * are not the same work. Two records whose bits differ are kept apart. */
enum {
	QES__DD_ERRATUM    = 1 << 0,   /* erratum, correction, corrigendum */
	QES__DD_RETRACTION = 1 << 1,   /* retraction, expression of concern */
	QES__DD_COMMENT    = 1 << 2,   /* comment on, letter about */
	QES__DD_REPLY      = 1 << 3,   /* reply, response to */
	QES__DD_PROTOCOL   = 1 << 4,   /* study protocol, rationale and design */
	QES__DD_TRAPS      = (1 << 5) - 1,
	QES__DD_ABSTRACT   = 1 << 5,   /* conference abstract or paper */
	QES__DD_TRANSLATED = 1 << 6,   /* "[Title translated into English]" */
	QES__DD_DOI_MISFIT = 1 << 7,   /* the DOI names another journal than the
					* record's: no evidence either way */
};

/* A record in comparable form. Strings live in the run's arena; NULL when
 * the field is absent. */
typedef struct qes__dd_rec {
	long long id;
	const char *key;       /* source key, for explanations */
	const char *title;     /* folded words, single spaces */
	const char *tkey;      /* title letters and digits only */
	const char *nums;      /* digit runs and roman numerals of the title, as numbers */
	const char *authors;   /* family names, folded, space separated, in order */
	const char *journal;   /* folded journal words without stop words */
	const char *journal_main;   /* the same without subtitle and brackets,
				     * NULL when there were none */
	const char *first_alt; /* the first author's given names (full words,
				* no initials): "Tamara, Kneese" may be
				* "Kneese, T." */
	uint64_t journal_rom;  /* hash of the journal's romanised key, 0 none */
	const char *doi, *pmid, *lang;
	long volume, issue, page_first, page_last;   /* 0 = unknown */
	int year;              /* 0 = unknown */
	int part;              /* "Part 2" -> 2, 0 = none */
	char page_pfx;         /* letter before the page number ("e24"), 0 none */
	unsigned flags;        /* QES__DD_* */
	unsigned tlen;         /* strlen(tkey) */
} qes__dd_rec;

/* NFKC, case folding and accents stripped (utf8proc), markup removed
 * (HTML/XML tags, entities, LaTeX commands and braces), every character
 * that is not a letter or digit made a space, Greek letters spelled out,
 * spaces collapsed. NULL when nothing is left or on memory failure. */
char *qes__dd_fold(qes_arena *a, const char *s);

/* Fills r from rec (fields as stored). Returns 0 or QES_ENOMEM. */
int qes__dd_prepare(qes__dd_rec *r, const qes_record *rec, qes_arena *a);

/* Pieces of qes__dd_prepare, exposed for the unit tests. */
/* The title without notes databases append: "[Review] [72 refs]",
 * "[Swedish]", "[Erratum appears in ...]" (even when cut short), and
 * without the citation an erratum record appends to the corrected title
 * ("(vol 360, pg 542, 2009)"), which sets QES__DD_ERRATUM in *flags. */
char *qes__dd_strip_notes(qes_arena *a, const char *title, unsigned *flags);
unsigned qes__dd_title_flags(const char *folded_title, const char *raw_title);
int qes__dd_part(const char *folded_title);
char *qes__dd_numbers(qes_arena *a, const char *folded_title);
char *qes__dd_family_names(qes_arena *a, const qes_strlist *authors);
char *qes__dd_journal(qes_arena *a, const char *journal);
/* The journal name without its subtitle (after ":", "=", "/", " - ") and
 * bracketed parts, folded as qes__dd_journal; NULL when it had neither. */
char *qes__dd_journal_main(qes_arena *a, const char *journal);
/* A hash of the folded journal name romanised one way (Wade-Giles as
 * pinyin, Hepburn and Kunrei-shiki alike, words run together): two names
 * of one Chinese or Japanese journal in different romanisations hash
 * alike. 0 for NULL. */
uint64_t qes__dd_journal_roman(const char *folded);
/* The first author's given names that are whole words, folded ("tamara"
 * for "Kneese, Tamara"); NULL when only initials or no comma. */
char *qes__dd_given_names(qes_arena *a, const qes_strlist *authors);
long qes__dd_leading_number(const char *s);
void qes__dd_pages(const char *pages, long *first, long *last, char *pfx);

/* 1 when two folded journal names can be the same journal: equal, or one
 * abbreviates the other word by word ("curr opin lipidol" and "current
 * opinion lipidology"), or one extends the other ("microcirculation" and
 * "microcirculation conference ..."). */
int qes__dd_journal_compatible(const char *a, const char *b);
/* Two records' journals can be the same journal: compatible full names,
 * or main names (qes__dd_journal_main) compatible with each other or with
 * the other's full name, or the same romanised name. 0 when a journal is
 * missing. */
int qes__dd_journal_match(const qes__dd_rec *a, const qes__dd_rec *b);

/* 1 when a DOI names a journal that is clearly not the record's: an
 * Elsevier code ("10.1016/j.regpep.") whose letters fit neither the folded
 * journal name nor its words' initials, or an Elsevier PII's ISSN
 * ("10.1016/S0195-6663(...)") that is none of the ISSNs in the record's
 * issn and isbn fields (some exports put the ISSN in the ISBN field).
 * journal is folded (qes__dd_journal); any argument may be NULL. 0 when
 * the DOI fits or nothing tells. */
int qes__dd_doi_misfit(const char *doi, const char *journal, const char *issn,
		       const char *isbn);

/* Similarity of two title keys, 0..1 (1 - edit distance / longer length;
 * a prefix of at least 40 characters counts as 0.96: databases cut long
 * titles; a shorter title of 20 or more inside the longer one 0.9: a
 * heading was added). Below 0.8 the value is only an upper bound. */
double qes__dd_title_sim(const char *a, unsigned la, const char *b, unsigned lb);

/* The rules. why (may be NULL) gets the deciding reason. */
int qes__dd_compare(const qes__dd_rec *a, const qes__dd_rec *b, double *title_sim,
		    char *why, size_t whylen);

/* Candidate pairs: every pair of records sharing a blocking key (DOI, PMID,
 * start of title, end of title, first author with year and first page),
 * blocks larger than a cap ignored. *pairs gets (i << 32 | j), i < j,
 * indexes into recs, sorted and unique; caller frees. */
int qes__dd_block(const qes__dd_rec *recs, size_t n, uint64_t **pairs, size_t *npairs);

/* Union-find over record indexes that never joins two clusters holding
 * different DOIs or a pair marked apart. */
typedef struct qes__dd_uf qes__dd_uf;
qes__dd_uf *qes__dd_uf_new(const qes__dd_rec *recs, size_t n);
void qes__dd_uf_free(qes__dd_uf *u);
size_t qes__dd_uf_find(qes__dd_uf *u, size_t i);
/* Marks i and j as never to be in one cluster. 0 or QES_ENOMEM. */
int qes__dd_uf_apart(qes__dd_uf *u, size_t i, size_t j);
/* Joins the clusters of i and j unless that breaks a constraint (force:
 * join anyway, a person said so). 1 joined (or already one), 0 refused,
 * QES_ENOMEM. */
int qes__dd_uf_join(qes__dd_uf *u, size_t i, size_t j, int force);

#endif
