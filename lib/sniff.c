/* sniff.c: what a file is, told from its content (never its extension):
 * SHA-256, byte-order mark and encoding, line endings, and format. */
#include "qes/import.h"
#include "qes/limits.h"
#include "parser.h"

#include <ctype.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HEAD_BYTES (64 * 1024)

typedef struct sniffer {
	/* OpenSSL's SHA-256 uses the CPU's SHA instructions: about 8x
	 * libsodium's portable code here (bench/README.md). */
	EVP_MD_CTX *sha;
	unsigned long long bytes;
	unsigned char head[HEAD_BYTES];
	size_t head_len;
	/* UTF-8 validation state across chunks */
	int utf8_need;          /* continuation bytes still expected */
	int utf8_bad;
	/* 8-bit statistics for guessing a legacy encoding */
	unsigned long high_bytes, high_pairs, c1_undefined_1252;
	int prev_high;
	/* line endings */
	unsigned long lf, crlf, cr;
	int prev_cr;
	unsigned long ty_lines, pmid_lines;   /* lines starting "TY  -", "PMID-" */
	unsigned long nul;
} sniffer;

static void sniffer_init(sniffer *s)
{
	memset(s, 0, sizeof(*s));
	s->sha = EVP_MD_CTX_new();
	if (s->sha && EVP_DigestInit_ex(s->sha, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(s->sha);
		s->sha = NULL;
	}
}

static void sniffer_free(sniffer *s)
{
	if (s)
		EVP_MD_CTX_free(s->sha);
	free(s);
}

/* Line ends by memchr: LF files cost one fast pass; CRs are looked at one
 * by one (a CR that ended the previous chunk may pair with an LF here). */
static void count_line_ends(sniffer *s, const unsigned char *p, size_t n)
{
	unsigned long lf = 0, crlf = 0, cr = 0;
	for (const unsigned char *q = p, *e = p + n; (q = memchr(q, '\n', (size_t)(e - q))); q++) {
		lf++;
		/* Record starts, to weigh the count a parser finds against. */
		if (e - q > 5 && !memcmp(q + 1, "TY  -", 5))
			s->ty_lines++;
		else if (e - q > 5 && !memcmp(q + 1, "PMID-", 5))
			s->pmid_lines++;
	}
	if (s->prev_cr && n && p[0] == '\n') {
		/* counted as a lone CR last time: it was half of a CRLF */
		s->cr--;
		crlf++;
	}
	for (const unsigned char *q = p, *e = p + n; (q = memchr(q, '\r', (size_t)(e - q))); q++) {
		if (q + 1 < e && q[1] == '\n')
			crlf++;
		else
			cr++;
	}
	s->lf += lf - crlf;
	s->crlf += crlf;
	s->cr += cr;
	s->prev_cr = n && p[n - 1] == '\r';
}

static void sniffer_feed(sniffer *s, const unsigned char *p, size_t n)
{
	if (s->sha)
		EVP_DigestUpdate(s->sha, p, n);
	if (s->head_len < HEAD_BYTES) {
		size_t take = HEAD_BYTES - s->head_len < n ? HEAD_BYTES - s->head_len : n;
		memcpy(s->head + s->head_len, p, take);
		s->head_len += take;
	}
	s->bytes += n;
	count_line_ends(s, p, n);
	if (memchr(p, 0, n))
		s->nul++;
	/* Encoding statistics. Exports are mostly ASCII: skip eight ASCII
	 * bytes at a time and look closely only around high bytes. */
	size_t i = 0;
	while (i < n) {
		if (!s->utf8_need && !s->prev_high && i + 8 <= n) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (!(w & 0x8080808080808080ull)) {
				i += 8;
				continue;
			}
		}
		unsigned char c = p[i++];
		if (c < 0x80) {
			if (s->utf8_need)
				s->utf8_bad++, s->utf8_need = 0;
			s->prev_high = 0;
			continue;
		}
		s->high_bytes++;
		if (s->prev_high) {
			s->high_pairs++;
			s->prev_high = 0;
		} else {
			s->prev_high = 1;
		}
		if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D)
			s->c1_undefined_1252++;
		if (s->utf8_need) {
			if ((c & 0xC0) == 0x80)
				s->utf8_need--;
			else
				s->utf8_bad++, s->utf8_need = 0;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			s->utf8_need = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			s->utf8_need = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			s->utf8_need = 3;
		else
			s->utf8_bad++;
	}
}

