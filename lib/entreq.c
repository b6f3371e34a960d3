/* entreq.c: the ENTREQ statement (Tong, Flemming, McInnes, Oliver & Craig
 * 2012, BMC Medical Research Methodology 12:181), 21 items, filled from
 * what the review holds. Each item's status says whether the data answer
 * it (filled), answer part of it (partial), or only the authors can
 * (needs_author). Authors add their own text per item (meta entreq.N).
 * The item titles and guidance are our own short paraphrases. */
#include "synth_internal.h"
#include "code_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qes/advisory.h"
#include "qes/prisma.h"
#include "qes/screen.h"
#include "strbuf.h"

#define N_ITEMS 21

static const struct { const char *domain, *title, *guidance; } items[N_ITEMS] = {
	{ "Introduction", "Aim", "The question the synthesis sets out to answer." },
	{ "Methods and methodology", "Synthesis methodology",
	  "Which method of synthesis was used, and why it suits the question." },
	{ "Literature search and selection", "Approach to searching",
	  "Whether the search was planned to find everything, or built up as the analysis went on." },
	{ "Literature search and selection", "Inclusion criteria",
	  "The criteria for a study to be included (population, setting, design, language...)." },
	{ "Literature search and selection", "Data sources",
	  "The databases and other sources searched, and when." },
	{ "Literature search and selection", "Electronic search strategy",
	  "The search terms and strategies, for example the full search of one database." },
	{ "Literature search and selection", "Study screening methods",
	  "How titles, abstracts and full texts were screened, and by how many people." },
	{ "Literature search and selection", "Study characteristics",
	  "What is reported about the included studies (year, country, participants, methods)." },
	{ "Literature search and selection", "Study selection results",
	  "How many records were found and screened, why studies were excluded, how many remained." },
	{ "Appraisal", "Rationale for appraisal", "Why and how the studies' quality was judged." },
	{ "Appraisal", "Appraisal items", "The tool or criteria used to appraise the studies." },
	{ "Appraisal", "Appraisal process", "Who appraised, independently or not, and how differences were settled." },
	{ "Appraisal", "Appraisal results", "What the appraisal found, and whether any study was left out or weighted because of it." },
	{ "Synthesis of findings", "Data extraction", "Which parts of the studies were taken as data, and how." },
	{ "Synthesis of findings", "Software", "The software used for the synthesis, if any." },
	{ "Synthesis of findings", "Number of reviewers", "Who took part in coding and analysis." },
	{ "Synthesis of findings", "Coding", "How the data were coded (for example line by line)." },
	{ "Synthesis of findings", "Study comparison", "How the studies were compared with one another." },
	{ "Synthesis of findings", "Derivation of themes", "How themes or concepts were arrived at: inductively, deductively, or both." },
	{ "Synthesis of findings", "Quotations", "Quotations that illustrate each theme, saying whether they are participants' words or authors' interpretations." },
	{ "Synthesis of findings", "Synthesis output", "A rich and compelling synthesis that goes beyond a summary of the studies (new concepts, models, findings)." },
};

enum { FILLED, PARTIAL, NEEDS };
static const char *const status_names[] = { "filled", "partial", "needs_author" };

typedef struct item_out {
	int status;
	qes_strbuf ev;
} item_out;

static long long n_of(qes_store *st, const char *sql)
{
	qes_error e;
	long long n = qes_store_count(st, sql, &e);
	return n < 0 ? 0 : n;
}

