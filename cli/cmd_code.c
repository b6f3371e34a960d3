/* cmd_code.c: qes code source|case|speakers|variable|variables|add|rename|merge|
 * span|find|list|codes|sources|cases|note|done|sample|agreement|compare|stats */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/code.h"

static const char usage[] =
	"qes code ACTION REVIEW ... (source add | case add | case link | speakers | variable |\n"
	"       variables | add | rename | merge | span | find | list | codes | sources | cases |\n"
	"       note | done | sample | agreement | concordance | map | compare | stats);\n"
	"       qes code --help";
static const char help[] =
	"Coding for thematic synthesis. Offsets are code points, half-open [START, END).\n"
	"\n"
	"  source add REVIEW FILE [--name N] [--study KEY] [--kind results|transcript|memo]\n"
	"             [--pages A-B] [--from-text T] [--to-text T]\n"
	"             a .txt (any encoding), .docx or PDF pages; the passage from the\n"
	"             line T (e.g. Results) up to the line T (e.g. Discussion)\n"
	"  case add REVIEW NAME [--attr key=value]...\n"
	"  case link REVIEW CASE SOURCE [--from N --to M]   lines N..M (a speaker's turns)\n"
	"  case set REVIEW NAME --attr key=value...   set or change attributes (key= removes)\n"
	"  case assign REVIEW CODING CASE     the participant a coding is attributed to\n"
	"             (\"\" clears it; a quote followed by \"(Mother, P3)\" naming a case\n"
	"             gets that case when coded)\n"
	"  source show REVIEW SOURCE --lines [--json]   numbered lines with case bands\n"
	"  variable REVIEW NAME --type text|boolean|integer|float|date|datetime [--description T]\n"
	"  variables REVIEW [--json]          case variables, their types, how many cases have one\n"
	"  speakers REVIEW SOURCE [--skip LABEL]... [--attr key=value]... [--dry-run] [--json]\n"
	"                                     turns (\"Mother (P1): ...\") become cases\n"
	"  add REVIEW PATH [--colour #hex] [--memo TEXT]    '/' makes the tree\n"
	"  rename REVIEW PATH NEW_PATH        move a code and everything under it\n"
	"  merge REVIEW FROM INTO             FROM's spans, memos and themes go to INTO\n"
	"  span REVIEW --as CODER SOURCE START END CODE [--quote|--interpretation]\n"
	"             [--illustrative] [--memo TEXT]\n"
	"  find REVIEW --as CODER SOURCE \"exact text\" CODE [same options] [--case CASE]\n"
	"             the first occurrence (--case: the participant it is attributed to)\n"
	"  list REVIEW [--source S] [--code C] [--as CODER] [--json]   blinded with --as\n"
	"  codes REVIEW [--as CODER] [--json] the tree with spans per code (and sub-codes)\n"
	"  sources REVIEW [--as CODER] [--json]  sources, sample, how many coders are done\n"
	"  cases REVIEW [--json]              cases with attributes and linked sources\n"
	"  note REVIEW source|code|coding TARGET TEXT [--as CODER]\n"
	"  done REVIEW --as CODER SOURCE      this coder finished the source\n"
	"  sample REVIEW --fraction F --seed N [--mode deductive|inductive]\n"
	"             sources for independent double coding; inductive: the second coder\n"
	"             makes their own codes and sees neither the first coder's spans nor\n"
	"             code names until every sampled source is done by two coders\n"
	"  agreement REVIEW --a X --b Y [--coded-only] [--json]\n"
	"             also unitising agreement (any code against any code, by character\n"
	"             and by passage), agreement per mapped code pair; provisional until\n"
	"             both coders mark the sources done\n"
	"  concordance REVIEW --a X --b Y [--json]   for each of X's codes, Y's code that\n"
	"             covers most of its text (proposed), and the pairs confirmed\n"
	"  map REVIEW --a X --b Y X_CODE Y_CODE [--as WHO] [--remove]   confirm a pair\n"
	"  compare REVIEW --a X --b Y [--source S] [--json]   both coding frames side by side\n"
	"  stats REVIEW [--json]\n";

