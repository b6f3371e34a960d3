/* table_model.c: the table and document model (qes/table.h), CSV in and
 * out, HTML out, and qes_table_export, which routes a command's table to
 * the writer its file's extension names. */
#include "qes/table.h"
#include "qes/limits.h"
#include "replace_file.h"
#include "strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int oom(qes_error *err)
{
	return qes_error_set(err, QES_ENOMEM, "out of memory");
}

static size_t cells_total(const qes_table *t)
{
	size_t n = 0;
	for (size_t i = 0; i < t->n_rows; i++)
		n += t->rows[i].n;
	return n;
}

qes_table *qes_table_new(void)
{
	return calloc(1, sizeof(qes_table));
}

void qes_table_free(qes_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_rows; i++) {
		for (size_t j = 0; j < t->rows[i].n; j++) {
			free(t->rows[i].cells[j].text);
			free(t->rows[i].cells[j].title);
			free(t->rows[i].cells[j].cls);
		}
		free(t->rows[i].cells);
	}
	free(t->rows);
	free(t->caption);
	free(t);
}

int qes_table_add_row(qes_table *t, int header, qes_error *err)
{
	if (t->n_rows == t->alloc) {
		size_t a = t->alloc ? t->alloc * 2 : 16;
		qes_table_row *r = realloc(t->rows, a * sizeof(*r));
		if (!r)
			return oom(err);
		t->rows = r;
		t->alloc = a;
	}
	t->rows[t->n_rows++] = (qes_table_row){ .header = header };
	return 0;
}

static char *dup_or_null(const char *s, int *fail)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*fail = 1;
	return d;
}

int qes_table_add_cell(qes_table *t, const char *text, const char *title, const char *cls,
		   qes_error *err)
{
	if (!t->n_rows && qes_table_add_row(t, 0, err))
		return QES_ENOMEM;
	if (cells_total(t) >= QES_MAX_TABLE_CELLS)
		return qes_error_set(err, QES_ELIMIT, "a table may have at most %u cells",
				     QES_MAX_TABLE_CELLS);
	qes_table_row *r = &t->rows[t->n_rows - 1];
	/* Rows grow one cell at a time; powers of two keep that linear. */
	if ((r->n & (r->n - 1)) == 0 || r->n < 4) {
		size_t want = r->n < 4 ? 4 : r->n * 2;
		qes_table_cell *c = realloc(r->cells, want * sizeof(*c));
		if (!c)
			return oom(err);
		r->cells = c;
	}
	int fail = 0;
	qes_table_cell c = { dup_or_null(text ? text : "", &fail), dup_or_null(title, &fail),
			     dup_or_null(cls, &fail) };
	if (fail) {
		free(c.text);
		free(c.title);
		free(c.cls);
		return oom(err);
	}
	r->cells[r->n++] = c;
	return 0;
}

int qes_table_set_caption(qes_table *t, const char *caption, qes_error *err)
{
	char *c = caption ? strdup(caption) : NULL;
	if (caption && !c)
		return oom(err);
	free(t->caption);
	t->caption = c;
	return 0;
}

size_t qes_table_width(const qes_table *t)
{
	size_t w = 0;
	for (size_t i = 0; i < t->n_rows; i++)
		if (t->rows[i].n > w)
			w = t->rows[i].n;
	return w;
}

