/* store.c: opening the review file, transactions, and reading records. */
#include "qes/store.h"
#include "arena.h"
#include "schema.h"
#include "parser.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

struct qes_store {
	sqlite3 *db;
	char *path;
};

/* --- Saying what really went wrong --------------------------------------- */

/* Who holds the review's write lock: SQLite's WAL write lock is a POSIX lock
 * on byte 120 of the -shm file, and /proc/locks names the process holding
 * it. Linux only, best effort: "" when it cannot be told. The -shm file is
 * never opened here: closing any descriptor of a file drops every POSIX lock
 * this process holds on it, and another thread's connection would lose its
 * locks (SQLite's "how to corrupt a database", 2.2). */
static void lock_holder(const char *path, char *out, size_t outlen)
{
	out[0] = '\0';
	char shm[PATH_MAX + 8];
	snprintf(shm, sizeof(shm), "%s-shm", path);
	struct stat sb;
	if (stat(shm, &sb) != 0)
		return;
	FILE *locks = fopen("/proc/locks", "r");
	if (!locks)
		return;
	char lk[256];
	long pid = 0;
	while (!pid && fgets(lk, sizeof(lk), locks)) {
		long p;
		unsigned maj, min;
		unsigned long long ino;
		char kind[16], mode[16], type[16], start[32], end[32];
		if (sscanf(lk, "%*[^:]: %15s %15s %15s %ld %x:%x:%llu %31s %31s", kind, mode,
			   type, &p, &maj, &min, &ino, start, end) != 9)
			continue;
		if (!strcmp(kind, "POSIX") && !strcmp(type, "WRITE") && ino == sb.st_ino &&
		    makedev(maj, min) == sb.st_dev && atoll(start) <= 120 &&
		    (!strcmp(end, "EOF") || atoll(end) >= 120) && p > 0 && p != (long)getpid())
			pid = p;
	}
	fclose(locks);
	if (!pid)
		return;
	char cmd[160] = "", file[64];
	snprintf(file, sizeof(file), "/proc/%ld/cmdline", pid);
	FILE *fp = fopen(file, "rb");
	if (fp) {
		size_t n = fread(cmd, 1, sizeof(cmd) - 1, fp);
		fclose(fp);
		cmd[n] = '\0';
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)cmd[i] < ' ')
				cmd[i] = ' ';
		while (n && cmd[n - 1] == ' ')
			cmd[--n] = '\0';
		if (n > 100)
			memcpy(cmd + 97, "...", 4);
	}
	/* Its start: field 22 of /proc/PID/stat, in clock ticks after boot. */
	char since[40] = "";
	snprintf(file, sizeof(file), "/proc/%ld/stat", pid);
	fp = fopen(file, "r");
	char line[1024];
	unsigned long long ticks = 0, btime = 0;
	if (fp) {
		size_t n = fread(line, 1, sizeof(line) - 1, fp);
		fclose(fp);
		line[n] = '\0';
		char *p = strrchr(line, ')');
		for (int field = 2; p && field < 22; field++)
			p = strchr(p + 1, ' ');
		if (p)
			ticks = strtoull(p + 1, NULL, 10);
	}
	fp = fopen("/proc/stat", "r");
	while (fp && fgets(line, sizeof(line), fp))
		if (!strncmp(line, "btime ", 6))
			btime = strtoull(line + 6, NULL, 10);
	if (fp)
		fclose(fp);
	long hz = sysconf(_SC_CLK_TCK);
	if (ticks && btime && hz > 0) {
		time_t t = (time_t)(btime + ticks / (unsigned long long)hz);
		struct tm tm;
		if (gmtime_r(&t, &tm))
			strftime(since, sizeof(since), ", running since %Y-%m-%d %H:%M:%S UTC", &tm);
	}
	snprintf(out, outlen, "process %ld%s%s%s%s", pid, cmd[0] ? " (" : "", cmd,
		 cmd[0] ? ")" : "", since);
}

