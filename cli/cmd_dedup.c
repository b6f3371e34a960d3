/* cmd_dedup.c: qes dedup (run, review, decide, undo, clusters, queue). */
#include "cli.h"
#include "arena.h"
#include "qes/dedup.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static const char usage_run[] = "qes dedup REVIEW [--dry-run] [--explain] [--json]";
static const char help_run[] =
	"Finds records of the same work, within and across sources. Pairs the rules\n"
	"are certain of are merged (records are kept; a merge groups them and can be\n"
	"undone); uncertain pairs go to the review queue ('qes dedup review').\n"
	"\n"
	"  --dry-run   say what would be merged and queued, write nothing\n"
	"  --explain   one line per compared pair: the outcome and the rule behind it\n"
	"  --json      the counts (and with --explain the pairs) as JSON\n"
	"\n"
	"Other forms:\n"
	"  qes dedup review REVIEW                         decide queued pairs (keys m/d/s/q)\n"
	"  qes dedup decide REVIEW KEY1 KEY2 merge|distinct|skip\n"
	"  qes dedup queue REVIEW [--all] [--json]         list the review queue\n"
	"  qes dedup undo REVIEW CLUSTER|--all             undo merges\n"
	"  qes dedup clusters REVIEW -o FILE               CSV source_key,cluster\n"
	"Each has --help. The design is in docs/dedup.md.\n";

static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

/* --- qes dedup REVIEW ----------------------------------------------------- */

typedef struct explain_ctx {
	json_t *arr;
} explain_ctx;

static void on_explain(void *ud, const qes_dedup_explain *e)
{
	explain_ctx *x = ud;
	if (x->arr) {
		json_t *o = json_object();
		json_object_set_new(o, "a", json_string(e->key_a));
		json_object_set_new(o, "b", json_string(e->key_b));
		json_object_set_new(o, "outcome", json_string(e->outcome));
		json_object_set_new(o, "why", json_string(e->why));
		json_object_set_new(o, "title_similarity", e->title_sim < 0 ? json_null()
						: json_real((double)(int)(e->title_sim * 1000) / 1000));
		json_array_append_new(x->arr, o);
		return;
	}
	printf("%s %s: %s (%s)\n", e->key_a, e->key_b, e->outcome, e->why);
}

