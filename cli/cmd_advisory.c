/* cmd_advisory.c: qes advisory: the lived-experience advisory group. */
#include "cli.h"
#include "synth_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/advisory.h"

static const char usage[] =
	"qes advisory ACTION REVIEW ... (advisor | workshop | comment | respond | share |\n"
	"       hold | consent | debrief | log | view); qes advisory --help";
static const char help[] =
	"The lived-experience advisory group (LEAG). Targets are KIND:NAME:\n"
	"theme:NAME (or theme:#ID), finding:KEY, code:PATH, coding:GUID (or coding:#ID);\n"
	"a comment may also be on the lay summary: lay:N (version N) or lay:shared.\n"
	"\n"
	"  advisor REVIEW NAME [--user WEBUSER]      a name or pseudonym; --user links a\n"
	"                                            web account of role advisor\n"
	"  workshop REVIEW YYYY-MM-DD [--title T] [--advisor NAME]... [--show TARGET]...\n"
	"                                            --show text:WORDS for anything else\n"
	"  comment REVIEW \"TEXT\" [--advisor NAME] [--workshop N] [--on TARGET]\n"
	"                                            without --advisor: the group's\n"
	"  respond REVIEW COMMENT adopted|partly|not_adopted|pending [--change TEXT]\n"
	"          [--affects TARGET]...             how the analysis changed (or why not)\n"
	"  consent REVIEW NAME --date YYYY-MM-DD --how TEXT   an advisor's consent (in\n"
	"                                            writing, by phone, ...); debrief likewise\n"
	"  debrief REVIEW NAME --date YYYY-MM-DD --how TEXT\n"
	"  share REVIEW TARGET / hold REVIEW TARGET  what advisors see (theme, finding,\n"
	"                                            coding); a held-back quote never shows\n"
	"  log REVIEW [--json|--csv|--html] [-o FILE]    workshops, comments, responses\n"
	"  view REVIEW --as-advisor [--json]         exactly what advisors see\n"
	"\n"
	"Writes take --by NAME (default $USER) for the synthesis log.\n";

typedef struct opts {
	const char *user, *title, *workshop, *on, *change, *by, *out, *advisor, *date, *how;
	char **advisors, **shown, **affects;
	int nadvisors, nshown, naffects, fmt, as_advisor;
} opts;

static void print_quotes(json_t *qs)
{
	size_t i;
	json_t *q;
	json_array_foreach(qs, i, q) {
		const char *p = json_string_value(json_object_get(q, "role"));
		if (!*p)
			p = json_string_value(json_object_get(q, "perspective"));
		printf("    \"%s\" (%s%s%s)\n", json_string_value(json_object_get(q, "text")), p,
		       *p ? ", " : "", json_string_value(json_object_get(q, "study")));
	}
}

static int view(qes_store *st, const opts *o)
{
	qes_error err;
	qes_error_clear(&err);
	json_t *v = qes_advisory_view_json(st, &err), *t;
	if (!v)
		return cli_fail("advisory view", &err);
	if (o->fmt == SYNTH_OUT_JSON)
		return cli_print_json(v);
	size_t i;
	json_array_foreach(json_object_get(v, "themes"), i, t) {
		printf("Theme (%s): %s\n", json_string_value(json_object_get(t, "level")),
		       json_string_value(json_object_get(t, "theme")));
		print_quotes(json_object_get(t, "quotes"));
	}
	json_array_foreach(json_object_get(v, "findings"), i, t) {
		json_t *c = json_object_get(t, "confidence");
		printf("Finding %s: %s [%s]\n", json_string_value(json_object_get(t, "finding")),
		       json_string_value(json_object_get(t, "statement")),
		       qes_cerqual_level_text(json_string_value(c), 1));
		print_quotes(json_object_get(t, "quotes"));
	}
	json_decref(v);
	return 0;
}

static int show_log(qes_store *st, const opts *o)
{
	qes_error err;
	qes_error_clear(&err);
	if (o->fmt == SYNTH_OUT_JSON) {
		json_t *v = qes_advisory_log_json(st, &err);
		return v ? synth_emit_json("advisory log", o->out, v) : cli_fail("advisory log", &err);
	}
	char *text = NULL;
	if (qes_advisory_log_text(st, o->fmt == SYNTH_OUT_HTML ? QES_TABLE_HTML : QES_TABLE_CSV,
				  &text, &err))
		return cli_fail("advisory log", &err);
	int rc = synth_emit("advisory log", o->out, text);
	free(text);
	return rc;
}