static void set(item_out *it, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set(item_out *it, int status, const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	it->status = status;
	qes__strbuf_addstr(&it->ev, text ? text : "");
	free(text);
}

/* Rows of sql joined into the evidence text, each as fmt of its columns. */
static void list_rows(qes_store *st, item_out *it, const char *sql, const char *sep)
{
	sqlite3_stmt *s = NULL;
	if (qes__prep(st, &s, sql, NULL))
		return;
	for (int i = 0; sqlite3_step(s) == SQLITE_ROW; i++) {
		qes__strbuf_addstr(&it->ev, i ? sep : "");
		qes__strbuf_addstr(&it->ev, qes__col(s, 0));
	}
	sqlite3_finalize(s);
}

static void aim(qes_store *st, item_out *it)
{
	char *title = NULL;
	qes_store_get_meta(st, "title", &title, NULL);
	if (title && *title)
		set(it, PARTIAL, "Review title: %s. State the question in the introduction.", title);
	else
		set(it, NEEDS, "No title or aim recorded.");
	free(title);
}

static void methodology(qes_store *st, item_out *it)
{
	long long codes = n_of(st, "SELECT count(*) FROM code_codes WHERE is_folder = 0");
	long long desc = n_of(st, "SELECT count(*) FROM code_themes WHERE level = 'descriptive'");
	long long ana = n_of(st, "SELECT count(*) FROM code_themes WHERE level = 'analytical'");
	long long sub = n_of(st, "SELECT count(*) FROM code_themes WHERE level = 'subtheme'");
	if (codes && (desc || ana))
		set(it, FILLED, "Thematic synthesis (Thomas and Harden 2008): line-by-line coding "
		    "(%lld codes), %lld descriptive themes, %lld analytical themes with %lld subthemes.",
		    codes, desc, ana, sub);
	else if (codes)
		set(it, PARTIAL, "Coding under way (%lld codes); no themes yet.", codes);
	else
		set(it, NEEDS, "No coding recorded.");
}

static void searching(qes_store *st, item_out *it)
{
	long long src = n_of(st, "SELECT count(DISTINCT source_id) FROM imports");
	long long other = n_of(st, "SELECT count(*) FROM sources s WHERE method <> 'database'"
			       " AND EXISTS (SELECT 1 FROM imports WHERE source_id = s.id)");
	if (src)
		set(it, PARTIAL, "%lld sources searched (%lld databases or registers, %lld by other "
		    "methods). Whether the search aimed to be comprehensive or was iterative is for "
		    "the authors to say.", src, src - other, other);
	else
		set(it, NEEDS, "No searches imported.");
}

static void criteria(qes_store *st, item_out *it)
{
	long long inc = n_of(st, "SELECT count(*) FROM screen_criteria WHERE kind = 'include'");
	long long exc = n_of(st, "SELECT count(*) FROM screen_criteria WHERE kind = 'exclude'");
	long long con = n_of(st, "SELECT count(*) FROM screen_criteria WHERE kind = 'concept'");
	if (inc || exc) {
		set(it, FILLED, "%lld inclusion and %lld exclusion criteria, %lld concept blocks: ",
		    inc, exc, con);
		list_rows(st, it, "SELECT CASE kind WHEN 'include' THEN 'include: ' WHEN 'exclude' THEN"
			  " 'exclude: ' ELSE coalesce(label, 'concept') || ': ' END || text FROM"
			  " screen_criteria ORDER BY id", "; ");
	} else
		set(it, NEEDS, "No eligibility criteria recorded (qes criteria).");
}

static void sources(qes_store *st, item_out *it)
{
	long long imports = n_of(st, "SELECT count(*) FROM imports");
	long long dated = n_of(st, "SELECT count(*) FROM imports WHERE coalesce(searched, '') <> ''");
	if (!imports) {
		set(it, NEEDS, "No searches imported.");
		return;
	}
	set(it, dated == imports ? FILLED : PARTIAL, "%s", "");
	list_rows(st, it, "SELECT s.name || ' (' || s.method || ', searched ' ||"
		  " coalesce(group_concat(DISTINCT i.searched), 'date not recorded') || ')'"
		  " FROM sources s JOIN imports i ON i.source_id = s.id GROUP BY s.id ORDER BY s.id", "; ");
	qes__strbuf_addstr(&it->ev, ".");
}

static void strategy(qes_store *st, item_out *it)
{
	long long db = n_of(st, "SELECT count(*) FROM imports i JOIN sources s ON s.id = i.source_id"
			    " WHERE s.method = 'database'");
	long long with = n_of(st, "SELECT count(*) FROM imports i JOIN sources s ON s.id = i.source_id"
			      " WHERE s.method = 'database' AND coalesce(i.search_string, '') <> ''");
	if (!db)
		set(it, NEEDS, "No database searches imported.");
	else
		set(it, with == db ? FILLED : with ? PARTIAL : NEEDS, "Search strings recorded for "
		    "%lld of %lld database searches (the report lists them).", with, db);
}

static void screening(qes_store *st, item_out *it)
{
	long long decided = n_of(st, "SELECT count(*) FROM screen_decisions");
	if (!decided) {
		set(it, NEEDS, "No screening decisions recorded.");
		return;
	}
	set(it, FILLED, "%s", "");
	static const char *const names[] = { "Titles and abstracts", "Full texts" };
	for (int k = 0; k < 2; k++) {
		qes_policy pol;
		qes_progress pg;
		qes_error e;
		if (qes_policy_get(st, (qes_stage)k, &pol, &e) ||
		    qes_screen_progress(st, NULL, (qes_stage)k, &pg, &e)) {
			set(it, NEEDS, "Screening could not be counted: %s", e.message);
			return;
		}
		char q[160];
		snprintf(q, sizeof(q), "SELECT count(DISTINCT reviewer_id) FROM screen_decisions"
			 " WHERE stage = '%s'", qes_stage_name((qes_stage)k));
		long long reviewers = n_of(st, q);
		snprintf(q, sizeof(q), "SELECT count(*) FROM screen_resolutions WHERE stage = '%s'",
			 qes_stage_name((qes_stage)k));
		long long resolved = n_of(st, q);
		/* The plan and what happened, side by side (issue 18). */
		qes__strbuf_addf(&it->ev, "%s%s: ", k ? "; " : "", names[k]);
		if (pol.mode == QES_POLICY_SINGLE)
			qes__strbuf_addstr(&it->ev, "one reviewer per record");
		else if (pol.mode == QES_POLICY_DOUBLE)
			qes__strbuf_addstr(&it->ev, "two independent reviewers per record planned");
		else
			qes__strbuf_addf(&it->ev, "one reviewer, two independent reviewers on a random "
					 "sample (seed %llu) planned for %ld of %ld records (%.1f%%)",
					 pol.seed, pg.planned, pg.pool,
					 pg.pool ? 100.0 * pg.planned / pg.pool : 0.0);
		if (pol.mode != QES_POLICY_SINGLE)
			qes__strbuf_addf(&it->ev, ", achieved for %ld (%.1f%%)", pg.double_decided,
					 pg.pool ? 100.0 * pg.double_decided / pg.pool : 0.0);
		qes__strbuf_addf(&it->ev, "; %lld reviewers, %lld disagreements resolved", reviewers,
				 resolved);
	}
	qes__strbuf_addstr(&it->ev, ".");
}

static void characteristics(qes_store *st, item_out *it)
{
	long long studies = n_of(st, "studies");
	long long with = n_of(st, "SELECT count(DISTINCT study_id) FROM extract_values");
	long long fields = n_of(st, "SELECT count(DISTINCT field) FROM extract_values");
	if (!studies)
		set(it, NEEDS, "No included studies yet.");
	else
		set(it, with == studies ? FILLED : PARTIAL, "Characteristics extracted for %lld of "
		    "%lld studies (%lld fields; the report's characteristics table).", with, studies,
		    fields);
}

static void selection(qes_store *st, item_out *it)
{
	qes_prisma p;
	qes_prisma_gap *gaps = NULL;
	size_t n_gaps = 0;
	qes_error e;
	if (qes_prisma_compute(st, &p, &gaps, &n_gaps, &e)) {
		set(it, NEEDS, "The flow could not be counted: %s", e.message);
		return;
	}
	if (n_gaps)
		set(it, PARTIAL, "%zu records still lack a final screening decision; ", n_gaps);
	else
		it->status = p.studies_included ? FILLED : NEEDS;
	/* Each column's numbers stay in their column: the databases' records
	 * are screened, other methods' records are sought (PRISMA 2020). */
	qes__strbuf_addf(&it->ev, "Databases and registers: %ld records identified, %ld duplicates "
			 "removed, %ld screened, %ld excluded on title and abstract, %ld reports "
			 "assessed in full. ", p.db.identified_total, p.db.duplicates_removed,
			 p.db.screened, p.db.excluded_screening, p.db.assessed);
	if (p.other.present)
		qes__strbuf_addf(&it->ev, "Other methods: %ld records identified, %ld duplicates "
				 "removed, %ld excluded on title and abstract, %ld reports assessed "
				 "in full. ", p.other.identified_total, p.other.duplicates_removed,
				 p.other.excluded_screening, p.other.assessed);
	qes__strbuf_addf(&it->ev, "%ld studies (%ld reports) included (PRISMA 2020 diagram in the "
			 "report).", p.studies_included, p.reports_included);
	qes_prisma_release(&p);
	qes_prisma_gaps_free(gaps, n_gaps);
}

static char *checklist_title(qes_store *st)
{
	sqlite3_stmt *s = NULL;
	char *t = NULL;
	/* Every active checklist (appraise.checklists when several). */
	if (qes__prep(st, &s, "SELECT group_concat(title, ' and ') FROM checklists WHERE id IN"
		      " (SELECT value FROM json_each(coalesce((SELECT value FROM meta WHERE key ="
		      " 'appraise.checklists'), json_array((SELECT value FROM meta WHERE key ="
		      " 'appraise.checklist')))))", NULL))
		return NULL;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		t = strdup(qes__col(s, 0));
	sqlite3_finalize(s);
	return t;
}

static void appraisal(qes_store *st, item_out *it, int n)
{
	char *title = checklist_title(st);
	long long ratings = n_of(st, "appraisal_ratings");
	long long studies = n_of(st, "studies");
	long long rated = n_of(st, "SELECT count(DISTINCT study_id) FROM appraisal_ratings");
	long long who = n_of(st, "SELECT count(DISTINCT reviewer) FROM appraisal_ratings"
			     " WHERE reviewer <> 'consensus'");
	long long both = n_of(st, "SELECT count(*) FROM (SELECT study_id FROM appraisal_ratings"
			      " WHERE reviewer <> 'consensus' GROUP BY study_id"
			      " HAVING count(DISTINCT reviewer) > 1)");
	long long cons = n_of(st, "SELECT count(*) FROM appraisal_ratings WHERE reviewer = 'consensus'");
#define ACTIVE_CHECKLISTS " (SELECT value FROM json_each(coalesce((SELECT value FROM meta WHERE" \
	" key = 'appraise.checklists'), json_array((SELECT value FROM meta WHERE key =" \
	" 'appraise.checklist')))))"
	long long qs = n_of(st, "SELECT count(*) FROM checklist_questions WHERE checklist_id IN"
			    ACTIVE_CHECKLISTS);
	long long added = n_of(st, "SELECT count(*) FROM checklist_questions WHERE added = 1 AND"
			       " checklist_id IN" ACTIVE_CHECKLISTS);
#undef ACTIVE_CHECKLISTS
	if (!ratings) {
		set(it, NEEDS, "No appraisal recorded.");
	} else if (n == 10) {
		set(it, PARTIAL, "Studies appraised with the %s; why appraise, and how the appraisal "
		    "was used, is for the authors to say.", title ? title : "checklist");
	} else if (n == 11) {
		set(it, FILLED, "%s: %lld questions, %lld added by the review team.",
		    title ? title : "checklist", qs, added);
	} else if (n == 12) {
		set(it, FILLED, "%lld reviewers rated; %lld studies rated independently by two or more, "
		    "%lld answers agreed by consensus.", who, both, cons);
	} else {
		set(it, rated == studies ? FILLED : PARTIAL, "%lld of %lld included studies appraised "
		    "(table and traffic-light plot in the report).", rated, studies);
	}
	free(title);
}

static void extraction(qes_store *st, item_out *it)
{
	long long studies = n_of(st, "studies");
	long long with = n_of(st, "SELECT count(DISTINCT study_id) FROM code_sources WHERE"
			      " study_id IS NOT NULL AND kind = 'results'");
	long long sources = n_of(st, "code_sources");
	if (!sources)
		set(it, NEEDS, "No sources entered for coding.");
	else
		set(it, studies && with == studies ? FILLED : PARTIAL, "The results sections of %lld of "
		    "%lld included studies were entered as text sources (%lld sources in all) and "
		    "coded in qes.", with, studies, sources);
}

static void coders(qes_store *st, item_out *it)
{
	long long n = n_of(st, "SELECT count(DISTINCT coder_id) FROM code_codings");
	if (!n) {
		set(it, NEEDS, "No coding recorded.");
		return;
	}
	set(it, FILLED, "%lld coders (", n);
	list_rows(st, it, "SELECT c.name FROM code_coders c WHERE EXISTS (SELECT 1 FROM code_codings"
		  " WHERE coder_id = c.id) ORDER BY c.name", ", ");
	qes__strbuf_addf(&it->ev, "); %lld advisory-group workshops.",
			 n_of(st, "synth_workshops"));
}

static void coding(qes_store *st, item_out *it)
{
	long long n = n_of(st, "code_codings");
	if (!n) {
		set(it, NEEDS, "No coding recorded.");
		return;
	}
	set(it, FILLED, "Line-by-line coding: %lld codings of %lld sources under %lld codes by "
	    "%lld coders; %lld sources coded independently by two coders (blinded sample).", n,
	    n_of(st, "SELECT count(DISTINCT source_id) FROM code_codings"),
	    n_of(st, "SELECT count(DISTINCT code_id) FROM code_codings"),
	    n_of(st, "SELECT count(DISTINCT coder_id) FROM code_codings"),
	    n_of(st, "SELECT count(*) FROM code_sample"));
}

static void comparison(qes_store *st, item_out *it)
{
	long long p = n_of(st, "SELECT count(DISTINCT value) FROM code_case_attrs WHERE key = 'perspective'");
	if (p < 2) {
		set(it, NEEDS, "Fewer than two perspectives recorded on cases.");
		return;
	}
	set(it, PARTIAL, "Codings can be compared across %lld perspectives (", p);
	list_rows(st, it, "SELECT a.value || ': ' || count(DISTINCT cs.source_id) || ' sources'"
		  " FROM code_case_attrs a JOIN code_case_sources cs ON cs.case_id = a.case_id"
		  " WHERE a.key = 'perspective' GROUP BY a.value ORDER BY a.value", ", ");
	qes__strbuf_addstr(&it->ev, "); how studies were compared is for the authors to say.");
}

static void derivation(qes_store *st, item_out *it)
{
	long long desc = n_of(st, "SELECT count(*) FROM code_themes WHERE level = 'descriptive'");
	long long ana = n_of(st, "SELECT count(*) FROM code_themes WHERE level = 'analytical'");
	if (!desc && !ana) {
		set(it, NEEDS, "No themes recorded.");
		return;
	}
	set(it, PARTIAL, "%lld descriptive themes grouping %lld codes, %lld analytical themes; "
	    "%lld advisory-group comments (%lld adopted, %lld partly). Say whether themes were "
	    "derived inductively or deductively.", desc,
	    n_of(st, "SELECT count(DISTINCT code_id) FROM code_theme_codes"), ana,
	    n_of(st, "synth_comments"),
	    n_of(st, "SELECT count(*) FROM synth_comments WHERE status = 'adopted'"),
	    n_of(st, "SELECT count(*) FROM synth_comments WHERE status = 'partly'"));
}

/* Passages (qes__code_passages) of each kind of coding: grp 1 quotations,
 * 2 interpretations, 3 illustrative quotes; overlapping spans of one
 * source (two coders marking the same words) are one passage. */
static int kind_passages(qes_store *st)
{
	qes_error e;
	qes_error_clear(&e);
	return qes__code_passage_table(st, "entreq_passage", &e) ||
	       qes__code_passages(st, "SELECT g, id, source_id, start, end FROM"
				  " (SELECT 1 AS g, * FROM code_codings WHERE kind = 'quote'"
				  "  UNION ALL SELECT 2, * FROM code_codings WHERE kind = 'interpretation'"
				  "  UNION ALL SELECT 3, * FROM code_codings WHERE illustrative = 1)"
				  " ORDER BY g, source_id, start, end, id", "temp.entreq_passage", &e);
}

static void quotations(qes_store *st, item_out *it)
{
	if (kind_passages(st)) {
		set(it, NEEDS, "The quotations could not be counted.");
		return;
	}
	long long q = n_of(st, "SELECT count(DISTINCT passage) FROM temp.entreq_passage WHERE grp = 1");
	long long in = n_of(st, "SELECT count(DISTINCT passage) FROM temp.entreq_passage WHERE grp = 2");
	long long il = n_of(st, "SELECT count(DISTINCT passage) FROM temp.entreq_passage WHERE grp = 3");
	if (!q && !in)
		set(it, NEEDS, "No codings are marked as participant quotations or author interpretations.");
	else
		set(it, il ? FILLED : PARTIAL, "%lld participant quotations and %lld author "
		    "interpretations marked (distinct passages, %lld spans by all coders); %lld "
		    "illustrative quotes from %lld studies.", q, in,
		    n_of(st, "SELECT count(*) FROM code_codings WHERE kind IN ('quote', 'interpretation')"),
		    il, n_of(st, "SELECT count(DISTINCT s.study_id) FROM code_codings g JOIN code_sources s"
			     " ON s.id = g.source_id WHERE g.illustrative = 1"));
}

static void output(qes_store *st, item_out *it)
{
	long long f = n_of(st, "synth_findings");
	long long a = n_of(st, "SELECT count(*) FROM synth_cerqual WHERE component = 'overall'");
	long long ana = n_of(st, "SELECT count(*) FROM code_themes WHERE level = 'analytical'");
	if (!f && !ana)
		set(it, NEEDS, "No analytical themes or review findings yet.");
	else
		set(it, f && a == f ? FILLED : PARTIAL, "%lld analytical themes; %lld review findings, "
		    "%lld with a GRADE-CERQual assessment (Summary of Qualitative Findings table).",
		    ana, f, a);
}

static void fill(qes_store *st, int n, item_out *it)
{
	switch (n) {
	case 1: aim(st, it); break;
	case 2: methodology(st, it); break;
	case 3: searching(st, it); break;
	case 4: criteria(st, it); break;
	case 5: sources(st, it); break;
	case 6: strategy(st, it); break;
	case 7: screening(st, it); break;
	case 8: characteristics(st, it); break;
	case 9: selection(st, it); break;
	case 10: case 11: case 12: case 13: appraisal(st, it, n); break;
	case 14: extraction(st, it); break;
	case 15: set(it, FILLED, "qes (screening, appraisal, coding, themes, GRADE-CERQual and "
		     "the advisory-group record)."); break;
	case 16: coders(st, it); break;
	case 17: coding(st, it); break;
	case 18: comparison(st, it); break;
	case 19: derivation(st, it); break;
	case 20: quotations(st, it); break;
	default: output(st, it); break;
	}
}

json_t *qes_entreq_json(qes_store *st, qes_error *err)
{
	json_t *arr = json_array();
	long counts[3] = { 0, 0, 0 };
	for (int n = 1; arr && n <= N_ITEMS; n++) {
		item_out it = { NEEDS, QES_STRBUF_INIT(1u << 20) };
		fill(st, n, &it);
		char key[32], *author = NULL;
		snprintf(key, sizeof(key), "entreq.%d", n);
		qes_store_get_meta(st, key, &author, NULL);
		if (author && *author)
			it.status = FILLED;
		counts[it.status]++;
		json_array_append_new(arr, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "item", n,
			"domain", items[n - 1].domain, "title", items[n - 1].title,
			"guidance", items[n - 1].guidance, "status", status_names[it.status],
			"evidence", qes__strbuf_str(&it.ev), "author_text", author ? author : ""));
		free(author);
		qes__strbuf_release(&it.ev);
	}
	json_t *out = arr ? json_pack("{s:o, s:{s:i, s:i, s:i}}", "items", arr, "counts",
				      "filled", (int)counts[0], "partial", (int)counts[1],
				      "needs_author", (int)counts[2]) : NULL;
	if (!out)
		qes_error_set(err, QES_ENOMEM, "out of memory");
	return out;
}

