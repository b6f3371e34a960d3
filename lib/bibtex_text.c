/* bibtex_text.c: the text of BibTeX values: LaTeX to Unicode (accents,
 * control words, protection braces; NFC), and author lists ("First von
 * Last", "von Last, First", "von Last, Jr, First") into "von Last, First,
 * Jr". The parser (parse_bibtex.c) keeps values as LaTeX until a record is
 * built, then calls these. */
#include "bibtex_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "qes/error.h"
#include "qes/limits.h"

/* ------------------------------------------------------------------------
 * LaTeX to Unicode. */

typedef struct sym {
	const char *name, *text;
} sym;

/* Control words that stand for a character or a word. */
static const sym symbols[] = {
	{ "ss", "ß" }, { "SS", "SS" }, { "o", "ø" }, { "O", "Ø" }, { "aa", "å" },
	{ "AA", "Å" }, { "ae", "æ" }, { "AE", "Æ" }, { "oe", "œ" }, { "OE", "Œ" },
	{ "l", "ł" }, { "L", "Ł" }, { "i", "ı" }, { "j", "ȷ" }, { "dh", "ð" },
	{ "DH", "Ð" }, { "th", "þ" }, { "TH", "Þ" }, { "ng", "ŋ" }, { "NG", "Ŋ" },
	{ "dj", "đ" }, { "DJ", "Đ" },
	{ "textless", "<" }, { "textgreater", ">" }, { "textendash", "–" },
	{ "textemdash", "—" }, { "textasciitilde", "~" }, { "textunderscore", "_" },
	{ "textbackslash", "\\" }, { "textasciicircum", "^" }, { "textbar", "|" },
	{ "textbraceleft", "{" }, { "textbraceright", "}" }, { "textquotedbl", "\"" },
	{ "textquotesingle", "'" }, { "textquoteleft", "‘" }, { "textquoteright", "’" },
	{ "textquotedblleft", "“" }, { "textquotedblright", "”" }, { "textbullet", "•" },
	{ "textperiodcentered", "·" }, { "textregistered", "®" }, { "textcopyright", "©" },
	{ "texttrademark", "™" }, { "textdegree", "°" }, { "textmu", "µ" },
	{ "textpm", "±" }, { "texttimes", "×" }, { "textonehalf", "½" },
	{ "textsection", "§" }, { "textparagraph", "¶" }, { "textdollar", "$" },
	{ "textpercent", "%" }, { "textellipsis", "…" }, { "textexclamdown", "¡" },
	{ "textquestiondown", "¿" }, { "guillemotleft", "«" }, { "guillemotright", "»" },
	{ "guillemetleft", "«" }, { "guillemetright", "»" }, { "S", "§" }, { "P", "¶" },
	{ "pounds", "£" }, { "euro", "€" }, { "copyright", "©" }, { "dag", "†" },
	{ "ddag", "‡" }, { "ldots", "…" }, { "dots", "…" }, { "cdots", "⋯" },
	{ "slash", "/" }, { "TeX", "TeX" }, { "LaTeX", "LaTeX" }, { "BibTeX", "BibTeX" },
	{ "LaTeXe", "LaTeX2e" }, { "and", "&" }, { "quad", " " }, { "qquad", " " },
	{ "space", " " }, { "enspace", " " }, { "thinspace", " " }, { "newline", " " },
	{ "par", " " }, { "hyphen", "-" }, { "textminus", "−" },
	/* math */
	{ "times", "×" }, { "pm", "±" }, { "mp", "∓" }, { "cdot", "·" }, { "div", "÷" },
	{ "leq", "≤" }, { "le", "≤" }, { "geq", "≥" }, { "ge", "≥" }, { "neq", "≠" },
	{ "ne", "≠" }, { "approx", "≈" }, { "sim", "∼" }, { "simeq", "≃" },
	{ "equiv", "≡" }, { "infty", "∞" }, { "circ", "°" }, { "degree", "°" },
	{ "prime", "′" }, { "to", "→" }, { "rightarrow", "→" }, { "leftarrow", "←" },
	{ "leftrightarrow", "↔" }, { "Rightarrow", "⇒" }, { "uparrow", "↑" },
	{ "downarrow", "↓" }, { "sqrt", "√" }, { "sum", "∑" }, { "prod", "∏" },
	{ "int", "∫" }, { "partial", "∂" }, { "nabla", "∇" }, { "in", "∈" },
	{ "notin", "∉" }, { "subset", "⊂" }, { "cup", "∪" }, { "cap", "∩" },
	{ "forall", "∀" }, { "exists", "∃" }, { "emptyset", "∅" }, { "ell", "ℓ" },
	{ "hbar", "ℏ" }, { "ast", "∗" }, { "star", "⋆" }, { "bullet", "•" },
	{ "propto", "∝" }, { "lt", "<" }, { "gt", ">" }, { "ll", "≪" }, { "gg", "≫" },
	{ "alpha", "α" }, { "beta", "β" }, { "gamma", "γ" }, { "delta", "δ" },
	{ "epsilon", "ε" }, { "varepsilon", "ε" }, { "zeta", "ζ" }, { "eta", "η" },
	{ "theta", "θ" }, { "vartheta", "ϑ" }, { "iota", "ι" }, { "kappa", "κ" },
	{ "lambda", "λ" }, { "mu", "μ" }, { "nu", "ν" }, { "xi", "ξ" }, { "pi", "π" },
	{ "varpi", "ϖ" }, { "rho", "ρ" }, { "varrho", "ϱ" }, { "sigma", "σ" },
	{ "varsigma", "ς" }, { "tau", "τ" }, { "upsilon", "υ" }, { "phi", "φ" },
	{ "varphi", "φ" }, { "chi", "χ" }, { "psi", "ψ" }, { "omega", "ω" },
	{ "Gamma", "Γ" }, { "Delta", "Δ" }, { "Theta", "Θ" }, { "Lambda", "Λ" },
	{ "Xi", "Ξ" }, { "Pi", "Π" }, { "Sigma", "Σ" }, { "Upsilon", "Υ" },
	{ "Phi", "Φ" }, { "Psi", "Ψ" }, { "Omega", "Ω" },
};

