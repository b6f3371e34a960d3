/* cmd_simulate.c: qes simulate FILE.csv: replays a labelled screening dataset
 * with prioritised screening and reports how early the inclusions were found.
 * Protocol (../shared/data/screening/README.md): for seed s the records are
 * shuffled with seed 1000 + s (the order that breaks ties), the priors are one
 * random included and one random excluded record (seed s), and the model is
 * retrained after every decision until the last included record is found. */
#include "cli.h"
#include "qes/import.h"
#include "qes/rank.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"qes simulate FILE.csv [--seed S] [--runs R] [--json] [--order FILE]\n"
	"       [--curve FILE.csv] [--plot FILE.svg] [--label COLUMN] [--stopping K]";
static const char help[] =
	"Replays a labelled dataset with prioritised screening (active learning) and\n"
	"reports recall@10%, WSS@95 (asreview-insights and Cohen 2006), records screened\n"
	"to find the last inclusion, and the time of one retrain + rescore.\n"
	"\n"
	"  --seed S         first seed (default 0): records shuffled with seed 1000+S,\n"
	"                   priors (one included, one excluded) drawn with seed S\n"
	"  --runs R         seeds S..S+R-1; prints each run and the means (default 1)\n"
	"  --json           one object: n, included, recall_at_10pct, wss_at_95,\n"
	"                   wss_at_95_cohen, screened_to_last_inclusion, ms_per_retrain,\n"
	"                   retrains, terms (and runs: one object per seed when R > 1)\n"
	"  --order FILE     the record_id of every screened record, one a line, in\n"
	"                   screening order, priors first (FILE.SEED when R > 1)\n"
	"  --curve FILE     recall curve as CSV: seed,screened,found,recall\n"
	"  --plot FILE      recall curve as SVG, with the random-order line\n"
	"  --label COLUMN   the 0/1 label column (default label_included)\n"
	"  --stopping K     also replay the stopping aid as a reviewer would use it:\n"
	"                   prioritised screening until K irrelevant records in a row,\n"
	"                   then records drawn at random until the stopping test\n"
	"                   (Callaghan & Mueller-Hansen 2020; recall target 95%, 95%\n"
	"                   confidence) says stop; reports the recall reached and the\n"
	"                   records screened (JSON: \"stopping\", per run and mean)\n"
	"Expert options for the model study in docs/ranking.md (defaults are the best found):\n"
	"  --C X (1), --balance R (30: relevant records together weigh R times the\n"
	"  irrelevant), --pos-weight X (instead of --balance: per-record weight; 0 = by\n"
	"  class sizes), --ngrams 1|2|3 (2), --min-df N (1), --epochs N (1),\n"
	"  --pseudo-neg N (0), --title-repeat N (1), --nb-mix X (0), --no-stem,\n"
	"  --max-df F (0.5: terms in a larger share of records are dropped),\n"
	"  --rocchio X (1: weight of the relevant records' centroid mixed into the SVM),\n"
	"  --rocchio-k K (6: that weight fades as K/(K + relevant - 1); 0 = constant),\n"
	"  --view2 0..3 (3: an ensemble with a second model on latent semantic features;\n"
	"  1: on unstemmed words, 2: on character 3-5-grams, 0: the SVM alone;\n"
	"  standardised scores added), --view2-weight X (0.5), --lsa-dims K (100),\n"
	"  --char-ngrams N (0: character 3..N-grams instead of words).\n";

typedef struct dataset {
	qes_rank_item *items;
	unsigned char *label;
	size_t n, alloc, included;
	const char *column;
	char **strings;          /* everything the items point to (owned) */
	size_t ns, salloc;
	char bad_key[128];       /* the first record without a 0/1 label: its key, */
	char bad_value[64];      /* what it had instead, */
	long bad_line;           /* and its line */
} dataset;

static char *keep(dataset *d, const char *s)
{
	if (!s)
		return NULL;
	if (d->ns == d->salloc) {
		size_t na = d->salloc ? d->salloc * 2 : 1024;
		char **p = realloc(d->strings, na * sizeof(*p));
		if (!p)
			return NULL;
		d->strings = p;
		d->salloc = na;
	}
	char *c = strdup(s);
	if (c)
		d->strings[d->ns++] = c;
	return c;
}

