/* cmd_screen.c: qes screen, the full-screen terminal screener.
 *
 * Raw termios and ANSI escapes only (no curses), so it works over ssh and in
 * tmux: the alternate screen, absolute cursor moves, SGR colours, one
 * write() per frame. SIGWINCH interrupts the key read and the frame is
 * redrawn for the new size. Everything it knows comes through the library
 * (qes/screen.h), so blinding holds here as everywhere. With --progress or
 * --outcomes it prints for scripts instead (screen_report.c) and needs no
 * terminal. */
#include "screen_cli.h"
#include "arena.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

static const char usage[] =
	"qes screen REVIEW --as INITIALS [--stage ta|ft] [--order prioritised|random|id]\n"
	"       [--seed N] [--progress|--outcomes|--stopping] [--json]";
static const char help[] =
	"Screens records one at a time in the terminal (works over ssh and in tmux).\n"
	"Shows title, authors, year, journal and abstract (at full text, the text\n"
	"extracted from the PDF) with the review's include keywords in green and\n"
	"exclude keywords in red (qes criteria --keyword / --exclude-keyword).\n"
	"\n"
	"Keys:  i include   e exclude (then a reason)   u unsure   s skip\n"
	"       b back (the previous record: decide it again)   n note\n"
	"       c criteria   j/k or arrows, space/PgDn, PgUp: scroll   q quit\n"
	"\n"
	"  --as INITIALS   who screens\n"
	"  --stage ta|ft   title/abstract (default) or full text\n"
	"  --order O       prioritised: the record a model of your decisions ranks\n"
	"                  highest first, retrained after each decision (default at\n"
	"                  ta; random until you have one include and one exclude);\n"
	"                  random: a random order from --seed (default at ft; after\n"
	"                  prioritised screening it is the stopping rule's sample);\n"
	"                  id: record order\n"
	"  --seed N        the random order's seed (default: from your initials)\n"
	"  --stopping      print the stopping estimate (Callaghan & Mueller-Hansen\n"
	"                  2020) from the decisions you may see, and exit\n"
	"  --progress      print the stage's progress instead ({pool, screened,\n"
	"                  included, excluded, unsure, conflicts, pending, ...})\n"
	"  --outcomes      print every record in the stage with its outcome\n"
	"  --json          the same as JSON\n";

/* --- The screener's state ---------------------------------------------- */

#define HISTORY 256

typedef struct screener {
	qes_store *st;
	const char *as;
	qes_stage stage;
	long long cur;                 /* record on screen, 0 when done */
	long long history[HISTORY];    /* records decided this session */
	int nhist;
	int scroll, show_criteria;
	char note[512];
	char status[1100];
	char **kw;                     /* keywords, kw_excl[i] says which kind */
	int *kw_excl, nkw;
	char **reasons;
	int nreasons;
	char *criteria;                /* the criteria as display text */
	qes_arena arena;               /* the current record */
	qes_record rec;
	char *body;                    /* abstract or full text */
	qes_decision mine;             /* own decision on cur (after back) */
	qes_progress prog;             /* for the bar; refreshed after each decision */
	int prog_stale;
	int rows, cols;
	qes_screen_order order;        /* asked for */
	qes_orderer *q;                /* NULL in id order */
	qes_order_info info;           /* why the record on screen is here */
	char stop[700];                /* the stopping sentence ("" in id order) */
	double last_ms;                /* decision to next record ready */
} screener;

static volatile sig_atomic_t resized;
static struct termios saved_tio;

static void on_winch(int sig) { (void)sig; resized = 1; }

/* Killed or hung up: put the terminal back before dying (only
 * async-signal-safe calls here). */
static void on_fatal(int sig)
{
	static const char restore[] = "\033[0m\033[?25h\033[?1049l";
	if (write(STDOUT_FILENO, restore, sizeof(restore) - 1) < 0) {
		/* nothing more can be done */
	}
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void term_size(screener *s)
{
	struct winsize ws;
	s->rows = 24;
	s->cols = 80;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
		s->rows = ws.ws_row;
		s->cols = ws.ws_col;
	}
	if (s->rows < 10)
		s->rows = 10;
	if (s->cols < 40)
		s->cols = 40;
}

