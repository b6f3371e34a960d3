/* parse_ris.c: RIS, as every producer writes it (EndNote, Zotero, Mendeley,
 * Ovid, EBSCO, ProQuest, PubMed, Embase, Scopus, Web of Science).
 *
 * What is accepted, and why:
 * - A tag line is two characters [A-Z][A-Z0-9], one or more spaces or tabs,
 *   a hyphen, then a blank or the end of the line ("TY  - JOUR", "TY  -",
 *   "A1\t- Name", "ID \t- 12"). Tags must be upper case: lower-case tag
 *   lines occur in no export, while prose such as "in - vitro" would be
 *   misread. Any other line inside a record continues the field above it.
 * - A record starts at TY and ends at ER ("ER  -", "ER  - ", or a bare
 *   "ER"). Text before the first TY and between records (Ovid's "1.",
 *   "Record #1 of 2" headers, link lines, blank lines) is not data.
 * - Tag lines after an ER and before the next TY belong to the record
 *   above: Ovid writes NL after ER. If such lines end with their own ER
 *   they are a record without TY, which is reported as malformed; so is a
 *   group of tag lines before the first TY.
 * - A TY inside an open record ends it (its ER is missing): the record is
 *   kept, with a warning, because the next record starting cleanly shows
 *   it is whole. At the end of the file an open record is kept, with a
 *   warning, when a blank line follows its last field (the producer
 *   finished it) or when no record of the file had an ER (the producer
 *   writes none); otherwise the file was cut in the middle of it and the
 *   record is reported as malformed (truncated export), never dropped
 *   silently.
 * Mapping of tags to fields is in ris_map() below. */
#include "tagged.h"
#include "qes/limits.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define T(a, b) QES__TAG2(a, b)

/* Offset of the value in a tag line, or 0 when s is not a tag line. */
static size_t ris_tag(const char *s, size_t n)
{
	if (n < 4 || !(s[0] >= 'A' && s[0] <= 'Z') ||
	    !((s[1] >= 'A' && s[1] <= 'Z') || (s[1] >= '0' && s[1] <= '9')))
		return 0;
	size_t i = 2;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == 2 || i >= n || s[i] != '-')
		return 0;
	i++;
	if (i < n && s[i] != ' ' && s[i] != '\t')
		return 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* A bare "ER" (with trailing blanks) also ends a record. */
static int bare_er(const char *s, size_t n)
{
	if (n < 2 || s[0] != 'E' || s[1] != 'R')
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

static void tag_name(unsigned tag, char out[3])
{
	out[0] = (char)(tag >> 8);
	out[1] = (char)(tag & 0xFF);
	out[2] = '\0';
}

/* --- Mapping --------------------------------------------------------------- */

static const char *ris_type(const char *raw)
{
	static const struct { const char *ty, *type; } map[] = {
		{ "JOUR", QES_TYPE_ARTICLE }, { "JFULL", QES_TYPE_ARTICLE },
		{ "EJOUR", QES_TYPE_ARTICLE }, { "MGZN", QES_TYPE_ARTICLE },
		{ "NEWS", QES_TYPE_ARTICLE }, { "INPR", QES_TYPE_ARTICLE },
		{ "ABST", QES_TYPE_ARTICLE }, { "SER", QES_TYPE_ARTICLE },
		{ "BOOK", QES_TYPE_BOOK }, { "EBOOK", QES_TYPE_BOOK },
		{ "EDBOOK", QES_TYPE_BOOK }, { "CLSWK", QES_TYPE_BOOK },
		{ "CHAP", QES_TYPE_CHAPTER }, { "ECHAP", QES_TYPE_CHAPTER },
		{ "CONF", QES_TYPE_CONFERENCE }, { "CPAPER", QES_TYPE_CONFERENCE },
		{ "THES", QES_TYPE_THESIS }, { "RPRT", QES_TYPE_REPORT },
		{ "GOVDOC", QES_TYPE_REPORT }, { "STAND", QES_TYPE_REPORT },
		{ "ELEC", QES_TYPE_WEB }, { "WEB", QES_TYPE_WEB }, { "BLOG", QES_TYPE_WEB },
		{ "DATA", QES_TYPE_DATASET }, { "DBASE", QES_TYPE_DATASET },
		{ "AGGR", QES_TYPE_DATASET },
	};
	if (!raw)
		return NULL;
	while (*raw == ' ' || *raw == '\t')
		raw++;
	size_t n = strcspn(raw, " \t\n");
	if (!n)
		return NULL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].ty) == n && !strncasecmp(raw, map[i].ty, n))
			return map[i].type;
	return QES_TYPE_OTHER;
}

