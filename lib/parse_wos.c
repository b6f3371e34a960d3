/* parse_wos.c: Web of Science field-tagged export (.ciw, .txt).
 *
 * The file starts with an FN and a VR line; PT starts a record, ER ends it,
 * EF ends the file. A tag line is two characters [A-Z][A-Z0-9] followed by
 * a space or the end of the line; a line starting with white space (WoS
 * indents by three) continues the field above, one list item per line for
 * AU/AF/CR and the like. Lines outside records that are not tags (a second
 * file's header joined with cat: "EF<BOM>FN ...") are not data; tag lines
 * outside a record (other than FN, VR, EF) are a record without PT and are
 * reported as malformed. A PT inside an open record, or EF, ends it (its
 * ER is missing): kept with a warning. At the end of the file an open
 * record is kept, with a warning, when a blank line follows it or no record
 * of the file had an ER; otherwise the file was cut inside it and it is
 * reported as malformed (truncated export).
 * Mapping of tags to fields is in wos_map() below. */
#include "tagged.h"
#include "qes/limits.h"

#include <string.h>
#include <strings.h>

#define T(a, b) QES__TAG2(a, b)

/* Offset of the value, or 0 when s is not a tag line. */
static size_t wos_tag(const char *s, size_t n)
{
	if (n < 2 || !(s[0] >= 'A' && s[0] <= 'Z') ||
	    !((s[1] >= 'A' && s[1] <= 'Z') || (s[1] >= '0' && s[1] <= '9')))
		return 0;
	if (n == 2)
		return 2;
	return s[2] == ' ' ? 3 : 0;
}

static void tag_name(unsigned tag, char out[3])
{
	out[0] = (char)(tag >> 8);
	out[1] = (char)(tag & 0xFF);
	out[2] = '\0';
}

/* --- Mapping --------------------------------------------------------------- */

/* DT (document type, "Article; Proceedings Paper") first, then PT
 * (J journal, B book, S series, P patent, C conference). */
static const char *wos_type(const char *dt, const char *pt)
{
	static const struct { const char *dt, *type; } map[] = {
		{ "Proceedings Paper", QES_TYPE_CONFERENCE }, { "Book Chapter", QES_TYPE_CHAPTER },
		{ "Preprint", QES_TYPE_PREPRINT }, { "Data Set", QES_TYPE_DATASET },
		{ "Data Study", QES_TYPE_DATASET }, { "Thesis", QES_TYPE_THESIS },
		{ "Dissertation", QES_TYPE_THESIS }, { "Book", QES_TYPE_BOOK },
	};
	for (size_t i = 0; dt && i < sizeof(map) / sizeof(map[0]); i++) {
		size_t n = strlen(map[i].dt);
		for (const char *p = dt; (p = strcasestr(p, map[i].dt)); p += n)
			if ((p == dt || p[-1] == ' ') && (p[n] == '\0' || p[n] == ';'))
				return map[i].type;
	}
	if (pt) {
		while (*pt == ' ')
			pt++;
		switch (*pt) {
		case 'J': return QES_TYPE_ARTICLE;
		case 'B': case 'S': return dt ? QES_TYPE_ARTICLE : QES_TYPE_BOOK;
		case 'C': return QES_TYPE_CONFERENCE;
		}
	}
	return dt ? QES_TYPE_ARTICLE : QES_TYPE_OTHER;
}