static char *join_keywords(const qes_record *rec)
{
	size_t len = 1;
	for (size_t i = 0; i < rec->keywords.n; i++)
		len += strlen(rec->keywords.items[i]) + 2;
	char *s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < rec->keywords.n; i++) {
		if (i)
			strcat(s, "; ");
		strcat(s, rec->keywords.items[i]);
	}
	return s;
}

static int on_record(void *ud, const qes_record *rec)
{
	dataset *d = ud;
	const char *lab = qes_record_extra(rec, d->column);
	char ord[32];
	snprintf(ord, sizeof(ord), "%ld", rec->ordinal);
	const char *key = rec->source_key ? rec->source_key : ord;
	if (!lab || (strcmp(lab, "0") && strcmp(lab, "1") && strcmp(lab, "0.0") && strcmp(lab, "1.0"))) {
		snprintf(d->bad_key, sizeof(d->bad_key), "%s", key);
		snprintf(d->bad_value, sizeof(d->bad_value), "%s", lab ? lab : "");
		d->bad_line = rec->line;
		return QES_EFORMAT;
	}
	if (d->n == d->alloc) {
		size_t na = d->alloc ? d->alloc * 2 : 1024;
		qes_rank_item *it = realloc(d->items, na * sizeof(*it));
		if (!it)
			return QES_ENOMEM;
		d->items = it;
		unsigned char *l = realloc(d->label, na);
		if (!l)
			return QES_ENOMEM;
		d->label = l;
		d->alloc = na;
	}
	char *kw = rec->keywords.n ? join_keywords(rec) : NULL;
	qes_rank_item *it = &d->items[d->n];
	it->id = keep(d, key);
	it->title = keep(d, rec->title);
	it->abstract = keep(d, rec->abstract);
	it->keywords = keep(d, kw);
	free(kw);
	if (!it->id)
		return QES_ENOMEM;
	d->label[d->n] = lab[0] == '1';
	d->included += lab[0] == '1';
	d->n++;
	return 0;
}

static void dataset_release(dataset *d)
{
	for (size_t i = 0; i < d->ns; i++)
		free(d->strings[i]);
	free(d->strings);
	free(d->items);
	free(d->label);
}

typedef struct sim_opts {
	long seed, runs;
	long stop_after;        /* --stopping K: irrelevant in a row before sampling (0: off) */
	int json;
	const char *order, *curve, *plot, *label;
	qes_rank_opts model;
} sim_opts;

/* One run's results. */
typedef struct run {
	long seed;
	qes_rank_metrics m;
	double ms;
	long retrains;
	size_t *order;          /* screened records, priors first */
	size_t screened;
	unsigned char *lab;     /* labels after the priors */
	struct {                /* --stopping: the replay of the stopping aid */
		long switched_at;   /* records screened (priors included) when sampling began */
		long screened;      /* when the test said stop (or every record was screened) */
		long found;         /* relevant records then, priors included */
		long sample_n, sample_relevant;
		double p_value;
		int stopped;        /* 1: the test said stop; 0: the records ran out first */
	} stop;
} run;

/* Picks the priors: one random included and one random excluded record. */
static void pick_priors(const dataset *d, uint64_t seed, size_t *pos, size_t *neg)
{
	uint64_t s = seed;
	size_t np = d->included, nn = d->n - d->included;
	size_t a = qes_rank_rand(&s) % np, b = qes_rank_rand(&s) % nn;
	for (size_t i = 0; i < d->n; i++) {
		if (d->label[i] && a-- == 0)
			*pos = i;
		if (!d->label[i] && b-- == 0)
			*neg = i;
	}
}

/* A session as the protocol starts it: records shuffled with seed 1000 + s
 * (the order that breaks score ties), the two priors drawn with seed s and
 * labelled. */