static int term_raw(void)
{
	if (tcgetattr(STDIN_FILENO, &saved_tio))
		return -1;
	struct termios t = saved_tio;
	t.c_iflag &= ~(tcflag_t)(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
	t.c_lflag &= ~(tcflag_t)(ECHO | ICANON | IEXTEN | ISIG);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t))
		return -1;
	/* Alternate screen, cursor hidden. */
	fputs("\033[?1049h\033[?25l", stdout);
	fflush(stdout);
	return 0;
}

static void term_restore(void)
{
	fputs("\033[0m\033[?25h\033[?1049l", stdout);
	fflush(stdout);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
}

/* A key, or -1 on resize/EOF. Arrows and pages map to letters. */
static int read_key(void)
{
	unsigned char c;
	ssize_t n = read(STDIN_FILENO, &c, 1);
	if (n <= 0)
		return n < 0 && errno == EINTR ? -2 : -1;
	if (c != 27)
		return c;
	struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
	unsigned char seq[3] = { 0 };
	if (poll(&p, 1, 50) <= 0 || read(STDIN_FILENO, &seq[0], 1) != 1)
		return 27;
	if (seq[0] != '[' || poll(&p, 1, 50) <= 0 || read(STDIN_FILENO, &seq[1], 1) != 1)
		return 27;
	switch (seq[1]) {
	case 'A': return 'k';
	case 'B': return 'j';
	case '5': case '6':
		if (poll(&p, 1, 50) > 0 && read(STDIN_FILENO, &seq[2], 1) == 1)
			return seq[1] == '5' ? 'K' : ' ';
		return 27;
	default: return 27;
	}
}

/* --- Text layout --------------------------------------------------------- */

/* Display width of one UTF-8 character at s (len bytes left); *adv gets its
 * length in bytes. Invalid bytes count as one column. */
static int char_width(const char *s, size_t len, int *adv)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &cp);
	if (n <= 0) {
		*adv = 1;
		return 1;
	}
	*adv = (int)n;
	int w = utf8proc_charwidth(cp);
	return w < 0 ? 0 : w;
}

typedef struct span { size_t off, len; } span;

/* Wraps text[0..len) to width columns: words move whole to the next line,
 * words wider than a line are cut. Newlines end lines. */
static int wrap(const char *text, size_t len, int width, span **out, int *n)
{
	int cap = 64, k = 0;
	span *v = malloc((size_t)cap * sizeof(*v));
	if (!v)
		return -1;
	size_t i = 0;
	while (i < len) {
		size_t start = i, last_space = 0;
		int w = 0, have_space = 0;
		while (i < len && text[i] != '\n') {
			int adv, cw = char_width(text + i, len - i, &adv);
			if (w + cw > width)
				break;
			if (text[i] == ' ') {
				last_space = i;
				have_space = 1;
			}
			w += cw;
			i += (size_t)adv;
		}
		size_t end = i;
		if (i < len && text[i] != '\n' && have_space && last_space > start) {
			end = last_space;
			i = last_space + 1;
		} else if (i < len && text[i] == '\n') {
			i++;
		}
		if (k == cap) {
			span *nv = realloc(v, (size_t)(cap *= 2) * sizeof(*v));
			if (!nv) {
				free(v);
				return -1;
			}
			v = nv;
		}
		v[k++] = (span){ start, end - start };
		if (end == start && i == start)
			i++;   /* a character wider than the line: never loop */
	}
	*out = v;
	*n = k;
	return 0;
}

/* Which keyword (if any) starts at text+i: 1 include, 2 exclude, with *mlen. */
static int keyword_at(const screener *s, const char *text, size_t i, size_t len, size_t *mlen)
{
	for (int k = 0; k < s->nkw; k++) {
		size_t kl = strlen(s->kw[k]);
		if (kl && kl <= len - i && !strncasecmp(text + i, s->kw[k], kl)) {
			*mlen = kl;
			return s->kw_excl[k] ? 2 : 1;
		}
	}
	return 0;
}