typedef struct opts {
	const char *name, *study, *kind, *pages, *colour, *memo, *as, *source, *code, *a, *b;
	const char *from, *to, *fraction, *seed, *from_text, *to_text;
	const char *rest1;             /* the one argument after the review */
	const char *type, *mode, *case_name;
	char **attrs, **skip;
	int nattrs, nskip, flags, json, coded_only, dry_run, remove;
} opts;

static int parse_long(const char *s, long *v)
{
	char *end;
	*v = strtol(s, &end, 10);
	return !*s || *end;
}

static int print_list(json_t *l, int json)
{
	if (json)
		return cli_print_json(l);
	size_t i;
	json_t *c;
	json_array_foreach(l, i, c) {
		printf("%s\t%s\t%s\t%lld-%lld\t%s\n",
		       json_string_value(json_object_get(c, "source")),
		       json_string_value(json_object_get(c, "code")),
		       json_string_value(json_object_get(c, "coder")),
		       (long long)json_integer_value(json_object_get(c, "start")),
		       (long long)json_integer_value(json_object_get(c, "end")),
		       json_string_value(json_object_get(c, "text")));
	}
	json_decref(l);
	return 0;
}

static void print_row(json_t *r, const char *label)
{
	json_t *k = json_object_get(r, "kappa"), *p = json_object_get(r, "agreement");
	printf("%s %8lld  %6.2f%%  kappa %s", cli_pad(label, 40),
	       (long long)json_integer_value(json_object_get(r, "chars")),
	       p ? json_number_value(p) : 0.0, json_is_null(k) ? "n/a" : "");
	if (!json_is_null(k))
		printf("%.3f", json_number_value(k));
	putchar('\n');
}

static int print_agreement(json_t *a, int json)
{
	if (json)
		return cli_print_json(a);
	size_t i;
	json_t *r;
	char label[512];
	json_array_foreach(json_object_get(a, "rows"), i, r) {
		snprintf(label, sizeof(label), "%s | %s", json_string_value(json_object_get(r, "source")),
			 json_string_value(json_object_get(r, "code")));
		print_row(r, label);
	}
	json_array_foreach(json_object_get(a, "codes"), i, r) {
		snprintf(label, sizeof(label), "all sources | %s",
			 json_string_value(json_object_get(r, "code")));
		print_row(r, label);
	}
	print_row(json_object_get(a, "pooled"), "pooled");
	json_t *u = json_object_get(a, "unitising"), *up = json_object_get(u, "passages");
	print_row(u, "unitising (any code)");
	printf("%-40s %8lld  both %lld, %s only %lld, %s only %lld\n", "unitising passages",
	       (long long)json_integer_value(json_object_get(up, "passages")),
	       (long long)json_integer_value(json_object_get(up, "both")),
	       json_string_value(json_object_get(a, "a")),
	       (long long)json_integer_value(json_object_get(up, "a_only")),
	       json_string_value(json_object_get(a, "b")),
	       (long long)json_integer_value(json_object_get(up, "b_only")));
	json_array_foreach(json_object_get(a, "mapped"), i, r) {
		snprintf(label, sizeof(label), "mapped %s = %s",
			 json_string_value(json_object_get(r, "a_code")),
			 json_string_value(json_object_get(r, "b_code")));
		print_row(r, label);
	}
	if (json_is_true(json_object_get(a, "provisional")))
		printf("provisional: %lld source%s not yet marked done by both coders\n",
		       (long long)json_integer_value(json_object_get(a, "provisional_sources")),
		       json_integer_value(json_object_get(a, "provisional_sources")) == 1 ? "" : "s");
	json_decref(a);
	return 0;
}

