/* bibtex_record.c: a BibTeX entry's fields mapped to a record: the entry
 * type to a record type, fields to their record fields (first one wins when
 * two name the same thing), authors split and formatted, keywords split,
 * LaTeX turned into Unicode (bibtex_text.c), booktitle as the journal of a
 * chapter, subtitle appended to the title, year and month as the date. */
#include "parser.h"
#include "bibtex_entry.h"
#include "bibtex_text.h"
#include "strbuf.h"
#include "qes/limits.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

const char *qes__bibtex_month_name(const char *m)
{
	while (*m == ' ')
		m++;
	if (isdigit((unsigned char)*m)) {
		int v = atoi(m);
		return v >= 1 && v <= 12 ? months[v - 1] : NULL;
	}
	for (int i = 0; i < 12; i++)
		if (strlen(m) >= 3 && !strncasecmp(m, months[i], 3))
			return months[i];
	return NULL;
}

static const char *map_type(const char *t, const bentry *e)
{
	static const struct { const char *bib, *qes; } types[] = {
		{ "article", QES_TYPE_ARTICLE }, { "book", QES_TYPE_BOOK },
		{ "mvbook", QES_TYPE_BOOK }, { "booklet", QES_TYPE_BOOK },
		{ "collection", QES_TYPE_BOOK }, { "mvcollection", QES_TYPE_BOOK },
		{ "reference", QES_TYPE_BOOK }, { "mvreference", QES_TYPE_BOOK },
		{ "inbook", QES_TYPE_CHAPTER }, { "incollection", QES_TYPE_CHAPTER },
		{ "bookinbook", QES_TYPE_CHAPTER }, { "suppbook", QES_TYPE_CHAPTER },
		{ "suppcollection", QES_TYPE_CHAPTER }, { "inreference", QES_TYPE_CHAPTER },
		{ "inproceedings", QES_TYPE_CONFERENCE }, { "conference", QES_TYPE_CONFERENCE },
		{ "proceedings", QES_TYPE_CONFERENCE }, { "mvproceedings", QES_TYPE_CONFERENCE },
		{ "phdthesis", QES_TYPE_THESIS }, { "mastersthesis", QES_TYPE_THESIS },
		{ "thesis", QES_TYPE_THESIS }, { "techreport", QES_TYPE_REPORT },
		{ "report", QES_TYPE_REPORT }, { "online", QES_TYPE_WEB },
		{ "electronic", QES_TYPE_WEB }, { "www", QES_TYPE_WEB },
		{ "webpage", QES_TYPE_WEB }, { "dataset", QES_TYPE_DATASET },
		{ "data", QES_TYPE_DATASET },
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcasecmp(t, types[i].bib))
			return types[i].qes;
	if (!strcasecmp(t, "misc")) {
		/* A misc entry with a URL and nothing that places it in print is a
		 * web page. */
		int url = 0, print = 0;
		for (size_t i = 0; i < e->n; i++) {
			const char *n = e->f[i].name;
			if (!strcmp(n, "url") || !strcmp(n, "howpublished"))
				url |= strstr(e->f[i].value, "http") != NULL;
			if (!strcmp(n, "journal") || !strcmp(n, "booktitle") ||
			    !strcmp(n, "publisher"))
				print = 1;
		}
		return url && !print ? QES_TYPE_WEB : QES_TYPE_OTHER;
	}
	return QES_TYPE_OTHER;
}

static int verbatim_field(const char *name)
{
	static const char *const names[] = {
		"url", "doi", "eprint", "file", "pdf", "link", "verba", "verbb",
		"verbc", "urldate", "isbn", "issn", "pmid", NULL
	};
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], name))
			return 1;
	return 0;
}

const char *qes__bibtex_field(const bentry *e, const char *name)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->f[i].name, name))
			return e->f[i].value;
	return NULL;
}

typedef struct builder {
	qes_arena *a;
	qes_record *rec;
	qes_strbuf tmp;
} builder;

static char *text_of(builder *bd, const char *name, const char *v)
{
	if (verbatim_field(name))
		return qes__latex_verbatim(bd->a, v);
	return qes__latex_text(bd->a, &bd->tmp, v, strlen(v));
}

static int add_authors(builder *bd, const char *v)
{
	const char *p = v, *end = v + strlen(v);
	qes__bib_span name;
	qes_strbuf nb = QES_STRBUF_INIT(QES_MAX_FIELD);
	int rc = 0;
	while (!rc && qes__bib_next_name(&p, end, &name)) {
		if (name.n == 6 && !strncmp(name.p, "others", 6))
			continue;   /* BibTeX's "et al." marker, not an author */
		if (bd->rec->authors.n >= QES_MAX_AUTHORS) {
			rc = QES_ELIMIT;
			break;
		}
		qes__strbuf_reset(&nb);
		rc = qes__bib_format_name(&nb, name);
		if (rc || !nb.len)
			continue;
		char *t = qes__latex_text(bd->a, &bd->tmp, nb.buf, nb.len);
		rc = t ? qes__strlist_push(&bd->rec->authors, bd->a, t) : QES_ENOMEM;
	}
	qes__strbuf_release(&nb);
	return rc;
}

