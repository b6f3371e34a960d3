/* qes/screen.h: screening records against the eligibility criteria.
 *
 * Two stages: title/abstract ("ta") and full text ("ft"). Reviewers decide
 * include / exclude / unsure per record and stage; a per-stage policy says how
 * many reviewers each record needs (single, double for all, or double on a
 * reproducible random sample). Disagreements are conflicts, resolved by
 * consensus or a third reviewer. Every change goes to an append-only log.
 *
 * Blinding is enforced here, not in the user interfaces: no call returns
 * another reviewer's decision on a record at a stage until that record has
 * all the decisions its policy requires ("both have decided"). Calls that
 * show decisions take the asking reviewer ("as"), and hide the others'.
 *
 * Every call that writes is one transaction of its own; do not call them
 * inside qes_store_begin/commit. Strings handed out are malloc'd and owned
 * by the struct that holds them; free with the matching *_release call. */
#ifndef QES_SCREEN_H
#define QES_SCREEN_H

#include "qes/error.h"
#include "qes/store.h"
#include "qes/kappa.h"
#include "qes/rank.h"

typedef enum qes_stage { QES_STAGE_TA = 0, QES_STAGE_FT = 1 } qes_stage;
typedef enum qes_decision {
	QES_DEC_NONE = 0, QES_DEC_INCLUDE, QES_DEC_EXCLUDE, QES_DEC_UNSURE
} qes_decision;

/* "ta"/"title-abstract", "ft"/"full-text"; 0 or QES_EINVAL. */
int qes_stage_parse(const char *s, qes_stage *out, qes_error *err);
const char *qes_stage_name(qes_stage s);           /* "ta", "ft" */
int qes_decision_parse(const char *s, qes_decision *out, qes_error *err);
const char *qes_decision_name(qes_decision d);     /* "include", ... "" */

/* --- Reviewers ---------------------------------------------------------- */

/* Roles: "owner" (manages the review, resolves conflicts), "reviewer",
 * "arbiter" (a third reviewer who resolves conflicts). */
typedef struct qes_reviewer {
	long long id;
	char initials[16];
	char *name;            /* may be NULL */
	char *role;
} qes_reviewer;

/* Initials: 1-15 letters, digits, '-' or '_'; unique ignoring case. The
 * first reviewer added becomes the owner unless role says otherwise. */
int qes_reviewer_add(qes_store *st, const char *initials, const char *name,
		     const char *role, qes_error *err);
int qes_reviewer_get(qes_store *st, const char *initials, qes_reviewer *out,
		     qes_error *err);
int qes_reviewer_foreach(qes_store *st, int (*fn)(void *ud, const qes_reviewer *r),
			 void *ud, qes_error *err);
void qes_reviewer_release(qes_reviewer *r);

/* --- Eligibility criteria and exclusion reasons ------------------------- */

/* Framework name (SPICE, PICo, PICO, ...), its concept blocks (label and
 * text), inclusion and exclusion criteria as text. */
typedef enum qes_criterion_kind {
	QES_CRIT_CONCEPT = 0, QES_CRIT_INCLUDE, QES_CRIT_EXCLUDE
} qes_criterion_kind;

int qes_criteria_set_framework(qes_store *st, const char *framework, qes_error *err);
/* Adds a criterion (label is the concept block: "Setting"; NULL otherwise). */
int qes_criteria_add(qes_store *st, qes_criterion_kind kind, const char *label,
		     const char *text, qes_error *err);
/* fn gets each criterion in the order added; framework (may be NULL) first
 * through *framework (malloc'd, caller frees). */
int qes_criteria_foreach(qes_store *st, char **framework,
			 int (*fn)(void *ud, qes_criterion_kind kind,
				   const char *label, const char *text),
			 void *ud, qes_error *err);
const char *qes_criterion_kind_name(qes_criterion_kind k);  /* "concept", ... */

/* The review's list of exclusion reasons (unique, ignoring case). */
int qes_reason_add(qes_store *st, const char *reason, qes_error *err);
int qes_reason_foreach(qes_store *st, int (*fn)(void *ud, const char *reason),
		       void *ud, qes_error *err);

/* Keywords highlighted in the screener, include or exclude (FTS-free,
 * case-insensitive substring match). */
int qes_keyword_add(qes_store *st, const char *word, int exclude, qes_error *err);
/* The same, remembering who added it (a web account's name; NULL: the
 * owner). */
int qes_keyword_add_by(qes_store *st, const char *word, int exclude, const char *by,
		       qes_error *err);