/* Decodes the head into UTF-8 for format detection (UTF-16 only; 8-bit
 * heads are ASCII enough where the format's markers are). */
static size_t head_utf8(const sniffer *s, const char *enc, char *out, size_t outlen)
{
	const unsigned char *h = s->head;
	size_t n = s->head_len, w = 0;
	if (!strcmp(enc, "UTF-16LE") || !strcmp(enc, "UTF-16BE")) {
		int le = enc[6] == 'L';
		for (size_t i = 2; i + 1 < n && w + 1 < outlen; i += 2) {
			unsigned u = le ? (unsigned)(h[i] | h[i + 1] << 8)
					: (unsigned)(h[i] << 8 | h[i + 1]);
			out[w++] = u < 0x80 ? (char)u : '?';
		}
	} else {
		size_t skip = n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF ? 3 : 0;
		w = n - skip < outlen - 1 ? n - skip : outlen - 1;
		memcpy(out, h + skip, w);
	}
	out[w] = '\0';
	return w;
}

static int sniffer_finish(sniffer *s, qes_sniff *out, qes_error *err, const char *name)
{
	memset(out, 0, sizeof(*out));
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	if (!s->sha || EVP_DigestFinal_ex(s->sha, digest, &dlen) != 1 || dlen != 32)
		return qes_error_set(err, QES_ENOMEM, "cannot compute SHA-256");
	static const char hex[] = "0123456789abcdef";
	for (unsigned i = 0; i < dlen; i++) {
		out->sha256[2 * i] = hex[digest[i] >> 4];
		out->sha256[2 * i + 1] = hex[digest[i] & 15];
	}
	out->sha256[64] = '\0';
	out->bytes = s->bytes;
	out->lines = s->lf + s->crlf + s->cr;
	if (s->head_len && s->head[s->head_len - 1] != '\n' && s->head_len == s->bytes)
		out->lines++;
	{
		const unsigned char *h0 = s->head;
		size_t skip = s->head_len >= 3 && h0[0] == 0xEF && h0[1] == 0xBB ? 3 : 0;
		out->ty_lines = s->ty_lines + (s->head_len >= skip + 5 &&
					       !memcmp(h0 + skip, "TY  -", 5));
		out->pmid_lines = s->pmid_lines + (s->head_len >= skip + 5 &&
						   !memcmp(h0 + skip, "PMID-", 5));
	}
	const unsigned char *h = s->head;
	const char *enc;
	if (s->head_len >= 2 && h[0] == 0xFF && h[1] == 0xFE) {
		enc = "UTF-16LE";
		out->bom = 1;
	} else if (s->head_len >= 2 && h[0] == 0xFE && h[1] == 0xFF) {
		enc = "UTF-16BE";
		out->bom = 1;
	} else {
		if (s->head_len >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF)
			out->bom = 1;
		/* A REFI-QDA project is a zip holding project.qde: it has its
		 * own command. */
		static const char qdpx_ext[] = ".qdpx";
		size_t nl = strlen(name);
		if (s->head_len >= 4 && !memcmp(h, "PK\x03\x04", 4) &&
		    ((nl >= 5 && !strcasecmp(name + nl - 5, qdpx_ext)) ||
		     memmem(h, s->head_len, "project.qde", 11)))
			return qes_error_at(err, QES_EFORMAT, name, 0, NULL,
					    "this is a REFI-QDA project (.qdpx), not a "
					    "bibliographic export: import it with "
					    "'qes qdpx import REVIEW %s'", name);
		if (s->nul)
			return qes_error_at(err, QES_EFORMAT, name, 0, NULL,
					    "contains NUL bytes: this is a binary file "
					    "(a zip, PDF or database?), not a text export");
		if (!s->utf8_bad && !s->utf8_need) {
			enc = "UTF-8";
		} else if (s->high_bytes && s->high_pairs * 2 * 10 >= s->high_bytes * 8) {
			/* Nearly every high byte comes in pairs: a double-byte
			 * Chinese encoding, not Western text where accented
			 * letters stand between ASCII ones. */
			enc = "GB18030";
			out->encoding_guessed = 1;
		} else if (s->c1_undefined_1252) {
			enc = "ISO-8859-1";
			out->encoding_guessed = 1;
		} else {
			enc = "WINDOWS-1252";
			out->encoding_guessed = 1;
		}
	}
	snprintf(out->encoding, sizeof(out->encoding), "%s", enc);
	if (!strncmp(enc, "UTF-16", 6)) {
		snprintf(out->eol, sizeof(out->eol), "%s", "?");
	} else {
		int kinds = (s->lf > 0) + (s->crlf > 0) + (s->cr > 0);
		snprintf(out->eol, sizeof(out->eol), "%s",
			 kinds == 0 ? "none" : kinds > 1 ? "mixed"
			 : s->lf ? "LF" : s->crlf ? "CRLF" : "CR");
	}
	char *text = malloc(HEAD_BYTES + 1);
	if (!text)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	size_t tl = head_utf8(s, enc, text, HEAD_BYTES + 1);
	const char *also = NULL;
	const char *fmt = qes_detect_format_both(text, tl, &also);
	free(text);
	snprintf(out->format, sizeof(out->format), "%s", fmt && !also ? fmt : "");
	if (also) {
		snprintf(out->plausible[0], sizeof(out->plausible[0]), "%s", fmt);
		snprintf(out->plausible[1], sizeof(out->plausible[1]), "%s", also);
	}
	return 0;
}