static int run_dedup(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "explain", no_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	int json = 0, c, explain = 0;
	qes_dedup_opts o;
	memset(&o, 0, sizeof(o));
	optind = 0;
	while ((c = getopt_long(argc, argv, "nejh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': o.dry_run = 1; break;
		case 'e': explain = 1; break;
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage_run, help_run); return 0;
		default: return cli_usage_error(usage_run, "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(usage_run, "dedup takes one review");
	qes_store *st;
	int rc = cli_open("dedup", argv[optind], &st);
	if (rc)
		return rc;
	explain_ctx x = { json && explain ? json_array() : NULL };
	if (explain) {
		o.explain = on_explain;
		o.ud = &x;
	}
	qes_error err;
	qes_error_clear(&err);
	qes_dedup_result r;
	if (qes_dedup_run(st, &o, &r, &err)) {
		json_decref(x.arr);
		rc = cli_fail("dedup", &err);
		qes_store_close(st);
		return rc;
	}
	qes_store_close(st);
	if (json) {
		json_t *j = json_object();
		json_object_set_new(j, "records", json_integer(r.records));
		json_object_set_new(j, "pairs_compared", json_integer(r.pairs));
		json_object_set_new(j, "merged", json_integer(r.clusters));
		json_object_set_new(j, "records_merged", json_integer(r.merged));
		json_object_set_new(j, "queued", json_integer(r.queued));
		json_object_set_new(j, "blocked", json_integer(r.blocked));
		json_object_set_new(j, "works", json_integer(r.works));
		json_object_set_new(j, "dry_run", json_boolean(o.dry_run));
		json_object_set_new(j, "rules_version", json_string(QES_DEDUP_RULES_VERSION));
		if (x.arr)
			json_object_set_new(j, "pairs", x.arr);
		return cli_print_json(j);
	}
	char b1[32], b2[32], b3[32], b4[32];
	printf("%s%s cluster%s merged (%s record%s), %s pair%s queued for review\n",
	       o.dry_run ? "dry run: " : "", cli_thousands(r.clusters, b1), cli_s(r.clusters),
	       cli_thousands(r.merged, b2), cli_s(r.merged), cli_thousands(r.queued, b3),
	       cli_s(r.queued));
	printf("%s work%s among %s record%s (%s candidate pair%s compared",
	       cli_thousands(r.works, b1), cli_s(r.works), cli_thousands(r.records, b2),
	       cli_s(r.records), cli_thousands(r.pairs, b4), cli_s(r.pairs));
	if (r.blocked)
		printf("; %s merges refused: conflicting DOIs or pairs kept apart", cli_thousands(r.blocked, b3));
	printf(")\n");
	return 0;
}

/* --- qes dedup decide / queue / undo / clusters --------------------------- */

static int parse_decision(const char *s)
{
	if (!strcmp(s, "merge") || !strcmp(s, "m"))
		return QES_DEDUP_MERGE;
	if (!strcmp(s, "distinct") || !strcmp(s, "d"))
		return QES_DEDUP_DISTINCT;
	if (!strcmp(s, "skip") || !strcmp(s, "s"))
		return QES_DEDUP_SKIP;
	return -1;
}

static const char usage_decide[] = "qes dedup decide REVIEW KEY1 KEY2 merge|distinct|skip [--by NAME]";
static const char help_decide[] =
	"Records a person's decision on two records (for scripts; 'qes dedup review'\n"
	"asks interactively). merge joins their clusters now; distinct keeps them apart\n"
	"in every later run; skip leaves the pair in the queue. Keys as in 'qes show'.\n";

static int run_decide(int argc, char **argv)
{
	const char *who = NULL;
	int opt_rc = cli_one_option(argc, argv, "by", 'b', usage_decide, help_decide, &who);
	if (opt_rc >= 0)
		return opt_rc;
	if (argc - optind != 4)
		return cli_usage_error(usage_decide, "decide takes a review, two keys and a decision");
	int d = parse_decision(argv[optind + 3]);
	if (d < 0)
		return cli_usage_error(usage_decide, "the decision is merge, distinct or skip");
	qes_store *st;
	int rc = cli_open("dedup decide", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	long long a, b;
	if (qes_record_find(st, argv[optind + 1], &a, &err) ||
	    qes_record_find(st, argv[optind + 2], &b, &err) ||
	    qes_dedup_decide(st, a, b, d, who, &err))
		rc = cli_fail("dedup decide", &err);
	else
		printf("%s %s: %s\n", argv[optind + 1], argv[optind + 2], argv[optind + 3]);
	qes_store_close(st);
	return rc;
}

static const char usage_queue[] = "qes dedup queue REVIEW [--all] [--json]";
static const char help_queue[] =
	"Lists the pairs waiting for a person (pending first, then skipped), best\n"
	"match first. --all lists every pair ever queued or decided, with its status.\n";

static int run_queue(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	int all = 0, json = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "ajh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': all = 1; break;
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage_queue, help_queue); return 0;
		default: return cli_usage_error(usage_queue, "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(usage_queue, "queue takes one review");
	qes_store *st;
	int rc = cli_open("dedup queue", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	qes_dedup_pair *p;
	size_t n;
	if (qes_dedup_queue(st, !all, &p, &n, &err)) {
		rc = cli_fail("dedup queue", &err);
		qes_store_close(st);
		return rc;
	}
	qes_store_close(st);
	json_t *arr = json ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		if (json) {
			json_t *o = json_object();
			json_object_set_new(o, "a", json_string(p[i].key_a));
			json_object_set_new(o, "b", json_string(p[i].key_b));
			json_object_set_new(o, "status", json_string(p[i].status));
			json_object_set_new(o, "score", json_real(p[i].score));
			json_object_set_new(o, "reason", json_string(p[i].reason));
			json_array_append_new(arr, o);
		} else {
			cli_row("%s %s %s %s\n", cli_pad(p[i].key_a, 14), cli_pad(p[i].key_b, 14), cli_pad(p[i].status, 8), p[i].reason);
		}
	}
	qes_dedup_pairs_free(p, n);
	return json ? cli_print_json(arr) : 0;
}

static const char usage_undo[] = "qes dedup undo REVIEW CLUSTER|--all";
static const char help_undo[] =
	"Undoes a merge: the cluster's records are separate again (CLUSTER as in\n"
	"'qes dedup clusters': c12 or 12). Its pairs go back to the review queue so\n"
	"no later run merges them silently. --all undoes every cluster (a fresh\n"
	"start: a later run merges again; decisions a person made are kept).\n";

static int run_undo(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	int all = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "ah", opts, NULL)) != -1) {
		switch (c) {
		case 'a': all = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage_undo, help_undo); return 0;
		default: return cli_usage_error(usage_undo, "unknown option");
		}
	}
	if (argc - optind != (all ? 1 : 2))
		return cli_usage_error(usage_undo, "undo takes a review and a cluster, or --all");
	long long cluster = 0;
	if (!all) {
		const char *s = argv[optind + 1];
		if (*s == 'c')
			s++;
		char *end;
		cluster = strtoll(s, &end, 10);
		if (!*s || *end || cluster <= 0)
			return cli_usage_error(usage_undo, "'%s' is not a cluster (c12 or 12)", argv[optind + 1]);
	}
	qes_store *st;
	int rc = cli_open("dedup undo", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	long undone;
	if (qes_dedup_undo(st, cluster, &undone, &err))
		rc = cli_fail("dedup undo", &err);
	else
		printf("%ld cluster%s undone\n", undone, undone == 1 ? "" : "s");
	qes_store_close(st);
	return rc;
}

static const char usage_clusters[] = "qes dedup clusters REVIEW -o FILE";
static const char help_clusters[] =
	"Writes CSV with columns source_key,cluster: one row per imported record;\n"
	"records with the same cluster are the same work (automatic merges and a\n"
	"person's decisions). FILE '-' writes to standard output.\n";

static int run_clusters(int argc, char **argv)
{
	const char *out = NULL;
	int opt_rc = cli_one_option(argc, argv, "output", 'o', usage_clusters, help_clusters, &out);
	if (opt_rc >= 0)
		return opt_rc;
	if (argc - optind != 1 || !out)
		return cli_usage_error(usage_clusters, "clusters takes a review and -o FILE");
	qes_store *st;
	int rc = cli_open("dedup clusters", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	if (strcmp(out, "-") ? qes_dedup_export_clusters(st, out, &err)
			     : qes_dedup_write_clusters(st, stdout, &err))
		rc = cli_fail("dedup clusters", &err);
	qes_store_close(st);
	return rc;
}

/* --- qes dedup review: side by side, one key per decision ----------------- */

static const char usage_review[] = "qes dedup review REVIEW";
static const char help_review[] =
	"Shows each queued pair side by side, fields aligned, differences highlighted\n"
	"(in colour on a terminal), and reads one key per pair from standard input:\n"
	"  m  merge: the same work        d  distinct: different works\n"
	"  s  skip: decide later          q  quit (decisions so far are saved)\n"
	"Works over ssh and tmux; keys may also be piped in (\"mds\\n\").\n";

static int term_width(void)
{
	struct winsize w;
	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) && w.ws_col >= 60)
		return w.ws_col;
	const char *c = getenv("COLUMNS");
	int v = c ? atoi(c) : 0;
	return v >= 60 && v < 1000 ? v : 120;
}

