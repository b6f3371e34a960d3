/* qes/record.h: one bibliographic record, as parsers produce it and the
 * store keeps it.
 *
 * Ownership: every string in a qes_record belongs to the arena that was
 * given to the parser (or to qes_record_init's caller); a record is valid
 * until that arena is reset. Strings are UTF-8, NUL-terminated, NULL when
 * the field is absent. Lists (authors, keywords) are arrays of strings. */
#ifndef QES_RECORD_H
#define QES_RECORD_H

#include <stddef.h>

typedef struct qes_strlist {
	char **items;
	size_t n, alloc;
} qes_strlist;

/* The normalised reference types (qes_record.type). The raw type as the file
 * wrote it (RIS "JOUR", BibTeX "article", EndNote "17") is in type_raw. */
#define QES_TYPE_ARTICLE     "article"
#define QES_TYPE_BOOK        "book"
#define QES_TYPE_CHAPTER     "chapter"
#define QES_TYPE_CONFERENCE  "conference"
#define QES_TYPE_THESIS      "thesis"
#define QES_TYPE_REPORT      "report"
#define QES_TYPE_WEB         "web"
#define QES_TYPE_PREPRINT    "preprint"
#define QES_TYPE_DATASET     "dataset"
#define QES_TYPE_OTHER       "other"

typedef struct qes_record {
	/* Provenance. */
	char *source_key;   /* identifier in the file (RIS ID, PMID, BibTeX key,
			     * rec-number, CSV id column); NULL = use ordinal */
	long ordinal;       /* 1-based position in the file, set by the importer */
	long line;          /* first line of the record in the file */
	char *raw;          /* the record's text exactly as decoded from the file */
	size_t raw_len;

	/* Normalised bibliographic fields. */
	char *type;         /* one of QES_TYPE_* */
	char *type_raw;
	char *title;
	char *abstract;
	qes_strlist authors;   /* "Family, Given" where the form allows */
	int year;           /* 0 when unknown */
	char *date;         /* fuller date as written (e.g. "2021 Mar 4"), optional */
	char *journal;      /* journal, book or proceedings title */
	char *volume;
	char *issue;
	char *pages;        /* "123-130" */
	char *doi;          /* lower-case, no "https://doi.org/" or "doi:" prefix */
	char *pmid;
	char *issn;         /* ISSN(s), "; "-separated when several */
	char *isbn;
	qes_strlist keywords;
	char *language;
	char *url;
	char *publisher;
	char *database;     /* database or provider named inside the record (RIS DB/DP) */
	char *notes;        /* notes fields (RIS N1), kept for the reviewer */

	/* Fields the format had that map to none of the above, as name/value
	 * pairs (items[2k] = name, items[2k+1] = value): CSV columns such as
	 * "label_included", unknown RIS tags. Not stored as fields (the raw text
	 * keeps them), but commands that read labels (simulate, decide --from)
	 * find them here. */
	qes_strlist extra;
} qes_record;

/* The value of extra field NAME (case-insensitive), or NULL. */
const char *qes_record_extra(const qes_record *rec, const char *name);

/* Field names in the order exports use; the single list that CSV columns,
 * JSON keys and golden tests follow. */
extern const char *const qes_record_field_names[];

#endif
