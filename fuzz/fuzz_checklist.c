/* fuzz_checklist.c: checklist files (JSON) as qes checklist add reads them. */
#include <stddef.h>
#include <stdint.h>

#include "qes/appraise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	qes_error err;
	json_t *cl = NULL;
	qes_error_clear(&err);
	if (qes_checklist_parse("fuzz.json", (const char *)data, size, &cl, &err) == 0)
		json_decref(cl);
	return 0;
}
