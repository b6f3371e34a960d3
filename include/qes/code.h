/* qes/code.h: coding for thematic synthesis (Thomas & Harden).
 *
 * Sources are texts to code: the results section of an included study, an
 * interview or focus-group transcript, a memo. Their text is kept NFC with
 * LF line ends, beside the original file's bytes. Offsets are half-open
 * ranges [start, end) in Unicode code points (the REFI-QDA convention).
 * Codes form a tree by path ("Parent/Fear of removal"); a coding is one
 * coder's span of one source under one code. Every source, case, code,
 * coding, coder and note has a GUID (UUID v4) for REFI-QDA exchange.
 *
 * Blinding: on a source in the double-coding sample, a coder sees only
 * their own codings until two coders have marked it done. */
#ifndef QES_CODE_H
#define QES_CODE_H

#include <stddef.h>
#include <jansson.h>
#include "qes/error.h"
#include "qes/store.h"

/* --- Text ---------------------------------------------------------------- */

/* NFC, CR and CRLF to LF; *out is malloc'd (NUL-terminated), *cps gets the
 * length in code points. QES_EFORMAT on invalid UTF-8 or a NUL byte. */
int qes_code_normalise(const char *in, size_t len, char **out, size_t *outlen,
		       long *cps, qes_error *err);
/* Byte offset of code point cp in UTF-8 text (len when cp is past the end). */
size_t qes_code_cp_to_byte(const char *text, size_t len, long cp);
/* Code points in the first n bytes. */
long qes_code_byte_to_cp(const char *text, size_t n);
/* The text of a .docx (word/document.xml): one line per paragraph (w:p),
 * w:tab as a tab, w:br as a line break. *out is malloc'd. */
int qes_code_docx_text(const void *data, size_t len, char **out, size_t *outlen,
		       qes_error *err);
/* UUID v4 from libsodium's randombytes, lower-case, 36 characters. */
void qes_code_guid(char out[37]);

/* --- Sources ------------------------------------------------------------- */

typedef struct qes_code_source_opts {
	const char *name;      /* NULL: the file's base name */
	const char *study;     /* study key, or NULL */
	const char *kind;      /* "results", "transcript", "memo"; NULL: results */
	int page_from, page_to;/* PDF pages, 1-based inclusive; 0: all */
	/* The passage to keep: from the line that is from_text (case and
	 * surrounding space ignored; else its first occurrence) up to, not
	 * including, the next such line of to_text. NULL: from the start / to
	 * the end. Say what a results section starts and ends with. */
	const char *from_text, *to_text;
} qes_code_source_opts;

/* Adds FILE (.txt in any encoding, .docx, .pdf) as a source. */
int qes_code_source_add(qes_store *st, const char *path,
			const qes_code_source_opts *o, long long *id, qes_error *err);
/* Adds text already in memory (UTF-8) as a source; the original is text. */
int qes_code_source_add_text(qes_store *st, const char *text, size_t len,
			     const qes_code_source_opts *o, long long *id, qes_error *err);
/* Finds a source by name (or "#ID"). */
int qes_code_source_find(qes_store *st, const char *name, long long *id, qes_error *err);
/* The source's normalised text, malloc'd. */
int qes_code_source_text(qes_store *st, long long id, char **text, size_t *len,
			 qes_error *err);

/* --- Cases --------------------------------------------------------------- */

/* attrs: "key=value" strings (type, perspective, role, ...). */
int qes_code_case_add(qes_store *st, const char *name, char *const *attrs, int nattrs,
		      long long *id, qes_error *err);
/* Gives case variable name (an attribute key) a type: text, boolean
 * (true/false), integer, float, date (YYYY-MM-DD) or datetime
 * (YYYY-MM-DDTHH:MM:SS[Z]), any case. Values already stored must fit
 * (QES_EFORMAT names the first that does not); later ones are checked when
 * cases are added. description NULL keeps the one there. One transaction. */
int qes_code_variable_set(qes_store *st, const char *name, const char *type,
			  const char *description, qes_error *err);
/* Every variable (declared or only used): name, type, description, cases
 * (how many have a value), declared. */
json_t *qes_code_variables_json(qes_store *st, qes_error *err);
/* Links a case to a source; from/to are 1-based lines (inclusive) of the
 * source, e.g. a speaker's turns; 0/0 for the whole source. */
int qes_code_case_link(qes_store *st, const char *case_name, const char *source,
		       long from, long to, qes_error *err);

/* Sets, changes or (key= with nothing after =) removes attributes of a
 * case; typed variables are checked as in qes_code_case_add. One
 * transaction. */
int qes_code_case_set(qes_store *st, const char *name, char *const *attrs, int nattrs,
		      qes_error *err);
