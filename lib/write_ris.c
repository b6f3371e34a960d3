/* write_ris.c: records as RIS (the 2011 RIS specification's tags, as
 * EndNote and Zotero write them). One tag per line, "TAG  - value", CRLF
 * line ends as the specification asks; repeated AU and KW for lists; the
 * PubMed id as "AN  - PMID:<digits>": a bare number in AN is also how
 * CINAHL and Embase write their own accession numbers, so say which it is
 * (docs/formats.md). */
#include "qes/export.h"

#include <stdio.h>
#include <string.h>

/* RIS reference types (TY), from the specification. */
static const char *const ris_types[] = {
	"ABST", "ADVS", "AGGR", "ANCIENT", "ART", "BILL", "BLOG", "BOOK", "CASE",
	"CHAP", "CHART", "CLSWK", "COMP", "CONF", "CPAPER", "CTLG", "DATA",
	"DBASE", "DICT", "EBOOK", "ECHAP", "EDBOOK", "EJOUR", "ELEC", "ENCYC",
	"EQUA", "FIGURE", "GEN", "GOVDOC", "GRANT", "HEAR", "ICOMM", "INPR",
	"JFULL", "JOUR", "LEGAL", "MANSCPT", "MAP", "MGZN", "MPCT", "MULTI",
	"MUSIC", "NEWS", "PAMP", "PAT", "PCOMM", "RPRT", "SER", "SLIDE", "SOUND",
	"STAND", "STAT", "THES", "UNBILL", "UNPB", "VIDEO", NULL
};

static const char *ris_type(const qes_record *rec)
{
	if (rec->type_raw)
		for (int i = 0; ris_types[i]; i++)
			if (!strcmp(rec->type_raw, ris_types[i]))
				return ris_types[i];
	static const struct { const char *type, *ty; } map[] = {
		{ QES_TYPE_ARTICLE, "JOUR" }, { QES_TYPE_BOOK, "BOOK" },
		{ QES_TYPE_CHAPTER, "CHAP" }, { QES_TYPE_CONFERENCE, "CPAPER" },
		{ QES_TYPE_THESIS, "THES" }, { QES_TYPE_REPORT, "RPRT" },
		{ QES_TYPE_WEB, "ELEC" }, { QES_TYPE_PREPRINT, "UNPB" },
		{ QES_TYPE_DATASET, "DATA" },
	};
	for (size_t i = 0; rec->type && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(rec->type, map[i].type))
			return map[i].ty;
	return "GEN";
}

/* "TAG  - value" with line breaks turned into spaces (a RIS value is one
 * line; normalised fields have none, this guards the format). */
static void tag_n(FILE *fp, const char *tag, const char *v, size_t n)
{
	if (!v || !n)
		return;
	fprintf(fp, "%s  - ", tag);
	for (size_t i = 0; i < n; i++)
		fputc(v[i] == '\n' || v[i] == '\r' ? ' ' : v[i], fp);
	fputs("\r\n", fp);
}

static void tag(FILE *fp, const char *t, const char *v)
{
	if (v && *v)
		tag_n(fp, t, v, strlen(v));
}

static void tag_list(FILE *fp, const char *t, const qes_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		tag(fp, t, l->items[i]);
}

/* "123-130" -> SP 123, EP 130; anything without a dash is SP alone. */
static void pages(FILE *fp, const char *p)
{
	if (!p || !*p)
		return;
	const char *dash = strchr(p, '-');
	if (!dash || dash == p || !dash[1]) {
		tag(fp, "SP", p);
		return;
	}
	tag_n(fp, "SP", p, (size_t)(dash - p));
	tag(fp, "EP", dash + 1);
}

int qes_write_ris(FILE *fp, const qes_record *rec)
{
	if (!rec)
		return -1;
	fprintf(fp, "TY  - %s\r\n", ris_type(rec));
	tag(fp, "ID", rec->source_key);
	tag(fp, "TI", rec->title);
	tag_list(fp, "AU", &rec->authors);
	if (rec->year)
		fprintf(fp, "PY  - %d\r\n", rec->year);
	tag(fp, "DA", rec->date);
	tag(fp, "T2", rec->journal);
	tag(fp, "VL", rec->volume);
	tag(fp, "IS", rec->issue);
	pages(fp, rec->pages);
	tag(fp, "AB", rec->abstract);
	tag(fp, "DO", rec->doi);
	if (rec->pmid)
		fprintf(fp, "AN  - PMID:%s\r\n", rec->pmid);
	tag(fp, "SN", rec->issn);
	tag(fp, "SN", rec->isbn);
	tag_list(fp, "KW", &rec->keywords);
	tag(fp, "LA", rec->language);
	tag(fp, "UR", rec->url);
	tag(fp, "PB", rec->publisher);
	tag(fp, "DB", rec->database);
	tag(fp, "N1", rec->notes);
	fputs("ER  - \r\n\r\n", fp);
	return ferror(fp) ? -1 : 0;
}
