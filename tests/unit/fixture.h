/* fixture.h: a fresh review file in /tmp for a unit test, and its removal
 * (with the WAL and shared-memory files SQLite leaves beside it). */
#ifndef QES_TEST_FIXTURE_H
#define QES_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "qes/store.h"

typedef struct fixture {
	char path[64];
	qes_store *st;
	qes_error err;
} fixture;

/* A new, empty review named after the test; asserts it could be made. */
static fixture *fixture_new(const char *name)
{
	fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->path, sizeof(f->path), "/tmp/qes-test-%s-XXXXXX", name);
	int fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	unlink(f->path);
	assert_int_equal(qes_store_create(&f->st, f->path, &f->err), 0);
	return f;
}

static void fixture_free(fixture *f)
{
	qes_store_close(f->st);
	char p[80];
	unlink(f->path);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	free(f);
}

#endif
