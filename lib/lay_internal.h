/* lay_internal.h: what the lay summary's files share. */
#ifndef QES_LAY_INTERNAL_H
#define QES_LAY_INTERNAL_H

#include <stddef.h>
#include "qes/lay.h"
#include "strbuf.h"

/* Readability thresholds (plain-language guidance: sentences of 15 to 20
 * words; words of three syllables or more are "long"). */
#define QES_LAY_LONG_SENTENCE 20
#define QES_LAY_LONG_WORD     3

/* Block kinds of the markdown subset. */
enum { QES__LAY_H1 = 1, QES__LAY_H2, QES__LAY_H3, QES__LAY_P, QES__LAY_LI };

/* Cuts markdown into blocks (headings, paragraphs joined into one line,
 * list items) and calls fn with each block's inline text (markers kept).
 * QES_ELIMIT above QES_MAX_FIELD; fn's non-zero return stops. */
int qes__lay_blocks(const char *text, size_t len,
		    int (*fn)(void *ud, int kind, const char *text, size_t len), void *ud,
		    qes_error *err);
/* The block's text without the inline markers (** and *), appended. */
int qes__lay_plain(qes_strbuf *sb, const char *text, size_t len);

/* The minimal .docx (WordprocessingML) of a markdown text, written to path
 * (a temporary file the caller renames). */
int qes__lay_docx(const char *markdown, const char *path, qes_error *err);

#endif
