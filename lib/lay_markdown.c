/* lay_markdown.c: the small markdown subset of the lay summary: "#", "##",
 * "###" headings, paragraphs (lines joined until a blank line), "- " or
 * "* " list items, **bold** and *italic*. Everything else is text: HTML in
 * the input is escaped, never passed through. The input is the team's (and
 * through the web, anyone's with a team account): fuzzed by
 * fuzz/fuzz_lay_markdown.c. */
#include "lay_internal.h"

#include <stdlib.h>
#include <string.h>

#include "qes/limits.h"
#include "study_internal.h"

static int flush(qes_strbuf *para, int (*fn)(void *, int, const char *, size_t), void *ud)
{
	int rc = 0;
	if (para->len)
		rc = fn(ud, QES__LAY_P, para->buf, para->len);
	qes__strbuf_reset(para);
	return rc;
}

int qes__lay_blocks(const char *text, size_t len,
		    int (*fn)(void *ud, int kind, const char *text, size_t len), void *ud,
		    qes_error *err)
{
	qes_strbuf para = QES_STRBUF_INIT(QES_MAX_FIELD);
	int rc = 0;
	if (len > QES_MAX_FIELD)
		return qes_error_set(err, QES_ELIMIT, "the lay summary is over %u bytes", QES_MAX_FIELD);
	for (size_t i = 0; i < len && !rc;) {
		const char *eol = memchr(text + i, '\n', len - i);
		size_t n = eol ? (size_t)(eol - text - i) : len - i;
		const char *l = text + i;
		i += n + 1;
		while (n && (l[n - 1] == '\r' || l[n - 1] == ' ' || l[n - 1] == '\t'))
			n--;
		while (n && (*l == ' ' || *l == '\t')) {
			l++;
			n--;
		}
		if (!n) {
			rc = flush(&para, fn, ud);
			continue;
		}
		int h = 0;
		while (h < (int)n && h < 4 && l[h] == '#')
			h++;
		if (h >= 1 && h <= 3 && (size_t)h < n && l[h] == ' ') {
			if (!(rc = flush(&para, fn, ud)))
				rc = fn(ud, QES__LAY_H1 + h - 1, l + h + 1, n - (size_t)h - 1);
			continue;
		}
		if (n >= 2 && (l[0] == '-' || (l[0] == '*' && l[1] == ' ')) && l[1] == ' ') {
			if (!(rc = flush(&para, fn, ud)))
				rc = fn(ud, QES__LAY_LI, l + 2, n - 2);
			continue;
		}
		if (para.len)
			qes__strbuf_addch(&para, ' ');
		if (qes__strbuf_add(&para, l, n))
			rc = qes_error_set(err, QES_ELIMIT, "a paragraph is over %u bytes", QES_MAX_FIELD);
	}
	if (!rc)
		rc = flush(&para, fn, ud);
	qes__strbuf_release(&para);
	return rc;
}

int qes__lay_plain(qes_strbuf *sb, const char *text, size_t len)
{
	int rc = 0;
	for (size_t i = 0; i < len && !rc; i++)
		if (text[i] != '*')
			rc = qes__strbuf_addch(sb, text[i]);
	return rc;
}

typedef struct html_ctx {
	qes_strbuf *sb;
	int in_list;
} html_ctx;

static void inline_html(qes_strbuf *sb, const char *t, size_t n)
{
	int strong = 0, em = 0;
	size_t start = 0;
	char *piece;
	for (size_t i = 0; i <= n; i++) {
		int star2 = i + 1 < n && t[i] == '*' && t[i + 1] == '*';
		if (i < n && t[i] != '*')
			continue;
		if ((piece = strndup(t + start, i - start))) {
			qes__html_escape(sb, piece);
			free(piece);
		}
		if (i == n)
			break;
		if (star2) {
			qes__strbuf_addstr(sb, strong ? "</strong>" : "<strong>");
			strong = !strong;
			i++;
		} else {
			qes__strbuf_addstr(sb, em ? "</em>" : "<em>");
			em = !em;
		}
		start = i + 1;
	}
	if (em)
		qes__strbuf_addstr(sb, "</em>");
	if (strong)
		qes__strbuf_addstr(sb, "</strong>");
}

static int html_block(void *ud, int kind, const char *text, size_t len)
{
	html_ctx *h = ud;
	static const char *const open[] = { "", "<h1>", "<h2>", "<h3>", "<p>", "<li>" };
	static const char *const close[] = { "", "</h1>\n", "</h2>\n", "</h3>\n", "</p>\n", "</li>\n" };
	if (kind == QES__LAY_LI && !h->in_list)
		qes__strbuf_addstr(h->sb, "<ul>\n");
	else if (kind != QES__LAY_LI && h->in_list)
		qes__strbuf_addstr(h->sb, "</ul>\n");
	h->in_list = kind == QES__LAY_LI;
	qes__strbuf_addstr(h->sb, open[kind]);
	inline_html(h->sb, text, len);
	return qes__strbuf_addstr(h->sb, close[kind]);
}

int qes_lay_markdown_html(const char *text, size_t len, char **html, qes_error *err)
{
	qes_strbuf sb = QES_STRBUF_INIT(8u * QES_MAX_FIELD);
	html_ctx h = { &sb, 0 };
	*html = NULL;
	int rc = qes__lay_blocks(text, len, html_block, &h, err);
	if (!rc && h.in_list)
		qes__strbuf_addstr(&sb, "</ul>\n");
	if (!rc && !(*html = qes__strbuf_detach(&sb, NULL)) && !(*html = strdup("")))
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
	if (rc == QES_ELIMIT && !err->code)
		rc = qes_error_set(err, QES_ELIMIT, "the lay summary is too large");
	qes__strbuf_release(&sb);
	return rc;
}
