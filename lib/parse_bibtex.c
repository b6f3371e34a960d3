/* parse_bibtex.c: BibTeX and biblatex files.
 *
 * Two stages. A scanner reads the file line by line and cuts out each
 * entry, from its '@' to the matching '}' or ')', counting braces and
 * quotes the way BibTeX does (several entries may share a line; one entry
 * may span many). Text outside entries is a comment, as in BibTeX, and so is
 * a '%' line. The entry's text is then parsed from memory: @string defines a
 * macro, @comment and @preamble are ignored, anything else is a record.
 *
 * Recovery: a line that starts with "@type{" while an entry is still open
 * means that entry was never closed; it is reported (qes__sink_badf, with
 * the line and field where it went wrong) and scanning starts again there.
 *
 * Crossref: an entry with a crossref inherits the fields it lacks from the
 * entry it names (cascading, through biblatex "ids" aliases too). When that
 * entry has not been seen yet the record waits until the end of the file,
 * so records with a pending crossref come after the others (their line
 * still says where they were). Cycles and missing targets are warnings: the
 * record keeps its own fields. Fields that identify one work (DOI, URL,
 * abstract, pages, keywords, title) are never inherited, so a chapter
 * never looks like a duplicate of its book.
 *
 * Values keep their LaTeX until the record is built; then accents and
 * commands become Unicode (NFC), protection braces go, and author lists are
 * split on " and " at brace depth 0 into "von Last, First, Jr"
 * (bibtex_text.c). */
#include "parser.h"
#include "bibtex_text.h"
#include "strbuf.h"
#include "qes/limits.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------------
 * A small string map (keys compared case-insensitively, as BibTeX does for
 * macro names and crossref keys). Keys and values live in the keep arena. */

typedef struct smap {
	char **keys;
	void **vals;
	size_t n, cap;
} smap;

static uint64_t hash_ci(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)tolower((unsigned char)*s)) * 1099511628211ull;
	return h;
}

static void **smap_slot(smap *m, const char *key, char ***keyslot)
{
	size_t i = hash_ci(key) & (m->cap - 1);
	while (m->keys[i] && strcasecmp(m->keys[i], key))
		i = (i + 1) & (m->cap - 1);
	*keyslot = &m->keys[i];
	return &m->vals[i];
}

static void *smap_get(const smap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	char **ks;
	void **v = smap_slot((smap *)m, key, &ks);
	return *ks ? *v : NULL;
}

static int smap_grow(smap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	char **keys = calloc(cap, sizeof(*keys));
	void **vals = calloc(cap, sizeof(*vals));
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return QES_ENOMEM;
	}
	smap old = *m;
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.keys[i])
			continue;
		char **ks;
		void **v = smap_slot(m, old.keys[i], &ks);
		*ks = old.keys[i];
		*v = old.vals[i];
	}
	free(old.keys);
	free(old.vals);
	return 0;
}

/* key must outlive the map (keep arena). Replaces an existing value. */
static int smap_put(smap *m, char *key, void *val)
{
	if ((m->n + 1) * 2 > m->cap && smap_grow(m))
		return QES_ENOMEM;
	char **ks;
	void **v = smap_slot(m, key, &ks);
	if (!*ks) {
		*ks = key;
		m->n++;
	}
	*v = val;
	return 0;
}

static void smap_free(smap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ------------------------------------------------------------------------
 * Entries as parsed: field names lower-case, values macro-expanded but
 * still LaTeX. */

typedef struct bfield {
	char *name;
	char *value;
} bfield;

typedef struct bentry {
	char *type;          /* as written */
	char *key;           /* NULL when the entry has none */
	char *crossref;      /* target key, NULL when none */
	long line;
	char *raw;
	size_t raw_len;
	bfield *f;
	size_t n, alloc;
	struct bentry *next; /* deferred list */
} bentry;

enum scan_state { S_OUT, S_TYPE, S_OPEN, S_BODY, S_SKIP };

typedef struct bib {
	qes_reader *r;
	qes_arena *a;           /* per record, reset after each */
	qes_arena keep;         /* macros, crossref table, waiting records */
	qes_sink *sink;
	qes_error *err;
	const char *file;

	smap macros;
	size_t macro_bytes;
	smap entries;           /* key or alias -> bentry (inheritable fields) */
	bentry *wait_head, *wait_tail;

	/* scanner */
	enum scan_state st;
	qes_strbuf raw;         /* the entry's text so far */
	char type[64];
	size_t type_len;
	long line;              /* line of the '@' */
	long depth;             /* brace depth inside the entry body */
	int in_quote, is_comment;
	int at_line_start;      /* the '@' was the line's first non-blank */
	char closer;
} bib;

static int is_name_char(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.' || c == ':' ||
	       c == '+' || c == '/' || c == '*' || c == '\'' || c == '!' ||
	       c == '?' || c == '&' || c == '<' || c == '>' || c == '|' ||
	       c == '[' || c == ']' || c == ';' || c == '@' || c >= 0x80;
}


/* ------------------------------------------------------------------------
 * From fields to a record. */

static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

static const char *month_name(const char *m)
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

/* Fields an entry may take from the entry its crossref names. */
static int inheritable(const char *name)
{
	static const char *const names[] = {
		"author", "editor", "booktitle", "journal", "journaltitle", "year",
		"date", "month", "volume", "number", "series", "publisher", "address",
		"location", "organization", "institution", "school", "isbn", "issn",
		"language", "edition", "eventtitle", "venue", "title", NULL
	};
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], name))
			return 1;
	return 0;
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

