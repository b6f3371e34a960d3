/* tagged.c: see tagged.h. */
#include "tagged.h"
#include "qes/limits.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void qes__tagged_init(qes__tagged *t, qes_reader *r, qes_arena *a,
		      qes_sink *sink, qes_error *err)
{
	memset(t, 0, sizeof(*t));
	t->r = r;
	t->a = a;
	t->sink = sink;
	t->err = err;
	t->file = qes__reader_name(r);
	qes__strbuf_init(&t->raw, QES_MAX_RECORD);
}

void qes__tagged_release(qes__tagged *t)
{
	qes__strbuf_release(&t->raw);
	free(t->f);
	t->f = NULL;
	t->nf = t->falloc = 0;
}

void qes__tagged_begin(qes__tagged *t, long line)
{
	qes__strbuf_reset(&t->raw);
	t->nf = 0;
	t->line = line;
}

int qes__tagged_line(qes__tagged *t, const char *s, size_t n, size_t *off)
{
	int rc = 0;
	if (t->raw.len)
		rc = qes__strbuf_addch(&t->raw, '\n');
	*off = t->raw.len;
	return rc ? rc : qes__strbuf_add(&t->raw, s, n);
}

int qes__tagged_field(qes__tagged *t, unsigned tag, long line, size_t off, size_t len)
{
	if (len > QES_MAX_FIELD)
		return QES_ELIMIT;
	if (t->nf == t->falloc) {
		if (t->nf >= QES_MAX_FIELDS)
			return QES_ELIMIT;
		size_t n = t->falloc ? t->falloc * 2 : 64;
		if (n > QES_MAX_FIELDS)
			n = QES_MAX_FIELDS;
		qes__tfield *f = realloc(t->f, n * sizeof(*f));
		if (!f)
			return QES_ENOMEM;
		t->f = f;
		t->falloc = n;
	}
	t->f[t->nf++] = (qes__tfield){ .tag = tag, .line = line, .off = off, .len = len };
	return 0;
}

int qes__tagged_extend(qes__tagged *t, size_t end)
{
	if (!t->nf)
		return 0;
	qes__tfield *f = &t->f[t->nf - 1];
	if (end - f->off > QES_MAX_FIELD)
		return QES_ELIMIT;
	f->len = end - f->off;
	return 0;
}

