/* qes/error.h: one error convention for the whole library.
 *
 * Every library function that can fail returns an int: 0 (QES_OK) on success
 * or a negative QES_E* code, and fills the caller's qes_error with a message a
 * user understands and, for input files, the file, line and field at fault.
 * The library never prints and never exits; the CLI decides what to tell. */
#ifndef QES_ERROR_H
#define QES_ERROR_H

#include <stddef.h>

enum qes_status {
	QES_OK        =  0,
	QES_EINVAL    = -1,  /* bad argument from the caller (usage) */
	QES_EIO       = -2,  /* a file could not be read or written */
	QES_EFORMAT   = -3,  /* malformed outside input (file, line, field say where) */
	QES_ENOMEM    = -4,
	QES_ESTORE    = -5,  /* SQLite said no (locked, corrupt, full disk) */
	QES_ENOTFOUND = -6,  /* no such record, reviewer, source, ... */
	QES_ELIMIT    = -7,  /* outside input exceeded a limit in qes/limits.h */
	QES_EEXIST    = -8,  /* already there (file imported twice, reviewer exists) */
	QES_ECONFLICT = -9,  /* the request contradicts the review's state */
	QES_EPERM     = -10, /* not allowed (blinding, roles) */
	QES_EAMBIG    = -11, /* a key matches more than one thing */
	QES_EBUSY     = -12, /* the review is locked by another writer: try again later */
};

typedef struct qes_error {
	int code;            /* a QES_E* value, 0 when no error was set */
	char file[512];      /* input file at fault, "" when none */
	long line;           /* 1-based line in that file, 0 when unknown */
	char field[64];      /* field or tag at fault, "" when none */
	char message[1024];  /* what went wrong, in words for a user */
} qes_error;

void qes_error_clear(qes_error *err);

/* Sets err (when err is not NULL) and returns code, so callers can write
 * `return qes_error_set(err, QES_EINVAL, "no such stage '%s'", s);` */
int qes_error_set(qes_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like qes_error_set, with the input position that is at fault. */
int qes_error_at(qes_error *err, int code, const char *file, long line,
		 const char *field, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* "file:line: field: message", or the parts that are known. */
void qes_error_format(const qes_error *err, char *out, size_t outlen);

/* A short name for a status code ("format error", "not found", ...). */
const char *qes_strerror(int code);

#endif
