/* write_csv.c: records as CSV. One header row (source_key and the
 * normalised fields in qes_record_field_names order), one row per record,
 * RFC 4180: CRLF line ends, values quoted when they hold a comma, a quote,
 * a line break or spaces at either end, quotes doubled. UTF-8 without a BOM.
 * A value a spreadsheet would run as a formula (it starts with = + - @, a
 * tab or a CR, after any apostrophes) gets one more apostrophe in front,
 * unless raw: qes's CSV reader takes it off again. docs/formats.md says why
 * these choices. */
#include "qes/export.h"
#include "parser.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

int qes__csv_formula_start(const char *s)
{
	while (*s == '\'')
		s++;
	return *s && strchr("=+-@\t\r", *s) != NULL;
}

static int needs_quotes(const char *s)
{
	size_t n = strlen(s);
	return n && (s[0] == ' ' || s[n - 1] == ' ' || strpbrk(s, ",\"\r\n") != NULL);
}

static void put_quoted_part(FILE *fp, const char *s)
{
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
}

/* One CSV value; NULL and "" are an empty value. */
static void put_value(FILE *fp, const char *s, int raw)
{
	if (!s || !*s)
		return;
	if (!raw && qes__csv_formula_start(s)) {
		fputs("\"'", fp);
		put_quoted_part(fp, s);
		fputc('"', fp);
		return;
	}
	if (!needs_quotes(s)) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	put_quoted_part(fp, s);
	fputc('"', fp);
}

/* A list as one value, items joined by "; " (the CSV reader splits a
 * qes export on ";" again, and only on ";"). */
static void put_list(FILE *fp, const qes_strlist *l, int raw)
{
	int quote = 0, formula = 0;
	for (size_t i = 0, w = 0; i < l->n; i++) {
		if (l->items[i] && (strpbrk(l->items[i], ",\"\r\n") ||
				    (i == 0 && l->items[i][0] == ' ')))
			quote = 1;
		if (l->items[i] && *l->items[i] && !w++ && !raw &&
		    qes__csv_formula_start(l->items[i]))
			quote = formula = 1;
	}
	if (quote)
		fputc('"', fp);
	if (formula)
		fputc('\'', fp);
	for (size_t i = 0, w = 0; i < l->n; i++) {
		if (!l->items[i] || !*l->items[i])
			continue;
		if (w++)
			fputs("; ", fp);
		if (quote)
			put_quoted_part(fp, l->items[i]);
		else
			fputs(l->items[i], fp);
	}
	if (quote)
		fputc('"', fp);
}

static const qes_strlist *list_field(const qes_record *rec, const char *name)
{
	if (!strcmp(name, "authors"))
		return &rec->authors;
	if (!strcmp(name, "keywords"))
		return &rec->keywords;
	return NULL;
}

static const char *text_field(const qes_record *rec, const char *name)
{
	static const struct { const char *name; size_t off; } fields[] = {
		{ "source_key", offsetof(qes_record, source_key) },
		{ "type", offsetof(qes_record, type) },
		{ "type_raw", offsetof(qes_record, type_raw) },
		{ "title", offsetof(qes_record, title) },
		{ "abstract", offsetof(qes_record, abstract) },
		{ "date", offsetof(qes_record, date) },
		{ "journal", offsetof(qes_record, journal) },
		{ "volume", offsetof(qes_record, volume) },
		{ "issue", offsetof(qes_record, issue) },
		{ "pages", offsetof(qes_record, pages) },
		{ "doi", offsetof(qes_record, doi) },
		{ "pmid", offsetof(qes_record, pmid) },
		{ "issn", offsetof(qes_record, issn) },
		{ "isbn", offsetof(qes_record, isbn) },
		{ "language", offsetof(qes_record, language) },
		{ "url", offsetof(qes_record, url) },
		{ "publisher", offsetof(qes_record, publisher) },
		{ "database", offsetof(qes_record, database) },
		{ "notes", offsetof(qes_record, notes) },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(name, fields[i].name))
			return *(char *const *)((const char *)rec + fields[i].off);
	return NULL;
}

int qes_write_csv_header(FILE *fp)
{
	for (int i = 0; qes_record_field_names[i]; i++) {
		if (i)
			fputc(',', fp);
		fputs(qes_record_field_names[i], fp);
	}
	fputs("\r\n", fp);
	return ferror(fp) ? -1 : 0;
}

int qes_write_csv(FILE *fp, const qes_record *rec)
{
	return qes_write_csv_raw(fp, rec, 0);
}

int qes_write_csv_raw(FILE *fp, const qes_record *rec, int raw)
{
	if (!rec)
		return -1;
	for (int i = 0; qes_record_field_names[i]; i++) {
		const char *name = qes_record_field_names[i];
		const qes_strlist *l;
		if (i)
			fputc(',', fp);
		if (!strcmp(name, "year")) {
			if (rec->year)
				fprintf(fp, "%d", rec->year);
		} else if ((l = list_field(rec, name))) {
			put_list(fp, l, raw);
		} else {
			put_value(fp, text_field(rec, name), raw);
		}
	}
	fputs("\r\n", fp);
	return ferror(fp) ? -1 : 0;
}