/* Combining marks for accent commands (\'e is e + U+0301, then NFC). */
static const char *accent_mark(const char *name, size_t n)
{
	if (n != 1)
		return NULL;
	switch (name[0]) {
	case '\'': return "\xCC\x81";
	case '`': return "\xCC\x80";
	case '^': return "\xCC\x82";
	case '"': return "\xCC\x88";
	case '~': return "\xCC\x83";
	case '=': return "\xCC\x84";
	case '.': return "\xCC\x87";
	case 'u': return "\xCC\x86";
	case 'v': return "\xCC\x8C";
	case 'H': return "\xCC\x8B";
	case 'c': return "\xCC\xA7";
	case 'd': return "\xCC\xA3";
	case 'b': return "\xCC\xB1";
	case 'k': return "\xCC\xA8";
	case 'r': return "\xCC\x8A";
	case 't': return "\xCD\xA1";
	}
	return NULL;
}

static const char *symbol_text(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (strlen(symbols[i].name) == n && !memcmp(symbols[i].name, name, n))
			return symbols[i].text;
	return NULL;
}

static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

static int latex_run(qes_strbuf *out, const char *s, size_t n, int depth);

/* The argument of an accent at s[*i]: a {group}, a control word (\i), or one
 * character. Writes the base text, then the mark after its first character. */
