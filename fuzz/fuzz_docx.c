/* fuzz_docx.c: the .docx reader on any bytes. Input starting with '<' goes
 * straight to the word/document.xml walker (mutated zips rarely survive
 * their CRCs, so this reaches the XML code); anything else is opened as a
 * zip. Whatever text comes out is normalised and its code-point offsets
 * checked to round-trip. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "code_internal.h"
#include "qes/code.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	qes_error err;
	qes_error_clear(&err);
	char *text = NULL, *nfc = NULL;
	size_t len = 0, nlen = 0;
	long cps = 0;
	int rc = size && data[0] == '<'
		? qes__code_docx_xml((const char *)data, size, &text, &len, &err)
		: qes_code_docx_text(data, size, &text, &len, &err);
	if (rc)
		return 0;
	if (!qes_code_normalise(text, len, &nfc, &nlen, &cps, &err)) {
		if (qes_code_byte_to_cp(nfc, nlen) != cps)
			abort();
		for (long c = 0; c <= cps; c += 1 + c / 3)
			if (qes_code_byte_to_cp(nfc, qes_code_cp_to_byte(nfc, nlen, c)) != c)
				abort();
	}
	free(nfc);
	free(text);
	return 0;
}
