/* auth.c: accounts, passwords, sessions and login rate limits for qes serve.
 * Passwords: argon2id through libsodium; tokens: randombytes_buf; only a
 * hash of a session token is stored. */
#include "web.h"

#include <pthread.h>
#include <sqlite3.h>
#include <string.h>
#include <time.h>

#include "qes/screen.h"

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ok;
/* One hash at a time: each takes MEMLIMIT_INTERACTIVE (64 MiB). */
static pthread_mutex_t hash_lock = PTHREAD_MUTEX_INITIALIZER;

static void init_sodium(void)
{
	sodium_ok = sodium_init() >= 0;
}

static int need_sodium(qes_error *err)
{
	pthread_once(&sodium_once, init_sodium);
	return sodium_ok ? 0 : qes_error_set(err, QES_ENOMEM, "libsodium cannot start");
}

int qes__web_password_hash(const char *pw, char out[crypto_pwhash_STRBYTES], qes_error *err)
{
	if (need_sodium(err))
		return QES_ENOMEM;
	pthread_mutex_lock(&hash_lock);
	int rc = crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				   crypto_pwhash_MEMLIMIT_INTERACTIVE);
	pthread_mutex_unlock(&hash_lock);
	return rc ? qes_error_set(err, QES_ENOMEM, "out of memory hashing a password") : 0;
}

int qes__web_password_verify(const char *hash, const char *pw)
{
	if (need_sodium(NULL))
		return 0;
	pthread_mutex_lock(&hash_lock);
	int ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
	pthread_mutex_unlock(&hash_lock);
	return ok;
}

void qes__web_token_new(char out[QES__WEB_TOKEN_HEX])
{
	unsigned char b[32];
	pthread_once(&sodium_once, init_sodium);
	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(out, QES__WEB_TOKEN_HEX, b, sizeof(b));
	sodium_memzero(b, sizeof(b));
}

void qes__web_token_hash(const char *token, char out[QES__WEB_TOKEN_HEX])
{
	unsigned char h[32];
	pthread_once(&sodium_once, init_sodium);
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, QES__WEB_TOKEN_HEX, h, sizeof(h));
}

int qes__web_ct_equal(const char *a, const char *b)
{
	if (!a || !b)
		return 0;
	size_t la = strlen(a), lb = strlen(b);
	/* Lengths are not secret (tokens have a fixed length). */
	if (la != lb || la == 0)
		return 0;
	return sodium_memcmp(a, b, la) == 0;
}

/* --- Users ---------------------------------------------------------------- */

static int valid_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > QES_WEB_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7f)
			return 0;
	}
	return 1;
}

static int ensure_reviewer(qes_store *st, const char *initials, const char *role,
			   const char *name, qes_error *err)
{
	qes_reviewer r;
	int rc = qes_reviewer_get(st, initials, &r, err);
	if (rc == 0) {
		qes_reviewer_release(&r);
		return 0;
	}
	if (rc != QES_ENOTFOUND)
		return rc;
	qes_error_clear(err);
	return qes_reviewer_add(st, initials, name,
				strcmp(role, "owner") == 0 ? "owner" : "reviewer", err);
}

int qes_web_user_add(qes_store *st, const char *name, const char *role,
		     const char *password, const char *initials, qes_error *err)
{
	char hash[crypto_pwhash_STRBYTES];
	if (!valid_name(name))
		return qes_error_set(err, QES_EINVAL, "a user name is 1-%d characters, no control characters",
				     QES_WEB_NAME_MAX);
	if (strcmp(role, "owner") && strcmp(role, "reviewer") && strcmp(role, "advisor"))
		return qes_error_set(err, QES_EINVAL, "no such role '%s' (owner, reviewer, advisor)", role);
	if (initials && !strcmp(role, "advisor"))
		return qes_error_set(err, QES_EINVAL, "an advisor does not screen, so has no initials");
	size_t pl = strlen(password);
	if (pl < QES_WEB_PASSWORD_MIN || pl > QES_WEB_PASSWORD_MAX)
		return qes_error_set(err, QES_EINVAL, "a password is %d to %d bytes",
				     QES_WEB_PASSWORD_MIN, QES_WEB_PASSWORD_MAX);
	/* Screening reviewers are created by a call with its own transaction,
	 * so refuse a taken name before creating one. */
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(qes_store_db(st), "SELECT 1 FROM web_users WHERE name = ?", -1, &q,
			       NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "reading users");
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	int taken = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	if (taken)
		return qes_error_set(err, QES_EEXIST, "user '%s' already exists", name);
	if (initials) {
		int rc = ensure_reviewer(st, initials, role, name, err);
		if (rc)
			return rc;
	}
	int rc = qes__web_password_hash(password, hash, err);
	if (rc)
		return rc;
	sqlite3 *db = qes_store_db(st);
	sqlite3_stmt *s = NULL;
	if ((rc = qes_store_begin(st, err)))
		goto out;
	if (sqlite3_prepare_v2(db, "INSERT INTO web_users(name, role, pwhash, initials) "
			       "VALUES (?, ?, ?, (SELECT initials FROM reviewers WHERE initials = ? COLLATE NOCASE))",
			       -1, &s, NULL) != SQLITE_OK) {
		rc = qes_store_sqlerr(st, err, "adding a user");
		goto out;
	}
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, hash, -1, SQLITE_STATIC);
	if (initials)
		sqlite3_bind_text(s, 4, initials, -1, SQLITE_STATIC);
	int step = sqlite3_step(s);
	if (step == SQLITE_CONSTRAINT || sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE) {
		rc = qes_error_set(err, QES_EEXIST, "user '%s' already exists", name);
		goto out;
	}
	if (step != SQLITE_DONE) {
		rc = qes_store_sqlerr(st, err, "adding a user");
		goto out;
	}
	rc = qes_store_commit(st, err);
