/* cmd_qdpx.c: qes qdpx export|import|export-codebook|import-codebook:
 * exchange with other qualitative analysis tools (REFI-QDA 1.5). */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include "qes/qdpx.h"

static const char usage[] =
	"qes qdpx export REVIEW -o FILE.qdpx | import REVIEW FILE.qdpx [--dry-run]\n"
	"       | export-codebook REVIEW -o FILE.qdc | import-codebook REVIEW FILE.qdc [--dry-run]";
static const char help[] =
	"Exchange with NVivo, ATLAS.ti, MAXQDA and other tools (REFI-QDA 1.5).\n"
	"\n"
	"  export REVIEW -o FILE.qdpx           sources, codes, codings, cases, variables,\n"
	"                                       notes, sets (themes) and coders\n"
	"  import REVIEW FILE.qdpx [--dry-run]  all of it, in one transaction; GUIDs already\n"
	"                                       in the review are skipped (re-import adds nothing)\n"
	"  export-codebook REVIEW -o FILE.qdc   the codes tree and sets\n"
	"  import-codebook REVIEW FILE.qdc [--dry-run]\n"
	"\n"
	"Exports are validated against the REFI-QDA schema before they are written. On import,\n"
	"what was handled (byte-order marks, CRLF line ends mapped) or not carried is listed\n"
	"as 'note:' lines on stderr. See docs/qdpx.md.\n";

static void on_note(void *ud, const char *entry, long line, const char *msg)
{
	(void)ud;
	if (line)
		fprintf(stderr, "note: %s:%ld: %s\n", entry, line, msg);
	else
		fprintf(stderr, "note: %s: %s\n", entry, msg);
}

static void print_counts(const qes_qdpx_counts *c, int dry)
{
	printf("%s %ld sources, %ld codes, %ld codings, %ld cases, %ld notes, %ld sets, %ld users,"
	       " %ld variables; %ld already present (skipped)\n", dry ? "would import" : "imported",
	       c->sources, c->codes, c->codings, c->cases, c->notes, c->sets, c->users, c->variables,
	       c->skipped);
}

int cmd_qdpx(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' }, { "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' }, { 0, 0, 0, 0 }
	};
	const char *out = NULL;
	int dry = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "ho:", lo, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'n': dry = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	static const char *const actions[] = { "export", "import", "export-codebook", "import-codebook" };
	if (optind < argc && cli_action("qdpx", usage, argv[optind], CLI_ACTIONS(actions)) >= 0)
		return QES_EXIT_USAGE;
	if (argc - optind < 2)
		return cli_usage_error(usage, "qdpx needs an action and a review");
	const char *action = argv[optind], *review = argv[optind + 1];
	int nrest = argc - optind - 2, exporting = !strncmp(action, "export", 6);
	int codebook = !strcmp(action, "export-codebook") || !strcmp(action, "import-codebook");
	if (strcmp(action, "export") && strcmp(action, "import") && !codebook)
		return cli_usage_error(usage, "unknown action '%s'", action);
	if (exporting && (!out || nrest))
		return cli_usage_error(usage, "%s needs -o FILE", action);
	if (!exporting && nrest != 1)
		return cli_usage_error(usage, "%s needs one FILE", action);
	qes_store *st = NULL;
	int rc = cli_open("qdpx", review, &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	qes_qdpx_counts counts;
	qes_qdpx_import_opts o = { on_note, NULL, dry };
	const char *file = exporting ? out : argv[optind + 2];
	if (exporting)
		rc = codebook ? qes_qdc_export(st, file, &err) : qes_qdpx_export(st, file, &err);
	else
		rc = codebook ? qes_qdc_import(st, file, &o, &counts, &err)
			      : qes_qdpx_import(st, file, &o, &counts, &err);
	if (rc) {
		rc = cli_fail("qdpx", &err);
	} else if (exporting) {
		printf("wrote %s\n", file);
	} else {
		print_counts(&counts, dry);
	}
	qes_store_close(st);
	return rc;
}
