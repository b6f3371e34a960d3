/* THROWAWAY dev CSV parser (not committed). */
#include "parser.h"
#include "strbuf.h"
#include "qes/limits.h"
#include <string.h>
#include <strings.h>
#include <stdlib.h>

#define MAXC 64
static int split(char *s, size_t len, char **cells, int *nc, qes_strbuf *acc, int *inq)
{
	(void)len;
	for (char *p = s;; p++) {
		char c = *p;
		if (*inq) {
			if (c == 0) { qes__strbuf_add(acc, "\n", 1); return 1; }
			if (c == '"') { if (p[1] == '"') { qes__strbuf_add(acc, "\"", 1); p++; } else *inq = 0; }
			else qes__strbuf_add(acc, &c, 1);
		} else {
			if (c == '"') { *inq = 1; continue; }
			if (c == ',' || c == 0) {
				if (*nc < MAXC) cells[(*nc)++] = strdup(acc->buf ? acc->buf : "");
				acc->len = 0; if (acc->buf) acc->buf[0] = 0;
				if (c == 0) return 0;
				continue;
			}
			qes__strbuf_add(acc, &c, 1);
		}
	}
}
int qes__parse_delimited(qes_reader *r, qes_arena *a, qes_sink *sink, qes_error *err)
{
	char *line; size_t len; int rc;
	char *hdr[MAXC]; int nh = 0; char *cells[MAXC]; int nc = 0, inq = 0, first = 1;
	qes_strbuf acc; qes__strbuf_init(&acc, QES_MAX_FIELD);
	long ord = 0;
	while ((rc = qes__reader_getline(r, &line, &len, err)) == 1) {
		if (split(line, len, first ? hdr : cells, first ? &nh : &nc, &acc, &inq)) continue;
		if (first) { first = 0; continue; }
		qes_record rec; qes__record_init(&rec);
		rec.ordinal = ++ord;
		for (int i = 0; i < nc && i < nh; i++) {
			char *v = qes__arena_strdup(a, cells[i]);
			if (!strcasecmp(hdr[i], "title")) rec.title = v;
			else if (!strcasecmp(hdr[i], "abstract")) rec.abstract = v;
			else if (!strcasecmp(hdr[i], "record_id")) rec.source_key = v;
			else if (!strcasecmp(hdr[i], "keywords")) qes__strlist_push(&rec.keywords, a, v);
			else { qes__strlist_push(&rec.extra, a, qes__arena_strdup(a, hdr[i])); qes__strlist_push(&rec.extra, a, v); }
			free(cells[i]);
		}
		for (int i = nh; i < nc; i++) free(cells[i]);
		nc = 0;
		qes__record_normalise(&rec, a);
		rc = sink->record(sink, &rec, err);
		qes__arena_reset(a);
		if (rc < 0) break;
	}
	for (int i = 0; i < nh; i++) free(hdr[i]);
	qes__strbuf_release(&acc);
	return rc < 0 ? rc : 0;
}
