/* parse_endnote_xml.c: EndNote XML (<xml><records><record>...), as written
 * by EndNote, Zotero and Mendeley.
 *
 * libxml2's streaming xmlTextReader reads the text the qes_reader already
 * decoded (so the encoding is forced to UTF-8 and the XML declaration's is
 * ignored: it would decode the text twice), one <record> at a time: each
 * record is expanded into a small tree of its own (xmlTextReaderExpand),
 * mapped, handed on and skipped, so memory stays flat however many records
 * the file holds. The whole document is never built.
 *
 * Safety: no network, no DTD loading, no entity substitution; a document
 * with a DOCTYPE is refused outright (EndNote never writes one, and an
 * internal subset is how entity-expansion attacks start). Nesting is
 * bounded by QES_MAX_XML_DEPTH.
 *
 * Malformed XML cannot be resynchronised: the error names its line, and
 * with --skip-bad the records before it stand (the pipeline refuses the
 * whole file otherwise). */
#include "parser.h"
#include "qes/limits.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/xmlreader.h>

typedef struct xp {
	qes_reader *r;
	qes_arena *a;
	qes_sink *sink;
	qes_error *err;
	const char *file;
	int read_failed;        /* the qes_reader said no: err is filled */
	char xml_msg[512];      /* libxml2's first error */
	long xml_line;
	long records;
	long last_line;         /* line of the last complete record */
} xp;

static int read_cb(void *ctx, char *buf, int len)
{
	xp *p = ctx;
	long n = qes__reader_read(p->r, buf, (size_t)len, p->err);
	if (n < 0) {
		p->read_failed = 1;
		return -1;
	}
	return (int)n;
}

#if LIBXML_VERSION >= 21200
static void on_xml_error(void *ctx, const xmlError *e)
#else
static void on_xml_error(void *ctx, xmlErrorPtr e)
#endif
{
	xp *p = ctx;
	if (!e || e->level < XML_ERR_ERROR || p->xml_msg[0])
		return;
	snprintf(p->xml_msg, sizeof(p->xml_msg), "%s", e->message ? e->message : "malformed XML");
	size_t n = strlen(p->xml_msg);
	while (n && (p->xml_msg[n - 1] == '\n' || p->xml_msg[n - 1] == ' '))
		p->xml_msg[--n] = '\0';
	p->xml_line = e->line;
}

/* ------------------------------------------------------------------------
 * Mapping one record. */

static int is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* All text inside n (style markup concatenated), in the arena. */
static char *text(xp *p, const xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	if (!c)
		return NULL;
	char *s = qes__arena_strdup(p->a, (const char *)c);
	xmlFree(c);
	return s;
}

static const char *map_type(const char *name, const char *number)
{
	static const struct { const char *name; int num; const char *type; } types[] = {
		{ "Journal Article", 17, QES_TYPE_ARTICLE },
		{ "Electronic Article", 43, QES_TYPE_ARTICLE },
		{ "Magazine Article", 19, QES_TYPE_ARTICLE },
		{ "Newspaper Article", 23, QES_TYPE_ARTICLE },
		{ "Book", 6, QES_TYPE_BOOK },
		{ "Edited Book", 28, QES_TYPE_BOOK },
		{ "Electronic Book", 44, QES_TYPE_BOOK },
		{ "Book Section", 5, QES_TYPE_CHAPTER },
		{ "Electronic Book Section", 60, QES_TYPE_CHAPTER },
		{ "Conference Paper", 47, QES_TYPE_CONFERENCE },
		{ "Conference Proceedings", 10, QES_TYPE_CONFERENCE },
		{ "Thesis", 32, QES_TYPE_THESIS },
		{ "Report", 27, QES_TYPE_REPORT },
		{ "Government Document", 46, QES_TYPE_REPORT },
		{ "Web Page", 12, QES_TYPE_WEB },
		{ "Blog", 56, QES_TYPE_WEB },
		{ "Dataset", 59, QES_TYPE_DATASET },
		{ "Generic", 13, QES_TYPE_OTHER },
	};
	/* The name first: Mendeley numbers its types its own way (0 for a
	 * journal article, 31 for generic). */
	for (size_t i = 0; name && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcasecmp(name, types[i].name))
			return types[i].type;
	if (name && *name)
		return QES_TYPE_OTHER;
	int num = number ? atoi(number) : -1;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (num == types[i].num)
			return types[i].type;
	return QES_TYPE_OTHER;
}