int qes_table_drop_empty_columns(qes_table *t, char **dropped, qes_error *err)
{
	*dropped = NULL;
	size_t w = qes_table_width(t), body = 0;
	for (size_t i = 0; i < t->n_rows; i++)
		body += !t->rows[i].header;
	if (!body || w < 2)
		return 0;
	unsigned char *empty = calloc(w, 1);
	if (!empty)
		return oom(err);
	for (size_t col = 1; col < w; col++) {
		empty[col] = 1;
		for (size_t i = 0; i < t->n_rows && empty[col]; i++) {
			const qes_table_row *r = &t->rows[i];
			if (!r->header && col < r->n && r->cells[col].text[0])
				empty[col] = 0;
		}
	}
	/* The names, left to right ("column N" when the header is blank). */
	qes_strbuf names;
	qes__strbuf_init(&names, 1u << 20);
	for (size_t col = 1; col < w; col++) {
		if (!empty[col])
			continue;
		const char *name = "";
		for (size_t i = 0; i < t->n_rows && !*name; i++)
			if (t->rows[i].header && col < t->rows[i].n)
				name = t->rows[i].cells[col].text;
		qes__strbuf_addstr(&names, names.len ? ", " : "");
		if (*name)
			qes__strbuf_addstr(&names, name);
		else
			qes__strbuf_addf(&names, "column %zu", col + 1);
	}
	if (names.len && !qes__strbuf_str(&names)) {
		qes__strbuf_release(&names);
		free(empty);
		return oom(err);
	}
	/* Then the cells, right to left so the indices hold. */
	for (size_t col = w; col-- > 1;) {
		if (!empty[col])
			continue;
		for (size_t i = 0; i < t->n_rows; i++) {
			qes_table_row *r = &t->rows[i];
			if (col >= r->n)
				continue;
			free(r->cells[col].text);
			free(r->cells[col].title);
			free(r->cells[col].cls);
			memmove(&r->cells[col], &r->cells[col + 1], (r->n - col - 1) * sizeof(*r->cells));
			r->n--;
		}
	}
	free(empty);
	if (names.len)
		*dropped = qes__strbuf_detach(&names, NULL);
	else
		qes__strbuf_release(&names);
	return 0;
}

/* --- CSV ----------------------------------------------------------------- */

int qes_table_from_csv(const char *csv, size_t len, qes_table **out, qes_error *err)
{
	*out = NULL;
	qes_table *t = qes_table_new();
	qes_strbuf f;
	qes__strbuf_init(&f, QES_MAX_FIELD);
	int rc = 0;
	size_t i = 0, cols = 0;
	long line = 1;
	if (!t)
		return oom(err);
	if (len >= 3 && !memcmp(csv, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len) {
		if ((rc = qes_table_add_row(t, t->n_rows == 0, err)))
			goto out;
		cols = 0;
		for (;;) {
			qes__strbuf_reset(&f);
			if (i < len && csv[i] == '"') {
				long start = line;
				i++;
				for (;;) {
					if (i >= len) {
						rc = qes_error_at(err, QES_EFORMAT, "CSV", start, "",
								  "a quoted field is not closed");
						goto out;
					}
					if (csv[i] == '"') {
						if (i + 1 < len && csv[i + 1] == '"') {
							qes__strbuf_addch(&f, '"');
							i += 2;
							continue;
						}
						i++;
						break;
					}
					line += csv[i] == '\n';
					if (csv[i] != '\r' && qes__strbuf_addch(&f, csv[i])) {
						rc = qes_error_at(err, QES_ELIMIT, "CSV", line, "",
								  "a field is longer than %u bytes",
								  QES_MAX_FIELD);
						goto out;
					}
					i++;
				}
			}
			while (i < len && csv[i] != ',' && csv[i] != '\n' && csv[i] != '\r') {
				if (qes__strbuf_addch(&f, csv[i])) {
					rc = qes_error_at(err, QES_ELIMIT, "CSV", line, "",
							  "a field is longer than %u bytes", QES_MAX_FIELD);
					goto out;
				}
				i++;
			}
			if (++cols > QES_MAX_CSV_COLUMNS) {
				rc = qes_error_at(err, QES_ELIMIT, "CSV", line, "",
						  "more than %u columns", QES_MAX_CSV_COLUMNS);
				goto out;
			}
			if (!qes__strbuf_str(&f) && f.len) {
				rc = oom(err);
				goto out;
			}
			if ((rc = qes_table_add_cell(t, f.len ? qes__strbuf_str(&f) : "", NULL, NULL, err)))
				goto out;
			if (i < len && csv[i] == ',') {
				i++;
				continue;
			}
			break;
		}
		if (i < len && csv[i] == '\r')
			i++;
		if (i < len && csv[i] == '\n')
			i++;
		line++;
	}
	*out = t;
	t = NULL;
out:
	qes__strbuf_release(&f);
	qes_table_free(t);
	return rc;
}

static void csv_field(qes_strbuf *sb, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		qes__strbuf_addstr(sb, s);
		return;
	}
	qes__strbuf_addch(sb, '"');
	for (; *s; s++) {
		if (*s == '"')
			qes__strbuf_addch(sb, '"');
		qes__strbuf_addch(sb, *s);
	}
	qes__strbuf_addch(sb, '"');
}