static int start_session(const dataset *d, const qes_rank_features *f, const sim_opts *o,
			 long seed, qes_rank **r, size_t *pos, size_t *neg, qes_error *err)
{
	*r = NULL;
	uint32_t *perm = malloc(d->n * sizeof(*perm)), *tie = malloc(d->n * sizeof(*tie));
	int rc = QES_ENOMEM;
	if (!perm || !tie) {
		qes_error_set(err, rc, "out of memory");
		goto out;
	}
	qes_rank_shuffle(perm, d->n, 1000 + (uint64_t)seed);
	for (size_t i = 0; i < d->n; i++)
		tie[perm[i]] = (uint32_t)i;
	if ((rc = qes_rank_new(r, f, tie, &o->model, err)))
		goto out;
	pick_priors(d, (uint64_t)seed, pos, neg);
	if ((rc = qes_rank_label(*r, *pos, 1, 0, err)) || (rc = qes_rank_label(*r, *neg, 0, 0, err))) {
		qes_rank_free(*r);
		*r = NULL;
	}
out:
	free(perm);
	free(tie);
	return rc;
}

/* One prioritised step: retrain, take the best record left and label it from
 * the truth. *got: 0 when no record is left. */
static int screen_best(qes_rank *r, const dataset *d, size_t *next, int *got, qes_error *err)
{
	*got = 0;
	int rc = qes_rank_retrain(r, err);
	if (rc || qes_rank_next(r, next, 1) != 1)
		return rc;
	*got = 1;
	return qes_rank_label(r, *next, d->label[*next], 0, err);
}

static int simulate_one(const dataset *d, const qes_rank_features *f, const sim_opts *o,
			long seed, run *out, qes_error *err)
{
	int rc = QES_ENOMEM;
	qes_rank *r = NULL;
	size_t pos = 0, neg = 0, found = 1, m = 0;
	out->order = malloc(d->n * sizeof(*out->order));
	out->lab = calloc(d->n, 1);
	if (!out->order || !out->lab) {
		qes_error_set(err, rc, "out of memory");
		goto out;
	}
	if ((rc = start_session(d, f, o, seed, &r, &pos, &neg, err)))
		goto out;
	out->order[0] = pos;
	out->order[1] = neg;
	out->screened = 2;
	while (found < d->included) {
		size_t next;
		int got;
		if ((rc = screen_best(r, d, &next, &got, err)))
			goto out;
		if (!got)
			break;
		out->order[out->screened++] = next;
		out->lab[m++] = d->label[next];
		found += d->label[next];
	}
	out->seed = seed;
	out->retrains = qes_rank_retrains(r, &out->ms);
	rc = qes_rank_metrics_compute(out->lab, m, d->n, d->included, 1, &out->m, err);
out:
	qes_rank_free(r);
	return rc;
}

/* The stopping aid as a reviewer uses it (docs/screening.md): prioritised
 * screening until o->stop_after irrelevant records in a row, then a random
 * sample of the records left, the stopping test after each, until it says
 * stop. Same shuffle and priors as the run's prioritised replay. */
static int simulate_stopping(const dataset *d, const qes_rank_features *f, const sim_opts *o,
			     long seed, run *out, qes_error *err)
{
	qes_rank *r = NULL;
	size_t pos = 0, neg = 0;
	int rc = start_session(d, f, o, seed, &r, &pos, &neg, err);
	if (rc)
		goto out;
	long screened = 2, found = 1, dry = 0;
	while (dry < o->stop_after && screened < (long)d->n) {
		size_t next;
		int got;
		if ((rc = screen_best(r, d, &next, &got, err)))
			goto out;
		if (!got)
			break;
		screened++;
		found += d->label[next];
		dry = d->label[next] ? 0 : dry + 1;
	}
	out->stop.switched_at = screened;
	qes_rank_stop st;
	memset(&st, 0, sizeof(st));
	st.p_value = 1;
	for (;;) {
		long idx = qes_rank_sample_next(r);
		if (idx < 0)
			break;
		if ((rc = qes_rank_label(r, (size_t)idx, d->label[idx], 1, err)))
			goto out;
		screened++;
		found += d->label[idx];
		qes_rank_stop_estimate(r, 0.95, 0.95, &st);
		if (st.can_stop)
			break;
	}
	out->stop.screened = screened;
	out->stop.found = found;
	out->stop.sample_n = st.sample_n;
	out->stop.sample_relevant = st.sample_relevant;
	out->stop.p_value = st.p_value;
	out->stop.stopped = st.can_stop;
out:
	qes_rank_free(r);
	return rc;
}

