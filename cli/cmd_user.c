/* cmd_user.c: qes user add|remove|password|list (accounts of the web interface) */
#include "cli.h"
#include "qes/web.h"

#include <stdio.h>
#include <string.h>
#include <sodium.h>

static const char usage[] =
	"qes user add REVIEW NAME --role owner|reviewer|advisor [--initials AB]\n"
	"       qes user remove REVIEW NAME\n"
	"       qes user password REVIEW NAME      (the new password on standard input)\n"
	"       qes user list REVIEW [--json]";
static const char help[] =
	"Manages who may log in to `qes serve`. The password is read from standard\n"
	"input (its first line) and stored as an argon2id hash. Removing a user, or\n"
	"setting their password, ends their sessions at once; their screening\n"
	"reviewer and decisions stay.\n"
	"\n"
	"  --role ROLE       owner, reviewer, or advisor (sees and comments on what\n"
	"                    is shared with advisors; never screens)\n"
	"  --initials AB     the screening reviewer this user screens as (created\n"
	"                    when missing); owners and reviewers need it to screen\n"
	"  --json            list as an array of {name, role, initials}\n";

static int add_json(void *ud, const qes_web_user *u)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(u->name));
	json_object_set_new(o, "role", json_string(u->role));
	json_object_set_new(o, "initials", cli_json_str(u->initials));
	json_array_append_new(ud, o);
	return 0;
}

/* The first line of standard input, without its newline. */
static int read_password(char *buf, size_t n)
{
	if (!fgets(buf, (int)n, stdin))
		return -1;
	size_t len = strlen(buf);
	if (len && buf[len - 1] != '\n' && !feof(stdin))
		return -1;  /* longer than the buffer */
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 0;
}

int cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "initials", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *role = NULL, *initials = NULL;
	int json = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "r:i:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'r': role = optarg; break;
		case 'i': initials = optarg; break;
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	static const char *const actions[] = { "add", "remove", "password", "list" };
	if (optind < argc && cli_action("user", usage, argv[optind], CLI_ACTIONS(actions)) >= 0)
		return QES_EXIT_USAGE;
	int left = argc - optind;
	const char *sub = left > 0 ? argv[optind] : "";
	int is_add = !strcmp(sub, "add"), is_rm = !strcmp(sub, "remove");
	int is_pw = !strcmp(sub, "password");
	if (!((is_add || is_rm || is_pw) && left == 3) && !(!strcmp(sub, "list") && left == 2))
		return cli_usage_error(usage, "say add|remove|password REVIEW NAME, or list REVIEW");
	if (is_add && !role)
		return cli_usage_error(usage, "add needs --role owner|reviewer|advisor");
	if (!is_add && (role || initials))
		return cli_usage_error(usage, "--role and --initials go with add");
	qes_error err;
	qes_error_clear(&err);
	char pw[QES_WEB_PASSWORD_MAX + 2];
	if ((is_add || is_pw) && read_password(pw, sizeof(pw))) {
		fprintf(stderr, "qes user: give the password on standard input (at most %d bytes)\n",
			QES_WEB_PASSWORD_MAX);
		return QES_EXIT_INPUT;
	}
	qes_store *st;
	int rc = cli_open("user", argv[optind + 1], &st);
	if (rc) {
		sodium_memzero(pw, sizeof(pw));
		return rc;
	}
	if (is_add) {
		rc = qes_web_user_add(st, argv[optind + 2], role, pw, initials, &err);
		sodium_memzero(pw, sizeof(pw));
		qes_store_close(st);
		if (rc)
			return cli_fail("user", &err);
		printf("added %s (%s%s%s)\n", argv[optind + 2], role, initials ? ", screens as " : "",
		       initials ? initials : "");
		return QES_EXIT_OK;
	}
	if (is_rm || is_pw) {
		rc = is_rm ? qes_web_user_remove(st, argv[optind + 2], &err)
			   : qes_web_user_password(st, argv[optind + 2], pw, &err);
		sodium_memzero(pw, sizeof(pw));
		qes_store_close(st);
		if (rc)
			return cli_fail("user", &err);
		printf("%s %s; their sessions ended\n", is_rm ? "removed" : "new password for",
		       argv[optind + 2]);
		return QES_EXIT_OK;
	}
	json_t *list = json_array();
	rc = qes_web_user_foreach(st, add_json, list, &err);
	qes_store_close(st);
	if (rc) {
		json_decref(list);
		return cli_fail("user", &err);
	}
	if (json)
		return cli_print_json(list);
	size_t i;
	json_t *u;
	json_array_foreach(list, i, u) {
		const char *ini = json_string_value(json_object_get(u, "initials"));
		cli_row("%s %s %s\n", cli_pad(json_string_value(json_object_get(u, "name")), 24),
		       cli_pad(json_string_value(json_object_get(u, "role")), 9), ini ? ini : "-");
	}
	json_decref(list);
	return QES_EXIT_OK;
}
