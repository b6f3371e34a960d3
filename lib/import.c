/* import.c: the import pipeline. sniff -> reader -> format parser ->
 * normalise -> store, all inside one transaction per command. */
#include "qes/import.h"
#include "arena.h"
#include "parser.h"
#include "strbuf.h"
#include "qes/limits.h"

#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static qes_parse_fn parser_for(const char *format)
{
	if (!strcmp(format, "ris")) return qes__parse_ris;
	if (!strcmp(format, "medline")) return qes__parse_medline;
	if (!strcmp(format, "wos")) return qes__parse_wos;
	if (!strcmp(format, "bibtex")) return qes__parse_bibtex;
	if (!strcmp(format, "endnote-xml")) return qes__parse_endnote_xml;
	if (!strcmp(format, "csv")) return qes__parse_delimited;
	return NULL;
}

/* What every sink shares: options, counts, the ordinal. */
typedef struct parse_state {
	qes_sink sink;
	const qes_parse_opts *o;
	qes_arena *arena;
	long ordinal;
	long skipped;
	/* set by the caller */
	int (*deliver)(struct parse_state *ps, qes_record *rec, qes_error *err);
	int (*on_record)(void *ud, const qes_record *rec);
	void *ud;
	/* store sink */
	qes_store *st;
	sqlite3_stmt *ins, *ins_fts;
	long long import_id;
	qes_strbuf authors, keywords;   /* joined lists, bound without a copy */
	long errors;                    /* malformed records, without skip_bad */
	qes_error first_error;
} parse_state;

static int sink_record(qes_sink *s, qes_record *rec, qes_error *err)
{
	parse_state *ps = s->data;
	if (ps->errors)
		return 0;   /* the import will fail: only more errors matter */
	rec->ordinal = ++ps->ordinal;
	if (ps->ordinal > QES_MAX_RECORDS_PER_FILE)
		return qes_error_set(err, QES_ELIMIT, "more than %ld records in one file",
				     QES_MAX_RECORDS_PER_FILE);
	int rc = qes__record_normalise(rec, ps->arena);
	if (rc)
		return qes_error_set(err, rc, "out of memory");
	return ps->deliver(ps, rec, err);
}

static int sink_bad(qes_sink *s, const char *file, long line, const char *field,
		    const char *message, qes_error *err)
{
	parse_state *ps = s->data;
	qes_error why;
	qes_error_clear(&why);
	qes_error_at(&why, QES_EFORMAT, file, line, field, "%s", message);
	if (!ps->o->skip_bad) {
		/* Nothing will be imported, but the file is read to the end (or
		 * to QES_MAX_REPORTED_ERRORS) so that every malformed record
		 * can be fixed in one go: err gets the first, on_error each
		 * one after it. */
		if (++ps->errors == 1)
			ps->first_error = why;
		else if (ps->o->on_error)
			ps->o->on_error(ps->o->ud, &why);
		if (ps->errors >= QES_MAX_REPORTED_ERRORS)
			return QES_EFORMAT;   /* run_parser says why */
		return 0;
	}
	ps->skipped++;
	if (ps->o->on_skip)
		ps->o->on_skip(ps->o->ud, &why);
	return 0;
}

static void sink_warn(qes_sink *s, const char *file, long line, const char *message)
{
	parse_state *ps = s->data;
	if (ps->o->on_warn)
		ps->o->on_warn(ps->o->ud, file, line, message);
}

static int deliver_callback(parse_state *ps, qes_record *rec, qes_error *err)
{
	int rc = ps->on_record(ps->ud, rec);
	if (rc)
		return qes_error_set(err, rc < 0 ? rc : QES_EINVAL, "stopped by the caller");
	return 0;
}

static const qes_parse_opts default_opts;