/* Removes a keyword. by NULL: an owner (anyone may be removed); else only a
 * keyword by added: QES_EPERM otherwise, QES_ENOTFOUND when there is none.
 * Runs in the caller's transaction. */
int qes_keyword_remove(qes_store *st, const char *word, const char *by, qes_error *err);
int qes_keyword_foreach(qes_store *st, int (*fn)(void *ud, const char *w, int exclude),
			void *ud, qes_error *err);

/* --- Policy ------------------------------------------------------------- */

typedef enum qes_policy_mode {
	QES_POLICY_SINGLE = 0, QES_POLICY_DOUBLE, QES_POLICY_SAMPLE
} qes_policy_mode;

typedef struct qes_policy {
	qes_policy_mode mode;
	double fraction;           /* SAMPLE: share in (0, 1] double-screened */
	unsigned long long seed;   /* SAMPLE: the recorded seed */
} qes_policy;

int qes_policy_parse(const char *s, qes_policy_mode *out, qes_error *err);
const char *qes_policy_name(qes_policy_mode m);   /* "single", "double", "sample" */
int qes_policy_get(qes_store *st, qes_stage stage, qes_policy *out, qes_error *err);
int qes_policy_set(qes_store *st, qes_stage stage, const qes_policy *p,
		   const char *by, qes_error *err);
/* The key that orders the draw of a sample: a pure function of (seed,
 * stage, record id) in [0, 1) (splitmix64). The sample is the candidates
 * with the smallest keys (screen_sample.c, docs/screening.md). */
double qes_policy_draw_key(const qes_policy *p, qes_stage stage, long long record_id);
/* Records p plans to double-screen in a pool of `pool` records: all for
 * double, round(fraction x pool) for a sample, 0 for single. */
long qes_policy_planned(const qes_policy *p, long pool);
/* *yes = 1 when the record is in the stage's drawn sample (policy sample). */
int qes_screen_in_sample(qes_store *st, qes_stage stage, long long record_id, int *yes,
			 qes_error *err);

/* --- Deciding ----------------------------------------------------------- */

/* The next record reviewer `as` should screen at stage: in the stage's
 * pool, not yet decided by them, still needing a decision, and (at full
 * text) with its report attached. *record_id = 0 when none is left.
 * `after` > 0 starts after that record id (skip), 0 from the start. */
int qes_screen_next(qes_store *st, const char *as, qes_stage stage,
		    long long after, long long *record_id, qes_error *err);

typedef struct qes_decide_opts {
	const char *reason;   /* from the review's list; required to exclude at ft */
	const char *note;     /* free text, optional */
} qes_decide_opts;

/* Records (or changes) `as`'s decision. A reviewer may change a decision
 * only while nobody else has decided the record (after that it is a
 * conflict to resolve: QES_ECONFLICT); a record that already has all the
 * decisions its policy needs takes no more (QES_ECONFLICT). */
int qes_screen_decide(qes_store *st, const char *as, qes_stage stage,
		      long long record_id, qes_decision d,
		      const qes_decide_opts *o, qes_error *err);

/* Takes back `as`'s most recent decision at stage (same rule as changing
 * it). *record_id gets the record (0 when there was nothing to undo). */
int qes_screen_undo(qes_store *st, const char *as, qes_stage stage,
		    long long *record_id, qes_error *err);

/* One decision as the asking reviewer may see it. */
typedef struct qes_decision_view {
	char initials[16];
	qes_decision decision;  /* QES_DEC_NONE when hidden by blinding */
	int hidden;             /* 1: this reviewer decided, but blinding hides what */
	char *reason, *note, *decided_at;
} qes_decision_view;

/* The decisions on a record at a stage, as reviewer `as` may see them:
 * their own always; the others' only once the record has every decision
 * its policy needs. Owners and arbiters see no more than that. views is
 * malloc'd (release with qes_decision_views_release). */
int qes_screen_decisions(qes_store *st, const char *as, qes_stage stage,
			 long long record_id, qes_decision_view **views, int *n,
			 qes_error *err);
void qes_decision_views_release(qes_decision_view *v, int n);

