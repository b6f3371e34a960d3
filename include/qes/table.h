/* qes/table.h: one table model for every tabular output, and the document
 * (headings, paragraphs, tables) the report is made of. The CSV, HTML,
 * Word (.docx) and spreadsheet (.xlsx) writers all take these, so a table
 * reads the same in every format.
 *
 * A qes_table is a header row and body rows of text cells; a cell may also
 * carry the full text its short header stands for (a key) and a class.
 * A qes_doc is a list of blocks: headings (level 1-3), paragraphs and
 * tables. Both own everything they hold; qes_table_free / qes_doc_free
 * release it. Builders copy the strings they are given. */
#ifndef QES_TABLE_H
#define QES_TABLE_H

#include <stddef.h>
#include "qes/error.h"

typedef struct qes_table_cell {
	char *text;   /* plain text (UTF-8); lines separated by '\n' */
	char *title;  /* what a short header stands for, or NULL */
	char *cls;    /* a class the HTML writer keeps, or NULL */
} qes_table_cell;

typedef struct qes_table_row {
	qes_table_cell *cells;
	size_t n;
	int header;   /* a header row: repeated on each page, bold */
} qes_table_row;

typedef struct qes_table {
	char *caption; /* or NULL */
	qes_table_row *rows;
	size_t n_rows;
	size_t alloc;
} qes_table;

qes_table *qes_table_new(void);
void qes_table_free(qes_table *t);
/* Starts a row (header != 0 for a header row); 0 or QES_ENOMEM/QES_ELIMIT. */
int qes_table_add_row(qes_table *t, int header, qes_error *err);
/* Adds a cell to the last row (title and cls may be NULL). */
int qes_table_add_cell(qes_table *t, const char *text, const char *title, const char *cls,
		   qes_error *err);
int qes_table_set_caption(qes_table *t, const char *caption, qes_error *err);
/* Widest row, in cells. */
size_t qes_table_width(const qes_table *t);
/* Removes body-free columns: a column (after the first) whose body cells are
 * all empty. Their header texts are appended to *dropped (malloc'd, "A, B"),
 * or *dropped is NULL when none went. */
int qes_table_drop_empty_columns(qes_table *t, char **dropped, qes_error *err);

/* Parses CSV (RFC 4180, the first row is the header) into a table. */
int qes_table_from_csv(const char *csv, size_t len, qes_table **out, qes_error *err);
/* Writes the table as CSV (RFC 4180, CRLF never, quoting as needed); *out
 * is malloc'd. */
int qes_table_csv(const qes_table *t, char **out, size_t *len, qes_error *err);
/* Writes the table as an HTML <table> (header rows in <thead>, th carry
 * title and the class). */
int qes_table_html(const qes_table *t, const char *cls, char **out, size_t *len,
		   qes_error *err);

/* --- Documents: the report and any HTML page of tables ---------------- */
typedef enum qes_block_kind { QES_BLOCK_HEADING, QES_BLOCK_PARA, QES_BLOCK_TABLE } qes_block_kind;

typedef struct qes_block {
	qes_block_kind kind;
	int level;        /* headings: 1 to 3 */
	char *text;       /* headings, paragraphs */
	qes_table *table; /* tables */
} qes_block;

typedef struct qes_doc {
	char *title;
	qes_block *blocks;
	size_t n, alloc;
} qes_doc;

qes_doc *qes_doc_new(const char *title);
void qes_doc_free(qes_doc *d);
int qes_doc_heading(qes_doc *d, int level, const char *text, qes_error *err);
int qes_doc_para(qes_doc *d, const char *text, qes_error *err);
/* Takes t (freed on failure too). */
int qes_doc_table(qes_doc *d, qes_table *t, qes_error *err);
/* Reads an HTML page or fragment: h1-h3 become headings, p and figcaption
 * paragraphs (outside tables), each table a table (th rows are header
 * rows; a cell's paragraphs become its lines). Figures are left out. */
int qes_doc_from_html(const char *html, size_t len, qes_doc **out, qes_error *err);
/* Number of tables in the document. */
size_t qes_doc_tables(const qes_doc *d);

/* Word: a WordprocessingML package (.docx) with the headings, paragraphs
 * and tables (header rows repeat across pages); written to a temporary
 * file and renamed. */
int qes_docx_write(const qes_doc *d, const char *path, qes_error *err);
/* Spreadsheet (.xlsx): one worksheet per table, named after the heading
 * before it; header rows bold and frozen. Temporary file, then renamed. */
int qes_xlsx_write(const qes_doc *d, const char *path, qes_error *err);

/* Writes text (CSV when is_html is 0, else an HTML page or fragment) to
 * path in the format its extension names: .xlsx or .docx through the
 * table model, any other extension the text as it is. title names the
 * document (and the sheet). Temporary file, then renamed. */
int qes_table_export(const char *text, size_t len, int is_html, const char *title,
		     const char *path, qes_error *err);
/* 1 when path ends in .xlsx or .docx (case-insensitive). */
int qes_table_path_is_office(const char *path);

#endif
