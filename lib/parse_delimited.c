/* parse_delimited.c: CSV, TSV and semicolon-separated files as databases
 * and screening tools write them (Scopus, Web of Science tab-delimited,
 * Embase, Zotero, EPPI-Reviewer, Covidence, Rayyan, ASReview, Excel).
 *
 * The delimiter is the most frequent of tab, comma and semicolon outside
 * quotes on the header line. Quoting follows RFC 4180 ("" is a quote inside
 * a quoted value) and is lenient where Excel and Python are: a quote inside
 * an unquoted value is a character, text after a closing quote is kept. The
 * reader hands us lines without their ends, so a quoted value that spans
 * lines is joined with "\n" (CRLF inside quotes arrives as one break).
 *
 * Header names map to fields case-insensitively, ignoring spaces and
 * punctuation ("Publication Year", "publication_year" and "PY" are all the
 * year). When several columns could give one field, the best-ranked one is
 * used and the others are kept as extra name/value pairs, like every column
 * that maps to nothing (labels such as label_included, dup_group). */
#include "parser.h"
#include "delimited_lists.h"
#include "strbuf.h"
#include "qes/limits.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum field {
	F_EXTRA = 0, F_KEY, F_TYPE, F_TYPE_RAW, F_TITLE, F_ABSTRACT, F_AUTHORS,
	F_YEAR, F_DATE, F_JOURNAL, F_VOLUME, F_ISSUE, F_PAGES, F_PAGE_START,
	F_PAGE_END, F_DOI, F_PMID, F_ISSN, F_ISBN, F_KEYWORDS, F_LANGUAGE,
	F_URL, F_PUBLISHER, F_DATABASE, F_NOTES, F_ZOTERO_EXTRA, F_COUNT
};

/* Header names, squeezed to lower-case letters and digits, and the field
 * they give. A lower rank wins when a file has several for one field. */
static const struct alias {
	const char *name;
	unsigned char field, rank;
} aliases[] = {
	{ "type", F_TYPE, 0 },
	{ "typeraw", F_TYPE_RAW, 0 }, { "documenttype", F_TYPE_RAW, 1 },
	{ "itemtype", F_TYPE_RAW, 1 }, { "entrytype", F_TYPE_RAW, 1 },
	{ "typeofreference", F_TYPE_RAW, 1 }, { "referencetype", F_TYPE_RAW, 1 },
	{ "typename", F_TYPE_RAW, 1 }, { "publicationtype", F_TYPE_RAW, 2 },
	{ "ty", F_TYPE_RAW, 2 }, { "dt", F_TYPE_RAW, 1 }, { "pt", F_TYPE_RAW, 3 },
	{ "title", F_TITLE, 0 }, { "articletitle", F_TITLE, 0 },
	{ "documenttitle", F_TITLE, 0 }, { "primarytitle", F_TITLE, 0 },
	{ "ti", F_TITLE, 1 }, { "t1", F_TITLE, 2 },
	{ "abstract", F_ABSTRACT, 0 }, { "abstractnote", F_ABSTRACT, 0 },
	{ "ab", F_ABSTRACT, 1 }, { "n2", F_ABSTRACT, 2 },
	{ "authorfullnames", F_AUTHORS, 0 }, { "af", F_AUTHORS, 0 },
	{ "authors", F_AUTHORS, 1 }, { "author", F_AUTHORS, 1 },
	{ "authornames", F_AUTHORS, 1 }, { "au", F_AUTHORS, 1 },
	{ "a1", F_AUTHORS, 2 }, { "firstauthors", F_AUTHORS, 2 },
	{ "year", F_YEAR, 0 }, { "py", F_YEAR, 0 }, { "publicationyear", F_YEAR, 0 },
	{ "pubyear", F_YEAR, 0 }, { "publishedyear", F_YEAR, 0 }, { "yr", F_YEAR, 1 },
	{ "date", F_DATE, 0 }, { "da", F_DATE, 1 }, { "publicationdate", F_DATE, 0 },
	{ "pd", F_DATE, 1 }, { "y1", F_DATE, 2 },
	{ "journal", F_JOURNAL, 0 }, { "journalname", F_JOURNAL, 0 },
	{ "journaltitle", F_JOURNAL, 0 }, { "sourcetitle", F_JOURNAL, 0 },
	{ "publicationtitle", F_JOURNAL, 0 }, { "secondarytitle", F_JOURNAL, 0 },
	{ "publicationname", F_JOURNAL, 0 }, { "parenttitle", F_JOURNAL, 1 },
	{ "so", F_JOURNAL, 1 }, { "jo", F_JOURNAL, 1 }, { "jf", F_JOURNAL, 1 },
	{ "t2", F_JOURNAL, 2 }, { "source", F_JOURNAL, 3 }, { "booktitle", F_JOURNAL, 3 },
	{ "volume", F_VOLUME, 0 }, { "vl", F_VOLUME, 1 }, { "vol", F_VOLUME, 1 },
	{ "issue", F_ISSUE, 0 }, { "is", F_ISSUE, 1 }, { "number", F_ISSUE, 2 },
	{ "pages", F_PAGES, 0 }, { "pg", F_PAGES, 2 },
	{ "pagestart", F_PAGE_START, 0 }, { "startpage", F_PAGE_START, 0 },
	{ "bp", F_PAGE_START, 1 }, { "sp", F_PAGE_START, 1 },
	{ "pageend", F_PAGE_END, 0 }, { "endpage", F_PAGE_END, 0 },
	{ "ep", F_PAGE_END, 1 },
	{ "doi", F_DOI, 0 }, { "di", F_DOI, 1 }, { "do", F_DOI, 1 },
	{ "pmid", F_PMID, 0 }, { "pubmedid", F_PMID, 0 }, { "pm", F_PMID, 1 },
	{ "issn", F_ISSN, 0 }, { "sn", F_ISSN, 1 }, { "eissn", F_ISSN, 2 },
	{ "ei", F_ISSN, 2 },
	{ "isbn", F_ISBN, 0 }, { "bn", F_ISBN, 1 },
	{ "keywords", F_KEYWORDS, 0 }, { "keyword", F_KEYWORDS, 0 },
	{ "authorkeywords", F_KEYWORDS, 0 }, { "indexkeywords", F_KEYWORDS, 0 },
	{ "manualtags", F_KEYWORDS, 0 }, { "automatictags", F_KEYWORDS, 0 },
	{ "kw", F_KEYWORDS, 0 }, { "de", F_KEYWORDS, 0 }, { "meshterms", F_KEYWORDS, 0 },
	{ "language", F_LANGUAGE, 0 }, { "languageoforiginaldocument", F_LANGUAGE, 0 },
	{ "la", F_LANGUAGE, 1 },
	{ "url", F_URL, 0 }, { "link", F_URL, 1 }, { "ur", F_URL, 1 },
	{ "openurllink", F_URL, 3 },
	{ "publisher", F_PUBLISHER, 0 }, { "pb", F_PUBLISHER, 1 }, { "pu", F_PUBLISHER, 1 },
	{ "database", F_DATABASE, 0 }, { "nameofdatabase", F_DATABASE, 0 },
	{ "librarycatalog", F_DATABASE, 1 }, { "db", F_DATABASE, 1 },
	{ "dp", F_DATABASE, 2 },
	{ "notes", F_NOTES, 0 }, { "note", F_NOTES, 0 }, { "n1", F_NOTES, 1 },
	{ "extra", F_ZOTERO_EXTRA, 0 },
};