/* The proposed concordance of a's and b's codes, and what is confirmed. */
static int print_concordance(json_t *a, int json)
{
	json_t *v = json_pack("{s:O,s:O,s:O,s:O}", "a", json_object_get(a, "a"), "b",
			      json_object_get(a, "b"), "proposed", json_object_get(a, "proposed"),
			      "mapped", json_object_get(a, "mapped"));
	json_decref(a);
	if (!v)
		return QES_EXIT_ERROR;
	if (json)
		return cli_print_json(v);
	size_t i;
	json_t *r;
	printf("proposed (%s's code -> %s's code covering most of its text):\n",
	       json_string_value(json_object_get(v, "a")), json_string_value(json_object_get(v, "b")));
	json_array_foreach(json_object_get(v, "proposed"), i, r)
		printf("  %s -> %s\t%lld of %lld chars (%.0f%%)%s\n",
		       json_string_value(json_object_get(r, "a_code")),
		       json_string_value(json_object_get(r, "b_code")),
		       (long long)json_integer_value(json_object_get(r, "overlap")),
		       (long long)json_integer_value(json_object_get(r, "a_chars")),
		       json_number_value(json_object_get(r, "share_of_a")),
		       json_is_true(json_object_get(r, "confirmed")) ? "\tconfirmed" : "");
	printf("confirmed:\n");
	json_array_foreach(json_object_get(v, "mapped"), i, r)
		printf("  %s = %s\n", json_string_value(json_object_get(r, "a_code")),
		       json_string_value(json_object_get(r, "b_code")));
	json_decref(v);
	return 0;
}

/* "case (perspective; role)" for each case of a band, ", "-joined. */
static void print_cases(json_t *cases)
{
	size_t i;
	json_t *c;
	json_array_foreach(cases, i, c) {
		const char *p = json_string_value(json_object_get(c, "perspective"));
		const char *r = json_string_value(json_object_get(c, "role"));
		printf("%s%s", i ? ", " : "", json_string_value(json_object_get(c, "case")));
		if (*p || *r)
			printf(" (%s%s%s)", p, *p && *r ? "; " : "", r);
	}
}

/* A source's lines, numbered, with the cases linked to each (a band shows
 * where a speaker's turn starts). */
static int show_source(qes_store *st, const char *source, int json, qes_error *err)
{
	json_t *v = qes_code_source_lines_json(st, source, err);
	if (!v)
		return err->code;
	if (json) {
		cli_print_json(v);
		return 0;
	}
	size_t i;
	json_t *l;
	char prev[512] = "";
	if (json_array_size(json_object_get(v, "whole_source"))) {
		printf("whole source: ");
		print_cases(json_object_get(v, "whole_source"));
		putchar('\n');
	}
	json_array_foreach(json_object_get(v, "lines"), i, l) {
		json_t *cases = json_object_get(l, "cases");
		char *band = json_dumps(cases, JSON_COMPACT);
		if (band && strcmp(band, prev) && json_array_size(cases)) {
			printf("      [");
			print_cases(cases);
			printf("]\n");
		}
		if (band)
			snprintf(prev, sizeof(prev), "%s", band);
		free(band);
		printf("%5lld | %s\n", (long long)json_integer_value(json_object_get(l, "line")),
		       json_string_value(json_object_get(l, "text")));
	}
	json_decref(v);
	return 0;
}

