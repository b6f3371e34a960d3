/* cli.h: what every subcommand shares. Commands live one per file
 * (cmd_NAME.c), are listed once in qes.c's table, parse their own options
 * with getopt_long, and turn library errors into messages and exit codes.
 * Only the CLI prints; the library never does. */
#ifndef QES_CLI_H
#define QES_CLI_H

#include <getopt.h>
#include <jansson.h>
#include "qes/error.h"
#include "qes/store.h"

/* Exit codes, documented in the README ("Exit status"). */
enum qes_exit {
	QES_EXIT_OK = 0,
	QES_EXIT_ERROR = 1,      /* anything not listed below (store, I/O, memory) */
	QES_EXIT_USAGE = 2,      /* wrong command line */
	QES_EXIT_INPUT = 3,      /* malformed input file or value; nothing was written */
	QES_EXIT_NOTFOUND = 4,   /* no such review, record, reviewer, ... */
	QES_EXIT_CONFLICT = 5,   /* already exists, ambiguous, contradicts the review */
	QES_EXIT_DENIED = 6,     /* not permitted (blinding, roles) */
	QES_EXIT_BUSY = 7,       /* the review is locked by another writer: try again */
};

typedef struct qes_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} qes_command;

/* Prints "qes CMD: <error>" to stderr and returns the matching exit code. */
int cli_fail(const char *cmd, const qes_error *err);
int cli_exit_code(int qes_status);
/* Prints a usage error and the command's usage line, returns QES_EXIT_USAGE. */
int cli_usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Options of a command that takes one option with a value (--NAME V or
 * -S V) and --help: *value gets V (left as it is when absent). Returns -1
 * to go on with argv[optind...], or the exit code to return now (0 after
 * --help, QES_EXIT_USAGE for an unknown option). */
int cli_one_option(int argc, char **argv, const char *name, char shortname, const char *usage,
		   const char *help, const char **value);
/* The name in names[0..n) nearest to word (one typo or so, or word is a
 * prefix of it), or NULL when none is close: for "did you mean". */
const char *cli_nearest(const char *word, const char *const *names, size_t n);
/* A command's action dispatch: -1 when action is one of actions[0..n) (or
 * empty, left to the command's own usage error), else prints "qes CMD: no
 * action 'ad'; did you mean 'add'?" and the usage, and returns
 * QES_EXIT_USAGE. One call per command, before it opens the review. */
int cli_action(const char *cmd, const char *usage, const char *action, const char *const *actions,
	       size_t n);
/* The same for a command whose first word may be the review itself
 * (dedup, conflicts, appraise, extract): only a word that is not a file and
 * is near an action counts as a mistyped action. */
int cli_action_or_review(const char *cmd, const char *usage, const char *word,
			 const char *const *actions, size_t n);
#define CLI_ACTIONS(a) (a), (sizeof(a) / sizeof((a)[0]))
/* The command's own argv (set by qes.c), so a usage error can name the
 * option getopt refused. */
extern const char *const *cli_argv;
extern int cli_argc;
/* Table cells by display width (table.c): the terminal columns s takes
 * (utf8proc), and s padded with spaces to width columns (left-aligned; a
 * wider s is returned whole). cli_pad returns one of 8 rotating static
 * buffers, so up to 8 calls may sit in one printf. Every table the CLI
 * prints uses "%s" with cli_pad, never "%-28s" (which counts bytes). */
int cli_display_width(const char *s);
const char *cli_pad(const char *s, int width);
/* printf for a table row: the same text without the spaces a padded empty
 * last cell leaves before the newline (or at the end, for a row finished
 * by a later putchar). Returns the bytes written or -1. */
int cli_row(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Opens REVIEW or prints why not (returns non-zero exit code). cli_open_read
 * is for commands that only read: it never waits for a writer and works in
 * a read-only folder. */
int cli_open(const char *cmd, const char *path, qes_store **st);
int cli_open_read(const char *cmd, const char *path, qes_store **st);
/* Prints a JSON value to stdout (indent 2, keys in insertion order) and
 * takes the reference. Returns 0 or QES_EXIT_ERROR. */
int cli_print_json(json_t *v);
/* json_string for possibly-NULL strings (NULL becomes JSON null). */
json_t *cli_json_str(const char *s);
/* "s" unless n is 1: "1 record", "2 records". */
const char *cli_s(long long n);
/* Number with thousands separators for people: 12,345. */
const char *cli_thousands(long long n, char buf[32]);
/* Import and parse callbacks: each skipped record and each warning, to stderr. */
void cli_on_skip(void *ud, const qes_error *why);
void cli_on_warn(void *ud, const char *file, long line, const char *msg);
/* Query output (cmd_query.c): a grid (rows of strings, header first) as an
 * aligned table; a query result as a table (how 0), JSON (1), CSV (2) or
 * HTML (3). Takes the result's reference. */
void cli_print_grid(json_t *grid);
int cli_print_query(const char *cmd, const char *query, json_t *result, int how);

/* Writes a command's table (CSV text, or HTML when is_html) to path in the
 * format its extension names: .xlsx (a spreadsheet) or .docx (Word) through
 * the library's table model, any other extension the text as it is.
 * Prints "Wrote PATH" to stderr for the office formats. 0 or an exit code. */
int cli_write_table(const char *cmd, const char *path, const char *text, int is_html,
		    const char *title);

/* The subcommands. */
int cmd_init(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_source(int argc, char **argv);
int cmd_records(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_dedup(int argc, char **argv);
int cmd_prisma(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_reviewer(int argc, char **argv);
int cmd_criteria(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_decide(int argc, char **argv);
int cmd_conflicts(int argc, char **argv);
int cmd_agreement(int argc, char **argv);
int cmd_fulltext(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_study(int argc, char **argv);
int cmd_studies(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_appraise(int argc, char **argv);
int cmd_checklist(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_code(int argc, char **argv);
int cmd_qdpx(int argc, char **argv);
int cmd_theme(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_finding(int argc, char **argv);
int cmd_cerqual(int argc, char **argv);
int cmd_advisory(int argc, char **argv);
int cmd_entreq(int argc, char **argv);
int cmd_selfcheck(int argc, char **argv);
int cmd_lay(int argc, char **argv);

#endif
