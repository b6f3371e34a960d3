/* bibtex_text.h: the text of BibTeX values (bibtex_text.c), for the
 * BibTeX parser. */
#ifndef QES_BIBTEX_TEXT_H
#define QES_BIBTEX_TEXT_H

#include <stddef.h>
#include "arena.h"
#include "strbuf.h"

/* A piece of a value: not NUL-terminated. */
typedef struct qes__bib_span {
	const char *p;
	size_t n;
} qes__bib_span;

/* The Unicode text (NFC, in the arena) of LaTeX s[0..n); tmp is scratch.
 * Too deeply nested to convert: the text as written. NULL when out of
 * memory. */
char *qes__latex_text(qes_arena *a, qes_strbuf *tmp, const char *s, size_t n);
/* A field kept as written (URL, DOI, file name): only a BibTeX writer's
 * escapes (\_ \% \& \# \$ \~) and protection braces go. */
char *qes__latex_verbatim(qes_arena *a, const char *s);
/* The next name of an author list, up to " and " at brace depth 0; 0 at
 * the end. */
int qes__bib_next_name(const char **p, const char *end, qes__bib_span *name);
/* One name as "von Last, First, Jr" (still LaTeX) appended to out. */
int qes__bib_format_name(qes_strbuf *out, qes__bib_span name);

#endif
