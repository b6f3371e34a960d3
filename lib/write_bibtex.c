/* write_bibtex.c: records as BibTeX that BibTeX and biber read back.
 *
 * Citation keys: the record's source key when it is a usable key (letters,
 * digits and _:.+/-), else firstauthor + year + first title word folded to
 * ASCII ("muller2019effects"); a key already used in the file gets "a", "b",
 * ... appended, so keys are unique and the same records in the same order
 * always get the same keys. Values are in braces with the characters LaTeX
 * treats specially escaped (\& \% \$ \# \_ \{ \} ..., unbalanced braces as
 * \textbraceleft{} and \textbraceright{}); DOIs and URLs are
 * written as they are (biblatex reads them verbatim). Names without a
 * comma ("Parkinson Study Group", "J Smith") are braced so BibTeX keeps
 * them whole instead of guessing a family name. */
#include "qes/export.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define KEY_MAX 96

/* --- Keys already used in one file (a small open-addressing hash set) --- */

struct qes_bibkeys {
	char **slot;
	size_t n, cap;
};

qes_bibkeys *qes_bibkeys_new(void)
{
	return calloc(1, sizeof(qes_bibkeys));
}

void qes_bibkeys_free(qes_bibkeys *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->cap; i++)
		free(k->slot[i]);
	free(k->slot);
	free(k);
}

