/* embedded_data.h: data files compiled into qes by scripts/embed-data.sh
 * (build/gen): the self-appraisal checklists (data/selfcheck/NAME.json)
 * and the plain-language word list (data/lay/NAME.tsv). Each table ends with
 * a NULL name; bytes are NUL-terminated. */
#ifndef QES_EMBEDDED_DATA_H
#define QES_EMBEDDED_DATA_H

#include <stddef.h>

typedef struct qes__embedded_file {
	const char *name;     /* file name without its extension */
	const char *bytes;
	size_t size;
} qes__embedded_file;

extern const qes__embedded_file qes__selfcheck_lists[];
extern const qes__embedded_file qes__lay_wordlists[];

#endif