/* The processes holding POSIX locks on the file (dev, ino), from
 * /proc/locks: up to max of them, other than this one. */
static int lockers(dev_t dev, ino_t ino, long *pids, int max)
{
	FILE *locks = fopen("/proc/locks", "r");
	if (!locks)
		return 0;
	char lk[256];
	int n = 0;
	while (n < max && fgets(lk, sizeof(lk), locks)) {
		long p;
		unsigned maj, min;
		unsigned long long i;
		char kind[16];
		if (sscanf(lk, "%*[^:]: %15s %*s %*s %ld %x:%x:%llu", kind, &p, &maj, &min, &i) != 5)
			continue;
		if (strcmp(kind, "POSIX") || i != (unsigned long long)ino || makedev(maj, min) != dev ||
		    p <= 0 || p == (long)getpid())
			continue;
		int seen = 0;
		for (int k = 0; k < n; k++)
			seen |= pids[k] == p;
		if (!seen)
			pids[n++] = p;
	}
	fclose(locks);
	return n;
}

/* A process that has the review open holds a lock on the file and on its
 * -shm file. One that holds the file's lock but none on the -shm file
 * beside path opened it under another name (a bind mount, or a hard link
 * made since): its journal is elsewhere. Returns that process, or 0. */
static long open_elsewhere(const char *path, const struct stat *db)
{
	long on_db[16], on_shm[64];
	int ndb = lockers(db->st_dev, db->st_ino, on_db, 16);
	if (!ndb)
		return 0;
	char shm[PATH_MAX + 8];
	snprintf(shm, sizeof(shm), "%s-shm", path);
	struct stat sb;
	int nshm = stat(shm, &sb) == 0 ? lockers(sb.st_dev, sb.st_ino, on_shm, 64) : 0;
	for (int i = 0; i < ndb; i++) {
		int found = 0;
		for (int k = 0; k < nshm; k++)
			found |= on_shm[k] == on_db[i];
		if (!found)
			return on_db[i];
	}
	return 0;
}

/* Is the folder holding path writable? */
static int dir_writable(const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return access(dir, W_OK) == 0;
}

/* Fills err from SQLite's result code rc on db (about the review at path)
 * with what really happened: locked by another writer (and which), a
 * read-only file or folder, a full disk, an I/O error, not a database. */
static int explain(sqlite3 *db, int rc, const char *path, const char *what, qes_error *err)
{
	const char *msg = db ? sqlite3_errmsg(db) : "out of memory";
	int sys = db ? sqlite3_system_errno(db) : 0;
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED: {
		char who[512];
		lock_holder(path, who, sizeof(who));
		return qes_error_set(err, QES_EBUSY,
				     "%s is locked: another program is writing to it%s%s%s "
				     "(waited 10 s); try again when it has finished",
				     path, who[0] ? " (" : "", who, who[0] ? ")" : "");
	}
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		if (access(path, W_OK) != 0 && errno != ENOENT)
			return qes_error_set(err, QES_EIO,
					     "%s: %s: the file is read-only (%s)", path, what, msg);
		if (!dir_writable(path))
			return qes_error_set(err, QES_EIO,
					     "%s: %s: its folder is read-only, and SQLite needs to "
					     "write its journal (%s-wal) beside it", path, what, path);
		break;
	case SQLITE_FULL:
		return qes_error_set(err, QES_EIO,
				     "%s: %s: the disk is full (nothing was changed)", path, what);
	case SQLITE_NOTADB:
		return qes_error_set(err, QES_EINVAL, "%s is not a qes review (%s)", path, msg);
	case SQLITE_CORRUPT:
		return qes_error_set(err, QES_ESTORE,
				     "%s is damaged (%s): restore it from a backup", path, msg);
	case SQLITE_IOERR:
		if (sys == ENOSPC || sys == EDQUOT)
			return qes_error_set(err, QES_EIO,
					     "%s: %s: the disk is full (nothing was changed)", path, what);
		return qes_error_set(err, QES_EIO, "%s: %s: input/output error (%s%s%s)", path,
				     what, msg, sys ? ": " : "", sys ? strerror(sys) : "");
	}
	return qes_error_set(err, QES_ESTORE, "%s: %s: %s", path, what, msg);
}