static int resolve_format(const qes_parse_opts *o, const qes_sniff *sn,
			  const char *name, const char **format, qes_error *err)
{
	if (o->format) {
		if (!qes_format_lookup(o->format, format))
			return qes_error_set(err, QES_EINVAL,
					     "unknown format '%s' (ris, medline, wos, bibtex, "
					     "endnote-xml, csv)", o->format);
		return 0;
	}
	if (!sn->format[0] && sn->plausible[0][0])
		return qes_error_at(err, QES_EFORMAT, name, 1, NULL,
				    "cannot tell whether this is %s or %s: its first row looks "
				    "like a table header, and %s records follow; say which with "
				    "--format %s or --format %s", sn->plausible[1], sn->plausible[0],
				    sn->plausible[0], sn->plausible[1], sn->plausible[0]);
	if (!sn->format[0]) {
		if (sn->bytes == 0)
			return qes_error_at(err, QES_EFORMAT, name, 0, NULL,
					    "the file is empty");
		return qes_error_at(err, QES_EFORMAT, name, 1, NULL,
				    "cannot tell the format from the content "
				    "(not RIS, MEDLINE, Web of Science, BibTeX, EndNote XML "
				    "or CSV); give it with --format");
	}
	*format = sn->format;
	return 0;
}

/* A record count far from what the file seems to hold (its record-start
 * lines, or for a table its rows) means a wrong format or quotes that
 * swallowed rows: say so, with both numbers. */
static void warn_apparent(parse_state *ps, const char *format, const qes_sniff *sn,
			  const char *path)
{
	if (!ps->o->on_warn)
		return;
	long long found = ps->ordinal + ps->skipped;
	unsigned long long expect = 0;
	const char *what = NULL;
	if (!strcmp(format, "ris")) {
		expect = sn->ty_lines;
		what = "lines starting 'TY  -'";
	} else if (!strcmp(format, "medline")) {
		expect = sn->pmid_lines;
		what = "lines starting 'PMID-'";
	}
	char msg[256];
	if (what && (unsigned long long)found * 10 < expect * 9 && expect - (unsigned long long)found > 1) {
		snprintf(msg, sizeof(msg), "%lld records read, but the file has %llu %s: "
			 "is the format right (--format)?", found, expect, what);
		ps->o->on_warn(ps->o->ud, path, 0, msg);
	} else if (!strcmp(format, "csv") && sn->lines > 100 && found > 0 &&
		   (unsigned long long)found * 50 < sn->lines) {
		snprintf(msg, sizeof(msg), "only %lld records from %llu lines: a quote that is "
			 "never closed may have swallowed rows", found, sn->lines);
		ps->o->on_warn(ps->o->ud, path, 0, msg);
	}
}

static int run_parser(qes_reader *r, const char *format, parse_state *ps, qes_error *err)
{
	qes_parse_fn fn = parser_for(format);
	ps->sink.record = sink_record;
	ps->sink.bad = sink_bad;
	ps->sink.warn = sink_warn;
	ps->sink.data = ps;
	int rc = fn(r, ps->arena, &ps->sink, err);
	if (!ps->errors || (rc && rc != QES_EFORMAT))
		return rc;
	*err = ps->first_error;
	size_t n = strlen(err->message);
	if (ps->errors == 1)
		snprintf(err->message + n, sizeof(err->message) - n, "%s",
			 " (nothing was imported; --skip-bad imports the other records)");
	else
		snprintf(err->message + n, sizeof(err->message) - n,
			 " (and %ld%s more malformed record%s%s; nothing was imported; "
			 "--skip-bad imports the other records)", ps->errors - 1,
			 ps->errors >= QES_MAX_REPORTED_ERRORS ? " or" : "",
			 ps->errors == 2 ? "" : "s", ps->o->on_error ? ", listed above" : "");
	return QES_EFORMAT;
}

int qes_parse_file(const char *path, const qes_parse_opts *o,
		   int (*on_record)(void *ud, const qes_record *rec), void *ud,
		   qes_sniff *sniff_out, qes_error *err)
{
	if (!o)
		o = &default_opts;
	qes_sniff sn;
	int rc = qes_sniff_file(path, &sn, err);
	if (rc)
		return rc;
	if (sniff_out)
		*sniff_out = sn;
	const char *format;
	rc = resolve_format(o, &sn, path, &format, err);
	if (rc)
		return rc;
	qes_reader *r;
	rc = qes__reader_open_file(&r, path, o->encoding ? o->encoding : sn.encoding, err);
	if (rc)
		return rc;
	qes_arena arena;
	qes__arena_init(&arena, 256 * 1024);
	parse_state ps = { .o = o, .arena = &arena, .deliver = deliver_callback,
			   .on_record = on_record, .ud = ud };
	rc = run_parser(r, format, &ps, err);
	qes__arena_free(&arena);
	qes__reader_free(r);
	return rc;
}

