/* rank_text.c: the tokeniser for ranking features. Text is case-folded and
 * stripped of diacritics by utf8proc, cut into runs of letters and digits,
 * and each token of two or more characters is stemmed by the Snowball
 * English stemmer (libstemmer), as text classifiers for screening do. */
#include "rank_internal.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct qes__tokeniser {
	struct sb_stemmer *stem;
};

int qes__tokeniser_new(qes__tokeniser **out, int stem)
{
	qes__tokeniser *t = calloc(1, sizeof(*t));
	if (!t)
		return QES_ENOMEM;
	if (!stem) {
		*out = t;
		return 0;
	}
	t->stem = sb_stemmer_new("english", "UTF_8");
	if (!t->stem) {
		free(t);
		return QES_ENOMEM;
	}
	*out = t;
	return 0;
}

void qes__tokeniser_free(qes__tokeniser *t)
{
	if (!t)
		return;
	if (t->stem)
		sb_stemmer_delete(t->stem);
	free(t);
}

/* Token characters: ASCII letters and digits, and every non-ASCII byte
 * (letters of other scripts survive folding as multi-byte sequences). */
static int is_tok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

int qes__tokenise(qes__tokeniser *t, const char *text,
		  int (*fn)(void *ud, const char *tok, size_t len), void *ud)
{
	if (!text || !*text)
		return 0;
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)text, 0, &folded,
					  UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
					  UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
	if (n < 0)
		return 0;   /* invalid UTF-8 has no tokens we can trust */
	int rc = 0;
	const unsigned char *s = folded;
	size_t i = 0, len = (size_t)n;
	while (i < len && !rc) {
		while (i < len && !is_tok(s[i]))
			i++;
		size_t start = i;
		while (i < len && is_tok(s[i]))
			i++;
		size_t tl = i - start;
		if (tl < 2 || tl > 64)
			continue;   /* single letters and run-together junk carry no topic */
		if (!t->stem) {
			rc = fn(ud, (const char *)s + start, tl);
			continue;
		}
		const sb_symbol *st = sb_stemmer_stem(t->stem, s + start, (int)tl);
		if (!st)
			rc = QES_ENOMEM;
		else
			rc = fn(ud, (const char *)st, (size_t)sb_stemmer_length(t->stem));
	}
	free(folded);
	return rc;
}
