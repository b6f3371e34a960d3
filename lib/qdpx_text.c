/* qdpx_text.c: a source's plain text as another tool stored it, made qes's
 * own (no byte-order mark, LF line ends, NFC) with a map from the file's
 * code-point offsets to the stored text's, so every coding lands on the
 * same characters; and GUIDs derived from a seed.
 *
 * The map is built run by run: ASCII never combines with what precedes it,
 * and neither does a non-ASCII code point of combining class 0 that is not
 * a mark or a Hangul jamo; so the text splits before each such code point
 * into runs (the starter and the marks after it) normalised one by one.
 * The result is checked against normalising the whole text at once, and
 * an import stops rather than map offsets wrongly. */
#include "qdpx_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <utf8proc.h>
#include "qes/code.h"
#include "qes/limits.h"

static int map_add(qes__qdpx_map *m, long o, long n)
{
	if (m->len && m->o[m->len - 1] == o) {
		m->n[m->len - 1] = n;
		return 0;
	}
	if (m->len == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		long *no = realloc(m->o, cap * sizeof(long));
		if (!no)
			return QES_ENOMEM;
		m->o = no;
		long *nn = realloc(m->n, cap * sizeof(long));
		if (!nn)
			return QES_ENOMEM;
		m->n = nn;
		m->cap = cap;
	}
	m->o[m->len] = o;
	m->n[m->len++] = n;
	return 0;
}

/* Where a new run may start: nothing before it can combine with it. */
static int boundary(utf8proc_int32_t c)
{
	if (c < 0x80)
		return 1;
	const utf8proc_property_t *p = utf8proc_get_property(c);
	if (p->combining_class != 0)
		return 0;
	if (p->category == UTF8PROC_CATEGORY_MN || p->category == UTF8PROC_CATEGORY_MC ||
	    p->category == UTF8PROC_CATEGORY_ME)
		return 0;
	if ((c >= 0x1100 && c <= 0x11FF) || (c >= 0xA960 && c <= 0xA97F) ||
	    (c >= 0xD7B0 && c <= 0xD7FF) || (c >= 0x3130 && c <= 0x318F))
		return 0;
	return 1;
}

/* A single code point NFC leaves alone: no canonical decomposition. */
static int nfc_stable(utf8proc_int32_t c)
{
	const utf8proc_property_t *p = utf8proc_get_property(c);
	return p->decomp_seqindex == UINT16_MAX || p->decomp_type != 0;
}

typedef struct walk {
	const unsigned char *s;
	size_t len, i;
	long o, n, delta;
	qes_strbuf out;
	qes__qdpx_map *m;
} walk;

static int shift(walk *w, long o, long n)
{
	if (o - n == w->delta)
		return 0;
	w->delta = o - n;
	return map_add(w->m, o, n);
}