static const char *field(const bentry *e, const char *name)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->f[i].name, name))
			return e->f[i].value;
	return NULL;
}

typedef struct builder {
	bib *b;
	qes_record *rec;
	qes_strbuf tmp;
} builder;

static char *text_of(builder *bd, const char *name, const char *v)
{
	if (verbatim_field(name))
		return qes__latex_verbatim(bd->b->a, v);
	return qes__latex_text(bd->b->a, &bd->tmp, v, strlen(v));
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
		char *t = qes__latex_text(bd->b->a, &bd->tmp, nb.buf, nb.len);
		rc = t ? qes__strlist_push(&bd->rec->authors, bd->b->a, t) : QES_ENOMEM;
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
		char *t = qes__latex_text(bd->b->a, &bd->tmp, start, (size_t)(q - start));
		if (!t || qes__strlist_push(&bd->rec->keywords, bd->b->a, t))
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
	int rc = qes__strlist_push(&bd->rec->extra, bd->b->a, (char *)name);
	return rc ? rc : qes__strlist_push(&bd->rec->extra, bd->b->a, t);
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
	if (!strcmp(name, "number") || (!strcmp(name, "issue") && !field(e, "number")))
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
	if (!strcmp(name, "url") || (!strcmp(name, "link") && !field(e, "url")))
		return set_once(bd, &r->url, name, v);
	if (!strcmp(name, "publisher"))
		return set_once(bd, &r->publisher, name, v);
	if (!strcmp(name, "keywords") || !strcmp(name, "keyword") ||
	    !strcmp(name, "author_keywords"))
		return add_keywords(bd, v);
	if (!strcmp(name, "note") || !strcmp(name, "annote") || !strcmp(name, "annotation")) {
		char *t = text_of(bd, name, v);
		return t ? qes__field_append(&r->notes, bd->b->a, t, "; ") : QES_ENOMEM;
	}
	if (!strcmp(name, "database") || (!strcmp(name, "source") && !field(e, "database")))
		return set_once(bd, &r->database, name, v);
	return add_extra(bd, name, v);
}

/* Builds the record for e (fields already include inherited ones). */
static int build_record(bib *b, const bentry *e, qes_record *rec)
{
	builder bd = { b, rec, QES_STRBUF_INIT(QES_MAX_FIELD * 2) };
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
	const char *bt = field(e, "booktitle");
	if (!rc && bt && !rec->journal)
		rc = set_once(&bd, &rec->journal, "booktitle", bt);
	const char *sub = field(e, "subtitle");
	if (!rc && sub && rec->title) {
		char *t = text_of(&bd, "subtitle", sub);
		rc = t ? qes__field_append(&rec->title, b->a, t, ": ") : QES_ENOMEM;
	}
	if (!rc && !rec->publisher) {
		static const char *const alt[] = { "school", "institution", "organization", NULL };
		for (int i = 0; alt[i] && !rc; i++) {
			const char *v = field(e, alt[i]);
			if (v)
				rc = set_once(&bd, &rec->publisher, alt[i], v);
		}
	}
	const char *y = field(e, "year");
	if (!rc && y) {
		char *t = text_of(&bd, "year", y);
		rec->year = t ? qes__year_from(t) : 0;
		if (!t)
			rc = QES_ENOMEM;
		const char *m = field(e, "month");
		const char *mn = m ? month_name(m) : NULL;
		/* a bare year is no fuller date: date stays empty */
		if (!rc && !rec->date && t && mn)
			rec->date = qes__arena_printf(b->a, "%s %s", t, mn);
	}
	qes__strbuf_release(&bd.tmp);
	return rc;
}

/* ------------------------------------------------------------------------
 * Crossref resolution. */

enum { XR_OK, XR_MISSING, XR_CYCLE };

