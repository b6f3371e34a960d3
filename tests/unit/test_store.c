/* test_store.c: creating and opening reviews, migrations, record lookup by
 * key (and its ambiguity), full-text search, provenance, settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "qes/store.h"

typedef struct fixture {
	char path[64];
	qes_store *st;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "/tmp/qes-test-store-XXXXXX");
	int fd = mkstemp(f->path);
	close(fd);
	unlink(f->path);
	qes_error err;
	qes_error_clear(&err);
	assert_int_equal(qes_store_create(&f->st, f->path, &err), 0);
	/* Two imports from two sources, with a key ("1") used in both. */
	assert_int_equal(qes_store_exec(f->st,
		"INSERT INTO sources(name, method) VALUES ('PsycINFO','database'), ('Hand','other');"
		"INSERT INTO imports(source_id, file_name, file_sha256, file_bytes, format, encoding, searched)"
		" VALUES (1,'a.ris','aa',10,'ris','UTF-8','2022-03-14'), (2,'b.csv','bb',10,'csv','UTF-8',NULL);"
		"INSERT INTO records(import_id, source_key, ordinal, line, type, title, abstract, authors, year, raw)"
		" VALUES (1,'1',1,1,'article','Mothers and child protection','Interviews with mothers',"
		"         'Smith, J\nJones, K',2020,'TY  - JOUR'),"
		"        (1,'X9',2,9,'article','Diabetes care','Trial of insulin',NULL,2019,'TY  - JOUR'),"
		"        (2,'1',1,2,'other','Fathers and social work',NULL,NULL,NULL,'1,Fathers');"
		"INSERT INTO records_fts(rowid, title, abstract, keywords)"
		" SELECT id, title, abstract, keywords FROM records;", &err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	qes_store_close(f->st);
	char p[80];
	unlink(f->path);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	free(f);
	return 0;
}

static void test_create_twice_and_reopen(void **state)
{
	fixture *f = *state;
	qes_error err;
	qes_error_clear(&err);
	qes_store *st;
	assert_int_equal(qes_store_create(&st, f->path, &err), QES_EEXIST);
	assert_int_equal(qes_store_open(&st, f->path, &err), 0);
	/* Migrations ran once: opening again adds no rows. */
	assert_int_equal(qes_store_count(st, "SELECT count(*) FROM schema_migrations WHERE module='core'", &err), 1);
	qes_store_close(st);
	assert_int_equal(qes_store_open(&st, "/tmp/definitely-not-here.qes", &err), QES_ENOTFOUND);
	assert_non_null(strstr(err.message, "qes init"));
}

static void test_not_a_review(void **state)
{
	(void)state;
	char path[] = "/tmp/qes-not-review-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	sqlite3 *db;
	sqlite3_open(path, &db);
	sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
	sqlite3_close(db);
	qes_error err;
	qes_error_clear(&err);
	qes_store *st;
	assert_int_equal(qes_store_open(&st, path, &err), QES_EINVAL);
	assert_non_null(strstr(err.message, "not a qes review"));
	/* A text file is refused the same way, and left untouched. */
	FILE *fp = fopen(path, "w");
	fputs("TY  - JOUR\nER  - \n", fp);
	fclose(fp);
	assert_int_equal(qes_store_open(&st, path, &err), QES_EINVAL);
	assert_non_null(strstr(err.message, "not a qes review"));
	fp = fopen(path, "r");
	char buf[32] = "";
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "TY  - JOUR\n");
	unlink(path);
}

/* One name per review: a second hard link is refused (each name would get
 * its own WAL), a symbolic link opens the real file. */
static void test_one_name(void **state)
{
	fixture *f = *state;
	qes_error err;
	qes_error_clear(&err);
	char other[96], sym[96];
	snprintf(other, sizeof(other), "%s-hard", f->path);
	snprintf(sym, sizeof(sym), "%s-sym", f->path);
	assert_int_equal(link(f->path, other), 0);
	qes_store *st = NULL;
	assert_int_equal(qes_store_open(&st, other, &err), QES_ECONFLICT);
	assert_non_null(strstr(err.message, "hard links"));
	assert_int_equal(qes_store_open_read(&st, f->path, &err), QES_ECONFLICT);
	unlink(other);
	assert_int_equal(symlink(f->path, sym), 0);
	assert_int_equal(qes_store_open(&st, sym, &err), 0);
	assert_string_equal(qes_store_path(st), f->path);
	qes_store_close(st);
	unlink(sym);
}

/* Files that are not reviews are refused and left exactly as they were:
 * an empty file stays 0 bytes, another program's database keeps its
 * journal mode. */
static void test_foreign_files_untouched(void **state)
{
	(void)state;
	qes_error err;
	qes_error_clear(&err);
	char path[] = "/tmp/qes-test-empty-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	qes_store *st = NULL;
	assert_int_equal(qes_store_open(&st, path, &err), QES_EINVAL);
	assert_non_null(strstr(err.message, "empty"));
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 0);
	unlink(path);

	char db_path[] = "/tmp/qes-test-foreign-XXXXXX";
	fd = mkstemp(db_path);
	close(fd);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode=DELETE; CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(qes_store_open(&st, db_path, &err), QES_EINVAL);
	assert_non_null(strstr(err.message, "not a qes review"));
	/* byte 18 of the header: 1 = rollback journal, 2 = WAL */
	FILE *fp = fopen(db_path, "rb");
	unsigned char head[20];
	assert_int_equal(fread(head, 1, sizeof(head), fp), sizeof(head));
	fclose(fp);
	assert_int_equal(head[18], 1);
	char wal[64];
	snprintf(wal, sizeof(wal), "%s-wal", db_path);
	assert_int_not_equal(access(wal, F_OK), 0);
	unlink(db_path);
}

