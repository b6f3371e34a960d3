/* replace_file.c: see replace_file.h. */
#include "replace_file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int copy_into(const char *tmp, const char *path, qes_error *err)
{
	FILE *in = fopen(tmp, "rb"), *out = in ? fopen(path, "wb") : NULL;
	int rc = 0;
	if (!in || !out) {
		rc = qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n) {
			rc = qes_error_set(err, QES_EIO, "writing %s: %s", path, strerror(errno));
			goto out;
		}
	if (ferror(in))
		rc = qes_error_set(err, QES_EIO, "reading %s: %s", tmp, strerror(errno));
out:
	if (out && fclose(out) && !rc)
		rc = qes_error_set(err, QES_EIO, "writing %s: %s", path, strerror(errno));
	if (in)
		fclose(in);
	return rc;
}

/* The process's umask, read without changing it (umask(2) can only set it,
 * and setting it back is a race in a threaded server); 022 if unknown. */
static mode_t current_umask(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	unsigned m = 022;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Umask: %o", &m) == 1)
			break;
	if (f)
		fclose(f);
	return (mode_t)m;
}

int qes__replace_file(const char *tmp, const char *path, qes_error *err)
{
	struct stat sb;
	int rc = 0;
	int exists = lstat(path, &sb) == 0;
	if (exists && !S_ISREG(sb.st_mode)) {
		rc = copy_into(tmp, path, err);
		unlink(tmp);
		return rc;
	}
	/* mkstemp made tmp 0600; the file the user asked for gets the mode a
	 * file they created would have (or keeps the one it had). */
	chmod(tmp, exists ? (sb.st_mode & 07777) : (0666 & ~current_umask()));
	if (rename(tmp, path))
		rc = qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
	unlink(tmp);
	return rc;
}