static size_t hash(const char *s)
{
	size_t h = 5381;
	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

static int keys_has(const qes_bibkeys *k, const char *key)
{
	if (!k->cap)
		return 0;
	for (size_t i = hash(key) & (k->cap - 1);; i = (i + 1) & (k->cap - 1)) {
		if (!k->slot[i])
			return 0;
		if (!strcmp(k->slot[i], key))
			return 1;
	}
}

static int keys_add(qes_bibkeys *k, const char *key)
{
	if ((k->n + 1) * 2 > k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 64;
		char **slot = calloc(cap, sizeof(*slot));
		if (!slot)
			return -1;
		for (size_t i = 0; i < k->cap; i++) {
			if (!k->slot[i])
				continue;
			size_t j = hash(k->slot[i]) & (cap - 1);
			while (slot[j])
				j = (j + 1) & (cap - 1);
			slot[j] = k->slot[i];
		}
		free(k->slot);
		k->slot = slot;
		k->cap = cap;
	}
	char *copy = strdup(key);
	if (!copy)
		return -1;
	size_t j = hash(key) & (k->cap - 1);
	while (k->slot[j])
		j = (j + 1) & (k->cap - 1);
	k->slot[j] = copy;
	k->n++;
	return 0;
}

/* --- Keys ----------------------------------------------------------------- */

static int valid_key(const char *s)
{
	if (!s || !*s || strlen(s) > KEY_MAX)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_:.+/-", *s))
			return 0;
	return 1;
}

/* Appends the ASCII letters (and digits when digits) of s, folded from
 * accented letters ("Müller" -> "muller"), lower-case, to out. */
static void append_ascii(char *out, size_t outlen, const char *s, size_t n, int digits)
{
	size_t w = strlen(out);
	utf8proc_uint8_t *folded = NULL;
	char *tmp = strndup(s, n);
	if (tmp && utf8proc_map((const utf8proc_uint8_t *)tmp, 0, &folded,
				UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
				UTF8PROC_STRIPMARK) < 0)
		folded = NULL;
	const char *p = folded ? (const char *)folded : tmp ? tmp : "";
	for (; *p && w + 1 < outlen; p++)
		if (isalpha((unsigned char)*p) || (digits && isdigit((unsigned char)*p)))
			out[w++] = (char)tolower((unsigned char)*p);
	out[w] = '\0';
	free(folded);
	free(tmp);
}

/* The family name: before the comma in "Family, Given", else the last word. */
static void family(const char *a, char *out, size_t outlen)
{
	const char *comma = strchr(a, ',');
	size_t n;
	if (comma) {
		n = (size_t)(comma - a);
	} else {
		const char *sp = strrchr(a, ' ');
		if (sp && sp[1]) {
			a = sp + 1;
		}
		n = strlen(a);
	}
	append_ascii(out, outlen, a, n, 0);
}

/* The first title word of four or more letters that says something. */
static void title_word(const char *t, char *out, size_t outlen)
{
	static const char *const stop[] = {
		"about", "after", "among", "from", "into", "over", "than", "that",
		"their", "there", "these", "this", "those", "through", "under",
		"upon", "what", "when", "where", "which", "while", "with", "within",
		"without", NULL
	};
	const char *p = t;
	while (p && *p) {
		while (*p && !isalnum((unsigned char)*p) && !((unsigned char)*p & 0x80))
			p++;
		const char *st = p;
		while (*p && (isalnum((unsigned char)*p) || ((unsigned char)*p & 0x80)))
			p++;
		char word[64] = "";
		append_ascii(word, sizeof(word), st, (size_t)(p - st), 0);
		int skip = strlen(word) < 4;
		for (int i = 0; !skip && stop[i]; i++)
			skip = !strcmp(word, stop[i]);
		if (!skip) {
			snprintf(out + strlen(out), outlen - strlen(out), "%s", word);
			return;
		}
	}
}

static void build_key(const qes_record *rec, char *key, size_t keylen)
{
	char body[KEY_MAX] = "";
	if (rec->authors.n && rec->authors.items[0])
		family(rec->authors.items[0], body, sizeof(body) / 2);
	if (rec->year)
		snprintf(body + strlen(body), sizeof(body) - strlen(body), "%d", rec->year);
	if (rec->title)
		title_word(rec->title, body, sizeof(body) - 8);
	/* A key needs a letter first for some tools: "ref2019", "ref". */
	const char *prefix = !body[0] || isdigit((unsigned char)body[0]) ? "ref" : "";
	snprintf(key, keylen, "%s%.*s", prefix, (int)(keylen > 4 ? keylen - 4 : 0), body);
}

/* The key for rec, unique in keys (when given). */
static int choose_key(const qes_record *rec, qes_bibkeys *keys, char *key, size_t keylen)
{
	if (valid_key(rec->source_key))
		snprintf(key, keylen, "%s", rec->source_key);
	else
		build_key(rec, key, keylen - 8);
	if (!keys)
		return 0;
	size_t base = strlen(key);
	/* "a".."z", then "aa".."zz": 702 records with one key is plenty;
	 * after that the ordinal keeps keys unique. */
	for (unsigned i = 0; keys_has(keys, key); i++) {
		if (i < 26)
			snprintf(key + base, keylen - base, "%c", 'a' + i);
		else if (i < 26 + 26 * 26)
			snprintf(key + base, keylen - base, "%c%c", 'a' + (i - 26) / 26,
				 'a' + (i - 26) % 26);
		else
			snprintf(key + base, keylen - base, "n%u", i);
	}
	return keys_add(keys, key);
}

/* --- Values --------------------------------------------------------------- */

/* BibTeX counts every brace in a value, escaped or not, so "\{" is only
 * safe when the braces balance; otherwise braces are written as the
 * brace-free commands \textbraceleft{} and \textbraceright{}. */
static int braces_balance(const char *s)
{
	long depth = 0;
	for (; *s && depth >= 0; s++)
		depth += *s == '{' ? 1 : *s == '}' ? -1 : 0;
	return depth == 0;
}

static void put_escaped(FILE *fp, const char *s)
{
	int balanced = braces_balance(s);
	for (; *s; s++) {
		switch (*s) {
		case '\\': fputs("\\textbackslash{}", fp); break;
		case '{': fputs(balanced ? "\\{" : "\\textbraceleft{}", fp); break;
		case '}': fputs(balanced ? "\\}" : "\\textbraceright{}", fp); break;
		case '&': fputs("\\&", fp); break;
		case '%': fputs("\\%", fp); break;
		case '$': fputs("\\$", fp); break;
		case '#': fputs("\\#", fp); break;
		case '_': fputs("\\_", fp); break;
		case '~': fputs("\\textasciitilde{}", fp); break;
		case '^': fputs("\\textasciicircum{}", fp); break;
		case '\n': case '\r': fputc(' ', fp); break;
		case '-':
			/* "--" and "---" are dashes to TeX: keep literal hyphens apart. */
			fputs(s[1] == '-' ? "-{}" : "-", fp);
			break;
		default: fputc(*s, fp);
		}
	}
}

static void field(FILE *fp, const char *name, const char *v)
{
	if (!v || !*v)
		return;
	fprintf(fp, ",\n  %s = {", name);
	put_escaped(fp, v);
	fputc('}', fp);
}

/* DOIs and URLs: as written, but braces would unbalance the value. */
static void field_verbatim(FILE *fp, const char *name, const char *v)
{
	if (!v || !*v)
		return;
	fprintf(fp, ",\n  %s = {", name);
	for (; *v; v++) {
		if (*v == '{')
			fputs("%7B", fp);
		else if (*v == '}')
			fputs("%7D", fp);
		else if (*v == '\\')
			fputs("%5C", fp);
		else
			fputc(*v == '\n' || *v == '\r' ? ' ' : *v, fp);
	}
	fputc('}', fp);
}

static void authors(FILE *fp, const qes_strlist *l)
{
	size_t w = 0;
	for (size_t i = 0; i < l->n; i++) {
		const char *a = l->items[i];
		if (!a || !*a)
			continue;
		fputs(w++ ? " and " : ",\n  author = {", fp);
		int whole = !strchr(a, ',') || strstr(a, " and ") || strstr(a, " AND ");
		if (whole)
			fputc('{', fp);
		put_escaped(fp, a);
		if (whole)
			fputc('}', fp);
	}
	if (w)
		fputc('}', fp);
}

static void keywords(FILE *fp, const qes_strlist *l)
{
	size_t w = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (!l->items[i] || !*l->items[i])
			continue;
		fputs(w++ ? ", " : ",\n  keywords = {", fp);
		put_escaped(fp, l->items[i]);
	}
	if (w)
		fputc('}', fp);
}

