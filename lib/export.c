/* export.c: qes_export_file writes to a temporary file beside the target
 * and renames it into place, so readers never see half an export. */
#include "qes/export.h"
#include "replace_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int qes_export_format_for(const char *path, const char *format,
			  const char **canonical, qes_error *err)
{
	const char *f = format;
	if (!f) {
		const char *dot = strrchr(path, '.');
		f = dot ? dot + 1 : "";
	}
	if (!strcasecmp(f, "ris"))
		*canonical = "ris";
	else if (!strcasecmp(f, "csv"))
		*canonical = "csv";
	else if (!strcasecmp(f, "bib") || !strcasecmp(f, "bibtex"))
		*canonical = "bibtex";
	else if (format)
		return qes_error_set(err, QES_EINVAL,
				     "cannot export as '%s' (ris, csv or bibtex)", format);
	else
		return qes_error_set(err, QES_EINVAL,
				     "cannot tell the format from '%s': use .ris, .csv or .bib, "
				     "or --format", path);
	return 0;
}

int qes_export_file(qes_store *st, const char *path, const qes_export_opts *o,
		    long *count, qes_error *err)
{
	const char *fmt;
	int rc = qes_export_format_for(path, o ? o->format : NULL, &fmt, err);
	if (rc)
		return rc;
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	if (!tmp)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		rc = qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
		free(tmp);
		return rc;
	}
	FILE *fp = fdopen(fd, "w");
	qes_record_iter *it = NULL;
	qes_bibkeys *keys = NULL;
	long n = 0;
	if (!fp) {
		close(fd);
		rc = qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	rc = qes_record_iter_open(&it, st, o ? &o->query : NULL, err);
	if (rc)
		goto out;
	if (!strcmp(fmt, "csv") && qes_write_csv_header(fp) < 0)
		goto io_error;
	if (!strcmp(fmt, "bibtex") && !(keys = qes_bibkeys_new())) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	qes_record *rec;
	int got;
	while ((got = qes_record_iter_next(it, NULL, &rec, err)) == 1) {
		int w = !strcmp(fmt, "ris") ? qes_write_ris(fp, rec)
			: !strcmp(fmt, "csv") ? qes_write_csv_raw(fp, rec, o && o->raw)
			: qes_write_bibtex_keyed(fp, rec, keys);
		if (w < 0)
			goto io_error;
		n++;
	}
	if (got < 0) {
		rc = got;
		goto out;
	}
	if (fflush(fp) || fsync(fileno(fp)))
		goto io_error;
	if (fclose(fp)) {
		fp = NULL;
		goto io_error;
	}
	fp = NULL;
	if ((rc = qes__replace_file(tmp, path, err)))
		goto out;
	if (count)
		*count = n;
	rc = 0;
	goto out;
io_error:
	rc = qes_error_set(err, QES_EIO, "writing %s: %s", path, strerror(errno));
out:
	qes_bibkeys_free(keys);
	qes_record_iter_close(it);
	if (fp)
		fclose(fp);
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}
