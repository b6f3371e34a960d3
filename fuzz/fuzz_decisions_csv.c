/* fuzz_decisions_csv.c: the decisions CSV reader (screen_csv.c) on
 * arbitrary bytes: it must return a row or an error, never crash or leak. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "screen_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_row(void *ud, long line, const char *const f[5])
{
	size_t *total = ud;
	for (int i = 0; i < 5; i++)
		*total += strlen(f[i]);
	return line > 0 ? 0 : QES_EINVAL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	FILE *fp = fmemopen((void *)data, size, "rb");
	if (!fp)
		return 0;
	qes_error err;
	qes_error_clear(&err);
	size_t total = 0;
	qes__decisions_csv(fp, "fuzz.csv", on_row, &total, &err);
	fclose(fp);
	return 0;
}