static int run(qes_store *st, const char *action, char **rest, int nrest, const opts *o,
	       qes_error *err)
{
	long long id = 0;
	const char *by = synth_who(o->by);
	if (!strcmp(action, "advisor") && nrest == 1)
		return qes_advisor_add(st, rest[0], o->user, by, err);
	if (!strcmp(action, "workshop") && nrest == 1) {
		int rc = qes_workshop_add(st, rest[0], o->title, o->advisors, o->nadvisors, o->shown,
					  o->nshown, by, &id, err);
		if (!rc)
			printf("workshop #%lld\n", id);
		return rc;
	}
	if (!strcmp(action, "comment") && nrest == 1) {
		long long w = 0;
		if (o->workshop) {
			char *end;
			w = strtoll(o->workshop, &end, 10);
			if (!*o->workshop || *end || w <= 0)
				return qes_error_set(err, QES_EINVAL, "--workshop takes a workshop number");
		}
		int rc = qes_comment_add(st, o->advisor, w, o->on, rest[0], by, &id, err);
		if (!rc)
			printf("comment #%lld\n", id);
		return rc;
	}
	if (!strcmp(action, "respond") && nrest == 2) {
		char *end;
		long long cid = strtoll(rest[0], &end, 10);
		if (!*rest[0] || *end)
			return qes_error_set(err, QES_EINVAL, "COMMENT is a comment number");
		return qes_comment_respond(st, cid, rest[1], o->change, o->affects, o->naffects, by, err);
	}
	if ((!strcmp(action, "consent") || !strcmp(action, "debrief")) && nrest == 1)
		return qes_advisor_record(st, rest[0], action, o->date, o->how, by, err);
	if ((!strcmp(action, "share") || !strcmp(action, "hold")) && nrest == 1)
		return qes_advisory_share(st, rest[0], !strcmp(action, "share"), by, err);
	return qes_error_set(err, QES_EINVAL, "wrong arguments for 'advisory %s' (qes advisory --help)",
			     action);
}

/* Checked before --by, so a mistyped action is named as such. */
static int is_write_action(const char *action)
{
	static const char *const writes[] = { "advisor", "workshop", "comment", "respond", "share", "hold",
					      "consent", "debrief" };
	for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++)
		if (!strcmp(action, writes[i]))
			return 1;
	return 0;
}

int cmd_advisory(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "user", required_argument, NULL, 'u' }, { "title", required_argument, NULL, 't' },
		{ "advisor", required_argument, NULL, 'a' }, { "show", required_argument, NULL, 's' },
		{ "workshop", required_argument, NULL, 'w' }, { "on", required_argument, NULL, 'n' },
		{ "change", required_argument, NULL, 'c' }, { "affects", required_argument, NULL, 'f' },
		{ "by", required_argument, NULL, 'b' }, { "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'C' }, { "html", no_argument, NULL, 'H' },
		{ "output", required_argument, NULL, 'o' }, { "as-advisor", no_argument, NULL, 'A' },
		{ "date", required_argument, NULL, 'd' }, { "how", required_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' }, { 0, 0, 0, 0 }
	};
	opts o;
	memset(&o, 0, sizeof(o));
	char **lists = calloc(3 * ((size_t)argc + 1), sizeof(char *));
	if (!lists)
		return QES_EXIT_ERROR;
	o.advisors = lists;
	o.shown = lists + argc + 1;
	o.affects = lists + 2 * (argc + 1);
	int c, rc = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "ho:", lo, NULL)) != -1) {
		switch (c) {
		case 'u': o.user = optarg; break;
		case 't': o.title = optarg; break;
		case 'a': o.advisors[o.nadvisors++] = optarg; o.advisor = optarg; break;
		case 's': o.shown[o.nshown++] = optarg; break;
		case 'w': o.workshop = optarg; break;
		case 'n': o.on = optarg; break;
		case 'c': o.change = optarg; break;
		case 'f': o.affects[o.naffects++] = optarg; break;
		case 'b': o.by = optarg; break;
		case 'j': o.fmt = SYNTH_OUT_JSON; break;
		case 'C': o.fmt = SYNTH_OUT_CSV; break;
		case 'H': o.fmt = SYNTH_OUT_HTML; break;
		case 'o': o.out = optarg; break;
		case 'A': o.as_advisor = 1; break;
		case 'd': o.date = optarg; break;
		case 'W': o.how = optarg; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); goto done;
		default: rc = cli_usage_error(usage, "unknown option"); goto done;
		}
	}
	static const char *const actions[] = { "advisor", "workshop", "comment", "respond", "share", "hold", "consent", "debrief", "log", "view" };
	if (optind < argc && (rc = cli_action("advisory", usage, argv[optind], CLI_ACTIONS(actions))) >= 0)
		goto done;
	if (argc - optind < 2) {
		rc = cli_usage_error(usage, "advisory needs an action and a review");
		goto done;
	}
	const char *action = argv[optind];
	int reads = !strcmp(action, "log") || !strcmp(action, "view");
	if (!reads && !is_write_action(action)) {
		rc = cli_usage_error(usage, "no action '%s'", action);
		goto done;
	}
	if (!strcmp(action, "view") && !o.as_advisor) {
		rc = cli_usage_error(usage, "view shows what advisors see: say --as-advisor");
		goto done;
	}
	if (!strcmp(action, "comment") && o.nadvisors > 1) {
		rc = cli_usage_error(usage, "a comment is one advisor's (or the group's: no --advisor)");
		goto done;
	}
	if (!reads && !synth_who(o.by)) {
		rc = cli_usage_error(usage, "say who makes the change (--by NAME)");
		goto done;
	}
	qes_store *st = NULL;
	if ((rc = cli_open("advisory", argv[optind + 1], &st)))
		goto done;
	if (!strcmp(action, "log")) {
		rc = show_log(st, &o);
	} else if (!strcmp(action, "view")) {
		rc = view(st, &o);
	} else {
		qes_error err;
		qes_error_clear(&err);
		if ((rc = run(st, action, argv + optind + 2, argc - optind - 2, &o, &err)))
			rc = cli_fail("advisory", &err);
	}
	qes_store_close(st);
done:
	free(lists);
	return rc;
}