/* Web of Science tab-delimited files use two-letter tags whose meaning
 * differs from RIS: SP is conference sponsors, DA the export date, ID the
 * Keywords Plus, and UT the record's accession number. */
static const struct alias wos_aliases[] = {
	{ "sp", F_EXTRA, 0 }, { "da", F_EXTRA, 0 }, { "id", F_KEYWORDS, 0 },
	{ "pd", F_DATE, 1 },
};

/* Columns that give the source key, exact names, best first. "source_key"
 * is qes's own CSV export, so an export reads back with the same keys. */
static const char *const key_names[] = {
	"source_key", "bench_id", "record_id", "id", "ID", NULL
};

static void squeeze(const char *s, char *out, size_t outlen);

int qes__delim_known_column(const char *s, size_t n)
{
	char buf[96], sq[96];
	if (n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	squeeze(buf, sq, sizeof(sq));
	if (!sq[0])
		return 0;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(sq, aliases[i].name))
			return 1;
	for (int k = 0; key_names[k]; k++)
		if (!strcasecmp(sq, key_names[k]) || !strcmp(sq, "sourcekey") ||
		    !strcmp(sq, "recordid"))
			return 1;
	return 0;
}

/* --- Input: lines from a replay buffer first, then the reader ------------ */

typedef struct lines {
	qes_reader *r;
	char *replay;          /* malloc'd lines joined by "\n", or NULL */
	size_t replay_len, replay_pos;
	long replay_line;      /* line number of the next replayed line */
	long line;             /* line number of the line last returned */
	char delim;
	int replays;           /* unclosed quotes recovered from so far */
} lines;

/* Each recovery from an unclosed quote re-reads the rest of the file; a
 * file with more than this many is not CSV, and reading it again and again
 * would take time quadratic in its length. */
#define MAX_REPLAYS 16

