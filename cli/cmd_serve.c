/* cmd_serve.c: qes serve REVIEW [--listen HOST:PORT] [--secure-cookie]
 * [--max-per-address N] [--header-timeout SECONDS] */
#include "cli.h"
#include "qes/web.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "qes serve REVIEW [--listen HOST:PORT] [--secure-cookie]\n"
	"       [--max-per-address N] [--header-timeout SECONDS]";
static const char help[] =
	"Serves the web interface of a review until SIGINT or SIGTERM. Accounts come\n"
	"from `qes user add`. Security model and routes: docs/web.md.\n"
	"\n"
	"  --listen HOST:PORT   numeric address and port (default 127.0.0.1:8080;\n"
	"                       [::1]:8080 for IPv6; port 0 picks a free one)\n"
	"  --secure-cookie      mark the session cookie Secure: use it when a proxy\n"
	"                       serves qes over https\n"
	"  --max-per-address N  open connections one client address may hold\n"
	"                       (default 16; 1-256)\n"
	"  --header-timeout S   a request's line and headers must all arrive within\n"
	"                       S seconds, or the connection is closed (default 30)\n";

/* A whole number in [lo, hi], else -1. */
static long number_in(const char *s, long lo, long hi)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	return errno || *end || end == s || v < lo || v > hi ? -1 : v;
}

/* "127.0.0.1:8080" or "[::1]:8080" into host (buf) and port. */
static int split_listen(const char *s, char *host, size_t n, unsigned *port)
{
	const char *colon;
	if (s[0] == '[') {
		const char *end = strchr(s, ']');
		if (!end || end[1] != ':' || (size_t)(end - s - 1) >= n)
			return -1;
		memcpy(host, s + 1, (size_t)(end - s - 1));
		host[end - s - 1] = '\0';
		colon = end + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= n || colon == s)
			return -1;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
	}
	char *end;
	errno = 0;
	unsigned long p = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || p > 65535)
		return -1;
	*port = (unsigned)p;
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "secure-cookie", no_argument, NULL, 's' },
		{ "max-per-address", required_argument, NULL, 'P' },
		{ "header-timeout", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *listen = "127.0.0.1:8080";
	int secure = 0, c;
	long per_address = 0, header_seconds = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "l:sh", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen = optarg; break;
		case 's': secure = 1; break;
		case 'P':
			if ((per_address = number_in(optarg, 1, 256)) < 0)
				return cli_usage_error(usage, "--max-per-address wants 1 to 256");
			break;
		case 'T':
			if ((header_seconds = number_in(optarg, 1, 3600)) < 0)
				return cli_usage_error(usage, "--header-timeout wants 1 to 3600 seconds");
			break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(usage, "serve takes one review");
	char host[64];
	qes_web_opts o = { argv[optind], host, 0, 0, secure, (unsigned)per_address,
			   (unsigned)header_seconds };
	if (split_listen(listen, host, sizeof(host), &o.port))
		return cli_usage_error(usage, "--listen wants HOST:PORT, e.g. 127.0.0.1:8080");
	/* Block the signals before any thread starts, so that every server
	 * thread inherits the mask and only sigwait below receives them. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	qes_error err;
	qes_error_clear(&err);
	qes_web_server *s;
	if (qes_web_start(&s, &o, &err))
		return cli_fail("serve", &err);
	int v6 = strchr(host, ':') != NULL;
	printf("serving %s at http://%s%s%s:%u/ (stop with Ctrl-C)\n", argv[optind],
	       v6 ? "[" : "", host, v6 ? "]" : "", qes_web_port(s));
	fflush(stdout);
	int sig = 0;
	sigwait(&set, &sig);
	qes_web_stop(s);
	fprintf(stderr, "qes serve: stopped (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	return QES_EXIT_OK;
}