/* Walks e's crossref chain. chain gets the ancestors, nearest first. */
static int xref_chain(bib *b, const bentry *e, const bentry **chain, size_t *n,
		      const char **missing)
{
	*n = 0;
	const bentry *cur = e;
	while (cur->crossref) {
		const bentry *p = smap_get(&b->entries, cur->crossref);
		if (!p) {
			*missing = cur->crossref;
			return XR_MISSING;
		}
		if (p == e || (e->key && p->key && !strcasecmp(p->key, e->key)))
			return XR_CYCLE;
		for (size_t i = 0; i < *n; i++)
			if (chain[i] == p)
				return XR_CYCLE;
		if (*n >= QES_MAX_BIBTEX_DEPTH)
			return XR_CYCLE;
		chain[(*n)++] = p;
		cur = p;
	}
	return XR_OK;
}

static int push_field(qes_arena *a, bentry *e, char *name, char *value)
{
	if (e->n == e->alloc) {
		size_t n = e->alloc ? e->alloc * 2 : 16;
		bfield *f = qes__arena_alloc(a, n * sizeof(*f));
		if (!f)
			return QES_ENOMEM;
		if (e->n)
			memcpy(f, e->f, e->n * sizeof(*f));
		e->f = f;
		e->alloc = n;
	}
	e->f[e->n].name = name;
	e->f[e->n].value = value;
	e->n++;
	return 0;
}

/* Adds to e (in the record arena) what its ancestors give. */
static int inherit(bib *b, bentry *e, const bentry *const *chain, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const bentry *p = chain[k];
		/* Pass 0 takes the parent's fields as they are; pass 1 makes its
		 * own title the child's book title, if its booktitle did not. */
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < p->n; i++) {
				const char *name = p->f[i].name;
				if ((pass == 1) != !strcmp(name, "title"))
					continue;
				if (pass == 1)
					name = "booktitle";
				if (field(e, name))
					continue;
				int rc = push_field(b->a, e, (char *)name, p->f[i].value);
				if (rc)
					return rc;
			}
	}
	return 0;
}

static int deliver(bib *b, bentry *e)
{
	qes_record rec;
	int rc = build_record(b, e, &rec);
	if (rc == QES_ELIMIT)
		rc = qes__sink_badf(b->sink, b->err, b->file, e->line, "author",
				    "entry '%s' has more than %d authors or %d keywords",
				    e->key ? e->key : "", QES_MAX_AUTHORS, QES_MAX_KEYWORDS);
	else if (rc)
		rc = qes_error_set(b->err, rc, "out of memory");
	else
		rc = b->sink->record(b->sink, &rec, b->err);
	qes__arena_reset(b->a);
	return rc;
}

/* Copies e into the keep arena (all fields, or only inheritable ones). */
static bentry *keep_copy(bib *b, const bentry *e, int all)
{
	qes_arena *k = &b->keep;
	bentry *c = qes__arena_alloc(k, sizeof(*c));
	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->line = e->line;
	c->type = qes__arena_strdup(k, e->type);
	c->key = e->key ? qes__arena_strdup(k, e->key) : NULL;
	c->crossref = e->crossref ? qes__arena_strdup(k, e->crossref) : NULL;
	if (!c->type || (e->key && !c->key) || (e->crossref && !c->crossref))
		return NULL;
	if (all) {
		c->raw = qes__arena_strndup(k, e->raw, e->raw_len);
		c->raw_len = e->raw_len;
		if (!c->raw)
			return NULL;
	}
	for (size_t i = 0; i < e->n; i++) {
		if (!all && !inheritable(e->f[i].name))
			continue;
		char *n = qes__arena_strdup(k, e->f[i].name);
		char *v = qes__arena_strdup(k, e->f[i].value);
		if (!n || !v || push_field(k, c, n, v))
			return NULL;
	}
	return c;
}

/* Remembers e as a possible crossref target, under its key and its ids. */
static int remember(bib *b, const bentry *e)
{
	if (!e->key || smap_get(&b->entries, e->key))
		return 0;
	bentry *c = keep_copy(b, e, 0);
	if (!c || smap_put(&b->entries, c->key, c))
		return QES_ENOMEM;
	const char *ids = field(e, "ids");
	if (!ids)
		return 0;
	char *copy = qes__arena_strdup(&b->keep, ids), *save = NULL;
	if (!copy)
		return QES_ENOMEM;
	for (char *id = strtok_r(copy, ", \t\n{}", &save); id;
	     id = strtok_r(NULL, ", \t\n{}", &save))
		if (!smap_get(&b->entries, id) && smap_put(&b->entries, id, c))
			return QES_ENOMEM;
	return 0;
}

static void warn_xref(bib *b, const bentry *e, int why, const char *missing)
{
	if (why == XR_MISSING)
		qes__sink_warnf(b->sink, b->file, e->line,
				"entry '%s': crossref '%s' is not in the file; "
				"the record keeps only its own fields", e->key ? e->key : "",
				missing);
	else
		qes__sink_warnf(b->sink, b->file, e->line,
				"entry '%s': crossref chain loops back on itself; "
				"fields are inherited only up to the loop", e->key ? e->key : "");
}