int qes_parse_mem(const char *name, const void *data, size_t len,
		  const qes_parse_opts *o,
		  int (*on_record)(void *ud, const qes_record *rec), void *ud,
		  qes_error *err)
{
	if (!o)
		o = &default_opts;
	qes_sniff sn;
	int rc = qes_sniff_mem(data, len, &sn, err);
	if (rc)
		return rc;
	const char *format;
	rc = resolve_format(o, &sn, name, &format, err);
	if (rc)
		return rc;
	qes_reader *r;
	rc = qes__reader_open_mem(&r, name, data, len,
				  o->encoding ? o->encoding : sn.encoding, err);
	if (rc)
		return rc;
	qes_arena arena;
	qes__arena_init(&arena, 64 * 1024);
	parse_state ps = { .o = o, .arena = &arena, .deliver = deliver_callback,
			   .on_record = on_record, .ud = ud };
	rc = run_parser(r, format, &ps, err);
	qes__arena_free(&arena);
	qes__reader_free(r);
	return rc;
}

/* --- Storing ------------------------------------------------------------- */

/* SQLITE_STATIC: the strings live in the record's arena (or a strbuf of
 * the parse state) until after the statement has run and been reset. */
static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

/* Lists are stored one item per line (items never hold a newline after
 * normalisation). Returns NULL for an empty list. */
static const char *join_list(qes_strbuf *sb, const qes_strlist *l)
{
	if (!l->n)
		return NULL;
	qes__strbuf_reset(sb);
	for (size_t i = 0; i < l->n; i++) {
		if ((i && qes__strbuf_addch(sb, '\n')) || qes__strbuf_addstr(sb, l->items[i]))
			return NULL;
	}
	return qes__strbuf_str(sb);
}

static int deliver_store(parse_state *ps, qes_record *rec, qes_error *err)
{
	sqlite3_stmt *s = ps->ins;
	char ordinal_key[32];
	const char *key = rec->source_key;
	if (!key) {
		snprintf(ordinal_key, sizeof(ordinal_key), "%ld", rec->ordinal);
		key = ordinal_key;
	}
	sqlite3_bind_int64(s, 1, ps->import_id);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, rec->ordinal);
	sqlite3_bind_int64(s, 4, rec->line);
	bind_text(s, 5, rec->type);
	bind_text(s, 6, rec->type_raw);
	bind_text(s, 7, rec->title);
	bind_text(s, 8, rec->abstract);
	const char *au = NULL, *kw = NULL;
	if ((rec->authors.n && !(au = join_list(&ps->authors, &rec->authors))) ||
	    (rec->keywords.n && !(kw = join_list(&ps->keywords, &rec->keywords))))
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	bind_text(s, 9, au);
	if (rec->year)
		sqlite3_bind_int(s, 10, rec->year);
	else
		sqlite3_bind_null(s, 10);
	bind_text(s, 11, rec->date);
	bind_text(s, 12, rec->journal);
	bind_text(s, 13, rec->volume);
	bind_text(s, 14, rec->issue);
	bind_text(s, 15, rec->pages);
	bind_text(s, 16, rec->doi);
	bind_text(s, 17, rec->pmid);
	bind_text(s, 18, rec->issn);
	bind_text(s, 19, rec->isbn);
	bind_text(s, 20, kw);
	bind_text(s, 21, rec->language);
	bind_text(s, 22, rec->url);
	bind_text(s, 23, rec->publisher);
	bind_text(s, 24, rec->database);
	bind_text(s, 25, rec->notes);
	if (rec->raw)
		sqlite3_bind_text(s, 26, rec->raw, (int)rec->raw_len, SQLITE_STATIC);
	else
		sqlite3_bind_text(s, 26, "", 0, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return qes_store_sqlerr(ps->st, err, "storing a record");
	long long id = sqlite3_last_insert_rowid(qes_store_db(ps->st));
	sqlite3_stmt *f = ps->ins_fts;
	sqlite3_bind_int64(f, 1, id);
	bind_text(f, 2, rec->title);
	bind_text(f, 3, rec->abstract);
	bind_text(f, 4, kw);
	rc = sqlite3_step(f);
	sqlite3_reset(f);
	if (rc != SQLITE_DONE)
		return qes_store_sqlerr(ps->st, err, "indexing a record");
	return 0;
}