static int run(qes_store *st, const char *action, char **rest, int nrest, const opts *o,
	       qes_error *err)
{
	long long id = 0;
	if (!strcmp(action, "source") && nrest == 2 && !strcmp(rest[0], "add")) {
		qes_code_source_opts so = { o->name, o->study, o->kind, 0, 0, o->from_text, o->to_text };
		if (o->pages && sscanf(o->pages, "%d-%d", &so.page_from, &so.page_to) != 2)
			return qes_error_set(err, QES_EINVAL, "--pages is A-B");
		int rc = qes_code_source_add(st, rest[1], &so, &id, err);
		if (!rc)
			printf("source #%lld added\n", id);
		return rc;
	}
	if (!strcmp(action, "case") && nrest == 2 && !strcmp(rest[0], "set"))
		return qes_code_case_set(st, rest[1], o->attrs, o->nattrs, err);
	if (!strcmp(action, "case") && nrest == 3 && !strcmp(rest[0], "assign")) {
		long cid = 0;
		const char *ref = rest[1][0] == '#' ? rest[1] + 1 : rest[1];
		if (parse_long(ref, &cid) || cid <= 0)
			return qes_error_set(err, QES_EINVAL, "a coding is its number, not '%s'", rest[1]);
		return qes_code_coding_case(st, cid, rest[2], err);
	}
	if (!strcmp(action, "source") && nrest == 2 && !strcmp(rest[0], "show"))
		return show_source(st, rest[1], o->json, err);
	if (!strcmp(action, "case") && nrest == 2 && !strcmp(rest[0], "add"))
		return qes_code_case_add(st, rest[1], o->attrs, o->nattrs, &id, err);
	if (!strcmp(action, "case") && nrest == 3 && !strcmp(rest[0], "link")) {
		long from = 0, to = 0;
		if ((o->from && parse_long(o->from, &from)) || (o->to && parse_long(o->to, &to)))
			return qes_error_set(err, QES_EINVAL, "--from and --to are line numbers");
		return qes_code_case_link(st, rest[1], rest[2], from, to, err);
	}
	if (!strcmp(action, "add") && nrest == 1)
		return qes_code_add(st, rest[0], o->colour, o->memo, &id, err);
	if (!strcmp(action, "variable") && nrest == 1) {
		if (!o->type)
			return qes_error_set(err, QES_EINVAL, "variable needs --type");
		return qes_code_variable_set(st, rest[0], o->type, o->memo, err);
	}
	if (!strcmp(action, "rename") && nrest == 2) {
		int rc = qes_code_rename(st, rest[0], rest[1], err);
		if (!rc)
			printf("code '%s' is now '%s'\n", rest[0], rest[1]);
		return rc;
	}
	if (!strcmp(action, "merge") && nrest == 2) {
		long moved = 0;
		int rc = qes_code_merge(st, rest[0], rest[1], &moved, err);
		if (!rc)
			printf("merged '%s' into '%s': %ld span%s moved\n", rest[0], rest[1], moved,
			       moved == 1 ? "" : "s");
		return rc;
	}
	if (!strcmp(action, "span") && nrest == 4) {
		long s, e;
		if (parse_long(rest[1], &s) || parse_long(rest[2], &e))
			return qes_error_set(err, QES_EINVAL, "START and END are code-point offsets");
		int rc = qes_code_span(st, o->as, rest[0], s, e, rest[3], o->flags, o->memo, &id, err);
		if (!rc && o->case_name)
			rc = qes_code_coding_case(st, id, o->case_name, err);
		if (!rc)
			printf("coding #%lld\n", id);
		return rc;
	}
	if (!strcmp(action, "find") && nrest == 3) {
		int rc = qes_code_find(st, o->as, rest[0], rest[1], rest[2], o->flags, o->memo, &id, err);
		if (!rc && o->case_name)
			rc = qes_code_coding_case(st, id, o->case_name, err);
		if (!rc)
			printf("coding #%lld\n", id);
		return rc;
	}
	if (!strcmp(action, "note") && nrest == 3)
		return qes_code_note_add(st, rest[0], rest[1], o->as, rest[2], err);
	if (!strcmp(action, "map") && nrest == 2) {
		if (!o->a || !o->b)
			return qes_error_set(err, QES_EINVAL, "map needs --a X --b Y");
		return qes_code_map(st, o->a, o->b, rest[0], rest[1], o->as, o->remove, err);
	}
	if (!strcmp(action, "done") && nrest == 1)
		return qes_code_done(st, o->as, rest[0], err);
	if (!strcmp(action, "sample") && nrest == 0 && o->mode && !o->fraction) {
		int rc = qes_code_sample_mode_set(st, o->mode, err);
		if (!rc)
			printf("the sample is coded %sly\n", o->mode);
		return rc;
	}
	if (!strcmp(action, "sample") && nrest == 0) {
		long n = 0, seed = 1;
		char *end = NULL;
		double fraction = o->fraction ? strtod(o->fraction, &end) : 0;
		if (!o->fraction || end == o->fraction || *end)
			return qes_error_set(err, QES_EINVAL, "sample needs --fraction, a share "
					     "above 0 and at most 1 (0.1 for 10%%)");
		if (o->seed && (parse_long(o->seed, &seed) || seed < 0))
			return qes_error_set(err, QES_EINVAL, "--seed takes a whole number >= 0, "
					     "not '%s'", o->seed);
		int rc = o->mode ? qes_code_sample_mode_set(st, o->mode, err) : 0;
		if (!rc)
			rc = qes_code_sample(st, fraction, (unsigned long long)seed, &n, err);
		if (!rc)
			printf("%ld source%s drawn for double coding (%s)\n", n, n == 1 ? "" : "s",
			       qes_code_sample_mode(st));
		return rc;
	}
	return qes_error_set(err, QES_EINVAL, "wrong arguments for 'code %s' (qes code --help)",
			     action);
}