/* --- Opening -------------------------------------------------------------- */

static int wal_exists(const char *path)
{
	char wal[PATH_MAX + 8];
	snprintf(wal, sizeof(wal), "%s-wal", path);
	return access(wal, F_OK) == 0;
}

/* SQLITE_ROW for a review, SQLITE_DONE for another database, else why not. */
static int recognise(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	int src = sqlite3_prepare_v2(db,
		"SELECT 1 FROM sqlite_master WHERE name='schema_migrations'", -1, &s, NULL);
	int step = src == SQLITE_OK ? sqlite3_step(s) : sqlite3_extended_errcode(db);
	sqlite3_finalize(s);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		step = sqlite3_extended_errcode(db);
	return step;
}

/* Checks the file before SQLite sees it: one name only, not empty, a
 * regular file. Never writes to it, never opens it. */
static int check_file(const char *path, const char *given, qes_error *err)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return qes_error_set(err, QES_EIO, "%s: %s", given, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return qes_error_set(err, QES_EINVAL, "%s is not a qes review (not a regular file)",
				     given);
	if (sb.st_nlink > 1)
		return qes_error_set(err, QES_ECONFLICT,
				     "%s has %lu names (hard links): SQLite keeps a review's journal "
				     "beside the name it was opened by, so using two names at once can "
				     "lose or corrupt data. Keep one name (find the others with "
				     "'find / -xdev -samefile %s' and remove them), or make an "
				     "independent copy with 'cp'", given, (unsigned long)sb.st_nlink, given);
	/* (Its first bytes are left to SQLite to judge: opening and closing
	 * the file here would drop the POSIX locks of this process's other
	 * connections to it, see lock_holder.) */
	if (sb.st_size == 0)
		return qes_error_set(err, QES_EINVAL, "%s is empty (0 bytes), not a qes review", given);
	return 0;
}