/* A complete entry: deliver it, or keep it until its crossref is known. */
static int entry_done(bib *b, bentry *e)
{
	int rc = remember(b, e);
	if (rc)
		return qes_error_set(b->err, rc, "out of memory");
	if (!e->crossref)
		return deliver(b, e);
	const bentry *chain[QES_MAX_BIBTEX_DEPTH];
	size_t n;
	const char *missing = NULL;
	int why = xref_chain(b, e, chain, &n, &missing);
	if (why == XR_MISSING) {
		bentry *c = keep_copy(b, e, 1);
		if (!c)
			return qes_error_set(b->err, QES_ENOMEM, "out of memory");
		if (b->wait_tail)
			b->wait_tail->next = c;
		else
			b->wait_head = c;
		b->wait_tail = c;
		qes__arena_reset(b->a);
		return 0;
	}
	if (why != XR_OK)
		warn_xref(b, e, why, missing);
	rc = inherit(b, e, chain, n);
	if (rc)
		return qes_error_set(b->err, rc, "out of memory");
	return deliver(b, e);
}

static int flush_waiting(bib *b)
{
	int rc = 0;
	for (bentry *e = b->wait_head; e && !rc; e = e->next) {
		/* e lives in the keep arena; inherit() adds to a copy of its
		 * field list made in the record arena. */
		bentry tmp = *e;
		tmp.alloc = tmp.n;
		tmp.f = qes__arena_alloc(b->a, (e->n ? e->n : 1) * sizeof(*tmp.f));
		if (!tmp.f)
			return qes_error_set(b->err, QES_ENOMEM, "out of memory");
		if (e->n)
			memcpy(tmp.f, e->f, e->n * sizeof(*tmp.f));
		const bentry *chain[QES_MAX_BIBTEX_DEPTH];
		size_t n;
		const char *missing = NULL;
		int why = xref_chain(b, e, chain, &n, &missing);
		if (why != XR_OK)
			warn_xref(b, e, why, missing);
		rc = inherit(b, &tmp, chain, n);
		if (rc)
			return qes_error_set(b->err, rc, "out of memory");
		rc = deliver(b, &tmp);
	}
	return rc;
}

/* ------------------------------------------------------------------------
 * The entry parser: one entry's text, from '@' to its closer. */

typedef struct ep {
	bib *b;
	const char *s;
	size_t n, i;
	int complete;          /* 0: the text ends before the entry is closed */
	char closer;
	const char *key;
	qes_strbuf val;        /* the value being built */
	size_t expanded;       /* bytes of values in this entry */
	size_t vend;           /* where the last value ended */
} ep;

static long ep_line(const ep *p, size_t pos)
{
	long line = p->b->line;
	for (size_t i = 0; i < pos && i < p->n; i++)
		line += p->s[i] == '\n';
	return line;
}

