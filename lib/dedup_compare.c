/* dedup_compare.c: the rules that say whether two records are one work.
 *
 * A false merge silently drops a study from a review; a missed duplicate
 * costs a reviewer a few seconds. So the rules merge only on strong
 * evidence (the same DOI or PMID with a matching title, or a near-identical
 * title with agreeing authors, year and bibliographic details and nothing
 * contradicting), keep known look-alikes apart (errata, comments, replies,
 * protocols, numbered parts, conference abstracts of later articles), and
 * send what is left in between to a person. */
#include "dedup_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXKEY 400   /* title characters compared; longer titles are cut */

/* Levenshtein distance limited to a band of width k around the diagonal:
 * returns a value > k when the distance is more than k. */
static unsigned banded_distance(const char *a, unsigned la, const char *b, unsigned lb,
				unsigned k)
{
	unsigned rowbuf[2][MAXKEY + 1];
	unsigned *prev = rowbuf[0], *cur = rowbuf[1];
	const unsigned big = k + 1;
	for (unsigned j = 0; j <= lb; j++)
		prev[j] = j <= k ? j : big;
	for (unsigned i = 1; i <= la; i++) {
		unsigned lo = i > k ? i - k : 1, hi = i + k < lb ? i + k : lb;
		cur[0] = i <= k ? i : big;
		unsigned best = cur[0];
		if (lo > 1)
			cur[lo - 1] = big;
		for (unsigned j = lo; j <= hi; j++) {
			unsigned v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (v > big)
				v = big;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (hi < lb)
			cur[hi + 1] = big;
		if (best > k)
			return big;
		unsigned *t = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* One database added a heading ("MEDICAL PROGRESS ...", "Trombotic
 * microangiopathy: ..."): the whole shorter title (20 or more letters) is
 * inside the longer one. */
static int contains(const char *a, unsigned la, const char *b, unsigned lb)
{
	const char *longer = la > lb ? a : b, *shorter = la > lb ? b : a;
	unsigned lmax = la > lb ? la : lb, lmin = la > lb ? lb : la;
	if (lmin < 20)
		return 0;
	char tmp[MAXKEY + 1], sh[MAXKEY + 1];
	memcpy(tmp, longer, lmax);
	tmp[lmax] = '\0';
	memcpy(sh, shorter, lmin);
	sh[lmin] = '\0';
	return strstr(tmp, sh) != NULL;
}

/* Letter pairs the two strings share (counted in 512 bins, so never fewer
 * than the true number: the bound stays safe). */
static unsigned bigrams_shared(const char *a, unsigned la, const char *b, unsigned lb)
{
	short bins[512];
	memset(bins, 0, sizeof(bins));
	for (unsigned i = 0; i + 1 < la; i++)
		bins[((unsigned char)a[i] * 31u + (unsigned char)a[i + 1]) & 511]++;
	unsigned shared = 0;
	for (unsigned i = 0; i + 1 < lb; i++) {
		short *c = &bins[((unsigned char)b[i] * 31u + (unsigned char)b[i + 1]) & 511];
		if (*c > 0) {
			(*c)--;
			shared++;
		}
	}
	return shared;
}

double qes__dd_title_sim(const char *a, unsigned la, const char *b, unsigned lb)
{
	if (la == lb && !memcmp(a, b, la))
		return 1.0;
	if (la > MAXKEY)
		la = MAXKEY;
	if (lb > MAXKEY)
		lb = MAXKEY;
	unsigned lmin = la < lb ? la : lb, lmax = la < lb ? lb : la;
	if (!lmax)
		return 0.0;
	if (lmin >= 40 && !memcmp(a, b, lmin))
		return 0.96;   /* one database cut the title */
	unsigned k = lmax / 5;   /* below 0.8 we only need to know it is low */
	if (lmax - lmin > k)
		return contains(a, la, b, lb) ? 0.9 : (double)lmin / lmax;
	/* The edit distance ignores a common start and end. */
	unsigned pre = 0;
	while (pre < lmin && a[pre] == b[pre])
		pre++;
	unsigned suf = 0;
	while (suf < lmin - pre && a[la - 1 - suf] == b[lb - 1 - suf])
		suf++;
	a += pre;
	b += pre;
	la -= pre + suf;
	lb -= pre + suf;
	/* Cheap bound first: an edit changes the letter counts by at most
	 * two, so half their difference is at most the distance. Most
	 * candidate pairs end here. */
	int hist[32] = { 0 };
	for (unsigned i = 0; i < la; i++)
		hist[(unsigned char)a[i] & 31]++;
	for (unsigned i = 0; i < lb; i++)
		hist[(unsigned char)b[i] & 31]--;
	unsigned l1 = 0;
	for (int i = 0; i < 32; i++)
		l1 += (unsigned)abs(hist[i]);
	if (l1 / 2 > k)
		return 0.79;   /* lengths within 20%: no heading added */
	/* Second bound (the q-gram lemma): within distance k the strings
	 * share at least max(len) - 1 - 2k letter pairs. Titles built from
	 * the same common words pass the first bound but seldom this one. */
	if (la >= 2 && lb >= 2 && bigrams_shared(a, la, b, lb) + 1 + 2 * k < (la > lb ? la : lb))
		return 0.79;
	unsigned d = banded_distance(a, la, b, lb, k);
	if (d > k)
		return 0.79;
	double sim = 1.0 - (double)d / lmax;
	return sim;
}

/* 1 when the word at p (len letters) occurs in the space-separated list
 * between list and stop. */
static int has_word_in(const char *list, const char *stop, const char *p, size_t len)
{
	for (const char *q = list; q < stop && *q; q += strcspn(q, " "), q += *q == ' ')
		if (strcspn(q, " ") == len && !strncmp(p, q, len))
			return 1;
	return 0;
}

/* Distinct words of at least min letters in a list ("Smith" twice counts
 * once). */
static size_t distinct_words(const char *l, size_t min)
{
	size_t n = 0;
	for (const char *p = l; *p; p += strcspn(p, " "), p += *p == ' ') {
		size_t len = strcspn(p, " ");
		n += len >= min && !has_word_in(l, p, p, len);
	}
	return n;
}

/* Distinct words of at least min letters in list a that list b holds too. */
static size_t words_shared(const char *a, const char *b, size_t min)
{
	const char *bend = b + strlen(b);
	size_t n = 0;
	for (const char *p = a; *p; p += strcspn(p, " "), p += *p == ' ') {
		size_t len = strcspn(p, " ");
		n += len >= min && !has_word_in(a, p, p, len) && has_word_in(b, bend, p, len);
	}
	return n;
}

/* Two family names are one when equal, or, from five letters on, one
 * letter apart (a typing error: "Loirat" / "Llirat", "Ojemakinde" /
 * "Ojemekinde"); shorter names differ by one letter too often ("Wang" /
 * "Wong"). */
static int name_near(const char *p, size_t lp, const char *q, size_t lq)
{
	if (lp == lq && !strncmp(p, q, lp))
		return 1;
	/* The first letter is kept: a cheap filter, and a name typed with
	 * another first letter is too often another name. */
	return lp >= 5 && lq >= 5 && lp <= 40 && lq <= 40 && p[0] == q[0] &&
	       (lp > lq ? lp - lq : lq - lp) <= 1 &&
	       banded_distance(p, (unsigned)lp, q, (unsigned)lq, 1) <= 1;
}

static int has_name_near(const char *list, const char *p, size_t len)
{
	for (const char *q = list; *q; q += strcspn(q, " "), q += *q == ' ')
		if (name_near(p, len, q, strcspn(q, " ")))
			return 1;
	return 0;
}

/* Family names shared: overlap coefficient of the two sets of distinct
 * names, how many are shared (a name one letter off counts), and whether
 * the first authors agree: the same family name, one letter off, or one
 * record's first family name among the other's given names ("Tamara,
 * Kneese" against "Kneese, T.": given and family swapped). */
static double author_overlap(const qes__dd_rec *ra, const qes__dd_rec *rb, int *first,
			     size_t *shared, int *sizes_close, size_t *shorter, size_t *longer)
{
	const char *a = ra->authors, *b = rb->authors;
	size_t la = strcspn(a, " "), lb = strcspn(b, " ");
	int swapped = 0;
	*first = name_near(a, la, b, lb);
	if (!*first && rb->first_alt && has_name_near(rb->first_alt, a, la))
		*first = swapped = 1;
	if (!*first && ra->first_alt && has_name_near(ra->first_alt, b, lb))
		*first = swapped = 1;
	size_t common = 0;
	for (const char *p = a; *p; p += strcspn(p, " "), p += *p == ' ') {
		size_t len = strcspn(p, " ");
		common += !has_word_in(a, p, p, len) && has_name_near(b, p, len);
	}
	size_t na = distinct_words(a, 0), nb = distinct_words(b, 0);
	size_t m = na < nb ? na : nb, mx = na < nb ? nb : na;
	/* The swapped first author is one name shared. */
	common += swapped;
	if (common > m)
		common = m;
	*shared = common;
	*sizes_close = mx <= 2 * m + 1;
	*shorter = m;
	*longer = mx;
	return m ? (double)common / m : 0.0;
}

#define WHY(...) do { if (why) snprintf(why, whylen, __VA_ARGS__); } while (0)

/* Evidence from the fields other than the title. */
typedef struct evidence {
	int support, conflicts;
	int authors_ok, authors_bad, authors_known;
	int year_eq, year_diff;   /* year_diff: |difference|, -1 unknown */
	int volume_eq, pages_eq, journal_eq, issue_diff, pages_diff;
	size_t authors_shared;
	char text[200];
	char against[160];   /* what disagrees, for "kept apart by" */
} evidence;

static void add(evidence *e, const char *what)
{
	size_t n = strlen(e->text);
	snprintf(e->text + n, sizeof(e->text) - n, "%s%s", n ? ", " : "", what);
}

/* A conflict: counted, said in the reason and in what kept the pair apart. */
static void against(evidence *e, const char *what)
{
	e->conflicts++;
	add(e, what);
	size_t n = strlen(e->against);
	snprintf(e->against + n, sizeof(e->against) - n, "%s%s", n ? ", " : "", what);
}

static int one_page(const qes__dd_rec *r)
{
	return r->page_first && r->page_first == r->page_last;
}

/* 1 the page ranges overlap ("488" in "487-488"), -1 they are apart,
 * 0 unknown: a value is missing or garbled, or one is an article number
 * ("a1754") and the other a page range. */
static int pages_agree(const qes__dd_rec *a, const qes__dd_rec *b)
{
	if (!a->page_first || !b->page_first)
		return 0;
	if (a->page_first <= b->page_last && b->page_first <= a->page_last)
		return 1;
	/* An article number ("4912", "e0123") against the pages of its PDF
	 * ("1-12"): nothing to compare. */
	if ((a->page_first == 1 && a->page_last > 1 && one_page(b)) ||
	    (b->page_first == 1 && b->page_last > 1 && one_page(a)))
		return 0;
	/* An article number with its letter ("a1754", "c1804", "e0123")
	 * against the pages of the printed issue ("969-972", "1014": BMJ 337
	 * and 340): nothing to compare. A supplement's run of pages
	 * ("S60-S61") against other pages differs. */
	const qes__dd_rec *pre = a->page_pfx && !b->page_pfx ? a : !a->page_pfx && b->page_pfx ? b : NULL;
	const qes__dd_rec *other = pre == a ? b : a;
	/* ... but a supplement's page ("S36") against a regular one, or two
	 * article numbers ("e0168396" / "168453", five digits or more), are
	 * two places. */
	if (pre && one_page(pre) && pre->page_pfx != 's' &&
	    !(one_page(other) && pre->page_first > 9999 && other->page_first > 9999))
		return 0;
	return -1;
}

static void gather(const qes__dd_rec *a, const qes__dd_rec *b, evidence *e)
{
	memset(e, 0, sizeof(*e));
	e->year_diff = -1;
	if (a->authors && b->authors) {
		int first, close;
		size_t shared, m, mx;
		double ov = author_overlap(a, b, &first, &shared, &close, &m, &mx);
		e->authors_known = 1;
		/* Common surnames meet by chance ("Smith", "Jones", "Robinson"):
		 * agreeing needs the first author and half the names (two of
		 * them, unless one record has a single author), or lists of like
		 * length sharing half the longer one (at least two names) or all
		 * of the shorter ("Il Cheong, H." and "Cheong, H. I."). */
		e->authors_ok = (first && ov >= 0.5 && (shared >= 2 || m == 1)) ||
				(close && shared >= 2 && 2 * shared >= mx) ||
				(close && shared && ov >= 1.0);
		e->authors_bad = !first && ov < 0.3;
		e->authors_shared = shared;
		if (e->authors_ok) { e->support++; add(e, "authors agree"); }
		if (e->authors_bad) against(e, "authors differ");
	}
	if (a->year && b->year) {
		e->year_diff = abs(a->year - b->year);
		e->year_eq = !e->year_diff;
		if (e->year_eq) { e->support++; add(e, "same year"); }
		else against(e, "years differ");
	}
	if (a->volume && b->volume) {
		if (a->volume == b->volume) { e->support++; e->volume_eq = 1; add(e, "same volume"); }
		else against(e, "volumes differ");
	}
	if (a->issue && b->issue) {
		if (a->issue == b->issue) { e->support++; add(e, "same issue"); }
		else { e->issue_diff = 1; against(e, "issues differ"); }
	}
	int pg = pages_agree(a, b);
	if (pg > 0) { e->support++; e->pages_eq = 1; add(e, "same pages"); }
	if (pg < 0) { e->pages_diff = 1; against(e, "pages differ"); }
	if (qes__dd_journal_match(a, b)) {
		e->support++;
		e->journal_eq = 1;
		add(e, "same journal");
	} else if (a->journal && b->journal && !((a->flags | b->flags) & QES__DD_ABSTRACT)) {
		/* Proceedings are named any which way ("AMCIS 2017"); journals
		 * are not, once abbreviations are allowed for. */
		against(e, "journals differ");
	}
}

/* The same citation: the same range of at least min_pages pages in the same
 * volume of the same journal, the same year and the same authors, nothing
 * disagreeing. Two articles cannot share a page range; meeting abstracts
 * can (several on one or two pages), hence min_pages. */
static int same_citation(const qes__dd_rec *a, const qes__dd_rec *b, const evidence *e,
			 long min_pages)
{
	return a->page_first && a->page_first == b->page_first && a->page_last == b->page_last &&
	       a->page_last - a->page_first + 1 >= min_pages && a->page_pfx == b->page_pfx &&
	       e->volume_eq && e->journal_eq && e->year_eq && e->authors_ok && !e->conflicts;
}

/* Titles worded differently that still share half their longer words: a
 * translated title ("[Indications and contraindications of living-donor
 * kidney transplantation]" / "Indications and contraindications for living
 * kidney donations": each database translates in its own words), a title
 * changed between versions. */
static int reworded(const qes__dd_rec *a, const qes__dd_rec *b)
{
	/* Words of four letters or more, where the edit distance of the
	 * whole titles says only "far apart". */
	size_t na = distinct_words(a->title, 4), nb = distinct_words(b->title, 4);
	size_t shared = words_shared(a->title, b->title, 4);
	return shared >= 3 && 2 * shared >= (na > nb ? na : nb);
}

static int both_abstracts(const qes__dd_rec *a, const qes__dd_rec *b)
{
	return ((a->flags & QES__DD_ABSTRACT) || one_page(a)) &&
	       ((b->flags & QES__DD_ABSTRACT) || one_page(b));
}

/* A meeting abstract printed twice in one volume (in two sessions of the
 * abstract book, or with a page mistyped by one database): two one-page
 * records with the same long title, the same authors, year, volume and
 * journal, the page the only thing that differs. An erratum or the full
 * article is not one page against one page; the title must be long (60
 * letters) so that it names one piece of work. */
static int abstract_twice(const qes__dd_rec *a, const qes__dd_rec *b, const evidence *e)
{
	/* One page is also an article number (BMC's "148", PLoS's
	 * "e0168396"): two numbers are two articles. An abstract says so by
	 * its journal (a conference, a supplement). */
	return one_page(a) && one_page(b) && a->page_pfx == b->page_pfx && a->tlen >= 60 &&
	       b->tlen >= 60 && ((a->flags | b->flags) & QES__DD_ABSTRACT) &&
	       e->volume_eq && e->journal_eq && e->year_eq && e->authors_ok &&
	       e->conflicts == 1 && !(a->issue && b->issue && a->issue != b->issue) &&
	       !a->part == !b->part;
}

/* The shorter title is the longer one's start and ends where a word of
 * the longer one ends: words were added ("X" / "X in children"), not a
 * title cut inside a word by a length limit. */
static int whole_words_added(const qes__dd_rec *a, const qes__dd_rec *b)
{
	const qes__dd_rec *s = a->tlen <= b->tlen ? a : b, *l = s == a ? b : a;
	if (!s->title || !l->title)
		return 0;
	size_t n = strlen(s->title);
	return !strncmp(s->title, l->title, n) && l->title[n] == ' ';
}

static int names_meeting(const char *title)
{
	static const char *const w[] = { "congress", "meeting", "symposium", "conference",
		"abstracts", "proceedings", "workshop", "annual", NULL };
	for (const char *const *k = w; *k; k++)
		if (strstr(title, *k))
			return 1;
	return 0;
}

/* One record holds a translation of the other's title: "[...]" on one
 * side only, or two languages given. */
static int translation(const qes__dd_rec *a, const qes__dd_rec *b)
{
	return ((a->flags ^ b->flags) & QES__DD_TRANSLATED) ||
	       (a->lang && b->lang && strncmp(a->lang, b->lang, 2));
}

static int both_conference(const qes__dd_rec *a, const qes__dd_rec *b)
{
	return (a->flags & QES__DD_ABSTRACT) && (b->flags & QES__DD_ABSTRACT);
}

static int apart(const qes__dd_rec *a, const qes__dd_rec *b, int idmatch, char *why,
		 size_t whylen);
static int compare_rules(const qes__dd_rec *a, const qes__dd_rec *b, double *title_sim,
			 char *why, size_t whylen);

/* Whether nothing else keeps a pair apart once one field is set aside:
 * ca, cb are the pair's copies without it (no DOIs, no title numbers). */
static int apart_only_by(const qes__dd_rec *ca, const qes__dd_rec *cb)
{
	int idmatch = (ca->doi && cb->doi && !strcmp(ca->doi, cb->doi)) ||
		      (ca->pmid && cb->pmid && !strcmp(ca->pmid, cb->pmid));
	return !apart(ca, cb, idmatch, NULL, 0);
}

/* Two DOIs, but everything else the same: nearly identical titles, the
 * same authors, year, pages and journal, nothing disagreeing, and no other
 * reason to keep the records apart. One database probably holds the wrong
 * DOI (a regpep DOI on an Appetite abstract); the DOIs keep the records
 * apart for the machine, a person may join them. */
static int doi_slip(const qes__dd_rec *a, const qes__dd_rec *b, double t, evidence *e)
{
	if (!a->doi || !b->doi || !strcmp(a->doi, b->doi) || t < 0.97)
		return 0;
	qes__dd_rec ca = *a, cb = *b;
	ca.doi = cb.doi = NULL;
	if (!apart_only_by(&ca, &cb))
		return 0;
	gather(a, b, e);
	return e->conflicts == 0 && e->authors_ok && e->year_eq && e->pages_eq && e->journal_eq;
}

/* Numbers in the titles differ ("p6INK4a" / "p16(INK4a)"), but the records
 * share one citation (a range of three pages or more, volume, journal, year,
 * authors) and nothing else keeps them apart: a typing error, most likely,
 * yet "type 1" against "type 2" is exactly what the numbers guard. A
 * person decides. */
static int number_slip(const qes__dd_rec *a, const qes__dd_rec *b, double t, int idmatch,
		       evidence *e)
{
	const char *na = a->nums ? a->nums : "", *nb = b->nums ? b->nums : "";
	if (t < 0.9 || idmatch || !strcmp(na, nb))
		return 0;
	qes__dd_rec ca = *a, cb = *b;
	ca.nums = cb.nums = NULL;
	if (!apart_only_by(&ca, &cb))
		return 0;
	gather(a, b, e);
	return same_citation(a, b, e, 3);
}

/* A word of four letters or more (letters only) of title x with no
 * counterpart in title y (words y, letters ykey): it is not among y's
 * letters (so "betacell" meets "beta cell", and a word an export cut at the
 * end meets the whole word), and no word of y is within one edit (two from
 * six letters on) of it: "haemolytic" / "hemolytic", "centre" / "center".
 * The word goes to out. */
static int lone_word(const char *x, const char *y, const char *ykey, char *out, size_t outlen)
{
	for (const char *p = x; *p; p += strcspn(p, " "), p += *p == ' ') {
		size_t n = strcspn(p, " ");
		if (n < 4 || n > 40)
			continue;
		size_t i = 0;
		while (i < n && isalpha((unsigned char)p[i]))
			i++;
		if (i < n)
			continue;
		char w[41];
		memcpy(w, p, n);
		w[n] = '\0';
		if (strstr(ykey, w))
			continue;
		unsigned k = n >= 6 ? 2 : 1;
		int near = 0;
		for (const char *q = y; *q && !near; q += strcspn(q, " "), q += *q == ' ') {
			size_t m = strcspn(q, " ");
			near = m + k >= n && m <= n + k && m <= 40 &&
			       banded_distance(p, (unsigned)n, q, (unsigned)m, k) <= k;
		}
		if (!near) {
			snprintf(out, outlen, "%s", w);
			return 1;
		}
	}
	return 0;
}

/* One word for another: each title has a word the other lacks ("plasma
 * therapy-sensitive" / "plasma therapy-resistant", "adult" / "adolescent").
 * Titles a few letters apart, yet often two studies of one group. Words
 * only added on one side (a heading, "(multiple letters)", a title cut
 * short) are not this. */
static int word_swapped(const qes__dd_rec *a, const qes__dd_rec *b, char *out, size_t outlen)
{
	char wa[48], wb[48];
	if (!lone_word(a->title, b->title, b->tkey, wa, sizeof(wa)) ||
	    !lone_word(b->title, a->title, a->tkey, wb, sizeof(wb)))
		return 0;
	snprintf(out, outlen, "%s / %s", wa, wb);
	return 1;
}

static const char *trap_name(unsigned f)
{
	if (f & QES__DD_ERRATUM) return "an erratum and what it corrects";
	if (f & QES__DD_RETRACTION) return "a retraction notice and the article";
	if (f & QES__DD_COMMENT) return "a comment and the article it discusses";
	if (f & QES__DD_REPLY) return "a reply and what it answers";
	if (f & QES__DD_PROTOCOL) return "a protocol and its results";
	return "different kinds of publication";
}

/* Strong evidence against, whatever the titles say. */
static int apart(const qes__dd_rec *a, const qes__dd_rec *b, int idmatch, char *why,
		 size_t whylen)
{
	if (a->doi && b->doi && strcmp(a->doi, b->doi)) {
		WHY("different DOIs (%s, %s)", a->doi, b->doi);
		return 1;
	}
	if (a->pmid && b->pmid && strcmp(a->pmid, b->pmid)) {
		WHY("different PMIDs (%s, %s)", a->pmid, b->pmid);
		return 1;
	}
	unsigned d = (a->flags ^ b->flags) & QES__DD_TRAPS;
	if (d) {
		WHY("kept apart: %s", trap_name(d));
		return 1;
	}
	if (a->part && b->part && a->part != b->part) {
		WHY("kept apart: parts %d and %d of a multi-part paper", a->part, b->part);
		return 1;
	}
	if (idmatch)
		return 0;
	if (a->title && b->title) {
		unsigned lmin = a->tlen < b->tlen ? a->tlen : b->tlen;
		int cut = lmin >= 40 && !strncmp(a->tkey, b->tkey, lmin);
		const char *na = a->nums ? a->nums : "", *nb = b->nums ? b->nums : "";
		if (!cut && strcmp(na, nb)) {
			WHY("kept apart: the titles' numbers differ (%s / %s)",
			    *na ? na : "none", *nb ? nb : "none");
			return 1;
		}
	}
	if ((a->flags ^ b->flags) & QES__DD_ABSTRACT) {
		int jc = qes__dd_journal_match(a, b);
		/* The same volume and issue (or pages) is one publication
		 * whatever one database calls the journal. */
		int same_place = a->volume && a->volume == b->volume &&
				 ((a->issue && a->issue == b->issue) ||
				  (a->page_first && a->page_first == b->page_first));
		if ((a->year && b->year && a->year != b->year) ||
		    (a->journal && b->journal && !jc && !same_place)) {
			WHY("kept apart: a conference abstract and a later article");
			return 1;
		}
	}
	if (a->lang && b->lang && strncmp(a->lang, b->lang, 2) &&
	    ((a->flags | b->flags) & QES__DD_TRANSLATED)) {
		WHY("kept apart: versions in different languages");
		return 1;
	}
	if (a->year && b->year && abs(a->year - b->year) >= 3) {
		WHY("kept apart: published %d years apart", abs(a->year - b->year));
		return 1;
	}
	return 0;
}

/* Two DOIs, one naming another journal than its own record's (a regpep
 * DOI on an Appetite abstract): that DOI is no evidence, and the pair is
 * judged on the rest as if neither had a DOI. A merge then needs
 * everything else alike (doi_slip: titles 97% alike, authors, year, pages
 * and journal agreeing, nothing disagreeing); short of that, a person
 * decides. When the rest does not call them alike, the two DOIs keep them
 * apart as before (so no chain of merges joins them). Two DOIs that both
 * fit their records never come here. */
static int doi_misfit(const qes__dd_rec *a, const qes__dd_rec *b, double *title_sim,
		      char *why, size_t whylen)
{
	qes__dd_rec ca = *a, cb = *b;
	ca.doi = cb.doi = NULL;
	ca.flags &= ~(unsigned)QES__DD_DOI_MISFIT;
	cb.flags &= ~(unsigned)QES__DD_DOI_MISFIT;
	const char *odd = a->flags & QES__DD_DOI_MISFIT ? a->doi : b->doi;
	char rest[400] = "";
	double t;
	int v = compare_rules(&ca, &cb, &t, why ? rest : NULL, sizeof(rest));
	if (title_sim)
		*title_sim = t;
	evidence e;
	if (v == QES_DEDUP_SAME && !doi_slip(a, b, t, &e)) {
		WHY("the DOI %s names another journal than its record's (no evidence); the rest "
		    "agrees but not in everything: %s", odd, rest);
		return QES_DEDUP_UNSURE;
	}
	if (v == QES_DEDUP_NONE) {
		WHY("different DOIs (%s, %s), one naming another journal than its record's, "
		    "and the rest differs: %s", a->doi, b->doi, rest);
		return QES_DEDUP_APART;
	}
	WHY("the DOI %s names another journal than its record's (no evidence): %s", odd, rest);
	return v;
}

static int compare_rules(const qes__dd_rec *a, const qes__dd_rec *b, double *title_sim,
			 char *why, size_t whylen)
{
	if (a->doi && b->doi && strcmp(a->doi, b->doi) &&
	    ((a->flags | b->flags) & QES__DD_DOI_MISFIT))
		return doi_misfit(a, b, title_sim, why, whylen);
	int doi_eq = a->doi && b->doi && !strcmp(a->doi, b->doi);
	int pmid_eq = a->pmid && b->pmid && !strcmp(a->pmid, b->pmid);
	int idmatch = doi_eq || pmid_eq;
	const char *id = doi_eq ? "same DOI" : "same PMID";
	double t = a->title && b->title ? qes__dd_title_sim(a->tkey, a->tlen, b->tkey, b->tlen) : -1;
	if (title_sim)
		*title_sim = t;
	evidence e;
	if (apart(a, b, idmatch, why, whylen)) {
		if (doi_slip(a, b, t, &e)) {
			WHY("different DOIs (%s, %s) but titles %.0f%% alike, %s: is one DOI wrong?",
			    a->doi, b->doi, t * 100, e.text);
			return QES_DEDUP_UNSURE;
		}
		if (number_slip(a, b, t, idmatch, &e)) {
			WHY("the titles' numbers differ (%s / %s) but the same citation (pages %ld-%ld): "
			    "a typing error?", a->nums ? a->nums : "none", b->nums ? b->nums : "none",
			    a->page_first, a->page_last);
			return QES_DEDUP_UNSURE;
		}
		return QES_DEDUP_APART;
	}
	gather(a, b, &e);
	/* The same volume, pages and journal (or year) name one article,
	 * whatever the author list says (a group name, given names first). */
	int biblio = e.volume_eq && e.pages_eq && (e.journal_eq || e.year_eq);
	/* Or the same volume and issue of one journal by the same authors
	 * (abstracts have no pages; the year is often the meeting's). */
	int issue_eq = a->issue && a->issue == b->issue;
	int biblio2 = e.volume_eq && issue_eq && e.journal_eq && e.authors_ok && !e.pages_diff;
	if (idmatch) {
		if (t < 0) {
			/* No title: the identifier must be backed by the rest. */
			if (e.year_diff <= 0 && !e.authors_bad && e.support >= 2 && e.conflicts == 0) {
				WHY("%s, a title missing, %s", id, e.text);
				return QES_DEDUP_SAME;
			}
			WHY("%s but a title missing and too little else agrees (%s)", id, e.text);
			return QES_DEDUP_UNSURE;
		}
		if (t >= 0.8 && e.year_diff <= 1 && (!e.authors_bad || (t >= 0.97 && biblio))) {
			WHY("%s, titles %.0f%% alike", id, t * 100);
			return QES_DEDUP_SAME;
		}
		if (t >= 0.8 && e.conflicts == 0) {
			WHY("%s but titles only %.0f%% alike (%s)", id, t * 100, e.text);
			return QES_DEDUP_UNSURE;
		}
		/* The original-language title in one database, its English
		 * translation in the other: the identifier and the same volume,
		 * pages and year say one article (a supplement's DOI shared by
		 * its abstracts is not this: they are abstracts). */
		if (translation(a, b) && e.volume_eq && e.pages_eq && e.year_eq && !e.authors_bad &&
		    !((a->flags | b->flags) & QES__DD_ABSTRACT)) {
			WHY("%s, a translated title against the original, the same volume and pages: %s",
			    id, e.text);
			return QES_DEDUP_SAME;
		}
		WHY("%s but different titles%s%s (a DOI shared by a supplement?)", id,
		    *e.text ? ", " : "", e.text);
		return QES_DEDUP_NONE;
	}
	if (t < 0) {
		WHY("a title is missing and no DOI or PMID agrees");
		return QES_DEDUP_NONE;
	}
	/* Letters alike, words not: one word for another. */
	char swap[100];
	int swapped = t >= 0.85 && t < 1.0 && word_swapped(a, b, swap, sizeof(swap));
	/* The same citation names one article whatever one export did to its
	 * title: a Greek letter dropped ("Interferon- (IFN-)" for
	 * "Interferon-gamma (IFN-gamma)"), or a translation worded otherwise.
	 * Not a word for another: some exports give every abstract of a
	 * supplement the supplement's pages. */
	if (t < 0.97 && same_citation(a, b, &e, 3)) {
		if (t >= 0.85 && !swapped) {
			WHY("titles %.0f%% alike, the same citation (pages %ld-%ld): %s", t * 100,
			    a->page_first, a->page_last, e.text);
			return QES_DEDUP_SAME;
		}
		if (((a->flags | b->flags) & QES__DD_TRANSLATED) && reworded(a, b)) {
			WHY("a translated title worded differently, the same citation (pages %ld-%ld): %s",
			    a->page_first, a->page_last, e.text);
			return QES_DEDUP_SAME;
		}
		/* The title in the original language against its translation
		 * ("[...]" on one side only, or two languages): nothing of the
		 * wording in common, but one citation of three pages or more
		 * by the same authors. */
		if (((a->flags ^ b->flags) & QES__DD_TRANSLATED) && !swapped &&
		    !((a->flags | b->flags) & QES__DD_ABSTRACT)) {
			WHY("a title and its translation, the same citation (pages %ld-%ld): %s",
			    a->page_first, a->page_last, e.text);
			return QES_DEDUP_SAME;
		}
	}
	/* A person decides (an identifier settled it before this). */
	if (swapped && t >= 0.9) {
		if (e.conflicts <= 1) {
			WHY("titles %.0f%% alike but one word for another (%s): %s", t * 100, swap,
			    *e.text ? e.text : "nothing else to go on");
			return QES_DEDUP_UNSURE;
		}
		WHY("titles %.0f%% alike but one word for another (%s): %s", t * 100, swap, e.text);
		return QES_DEDUP_NONE;
	}
	if (t >= 0.97 && abstract_twice(a, b, &e)) {
		WHY("the same one-page abstract printed twice in one volume: titles %.0f%% alike, %s",
		    t * 100, e.text);
		return QES_DEDUP_SAME;
	}
	/* A translated title ("[...]") against the English one, or a part
	 * number on one side only, needs the bibliographic details to agree. */
	int translated = (a->flags ^ b->flags) & QES__DD_TRANSLATED;
	int partial = !!a->part != !!b->part;
	/* Short titles ("Editorial", "Introduction") say little on their own. */
	unsigned minlen = a->tlen < b->tlen ? a->tlen : b->tlen;
	int shortt = minlen < 30;
	int need = shortt || translated || partial ? 4 : 2;
	int authors = e.authors_ok || !e.authors_known;
	/* With no authors on one side, a title that names a meeting ("15th
	 * Congress of the International Pediatric Nephrology Association":
	 * the header of an abstract book, printed in several issues) needs
	 * the issue or the pages to agree too. */
	int need_t = !e.authors_known && (names_meeting(a->title) || names_meeting(b->title)) ?
			     need + 2 : need;
	if (t >= 0.97) {
		if (e.conflicts == 0 && e.support >= need_t && authors) {
			WHY("titles %.0f%% alike, %s", t * 100, e.text);
			return QES_DEDUP_SAME;
		}
		if ((biblio || biblio2) && e.conflicts <= 1 && e.year_diff <= 1 && !partial &&
		    (!shortt || e.support >= 5)) {
			WHY("titles %.0f%% alike, same volume and pages: %s", t * 100, e.text);
			return QES_DEDUP_SAME;
		}
		/* A conference paper indexed under the conference's year by one
		 * database and the proceedings' by another, one with pages and
		 * one without: the same long title, two authors or more, the
		 * same conference, nothing else disagreeing. */
		if (e.year_diff == 1 && e.conflicts == 1 && both_conference(a, b) && e.journal_eq &&
		    e.authors_ok && e.authors_shared >= 2 && minlen >= 40 && !partial &&
		    !(a->page_first && b->page_first)) {
			WHY("titles %.0f%% alike, %s: one paper of one conference dated by the meeting "
			    "and by the proceedings", t * 100, e.text);
			return QES_DEDUP_SAME;
		}
		if (e.conflicts <= 2) {
			WHY("titles %.0f%% alike but %s", t * 100, *e.text ? e.text : "nothing else to go on");
			return QES_DEDUP_UNSURE;
		}
		/* One abstract presented at two meetings, printed in two
		 * journals' supplements: the same study, but a person says so. */
		if (both_abstracts(a, b) && e.authors_ok && e.year_eq && !shortt) {
			WHY("titles %.0f%% alike, two abstracts by the same authors: %s", t * 100, e.text);
			return QES_DEDUP_UNSURE;
		}
		WHY("titles alike but %s", e.text);
		return QES_DEDUP_NONE;
	}
	/* One title the start of the other ("X" / "X in children"): a
	 * database cut it at its length limit, mostly inside a word ("... in
	 * pre-diabetic m"), or it is another study that adds words. A
	 * shorter title ending on a whole word needs the same pages. */
	int cut = t == 0.96 && !e.pages_eq && whole_words_added(a, b);
	if (t >= 0.9) {
		if (e.conflicts == 0 && e.authors_ok && e.support >= need + 2 && !cut) {
			WHY("titles %.0f%% alike, %s", t * 100, e.text);
			return QES_DEDUP_SAME;
		}
		if (e.conflicts <= 1 && e.support >= 1) {
			WHY("titles %.0f%% alike, %s", t * 100, e.text);
			return QES_DEDUP_UNSURE;
		}
	} else if (t >= 0.8 && e.conflicts == 0 && e.support >= 2) {
		WHY("titles %.0f%% alike, %s", t * 100, e.text);
		return QES_DEDUP_UNSURE;
	}
	if (translation(a, b) && e.volume_eq && e.pages_eq && e.year_eq && !e.authors_bad) {
		WHY("titles %.0f%% alike, a translated title: %s; differs: %s", t * 100, e.text,
		    *e.against ? e.against : "the wording only");
		return QES_DEDUP_UNSURE;
	}
	if (same_citation(a, b, &e, 2) && reworded(a, b)) {
		WHY("titles worded differently (%.0f%% alike) but the same pages %ld-%ld: %s",
		    t * 100, a->page_first, a->page_last, e.text);
		return QES_DEDUP_UNSURE;
	}
	WHY("titles %.0f%% alike%s%s", t * 100, *e.text ? ", " : "", e.text);
	return QES_DEDUP_NONE;
}

/* The rules, and for a pair not merged what kept it apart: the fields
 * that disagree, or that too little agrees ("--explain", the queue). */
int qes__dd_compare(const qes__dd_rec *a, const qes__dd_rec *b, double *title_sim,
		    char *why, size_t whylen)
{
	double t;
	int v = compare_rules(a, b, &t, why, whylen);
	if (title_sim)
		*title_sim = t;
	if (!why || v == QES_DEDUP_SAME || strstr(why, "differs: "))
		return v;
	evidence e;
	gather(a, b, &e);
	size_t n = strlen(why);
	if (v == QES_DEDUP_UNSURE)
		snprintf(why + n, whylen - n, "; differs: %s",
			 *e.against ? e.against : "nothing, but too little agrees to be sure");
	else if (v == QES_DEDUP_NONE) {
		char tw[64] = "";
		if (t < 0)
			snprintf(tw, sizeof(tw), "a title missing");
		else if (t < 0.97)
			snprintf(tw, sizeof(tw), "titles only %.0f%% alike", t * 100);
		snprintf(why + n, whylen - n, "; kept apart by: %s%s%s", tw,
			 *tw && *e.against ? ", " : "",
			 *tw || *e.against ? e.against : "too little agrees");
	}
	else if (*e.against)
		snprintf(why + n, whylen - n, "; also differs: %s", e.against);
	return v;
}