/* Where a record stands at a stage (never reveals a single decision). */
typedef enum qes_outcome {
	QES_OUT_NOT_IN_POOL = 0, /* not (yet) a candidate at this stage */
	QES_OUT_PENDING,         /* needs more decisions */
	QES_OUT_INCLUDE,         /* at ta: report sought for retrieval */
	QES_OUT_EXCLUDE,
	QES_OUT_UNSURE,          /* all unsure; at ta it goes on to full text */
	QES_OUT_CONFLICT,        /* reviewers disagree (or, at ft, all unsure) */
	QES_OUT_NOT_RETRIEVED    /* ft: the report could not be retrieved */
} qes_outcome;
const char *qes_outcome_name(qes_outcome o);
int qes_screen_outcome(qes_store *st, qes_stage stage, long long record_id,
		       qes_outcome *out, qes_error *err);
/* Every record in the stage's pool with its outcome, by record id; source
 * method is "database", "register" or "other" (other methods for PRISMA). */
int qes_screen_outcomes_foreach(qes_store *st, qes_stage stage,
				int (*fn)(void *ud, long long record_id,
					  const char *source_key, const char *method,
					  qes_outcome o),
				void *ud, qes_error *err);

/* --- Conflicts ---------------------------------------------------------- */

typedef struct qes_conflict {
	long long record_id;
	char *source_key, *title;
	int n;                       /* decisions: both are visible (complete) */
	char initials[2][16];
	qes_decision decision[2];
	char *reason[2];
	/* Resolution, when resolved (decision NONE when open). */
	qes_decision resolved;
	char *resolved_by, *method, *resolved_reason, *resolved_note, *resolved_at;
} qes_conflict;

/* Records at stage whose reviewers disagree (or, at ft, agreed only on
 * unsure); with_resolved also lists those already resolved. */
int qes_conflicts_foreach(qes_store *st, qes_stage stage, int with_resolved,
			  int (*fn)(void *ud, const qes_conflict *c), void *ud,
			  qes_error *err);

/* Resolves a conflict. method "consensus" (by one of the two reviewers or
 * an owner) or "third" (by an arbiter or owner who did not decide it).
 * Exclusion at ft needs a reason. QES_ECONFLICT when the record has no
 * open conflict; QES_EPERM when `by` may not resolve it. */
int qes_conflict_resolve(qes_store *st, const char *by, qes_stage stage,
			 long long record_id, const char *method, qes_decision d,
			 const qes_decide_opts *o, qes_error *err);

/* --- Agreement ---------------------------------------------------------- */


typedef struct qes_agreement_pair {
	char a[16], b[16];
	long n;                    /* records both decided */
	long table[3][3];          /* a's decision (row) by b's (column):
				    * include, exclude, unsure */
	double percent_agreement;  /* 0-100 */
	qes_kappa k;               /* over the 3 categories as decided */
} qes_agreement_pair;

/* Below this many records decided by both, agreement is flagged as unstable. */
#define QES_AGREEMENT_MIN_N 20

/* Every pair of reviewers who both decided at least one record at stage. */
int qes_agreement_foreach(qes_store *st, qes_stage stage,
			  int (*fn)(void *ud, const qes_agreement_pair *p), void *ud,
			  qes_error *err);

/* --- Progress ----------------------------------------------------------- */

/* The one meaning of "screened" (issue 18), used by the terminal and web
 * screeners, qes status, PRISMA and the report: a record is screened at a
 * stage when it has every decision its policy needs, or a resolution;
 * its outcome is then include, exclude, unsure or conflict (a conflict is
 * screened but not final: PRISMA waits for its resolution). A record not
 * screened is "pending", which is either "not yet screened" (no decision:
 * `undecided`) or "waiting for a second reviewer" (one decision in, the
 * policy needs two: `waiting_second`). "included" is the stage's outcome,
 * never one reviewer's decisions (those are `mine`, `mine_included`). */
typedef struct qes_progress {
	long pool;           /* records to screen at this stage */
	long double_needed;  /* of them, needing two reviewers (policy sample: sampled) */
	long planned;        /* double screening planned: round(fraction x pool) for a
			      * sample, pool for double, 0 for single */
	long double_decided; /* achieved: records of the pool with two or more decisions */
	long screened;       /* with every decision they need (or resolved) */
	long included, excluded, unsure, conflicts, pending;
	long mine, mine_included;  /* decided by `as` (when given) */
	long to_do;          /* records `as` may still screen (when given) */
	long sought, retrieved, not_retrieved;  /* ft: reports */
	long undecided;      /* pending with no decision yet */
	long waiting_second; /* pending with one decision, waiting for a second reviewer */
} qes_progress;
int qes_screen_progress(qes_store *st, const char *as, qes_stage stage,
			qes_progress *out, qes_error *err);

/* --- Full texts --------------------------------------------------------- */