/* Reports a malformed entry. Returns 1 (record skipped) or < 0 (abort). */
static int ep_bad(ep *p, size_t pos, const char *fieldname, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int ep_bad(ep *p, size_t pos, const char *fieldname, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int rc;
	if (p->key)
		rc = qes__sink_badf(p->b->sink, p->b->err, p->b->file, ep_line(p, pos),
				    fieldname, "entry '%s' (line %ld): %s", p->key,
				    p->b->line, msg);
	else
		rc = qes__sink_badf(p->b->sink, p->b->err, p->b->file, ep_line(p, pos),
				    fieldname, "entry at line %ld: %s", p->b->line, msg);
	return rc < 0 ? rc : 1;
}

/* The error for text that ends before the entry is closed. */
static int ep_unclosed(ep *p, size_t pos, const char *fieldname)
{
	if (fieldname)
		return ep_bad(p, pos, fieldname,
			      "the value of '%s' is never closed (no matching '%c' before %s)",
			      fieldname, p->s[pos] == '"' ? '"' : '}',
			      p->complete ? "the end of the entry" :
			      "the next entry or the end of the file");
	return ep_bad(p, pos, NULL, "the entry is never closed (no '%c' before %s)",
		      p->closer, p->complete ? "its end" :
		      "the next entry or the end of the file");
}

static void ep_space(ep *p)
{
	while (p->i < p->n) {
		char c = p->s[p->i];
		if (c == '%') {
			while (p->i < p->n && p->s[p->i] != '\n')
				p->i++;
		} else if (isspace((unsigned char)c)) {
			p->i++;
		} else {
			break;
		}
	}
}

/* A {braced} or "quoted" part starting at p->i, appended without its
 * delimiters. Returns 0, 1 (reported) or < 0. */
static int ep_delimited(ep *p, const char *fieldname)
{
	size_t start = p->i;
	char open = p->s[p->i++];
	long depth = open == '{' ? 1 : 0;
	size_t from = p->i;
	for (; p->i < p->n; p->i++) {
		char c = p->s[p->i];
		if (c == '{') {
			if (++depth > QES_MAX_BIBTEX_DEPTH)
				return ep_bad(p, p->i, fieldname,
					      "braces nested deeper than %d in '%s'",
					      QES_MAX_BIBTEX_DEPTH, fieldname);
		} else if (c == '}') {
			if (depth == 0)
				return ep_bad(p, p->i, fieldname,
					      "unbalanced '}' in the value of '%s'", fieldname);
			if (--depth == 0 && open == '{')
				break;
		} else if (c == '"' && open == '"' && depth == 0) {
			break;
		}
	}
	if (p->i >= p->n)
		return ep_unclosed(p, start, fieldname);
	size_t len = p->i - from;
	p->i++;
	int rc = qes__strbuf_add(&p->val, p->s + from, len);
	if (rc == QES_ELIMIT)
		return ep_bad(p, start, fieldname,
			      "the value of '%s' is longer than %u bytes",
			      fieldname, QES_MAX_MACRO_EXPANSION);
	return rc ? qes_error_set(p->b->err, rc, "out of memory") : 0;
}

static const char *predefined_month(const char *name)
{
	static const char *const abbr[] = { "jan", "feb", "mar", "apr", "may", "jun",
					    "jul", "aug", "sep", "oct", "nov", "dec" };
	for (int i = 0; i < 12; i++)
		if (!strcasecmp(name, abbr[i]))
			return months[i];
	return NULL;
}

/* value = part ('#' part)*. The result is in p->val. */
static int ep_value(ep *p, const char *fieldname)
{
	qes__strbuf_reset(&p->val);
	qes__strbuf_addstr(&p->val, "");
	for (;;) {
		ep_space(p);
		if (p->i >= p->n)
			return ep_unclosed(p, p->i, NULL);
		char c = p->s[p->i];
		int rc = 0;
		if (c == '{' || c == '"') {
			rc = ep_delimited(p, fieldname);
		} else if (is_name_char((unsigned char)c)) {
			size_t from = p->i;
			int digits = 1;
			while (p->i < p->n && is_name_char((unsigned char)p->s[p->i]))
				digits &= isdigit((unsigned char)p->s[p->i++]) != 0;
			if (digits) {
				rc = qes__strbuf_add(&p->val, p->s + from, p->i - from);
			} else {
				char name[256];
				size_t nl = p->i - from < sizeof(name) - 1 ? p->i - from
									  : sizeof(name) - 1;
				memcpy(name, p->s + from, nl);
				name[nl] = '\0';
				const char *v = smap_get(&p->b->macros, name);
				if (!v)
					v = predefined_month(name);
				if (!v) {
					qes__sink_warnf(p->b->sink, p->b->file, ep_line(p, from),
							"undefined macro '%s' in '%s': kept as text",
							name, fieldname);
					v = name;
				}
				rc = qes__strbuf_addstr(&p->val, v);
			}
			if (rc == QES_ELIMIT)
				return ep_bad(p, from, fieldname,
					      "the value of '%s' expands to more than %u bytes",
					      fieldname, QES_MAX_MACRO_EXPANSION);
			if (rc)
				return qes_error_set(p->b->err, rc, "out of memory");
		} else if (c == p->closer || c == ',') {
			return ep_bad(p, p->i, fieldname, "'%s' has no value", fieldname);
		} else {
			return ep_bad(p, p->i, fieldname, "unexpected '%c' in the value of '%s'",
				      c, fieldname);
		}
		if (rc)
			return rc;
		p->vend = p->i;
		ep_space(p);
		if (p->i < p->n && p->s[p->i] == '#') {
			p->i++;
			continue;
		}
		return 0;
	}
}

/* A field or macro name at p->i; names may hold inner spaces ("funding_text 1"
 * in Scopus files). Returns its length in *len (0: none). */
static void ep_name(ep *p, size_t *from, size_t *len)
{
	*from = p->i;
	size_t end = p->i;
	while (p->i < p->n) {
		if (is_name_char((unsigned char)p->s[p->i])) {
			p->i++;
			end = p->i;
		} else if (p->s[p->i] == ' ' && end > *from) {
			size_t j = p->i;
			while (j < p->n && p->s[j] == ' ')
				j++;
			if (j < p->n && is_name_char((unsigned char)p->s[j]))
				p->i = j;
			else
				break;
		} else {
			break;
		}
	}
	p->i = end;
	*len = end - *from;
}

static char *lower_dup(qes_arena *a, const char *s, size_t n)
{
	char *d = qes__arena_strndup(a, s, n);
	if (d)
		for (char *c = d; *c; c++)
			*c = (char)tolower((unsigned char)*c);
	return d;
}

static int define_macros(ep *p)
{
	for (;;) {
		ep_space(p);
		if (p->i < p->n && p->s[p->i] == p->closer)
			return 0;
		size_t from, nl;
		ep_name(p, &from, &nl);
		if (!nl) {
			if (p->i >= p->n)
				return ep_unclosed(p, p->i, NULL);
			return ep_bad(p, p->i, NULL, "@string needs 'name = value'");
		}
		char name[256];
		snprintf(name, sizeof(name), "%.*s", (int)(nl < 255 ? nl : 255), p->s + from);
		ep_space(p);
		if (p->i >= p->n || p->s[p->i] != '=')
			return p->i >= p->n ? ep_unclosed(p, p->i, NULL) :
			       ep_bad(p, p->i, name, "expected '=' after @string name '%s'", name);
		p->i++;
		int rc = ep_value(p, name);
		if (rc)
			return rc;
		if (p->b->macros.n >= QES_MAX_BIBTEX_MACROS ||
		    p->b->macro_bytes + p->val.len > QES_MAX_BIBTEX_MACRO_BYTES)
			return ep_bad(p, from, name, "more than %d @string macros or %u bytes of them",
				      QES_MAX_BIBTEX_MACROS, QES_MAX_BIBTEX_MACRO_BYTES);
		char *k = qes__arena_strdup(&p->b->keep, name);
		char *v = qes__arena_strndup(&p->b->keep, p->val.buf, p->val.len);
		if (!k || !v || smap_put(&p->b->macros, k, v))
			return qes_error_set(p->b->err, QES_ENOMEM, "out of memory");
		p->b->macro_bytes += p->val.len;
		ep_space(p);
		if (p->i < p->n && p->s[p->i] == ',')
			p->i++;
		else if (p->i >= p->n)
			return ep_unclosed(p, p->i, NULL);
		else if (p->s[p->i] != p->closer)
			return ep_bad(p, p->i, name, "unexpected '%c' after @string %s",
				      p->s[p->i], name);
	}
}

static int ep_key(ep *p, bentry *e)
{
	ep_space(p);
	size_t from = p->i;
	while (p->i < p->n) {
		char c = p->s[p->i];
		if (c == ',' || c == p->closer || isspace((unsigned char)c) || c == '=' ||
		    c == '{' || c == '}' || c == '"' || c == '#' || c == '%')
			break;
		p->i++;
	}
	size_t end = p->i;
	ep_space(p);
	if (p->i < p->n && p->s[p->i] == '=') {
		p->i = from;   /* no key: this was the first field name */
		return 0;
	}
	if (end > from) {
		e->key = qes__arena_strndup(p->b->a, p->s + from, end - from);
		if (!e->key)
			return qes_error_set(p->b->err, QES_ENOMEM, "out of memory");
		p->key = e->key;
	}
	if (p->i < p->n && p->s[p->i] == ',')
		p->i++;
	return 0;
}

static int ep_fields(ep *p, bentry *e)
{
	const char *prev = NULL;
	for (;;) {
		ep_space(p);
		while (p->i < p->n && p->s[p->i] == ',') {   /* comma-first, doubled */
			p->i++;
			ep_space(p);
		}
		if (p->i >= p->n)
			return ep_unclosed(p, p->i, NULL);
		if (p->s[p->i] == p->closer)
			return 0;
		size_t from, nl;
		ep_name(p, &from, &nl);
		if (!nl)
			return ep_bad(p, p->i, prev, "unexpected '%c' where a field name should be%s%s",
				      p->s[p->i], prev ? " after " : "", prev ? prev : "");
		char *name = lower_dup(p->b->a, p->s + from, nl);
		if (!name)
			return qes_error_set(p->b->err, QES_ENOMEM, "out of memory");
		ep_space(p);
		if (p->i >= p->n)
			return ep_unclosed(p, p->i, NULL);
		if (p->s[p->i] != '=')
			return ep_bad(p, p->i, name, "expected '=' after field name '%s'", name);
		p->i++;
		int rc = ep_value(p, name);
		if (rc)
			return rc;
		p->expanded += p->val.len;
		if (p->expanded > QES_MAX_RECORD || e->n >= QES_MAX_FIELDS)
			return ep_bad(p, from, name, "the entry is larger than %u bytes or %d fields",
				      QES_MAX_RECORD, QES_MAX_FIELDS);
		char *v = qes__arena_strndup(p->b->a, p->val.buf, p->val.len);
		if (!v || push_field(p->b->a, e, name, v))
			return qes_error_set(p->b->err, QES_ENOMEM, "out of memory");
		prev = name;
		if (p->i >= p->n)
			return ep_unclosed(p, p->i, NULL);
		char c = p->s[p->i];
		if (c == ',') {
			p->i++;
		} else if (c != p->closer) {
			size_t save = p->i, f2, l2;
			ep_name(p, &f2, &l2);
			ep_space(p);
			if (l2 && p->i < p->n && p->s[p->i] == '=') {
				/* "title = {A}\n year = {B}": a comma was forgotten.
				 * What the user meant is plain; read on and say so. */
				qes__sink_warnf(p->b->sink, p->b->file, ep_line(p, p->vend),
						"entry '%s': missing ',' after field '%s'",
						p->key ? p->key : "", name);
				p->i = save;
			} else {
				return ep_bad(p, save, name, "unexpected '%c' after the value of '%s'",
					      c, name);
			}
		}
	}
}

/* Parses the entry text in b->raw. Returns 0 (done or skipped) or < 0. */
static int parse_entry(bib *b, int complete)
{
	ep p = { .b = b, .s = b->raw.buf, .n = b->raw.len, .complete = complete };
	qes__strbuf_init(&p.val, QES_MAX_MACRO_EXPANSION);
	int rc = 0;
	bentry e;
	memset(&e, 0, sizeof(e));
	e.line = b->line;
	e.raw = b->raw.buf;
	e.raw_len = b->raw.len;
	/* skip '@', the type, space and the opener (the scanner checked them) */
	p.i = 1;
	while (p.i < p.n && p.s[p.i] != '{' && p.s[p.i] != '(')
		p.i++;
	p.closer = p.i < p.n && p.s[p.i] == '(' ? ')' : '}';
	p.i++;
	if (!strcasecmp(b->type, "comment") || !strcasecmp(b->type, "preamble")) {
		if (!complete)
			rc = ep_unclosed(&p, 0, NULL);
		goto out;
	}
	if (!strcasecmp(b->type, "string")) {
		rc = define_macros(&p);
		goto out;
	}
	e.type = qes__arena_strdup(b->a, b->type);
	if (!e.type) {
		rc = qes_error_set(b->err, QES_ENOMEM, "out of memory");
		goto out;
	}
	rc = ep_key(&p, &e);
	if (!rc)
		rc = ep_fields(&p, &e);
	if (rc)
		goto out;
	if (!complete) {
		rc = ep_unclosed(&p, 0, NULL);
		goto out;
	}
	const char *xr = field(&e, "crossref");
	if (xr) {
		e.crossref = qes__latex_verbatim(b->a, xr);
		if (!e.crossref) {
			rc = qes_error_set(b->err, QES_ENOMEM, "out of memory");
			goto out;
		}
		if (!*e.crossref)
			e.crossref = NULL;
	}
	rc = entry_done(b, &e);
out:
	qes__strbuf_release(&p.val);
	if (rc > 0)
		rc = 0;   /* reported and skipped */
	qes__arena_reset(b->a);
	return rc;
}

/* ------------------------------------------------------------------------
 * The scanner. */

/* 1 if the line starts (after blanks) with "@type{" or "@type(". */
static int starts_entry(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || s[i] != '@')
		return 0;
	size_t t = ++i;
	while (i < n && isalpha((unsigned char)s[i]))
		i++;
	if (i == t)
		return 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < n && (s[i] == '{' || s[i] == '(');
}