static int open_db(qes_store **out, const char *given, int create, int read_only,
		   qes_error *err)
{
	*out = NULL;
	struct stat sb;
	int exists = stat(given, &sb) == 0;
	if (create && exists)
		return qes_error_set(err, QES_EEXIST, "%s already exists", given);
	if (!create && !exists)
		return qes_error_set(err, QES_ENOTFOUND,
				     "%s: no such review (create it with 'qes init %s')",
				     given, given);
	qes_store *st = calloc(1, sizeof(*st));
	if (!st)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	int rc = QES_ESTORE;
	/* One name per review: symbolic links, "..", "./" and bind-mounted
	 * paths all become the file's canonical path, so every process uses
	 * the same -wal and -shm files. */
	if (create) {
		st->path = strdup(given);
	} else {
		st->path = realpath(given, NULL);
		if (!st->path) {
			rc = qes_error_set(err, errno == ENOMEM ? QES_ENOMEM : QES_EIO,
					   "%s: %s", given, strerror(errno));
			goto out;
		}
		if ((rc = check_file(st->path, given, err)))
			goto out;
		rc = QES_ESTORE;
		struct stat db;
		long other = stat(st->path, &db) == 0 ? open_elsewhere(st->path, &db) : 0;
		/* A process that is opening the review holds the file's lock a
		 * moment before the -shm file's: look again before refusing. */
		for (int again = 0; other && again < 5; again++) {
			struct timespec ts = { 0, 20 * 1000 * 1000 };
			nanosleep(&ts, NULL);
			other = open_elsewhere(st->path, &db);
		}
		if (other) {
			rc = qes_error_set(err, QES_ECONFLICT,
					   "%s is open in process %ld under another name (a bind "
					   "mount, or a hard link): SQLite keeps the journal beside "
					   "the name, so using two at once would corrupt the review; "
					   "use the path that process uses", given, other);
			goto out;
		}
		/* A reader that could write opens as a writer: some reads bring
		 * derived tables up to date (the studies of included records),
		 * and opening takes no lock either way. */
		if (read_only && access(st->path, W_OK) == 0 &&
		    (dir_writable(st->path) || wal_exists(st->path)))
			read_only = 0;
		/* A writer needs the file and (for its journal) the folder. */
		if (!read_only && access(st->path, W_OK) != 0) {
			rc = qes_error_set(err, QES_EIO, "%s cannot be changed: the file is read-only "
					   "(%s)", given, strerror(errno));
			goto out;
		}
		if (!read_only && !dir_writable(st->path) && !wal_exists(st->path)) {
			rc = qes_error_set(err, QES_EIO, "%s cannot be changed: its folder is read-only, "
					   "and SQLite needs to write its journal (%s-wal) beside it",
					   given, given);
			goto out;
		}
	}
	if (!st->path) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
		    (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
	int src = sqlite3_open_v2(st->path, &st->db, flags, NULL);
	if (src != SQLITE_OK) {
		rc = explain(st->db, src, given, "cannot open", err);
		goto out;
	}
	sqlite3_busy_timeout(st->db, 10000);
	sqlite3_extended_result_codes(st->db, 1);
	/* 32 KiB pages for a new review (a page size only takes before the
	 * first write): an import writes every page twice (WAL, then the
	 * checkpoint), and with 4 KiB pages the syscalls alone cost as much as
	 * FTS5's merging. 32 KiB halves the system time of an import and keeps
	 * a typical record (with its raw text) on one page without overflow
	 * chains; 64 KiB gained little more. bench/README.md has the numbers. */
	if (create && (src = sqlite3_exec(st->db, "PRAGMA page_size=32768", NULL, NULL, NULL))) {
		rc = explain(st->db, src, given, "cannot create", err);
		goto out;
	}
	if (!create) {
		/* Recognise a review before changing anything in the file (its
		 * journal mode included): another program's database is left
		 * exactly as it was. This only reads, so it never waits for a
		 * writer in WAL mode. */
		int step = recognise(st->db);
		if (read_only && ((step & 0xff) == SQLITE_READONLY || (step & 0xff) == SQLITE_CANTOPEN) &&
		    !dir_writable(st->path) && !wal_exists(st->path)) {
			/* A read-only folder with no journal in it: SQLite cannot
			 * make the -shm file a WAL reader needs, and no writer can
			 * be at work without one, so read the file as it is. */
			sqlite3_close_v2(st->db);
			st->db = NULL;
			char *uri = sqlite3_mprintf("file:%s?immutable=1", st->path);
			src = uri ? sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY |
						    SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL)
				  : SQLITE_NOMEM;
			sqlite3_free(uri);
			if (src != SQLITE_OK) {
				rc = explain(st->db, src, given, "cannot open", err);
				goto out;
			}
			step = recognise(st->db);
		}
		if (step != SQLITE_ROW && step != SQLITE_DONE) {
			rc = explain(st->db, step, given, "cannot read", err);
			goto out;
		}
		if (step != SQLITE_ROW) {
			rc = qes_error_set(err, QES_EINVAL, "%s is not a qes review", given);
			goto out;
		}
	}
	/* WAL: readers (the web server) never block the writer; synchronous
	 * NORMAL in WAL mode still never corrupts, and a committed transaction
	 * survives a process crash (only power loss can lose the last ones).
	 * Only a writing connection sets the journal mode (a review already is
	 * in WAL mode, so this writes nothing then). */
	const char *pragmas = read_only
		? "PRAGMA foreign_keys=ON;"
		  "PRAGMA cache_size=-65536;"
		  "PRAGMA temp_store=MEMORY;"
		: "PRAGMA journal_mode=WAL;"
		  "PRAGMA synchronous=NORMAL;"
		  "PRAGMA foreign_keys=ON;"
		  "PRAGMA cache_size=-65536;"
		  "PRAGMA temp_store=MEMORY;";
	if ((src = sqlite3_exec(st->db, pragmas, NULL, NULL, NULL)) != SQLITE_OK) {
		rc = explain(st->db, src, given, "cannot open", err);
		goto out;
	}
	int pending = 1;
	if (!create && (rc = qes__schema_pending(st->db, &pending, err)))
		goto out;
	if (pending && read_only) {
		/* An older review: bring it forward once with a writing
		 * connection, then read. */
		qes_store *w;
		if ((rc = open_db(&w, given, 0, 0, err)))
			goto out;
		qes_store_close(w);
	} else if (pending) {
		rc = qes__schema_migrate(st->db, err);
		if (rc) {
			int x = sqlite3_extended_errcode(st->db);
			if ((x & 0xff) != SQLITE_OK && (x & 0xff) != SQLITE_ERROR)
				rc = explain(st->db, x, given, "cannot bring the review up to date", err);
			goto out;
		}
	}
	*out = st;
	st = NULL;
	rc = 0;
out:
	if (st) {
		qes_store_close(st);
		if (create)
			unlink(given);
	}
	return rc;
}

