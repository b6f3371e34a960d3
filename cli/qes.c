/* qes.c: the entry point. One table of subcommands (git's git.c does the
 * same); each command parses its own options and prints its own --help. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#ifndef QES_VERSION
#define QES_VERSION "0.1.0"
#endif

static const qes_command commands[] = {
	{ "init",    cmd_init,    "create a new review file" },
	{ "import",  cmd_import,  "import search results (RIS, MEDLINE, WoS, BibTeX, EndNote XML, CSV)" },
	{ "source",  cmd_source,  "record a search with no export (e.g. 0 hits): date, string, hits" },
	{ "records", cmd_records, "list or search records" },
	{ "show",    cmd_show,    "show one record in full, with where it came from" },
	{ "export",  cmd_export,  "export records as RIS, CSV or BibTeX" },
	{ "status",  cmd_status,  "summarise a review: sources, records, progress" },
	{ "parse",   cmd_parse,   "read export files without importing them (check a file)" },
	{ "dedup",   cmd_dedup,   "find and merge duplicate records; review uncertain pairs" },
	{ "reviewer", cmd_reviewer, "add or list the review's reviewers" },
	{ "criteria", cmd_criteria, "show or add eligibility criteria, exclusion reasons, keywords" },
	{ "policy",  cmd_policy,  "show or set a stage's double-screening policy" },
	{ "screen",  cmd_screen,  "screen records in the terminal (or --progress, --outcomes)" },
	{ "decide",  cmd_decide,  "record screening decisions from scripts or a CSV" },
	{ "conflicts", cmd_conflicts, "list or resolve screening conflicts" },
	{ "agreement", cmd_agreement, "agreement between reviewers: percent and Cohen's kappa" },
	{ "fulltext", cmd_fulltext, "full texts: attach PDFs, mark reports retrieved (file elsewhere) or not retrieved, show" },
	{ "log",     cmd_log,     "the screening audit log" },
	{ "prisma",  cmd_prisma,  "the PRISMA 2020 flow diagram and its counts, from the data" },
	{ "report",  cmd_report,  "the review report: one self-contained HTML page" },
	{ "study",   cmd_study,   "included studies and their reports (add, link, list, note)" },
	{ "extract", cmd_extract, "data extraction: fill a study's form, CSV in and out, the form" },
	{ "studies", cmd_studies, "summary of study characteristics, with contradiction check" },
	{ "code",    cmd_code,    "coding for thematic synthesis: sources, cases, codes, spans, agreement" },
	{ "qdpx",    cmd_qdpx,    "exchange with NVivo and other tools: REFI-QDA .qdpx projects, .qdc codebooks" },
	{ "theme",   cmd_theme,   "themes: descriptive, analytical, subthemes; list, trace, themes table" },
	{ "query",   cmd_query,   "synthesis queries: theme matrix, co-occurrence, text search, framework" },
	{ "appraise", cmd_appraise, "quality appraisal: ratings, table, plots, agreement, sample" },
	{ "checklist", cmd_checklist, "appraisal checklists: list, add, add-question, use, export" },
	{ "finding", cmd_finding, "review findings: statements on themes and codes, contributing studies" },
	{ "cerqual", cmd_cerqual, "GRADE-CERQual: assess findings; SoQF table and evidence profile" },
	{ "advisory", cmd_advisory, "lived-experience advisory group: workshops, comments, sharing" },
	{ "entreq",  cmd_entreq,  "the ENTREQ reporting checklist, filled from the review" },
	{ "selfcheck", cmd_selfcheck, "the review appraised as a whole: JBI, AMSTAR 2 or ENTREQ items from the data" },
	{ "lay",     cmd_lay,     "the plain-language summary: edit, versions, share with advisors, readability, export" },
	{ "simulate", cmd_simulate, "replay a labelled dataset with prioritised screening (metrics, curve)" },
	{ "user",    cmd_user,    "accounts of the web interface: add, list, password, remove" },
	{ "serve",   cmd_serve,   "serve the web interface (accounts, screening, progress)" },
	{ "backup",  cmd_backup,  "a consistent copy of a review while it is served (or of a folder's)" },
	{ "restore", cmd_restore, "put a backup back (checked first; --force to replace a review)" },
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: qes COMMAND [ARGS...]    (qes COMMAND --help for details)\n\n"
		    "qes %s: a workbench for systematic reviews and qualitative evidence synthesis.\n\n"
		    "Commands:\n", QES_VERSION);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp, "\nExit status: 0 success, 1 error, 2 usage, 3 bad input, 4 not found,\n"
		    "5 conflict (exists, ambiguous), 6 not permitted.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return QES_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
		if (argc > 2 && strcmp(name, "help") == 0) {
			char *help_argv[] = { argv[2], (char *)"--help", NULL };
			for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
				if (!strcmp(commands[i].name, argv[2]))
					return commands[i].run(2, help_argv);
		}
		usage(stdout);
		return 0;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("qes %s\n", QES_VERSION);
		return 0;
	}
	/* Commands report getopt's refusals themselves, in one line. */
	opterr = 0;
	cli_argv = (const char *const *)argv + 1;
	cli_argc = argc - 1;
	size_t n = sizeof(commands) / sizeof(commands[0]);
	const char *names[sizeof(commands) / sizeof(commands[0])];
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(commands[i].name, name))
			return commands[i].run(argc - 1, argv + 1);
		names[i] = commands[i].name;
	}
	const char *near = cli_nearest(name, names, n);
	if (near)
		fprintf(stderr, "qes: '%s' is not a qes command; did you mean '%s'?\n", name, near);
	else
		fprintf(stderr, "qes: '%s' is not a qes command ('qes --help' lists them)\n", name);
	return QES_EXIT_USAGE;
}
