/* code_text.c: text of coding sources: NFC with LF line ends, code-point
 * offsets, GUIDs, and the text of a .docx (libzip + libxml2). */
#include "qes/code.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <sodium.h>
#include <utf8proc.h>
#include <zip.h>
#include "qes/limits.h"
#include "code_internal.h"
#include "strbuf.h"

int qes_code_normalise(const char *in, size_t len, char **out, size_t *outlen,
		       long *cps, qes_error *err)
{
	*out = NULL;
	if (memchr(in, '\0', len))
		return qes_error_set(err, QES_EFORMAT, "the text holds a NUL byte (binary data?)");
	/* CR and CRLF to LF first, so NFC never sees a CR. */
	char *lf = malloc(len + 1);
	if (!lf)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (in[i] == '\r') {
			lf[n++] = '\n';
			if (i + 1 < len && in[i + 1] == '\n')
				i++;
		} else {
			lf[n++] = in[i];
		}
	}
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)lf, (utf8proc_ssize_t)n, &nfc,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	free(lf);
	if (m < 0)
		return qes_error_set(err, m == UTF8PROC_ERROR_NOMEM ? QES_ENOMEM : QES_EFORMAT,
				     "the text is not valid UTF-8: %s", utf8proc_errmsg(m));
	*out = (char *)nfc;
	*outlen = (size_t)m;
	if (cps)
		*cps = qes_code_byte_to_cp(*out, *outlen);
	return 0;
}

size_t qes_code_cp_to_byte(const char *text, size_t len, long cp)
{
	size_t i = 0;
	for (long c = 0; i < len; i++) {
		if (((unsigned char)text[i] & 0xC0) != 0x80) {
			if (c == cp)
				return i;
			c++;
		}
	}
	return len;
}

long qes_code_byte_to_cp(const char *text, size_t n)
{
	long c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)text[i] & 0xC0) != 0x80;
	return c;
}

void qes_code_guid(char out[37])
{
	unsigned char b[16];
	/* sodium_init is idempotent and thread-safe; randombytes needs it. */
	if (sodium_init() < 0)
		abort();
	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);   /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);   /* RFC 4122 variant */
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

/* --- .docx ----------------------------------------------------------------- */

static const char wml_ns[] = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

static int is_w(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       !strcmp((const char *)n->ns->href, wml_ns) && !strcmp((const char *)n->name, name);
}

/* Walks the body: text of w:t, a tab for w:tab, LF for w:br and after each
 * paragraph. Depth is bounded (libxml2 bounds it too, without XML_PARSE_HUGE). */
static int walk(const xmlNode *n, qes_strbuf *sb, int depth, qes_error *err)
{
	if (depth > QES_MAX_XML_DEPTH)
		return qes_error_set(err, QES_ELIMIT, "word/document.xml nests deeper than %d",
				     QES_MAX_XML_DEPTH);
	for (; n; n = n->next) {
		int rc = 0;
		if (is_w(n, "t")) {
			xmlChar *t = xmlNodeGetContent(n);
			if (t) {
				rc = qes__strbuf_addstr(sb, (const char *)t);
				xmlFree(t);
			}
		} else if (is_w(n, "tab")) {
			rc = qes__strbuf_addch(sb, '\t');
		} else if (is_w(n, "br") || is_w(n, "cr")) {
			rc = qes__strbuf_addch(sb, '\n');
		} else if (n->type == XML_ELEMENT_NODE) {
			if ((rc = walk(n->children, sb, depth + 1, err)))
				return rc;   /* err already says why */
			if (is_w(n, "p"))
				rc = qes__strbuf_addch(sb, '\n');
		}
		if (rc == QES_ELIMIT)
			return qes_error_set(err, rc, "the .docx text is longer than %u bytes",
					     QES_MAX_SOURCE_BYTES);
		if (rc)
			return qes_error_set(err, rc, "out of memory");
	}
	return 0;
}

static int read_entry(zip_t *z, const char *name, char **buf, size_t *len, qes_error *err)
{
	zip_stat_t zs;
	zip_stat_init(&zs);
	if (zip_stat(z, name, 0, &zs) || !(zs.valid & ZIP_STAT_SIZE))
		return qes_error_set(err, QES_EFORMAT, "not a .docx: no %s in the archive", name);
	if (zs.size > QES_MAX_ZIP_ENTRY)
		return qes_error_set(err, QES_ELIMIT, "%s is larger than %u bytes", name,
				     QES_MAX_ZIP_ENTRY);
	zip_file_t *f = zip_fopen(z, name, 0);
	if (!f)
		return qes_error_set(err, QES_EFORMAT, "cannot open %s in the .docx: %s", name,
				     zip_strerror(z));
	*buf = malloc((size_t)zs.size + 1);
	int rc = 0;
	if (!*buf) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	zip_int64_t got = zip_fread(f, *buf, zs.size);
	if (got < 0 || (zip_uint64_t)got != zs.size) {
		rc = qes_error_set(err, QES_EFORMAT, "cannot read %s in the .docx", name);
		free(*buf);
		*buf = NULL;
		goto out;
	}
	(*buf)[got] = '\0';
	*len = (size_t)got;
out:
	zip_fclose(f);
	return rc;
}

int qes__code_docx_xml(const char *xml, size_t xlen, char **out, size_t *outlen,
			qes_error *err)
{
	*out = NULL;
	int rc = 0;
	xmlDoc *doc = NULL;
	qes_strbuf sb;
	qes__strbuf_init(&sb, QES_MAX_SOURCE_BYTES);
	if (xlen > INT32_MAX) {
		rc = qes_error_set(err, QES_ELIMIT, "word/document.xml is too large");
		goto out;
	}
	/* No entity expansion, no network: a .docx is untrusted input. */
	doc = xmlReadMemory(xml, (int)xlen, "word/document.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		rc = qes_error_set(err, QES_EFORMAT, "word/document.xml is not well-formed XML");
		goto out;
	}
	/* Word never writes a DTD; one could only serve entity expansion. */
	if (doc->intSubset || doc->extSubset) {
		rc = qes_error_set(err, QES_EFORMAT, "word/document.xml has a DTD; not a Word document");
		goto out;
	}
	rc = walk(xmlDocGetRootElement(doc), &sb, 0, err);
	if (rc)
		goto out;
	if (!sb.len && (rc = qes__strbuf_addch(&sb, '\n')))
		goto out;
	*out = qes__strbuf_detach(&sb, outlen);
out:
	qes__strbuf_release(&sb);
	if (doc)
		xmlFreeDoc(doc);
	return rc;
}

int qes_code_docx_text(const void *data, size_t len, char **out, size_t *outlen,
		       qes_error *err)
{
	*out = NULL;
	int rc = 0;
	zip_t *z = NULL;
	char *xml = NULL;
	size_t xlen = 0;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!z) {
		zip_source_free(src);
		rc = qes_error_set(err, QES_EFORMAT, "not a .docx (zip): %s", zip_error_strerror(&ze));
		goto out;
	}
	if (zip_get_num_entries(z, 0) > QES_MAX_ZIP_ENTRIES) {
		rc = qes_error_set(err, QES_ELIMIT, "the .docx has more than %d entries",
				   QES_MAX_ZIP_ENTRIES);
		goto out;
	}
	rc = read_entry(z, "word/document.xml", &xml, &xlen, err);
	if (rc)
		goto out;
	rc = qes__code_docx_xml(xml, xlen, out, outlen, err);
out:
	free(xml);
	if (z)
		zip_discard(z);
	zip_error_fini(&ze);
	return rc;
}
