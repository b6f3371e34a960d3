/* cmd_decide.c: qes decide, one decision from a script, an undo, or a CSV. */
#include "cli.h"
#include "qes/screen.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"qes decide REVIEW --as INITIALS --stage ta|ft SOURCE_KEY include|exclude|unsure "
	"[--reason TEXT] [--note TEXT]\n"
	"       qes decide REVIEW --as INITIALS --stage ta|ft --undo\n"
	"       qes decide REVIEW --from decisions.csv";
static const char help[] =
	"Records one screening decision, takes back your last one (--undo), or\n"
	"imports decisions from a CSV with the columns\n"
	"source_key,reviewer,stage,decision,reason (one transaction: a bad row\n"
	"rejects the file, naming its line).\n"
	"\n"
	"SOURCE_KEY is the record's key in its file, IMPORT:KEY, or #ID.\n"
	"Excluding at full text needs a --reason from the review's list\n"
	"(qes criteria --reason). Blinding: you may change your decision only until\n"
	"another reviewer decides the same record; after that it is a conflict.\n"
	"\n"
	"  --as INITIALS   who decides\n"
	"  --stage ta|ft   title/abstract or full text\n"
	"  --reason TEXT   exclusion reason\n"
	"  --note TEXT     a note kept with the decision\n"
	"  --undo          take back your most recent decision at the stage\n"
	"  --from FILE     import decisions from a CSV\n";

int cmd_decide(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "stage", required_argument, NULL, 's' },
		{ "reason", required_argument, NULL, 'r' },
		{ "note", required_argument, NULL, 'n' },
		{ "from", required_argument, NULL, 'f' },
		{ "undo", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *as = NULL, *stage_s = NULL, *from = NULL;
	qes_decide_opts o = { NULL, NULL };
	int undo = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "a:s:r:n:f:uh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': as = optarg; break;
		case 's': stage_s = optarg; break;
		case 'r': o.reason = optarg; break;
		case 'n': o.note = optarg; break;
		case 'f': from = optarg; break;
		case 'u': undo = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	int left = argc - optind;
	qes_error err;
	qes_error_clear(&err);
	qes_stage stage = QES_STAGE_TA;
	qes_decision d = QES_DEC_NONE;
	if (from) {
		if (left != 1 || as || stage_s || undo)
			return cli_usage_error(usage, "--from takes only the review");
	} else {
		if (!as || !stage_s)
			return cli_usage_error(usage, "say who decides (--as) and the stage (--stage)");
		if (qes_stage_parse(stage_s, &stage, &err))
			return cli_usage_error(usage, "%s", err.message);
		if (undo ? left != 1 : left != 3)
			return cli_usage_error(usage, undo ? "--undo takes only the review"
						     : "give REVIEW SOURCE_KEY DECISION");
		if (!undo && qes_decision_parse(argv[optind + 2], &d, &err))
			return cli_usage_error(usage, "%s", err.message);
	}
	qes_store *st;
	int rc = cli_open("decide", argv[optind], &st);
	if (rc)
		return rc;
	long long id = 0;
	if (from) {
		long n;
		if (qes_decisions_import(st, from, &n, &err))
			rc = cli_fail("decide", &err);
		else
			printf("imported %ld decision%s from %s\n", n, n == 1 ? "" : "s", from);
	} else if (undo) {
		if (qes_screen_undo(st, as, stage, &id, &err))
			rc = cli_fail("decide", &err);
		else if (id)
			printf("undid %s's last decision at %s (record #%lld)\n", as,
			       qes_stage_name(stage), id);
		else
			printf("%s has no decision at %s to undo\n", as, qes_stage_name(stage));
	} else if (qes_record_find(st, argv[optind + 1], &id, &err) ||
		   qes_screen_decide(st, as, stage, id, d, &o, &err)) {
		rc = cli_fail("decide", &err);
	}
	qes_store_close(st);
	return rc;
}
