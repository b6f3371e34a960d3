/* fuzz_delimited.c: the CSV/TSV/semicolon parser on arbitrary bytes, with
 * --skip-bad off and on, and every record it yields through the three
 * writers (so writers meet whatever a parser can produce). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "qes/export.h"
#include "qes/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink_fp;

static int on_record(void *ud, const qes_record *rec)
{
	qes_bibkeys *keys = ud;
	qes_write_csv(sink_fp, rec);
	qes_write_ris(sink_fp, rec);
	qes_write_bibtex_keyed(sink_fp, rec, keys);
	(void)qes_record_extra(rec, "label_included");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!sink_fp)
		sink_fp = fopen("/dev/null", "w");
	if (!sink_fp)
		return 0;
	for (int skip_bad = 0; skip_bad < 2; skip_bad++) {
		qes_parse_opts o;
		memset(&o, 0, sizeof(o));
		o.format = "csv";
		o.skip_bad = skip_bad;
		qes_bibkeys *keys = qes_bibkeys_new();
		qes_error err;
		qes_error_clear(&err);
		qes_parse_mem("fuzz.csv", data, size, &o, on_record, keys, &err);
		qes_bibkeys_free(keys);
	}
	return 0;
}
