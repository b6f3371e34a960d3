/* web.h: internals of the web interface shared by the web/ sources and the unit
 * tests: passwords, session tokens, CSRF, login rate limits. */
#ifndef QES_WEB_INTERNAL_H
#define QES_WEB_INTERNAL_H

#include <sodium.h>
#include "qes/web.h"

#define QES__WEB_TOKEN_HEX 65              /* 32 random bytes as hex + NUL */
#define QES__WEB_SESSION_SECONDS (12 * 3600)
#define QES__WEB_FAIL_WINDOW 900           /* seconds: failures older than this are forgotten */
#define QES__WEB_FAIL_FREE 5               /* failures of one name from one address before delays */
#define QES__WEB_FAIL_DELAY_MAX 900        /* the longest delay (seconds) */

/* argon2id (crypto_pwhash_str, OPSLIMIT/MEMLIMIT_INTERACTIVE). Hashing is
 * serialised so that concurrent logins cannot take 64 MiB each. */
int qes__web_password_hash(const char *pw, char out[crypto_pwhash_STRBYTES],
			   qes_error *err);
/* 1 when pw matches hash, 0 otherwise. */
int qes__web_password_verify(const char *hash, const char *pw);

/* 32 random bytes (randombytes_buf) as 64 hex digits. */
void qes__web_token_new(char out[QES__WEB_TOKEN_HEX]);
/* crypto_generichash (BLAKE2b-256) of a token, as hex: what is stored. */
void qes__web_token_hash(const char *token, char out[QES__WEB_TOKEN_HEX]);
/* 1 when a and b are equal; time independent of where they differ. */
int qes__web_ct_equal(const char *a, const char *b);

typedef struct qes__web_session {
	long long user_id;
	char name[QES_WEB_NAME_MAX + 1];
	char role[16];
	char initials[16];        /* "" when none */
	char csrf[QES__WEB_TOKEN_HEX];
} qes__web_session;

/* Creates a session for user_id; token gets the cookie value. */
int qes__web_session_create(qes_store *st, long long user_id, long long now,
			    char token[QES__WEB_TOKEN_HEX], qes_error *err);
/* QES_ENOTFOUND when the token names no live session. */
int qes__web_session_find(qes_store *st, const char *token, long long now,
			  qes__web_session *out, qes_error *err);
int qes__web_session_delete(qes_store *st, const char *token, qes_error *err);

/* Checks name and password, counting failures per name and client address
 * together: after QES__WEB_FAIL_FREE failures of that pair within
 * QES__WEB_FAIL_WINDOW, each further try must wait 2, 4, 8... seconds
 * after the pair's latest failure (at most QES__WEB_FAIL_DELAY_MAX):
 * QES_ELIMIT until then, the password not even checked. Another address
 * is never slowed by this pair's failures, so nobody can lock an owner
 * out. A try is counted as a failure before its password is checked (in
 * one write transaction), so parallel tries get no more checks than the
 * limit; a right password takes the count back and clears the pair.
 * Slowing down and refusals are logged in web_login_events. QES_EPERM when
 * wrong (unknown names cost the same time as known ones). On success *out
 * holds the new session and token its cookie value. */
int qes__web_login(qes_store *st, const char *name, const char *password,
		   const char *ip, long long now, qes__web_session *out,
		   char token[QES__WEB_TOKEN_HEX], qes_error *err);

/* --- JSON routes (web/api_*.c) --------------------------------------------
 * Each fills *out with the answer's body (a new reference) or returns a
 * QES_E* code with err filled; the server maps codes to HTTP statuses. */
#include <jansson.h>

/* GET /api/status: what `qes status --json` prints (without "review"). */
int qes__web_api_status(qes_store *st, json_t **out, qes_error *err);
/* GET /api/screen/next?stage=&after=&order=: the next record for the
 * session's reviewer in the terminal screener's order, with why it is
 * offered here and the user's counts. after: the record after that one (the
 * page's prefetch), without the counts. order: auto (default: prioritised
 * at ta, random at ft), prioritised, random (the stopping rule's sample) or
 * id. */