static int next_line(lines *in, char **line, size_t *len, qes_error *err)
{
	if (in->replay) {
		if (in->replay_pos <= in->replay_len) {
			char *s = in->replay + in->replay_pos;
			char *nl = memchr(s, '\n', in->replay_len - in->replay_pos);
			size_t n = nl ? (size_t)(nl - s) : in->replay_len - in->replay_pos;
			s[n] = '\0';
			in->replay_pos += n + 1;
			in->line = in->replay_line++;
			*line = s;
			*len = n;
			return 1;
		}
		free(in->replay);
		in->replay = NULL;
	}
	int rc = qes__reader_getline(in->r, line, len, err);
	if (rc == 1)
		in->line = qes__reader_lineno(in->r);
	return rc;
}

/* --- Rows ---------------------------------------------------------------- */

typedef struct row {
	qes_strbuf raw;        /* the row's lines joined by "\n" */
	qes_strbuf vals;       /* values of the first ncap columns, NUL-separated */
	size_t *off;           /* start of each stored value in vals */
	size_t ncap;           /* columns stored (the header's count) */
	size_t ncols;          /* columns seen */
	int extra_data;        /* a column past ncap holds something */
	long line;             /* first line */
	long quote_line;       /* where an unclosed quote opened */
	long span_line;        /* where a quoted value that ran over a line end opened */
	int after_quote;       /* text followed a closing quote ("abc"def) */
	int overflow;          /* OV_*: a limit the row broke */
} row;

enum { OV_NONE, OV_FIELD, OV_ROW, OV_NOMEM };

enum { S_START, S_PLAIN, S_QUOTED, S_QUOTE };

static int is_blank_str(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

static void row_add(row *rw, char c, int *col_blank)
{
	if (c != ' ' && c != '\t' && c != '\n')
		*col_blank = 0;
	if (rw->overflow || rw->ncols >= rw->ncap)
		return;
	size_t start = rw->off[rw->ncols];
	if (rw->vals.len - start >= QES_MAX_FIELD) {
		rw->overflow = OV_FIELD;
		return;
	}
	int rc = qes__strbuf_addch(&rw->vals, c);
	if (rc)
		rw->overflow = rc == QES_ENOMEM ? OV_NOMEM : OV_ROW;
}

static void row_end_field(row *rw, int col_blank)
{
	if (rw->ncols < rw->ncap) {
		if (!rw->overflow && qes__strbuf_addch(&rw->vals, '\0'))
			rw->overflow = OV_ROW;
	} else if (!col_blank) {
		rw->extra_data = 1;
	}
	rw->ncols++;
	if (rw->ncols < rw->ncap)
		rw->off[rw->ncols] = rw->vals.len;
}

/* Reads one row (a header or a record). Returns 1 with a row, 0 at the end
 * of input, < 0 on a read error. *unclosed is set when the input ended
 * inside quotes. Blank lines before the row are skipped. */
static int read_row(lines *in, char delim, row *rw, int *unclosed, qes_error *err)
{
	char *line;
	size_t len;
	int rc, state = S_START, col_blank = 1;
	qes__strbuf_reset(&rw->raw);
	qes__strbuf_reset(&rw->vals);
	rw->ncols = 0;
	rw->extra_data = 0;
	rw->overflow = OV_NONE;
	rw->span_line = 0;
	rw->after_quote = 0;
	rw->off[0] = 0;
	*unclosed = 0;
	do {
		rc = next_line(in, &line, &len, err);
		if (rc <= 0)
			return rc;
	} while (is_blank_str(line));
	rw->line = in->line;
	for (;;) {
		if (!rw->overflow && ((rw->raw.len && qes__strbuf_addch(&rw->raw, '\n')) ||
				      qes__strbuf_add(&rw->raw, line, len)))
			rw->overflow = OV_ROW;
		for (size_t i = 0; i < len; i++) {
			char c = line[i];
			switch (state) {
			case S_START:
				if (c == '"') {
					state = S_QUOTED;
					rw->quote_line = in->line;
					break;
				}
				state = S_PLAIN;
				/* fall through */
			case S_PLAIN:
				if (c == delim) {
					row_end_field(rw, col_blank);
					col_blank = 1;
					state = S_START;
				} else {
					row_add(rw, c, &col_blank);
				}
				break;
			case S_QUOTED:
				if (c == '"')
					state = S_QUOTE;
				else
					row_add(rw, c, &col_blank);
				break;
			case S_QUOTE:
				if (c == '"') {
					row_add(rw, c, &col_blank);
					state = S_QUOTED;
				} else if (c == delim) {
					row_end_field(rw, col_blank);
					col_blank = 1;
					state = S_START;
				} else {
					row_add(rw, c, &col_blank);  /* "abc"def: keep the text */
					rw->after_quote = 1;
					state = S_PLAIN;
				}
				break;
			}
		}
		if (state != S_QUOTED)
			break;
		if (!rw->span_line)
			rw->span_line = rw->quote_line;
		row_add(rw, '\n', &col_blank);
		rc = next_line(in, &line, &len, err);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			*unclosed = 1;
			break;
		}
	}
	row_end_field(rw, col_blank);
	return 1;
}

