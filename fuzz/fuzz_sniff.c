/* fuzz_sniff.c: format, encoding and line-ending detection on any bytes,
 * and the reader decoding them with whatever encoding was guessed. */
#include <stddef.h>
#include <stdint.h>

#include "qes/import.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	qes_sniff sn;
	qes_error err;
	qes_error_clear(&err);
	qes_detect_format((const char *)data, size);
	if (qes_sniff_mem(data, size, &sn, &err))
		return 0;
	qes_reader *r;
	if (qes__reader_open_mem(&r, "fuzz", data, size, sn.encoding, &err))
		return 0;
	char *line;
	size_t n;
	while (qes__reader_getline(r, &line, &n, &err) == 1)
		;
	qes__reader_free(r);
	return 0;
}