static const char *entry_type(const char *type)
{
	static const struct { const char *type, *entry; } map[] = {
		{ QES_TYPE_ARTICLE, "article" }, { QES_TYPE_BOOK, "book" },
		{ QES_TYPE_CHAPTER, "incollection" }, { QES_TYPE_CONFERENCE, "inproceedings" },
		{ QES_TYPE_THESIS, "phdthesis" }, { QES_TYPE_REPORT, "techreport" },
		{ QES_TYPE_WEB, "online" }, { QES_TYPE_PREPRINT, "unpublished" },
		{ QES_TYPE_DATASET, "dataset" },
	};
	for (size_t i = 0; type && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(type, map[i].type))
			return map[i].entry;
	return "misc";
}

/* biblatex's date field takes ISO 8601 only: YYYY, YYYY-MM, YYYY-MM-DD. */
static int iso_date(const char *d)
{
	if (!d)
		return 0;
	size_t n = strlen(d);
	if (n != 4 && n != 7 && n != 10)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((i == 4 || i == 7) ? d[i] != '-' : !isdigit((unsigned char)d[i]))
			return 0;
	return 1;
}

int qes_write_bibtex_keyed(FILE *fp, const qes_record *rec, qes_bibkeys *keys)
{
	if (!rec)
		return -1;
	char key[KEY_MAX + 16];
	if (choose_key(rec, keys, key, sizeof(key)))
		return -1;
	const char *entry = entry_type(rec->type);
	fprintf(fp, "@%s{%s", entry, key);
	field(fp, "title", rec->title);
	authors(fp, &rec->authors);
	if (rec->year)
		fprintf(fp, ",\n  year = {%d}", rec->year);
	if (iso_date(rec->date))
		field(fp, "date", rec->date);
	int in_book = !strcmp(entry, "incollection") || !strcmp(entry, "inproceedings") ||
		      !strcmp(entry, "book");
	field(fp, in_book ? "booktitle" : "journal", rec->journal);
	field(fp, "volume", rec->volume);
	field(fp, "number", rec->issue);
	if (rec->pages) {
		/* BibTeX writes page ranges with "--". */
		fputs(",\n  pages = {", fp);
		for (const char *p = rec->pages; *p; p++) {
			if (*p == '-' && p[1] != '-' && (p == rec->pages || p[-1] != '-'))
				fputs("--", fp);
			else if (*p == '{' || *p == '}' || *p == '\\')
				fputc(' ', fp);
			else
				fputc(*p, fp);
		}
		fputc('}', fp);
	}
	field_verbatim(fp, "doi", rec->doi);
	field(fp, "pmid", rec->pmid);
	field(fp, "issn", rec->issn);
	field(fp, "isbn", rec->isbn);
	field(fp, "publisher", rec->publisher);
	field(fp, "language", rec->language);
	field_verbatim(fp, "url", rec->url);
	keywords(fp, &rec->keywords);
	field(fp, "abstract", rec->abstract);
	field(fp, "note", rec->notes);
	fputs("\n}\n\n", fp);
	return ferror(fp) ? -1 : 0;
}

int qes_write_bibtex(FILE *fp, const qes_record *rec)
{
	return qes_write_bibtex_keyed(fp, rec, NULL);
}
