/* fuzz_parse.h: the body every format parser's harness shares. The format
 * is forced, so every input reaches that parser; each input is parsed
 * twice, stopping at the first malformed record and with skip_bad
 * (resynchronising after each), and every field of every record is read so
 * that a bad pointer in it shows up under ASan. Each harness is then one
 * line: FUZZ_PARSER("ris"). */
#ifndef QES_FUZZ_PARSE_H
#define QES_FUZZ_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "qes/import.h"

static int fuzz_walk(void *ud, const qes_record *rec)
{
	size_t *sum = ud;
	const char *s[] = { rec->source_key, rec->type, rec->type_raw, rec->title,
			    rec->abstract, rec->date, rec->journal, rec->volume,
			    rec->issue, rec->pages, rec->doi, rec->pmid, rec->issn,
			    rec->isbn, rec->language, rec->url, rec->publisher,
			    rec->database, rec->notes };
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (s[i])
			*sum += strlen(s[i]);
	const qes_strlist *lists[] = { &rec->authors, &rec->keywords, &rec->extra };
	for (size_t k = 0; k < 3; k++)
		for (size_t i = 0; i < lists[k]->n; i++)
			*sum += strlen(lists[k]->items[i]);
	if (rec->raw_len)
		*sum += (unsigned char)rec->raw[rec->raw_len - 1];
	return 0;
}

static int fuzz_parse(const uint8_t *data, size_t size, const char *format)
{
	size_t sum = 0;
	for (int skip = 0; skip < 2; skip++) {
		qes_parse_opts o = { .format = format, .skip_bad = skip };
		qes_error err;
		qes_error_clear(&err);
		qes_parse_mem("fuzz", data, size, &o, fuzz_walk, &sum, &err);
	}
	return sum == (size_t)-1;
}

#define FUZZ_PARSER(format) \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) \
	{ \
		return fuzz_parse(data, size, format); \
	}

#endif
