/* record.c: record helpers shared by the parsers, and the common
 * normalisation every imported record goes through. */
#include "parser.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <utf8proc.h>

const char *const qes_record_field_names[] = {
	"source_key", "type", "type_raw", "title", "abstract", "authors", "year",
	"date", "journal", "volume", "issue", "pages", "doi", "pmid", "issn",
	"isbn", "keywords", "language", "url", "publisher", "database", "notes",
	NULL
};

const char *qes_record_extra(const qes_record *rec, const char *name)
{
	for (size_t i = 0; i + 1 < rec->extra.n; i += 2)
		if (!strcasecmp(rec->extra.items[i], name))
			return rec->extra.items[i + 1];
	return NULL;
}

void qes__record_init(qes_record *rec)
{
	memset(rec, 0, sizeof(*rec));
}

int qes__strlist_push(qes_strlist *l, qes_arena *a, char *s)
{
	if (l->n == l->alloc) {
		size_t n = l->alloc ? l->alloc * 2 : 8;
		char **items = qes__arena_alloc(a, n * sizeof(*items));
		if (!items)
			return QES_ENOMEM;
		if (l->n)
			memcpy(items, l->items, l->n * sizeof(*items));
		l->items = items;
		l->alloc = n;
	}
	l->items[l->n++] = s;
	return 0;
}

int qes__field_append(char **field, qes_arena *a, const char *s, const char *sep)
{
	if (!*field) {
		*field = qes__arena_strdup(a, s);
		return *field ? 0 : QES_ENOMEM;
	}
	size_t n1 = strlen(*field), n2 = strlen(sep), n3 = strlen(s);
	char *p = qes__arena_alloc(a, n1 + n2 + n3 + 1);
	if (!p)
		return QES_ENOMEM;
	memcpy(p, *field, n1);
	memcpy(p + n1, sep, n2);
	memcpy(p + n1 + n2, s, n3 + 1);
	*field = p;
	return 0;
}

int qes__year_from(const char *s)
{
	if (!s)
		return 0;
	for (const char *p = s; *p; p++) {
		if ((p == s || !isdigit((unsigned char)p[-1])) &&
		    (p[0] == '1' || p[0] == '2') && isdigit((unsigned char)p[1]) &&
		    isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
		    !isdigit((unsigned char)p[4]))
			return (p[0] - '0') * 1000 + (p[1] - '0') * 100 +
			       (p[2] - '0') * 10 + (p[3] - '0');
	}
	return 0;
}

int qes__sink_badf(qes_sink *s, qes_error *err, const char *file, long line,
		   const char *field, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!s->bad)
		return qes_error_at(err, QES_EFORMAT, file, line, field, "%s", msg);
	return s->bad(s, file, line, field, msg, err);
}

void qes__sink_warnf(qes_sink *s, const char *file, long line, const char *fmt, ...)
{
	if (!s->warn)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->warn(s, file, line, msg);
}

/* Collapses every run of white space (ASCII, NBSP and the Unicode spaces
 * exports use) into one space, drops other control characters, trims both
 * ends, in place. Returns NULL when nothing is left, so empty fields are
 * absent fields. */
static char *clean_space(char *s)
{
	if (!s)
		return NULL;
	unsigned char *r = (unsigned char *)s, *w = (unsigned char *)s;
	int space = 1;   /* pending: drop leading space */
	while (*r) {
		/* Fast path: printable ASCII words with single spaces between
		 * them, which is most of any text. */
		if (*r > 0x20 && *r < 0x7F) {
			do {
				*w++ = *r++;
				if (*r == ' ' && r[1] > 0x20 && r[1] < 0x7F)
					*w++ = *r++;
			} while (*r > 0x20 && *r < 0x7F);
			space = 0;
			continue;
		}
		size_t skip = 0;
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r' ||
		    *r == '\v' || *r == '\f')
			skip = 1;
		else if (r[0] == 0xC2 && r[1] == 0xA0)
			skip = 2;    /* no-break space */
		else if (r[0] == 0xE2 && r[1] == 0x80 &&
			 ((r[2] >= 0x80 && r[2] <= 0x8A) || r[2] == 0xAF))
			skip = 3;    /* en/em/thin spaces, narrow NBSP */
		else if (r[0] == 0xE2 && r[1] == 0x80 && r[2] == 0x8B) {
			r += 3;      /* zero-width space: drop */
			continue;
		} else if (*r < 0x20 || *r == 0x7F) {
			r++;
			continue;
		}
		if (skip) {
			if (!space) {
				*w++ = ' ';
				space = 1;
			}
			r += skip;
			continue;
		}
		*w++ = *r++;
		space = 0;
	}
	if (w > (unsigned char *)s && w[-1] == ' ')
		w--;
	*w = '\0';
	return *s ? s : NULL;
}

