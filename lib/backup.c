/* backup.c: qes backup and qes restore, with SQLite's online backup API.
 * See qes/backup.h for the guarantees. */
#include "qes/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Pages per backup step: small, so that no lock is held for long. */
#define BACKUP_STEP_PAGES 256

static int db_error(sqlite3 *db, qes_error *err, int code, const char *what)
{
	return qes_error_set(err, code, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

/* 1 when the open database has qes's schema_migrations table, 0 when not,
 * -1 when it cannot be read at all (not a database). */
static int is_review(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE name='schema_migrations'",
			       -1, &s, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* PRAGMA integrity_check: 0 when it says "ok", else QES_EFORMAT with its
 * first complaint (code_bad lets the caller pick another code). */
static int integrity(sqlite3 *db, const char *path, int code_bad, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(5)", -1, &s, NULL) != SQLITE_OK)
		return qes_error_set(err, code_bad, "%s is damaged: %s", path, sqlite3_errmsg(db));
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		rc = qes_error_set(err, code_bad, "%s is damaged: %s", path, sqlite3_errmsg(db));
	} else {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		rc = t && !strcmp(t, "ok") ? 0
		     : qes_error_set(err, code_bad, "%s is damaged (integrity check: %s)", path,
				     t ? t : "?");
	}
	sqlite3_finalize(s);
	return rc;
}

/* fsync a file or folder by path; 0 or -1. */
static int sync_path(const char *path, int dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

static void dir_of(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, n, ".");
	else if (slash == path)
		snprintf(out, n, "/");
	else
		snprintf(out, n, "%.*s", (int)(slash - path), path);
}

/* Copies src's main database into dst's in steps; the caller holds what
 * transactions it needs. Returns 0 or QES_ESTORE. */
static int copy_pages(sqlite3 *dst, sqlite3 *src, const char *what, long long *pages, int *steps,
		      qes_error *err)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b)
		return db_error(dst, err, QES_ESTORE, what);
	int rc, n = 0, busy = 0;
	for (;;) {
		rc = sqlite3_backup_step(b, BACKUP_STEP_PAGES);
		n++;
		if (rc == SQLITE_DONE)
			break;
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			if (++busy > 2000)  /* about 20 s of waiting for a lock */
				break;
			sqlite3_sleep(10);
			continue;
		}
		if (rc != SQLITE_OK)
			break;
	}
	if (pages)
		*pages = sqlite3_backup_pagecount(b);
	if (steps)
		*steps = n;
	int frc = sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE || frc != SQLITE_OK)
		return qes_error_set(err, QES_ESTORE, "%s: %s", what,
				     rc == SQLITE_BUSY || rc == SQLITE_LOCKED
				     ? "the review stayed locked for 20 s" : sqlite3_errstr(rc != SQLITE_DONE ? rc : frc));
	return 0;
}

/* Writes src (open, inside a read transaction) to tmp as a self-contained
 * file (rollback journal, not WAL), checks it and syncs it. */
static int write_copy(sqlite3 *src, const char *tmp, qes_backup_info *info, qes_error *err)
{
	sqlite3 *dst = NULL;
	int rc = QES_EIO;
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = db_error(dst, err, QES_EIO, tmp);
		goto out;
	}
	sqlite3_busy_timeout(dst, 10000);
	rc = copy_pages(dst, src, tmp, info ? &info->pages : NULL, info ? &info->steps : NULL, err);
	if (rc)
		goto out;
	/* The copy carries the review's WAL flag in its header: make it one
	 * plain file so that it is whole on its own. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_error(dst, err, QES_ESTORE, tmp);
		goto out;
	}
	rc = integrity(dst, tmp, QES_ESTORE, err);
out:
	sqlite3_close_v2(dst);
	if (!rc && sync_path(tmp, 0))
		rc = qes_error_set(err, QES_EIO, "%s: %s", tmp, strerror(errno));
	return rc;
}

/* Opens path read-only as an existing qes review; QES_ENOTFOUND when there
 * is no file, bad_code when it is not a review. */
static int open_review(const char *path, sqlite3 **out, int bad_code, qes_error *err)
{
	*out = NULL;
	struct stat sb;
	if (stat(path, &sb))
		return qes_error_set(err, QES_ENOTFOUND, "%s: no such file", path);
	if (!S_ISREG(sb.st_mode))
		return qes_error_set(err, bad_code, "%s is not a file", path);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		int rc = db_error(db, err, bad_code, path);
		sqlite3_close_v2(db);
		return rc;
	}
	sqlite3_busy_timeout(db, 10000);
	int r = is_review(db);
	if (r != 1) {
		sqlite3_close_v2(db);
		return qes_error_set(err, bad_code, "%s is not a qes review%s", path,
				     r < 0 ? " (not a SQLite database, or damaged)" : "");
	}
	*out = db;
	return 0;
}

