/* qes/backup.h: consistent copies of a review while it is served, and
 * putting one back.
 *
 * A backup is a plain review file (no -wal beside it) taken with SQLite's
 * online backup API inside one read transaction on the review: in WAL mode
 * that transaction sees one snapshot and never blocks the server's writers,
 * so the copy is what the review held at one instant. It is written to a
 * temporary name in the folder, checked with PRAGMA integrity_check, synced
 * and renamed, so a crash leaves either no backup or a whole one. */
#ifndef QES_BACKUP_H
#define QES_BACKUP_H

#include <stddef.h>
#include "qes/error.h"

typedef struct qes_backup_info {
	char path[4096];       /* the backup written: DIR/NAME-YYYYMMDDTHHMMSSZ.qes */
	long long pages;       /* pages copied */
	long long bytes;       /* size of the backup file */
	int steps;             /* backup steps taken (each a few pages) */
} qes_backup_info;

/* Copies the review at `review` into folder `dir` (which must exist) as
 * NAME-YYYYMMDDTHHMMSSZ.qes, NAME being the review's file name without .qes
 * and the time UTC (a -2, -3... suffix when that name is taken). Fills
 * *info when not NULL. Errors: QES_ENOTFOUND (no review or folder),
 * QES_EINVAL (not a qes review), QES_EIO, QES_ESTORE (including a copy that
 * fails its integrity check: the review itself is damaged). */
int qes_backup(const char *review, const char *dir, qes_backup_info *info, qes_error *err);

/* Checks that `backup` is a whole qes review (integrity_check says ok).
 * QES_EFORMAT when it is not a SQLite database, not a review, or damaged. */
int qes_backup_verify(const char *backup, qes_error *err);

/* Puts `backup` back as `review`, after qes_backup_verify. A review that
 * does not exist is written to a temporary name and renamed. An existing
 * review is replaced only with `force` (else QES_EEXIST), and then through
 * the backup API inside one write transaction on it, so a server that has it
 * open sees the old review or the restored one, never half of each. */
int qes_restore(const char *backup, const char *review, int force, qes_error *err);

#endif