/* Prints at most width display columns of s (UTF-8 aware), padded, and
 * returns where it stopped (a break at a space when one is near). */
static const char *cell(const char *s, int width)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	const unsigned char *end = p;
	int cols = 0, cut_cols = -1;
	const unsigned char *cut = NULL;
	while (*end && cols < width) {
		if (*end == ' ' && cols > width * 2 / 3) {
			cut = end;
			cut_cols = cols;
		}
		int len = *end < 0x80 ? 1 : *end < 0xE0 ? 2 : *end < 0xF0 ? 3 : 4;
		for (int k = 0; k < len && end[k]; k++)
			if (!end[k + 1] && k + 1 < len)
				len = k + 1;
		end += len;
		cols++;
	}
	if (*end && cut) {
		end = cut;
		cols = cut_cols;
	}
	for (; p < end; p++)
		putchar(*p == '\n' ? ' ' : *p);
	for (; cols < width; cols++)
		putchar(' ');
	while (*end == ' ')
		end++;
	return (const char *)end;
}

static int same_text(const char *a, const char *b)
{
	if (!a || !b)
		return !a && !b;
	while (*a || *b) {
		while (*a && !isalnum((unsigned char)*a) && !((unsigned char)*a & 0x80))
			a++;
		while (*b && !isalnum((unsigned char)*b) && !((unsigned char)*b & 0x80))
			b++;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		if (*a)
			a++;
		if (*b)
			b++;
	}
	return 1;
}