/* Tags that hold one value; the first one counts, repeats go to extra. */
enum { P_TY, P_ID, P_TI, P_T1, P_CT, P_BT, P_AB, P_N2, P_JF, P_JO, P_T2, P_JA,
       P_J1, P_J2, P_VL, P_IS, P_SP, P_EP, P_PY, P_Y1, P_DA, P_DO, P_AN, P_LA,
       P_UR, P_L1, P_L2, P_PB, P_PU, P_DB, P_DP, NPICK };

static int pick_of(unsigned tag)
{
	switch (tag) {
	case T('T', 'Y'): return P_TY;  case T('I', 'D'): return P_ID;
	case T('T', 'I'): return P_TI;  case T('T', '1'): return P_T1;
	case T('C', 'T'): return P_CT;  case T('B', 'T'): return P_BT;
	case T('A', 'B'): return P_AB;  case T('N', '2'): return P_N2;
	case T('J', 'F'): return P_JF;  case T('J', 'O'): return P_JO;
	case T('T', '2'): return P_T2;  case T('J', 'A'): return P_JA;
	case T('J', '1'): return P_J1;  case T('J', '2'): return P_J2;
	case T('V', 'L'): return P_VL;  case T('I', 'S'): return P_IS;
	case T('S', 'P'): return P_SP;  case T('E', 'P'): return P_EP;
	case T('P', 'Y'): return P_PY;  case T('Y', '1'): return P_Y1;
	case T('D', 'A'): return P_DA;  case T('D', 'O'): return P_DO;
	case T('A', 'N'): return P_AN;  case T('L', 'A'): return P_LA;
	case T('U', 'R'): return P_UR;  case T('L', '1'): return P_L1;
	case T('L', '2'): return P_L2;  case T('P', 'B'): return P_PB;
	case T('P', 'U'): return P_PU;  case T('D', 'B'): return P_DB;
	case T('D', 'P'): return P_DP;
	}
	return -1;
}

typedef struct ris_map_ctx {
	qes__tagged *t;
	qes_record *rec;
	unsigned char *used;     /* per field: consumed by a record field */
	long pick[NPICK];        /* field index + 1 of the first of each tag */
} ris_map_ctx;

/* Takes the first present of the given picks into *dst. */
static int take(ris_map_ctx *m, char **dst, const int *order, int n)
{
	for (int i = 0; i < n && !*dst; i++) {
		long k = m->pick[order[i]];
		if (!k)
			continue;
		m->used[k - 1] = 1;
		if (qes__tagged_set(m->t, &m->t->f[k - 1], dst))
			return QES_ENOMEM;
	}
	return 0;
}