int qes_sniff_file(const char *path, qes_sniff *out, qes_error *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return qes_error_at(err, QES_EIO, path, 0, NULL, "cannot open: %s",
				    strerror(errno));
	sniffer *s = calloc(1, sizeof(*s));
	unsigned char *buf = malloc(1 << 20);
	int rc = 0;
	if (!s || !buf) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	sniffer_init(s);
	size_t n;
	while ((n = fread(buf, 1, 1 << 20, fp)) > 0) {
		sniffer_feed(s, buf, n);
		if (s->bytes > QES_MAX_FILE_BYTES) {
			rc = qes_error_at(err, QES_ELIMIT, path, 0, NULL,
					  "larger than %llu bytes", QES_MAX_FILE_BYTES);
			goto out;
		}
	}
	if (ferror(fp)) {
		rc = qes_error_at(err, QES_EIO, path, 0, NULL, "read error: %s", strerror(errno));
		goto out;
	}
	rc = sniffer_finish(s, out, err, path);
out:
	free(buf);
	sniffer_free(s);
	fclose(fp);
	return rc;
}

int qes_sniff_mem(const void *data, size_t len, qes_sniff *out, qes_error *err)
{
	sniffer *s = malloc(sizeof(*s));
	if (!s)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	sniffer_init(s);
	sniffer_feed(s, data, len);
	int rc = sniffer_finish(s, out, err, "<memory>");
	sniffer_free(s);
	return rc;
}

/* --- Format detection ---------------------------------------------------- */

static const char *next_line(const char *p, const char *end, const char **eol)
{
	const char *e = p;
	while (e < end && *e != '\n' && *e != '\r')
		e++;
	*eol = e;
	while (e < end && (*e == '\n' || *e == '\r'))
		e++;
	return e;
}

static int is_blank(const char *p, const char *e)
{
	for (; p < e; p++)
		if (!isspace((unsigned char)*p))
			return 0;
	return 1;
}