/* FTS5 keeps new terms in memory and writes a segment each time they
 * pass 'hashsize' (1 MiB by default); every segment is later merged again.
 * With 64 MiB an import of 200,000 abstracts writes a few large segments
 * instead of hundreds of small ones: a fifth less CPU for the import,
 * at most 64 MiB more memory, whatever the file's size. The setting is
 * stored in the index's config table, inside the import's transaction. */
#define FTS_HASHSIZE (64 << 20)

static int set_fts_hashsize(sqlite3 *db, qes_store *st, qes_error *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, "INSERT INTO records_fts(records_fts, rank)"
			       " VALUES ('hashsize', ?)", -1, &s, NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "preparing the import");
	sqlite3_bind_int(s, 1, FTS_HASHSIZE);
	int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : qes_store_sqlerr(st, err, "preparing the import");
	sqlite3_finalize(s);
	return rc;
}

static int find_or_add_source(qes_store *st, const char *name, const char *method,
			      long long *id, qes_error *err)
{
	sqlite3 *db = qes_store_db(st);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, "SELECT id, method FROM sources WHERE name = ?", -1, &s,
			       NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "finding source");
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	int rc = 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		const char *have = (const char *)sqlite3_column_text(s, 1);
		if (method && strcmp(have, method))
			rc = qes_error_set(err, QES_ECONFLICT,
					   "source '%s' is a %s source, not %s", name, have, method);
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(db, "INSERT INTO sources(name, method) VALUES (?, ?)", -1, &s,
			       NULL) != SQLITE_OK)
		return qes_store_sqlerr(st, err, "adding source");
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, method ? method : "database", -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = qes_store_sqlerr(st, err, "adding source");
	else
		*id = sqlite3_last_insert_rowid(db);
	sqlite3_finalize(s);
	return rc;
}

static int check_date(const char *d, qes_error *err)
{
	int y, m, day;
	char extra;
	if (!d)
		return 0;
	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-' ||
	    sscanf(d, "%4d-%2d-%2d%c", &y, &m, &day, &extra) != 3)
		return qes_error_set(err, QES_EINVAL,
				     "search date '%s' is not YYYY-MM-DD", d);
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1900 || m < 1 || m > 12 || day < 1 || day > days[m - 1] ||
	    (m == 2 && day == 29 && !leap))
		return qes_error_set(err, QES_EINVAL, "search date '%s' is not a real date%s", d,
				     m > 12 && day <= 12 ? " (the form is YYYY-MM-DD: month before day)"
							 : "");
	return 0;
}