int qes_store_create(qes_store **out, const char *path, qes_error *err)
{
	int rc = open_db(out, path, 1, 0, err);
	if (rc)
		return rc;
	return qes_store_set_meta(*out, "created_by", "qes", err);
}

int qes_store_open(qes_store **out, const char *path, qes_error *err)
{
	return open_db(out, path, 0, 0, err);
}

int qes_store_open_read(qes_store **out, const char *path, qes_error *err)
{
	return open_db(out, path, 0, 1, err);
}

void qes_store_close(qes_store *st)
{
	if (!st)
		return;
	sqlite3_close_v2(st->db);
	free(st->path);
	free(st);
}

sqlite3 *qes_store_db(qes_store *st) { return st->db; }
const char *qes_store_path(const qes_store *st) { return st->path; }

/* Busy, read-only, full disk and I/O errors are said as such (naming the
 * review); anything else is SQLite's message. */
static int is_environmental(int x)
{
	x &= 0xff;
	return x == SQLITE_BUSY || x == SQLITE_LOCKED || x == SQLITE_READONLY ||
	       x == SQLITE_FULL || x == SQLITE_IOERR || x == SQLITE_CANTOPEN ||
	       x == SQLITE_CORRUPT;
}

int qes_store_sqlerr(qes_store *st, qes_error *err, const char *what)
{
	int x = sqlite3_extended_errcode(st->db);
	if (is_environmental(x))
		return explain(st->db, x, st->path, what, err);
	return qes_error_set(err, QES_ESTORE, "%s: %s", what, sqlite3_errmsg(st->db));
}

