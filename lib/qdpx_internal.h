/* qdpx_internal.h: shared by the REFI-QDA exchange files: qdpx_xsd.c (the
 * schemas), qdpx_validate.c (parse and validate), qdpx_text.c (plain text,
 * offset mapping, derived GUIDs), qdpx_zip.c (archive in and out),
 * qdpx_write.c (export), qdpx_read.c (import), qdpx_codebook.c (.qdc). */
#ifndef QES_QDPX_INTERNAL_H
#define QES_QDPX_INTERNAL_H

#include <stddef.h>
#include <libxml/tree.h>
#include <zip.h>
#include "qes/qdpx.h"
#include "strbuf.h"

extern const char qes__qdpx_project_xsd[];
extern const unsigned long qes__qdpx_project_xsd_len;
extern const char qes__qdpx_codebook_xsd[];
extern const unsigned long qes__qdpx_codebook_xsd_len;

#define QES__QDPX_NS "urn:QDA-XML:project:1.0"
#define QES__QDC_NS "urn:QDA-XML:codebook:1.0"

/* Parses untrusted XML: no network, no entities substituted, no DTD (one
 * is refused), nesting bounded; then validates it against the schema.
 * *doc is the caller's (xmlFreeDoc). name is used in messages. */
int qes__qdpx_parse(const char *xml, size_t len, int codebook, const char *name,
		    xmlDoc **doc, qes_error *err);

/* --- Text: a source's plain text as a vendor stored it, made qes's own
 * (no BOM, LF line ends, NFC), with a map from the file's code-point
 * offsets to the stored text's. ----------------------------------------- */
typedef struct qes__qdpx_map {
	long *o, *n;          /* from file offset o[i] on, offsets shift to n[i] */
	size_t len, cap;
	long file_cps;        /* code points in the file's text (after any BOM) */
	long text_cps;        /* code points in the stored text */
} qes__qdpx_map;

typedef struct qes__qdpx_textinfo {
	int bom;              /* a UTF-8 byte-order mark was removed */
	long crlf, cr;        /* CRLF and lone CR line ends made LF */
	int nfc;              /* NFC changed the text */
} qes__qdpx_textinfo;

int qes__qdpx_text(const char *raw, size_t len, char **text, size_t *tlen,
		   qes__qdpx_map *map, qes__qdpx_textinfo *info, qes_error *err);
long qes__qdpx_map_offset(const qes__qdpx_map *m, long o);
void qes__qdpx_map_release(qes__qdpx_map *m);

/* A GUID derived from a seed and a salt (BLAKE2b), for things qes has no
 * GUID of its own for (a variable, a coding's selection): the same review
 * exports the same GUIDs every time. */
void qes__qdpx_guid_derive(const char *seed, const char *salt, char out[37]);
/* Lower case, braces dropped: REFI-QDA allows "{...}" and upper case. */
void qes__qdpx_guid_norm(const char *in, char out[37]);

/* --- Zip ---------------------------------------------------------------- */
/* Opens an archive from memory (data must outlive it) or a file. */
int qes__qdpx_zip_open_mem(const void *data, size_t len, const char *name, zip_t **z,
			   qes_error *err);
int qes__qdpx_zip_open_file(const char *path, zip_t **z, qes_error *err);
/* Reads one entry, at most max bytes; QES_ENOTFOUND when it is absent.
 * *buf is malloc'd and NUL-terminated. */
int qes__qdpx_zip_read(zip_t *z, const char *archive, const char *entry, size_t max,
		       char **buf, size_t *len, qes_error *err);
/* The entry an "internal://NAME" path means ("sources/NAME"), refusing
 * anything that could leave sources/ (slashes, "..", NUL). */
