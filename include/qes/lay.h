/* qes/lay.h: the plain-language (lay) summary, written by the team with the
 * lived-experience advisory group.
 *
 * The summary is markdown (a small subset: "#", "##", "###" headings,
 * paragraphs, "- " list items, **bold** and *italic*). Every save is a new
 * version; nothing is overwritten. One version at a time is shared with
 * advisors, who see that version only, and comment on it through the
 * advisory group's comment and response record (qes_comment_add with the
 * target "lay:N", N a version; the team responds with qes_comment_respond).
 * Without any version, the summary is a template filled from the review
 * (question, how many studies and from where, the themes' key points, what
 * the findings mean), for the team to rewrite.
 *
 * Readability (docs/selfcheck.md): Flesch reading ease (Flesch 1948),
 * mean sentence length, long words (3 syllables or more, by the vowel-group
 * heuristic) and jargon flagged against the plain-language word list
 * shipped in data/lay/plain-words.tsv. */
#ifndef QES_LAY_H
#define QES_LAY_H

#include <stddef.h>
#include <jansson.h>
#include "qes/error.h"
#include "qes/store.h"

/* Saves text as a new version (one transaction, logged). *version gets its
 * number (1, 2, ...). QES_ELIMIT above QES_MAX_FIELD. */
int qes_lay_save(qes_store *st, const char *text, const char *by, long *version,
		 qes_error *err);
/* The text of version n (0: the latest; none yet: the template). *text
 * malloc'd; *version gets n (0 for the template). */
int qes_lay_get(qes_store *st, long n, char **text, long *version, qes_error *err);
/* The template filled from the review's data. *text malloc'd. */
int qes_lay_template(qes_store *st, char **text, qes_error *err);
/* Shares version n (0: the latest) with advisors, replacing the version
 * shared before; n < 0 stops sharing. One transaction, logged. */
int qes_lay_share(qes_store *st, long n, const char *by, qes_error *err);
/* The shared version's number, 0 when none. */
int qes_lay_shared(qes_store *st, long *version, qes_error *err);
/* [{ "version", "by", "at", "shared", "comments" }], oldest first. */
json_t *qes_lay_versions_json(qes_store *st, qes_error *err);
/* What advisors see: { "version", "text", "html", "comments": [{ "comment",
 * "by", "text", "status", "change" }] } for the shared version, or
 * { "version": null } when nothing is shared. */
json_t *qes_lay_advisor_json(qes_store *st, qes_error *err);

/* Readability of a markdown text: { "words", "sentences", "syllables",
 * "flesch", "mean_sentence_length", "long_words": [words],
 * "long_sentences": [{ "sentence", "words" }], "jargon": [{ "word",
 * "plain" }] }. Markdown markers are not words. */
json_t *qes_lay_readability_json(const char *text, qes_error *err);
/* The syllables of one word by the heuristic (docs/selfcheck.md). */
int qes_lay_syllables(const char *word, size_t len);

/* The markdown subset as an HTML fragment (escaped; nothing else passes
 * through). *html malloc'd. QES_ELIMIT above QES_MAX_FIELD. */
int qes_lay_markdown_html(const char *text, size_t len, char **html, qes_error *err);

/* Writes version n (0: the latest, or the template) to path as a
 * standalone HTML page, a PDF (cairo) or a .docx (WordprocessingML), by
 * the extension (.html, .pdf, .docx). Written to a temporary file and
 * renamed. */
int qes_lay_export(qes_store *st, long n, const char *path, qes_error *err);

#endif
