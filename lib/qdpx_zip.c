/* qdpx_zip.c: the .qdpx archive (libzip). Reading never extracts to disk:
 * entries are read by name into memory, each bounded (QES_MAX_ZIP_ENTRY,
 * and the entry count by QES_MAX_ZIP_ENTRIES), with libzip checking the
 * CRC, so a zip bomb stops at the limit; names come from "internal://"
 * paths checked to stay inside sources/. Writing goes to a temporary file
 * beside the target that replaces it only when complete. */
#include "qdpx_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "qes/limits.h"
#include "replace_file.h"

static int check_entries(zip_t *z, const char *name, qes_error *err)
{
	if (zip_get_num_entries(z, 0) > QES_MAX_ZIP_ENTRIES)
		return qes_error_at(err, QES_ELIMIT, name, 0, "", "the archive has more than %d entries",
				    QES_MAX_ZIP_ENTRIES);
	return 0;
}

int qes__qdpx_zip_open_mem(const void *data, size_t len, const char *name, zip_t **z,
			   qes_error *err)
{
	*z = NULL;
	zip_error_t ze;
	zip_error_init(&ze);
	int rc = 0;
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	if (!(*z = zip_open_from_source(src, ZIP_RDONLY, &ze))) {
		zip_source_free(src);
		rc = qes_error_at(err, QES_EFORMAT, name, 0, "", "not a REFI-QDA project (not a zip: %s)",
				  zip_error_strerror(&ze));
		goto out;
	}
	if ((rc = check_entries(*z, name, err))) {
		zip_discard(*z);
		*z = NULL;
	}
out:
	zip_error_fini(&ze);
	return rc;
}

int qes__qdpx_zip_open_file(const char *path, zip_t **z, qes_error *err)
{
	int ze = 0;
	if (access(path, R_OK))
		return qes_error_at(err, QES_EIO, path, 0, "", "cannot open: %s", strerror(errno));
	if (!(*z = zip_open(path, ZIP_RDONLY, &ze))) {
		zip_error_t e;
		zip_error_init_with_code(&e, ze);
		int rc = qes_error_at(err, QES_EFORMAT, path, 0, "", "not a REFI-QDA project (not a zip: %s)",
				      zip_error_strerror(&e));
		zip_error_fini(&e);
		return rc;
	}
	int rc = check_entries(*z, path, err);
	if (rc) {
		zip_discard(*z);
		*z = NULL;
	}
	return rc;
}

int qes__qdpx_zip_read(zip_t *z, const char *archive, const char *entry, size_t max,
		       char **buf, size_t *len, qes_error *err)
{
	*buf = NULL;
	if (!z)   /* a project.qde read on its own: no archive */
		return qes_error_at(err, QES_ENOTFOUND, archive, 0, entry, "no archive to read %s"
				    " from", entry);
	zip_stat_t zs;
	zip_stat_init(&zs);
	if (zip_stat(z, entry, 0, &zs) || !(zs.valid & ZIP_STAT_SIZE))
		return qes_error_at(err, QES_ENOTFOUND, archive, 0, entry, "no entry %s in the archive",
				    entry);
	if (zs.size > max)
		return qes_error_at(err, QES_ELIMIT, archive, 0, entry, "%s is larger than %zu bytes",
				    entry, max);
	zip_file_t *f = zip_fopen(z, entry, 0);
	if (!f)
		return qes_error_at(err, QES_EFORMAT, archive, 0, entry, "cannot open %s: %s", entry,
				    zip_strerror(z));
	int rc = 0;
	char *b = malloc((size_t)zs.size + 1);
	if (!b) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	zip_int64_t got = zip_fread(f, b, zs.size);
	char extra;
	if (got < 0 || (zip_uint64_t)got != zs.size || zip_fread(f, &extra, 1) != 0) {
		rc = qes_error_at(err, QES_EFORMAT, archive, 0, entry, "cannot read %s (damaged archive:"
				  " %s)", entry, zip_file_strerror(f));
		goto out;
	}
	b[got] = '\0';
	*len = (size_t)got;
	*buf = b;
	b = NULL;
out:
	free(b);
	zip_fclose(f);
	return rc;
}