/* Attaches a PDF to a record sought for retrieval (its ta outcome is
 * include or unsure): the bytes are stored in the review file and the text
 * is extracted with poppler. *pages gets the page count. */
int qes_fulltext_attach(qes_store *st, const char *by, long long record_id,
			const char *pdf_path, int *pages, qes_error *err);
/* The same for a PDF in memory (an upload); file_name is what the log and
 * the review record. QES_ELIMIT over QES_MAX_PDF_BYTES. */
int qes_fulltext_attach_mem(qes_store *st, const char *by, long long record_id,
			    const char *file_name, const void *data, size_t len, int *pages,
			    qes_error *err);
/* The attached PDF's bytes (*data malloc'd) and file name (malloc'd, or pass
 * NULL); QES_ENOTFOUND when the record has none attached. */
int qes_fulltext_pdf(qes_store *st, long long record_id, void **data, size_t *len,
		     char **file_name, qes_error *err);
/* Marks a sought report as not retrieved (PRISMA "reports not retrieved"). */
int qes_fulltext_missing(qes_store *st, const char *by, long long record_id,
			 const char *note, qes_error *err);
/* Marks a sought report as retrieved without its file (held in another
 * tool, say): full-text decisions may follow and PRISMA counts it as
 * assessed. QES_ECONFLICT when a PDF is attached (that is retrieved
 * already); a report marked not retrieved may be found later. */
int qes_fulltext_retrieved(qes_store *st, const char *by, long long record_id,
			   const char *note, qes_error *err);
/* "attached", "retrieved", "not_retrieved" or NULL through *status (static strings);
 * *text (may be NULL to skip) gets the extracted text, malloc'd. */
int qes_fulltext_get(qes_store *st, long long record_id, const char **status,
		     char **text, qes_error *err);
/* Extracts the text of a PDF in memory (poppler). *text is malloc'd. */
int qes_pdf_text(const void *data, size_t len, char **text, int *pages,
		 qes_error *err);

/* --- Decisions from a CSV ------------------------------------------------ */

/* Imports decisions from a CSV with the columns
 * source_key,reviewer,stage,decision,reason in one transaction: any bad row
 * rejects the whole file, and err names its line. *count gets the rows. */
int qes_decisions_import(qes_store *st, const char *path, long *count, qes_error *err);

/* --- Audit log ---------------------------------------------------------- */

typedef struct qes_log_entry {
	long long id;
	const char *at, *by, *action, *stage, *source_key, *old_decision,
		*new_decision, *reason, *note, *detail;
	long long record_id;
	int hidden;    /* decisions masked by blinding for the asker */
} qes_log_entry;

/* Every entry in order, as reviewer `as` may see it (NULL: as nobody, so
 * decisions on records still blinded are masked). */
int qes_log_foreach(qes_store *st, const char *as,
		    int (*fn)(void *ud, const qes_log_entry *e), void *ud,
		    qes_error *err);

/* --- Order of screening (screen_order.c) ---------------------------------- */

/* The order in which a reviewer is offered records at a stage.
 *  - ID: record id order (qes_screen_next; the screener's order before
 *    orders existed).
 *  - RANDOM: a permutation of the stage's pool drawn from a seed, so the
 *    same seed gives the same order. Records decided in random order after
 *    the last prioritised decision are the random sample of the stopping
 *    estimate.
 *  - PRIORITISED: the highest-scoring record first, from a linear model
 *    (qes/rank.h) trained on the title, abstract and keywords of the pool
 *    and on the labels the reviewer may see (see blinding below). Until
 *    those labels hold one include and one exclude, the order is random.
 *  - AUTO: prioritised at title/abstract, random at full text.
 *
 * Blinding: the model of reviewer X learns only from decisions X may see:
 * X's own, and the outcome of records that have every decision their
 * policy needs (or were resolved). An undisclosed decision of another
 * reviewer never reaches X's model, so it cannot change X's order. */
typedef enum qes_screen_order {
	QES_ORDER_AUTO = 0, QES_ORDER_ID, QES_ORDER_RANDOM, QES_ORDER_PRIORITISED
} qes_screen_order;
int qes_screen_order_parse(const char *s, qes_screen_order *out, qes_error *err);
const char *qes_screen_order_name(qes_screen_order o);  /* "auto", "id", ... */

typedef struct qes_orderer qes_orderer;