/* Two columns, each span's text cut to fit; rows of the longer side. */
static void print_side(json_t *as, json_t *bs)
{
	size_t n = json_array_size(as) > json_array_size(bs) ? json_array_size(as) : json_array_size(bs);
	for (size_t i = 0; i < n; i++) {
		char cell[2][64];
		for (int k = 0; k < 2; k++) {
			json_t *sp = json_array_get(k ? bs : as, i);
			if (!sp) {
				snprintf(cell[k], sizeof(cell[k]), "-");
				continue;
			}
			snprintf(cell[k], sizeof(cell[k]), "%lld-%lld \"%s",
				 (long long)json_integer_value(json_object_get(sp, "start")),
				 (long long)json_integer_value(json_object_get(sp, "end")),
				 json_string_value(json_object_get(sp, "text")));
			/* Cut on a UTF-8 boundary and close the quote. */
			size_t len = strlen(cell[k]);
			if (len > 44) {
				len = 41;
				while (len && ((unsigned char)cell[k][len] & 0xC0) == 0x80)
					len--;
				snprintf(cell[k] + len, sizeof(cell[k]) - len, "...");
			}
			snprintf(cell[k] + strlen(cell[k]), sizeof(cell[k]) - strlen(cell[k]), "\"");
		}
		cli_row("    %s %s\n", cli_pad(cell[0], 46), cell[1]);
	}
}

static int print_compare(json_t *c, int json)
{
	if (json)
		return cli_print_json(c);
	size_t i;
	json_t *r;
	cli_row("    %s %s\n", cli_pad(json_string_value(json_object_get(c, "a")), 46),
	       json_string_value(json_object_get(c, "b")));
	json_array_foreach(json_object_get(c, "rows"), i, r) {
		json_t *k = json_object_get(r, "kappa"), *p = json_object_get(r, "agreement");
		printf("%s | %s: agreement %.1f%%, kappa ", json_string_value(json_object_get(r, "source")),
		       json_string_value(json_object_get(r, "code")), p ? json_number_value(p) : 0.0);
		if (json_is_number(k))
			printf("%.3f\n", json_number_value(k));
		else
			printf("n/a\n");
		print_side(json_object_get(r, "a_spans"), json_object_get(r, "b_spans"));
	}
	json_array_foreach(json_object_get(c, "mapped"), i, r)
		printf("mapped: %s = %s\n", json_string_value(json_object_get(r, "a_code")),
		       json_string_value(json_object_get(r, "b_code")));
	long long hidden = json_integer_value(json_object_get(c, "blinded_rows"));
	if (hidden)
		printf("(%lld row%s left out: sources still blinded until both coders mark them done)\n",
		       hidden, hidden == 1 ? "" : "s");
	json_decref(c);
	return 0;
}

