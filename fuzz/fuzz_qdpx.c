/* fuzz_qdpx.c: REFI-QDA import on any bytes. A zip ("PK") is imported as a
 * whole project (dry run, on a small in-memory review); XML ("<") is read
 * and validated as project.qde; anything else is taken as a source's plain
 * text and mapped, checking the map: the text is what normalising gives,
 * offsets never go backwards, the ends meet. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qdpx_internal.h"
#include "qes/code.h"
#include "qes/qdpx.h"
#include "qes/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static qes_store *review(void)
{
	static qes_store *st;
	if (st)
		return st;
	qes_error err;
	qes_error_clear(&err);
	if (qes_store_create(&st, ":memory:", &err))
		abort();
	return st;
}

static void check_text(const uint8_t *data, size_t size)
{
	qes_error err;
	qes_error_clear(&err);
	char *text = NULL, *nfc = NULL;
	size_t tlen = 0, nlen = 0;
	qes__qdpx_map m;
	qes__qdpx_textinfo ti;
	if (qes__qdpx_text((const char *)data, size, &text, &tlen, &m, &ti, &err))
		return;
	size_t skip = size >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
	if (qes_code_normalise((const char *)data + skip, size - skip, &nfc, &nlen, NULL, &err) ||
	    nlen != tlen || memcmp(nfc, text, tlen))
		abort();
	if (qes__qdpx_map_offset(&m, 0) != 0 || qes__qdpx_map_offset(&m, m.file_cps) != m.text_cps ||
	    qes_code_byte_to_cp(text, tlen) != m.text_cps)
		abort();
	for (long o = 1, prev = 0; o <= m.file_cps; o++) {
		long n = qes__qdpx_map_offset(&m, o);
		if (n < prev || n > m.text_cps)
			abort();
		prev = n;
	}
	qes__qdpx_map_release(&m);
	free(text);
	free(nfc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	qes_error err;
	qes_error_clear(&err);
	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		qes_qdpx_import_opts o = { NULL, NULL, 1 };
		qes_qdpx_counts c;
		qes_qdpx_import_mem(review(), data, size, "fuzz.qdpx", &o, &c, &err);
	} else if (size && data[0] == '<') {
		qes_qdpx_validate((const char *)data, size, 0, "project.qde", &err);
		qes_qdc_import_mem(review(), data, size, "fuzz.qdc",
				   &(qes_qdpx_import_opts){ NULL, NULL, 1 }, NULL, &err);
	} else if (size <= 4096) {
		check_text(data, size);
	}
	return 0;
}
