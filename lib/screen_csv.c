/* screen_csv.c: a small strict reader for the decisions CSV.
 *
 * The shared CSV parser reads bibliographic exports and refuses a file
 * without bibliographic columns, so decisions (source_key, reviewer, stage,
 * decision, reason) get this reader: RFC 4180 quoting (doubled quotes,
 * separators and newlines inside quotes), LF or CRLF, an optional UTF-8 BOM.
 * The header must name exactly those five columns, in any order; every row
 * must have five fields. Streams from a FILE, so any size is fine; one
 * field may not exceed QES_MAX_FIELD. */
#include "screen_internal.h"
#include "strbuf.h"
#include "qes/limits.h"

#include <stdio.h>
#include <string.h>

#define NCOL 5
static const char *const col_names[NCOL] = {
	"source_key", "reviewer", "stage", "decision", "reason"
};

typedef struct csv_in {
	FILE *fp;
	const char *name;
	long line;               /* current physical line, 1-based */
	qes_strbuf field[NCOL + 1];
} csv_in;

/* Reads one row into fields; *n gets the field count (capped: extra fields
 * only count), *row_line the line the row started on. 0 at EOF with nothing
 * read, 1 with a row, < 0 on error. */
static int read_row(csv_in *in, int *n, long *row_line, qes_error *err)
{
	int c = getc(in->fp);
	if (c == EOF)
		return 0;
	*row_line = in->line;
	*n = 0;
	for (int i = 0; i <= NCOL; i++)
		qes__strbuf_reset(&in->field[i]);
	int quoted = 0, after_quote = 0, nf = 1;
	for (;; c = getc(in->fp)) {
		if (c == EOF) {
			if (quoted)
				return qes_error_at(err, QES_EFORMAT, in->name, *row_line, NULL,
						    "a quoted field is never closed");
			break;
		}
		if (quoted) {
			if (c == '"') {
				int d = getc(in->fp);
				if (d != '"') {
					quoted = 0;
					after_quote = 1;
					if (d != EOF)
						ungetc(d, in->fp);
					continue;
				}
			}
			if (c == '\n')
				in->line++;
		} else if (c == ',') {
			nf++;
			after_quote = 0;
			continue;
		} else if (c == '\r') {
			int d = getc(in->fp);
			if (d != '\n' && d != EOF)
				ungetc(d, in->fp);
			in->line++;
			break;
		} else if (c == '\n') {
			in->line++;
			break;
		} else if (c == '"') {
			if (after_quote || in->field[nf > NCOL ? NCOL : nf - 1].len)
				return qes_error_at(err, QES_EFORMAT, in->name, in->line, NULL,
						    "a quote inside an unquoted field");
			quoted = 1;
			continue;
		} else if (after_quote) {
			return qes_error_at(err, QES_EFORMAT, in->name, in->line, NULL,
					    "text after a closing quote");
		}
		int rc = qes__strbuf_addch(&in->field[nf > NCOL ? NCOL : nf - 1], (char)c);
		if (rc == QES_ELIMIT)
			return qes_error_at(err, QES_ELIMIT, in->name, *row_line, NULL,
					    "a field longer than %u bytes", QES_MAX_FIELD);
		if (rc)
			return qes_error_set(err, rc, "out of memory");
		if (nf > QES_MAX_CSV_COLUMNS)
			return qes_error_at(err, QES_ELIMIT, in->name, *row_line, NULL,
					    "more than %d columns", QES_MAX_CSV_COLUMNS);
	}
	*n = nf;
	return 1;
}

int qes__decisions_csv(FILE *fp, const char *name,
		       int (*row)(void *ud, long line, const char *const f[5]),
		       void *ud, qes_error *err)
{
	csv_in in = { fp, name, 1, { { 0 } } };
	for (int i = 0; i <= NCOL; i++)
		qes__strbuf_init(&in.field[i], QES_MAX_FIELD);
	int map[NCOL], n, rc;
	long line;
	/* Skip a UTF-8 byte order mark. */
	int b0 = getc(fp);
	if (b0 == 0xEF) {
		if (getc(fp) != 0xBB || getc(fp) != 0xBF) {
			rc = qes_error_at(err, QES_EFORMAT, name, 1, NULL, "not UTF-8 text");
			goto out;
		}
	} else if (b0 != EOF) {
		ungetc(b0, fp);
	}
	rc = read_row(&in, &n, &line, err);
	if (rc <= 0) {
		if (rc == 0)
			rc = qes_error_at(err, QES_EFORMAT, name, 1, NULL, "the file is empty");
		goto out;
	}
	rc = QES_EFORMAT;
	if (n != NCOL) {
		qes_error_at(err, rc, name, 1, NULL, "the header must name the columns "
			     "source_key,reviewer,stage,decision,reason (found %d columns)", n);
		goto out;
	}
	for (int c = 0; c < NCOL; c++) {
		map[c] = -1;
		for (int i = 0; i < NCOL; i++)
			if (!strcmp(qes__strbuf_str(&in.field[i]), col_names[c]))
				map[c] = i;
		if (map[c] < 0) {
			qes_error_at(err, rc, name, 1, col_names[c], "the header has no column "
				     "'%s' (source_key,reviewer,stage,decision,reason)", col_names[c]);
			goto out;
		}
	}
	while ((rc = read_row(&in, &n, &line, err)) == 1) {
		if (n == 1 && in.field[0].len == 0)
			continue;   /* a blank line */
		if (n != NCOL) {
			rc = qes_error_at(err, QES_EFORMAT, name, line, NULL,
					  "%d fields where the header has 5", n);
			goto out;
		}
		const char *f[NCOL];
		for (int c = 0; c < NCOL; c++)
			f[c] = qes__strbuf_str(&in.field[map[c]]);
		if ((rc = row(ud, line, f)))
			goto out;
	}
out:
	for (int i = 0; i <= NCOL; i++)
		qes__strbuf_release(&in.field[i]);
	return rc;
}
