/* strbuf.c: see strbuf.h. */
#include "strbuf.h"
#include "qes/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void qes__strbuf_init(qes_strbuf *sb, size_t max)
{
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	sb->max = max;
}

static int grow(qes_strbuf *sb, size_t extra)
{
	if (extra > sb->max || sb->len > sb->max - extra)
		return QES_ELIMIT;
	size_t need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return 0;
	size_t n = sb->alloc ? sb->alloc : 64;
	while (n < need)
		n = n * 2;
	char *p = realloc(sb->buf, n);
	if (!p)
		return QES_ENOMEM;
	sb->buf = p;
	sb->alloc = n;
	return 0;
}

int qes__strbuf_add(qes_strbuf *sb, const void *data, size_t n)
{
	int rc = grow(sb, n);
	if (rc)
		return rc;
	if (n)
		memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return 0;
}

int qes__strbuf_addstr(qes_strbuf *sb, const char *s)
{
	return qes__strbuf_add(sb, s, strlen(s));
}

int qes__strbuf_addch(qes_strbuf *sb, char c)
{
	return qes__strbuf_add(sb, &c, 1);
}

int qes__strbuf_addf(qes_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return QES_EINVAL;
	int rc = grow(sb, (size_t)n);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
	return 0;
}

void qes__strbuf_reset(qes_strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void qes__strbuf_truncate(qes_strbuf *sb, size_t len)
{
	if (len < sb->len) {
		sb->len = len;
		sb->buf[len] = '\0';
	}
}

char *qes__strbuf_detach(qes_strbuf *sb, size_t *len)
{
	char *p = sb->buf;
	if (!p)
		p = calloc(1, 1);
	if (len)
		*len = sb->len;
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return p;
}

void qes__strbuf_release(qes_strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
}

const char *qes__strbuf_str(const qes_strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}
