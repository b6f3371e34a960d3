/* fuzz_endnote_xml.c: libFuzzer harness for the EndNote XML parser,
 * through the public qes_parse_mem() with the format forced, once stopping
 * at the first malformed record and once with skip_bad (records before a
 * malformed part stand). */
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
		qes_parse_opts o = { .format = "endnote-xml", .skip_bad = skip };
		qes_error err;
		qes_error_clear(&err);
		(void)qes_parse_mem("fuzz.xml", data, size, &o, on_record, NULL, &err);
	}
	return 0;
}