int qes_table_csv(const qes_table *t, char **out, size_t *len, qes_error *err)
{
	qes_strbuf sb;
	qes__strbuf_init(&sb, 1u << 30);
	for (size_t i = 0; i < t->n_rows; i++) {
		for (size_t j = 0; j < t->rows[i].n; j++) {
			if (j)
				qes__strbuf_addch(&sb, ',');
			csv_field(&sb, t->rows[i].cells[j].text);
		}
		qes__strbuf_addch(&sb, '\n');
	}
	if (!qes__strbuf_str(&sb)) {
		qes__strbuf_release(&sb);
		return oom(err);
	}
	*out = qes__strbuf_detach(&sb, len);
	return 0;
}

/* --- HTML out ------------------------------------------------------------ */

static void esc(qes_strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': qes__strbuf_addstr(sb, "&amp;"); break;
		case '<': qes__strbuf_addstr(sb, "&lt;"); break;
		case '>': qes__strbuf_addstr(sb, "&gt;"); break;
		case '"': qes__strbuf_addstr(sb, "&quot;"); break;
		case '\n': qes__strbuf_addstr(sb, "<br>"); break;
		default: qes__strbuf_addch(sb, *s);
		}
	}
}

int qes_table_html(const qes_table *t, const char *cls, char **out, size_t *len,
		   qes_error *err)
{
	qes_strbuf sb;
	qes__strbuf_init(&sb, 1u << 30);
	qes__strbuf_addstr(&sb, "<table");
	if (cls) {
		qes__strbuf_addstr(&sb, " class=\"");
		esc(&sb, cls);
		qes__strbuf_addch(&sb, '"');
	}
	qes__strbuf_addstr(&sb, ">\n");
	if (t->caption) {
		qes__strbuf_addstr(&sb, "<caption>");
		esc(&sb, t->caption);
		qes__strbuf_addstr(&sb, "</caption>\n");
	}
	int in_head = 0, in_body = 0;
	for (size_t i = 0; i < t->n_rows; i++) {
		const qes_table_row *r = &t->rows[i];
		if (r->header && !in_head && !in_body) {
			qes__strbuf_addstr(&sb, "<thead>\n");
			in_head = 1;
		} else if (!r->header && !in_body) {
			qes__strbuf_addstr(&sb, in_head ? "</thead>\n<tbody>\n" : "<tbody>\n");
			in_head = 0;
			in_body = 1;
		}
		qes__strbuf_addstr(&sb, "<tr>");
		for (size_t j = 0; j < r->n; j++) {
			const qes_table_cell *c = &r->cells[j];
			const char *tag = r->header ? "th" : "td";
			qes__strbuf_addf(&sb, "<%s", tag);
			if (r->header)
				qes__strbuf_addstr(&sb, " scope=\"col\"");
			if (c->title) {
				qes__strbuf_addstr(&sb, " title=\"");
				esc(&sb, c->title);
				qes__strbuf_addch(&sb, '"');
			}
			if (c->cls) {
				qes__strbuf_addstr(&sb, " class=\"");
				esc(&sb, c->cls);
				qes__strbuf_addch(&sb, '"');
			}
			qes__strbuf_addch(&sb, '>');
			esc(&sb, c->text);
			qes__strbuf_addf(&sb, "</%s>", tag);
		}
		qes__strbuf_addstr(&sb, "</tr>\n");
	}
	qes__strbuf_addstr(&sb, in_head ? "</thead>\n" : in_body ? "</tbody>\n" : "");
	qes__strbuf_addstr(&sb, "</table>\n");
	if (!qes__strbuf_str(&sb)) {
		qes__strbuf_release(&sb);
		return oom(err);
	}
	*out = qes__strbuf_detach(&sb, len);
	return 0;
}