static int add_extra(xp *p, qes_record *rec, const char *name, char *value)
{
	char *n = qes__arena_strdup(p->a, name);
	if (!n || qes__strlist_push(&rec->extra, p->a, n) ||
	    qes__strlist_push(&rec->extra, p->a, value))
		return QES_ENOMEM;
	return 0;
}

/* "1939-1676 0891-6640", "978-0-12-345678-9 (pbk.)": ISSNs and ISBNs by
 * their shape, since EndNote keeps both in <isbn>. */
static int split_isbn(xp *p, qes_record *rec, char *v, int bookish)
{
	int found = 0;
	char *save = NULL;
	char *copy = qes__arena_strdup(p->a, v);
	if (!copy)
		return QES_ENOMEM;
	for (char *t = strtok_r(copy, " \t\n\r;,/()[]", &save); t;
	     t = strtok_r(NULL, " \t\n\r;,/()[]", &save)) {
		size_t digits = 0, len = strlen(t), other = 0;
		for (size_t i = 0; i < len; i++) {
			if (isdigit((unsigned char)t[i]) || ((t[i] == 'X' || t[i] == 'x') && i == len - 1))
				digits++;
			else if (t[i] != '-')
				other++;
		}
		if (other)
			continue;
		char **dst = digits == 8 ? &rec->issn : (digits == 10 || digits == 13) ? &rec->isbn : NULL;
		if (!dst)
			continue;
		if (qes__field_append(dst, p->a, t, "; "))
			return QES_ENOMEM;
		found = 1;
	}
	if (!found)
		return qes__field_append(bookish ? &rec->isbn : &rec->issn, p->a, v, "; ");
	return 0;
}

/* Keywords: one per <keyword>, and one per line inside one (EndNote keeps
 * keywords typed as a list in a single element). */
static int add_keywords(xp *p, qes_record *rec, const xmlNode *kws)
{
	for (const xmlNode *k = kws->children; k; k = k->next) {
		if (!is(k, "keyword"))
			continue;
		char *v = text(p, k), *save = NULL;
		if (!v)
			return QES_ENOMEM;
		for (char *t = strtok_r(v, "\r\n", &save); t; t = strtok_r(NULL, "\r\n", &save)) {
			if (rec->keywords.n >= QES_MAX_KEYWORDS)
				return QES_ELIMIT;
			if (qes__strlist_push(&rec->keywords, p->a, t))
				return QES_ENOMEM;
		}
	}
	return 0;
}

static int add_contributors(xp *p, qes_record *rec, const xmlNode *c)
{
	for (const xmlNode *g = c->children; g; g = g->next) {
		if (g->type != XML_ELEMENT_NODE)
			continue;
		int main_authors = is(g, "authors");
		const char *role = is(g, "secondary-authors") ? "editor" : (const char *)g->name;
		for (const xmlNode *a = g->children; a; a = a->next) {
			if (!is(a, "author"))
				continue;
			char *v = text(p, a);
			if (!v)
				return QES_ENOMEM;
			if (main_authors) {
				if (rec->authors.n >= QES_MAX_AUTHORS)
					return QES_ELIMIT;
				if (qes__strlist_push(&rec->authors, p->a, v))
					return QES_ENOMEM;
			} else if (add_extra(p, rec, role, v)) {
				return QES_ENOMEM;
			}
		}
	}
	return 0;
}

static int add_titles(xp *p, qes_record *rec, const xmlNode *t, char **secondary)
{
	for (const xmlNode *c = t->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		char *v = text(p, c);
		if (!v)
			return QES_ENOMEM;
		if (is(c, "title") && !rec->title)
			rec->title = v;
		else if (is(c, "secondary-title") && !*secondary)
			*secondary = v;
		else if (add_extra(p, rec, (const char *)c->name, v))
			return QES_ENOMEM;
	}
	return 0;
}

