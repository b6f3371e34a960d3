/* cmd_backup.c: qes backup REVIEW|--dir REVIEWS -o DIR, qes restore BACKUP REVIEW */
#include "cli.h"
#include "qes/backup.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char backup_usage[] =
	"qes backup REVIEW -o DIR [--json]\n"
	"       qes backup --dir REVIEWS -o DIR [--json]";
static const char backup_help[] =
	"Takes a consistent copy of a review while it is in use (a running qes serve\n"
	"keeps answering and writing): SQLite's online backup API inside one read\n"
	"snapshot, written to a temporary name, checked with PRAGMA integrity_check\n"
	"and renamed to DIR/NAME-YYYYMMDDTHHMMSSZ.qes (NAME the review's file name,\n"
	"the time UTC). A backup is itself a review: open it with any qes command,\n"
	"or put it back with `qes restore`.\n"
	"\n"
	"  -o, --output DIR  the folder for the backups (must exist)\n"
	"  --dir REVIEWS     back up every .qes file in folder REVIEWS\n"
	"  --json            print [{review, backup, pages, bytes}]\n";

static const char restore_usage[] = "qes restore BACKUP REVIEW [--force]";
static const char restore_help[] =
	"Puts a backup back. BACKUP must be a whole qes review (integrity_check ok),\n"
	"else nothing is written (exit 3). When REVIEW does not exist it is written\n"
	"to a temporary name and renamed. An existing REVIEW is replaced only with\n"
	"--force (else exit 5), in one transaction on it: a server that has it open\n"
	"sees the old review or the restored one, never half of each.\n"
	"\n"
	"  --force           replace an existing review\n";

static int back_one(const char *review, const char *out, json_t *list, qes_error *err)
{
	qes_backup_info info;
	int rc = qes_backup(review, out, &info, err);
	if (rc)
		return rc;
	if (list) {
		json_t *o = json_object();
		json_object_set_new(o, "review", json_string(review));
		json_object_set_new(o, "backup", json_string(info.path));
		json_object_set_new(o, "pages", json_integer(info.pages));
		json_object_set_new(o, "bytes", json_integer(info.bytes));
		json_array_append_new(list, o);
	} else {
		char b[32];
		printf("%s -> %s (%s bytes, integrity ok)\n", review, info.path,
		       cli_thousands(info.bytes, b));
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cmd_backup(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *out = NULL, *dir = NULL;
	int json = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:d:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'd': dir = optarg; break;
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", backup_usage, backup_help); return 0;
		default: return cli_usage_error(backup_usage, "unknown option");
		}
	}
	int left = argc - optind;
	if (!out)
		return cli_usage_error(backup_usage, "say where with -o DIR");
	if (dir ? left != 0 : left != 1)
		return cli_usage_error(backup_usage, "give one REVIEW, or --dir REVIEWS");
	qes_error err;
	qes_error_clear(&err);
	json_t *list = json ? json_array() : NULL;
	int rc = 0;
	if (!dir) {
		if (back_one(argv[optind], out, list, &err)) {
			json_decref(list);
			return cli_fail("backup", &err);
		}
		return list ? cli_print_json(list) : 0;
	}
	DIR *d = opendir(dir);
	if (!d) {
		json_decref(list);
		fprintf(stderr, "qes backup: %s: no such folder\n", dir);
		return QES_EXIT_NOTFOUND;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len <= 4 || strcmp(e->d_name + len - 4, ".qes"))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(names, cap * sizeof(*names));
			if (!nn)
				break;
			names = nn;
		}
		size_t plen = strlen(dir) + len + 2;
		if (!(names[n] = malloc(plen)))
			break;
		snprintf(names[n++], plen, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	int failed = 0;
	for (size_t i = 0; i < n; i++) {
		qes_error_clear(&err);
		if (back_one(names[i], out, list, &err)) {
			/* Go on with the others; the exit status says one failed. */
			int code = cli_fail("backup", &err);
			if (!failed)
				rc = code;
			failed++;
		}
		free(names[i]);
	}
	free(names);
	if (!n)
		fprintf(stderr, "qes backup: no .qes files in %s\n", dir);
	if (list) {
		int prc = cli_print_json(list);
		if (!rc)
			rc = prc;
	}
	if (failed)
		fprintf(stderr, "qes backup: %d of %zu reviews not backed up\n", failed, n);
	return rc;
}

int cmd_restore(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	int force = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f': force = 1; break;
		case 'h': printf("usage: %s\n\n%s", restore_usage, restore_help); return 0;
		default: return cli_usage_error(restore_usage, "unknown option");
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(restore_usage, "give BACKUP and REVIEW");
	qes_error err;
	qes_error_clear(&err);
	if (qes_restore(argv[optind], argv[optind + 1], force, &err))
		return cli_fail("restore", &err);
	printf("restored %s from %s\n", argv[optind + 1], argv[optind]);
	return 0;
}
