/* parse_medline.c: PubMed's MEDLINE format (.nbib, "PMID- " records).
 *
 * A tag line is a tag of up to four characters padded with spaces to four,
 * then "- " ("PMID- 123", "AU  - Smith J"). A line starting with white
 * space (PubMed indents by six) continues the field above; so does any
 * other untagged line inside a record. A record starts at PMID and ends at
 * a blank line, the next PMID, or the end of the file. The format has no
 * end marker, but PubMed ends every record with SO (the citation): when the
 * other records of the file end with SO and the last one does not (and no
 * blank line follows it), the file was cut inside it, and that record is
 * reported as malformed (truncated export), never dropped silently. Tag
 * lines outside a record, that is after a blank line without a PMID line
 * first, are a record without PMID and are reported as malformed.
 * Mapping of tags to fields is in medline_map() below. */
#include "tagged.h"
#include "qes/limits.h"

#include <string.h>
#include <strings.h>

#define T(a, b, c, d) QES__TAG4(a, b, c, d)

/* Offset of the value, or 0 when s is not a tag line. */
static size_t medline_tag(const char *s, size_t n)
{
	if (n < 5 || s[4] != '-' || (n > 5 && s[5] != ' ') || !(s[0] >= 'A' && s[0] <= 'Z'))
		return 0;
	int pad = 0;
	for (int i = 1; i < 4; i++) {
		if (s[i] == ' ')
			pad = 1;
		else if (pad || !((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	}
	return n > 6 ? 6 : n;
}

static void tag_name(unsigned tag, char out[5])
{
	for (int i = 0; i < 4; i++)
		out[i] = (char)(tag >> (24 - 8 * i));
	out[4] = '\0';
	for (int i = 3; i > 0 && out[i] == ' '; i--)
		out[i] = '\0';
}

/* --- Mapping --------------------------------------------------------------- */

/* Publication types, most specific first ("Journal Article" comes with
 * "Review", "Preprint" with "Journal Article"). */
static const char *medline_type(const qes_record *rec, const char *pts, int bti)
{
	static const struct { const char *pt, *type; } map[] = {
		{ "Preprint", QES_TYPE_PREPRINT }, { "Dataset", QES_TYPE_DATASET },
		{ "Congress", QES_TYPE_CONFERENCE }, { "Book Chapter", QES_TYPE_CHAPTER },
		{ "Book", QES_TYPE_BOOK }, { "Technical Report", QES_TYPE_REPORT },
		{ "Dissertation", QES_TYPE_THESIS },
	};
	if (bti)
		return rec->title && rec->journal ? QES_TYPE_CHAPTER : QES_TYPE_BOOK;
	for (size_t i = 0; pts && i < sizeof(map) / sizeof(map[0]); i++) {
		size_t n = strlen(map[i].pt);
		for (const char *p = pts; (p = strcasestr(p, map[i].pt)); p += n)
			if ((p == pts || p[-1] == ' ') && (p[n] == '\0' || p[n] == ';'))
				return map[i].type;
	}
	return pts || rec->journal ? QES_TYPE_ARTICLE : QES_TYPE_OTHER;
}

/* "10.1016/j.x.2017.04.075 [doi]" from LID or AID; "[pii]" values are not DOIs. */
static int is_doi_id(const char *v)
{
	return strstr(v, "[doi]") != NULL;
}

static int medline_map(qes__tagged *t, qes_record *rec)
{
	qes_arena *a = t->a;
	const qes__tfield *lid_doi = NULL, *aid_doi = NULL, *bti = NULL, *ta = NULL;
	int fau = 0;
	for (size_t i = 0; i < t->nf; i++)
		if (t->f[i].tag == T('F', 'A', 'U', ' '))
			fau = 1;
	for (size_t i = 0; i < t->nf; i++) {
		const qes__tfield *f = &t->f[i];
		char *v = NULL;
		int rc = 0;
		switch (f->tag) {
		case T('P', 'M', 'I', 'D'):
			if (rec->source_key)
				goto extra;
			rc = qes__tagged_set(t, f, &rec->source_key);
			if (!rc)
				rec->pmid = rec->source_key;
			break;
		case T('T', 'I', ' ', ' '):
			if (rec->title)
				goto extra;
			rc = qes__tagged_set(t, f, &rec->title);
			break;
		case T('B', 'T', 'I', ' '):
			if (bti)
				goto extra;
			bti = f;
			break;
		case T('A', 'B', ' ', ' '):
			if (rec->abstract)
				goto extra;
			rc = qes__tagged_set(t, f, &rec->abstract);
			break;
		case T('F', 'A', 'U', ' '):
			rc = qes__tagged_split(t, f, "\n", &rec->authors);
			break;
		case T('A', 'U', ' ', ' '):
			if (fau)
				goto extra;
			rc = qes__tagged_split(t, f, "\n", &rec->authors);
			break;
		case T('C', 'N', ' ', ' '):
			rc = qes__tagged_split(t, f, "\n", &rec->authors);
			break;
		case T('D', 'P', ' ', ' '):
			if (rec->date)
				goto extra;
			rc = qes__tagged_set(t, f, &rec->date);
			if (!rc)
				rec->year = qes__year_from(rec->date);
			break;
		case T('J', 'T', ' ', ' '):
			if (rec->journal)
				goto extra;
			rc = qes__tagged_set(t, f, &rec->journal);
			break;
		case T('T', 'A', ' ', ' '):
			if (ta)
				goto extra;
			ta = f;
			break;
		case T('V', 'I', ' ', ' '):
			if (rec->volume)
				goto extra;
			rc = qes__tagged_set(t, f, &rec->volume);
			break;
		case T('I', 'P', ' ', ' '):
			if (rec->issue)
				goto extra;
			rc = qes__tagged_set(t, f, &rec->issue);
			break;
		case T('P', 'G', ' ', ' '):
			if (rec->pages)
				goto extra;
			rc = qes__tagged_set(t, f, &rec->pages);
			break;
		case T('L', 'I', 'D', ' '): case T('A', 'I', 'D', ' '):
			if (!(v = qes__tagged_value(t, f)))
				return QES_ENOMEM;
			if (is_doi_id(v) && !lid_doi && f->tag == T('L', 'I', 'D', ' '))
				lid_doi = f;
			else if (is_doi_id(v) && !aid_doi && f->tag == T('A', 'I', 'D', ' '))
				aid_doi = f;
			goto extra;
		case T('I', 'S', ' ', ' '): case T('I', 'S', 'B', 'N'):
			if (!(v = qes__tagged_value(t, f)))
				return QES_ENOMEM;
			rc = qes__tagged_issn_isbn(t, v, &rec->issn, &rec->isbn);
			if (rc == 0)
				goto extra;
			rc = rc < 0 ? rc : 0;
			break;
		case T('M', 'H', ' ', ' '): case T('O', 'T', ' ', ' '):
			rc = qes__tagged_split(t, f, "\n", &rec->keywords);
			break;
		case T('L', 'A', ' ', ' '):
			if (rec->language)
				goto extra;
			rc = qes__tagged_set(t, f, &rec->language);
			break;
		case T('P', 'T', ' ', ' '):
			if (!(v = qes__tagged_value(t, f)))
				return QES_ENOMEM;
			rc = qes__field_append(&rec->type_raw, a, v, "; ");
			break;
		case T('P', 'B', ' ', ' '):
			if (rec->publisher)
				goto extra;
			rc = qes__tagged_set(t, f, &rec->publisher);
			break;
		default:
		extra: {
			char name[5];
			tag_name(f->tag, name);
			rc = qes__tagged_extra(t, f, name, rec);
			break;
		}
		}
		if (rc)
			return QES_ENOMEM;
	}
	/* A book's record has BTI (and TI for a chapter); the journal field
	 * holds the book title of a chapter. */
	if (bti) {
		char **dst = rec->title ? &rec->journal : &rec->title;
		if (qes__tagged_set(t, bti, dst))
			return QES_ENOMEM;
	}
	if (ta && (rec->journal ? qes__tagged_extra(t, ta, "TA", rec)
				: qes__tagged_set(t, ta, &rec->journal)))
		return QES_ENOMEM;
	const qes__tfield *d = lid_doi ? lid_doi : aid_doi;
	if (d && qes__tagged_set(t, d, &rec->doi))
		return QES_ENOMEM;
	rec->type = (char *)medline_type(rec, rec->type_raw, bti != NULL);
	return 0;
}

/* --- Reading ----------------------------------------------------------------- */

typedef struct medline {
	qes__tagged t;
	int open, skipping;
	int so_ends;         /* records so far whose last field was SO */
	long orphan_line;
	char orphan_tag[5];
} medline;

static int finish(medline *p)
{
	p->open = 0;
	if (p->skipping) {
		p->skipping = 0;
		return 0;
	}
	if (p->t.nf && p->t.f[p->t.nf - 1].tag == T('S', 'O', ' ', ' '))
		p->so_ends++;
	qes_record rec;
	qes__record_init(&rec);
	if (medline_map(&p->t, &rec))
		return qes__tagged_nomem(&p->t);
	return qes__tagged_deliver_within(&p->t, &rec, p->t.raw.len, "FAU", "MH");
}

static int end_orphan(medline *p)
{
	long line = p->orphan_line;
	p->orphan_line = 0;
	if (!line)
		return 0;
	return qes__tagged_bad(&p->t, line, "PMID",
			       "a record without a PMID line (it starts with tag %s)",
			       p->orphan_tag);
}

static int limit(medline *p, int rc, long line, unsigned tag, int in_line)
{
	char name[5];
	tag_name(tag, name);
	p->skipping = 1;
	return qes__tagged_limit(&p->t, rc, line, name, in_line);
}

static int add_line(medline *p, const char *s, size_t n, size_t v, long lineno)
{
	if (p->skipping)
		return 0;
	unsigned tag = v ? T(s[0], s[1], s[2], s[3]) : 0;
	size_t off;
	int rc = qes__tagged_line(&p->t, s, n, &off);
	if (rc)
		return limit(p, rc, lineno, tag ? tag : T('P', 'M', 'I', 'D'), 1);
	if (tag)
		rc = qes__tagged_field(&p->t, tag, lineno, off + v, n - v);
	else
		rc = qes__tagged_extend(&p->t, p->t.raw.len);
	if (rc)
		return limit(p, rc, lineno, tag ? tag : p->t.f[p->t.nf - 1].tag, 0);
	return 0;
}

int qes__parse_medline(qes_reader *r, qes_arena *a, qes_sink *sink, qes_error *err)
{
	medline p;
	memset(&p, 0, sizeof(p));
	qes__tagged_init(&p.t, r, a, sink, err);
	int rc;
	char *s;
	size_t n;
	while ((rc = qes__reader_getline(r, &s, &n, err)) == 1) {
		long lineno = qes__reader_lineno(r);
		rc = 0;
		size_t b = qes__tagged_bom(s, n);
		s += b;
		n -= b;
		size_t v = medline_tag(s, n);
		int blank = n == 0 || strspn(s, " \t") == n;
		if (!blank)
			p.t.text = 1;
		if (v && !memcmp(s, "PMID", 4)) {
			rc = p.open ? finish(&p) : end_orphan(&p);
			if (rc)
				goto out;
			qes__tagged_begin(&p.t, lineno);
			p.open = 1;
			rc = add_line(&p, s, n, v, lineno);
		} else if (blank) {
			rc = p.open ? finish(&p) : end_orphan(&p);
		} else if (p.open) {
			rc = add_line(&p, s, n, v, lineno);
		} else if (v && !p.orphan_line) {
			p.orphan_line = lineno;
			tag_name(T(s[0], s[1], s[2], s[3]), p.orphan_tag);
		}
		if (rc)
			goto out;
	}
	if (rc < 0)
		goto out;
	if (p.open && !p.skipping && p.so_ends && p.t.nf &&
	    p.t.f[p.t.nf - 1].tag != T('S', 'O', ' ', ' ')) {
		p.open = 0;
		rc = qes__tagged_bad(&p.t, p.t.line, "SO",
				     "the file ends inside this record (it has no SO line, "
				     "which ends the other records): the export looks truncated");
	} else {
		rc = p.open ? finish(&p) : end_orphan(&p);
	}
	if (!rc)
		rc = qes__tagged_end(&p.t, "MEDLINE", "PMID- ");
out:
	qes__tagged_release(&p.t);
	return rc;
}
