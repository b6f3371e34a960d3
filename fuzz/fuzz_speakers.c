/* fuzz_speakers.c: speaker-turn detection on a transcript's text (any
 * bytes the source normaliser accepts), with linking, so that a turn's
 * line range always fits the source (the store's checks would catch one
 * that does not). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "qes/code.h"
#include "qes/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	qes_error err;
	qes_error_clear(&err);
	/* One review for the whole run (making one costs every migration);
	 * each input starts from no sources and no cases. */
	static qes_store *st;
	if (!st && qes_store_create(&st, ":memory:", &err))
		abort();
	if (qes_store_exec(st, "DELETE FROM code_case_sources; DELETE FROM code_case_attrs;"
			   " DELETE FROM code_cases; DELETE FROM code_sources;", &err))
		abort();
	qes_code_source_opts so = { .name = "T", .kind = "transcript" };
	long long id;
	if (!qes_code_source_add_text(st, (const char *)data, size, &so, &id, &err)) {
		qes_code_speaker_opts o = { NULL, 0, NULL, 0, size & 1 };
		json_decref(qes_code_speakers(st, "T", &o, &err));
	}
	return 0;
}
