/* delimited_lists.h: list values of delimited exports (delimited_lists.c),
 * for the CSV/TSV parser. */
#ifndef QES_DELIMITED_LISTS_H
#define QES_DELIMITED_LISTS_H

#include "parser.h"

/* s without surrounding white space, in the arena; NULL when empty. */
char *qes__delim_trimmed(qes_arena *a, const char *s);
/* Appends the authors in v to l. strict: v is ";"-separated (qes's own
 * exports), nothing guessed. 0, or a QES_E* code (out of memory, too many
 * items). */
int qes__delim_split_authors(const char *v, int strict, qes_strlist *l, qes_arena *a);
/* The same for keywords (";"; or "," when there are three or more and no ";"). */
int qes__delim_split_keywords(const char *v, int strict, qes_strlist *l, qes_arena *a);

#endif
