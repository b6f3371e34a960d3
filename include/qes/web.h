/* qes/web.h: the web interface (qes serve) and its accounts.
 *
 * Accounts live in the review file (table web_users): a name, a role
 * ("owner", "reviewer", "advisor") and an argon2id password hash. A user who
 * screens is mapped to a screening reviewer by initials, so every screening
 * rule (blinding, policies) is the screening library's. Docs: docs/web.md. */
#ifndef QES_WEB_H
#define QES_WEB_H

#include "qes/error.h"
#include "qes/store.h"

#define QES_WEB_NAME_MAX 64        /* bytes of a user name */
#define QES_WEB_PASSWORD_MIN 8
#define QES_WEB_PASSWORD_MAX 1024

typedef struct qes_web_user {
	long long id;
	const char *name;
	const char *role;
	const char *initials;     /* NULL: not a screening reviewer */
} qes_web_user;

/* Adds a user (one transaction). With initials, the screening reviewer of
 * those initials is created (qes_reviewer_add, role "owner" for an owner,
 * "reviewer" otherwise) when missing. An advisor cannot have initials.
 * QES_EEXIST when the name is taken. */
int qes_web_user_add(qes_store *st, const char *name, const char *role,
		     const char *password, const char *initials, qes_error *err);
int qes_web_user_foreach(qes_store *st, int (*fn)(void *ud, const qes_web_user *u),
			 void *ud, qes_error *err);
/* Removes a user and ends their sessions (one transaction); the screening
 * reviewer they screened as, and every decision, stay. QES_ENOTFOUND when
 * there is no such user. */
int qes_web_user_remove(qes_store *st, const char *name, qes_error *err);
/* Sets a user's password and ends their sessions (one transaction).
 * QES_ENOTFOUND when there is no such user. */
int qes_web_user_password(qes_store *st, const char *name, const char *password,
			  qes_error *err);

typedef struct qes_web_opts {
	const char *review;       /* path of the review file */
	const char *host;         /* numeric address to listen on: "127.0.0.1" */
	unsigned port;            /* 0: any free port (qes_web_port says which) */
	unsigned threads;         /* worker threads (0: 8) */
	int secure_cookie;        /* add "Secure" to cookies (behind https) */
	unsigned per_address;     /* open connections from one address (0: QES_MAX_HTTP_PER_ADDRESS) */
	unsigned header_seconds;  /* a request's line and headers (0: QES_MAX_HTTP_HEADER_SECONDS) */
} qes_web_opts;

typedef struct qes_web_server qes_web_server;

/* Starts serving in background threads; returns at once. */
int qes_web_start(qes_web_server **out, const qes_web_opts *o, qes_error *err);
unsigned qes_web_port(const qes_web_server *s);
/* Stops (finishes the requests in progress) and frees. NULL is a no-op. */
void qes_web_stop(qes_web_server *s);

#endif
