/* reader.h: decoded, line-numbered input for the parsers.
 *
 * A reader turns a file (streamed in chunks, never loaded whole) or a memory
 * block into UTF-8 lines: it converts from the file's encoding with iconv,
 * drops a byte-order mark, and ends lines at LF, CRLF or a lone CR alike, so
 * no parser ever sees a CR. A line holding a NUL byte is an error (binary
 * data), and so is a line longer than QES_MAX_LINE.
 *
 * Use either getline (tagged formats, CSV, BibTeX) or read (XML), not both. */
#ifndef QES_READER_H
#define QES_READER_H

#include <stddef.h>
#include "qes/error.h"

typedef struct qes_reader qes_reader;

/* encoding: an iconv name ("UTF-8", "UTF-16LE", "WINDOWS-1252", "GB18030"...),
 * or NULL for UTF-8. name: how errors refer to the input (a file path). */
int qes__reader_open_file(qes_reader **out, const char *path,
			  const char *encoding, qes_error *err);
int qes__reader_open_mem(qes_reader **out, const char *name, const void *data,
			 size_t len, const char *encoding, qes_error *err);

/* Next line without its terminator, NUL-terminated, valid until the next
 * call (the parser may modify it in place). Returns 1 with a line, 0 at the
 * end of input, or a negative QES_E* code with err filled. */
int qes__reader_getline(qes_reader *r, char **line, size_t *len, qes_error *err);

/* Up to n decoded bytes (line ends untouched). Returns the count, 0 at the
 * end, or a negative QES_E* code with err filled. */
long qes__reader_read(qes_reader *r, char *buf, size_t n, qes_error *err);

long qes__reader_lineno(const qes_reader *r);      /* line of the last line returned */
unsigned long long qes__reader_offset(const qes_reader *r); /* raw bytes consumed so far */
const char *qes__reader_name(const qes_reader *r);
void qes__reader_free(qes_reader *r);

#endif