/* "TY  - JOUR": two tag characters, two spaces, a hyphen. Some producers
 * write one space or none after the hyphen. */
static int is_ris_tag_line(const char *p, const char *e, const char *tag)
{
	if (e - p < 5)
		return 0;
	if (tag && strncmp(p, tag, 2))
		return 0;
	return isupper((unsigned char)p[0]) && isalnum((unsigned char)p[1]) &&
	       p[2] == ' ' && p[3] == ' ' && p[4] == '-';
}

/* MEDLINE: a tag of up to four capitals padded to four, then "- ". */
static int is_medline_line(const char *p, const char *e, const char *tag)
{
	if (e - p < 6 || p[4] != '-')
		return 0;
	if (tag)
		return !strncmp(p, tag, strlen(tag));
	for (int i = 0; i < 4; i++)
		if (!(isupper((unsigned char)p[i]) || (i > 0 && p[i] == ' ')))
			return 0;
	return 1;
}

/* The delimiter of a header row and its cells outside quotes; 0 if none. */
static char header_delimiter(const char *p, const char *e, int *cells)
{
	static const char delims[] = { ',', '\t', ';' };
	char best = 0;
	int most = 0;
	for (size_t d = 0; d < sizeof(delims); d++) {
		int n = 0, inq = 0;
		for (const char *c = p; c < e; c++) {
			if (*c == '"')
				inq = !inq;
			else if (*c == delims[d] && !inq)
				n++;
		}
		if (n > most) {
			most = n;
			best = delims[d];
		}
	}
	*cells = most + 1;
	return best;
}

/* How many cells of the row p..e (split by delim) are column names the CSV
 * reader knows. */
static int known_cells(const char *p, const char *e, char delim)
{
	int known = 0;
	while (p <= e) {
		const char *c = p;
		int inq = 0;
		while (c < e && (inq || *c != delim)) {
			if (*c == '"')
				inq = !inq;
			c++;
		}
		const char *a = p, *b = c;
		while (a < b && (isspace((unsigned char)*a) || *a == '"'))
			a++;
		while (b > a && (isspace((unsigned char)b[-1]) || b[-1] == '"'))
			b--;
		if (b > a && qes__delim_known_column(a, (size_t)(b - a)))
			known++;
		p = c + 1;
	}
	return known;
}

static int is_bibtex_entry(const char *q, const char *eol)
{
	const char *s = q;
	while (s < eol && isspace((unsigned char)*s))
		s++;
	if (s >= eol || *s != '@')
		return 0;
	s++;
	const char *name = s;
	while (s < eol && isalpha((unsigned char)*s))
		s++;
	if (s == name)
		return 0;
	while (s < eol && isspace((unsigned char)*s))
		s++;
	return s < eol && (*s == '{' || *s == '(');
}