static int latex_accent(qes_strbuf *out, const char *s, size_t n, size_t *i,
			const char *mark, int depth)
{
	size_t p = *i;
	while (p < n && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n'))
		p++;
	size_t start = out->len;
	int rc = 0;
	if (p < n && s[p] == '{') {
		long d = 0;
		size_t q = p;
		for (; q < n; q++) {
			if (s[q] == '{')
				d++;
			else if (s[q] == '}' && --d == 0)
				break;
		}
		rc = latex_run(out, s + p + 1, (q < n ? q : n) - p - 1, depth + 1);
		p = q < n ? q + 1 : n;
	} else if (p + 1 < n && s[p] == '\\' && (s[p + 1] == 'i' || s[p + 1] == 'j') &&
		   (p + 2 >= n || !isalpha((unsigned char)s[p + 2]))) {
		rc = qes__strbuf_addch(out, s[p + 1]);   /* dotless i takes the accent as i */
		p += 2;
	} else if (p < n) {
		size_t l = utf8_len((unsigned char)s[p]);
		if (p + l > n)
			l = n - p;
		rc = qes__strbuf_add(out, s + p, l);
		p += l;
	}
	*i = p;
	if (rc)
		return rc;
	/* "\i" written inside the group ({\i}) came out as dotless i: use i. */
	if (out->len >= start + 2 && !memcmp(out->buf + start, "ı", 2)) {
		out->buf[start] = 'i';
		memmove(out->buf + start + 1, out->buf + start + 2, out->len - start - 2);
		out->len--;
		out->buf[out->len] = '\0';
	}
	if (out->len == start)
		return 0;   /* accent on nothing */
	size_t first = utf8_len((unsigned char)out->buf[start]);
	if (start + first > out->len)
		first = out->len - start;
	size_t ml = strlen(mark);
	size_t tail = out->len - start - first;
	rc = qes__strbuf_add(out, mark, ml);   /* grow, then move into place */
	if (rc)
		return rc;
	memmove(out->buf + start + first + ml, out->buf + start + first, tail);
	memcpy(out->buf + start + first, mark, ml);
	return 0;
}

/* Converts s[0..n) and appends it to out. depth guards recursion through
 * accent groups (the scanner already bounds brace depth). */
static int latex_run(qes_strbuf *out, const char *s, size_t n, int depth)
{
	int math = 0, rc = 0;
	if (depth > QES_MAX_BIBTEX_DEPTH)
		return QES_ELIMIT;
	for (size_t i = 0; i < n && !rc;) {
		char c = s[i];
		if (c == '{' || c == '}') {
			i++;
		} else if (c == '$') {
			math = !math;
			i++;
		} else if (math && (c == '^' || c == '_')) {
			i++;
		} else if (c == '~') {
			rc = qes__strbuf_addch(out, ' ');
			i++;
		} else if (c == '-' && i + 2 < n && s[i + 1] == '-' && s[i + 2] == '-') {
			rc = qes__strbuf_addstr(out, "—");
			i += 3;
		} else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
			rc = qes__strbuf_addstr(out, "–");
			i += 2;
		} else if (c == '`' && i + 1 < n && s[i + 1] == '`') {
			rc = qes__strbuf_addstr(out, "“");
			i += 2;
		} else if (c == '\'' && i + 1 < n && s[i + 1] == '\'') {
			rc = qes__strbuf_addstr(out, "”");
			i += 2;
		} else if (c == '`') {
			rc = qes__strbuf_addstr(out, "‘");
			i++;
		} else if (c == '\\' && i + 1 < n) {
			const char *name = s + i + 1;
			size_t nl = 1;
			if (isalpha((unsigned char)name[0]))
				while (i + 1 + nl < n && isalpha((unsigned char)name[nl]))
					nl++;
			i += 1 + nl;
			const char *mark = accent_mark(name, nl);
			const char *text;
			if (mark) {
				rc = latex_accent(out, s, n, &i, mark, depth);
				continue;
			}
			if (isalpha((unsigned char)name[0])) {
				/* TeX drops the spaces after a control word. */
				while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
					i++;
				text = symbol_text(name, nl);
				/* Anything else (\emph, \textbf, \em, \url, unknown
				 * macros) is formatting: drop the name, keep the text. */
				if (text)
					rc = qes__strbuf_addstr(out, text);
			} else if (!name[0]) {
				i = n;
			} else if (strchr("&%$#_{}", name[0])) {
				rc = qes__strbuf_addch(out, name[0]);
			} else if (strchr("\\ ,;:>", name[0])) {
				rc = qes__strbuf_addch(out, ' ');
			} else if (!strchr("-/!@", name[0])) {
				rc = qes__strbuf_addch(out, name[0]);
			}
		} else {
			rc = qes__strbuf_addch(out, c);
			i++;
		}
	}
	return rc;
}

