/* fuzz_bibtex.c: libFuzzer harness for the BibTeX parser, through the
 * public qes_parse_mem() with the format forced, once stopping at the first
 * malformed entry and once skipping past it (the resync path). */
#include <stddef.h>
#include <stdint.h>

#include "qes/import.h"

static int on_record(void *ud, const qes_record *rec)
{
	(void)ud;
	(void)rec;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int skip = 0; skip < 2; skip++) {
		qes_parse_opts o = { .format = "bibtex", .skip_bad = skip };
		qes_error err;
		qes_error_clear(&err);
		(void)qes_parse_mem("fuzz.bib", data, size, &o, on_record, NULL, &err);
	}
	return 0;
}