/* A source's lines with the cases linked to them (case bands):
 * { "source", "whole_source": [{case, perspective, role}], "lines":
 * [{ "line" (1-based), "text", "cases": [{case, perspective, role}] }] }. */
json_t *qes_code_source_lines_json(qes_store *st, const char *source, qes_error *err);
/* Sets coding id's own case (the participant it is attributed to); NULL
 * or "" clears it, so the case comes from where the span lies again.
 * (When a span is coded, a bracketed attribution right after it on the
 * same line, '"...", (Mother, P3)', naming a case sets it.) */
int qes_code_coding_case(qes_store *st, long long coding, const char *case_name,
			 qes_error *err);

/* --- Codes --------------------------------------------------------------- */

/* Adds a code by path, creating missing parents as folders.
 * QES_EEXIST when the path is already a code. colour: "#rrggbb" or NULL. */
int qes_code_add(qes_store *st, const char *path, const char *colour,
		 const char *memo, long long *id, qes_error *err);
int qes_code_find_code(qes_store *st, const char *path, long long *id, qes_error *err);

/* --- Codings ------------------------------------------------------------- */

enum {
	QES_CODING_QUOTE = 1,           /* a participant quotation */
	QES_CODING_INTERPRETATION = 2,  /* an author's interpretation */
	QES_CODING_ILLUSTRATIVE = 4,    /* an illustrative quote */
};

/* Codes [start, end) of SOURCE (code points) as CODE by CODER (a coder is
 * created on first use). memo may be NULL. */
int qes_code_span(qes_store *st, const char *coder, const char *source,
		  long start, long end, const char *code, int flags,
		  const char *memo, long long *id, qes_error *err);
/* Codes the first occurrence of text (NFC-compared). */
int qes_code_find(qes_store *st, const char *coder, const char *source,
		  const char *text, const char *code, int flags,
		  const char *memo, long long *id, qes_error *err);

typedef struct qes_code_filter {
	const char *source;    /* NULL: all */
	const char *code;      /* a path: that code and its descendants; NULL: all */
	const char *as;        /* a coder: blinded view; NULL: everything */
} qes_code_filter;
/* Array of codings: id, guid, source, code, coder, start, end, text, kind,
 * illustrative, memos; in source, start order. */
json_t *qes_code_list_json(qes_store *st, const qes_code_filter *f, qes_error *err);

/* --- Notes, coders, sample ---------------------------------------------- */

/* target_type: "source", "code" or "coding"; target: a name, path or "#ID". */
int qes_code_note_add(qes_store *st, const char *target_type, const char *target,
		      const char *coder, const char *text, qes_error *err);
int qes_code_done(qes_store *st, const char *coder, const char *source, qes_error *err);
/* Draws round(fraction * sources) (at least 1) sources for double coding,
 * reproducibly from seed; replaces an earlier sample. */
int qes_code_sample(qes_store *st, double fraction, unsigned long long seed,
		    long *drawn, qes_error *err);

/* How the sample is coded: "deductive" (one shared codebook; the default)
 * or "inductive" (the second coder makes their own codes). In inductive
 * mode, until every sampled source is marked done by two coders, a coder
 * sees neither the other coders' spans nor the names of their codes
 * (every view that takes `as`: listings, the code tree, notes, themes).
 * One transaction. */
int qes_code_sample_mode_set(qes_store *st, const char *mode, qes_error *err);
/* "deductive" or "inductive" (static strings). */
const char *qes_code_sample_mode(qes_store *st);

/* --- Agreement and stats ------------------------------------------------- */

/* Character-level agreement of coders a and b, per source and code and
 * pooled, over the sources both coded. coded_only: only characters that
 * either coder coded with any code on that source. Besides rows, codes and
 * pooled: "unitising" (any code against any code: did both code this
 * text at all; the character table plus "passages": {passages, both,
 * a_only, b_only, agreement}, passages as in qes__code_passages),
 * "mapped" (per pair confirmed with qes_code_map: a_code, b_code, the
 * character table and passages), "proposed" (for each of a's codes, b's
 * code sharing most characters: a_code, b_code, overlap, a_chars,
 * b_chars, share_of_a, share_of_b, confirmed), "mode" (the sample's),
 * and "provisional" (true while a or b has not marked every compared
 * source done; each row says it for its source). */
json_t *qes_code_agreement_json(qes_store *st, const char *a, const char *b,
				int coded_only, qes_error *err);
/* Confirms (remove 0) or withdraws that coder b's code b_code covers what
 * coder a coded as a_code; by is who confirmed it. One transaction. */