static int write_order(const dataset *d, const run *rn, const char *path, qes_error *err)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		return qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
	for (size_t i = 0; i < rn->screened; i++)
		fprintf(fp, "%s\n", d->items[rn->order[i]].id);
	if (fclose(fp))
		return qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
	return 0;
}

static int write_curve(const dataset *d, const run *runs, long nr, const char *path, qes_error *err)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		return qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
	fprintf(fp, "seed,screened,found,recall\n");
	double npos = (double)(d->included - 1);
	for (long k = 0; k < nr; k++) {
		size_t found = 0;
		fprintf(fp, "%ld,0,0,0\n", runs[k].seed);
		for (size_t i = 2; i < runs[k].screened; i++) {
			found += d->label[runs[k].order[i]];
			fprintf(fp, "%ld,%zu,%zu,%.6f\n", runs[k].seed, i - 1, found, (double)found / npos);
		}
	}
	if (fclose(fp))
		return qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
	return 0;
}

/* A hand-written SVG: recall against records screened (priors excluded),
 * one line per run, and the diagonal a random order would follow. */
static int write_plot(const dataset *d, const run *runs, long nr, const char *name,
		      const char *path, qes_error *err)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		return qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
	const double W = 640, H = 420, L = 60, T = 30, PW = 540, PH = 320;
	double n = (double)d->n, npos = (double)(d->included - 1);
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		"font-family=\"sans-serif\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		"<text x=\"%.0f\" y=\"18\">Recall curve: ", W, H, L);
	for (const char *c = name; *c; c++)
		fputs(*c == '<' ? "&lt;" : *c == '&' ? "&amp;" : *c == '>' ? "&gt;" : (char[]){ *c, 0 }, fp);
	fprintf(fp, " (%ld run%s)</text>\n", nr, nr == 1 ? "" : "s");
	fprintf(fp, "<g stroke=\"#888\" fill=\"none\"><rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" "
		"height=\"%.0f\"/></g>\n", L, T, PW, PH);
	for (int t = 0; t <= 10; t += 2) {
		double x = L + PW * t / 10.0, y = T + PH - PH * t / 10.0;
		fprintf(fp, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%.0f</text>\n",
			x, T + PH + 16, n * t / 10.0);
		fprintf(fp, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>\n",
			L - 6, y + 4, t / 10.0);
	}
	fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">records screened</text>\n"
		"<text x=\"14\" y=\"%.0f\" transform=\"rotate(-90 14 %.0f)\" text-anchor=\"middle\">"
		"recall</text>\n", L + PW / 2, H - 12, T + PH / 2, T + PH / 2);
	fprintf(fp, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#999\" "
		"stroke-dasharray=\"6 4\"/>\n", L, T + PH, L + PW, T);
	for (long k = 0; k < nr; k++) {
		fprintf(fp, "<polyline fill=\"none\" stroke=\"#1f6fb4\" stroke-opacity=\"%.2f\" "
			"points=\"%.1f,%.1f", nr > 1 ? 0.5 : 1.0, L, T + PH);
		size_t found = 0;
		for (size_t i = 2; i < runs[k].screened; i++) {
			found += d->label[runs[k].order[i]];
			fprintf(fp, " %.1f,%.1f", L + PW * (double)(i - 1) / n,
				T + PH - PH * (double)found / npos);
		}
		fprintf(fp, " %.1f,%.1f\"/>\n", L + PW, T);
	}
	fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" fill=\"#1f6fb4\">prioritised</text>\n"
		"<text x=\"%.0f\" y=\"%.0f\" fill=\"#777\">random order</text>\n</svg>\n",
		L + PW - 150, T + PH - 40, L + PW - 150, T + PH - 24);
	if (fclose(fp))
		return qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
	return 0;
}

/* Four decimals, as the independent scorer (wss.py) prints them; through
 * printf so the rounding is that of the exact binary value, like Python's. */