/* codes, sources, cases: one line each (tab-separated), or the JSON. */
static int print_listing(const char *what, json_t *l, int json)
{
	if (json)
		return cli_print_json(l);
	size_t i;
	json_t *r;
	json_array_foreach(l, i, r) {
		if (!strcmp(what, "codes")) {
			int depth = 0;
			for (const char *p = json_string_value(json_object_get(r, "path")); *p; p++)
				depth += *p == '/';
			printf("%*s%s%s\t%lld spans in %lld sources\n", depth * 2, "",
			       json_string_value(json_object_get(r, "name")),
			       json_is_true(json_object_get(r, "folder")) ? "/" : "",
			       (long long)json_integer_value(json_object_get(r, "codings")),
			       (long long)json_integer_value(json_object_get(r, "sources")));
		} else if (!strcmp(what, "sources")) {
			json_t *study = json_object_get(r, "study");
			printf("%s\t%s\t%s\t%lld chars\t%s\t%lld coder%s done\n",
			       json_string_value(json_object_get(r, "name")),
			       json_string_value(json_object_get(r, "kind")),
			       json_is_string(study) ? json_string_value(study) : "-",
			       (long long)json_integer_value(json_object_get(r, "length")),
			       json_is_true(json_object_get(r, "sampled")) ? "double-coded sample" : "-",
			       (long long)json_integer_value(json_object_get(r, "done_by")),
			       json_integer_value(json_object_get(r, "done_by")) == 1 ? "" : "s");
		} else {
			printf("%s\t", json_string_value(json_object_get(r, "name")));
			const char *k;
			json_t *v;
			int first = 1;
			json_object_foreach(json_object_get(r, "attributes"), k, v) {
				printf("%s%s=%s", first ? "" : " ", k, json_string_value(v));
				first = 0;
			}
			size_t j;
			json_array_foreach(json_object_get(r, "sources"), j, v) {
				long long from = json_integer_value(json_object_get(v, "from"));
				printf("%s%s", j ? ", " : "\tin ", json_string_value(json_object_get(v, "source")));
				if (from)
					printf(" lines %lld-%lld", from,
					       (long long)json_integer_value(json_object_get(v, "to")));
			}
			putchar('\n');
		}
	}
	json_decref(l);
	return 0;
}

static int print_speakers(json_t *l, int json, int dry_run)
{
	if (json)
		return cli_print_json(l);
	size_t i;
	json_t *r;
	json_array_foreach(l, i, r) {
		cli_row("%s %s %3lld turn%s %4lld lines  %s\n",
		       cli_pad(json_string_value(json_object_get(r, "label")), 24),
		       cli_pad(json_string_value(json_object_get(r, "case")), 12),
		       (long long)json_integer_value(json_object_get(r, "turns")),
		       json_integer_value(json_object_get(r, "turns")) == 1 ? " " : "s",
		       (long long)json_integer_value(json_object_get(r, "lines")),
		       json_is_true(json_object_get(r, "skipped")) ? "not linked (interviewer)"
		       : dry_run ? "would be linked"
		       : json_is_true(json_object_get(r, "created")) ? "linked to a new case"
								       : "linked to the existing case");
	}
	json_decref(l);
	return 0;
}