static int wos_map(qes__tagged *t, qes_record *rec)
{
	const qes__tfield *bp = NULL, *ep = NULL, *pd = NULL, *py = NULL, *pt = NULL;
	int af = 0;
	for (size_t i = 0; i < t->nf; i++)
		if (t->f[i].tag == T('A', 'F'))
			af = 1;
	for (size_t i = 0; i < t->nf; i++) {
		const qes__tfield *f = &t->f[i];
		char *v;
		int rc = 0;
		switch (f->tag) {
#define ONE(tag, dst) case tag: if (dst) goto extra; rc = qes__tagged_set(t, f, &dst); break
#define KEEP(tag, var) case tag: if (var) goto extra; var = f; break
		ONE(T('U', 'T'), rec->source_key);
		ONE(T('T', 'I'), rec->title);
		ONE(T('A', 'B'), rec->abstract);
		ONE(T('S', 'O'), rec->journal);
		ONE(T('V', 'L'), rec->volume);
		ONE(T('I', 'S'), rec->issue);
		ONE(T('D', 'I'), rec->doi);
		ONE(T('P', 'M'), rec->pmid);
		ONE(T('L', 'A'), rec->language);
		ONE(T('P', 'U'), rec->publisher);
		ONE(T('D', 'T'), rec->type_raw);
		KEEP(T('B', 'P'), bp);
		KEEP(T('E', 'P'), ep);
		KEEP(T('P', 'D'), pd);
		KEEP(T('P', 'Y'), py);
		KEEP(T('P', 'T'), pt);
#undef ONE
#undef KEEP
		case T('A', 'F'):
			rc = qes__tagged_split(t, f, "\n", &rec->authors);
			break;
		case T('A', 'U'):
			if (af)
				goto extra;
			rc = qes__tagged_split(t, f, "\n", &rec->authors);
			break;
		case T('D', 'E'): case T('I', 'D'):
			rc = qes__tagged_split(t, f, ";", &rec->keywords);
			break;
		case T('S', 'N'): case T('E', 'I'): case T('B', 'N'):
			if (!(v = qes__tagged_value(t, f)))
				return QES_ENOMEM;
			rc = qes__tagged_issn_isbn(t, v, &rec->issn, &rec->isbn);
			if (rc == 0)
				goto extra;
			rc = rc < 0 ? rc : 0;
			break;
		default:
		extra: {
			char name[3];
			tag_name(f->tag, name);
			rc = qes__tagged_extra(t, f, name, rec);
			break;
		}
		}
		if (rc)
			return QES_ENOMEM;
	}
	char *pts = NULL, *bps = NULL, *eps = NULL, *pys = NULL, *pds = NULL;
	if ((pt && !(pts = qes__tagged_value(t, pt))) || (bp && !(bps = qes__tagged_value(t, bp))) ||
	    (ep && !(eps = qes__tagged_value(t, ep))) || (py && !(pys = qes__tagged_value(t, py))) ||
	    (pd && !(pds = qes__tagged_value(t, pd))))
		return QES_ENOMEM;
	rec->type = (char *)wos_type(rec->type_raw, pts);
	if (!rec->type_raw)
		rec->type_raw = pts;
	else if (pt && qes__tagged_extra(t, pt, "PT", rec))
		return QES_ENOMEM;
	if (bps && eps && strcmp(bps, eps))
		rec->pages = qes__arena_printf(t->a, "%s-%s", bps, eps);
	else
		rec->pages = bps ? bps : eps;
	if (bps && !rec->pages)
		return QES_ENOMEM;
	rec->year = qes__year_from(pys);
	if (pds && !qes__year_from(pds) && pys) {
		rec->date = qes__arena_printf(t->a, "%s %s", pys, pds);   /* "2020 DEC" */
		if (!rec->date)
			return QES_ENOMEM;
	} else {
		rec->date = pds ? pds : pys;
	}
	if (!rec->year)
		rec->year = qes__year_from(pds);
	return 0;
}

/* --- Reading ----------------------------------------------------------------- */

typedef struct wos {
	qes__tagged t;
	int open, skipping, last_blank;
	int er_seen;         /* some record ended with ER */
	long orphan_line;
	char orphan_tag[3];
} wos;

static int finish(wos *p)
{
	p->open = 0;
	if (p->skipping) {
		p->skipping = 0;
		return 0;
	}
	qes_record rec;
	qes__record_init(&rec);
	if (wos_map(&p->t, &rec))
		return qes__tagged_nomem(&p->t);
	return qes__tagged_deliver_within(&p->t, &rec, p->t.raw.len, "AU", "DE");
}

