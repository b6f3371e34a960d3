/* qes/export.h: writing records out as RIS, CSV or BibTeX.
 * The file is written to a temporary name and renamed into place, so a
 * failed export never leaves half a file. */
#ifndef QES_EXPORT_H
#define QES_EXPORT_H

#include <stdio.h>
#include "qes/error.h"
#include "qes/record.h"
#include "qes/store.h"

/* "ris", "csv", "bibtex"; from the extension (.ris, .csv, .bib) when NULL. */
int qes_export_format_for(const char *path, const char *format,
			  const char **canonical, qes_error *err);

typedef struct qes_export_opts {
	const char *format;        /* NULL: from the extension */
	qes_record_query query;    /* which records (all by default) */
	int raw;                   /* CSV: keep values that look like spreadsheet
				    * formulas exactly (see qes_write_csv) */
} qes_export_opts;

int qes_export_file(qes_store *st, const char *path, const qes_export_opts *o,
		    long *count, qes_error *err);

/* Writers for one record, used by qes_export_file and the round-trip tests.
 * begin/end write a header or footer (CSV header row); NULL-safe fields. */
int qes_write_ris(FILE *fp, const qes_record *rec);
int qes_write_csv_header(FILE *fp);
/* A value that a spreadsheet would run as a formula (starting with = + - @,
 * a tab or a CR, after any apostrophes) is written with one apostrophe in
 * front, so Excel or LibreOffice show it as text; qes's CSV reader takes
 * the apostrophe off again. qes_write_csv_raw with raw = 1 writes every
 * value exactly. */
int qes_write_csv(FILE *fp, const qes_record *rec);
int qes_write_csv_raw(FILE *fp, const qes_record *rec, int raw);
int qes_write_bibtex(FILE *fp, const qes_record *rec);

/* BibTeX citation keys must be unique in a file: qes_write_bibtex_keyed
 * remembers the keys it wrote in keys and makes each new one unique
 * (qes_write_bibtex is the same with no memory). docs/formats.md. */
typedef struct qes_bibkeys qes_bibkeys;
qes_bibkeys *qes_bibkeys_new(void);           /* NULL when out of memory */
void qes_bibkeys_free(qes_bibkeys *keys);
int qes_write_bibtex_keyed(FILE *fp, const qes_record *rec, qes_bibkeys *keys);

#endif