int qes__web_api_screen_next(qes_store *st, const qes__web_session *s,
			     const char *stage, const char *after, const char *order,
			     json_t **out, qes_error *err);
/* POST /api/screen/decide {record_id, stage, decision, reason?, order?}:
 * order is the one the record was asked for in (as in next; default auto),
 * so the log says which decisions were the random sample. */
int qes__web_api_screen_decide(qes_store *st, const qes__web_session *s,
			       const json_t *body, json_t **out, qes_error *err);
/* GET /api/screen/progress?stage=: the user's counts, the stopping estimate. */
int qes__web_api_screen_progress(qes_store *st, const qes__web_session *s,
				 const char *stage, json_t **out, qes_error *err);
/* POST /api/screen/undo {stage}: the user's latest decision taken back. */
int qes__web_api_screen_undo(qes_store *st, const qes__web_session *s, const json_t *body,
			     json_t **out, qes_error *err);
/* GET and POST /api/screen/keywords: the highlighted keywords. */
int qes__web_api_keywords(qes_store *st, json_t **out, qes_error *err);
int qes__web_api_keyword_add(qes_store *st, const qes__web_session *s, const json_t *body,
			     json_t **out, qes_error *err);
/* POST /api/screen/keywords/remove {word}: the owner, or who added it. */
int qes__web_api_keyword_remove(qes_store *st, const qes__web_session *s, const json_t *body,
				json_t **out, qes_error *err);
/* Frees the screener's cached orderers (qes_web_stop, once no request runs). */
void qes__web_screen_cache_clear(void);
/* POST /api/account/password {current, new}: the user's own password
 * (current one required); the user's other sessions end. */
int qes__web_api_password(qes_store *st, const qes__web_session *s, const json_t *body,
			  json_t **out, qes_error *err);
/* GET /api/prisma: the counts of every box, as `qes prisma --json`. */
int qes__web_api_prisma(qes_store *st, json_t **out, qes_error *err);

/* --- The route table (web/routes.c) ---------------------------------------
 * Every /api/ route is one row: method, path, the roles that may call it and
 * a handler. The server has already checked the session, the CSRF token and
 * the role, and parsed a state change's body as a JSON object, before the
 * handler runs; a handler only does its route's work. */
enum {
	QES__WEB_OWNER = 1,
	QES__WEB_REVIEWER = 2,
	QES__WEB_ADVISOR = 4,
	QES__WEB_TEAM = QES__WEB_OWNER | QES__WEB_REVIEWER,
	QES__WEB_ANYONE = QES__WEB_TEAM | QES__WEB_ADVISOR,
};

typedef struct qes__web_call {
	qes_store *st;                   /* this worker thread's connection */
	const qes__web_session *session;
	const char *tail;                /* the URL after a prefix route's '*' ("" otherwise) */
	const json_t *body;              /* a state change's JSON object; NULL for GET */
	const char *raw;                 /* a route with body_type: the body's bytes */
	size_t raw_len;
	const char *(*arg_fn)(void *ctx, const char *name);
	void *arg_ctx;
	/* The answer: json (a new reference), or bytes (malloc'd, freed by the
	 * server) with their media type and an optional download file name. */
	json_t *json;
	unsigned status;                 /* 0: 200; on an error, its status (0: from the code) */
	char *bytes;
	size_t len;
	const char *mime;
	char filename[128];
	/* bytes: the Content-Security-Policy, NULL for the default (no script,
	 * nothing loaded, sandboxed); the report needs its inline <style>. */
	const char *csp;
} qes__web_call;

/* A query-string argument of the request, or NULL. */
const char *qes__web_arg(const qes__web_call *cx, const char *name);
/* The argument as a positive id ("12"); 0 when absent or not one. */
long long qes__web_arg_id(const qes__web_call *cx, const char *name);
/* The role's bit (QES__WEB_OWNER...), 0 for an unknown role. */
unsigned qes__web_role_bit(const char *role);

typedef int (*qes__web_handler)(qes__web_call *cx, qes_error *err);