/* 1 when the character at s is a control character (C0, DEL or C1): text
 * from outside must never reach the terminal as escapes. */
static int is_control(const char *s, size_t len, int *adv)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &cp);
	*adv = n > 0 ? (int)n : 1;
	return n <= 0 || cp < 32 || (cp >= 0x7f && cp < 0xa0);
}

/* Writes text[off..off+len) with control characters as spaces. */
static void put_safe(FILE *fp, const char *text, size_t off, size_t len)
{
	size_t i = off, end = off + len;
	while (i < end) {
		int adv;
		if (is_control(text + i, end - i, &adv))
			fputc(' ', fp);
		else
			fwrite(text + i, 1, (size_t)adv, fp);
		i += (size_t)adv;
	}
}

/* Writes text[off..off+len) with keyword highlights (bold green / red);
 * after each keyword the line's own style (base: "" or "\033[1m" for the
 * bold title) comes back. */
static void put_highlighted(FILE *fp, const screener *s, const char *text, size_t total,
			    size_t off, size_t len, const char *base)
{
	size_t i = off, end = off + len;
	while (i < end) {
		size_t m;
		int kind = keyword_at(s, text, i, total, &m);
		if (kind) {
			if (i + m > end)
				m = end - i;
			fprintf(fp, "\033[1;%dm", kind == 1 ? 32 : 31);
			put_safe(fp, text, i, m);
			fputs("\033[0m", fp);
			fputs(base, fp);
			i += m;
		} else {
			int adv;
			is_control(text + i, end - i, &adv);
			put_safe(fp, text, i, (size_t)adv);
			i += (size_t)adv;
		}
	}
}

/* --- Drawing ------------------------------------------------------------- */