static int import_one(qes_store *st, const char *path, const qes_import_opts *o,
		      long long source_id, qes_import_result *res, qes_error *err)
{
	sqlite3 *db = qes_store_db(st);
	memset(res, 0, sizeof(*res));
	res->source_id = source_id;
	int rc = qes_sniff_file(path, &res->sniff, err);
	if (rc)
		return rc;
	const char *format;
	rc = resolve_format(&o->parse, &res->sniff, path, &format, err);
	if (rc)
		return rc;
	if (format != res->sniff.format)
		snprintf(res->sniff.format, sizeof(res->sniff.format), "%s", format);
	format = res->sniff.format;
	if (o->parse.encoding) {
		snprintf(res->sniff.encoding, sizeof(res->sniff.encoding), "%s", o->parse.encoding);
		res->sniff.encoding_guessed = 0;
	}

	/* The same file twice into one source is almost always a mistake that
	 * would double the PRISMA counts. */
	sqlite3_stmt *s;
	if (!o->allow_same_file) {
		if (sqlite3_prepare_v2(db, "SELECT id, imported_at FROM imports "
				       "WHERE source_id = ? AND file_sha256 = ?", -1, &s, NULL) != SQLITE_OK)
			return qes_store_sqlerr(st, err, "checking earlier imports");
		sqlite3_bind_int64(s, 1, source_id);
		sqlite3_bind_text(s, 2, res->sniff.sha256, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW) {
			rc = qes_error_at(err, QES_EEXIST, path, 0, NULL,
					  "this file was already imported into this source "
					  "(import %lld, %s); --allow-same-file imports it again",
					  sqlite3_column_int64(s, 0),
					  (const char *)sqlite3_column_text(s, 1));
		}
		sqlite3_finalize(s);
		if (rc)
			return rc;
	}

	char *pathcopy = strdup(path);
	if (!pathcopy)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO imports(source_id, file_name, file_sha256, file_bytes,"
			       " format, encoding, encoding_guessed, searched, search_string,"
			       " limits, platform) VALUES (?,?,?,?,?,?,?,?,?,?,?)", -1, &s,
			       NULL) != SQLITE_OK) {
		free(pathcopy);
		return qes_store_sqlerr(st, err, "recording the import");
	}
	sqlite3_bind_int64(s, 1, source_id);
	sqlite3_bind_text(s, 2, basename(pathcopy), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, res->sniff.sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, (long long)res->sniff.bytes);
	sqlite3_bind_text(s, 5, format, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, res->sniff.encoding, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 7, res->sniff.encoding_guessed);
	bind_text(s, 8, o->searched);
	bind_text(s, 9, o->search_string);
	bind_text(s, 10, o->limits);
	bind_text(s, 11, o->platform);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : qes_store_sqlerr(st, err, "recording the import");
	sqlite3_finalize(s);
	free(pathcopy);
	if (rc)
		return rc;
	res->import_id = sqlite3_last_insert_rowid(db);

	qes_reader *r = NULL;
	qes_arena arena;
	qes__arena_init(&arena, 256 * 1024);
	parse_state ps = { .o = &o->parse, .arena = &arena, .deliver = deliver_store,
			   .st = st, .import_id = res->import_id };
	qes__strbuf_init(&ps.authors, QES_MAX_FIELD * 4);
	qes__strbuf_init(&ps.keywords, QES_MAX_FIELD * 4);
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO records(import_id, source_key, ordinal, line, type,"
			       " type_raw, title, abstract, authors, year, date, journal, volume,"
			       " issue, pages, doi, pmid, issn, isbn, keywords, language, url,"
			       " publisher, database, notes, raw)"
			       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &ps.ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "INSERT INTO records_fts(rowid, title, abstract, keywords)"
			       " VALUES (?,?,?,?)", -1, &ps.ins_fts, NULL) != SQLITE_OK) {
		rc = qes_store_sqlerr(st, err, "preparing the import");
		goto out;
	}
	rc = set_fts_hashsize(db, st, err);
	if (rc)
		goto out;
	rc = qes__reader_open_file(&r, path, res->sniff.encoding, err);
	if (rc)
		goto out;
	rc = run_parser(r, format, &ps, err);
	if (rc)
		goto out;
	res->records = ps.ordinal;
	res->skipped = ps.skipped;
	warn_apparent(&ps, format, &res->sniff, path);
	if (ps.ordinal == 0 && ps.skipped == 0 && res->sniff.bytes > 0 &&
	    strcmp(format, "bibtex")) {
		/* A non-empty file that yields nothing is a wrong format or a
		 * truncated export; say so rather than import zero records. */
		rc = qes_error_at(err, QES_EFORMAT, path, 0, NULL,
				  "no %s records found in this file", format);
		goto out;
	}
	if (sqlite3_prepare_v2(db, "UPDATE imports SET records = ?, skipped = ? WHERE id = ?",
			       -1, &s, NULL) != SQLITE_OK) {
		rc = qes_store_sqlerr(st, err, "recording the import");
		goto out;
	}
	sqlite3_bind_int64(s, 1, res->records);
	sqlite3_bind_int64(s, 2, res->skipped);
	sqlite3_bind_int64(s, 3, res->import_id);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : qes_store_sqlerr(st, err, "recording the import");
	sqlite3_finalize(s);