int qes_code_map(qes_store *st, const char *a, const char *b, const char *a_code,
		 const char *b_code, const char *by, int remove, qes_error *err);
/* The two coders' spans side by side per source and code (the rows of
 * qes_code_agreement_json, each with a_spans and b_spans: start, end, text,
 * kind), for one source or all (source NULL). Sources still blinded are
 * left out and counted in blinded_rows. */
json_t *qes_code_compare_json(qes_store *st, const char *a, const char *b, const char *source,
			      qes_error *err);
/* Counts: sources, codes, codings, cases, notes, coders, sample, ... */
json_t *qes_code_stats_json(qes_store *st, qes_error *err);

/* --- Speaker turns (code_speakers.c) ------------------------------------ */

typedef struct qes_code_speaker_opts {
	const char *const *skip;   /* labels or roles not linked, besides interviewers */
	int nskip;
	char *const *attrs;        /* key=value for the cases made now */
	int nattrs;
	int dry_run;               /* find the turns, change nothing */
} qes_code_speaker_opts;

/* Links a transcript's speaker turns to cases. A turn starts with a label
 * at a line's start ("Mother (P1):", "P2:", "Team leader:") and runs to the
 * next label. The case is the identifier in brackets, else the label;
 * missing cases are made with role = the words before the brackets, plus
 * attrs. Facilitators, interviewers, moderators and researchers (and
 * skip) end a turn but are not linked. One transaction. Array of {case,
 * label, role, skipped, turns, lines, created, ranges[[from, to]...]}. */
json_t *qes_code_speakers(qes_store *st, const char *source, const qes_code_speaker_opts *o,
			  qes_error *err);

/* --- Managing the tree, and listings (code_manage.c) -------------------- */

/* Moves a code (and every code under it) to new_path; missing parents of
 * new_path become folders. QES_EEXIST when new_path is a code already. */
int qes_code_rename(qes_store *st, const char *path, const char *new_path, qes_error *err);
/* Merges code from into code into: spans, memos and theme memberships move
 * over (a span both codes gave the same coder becomes one), then from is
 * deleted. *moved gets the spans moved. A code with codes under it is
 * refused (move or merge them first). */
int qes_code_merge(qes_store *st, const char *from, const char *into, long *moved,
		   qes_error *err);
/* Cases by name: id, name, attributes{}, sources[{source, from, to}]. */
json_t *qes_code_cases_json(qes_store *st, qes_error *err);

/* --- Editing and the coding editor's views (lib/code_edit.c) -------------- */

/* What to change in a coding; NULL / -1 keep the current value. */
typedef struct qes_code_change {
	const char *code;      /* another code's path */
	const char *kind;      /* "", "quote" or "interpretation" */
	int illustrative;      /* 0 or 1 */
} qes_code_change;

/* Changes coding id (one transaction). by is the coder asking; any is
 * nonzero for someone who may change every coder's codings (a review
 * owner). QES_EPERM when the coding is another coder's and any is 0,
 * QES_ENOTFOUND when there is no such coding or code. */
int qes_code_coding_update(qes_store *st, long long id, const char *by, int any,
			   const qes_code_change *c, qes_error *err);
/* Deletes coding id and the notes on it (one transaction); the same rule. */
int qes_code_coding_delete(qes_store *st, long long id, const char *by, int any,
			   qes_error *err);

/* Coding id as coder `as` sees it (NULL: everything), an object with the
 * keys of qes_code_list_json; QES_ENOTFOUND when there is none or it is
 * hidden from as by the blinding. */
json_t *qes_code_coding_json(qes_store *st, long long id, const char *as, qes_error *err);

/* The sources as coder `as` sees them (an array): id, name, kind, study
 * (key or null), length, sampled, mine (as's codings), done (as marked
 * it), done_by (how many coders marked it), blinded (others' codings are
 * hidden from as). */
json_t *qes_code_sources_json(qes_store *st, const char *as, qes_error *err);
/* One source (name or "#ID") with the keys above plus text. */
json_t *qes_code_source_json(qes_store *st, const char *source, const char *as,
			     qes_error *err);
/* The code tree in path order: id, path, name, parent (path or null),
 * colour (or null), folder, codings and sources (counts of what `as` may
 * see, NULL as: everything; a folder counts its descendants). */
json_t *qes_code_tree_json(qes_store *st, const char *as, qes_error *err);
/* Notes `as` may see on a source (name or "#ID"), on its codings and on
 * every code: id, guid, target_type, target_id, coder (or null), text,
 * created_at. A note on a coding is hidden with the coding; a note on a
 * blinded source is the writer's own until the source is unblinded. */
json_t *qes_code_notes_json(qes_store *st, const char *source, const char *as,
			    qes_error *err);

#endif