static int add_urls(xp *p, qes_record *rec, const xmlNode *u)
{
	for (const xmlNode *g = u->children; g; g = g->next) {
		if (g->type != XML_ELEMENT_NODE)
			continue;
		for (const xmlNode *c = g->children; c; c = c->next) {
			if (!is(c, "url"))
				continue;
			char *v = text(p, c);
			if (!v)
				return QES_ENOMEM;
			/* the first related or web URL is the record's link */
			if (!rec->url && !is(g, "pdf-urls") && !is(g, "image-urls"))
				rec->url = v;
			else if (add_extra(p, rec, (const char *)g->name, v))
				return QES_ENOMEM;
		}
	}
	return 0;
}

static int add_dates(xp *p, qes_record *rec, const xmlNode *d)
{
	for (const xmlNode *c = d->children; c; c = c->next) {
		if (is(c, "year")) {
			char *v = text(p, c);
			if (!v)
				return QES_ENOMEM;
			rec->year = qes__year_from(v);
		} else if (is(c, "pub-dates")) {
			for (const xmlNode *x = c->children; x; x = x->next) {
				if (!is(x, "date") || rec->date)
					continue;
				if (!(rec->date = text(p, x)))
					return QES_ENOMEM;
			}
		}
	}
	/* "Mar 4" without its year says more with it: "2021 Mar 4". */
	if (rec->date && rec->year && !qes__year_from(rec->date))
		rec->date = qes__arena_printf(p->a, "%d %s", rec->year, rec->date);
	return 0;
}

static int all_digits(const char *s, size_t max)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = 0;
	for (; isdigit((unsigned char)*s); s++)
		n++;
	while (isspace((unsigned char)*s))
		s++;
	return n > 0 && n <= max && !*s;
}

static int contains_ci(const char *s, const char *needle)
{
	return s && strcasestr(s, needle) != NULL;
}

/* Values read from a record that are placed once all are known. */
typedef struct pending {
	char *secondary, *full_title, *number, *issue, *accession, *isbn, *provider;
} pending;

/* An element holding one value: to its field, to pending, or to extra. */
static int map_value(xp *p, const xmlNode *c, qes_record *rec, pending *pd)
{
	char *v = text(p, c);
	if (!v)
		return QES_ENOMEM;
	if (is(c, "rec-number")) {
		rec->source_key = v;
	} else if (is(c, "ref-type")) {
		xmlChar *tn = xmlGetProp(c, (const xmlChar *)"name");
		char *tname = tn ? qes__arena_strdup(p->a, (const char *)tn) : NULL;
		xmlFree(tn);
		rec->type = (char *)map_type(tname, v);
		rec->type_raw = tname && *tname ? tname : v;
	} else if (is(c, "pages") && !rec->pages) {
		rec->pages = v;
	} else if (is(c, "volume") && !rec->volume) {
		rec->volume = v;
	} else if (is(c, "number") && !pd->number) {
		pd->number = v;
	} else if (is(c, "issue") && !pd->issue) {
		pd->issue = v;
	} else if (is(c, "isbn") && !pd->isbn) {
		pd->isbn = v;
	} else if (is(c, "abstract") && !rec->abstract) {
		rec->abstract = v;
	} else if (is(c, "electronic-resource-num") && !rec->doi) {
		rec->doi = v;
	} else if (is(c, "language") && !rec->language) {
		rec->language = v;
	} else if (is(c, "publisher") && !rec->publisher) {
		rec->publisher = v;
	} else if (is(c, "notes") || is(c, "research-notes")) {
		return qes__field_append(&rec->notes, p->a, v, "; ");
	} else if (is(c, "accession-num") && !pd->accession) {
		pd->accession = v;
	} else if (is(c, "remote-database-name") && !rec->database) {
		rec->database = v;
	} else if (is(c, "remote-database-provider") && !pd->provider) {
		pd->provider = v;
	} else {
		return add_extra(p, rec, (const char *)c->name, v);
	}
	return 0;
}