typedef struct qes_orderer_opts {
	qes_screen_order order;
	unsigned long long seed;   /* RANDOM and ties; 0: from the reviewer's initials */
	int background;            /* 1: retrain in a thread after each decision;
				    * 0: retrain at once (tests, scripts) */
	long features_later;       /* N > 0 (with background): on a pool of at least N
				    * records, build its features in a thread too, so
				    * that qes_orderer_new returns at once;
				    * qes_orderer_next answers in random order (why_not
				    * says so) until they are ready. The web server's
				    * first record on a large review. 0: never. */
} qes_orderer_opts;

/* A per-process cache for one reviewer at one stage: the features of the
 * pool are built once (at creation; shared with the process's other
 * orderers on the same pool), the model retrains after each
 * qes_orderer_update(). With background, the retrain runs in a thread of the
 * orderer and qes_orderer_next() answers at once from the latest finished
 * scores. The orderer borrows st (which must outlive it) and is used from
 * one thread (the one that owns st); its own thread never touches st. */
int qes_orderer_new(qes_orderer **out, qes_store *st, const char *as, qes_stage stage,
		    const qes_orderer_opts *o, qes_error *err);
/* Joins the retrain thread and frees everything. NULL is fine. */
void qes_orderer_free(qes_orderer *q);
/* Re-reads the decisions the reviewer may see (call after each decision,
 * undo or import) and starts a retrain when they changed. */
int qes_orderer_update(qes_orderer *q, qes_error *err);
/* qes_screen_decide for the record the orderer offered: the log notes the
 * order it was offered in ("order=random", ...; the stopping estimate needs
 * to know which decisions were a random sample), then qes_orderer_update. */
int qes_orderer_decide(qes_orderer *q, long long record_id, qes_decision d,
		       const qes_decide_opts *o, qes_error *err);
/* Waits for the features (features_later) and a running background retrain
 * (tests and benchmarks). */
void qes_orderer_wait(qes_orderer *q);
/* The text features the orderer ranks with (NULL for an empty pool, and
 * while features_later builds them). The
 * orderers of one process on the same pool (the same records with the same
 * text) share one set, built by the first and freed with the last. */
const qes_rank_features *qes_orderer_features(const qes_orderer *q);

/* What qes_orderer_next() offers, and why. */
typedef struct qes_order_info {
	qes_screen_order order;     /* the order actually used: ID, RANDOM or PRIORITISED */
	char why_not[160];          /* when PRIORITISED was asked for but RANDOM is used */
	double score;               /* PRIORITISED: the record's score */
	int nterms;                 /* PRIORITISED: its strongest terms, largest first */
	char terms[6][96];
	long labelled, relevant;    /* labels the model learnt from */
	long retrains;              /* retrains finished */
	double retrain_ms;          /* their mean wall time (fit + rescore) */
	int left;                   /* decisions the record offered still needs */
} qes_order_info;

/* The next record the reviewer should screen (as qes_screen_next: in the
 * pool, not decided by them, still needing a decision), in the orderer's
 * order. after > 0: the record after that one in the order (skip), wrapping
 * round. *record_id = 0 when none is left. info may be NULL. */
int qes_orderer_next(qes_orderer *q, long long after, long long *record_id,
		     qes_order_info *info, qes_error *err);
/* Says whether record_id, which still needs `left` decisions, is taken by
 * other reviewers (their live claims cover what it needs): 1 taken, 0 free. */
typedef int (*qes_orderer_taken_fn)(void *ud, long long record_id, int left);
/* qes_orderer_next passing over the records taken() says others hold (work
 * shared out under double screening); when every record left is taken, the
 * best of them as qes_orderer_next would. taken NULL: qes_orderer_next. In
 * ID order (QES_ORDER_ID) taken is not asked. */
int qes_orderer_next_free(qes_orderer *q, long long after, qes_orderer_taken_fn taken, void *ud,
			  long long *record_id, qes_order_info *info, qes_error *err);

/* The stopping estimate (Callaghan & Mueller-Hansen 2020; docs/ranking.md,
 * docs/screening.md) from the decisions reviewer `as` may see: the records
 * decided in random order since their last prioritised decision are the
 * random sample. target and confidence: 0 for 0.95. Fills a qes_rank_stop
 * (qes/rank.h); qes_rank_stop_sentence() words it. */
int qes_screen_stopping(qes_store *st, const char *as, qes_stage stage, double target,
			double confidence, qes_rank_stop *out, qes_error *err);
/* qes_rank_stop_sentence(), always naming the rule so that it can be cited. */
void qes_screen_stopping_sentence(const qes_rank_stop *st, char *buf, size_t len);

#endif