static double round4(double x)
{
	char b[64];
	snprintf(b, sizeof(b), "%.4f", x);
	return strtod(b, NULL);
}

static json_t *run_json(const dataset *d, const run *rn, size_t terms)
{
	json_t *o = json_object();
	json_object_set_new(o, "seed", json_integer(rn->seed));
	json_object_set_new(o, "n", json_integer((json_int_t)d->n));
	json_object_set_new(o, "included", json_integer((json_int_t)d->included));
	json_object_set_new(o, "recall_at_10pct", json_real(round4(rn->m.recall_at_10pct)));
	json_object_set_new(o, "wss_at_95", json_real(round4(rn->m.wss_at_95)));
	json_object_set_new(o, "wss_at_95_cohen", json_real(round4(rn->m.wss_at_95_cohen)));
	json_object_set_new(o, "screened_to_last_inclusion", rn->m.screened_to_last < 0 ?
			    json_null() : json_integer(rn->m.screened_to_last));
	json_object_set_new(o, "ms_per_retrain", json_real(round4(rn->ms)));
	json_object_set_new(o, "retrains", json_integer(rn->retrains));
	json_object_set_new(o, "terms", json_integer((json_int_t)terms));
	return o;
}

/* Recall when the stopping replay stopped (priors included, as reviewers count). */
static double stop_recall(const dataset *d, const run *rn)
{
	return (double)rn->stop.found / (double)d->included;
}

/* The stopping replay of one run, or (n_runs > 1) the mean over runs. */
static json_t *stop_json(const dataset *d, const run *rn, long switch_after)
{
	json_t *o = json_object();
	double recall = stop_recall(d, rn);
	json_object_set_new(o, "switch_after", json_integer(switch_after));
	json_object_set_new(o, "switched_at", json_integer(rn->stop.switched_at));
	json_object_set_new(o, "screened", json_integer(rn->stop.screened));
	json_object_set_new(o, "found", json_integer(rn->stop.found));
	json_object_set_new(o, "recall", json_real(round4(recall)));
	json_object_set_new(o, "work_saved", json_real(round4(1 - (double)rn->stop.screened /
								    (double)d->n)));
	json_object_set_new(o, "sample_n", json_integer(rn->stop.sample_n));
	json_object_set_new(o, "sample_relevant", json_integer(rn->stop.sample_relevant));
	json_object_set_new(o, "p_value", json_real(rn->stop.p_value));
	json_object_set_new(o, "stopped", json_boolean(rn->stop.stopped));
	json_object_set_new(o, "target_met", json_boolean(recall >= 0.95));
	return o;
}

static json_t *stop_mean_json(const dataset *d, const run *runs, long nr, long switch_after)
{
	double rec = 0, saved = 0, scr = 0, met = 0, stopped = 0;
	for (long k = 0; k < nr; k++) {
		double r = stop_recall(d, &runs[k]);
		rec += r / (double)nr;
		scr += (double)runs[k].stop.screened / (double)nr;
		saved += (1 - (double)runs[k].stop.screened / (double)d->n) / (double)nr;
		met += r >= 0.95;
		stopped += runs[k].stop.stopped;
	}
	json_t *o = json_object();
	json_object_set_new(o, "switch_after", json_integer(switch_after));
	json_object_set_new(o, "runs", json_integer(nr));
	json_object_set_new(o, "recall", json_real(round4(rec)));
	json_object_set_new(o, "screened", json_real(round4(scr)));
	json_object_set_new(o, "work_saved", json_real(round4(saved)));
	json_object_set_new(o, "runs_target_met", json_integer((json_int_t)met));
	json_object_set_new(o, "runs_stopped", json_integer((json_int_t)stopped));
	return o;
}

