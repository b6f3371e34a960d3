/* qes/prisma.h: the PRISMA 2020 flow diagram, computed from the review and
 * drawn as SVG (and PNG or PDF through librsvg and cairo).
 *
 * Counts follow the PRISMA 2020 statement (Page et al., BMJ 2021;372:n71):
 * records are what the sources returned, reports are documents, studies may
 * have several reports. The diagram is never drawn from numbers that do not
 * add up: qes_prisma_check() names the relation that fails. */
#ifndef QES_PRISMA_H
#define QES_PRISMA_H

#include <stddef.h>
#include "qes/error.h"

typedef struct qes_prisma_count {
	char *name;     /* a database, register, other method, or exclusion reason */
	long n;
} qes_prisma_count;

typedef struct qes_prisma_column {
	int present;                    /* the other-methods column exists only with data */
	qes_prisma_count *identified;   /* per source, in the order they were searched */
	size_t n_identified;
	long identified_total;
	long registers;                 /* part of identified_total from registers */
	long duplicates_removed;        /* records that duplicate one counted before (in the
					 * other-methods column: a box qes adds, see below) */
	long automation_removed;
	long other_removed;
	long screened;                  /* works; the other-methods column has no such box */
	long excluded_screening;        /* excluded at title/abstract (other methods: a box
					 * qes adds so that every record is accounted for) */
	long sought;
	long not_retrieved;
	long assessed;
	qes_prisma_count *excluded_reports;   /* reasons, largest first */
	size_t n_excluded_reports;
} qes_prisma_column;

typedef struct qes_prisma {
	qes_prisma_column db;           /* databases and registers */
	qes_prisma_column other;        /* websites, organisations, citation searching... */
	long studies_included;
	long reports_included;
	/* Updated reviews: studies and reports of the previous version. */
	int update;
	long previous_studies;
	long previous_reports;
} qes_prisma;

typedef struct qes_store qes_store;

/* A record the diagram cannot count yet: its decision at a stage is missing
 * or unresolved. */
typedef struct qes_prisma_gap {
	long long record_id;
	char *key;          /* source key */
	char *stage;        /* "ta" or "ft" */
	char *state;        /* "pending" (no decision), "waiting_second" (one of two),
			     * "conflict", "not screened" */
} qes_prisma_gap;

/* Counts every box from the review: sources and imports (identified),
 * deduplication (duplicates removed), screening outcomes, full texts and
 * studies. Counting rules (docs/prisma.md): a work found by any database or
 * register counts in the databases column; a work found only by other
 * methods counts in the other-methods column. That column of the template
 * has no boxes for duplicates or title/abstract exclusions; qes counts them
 * (duplicates_removed, excluded_screening) and draws them as labelled boxes
 * with a footnote, so every imported record is accounted for. When
 * some records lack a final decision, *gaps lists them (n_gaps > 0) and the
 * affected boxes must not be drawn; free with qes_prisma_gaps_free. */
int qes_prisma_compute(qes_store *st, qes_prisma *p, qes_prisma_gap **gaps,
		       size_t *n_gaps, qes_error *err);
void qes_prisma_gaps_free(qes_prisma_gap *gaps, size_t n);

/* Every arithmetic relation of the diagram; QES_ECONFLICT names the first
 * that fails, with the numbers. */
int qes_prisma_check(const qes_prisma *p, qes_error *err);

/* The diagram as a standalone SVG document (malloc'd, NUL-terminated). */
int qes_prisma_svg(const qes_prisma *p, char **svg, size_t *len, qes_error *err);

/* Writes the diagram to path as "svg", "png" or "pdf" (format NULL: from
 * the extension). Written to a temporary file and renamed into place. */
int qes_prisma_write(const qes_prisma *p, const char *path, const char *format,
		     qes_error *err);

/* Frees the lists inside p (not p itself). */
void qes_prisma_release(qes_prisma *p);

#endif
