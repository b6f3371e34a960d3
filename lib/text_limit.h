/* text_limit.h: the one check of text a person types into the review
 * against the limits of qes/limits.h (QES_MAX_NAME_TEXT for a name,
 * QES_MAX_LONG_TEXT for a description, note, memo, comment or statement).
 * Every setter of such a field calls it, so the CLI and the web refuse the
 * same text with the same message. */
#ifndef QES_TEXT_LIMIT_H
#define QES_TEXT_LIMIT_H

#include <string.h>

#include "qes/error.h"
#include "qes/limits.h"

/* QES_ELIMIT naming the field and the limit when text (may be NULL) is
 * longer than max bytes; 0 otherwise. */
static inline int qes__text_limit(const char *what, const char *text, size_t max, qes_error *err)
{
	size_t n = text ? strlen(text) : 0;
	if (n <= max)
		return 0;
	return qes_error_set(err, QES_ELIMIT, "%s is %zu bytes, more than the limit of %zu (%s)",
			     what, n, max, max == QES_MAX_NAME_TEXT ? "QES_MAX_NAME_TEXT"
			     : max == QES_MAX_LONG_TEXT ? "QES_MAX_LONG_TEXT" : "qes/limits.h");
}

#endif
