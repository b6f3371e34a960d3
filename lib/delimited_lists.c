/* delimited_lists.c: values of CSV/TSV exports that hold lists. Authors
 * and keywords arrive as a Python list (pandas), "A; B", "A and B",
 * "Smith, J., Doe, A." pairs or "Liu R., Adler D.G."; each becomes one item
 * per author or keyword, without the author ids some databases append. */
#include "delimited_lists.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *qes__delim_trimmed(qes_arena *a, const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n ? qes__arena_strndup(a, s, n) : NULL;
}

/* Python's repr of a list, as pandas writes list columns: ['a', "b's"].
 * Returns 1 and fills out when s is one, 0 when not, < 0 on no memory. */
static int python_list(const char *s, qes_strlist *out, qes_arena *a)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n < 2 || s[0] != '[' || s[n - 1] != ']')
		return 0;
	const char *p = s + 1, *end = s + n - 1;
	qes_strlist tmp = { 0 };
	char *buf = qes__arena_alloc(a, n);
	if (!buf)
		return QES_ENOMEM;
	for (;;) {
		while (p < end && (isspace((unsigned char)*p) || *p == ','))
			p++;
		if (p == end)
			break;
		char q = *p;
		if (q != '\'' && q != '"')
			return 0;
		size_t w = 0;
		for (p++; p < end && *p != q; p++) {
			if (*p == '\\' && p + 1 < end) {
				p++;
				buf[w++] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
			} else {
				buf[w++] = *p;
			}
		}
		if (p == end)
			return 0;
		p++;
		buf[w] = '\0';
		char *item = qes__arena_strndup(a, buf, w);
		if (!item || qes__strlist_push(&tmp, a, item))
			return QES_ENOMEM;
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p < end && *p != ',')
			return 0;
	}
	for (size_t i = 0; i < tmp.n; i++)
		if (qes__strlist_push(out, a, tmp.items[i]))
			return QES_ENOMEM;
	return 1;
}

/* Pushes s[0..n) trimmed, when not empty. */
static int push_piece(qes_strlist *l, qes_arena *a, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n)
		return 0;
	char *item = qes__arena_strndup(a, s, n);
	return item ? qes__strlist_push(l, a, item) : QES_ENOMEM;
}

/* Splits on sep (a string) at parenthesis depth 0 when depth_aware. */
static int split_on(const char *s, const char *sep, int depth_aware, qes_strlist *l,
		    qes_arena *a)
{
	size_t sl = strlen(sep);
	int depth = 0;
	const char *start = s;
	for (const char *p = s; *p; p++) {
		if (depth_aware && *p == '(')
			depth++;
		else if (depth_aware && *p == ')' && depth)
			depth--;
		else if (!depth && !strncmp(p, sep, sl)) {
			if (push_piece(l, a, start, (size_t)(p - start)))
				return QES_ENOMEM;
			p += sl - 1;
			start = p + 1;
		}
	}
	return push_piece(l, a, start, strlen(start));
}

static size_t count_top(const char *s, char c)
{
	size_t n = 0;
	int depth = 0;
	for (; *s; s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')' && depth)
			depth--;
		else if (*s == c && !depth)
			n++;
	}
	return n;
}

/* An initial: "J", "J.", "JA", "J.A.", "J-P." (upper-case letters and dots). */
static int is_initials(const char *s, size_t n)
{
	if (!n || n > 6)
		return 0;
	int letters = 0;
	for (size_t i = 0; i < n; i++) {
		if (isupper((unsigned char)s[i]))
			letters++;
		else if (s[i] != '.' && s[i] != '-')
			return 0;
	}
	return letters > 0 && (letters <= 3 || s[n - 1] == '.');
}

/* A name written as a person with initials: "Liu R.", "D. Pavlinac",
 * "Smith JA" (two or more words, one of them initials). */
static int has_initials_word(const char *s, size_t n)
{
	int words = 0, initials = 0;
	size_t i = 0;
	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		size_t st = i;
		while (i < n && s[i] != ' ')
			i++;
		if (i > st) {
			words++;
			initials += is_initials(s + st, i - st);
		}
	}
	return words >= 2 && initials > 0;
}

/* "A, B, C": is every comma-separated piece a person with initials (or,
 * with three or more pieces, at least two words)? Then the commas separate
 * authors; otherwise "Smith, John" is one author. */
static int comma_list(const char *s)
{
	size_t pieces = count_top(s, ',') + 1;
	if (pieces < 2)
		return 0;
	const char *start = s;
	for (const char *p = s;; p++) {
		if (*p == ',' || !*p) {
			size_t n = (size_t)(p - start);
			while (n && *start == ' ') {
				start++;
				n--;
			}
			while (n && start[n - 1] == ' ')
				n--;
			int words = n && memchr(start, ' ', n) != NULL;
			if (!words || (pieces == 2 && !has_initials_word(start, n)))
				return 0;
			if (!*p)
				break;
			start = p + 1;
		}
	}
	return 1;
}

