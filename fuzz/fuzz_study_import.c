/* fuzz_study_import.c: qes extract --from and qes appraise --from on any
 * bytes, against a small review (three studies, the default form, CASP):
 * the CSV reader, every field type's validation and the ratings checks.
 * The review lives in a temporary file made on the first call; every input
 * goes to both imports (each refuses the other's header at once). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "qes/appraise.h"
#include "qes/study.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static qes_store *review;
static char path[64];

static void remove_review(void)
{
	char p[80];
	qes_store_close(review);
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static int make_review(void)
{
	qes_error err;
	snprintf(path, sizeof(path), "/tmp/qes-fuzz-study-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(path);
	if (qes_store_create(&review, path, &err) ||
	    qes_store_exec(review,
		"INSERT INTO sources(name) VALUES ('F');"
		"INSERT INTO imports(source_id, file_name, file_sha256, file_bytes, format, encoding)"
		" VALUES (1, 'f.ris', 'x', 1, 'ris', 'UTF-8');"
		"INSERT INTO records(import_id, source_key, ordinal, line, type, raw)"
		" VALUES (1, 'S01', 1, 1, 'article', 'x'), (1, 'S02', 2, 2, 'article', 'x'),"
		"        (1, 'S03', 3, 3, 'article', 'x');", &err) ||
	    qes_study_add(review, "S01", &err) || qes_study_add(review, "S02", &err) ||
	    qes_study_add(review, "S03", &err) || qes_checklist_ensure_default(review, &err))
		abort();
	atexit(remove_review);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	qes_error err;
	long n;
	if (!review && make_review())
		return 0;
	qes_error_clear(&err);
	qes_appraise_import_buf(review, "fuzz.csv", (const char *)data, size, &n, &err);
	qes_error_clear(&err);
	qes_extract_import_buf(review, "fuzz.csv", (const char *)data, size, &n, &err);
	return 0;
}