/* One field of both records, wrapped over up to max_lines lines; a field
 * that differs is marked (colour on a terminal, '|' otherwise). */
static void row(const char *name, const char *a, const char *b, int w, int color, int max_lines)
{
	if (!a && !b)
		return;
	int diff = !same_text(a, b);
	const char *ra = a ? a : "-", *rb = b ? b : "-";
	for (int line = 0; line < max_lines && (line == 0 || *ra || *rb); line++) {
		printf("%s %s", cli_pad(line ? "" : name, 9), diff && color ? "\033[1;33m" : "");
		ra = cell(ra, w);
		printf(" %s ", diff && !color ? "|" : " ");
		rb = cell(rb, w);
		printf("%s\n", diff && color ? "\033[0m" : "");
	}
}

/* "Smith, J; Jones, K" from the author list, in the arena. */
static char *join_authors(qes_arena *ar, const qes_strlist *l)
{
	size_t len = 1;
	for (size_t i = 0; i < l->n; i++)
		len += strlen(l->items[i]) + 2;
	char *out = qes__arena_alloc(ar, len), *w = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		size_t n = strlen(l->items[i]);
		if (i) {
			memcpy(w, "; ", 2);
			w += 2;
		}
		memcpy(w, l->items[i], n);
		w += n;
	}
	*w = '\0';
	return out;
}

static void show_pair(qes_store *st, const qes_dedup_pair *p, size_t k, size_t n)
{
	qes_arena ar;
	qes__arena_init(&ar, 64 * 1024);
	qes_record a, b;
	qes_error err;
	char ya[8] = "", yb[8] = "", *aa = NULL, *ab = NULL;
	if (qes_record_load(st, p->a, &a, &ar, &err) || qes_record_load(st, p->b, &b, &ar, &err)) {
		printf("(cannot load the pair: %s)\n", err.message);
		qes__arena_free(&ar);
		return;
	}
	int color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	int w = (term_width() - 13) / 2;
	if (a.year)
		snprintf(ya, sizeof(ya), "%d", a.year);
	if (b.year)
		snprintf(yb, sizeof(yb), "%d", b.year);
	aa = join_authors(&ar, &a.authors);
	ab = join_authors(&ar, &b.authors);
	printf("\npair %zu of %zu (%s)  %s\n", k + 1, n, p->status, p->reason);
	row("key", p->key_a, p->key_b, w, 0, 1);
	row("title", a.title, b.title, w, color, 4);
	row("authors", aa && *aa ? aa : NULL, ab && *ab ? ab : NULL, w, color, 4);
	row("year", *ya ? ya : NULL, *yb ? yb : NULL, w, color, 2);
	row("journal", a.journal, b.journal, w, color, 2);
	row("volume", a.volume, b.volume, w, color, 2);
	row("issue", a.issue, b.issue, w, color, 2);
	row("pages", a.pages, b.pages, w, color, 2);
	row("doi", a.doi, b.doi, w, color, 2);
	row("pmid", a.pmid, b.pmid, w, color, 2);
	row("type", a.type, b.type, w, color, 2);
	row("abstract", a.abstract, b.abstract, w, color, 6);
	qes__arena_free(&ar);
}

