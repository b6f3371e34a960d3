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
 * (bibtex_record.c maps the fields, bibtex_text.c converts the text). */
#include "parser.h"
#include "bibtex_entry.h"
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
 * Crossref resolution. */

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
				if (qes__bibtex_field(e, name))
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
	int rc = qes__bibtex_record(b->a, e, &rec);
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
	const char *ids = qes__bibtex_field(e, "ids");
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
			return qes__bibtex_month_name(abbr[i]);
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
	const char *xr = qes__bibtex_field(&e, "crossref");
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