static char *trim(char *s)
{
	if (!s)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static int has_digit(const char *s)
{
	return s && strpbrk(s, "0123456789") != NULL;
}

/* SP and EP into "SP-EP". Values without a digit are not pages: PsycINFO
 * writes "No Pagination Specified" as SP "No", EP "Specified". */
static int map_pages(ris_map_ctx *m)
{
	char *sp = NULL, *ep = NULL;
	static const int osp[] = { P_SP }, oep[] = { P_EP };
	if (take(m, &sp, osp, 1) || take(m, &ep, oep, 1))
		return QES_ENOMEM;
	sp = trim(sp);
	ep = trim(ep);
	if (!has_digit(sp))
		sp = NULL;
	if (!has_digit(ep))
		ep = NULL;
	if (sp && ep && !strchr(sp, '-') && strcmp(sp, ep)) {
		m->rec->pages = qes__arena_printf(m->t->a, "%s-%s", sp, ep);
		return m->rec->pages ? 0 : QES_ENOMEM;
	}
	m->rec->pages = sp ? sp : ep;
	return 0;
}

/* Year from PY, Y1 or DA; the date as written, fullest first: DA when it
 * has a year ("2019/03/04"), else "PY DA" when DA lacks one ("2011 Jun"),
 * else Y1 or PY without RIS's trailing slashes ("2016/09//"). */
static int map_date(ris_map_ctx *m)
{
	char *py = NULL, *y1 = NULL, *da = NULL;
	static const int opy[] = { P_PY }, oy1[] = { P_Y1 }, oda[] = { P_DA };
	if (take(m, &py, opy, 1) || take(m, &y1, oy1, 1) || take(m, &da, oda, 1))
		return QES_ENOMEM;
	py = trim(py);
	y1 = trim(y1);
	da = trim(da);
	qes_record *rec = m->rec;
	rec->year = qes__year_from(py);
	if (!rec->year)
		rec->year = qes__year_from(y1);
	if (!rec->year)
		rec->year = qes__year_from(da);
	/* PY and Y1 are years (DA may be "Jun" alone): one without four
	 * digits ("20x4") is a typo to tell about, not a missing value. */
	static const struct { int pick; const char *name; } years[] = {
		{ P_PY, "PY" }, { P_Y1, "Y1" },
	};
	const char *vals[] = { py, y1 };
	for (int i = 0; i < 2; i++) {
		if (!vals[i] || !*vals[i] || qes__year_from(vals[i]))
			continue;
		long k = m->pick[years[i].pick];
		qes__sink_warnf(m->t->sink, m->t->file, k ? m->t->f[k - 1].line : m->t->line,
				"%s '%.40s' holds no year (four digits); %s", years[i].name,
				vals[i], rec->year ? "the year comes from another field"
				: "the record has no year");
	}
	char *date = NULL;
	if (da && qes__year_from(da))
		date = da;
	else if (da && *da && rec->year && !strchr(da, '/')) {
		date = qes__arena_printf(m->t->a, "%d %s", rec->year, da);
		if (!date)
			return QES_ENOMEM;
	} else
		date = y1 && *y1 ? y1 : py;
	if (date) {
		/* "YYYY/MM/DD/other": Zotero writes "2019/10//undefined" */
		size_t n = strlen(date);
		if (n > 10 && !strcmp(date + n - 10, "/undefined"))
			date[n -= 9] = '\0';
		while (n && date[n - 1] == '/')
			date[--n] = '\0';
	}
	rec->date = date;
	return 0;
}

/* A DOI where producers hide it: bare "10.x/y" (M3, L3) or a doi.org link
 * (UR, L2, L1). */
static int looks_doi(const char *v)
{
	while (*v == ' ' || *v == '\t')
		v++;
	if (!strncmp(v, "10.", 3) && strchr(v, '/'))
		return 1;
	return strstr(v, "doi.org/10.") != NULL;
}

static int map_doi(ris_map_ctx *m)
{
	static const int odo[] = { P_DO };
	if (take(m, &m->rec->doi, odo, 1))
		return QES_ENOMEM;
	if (m->rec->doi && strstr(m->rec->doi, "10."))
		return 0;
	for (size_t i = 0; i < m->t->nf; i++) {
		unsigned tag = m->t->f[i].tag;
		if (tag != T('M', '3') && tag != T('L', '3') && tag != T('U', 'R') &&
		    tag != T('L', '2') && tag != T('L', '1'))
			continue;
		char *v = qes__tagged_value(m->t, &m->t->f[i]);
		if (!v)
			return QES_ENOMEM;
		if (looks_doi(v)) {
			m->rec->doi = v;
			return 0;
		}
	}
	return 0;
}

/* "PMID: 12345678" in notes; 0 when absent or when two differ. */
static int pmid_in(const char *s, char *out, size_t outlen)
{
	int found = 0;
	for (const char *p = s; (p = strcasestr(p, "PMID")); p += 4) {
		const char *q = p + 4;
		while (*q == ':' || *q == ' ' || *q == '-')
			q++;
		size_t n = strspn(q, "0123456789");
		if (!n || n >= outlen || n > 9)
			continue;
		if (found && (strlen(out) != n || strncmp(out, q, n)))
			return 0;
		memcpy(out, q, n);
		out[n] = '\0';
		found = 1;
	}
	return found;
}

static int all_digits(const char *s)
{
	size_t n = strspn(s, "0123456789");
	return n > 0 && n <= 9 && s[n] == '\0';
}

/* PubMed-origin records: the PMID is in AN (EndNote, Ovid MEDLINE) when the
 * record says it came from PubMed/MEDLINE, or in a "PMID:" note. */
static int map_pmid(ris_map_ctx *m, const char *an)
{
	qes_record *rec = m->rec;
	char buf[16];
	if (rec->notes && pmid_in(rec->notes, buf, sizeof(buf))) {
		rec->pmid = qes__arena_strdup(m->t->a, buf);
		return rec->pmid ? 0 : QES_ENOMEM;
	}
	/* "PMID:12345678", as qes's own RIS export writes it. */
	if (an && !strncasecmp(an, "PMID:", 5)) {
		const char *d = an + 5;
		while (*d == ' ')
			d++;
		if (all_digits(d)) {
			rec->pmid = qes__arena_strdup(m->t->a, d);
			return rec->pmid ? 0 : QES_ENOMEM;
		}
	}
	if (!an || !all_digits(an))
		return 0;
	long k = m->pick[P_DP];
	char *dp = k ? trim(qes__tagged_value(m->t, &m->t->f[k - 1])) : NULL;
	const char *origin[] = { rec->database, rec->url, dp };
	int pubmed = 0;
	for (int i = 0; i < 3; i++) {
		const char *s = origin[i];
		if (s && (strcasestr(s, "pubmed") || strcasestr(s, "medline")))
			pubmed = 1;
	}
	/* EndNote's PubMed import writes DP "NLM" */
	if (dp && !strcasecmp(dp, "NLM"))
		pubmed = 1;
	if (pubmed) {
		rec->pmid = qes__arena_strdup(m->t->a, an);
		return rec->pmid ? 0 : QES_ENOMEM;
	}
	return 0;
}

static int map_lists(ris_map_ctx *m)
{
	qes__tagged *t = m->t;
	qes_record *rec = m->rec;
	for (size_t i = 0; i < t->nf; i++) {
		const qes__tfield *f = &t->f[i];
		int rc = 0;
		switch (f->tag) {
		case T('A', 'U'): case T('A', '1'):
			rc = qes__tagged_split(t, f, "\n;", &rec->authors);
			break;
		case T('K', 'W'):
			rc = qes__tagged_split(t, f, "\n;", &rec->keywords);
			break;
		case T('N', '1'): {
			char *v = qes__tagged_value(t, f);
			rc = v ? qes__field_append(&rec->notes, t->a, v, "; ") : QES_ENOMEM;
			break;
		}
		case T('S', 'N'): case T('B', 'N'): {
			char *v = qes__tagged_value(t, f);
			if (!v)
				return QES_ENOMEM;
			rc = qes__tagged_issn_isbn(t, v, &rec->issn, &rec->isbn);
			if (rc == 0 && *trim(v) && !rec->isbn) {
				/* ISSNs have one strict shape the scan knows; anything
				 * else in SN ("ISBN 1-85..." with words, a catalogue
				 * number) is kept as the book number rather than lost. */
				rec->isbn = trim(v);
				rc = 1;
			}
			if (rc == 0)
				continue;      /* no ISSN or ISBN in it: keep in extra */
			if (rc > 0)
				rc = 0;
			break;
		}
		default: {
			int p = pick_of(f->tag);
			if (p < 0 || m->pick[p])
				continue;
			m->pick[p] = (long)i + 1;
			continue;
		}
		}
		if (rc)
			return rc;
		m->used[i] = 1;
	}
	/* Editors and other secondary names only when there is no author. */
	static const unsigned secondary[] = { T('A', '2'), T('A', '3'), T('A', '4') };
	for (int s = 0; s < 3 && !rec->authors.n; s++)
		for (size_t i = 0; i < t->nf; i++)
			if (t->f[i].tag == secondary[s]) {
				if (qes__tagged_split(t, &t->f[i], "\n;", &rec->authors))
					return QES_ENOMEM;
				m->used[i] = 1;
			}
	return 0;
}

/* "http://a; http://b" (rispy, Mendeley): the first link. A ';' inside a
 * URL (";jsessionid=") is not followed by a new link. */
static void first_url(char *url)
{
	for (char *p = url ? strchr(url, ';') : NULL; p; p = strchr(p + 1, ';')) {
		const char *q = p + 1;
		while (*q == ' ')
			q++;
		if (!strncasecmp(q, "http", 4) || !strncasecmp(q, "ftp", 3) ||
		    !strncasecmp(q, "www.", 4)) {
			*p = '\0';
			return;
		}
	}
}

/* Fills rec from the fields; unmapped tags go to rec->extra. */
static int ris_map(qes__tagged *t, qes_record *rec)
{
	ris_map_ctx m = { .t = t, .rec = rec };
	m.used = qes__arena_alloc(t->a, t->nf + 1);
	if (!m.used)
		return QES_ENOMEM;
	memset(m.used, 0, t->nf + 1);
	int rc = map_lists(&m);
	if (rc)
		return rc;
	static const int oty[] = { P_TY }, okey[] = { P_ID, P_AN },
		otitle[] = { P_TI, P_T1, P_CT }, oabs[] = { P_AB, P_N2 },
		ojour[] = { P_JF, P_T2, P_JO, P_JA, P_J1, P_J2 },
		ochap[] = { P_BT, P_T2, P_JF, P_JO, P_JA, P_J1, P_J2 },
		obt[] = { P_BT }, ovl[] = { P_VL }, ois[] = { P_IS }, ola[] = { P_LA },
		ourl[] = { P_UR, P_L2, P_L1 }, opub[] = { P_PB, P_PU },
		odb[] = { P_DB, P_DP };
	char *an = NULL;
	if (m.pick[P_AN]) {
		an = trim(qes__tagged_value(t, &t->f[m.pick[P_AN] - 1]));
		if (!an)
			return QES_ENOMEM;
	}
	if (take(&m, &rec->type_raw, oty, 1) || take(&m, &rec->source_key, okey, 2))
		return QES_ENOMEM;
	rec->type = (char *)ris_type(rec->type_raw);
	int chapter = rec->type && !strcmp(rec->type, QES_TYPE_CHAPTER);
	if (take(&m, &rec->title, otitle, 3) ||
	    (!chapter && take(&m, &rec->title, obt, 1)) ||
	    take(&m, &rec->abstract, oabs, 2) ||
	    (chapter ? take(&m, &rec->journal, ochap, 7) : take(&m, &rec->journal, ojour, 6)) ||
	    take(&m, &rec->volume, ovl, 1) || take(&m, &rec->issue, ois, 1) ||
	    take(&m, &rec->language, ola, 1) || take(&m, &rec->url, ourl, 3) ||
	    take(&m, &rec->publisher, opub, 2) || take(&m, &rec->database, odb, 2) ||
	    map_pages(&m) || map_date(&m) || map_doi(&m) || map_pmid(&m, an))
		return QES_ENOMEM;
	first_url(rec->url);
	for (size_t i = 0; i < t->nf; i++) {
		if (m.used[i])
			continue;
		char name[3];
		tag_name(t->f[i].tag, name);
		if (qes__tagged_extra(t, &t->f[i], name, rec))
			return QES_ENOMEM;
	}
	return 0;
}

/* --- Reading ----------------------------------------------------------------- */

typedef struct ris {
	qes__tagged t;
	int open;            /* inside a record (after TY) */
	int skipping;        /* that record was reported bad: drop its lines */
	int last_blank;      /* the record's last line was blank */
	int pending;         /* a record closed by ER, not yet delivered */
	int seen;            /* some record came before (delivered, pending, bad) */
	int er_seen;         /* some record ended with ER */
	size_t tail_raw, tail_nf;  /* where lines after the pending ER begin */
	long orphan_line;    /* first tag line outside a record, 0 if none */
	char orphan_tag[3];
} ris;

#define bad(p, ...) qes__tagged_bad(&(p)->t, __VA_ARGS__)

static int nomem(ris *p)
{
	return qes__tagged_nomem(&p->t);
}

/* Maps and delivers the record in t, raw text up to raw_len. */
static int finish(ris *p, size_t raw_len)
{
	qes_record rec;
	qes__record_init(&rec);
	int rc = ris_map(&p->t, &rec);
	if (rc)
		return nomem(p);
	return qes__tagged_deliver_within(&p->t, &rec, raw_len, "AU", "KW");
}

/* Tag lines outside a record, at a TY, an ER or the end of the file. */
static int end_outside(ris *p, int at_er)
{
	int rc = 0;
	long orphan = p->orphan_line;
	p->orphan_line = 0;
	if (p->pending) {
		p->pending = 0;
		if (orphan && at_er) {
			/* the tail had its own ER: a record without TY */
			p->t.nf = p->tail_nf;
			rc = finish(p, p->tail_raw);
		} else {
			return finish(p, p->t.raw.len);
		}
	}
	if (rc || !orphan)
		return rc;
	if (at_er || !p->seen)
		return bad(p, orphan, "TY", "a record without a TY line (it starts with tag %s)",
			   p->orphan_tag);
	return 0;   /* lines after a record that was already reported */
}

/* A limit hit while collecting a record: the record is reported and its
 * remaining lines dropped. */
static int limit(ris *p, int rc, long line, unsigned tag, int in_line)
{
	char name[3];
	tag_name(tag, name);
	p->skipping = 1;
	return qes__tagged_limit(&p->t, rc, line, name, in_line);
}

static int line_in_record(ris *p, const char *s, size_t n, long lineno)
{
	size_t v = ris_tag(s, n);
	unsigned tag = v ? T(s[0], s[1]) : 0;
	if (p->skipping) {
		if (tag == T('E', 'R') || bare_er(s, n)) {
			p->open = p->skipping = 0;
			p->seen = 1;
		}
		return 0;
	}
	size_t off;
	int rc = qes__tagged_line(&p->t, s, n, &off);
	if (rc)
		return limit(p, rc, lineno, tag ? tag : T('E', 'R'), 1);
	if (tag == T('E', 'R') || (!tag && bare_er(s, n))) {
		p->open = 0;
		p->pending = p->seen = p->er_seen = 1;
		p->tail_raw = p->t.raw.len;
		p->tail_nf = p->t.nf;
		return 0;
	}
	p->last_blank = blank(s, n);
	if (tag) {
		rc = qes__tagged_field(&p->t, tag, lineno, off + v, n - v);
	} else if (!p->last_blank) {
		/* Text wraps onto untagged lines in titles, abstracts and
		 * notes, and Embase puts a second ISSN on one; an identifier,
		 * a year or a volume does not. */
		unsigned above = p->t.nf ? p->t.f[p->t.nf - 1].tag : 0;
		static const unsigned short_tags[] = {
			T('I', 'D'), T('P', 'Y'), T('Y', '1'), T('D', 'A'), T('D', 'O'),
			T('V', 'L'), T('I', 'S'), T('S', 'P'), T('E', 'P'), T('T', 'Y'),
		};
		for (size_t i = 0; i < sizeof(short_tags) / sizeof(short_tags[0]); i++)
			if (above == short_tags[i]) {
				char name[3];
				tag_name(above, name);
				qes__sink_warnf(p->t.sink, p->t.file, lineno,
						"a line without a tag follows %s and was joined to "
						"its value (a stray line, or a tag missing?)", name);
				break;
			}
		rc = qes__tagged_extend(&p->t, p->t.raw.len);
	}
	if (rc)
		return limit(p, rc, lineno, tag ? tag : p->t.f[p->t.nf - 1].tag, 0);
	return 0;
}

static int start_record(ris *p, const char *s, size_t n, size_t v, long lineno)
{
	qes__tagged_begin(&p->t, lineno);
	p->open = 1;
	p->skipping = p->last_blank = 0;
	size_t off;
	int rc = qes__tagged_line(&p->t, s, n, &off);
	if (rc)
		return limit(p, rc, lineno, T('T', 'Y'), 1);
	rc = qes__tagged_field(&p->t, T('T', 'Y'), lineno, off + v, n - v);
	return rc ? limit(p, rc, lineno, T('T', 'Y'), 0) : 0;
}

static int line_outside(ris *p, const char *s, size_t n, long lineno)
{
	size_t v = ris_tag(s, n);
	if (!v)
		return bare_er(s, n) ? end_outside(p, 1) : 0;
	unsigned tag = T(s[0], s[1]);
	if (tag == T('E', 'R'))
		return end_outside(p, 1);
	if (!p->orphan_line) {
		p->orphan_line = lineno;
		tag_name(tag, p->orphan_tag);
	}
	if (!p->pending)
		return 0;
	size_t off;
	int rc = qes__tagged_line(&p->t, s, n, &off);
	int in_line = rc != 0;
	if (!rc)
		rc = qes__tagged_field(&p->t, tag, lineno, off + v, n - v);
	if (rc) {   /* the record above grew too large: report it */
		p->pending = 0;
		return limit(p, rc, lineno, tag, in_line);
	}
	return 0;
}

int qes__parse_ris(qes_reader *r, qes_arena *a, qes_sink *sink, qes_error *err)
{
	ris p;
	memset(&p, 0, sizeof(p));
	qes__tagged_init(&p.t, r, a, sink, err);
	int rc;
	char *s;
	size_t n;
	while ((rc = qes__reader_getline(r, &s, &n, err)) == 1) {
		long lineno = qes__reader_lineno(r);
		size_t b = qes__tagged_bom(s, n);
		s += b;
		n -= b;
		if (!p.t.text && !blank(s, n))
			p.t.text = 1;
		size_t v = ris_tag(s, n);
		if (v && s[0] == 'T' && s[1] == 'Y') {
			if (p.open && !p.skipping) {
				qes__sink_warnf(sink, p.t.file, p.t.line,
						"record has no ER line; it ends where the next "
						"TY begins (line %ld)", lineno);
				rc = finish(&p, p.t.raw.len);
			} else if (!p.open) {
				rc = end_outside(&p, 0);
			}
			if (!rc)
				rc = start_record(&p, s, n, v, lineno);
		} else if (p.open) {
			rc = line_in_record(&p, s, n, lineno);
		} else {
			rc = line_outside(&p, s, n, lineno);
		}
		if (rc)
			goto out;
	}
	if (rc < 0)
		goto out;
	rc = 0;
	if (p.open && !p.skipping) {
		if (p.last_blank || !p.er_seen) {
			qes__sink_warnf(sink, p.t.file, p.t.line,
					"record has no ER line at the end of the file; kept "
					"because %s", p.last_blank ?
					"a blank line follows its last field" :
					"no record in this file has one");
			rc = finish(&p, p.t.raw.len);
		} else {
			rc = bad(&p, p.t.line, "ER",
				 "the file ends inside this record (no ER line after it): "
				 "the export looks truncated");
		}
	} else if (!p.open) {
		rc = end_outside(&p, 0);
	}
	if (!rc)
		rc = qes__tagged_end(&p.t, "RIS", "TY  - ");
out:
	qes__tagged_release(&p.t);
	return rc;
}