/* The Unicode text of LaTeX s[0..n), NFC, in the arena; NULL on failure. */
char *qes__latex_text(qes_arena *a, qes_strbuf *tmp, const char *s, size_t n)
{
	qes__strbuf_reset(tmp);
	int rc = latex_run(tmp, s, n, 0);
	if (rc == QES_ELIMIT)
		return qes__arena_strndup(a, s, n);   /* too deep to convert: as written */
	if (rc || qes__strbuf_addch(tmp, '\0'))
		return NULL;
	const char *t = qes__strbuf_str(tmp);
	utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)t);
	char *res = qes__arena_strdup(a, nfc ? (const char *)nfc : t);
	free(nfc);
	return res;
}

/* Fields kept as written (URLs, DOIs, file names): only the escapes a
 * BibTeX writer adds and protection braces go. */
char *qes__latex_verbatim(qes_arena *a, const char *s)
{
	size_t n = strlen(s);
	char *o = qes__arena_alloc(a, n + 1), *w = o;
	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '{' || s[i] == '}')
			continue;
		if (s[i] == '\\' && i + 1 < n && strchr("_%&#$~", s[i + 1]))
			i++;
		*w++ = s[i];
	}
	*w = '\0';
	return o;
}

/* ------------------------------------------------------------------------
 * Names: "First von Last", "von Last, First", "von Last, Jr, First". */

typedef qes__bib_span span;

/* 1 if the word starts (at brace depth 0, or inside a special character
 * such as {\"o}) with a lower-case letter: a "von" word. */
static int word_is_lower(span w)
{
	long d = 0;
	for (size_t i = 0; i < w.n; i++) {
		unsigned char c = (unsigned char)w.p[i];
		if (c == '{') {
			if (d == 0 && i + 1 < w.n && w.p[i + 1] == '\\') {
				/* special character: skip the command to its letter */
				size_t j = i + 2;
				size_t nl = 0;
				while (j + nl < w.n && isalpha((unsigned char)w.p[j + nl]))
					nl++;
				if (nl && !accent_mark(w.p + j, nl))
					return islower((unsigned char)w.p[j]);
				j += nl ? nl : 1;
				while (j < w.n && !isalpha((unsigned char)w.p[j]))
					j++;
				return j < w.n && islower((unsigned char)w.p[j]);
			}
			d++;
			continue;
		}
		if (c == '}') {
			d--;
			continue;
		}
		if (d > 0)
			continue;
		if (c == '\\') {
			size_t j = i + 1;
			while (j < w.n && !isalpha((unsigned char)w.p[j]))
				j++;
			if (j < w.n && accent_mark(w.p + j, 1) && j + 1 < w.n &&
			    !isalpha((unsigned char)w.p[j + 1])) {
				j++;
				while (j < w.n && !isalpha((unsigned char)w.p[j]))
					j++;
			}
			return j < w.n && islower((unsigned char)w.p[j]);
		}
		if (c < 0x80) {
			if (isalpha(c))
				return islower(c) != 0;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)w.p + i,
						      (utf8proc_ssize_t)(w.n - i), &cp);
		if (l <= 0)
			return 0;
		utf8proc_category_t cat = utf8proc_category(cp);
		if (cat == UTF8PROC_CATEGORY_LL)
			return 1;
		if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT ||
		    cat == UTF8PROC_CATEGORY_LO)
			return 0;
		i += (size_t)l - 1;
	}
	return 0;
}

/* Splits s at depth-0 separators: sep ',' for name parts, ' ' for words
 * (spaces, tabs, newlines and ~). Returns the number of spans (<= max; the
 * last span takes the rest). */