static void put_line(FILE *fp, int row, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void put_line(FILE *fp, int row, const char *fmt, ...)
{
	fprintf(fp, "\033[%d;1H\033[K", row);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
}

/* Text cut to at most `cols` display columns (into buf), control
 * characters (C0, DEL, C1) as spaces. */
static const char *cut(const char *text, int cols, char *buf, size_t bufsz)
{
	size_t i = 0, o = 0, len = text ? strlen(text) : 0;
	int w = 0;
	while (i < len) {
		int adv, cw = char_width(text + i, len - i, &adv);
		if (w + cw > cols || o + (size_t)adv >= bufsz)
			break;
		int cadv;
		if (is_control(text + i, len - i, &cadv)) {
			buf[o++] = ' ';
			cw = 1;
		} else {
			memcpy(buf + o, text + i, (size_t)adv);
			o += (size_t)adv;
		}
		w += cw;
		i += (size_t)adv;
	}
	buf[o] = '\0';
	return buf;
}

static void draw_progress(FILE *fp, screener *s)
{
	qes_error err;
	char a[32], b[32], c[32], line[160], head[64];
	if (s->prog_stale && qes_screen_progress(s->st, s->as, s->stage, &s->prog, &err))
		memset(&s->prog, 0, sizeof(s->prog));
	if (s->prog_stale && s->q) {
		qes_rank_stop rs;
		s->stop[0] = '\0';
		/* Silent until it has something to say: a random sample to
		 * estimate from, or the long run without an include that is the
		 * cue to start one (--stopping always answers). */
		if (!qes_screen_stopping(s->st, s->as, s->stage, 0, 0, &rs, &err) &&
		    qes_rank_stop_worth_saying(&rs))
			qes_screen_stopping_sentence(&rs, s->stop, sizeof(s->stop));
	}
	s->prog_stale = 0;
	const qes_progress p = s->prog;
	long total = p.mine + p.to_do;
	/* The stage's counts, as qes status and PRISMA give them (one
	 * definition of "screened"), then this reviewer's own. */
	char d[32], e[32];
	snprintf(line, sizeof(line), " %s of %s screened, %s included; you: %s decided, %s to do",
		 cli_thousands(p.screened, a), cli_thousands(p.pool, b),
		 cli_thousands(p.included, c), cli_thousands(p.mine, d), cli_thousands(p.to_do, e));
	snprintf(head, sizeof(head), " qes %s %s ", s->stage == QES_STAGE_TA ? "ta" : "ft", s->as);
	/* The counts always fit; the bar takes what is left. */
	int barw = s->cols - (int)strlen(head) - (int)strlen(line) - 3;
	fprintf(fp, "\033[1;1H\033[K\033[7m%s\033[0m", head);
	if (barw >= 5) {
		int fill = total ? (int)((long long)barw * p.mine / total) : barw;
		fputs(" [", fp);
		for (int i = 0; i < barw; i++)
			fputc(i < fill ? '#' : '.', fp);
		fputc(']', fp);
	}
	fputs(line, fp);
}

/* "Why here: strongest terms: ..." for a prioritised record; the order in
 * use and why otherwise ("" in id order). */
static void why_line(const screener *s, char *buf, size_t len)
{
	const qes_order_info *in = &s->info;
	buf[0] = '\0';
	if (!s->q || in->order == QES_ORDER_AUTO)
		return;   /* id order, or a record gone back to */
	if (in->order == QES_ORDER_PRIORITISED) {
		size_t used = (size_t)snprintf(buf, len, "Why here: strongest terms:");
		for (int i = 0; i < in->nterms && used < len; i++)
			used += (size_t)snprintf(buf + used, len - used, "%s %s",
						 i ? "," : "", in->terms[i]);
		if (!in->nterms && used < len)
			snprintf(buf + used, len - used, " none (no term of the model)");
	} else if (in->why_not[0]) {
		snprintf(buf, len, "Order: %s", in->why_not);
	} else {
		snprintf(buf, len, "Order: random");
	}
}

static void draw(screener *s)
{
	char *frame = NULL;
	size_t fsz = 0;
	FILE *fp = open_memstream(&frame, &fsz);
	if (!fp)
		return;
	char buf[1024];
	fputs("\033[H\033[2J", fp);
	draw_progress(fp, s);
	int row = 2, bottom = s->rows - 2;   /* rows-1: status, rows: keys */
	span *stop_lines = NULL;
	int nstop = 0;
	/* The stopping sentence: up to 3 dim lines above the status line. */
	/* Wrapped to the width, and never cut: when it needs more lines than
	 * the screen gives it, whole sentences are dropped from its end. */
	size_t stop_len = strlen(s->stop);
	int max_stop = s->rows >= 30 ? 5 : s->rows >= 24 ? 4 : 3;
	while (s->stop[0] && s->rows >= 16 && stop_len &&
	       !wrap(s->stop, stop_len, s->cols, &stop_lines, &nstop) && nstop > max_stop) {
		free(stop_lines);
		stop_lines = NULL;
		size_t k = stop_len > 1 ? stop_len - 2 : 0;
		while (k > 0 && !(s->stop[k] == '.' && s->stop[k + 1] == ' '))
			k--;
		stop_len = k ? k + 1 : 0;
		nstop = 0;
	}
	if (stop_lines && nstop) {
		bottom -= nstop;
		for (int i = 0; i < nstop; i++) {
			fprintf(fp, "\033[%d;1H\033[K\033[2m", bottom + 1 + i);
			put_safe(fp, s->stop, stop_lines[i].off, stop_lines[i].len);
			fputs("\033[0m", fp);
		}
	}
	free(stop_lines);
	if (s->show_criteria || !s->cur) {
		const char *text = s->show_criteria ? s->criteria
			: "Nothing left to screen here for you. Press b to go back, q to quit.";
		span *lines = NULL;
		int n = 0;
		if (!wrap(text, strlen(text), s->cols, &lines, &n))
			for (int i = 0; i < n && row <= bottom; i++) {
				fprintf(fp, "\033[%d;1H\033[K", row++);
				put_safe(fp, text, lines[i].off, lines[i].len);
			}
		free(lines);
	} else {
		qes_record *r = &s->rec;
		char yr[16] = "";
		if (r->year)
			snprintf(yr, sizeof(yr), "%d", r->year);
		snprintf(buf, sizeof(buf), "%s  %s  %s", r->source_key ? r->source_key : "", yr,
			 r->journal ? r->journal : "");
		char cb[1024];
		put_line(fp, row++, "\033[2m%s\033[0m", cut(buf, s->cols, cb, sizeof(cb)));
		const char *title = r->title ? r->title : "(no title)";
		span *lines = NULL;
		int n = 0;
		if (!wrap(title, strlen(title), s->cols, &lines, &n))
			for (int i = 0; i < n && i < 3 && row <= bottom; i++) {
				fprintf(fp, "\033[%d;1H\033[K\033[1m", row++);
				put_highlighted(fp, s, title, strlen(title), lines[i].off, lines[i].len,
						"\033[1m");
				fputs("\033[0m", fp);
			}
		free(lines);
		size_t used = 0;
		buf[0] = '\0';
		for (size_t i = 0; i < r->authors.n && used < sizeof(buf) - 4; i++) {
			int w = snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? "; " : "",
					 r->authors.items[i]);
			if (w > 0)
				used += (size_t)w;
		}
		if (used >= sizeof(buf))
			used = sizeof(buf) - 1;
		put_line(fp, row++, "%s", cut(buf[0] ? buf : "(no authors)", s->cols, cb, sizeof(cb)));
		if (s->mine)
			put_line(fp, row++, "\033[7m your decision: %s \033[0m",
				 qes_decision_name(s->mine));
		if (s->note[0])
			put_line(fp, row++, "\033[2mnote: %s\033[0m", cut(s->note, s->cols - 6, cb, sizeof(cb)));
		why_line(s, buf, sizeof(buf));
		if (buf[0])
			put_line(fp, row++, "\033[36m%s\033[0m", cut(buf, s->cols, cb, sizeof(cb)));
		row++;
		const char *body = s->body ? s->body : "(no abstract)";
		size_t blen = strlen(body);
		if (!wrap(body, blen, s->cols, &lines, &n)) {
			if (s->scroll > n - 1)
				s->scroll = n > 0 ? n - 1 : 0;
			for (int i = s->scroll; i < n && row <= bottom; i++) {
				fprintf(fp, "\033[%d;1H\033[K", row++);
				put_highlighted(fp, s, body, blen, lines[i].off, lines[i].len, "");
			}
		}
		free(lines);
	}
	put_line(fp, s->rows - 1, "%s", cut(s->status, s->cols, buf, sizeof(buf)));
	put_line(fp, s->rows, "\033[7m i include  e exclude  u unsure  s skip  b back  n note"
		 "  c criteria  q quit \033[0m");
	fclose(fp);
	size_t off = 0;
	while (off < fsz) {
		ssize_t w = write(STDOUT_FILENO, frame + off, fsz - off);
		if (w <= 0 && errno != EINTR)
			break;
		if (w > 0)
			off += (size_t)w;
	}
	free(frame);
}