out:
	sqlite3_finalize(s);
	if (rc)
		qes_store_rollback(st);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int qes_web_user_foreach(qes_store *st, int (*fn)(void *ud, const qes_web_user *u),
			 void *ud, qes_error *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(qes_store_db(st),
			       "SELECT id, name, role, initials FROM web_users ORDER BY id",
			       -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "listing users");
	int rc = 0, step;
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		qes_web_user u = {
			sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
			(const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3),
		};
		rc = fn(ud, &u);
	}
	if (!rc && step != SQLITE_DONE)
		rc = qes_store_sqlerr(st, err, "listing users");
	sqlite3_finalize(s);
	return rc;
}

/* --- Sessions ------------------------------------------------------------- */

static int exec_bound(qes_store *st, const char *sql, const char *t1, const char *t2,
		      long long i1, qes_error *err, const char *what)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(qes_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, what);
	int k = 1;
	if (t1)
		sqlite3_bind_text(s, k++, t1, -1, SQLITE_STATIC);
	if (t2)
		sqlite3_bind_text(s, k++, t2, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, k, i1);
	int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : qes_store_sqlerr(st, err, what);
	sqlite3_finalize(s);
	return rc;
}

int qes__web_session_create(qes_store *st, long long user_id, long long now,
			    char token[QES__WEB_TOKEN_HEX], qes_error *err)
{
	char th[QES__WEB_TOKEN_HEX], csrf[QES__WEB_TOKEN_HEX];
	qes__web_token_new(token);
	qes__web_token_new(csrf);
	qes__web_token_hash(token, th);
	sqlite3_stmt *s;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	/* Expired sessions go whenever a new one starts. */
	rc = exec_bound(st, "DELETE FROM web_sessions WHERE expires_at <= ?", NULL, NULL, now,
			err, "removing expired sessions");
	if (rc)
		goto out;
	if (sqlite3_prepare_v2(qes_store_db(st),
			       "INSERT INTO web_sessions(token_hash, user_id, csrf, created_at, expires_at) "
			       "VALUES (?, ?, ?, ?, ?)", -1, &s, NULL) != SQLITE_OK) {
		rc = qes_store_sqlerr(st, err, "starting a session");
		goto out;
	}
	sqlite3_bind_text(s, 1, th, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, user_id);
	sqlite3_bind_text(s, 3, csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	sqlite3_bind_int64(s, 5, now + QES__WEB_SESSION_SECONDS);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : qes_store_sqlerr(st, err, "starting a session");
	sqlite3_finalize(s);
	if (!rc)
		rc = qes_store_commit(st, err);
out:
	if (rc)
		qes_store_rollback(st);
	return rc;
}

static void copy(char *dst, size_t n, const unsigned char *src)
{
	snprintf(dst, n, "%s", src ? (const char *)src : "");
}

int qes__web_session_find(qes_store *st, const char *token, long long now,
			  qes__web_session *out, qes_error *err)
{
	char th[QES__WEB_TOKEN_HEX];
	memset(out, 0, sizeof(*out));
	if (!token || strlen(token) != QES__WEB_TOKEN_HEX - 1)
		return qes_error_set(err, QES_ENOTFOUND, "no session");
	qes__web_token_hash(token, th);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(qes_store_db(st),
			       "SELECT u.id, u.name, u.role, u.initials, s.csrf FROM web_sessions s "
			       "JOIN web_users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?",
			       -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "reading a session");
	sqlite3_bind_text(s, 1, th, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	int rc, step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		out->user_id = sqlite3_column_int64(s, 0);
		copy(out->name, sizeof(out->name), sqlite3_column_text(s, 1));
		copy(out->role, sizeof(out->role), sqlite3_column_text(s, 2));
		copy(out->initials, sizeof(out->initials), sqlite3_column_text(s, 3));
		copy(out->csrf, sizeof(out->csrf), sqlite3_column_text(s, 4));
		rc = 0;
	} else if (step == SQLITE_DONE) {
		rc = qes_error_set(err, QES_ENOTFOUND, "no session");
	} else {
		rc = qes_store_sqlerr(st, err, "reading a session");
	}
	sqlite3_finalize(s);
	return rc;
}

int qes__web_session_delete(qes_store *st, const char *token, qes_error *err)
{
	char th[QES__WEB_TOKEN_HEX];
	qes__web_token_hash(token, th);
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	rc = exec_bound(st, "DELETE FROM web_sessions WHERE token_hash = ? OR expires_at <= ?",
			th, NULL, 0, err, "ending a session");
	if (!rc)
		rc = qes_store_commit(st, err);
	else
		qes_store_rollback(st);
	return rc;
}

/* --- Login ---------------------------------------------------------------- */

/* The wait before the next try of a pair with n failures in the window. */
static long long pair_delay(long long n)
{
	if (n < QES__WEB_FAIL_FREE)
		return 0;
	long long k = n - QES__WEB_FAIL_FREE + 1, d = 1;
	while (k-- > 0 && d < QES__WEB_FAIL_DELAY_MAX)
		d *= 2;
	return d < QES__WEB_FAIL_DELAY_MAX ? d : QES__WEB_FAIL_DELAY_MAX;
}

/* The pair's failures in the window and the latest one's time. */
static int pair_failures(qes_store *st, const char *name, const char *ip, long long now,
			 long long *n, long long *last, qes_error *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(qes_store_db(st), "SELECT count(*), coalesce(max(at), 0) FROM"
			       " web_login_failures WHERE name = ?1 AND ip = ?2 AND at > ?3",
			       -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "counting failed logins");
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, ip, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now - QES__WEB_FAIL_WINDOW);
	int rc = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*n = sqlite3_column_int64(s, 0);
		*last = sqlite3_column_int64(s, 1);
	} else {
		rc = qes_store_sqlerr(st, err, "counting failed logins");
	}
	sqlite3_finalize(s);
	return rc;
}