char *qes__tagged_value(qes__tagged *t, const qes__tfield *f)
{
	return qes__arena_strndup(t->a, t->raw.buf + f->off, f->len);
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char *qes__tagged_value_clean(qes__tagged *t, const qes__tfield *f)
{
	char *out = qes__arena_alloc(t->a, f->len + 1);
	if (!out)
		return NULL;
	const unsigned char *s = (const unsigned char *)t->raw.buf + f->off;
	size_t w = 0;
	int space = 1;
	for (size_t i = 0; i < f->len; i++) {
		if (is_space(s[i])) {
			if (!space)
				out[w++] = ' ';
			space = 1;
		} else {
			out[w++] = (char)s[i];
			space = 0;
		}
	}
	if (w && out[w - 1] == ' ')
		w--;
	out[w] = '\0';
	return out;
}

int qes__tagged_split(qes__tagged *t, const qes__tfield *f, const char *seps,
		      qes_strlist *l)
{
	char *v = qes__tagged_value(t, f);
	if (!v)
		return QES_ENOMEM;
	char *p = v;
	for (;;) {
		size_t n = strcspn(p, seps);
		int last = p[n] == '\0';
		p[n] = '\0';
		if (*p && qes__strlist_push(l, t->a, p))
			return QES_ENOMEM;
		if (last)
			return 0;
		p += n + 1;
	}
}

int qes__tagged_extra(qes__tagged *t, const qes__tfield *f, const char *name,
		      qes_record *rec)
{
	char *n = qes__arena_strdup(t->a, name);
	char *v = qes__tagged_value_clean(t, f);
	if (!n || !v || qes__strlist_push(&rec->extra, t->a, n) ||
	    qes__strlist_push(&rec->extra, t->a, v))
		return QES_ENOMEM;
	return 0;
}

int qes__tagged_set(qes__tagged *t, const qes__tfield *f, char **dst)
{
	if (*dst)
		return 0;
	*dst = qes__tagged_value(t, f);
	return *dst ? 0 : QES_ENOMEM;
}

static int is_idchar(char c)
{
	return (c >= '0' && c <= '9') || c == 'X' || c == 'x' || c == '-';
}

/* Adds item to a "; "-joined list unless it is there already. */
static int add_unique(qes_arena *a, char **list, const char *item)
{
	if (*list) {
		size_t n = strlen(item);
		for (const char *p = *list; (p = strstr(p, item)); p += n)
			if ((p == *list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ';'))
				return 0;
	}
	return qes__field_append(list, a, item, "; ");
}

int qes__tagged_issn_isbn(qes__tagged *t, const char *value, char **issn, char **isbn)
{
	int found = 0;
	const char *p = value;
	while (*p) {
		if (!is_idchar(*p)) {
			p++;
			continue;
		}
		const char *s = p;
		while (is_idchar(*p))
			p++;
		char digits[20];
		size_t nd = 0, bad = 0;
		for (const char *q = s; q < p; q++) {
			if (*q == '-')
				continue;
			/* X only as the check digit, the last character */
			if ((*q == 'X' || *q == 'x') && q + 1 != p)
				bad = 1;
			if (nd < sizeof(digits) - 1)
				digits[nd] = *q == 'x' ? 'X' : *q;
			nd++;
		}
		if (bad || nd > sizeof(digits) - 1)
			continue;
		digits[nd] = '\0';
		char item[24];
		char **dst;
		if (nd == 8) {
			memcpy(item, digits, 4);
			item[4] = '-';
			memcpy(item + 5, digits + 4, 5);
			dst = issn;
		} else if ((nd == 10 || (nd == 13 && digits[12] != 'X')) && digits[0] != 'X' &&
			   (size_t)(p - s) < sizeof(item)) {
			/* ISBNs as written: the hyphens carry the group and publisher. */
			memcpy(item, s, (size_t)(p - s));
			item[p - s] = '\0';
			dst = isbn;
		} else {
			continue;
		}
		if (add_unique(t->a, dst, item))
			return QES_ENOMEM;
		found = 1;
	}
	return found;
}

int qes__tagged_deliver(qes__tagged *t, qes_record *rec, size_t raw_len)
{
	while (raw_len && t->raw.buf[raw_len - 1] == '\n')
		raw_len--;
	if (t->raw.buf)
		t->raw.buf[raw_len] = '\0';
	rec->raw = t->raw.buf ? t->raw.buf : (char *)"";
	rec->raw_len = raw_len;
	rec->line = t->line;
	t->delivered++;
	int rc = t->sink->record(t->sink, rec, t->err);
	qes__arena_reset(t->a);
	return rc;
}

int qes__tagged_deliver_within(qes__tagged *t, qes_record *rec, size_t raw_len,
			       const char *authors_tag, const char *keywords_tag)
{
	if (rec->authors.n > QES_MAX_AUTHORS || rec->keywords.n > QES_MAX_KEYWORDS) {
		int au = rec->authors.n > QES_MAX_AUTHORS;
		size_t n = au ? rec->authors.n : rec->keywords.n;
		long line = t->line;
		qes__arena_reset(t->a);
		return qes__tagged_bad(t, line, au ? authors_tag : keywords_tag,
				       "%zu %s in one record (at most %d)", n,
				       au ? "authors" : "keywords",
				       au ? QES_MAX_AUTHORS : QES_MAX_KEYWORDS);
	}
	return qes__tagged_deliver(t, rec, raw_len);
}

int qes__tagged_bad(qes__tagged *t, long line, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	t->reported++;
	return qes__sink_badf(t->sink, t->err, t->file, line, field, "%s", msg);
}

int qes__tagged_nomem(qes__tagged *t)
{
	return qes_error_set(t->err, QES_ENOMEM, "out of memory");
}

int qes__tagged_limit(qes__tagged *t, int rc, long line, const char *field, int in_line)
{
	if (rc == QES_ENOMEM)
		return qes__tagged_nomem(t);
	if (in_line)
		return qes__tagged_bad(t, line, field, "record longer than %u bytes",
				       QES_MAX_RECORD);
	if (t->nf >= QES_MAX_FIELDS)
		return qes__tagged_bad(t, line, field, "more than %d fields in one record",
				       QES_MAX_FIELDS);
	return qes__tagged_bad(t, line, field, "field longer than %u bytes", QES_MAX_FIELD);
}

int qes__tagged_end(qes__tagged *t, const char *format, const char *start)
{
	if (t->delivered || t->reported || !t->text)
		return 0;
	return qes_error_at(t->err, QES_EFORMAT, t->file, 0, NULL,
			    "no %s records in this input: no line starts with \"%s\"",
			    format, start);
}
