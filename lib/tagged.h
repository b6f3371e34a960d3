/* tagged.h: what the three tagged formats (RIS, MEDLINE, Web of Science)
 * share: one record's lines collected in a reusable buffer, its fields as
 * spans of that buffer, and helpers to turn spans into record strings.
 *
 * A field's value is a span of the record's raw text, so a value continued
 * over several lines simply spans them (with the '\n' and the indentation
 * in between, which the common normalisation turns into one space). Lists
 * whose items sit one per line (EndNote keywords, WoS authors) split on
 * '\n'. Nothing is copied per line but the line itself, once, into raw;
 * values are copied into the arena once, when the record is complete. */
#ifndef QES_TAGGED_H
#define QES_TAGGED_H

#include "parser.h"
#include "strbuf.h"

/* A tag of up to four characters packed into an int (switch-friendly). */
#define QES__TAG2(a, b) ((unsigned)(unsigned char)(a) << 8 | (unsigned char)(b))
#define QES__TAG4(a, b, c, d) ((unsigned)(unsigned char)(a) << 24 | \
	(unsigned)(unsigned char)(b) << 16 | (unsigned)(unsigned char)(c) << 8 | \
	(unsigned char)(d))

typedef struct qes__tfield {
	unsigned tag;
	long line;          /* line of the tag */
	size_t off, len;    /* value in the raw buffer */
} qes__tfield;

typedef struct qes__tagged {
	qes_reader *r;
	qes_arena *a;
	qes_sink *sink;
	qes_error *err;
	const char *file;
	qes_strbuf raw;      /* the record's lines, joined with '\n' */
	qes__tfield *f;      /* the record's fields, in file order */
	size_t nf, falloc;
	long line;           /* first line of the record */
	long delivered;      /* records handed to the sink */
	long reported;       /* records reported as malformed */
	int text;            /* some non-blank line was seen */
} qes__tagged;

void qes__tagged_init(qes__tagged *t, qes_reader *r, qes_arena *a,
		      qes_sink *sink, qes_error *err);
void qes__tagged_release(qes__tagged *t);
/* Starts a new record whose first line is line. */
void qes__tagged_begin(qes__tagged *t, long line);
/* Appends a line to the record's raw text; *off gets where it starts.
 * Returns 0, QES_ELIMIT (record over QES_MAX_RECORD) or QES_ENOMEM. */
int qes__tagged_line(qes__tagged *t, const char *s, size_t n, size_t *off);
/* Adds a field whose value is raw[off, off+len). QES_ELIMIT when the record
 * has more than QES_MAX_FIELDS fields or the value is over QES_MAX_FIELD. */
int qes__tagged_field(qes__tagged *t, unsigned tag, long line, size_t off, size_t len);
/* Extends the last field up to raw offset end (a continuation line). */
int qes__tagged_extend(qes__tagged *t, size_t end);

/* The field's value copied into the arena (NULL: out of memory). */
char *qes__tagged_value(qes__tagged *t, const qes__tfield *f);
/* The same with runs of white space folded to one space and both ends
 * trimmed (for extra name/value pairs, which normalisation leaves alone). */
char *qes__tagged_value_clean(qes__tagged *t, const qes__tfield *f);
/* Splits the value at any byte of seps and pushes each piece (normalisation
 * trims them and drops empty ones). */
int qes__tagged_split(qes__tagged *t, const qes__tfield *f, const char *seps,
		      qes_strlist *l);
/* Pushes tag name and cleaned value onto rec->extra. */
int qes__tagged_extra(qes__tagged *t, const qes__tfield *f, const char *name,
		      qes_record *rec);
/* Sets the first unset *dst to the field's value; 0 or QES_ENOMEM. */
int qes__tagged_set(qes__tagged *t, const qes__tfield *f, char **dst);

/* ISSNs and ISBNs by their shape from a free-text value ("0894-9867,
 * 0894-9867", "03064530 (ISSN)", "978-0-12-345678-9"); each is added once
 * to *issn or *isbn ("; "-joined). Returns 1 if anything was found, 0 if
 * not, QES_ENOMEM. */
int qes__tagged_issn_isbn(qes__tagged *t, const char *value, char **issn, char **isbn);

/* qes__sink_badf for this input; and the out-of-memory error. */
int qes__tagged_bad(qes__tagged *t, long line, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int qes__tagged_nomem(qes__tagged *t);
/* Reports a limit hit while collecting (rc from qes__tagged_line/field/
 * extend: QES_ELIMIT, or QES_ENOMEM which is returned as is). in_line: the
 * line itself did not fit in the record. */
int qes__tagged_limit(qes__tagged *t, int rc, long line, const char *field, int in_line);

/* Hands the record to the sink with raw[0, raw_len) as its raw text (trailing
 * blank lines trimmed) and resets the arena. Returns the sink's result. */
int qes__tagged_deliver(qes__tagged *t, qes_record *rec, size_t raw_len);
/* The same, unless the record has more authors or keywords than the limits
 * allow: then it is reported as bad (naming the format's tag for them,
 * e.g. "AU" and "KW") and dropped. */
int qes__tagged_deliver_within(qes__tagged *t, qes_record *rec, size_t raw_len,
			       const char *authors_tag, const char *keywords_tag);

/* What a parser returns at the end: 0, or when the input had text but
 * neither a record nor a malformed one, a format error saying what a
 * record of this format starts with (e.g. "TY  - "). */
int qes__tagged_end(qes__tagged *t, const char *format, const char *start);

/* A leading UTF-8 byte-order mark in the middle of a file (files joined
 * with cat) is skipped; returns the number of bytes to skip (0 or 3). */
static inline size_t qes__tagged_bom(const char *s, size_t n)
{
	return n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
	       (unsigned char)s[2] == 0xBF ? 3 : 0;
}

#endif
