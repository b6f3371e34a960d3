/* fuzz_dedup.c: the dedup normalisation and rules on arbitrary record text.
 * Titles, authors, journals and pages come from outside files; folding them
 * (markup, Unicode, notes, erratum citations, pages) must never crash, leak
 * or loop. Input: fields separated by '\n', two records separated by a
 * NUL byte: title, authors (';'), journal, volume, issue, pages, doi, year,
 * issn, isbn (the DOI's journal check reads both). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dedup_int.h"

static void parse(char *s, qes_record *r, char **au)
{
	memset(r, 0, sizeof(*r));
	char *f[10] = { 0 };
	for (int i = 0; i < 10 && s; i++) {
		f[i] = s;
		s = strchr(s, '\n');
		if (s)
			*s++ = '\0';
	}
	r->title = f[0];
	r->authors.items = au;
	for (char *p = f[1]; p && *p && r->authors.n < 8;) {
		au[r->authors.n++] = p;
		p = strchr(p, ';');
		if (p)
			*p++ = '\0';
	}
	r->journal = f[2];
	r->volume = f[3];
	r->issue = f[4];
	r->pages = f[5];
	r->doi = f[6];
	r->year = f[7] ? atoi(f[7]) : 0;
	r->issn = f[8];
	r->isbn = f[9];
	r->type = (char *)QES_TYPE_ARTICLE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	char *second = buf + strlen(buf) + 1;
	if (second > buf + size)
		second = buf + size;
	char *au1[8], *au2[8];
	qes_record a, b;
	parse(buf, &a, au1);
	parse(second, &b, au2);
	double t;
	char why[256];
	qes_dedup_compare(&a, &b, &t, why, sizeof(why));
	qes_arena ar;
	qes__arena_init(&ar, 4096);
	qes__dd_rec r[2];
	if (!qes__dd_prepare(&r[0], &a, &ar) && !qes__dd_prepare(&r[1], &b, &ar)) {
		uint64_t *pairs;
		size_t np;
		if (!qes__dd_block(r, 2, &pairs, &np))
			free(pairs);
	}
	qes__arena_free(&ar);
	free(buf);
	return 0;
}
