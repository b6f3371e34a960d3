/* table.c: columns the terminal lines up. printf's "%-28s" counts bytes,
 * so a name with "ń" or "ø" (two bytes, one column) or a CJK character
 * (three bytes, two columns) pushed the rest of its row out of line. Every
 * table the CLI prints pads its text cells here, by display width
 * (utf8proc_charwidth). */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

const char *cli_s(long long n)
{
	return n == 1 ? "" : "s";
}

int cli_display_width(const char *s)
{
	int w = 0;
	utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s), i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, len - i, &cp);
		if (n <= 0) {           /* not UTF-8: one column per byte */
			w++, i++;
			continue;
		}
		int cw = utf8proc_charwidth(cp);
		w += cw > 0 ? cw : 0;
		i += n;
	}
	return w;
}

#define PAD_BUFS 8
#define PAD_LEN 1024

const char *cli_pad(const char *s, int width)
{
	static char bufs[PAD_BUFS][PAD_LEN];
	static unsigned next;
	char *b = bufs[next++ % PAD_BUFS];
	s = s ? s : "";
	size_t len = strlen(s);
	int w = cli_display_width(s);
	if (len >= PAD_LEN - 1 || w >= width)
		return s;       /* as printf would: a wide cell is not cut */
	memcpy(b, s, len);
	while (w < width && len < PAD_LEN - 1)
		b[len++] = ' ', w++;
	b[len] = '\0';
	return b;
}

int cli_row(const char *fmt, ...)
{
	char small[1024], *buf = small;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return n;
	if ((size_t)n >= sizeof(small)) {
		buf = malloc((size_t)n + 1);
		if (!buf)
			return -1;
		va_start(ap, fmt);
		vsnprintf(buf, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	/* A padded last cell that is empty leaves spaces at the end of the
	 * line: drop them before each newline and at the end. */
	size_t out = 0;
	for (int i = 0; i < n; i++) {
		if (buf[i] == '\n')
			while (out > 0 && buf[out - 1] == ' ')
				out--;
		buf[out++] = buf[i];
	}
	while (out > 0 && buf[out - 1] == ' ')
		out--;
	fwrite(buf, 1, out, stdout);
	if (buf != small)
		free(buf);
	return (int)out;
}