/* What needs several elements: journal, issue, database, ISSN/ISBN, PMID. */
static int finish_record(xp *p, qes_record *rec, const pending *pd)
{
	int rc = 0;
	rec->journal = pd->full_title ? pd->full_title : pd->secondary;
	if (pd->full_title && pd->secondary && strcmp(pd->full_title, pd->secondary))
		rc = add_extra(p, rec, "secondary-title", pd->secondary);
	rec->issue = pd->number ? pd->number : pd->issue;
	if (!rec->database)
		rec->database = pd->provider;
	if (!rc && pd->isbn)
		rc = split_isbn(p, rec, pd->isbn, rec->type && (!strcmp(rec->type, QES_TYPE_BOOK) ||
								 !strcmp(rec->type, QES_TYPE_CHAPTER)));
	if (!rc && pd->accession) {
		/* PubMed's accession number is the PMID (at most 8 digits today);
		 * Embase and Web of Science numbers are longer or lettered. */
		int pubmed = contains_ci(rec->database, "pubmed") ||
			     contains_ci(rec->database, "medline") || contains_ci(pd->provider, "nlm");
		int other_db = rec->database && !pubmed;
		if (all_digits(pd->accession, pubmed ? 10 : 8) && !other_db)
			rec->pmid = pd->accession;
		else
			rc = add_extra(p, rec, "accession-num", pd->accession);
	}
	return rc;
}

/* Fills rec from the <record> tree. Returns 0 or a QES_E* code. */
static int map_record(xp *p, const xmlNode *r, qes_record *rec)
{
	pending pd = { 0 };
	int rc = 0;
	for (const xmlNode *c = r->children; c && !rc; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is(c, "contributors")) {
			rc = add_contributors(p, rec, c);
		} else if (is(c, "titles")) {
			rc = add_titles(p, rec, c, &pd.secondary);
		} else if (is(c, "keywords")) {
			rc = add_keywords(p, rec, c);
		} else if (is(c, "urls")) {
			rc = add_urls(p, rec, c);
		} else if (is(c, "dates")) {
			rc = add_dates(p, rec, c);
		} else if (is(c, "periodical")) {
			for (const xmlNode *x = c->children; x; x = x->next)
				if (is(x, "full-title") && !pd.full_title &&
				    !(pd.full_title = text(p, x)))
					return QES_ENOMEM;
		} else {
			rc = map_value(p, c, rec, &pd);
		}
	}
	return rc ? rc : finish_record(p, rec, &pd);
}

/* ------------------------------------------------------------------------
 * The reader loop. */

static long node_line(xmlTextReaderPtr xr, const xmlNode *n)
{
	long l = n ? xmlGetLineNo(n) : -1;
	if (l <= 0 || l == 65535)
		l = xmlTextReaderGetParserLineNumber(xr);
	return l;
}

/* The parse cannot go on: a read error, or malformed XML. */
static int fatal(xp *p, xmlTextReaderPtr xr)
{
	if (p->read_failed)
		return p->err->code ? p->err->code : QES_EIO;
	long line = p->xml_line > 0 ? p->xml_line : xmlTextReaderGetParserLineNumber(xr);
	int rc = qes__sink_badf(p->sink, p->err, p->file, line, NULL,
				"malformed XML: %s%s", p->xml_msg[0] ? p->xml_msg : "cannot parse",
				p->records ? "; the records before it were read, the rest of the file cannot be"
					   : "");
	if (rc == 0 && p->records)
		qes__sink_warnf(p->sink, p->file, line,
				"reading stopped at the malformed XML; %ld records before it "
				"(last at line %ld) were kept", p->records, p->last_line);
	return rc;
}