static const char *row_value(const row *rw, size_t i)
{
	if (i >= rw->ncols || i >= rw->ncap)
		return NULL;
	return rw->vals.buf + rw->off[i];
}

/* Columns of the row that starts at p (up to end), following quotes over
 * line ends; -1 when a quote is still open at end. *next gets where the
 * row ends. */
static long row_columns(const char *p, const char *end, char delim, const char **next)
{
	long cols = 1;
	int inq = 0;
	for (; p < end; p++) {
		if (*p == '"')
			inq = !inq;
		else if (!inq && *p == delim)
			cols++;
		else if (!inq && *p == '\n')
			break;
	}
	*next = p;
	return inq ? -1 : cols;
}

/* Resynchronises after a broken quote: of the lines the row swallowed
 * (after its first), the first that starts a row with as many columns as
 * the header is where reading goes on; the lines before it belong to the
 * broken record. Returns the line reading goes on at, 0 when no line
 * qualifies (then every swallowed line goes with the broken record). With
 * fallback, a row with any column count will do (the quote ran to the end
 * of the file: what follows it was never a value). */
static int replay_tail(lines *in, const row *rw, size_t ncols, int fallback, long *resume,
		       qes_error *err)
{
	*resume = 0;
	const char *nl = memchr(rw->raw.buf, '\n', rw->raw.len);
	if (!nl)
		return 0;
	const char *end = rw->raw.buf + rw->raw.len, *start = NULL;
	long line = rw->line + 1;
	for (const char *p = nl + 1; p < end; line++) {
		const char *next;
		if (row_columns(p, end, in->delim, &next) == (long)ncols) {
			start = p;
			break;
		}
		const char *e = memchr(p, '\n', (size_t)(end - p));
		if (!e)
			break;
		p = e + 1;
	}
	if (!start && fallback) {
		start = nl + 1;
		line = rw->line + 1;
	}
	if (!start)
		return 0;
	size_t n = (size_t)(end - start);
	char *copy = malloc(n + 1);
	if (!copy)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	memcpy(copy, start, n);
	copy[n] = '\0';
	free(in->replay);
	in->replay = copy;
	in->replay_len = n;
	in->replay_pos = 0;
	in->replay_line = line;
	*resume = line;
	return 0;
}

/* --- Header -------------------------------------------------------------- */

typedef struct header {
	char **names;          /* malloc'd, trimmed */
	unsigned char *role;   /* enum field per column */
	size_t n;
	int own_export;        /* qes's own CSV: lists split on ";" only */
	int col[F_COUNT];      /* chosen column per field, -1 if none */
} header;

static void squeeze(const char *s, char *out, size_t outlen)
{
	size_t w = 0;
	for (; *s && w + 1 < outlen; s++)
		if (isalnum((unsigned char)*s) && !((unsigned char)*s & 0x80))
			out[w++] = (char)tolower((unsigned char)*s);
	out[w] = '\0';
}

static const struct alias *find_alias(const char *name, int wos)
{
	char sq[64];
	squeeze(name, sq, sizeof(sq));
	if (wos)
		for (size_t i = 0; i < sizeof(wos_aliases) / sizeof(wos_aliases[0]); i++)
			if (!strcmp(sq, wos_aliases[i].name))
				return &wos_aliases[i];
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(sq, aliases[i].name))
			return &aliases[i];
	return NULL;
}

static char *trim_dup(const char *s, size_t idx)
{
	/* A stray U+FEFF (a second BOM, or one the reader did not see). */
	if (!strncmp(s, "\xEF\xBB\xBF", 3))
		s += 3;
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n) {
		char *c = malloc(32);
		if (c)
			snprintf(c, 32, "column%zu", idx + 1);
		return c;
	}
	return strndup(s, n);
}

static void header_free(header *h)
{
	for (size_t i = 0; h->names && i < h->n; i++)
		free(h->names[i]);
	free(h->names);
	free(h->role);
	memset(h, 0, sizeof(*h));
}

/* Looks like a data value rather than a column name: a DOI, a URL, a year,
 * a number, or prose. */
static int looks_like_data(const char *s)
{
	size_t n = strlen(s);
	if (n > 60 || strstr(s, "10.") || strstr(s, "http") || strchr(s, '@'))
		return 1;
	size_t digits = 0;
	for (const char *p = s; *p; p++)
		digits += isdigit((unsigned char)*p) != 0;
	return n && digits * 2 > n;
}