/* Actions that print JSON or tables (speakers also links cases). */
static int report(qes_store *st, const char *action, const opts *o)
{
	qes_error err;
	qes_error_clear(&err);
	json_t *v = NULL;
	if (!strcmp(action, "list")) {
		qes_code_filter f = { o->source, o->code, o->as };
		if (!(v = qes_code_list_json(st, &f, &err)))
			return cli_fail("code list", &err);
		return print_list(v, o->json);
	}
	if (!strcmp(action, "compare")) {
		if (!o->a || !o->b)
			return cli_usage_error(usage, "compare needs --a X --b Y");
		if (!(v = qes_code_compare_json(st, o->a, o->b, o->source, &err)))
			return cli_fail("code compare", &err);
		return print_compare(v, o->json);
	}
	if (!strcmp(action, "concordance")) {
		if (!o->a || !o->b)
			return cli_usage_error(usage, "concordance needs --a X --b Y");
		if (!(v = qes_code_agreement_json(st, o->a, o->b, o->coded_only, &err)))
			return cli_fail("code concordance", &err);
		return print_concordance(v, o->json);
	}
	if (!strcmp(action, "agreement")) {
		if (!o->a || !o->b)
			return cli_usage_error(usage, "agreement needs --a X --b Y");
		if (!(v = qes_code_agreement_json(st, o->a, o->b, o->coded_only, &err)))
			return cli_fail("code agreement", &err);
		return print_agreement(v, o->json);
	}
	if (!strcmp(action, "speakers")) {
		if (!o->rest1)
			return cli_usage_error(usage, "speakers takes a review and a source");
		qes_code_speaker_opts so = { (const char *const *)o->skip, o->nskip, o->attrs,
					     o->nattrs, o->dry_run };
		if (!(v = qes_code_speakers(st, o->rest1, &so, &err)))
			return cli_fail("code speakers", &err);
		return print_speakers(v, o->json, o->dry_run);
	}
	if (!strcmp(action, "variables")) {
		if (!(v = qes_code_variables_json(st, &err)))
			return cli_fail("code variables", &err);
		if (o->json)
			return cli_print_json(v);
		size_t i;
		json_t *r;
		json_array_foreach(v, i, r)
			cli_row("%s %s %4lld case%s  %s%s\n", cli_pad(json_string_value(json_object_get(r, "name")), 20),
			       cli_pad(json_string_value(json_object_get(r, "type")), 9),
			       (long long)json_integer_value(json_object_get(r, "cases")),
			       json_integer_value(json_object_get(r, "cases")) == 1 ? " " : "s",
			       json_is_true(json_object_get(r, "declared")) ? "" : "(not declared) ",
			       json_string_value(json_object_get(r, "description")));
		json_decref(v);
		return 0;
	}
	if (!strcmp(action, "codes") || !strcmp(action, "sources") || !strcmp(action, "cases")) {
		v = !strcmp(action, "codes") ? qes_code_tree_json(st, o->as, &err)
		  : !strcmp(action, "sources") ? qes_code_sources_json(st, o->as, &err)
					       : qes_code_cases_json(st, &err);
		if (!v)
			return cli_fail("code", &err);
		return print_listing(action, v, o->json);
	}
	if (!(v = qes_code_stats_json(st, &err)))
		return cli_fail("code stats", &err);
	if (o->json)
		return cli_print_json(v);
	const char *k;
	json_t *n;
	json_object_foreach(v, k, n)
		cli_row("%s %lld\n", cli_pad(k, 16), (long long)json_integer_value(n));
	json_decref(v);
	return 0;
}