static int raw_add(bib *b, const char *s, size_t n)
{
	int rc = qes__strbuf_add(&b->raw, s, n);
	if (rc == QES_ELIMIT) {
		b->st = S_SKIP;
		rc = qes__sink_badf(b->sink, b->err, b->file, b->line, NULL,
				    "entry at line %ld is longer than %u bytes (not closed?)",
				    b->line, QES_MAX_RECORD);
		return rc < 0 ? rc : 1;
	}
	return rc ? qes_error_set(b->err, rc, "out of memory") : 0;
}

static int end_entry(bib *b, int complete)
{
	b->st = S_OUT;
	int rc = parse_entry(b, complete);
	qes__strbuf_reset(&b->raw);
	return rc;
}

/* After "@type": the opener, maybe after blanks. Returns 0 or < 0. */
static int scan_open(bib *b, const char *s, size_t n, size_t *pos)
{
	size_t i = *pos;
	int rc = 0;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	*pos = i;
	if (i == n)
		return 0;
	if (s[i] != '{' && s[i] != '(') {
		b->st = S_OUT;
		/* At a line start this was meant as an entry; inside comment
		 * text ("see @misc for") it was not. */
		if (b->at_line_start)
			rc = qes__sink_badf(b->sink, b->err, b->file, b->line, NULL,
					    "'@%s' is not followed by '{' or '('", b->type);
		else
			qes__sink_warnf(b->sink, b->file, b->line,
					"'@%s' outside an entry is not followed by "
					"'{' or '(': read as a comment", b->type);
		return rc;
	}
	b->closer = s[i] == '{' ? '}' : ')';
	b->depth = 0;
	b->in_quote = 0;
	b->is_comment = !strcasecmp(b->type, "comment");
	b->st = S_BODY;
	*pos = i + 1;
	return 0;
}