/* Opening takes no lock: with another connection holding the write lock,
 * a review opens (for reading and for writing) at once, reads, and a write
 * fails as QES_EBUSY, naming the review. */
static void test_open_while_locked(void **state)
{
	fixture *f = *state;
	qes_error err;
	qes_error_clear(&err);
	assert_int_equal(qes_store_begin(f->st, &err), 0);
	assert_int_equal(qes_store_exec(f->st, "INSERT INTO meta(key, value) VALUES ('x', 'y')", &err), 0);
	qes_store *st = NULL;
	assert_int_equal(qes_store_open_read(&st, f->path, &err), 0);
	assert_int_equal(qes_store_count(st, "records", &err), 3);
	sqlite3_busy_timeout(qes_store_db(st), 50);
	assert_int_equal(qes_store_begin(st, &err), QES_EBUSY);
	assert_non_null(strstr(err.message, "is locked"));
	assert_non_null(strstr(err.message, f->path));
	qes_store_close(st);
	qes_store_rollback(f->st);
}

static void test_find_keys(void **state)
{
	fixture *f = *state;
	qes_error err;
	qes_error_clear(&err);
	long long id = 0;
	assert_int_equal(qes_record_find(f->st, "X9", &id, &err), 0);
	assert_int_equal(id, 2);
	assert_int_equal(qes_record_find(f->st, "1", &id, &err), QES_EAMBIG);
	assert_non_null(strstr(err.message, "1:1"));
	assert_non_null(strstr(err.message, "2:1"));
	assert_int_equal(qes_record_find(f->st, "2:1", &id, &err), 0);
	assert_int_equal(id, 3);
	assert_int_equal(qes_record_find(f->st, "#1", &id, &err), 0);
	assert_int_equal(id, 1);
	assert_int_equal(qes_record_find(f->st, "nope", &id, &err), QES_ENOTFOUND);
	assert_int_equal(qes_record_find(f->st, "#0", &id, &err), QES_EINVAL);
}

static void test_load_and_provenance(void **state)
{
	fixture *f = *state;
	qes_error err;
	qes_error_clear(&err);
	qes_arena a;
	qes__arena_init(&a, 4096);
	qes_record rec;
	assert_int_equal(qes_record_load(f->st, 1, &rec, &a, &err), 0);
	assert_string_equal(rec.title, "Mothers and child protection");
	assert_int_equal(rec.authors.n, 2);
	assert_string_equal(rec.authors.items[1], "Jones, K");
	assert_int_equal(rec.year, 2020);
	assert_null(rec.doi);
	qes_provenance p;
	assert_int_equal(qes_record_provenance(f->st, 3, &p, &err), 0);
	assert_string_equal(p.source_name, "Hand");
	assert_string_equal(p.method, "other");
	assert_string_equal(p.file_name, "b.csv");
	assert_int_equal(p.line, 2);
	qes_provenance_release(&p);
	qes__arena_free(&a);
}

static long count_matches(qes_store *st, const char *match)
{
	qes_error err;
	qes_error_clear(&err);
	qes_record_query q = { .match = match };
	qes_record_iter *it;
	assert_int_equal(qes_record_iter_open(&it, st, &q, &err), 0);
	long n = 0;
	long long id;
	qes_record *r;
	int rc;
	while ((rc = qes_record_iter_next(it, &id, &r, &err)) == 1)
		n++;
	qes_record_iter_close(it);
	return rc < 0 ? rc : n;
}

static void test_full_text(void **state)
{
	fixture *f = *state;
	assert_int_equal(count_matches(f->st, NULL), 3);
	assert_int_equal(count_matches(f->st, "mother*"), 1);
	assert_int_equal(count_matches(f->st, "protection OR fathers"), 2);
	assert_int_equal(count_matches(f->st, "insulin"), 1);
	assert_int_equal(count_matches(f->st, "title:insulin"), 0);
	assert_int_equal(count_matches(f->st, "\"unbalanced"), QES_EINVAL);
}

static void test_sources(void **state)
{
	fixture *f = *state;
	qes_error err;
	qes_error_clear(&err);
	char *v;
	assert_int_equal(qes_store_get_meta(f->st, "title", &v, &err), 0);
	assert_null(v);
	assert_int_equal(qes_store_set_meta(f->st, "title", "A review", &err), 0);
	assert_int_equal(qes_store_set_meta(f->st, "title", "The review", &err), 0);
	assert_int_equal(qes_store_get_meta(f->st, "title", &v, &err), 0);
	assert_string_equal(v, "The review");
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_twice_and_reopen, setup, teardown),
		cmocka_unit_test(test_not_a_review),
		cmocka_unit_test_setup_teardown(test_one_name, setup, teardown),
		cmocka_unit_test(test_foreign_files_untouched),
		cmocka_unit_test_setup_teardown(test_open_while_locked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_and_provenance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sources, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