int qes__qdpx_internal_entry(const char *path, char *entry, size_t size)
{
	static const char pre[] = "internal://";
	if (strncmp(path, pre, sizeof(pre) - 1))
		return -1;
	const char *n = path + sizeof(pre) - 1;
	if (!*n || strchr(n, '/') || strchr(n, '\\') || !strcmp(n, "..") || !strcmp(n, ".") ||
	    strlen(n) > 200)
		return -1;
	if ((size_t)snprintf(entry, size, "sources/%s", n) >= size)
		return -1;
	return 0;
}

int qes__qdpx_source_entry(const char *path, char *entry, size_t size, const char **liberty)
{
	*liberty = NULL;
	if (!qes__qdpx_internal_entry(path, entry, size))
		return 0;
	/* No scheme ("relative://", "absolute://", "file:", "C:"): those point
	 * outside the archive. */
	if (strchr(path, ':'))
		return -1;
	const char *n = path;
	*liberty = "a bare file name";
	if (!strncmp(n, "./", 2) || !strncmp(n, ".\\", 2))
		n += 2, *liberty = "a relative path";
	if (!strncmp(n, "sources/", 8) || !strncmp(n, "sources\\", 8))
		n += 8, *liberty = "a relative path";
	if (!*n || strchr(n, '/') || strchr(n, '\\') || !strcmp(n, "..") || !strcmp(n, ".") ||
	    strlen(n) > 200)
		return -1;
	for (const char *c = n; *c; c++)
		if ((unsigned char)*c < 0x20)
			return -1;
	if ((size_t)snprintf(entry, size, "sources/%s", n) >= size)
		return -1;
	return 0;
}

struct qes__qdpx_zipw {
	zip_t *z;
	char *path, *tmp;
};

int qes__qdpx_zipw_open(const char *path, qes__qdpx_zipw **out, qes_error *err)
{
	*out = NULL;
	qes__qdpx_zipw *w = calloc(1, sizeof(*w));
	size_t n = strlen(path) + 16;
	if (!w || !(w->path = strdup(path)) || !(w->tmp = malloc(n))) {
		qes__qdpx_zipw_abort(w);
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	snprintf(w->tmp, n, "%s.tmpXXXXXX", path);
	int fd = mkstemp(w->tmp);
	if (fd < 0) {
		int rc = qes_error_at(err, QES_EIO, path, 0, "", "cannot write beside it: %s",
				      strerror(errno));
		free(w->tmp);
		w->tmp = NULL;
		qes__qdpx_zipw_abort(w);
		return rc;
	}
	close(fd);
	int ze = 0;
	if (!(w->z = zip_open(w->tmp, ZIP_TRUNCATE, &ze))) {
		qes__qdpx_zipw_abort(w);
		return qes_error_at(err, QES_EIO, path, 0, "", "cannot create the archive (libzip %d)", ze);
	}
	*out = w;
	return 0;
}

int qes__qdpx_zipw_add(qes__qdpx_zipw *w, const char *entry, const void *data, size_t len,
		       qes_error *err)
{
	void *copy = malloc(len ? len : 1);
	if (!copy)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	memcpy(copy, data, len);
	zip_source_t *src = zip_source_buffer(w->z, copy, len, 1);
	if (!src) {
		free(copy);
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	if (zip_file_add(w->z, entry, src, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(src);
		return qes_error_set(err, QES_EIO, "adding %s to the archive: %s", entry,
				     zip_strerror(w->z));
	}
	return 0;
}

int qes__qdpx_zipw_close(qes__qdpx_zipw *w, qes_error *err)
{
	int rc = 0;
	if (zip_close(w->z)) {
		rc = qes_error_at(err, QES_EIO, w->path, 0, "", "writing the archive: %s",
				  zip_strerror(w->z));
		zip_discard(w->z);
	} else {
		rc = qes__replace_file(w->tmp, w->path, err);
	}
	w->z = NULL;
	qes__qdpx_zipw_abort(w);
	return rc;
}

void qes__qdpx_zipw_abort(qes__qdpx_zipw *w)
{
	if (!w)
		return;
	if (w->z)
		zip_discard(w->z);
	if (w->tmp)
		unlink(w->tmp);
	free(w->tmp);
	free(w->path);
	free(w);
}