/* Before a password is checked, in one write transaction: QES_ELIMIT
 * while the pair must wait, else a failure is recorded now (taken back by
 * pair_settle when the password is right). Counting and recording in one
 * transaction is what keeps parallel tries within the limit. */
static int pair_reserve(qes_store *st, const char *name, const char *ip, long long now,
			long long *fail_id, qes_error *err)
{
	long long n = 0, last = 0;
	*fail_id = 0;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if ((rc = exec_bound(st, "DELETE FROM web_login_failures WHERE at <= ?", NULL, NULL,
			     now - QES__WEB_FAIL_WINDOW, err, "pruning failed logins")) ||
	    (rc = pair_failures(st, name, ip, now, &n, &last, err)))
		goto out;
	long long wait = last + pair_delay(n) - now;
	if (n >= QES__WEB_FAIL_FREE && wait > 0) {
		rc = qes_error_set(err, QES_ELIMIT, "too many failed logins for this name from this"
				   " address: try again in %lld seconds", wait);
		goto out;
	}
	if ((rc = exec_bound(st, "INSERT INTO web_login_failures(name, ip, at) VALUES (?, ?, ?)",
			     name, ip, now, err, "recording a login attempt")))
		goto out;
	*fail_id = sqlite3_last_insert_rowid(qes_store_db(st));
	rc = qes_store_commit(st, err);
out:
	if (rc)
		qes_store_rollback(st);
	return rc;
}

/* After the check: a right password clears the pair's failures; a wrong
 * one stays counted, dated now (when the check ended, so that tries queued
 * behind a slow check still wait the delay), and once the pair is slowed
 * down that is logged. */
