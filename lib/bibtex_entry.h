/* bibtex_entry.h: a BibTeX entry as the parser cuts it out (fields
 * lower-case, values macro-expanded but still LaTeX), and the record built
 * from it (bibtex_record.c). Internal to the BibTeX parser. */
#ifndef QES_BIBTEX_ENTRY_H
#define QES_BIBTEX_ENTRY_H

#include <stddef.h>
#include "arena.h"
#include "qes/record.h"

typedef struct bfield {
	char *name;
	char *value;
} bfield;

typedef struct bentry {
	char *type;          /* as written */
	char *key;           /* NULL when the entry has none */
	char *crossref;      /* target key, NULL when none */
	long line;
	char *raw;
	size_t raw_len;
	bfield *f;
	size_t n, alloc;
	struct bentry *next; /* deferred list */
} bentry;

/* The record for e (its fields already include what its crossref gives):
 * types, fields, authors and keywords mapped, LaTeX turned into Unicode;
 * strings in arena a. 0, QES_ELIMIT (too many authors or keywords) or
 * QES_ENOMEM. */
int qes__bibtex_record(qes_arena *a, const bentry *e, qes_record *rec);
/* The value (still LaTeX) of e's field name (lower-case), or NULL. */
const char *qes__bibtex_field(const bentry *e, const char *name);
/* "March" for "3", "mar", "March 2001"...; NULL when m names no month. */
const char *qes__bibtex_month_name(const char *m);

#endif