int qes_entreq_set(qes_store *st, int item, const char *text, qes_error *err)
{
	if (item < 1 || item > N_ITEMS)
		return qes_error_set(err, QES_EINVAL, "ENTREQ items are numbered 1 to %d", N_ITEMS);
	if (qes__synth_too_long(text, "an answer", err))
		return err->code;
	char key[32];
	snprintf(key, sizeof(key), "entreq.%d", item);
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if ((rc = qes_store_set_meta(st, key, text && *text ? text : NULL, err))) {
		qes_store_rollback(st);
		return rc;
	}
	return qes_store_commit(st, err);
}

int qes_entreq_text(qes_store *st, qes_table_format fmt, char **out, qes_error *err)
{
	json_t *e = qes_entreq_json(st, err), *it;
	if (!e)
		return err->code ? err->code : QES_ENOMEM;
	json_t *t = json_pack("{s:[sssss], s:[sssss], s:[]}", "columns", "item", "domain", "title",
			      "status", "evidence", "headings", "No.", "Domain", "Item", "Status",
			      "Where it is answered", "rows");
	size_t i;
	json_array_foreach(json_object_get(e, "items"), i, it) {
		char num[8], *ev = NULL;
		snprintf(num, sizeof(num), "%d", (int)json_integer_value(json_object_get(it, "item")));
		const char *author = json_string_value(json_object_get(it, "author_text"));
		const char *data = json_string_value(json_object_get(it, "evidence"));
		if (asprintf(&ev, "%s%s%s", author, *author ? " " : "", data) < 0)
			ev = NULL;
		json_array_append_new(json_object_get(t, "rows"), json_pack("[sssss]", num,
			json_string_value(json_object_get(it, "domain")),
			json_string_value(json_object_get(it, "title")),
			json_string_value(json_object_get(it, "status")), ev ? ev : ""));
		free(ev);
	}
	int rc = qes__synth_render(t, fmt, "qes-entreq", out, err);
	json_decref(t);
	json_decref(e);
	return rc;
}
