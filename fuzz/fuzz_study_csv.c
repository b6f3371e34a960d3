/* fuzz_study_csv.c: the CSV reader behind qes extract --from and qes appraise
 * --from, on any bytes; every field is also looked up as a country. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "study_internal.h"
#include "qes/study.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int row(void *ud, long line, char **fields, int nfields, qes_error *err)
{
	size_t *total = ud;
	(void)line;
	(void)err;
	for (int i = 0; i < nfields; i++) {
		*total += strlen(fields[i]);
		qes_country_canonical(fields[i]);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	qes_error err;
	size_t total = 0;
	qes_error_clear(&err);
	qes__csv_parse("fuzz.csv", (const char *)data, size, row, &total, &err);
	return 0;
}
