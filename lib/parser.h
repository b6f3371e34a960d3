/* parser.h: the contract between the import pipeline and each format's parser.
 *
 * A parser pulls lines (or bytes) from a qes_reader, builds one qes_record
 * at a time with strings from the arena, and hands each complete record to
 * sink->record(). After sink->record() returns, the parser resets the arena
 * (qes__arena_reset) before building the next record, so memory stays flat
 * however large the file.
 *
 * Malformed input: when a record cannot be read (missing terminator, a value
 * that breaks the format, a limit exceeded inside one record), the parser
 * calls qes__sink_bad() with the line and field. When that returns 0 the
 * user asked for --skip-bad: the parser drops the record, resynchronises at
 * the next record and goes on. When it returns < 0 the parser returns that
 * code at once (err is filled). Problems that make the rest of the file
 * unreadable (NUL bytes, a read error) are returned directly.
 *
 * Parsers never normalise beyond their format (LaTeX accents, XML style
 * markup, tag mapping); qes__record_normalise() does the rest for all. */
#ifndef QES_PARSER_H
#define QES_PARSER_H

#include "arena.h"
#include "reader.h"
#include "qes/record.h"
#include "qes/error.h"

typedef struct qes_sink qes_sink;
struct qes_sink {
	/* A complete record. Return 0 to go on, < 0 to stop (err filled). */
	int (*record)(qes_sink *s, qes_record *rec, qes_error *err);
	/* A record was malformed; see above. */
	int (*bad)(qes_sink *s, const char *file, long line, const char *field,
		   const char *message, qes_error *err);
	/* Something a user should know that is not an error (NULL: ignored). */
	void (*warn)(qes_sink *s, const char *file, long line, const char *message);
	void *data;
};

int qes__sink_badf(qes_sink *s, qes_error *err, const char *file, long line,
		   const char *field, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void qes__sink_warnf(qes_sink *s, const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

typedef int (*qes_parse_fn)(qes_reader *r, qes_arena *a, qes_sink *sink,
			    qes_error *err);

int qes__parse_ris(qes_reader *r, qes_arena *a, qes_sink *sink, qes_error *err);
int qes__parse_medline(qes_reader *r, qes_arena *a, qes_sink *sink, qes_error *err);
int qes__parse_wos(qes_reader *r, qes_arena *a, qes_sink *sink, qes_error *err);
int qes__parse_bibtex(qes_reader *r, qes_arena *a, qes_sink *sink, qes_error *err);
int qes__parse_endnote_xml(qes_reader *r, qes_arena *a, qes_sink *sink, qes_error *err);
/* CSV, TSV, semicolon: finds the delimiter from the header line. */
int qes__parse_delimited(qes_reader *r, qes_arena *a, qes_sink *sink, qes_error *err);

/* Record helpers shared by parsers (record.c). */
void qes__record_init(qes_record *rec);
int qes__strlist_push(qes_strlist *l, qes_arena *a, char *s);
/* Appends s to *field, joined by sep, in the arena (for repeated tags). */
int qes__field_append(char **field, qes_arena *a, const char *s, const char *sep);
/* Parses the first plausible four-digit year (1000-2999) in s; 0 if none. */
int qes__year_from(const char *s);

/* Common normalisation, idempotent: whitespace, DOI, year from date, type
 * defaults, empty strings to NULL, list cleanup. Returns 0 or QES_ENOMEM. */
int qes__record_normalise(qes_record *rec, qes_arena *a);

/* 1 when s (after any apostrophes) starts with = + - @, a tab or a CR: a
 * spreadsheet would run it as a formula (write_csv.c). */
int qes__csv_formula_start(const char *s);

/* 1 when a header cell (n bytes, quotes and spaces allowed around it) is a
 * column name the CSV reader maps to a field (parse_delimited.c). */
int qes__delim_known_column(const char *s, size_t n);

#endif