/* --- Loading ------------------------------------------------------------- */

static int load(screener *s, long long id)
{
	qes_error err;
	qes__arena_reset(&s->arena);
	free(s->body);
	s->body = NULL;
	s->cur = id;
	s->scroll = 0;
	s->mine = QES_DEC_NONE;
	if (!id)
		return 0;
	if (qes_record_load(s->st, id, &s->rec, &s->arena, &err))
		return -1;
	if (s->stage == QES_STAGE_FT) {
		const char *status;
		qes_fulltext_get(s->st, id, &status, &s->body, &err);
	}
	if (!s->body && s->rec.abstract)
		s->body = strdup(s->rec.abstract);
	qes_decision_view *v;
	int n;
	if (!qes_screen_decisions(s->st, s->as, s->stage, id, &v, &n, &err)) {
		for (int i = 0; i < n; i++)
			if (!strcasecmp(v[i].initials, s->as))
				s->mine = v[i].decision;
		qes_decision_views_release(v, n);
	}
	return 0;
}

static void next(screener *s, long long after)
{
	qes_error err;
	long long id = 0;
	if (s->q) {
		if (qes_orderer_next(s->q, after, &id, &s->info, &err))
			snprintf(s->status, sizeof(s->status), "%s", err.message);
	} else if (qes_screen_next(s->st, s->as, s->stage, after, &id, &err) == 0 && !id && after) {
		qes_screen_next(s->st, s->as, s->stage, 0, &id, &err);   /* wrap round */
	}
	load(s, id);
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int add_kw(void *ud, const char *w, int exclude)
{
	screener *s = ud;
	char **nk = realloc(s->kw, (size_t)(s->nkw + 1) * sizeof(*nk));
	if (!nk)
		return QES_ENOMEM;
	s->kw = nk;
	int *ne = realloc(s->kw_excl, (size_t)(s->nkw + 1) * sizeof(*ne));
	if (!ne)
		return QES_ENOMEM;
	s->kw_excl = ne;
	if (!(s->kw[s->nkw] = strdup(w)))
		return QES_ENOMEM;
	s->kw_excl[s->nkw++] = exclude;
	return 0;
}

static int add_reason(void *ud, const char *r)
{
	screener *s = ud;
	char **nr = realloc(s->reasons, (size_t)(s->nreasons + 1) * sizeof(*nr));
	if (!nr)
		return QES_ENOMEM;
	s->reasons = nr;
	return (s->reasons[s->nreasons++] = strdup(r)) ? 0 : QES_ENOMEM;
}

static int add_crit(void *ud, qes_criterion_kind k, const char *label, const char *text)
{
	FILE *fp = ud;
	fprintf(fp, "%s%s%s%s\n", k == QES_CRIT_CONCEPT ? "  " : k == QES_CRIT_INCLUDE
		? "  + " : "  - ", label ? label : "", label ? ": " : "", text);
	return 0;
}

static int load_settings(screener *s, qes_error *err)
{
	char *fw = NULL;
	size_t sz = 0;
	FILE *fp = open_memstream(&s->criteria, &sz);
	if (!fp)
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	int rc = qes_criteria_foreach(s->st, &fw, add_crit, fp, err);
	fprintf(fp, "\nFramework: %s. Include (+) and exclude (-) criteria above.\n"
		    "Exclusion reasons:", fw ? fw : "none given");
	for (int i = 0; !rc && i < 1; i++)
		rc = qes_reason_foreach(s->st, add_reason, s, err);
	for (int i = 0; i < s->nreasons; i++)
		fprintf(fp, " %d) %s", i + 1, s->reasons[i]);
	fputs("\n\nPress c to go back to the record.", fp);
	fclose(fp);
	free(fw);
	if (!rc)
		rc = qes_keyword_foreach(s->st, add_kw, s, err);
	return rc;
}

/* --- Acting ------------------------------------------------------------- */

/* Reads a line into buf at the status row (Enter ends, Esc cancels). */
static int prompt(screener *s, const char *label, char *buf, size_t bufsz)
{
	size_t n = strlen(buf);
	for (;;) {
		snprintf(s->status, sizeof(s->status), "%s%s_", label, buf);
		draw(s);
		int k = read_key();
		if (k == -2) {
			term_size(s);
			continue;
		}
		if (k == -1 || k == 27)
			return -1;
		if (k == '\r' || k == '\n')
			return 0;
		if ((k == 127 || k == 8) && n)
			buf[--n] = '\0';
		else if (k >= 32 && k != 127 && n + 1 < bufsz) {
			buf[n++] = (char)k;
			buf[n] = '\0';
		}
	}
}

/* The reason for an exclusion: a number from the list, Enter for none
 * (not at full text), Esc to cancel. NULL through *out means none. */
static int pick_reason(screener *s, const char **out)
{
	*out = NULL;
	for (;;) {
		size_t used = (size_t)snprintf(s->status, sizeof(s->status), "reason:");
		for (int i = 0; i < s->nreasons && i < 9 && used < sizeof(s->status); i++)
			used += (size_t)snprintf(s->status + used, sizeof(s->status) - used,
						 " %d) %s", i + 1, s->reasons[i]);
		if (used < sizeof(s->status))
			snprintf(s->status + used, sizeof(s->status) - used, "%s",
				 s->stage == QES_STAGE_FT ? "  (Esc: cancel)" : "  (Enter: none, Esc: cancel)");
		draw(s);
		int k = read_key();
		if (k == -2) {
			term_size(s);
			continue;
		}
		if (k == -1 || k == 27)
			return -1;
		if ((k == '\r' || k == '\n') && s->stage == QES_STAGE_TA)
			return 0;
		if (k >= '1' && k <= '9' && k - '1' < s->nreasons) {
			*out = s->reasons[k - '1'];
			return 0;
		}
	}
}

/* QES_SCREEN_TRACE=FILE appends, per decision, the time from the key to
 * the next record ready to draw (what the reviewer waits), for the tests'
 * logs and docs/screening.md. */
static void trace(const screener *s)
{
	const char *path = getenv("QES_SCREEN_TRACE");
	FILE *fp = path && *path ? fopen(path, "a") : NULL;
	if (!fp)
		return;
	fprintf(fp, "decision-to-next-ms %.2f order %s labelled %ld retrains %ld record %lld\n",
		s->last_ms, qes_screen_order_name(s->q ? s->info.order : QES_ORDER_ID),
		s->info.labelled, s->info.retrains, s->cur);
	fclose(fp);
}

static void decide(screener *s, qes_decision d)
{
	if (!s->cur)
		return;
	qes_decide_opts o = { NULL, s->note[0] ? s->note : NULL };
	if (d == QES_DEC_EXCLUDE && pick_reason(s, &o.reason)) {
		snprintf(s->status, sizeof(s->status), "cancelled");
		return;
	}
	qes_error err;
	qes_error_clear(&err);
	double t0 = now_ms();
	if (s->q ? qes_orderer_decide(s->q, s->cur, d, &o, &err)
		 : qes_screen_decide(s->st, s->as, s->stage, s->cur, d, &o, &err)) {
		snprintf(s->status, sizeof(s->status), "%s", err.message);
		if (err.code == QES_ECONFLICT && !s->mine)
			next(s, s->cur);   /* taken meanwhile by someone else: move on */
		return;
	}
	snprintf(s->status, sizeof(s->status), "%s: %s%s%s%s", s->rec.source_key,
		 qes_decision_name(d), o.reason ? " - " : "", o.reason ? o.reason : "",
		 s->note[0] ? " (note saved)" : "");
	if (s->nhist == HISTORY) {
		memmove(s->history, s->history + 1, (HISTORY - 1) * sizeof(s->history[0]));
		s->nhist--;
	}
	s->history[s->nhist++] = s->cur;
	s->note[0] = '\0';
	s->prog_stale = 1;
	next(s, 0);
	s->last_ms = now_ms() - t0;
	trace(s);
}

static void run(screener *s)
{
	s->prog_stale = 1;
	next(s, 0);
	snprintf(s->status, sizeof(s->status), "screening as %s", s->as);
	for (;;) {
		if (resized) {
			resized = 0;
			term_size(s);
		}
		draw(s);
		int k = read_key();
		if (k == -2)
			continue;
		if (k == -1 || k == 'q' || k == 3)
			return;
		s->status[0] = '\0';
		switch (k) {
		case 'i': decide(s, QES_DEC_INCLUDE); break;
		case 'e': decide(s, QES_DEC_EXCLUDE); break;
		case 'u': decide(s, QES_DEC_UNSURE); break;
		case 's': next(s, s->cur); break;
		case 'c': s->show_criteria = !s->show_criteria; break;
		case 'j': s->scroll++; break;
		case 'k': if (s->scroll) s->scroll--; break;
		case ' ': s->scroll += s->rows / 2; break;
		case 'K': s->scroll = s->scroll > s->rows / 2 ? s->scroll - s->rows / 2 : 0; break;
		case 'n':
			if (prompt(s, "note: ", s->note, sizeof(s->note)))
				s->note[0] = '\0';
			snprintf(s->status, sizeof(s->status), "%s", s->note[0]
				 ? "note kept: it is saved with your decision on this record"
				 : "no note");
			break;
		case 'b':
			if (s->nhist) {
				load(s, s->history[--s->nhist]);
				memset(&s->info, 0, sizeof(s->info));
				snprintf(s->status, sizeof(s->status),
					 "back to %s: decide again to change it", s->rec.source_key);
			} else {
				snprintf(s->status, sizeof(s->status), "nothing to go back to");
			}
			break;
		default: break;
		}
	}
}

static void screener_free(screener *s)
{
	for (int i = 0; i < s->nkw; i++)
		free(s->kw[i]);
	free(s->kw);
	free(s->kw_excl);
	for (int i = 0; i < s->nreasons; i++)
		free(s->reasons[i]);
	free(s->reasons);
	free(s->criteria);
	free(s->body);
	qes__arena_free(&s->arena);
	qes_orderer_free(s->q);
}

/* --stopping: the estimate for scripts. */
int cmd_screen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "stage", required_argument, NULL, 's' },
		{ "progress", no_argument, NULL, 'p' },
		{ "outcomes", no_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "order", required_argument, NULL, 'O' },
		{ "seed", required_argument, NULL, 'S' },
		{ "stopping", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *as = NULL, *stage_s = "ta", *order_s = "auto";
	int progress = 0, outcomes = 0, json = 0, stop = 0, c;
	unsigned long long seed = 0;
	char *end;
	optind = 0;
	while ((c = getopt_long(argc, argv, "a:s:pojh", opts, NULL)) != -1) {
		switch (c) {
		case 'O': order_s = optarg; break;
		case 'S':
			errno = 0;
			seed = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || *optarg == '-')
				return cli_usage_error(usage, "--seed takes a whole number");
			break;
		case 'T': stop = 1; break;
		case 'a': as = optarg; break;
		case 's': stage_s = optarg; break;
		case 'p': progress = 1; break;
		case 'o': outcomes = 1; break;
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	qes_error err;
	qes_error_clear(&err);
	qes_stage stage;
	if (argc - optind != 1)
		return cli_usage_error(usage, "screen takes one review");
	if (qes_stage_parse(stage_s, &stage, &err))
		return cli_usage_error(usage, "%s", err.message);
	qes_screen_order order;
	if (qes_screen_order_parse(order_s, &order, &err))
		return cli_usage_error(usage, "%s", err.message);
	if (stop && !as)
		return cli_usage_error(usage, "the stopping estimate is per reviewer (--as INITIALS)");
	if (stop && (progress || outcomes))
		return cli_usage_error(usage, "--stopping, --progress and --outcomes go alone");
	if (stop)
		progress = 2;
	if (!as && !progress && !outcomes)
		return cli_usage_error(usage, "say who screens (--as INITIALS)");
	if (!progress && !outcomes && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "qes screen: needs a terminal (scripts use 'qes decide')\n");
		return QES_EXIT_USAGE;
	}
	qes_store *st;
	int rc = cli_open("screen", argv[optind], &st);
	if (rc)
		return rc;
	if (progress == 2) {
		rc = cli_screen_stopping(st, as, stage, json);
		qes_store_close(st);
		return rc;
	}
	if (progress || outcomes) {
		rc = cli_screen_report(st, as, stage, outcomes, json);
		qes_store_close(st);
		return rc;
	}
	screener s;
	memset(&s, 0, sizeof(s));
	s.st = st;
	s.as = as;
	s.stage = stage;
	qes__arena_init(&s.arena, 64 * 1024);
	qes_reviewer who;
	if (qes_reviewer_get(st, as, &who, &err) || load_settings(&s, &err)) {
		rc = cli_fail("screen", &err);
		goto out;
	}
	qes_reviewer_release(&who);
	s.order = order;
	if (order != QES_ORDER_ID) {
		/* Builds the features and the first model before the screen opens. */
		qes_orderer_opts oo = { order, seed, 1, 0 };
		if (qes_orderer_new(&s.q, st, as, stage, &oo, &err)) {
			rc = cli_fail("screen", &err);
			goto out;
		}
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_winch;   /* no SA_RESTART: the key read returns EINTR */
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_handler = on_fatal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	term_size(&s);
	if (term_raw()) {
		fprintf(stderr, "qes screen: cannot set up the terminal\n");
		rc = QES_EXIT_ERROR;
		goto out;
	}
	run(&s);
	term_restore();
out:
	screener_free(&s);
	qes_store_close(st);
	return rc;
}