out:
	sqlite3_finalize(ps.ins);
	sqlite3_finalize(ps.ins_fts);
	qes__strbuf_release(&ps.authors);
	qes__strbuf_release(&ps.keywords);
	qes__arena_free(&arena);
	qes__reader_free(r);
	return rc;
}

/* A source name from the file name when none was given: "psycinfo.ris" -> "psycinfo". */
static char *default_source_name(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return NULL;
	char *b = basename(copy);
	char *dot = strrchr(b, '.');
	if (dot && dot != b)
		*dot = '\0';
	char *name = strdup(b);
	free(copy);
	return name;
}

int qes_import_files(qes_store *st, const char *const *paths, int n,
		     const qes_import_opts *o, qes_import_result *results,
		     qes_error *err)
{
	if (n <= 0)
		return qes_error_set(err, QES_EINVAL, "no files to import");
	int rc = check_date(o->searched, err);
	if (rc)
		return rc;
	if (o->method && strcmp(o->method, "database") && strcmp(o->method, "register") &&
	    strcmp(o->method, "other"))
		return qes_error_set(err, QES_EINVAL,
				     "method '%s' is not database, register or other", o->method);
	rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	for (int i = 0; i < n && !rc; i++) {
		char *name = o->source ? strdup(o->source) : default_source_name(paths[i]);
		if (!name) {
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
			break;
		}
		long long source_id = 0;
		rc = find_or_add_source(st, name, o->method, &source_id, err);
		free(name);
		if (!rc)
			rc = import_one(st, paths[i], o, source_id, &results[i], err);
	}
	if (rc) {
		qes_store_rollback(st);
		return rc;
	}
	return qes_store_commit(st, err);
}

int qes_search_record(qes_store *st, const qes_search_opts *o, long long *import_id,
		      qes_error *err)
{
	if (!o->source || !*o->source)
		return qes_error_set(err, QES_EINVAL, "say which source was searched");
	if (!o->searched)
		return qes_error_set(err, QES_EINVAL, "a search needs its date (--searched YYYY-MM-DD)");
	int rc = check_date(o->searched, err);
	if (rc)
		return rc;
	if (o->hits < 0)
		return qes_error_set(err, QES_EINVAL, "hits cannot be negative (%ld)", o->hits);
	if (o->method && strcmp(o->method, "database") && strcmp(o->method, "register") &&
	    strcmp(o->method, "other"))
		return qes_error_set(err, QES_EINVAL,
				     "method '%s' is not database, register or other", o->method);
	const char *const texts[] = { o->source, o->search_string, o->limits, o->platform };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i] && strlen(texts[i]) > QES_MAX_FIELD)
			return qes_error_set(err, QES_ELIMIT, "a search's text is longer than %u bytes",
					     QES_MAX_FIELD);
	if ((rc = qes_store_begin(st, err)))
		return rc;
	long long source_id = 0;
	sqlite3_stmt *s = NULL;
	if ((rc = find_or_add_source(st, o->source, o->method, &source_id, err)))
		goto out;
	if (sqlite3_prepare_v2(qes_store_db(st),
			       "INSERT INTO imports(source_id, file_name, file_sha256, file_bytes,"
			       " format, encoding, searched, search_string, hits, limits, platform)"
			       " VALUES (?, '', '', 0, 'none', '', ?, ?, ?, ?, ?)", -1, &s,
			       NULL) != SQLITE_OK) {
		rc = qes_store_sqlerr(st, err, "recording the search");
		goto out;
	}
	sqlite3_bind_int64(s, 1, source_id);
	bind_text(s, 2, o->searched);
	bind_text(s, 3, o->search_string);
	sqlite3_bind_int64(s, 4, o->hits);
	bind_text(s, 5, o->limits);
	bind_text(s, 6, o->platform);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = qes_store_sqlerr(st, err, "recording the search");
		goto out;
	}
	if (import_id)
		*import_id = sqlite3_last_insert_rowid(qes_store_db(st));
	rc = qes_store_commit(st, err);
out:
	sqlite3_finalize(s);
	if (rc)
		qes_store_rollback(st);
	return rc;
}
