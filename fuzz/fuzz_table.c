/* fuzz_table.c: the table model's readers (CSV, and HTML through libxml2)
 * on arbitrary bytes; the first byte picks the reader. A CSV that reads
 * must write back and read again to the same cells; every table an HTML
 * page yields must render as CSV and HTML. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qes/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same(const qes_table *a, const qes_table *b)
{
	if (a->n_rows != b->n_rows)
		abort();
	for (size_t i = 0; i < a->n_rows; i++) {
		if (a->rows[i].n != b->rows[i].n)
			abort();
		for (size_t j = 0; j < a->rows[i].n; j++)
			if (strcmp(a->rows[i].cells[j].text, b->rows[i].cells[j].text))
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	qes_error err;
	qes_error_clear(&err);
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	char *out = NULL;
	size_t n = 0;
	if (data[0] & 1) {
		qes_table *t = NULL, *back = NULL;
		if (qes_table_from_csv(text, len, &t, &err) == 0) {
			if (qes_table_csv(t, &out, &n, &err) == 0 &&
			    qes_table_from_csv(out, n, &back, &err) == 0) {
				/* A field of only CRs reads as empty: the text itself may
				 * differ, never the shape. */
				if (!memchr(text, '\r', len) && !memchr(text, 0, len))
					same(t, back);
			}
			free(out);
			qes_table_free(back);
			char *dropped = NULL;
			if (qes_table_drop_empty_columns(t, &dropped, &err) == 0)
				free(dropped);
		}
		qes_table_free(t);
		return 0;
	}
	qes_doc *d = NULL;
	if (qes_doc_from_html(text, len, &d, &err) == 0) {
		for (size_t i = 0; i < d->n; i++) {
			if (d->blocks[i].kind != QES_BLOCK_TABLE)
				continue;
			if (qes_table_csv(d->blocks[i].table, &out, &n, &err) == 0)
				free(out);
			out = NULL;
			if (qes_table_html(d->blocks[i].table, "x", &out, &n, &err) == 0)
				free(out);
			out = NULL;
		}
		qes_doc_free(d);
	}
	return 0;
}