/* The first column named exactly name, or -1. */
static int find_column(const header *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->names[i], name))
			return (int)i;
	return -1;
}

static int header_build(header *h, const row *rw, const char *file, qes_error *err)
{
	h->n = rw->ncols;
	h->names = calloc(h->n, sizeof(*h->names));
	h->role = calloc(h->n, 1);
	if (!h->names || !h->role)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	for (size_t i = 0; i < h->n; i++)
		if (!(h->names[i] = trim_dup(row_value(rw, i), i)))
			return qes_error_set(err, QES_ENOMEM, "out of memory");
	/* Web of Science tab-delimited: PT first, UT (the accession number)
	 * somewhere; its ID column is Keywords Plus, not an identifier. */
	int wos = h->n > 2 && !strcmp(h->names[0], "PT") && find_column(h, "UT") >= 0;
	h->own_export = h->n >= 3 && !strcmp(h->names[0], "source_key") &&
			!strcmp(h->names[1], "type") && !strcmp(h->names[2], "type_raw");
	int rank[F_COUNT];
	for (int f = 0; f < F_COUNT; f++) {
		h->col[f] = -1;
		rank[f] = 1000;
	}
	/* The key column: the first of key_names present (UT for WoS). */
	for (int k = 0; !wos && key_names[k] && h->col[F_KEY] < 0; k++)
		h->col[F_KEY] = find_column(h, key_names[k]);
	if (wos)
		h->col[F_KEY] = find_column(h, "UT");
	if (h->col[F_KEY] >= 0)
		h->role[h->col[F_KEY]] = F_KEY;
	int known = 0;
	for (size_t i = 0; i < h->n; i++) {
		if (h->role[i] == F_KEY)
			continue;
		const struct alias *a = find_alias(h->names[i], wos);
		if (!a || a->field == F_EXTRA)
			continue;
		known += a->field != F_ZOTERO_EXTRA;
		if (a->field == F_KEYWORDS) {
			h->role[i] = F_KEYWORDS;   /* every keyword column counts */
			h->col[F_KEYWORDS] = (int)i;
			continue;
		}
		if (a->rank < rank[a->field]) {
			if (h->col[a->field] >= 0)
				h->role[h->col[a->field]] = F_EXTRA;
			rank[a->field] = a->rank;
			h->col[a->field] = (int)i;
			h->role[i] = a->field;
		}
	}
	int data = 0;
	for (size_t i = 0; i < h->n && !data; i++)
		data = looks_like_data(h->names[i]);
	if (!known && data)
		return qes_error_at(err, QES_EFORMAT, file, rw->line, NULL,
				    "the header row is missing: line %ld looks like data "
				    "('%.60s'), but the first line must name the columns "
				    "(for example title, abstract, authors, year, doi)",
				    rw->line, h->names[0]);
	if (!known)
		return qes_error_at(err, QES_EFORMAT, file, rw->line, NULL,
				    "no known column names in the header: none of its %zu "
				    "names (first: '%.60s') is a field qes reads (for example "
				    "title, abstract, authors, year, doi); rename the columns",
				    h->n, h->names[0]);
	return 0;
}

/* --- Values: lists (authors, keywords) are split in delimited_lists.c --- */

/* The normalised type (QES_TYPE_*) for a type as a file wrote it: RIS
 * codes, BibTeX entry types, Zotero item types, database document types. */
