/* qdpx_codebook.c: .qdc codebooks (REFI-QDA Codebook.xsd): the codes tree
 * (colours, the first memo as Description) and sets of codes, out and in.
 * Same rules as a project: validated before written or read, GUIDs kept,
 * GUIDs already in the review skipped, one transaction. */
#include "qdpx_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/xmlwriter.h>
#include "code_internal.h"
#include "qes/limits.h"
#include "replace_file.h"

#define X(call) do { if ((rc = qes__qdpx_wcheck((call), err))) goto out; } while (0)
#define BC(s) ((const xmlChar *)(s))

static int write_codebook(qes_store *st, xmlTextWriter *w, qes__qdpx_zipw *z, qes_error *err)
{
	int rc = 0;
	X(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
	X(xmlTextWriterStartElementNS(w, NULL, BC("CodeBook"), BC(QES__QDC_NS)));
	X(xmlTextWriterWriteAttribute(w, BC("origin"), BC("qes")));
	if ((rc = qes__qdpx_write_codes(st, w, 1, err)) || (rc = qes__qdpx_write_sets(st, w, 1, err)))
		goto out;
	X(xmlTextWriterEndDocument(w));
out:
	return rc;
}

int qes_qdc_export(qes_store *st, const char *path, qes_error *err)
{
	xmlBuffer *xml = NULL;
	char *tmp = NULL;
	FILE *f = NULL;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	sqlite3_stmt *s = NULL;
	long n = 0;
	if (!(rc = qes__code_prep(st, &s, "SELECT count(*) FROM code_codes", err))) {
		n = sqlite3_step(s) == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
		sqlite3_finalize(s);
	}
	if (!rc && !n)
		rc = qes_error_set(err, QES_ENOTFOUND, "the review has no codes to export");
	if (!rc)
		rc = qes__qdpx_build_xml(st, 1, write_codebook, NULL, &xml, err);
	qes_store_rollback(st);
	if (rc)
		goto out;
	size_t tl = strlen(path) + 16;
	if (!(tmp = malloc(tl))) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(tmp, tl, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "wb"))) {
		rc = qes_error_at(err, QES_EIO, path, 0, "", "cannot write beside it: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	size_t len = (size_t)xmlBufferLength(xml);
	int bad = fwrite(xmlBufferContent(xml), 1, len, f) != len;
	bad |= fclose(f) != 0;
	f = NULL;
	if (bad) {
		rc = qes_error_at(err, QES_EIO, path, 0, "", "writing: %s", strerror(errno));
		goto out;
	}
	rc = qes__replace_file(tmp, path, err);
out:
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	if (xml)
		xmlBufferFree(xml);
	return rc;
}

int qes_qdc_import_mem(qes_store *st, const void *data, size_t len, const char *name,
		       const qes_qdpx_import_opts *o, qes_qdpx_counts *counts, qes_error *err)
{
	qes_qdpx_counts local;
	qes__qdpx_in in = { st, name, o, counts ? counts : &local, 0, 1 };
	memset(in.c, 0, sizeof(*in.c));
	xmlDoc *doc = NULL;
	int rc = qes__qdpx_parse(data, len, 1, name, &doc, err);
	if (rc)
		return rc;
	if ((rc = qes_store_begin(st, err)))
		goto out;
	xmlNode *root = xmlDocGetRootElement(doc), *n;
	rc = qes__qdpx_read_codes(&in, qes__qdpx_child(root, "Codes"), err);
	if (!rc && (n = qes__qdpx_child(root, "Sets")))
		rc = qes__qdpx_read_sets(&in, n, err);
	if (!rc && o && o->dry_run) {
		qes_store_rollback(st);
		goto out;
	}
	rc = qes__code_txn(st, rc, err);
out:
	xmlFreeDoc(doc);
	return rc;
}

int qes_qdc_import(qes_store *st, const char *path, const qes_qdpx_import_opts *o,
		   qes_qdpx_counts *counts, qes_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return qes_error_at(err, QES_EIO, path, 0, "", "cannot open: %s", strerror(errno));
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;
	for (;;) {
		if (len == cap) {
			if (cap >= QES_MAX_ZIP_ENTRY) {
				rc = qes_error_at(err, QES_ELIMIT, path, 0, "", "larger than %u bytes",
						  QES_MAX_ZIP_ENTRY);
				goto out;
			}
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap);
			if (!nb) {
				rc = qes_error_set(err, QES_ENOMEM, "out of memory");
				goto out;
			}
			buf = nb;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (!got)
			break;
	}
	if (ferror(f))
		rc = qes_error_at(err, QES_EIO, path, 0, "", "cannot read: %s", strerror(errno));
	else
		rc = qes_qdc_import_mem(st, buf, len, path, o, counts, err);
out:
	fclose(f);
	free(buf);
	return rc;
}
