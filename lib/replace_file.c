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

int qes__replace_file(const char *tmp, const char *path, qes_error *err)
{
	struct stat sb;
	int rc = 0;
	if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		rc = copy_into(tmp, path, err);
	else if (rename(tmp, path))
		rc = qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
	unlink(tmp);
	return rc;
}
