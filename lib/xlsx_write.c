/* xlsx_write.c: a qes_doc's tables as a spreadsheet, with libxlsxwriter
 * (Debian's libxlsxwriter-dev). One worksheet per table, named after the
 * heading before it; header rows bold, wrapped and frozen; whole numbers
 * and decimals written as numbers (never a value with a leading zero, so
 * identifiers such as 0012 stay text). The workbook is written beside the
 * file and renamed. */
#include "qes/table.h"
#include "replace_file.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define SHEET_NAME_MAX 31
#define CELL_MAX 32767 /* bytes Excel keeps in one cell */

/* Excel forbids []:*?/\ in sheet names and allows 31 characters; names are
 * unique regardless of case. Cuts on a UTF-8 character boundary. */
static void sheet_name(const char *want, size_t nth, char names[][4 * SHEET_NAME_MAX + 1],
		       size_t n_names, char *out, size_t size)
{
	char base[4 * SHEET_NAME_MAX + 1];
	size_t o = 0, chars = 0;
	for (const char *p = want ? want : ""; *p && chars < SHEET_NAME_MAX - 4; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c & 0xC0) != 0x80) {
			if (chars + 1 > SHEET_NAME_MAX - 4)
				break;
			chars++;
		}
		if (o + 1 >= sizeof(base) - 1)
			break;
		base[o++] = strchr("[]:*?/\\'", c) || c < 0x20 ? ' ' : (char)c;
	}
	while (o && base[o - 1] == ' ')
		o--;
	base[o] = 0;
	if (!o)
		snprintf(base, sizeof(base), "Table %zu", nth);
	snprintf(out, size, "%s", base);
	for (unsigned k = 2;; k++) {
		int clash = 0;
		for (size_t i = 0; i < n_names && !clash; i++)
			clash = !strcasecmp(names[i], out);
		if (!clash)
			break;
		/* base is at most 27 characters: " (k)" fits in 31. */
		if (snprintf(out, size, "%s (%u)", base, k) >= (int)size)
			break;
	}
}

static int is_number(const char *s, double *v)
{
	const char *p = s;
	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p) || (p[0] == '0' && isdigit((unsigned char)p[1])))
		return 0;
	size_t digits = 0;
	while (isdigit((unsigned char)*p))
		p++, digits++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++, digits++;
	}
	if (*p || digits > 15)
		return 0;
	*v = strtod(s, NULL);
	return 1;
}

/* Text Excel accepts: no C0 controls but tab and LF, at most 32,767 bytes
 * (cut on a character boundary). */
static char *cell_text(const char *s)
{
	size_t n = strlen(s);
	if (n > CELL_MAX)
		n = CELL_MAX;
	while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	char *d = malloc(n + 1), *o = d;
	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x20 || s[i] == '\t' || s[i] == '\n')
			*o++ = s[i];
	*o = 0;
	return d;
}

static int sheet(lxw_workbook *wb, lxw_worksheet *ws, const qes_table *t, lxw_format *head,
		 lxw_format *wrap)
{
	size_t cols = qes_table_width(t), header_rows = 0;
	if (cols > LXW_COL_MAX || t->n_rows > LXW_ROW_MAX)
		return -1;
	double *width = calloc(cols ? cols : 1, sizeof(double));
	if (!width)
		return -1;
	int rc = 0;
	lxw_row_t row = 0;
	if (t->caption) {
		char *c = cell_text(t->caption);
		if (!c || worksheet_write_string(ws, row++, 0, c, NULL) != LXW_NO_ERROR)
			rc = -1;
		free(c);
	}
	for (size_t i = 0; i < t->n_rows && !rc; i++, row++) {
		const qes_table_row *r = &t->rows[i];
		if (r->header && header_rows == i)
			header_rows++;
		for (size_t j = 0; j < r->n && !rc; j++) {
			const char *s = r->cells[j].text;
			double v;
			size_t len = strlen(s);
			double wdt = len > 60 ? 60 : (double)len + 2;
			if (wdt > width[j])
				width[j] = wdt;
			if (!*s)
				continue;
			if (!r->header && is_number(s, &v)) {
				rc = worksheet_write_number(ws, row, (lxw_col_t)j, v, NULL) != LXW_NO_ERROR;
				continue;
			}
			char *c = cell_text(s);
			rc = !c || worksheet_write_string(ws, row, (lxw_col_t)j, c,
							  r->header ? head : wrap) != LXW_NO_ERROR;
			free(c);
		}
	}
	for (size_t j = 0; j < cols && !rc; j++)
		worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, width[j] < 8 ? 8 : width[j], wrap);
	if (!rc && header_rows)
		worksheet_freeze_panes(ws, (lxw_row_t)(header_rows + (t->caption ? 1 : 0)), 0);
	free(width);
	(void)wb;
	return rc;
}

int qes_xlsx_write(const qes_doc *d, const char *path, qes_error *err)
{
	size_t n_tables = qes_doc_tables(d);
	if (!n_tables)
		return qes_error_set(err, QES_EINVAL, "there is no table to write to %s", path);
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	char (*names)[4 * SHEET_NAME_MAX + 1] = calloc(n_tables, sizeof(*names));
	lxw_workbook *wb = NULL;
	int rc = 0;
	if (!tmp || !names) {
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		rc = qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	close(fd);
	if (!(wb = workbook_new(tmp))) {
		rc = qes_error_set(err, QES_EIO, "cannot create the workbook %s", path);
		goto out;
	}
	if (d->title) {
		lxw_doc_properties props = { 0 };
		static char by[] = "Written by qes";
		props.title = d->title;
		props.comments = by;
		workbook_set_properties(wb, &props);
	}
	lxw_format *head = workbook_add_format(wb);
	lxw_format *wrap = workbook_add_format(wb);
	format_set_bold(head);
	format_set_text_wrap(head);
	format_set_align(head, LXW_ALIGN_VERTICAL_TOP);
	format_set_bg_color(head, 0xF0F0F0);
	format_set_text_wrap(wrap);
	format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
	const char *heading = NULL;
	size_t nth = 0;
	for (size_t i = 0; i < d->n && !rc; i++) {
		const qes_block *b = &d->blocks[i];
		if (b->kind == QES_BLOCK_HEADING) {
			heading = b->text;
			continue;
		}
		if (b->kind != QES_BLOCK_TABLE)
			continue;
		sheet_name(heading, nth + 1, names, nth, names[nth], sizeof(names[nth]));
		lxw_worksheet *ws = workbook_add_worksheet(wb, names[nth]);
		nth++;
		heading = NULL;
		if (!ws || sheet(wb, ws, b->table, head, wrap))
			rc = qes_error_set(err, QES_EIO, "cannot write the table '%s' to %s",
					   names[nth - 1], path);
	}
	lxw_error e = workbook_close(wb);
	wb = NULL;
	if (!rc && e != LXW_NO_ERROR)
		rc = qes_error_set(err, QES_EIO, "cannot write %s: %s", path, lxw_strerror(e));
	if (!rc) {
		rc = qes__replace_file(tmp, path, err);
		free(tmp);
		tmp = NULL;
	}
out:
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(names);
	return rc;
}