const char *qes_detect_format_both(const char *text, size_t len, const char **also)
{
	if (also)
		*also = NULL;
	const char *p = text, *end = text + len, *eol;
	if (len >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
	    (unsigned char)p[2] == 0xBF)
		p += 3;
	int lines = 0, ris = 0, ris_starts = 0, medline = 0, wos = 0, wos_head = 0;
	int prev_blank = 1, prev_er = 0;
	const char *first = NULL, *first_end = NULL, *second = NULL, *second_end = NULL;
	for (const char *q = p; q < end && lines < 400; lines++) {
		const char *next = next_line(q, end, &eol);
		int blank = is_blank(q, eol);
		if (!blank) {
			if (!first) {
				first = q;
				first_end = eol;
			} else if (!second) {
				second = q;
				second_end = eol;
			}
			if (is_ris_tag_line(q, eol, "TY")) {
				ris += 10;
				/* A record start: the file's first line, or after a
				 * blank line or the previous record's ER. */
				if (q == first || prev_blank || prev_er)
					ris_starts++;
			} else if (is_ris_tag_line(q, eol, "ER")) {
				ris += 2;
			} else if (is_ris_tag_line(q, eol, NULL)) {
				ris++;
			}
			if (is_medline_line(q, eol, "PMID"))
				medline += 10;
			else if (is_medline_line(q, eol, NULL))
				medline++;
			if (eol - q >= 3 && isupper((unsigned char)q[0]) &&
			    isalnum((unsigned char)q[1]) && (q[2] == ' ' || eol - q == 2)) {
				wos++;
				if (!strncmp(q, "FN ", 3) || !strncmp(q, "VR ", 3) ||
				    !strncmp(q, "PT ", 3))
					wos_head++;
			}
			prev_er = is_ris_tag_line(q, eol, "ER");
		}
		prev_blank = blank;
		q = next;
	}
	if (!first)
		return NULL;
	/* XML: EndNote, Zotero and Mendeley write <xml><records><record>.
	 * Any XML goes to the EndNote XML parser, which names what it found
	 * when the root is not <xml><records>. */
	const char *f = first;
	while (f < end && isspace((unsigned char)*f))
		f++;
	if (f < end && *f == '<')
		return "endnote-xml";
	/* The first line weighs most: a header row of known column names is a
	 * table whatever its cells hold ("TY  - JOUR" or "@misc{" in an
	 * abstract); a tagged file starts with its record tag. */
	int cells = 0;
	char delim = header_delimiter(first, first_end, &cells);
	if (delim && !is_ris_tag_line(first, first_end, NULL) &&
	    known_cells(first, first_end, delim) >= 1)
		return "csv";
	if (is_ris_tag_line(first, first_end, "TY"))
		return "ris";
	if (is_medline_line(first, first_end, "PMID"))
		return "medline";
	if (wos_head && wos >= 3 && (!strncmp(first, "FN ", 3) || !strncmp(first, "PT ", 3)))
		return "wos";
	if (is_bibtex_entry(first, first_end))
		return "bibtex";
	/* Otherwise count what the first 400 lines hold. */
	const char *guess = NULL;
	if (ris >= 10 && ris >= medline)
		guess = "ris";
	else if (medline >= 10)
		guess = "medline";
	else if (wos_head && wos >= 3)
		guess = "wos";
	for (const char *q = p; !guess && q < end;) {
		const char *next = next_line(q, end, &eol);
		if (is_bibtex_entry(q, eol))
			guess = "bibtex";
		q = next;
	}
	if (!guess && ris > 0 && ris >= medline)
		guess = "ris";
	/* A first row that splits like the next one is a table too: with
	 * another format's marks further down, both are plausible and the
	 * user must say which. */
	int plausible_csv = 0;
	if (delim) {
		int next_cells = 0;
		if (second)
			(void)header_delimiter(second, second_end, &next_cells);
		plausible_csv = !second || next_cells == cells;
	}
	if (guess) {
		if (plausible_csv && also)
			*also = "csv";
		return guess;
	}
	/* A header row with a delimiter: CSV, TSV or semicolon-separated. */
	if (delim)
		return "csv";
	/* One column with a header: still a delimited file. */
	if (first_end - first > 0 && first_end < end)
		return "csv";
	return NULL;
}

const char *qes_detect_format(const char *text, size_t len)
{
	const char *also;
	const char *fmt = qes_detect_format_both(text, len, &also);
	return also ? NULL : fmt;
}

int qes_format_lookup(const char *name, const char **canonical)
{
	static const struct { const char *alias, *name; } names[] = {
		{ "ris", "ris" }, { "medline", "medline" }, { "nbib", "medline" },
		{ "pubmed", "medline" }, { "wos", "wos" }, { "ciw", "wos" },
		{ "bibtex", "bibtex" }, { "bib", "bibtex" },
		{ "endnote-xml", "endnote-xml" }, { "endnote", "endnote-xml" },
		{ "xml", "endnote-xml" }, { "csv", "csv" }, { "tsv", "csv" },
		{ "tab", "csv" }, { "delimited", "csv" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(name, names[i].alias)) {
			if (canonical)
				*canonical = names[i].name;
			return 1;
		}
	return 0;
}