static int parse_num(const char *s, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* The numeric options: their range, where the value goes (a double, int or
 * long field of sim_opts) and the usage error when it is out of range. */
typedef struct num_opt {
	int key;
	double lo, hi;
	size_t off;
	char kind;              /* 'd' double, 'i' int, 'l' long */
	const char *msg;
} num_opt;

#define OPT_AT(field) offsetof(sim_opts, field)
static const num_opt num_opts[] = {
	{ 's', 0, 1e9, OPT_AT(seed), 'l', "--seed takes a number from 0 to 1e9" },
	{ 'r', 1, 1000, OPT_AT(runs), 'l', "--runs takes a number from 1 to 1000" },
	{ 'T', 1, 1e9, OPT_AT(stop_after), 'l', "--stopping takes a number of records >= 1" },
	{ 'C', 1e-6, 1e6, OPT_AT(model.C), 'd', "--C takes a positive number" },
	{ 'w', 0, 1e6, OPT_AT(model.pos_weight), 'd', "--pos-weight takes a number >= 0" },
	{ 'g', 1, 3, OPT_AT(model.ngram_max), 'i', "--ngrams takes 1, 2 or 3" },
	{ 'm', 1, 1e6, OPT_AT(model.min_df), 'i', "--min-df takes a number >= 1" },
	{ 'e', 1, 1000, OPT_AT(model.epochs), 'i', "--epochs takes a number from 1 to 1000" },
	{ 'n', 0, 1e6, OPT_AT(model.pseudo_neg), 'i', "--pseudo-neg takes a number >= 0" },
	{ 't', 1, 10, OPT_AT(model.title_repeat), 'i', "--title-repeat takes a number from 1 to 10" },
	{ 'b', 0, 100, OPT_AT(model.nb_mix), 'd', "--nb-mix takes a number from 0 to 100" },
	{ 'B', 0, 1e6, OPT_AT(model.balance_ratio), 'd', "--balance takes a number >= 0" },
	{ 'M', 0.01, 1, OPT_AT(model.max_df), 'd', "--max-df takes a share from 0.01 to 1" },
	{ 'R', 0, 100, OPT_AT(model.rocchio), 'd', "--rocchio takes a number from 0 to 100" },
	{ 'K', 0, 1e6, OPT_AT(model.rocchio_k), 'd', "--rocchio-k takes a number >= 0" },
	{ 'V', 0, 3, OPT_AT(model.view2), 'i', "--view2 takes 0 to 3" },
	{ 'W', 0, 100, OPT_AT(model.view2_weight), 'd', "--view2-weight takes a number from 0 to 100" },
	{ 'G', 0, 8, OPT_AT(model.char_ngrams), 'i', "--char-ngrams takes 0 or 3 to 8" },
	{ 'L', 1, 1000, OPT_AT(model.lsa_dims), 'i', "--lsa-dims takes a number from 1 to 1000" },
};

/* Parses and stores a numeric option; 0, or the usage error's code. */
static int set_num(sim_opts *o, const num_opt *no, const char *arg)
{
	double v;
	if (parse_num(arg, no->lo, no->hi, &v) || (no->key == 'G' && v > 0 && v < 3))
		return cli_usage_error(usage, "%s", no->msg);
	void *dst = (char *)o + no->off;
	if (no->kind == 'd')
		*(double *)dst = v;
	else if (no->kind == 'i')
		*(int *)dst = (int)v;
	else
		*(long *)dst = (long)v;
	if (no->key == 'w')
		o->model.balance_ratio = 0;   /* a per-record weight replaces the balance */
	return 0;
}

static int parse_args(int argc, char **argv, sim_opts *o, const char **file)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' }, { "runs", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' }, { "order", required_argument, NULL, 'o' },
		{ "curve", required_argument, NULL, 'c' }, { "plot", required_argument, NULL, 'p' },
		{ "label", required_argument, NULL, 'l' }, { "C", required_argument, NULL, 'C' },
		{ "pos-weight", required_argument, NULL, 'w' }, { "ngrams", required_argument, NULL, 'g' },
		{ "min-df", required_argument, NULL, 'm' }, { "epochs", required_argument, NULL, 'e' },
		{ "pseudo-neg", required_argument, NULL, 'n' }, { "title-repeat", required_argument, NULL, 't' },
		{ "nb-mix", required_argument, NULL, 'b' }, { "balance", required_argument, NULL, 'B' },
		{ "no-stem", no_argument, NULL, 'S' }, { "max-df", required_argument, NULL, 'M' },
		{ "rocchio", required_argument, NULL, 'R' }, { "rocchio-k", required_argument, NULL, 'K' },
		{ "view2", required_argument, NULL, 'V' }, { "view2-weight", required_argument, NULL, 'W' },
		{ "char-ngrams", required_argument, NULL, 'G' }, { "lsa-dims", required_argument, NULL, 'L' },
		{ "stopping", required_argument, NULL, 'T' }, { "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		const num_opt *no = NULL;
		for (size_t i = 0; i < sizeof(num_opts) / sizeof(num_opts[0]) && !no; i++)
			if (num_opts[i].key == c)
				no = &num_opts[i];
		if (no) {
			int rc = set_num(o, no, optarg);
			if (rc)
				return rc;
			continue;
		}
		switch (c) {
		case 'j': o->json = 1; break;
		case 'o': o->order = optarg; break;
		case 'c': o->curve = optarg; break;
		case 'p': o->plot = optarg; break;
		case 'l': o->label = optarg; break;
		case 'S': o->model.stem = 0; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return -1;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(usage, "simulate takes one labelled CSV file");
	*file = argv[optind];
	return 0;
}

static int read_dataset(const char *file, dataset *d, qes_error *err)
{
	qes_parse_opts po;
	memset(&po, 0, sizeof(po));
	po.format = "csv";
	int rc = qes_parse_file(file, &po, on_record, d, NULL, err);
	if (rc == QES_EFORMAT && d->bad_key[0])
		return qes_error_at(err, QES_EFORMAT, file, d->bad_line, d->column,
				    "record %s has '%s' in column '%s', where the label must be 0 "
				    "(excluded) or 1 (included)", d->bad_key, d->bad_value, d->column);
	if (rc)
		return rc;
	if (d->n < 2 || d->included < 2 || d->included == d->n)
		return qes_error_at(err, QES_EFORMAT, file, 0, d->column, "a simulation needs at least "
				    "two included and one excluded record (found %zu of %zu included)",
				    d->included, d->n);
	return 0;
}

static void print_text(const char *file, const dataset *d, const run *runs, long nr,
		       const run *mean)
{
	printf("%s: %zu records, %zu included\n", file, d->n, d->included);
	if (nr > 1)
		for (long k = 0; k < nr; k++)
			printf("  seed %-4ld recall@10%% %.4f  WSS@95 %.4f  (Cohen %.4f)  last inclusion "
			       "after %ld  %.3f ms/retrain\n", runs[k].seed, runs[k].m.recall_at_10pct,
			       runs[k].m.wss_at_95, runs[k].m.wss_at_95_cohen, runs[k].m.screened_to_last,
			       runs[k].ms);
	printf("%srecall@10%%  %.4f\nWSS@95      %.4f (asreview-insights), %.4f (Cohen 2006)\n"
	       "last inclusion found after %ld records (priors excluded)\n"
	       "retrain + rescore: %.3f ms (mean of %ld)\n", nr > 1 ? "mean of the runs:\n" : "",
	       mean->m.recall_at_10pct, mean->m.wss_at_95, mean->m.wss_at_95_cohen,
	       mean->m.screened_to_last, mean->ms, mean->retrains);
}

static void print_stopping(const dataset *d, const run *runs, long nr, long k)
{
	printf("stopping aid (random sampling after %ld irrelevant records in a row, recall "
	       "target 95%%, 95%% confidence):\n", k);
	long met = 0;
	for (long i = 0; i < nr; i++) {
		const run *rn = &runs[i];
		double recall = stop_recall(d, rn);
		met += recall >= 0.95;
		printf("  seed %-4ld sampling from record %ld; %s after %ld records (%.1f%% of %zu), "
		       "recall %.4f (%ld of %zu), sample %ld with %ld relevant, p = %.4f\n",
		       rn->seed, rn->stop.switched_at, rn->stop.stopped ? "stopped" : "ran out",
		       rn->stop.screened, 100.0 * (double)rn->stop.screened / (double)d->n, d->n,
		       recall, rn->stop.found, d->included, rn->stop.sample_n,
		       rn->stop.sample_relevant, rn->stop.p_value);
	}
	printf("  recall target met in %ld of %ld runs\n", met, nr);
}

int cmd_simulate(int argc, char **argv)
{
	sim_opts o;
	memset(&o, 0, sizeof(o));
	o.runs = 1;
	qes_rank_opts_default(&o.model);
	o.label = "label_included";
	const char *file = NULL;
	int rc = parse_args(argc, argv, &o, &file);
	if (rc)
		return rc < 0 ? 0 : rc;
	dataset d;
	memset(&d, 0, sizeof(d));
	d.column = o.label;
	qes_error err;
	qes_error_clear(&err);
	qes_rank_features *f = NULL;
	run *runs = calloc((size_t)o.runs, sizeof(*runs));
	run mean;
	memset(&mean, 0, sizeof(mean));
	int ex = QES_EXIT_OK;
	if (!runs) {
		rc = qes_error_set(&err, QES_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = read_dataset(file, &d, &err)) ||
	    (rc = qes_rank_features_build(&f, d.items, d.n, &o.model, &err)))
		goto out;
	for (long k = 0; k < o.runs; k++) {
		run *rn = &runs[k];
		if ((rc = simulate_one(&d, f, &o, o.seed + k, rn, &err)) ||
		    (o.stop_after && (rc = simulate_stopping(&d, f, &o, o.seed + k, rn, &err))))
			goto out;
		if (o.order) {
			char path[4096];
			snprintf(path, sizeof(path), o.runs > 1 ? "%s.%ld" : "%s", o.order, rn->seed);
			if ((rc = write_order(&d, rn, path, &err)))
				goto out;
		}
		mean.m.recall_at_10pct += rn->m.recall_at_10pct / (double)o.runs;
		mean.m.wss_at_95 += rn->m.wss_at_95 / (double)o.runs;
		mean.m.wss_at_95_cohen += rn->m.wss_at_95_cohen / (double)o.runs;
		mean.m.screened_to_last += rn->m.screened_to_last;
		mean.ms += rn->ms / (double)o.runs;
		mean.retrains += rn->retrains;
	}
	mean.m.screened_to_last = (mean.m.screened_to_last + o.runs / 2) / o.runs;
	mean.retrains = (mean.retrains + o.runs / 2) / o.runs;
	mean.seed = o.seed;
	if ((o.curve && (rc = write_curve(&d, runs, o.runs, o.curve, &err))) ||
	    (o.plot && (rc = write_plot(&d, runs, o.runs, file, o.plot, &err))))
		goto out;
	if (o.json) {
		json_t *top = run_json(&d, &mean, qes_rank_features_terms(f));
		if (o.stop_after)
			json_object_set_new(top, "stopping", o.runs > 1
					    ? stop_mean_json(&d, runs, o.runs, o.stop_after)
					    : stop_json(&d, &runs[0], o.stop_after));
		if (o.runs > 1) {
			json_t *arr = json_array();
			for (long k = 0; k < o.runs; k++) {
				json_t *one = run_json(&d, &runs[k], qes_rank_features_terms(f));
				if (o.stop_after)
					json_object_set_new(one, "stopping",
							    stop_json(&d, &runs[k], o.stop_after));
				json_array_append_new(arr, one);
			}
			json_object_set_new(top, "runs", arr);
		}
		/* Ten significant digits: the metrics are rounded to four decimals
		 * already, and 0.2 should read 0.2, not 0.20000000000000001. */
		if (json_dumpf(top, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
			       JSON_REAL_PRECISION(10)) || putchar('\n') == EOF)
			ex = QES_EXIT_ERROR;
		json_decref(top);
	} else {
		print_text(file, &d, runs, o.runs, &mean);
		if (o.stop_after)
			print_stopping(&d, runs, o.runs, o.stop_after);
	}
out:
	if (runs)
		for (long k = 0; k < o.runs; k++) {
			free(runs[k].order);
			free(runs[k].lab);
		}
	free(runs);
	qes_rank_features_free(f);
	dataset_release(&d);
	if (rc)
		return cli_fail("simulate", &err);
	return ex;
}