/* Keywords split on ',' or ';' outside braces ({Ear, Middle} is one). */
static int add_keywords(builder *bd, const char *v)
{
	long d = 0;
	const char *start = v;
	for (const char *q = v;; q++) {
		if (*q == '{')
			d++;
		else if (*q == '}')
			d--;
		if (*q && !(d == 0 && (*q == ',' || *q == ';')))
			continue;
		if (bd->rec->keywords.n >= QES_MAX_KEYWORDS)
			return QES_ELIMIT;
		char *t = qes__latex_text(bd->a, &bd->tmp, start, (size_t)(q - start));
		if (!t || qes__strlist_push(&bd->rec->keywords, bd->a, t))
			return QES_ENOMEM;
		if (!*q)
			return 0;
		start = q + 1;
	}
}

/* Sets *dst to the text of the field unless an earlier field set it. */
static int set_once(builder *bd, char **dst, const char *name, const char *v)
{
	if (*dst)
		return 0;
	*dst = text_of(bd, name, v);
	return *dst ? 0 : QES_ENOMEM;
}

static int add_extra(builder *bd, const char *name, const char *v)
{
	char *t = text_of(bd, name, v);
	if (!t)
		return QES_ENOMEM;
	int rc = qes__strlist_push(&bd->rec->extra, bd->a, (char *)name);
	return rc ? rc : qes__strlist_push(&bd->rec->extra, bd->a, t);
}

/* Maps one field; returns 0 or a QES_E* code. */
static int map_field(builder *bd, const bentry *e, const char *name, const char *v)
{
	qes_record *r = bd->rec;
	if (!strcmp(name, "author"))
		return r->authors.n ? 0 : add_authors(bd, v);
	if (!strcmp(name, "title"))
		return set_once(bd, &r->title, name, v);
	if (!strcmp(name, "abstract"))
		return set_once(bd, &r->abstract, name, v);
	if (!strcmp(name, "journal") || !strcmp(name, "journaltitle"))
		return set_once(bd, &r->journal, name, v);
	if (!strcmp(name, "volume"))
		return set_once(bd, &r->volume, name, v);
	if (!strcmp(name, "number") || (!strcmp(name, "issue") && !qes__bibtex_field(e, "number")))
		return set_once(bd, &r->issue, name, v);
	if (!strcmp(name, "pages"))
		return set_once(bd, &r->pages, name, v);
	if (!strcmp(name, "date"))
		return set_once(bd, &r->date, name, v);
	if (!strcmp(name, "doi"))
		return set_once(bd, &r->doi, name, v);
	if (!strcmp(name, "pmid"))
		return set_once(bd, &r->pmid, name, v);
	if (!strcmp(name, "issn"))
		return set_once(bd, &r->issn, name, v);
	if (!strcmp(name, "isbn"))
		return set_once(bd, &r->isbn, name, v);
	if (!strcmp(name, "language"))
		return set_once(bd, &r->language, name, v);
	if (!strcmp(name, "url") || (!strcmp(name, "link") && !qes__bibtex_field(e, "url")))
		return set_once(bd, &r->url, name, v);
	if (!strcmp(name, "publisher"))
		return set_once(bd, &r->publisher, name, v);
	if (!strcmp(name, "keywords") || !strcmp(name, "keyword") ||
	    !strcmp(name, "author_keywords"))
		return add_keywords(bd, v);
	if (!strcmp(name, "note") || !strcmp(name, "annote") || !strcmp(name, "annotation")) {
		char *t = text_of(bd, name, v);
		return t ? qes__field_append(&r->notes, bd->a, t, "; ") : QES_ENOMEM;
	}
	if (!strcmp(name, "database") || (!strcmp(name, "source") && !qes__bibtex_field(e, "database")))
		return set_once(bd, &r->database, name, v);
	return add_extra(bd, name, v);
}

int qes__bibtex_record(qes_arena *a, const bentry *e, qes_record *rec)
{
	builder bd = { a, rec, QES_STRBUF_INIT(QES_MAX_FIELD * 2) };
	int rc = 0;
	qes__record_init(rec);
	rec->line = e->line;
	rec->raw = e->raw;
	rec->raw_len = e->raw_len;
	rec->source_key = e->key;
	rec->type_raw = e->type;
	rec->type = (char *)map_type(e->type, e);
	for (size_t i = 0; i < e->n && !rc; i++)
		rc = map_field(&bd, e, e->f[i].name, e->f[i].value);
	/* booktitle is the journal of a chapter or a paper in proceedings */
	const char *bt = qes__bibtex_field(e, "booktitle");
	if (!rc && bt && !rec->journal)
		rc = set_once(&bd, &rec->journal, "booktitle", bt);
	const char *sub = qes__bibtex_field(e, "subtitle");
	if (!rc && sub && rec->title) {
		char *t = text_of(&bd, "subtitle", sub);
		rc = t ? qes__field_append(&rec->title, a, t, ": ") : QES_ENOMEM;
	}
	if (!rc && !rec->publisher) {
		static const char *const alt[] = { "school", "institution", "organization", NULL };
		for (int i = 0; alt[i] && !rc; i++) {
			const char *v = qes__bibtex_field(e, alt[i]);
			if (v)
				rc = set_once(&bd, &rec->publisher, alt[i], v);
		}
	}
	const char *y = qes__bibtex_field(e, "year");
	if (!rc && y) {
		char *t = text_of(&bd, "year", y);
		rec->year = t ? qes__year_from(t) : 0;
		if (!t)
			rc = QES_ENOMEM;
		const char *m = qes__bibtex_field(e, "month");
		const char *mn = m ? qes__bibtex_month_name(m) : NULL;
		/* a bare year is no fuller date: date stays empty */
		if (!rc && !rec->date && t && mn)
			rec->date = qes__arena_printf(a, "%s %s", t, mn);
	}
	qes__strbuf_release(&bd.tmp);
	return rc;
}