int qes_store_exec(qes_store *st, const char *sql, qes_error *err)
{
	char *msg = NULL;
	int src = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
	if (src != SQLITE_OK) {
		int rc = QES_ESTORE;
		if (is_environmental(src))
			rc = explain(st->db, src, st->path, "cannot write", err);
		else
			qes_error_set(err, QES_ESTORE, "%s", msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

int qes_store_begin(qes_store *st, qes_error *err)
{
	return qes_store_exec(st, "BEGIN IMMEDIATE", err);
}

int qes_store_commit(qes_store *st, qes_error *err)
{
	return qes_store_exec(st, "COMMIT", err);
}

void qes_store_rollback(qes_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int qes_store_get_meta(qes_store *st, const char *key, char **value, qes_error *err)
{
	*value = NULL;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = ?", -1, &s,
			       NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "reading setting");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	int rc = 0;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*value = strdup((const char *)sqlite3_column_text(s, 0));
		if (!*value)
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	sqlite3_finalize(s);
	return rc;
}

int qes_store_set_meta(qes_store *st, const char *key, const char *value, qes_error *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db,
			       "INSERT INTO meta(key, value) VALUES (?, ?) "
			       "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			       -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "writing setting");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : qes_store_sqlerr(st, err, "writing setting");
	sqlite3_finalize(s);
	return rc;
}

long long qes_store_count(qes_store *st, const char *table_or_sql, qes_error *err)
{
	char *sql = strchr(table_or_sql, ' ')
		? sqlite3_mprintf("%s", table_or_sql)
		: sqlite3_mprintf("SELECT count(*) FROM \"%w\"", table_or_sql);
	sqlite3_stmt *s;
	long long n = -1;
	if (sql && sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	} else {
		qes_store_sqlerr(st, err, "counting");
	}
	sqlite3_free(sql);
	return n;
}

/* --- Records ------------------------------------------------------------ */

int qes_record_find(qes_store *st, const char *key, long long *id, qes_error *err)
{
	sqlite3_stmt *s;
	const char *sql;
	const char *colon = strchr(key, ':');
	char *end;
	long long import_id = 0;
	if (key[0] == '#') {
		long long v = strtoll(key + 1, &end, 10);
		if (*end || v <= 0)
			return qes_error_set(err, QES_EINVAL, "bad record id '%s'", key);
		sql = "SELECT id, import_id FROM records WHERE id = ?1";
		if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
			return qes_store_sqlerr(st, err, "finding record");
		sqlite3_bind_int64(s, 1, v);
	} else if (colon && (import_id = strtoll(key, &end, 10)) > 0 && end == colon) {
		sql = "SELECT id, import_id FROM records WHERE source_key = ?1 AND import_id = ?2";
		if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
			return qes_store_sqlerr(st, err, "finding record");
		sqlite3_bind_text(s, 1, colon + 1, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, import_id);
	} else {
		sql = "SELECT id, import_id FROM records WHERE source_key = ?1 ORDER BY id";
		if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
			return qes_store_sqlerr(st, err, "finding record");
		sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	}
	int n = 0;
	char imports[256] = "";
	size_t used = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n++ == 0)
			*id = sqlite3_column_int64(s, 0);
		if (used < sizeof(imports) - 32) {
			int w = snprintf(imports + used, sizeof(imports) - used, "%s%lld:%s",
					 used ? ", " : "", sqlite3_column_int64(s, 1),
					 colon && import_id ? colon + 1 : key);
			if (w > 0)
				used += (size_t)w;
		}
	}
	sqlite3_finalize(s);
	if (n == 0)
		return qes_error_set(err, QES_ENOTFOUND, "no record with key '%s'", key);
	if (n > 1)
		return qes_error_set(err, QES_EAMBIG,
				     "key '%s' names %d records in different imports; "
				     "say which with IMPORT:KEY (%s)", key, n, imports);
	return 0;
}

#define RECORD_COLUMNS \
	"r.id, r.source_key, r.ordinal, r.line, r.raw, r.type, r.type_raw, r.title, " \
	"r.abstract, r.authors, r.year, r.date, r.journal, r.volume, r.issue, r.pages, " \
	"r.doi, r.pmid, r.issn, r.isbn, r.keywords, r.language, r.url, r.publisher, " \
	"r.database, r.notes"

static char *col_str(sqlite3_stmt *s, int i, qes_arena *a)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return NULL;
	const char *v = (const char *)sqlite3_column_text(s, i);
	return qes__arena_strndup(a, v, (size_t)sqlite3_column_bytes(s, i));
}

/* Splits a newline-joined list column into l. */
static int col_list(sqlite3_stmt *s, int i, qes_strlist *l, qes_arena *a)
{
	char *v = col_str(s, i, a);
	while (v && *v) {
		char *nl = strchr(v, '\n');
		if (nl)
			*nl = '\0';
		if (qes__strlist_push(l, a, v))
			return QES_ENOMEM;
		v = nl ? nl + 1 : NULL;
	}
	return 0;
}