int cmd_code(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "name", required_argument, NULL, 'n' }, { "study", required_argument, NULL, 'S' },
		{ "kind", required_argument, NULL, 'k' }, { "pages", required_argument, NULL, 'p' },
		{ "attr", required_argument, NULL, 'A' }, { "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' }, { "colour", required_argument, NULL, 'c' },
		{ "color", required_argument, NULL, 'c' }, { "memo", required_argument, NULL, 'm' },
		{ "as", required_argument, NULL, 'u' }, { "quote", no_argument, NULL, 'q' },
		{ "interpretation", no_argument, NULL, 'i' }, { "illustrative", no_argument, NULL, 'I' },
		{ "source", required_argument, NULL, 's' }, { "code", required_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'j' }, { "fraction", required_argument, NULL, 'F' },
		{ "seed", required_argument, NULL, 'e' }, { "a", required_argument, NULL, 'a' },
		{ "b", required_argument, NULL, 'b' }, { "coded-only", no_argument, NULL, 'o' },
		{ "from-text", required_argument, NULL, 'X' }, { "to-text", required_argument, NULL, 'Y' },
		{ "type", required_argument, NULL, 'T' }, { "description", required_argument, NULL, 'm' },
		{ "skip", required_argument, NULL, 'K' }, { "dry-run", no_argument, NULL, 'D' },
		{ "mode", required_argument, NULL, 'M' }, { "remove", no_argument, NULL, 'R' },
		{ "case", required_argument, NULL, 'P' }, { "lines", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' }, { 0, 0, 0, 0 }
	};
	opts o;
	memset(&o, 0, sizeof(o));
	int c, rc = QES_EXIT_ERROR;
	o.attrs = calloc((size_t)argc + 1, sizeof(char *));
	o.skip = calloc((size_t)argc + 1, sizeof(char *));
	if (!o.attrs || !o.skip)
		goto done;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'n': o.name = optarg; break;
		case 'S': o.study = optarg; break;
		case 'k': o.kind = optarg; break;
		case 'p': o.pages = optarg; break;
		case 'A': o.attrs[o.nattrs++] = optarg; break;
		case 'f': o.from = optarg; break;
		case 't': o.to = optarg; break;
		case 'c': o.colour = optarg; break;
		case 'm': o.memo = optarg; break;
		case 'u': o.as = optarg; break;
		case 'q': o.flags |= QES_CODING_QUOTE; break;
		case 'i': o.flags |= QES_CODING_INTERPRETATION; break;
		case 'I': o.flags |= QES_CODING_ILLUSTRATIVE; break;
		case 's': o.source = optarg; break;
		case 'C': o.code = optarg; break;
		case 'j': o.json = 1; break;
		case 'F': o.fraction = optarg; break;
		case 'e': o.seed = optarg; break;
		case 'a': o.a = optarg; break;
		case 'b': o.b = optarg; break;
		case 'o': o.coded_only = 1; break;
		case 'X': o.from_text = optarg; break;
		case 'Y': o.to_text = optarg; break;
		case 'T': o.type = optarg; break;
		case 'K': o.skip[o.nskip++] = optarg; break;
		case 'D': o.dry_run = 1; break;
		case 'M': o.mode = optarg; break;
		case 'R': o.remove = 1; break;
		case 'P': o.case_name = optarg; break;
		case 'L': break;   /* source show always numbers its lines */
		case 'h':
			printf("usage: %s\n\n%s", usage, help);
			rc = 0;
			goto done;
		default:
			rc = cli_usage_error(usage, "unknown option");
			goto done;
		}
	}
	static const char *const actions[] = { "source", "case", "speakers", "variable", "variables", "add", "rename", "merge", "span", "find", "list", "codes", "sources", "cases", "note", "done", "sample", "agreement", "concordance", "map", "compare", "stats" };
	if (optind < argc && (rc = cli_action("code", usage, argv[optind], CLI_ACTIONS(actions))) >= 0)
		goto done;
	if (argc - optind < 2) {
		rc = cli_usage_error(usage, "code needs an action and a review");
		goto done;
	}
	const char *action = argv[optind], *review = argv[optind + 1];
	/* "source add REVIEW ...": swap so the review is second and the
	 * sub-action leads the rest, as run() expects. */
	if ((!strcmp(action, "source") || !strcmp(action, "case")) && argc - optind >= 3) {
		char *t = argv[optind + 1];
		argv[optind + 1] = argv[optind + 2];
		argv[optind + 2] = t;
		review = argv[optind + 1];
	}
	char **rest = argv + optind + 2;
	int nrest = argc - optind - 2;
	qes_store *st = NULL;
	if ((rc = cli_open("code", review, &st)))
		goto done;
	o.rest1 = nrest == 1 ? rest[0] : NULL;
	if (!strcmp(action, "list") || !strcmp(action, "agreement") || !strcmp(action, "stats") ||
	    !strcmp(action, "compare") || !strcmp(action, "variables") ||
	    !strcmp(action, "concordance") ||
	    !strcmp(action, "speakers") || !strcmp(action, "codes") || !strcmp(action, "sources") || !strcmp(action, "cases")) {
		rc = report(st, action, &o);
	} else {
		qes_error err;
		qes_error_clear(&err);
		if ((rc = run(st, action, rest, nrest, &o, &err)))
			rc = cli_fail("code", &err);
	}
	qes_store_close(st);
done:
	free(o.attrs);
	free(o.skip);
	return rc;
}