/* Where the entry body closes on this line (the closer's index), or n.
 * Braces count everywhere, as in BibTeX; quotes and '%' comments only
 * between fields, and not in @comment. */
static size_t body_end(bib *b, const char *s, size_t i, size_t n)
{
	for (; i < n; i++) {
		char c = s[i];
		if (c == '{') {
			b->depth++;
		} else if (c == '}' && b->depth > 0) {
			b->depth--;
		} else if (b->in_quote) {
			if (c == '"' && b->depth == 0)
				b->in_quote = 0;
		} else if (b->depth == 0 && c == b->closer) {
			return i;
		} else if (b->depth == 0 && !b->is_comment) {
			if (c == '"')
				b->in_quote = 1;
			else if (c == '%')
				return n;   /* a comment between fields */
		}
	}
	return n;
}

static int scan_line(bib *b, const char *s, size_t n)
{
	size_t i = 0, seg = 0;
	int rc = 0;
	if (b->st == S_SKIP) {
		if (!starts_entry(s, n))
			return 0;
		b->st = S_OUT;
	} else if (b->st == S_BODY && !b->is_comment) {
		if (starts_entry(s, n)) {
			rc = end_entry(b, 0);
			if (rc)
				return rc;
		}
	}
	while (i < n) {
		switch (b->st) {
		case S_SKIP:
			return 0;
		case S_OUT:
			for (; i < n; i++) {
				if (s[i] == '%')
					return 0;
				if (s[i] == '@' && (i == 0 || !isalnum((unsigned char)s[i - 1])))
					break;
			}
			if (i == n)
				return 0;
			qes__strbuf_reset(&b->raw);
			b->line = qes__reader_lineno(b->r);
			b->at_line_start = 1;
			for (size_t k = 0; k < i; k++)
				if (!isspace((unsigned char)s[k]))
					b->at_line_start = 0;
			b->type_len = 0;
			b->st = S_TYPE;
			seg = i++;
			break;
		case S_TYPE:
			while (i < n && isalpha((unsigned char)s[i])) {
				if (b->type_len + 1 < sizeof(b->type))
					b->type[b->type_len++] = s[i];
				i++;
			}
			b->type[b->type_len] = '\0';
			/* a lone '@' is comment text */
			b->st = b->type_len ? S_OPEN : S_OUT;
			break;
		case S_OPEN:
			rc = scan_open(b, s, n, &i);
			if (rc)
				return rc;
			break;
		case S_BODY:
			i = body_end(b, s, i, n);
			if (i == n)
				break;
			i++;
			rc = raw_add(b, s + seg, i - seg);
			if (rc)
				return rc > 0 ? 0 : rc;
			rc = end_entry(b, 1);
			if (rc)
				return rc;
			break;
		}
	}
	if (b->st == S_TYPE || b->st == S_OPEN || b->st == S_BODY) {
		rc = raw_add(b, s + seg, n - seg);
		if (!rc)
			rc = raw_add(b, "\n", 1);
		if (rc > 0)
			rc = 0;
	}
	return rc;
}

