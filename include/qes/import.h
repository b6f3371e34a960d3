/* qes/import.h: reading export files into the review store.
 *
 * An import is all-or-nothing: qes_import_files() runs in one transaction,
 * and any error (a malformed record without skip_bad, a read error, a full
 * disk) leaves the store exactly as it was. */
#ifndef QES_IMPORT_H
#define QES_IMPORT_H

#include "qes/error.h"
#include "qes/record.h"
#include "qes/store.h"

/* Format names: "ris", "medline", "wos", "bibtex", "endnote-xml", "csv"
 * (delimited: comma, semicolon or tab, found from the header). */
typedef struct qes_sniff {
	char format[16];         /* "" when it cannot be told */
	char encoding[32];       /* iconv name: "UTF-8", "UTF-16LE", "WINDOWS-1252", ... */
	int encoding_guessed;    /* 1 when a legacy 8-bit encoding was assumed */
	int bom;
	char eol[8];             /* "LF", "CRLF", "CR", "mixed", "none" */
	unsigned long long bytes;
	char sha256[65];         /* hex */
	/* When two formats fit the content (format is then ""), their names:
	 * the import refuses and asks for --format. "" otherwise. */
	char plausible[2][16];
	/* Lines in the file, and lines that start "TY  -" and "PMID-" (record
	 * starts): the import warns when the records it found are wildly
	 * fewer or more. UTF-16 files count only their line ends roughly. */
	unsigned long long lines, ty_lines, pmid_lines;
} qes_sniff;

/* Reads the whole file once (streamed): hash, encoding, line ends, format. */
int qes_sniff_file(const char *path, qes_sniff *out, qes_error *err);
/* The same for a memory block (fuzzing, tests). */
int qes_sniff_mem(const void *data, size_t len, qes_sniff *out, qes_error *err);
/* Tells the format from the first bytes of decoded UTF-8 text, weighing
 * structure: the first non-blank line (a header row with known column
 * names is CSV whatever its cells hold; a tagged file starts with its
 * record tag), then the tags of the first 400 lines. NULL when it cannot be
 * told or when two formats fit. */
const char *qes_detect_format(const char *text, size_t len);
/* The same, saying when two formats fit: returns the likelier and sets
 * *also to the other (NULL when only one fits). */
const char *qes_detect_format_both(const char *text, size_t len, const char **also);
/* 1 if name is a known format (aliases: "nbib", "pubmed", "ciw", "tsv",
 * "xml", "endnote", "bib"); *canonical gets the canonical name. */
int qes_format_lookup(const char *name, const char **canonical);

typedef struct qes_parse_opts {
	const char *format;      /* NULL: detect from content */
	const char *encoding;    /* NULL: detect */
	int skip_bad;            /* go on past malformed records */
	/* Each skipped record (when skip_bad) and each warning. May be NULL. */
	void (*on_skip)(void *ud, const qes_error *why);
	void (*on_warn)(void *ud, const char *file, long line, const char *msg);
	/* Without skip_bad the parse reads on past a malformed record (storing
	 * nothing) to find them all, up to QES_MAX_REPORTED_ERRORS, and fails
	 * at the end with the first in err (saying how many more there are);
	 * on_error (may be NULL) gets each one after the first. */
	void (*on_error)(void *ud, const qes_error *why);
	void *ud;
} qes_parse_opts;

/* Parses and normalises without storing: on_record gets each record (valid
 * during the call); returning non-zero from it stops the parse with that
 * code. sniff (may be NULL) gets what was detected. */
int qes_parse_file(const char *path, const qes_parse_opts *o,
		   int (*on_record)(void *ud, const qes_record *rec), void *ud,
		   qes_sniff *sniff, qes_error *err);
int qes_parse_mem(const char *name, const void *data, size_t len,
		  const qes_parse_opts *o,
		  int (*on_record)(void *ud, const qes_record *rec), void *ud,
		  qes_error *err);

typedef struct qes_import_opts {
	qes_parse_opts parse;
	const char *source;        /* source (database) name; NULL: from the file name */
	const char *method;        /* "database" (default), "register", "other" */
	const char *searched;      /* search date YYYY-MM-DD, or NULL */
	const char *search_string; /* the search as run, or NULL */
	int allow_same_file;       /* import a file whose SHA-256 is already in the source */
} qes_import_opts;

typedef struct qes_import_result {
	long long import_id;
	long long source_id;
	long records;
	long skipped;
	qes_sniff sniff;
} qes_import_result;

/* Imports n files into one source, in one transaction. results has n slots. */
int qes_import_files(qes_store *st, const char *const *paths, int n,
		     const qes_import_opts *o, qes_import_result *results,
		     qes_error *err);

#endif