static int row_to_record(sqlite3_stmt *s, qes_record *rec, qes_arena *a)
{
	qes__record_init(rec);
	rec->source_key = col_str(s, 1, a);
	rec->ordinal = (long)sqlite3_column_int64(s, 2);
	rec->line = (long)sqlite3_column_int64(s, 3);
	rec->raw = col_str(s, 4, a);
	rec->raw_len = (size_t)sqlite3_column_bytes(s, 4);
	rec->type = col_str(s, 5, a);
	rec->type_raw = col_str(s, 6, a);
	rec->title = col_str(s, 7, a);
	rec->abstract = col_str(s, 8, a);
	if (col_list(s, 9, &rec->authors, a))
		return QES_ENOMEM;
	rec->year = sqlite3_column_int(s, 10);
	rec->date = col_str(s, 11, a);
	rec->journal = col_str(s, 12, a);
	rec->volume = col_str(s, 13, a);
	rec->issue = col_str(s, 14, a);
	rec->pages = col_str(s, 15, a);
	rec->doi = col_str(s, 16, a);
	rec->pmid = col_str(s, 17, a);
	rec->issn = col_str(s, 18, a);
	rec->isbn = col_str(s, 19, a);
	if (col_list(s, 20, &rec->keywords, a))
		return QES_ENOMEM;
	rec->language = col_str(s, 21, a);
	rec->url = col_str(s, 22, a);
	rec->publisher = col_str(s, 23, a);
	rec->database = col_str(s, 24, a);
	rec->notes = col_str(s, 25, a);
	return 0;
}

int qes_record_load(qes_store *st, long long id, qes_record *rec,
		    qes_arena *a, qes_error *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "SELECT " RECORD_COLUMNS " FROM records r WHERE r.id = ?",
			       -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "loading record");
	sqlite3_bind_int64(s, 1, id);
	int rc;
	if (sqlite3_step(s) == SQLITE_ROW)
		rc = row_to_record(s, rec, a) ? qes_error_set(err, QES_ENOMEM, "out of memory") : 0;
	else
		rc = qes_error_set(err, QES_ENOTFOUND, "no record #%lld", id);
	sqlite3_finalize(s);
	return rc;
}

static char *dup_col(sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	return v ? strdup((const char *)v) : NULL;
}

int qes_record_provenance(qes_store *st, long long id, qes_provenance *p, qes_error *err)
{
	memset(p, 0, sizeof(*p));
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT r.id, i.id, s.id, s.name, s.method, i.file_name, i.file_sha256,"
			       " i.format, i.encoding, i.searched, i.imported_at, r.line, r.ordinal"
			       " FROM records r JOIN imports i ON i.id = r.import_id"
			       " JOIN sources s ON s.id = i.source_id WHERE r.id = ?",
			       -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "reading provenance");
	sqlite3_bind_int64(s, 1, id);
	int rc = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		p->record_id = sqlite3_column_int64(s, 0);
		p->import_id = sqlite3_column_int64(s, 1);
		p->source_id = sqlite3_column_int64(s, 2);
		p->source_name = dup_col(s, 3);
		p->method = dup_col(s, 4);
		p->file_name = dup_col(s, 5);
		p->file_sha256 = dup_col(s, 6);
		p->format = dup_col(s, 7);
		p->encoding = dup_col(s, 8);
		p->searched = dup_col(s, 9);
		p->imported_at = dup_col(s, 10);
		p->line = (long)sqlite3_column_int64(s, 11);
		p->ordinal = (long)sqlite3_column_int64(s, 12);
	} else {
		rc = qes_error_set(err, QES_ENOTFOUND, "no record #%lld", id);
	}
	sqlite3_finalize(s);
	return rc;
}

void qes_provenance_release(qes_provenance *p)
{
	free(p->source_name);
	free(p->method);
	free(p->file_name);
	free(p->file_sha256);
	free(p->format);
	free(p->encoding);
	free(p->searched);
	free(p->imported_at);
	memset(p, 0, sizeof(*p));
}