static int end_orphan(wos *p)
{
	long line = p->orphan_line;
	p->orphan_line = 0;
	if (!line)
		return 0;
	return qes__tagged_bad(&p->t, line, "PT",
			       "a record without a PT line (it starts with tag %s)",
			       p->orphan_tag);
}

static int limit(wos *p, int rc, long line, unsigned tag, int in_line)
{
	char name[3];
	tag_name(tag, name);
	p->skipping = 1;
	return qes__tagged_limit(&p->t, rc, line, name, in_line);
}

/* Adds a line of an open record; is_er: it is the record's ER. */
static int add_line(wos *p, const char *s, size_t n, size_t v, long lineno)
{
	if (p->skipping)
		return 0;
	unsigned tag = v ? T(s[0], s[1]) : 0;
	size_t off;
	int rc = qes__tagged_line(&p->t, s, n, &off);
	if (rc)
		return limit(p, rc, lineno, tag ? tag : T('E', 'R'), 1);
	p->last_blank = strspn(s, " \t") == n;
	if (tag == T('E', 'R'))
		return 0;
	if (tag)
		rc = qes__tagged_field(&p->t, tag, lineno, off + v, n - v);
	else if (!p->last_blank)
		rc = qes__tagged_extend(&p->t, p->t.raw.len);
	if (rc)
		return limit(p, rc, lineno, tag ? tag : p->t.f[p->t.nf - 1].tag, 0);
	return 0;
}

static int line(wos *p, const char *s, size_t n, long lineno)
{
	size_t v = wos_tag(s, n);
	unsigned tag = v ? T(s[0], s[1]) : 0;
	int rc = 0;
	if (tag == T('P', 'T')) {
		if (p->open && !p->skipping)
			qes__sink_warnf(p->t.sink, p->t.file, p->t.line,
					"record has no ER line; it ends where the next PT "
					"begins (line %ld)", lineno);
		rc = p->open ? finish(p) : end_orphan(p);
		if (rc)
			return rc;
		qes__tagged_begin(&p->t, lineno);
		p->open = 1;
		p->last_blank = 0;
		return add_line(p, s, n, v, lineno);
	}
	if (tag == T('E', 'F')) {
		if (p->open && !p->skipping)
			qes__sink_warnf(p->t.sink, p->t.file, p->t.line,
					"record has no ER line; it ends at the EF line (%ld)",
					lineno);
		return p->open ? finish(p) : end_orphan(p);
	}
	if (p->open) {
		rc = add_line(p, s, n, v, lineno);
		if (!rc && tag == T('E', 'R')) {
			p->er_seen = 1;
			rc = finish(p);
		}
		return rc;
	}
	if (tag == T('E', 'R'))
		return end_orphan(p);
	if (tag && tag != T('F', 'N') && tag != T('V', 'R') && !p->orphan_line) {
		p->orphan_line = lineno;
		tag_name(tag, p->orphan_tag);
	}
	return 0;
}

int qes__parse_wos(qes_reader *r, qes_arena *a, qes_sink *sink, qes_error *err)
{
	wos p;
	memset(&p, 0, sizeof(p));
	qes__tagged_init(&p.t, r, a, sink, err);
	int rc;
	char *s;
	size_t n;
	while ((rc = qes__reader_getline(r, &s, &n, err)) == 1) {
		size_t b = qes__tagged_bom(s, n);
		if (!p.t.text && strspn(s + b, " \t") != n - b)
			p.t.text = 1;
		rc = line(&p, s + b, n - b, qes__reader_lineno(r));
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
					"because %s", p.last_blank ? "a blank line follows it" :
					"no record in this file has one");
			rc = finish(&p);
		} else {
			rc = qes__tagged_bad(&p.t, p.t.line, "ER",
					     "the file ends inside this record (no ER line "
					     "after it): the export looks truncated");
		}
	} else {
		rc = end_orphan(&p);
	}
	if (!rc)
		rc = qes__tagged_end(&p.t, "Web of Science", "PT ");
out:
	qes__tagged_release(&p.t);
	return rc;
}
