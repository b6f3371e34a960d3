/* qes/qdpx.h: exchange with other qualitative analysis tools (REFI-QDA 1.5).
 *
 * A .qdpx project is a zip holding project.qde (Project XML) and sources/
 * (each text source's plain text as sources/GUID.txt, plus the original
 * file when qes kept one). A .qdc codebook is the codes tree and sets
 * alone. Everything exchanged keeps its GUID, so an export re-imports as
 * the same sources, codes, codings, cases, notes, sets and users; importing
 * the same GUIDs again adds nothing (they are skipped and counted). The
 * mapping between qes and REFI-QDA is in docs/qdpx.md.
 *
 * Exports are validated against the embedded Project.xsd / Codebook.xsd
 * before anything is written (a temporary file renamed into place); an
 * import is validated before anything is read into the review and runs as
 * one transaction. */
#ifndef QES_QDPX_H
#define QES_QDPX_H

#include <stddef.h>
#include "qes/error.h"
#include "qes/store.h"

/* What an import added and skipped (already present by GUID). */
typedef struct qes_qdpx_counts {
	long users, codes, variables, sources, codings, cases, notes, sets;
	long skipped;   /* objects whose GUID was already in the review */
} qes_qdpx_counts;

/* Called for each thing an import handled or could not carry (a byte-order
 * mark removed, CRLF line ends mapped, a selection without codes, ...):
 * entry is the zip entry or "project.qde", line 0 when unknown. */
typedef void (*qes_qdpx_note_fn)(void *ud, const char *entry, long line, const char *msg);

typedef struct qes_qdpx_import_opts {
	qes_qdpx_note_fn note;   /* NULL: notes are not reported */
	void *ud;
	int dry_run;             /* check and count, then roll back */
} qes_qdpx_import_opts;

/* Writes the review's coding as a .qdpx project to path. */
int qes_qdpx_export(qes_store *st, const char *path, qes_error *err);
/* Imports a .qdpx project (file, or bytes in memory with a display name). */
int qes_qdpx_import(qes_store *st, const char *path, const qes_qdpx_import_opts *o,
		    qes_qdpx_counts *counts, qes_error *err);
int qes_qdpx_import_mem(qes_store *st, const void *data, size_t len, const char *name,
			const qes_qdpx_import_opts *o, qes_qdpx_counts *counts, qes_error *err);

/* The codes tree and sets as a .qdc codebook, and back. */
int qes_qdc_export(qes_store *st, const char *path, qes_error *err);
int qes_qdc_import(qes_store *st, const char *path, const qes_qdpx_import_opts *o,
		   qes_qdpx_counts *counts, qes_error *err);
int qes_qdc_import_mem(qes_store *st, const void *data, size_t len, const char *name,
		       const qes_qdpx_import_opts *o, qes_qdpx_counts *counts, qes_error *err);

/* Checks XML bytes against Project.xsd (codebook 0) or Codebook.xsd (1);
 * QES_EFORMAT naming the first problem's line (and how many there were). */
int qes_qdpx_validate(const char *xml, size_t len, int codebook, const char *name,
		      qes_error *err);

#endif