struct qes_record_iter {
	qes_store *st;
	sqlite3_stmt *s;
	qes_arena arena;
	qes_record rec;
};

int qes_record_iter_open(qes_record_iter **out, qes_store *st,
			 const qes_record_query *q, qes_error *err)
{
	*out = NULL;
	qes_record_iter *it = calloc(1, sizeof(*it));
	if (!it)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	it->st = st;
	qes__arena_init(&it->arena, 64 * 1024);
	static const qes_record_query all;
	if (!q)
		q = &all;
	const char *sql = q->match
		? "SELECT " RECORD_COLUMNS " FROM records_fts f JOIN records r ON r.id = f.rowid "
		  "WHERE records_fts MATCH ?1 AND (?2 = 0 OR r.import_id = ?2) "
		  "ORDER BY f.rank LIMIT ?3 OFFSET ?4"
		: "SELECT " RECORD_COLUMNS " FROM records r "
		  "WHERE (?2 = 0 OR r.import_id = ?2) ORDER BY r.id LIMIT ?3 OFFSET ?4";
	if (sqlite3_prepare_v2(st->db, sql, -1, &it->s, NULL) != SQLITE_OK) {
		int rc = qes_store_sqlerr(st, err, "listing records");
		qes_record_iter_close(it);
		return rc;
	}
	if (q->match)
		sqlite3_bind_text(it->s, 1, q->match, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(it->s, 2, q->import_id);
	sqlite3_bind_int64(it->s, 3, q->limit > 0 ? q->limit : -1);
	sqlite3_bind_int64(it->s, 4, q->offset > 0 ? q->offset : 0);
	*out = it;
	return 0;
}

int qes_record_iter_next(qes_record_iter *it, long long *id, qes_record **rec,
			 qes_error *err)
{
	qes__arena_reset(&it->arena);
	int rc = sqlite3_step(it->s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		/* An FTS5 syntax error surfaces here, on the first step. */
		return qes_error_set(err, QES_EINVAL, "record query failed: %s",
				     sqlite3_errmsg(it->st->db));
	}
	if (id)
		*id = sqlite3_column_int64(it->s, 0);
	if (row_to_record(it->s, &it->rec, &it->arena))
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	*rec = &it->rec;
	return 1;
}

void qes_record_iter_close(qes_record_iter *it)
{
	if (!it)
		return;
	sqlite3_finalize(it->s);
	qes__arena_free(&it->arena);
	free(it);
}

/* --- Sources ------------------------------------------------------------ */

int qes_sources_foreach(qes_store *st,
			int (*fn)(void *ud, const qes_source_info *s), void *ud,
			qes_error *err)
{
	sqlite3_stmt *s;
	const char *sql =
		"SELECT s.id, s.name, s.method,"
		"  (SELECT group_concat(f, ',') FROM (SELECT format AS f FROM imports"
		"     WHERE source_id = s.id GROUP BY format ORDER BY min(id))),"
		"  (SELECT coalesce(sum(records), 0) FROM imports WHERE source_id = s.id),"
		"  (SELECT count(*) FROM imports WHERE source_id = s.id),"
		"  (SELECT max(searched) FROM imports WHERE source_id = s.id)"
		" FROM sources s ORDER BY s.id";
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "listing sources");
	int rc = 0;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		qes_source_info si = {
			.id = sqlite3_column_int64(s, 0),
			.name = (char *)sqlite3_column_text(s, 1),
			.method = (char *)sqlite3_column_text(s, 2),
			.formats = (char *)sqlite3_column_text(s, 3),
			.records = (long)sqlite3_column_int64(s, 4),
			.imports = (long)sqlite3_column_int64(s, 5),
			.searched = (char *)sqlite3_column_text(s, 6),
		};
		if (!si.formats)
			si.formats = (char *)"";
		rc = fn(ud, &si);
	}
	sqlite3_finalize(s);
	return rc;
}