static void clean_list(qes_strlist *l)
{
	size_t w = 0;
	for (size_t i = 0; i < l->n; i++) {
		char *v = clean_space(l->items[i]);
		if (v)
			l->items[w++] = v;
	}
	l->n = w;
}

/* DOIs are case-insensitive (the DOI handbook): store them lower-case,
 * without resolver prefixes, trailing punctuation or a second DOI. */
static char *clean_doi(char *d)
{
	d = clean_space(d);
	if (!d)
		return NULL;
	char *ten = strstr(d, "10.");
	if (!ten)
		return NULL;   /* not a DOI at all ("N/A", a URL elsewhere) */
	d = ten;
	char *w = d;
	for (char *r = d; *r && *r != ' ' && *r != ';' && *r != ','; r++)
		*w++ = (char)tolower((unsigned char)*r);
	*w = '\0';
	while (w > d && (w[-1] == '.' || w[-1] == ']' || w[-1] == ')'))
		*--w = '\0';
	if (!strchr(d, '/'))
		return NULL;
	return d;
}

/* "123 - 130", "123–130" -> "123-130". */
static char *clean_pages(char *p)
{
	p = clean_space(p);
	if (!p)
		return NULL;
	char *w = p;
	for (char *r = p; *r;) {
		if ((unsigned char)r[0] == 0xE2 && (unsigned char)r[1] == 0x80 &&
		    ((unsigned char)r[2] == 0x93 || (unsigned char)r[2] == 0x94)) {
			*w++ = '-';
			r += 3;
		} else if (*r == ' ' && (r[1] == '-' || (w > p && w[-1] == '-'))) {
			r++;
		} else if (*r == '-' && r[1] == '-') {
			r++;     /* BibTeX "123--130" */
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return *p ? p : NULL;
}

/* Page ranges that end in a non-page ("1137-+", Web of Science's "and
 * following pages"): only the first page is known. */
static char *drop_open_end(char *p)
{
	char *dash = p ? strrchr(p, '-') : NULL;
	if (!dash)
		return p;
	for (const char *q = dash + 1; *q; q++)
		if (isalnum((unsigned char)*q))
			return p;
	*dash = '\0';
	return *p ? p : NULL;
}

/* Several ISSNs ("1939-1676 0891-6640", "1939-1676, 0891-6640") are listed
 * one way: "; "-separated. */
static char *clean_issn(char *s, qes_arena *a)
{
	s = clean_space(s);
	if (!s || !strpbrk(s, " ,;"))
		return s;
	char *out = qes__arena_alloc(a, strlen(s) * 2 + 1), *w = out;
	if (!out)
		return s;
	for (char *tok = s; *tok;) {
		size_t n = strcspn(tok, " ,;");
		if (n) {
			if (w != out) {
				*w++ = ';';
				*w++ = ' ';
			}
			memcpy(w, tok, n);
			w += n;
		}
		tok += n;
		tok += strspn(tok, " ,;");
	}
	*w = '\0';
	return *out ? out : NULL;
}

/* "123-123" is page 123. */
static char *single_page(char *p)
{
	char *dash = p ? strchr(p, '-') : NULL;
	if (dash && strchr(dash + 1, '-') == NULL && (size_t)(dash - p) == strlen(dash + 1) &&
	    !strncmp(p, dash + 1, (size_t)(dash - p)))
		*dash = '\0';
	return p;
}

/* An ISSN ("0449-3087") filed as an ISBN, as BibTeX and CSV exports do. */
static int issn_shaped(const char *s)
{
	return s && strlen(s) == 9 && s[4] == '-' && strspn(s, "0123456789") == 4 &&
	       strspn(s + 5, "0123456789") >= 3 && strspn(s + 5, "0123456789Xx") == 4;
}

/* One Unicode form for every format: NFC, as BibTeX's accent commands
 * produce it ({\'e} is U+00E9), so an e followed by U+0301 from RIS or CSV
 * compares, searches and deduplicates the same. Only text with a byte
 * >= 0x80 is looked at; the raw text keeps what the file had. Returns s
 * or its NFC form in the arena; NULL with *oom set when out of memory. */
static char *nfc(char *s, qes_arena *a, int *oom)
{
	const unsigned char *p = (const unsigned char *)s;
	while (p && *p && *p < 0x80)
		p++;
	if (!p || !*p)
		return s;
	utf8proc_uint8_t *n = utf8proc_NFC((const utf8proc_uint8_t *)s);
	if (!n)
		return s;   /* not valid UTF-8 (the reader decodes, so never) */
	char *out = s;
	if (strcmp((const char *)n, s)) {
		out = qes__arena_strndup(a, (const char *)n, strlen((const char *)n));
		if (!out)
			*oom = 1;
	}
	free(n);
	return out;
}

static int nfc_fields(qes_record *rec, qes_arena *a)
{
	int oom = 0;
	char **fields[] = {
		&rec->title, &rec->abstract, &rec->type_raw, &rec->date, &rec->journal,
		&rec->volume, &rec->issue, &rec->pages, &rec->language, &rec->publisher,
		&rec->database, &rec->notes,
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]) && !oom; i++)
		*fields[i] = nfc(*fields[i], a, &oom);
	qes_strlist *lists[] = { &rec->authors, &rec->keywords };
	for (size_t l = 0; l < 2 && !oom; l++)
		for (size_t i = 0; i < lists[l]->n && !oom; i++)
			lists[l]->items[i] = nfc(lists[l]->items[i], a, &oom);
	return oom ? QES_ENOMEM : 0;
}