static const char *map_type(const char *raw)
{
	static const struct { const char *name, *type; } types[] = {
		{ "article", QES_TYPE_ARTICLE }, { "jour", QES_TYPE_ARTICLE },
		{ "journalarticle", QES_TYPE_ARTICLE }, { "magazinearticle", QES_TYPE_ARTICLE },
		{ "newspaperarticle", QES_TYPE_ARTICLE }, { "mgzn", QES_TYPE_ARTICLE },
		{ "news", QES_TYPE_ARTICLE }, { "ejour", QES_TYPE_ARTICLE },
		{ "jfull", QES_TYPE_ARTICLE }, { "review", QES_TYPE_ARTICLE },
		{ "articleinpress", QES_TYPE_ARTICLE }, { "letter", QES_TYPE_ARTICLE },
		{ "editorial", QES_TYPE_ARTICLE }, { "note", QES_TYPE_ARTICLE },
		{ "erratum", QES_TYPE_ARTICLE }, { "shortsurvey", QES_TYPE_ARTICLE },
		{ "j", QES_TYPE_ARTICLE }, { "dataPaper", QES_TYPE_ARTICLE },
		{ "book", QES_TYPE_BOOK }, { "ebook", QES_TYPE_BOOK }, { "edbook", QES_TYPE_BOOK },
		{ "booklet", QES_TYPE_BOOK }, { "b", QES_TYPE_BOOK },
		{ "chapter", QES_TYPE_CHAPTER }, { "chap", QES_TYPE_CHAPTER },
		{ "echap", QES_TYPE_CHAPTER }, { "booksection", QES_TYPE_CHAPTER },
		{ "bookchapter", QES_TYPE_CHAPTER }, { "inbook", QES_TYPE_CHAPTER },
		{ "incollection", QES_TYPE_CHAPTER },
		{ "conference", QES_TYPE_CONFERENCE }, { "conf", QES_TYPE_CONFERENCE },
		{ "cpaper", QES_TYPE_CONFERENCE }, { "conferencepaper", QES_TYPE_CONFERENCE },
		{ "conferencereview", QES_TYPE_CONFERENCE }, { "inproceedings", QES_TYPE_CONFERENCE },
		{ "proceedings", QES_TYPE_CONFERENCE }, { "proceedingspaper", QES_TYPE_CONFERENCE },
		{ "meetingabstract", QES_TYPE_CONFERENCE }, { "c", QES_TYPE_CONFERENCE },
		{ "conferenceproceedings", QES_TYPE_CONFERENCE },
		{ "thesis", QES_TYPE_THESIS }, { "thes", QES_TYPE_THESIS },
		{ "phdthesis", QES_TYPE_THESIS }, { "mastersthesis", QES_TYPE_THESIS },
		{ "dissertation", QES_TYPE_THESIS },
		{ "report", QES_TYPE_REPORT }, { "rprt", QES_TYPE_REPORT },
		{ "techreport", QES_TYPE_REPORT },
		{ "web", QES_TYPE_WEB }, { "webpage", QES_TYPE_WEB }, { "elec", QES_TYPE_WEB },
		{ "online", QES_TYPE_WEB }, { "blogpost", QES_TYPE_WEB }, { "www", QES_TYPE_WEB },
		{ "preprint", QES_TYPE_PREPRINT }, { "unpublished", QES_TYPE_PREPRINT },
		{ "unpb", QES_TYPE_PREPRINT },
		{ "dataset", QES_TYPE_DATASET }, { "data", QES_TYPE_DATASET },
		{ "other", QES_TYPE_OTHER },
	};
	char sq[48], first[48];
	/* WoS "Article; Early Access": the first type is the one that counts. */
	size_t n = strcspn(raw, ";");
	if (n >= sizeof(first))
		n = sizeof(first) - 1;
	memcpy(first, raw, n);
	first[n] = '\0';
	squeeze(first, sq, sizeof(sq));
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcasecmp(sq, types[i].name))
			return types[i].type;
	return QES_TYPE_OTHER;
}

/* The QES_TYPE_* constant equal to s, or NULL. */
static const char *qes_type(const char *s)
{
	static const char *const names[] = {
		QES_TYPE_ARTICLE, QES_TYPE_BOOK, QES_TYPE_CHAPTER, QES_TYPE_CONFERENCE,
		QES_TYPE_THESIS, QES_TYPE_REPORT, QES_TYPE_WEB, QES_TYPE_PREPRINT,
		QES_TYPE_DATASET, QES_TYPE_OTHER,
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i]))
			return names[i];
	return NULL;
}

/* "PMID: 35319117" in Zotero's Extra column. */
static char *pmid_in_extra(const char *s, qes_arena *a)
{
	const char *p = strstr(s, "PMID:");
	if (!p)
		return NULL;
	p += 5;
	while (*p == ' ')
		p++;
	size_t n = strspn(p, "0123456789");
	return n ? qes__arena_strndup(a, p, n) : NULL;
}

static int set_scalar(qes_record *rec, int f, char *v)
{
	char **slot = NULL;
	switch (f) {
	case F_KEY: slot = &rec->source_key; break;
	case F_TYPE_RAW: slot = &rec->type_raw; break;
	case F_TITLE: slot = &rec->title; break;
	case F_ABSTRACT: slot = &rec->abstract; break;
	case F_DATE: slot = &rec->date; break;
	case F_JOURNAL: slot = &rec->journal; break;
	case F_VOLUME: slot = &rec->volume; break;
	case F_ISSUE: slot = &rec->issue; break;
	case F_PAGES: slot = &rec->pages; break;
	case F_DOI: slot = &rec->doi; break;
	case F_PMID: slot = &rec->pmid; break;
	case F_ISSN: slot = &rec->issn; break;
	case F_ISBN: slot = &rec->isbn; break;
	case F_LANGUAGE: slot = &rec->language; break;
	case F_URL: slot = &rec->url; break;
	case F_PUBLISHER: slot = &rec->publisher; break;
	case F_DATABASE: slot = &rec->database; break;
	case F_NOTES: slot = &rec->notes; break;
	default: return 0;
	}
	*slot = v;
	return 0;
}

