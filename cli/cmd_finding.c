/* cmd_finding.c: qes finding add|link|study|list|show: review findings,
 * the themes and codes they rest on, and their contributing studies. */
#include "cli.h"
#include "synth_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"qes finding ACTION REVIEW ... (add | link | unlink | study | list | show); qes finding --help";
static const char help[] =
	"Review findings: summary statements resting on themes and codes.\n"
	"\n"
	"  add REVIEW KEY \"STATEMENT\" [--theme NAME]... [--code PATH]... [--by NAME]\n"
	"  link REVIEW KEY [--theme NAME]... [--code PATH]... [--by NAME]\n"
	"  unlink REVIEW KEY [--theme NAME]... [--code PATH]... [--by NAME]\n"
	"  study REVIEW KEY STUDY --add|--remove --reason TEXT [--by NAME]\n"
	"      correct the contributing studies derived from the codings\n"
	"  list REVIEW [--json]\n"
	"  show REVIEW KEY [--json]   studies, the appraisal summary, the assessment\n"
	"\n"
	"Themes are named as in qes code (or #ID); a theme's name used at two levels\n"
	"needs #ID. --by defaults to $USER.\n";

static void print_finding(json_t *f)
{
	printf("%s\t%s\n", json_string_value(json_object_get(f, "finding")),
	       json_string_value(json_object_get(f, "statement")));
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(f, "studies"), i, s)
		printf("  study\t%s\t%s%s\n", json_string_value(json_object_get(s, "study")),
		       json_string_value(json_object_get(s, "label")),
		       json_is_true(json_object_get(s, "included")) ? "" : "\t(removed)");
	printf("  limitations summary\t%s\n", json_string_value(json_object_get(
		json_object_get(f, "limitations_summary"), "text")));
	const char *k;
	json_t *a;
	json_object_foreach(json_object_get(f, "cerqual"), k, a) {
		json_t *lvl = json_object_get(a, "concern");
		printf("  %s\t%s\t%s\n", k, json_string_value(lvl ? lvl : json_object_get(a, "confidence")),
		       json_string_value(json_object_get(a, "explanation")));
	}
}

/* What is wrong with the arguments of a known action, or NULL. */
static const char *misuse(const char *action, int nrest, int nlinks, int add)
{
	if (!strcmp(action, "add"))
		return nrest != 2 ? "add needs KEY \"STATEMENT\"" : NULL;
	if (!strcmp(action, "link") || !strcmp(action, "unlink"))
		return nrest != 1 ? "link and unlink need KEY"
		     : !nlinks ? "say what to link or unlink (--theme NAME, --code PATH)" : NULL;
	if (!strcmp(action, "study"))
		return nrest != 2 ? "study needs KEY STUDY" : add < 0 ? "study needs --add or --remove" : NULL;
	if (!strcmp(action, "show"))
		return nrest != 1 ? "show needs KEY" : NULL;
	return nrest ? "list takes only the review" : NULL;
}

int cmd_finding(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "theme", required_argument, NULL, 't' }, { "code", required_argument, NULL, 'c' },
		{ "add", no_argument, NULL, 'a' }, { "remove", no_argument, NULL, 'r' },
		{ "reason", required_argument, NULL, 'R' }, { "by", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'h' }, { 0, 0, 0, 0 }
	};
	char **links = calloc((size_t)argc + 1, sizeof(char *));
	const char *reason = NULL, *by = NULL;
	int c, nlinks = 0, add = -1, json = 0, rc = 0;
	if (!links)
		return QES_EXIT_ERROR;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 't':
		case 'c':
			if (asprintf(&links[nlinks], "%s:%s", c == 't' ? "theme" : "code", optarg) < 0)
				goto oom;
			nlinks++;
			break;
		case 'a': add = 1; break;
		case 'r': add = 0; break;
		case 'R': reason = optarg; break;
		case 'b': by = optarg; break;
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); goto done;
		default: rc = cli_usage_error(usage, "unknown option"); goto done;
		}
	}
	static const char *const actions[] = { "add", "link", "unlink", "study", "list", "show" };
	if (optind < argc && (rc = cli_action("finding", usage, argv[optind], CLI_ACTIONS(actions))) >= 0)
		goto done;
	if (argc - optind < 2) {
		rc = cli_usage_error(usage, "finding needs an action and a review");
		goto done;
	}
	const char *action = argv[optind], *review = argv[optind + 1];
	char **rest = argv + optind + 2;
	int nrest = argc - optind - 2;
	int unlink = !strcmp(action, "unlink");
	int writes = !strcmp(action, "add") || !strcmp(action, "link") || unlink || !strcmp(action, "study");
	if (!writes && strcmp(action, "show") && strcmp(action, "list")) {
		rc = cli_usage_error(usage, "no action '%s'", action);
		goto done;
	}
	const char *wrong = misuse(action, nrest, nlinks, add);
	if (wrong) {
		rc = cli_usage_error(usage, "%s", wrong);
		goto done;
	}
	if (writes && !synth_who(by)) {
		rc = cli_usage_error(usage, "say who makes the change (--by NAME)");
		goto done;
	}
	qes_store *st = NULL;
	if ((rc = cli_open("finding", review, &st)))
		goto done;
	qes_error err;
	qes_error_clear(&err);
	if (!strcmp(action, "add")) {
		rc = qes_finding_add(st, rest[0], rest[1], links, nlinks, synth_who(by), &err);
	} else if (!strcmp(action, "link")) {
		rc = qes_finding_link(st, rest[0], links, nlinks, synth_who(by), &err);
	} else if (unlink) {
		rc = qes_finding_unlink(st, rest[0], links, nlinks, synth_who(by), &err);
	} else if (!strcmp(action, "study")) {
		rc = qes_finding_study(st, rest[0], rest[1], add, reason, synth_who(by), &err);
	} else {
		json_t *v = !strcmp(action, "show") ? qes_finding_json(st, rest[0], &err)
						    : qes_finding_list_json(st, &err);
		if (!v) {
			rc = err.code ? err.code : QES_ENOMEM;
		} else if (json) {
			rc = cli_print_json(v);
			goto closed;
		} else {
			if (json_is_array(v)) {
				size_t i;
				json_t *f;
				json_array_foreach(v, i, f)
					print_finding(f);
			} else {
				print_finding(v);
			}
			json_decref(v);
		}
	}
	if (rc)
		rc = cli_fail("finding", &err);
closed:
	qes_store_close(st);
	goto done;
oom:
	rc = QES_EXIT_ERROR;
done:
	for (int i = 0; i < nlinks; i++)
		free(links[i]);
	free(links);
	return rc;
}