int qes_backup(const char *review, const char *dir, qes_backup_info *info, qes_error *err)
{
	sqlite3 *src = NULL;
	char tmp[4200] = "", name[4096];
	int rc, in_txn = 0;
	qes_backup_info local;
	if (!info)
		info = &local;
	memset(info, 0, sizeof(*info));
	struct stat sb;
	if (stat(dir, &sb) || !S_ISDIR(sb.st_mode))
		return qes_error_set(err, QES_ENOTFOUND, "%s: no such folder", dir);
	rc = open_review(review, &src, QES_EINVAL, err);
	if (rc)
		return rc;
	/* One read transaction for the whole copy: in WAL mode it sees one
	 * snapshot, writers go on, and the copy never restarts. */
	if (sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_error(src, err, QES_ESTORE, review);
		goto out;
	}
	in_txn = 1;

	const char *base = strrchr(review, '/');
	base = base ? base + 1 : review;
	size_t blen = strlen(base);
	if (blen > 4 && !strcmp(base + blen - 4, ".qes"))
		blen -= 4;
	if (blen > 200)
		blen = 200;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(tmp, sizeof(tmp), "%s/.%.*s-%s.qes.tmp-%ld", dir, (int)blen, base, stamp, (long)getpid());
	unlink(tmp);
	rc = write_copy(src, tmp, info, err);
	if (rc)
		goto out;
	sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
	in_txn = 0;
	/* The final name, never over an existing file (link fails with EEXIST). */
	for (int k = 1; k < 100; k++) {
		if (k == 1)
			snprintf(name, sizeof(name), "%s/%.*s-%s.qes", dir, (int)blen, base, stamp);
		else
			snprintf(name, sizeof(name), "%s/%.*s-%s-%d.qes", dir, (int)blen, base, stamp, k);
		if (link(tmp, name) == 0) {
			unlink(tmp);
			tmp[0] = '\0';
			break;
		}
		if (errno != EEXIST) {
			rc = qes_error_set(err, QES_EIO, "%s: %s", name, strerror(errno));
			goto out;
		}
	}
	if (tmp[0]) {
		rc = qes_error_set(err, QES_EEXIST, "%s: too many backups this second", name);
		goto out;
	}
	sync_path(dir, 1);
	snprintf(info->path, sizeof(info->path), "%s", name);
	if (!stat(name, &sb))
		info->bytes = (long long)sb.st_size;
	rc = 0;
out:
	if (in_txn)
		sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
	sqlite3_close_v2(src);
	if (tmp[0]) {
		unlink(tmp);
		char j[4300];
		snprintf(j, sizeof(j), "%s-journal", tmp);
		unlink(j);
	}
	return rc;
}

int qes_backup_verify(const char *backup, qes_error *err)
{
	sqlite3 *db = NULL;
	int rc = open_review(backup, &db, QES_EFORMAT, err);
	if (rc)
		return rc;
	rc = integrity(db, backup, QES_EFORMAT, err);
	sqlite3_close_v2(db);
	return rc;
}

/* Restore into an existing review: one write transaction on it through the
 * backup API (the destination's own pager and journal or WAL), so readers
 * and a crash see the old review or the new one. */
static int restore_over(sqlite3 *src, const char *review, qes_error *err)
{
	sqlite3 *dst = NULL;
	int rc;
	if (sqlite3_open_v2(review, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		rc = db_error(dst, err, QES_ESTORE, review);
		goto out;
	}
	sqlite3_busy_timeout(dst, 10000);
	if (is_review(dst) != 1) {
		rc = qes_error_set(err, QES_ECONFLICT, "%s exists and is not a qes review: not replaced",
				   review);
		goto out;
	}
	rc = copy_pages(dst, src, review, NULL, NULL, err);
	if (rc && strstr(err->message, "readonly")) {
		rc = qes_error_set(err, QES_ECONFLICT,
				   "%s: the backup's page size differs from the review's (WAL mode cannot "
				   "change it); restore to a new file name instead", review);
	}
	if (!rc)
		rc = integrity(dst, review, QES_ESTORE, err);
out:
	sqlite3_close_v2(dst);
	return rc;
}

int qes_restore(const char *backup, const char *review, int force, qes_error *err)
{
	sqlite3 *src = NULL, *dst = NULL;
	char tmp[4200] = "", dir[4096];
	int rc = qes_backup_verify(backup, err);
	if (rc)
		return rc;
	rc = open_review(backup, &src, QES_EFORMAT, err);
	if (rc)
		return rc;
	struct stat sb;
	if (!stat(review, &sb)) {
		if (!force) {
			rc = qes_error_set(err, QES_EEXIST,
					   "%s exists: give --force to replace it with the backup "
					   "(a server may be using it)", review);
			goto out;
		}
		rc = restore_over(src, review, err);
		goto out;
	}
	/* A new review: a -wal or -shm left by another file of that name would
	 * be read as part of the restored one. */
	char side[4200];
	snprintf(side, sizeof(side), "%s-wal", review);
	if (!stat(side, &sb)) {
		rc = qes_error_set(err, QES_ECONFLICT, "%s exists without its review: remove it first", side);
		goto out;
	}
	dir_of(review, dir, sizeof(dir));
	snprintf(tmp, sizeof(tmp), "%s/.qes-restore.tmp-%ld", dir, (long)getpid());
	unlink(tmp);
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = db_error(dst, err, QES_EIO, tmp);
		goto out;
	}
	rc = copy_pages(dst, src, tmp, NULL, NULL, err);
	if (!rc)
		rc = integrity(dst, tmp, QES_ESTORE, err);
	sqlite3_close_v2(dst);
	dst = NULL;
	if (rc)
		goto out;
	if (sync_path(tmp, 0) || link(tmp, review)) {
		rc = qes_error_set(err, errno == EEXIST ? QES_EEXIST : QES_EIO, "%s: %s", review,
				   strerror(errno));
		goto out;
	}
	sync_path(dir, 1);
	rc = 0;
out:
	sqlite3_close_v2(src);
	sqlite3_close_v2(dst);
	if (tmp[0]) {
		unlink(tmp);
		char j[4300];
		snprintf(j, sizeof(j), "%s-journal", tmp);
		unlink(j);
	}
	return rc;
}