int qes__record_normalise(qes_record *rec, qes_arena *a)
{
	rec->source_key = clean_space(rec->source_key);
	rec->type_raw = clean_space(rec->type_raw);
	rec->title = clean_space(rec->title);
	rec->abstract = clean_space(rec->abstract);
	rec->date = clean_space(rec->date);
	rec->journal = clean_space(rec->journal);
	rec->volume = clean_space(rec->volume);
	rec->issue = clean_space(rec->issue);
	rec->pages = single_page(drop_open_end(clean_pages(rec->pages)));
	rec->doi = clean_doi(rec->doi);
	rec->pmid = clean_space(rec->pmid);
	rec->issn = clean_issn(rec->issn, a);
	rec->isbn = clean_space(rec->isbn);
	if (issn_shaped(rec->isbn) && !rec->issn) {
		rec->issn = rec->isbn;
		rec->isbn = NULL;
	}
	rec->language = clean_space(rec->language);
	rec->url = clean_space(rec->url);
	rec->publisher = clean_space(rec->publisher);
	rec->database = clean_space(rec->database);
	rec->notes = clean_space(rec->notes);
	clean_list(&rec->authors);
	clean_list(&rec->keywords);
	if (nfc_fields(rec, a))
		return QES_ENOMEM;
	if (rec->year < 1000 || rec->year > 2999)
		rec->year = 0;
	if (!rec->year)
		rec->year = qes__year_from(rec->date);
	/* A date that is only the year says nothing the year does not; keeping
	 * it in some formats and not others would make exports disagree. */
	if (rec->date && strlen(rec->date) == 4 && qes__year_from(rec->date) == rec->year)
		rec->date = NULL;
	if (!rec->type)
		rec->type = (char *)QES_TYPE_OTHER;
	if (rec->pmid) {
		/* "PMID: 12345678 [Indexed for MEDLINE]" -> "12345678" */
		char *p = rec->pmid;
		while (*p && !isdigit((unsigned char)*p))
			p++;
		char *e = p;
		while (isdigit((unsigned char)*e))
			e++;
		*e = '\0';
		rec->pmid = *p ? p : NULL;
	}
	return 0;
}
