/* fuzz_ris.c: libFuzzer harness for the RIS parser (lib/parse_ris.c).
 * The format is forced, so every input reaches the parser; each input is
 * parsed twice, stopping at the first malformed record and with skip_bad
 * (resynchronising after each), and each record is walked so that a bad
 * pointer in it shows up under ASan. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "qes/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int walk(void *ud, const qes_record *rec)
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
	for (size_t i = 0; i < rec->authors.n; i++)
		*sum += strlen(rec->authors.items[i]);
	for (size_t i = 0; i < rec->keywords.n; i++)
		*sum += strlen(rec->keywords.items[i]);
	for (size_t i = 0; i < rec->extra.n; i++)
		*sum += strlen(rec->extra.items[i]);
	if (rec->raw_len)
		*sum += (unsigned char)rec->raw[rec->raw_len - 1];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t sum = 0;
	for (int skip = 0; skip < 2; skip++) {
		qes_parse_opts o = { .format = "ris", .skip_bad = skip };
		qes_error err;
		qes_error_clear(&err);
		qes_parse_mem("fuzz", data, size, &o, walk, &sum, &err);
	}
	return sum == (size_t)-1;
}