static int do_record(xp *p, xmlTextReaderPtr xr)
{
	xmlNodePtr n = xmlTextReaderExpand(xr);
	if (!n)
		return 1;   /* malformed inside the record: fatal() reports it */
	long line = node_line(xr, n);
	qes_record rec;
	qes__record_init(&rec);
	rec.line = line;
	int rc = 0;
	xmlChar *outer = xmlTextReaderReadOuterXml(xr);
	if (!outer) {
		rc = qes_error_set(p->err, QES_ENOMEM, "out of memory");
		goto out;
	}
	size_t len = strlen((const char *)outer);
	if (len > QES_MAX_RECORD) {
		xmlFree(outer);
		rc = qes__sink_badf(p->sink, p->err, p->file, line, NULL,
				    "record longer than %u bytes", QES_MAX_RECORD);
		goto out;
	}
	rec.raw = qes__arena_strndup(p->a, (const char *)outer, len);
	rec.raw_len = len;
	xmlFree(outer);
	if (!rec.raw) {
		rc = qes_error_set(p->err, QES_ENOMEM, "out of memory");
		goto out;
	}
	rc = map_record(p, n, &rec);
	if (rc == QES_ELIMIT) {
		rc = qes__sink_badf(p->sink, p->err, p->file, line, "author",
				    "record has more than %d authors or %d keywords",
				    QES_MAX_AUTHORS, QES_MAX_KEYWORDS);
	} else if (rc) {
		rc = qes_error_set(p->err, rc, "out of memory");
	} else {
		rc = p->sink->record(p->sink, &rec, p->err);
		p->records++;
		p->last_line = line;
	}
out:
	qes__arena_reset(p->a);
	return rc;
}

int qes__parse_endnote_xml(qes_reader *r, qes_arena *a, qes_sink *sink, qes_error *err)
{
	xp p = { .r = r, .a = a, .sink = sink, .err = err, .file = qes__reader_name(r) };
	int rc = 0;
	xmlTextReaderPtr xr = xmlReaderForIO(read_cb, NULL, &p, NULL, "UTF-8",
					     XML_PARSE_NONET | XML_PARSE_BIG_LINES |
					     XML_PARSE_IGNORE_ENC);
	if (!xr)
		return qes_error_set(err, QES_ENOMEM, "cannot start the XML reader");
	xmlTextReaderSetStructuredErrorHandler(xr, on_xml_error, &p);
	int ret = xmlTextReaderRead(xr);
	int seen_root = 0;
	while (ret == 1) {
		int type = xmlTextReaderNodeType(xr);
		int depth = xmlTextReaderDepth(xr);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			/* libxml2 keeps no line for a DOCTYPE, and the parser's
			 * line is already past it: name none rather than a wrong one */
			rc = qes_error_at(err, QES_EFORMAT, p.file, 0,
					  NULL, "the XML has a DOCTYPE declaration; EndNote XML has "
					  "none, and qes does not read DTDs or expand entities");
			goto out;
		}
		if (depth > QES_MAX_XML_DEPTH) {
			rc = qes__sink_badf(sink, err, p.file, xmlTextReaderGetParserLineNumber(xr),
					    NULL, "elements nested deeper than %d", QES_MAX_XML_DEPTH);
			goto out;
		}
		if (type != XML_READER_TYPE_ELEMENT) {
			ret = xmlTextReaderRead(xr);
			continue;
		}
		const char *name = (const char *)xmlTextReaderConstLocalName(xr);
		if (!seen_root) {
			seen_root = 1;
			if (!name || strcmp(name, "xml")) {
				rc = qes_error_at(err, QES_EFORMAT, p.file,
						  node_line(xr, xmlTextReaderCurrentNode(xr)), NULL,
						  "this XML is not an EndNote export: its root element "
						  "is <%s>, not <xml> with <records>", name ? name : "?");
				goto out;
			}
		}
		if (name && !strcmp(name, "record") && depth >= 1) {
			rc = do_record(&p, xr);
			if (rc < 0)
				goto out;
			if (rc > 0)
				break;    /* malformed inside the record */
			ret = xmlTextReaderNext(xr);
			continue;
		}
		ret = xmlTextReaderRead(xr);
	}
	rc = 0;
	if (ret != 0 || p.xml_msg[0] || p.read_failed)
		rc = fatal(&p, xr);
	else if (!seen_root)
		rc = qes_error_at(err, QES_EFORMAT, p.file, 1, NULL,
				  "no XML elements in this file");
out:
	xmlFreeTextReader(xr);
	return rc;
}
