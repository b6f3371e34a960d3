/* dedup_normalise.c: the comparable form of a record.
 *
 * The same work comes from different databases with different spellings:
 * accents or not, HTML or LaTeX markup, "β" or "beta", "221-8" or
 * "221-228", "Curr Opin Lipidol" or "Current Opinion in Lipidology". All
 * of that is folded away here, once per record, so comparing is cheap. */
#include "dedup_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Greek letters (after case folding) as their names: "β-cell" and
 * "beta-cell" are the same title. */
static const char *const greek[] = {
	"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
	"iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho",
	"sigma", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
};

static int is_tag_start(const char *p)
{
	return p[0] == '<' && (isalpha((unsigned char)p[1]) || p[1] == '/');
}

/* Copies s to w (room for 5 times s) without markup: <i>, </sup>, <mml:math ...> tags, &amp; and
 * other entities, LaTeX commands and accents ({\"o} -> o), braces and $.
 * Greek LaTeX commands keep their name (\alpha -> alpha). */
static void strip_markup(const char *s, char *w)
{
	for (const char *r = s; *r;) {
		if (is_tag_start(r)) {
			const char *e = strchr(r, '>');
			if (e && e - r < 200) {
				*w++ = ' ';
				r = e + 1;
				continue;
			}
		}
		if (*r == '&') {
			const char *e = r + 1;
			if (*e == '#')
				e++;
			while (isalnum((unsigned char)*e) && e - r < 12)
				e++;
			if (*e == ';' && e > r + 1) {
				if (!strncmp(r, "&amp;", 5)) {
					memcpy(w, " and ", 5);
					w += 5;
				} else {
					*w++ = ' ';
				}
				r = e + 1;
				continue;
			}
			memcpy(w, " and ", 5);   /* "&" alone: "A & B" is "A and B" */
			w += 5;
			r++;
			continue;
		}
		if (*r == '\\') {
			const char *e = r + 1;
			while (isalpha((unsigned char)*e))
				e++;
			if (e == r + 1) {
				r += *e ? 2 : 1;   /* \" \' \^ accents, \& */
				continue;
			}
			size_t len = (size_t)(e - r - 1);
			int keep = 0;
			for (size_t g = 0; g < sizeof(greek) / sizeof(greek[0]); g++)
				if (strlen(greek[g]) == len && !strncmp(r + 1, greek[g], len))
					keep = 1;
			if (keep) {
				memmove(w, r + 1, len);
				w += len;
			}
			r = e;
			continue;
		}
		if (*r == '{' || *r == '}' || *r == '$') {
			r++;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
}

static int is_word_char(utf8proc_int32_t c)
{
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

static int is_digit_cp(utf8proc_int32_t c) { return c >= '0' && c <= '9'; }

char *qes__dd_fold(qes_arena *a, const char *s)
{
	if (!s || !*s)
		return NULL;
	/* Markup first, byte-level, into a copy that can grow ("&" becomes
	 * " and "). */
	size_t n = strlen(s);
	char stack[2048];
	char *m = n * 5 + 1 <= sizeof(stack) ? stack : malloc(n * 5 + 1);
	if (!m)
		return NULL;
	strip_markup(s, m);
	/* Most titles are plain ASCII: folding is then lower case, and
	 * utf8proc (with its allocation) is not needed. */
	int ascii = 1;
	size_t ml = 0;
	for (; m[ml]; ml++)
		if ((unsigned char)m[ml] >= 0x80)
			ascii = 0;
	utf8proc_uint8_t *f = NULL;
	utf8proc_ssize_t fl;
	if (ascii) {
		for (size_t i = 0; i < ml; i++)
			m[i] = (char)tolower((unsigned char)m[i]);
		f = (utf8proc_uint8_t *)m;
		fl = (utf8proc_ssize_t)ml;
	} else {
		fl = utf8proc_map((const utf8proc_uint8_t *)m, 0, &f,
			UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
			UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
		if (m != stack)
			free(m);
		m = NULL;
		if (fl < 0)
			return NULL;   /* not UTF-8: the store only holds UTF-8, so never */
	}
	/* Every letter or digit kept, anything else one space; punctuation
	 * between two digits vanishes ("1,000" = "1000", "0·5" = "0.5"). */
	char *out = qes__arena_alloc(a, (size_t)fl * 4 + 8);
	if (!out)
		goto done;
	char *w = out;
	utf8proc_int32_t prev = 0;
	for (utf8proc_ssize_t i = 0; i < fl;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate(f + i, fl - i, &c);
		if (k <= 0)
			break;
		i += k;
		if (c >= 0x3B1 && c <= 0x3C9) {
			const char *g = greek[c - 0x3B1];
			size_t gl = strlen(g);
			memcpy(w, g, gl);
			w += gl;
			prev = c;
			continue;
		}
		if (is_word_char(c)) {
			w += utf8proc_encode_char(c, (utf8proc_uint8_t *)w);
			prev = c;
			continue;
		}
		if (is_digit_cp(prev) && i < fl && (c == ',' || c == '.' || c == 0xB7)) {
			utf8proc_int32_t next;
			if (utf8proc_iterate(f + i, fl - i, &next) > 0 && is_digit_cp(next))
				continue;
		}
		if (w > out && w[-1] != ' ')
			*w++ = ' ';
		prev = ' ';
	}
	if (w > out && w[-1] == ' ')
		w--;
	*w = '\0';
done:
	if (m) {
		if (m != stack)
			free(m);
	} else {
		free(f);
	}
	return out && *out ? out : NULL;
}

/* 1 when the folded text has the word (whole word) w. */
static int has_word(const char *t, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = t; (p = strstr(p, w)); p++)
		if ((p == t || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

static int starts(const char *t, const char *w)
{
	size_t n = strlen(w);
	return !strncmp(t, w, n) && (t[n] == ' ' || !t[n]);
}

static int raw_starts(const char *raw, const char *w)
{
	while (*raw == ' ' || *raw == '[' || *raw == '"')
		raw++;
	return !strncasecmp(raw, w, strlen(w));
}

static int any_start(const char *t, const char *const *list)
{
	for (; *list; list++)
		if (starts(t, *list))
			return 1;
	return 0;
}

static int any_phrase(const char *t, const char *const *list)
{
	for (; *list; list++)
		if (has_word(t, *list))
			return 1;
	return 0;
}

unsigned qes__dd_title_flags(const char *t, const char *raw)
{
	static const char *const erratum_start[] = { "erratum", "errata", "corrigendum",
		"corrigenda", "correction to", "corrections to", "publisher correction",
		"author correction", "publishers note", NULL };
	static const char *const erratum_any[] = { "erratum", "corrigendum", "errata", NULL };
	static const char *const retraction_start[] = { "retraction", "retracted",
		"notice of retraction", "expression of concern", "withdrawn",
		"withdrawal", NULL };
	static const char *const comment_start[] = { "comment", "comments", "commentary",
		"re", "letter", "editorial comment", "invited commentary", NULL };
	static const char *const comment_any[] = { "comment on", "commentary on",
		"comments on", "letter to the editor", NULL };
	static const char *const reply_start[] = { "reply", "in reply", "author reply",
		"authors reply", "author s reply", "authors response", "author response",
		"response", NULL };
	static const char *const reply_any[] = { "reply to", "in reply", "authors reply",
		"response to comment", "response to letter", "response to the letter",
		"response to the comment", "response to re", "response to comments",
		"reply to comment", NULL };
	static const char *const protocol_any[] = { "protocol", "rationale and design",
		"design and rationale", NULL };
	unsigned f = 0;
	if (!t)
		return 0;
	if (any_start(t, erratum_start) || any_phrase(t, erratum_any) || !strcmp(t, "correction") ||
	    (raw && raw_starts(raw, "correction:")))
		f |= QES__DD_ERRATUM;
	if (any_start(t, retraction_start))
		f |= QES__DD_RETRACTION;
	/* "Comment: X", "Re: X", "Letter: X"; "Comment on X" anywhere. A title
	 * merely starting with "comment" as a word ("Comments from patients...")
	 * needs the colon of the raw title. */
	if (any_phrase(t, comment_any) ||
	    (any_start(t, comment_start) && raw &&
	     (raw_starts(raw, "comment:") || raw_starts(raw, "re:") || raw_starts(raw, "letter:") ||
	      raw_starts(raw, "comments:") || raw_starts(raw, "commentary:") ||
	      raw_starts(raw, "comment on") || raw_starts(raw, "commentary on"))))
		f |= QES__DD_COMMENT;
	size_t tl = strlen(t);
	if (any_phrase(t, reply_any) || (tl > 6 && !strcmp(t + tl - 6, " reply")) ||
	    (any_start(t, reply_start) && raw &&
	     (raw_starts(raw, "reply") || raw_starts(raw, "response:") || raw_starts(raw, "in reply"))))
		f |= QES__DD_REPLY;
	if (any_phrase(t, protocol_any))
		f |= QES__DD_PROTOCOL;
	if (raw) {
		while (*raw == ' ')
			raw++;
		size_t n = strlen(raw);
		while (n && (raw[n - 1] == ' ' || raw[n - 1] == '.'))
			n--;
		if (n > 2 && raw[0] == '[' && raw[n - 1] == ']')
			f |= QES__DD_TRANSLATED;   /* MEDLINE's mark of a translated title */
	}
	return f;
}

static int roman(const char *w, size_t n)
{
	static const char *const r[] = { "i", "ii", "iii", "iv", "v", "vi", "vii",
		"viii", "ix", "x", "xi", "xii" };
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (strlen(r[i]) == n && !strncmp(w, r[i], n))
			return (int)i + 1;
	return 0;
}

int qes__dd_part(const char *t)
{
	if (!t)
		return 0;
	for (const char *p = t; *p; p++) {
		if (p != t && p[-1] != ' ')
			continue;
		const char *n = NULL;
		if (!strncmp(p, "part ", 5))
			n = p + 5;
		else if (!strncmp(p, "pt ", 3))
			n = p + 3;
		if (!n)
			continue;
		if (isdigit((unsigned char)*n))
			return atoi(n) > 0 && atoi(n) < 1000 ? atoi(n) : 0;
		size_t len = strcspn(n, " ");
		int v = roman(n, len);
		if (v)
			return v;
	}
	return 0;
}

/* "type I", "phase I": a lone "i" is a numeral only after such words. */
static int after_ordinal_word(const char *t, const char *p)
{
	static const char *const w[] = { "type", "phase", "part", "grade", "stage", "class",
		"group", NULL };
	if (p == t || (p[1] != ' ' && p[1]))
		return 0;
	for (const char *const *k = w; *k; k++) {
		size_t n = strlen(*k);
		if ((size_t)(p - t) >= n + 1 && !strncmp(p - n - 1, *k, n) &&
		    (p - n - 1 == t || *(p - n - 2) == ' '))
			return 1;
	}
	return 0;
}

/* Digit runs and roman numerals standing alone (ii, iii, iv; "i" only
 * after "type", "phase"...; not "v" or "x", which are as often letters), as decimal numbers in order: "Type
 * II diabetes" and "type 2 diabetes" agree, "Part 1" and "Part 2" do not. */
char *qes__dd_numbers(qes_arena *a, const char *t)
{
	if (!t)
		return NULL;
	char *out = qes__arena_alloc(a, strlen(t) * 2 + 1);
	if (!out)
		return NULL;
	char *w = out;
	for (const char *p = t; *p;) {
		if (isdigit((unsigned char)*p)) {
			const char *e = p;
			while (*e == '0' && isdigit((unsigned char)e[1]))
				e++;   /* "01" = "1" */
			const char *s = e;
			while (isdigit((unsigned char)*e))
				e++;
			if (w > out)
				*w++ = ' ';
			memcpy(w, s, (size_t)(e - s));
			w += e - s;
			p = e;
			continue;
		}
		if (p == t || p[-1] == ' ') {
			size_t len = strcspn(p, " ");
			int v = len >= 2 || after_ordinal_word(t, p) ? roman(p, len) : 0;
			if (v) {
				if (w > out)
					*w++ = ' ';
				w += snprintf(w, 4, "%d", v);
				p += len;
				continue;
			}
		}
		p++;
	}
	*w = '\0';
	return *out ? out : NULL;
}

/* Family names for comparison, from "Family, Given" items or, when an
 * export ran the names together ("Adeli K.Lewis G. F."), from every word
 * that is not an initial. At most 12 authors. */
char *qes__dd_family_names(qes_arena *a, const qes_strlist *au)
{
	char buf[1024];
	size_t w = 0;
	for (size_t i = 0; i < au->n && i < 12; i++) {
		const char *s = au->items[i];
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		int has_lower = 0;
		for (size_t k = 0; k < len; k++)
			if (islower((unsigned char)s[k]))
				has_lower = 1;
		for (size_t k = 0; k < len;) {
			if (!isalpha((unsigned char)s[k]) && !((unsigned char)s[k] & 0x80)) {
				k++;
				continue;
			}
			size_t e = k, upper = 0, chars = 0;
			while (e < len && (isalpha((unsigned char)s[e]) || ((unsigned char)s[e] & 0x80))) {
				if (isupper((unsigned char)s[e]))
					upper++;
				if (((unsigned char)s[e] & 0xC0) != 0x80)
					chars++;
				e++;
			}
			/* Initials: one letter ("J", "Á", "Ł"), or "RE" in "Zuna RE"
			 * (capitals only, where the name has lower case too). One
			 * character from U+0800 on (CJK) is a name: "陈, 芳". */
			int letter = chars == 1 && (unsigned char)s[k] < 0xE0;
			int initials = letter || (!comma && has_lower && upper == chars && chars <= 3);
			if (!initials && w + (e - k) + 2 < sizeof(buf)) {
				if (w)
					buf[w++] = ' ';
				memcpy(buf + w, s + k, e - k);
				w += e - k;
			}
			k = e;
		}
	}
	buf[w] = '\0';
	return w ? qes__dd_fold(a, buf) : NULL;
}

/* Export damage and punctuation inside words: a "?" or U+FFFD that an
 * export put for a letter it could not write ("Revista espa?ola") is
 * dropped, so the damaged word is the whole word without one letter (it
 * then abbreviates the whole word, below); a short word that lost its end
 * ("th?" for "the") is dropped with it. Apostrophes go ("Women's",
 * Wade-Giles "K'o"). Writes into out (room for strlen(j) + 1). */
static void journal_undamage(const char *j, char *out)
{
	char *w = out;
	for (const char *p = j; *p;) {
		size_t bad = *p == '?' ? 1 : !strncmp(p, "\xEF\xBF\xBD", 3) ? 3 : 0;
		int before = w > out && (isalpha((unsigned char)w[-1]) || ((unsigned char)w[-1] & 0x80));
		int after = bad && (isalpha((unsigned char)p[bad]) || ((unsigned char)p[bad] & 0x80));
		if (bad && (before || after)) {
			if (before && !after) {
				/* "th?": the word is cut; a short one goes whole. */
				char *ws = w;
				while (ws > out && (isalpha((unsigned char)ws[-1]) || ((unsigned char)ws[-1] & 0x80)))
					ws--;
				if (w - ws <= 3)
					w = ws;
			}
			p += bad;
			continue;
		}
		if (*p == '\'' || !strncmp(p, "\xE2\x80\x99", 3)) {
			p += *p == '\'' ? 1 : 3;
			continue;
		}
		*w++ = *p++;
	}
	*w = '\0';
}

static char *journal_fold(qes_arena *a, const char *j)
{
	/* Stop words of the languages journals are named in; dropped from
	 * both names, so "Revista de la Sociedad" meets "Rev Soc". */
	static const char *const stop[] = { "of", "the", "and", "in", "for", "on", "de", "la",
		"le", "les", "der", "die", "das", "und", "et", "fur", "a", "an", "del", "della",
		"di", "des", "du", "y", "och", "og", "van", "voor", "zur", "pour", "en", "el",
		"los", "las", "da", "do", "dos", NULL };
	size_t n = strlen(j);
	char stackbuf[512];
	char *clean = n < sizeof(stackbuf) ? stackbuf : malloc(n + 1);
	if (!clean)
		return NULL;
	journal_undamage(j, clean);
	char *f = qes__dd_fold(a, clean);
	if (clean != stackbuf)
		free(clean);
	if (!f)
		return NULL;
	char *w = f;
	for (char *p = f; *p;) {
		size_t len = strcspn(p, " ");
		int skip = 0;
		for (const char *const *s = stop; *s && len <= 5 && !skip; s++)
			skip = (*s)[0] == p[0] && !strncmp(p, *s, len) && !(*s)[len];
		if (!skip) {
			if (w > f)
				*w++ = ' ';
			memmove(w, p, len);
			w += len;
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	*w = '\0';
	/* A leading acronym of the words after it goes: "JPEN J Parenter
	 * Enteral Nutr", "BMJ British Medical Journal", "JAMA Journal of the
	 * American Medical Association" (stop words already gone). */
	size_t k = strcspn(f, " ");
	if (k >= 3 && f[k]) {
		const char *p = f + k + 1;
		size_t i = 0;
		for (; i < k && *p; i++) {
			if (*p != f[i])
				break;
			p += strcspn(p, " ");
			p += *p == ' ';
		}
		if (i == k)
			memmove(f, f + k + 1, strlen(f + k + 1) + 1);
	}
	return *f ? f : NULL;
}

char *qes__dd_journal(qes_arena *a, const char *j)
{
	return j ? journal_fold(a, j) : NULL;
}

char *qes__dd_journal_main(qes_arena *a, const char *j)
{
	if (!j)
		return NULL;
	/* The name before a subtitle (": official journal of ...", " = Revue
	 * ...", " - ..."), without bracketed parts ("[Chinese journal of
	 * oncology]", "(Lond)", "[Electronic Resource]"). */
	size_t n = strlen(j);
	char stackbuf[512];
	char *m = n < sizeof(stackbuf) ? stackbuf : malloc(n + 1);
	if (!m)
		return NULL;
	char *w = m;
	int depth = 0, cut = 0;
	for (const char *p = j; *p; p++) {
		if (*p == '[' || *p == '(') {
			depth++;
			cut = 1;
			continue;
		}
		if ((*p == ']' || *p == ')') && depth) {
			depth--;
			continue;
		}
		if (depth)
			continue;
		if (*p == ':' || *p == '=' || *p == '/' || (*p == ' ' && p[1] == '-' && p[2] == ' ')) {
			cut = 1;
			break;
		}
		*w++ = *p;
	}
	*w = '\0';
	char *f = cut ? journal_fold(a, m) : NULL;
	if (m != stackbuf)
		free(m);
	return f;
}

/* Wade-Giles syllables as pinyin, for the words Chinese journal names are
 * made of ("Chung-Hua Chung Liu Tsa Chih" is "Zhonghua zhong liu za zhi");
 * the aspiration marks are gone with the apostrophes ("K'o" = "ko" = ke). */
static const char *const wade_giles[][2] = {
	{ "chung", "zhong" }, { "chih", "zhi" }, { "tsa", "za" }, { "hsueh", "xue" },
	{ "i", "yi" }, { "ko", "ke" }, { "erh", "er" }, { "yen", "yan" }, { "ping", "bing" },
	{ "chieh", "jie" }, { "ho", "he" }, { "hsi", "xi" }, { "ching", "jing" },
	{ "chiang", "qiang" }, { "kan", "gan" }, { "tsang", "zang" }, { "hsin", "xin" },
	{ "kuan", "guan" }, { "hsing", "xing" }, { "shih", "shi" }, { "chien", "jian" },
	{ "tsui", "zui" }, { "ku", "gu" }, { "cheng", "zheng" }, { "pao", "bao" },
	{ "tao", "dao" }, { "tung", "dong" }, { "kung", "gong" }, { "kuo", "guo" },
	{ "chiu", "jiu" }, { "chin", "jin" }, { "chou", "zhou" }, { "chu", "zhu" },
	{ "tzu", "zi" }, { "hsiao", "xiao" }, { "hsien", "xian" }, { "hsia", "xia" },
	{ "hsiang", "xiang" }, { "hsu", "xu" }, { "chia", "jia" }, { "chiao", "jiao" },
	{ "jen", "ren" }, { "jih", "ri" }, { "ta", "da" }, { "te", "de" }, { "ti", "di" },
	{ "tien", "dian" }, { "pei", "bei" }, { "pu", "bu" }, { "tsung", "zong" },
	{ "ts", "c" },
};

/* Hepburn and Kunrei-shiki spell Japanese alike after this ("zasshi" /
 * "zassi", "Nippon" / "Nihon", long vowels "ou", "uu", "oo" as one). */
static const char *const kana[][2] = {
	{ "nippon", "nihon" }, { "shi", "si" }, { "chi", "ti" }, { "tsu", "tu" },
	{ "sh", "sy" }, { "ch", "ty" }, { "ji", "zi" }, { "j", "zy" }, { "fu", "hu" },
	{ "ou", "o" }, { "uu", "u" }, { "oo", "o" },
};

uint64_t qes__dd_journal_roman(const char *folded)
{
	if (!folded)
		return 0;
	/* Word by word, Wade-Giles to pinyin; then the words run together
	 * (pinyin joins "Zhonghua", Wade-Giles hyphenates "Chung-Hua"), and
	 * the Japanese spellings made one. FNV-1a of the result. */
	char buf[512];
	size_t w = 0;
	for (const char *p = folded; *p && w < sizeof(buf) - 16;) {
		size_t len = strcspn(p, " ");
		const char *rep = NULL;
		for (size_t k = 0; len <= 6 && k < sizeof(wade_giles) / sizeof(wade_giles[0]); k++)
			if (wade_giles[k][0][0] == p[0] && !strncmp(p, wade_giles[k][0], len) &&
			    !wade_giles[k][0][len])
				rep = wade_giles[k][1];
		size_t rl = rep ? strlen(rep) : len;
		if (w + rl >= sizeof(buf) - 16)
			break;
		memcpy(buf + w, rep ? rep : p, rl);
		w += rl;
		p += len;
		while (*p == ' ')
			p++;
	}
	buf[w] = '\0';
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = buf; *p;) {
		size_t k = 0;
		for (; k < sizeof(kana) / sizeof(kana[0]); k++)
			if (kana[k][0][0] == p[0] && !strncmp(p, kana[k][0], strlen(kana[k][0])))
				break;
		const char *emit = k < sizeof(kana) / sizeof(kana[0]) ? kana[k][1] : p;
		size_t el = k < sizeof(kana) / sizeof(kana[0]) ? strlen(kana[k][1]) : 1;
		for (size_t i = 0; i < el; i++) {
			h ^= (unsigned char)emit[i];
			h *= 1099511628211ULL;
		}
		p += k < sizeof(kana) / sizeof(kana[0]) ? strlen(kana[k][0]) : 1;
	}
	return h ? h : 1;
}

/* a abbreviates word b: same first letter and a's letters appear in b in
 * order ("natl" in "national", "lipidol" in "lipidology"). */
static int abbreviates(const char *a, size_t la, const char *b, size_t lb)
{
	if (!la || !lb || a[0] != b[0] || la > lb)
		return 0;
	size_t j = 0;
	for (size_t i = 0; i < lb && j < la; i++)
		if (b[i] == a[j])
			j++;
	return j == la;
}

/* Word by word, the shorter name abbreviates the start of the longer. */
static int abbrev_of(const char *s, const char *l)
{
	while (*s) {
		size_t ls = strcspn(s, " "), ll = strcspn(l, " ");
		if (!ll || !abbreviates(s, ls, l, ll))
			return 0;
		s += ls;
		l += ll;
		while (*s == ' ')
			s++;
		while (*l == ' ')
			l++;
	}
	return 1;
}

int qes__dd_journal_compatible(const char *a, const char *b)
{
	if (!strcmp(a, b))
		return 1;
	size_t wa = 1, wb = 1;
	for (const char *p = a; *p; p++)
		wa += *p == ' ';
	for (const char *p = b; *p; p++)
		wb += *p == ' ';
	/* As many words both ways ("J Clin Nurs", "Journal of Clinical
	 * Nursing" without stop words): either may be the abbreviation. */
	return (wa <= wb && abbrev_of(a, b)) || (wb <= wa && abbrev_of(b, a));
}

int qes__dd_journal_match(const qes__dd_rec *a, const qes__dd_rec *b)
{
	if (!a->journal || !b->journal)
		return 0;
	if (qes__dd_journal_compatible(a->journal, b->journal))
		return 1;
	const char *ma = a->journal_main ? a->journal_main : a->journal;
	const char *mb = b->journal_main ? b->journal_main : b->journal;
	if ((a->journal_main || b->journal_main) && qes__dd_journal_compatible(ma, mb))
		return 1;
	if (a->journal_main && qes__dd_journal_compatible(a->journal_main, b->journal))
		return 1;
	if (b->journal_main && qes__dd_journal_compatible(a->journal, b->journal_main))
		return 1;
	return a->journal_rom && a->journal_rom == b->journal_rom;
}

char *qes__dd_given_names(qes_arena *a, const qes_strlist *au)
{
	if (!au->n)
		return NULL;
	const char *s = au->items[0], *comma = strchr(s, ',');
	if (!comma)
		return NULL;
	char buf[256];
	size_t w = 0;
	for (const char *p = comma + 1; *p;) {
		if (!isalpha((unsigned char)*p) && !((unsigned char)*p & 0x80)) {
			p++;
			continue;
		}
		const char *e = p;
		size_t chars = 0;
		while (*e && (isalpha((unsigned char)*e) || ((unsigned char)*e & 0x80))) {
			chars += ((unsigned char)*e & 0xC0) != 0x80;
			e++;
		}
		/* Whole words only: "T", "RE" (capitals only) are initials. */
		int caps = 1;
		for (const char *q = p; q < e; q++)
			caps &= !islower((unsigned char)*q);
		if (chars >= 2 && !caps && w + (size_t)(e - p) + 2 < sizeof(buf)) {
			if (w)
				buf[w++] = ' ';
			memcpy(buf + w, p, (size_t)(e - p));
			w += (size_t)(e - p);
		}
		p = e;
	}
	buf[w] = '\0';
	return w ? qes__dd_fold(a, buf) : NULL;
}

long qes__dd_leading_number(const char *s)
{
	if (!s)
		return 0;
	while (*s && !isdigit((unsigned char)*s))
		s++;
	long v = 0;
	for (int k = 0; isdigit((unsigned char)*s) && k < 9; s++, k++)
		v = v * 10 + (*s - '0');
	return v;
}

/* Letters (at most 2) then digits: "e24", "S45", "1234". Returns the
 * number and moves *p past it; 0 when the text is not like that. */
static long page_number(const char **p, char *pfx)
{
	const char *s = *p;
	size_t nl = 0;
	while (isalpha((unsigned char)s[nl]))
		nl++;
	if (nl > 2 || !isdigit((unsigned char)s[nl]))
		return 0;
	*pfx = nl ? (char)tolower((unsigned char)s[0]) : 0;
	s += nl;
	long v = 0;
	for (int k = 0; isdigit((unsigned char)*s); s++, k++)
		if (k < 9)
			v = v * 10 + (*s - '0');
	*p = s;
	return v;
}

/* "221-8" -> 221..228; "e1234" -> 1234..1234; "S45-S50" -> 45..50.
 * Anything else ("t-51", "Suppl-41", "532, 534-536", "2297-2108") is
 * garbled by some export: unknown (0), never evidence either way. */
void qes__dd_pages(const char *p, long *first, long *last, char *pfx)
{
	*first = *last = 0;
	*pfx = 0;
	if (!p)
		return;
	/* What exports add around the pages: "pp. 63-70", "p. 63", "P63 [tp
	 * 104]" (a page and, in brackets, the pages of the issue), "35+" (the
	 * article goes on), "63-" (no end page). */
	char buf[64];
	size_t n = strlen(p);
	if (n >= sizeof(buf))
		return;
	memcpy(buf, p, n + 1);
	char *br = strchr(buf, '[');
	if (br && br > buf)
		*br = '\0';
	n = strlen(buf);
	while (n && (buf[n - 1] == ' ' || buf[n - 1] == '+' || buf[n - 1] == '.' ||
		     (buf[n - 1] == '-' && n > 1 && isdigit((unsigned char)buf[n - 2]))))
		buf[--n] = '\0';
	const char *s = buf;
	while (*s == ' ')
		s++;
	if ((s[0] == 'p' || s[0] == 'P') && (s[1] == 'p' || s[1] == 'P') && (s[2] == '.' || s[2] == ' '))
		s += 3;
	else if ((s[0] == 'p' || s[0] == 'P') && (s[1] == '.' || (s[1] == ' ' && isdigit((unsigned char)s[2]))))
		s += 2;
	else if ((s[0] == 'P' || s[0] == 'p') && isdigit((unsigned char)s[1]) && !strchr(s, '-'))
		s += 1;   /* "P63": the page, not an article number "p63" with a range */
	while (*s == ' ')
		s++;
	char pf = 0, pl = 0;
	long f = page_number(&s, &pf);
	if (!f)
		return;
	long l = f;
	if (*s == '-') {
		s++;
		const char *d = s;
		l = page_number(&s, &pl);
		if (!l || (pl && pl != pf))
			return;
		while (!isdigit((unsigned char)*d))
			d++;
		size_t nd = (size_t)(s - d), nf = 0;
		for (long x = f; x; x /= 10)
			nf++;
		if (l < f) {
			if (nd >= nf)
				return;
			long mod = 1;
			for (size_t k = 0; k < nd; k++)
				mod *= 10;
			l = f - f % mod + l;
			if (l < f)
				l += mod;
		}
	}
	if (*s)
		return;
	*first = f;
	*last = l;
	*pfx = pf;
}

/* "%28" -> "(": some databases export DOIs URL-encoded. */
static const char *doi_decode(qes_arena *a, const char *d)
{
	if (!d || !strchr(d, '%'))
		return d;
	char *o = qes__arena_alloc(a, strlen(d) + 1), *w = o;
	if (!o)
		return d;
	for (const char *p = d; *p; p++) {
		if (p[0] == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
			char hex[3] = { p[1], p[2], 0 };
			*w++ = (char)tolower((int)strtol(hex, NULL, 16));
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return o;
}

/* 1 when the letters of code (n of them) occur in order in the folded
 * journal name (spaces skipped), or the first starts one of its words. */
static int code_fits(const char *code, size_t n, const char *journal)
{
	size_t k = 0;
	for (const char *p = journal; *p && k < n; p++)
		k += *p == code[k];
	if (k == n)
		return 1;
	for (const char *p = journal; *p; p += strcspn(p, " "), p += *p == ' ')
		if (*p == code[0])
			return 1;
	return 0;
}

/* Copies the first ISSN ("0195-6663", "01956663", "1742-464X") at or after
 * *s into out (8 characters, lower case), advancing *s. 0 when none. */
static int next_issn(const char **s, char out[9])
{
	for (const char *p = *s; *p; p++) {
		size_t k = 0;
		const char *q = p;
		for (; *q && k < 8; q++) {
			if (k == 4 && *q == '-')
				continue;
			int c = tolower((unsigned char)*q);
			if (!(isdigit(c) || (k == 7 && c == 'x')))
				break;
			out[k++] = (char)c;
		}
		if (k == 8 && !isalnum((unsigned char)*q) && (p == *s || !isalnum((unsigned char)p[-1]))) {
			out[8] = '\0';
			*s = q;
			return 1;
		}
	}
	return 0;
}

/* 1 when the record holds ISSNs and issn is none of them; 0 when it is
 * one, or the record has none. */
static int issn_misfit(const char *issn, const char *f1, const char *f2)
{
	const char *fields[2] = { f1, f2 };
	int seen = 0;
	char got[9];
	for (int i = 0; i < 2; i++)
		for (const char *p = fields[i]; p && next_issn(&p, got);) {
			if (!strcmp(got, issn))
				return 0;
			seen = 1;
		}
	return seen;
}

/* Elsevier's DOIs name the journal: "10.1016/j.<code>." where the code is
 * built from the journal's name (appet = Appetite, regpep = Regul Pept,
 * ijcard = Int J Cardiol; a leading "y" for the old Academic Press
 * journals: yjmcc; sometimes a "j" for "journal" that the name lacks:
 * jcjd = Can J Diabetes, hence any word's initial is enough), and the
 * older "10.1016/S<ISSN>(..)" carries the print ISSN. A database may
 * attach another journal's DOI to a record (ASySD Diabetes: a regpep DOI
 * on an Appetite abstract). Only a clear contradiction counts: unknown is
 * a fit. Wiley's "10.1111/j.<ISSN>" is not used: it carries the
 * electronic ISSN where records list the print one. */
int qes__dd_doi_misfit(const char *doi, const char *journal, const char *issn,
		       const char *isbn)
{
	const char *p = doi ? strstr(doi, "10.1016/") : NULL;
	if (!p)
		return 0;
	p += 8;
	if ((p[0] == 'j' || p[0] == 'J') && p[1] == '.') {
		const char *code = p + 2;
		size_t n = 0;
		while (code[n] >= 'a' && code[n] <= 'z')
			n++;
		if (n < 2 || code[n] != '.' || !journal)
			return 0;
		return !code_fits(code, n, journal) &&
		       !(code[0] == 'y' && code_fits(code + 1, n - 1, journal));
	}
	if (p[0] == 's' || p[0] == 'S') {
		const char *q = p + 1;
		char want[9];
		if (!next_issn(&q, want) || q - p > 10)
			return 0;
		return issn_misfit(want, issn, isbn);
	}
	return 0;
}

/* A value cut from a longer one ("1)" from "50 (Suppl. 1)") says nothing. */
static int garbled(const char *s)
{
	return s && strchr(s, ')') && !strchr(s, '(');
}

static int is_abstract(const qes_record *rec, const char *journal)
{
	static const char *const words[] = { "conference", "congress", "meeting", "symposium",
		"proceedings", "abstracts", "abstract", "annual", "workshop",
		/* the same words abbreviated (ISO 4): "Diabetes Conf", "Circ Conf Am Heart Assoc" */
		"conf", "congr", "symp", "abstr", NULL };
	if (rec->type && !strcmp(rec->type, QES_TYPE_CONFERENCE))
		return 1;
	if (journal && any_phrase(journal, words))
		return 1;
	for (const char *s = rec->volume; s && *s; s++)
		if (!strncasecmp(s, "suppl", 5))
			return 1;
	for (const char *s = rec->issue; s && *s; s++)
		if (!strncasecmp(s, "suppl", 5))
			return 1;
	return 0;
}

static void trim_end(char *t)
{
	size_t n = strlen(t);
	while (n && (t[n - 1] == ' ' || t[n - 1] == '.'))
		t[--n] = '\0';
}

/* The citation an erratum record adds to the corrected title: Web of
 * Science "(vol 360, pg 542, 2009)", Embase "(New Engl J Med (2009) 360
 * (542-544))", or such a group cut short. Returns where it starts. */
static char *erratum_citation(char *t)
{
	size_t n = strlen(t);
	if (!n)
		return NULL;
	if (t[n - 1] == ')') {
		int depth = 0;
		for (size_t i = n; i-- > 0;) {
			depth += t[i] == ')';
			depth -= t[i] == '(';
			if (!depth) {
				if (i && (strstr(t + i, "vol ") || strstr(t + i, "Vol ")) &&
				    strstr(t + i, "pg "))
					return t + i;
				const char *in = strchr(t + i + 1, '(');
				if (i && in && isdigit((unsigned char)in[1]) && isdigit((unsigned char)in[4]) &&
				    in[5] == ')')
					return t + i;
				return NULL;
			}
		}
		return NULL;
	}
	/* Cut short: "(The Journal of Pediatrics (M" */
	char *open = strrchr(t, '(');
	if (!open || strchr(open, ')'))
		return NULL;
	char *first = open;
	while (first > t && first[-1] != ')' && first[-1] != '(')
		first--;
	return first > t && first[-1] == '(' && first - 1 > t ? first - 1 : NULL;
}

char *qes__dd_strip_notes(qes_arena *a, const char *title, unsigned *flags)
{
	static const char *const notes[] = { "[erratum", "[published erratum", "[review",
		"[comment", "[retract", "[article in", "[corrected", "[see ", NULL };
	if (!title)
		return NULL;
	char *t = qes__arena_strdup(a, title);
	if (!t)
		return NULL;
	for (char *p = *t ? strchr(t + 1, '[') : NULL; p; p = strchr(p + 1, '['))
		for (const char *const *k = notes; *k; k++)
			if (!strncasecmp(p, *k, strlen(*k))) {
				*p = '\0';
				goto cut;
			}
cut:
	for (;;) {
		trim_end(t);
		char *open = strrchr(t, '[');
		if (!open || open == t)
			break;
		char *close = strchr(open, ']');
		/* A note ends the title ("[Review] [72 refs]"), or was cut
		 * ("[Erratum appears in Arch"). */
		if (close && close[1] && strspn(close + 1, " .") != strlen(close + 1))
			break;
		*open = '\0';
	}
	char *cit = erratum_citation(t);
	if (cit) {
		*cit = '\0';
		trim_end(t);
		*flags |= QES__DD_ERRATUM;
	}
	return t;
}

/* "Erratum: X" is compared as X (with the erratum flag kept). */
static void drop_erratum_word(char *t)
{
	static const char *const w[] = { "erratum to ", "erratum ", "corrigendum to ",
		"corrigendum ", "correction to ", NULL };
	for (const char *const *k = w; *k; k++) {
		size_t n = strlen(*k);
		if (!strncmp(t, *k, n)) {
			memmove(t, t + n, strlen(t + n) + 1);
			return;
		}
	}
}

int qes__dd_prepare(qes__dd_rec *r, const qes_record *rec, qes_arena *a)
{
	memset(r, 0, sizeof(*r));
	r->key = rec->source_key;
	unsigned cited = 0;
	const char *title = qes__dd_strip_notes(a, rec->title, &cited);
	char *folded = qes__dd_fold(a, title);
	r->title = folded;
	if (r->title) {
		unsigned pre = qes__dd_title_flags(folded, title);
		if (pre & QES__DD_ERRATUM)
			drop_erratum_word(folded);
		char *k = qes__arena_alloc(a, strlen(r->title) + 1);
		if (!k)
			return QES_ENOMEM;
		char *w = k;
		for (const char *p = r->title; *p; p++)
			if (*p != ' ')
				*w++ = *p;
		*w = '\0';
		r->tkey = k;
		r->tlen = (unsigned)(w - k);
		r->nums = qes__dd_numbers(a, r->title);
		r->part = qes__dd_part(r->title);
		r->flags = pre | cited;
	}
	r->authors = qes__dd_family_names(a, &rec->authors);
	r->journal = qes__dd_journal(a, rec->journal);
	r->journal_main = qes__dd_journal_main(a, rec->journal);
	if (r->journal_main && r->journal && !strcmp(r->journal_main, r->journal))
		r->journal_main = NULL;
	r->journal_rom = qes__dd_journal_roman(r->journal_main ? r->journal_main : r->journal);
	r->first_alt = qes__dd_given_names(a, &rec->authors);
	if (is_abstract(rec, r->journal))
		r->flags |= QES__DD_ABSTRACT;
	r->doi = doi_decode(a, rec->doi);
	if (qes__dd_doi_misfit(r->doi, r->journal, rec->issn, rec->isbn))
		r->flags |= QES__DD_DOI_MISFIT;
	r->pmid = rec->pmid;
	r->lang = qes__dd_fold(a, rec->language);
	r->volume = garbled(rec->volume) ? 0 : qes__dd_leading_number(rec->volume);
	r->issue = qes__dd_leading_number(rec->issue);
	qes__dd_pages(rec->pages, &r->page_first, &r->page_last, &r->page_pfx);
	r->year = rec->year;
	return 0;
}