static int pair_settle(qes_store *st, const char *name, const char *ip, long long fail_id,
		       long long now, int right, qes_error *err)
{
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if (right) {
		rc = exec_bound(st, "DELETE FROM web_login_failures WHERE name = ? AND ip = ? AND at >= ?",
				name, ip, 0, err, "clearing failed logins");
	} else {
		long long n = 0, last = 0;
		sqlite3_stmt *u;
		if (sqlite3_prepare_v2(qes_store_db(st), "UPDATE web_login_failures SET at = ?2"
				       " WHERE id = ?1 AND at < ?2", -1, &u, NULL) != SQLITE_OK)
			rc = qes_store_sqlerr(st, err, "dating a failed login");
		else {
			sqlite3_bind_int64(u, 1, fail_id);
			sqlite3_bind_int64(u, 2, now);
			if (sqlite3_step(u) != SQLITE_DONE)
				rc = qes_store_sqlerr(st, err, "dating a failed login");
			sqlite3_finalize(u);
		}
		if (!rc && !(rc = pair_failures(st, name, ip, now, &n, &last, err)) &&
		    n >= QES__WEB_FAIL_FREE) {
			sqlite3_stmt *s;
			if (sqlite3_prepare_v2(qes_store_db(st), "INSERT INTO web_login_events(at, name, ip,"
					       " event, wait_seconds) VALUES (?, ?, ?, 'slowed', ?)", -1, &s,
					       NULL) != SQLITE_OK) {
				rc = qes_store_sqlerr(st, err, "logging a lock event");
			} else {
				sqlite3_bind_int64(s, 1, now);
				sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
				sqlite3_bind_text(s, 3, ip, -1, SQLITE_STATIC);
				sqlite3_bind_int64(s, 4, pair_delay(n));
				if (sqlite3_step(s) != SQLITE_DONE)
					rc = qes_store_sqlerr(st, err, "logging a lock event");
				sqlite3_finalize(s);
			}
		}
	}
	if (!rc)
		rc = qes_store_commit(st, err);
	else
		qes_store_rollback(st);
	return rc;
}

/* A hash to verify against when the name is unknown, so that the answer
 * takes as long as for a known name (no user enumeration by timing). */
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];
static void make_dummy(void)
{
	char pw[QES__WEB_TOKEN_HEX];
	qes__web_token_new(pw);
	if (qes__web_password_hash(pw, dummy_hash, NULL))
		dummy_hash[0] = '\0';
}