/* One run starting at a non-ASCII code point. */
static int run(walk *w, qes__qdpx_textinfo *info)
{
	size_t start = w->i;
	long cps = 0;
	utf8proc_int32_t c, first = 0;
	while (w->i < w->len) {
		utf8proc_ssize_t k = utf8proc_iterate(w->s + w->i, (utf8proc_ssize_t)(w->len - w->i), &c);
		if (k < 0)
			return QES_EFORMAT;
		if (cps && boundary(c))
			break;
		if (!cps)
			first = c;
		w->i += (size_t)k;
		cps++;
	}
	if (cps == 1 && nfc_stable(first)) {
		w->o++;
		w->n++;
		return qes__strbuf_add(&w->out, w->s + start, w->i - start);
	}
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t m = utf8proc_map(w->s + start, (utf8proc_ssize_t)(w->i - start), &nfc,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (m < 0)
		return m == UTF8PROC_ERROR_NOMEM ? QES_ENOMEM : QES_EFORMAT;
	long outcps = qes_code_byte_to_cp((const char *)nfc, (size_t)m);
	int rc = qes__strbuf_add(&w->out, nfc, (size_t)m);
	if (!rc && ((size_t)m != w->i - start || memcmp(nfc, w->s + start, (size_t)m)))
		info->nfc = 1;
	free(nfc);
	for (long k = 1; !rc && k <= cps; k++)
		rc = shift(w, w->o + k, w->n + (k < cps ? (k < outcps ? k : outcps) : outcps));
	w->o += cps;
	w->n += outcps;
	return rc;
}

int qes__qdpx_text(const char *raw, size_t len, char **text, size_t *tlen,
		   qes__qdpx_map *map, qes__qdpx_textinfo *info, qes_error *err)
{
	*text = NULL;
	memset(map, 0, sizeof(*map));
	memset(info, 0, sizeof(*info));
	if (len >= 3 && !memcmp(raw, "\xEF\xBB\xBF", 3)) {
		raw += 3;
		len -= 3;
		info->bom = 1;
	}
	if (memchr(raw, '\0', len))
		return qes_error_set(err, QES_EFORMAT, "the text holds a NUL byte (binary data?)");
	walk w = { (const unsigned char *)raw, len, 0, 0, 0, 0, { 0 }, map };
	qes__strbuf_init(&w.out, QES_MAX_SOURCE_BYTES);
	char *whole = NULL;
	size_t wlen = 0;
	int rc = map_add(map, 0, 0);
	while (!rc && w.i < len) {
		unsigned char ch = w.s[w.i];
		if (ch >= 0x80 || (ch != '\r' && w.i + 1 < len && w.s[w.i + 1] >= 0x80)) {
			/* A run starts here: a mark after an ASCII letter joins it. */
			rc = run(&w, info);
		} else if (ch == '\r') {
			rc = qes__strbuf_addch(&w.out, '\n');
			if (!rc && w.i + 1 < len && w.s[w.i + 1] == '\n') {
				/* CR and LF become one LF: the LF's offset means the same place. */
				info->crlf++;
				w.i += 2;
				w.o += 2;
				w.n += 1;
				rc = shift(&w, w.o - 1, w.n - 1);
				if (!rc)
					rc = shift(&w, w.o, w.n);
			} else {
				info->cr++;
				w.i++;
				w.o++;
				w.n++;
			}
		} else {
			rc = qes__strbuf_addch(&w.out, (char)ch);
			w.i++;
			w.o++;
			w.n++;
		}
	}
	if (rc == QES_EFORMAT) {
		rc = qes_error_set(err, rc, "the text is not valid UTF-8 (near byte %zu)", w.i);
		goto out;
	}
	if (rc == QES_ELIMIT) {
		rc = qes_error_set(err, rc, "the text is longer than %u bytes", QES_MAX_SOURCE_BYTES);
		goto out;
	}
	if (rc) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	/* The runs must add up to the whole text normalised at once. */
	if ((rc = qes_code_normalise(raw, len, &whole, &wlen, NULL, err)))
		goto out;
	if (wlen != w.out.len || memcmp(whole, qes__strbuf_str(&w.out), wlen)) {
		rc = qes_error_set(err, QES_EFORMAT, "cannot map offsets through Unicode normalisation"
				   " of this text");
		goto out;
	}
	map->file_cps = w.o;
	map->text_cps = w.n;
	*text = qes__strbuf_detach(&w.out, tlen);
out:
	free(whole);
	qes__strbuf_release(&w.out);
	if (rc)
		qes__qdpx_map_release(map);
	return rc;
}

long qes__qdpx_map_offset(const qes__qdpx_map *m, long o)
{
	if (!m->len)
		return o;
	size_t lo = 0, hi = m->len;   /* last entry with m->o <= o */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->o[mid] <= o)
			lo = mid;
		else
			hi = mid;
	}
	return m->n[lo] + (o - m->o[lo]);
}

void qes__qdpx_map_release(qes__qdpx_map *m)
{
	free(m->o);
	free(m->n);
	memset(m, 0, sizeof(*m));
}

static void format_guid(const unsigned char b[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

void qes__qdpx_guid_derive(const char *seed, const char *salt, char out[37])
{
	unsigned char b[16];
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, sizeof(b));
	crypto_generichash_update(&h, (const unsigned char *)salt, strlen(salt) + 1);
	crypto_generichash_update(&h, (const unsigned char *)seed, strlen(seed));
	crypto_generichash_final(&h, b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x80);   /* version 8: custom (RFC 9562) */
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	format_guid(b, out);
}

void qes__qdpx_guid_norm(const char *in, char out[37])
{
	size_t o = 0;
	for (const char *p = in; *p && o < 36; p++) {
		if (*p == '{' || *p == '}' || *p == ' ' || *p == '\t' || *p == '\n')
			continue;
		out[o++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
	}
	out[o] = '\0';
}