int qes__parse_bibtex(qes_reader *r, qes_arena *a, qes_sink *sink, qes_error *err)
{
	bib b;
	memset(&b, 0, sizeof(b));
	b.r = r;
	b.a = a;
	b.sink = sink;
	b.err = err;
	b.file = qes__reader_name(r);
	qes__arena_init(&b.keep, 64 * 1024);
	qes__strbuf_init(&b.raw, QES_MAX_RECORD);
	int rc = 0;
	char *line;
	size_t len;
	for (;;) {
		rc = qes__reader_getline(r, &line, &len, err);
		if (rc <= 0)
			break;
		rc = scan_line(&b, line, len);
		if (rc)
			goto out;
	}
	if (rc < 0)
		goto out;
	if (b.st == S_BODY || (b.st == S_OPEN && !b.is_comment)) {
		if (b.st == S_OPEN)
			rc = qes__sink_badf(sink, err, b.file, b.line, NULL,
					    "'@%s' at the end of the file has no body", b.type);
		else
			rc = end_entry(&b, 0);
		if (rc)
			goto out;
	}
	rc = flush_waiting(&b);
out:
	qes__strbuf_release(&b.raw);
	smap_free(&b.macros);
	smap_free(&b.entries);
	qes__arena_free(&b.keep);
	return rc;
}