/* Builds the record for one data row. */
static int build_record(const header *h, const row *rw, qes_record *rec, qes_arena *a)
{
	qes__record_init(rec);
	rec->line = rw->line;
	rec->raw = qes__arena_strndup(a, rw->raw.buf ? rw->raw.buf : "", rw->raw.len);
	if (!rec->raw)
		return QES_ENOMEM;
	rec->raw_len = rw->raw.len;
	char *type_col = NULL, *page_start = NULL, *page_end = NULL, *zextra = NULL;
	size_t ncols = rw->ncols < h->n ? rw->ncols : h->n;
	for (size_t i = 0; i < ncols; i++) {
		const char *raw = row_value(rw, i);
		char *v = qes__delim_trimmed(a, raw);
		if (!v)
			continue;
		/* qes export put an apostrophe before a formula-like value. */
		if (h->own_export && v[0] == '\'' && qes__csv_formula_start(v + 1))
			v++;
		int f = h->role[i], rc = 0;
		switch (f) {
		case F_EXTRA:
			rc = qes__strlist_push(&rec->extra, a, h->names[i]);
			if (!rc)
				rc = qes__strlist_push(&rec->extra, a, v);
			break;
		case F_ZOTERO_EXTRA:
			zextra = v;
			rc = qes__strlist_push(&rec->extra, a, h->names[i]);
			if (!rc)
				rc = qes__strlist_push(&rec->extra, a, v);
			break;
		case F_TYPE: type_col = v; break;
		case F_AUTHORS: rc = qes__delim_split_authors(v, h->own_export, &rec->authors, a); break;
		case F_KEYWORDS: rc = qes__delim_split_keywords(v, h->own_export, &rec->keywords, a); break;
		case F_YEAR: rec->year = qes__year_from(v); break;
		case F_PAGE_START: page_start = v; break;
		case F_PAGE_END: page_end = v; break;
		default: rc = set_scalar(rec, f, v); break;
		}
		if (rc)
			return rc;
	}
	if (!rec->pages && page_start)
		rec->pages = page_end ? qes__arena_printf(a, "%s-%s", page_start, page_end)
				      : page_start;
	if (!rec->pmid && zextra)
		rec->pmid = pmid_in_extra(zextra, a);
	/* "type" is qes's normalised type when it is one; otherwise it is a
	 * type as some tool wrote it. */
	if (type_col && qes_type(type_col))
		rec->type = (char *)qes_type(type_col);
	else if (type_col && !rec->type_raw)
		rec->type_raw = type_col;
	if (!rec->type && rec->type_raw)
		rec->type = (char *)map_type(rec->type_raw);
	return 0;
}

/* --- The parser ---------------------------------------------------------- */

/* The most frequent of tab, comma and semicolon outside quotes; ties go
 * to tab, then comma. A one-column file has none: comma then. */
static char find_delimiter(const char *line)
{
	size_t tab = 0, comma = 0, semi = 0;
	int quoted = 0;
	for (const char *p = line; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == '\t')
			tab++;
		else if (!quoted && *p == ',')
			comma++;
		else if (!quoted && *p == ';')
			semi++;
	}
	if (tab && tab >= comma && tab >= semi)
		return '\t';
	if (semi > comma)
		return ';';
	return ',';
}

static int peek_first_line(lines *in, char *delim, qes_error *err)
{
	char *line;
	size_t len;
	int rc;
	do {
		rc = next_line(in, &line, &len, err);
		if (rc <= 0)
			return rc;
	} while (is_blank_str(line));
	*delim = in->delim = find_delimiter(line);
	/* Read it again as the header row. */
	in->replay = malloc(len + 1);
	if (!in->replay)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	memcpy(in->replay, line, len + 1);
	in->replay_len = len;
	in->replay_pos = 0;
	in->replay_line = in->line;
	return 1;
}