int qes__web_login(qes_store *st, const char *name, const char *password,
		   const char *ip, long long now, qes__web_session *out,
		   char token[QES__WEB_TOKEN_HEX], qes_error *err)
{
	if (need_sodium(err))
		return QES_ENOMEM;
	if (!valid_name(name) || strlen(password) > QES_WEB_PASSWORD_MAX)
		return qes_error_set(err, QES_EPERM, "wrong name or password");
	long long fail_id;
	int rc = pair_reserve(st, name, ip, now, &fail_id, err);
	if (rc)
		return rc;

	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(qes_store_db(st), "SELECT id, pwhash FROM web_users WHERE name = ?",
			       -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "reading a user");
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	long long id = 0;
	char hash[crypto_pwhash_STRBYTES] = "";
	if (sqlite3_step(s) == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		copy(hash, sizeof(hash), sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	if (!id) {
		pthread_once(&dummy_once, make_dummy);
		if (dummy_hash[0])
			(void)qes__web_password_verify(dummy_hash, password);
	}
	time_t began = time(NULL);
	int right = id && qes__web_password_verify(hash, password);
	sodium_memzero(hash, sizeof(hash));
	/* The check's end on the caller's clock (now), however long it waited
	 * for the hashing lock. */
	long long ended = now + (long long)(time(NULL) - began);
	if ((rc = pair_settle(st, name, ip, fail_id, ended, right, err)))
		return rc;
	if (!right)
		return qes_error_set(err, QES_EPERM, "wrong name or password");
	rc = qes__web_session_create(st, id, now, token, err);
	if (!rc)
		rc = qes__web_session_find(st, token, now, out, err);
	return rc;
}

/* --- Account changes ------------------------------------------------------ */

static int check_password(const char *pw, qes_error *err)
{
	size_t pl = strlen(pw);
	if (pl < QES_WEB_PASSWORD_MIN || pl > QES_WEB_PASSWORD_MAX)
		return qes_error_set(err, QES_EINVAL, "a password is %d to %d bytes",
				     QES_WEB_PASSWORD_MIN, QES_WEB_PASSWORD_MAX);
	return 0;
}

/* Runs sql (binding t1, t2 as text when given) in the open transaction;
 * *changed gets the rows it changed. */
static int exec_changes(qes_store *st, const char *sql, const char *t1, const char *t2,
			int *changed, qes_error *err, const char *what)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(qes_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, what);
	sqlite3_bind_text(s, 1, t1, -1, SQLITE_STATIC);
	if (t2)
		sqlite3_bind_text(s, 2, t2, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : qes_store_sqlerr(st, err, what);
	sqlite3_finalize(s);
	if (!rc && changed)
		*changed = sqlite3_changes(qes_store_db(st));
	return rc;
}

int qes_web_user_remove(qes_store *st, const char *name, qes_error *err)
{
	int n = 0, rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	/* Sessions first (the foreign key cascades too, but say it). */
	if ((rc = exec_changes(st, "DELETE FROM web_sessions WHERE user_id IN"
			       " (SELECT id FROM web_users WHERE name = ?)", name, NULL, NULL, err,
			       "ending the user's sessions")) ||
	    (rc = exec_changes(st, "DELETE FROM web_users WHERE name = ?", name, NULL, &n, err,
			       "removing a user")))
		goto out;
	if (!n) {
		rc = qes_error_set(err, QES_ENOTFOUND, "no user '%s'", name);
		goto out;
	}
	rc = qes_store_commit(st, err);
out:
	if (rc)
		qes_store_rollback(st);
	return rc;
}

/* Stores hash for the user; keep_csrf names the one session that stays
 * (NULL: all end). */
static int store_password(qes_store *st, const char *name, const char *hash,
			  const char *keep_csrf, qes_error *err)
{
	int n = 0, rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if ((rc = exec_changes(st, "UPDATE web_users SET pwhash = ?2 WHERE name = ?1", name, hash,
			       &n, err, "setting a password")))
		goto out;
	if (!n) {
		rc = qes_error_set(err, QES_ENOTFOUND, "no user '%s'", name);
		goto out;
	}
	if ((rc = exec_changes(st, "DELETE FROM web_sessions WHERE user_id IN"
			       " (SELECT id FROM web_users WHERE name = ?1) AND csrf IS NOT ?2",
			       name, keep_csrf ? keep_csrf : "", NULL, err, "ending sessions")))
		goto out;
	rc = qes_store_commit(st, err);
out:
	if (rc)
		qes_store_rollback(st);
	return rc;
}

int qes_web_user_password(qes_store *st, const char *name, const char *password,
			  qes_error *err)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc = check_password(password, err);
	if (rc || (rc = qes__web_password_hash(password, hash, err)))
		return rc;
	rc = store_password(st, name, hash, NULL, err);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

/* The stored hash of the user (hash[0] = '\0' when none). */
static int read_hash(qes_store *st, long long id, char hash[crypto_pwhash_STRBYTES],
		     qes_error *err)
{
	sqlite3_stmt *s;
	hash[0] = '\0';
	if (sqlite3_prepare_v2(qes_store_db(st), "SELECT pwhash FROM web_users WHERE id = ?", -1, &s,
			       NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "reading a user");
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		copy(hash, crypto_pwhash_STRBYTES, sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return 0;
}

int qes__web_api_password(qes_store *st, const qes__web_session *s, const json_t *body,
			  json_t **out, qes_error *err)
{
	char old[crypto_pwhash_STRBYTES], hash[crypto_pwhash_STRBYTES];
	*out = NULL;
	const char *cur = json_string_value(json_object_get(body, "current"));
	const char *pw = json_string_value(json_object_get(body, "new"));
	if (!cur || !pw)
		return qes_error_set(err, QES_EINVAL, "expected {current, new}");
	long long now = (long long)time(NULL), fail_id;
	int rc = check_password(pw, err);
	if (rc || (rc = read_hash(st, s->user_id, old, err)))
		return rc;
	/* The current password, so that a borrowed session cannot lock the
	 * owner out. A wrong one counts as a failed login of the account from
	 * "password-change" (its own pair, with the same delays). */
	if ((rc = pair_reserve(st, s->name, "password-change", now, &fail_id, err)))
		return rc;
	int right = strlen(cur) <= QES_WEB_PASSWORD_MAX && old[0] && qes__web_password_verify(old, cur);
	sodium_memzero(old, sizeof(old));
	if ((rc = pair_settle(st, s->name, "password-change", fail_id, (long long)time(NULL), right, err)))
		return rc;
	if (!right)
		return qes_error_set(err, QES_EPERM, "the current password is wrong");
	if ((rc = qes__web_password_hash(pw, hash, err)))
		return rc;
	/* This session stays; the user's others (elsewhere) end. */
	rc = store_password(st, s->name, hash, s->csrf, err);
	sodium_memzero(hash, sizeof(hash));
	if (!rc)
		*out = json_pack("{sb}", "ok", 1);
	return rc;
}