/* Scopus "Author full names": "Smith, John (57190000000)": drop the id. */
static void drop_author_id(char *s)
{
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	if (n < 3 || s[n - 1] != ')')
		return;
	size_t i = n - 1;
	while (i && isdigit((unsigned char)s[i - 1]))
		i--;
	if (i == n - 1 || !i || s[i - 1] != '(')
		return;
	i--;
	while (i && s[i - 1] == ' ')
		i--;
	if (i)
		s[i] = '\0';
}

/* Initials only, possibly several words: "J.", "J. A.", "JA". */
static int all_initials(const char *s, size_t n)
{
	int words = 0;
	size_t i = 0;
	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		size_t st = i;
		while (i < n && s[i] != ' ')
			i++;
		if (i > st) {
			if (!is_initials(s + st, i - st))
				return 0;
			words++;
		}
	}
	return words > 0;
}

/* "Smith, J., Doe, A. B.": an even number of comma-separated pieces that
 * alternate family name and initials ("Last, F." pairs). */
static int pair_list(const char *s)
{
	size_t pieces = count_top(s, ',') + 1, k = 0;
	if (pieces % 2)
		return 0;
	const char *start = s;
	for (const char *p = s;; p++) {
		if (*p == ',' || !*p) {
			size_t n = (size_t)(p - start);
			int init = all_initials(start, n);
			if (k % 2 ? !init : (init || has_initials_word(start, n)))
				return 0;
			k++;
			if (!*p)
				break;
			start = p + 1;
		}
	}
	return 1;
}

/* Pushes "Family, Initials" for each pair of pieces. */
static int split_pairs(const char *s, qes_strlist *l, qes_arena *a)
{
	qes_strlist pieces = { 0 };
	int rc = split_on(s, ",", 0, &pieces, a);
	for (size_t i = 0; !rc && i + 1 < pieces.n; i += 2) {
		char *name = qes__arena_printf(a, "%s, %s", pieces.items[i], pieces.items[i + 1]);
		rc = name ? qes__strlist_push(l, a, name) : QES_ENOMEM;
	}
	return rc;
}

/* One piece of an author list: pairs, a comma list, or one name. */
static int split_piece(const char *s, int commas, qes_strlist *l, qes_arena *a)
{
	if (strchr(s, ',') && pair_list(s))
		return split_pairs(s, l, a);
	if (commas)
		return split_on(s, ",", 0, l, a);
	return push_piece(l, a, s, strlen(s));
}

/* Authors: a Python list; "A; B" (Scopus, WoS, Zotero, qes); "A and B"
 * (BibTeX style, Rayyan); "A, B and C"; "Smith, J., Doe, A." pairs;
 * "Liu R., Adler D.G." (Embase, older Scopus). A single "Smith, John"
 * stays one author. */
int qes__delim_split_authors(const char *v, int strict, qes_strlist *l, qes_arena *a)
{
	int rc;
	size_t first = l->n;
	if (!strict && (rc = python_list(v, l, a)) != 0)
		return rc < 0 ? rc : 0;
	if (strict || strchr(v, ';')) {
		rc = split_on(v, ";", 0, l, a);
	} else if (strstr(v, " and ")) {
		qes_strlist parts = { 0 };
		rc = split_on(v, " and ", 0, &parts, a);
		int many_commas = 0;
		for (size_t i = 0; !rc && i < parts.n; i++) {
			const char *c = strchr(parts.items[i], ',');
			/* "D. Pavlinac, R. Langer and L. Deftos": the commas are
			 * separators too when a piece has several, or when the
			 * name before a comma is itself "Initial Surname". */
			if (c && !pair_list(parts.items[i]) &&
			    (strchr(c + 1, ',') ||
			     has_initials_word(parts.items[i], (size_t)(c - parts.items[i]))))
				many_commas = 1;
		}
		for (size_t i = 0; !rc && i < parts.n; i++)
			rc = split_piece(parts.items[i], many_commas, l, a);
	} else if (count_top(v, ',') >= 3 && pair_list(v)) {
		rc = split_pairs(v, l, a);
	} else if (comma_list(v)) {
		rc = split_on(v, ",", 1, l, a);
	} else {
		rc = push_piece(l, a, v, strlen(v));
	}
	for (size_t i = first; !rc && i < l->n; i++)
		drop_author_id(l->items[i]);
	return rc;
}

/* Keywords: a Python list, or ";"-separated; a list with no ";" and at
 * least three commas outside parentheses (Embase) is comma-separated. */
int qes__delim_split_keywords(const char *v, int strict, qes_strlist *l, qes_arena *a)
{
	int rc;
	if (!strict && (rc = python_list(v, l, a)) != 0)
		return rc < 0 ? rc : 0;
	if (!strict && !strchr(v, ';') && count_top(v, ',') >= 2)
		return split_on(v, ",", 1, l, a);
	return split_on(v, ";", 0, l, a);
}
