/* test_web_auth.c: the web interface's security primitives: argon2id
 * password hashes, session tokens (random, stored hashed, expiring), the
 * constant-time CSRF compare, login rate limits, and user accounts mapped
 * to screening reviewers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "web.h"
#include "qes/screen.h"

typedef struct fixture {
	char dir[64], path[96];
	qes_store *st;
	qes_error err;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/qes-web-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/r.qes", f->dir);
	if (qes_store_create(&f->st, f->path, &f->err))
		return -1;
	if (qes_web_user_add(f->st, "ann", "owner", "correct horse", "AB", &f->err) ||
	    qes_web_user_add(f->st, "val", "advisor", "battery staple", NULL, &f->err))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	qes_store_close(f->st);
	char p[160];
	const char *suffix[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void test_password_hash(void **state)
{
	(void)state;
	char h1[crypto_pwhash_STRBYTES], h2[crypto_pwhash_STRBYTES];
	assert_int_equal(qes__web_password_hash("s3cret-pass", h1, NULL), 0);
	assert_int_equal(qes__web_password_hash("s3cret-pass", h2, NULL), 0);
	assert_non_null(strstr(h1, "$argon2id$"));
	assert_string_not_equal(h1, h2);          /* salted */
	assert_true(qes__web_password_verify(h1, "s3cret-pass"));
	assert_true(qes__web_password_verify(h2, "s3cret-pass"));
	assert_false(qes__web_password_verify(h1, "s3cret-pasS"));
	assert_false(qes__web_password_verify(h1, ""));
	assert_false(qes__web_password_verify("not a hash", "s3cret-pass"));
}

static void test_tokens(void **state)
{
	(void)state;
	char a[QES__WEB_TOKEN_HEX], b[QES__WEB_TOKEN_HEX], ha[QES__WEB_TOKEN_HEX], ha2[QES__WEB_TOKEN_HEX];
	qes__web_token_new(a);
	qes__web_token_new(b);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
	assert_string_not_equal(a, b);
	qes__web_token_hash(a, ha);
	qes__web_token_hash(a, ha2);
	assert_string_equal(ha, ha2);
	assert_string_not_equal(ha, a);
}

static void test_ct_equal(void **state)
{
	(void)state;
	assert_true(qes__web_ct_equal("abcdef", "abcdef"));
	assert_false(qes__web_ct_equal("abcdef", "abcdeg"));
	assert_false(qes__web_ct_equal("abcdef", "abcde"));
	assert_false(qes__web_ct_equal("", ""));
	assert_false(qes__web_ct_equal(NULL, "abc"));
	assert_false(qes__web_ct_equal("abc", NULL));
}