static size_t split_depth0(span s, char sep, span *out, size_t max)
{
	size_t n = 0, start = 0;
	long d = 0;
	for (size_t i = 0; i <= s.n; i++) {
		int at_end = i == s.n;
		char c = at_end ? 0 : s.p[i];
		if (c == '{')
			d++;
		else if (c == '}')
			d--;
		int is_sep = !at_end && d == 0 &&
			     (sep == ',' ? c == ',' : (c == ' ' || c == '\t' || c == '\n' || c == '~'));
		if (!is_sep && !at_end)
			continue;
		if (is_sep && n + 1 >= max && sep == ',')
			continue;   /* too many commas: the last part takes the rest */
		span w = { s.p + start, i - start };
		while (w.n && isspace((unsigned char)w.p[0]))
			w.p++, w.n--;
		while (w.n && isspace((unsigned char)w.p[w.n - 1]))
			w.n--;
		if (w.n || sep == ',') {
			if (n < max)
				out[n++] = w;
		}
		start = i + 1;
	}
	return n;
}

/* Joins words[a..b) with spaces into sb as LaTeX (converted later). */
static int join_words(qes_strbuf *sb, const span *w, size_t a, size_t b)
{
	int rc = 0;
	for (size_t i = a; i < b && !rc; i++) {
		if (i > a)
			rc = qes__strbuf_addch(sb, ' ');
		if (!rc)
			rc = qes__strbuf_add(sb, w[i].p, w[i].n);
	}
	return rc;
}

#define MAX_NAME_WORDS 64

/* One name to "von Last, First, Jr" (LaTeX still in), appended to out. */
int qes__bib_format_name(qes_strbuf *out, qes__bib_span name)
{
	span parts[3], words[MAX_NAME_WORDS];
	size_t np = split_depth0(name, ',', parts, 3);
	size_t nw = split_depth0(parts[0], ' ', words, MAX_NAME_WORDS);
	size_t from = 0;   /* words[from..nw) are "von Last" */
	int rc;
	if (nw == 0)
		return 0;
	if (np == 1) {
		/* First von Last: von starts at the first lower-case word
		 * before the final word; without one, Last is the final word. */
		from = nw - 1;
		for (size_t i = 0; i + 1 < nw; i++)
			if (word_is_lower(words[i])) {
				from = i;
				break;
			}
	}
	rc = join_words(out, words, from, nw);
	if (!rc && np == 1 && from > 0) {
		rc = qes__strbuf_addstr(out, ", ");
		if (!rc)
			rc = join_words(out, words, 0, from);
	}
	if (!rc && np > 1 && parts[np - 1].n) {
		rc = qes__strbuf_addstr(out, ", ");
		if (!rc)
			rc = qes__strbuf_add(out, parts[np - 1].p, parts[np - 1].n);
	}
	if (!rc && np == 3 && parts[1].n) {
		rc = qes__strbuf_addstr(out, ", ");
		if (!rc)
			rc = qes__strbuf_add(out, parts[1].p, parts[1].n);
	}
	return rc;
}

/* Next name of an author list: up to " and " (any case) at depth 0. */
int qes__bib_next_name(const char **p, const char *end, qes__bib_span *name)
{
	const char *s = *p;
	while (s < end && isspace((unsigned char)*s))
		s++;
	if (s >= end)
		return 0;
	long d = 0;
	const char *q = s;
	for (; q < end; q++) {
		if (*q == '{')
			d++;
		else if (*q == '}')
			d--;
		else if (d == 0 && isspace((unsigned char)*q) && q + 4 < end &&
			 !strncasecmp(q + 1, "and", 3) && isspace((unsigned char)q[4]))
			break;
	}
	name->p = s;
	name->n = (size_t)(q - s);
	while (name->n && isspace((unsigned char)s[name->n - 1]))
		name->n--;
	*p = q < end ? q + 5 : end;
	return 1;
}