int qes__qdpx_internal_entry(const char *path, char *entry, size_t size);
/* The entry a source's plainTextPath or richTextPath means, with the
 * liberties other tools take and that stay inside the archive's sources/:
 * "internal://NAME" (the standard; *liberty NULL), a bare "NAME", "./NAME",
 * "sources/NAME" or "./sources/NAME", with "/" or "\" (*liberty says which,
 * for the import's notes). Anything that could leave sources/ or points
 * outside the archive (absolute paths, "..", relative:// and other schemes)
 * is refused: -1. */
int qes__qdpx_source_entry(const char *path, char *entry, size_t size, const char **liberty);

/* A zip being written: entries are copied in; close writes tmp and puts
 * it in place of path (nothing is left behind on failure). */
typedef struct qes__qdpx_zipw qes__qdpx_zipw;
int qes__qdpx_zipw_open(const char *path, qes__qdpx_zipw **w, qes_error *err);
int qes__qdpx_zipw_add(qes__qdpx_zipw *w, const char *entry, const void *data, size_t len,
		       qes_error *err);
int qes__qdpx_zipw_close(qes__qdpx_zipw *w, qes_error *err);
void qes__qdpx_zipw_abort(qes__qdpx_zipw *w);

/* --- Writing XML (shared by project and codebook) ------------------------ */
typedef struct _xmlTextWriter *qes__xmlw;
/* Writes <Codes> with every code (Description from its first note, and
 * NoteRefs in a project). */
int qes__qdpx_write_codes(qes_store *st, qes__xmlw w, int codebook, qes_error *err);
/* Writes <Sets>: qes themes and sets kept from imports. */
int qes__qdpx_write_sets(qes_store *st, qes__xmlw w, int codebook, qes_error *err);
/* The Description qes gives a selection for a coding's kind and
 * illustrative flag (NULL when there is nothing to say). */
const char *qes__qdpx_flags_text(const char *kind, int illustrative);
/* Serialises with fn into memory and validates it; *out is the caller's
 * (xmlBufferFree). Nothing invalid comes back. */
int qes__qdpx_build_xml(qes_store *st, int codebook,
			int (*fn)(qes_store *, qes__xmlw, qes__qdpx_zipw *, qes_error *),
			qes__qdpx_zipw *z, xmlBuffer **out, qes_error *err);
/* xmlTextWriter's status to a qes status. */
int qes__qdpx_wcheck(int xrc, qes_error *err);

/* --- Reading (shared by project and codebook) --------------------------- */
typedef struct qes__qdpx_in {
	qes_store *st;
	const char *archive;          /* display name of the file */
	const qes_qdpx_import_opts *o;
	qes_qdpx_counts *c;
	long long note_floor;         /* notes with a larger id came with this import */
	int codebook;
} qes__qdpx_in;

xmlNode *qes__qdpx_child(const xmlNode *n, const char *name);
xmlNode *qes__qdpx_next(xmlNode *n, const char *name);
/* An attribute's value (malloc'd by libxml2: xmlFree) or NULL. */
char *qes__qdpx_attr(const xmlNode *n, const char *name);
void qes__qdpx_note(qes__qdpx_in *in, const char *entry, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* id of the row in table whose guid is g; 0 when absent. */
long long qes__qdpx_id_by_guid(qes_store *st, const char *table, const char *g);
int qes__qdpx_read_codes(qes__qdpx_in *in, xmlNode *codes, qes_error *err);
int qes__qdpx_read_sets(qes__qdpx_in *in, xmlNode *sets, qes_error *err);
/* A name not yet used in table.column: base, "base (2)", "base (3)", ... */
int qes__qdpx_unique_name(qes_store *st, const char *table, const char *column,
			  const char *base, char **out, qes_error *err);
/* A Description as a note on (type, id), GUID derived from owner_guid. */
int qes__qdpx_description(qes__qdpx_in *in, xmlNode *owner, const char *owner_guid,
			  const char *type, long long id, qes_error *err);
/* Retargets a note that came with this import (still on the project). */
int qes__qdpx_attach_note(qes__qdpx_in *in, xmlNode *ref, const char *type, long long id,
			  qes_error *err);

#endif