static long long count(fixture *f, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(qes_store_db(f->st), sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	long long n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void test_sessions(void **state)
{
	fixture *f = *state;
	qes__web_session s;
	char tok[QES__WEB_TOKEN_HEX], th[QES__WEB_TOKEN_HEX];
	long long now = 1700000000;
	assert_int_equal(qes__web_login(f->st, "ANN", "correct horse", "127.0.0.1", now, &s, tok, &f->err), 0);
	assert_string_equal(s.name, "ann");
	assert_string_equal(s.role, "owner");
	assert_string_equal(s.initials, "AB");
	assert_int_equal(strlen(s.csrf), 64);
	/* Only the hash is stored, never the token. */
	qes__web_token_hash(tok, th);
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM web_sessions WHERE token_hash = '%s'", th);
	assert_int_equal(count(f, sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM web_sessions WHERE token_hash = '%s' OR csrf = '%s'", tok, tok);
	assert_int_equal(count(f, sql), 0);

	qes__web_session t;
	assert_int_equal(qes__web_session_find(f->st, tok, now + 60, &t, &f->err), 0);
	assert_string_equal(t.csrf, s.csrf);
	/* Expired, wrong or malformed tokens find nothing. */
	assert_int_equal(qes__web_session_find(f->st, tok, now + QES__WEB_SESSION_SECONDS, &t, &f->err),
			 QES_ENOTFOUND);
	assert_int_equal(qes__web_session_find(f->st, th, now, &t, &f->err), QES_ENOTFOUND);
	assert_int_equal(qes__web_session_find(f->st, "abc", now, &t, &f->err), QES_ENOTFOUND);
	assert_int_equal(qes__web_session_find(f->st, NULL, now, &t, &f->err), QES_ENOTFOUND);
	assert_int_equal(qes__web_session_delete(f->st, tok, &f->err), 0);
	assert_int_equal(qes__web_session_find(f->st, tok, now, &t, &f->err), QES_ENOTFOUND);
}

static long long count_rows(fixture *f, const char *sql)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(qes_store_db(f->st), sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	long long n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

static void test_rate_limit(void **state)
{
	fixture *f = *state;
	qes__web_session s;
	char tok[QES__WEB_TOKEN_HEX];
	long long now = 1700000000;
	for (int i = 0; i < QES__WEB_FAIL_FREE; i++)
		assert_int_equal(qes__web_login(f->st, "ann", "wrong password", "10.0.0.1", now,
						&s, tok, &f->err), QES_EPERM);
	/* Slowed down from that address, even with the right password: the
	 * password is not checked... */
	assert_int_equal(qes__web_login(f->st, "ann", "correct horse", "10.0.0.1", now + 1,
					&s, tok, &f->err), QES_ELIMIT);
	assert_non_null(strstr(f->err.message, "try again in "));
	/* ...but never from another address: nobody can lock the owner out. */
	assert_int_equal(qes__web_login(f->st, "ann", "correct horse", "10.0.0.2", now + 1,
					&s, tok, &f->err), 0);
	/* The delays grow: 2 s after the 5th failure (dated when its check
	 * ended: up to a second after now here), then 4, 8... */
	assert_int_equal(qes__web_login(f->st, "ann", "wrong password", "10.0.0.1", now + 4,
					&s, tok, &f->err), QES_EPERM);
	assert_int_equal(qes__web_login(f->st, "ann", "wrong password", "10.0.0.1", now + 7,
					&s, tok, &f->err), QES_ELIMIT);
	assert_int_equal(qes__web_login(f->st, "ann", "correct horse", "10.0.0.1", now + 10,
					&s, tok, &f->err), 0);
	/* A right password clears the pair. */
	assert_int_equal(count_rows(f, "SELECT count(*) FROM web_login_failures WHERE ip = '10.0.0.1'"), 0);
	/* Each failure that slowed the pair down is a logged lock event. */
	assert_int_equal(count_rows(f, "SELECT count(*) FROM web_login_events WHERE name = 'ann'"
				    " AND ip = '10.0.0.1' AND event = 'slowed'"), 2);
	assert_int_equal(count_rows(f, "SELECT max(wait_seconds) FROM web_login_events"), 4);
	/* Other users from the same address are not slowed by ann's pair. */
	for (int i = 0; i < 20; i++)
		assert_int_equal(qes__web_login(f->st, "ann", "wrong password", "10.9.9.9", now + 10,
						&s, tok, &f->err), i < QES__WEB_FAIL_FREE ? QES_EPERM : QES_ELIMIT);
	assert_int_equal(qes__web_login(f->st, "val", "battery staple", "10.9.9.9", now + 10,
					&s, tok, &f->err), 0);
	/* Forgotten after the window. */
	assert_int_equal(qes__web_login(f->st, "ann", "correct horse", "10.9.9.9",
					now + QES__WEB_FAIL_WINDOW + 20, &s, tok, &f->err), 0);
	/* The delay never exceeds the maximum. */
	for (int i = 0; i < 40; i++)
		qes__web_login(f->st, "val", "wrong password", "10.7.7.7", now + 3000 + i * 1000,
			       &s, tok, &f->err);
	assert_true(count_rows(f, "SELECT max(wait_seconds) FROM web_login_events") <= QES__WEB_FAIL_DELAY_MAX);
}

static void test_users(void **state)
{
	fixture *f = *state;
	assert_int_equal(qes_web_user_add(f->st, "Ann", "reviewer", "another one", "ZZ", &f->err), QES_EEXIST);
	qes_reviewer z;
	assert_int_equal(qes_reviewer_get(f->st, "ZZ", &z, &f->err), QES_ENOTFOUND);  /* none left behind */
	assert_int_equal(qes_web_user_add(f->st, "bob", "admin", "long enough", NULL, &f->err), QES_EINVAL);
	assert_int_equal(qes_web_user_add(f->st, "bob", "reviewer", "short", NULL, &f->err), QES_EINVAL);
	assert_int_equal(qes_web_user_add(f->st, "bob", "advisor", "long enough", "BB", &f->err), QES_EINVAL);
	assert_int_equal(qes_web_user_add(f->st, "bo\nb", "reviewer", "long enough", NULL, &f->err), QES_EINVAL);
	/* Initials create the screening reviewer. */
	assert_int_equal(qes_web_user_add(f->st, "bob", "reviewer", "long enough", "CD", &f->err), 0);
	qes_reviewer r;
	assert_int_equal(qes_reviewer_get(f->st, "CD", &r, &f->err), 0);
	assert_string_equal(r.role, "reviewer");
	qes_reviewer_release(&r);
	assert_int_equal(count(f, "SELECT count(*) FROM web_users"), 3);
	assert_int_equal(count(f, "SELECT count(*) FROM web_users WHERE pwhash LIKE '$argon2id$%'"), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_hash),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_ct_equal),
		cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_users, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
