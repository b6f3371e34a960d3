/* cli.c: shared helpers of the subcommands. */
#include "cli.h"
#include "qes/table.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
	}
	return QES_EXIT_ERROR;
}

int cli_fail(const char *cmd, const qes_error *err)
{
	char msg[2048];
	qes_error_format(err, msg, sizeof(msg));
	fprintf(stderr, "qes %s: %s\n", cmd, msg);
	return cli_exit_code(err->code ? err->code : QES_EINVAL);
}

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

int cli_open(const char *cmd, const char *path, qes_store **st)
{
	qes_error err;
	qes_error_clear(&err);
	if (qes_store_open(st, path, &err))
		return cli_fail(cmd, &err);
	return 0;
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