/* One key: raw mode on a terminal (no Enter needed), else the next
 * non-blank character of the input. EOF counts as quit. */
static int read_key(void)
{
	struct termios old, raw;
	int tty = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &old);
	if (tty) {
		raw = old;
		raw.c_lflag &= (tcflag_t)~(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	int c;
	do
		c = getchar();
	while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
	return c == EOF ? 'q' : tolower(c);
}

static int run_review(int argc, char **argv)
{
	const char *who = NULL;
	int opt_rc = cli_one_option(argc, argv, "by", 'b', usage_review, help_review, &who);
	if (opt_rc >= 0)
		return opt_rc;
	if (argc - optind != 1)
		return cli_usage_error(usage_review, "review takes one review file");
	qes_store *st;
	int rc = cli_open("dedup review", argv[optind], &st);
	if (rc)
		return rc;
	qes_error err;
	qes_error_clear(&err);
	qes_dedup_pair *p;
	size_t n;
	if (qes_dedup_queue(st, 1, &p, &n, &err)) {
		rc = cli_fail("dedup review", &err);
		qes_store_close(st);
		return rc;
	}
	long done[3] = { 0, 0, 0 };
	for (size_t k = 0; k < n; k++) {
		long long ca, cb;
		/* An earlier merge in this session may have joined them already. */
		if (!qes_dedup_cluster_of(st, p[k].a, &ca, &err) &&
		    !qes_dedup_cluster_of(st, p[k].b, &cb, &err) && ca && ca == cb)
			continue;
		show_pair(st, &p[k], k, n);
		int d = -1;
		while (d < 0) {
			printf("[m]erge  [d]istinct  [s]kip  [q]uit > ");
			fflush(stdout);
			int key = read_key();
			putchar('\n');
			if (key == 'q')
				goto done;
			d = key == 'm' ? QES_DEDUP_MERGE : key == 'd' ? QES_DEDUP_DISTINCT
				: key == 's' ? QES_DEDUP_SKIP : -1;
		}
		if (qes_dedup_decide(st, p[k].a, p[k].b, d, who, &err)) {
			rc = cli_fail("dedup review", &err);
			goto done;
		}
		done[d]++;
	}
done:
	printf("%ld merged, %ld distinct, %ld skipped\n", done[0], done[1], done[2]);
	qes_dedup_pairs_free(p, n);
	qes_store_close(st);
	return rc;
}

int cmd_dedup(int argc, char **argv)
{
	static const struct {
		const char *name, *usage, *help;
		int (*run)(int, char **);
	} subs[] = {
		{ "review", usage_review, help_review, run_review },
		{ "decide", usage_decide, help_decide, run_decide },
		{ "queue", usage_queue, help_queue, run_queue },
		{ "undo", usage_undo, help_undo, run_undo },
		{ "clusters", usage_clusters, help_clusters, run_clusters },
	};
	if (argc >= 2) {
		for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
			if (strcmp(argv[1], subs[i].name))
				continue;
			/* "qes dedup review" alone, or a review file named "review". */
			if (argc == 2 && !access(argv[1], F_OK))
				break;
			if (wants_help(argc - 1, argv + 1)) {
				printf("usage: %s\n\n%s", subs[i].usage, subs[i].help);
				return 0;
			}
			return subs[i].run(argc - 1, argv + 1);
		}
	}
	static const char *const actions[] = { "review", "decide", "queue", "undo", "clusters" };
	if (argc >= 2 && cli_action_or_review("dedup", "qes dedup REVIEW [--dry-run] | qes dedup "
					      "review|decide|queue|undo|clusters REVIEW ...",
					      argv[1], CLI_ACTIONS(actions)) >= 0)
		return QES_EXIT_USAGE;
	return run_dedup(argc, argv);
}
