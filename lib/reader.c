/* reader.c: see reader.h.
 *
 * Two buffers: raw bytes as read from the file, and decoded UTF-8 text.
 * For UTF-8 input the decoded buffer is filled by copying (cheap next to
 * parsing), which keeps one code path for all encodings. Lines are cut in
 * the decoded buffer with memchr, so LF files cost two memchr passes. */
#include "reader.h"
#include "qes/limits.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CHUNK (1u << 20)

struct qes_reader {
	char name[512];
	FILE *fp;                   /* NULL for memory input */
	const unsigned char *mem;   /* memory input */
	size_t mem_len, mem_pos;
	iconv_t cd;                 /* (iconv_t)-1 for UTF-8 */
	int eof;                    /* no more raw input */
	int bom_checked;
	unsigned long long offset;  /* raw bytes consumed */

	unsigned char *raw;         /* raw bytes not yet decoded */
	size_t raw_len, raw_alloc;

	char *text;                 /* decoded text; [text_pos, text_len) unread */
	size_t text_pos, text_len, text_alloc;

	long lineno;
};

static int is_utf8_name(const char *e)
{
	return !e || !strcasecmp(e, "UTF-8") || !strcasecmp(e, "UTF8");
}

static int reader_new(qes_reader **out, const char *name, const char *encoding,
		      size_t size_hint, qes_error *err)
{
	qes_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	snprintf(r->name, sizeof(r->name), "%s", name ? name : "<input>");
	r->cd = (iconv_t)-1;
	if (!is_utf8_name(encoding)) {
		r->cd = iconv_open("UTF-8", encoding);
		if (r->cd == (iconv_t)-1) {
			free(r);
			return qes_error_at(err, QES_EINVAL, name, 0, NULL,
					    "unknown encoding '%s'", encoding);
		}
	}
	/* Small inputs (tests, fuzzing, memory blocks) get small buffers. */
	r->raw_alloc = size_hint && size_hint < CHUNK ? size_hint + 16 : CHUNK;
	r->raw = malloc(r->raw_alloc);
	r->text_alloc = r->raw_alloc * 4 + 16;
	r->text = malloc(r->text_alloc);
	if (!r->raw || !r->text) {
		qes__reader_free(r);
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	*out = r;
	return 0;
}

int qes__reader_open_file(qes_reader **out, const char *path,
			  const char *encoding, qes_error *err)
{
	*out = NULL;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return qes_error_at(err, QES_EIO, path, 0, NULL, "cannot open: %s",
				    strerror(errno));
	qes_reader *r;
	int rc = reader_new(&r, path, encoding, 0, err);
	if (rc) {
		fclose(fp);
		return rc;
	}
	r->fp = fp;
	*out = r;
	return 0;
}

int qes__reader_open_mem(qes_reader **out, const char *name, const void *data,
			 size_t len, const char *encoding, qes_error *err)
{
	*out = NULL;
	qes_reader *r;
	int rc = reader_new(&r, name, encoding, len, err);
	if (rc)
		return rc;
	r->mem = data;
	r->mem_len = len;
	*out = r;
	return 0;
}

/* Appends more raw bytes; sets eof when the input is exhausted. */
static int fill_raw(qes_reader *r, qes_error *err)
{
	size_t room = r->raw_alloc - r->raw_len;
	size_t got;
	if (r->fp) {
		got = fread(r->raw + r->raw_len, 1, room, r->fp);
		if (got < room) {
			if (ferror(r->fp))
				return qes_error_at(err, QES_EIO, r->name, r->lineno, NULL,
						    "read error: %s", strerror(errno));
			r->eof = 1;
		}
	} else {
		size_t left = r->mem_len - r->mem_pos;
		got = left < room ? left : room;
		memcpy(r->raw + r->raw_len, r->mem + r->mem_pos, got);
		r->mem_pos += got;
		if (r->mem_pos == r->mem_len)
			r->eof = 1;
	}
	r->raw_len += got;
	r->offset += got;
	return 0;
}

static int text_reserve(qes_reader *r, size_t need)
{
	if (r->text_pos > 0) {
		memmove(r->text, r->text + r->text_pos, r->text_len - r->text_pos);
		r->text_len -= r->text_pos;
		r->text_pos = 0;
	}
	if (r->text_len + need + 1 <= r->text_alloc)
		return 0;
	size_t n = r->text_alloc;
	while (n < r->text_len + need + 1)
		n *= 2;
	char *p = realloc(r->text, n);
	if (!p)
		return QES_ENOMEM;
	r->text = p;
	r->text_alloc = n;
	return 0;
}

/* Decodes whatever raw bytes there are into text. Returns 0, or <0. */
static int decode(qes_reader *r, qes_error *err)
{
	unsigned char *src = r->raw;
	size_t srclen = r->raw_len;
	if (!r->bom_checked) {
		/* Wait for enough bytes to see a whole BOM (or the end). */
		if (srclen < 4 && !r->eof)
			return 0;
		r->bom_checked = 1;
		if (r->cd == (iconv_t)-1 && srclen >= 3 &&
		    src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF) {
			src += 3;
			srclen -= 3;
		}
	}
	if (r->cd == (iconv_t)-1) {
		if (text_reserve(r, srclen))
			return qes_error_set(err, QES_ENOMEM, "out of memory");
		memcpy(r->text + r->text_len, src, srclen);
		r->text_len += srclen;
		r->raw_len = 0;
		return 0;
	}
	/* UTF-8 needs at most 3 bytes per input byte for 8-bit encodings and
	 * 3 per 2 bytes for UTF-16. */
	if (text_reserve(r, srclen * 3 + 4))
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	char *in = (char *)src;
	size_t inleft = srclen;
	char *outp = r->text + r->text_len;
	size_t outleft = r->text_alloc - r->text_len - 1;
	size_t res = iconv(r->cd, &in, &inleft, &outp, &outleft);
	r->text_len = (size_t)(outp - r->text);
	if (res == (size_t)-1 && errno == EILSEQ)
		return qes_error_at(err, QES_EFORMAT, r->name, r->lineno + 1, NULL,
				    "bytes that are not valid in the assumed encoding "
				    "(near byte %llu); give the right one with --encoding",
				    r->offset - r->raw_len + (unsigned long long)(in - (char *)r->raw));
	/* EINVAL: an incomplete sequence at the end of the chunk; keep it. */
	memmove(r->raw, in, inleft);
	r->raw_len = inleft;
	if (r->eof && inleft)
		return qes_error_at(err, QES_EFORMAT, r->name, r->lineno + 1, NULL,
				    "the file ends in the middle of a character (truncated?)");
	return 0;
}

/* Makes more decoded text available. Returns 1 if some was added, 0 at end. */
static int more_text(qes_reader *r, qes_error *err)
{
	while (!r->eof) {
		size_t before = r->text_len - r->text_pos;
		int rc = fill_raw(r, err);
		if (rc)
			return rc;
		rc = decode(r, err);
		if (rc)
			return rc;
		if (r->text_len - r->text_pos > before)
			return 1;
	}
	if (r->raw_len) {
		int rc = decode(r, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int emit_line(qes_reader *r, char *start, size_t n, size_t skip,
		     char **line, size_t *len, qes_error *err)
{
	if (n > QES_MAX_LINE)
		return qes_error_at(err, QES_ELIMIT, r->name, r->lineno + 1, NULL,
				    "line longer than %u bytes", QES_MAX_LINE);
	start[n] = '\0';
	if (memchr(start, '\0', n))
		return qes_error_at(err, QES_EFORMAT, r->name, r->lineno + 1, NULL,
				    "NUL byte in text: this looks like a binary file, not an export");
	r->text_pos += skip;
	r->lineno++;
	*line = start;
	*len = n;
	return 1;
}

int qes__reader_getline(qes_reader *r, char **line, size_t *len, qes_error *err)
{
	size_t scanned = 0;   /* bytes of the current line already searched */
	for (;;) {
		char *start = r->text + r->text_pos;
		size_t avail = r->text_len - r->text_pos;
		char *nl = memchr(start + scanned, '\n', avail - scanned);
		size_t seg = nl ? (size_t)(nl - start) : avail;
		char *cr = memchr(start + scanned, '\r', seg - scanned);
		char *end = cr ? cr : nl;
		/* A CR as the last byte we have could be half of a CRLF: read on
		 * before deciding, unless the input is over. */
		int cr_at_edge = end && end == cr && (size_t)(cr - start) + 1 == avail;
		if (end && (!cr_at_edge || r->eof)) {
			size_t n = (size_t)(end - start);
			size_t skip = n + 1;
			if (end == cr && n + 1 < avail && cr[1] == '\n')
				skip++;
			return emit_line(r, start, n, skip, line, len, err);
		}
		if (!end && r->eof) {
			if (avail == 0)
				return 0;
			/* The last line has no terminator; decode() always leaves
			 * room for a NUL after the text. */
			return emit_line(r, start, avail, avail, line, len, err);
		}
		if (avail > QES_MAX_LINE)
			return qes_error_at(err, QES_ELIMIT, r->name, r->lineno + 1, NULL,
					    "line longer than %u bytes", QES_MAX_LINE);
		scanned = end ? (size_t)(end - start) : avail;
		int rc = more_text(r, err);
		if (rc < 0)
			return rc;
		/* rc == 0: the input is over (eof is set); the loop finishes up.
		 * more_text may move the buffer; scanned is relative to text_pos. */
	}
}

long qes__reader_read(qes_reader *r, char *buf, size_t n, qes_error *err)
{
	if (r->text_pos == r->text_len) {
		int rc = more_text(r, err);
		if (rc < 0)
			return rc;
		if (rc == 0 && r->text_pos == r->text_len)
			return 0;
	}
	size_t avail = r->text_len - r->text_pos;
	if (n > avail)
		n = avail;
	memcpy(buf, r->text + r->text_pos, n);
	r->text_pos += n;
	return (long)n;
}

long qes__reader_lineno(const qes_reader *r) { return r->lineno; }
unsigned long long qes__reader_offset(const qes_reader *r) { return r->offset; }
const char *qes__reader_name(const qes_reader *r) { return r->name; }

void qes__reader_free(qes_reader *r)
{
	if (!r)
		return;
	if (r->fp)
		fclose(r->fp);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	free(r->raw);
	free(r->text);
	free(r);
}