typedef struct qes__web_route {
	const char *method;              /* "GET", "POST", "PUT" or "DELETE" */
	const char *path;                /* exact, or a prefix ending in '*' */
	unsigned roles;                  /* who may call it */
	qes__web_handler fn;
} qes__web_route;

/* web/api_advisor.c: GET /api/advisor/view (what advisors see), GET and
 * POST /api/advisor/comments (an advisor's own comments and responses). */
int qes__web_advisor_view(qes__web_call *cx, qes_error *err);
int qes__web_advisor_comments(qes__web_call *cx, qes_error *err);
int qes__web_advisor_comment_add(qes__web_call *cx, qes_error *err);

/* web/api_synth.c: the themes board and the synthesis tables. */
int qes__web_themes(qes__web_call *cx, qes_error *err);
int qes__web_theme_trace(qes__web_call *cx, qes_error *err);
int qes__web_theme_change(qes__web_call *cx, qes_error *err);
int qes__web_synthesis_tables(qes__web_call *cx, qes_error *err);

/* The table ends with a row whose method is NULL. */
extern const qes__web_route qes__web_routes[];

/* The few routes whose body is not a JSON object (a PDF upload): the media
 * type it must be sent as, handed to the handler as bytes (cx->raw), and
 * its own size limit. The server still requires the CSRF token, and a type
 * other than a form's forces a CORS preflight, which it never answers. A
 * separate table so that the route rows stay four fields. */
typedef struct qes__web_body_rule {
	const char *method, *path;       /* as the route's row */
	const char *type;                /* e.g. "application/pdf" */
	size_t max;                      /* bytes, instead of QES_MAX_HTTP_BODY */
} qes__web_body_rule;

/* The rule for method and url, NULL for a JSON route. */
const qes__web_body_rule *qes__web_body_rule_find(const char *method, const char *url);

/* The route for method and url. NULL when none: *path_known says whether
 * some other method serves that path (405 rather than 404). */
const qes__web_route *qes__web_route_find(const char *method, const char *url,
					  int *path_known, const char **tail);

/* --- The review team's pages (web/api_review*.c) --------------------------- */
/* Helpers they share (api_review.c). */
/* body[key] as a positive integer, else QES_EINVAL. */
int qes__web_body_id(const json_t *body, const char *key, long long *id, qes_error *err);
/* An optional text member: *out NULL when absent, null or ""; QES_EINVAL
 * when present but not text. */
int qes__web_body_text(const json_t *body, const char *key, const char **out, qes_error *err);
/* QES_EPERM unless the user acts as a screening reviewer (--initials). */
int qes__web_need_initials(const qes__web_session *s, qes_error *err);
/* qes_reason_foreach callback: appends each reason to the JSON array ud. */
int qes__web_add_reason(void *ud, const char *reason);
/* Conflicts, deduplication queue, PRISMA diagram and report (api_review.c). */
int qes__web_review_conflicts(qes__web_call *cx, qes_error *err);
int qes__web_review_resolve(qes__web_call *cx, qes_error *err);
int qes__web_review_dedup(qes__web_call *cx, qes_error *err);
int qes__web_review_dedup_decide(qes__web_call *cx, qes_error *err);
int qes__web_review_prisma_svg(qes__web_call *cx, qes_error *err);
int qes__web_review_report(qes__web_call *cx, qes_error *err);
/* Full texts (api_review_ft.c). */
int qes__web_review_fulltext(qes__web_call *cx, qes_error *err);
int qes__web_review_ft_text(qes__web_call *cx, qes_error *err);
int qes__web_review_ft_pdf(qes__web_call *cx, qes_error *err);
int qes__web_review_ft_upload(qes__web_call *cx, qes_error *err);
int qes__web_review_ft_decide(qes__web_call *cx, qes_error *err);
/* Extraction and appraisal (api_review_appraise.c). */
int qes__web_review_studies(qes__web_call *cx, qes_error *err);
int qes__web_review_study(qes__web_call *cx, qes_error *err);
int qes__web_review_extract(qes__web_call *cx, qes_error *err);
int qes__web_review_appraise(qes__web_call *cx, qes_error *err);
int qes__web_review_compare(qes__web_call *cx, qes_error *err);

#endif