/* --- Documents ------------------------------------------------------------ */

qes_doc *qes_doc_new(const char *title)
{
	qes_doc *d = calloc(1, sizeof(*d));
	if (d && title && !(d->title = strdup(title))) {
		free(d);
		return NULL;
	}
	return d;
}

void qes_doc_free(qes_doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->blocks[i].text);
		qes_table_free(d->blocks[i].table);
	}
	free(d->blocks);
	free(d->title);
	free(d);
}

static int add_block(qes_doc *d, qes_block b, qes_error *err)
{
	if (d->n == d->alloc) {
		size_t a = d->alloc ? d->alloc * 2 : 32;
		qes_block *nb = realloc(d->blocks, a * sizeof(*nb));
		if (!nb) {
			free(b.text);
			qes_table_free(b.table);
			return oom(err);
		}
		d->blocks = nb;
		d->alloc = a;
	}
	d->blocks[d->n++] = b;
	return 0;
}

int qes_doc_heading(qes_doc *d, int level, const char *text, qes_error *err)
{
	char *s = strdup(text ? text : "");
	if (!s)
		return oom(err);
	return add_block(d, (qes_block){ QES_BLOCK_HEADING, level < 1 ? 1 : level > 3 ? 3 : level,
					 s, NULL }, err);
}

int qes_doc_para(qes_doc *d, const char *text, qes_error *err)
{
	char *s = strdup(text ? text : "");
	if (!s)
		return oom(err);
	return add_block(d, (qes_block){ QES_BLOCK_PARA, 0, s, NULL }, err);
}

int qes_doc_table(qes_doc *d, qes_table *t, qes_error *err)
{
	return add_block(d, (qes_block){ QES_BLOCK_TABLE, 0, NULL, t }, err);
}

size_t qes_doc_tables(const qes_doc *d)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->blocks[i].kind == QES_BLOCK_TABLE;
	return n;
}

/* --- Routing a command's output ------------------------------------------ */

static int ends_with(const char *s, const char *ext)
{
	size_t a = strlen(s), b = strlen(ext);
	return a > b && !strcasecmp(s + a - b, ext);
}

int qes_table_path_is_office(const char *path)
{
	return path && (ends_with(path, ".xlsx") || ends_with(path, ".docx"));
}

static int write_plain(const char *path, const char *text, size_t len, qes_error *err)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	if (!tmp)
		return oom(err);
	snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
	int rc, fd = mkstemp(tmp);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || fsync(fd) || close(fd)) {
		rc = qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
	} else {
		rc = qes__replace_file(tmp, path, err);
	}
	free(tmp);
	return rc;
}

int qes_table_export(const char *text, size_t len, int is_html, const char *title,
		     const char *path, qes_error *err)
{
	if (!qes_table_path_is_office(path))
		return write_plain(path, text, len, err);
	qes_doc *d = NULL;
	int rc;
	if (is_html) {
		if ((rc = qes_doc_from_html(text, len, &d, err)))
			return rc;
		if (title && !d->title && !(d->title = strdup(title))) {
			qes_doc_free(d);
			return oom(err);
		}
	} else {
		qes_table *t = NULL;
		if (!(d = qes_doc_new(title)))
			return oom(err);
		if ((rc = qes_table_from_csv(text, len, &t, err)) ||
		    (title && (rc = qes_doc_heading(d, 1, title, err)))) {
			qes_table_free(t);
			qes_doc_free(d);
			return rc;
		}
		if ((rc = qes_doc_table(d, t, err))) {
			qes_doc_free(d);
			return rc;
		}
	}
	rc = ends_with(path, ".xlsx") ? qes_xlsx_write(d, path, err) : qes_docx_write(d, path, err);
	qes_doc_free(d);
	return rc;
}
