/* error.c: see qes/error.h. */
#include "qes/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void qes_error_clear(qes_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

static int vset(qes_error *err, int code, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return code;
}

int qes_error_set(qes_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int qes_error_at(qes_error *err, int code, const char *file, long line,
		 const char *field, const char *fmt, ...)
{
	if (err) {
		snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
		err->line = line;
		snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	}
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

void qes_error_format(const qes_error *err, char *out, size_t outlen)
{
	size_t n = 0;
	out[0] = '\0';
#define PUT(...) do { \
	int w_ = snprintf(out + n, outlen - n, __VA_ARGS__); \
	if (w_ > 0) n += (size_t)w_ < outlen - n ? (size_t)w_ : outlen - n - 1; \
} while (0)
	if (err->file[0])
		PUT("%s:", err->file);
	if (err->line > 0)
		PUT("%ld:", err->line);
	if (err->file[0] || err->line > 0)
		PUT(" ");
	if (err->field[0])
		PUT("field %s: ", err->field);
	PUT("%s", err->message[0] ? err->message : qes_strerror(err->code));
#undef PUT
}

const char *qes_strerror(int code)
{
	switch (code) {
	case QES_OK: return "success";
	case QES_EINVAL: return "invalid argument";
	case QES_EIO: return "input/output error";
	case QES_EFORMAT: return "malformed input";
	case QES_ENOMEM: return "out of memory";
	case QES_ESTORE: return "review store error";
	case QES_ENOTFOUND: return "not found";
	case QES_ELIMIT: return "input exceeds a limit";
	case QES_EEXIST: return "already exists";
	case QES_ECONFLICT: return "conflicts with the review's state";
	case QES_EPERM: return "not permitted";
	case QES_EAMBIG: return "ambiguous";
	case QES_EBUSY: return "locked by another writer";
	}
	return "unknown error";
}