static int data_row(lines *in, const header *h, row *rw, int unclosed, qes_arena *a,
		    qes_sink *sink, qes_error *err)
{
	const char *file = qes__reader_name(in->r);
	char why[96] = "";
	if (rw->overflow == OV_NOMEM)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	if (rw->overflow)
		snprintf(why, sizeof(why), rw->overflow == OV_FIELD
			 ? "a value is longer than %u bytes" : "the row is longer than %u bytes",
			 rw->overflow == OV_FIELD ? QES_MAX_FIELD : QES_MAX_RECORD);
	/* An unclosed quote ran to the end of the file: the row that opened it
	 * is malformed, and the lines it swallowed are read again as rows,
	 * unless that has happened too often or they were too many to keep.
	 * The value it opened is the row's last: its column names the field. */
	const char *quoted = unclosed && rw->ncols && rw->ncols <= h->n
		? h->names[rw->ncols - 1] : NULL;
	if (unclosed && (in->replays >= MAX_REPLAYS || rw->overflow))
		return qes__sink_badf(sink, err, file, rw->line, quoted,
				      "a quoted value opened on line %ld is never closed; "
				      "lines %ld to %ld were not read (%s)", rw->quote_line,
				      rw->line, in->line, rw->overflow ? why
				      : "too many unclosed quotes: is this a CSV file?");
	if (unclosed) {
		int rc = qes__sink_badf(sink, err, file, rw->line, quoted,
					"a quoted value opened on line %ld is never closed "
					"(a stray \" at the start of a value?)", rw->quote_line);
		in->replays++;
		long resume;
		return rc ? rc : replay_tail(in, rw, h->n, 1, &resume, err);
	}
	/* A quoted value ran over line ends and the row came out wrong (too
	 * many columns, or text after its closing quote): a stray quote
	 * swallowed the rows after it until another quote. The broken row is
	 * one bad record; reading goes on at the next line that starts a row
	 * as wide as the header (when none does, the value really spans
	 * lines and the row is judged as it is). */
	if (rw->span_line && (rw->extra_data || rw->after_quote) && !rw->overflow &&
	    in->replays < MAX_REPLAYS) {
		in->replays++;
		long resume = 0;
		long last = in->line;
		int rc = replay_tail(in, rw, h->n, 0, &resume, err);
		if (rc)
			return rc;
		if (resume)
			return qes__sink_badf(sink, err, file, rw->line, NULL,
					      "a quoted value opened on line %ld is not closed on "
					      "its line (a stray \" at the start of a value?); the "
					      "rows after it (to line %ld) are read again from "
					      "line %ld", rw->span_line, last, resume);
		/* No row starts inside it: a value that really spans lines. */
	}
	if (rw->overflow)
		return qes__sink_badf(sink, err, file, rw->line, NULL, "%s", why);
	if (rw->extra_data)
		return qes__sink_badf(sink, err, file, rw->line, NULL,
				      "this row has %zu columns but the header has %zu "
				      "(a '%s' inside a value that is not quoted?)",
				      rw->ncols, h->n, in->delim == '\t' ? "\\t" :
				      in->delim == ';' ? ";" : ",");
	int all_blank = 1;
	for (size_t i = 0; i < rw->ncols && i < h->n && all_blank; i++)
		all_blank = is_blank_str(row_value(rw, i));
	if (all_blank)
		return 0;   /* ",,,," rows Excel leaves behind carry no record */
	qes_record rec;
	int rc = build_record(h, rw, &rec, a);
	if (rc)
		return qes_error_set(err, rc, "out of memory");
	rc = sink->record(sink, &rec, err);
	qes__arena_reset(a);
	return rc;
}

int qes__parse_delimited(qes_reader *r, qes_arena *a, qes_sink *sink, qes_error *err)
{
	lines in = { .r = r };
	header h;
	memset(&h, 0, sizeof(h));
	row rw;
	memset(&rw, 0, sizeof(rw));
	qes__strbuf_init(&rw.raw, QES_MAX_RECORD);
	qes__strbuf_init(&rw.vals, QES_MAX_RECORD);
	const char *file = qes__reader_name(r);
	char delim = ',';
	int unclosed = 0;
	int rc = peek_first_line(&in, &delim, err);
	if (rc <= 0)
		goto out;    /* an empty file has no records */
	/* The header is read with room for every column it may have. */
	rw.ncap = QES_MAX_CSV_COLUMNS + 1;
	rw.off = calloc(rw.ncap, sizeof(*rw.off));
	if (!rw.off) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	rc = read_row(&in, delim, &rw, &unclosed, err);
	if (rc <= 0)
		goto out;
	if (unclosed || rw.overflow) {
		rc = qes_error_at(err, unclosed ? QES_EFORMAT : QES_ELIMIT, file, rw.line, NULL,
				  "the header row %s", unclosed
				  ? "has a quoted name that is never closed"
				  : "is longer than the limits in qes/limits.h");
		goto out;
	}
	if (rw.ncols > QES_MAX_CSV_COLUMNS) {
		rc = qes_error_at(err, QES_ELIMIT, file, rw.line, NULL,
				  "the header has more than %d columns", QES_MAX_CSV_COLUMNS);
		goto out;
	}
	rc = header_build(&h, &rw, file, err);
	if (rc)
		goto out;
	rw.ncap = h.n;
	while ((rc = read_row(&in, delim, &rw, &unclosed, err)) == 1) {
		rc = data_row(&in, &h, &rw, unclosed, a, sink, err);
		if (rc)
			goto out;
	}
out:
	free(in.replay);
	free(rw.off);
	qes__strbuf_release(&rw.raw);
	qes__strbuf_release(&rw.vals);
	header_free(&h);
	return rc;
}
