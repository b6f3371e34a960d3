/* cli.c: shared helpers of the subcommands. */
#include "cli.h"
#include "qes/table.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_exit_code(int status)
{
	switch (status) {
	case QES_OK: return QES_EXIT_OK;
	case QES_EINVAL: return QES_EXIT_USAGE;
	case QES_EFORMAT:
	case QES_ELIMIT: return QES_EXIT_INPUT;
	case QES_ENOTFOUND: return QES_EXIT_NOTFOUND;
	case QES_EEXIST:
	case QES_EAMBIG:
	case QES_ECONFLICT: return QES_EXIT_CONFLICT;
	case QES_EPERM: return QES_EXIT_DENIED;
	case QES_EBUSY: return QES_EXIT_BUSY;
	}
	return QES_EXIT_ERROR;
}

int cli_fail(const char *cmd, const qes_error *err)
{
	char msg[2048];
	/* An input file that could not be read: the README's table says a
	 * missing file is "not found" (4) and a folder given for a file is bad
	 * input (3), not an I/O error (1). The library reports both as I/O
	 * errors with the file named; the CLI tells them apart here. */
	struct stat sb;
	if (err->code == QES_EIO && err->file[0] &&
	    (!strncmp(err->message, "cannot open", 11) || !strncmp(err->message, "cannot read", 11) ||
	     !strncmp(err->message, "read error", 10))) {   /* reading, never writing */
		if (stat(err->file, &sb) && errno == ENOENT) {
			fprintf(stderr, "qes %s: %s: no such file\n", cmd, err->file);
			return QES_EXIT_NOTFOUND;
		}
		if (!stat(err->file, &sb) && S_ISDIR(sb.st_mode)) {
			fprintf(stderr, "qes %s: %s is a folder; give a file\n", cmd, err->file);
			return QES_EXIT_INPUT;
		}
	}
	qes_error_format(err, msg, sizeof(msg));
	fprintf(stderr, "qes %s: %s\n", cmd, msg);
	return cli_exit_code(err->code ? err->code : QES_EINVAL);
}

/* Levenshtein distance, for "did you mean" (short words only). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return (size_t)-1;
	size_t row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *cli_nearest(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, len = strlen(word);
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, names[i]);
		/* A prefix of a name is as good as one typo ("stat" for "status"). */
		if (len >= 3 && !strncmp(names[i], word, len))
			d = 1;
		if (d < best_d)
			best_d = d, best = names[i];
	}
	/* Close enough to be a typo: a third of the word, at least one edit. */
	return best && best_d <= (len > 5 ? len / 3 : 2) && best_d < len ? best : NULL;
}

int cli_action(const char *cmd, const char *usage, const char *action, const char *const *actions,
	       size_t n)
{
	if (!action || !*action)
		return -1;      /* a missing action is the command's own usage error */
	for (size_t i = 0; i < n; i++)
		if (!strcmp(action, actions[i]))
			return -1;
	const char *near = cli_nearest(action, actions, n);
	if (near)
		fprintf(stderr, "qes %s: no action '%s'; did you mean '%s'?\n", cmd, action, near);
	else
		fprintf(stderr, "qes %s: no action '%s'\n", cmd, action);
	fprintf(stderr, "usage: %s\n", usage);
	return QES_EXIT_USAGE;
}

int cli_action_or_review(const char *cmd, const char *usage, const char *word,
			 const char *const *actions, size_t n)
{
	/* "qes dedup REVIEW": a review, an option or a word far from every
	 * action goes on to the command; a near miss of a missing file is a
	 * mistyped action ("qes dedup reviw r.qes"). */
	if (!word || word[0] == '-' || !access(word, F_OK) || !cli_nearest(word, actions, n))
		return -1;
	return cli_action(cmd, usage, word, actions, n);
}

/* The options a usage line names ("--json", "-o"), for "did you mean". */
static const char *nearest_option(const char *usage, const char *opt, char *out, size_t outlen)
{
	const char *names[64];
	char store[64][32];
	size_t n = 0;
	for (const char *p = usage; (p = strstr(p, "--")) && n < 64;) {
		size_t len = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz0123456789-");
		if (len && len < sizeof(store[0]) - 3) {
			snprintf(store[n], sizeof(store[n]), "--%.*s", (int)len, p + 2);
			names[n] = store[n];
			n++;
		}
		p += 2 + len;
	}
	char bare[64];
	snprintf(bare, sizeof(bare), "%s", opt);
	char *eq = strchr(bare, '=');
	if (eq)
		*eq = '\0';
	const char *best = cli_nearest(bare, names, n);
	if (!best)
		return NULL;
	snprintf(out, outlen, "%s", best);
	return out;
}

const char *const *cli_argv;
int cli_argc;

int cli_write_table(const char *cmd, const char *path, const char *text, int is_html,
		    const char *title)
{
	qes_error err;
	qes_error_clear(&err);
	if (qes_table_export(text, strlen(text), is_html, title, path, &err))
		return cli_fail(cmd, &err);
	if (qes_table_path_is_office(path))
		fprintf(stderr, "Wrote %s\n", path);
	return 0;
}

int cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;
	/* getopt's "unknown option" (opterr is off, see qes.c): one line that
	 * names the option, with the nearest one the command has. Commands
	 * with subcommands run getopt on a shifted argv, so the option is
	 * found by name rather than by optind. */
	if (!strcmp(fmt, "unknown option") && cli_argv) {
		const char *last = cli_argc > 0 ? cli_argv[cli_argc - 1] : "";
		char near[40];
		char shortopt[3] = { '-', (char)optopt, '\0' };
		const char *in_usage = optopt ? strstr(usage, shortopt) : NULL;
		int has_short = in_usage && !((in_usage[2] >= 'a' && in_usage[2] <= 'z') ||
					      (in_usage[2] >= 'A' && in_usage[2] <= 'Z'));
		if (optopt && last[0] == '-' &&
		    (last[1] == '-' || (last[1] == optopt && !last[2] && has_short))) {
			/* A value missing: that is always the last word. */
			fprintf(stderr, "qes: option '%s' needs a value\n", last);
			return QES_EXIT_USAGE;
		}
		if (optopt) {
			fprintf(stderr, "qes: unknown option '-%c' (--help lists them)\n", optopt);
			return QES_EXIT_USAGE;
		}
		for (int i = 1; i < cli_argc; i++) {
			const char *a = cli_argv[i];
			if (!strcmp(a, "--"))
				break;
			if (a[0] != '-' || a[1] != '-')
				continue;
			size_t len = strcspn(a, "=");
			int known = 0;
			for (const char *p = usage; *p && !known; p++)
				known = !strncmp(p, a, len) &&
					!((p[len] >= 'a' && p[len] <= 'z') || p[len] == '-');
			if (known)
				continue;
			if (nearest_option(usage, a, near, sizeof(near)))
				fprintf(stderr, "qes: unknown option '%.*s' (did you mean '%s'?)\n",
					(int)len, a, near);
			else
				fprintf(stderr, "qes: unknown option '%.*s' (--help lists them)\n",
					(int)len, a);
			return QES_EXIT_USAGE;
		}
	}
	fputs("qes: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s\n", usage);
	return QES_EXIT_USAGE;
}

int cli_one_option(int argc, char **argv, const char *name, char shortname, const char *usage,
		   const char *help, const char **value)
{
	const struct option opts[] = {
		{ name, required_argument, NULL, shortname },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	char shorts[4] = { shortname, ':', 'h', '\0' };
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (c == shortname)
			*value = optarg;
		else if (c == 'h')
			return printf("usage: %s\n\n%s", usage, help), 0;
		else
			return cli_usage_error(usage, "unknown option");
	}
	return -1;
}

/* Opens for writing or (read) for reading, with the README's exit codes:
 * a folder or a file that is not a review is bad input (3), not usage. */
static int open_review(const char *cmd, const char *path, qes_store **st, int read)
{
	qes_error err;
	qes_error_clear(&err);
	struct stat sb;
	if (!stat(path, &sb) && S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "qes %s: %s is a folder, not a review file (a .qes file made by "
				"'qes init')\n", cmd, path);
		return QES_EXIT_INPUT;
	}
	int rc = read ? qes_store_open_read(st, path, &err) : qes_store_open(st, path, &err);
	if (rc == QES_EINVAL) {
		/* "not a qes review": the file is bad input, not a usage error. */
		char msg[2048];
		qes_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "qes %s: %s\n", cmd, msg);
		return QES_EXIT_INPUT;
	}
	if (rc)
		return cli_fail(cmd, &err);
	return 0;
}

int cli_open(const char *cmd, const char *path, qes_store **st)
{
	return open_review(cmd, path, st, 0);
}

int cli_open_read(const char *cmd, const char *path, qes_store **st)
{
	return open_review(cmd, path, st, 1);
}

int cli_print_json(json_t *v)
{
	if (!v) {
		fputs("qes: out of memory\n", stderr);
		return QES_EXIT_ERROR;
	}
	int rc = json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII * 0);
	json_decref(v);
	fputc('\n', stdout);
	return rc ? QES_EXIT_ERROR : 0;
}

json_t *cli_json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

void cli_on_skip(void *ud, const qes_error *why)
{
	(void)ud;
	char msg[2048];
	qes_error_format(why, msg, sizeof(msg));
	fprintf(stderr, "skipped: %s\n", msg);
}

void cli_on_warn(void *ud, const char *file, long line, const char *msg)
{
	(void)ud;
	if (line > 0)
		fprintf(stderr, "warning: %s:%ld: %s\n", file, line, msg);
	else
		fprintf(stderr, "warning: %s: %s\n", file, msg);
}

const char *cli_thousands(long long n, char buf[32])
{
	char tmp[32];
	int len = snprintf(tmp, sizeof(tmp), "%lld", n < 0 ? -n : n);
	int w = 0;
	if (n < 0)
		buf[w++] = '-';
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf[w++] = ',';
		buf[w++] = tmp[i];
	}
	buf[w] = '\0';
	return buf;
}
