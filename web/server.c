/* server.c: qes serve. libmicrohttpd with its own polling thread and a
 * thread pool; each worker thread keeps its own SQLite connection (a
 * qes_store opened on first use, closed when the thread ends), so no
 * connection is ever shared between threads. Static files come only from
 * the table embedded at build time (no filesystem access, so no path can
 * escape it). Docs: docs/web.md. */
#include "web.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "qes/limits.h"
#include "web_assets.h"

/* A connection as the header watchdog sees it (its socket context). */
typedef struct conn_track {
	int fd;
	int in_headers;          /* waiting for a request's line and headers */
	int cut;                 /* shut down by the watchdog */
	struct timespec since;   /* when this request's headers began (CLOCK_MONOTONIC) */
	struct conn_track *prev, *next;
} conn_track;

/* Upload bytes in flight per account (temporary files), for the quota. */
typedef struct upload_use {
	long long user_id;
	size_t bytes;
} upload_use;
#define UPLOAD_USERS 64

struct qes_web_server {
	struct MHD_Daemon *d;
	char *review;
	int secure_cookie;
	unsigned port;
	unsigned header_seconds;
	pthread_key_t store_key;
	/* JSON bodies held in memory by every connection together. */
	atomic_size_t body_bytes;
	pthread_mutex_t upload_lock;
	upload_use uploads[UPLOAD_USERS];
	/* The header watchdog: every open connection, and its thread. */
	pthread_mutex_t conn_lock;
	pthread_cond_t conn_cond;
	conn_track *conns;
	int stopping;
	int watchdog_started;
	pthread_t watchdog;
};

/* One request's state across libmicrohttpd's calls. Everything that can
 * refuse a request (URL, session, CSRF token, role, media type, size) is
 * decided when the headers are in, before a byte of the body is read. */
typedef struct req {
	int started;       /* the access handler has seen the headers */
	int bad_url;       /* the raw URL has %00 */
	int answered;      /* an answer is queued: whatever body comes is dropped */
	int is_api;        /* an /api/ request past the checks */
	int have_session;
	qes__web_session ss;
	const qes__web_body_rule *rule;
	char *body;        /* a JSON body, in memory */
	size_t len;
	size_t max;        /* the route's body limit */
	size_t reserved;   /* bytes of it counted in body_bytes */
	int fd;            /* an upload's temporary file (-1: none) */
	size_t quota;      /* bytes of it counted in the user's upload quota */
} req;

static const char CSP[] = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

static void close_store(void *p)
{
	qes_store_close(p);
}

static qes_store *thread_store(qes_web_server *s, qes_error *err)
{
	qes_store *st = pthread_getspecific(s->store_key);
	if (st)
		return st;
	if (qes_store_open(&st, s->review, err))
		return NULL;
	pthread_setspecific(s->store_key, st);
	return st;
}

/* The headers every answer carries; csp and frame (X-Frame-Options) differ
 * between the site's own pages and a file served from the review. */
static void add_headers(struct MHD_Response *r, const char *mime, const char *csp,
			const char *frame)
{
	MHD_add_response_header(r, "Content-Type", mime);
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", frame);
	MHD_add_response_header(r, "Cache-Control", "no-store");
}

static enum MHD_Result send_bytes(struct MHD_Connection *c, unsigned status, const char *mime,
				  const void *data, size_t len, int persist, const char *cookie)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, (void *)data, persist ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	add_headers(r, mime, CSP, "DENY");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	if (cookie)
		MHD_add_response_header(r, "Set-Cookie", cookie);
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *v,
				 const char *cookie)
{
	char *s = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	if (!s)
		return MHD_NO;
	enum MHD_Result ret = send_bytes(c, status, "application/json", s, strlen(s), 0, cookie);
	free(s);
	return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
	return send_json(c, status, json_pack("{ss}", "error", msg), NULL);
}

static unsigned http_status(int code)
{
	switch (code) {
	case QES_EINVAL: case QES_EFORMAT: case QES_EAMBIG: return 400;
	case QES_EPERM: return 403;
	case QES_ENOTFOUND: return 404;
	case QES_EEXIST: case QES_ECONFLICT: return 409;
	case QES_ELIMIT: return 413;   /* text over a limit of qes/limits.h */
	case QES_EBUSY: return 503;    /* locked by an import: the page may try again */
	default: return 500;
	}
}

static enum MHD_Result send_qes_error(struct MHD_Connection *c, const qes_error *err)
{
	unsigned st = http_status(err->code);
	/* Internal details (SQL) stay in the server; the page gets a word. */
	return send_error(c, st, st == 500 ? "internal error" : err->message);
}

static enum MHD_Result send_static(struct MHD_Connection *c, const char *url)
{
	if (!strcmp(url, "/"))
		url = "/index.html";
	for (const qes_web_asset *a = qes_web_assets; a->path; a++)
		if (!strcmp(a->path, url))
			return send_bytes(c, 200, a->mime, a->data, a->size, 1, NULL);
	return send_bytes(c, 404, "text/plain; charset=utf-8", "not found\n", 10, 1, NULL);
}

static void client_ip(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, n, "?");
	if (ci && ci->client_addr) {
		socklen_t len = ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
								       : sizeof(struct sockaddr_in);
		getnameinfo(ci->client_addr, len, out, (socklen_t)n, NULL, 0, NI_NUMERICHOST);
	}
}

static void session_cookie(const qes_web_server *s, const char *token, char *out, size_t n)
{
	if (token)
		snprintf(out, n, "qes_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%d%s",
			 token, QES__WEB_SESSION_SECONDS, s->secure_cookie ? "; Secure" : "");
	else
		snprintf(out, n, "qes_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0%s",
			 s->secure_cookie ? "; Secure" : "");
}

static json_t *session_json(const qes__web_session *ss)
{
	return json_pack("{ss ss so ss}", "user", ss->name, "role", ss->role, "initials",
			 ss->initials[0] ? json_string(ss->initials) : json_null(), "csrf", ss->csrf);
}

static enum MHD_Result do_login(qes_web_server *s, struct MHD_Connection *c, qes_store *st,
				const req *r)
{
	json_error_t je;
	json_t *body = r->body ? json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &je) : NULL;
	const char *name = json_string_value(json_object_get(body, "name"));
	const char *pw = json_string_value(json_object_get(body, "password"));
	if (!name || !pw) {
		json_decref(body);
		return send_error(c, 400, "expected {name, password}");
	}
	char ip[64], token[QES__WEB_TOKEN_HEX], cookie[256];
	client_ip(c, ip, sizeof(ip));
	qes__web_session ss;
	qes_error err;
	qes_error_clear(&err);
	int rc = qes__web_login(st, name, pw, ip, (long long)time(NULL), &ss, token, &err);
	json_decref(body);
	if (rc == QES_EPERM)
		return send_error(c, 401, err.message);
	if (rc == QES_ELIMIT)
		return send_error(c, 429, err.message);   /* this name from this address must wait */
	if (rc)
		return send_qes_error(c, &err);
	session_cookie(s, token, cookie, sizeof(cookie));
	sodium_memzero(token, sizeof(token));
	return send_json(c, 200, session_json(&ss), cookie);
}

static int is_state_change(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

static int media_is(struct MHD_Connection *c, const char *type)
{
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	size_t n = strlen(type);
	return ct && !strncasecmp(ct, type, n) && (ct[n] == '\0' || ct[n] == ';');
}

/* A state change must come as JSON: a cross-site form or a "simple" request
 * cannot send that without a CORS preflight, which this server never
 * answers (defence in depth besides SameSite and the CSRF token). */
static int json_body(struct MHD_Connection *c)
{
	return media_is(c, "application/json");
}

static const char *query_arg(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result send_call(struct MHD_Connection *c, qes__web_call *cx)
{
	unsigned status = cx->status ? cx->status : 200;
	if (!cx->bytes)
		return send_json(c, status, cx->json ? cx->json : json_object(), NULL);
	json_decref(cx->json);
	struct MHD_Response *r = MHD_create_response_from_buffer(cx->len, cx->bytes,
								 MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(cx->bytes);
		return MHD_NO;
	}
	/* A file served from the review is never a page of this site: it runs no
	 * script and is shown only in a frame of the same origin. */
	add_headers(r, cx->mime ? cx->mime : "application/octet-stream",
		    cx->csp ? cx->csp : "default-src 'none'; frame-ancestors 'self'; sandbox",
		    "SAMEORIGIN");
	if (cx->filename[0]) {
		char cd[192];
		snprintf(cd, sizeof(cd), "inline; filename=\"%s\"", cx->filename);
		MHD_add_response_header(r, "Content-Disposition", cd);
	}
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* One /api/ request with a live session: find its row, check the role,
 * parse the body, run the handler, send what it made. */
static enum MHD_Result route(struct MHD_Connection *c, qes_store *st,
			     const qes__web_session *ss, const char *url, const char *method,
			     const qes__web_body_rule *rule, const req *r)
{
	int path_known;
	const char *tail = "";
	const qes__web_route *rt = qes__web_route_find(method, url, &path_known, &tail);
	if (!rt)
		return path_known ? send_error(c, 405, "method not allowed")
				  : send_error(c, 404, "no such route");
	if (!(rt->roles & qes__web_role_bit(ss->role)))
		return send_error(c, 403, "your role may not do this");
	qes_error err;
	qes_error_clear(&err);
	qes__web_call cx;
	memset(&cx, 0, sizeof(cx));
	cx.st = st;
	cx.session = ss;
	cx.tail = tail;
	cx.arg_fn = query_arg;
	cx.arg_ctx = c;
	json_t *body = NULL;
	if (is_state_change(method) && rule) {
		cx.raw = r->body ? r->body : "";
		cx.raw_len = r->len;
	} else if (is_state_change(method)) {
		json_error_t je;
		body = r->body && r->len ? json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &je)
					 : json_object();
		if (!json_is_object(body)) {
			json_decref(body);
			return send_error(c, 400, "expected a JSON object");
		}
		cx.body = body;
	}
	int rc = rt->fn(&cx, &err);
	json_decref(body);
	if (rc) {
		json_decref(cx.json);
		free(cx.bytes);
		/* A handler may name the status of its error (cx.status). */
		return cx.status && cx.status >= 400 ? send_error(c, cx.status, err.message)
						     : send_qes_error(c, &err);
	}
	return send_call(c, &cx);
}

static enum MHD_Result send_json_error(struct MHD_Connection *c, req *r, unsigned status,
				       const char *msg)
{
	r->answered = 1;
	return send_error(c, status, msg);
}

/* "%00" anywhere in the raw URL: libmicrohttpd would decode it to a NUL and
 * serve the path cut short, so it is refused instead. */
static int has_nul_escape(const char *uri)
{
	for (const char *p = uri; (p = strchr(p, '%')); p++)
		if (p[1] == '0' && p[2] == '0')
			return 1;
	return 0;
}

/* MHD_OPTION_URI_LOG_CALLBACK: the raw URL, before it is decoded; what it
 * returns is the request's state (*con_cls). */
static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	req *r = calloc(1, sizeof(*r));
	if (r) {
		r->fd = -1;
		r->bad_url = has_nul_escape(uri);
	}
	return r;
}

/* A body is announced (Content-Length > 0 or chunked). */
static int body_announced(struct MHD_Connection *c, unsigned long long *len)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
	*len = cl ? strtoull(cl, NULL, 10) : 0;
	return *len > 0 || te != NULL;
}

/* The checks of an /api/ request that need only its headers: login's
 * method and type, or the session, CSRF token, route, role (before the
 * media type: an advisor posting a PDF is told 403, not 415) and type.
 * Returns MHD_YES with nothing queued when the request may go on. */
static enum MHD_Result api_headers(qes_web_server *s, struct MHD_Connection *c, req *r,
				   const char *url, const char *method)
{
	qes_error err;
	qes_error_clear(&err);
	int state_change = is_state_change(method);
	if (!strcmp(url, "/api/login")) {
		unsigned long long announced;
		if (strcmp(method, "POST"))
			return send_json_error(c, r, 405, "use POST");
		if (body_announced(c, &announced) && announced > QES_MAX_HTTP_LOGIN_BODY)
			return send_json_error(c, r, 413, "request body too large");
		if (!json_body(c))
			return send_json_error(c, r, 415, "send application/json");
		r->max = QES_MAX_HTTP_LOGIN_BODY;
		r->is_api = 1;
		return MHD_YES;
	}
	qes_store *st = thread_store(s, &err);
	if (!st)
		return send_json_error(c, r, 500, "the review cannot be opened");
	const char *tok = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "qes_session");
	int rc = qes__web_session_find(st, tok, (long long)time(NULL), &r->ss, &err);
	if (rc == QES_ENOTFOUND)
		return send_json_error(c, r, 401, "not logged in");
	if (rc) {
		r->answered = 1;
		return send_qes_error(c, &err);
	}
	r->have_session = 1;
	if (state_change &&
	    !qes__web_ct_equal(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token"), r->ss.csrf))
		return send_json_error(c, r, 403, "missing or wrong X-CSRF-Token");
	if (!strcmp(url, "/api/logout")) {
		if (strcmp(method, "POST"))
			return send_json_error(c, r, 405, "use POST");
	} else if (!strcmp(url, "/api/session")) {
		if (state_change)
			return send_json_error(c, r, 405, "use GET");
	} else {
		int path_known;
		const char *tail;
		const qes__web_route *rt = qes__web_route_find(method, url, &path_known, &tail);
		if (!rt)
			return path_known ? send_json_error(c, r, 405, "method not allowed")
					  : send_json_error(c, r, 404, "no such route");
		if (!(rt->roles & qes__web_role_bit(r->ss.role)))
			return send_json_error(c, r, 403, "your role may not do this");
	}
	/* A route's own body type (a PDF upload) is not a form's either, so it
	 * needs a preflight too. */
	r->rule = qes__web_body_rule_find(method, url);
	const char *type = r->rule ? r->rule->type : "application/json";
	if (state_change && !media_is(c, type)) {
		char msg[96];
		snprintf(msg, sizeof(msg), "send %s", type);
		return send_json_error(c, r, 415, msg);
	}
	r->max = !state_change ? 0 : r->rule && r->rule->max ? r->rule->max : QES_MAX_HTTP_BODY;
	r->is_api = 1;
	return MHD_YES;
}

static enum MHD_Result api(qes_web_server *s, struct MHD_Connection *c, const char *url,
			   const char *method, req *r)
{
	qes_error err;
	qes_error_clear(&err);
	qes_store *st = thread_store(s, &err);
	if (!st)
		return send_error(c, 500, "the review cannot be opened");
	if (!strcmp(url, "/api/login"))
		return do_login(s, c, st, r);
	if (!strcmp(url, "/api/logout")) {
		char cookie[256];
		const char *tok = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "qes_session");
		int rc = qes__web_session_delete(st, tok, &err);
		if (rc)
			return send_qes_error(c, &err);
		session_cookie(s, NULL, cookie, sizeof(cookie));
		return send_json(c, 200, json_pack("{sb}", "ok", 1), cookie);
	}
	if (!strcmp(url, "/api/session"))
		return send_json(c, 200, session_json(&r->ss), NULL);
	return route(c, st, &r->ss, url, method, r->rule, r);
}

static conn_track *track_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* The headers are in (in_headers 0), or the next request's begin (1). */
static void track_headers(qes_web_server *s, struct MHD_Connection *c, int in_headers)
{
	conn_track *t = track_of(c);
	if (!t)
		return;
	pthread_mutex_lock(&s->conn_lock);
	t->in_headers = in_headers;
	clock_gettime(CLOCK_MONOTONIC, &t->since);
	pthread_mutex_unlock(&s->conn_lock);
}

/* The per-account upload quota: reserve n more bytes for user, or 0. */
static int upload_reserve(qes_web_server *s, long long user, size_t n)
{
	int ok = 0;
	pthread_mutex_lock(&s->upload_lock);
	upload_use *u = NULL, *free_slot = NULL;
	for (int i = 0; i < UPLOAD_USERS; i++) {
		if (s->uploads[i].user_id == user && s->uploads[i].bytes)
			u = &s->uploads[i];
		else if (!s->uploads[i].bytes && !free_slot)
			free_slot = &s->uploads[i];
	}
	if (!u && free_slot) {
		u = free_slot;
		u->user_id = user;
	}
	if (u && u->bytes + n <= QES_MAX_UPLOAD_PER_USER) {
		u->bytes += n;
		ok = 1;
	}
	pthread_mutex_unlock(&s->upload_lock);
	return ok;
}

static void upload_release(qes_web_server *s, long long user, size_t n)
{
	pthread_mutex_lock(&s->upload_lock);
	for (int i = 0; i < UPLOAD_USERS; i++)
		if (s->uploads[i].user_id == user && s->uploads[i].bytes >= n && s->uploads[i].bytes) {
			s->uploads[i].bytes -= n;
			break;
		}
	pthread_mutex_unlock(&s->upload_lock);
}

/* One piece of the body: to the temporary file of an upload (a route with
 * a body rule), else into memory within the limit of all bodies. */
static enum MHD_Result take_body(qes_web_server *s, struct MHD_Connection *c, req *r,
				 const char *data, size_t n)
{
	if (r->len + n > r->max)
		return send_json_error(c, r, 413, "request body too large");
	if (r->rule) {
		if (r->fd < 0) {
			const char *dir = getenv("TMPDIR");
			char path[4096];
			snprintf(path, sizeof(path), "%s/qes-upload-XXXXXX", dir && *dir ? dir : "/tmp");
			if ((r->fd = mkstemp(path)) < 0)
				return send_json_error(c, r, 500, "cannot store the upload");
			unlink(path);   /* gone when closed, whatever happens */
		}
		if (!upload_reserve(s, r->ss.user_id, n))
			return send_json_error(c, r, 429, "upload quota of the account is in use: "
					       "wait for your other uploads to finish");
		r->quota += n;
		for (size_t done = 0; done < n;) {
			ssize_t w = write(r->fd, data + done, n - done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return send_json_error(c, r, 507, "no room to store the upload");
			done += (size_t)w;
		}
		r->len += n;
		return MHD_YES;
	}
	size_t was = atomic_fetch_add(&s->body_bytes, n);
	if (was + n > QES_MAX_HTTP_BODIES) {
		atomic_fetch_sub(&s->body_bytes, n);
		return send_json_error(c, r, 503, "the server holds too many request bodies now; "
				       "try again");
	}
	r->reserved += n;
	char *b = realloc(r->body, r->len + n + 1);
	if (!b)
		return MHD_NO;
	memcpy(b + r->len, data, n);
	r->body = b;
	r->len += n;
	b[r->len] = '\0';
	return MHD_YES;
}

/* An upload's bytes, mapped from its temporary file for the handler. */
static enum MHD_Result api_upload(qes_web_server *s, struct MHD_Connection *c, const char *url,
				  const char *method, req *r)
{
	void *map = NULL;
	if (r->len) {
		map = mmap(NULL, r->len, PROT_READ, MAP_PRIVATE, r->fd, 0);
		if (map == MAP_FAILED)
			return send_error(c, 500, "cannot read the upload back");
	}
	char *keep = r->body;
	r->body = map;
	enum MHD_Result ret = api(s, c, url, method, r);
	r->body = keep;
	if (map)
		munmap(map, r->len);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	(void)version;
	qes_web_server *s = cls;
	req *r = *con_cls;
	if (!r) {
		if (!(r = uri_seen(NULL, "", c)))
			return MHD_NO;
		*con_cls = r;
	}
	if (!r->started) {
		/* The headers are in: everything that can refuse the request is
		 * decided now, before any of the body is read. */
		r->started = 1;
		track_headers(s, c, 0);
		if (r->bad_url)
			return send_json_error(c, r, 400, "%00 in a URL");
		unsigned long long announced;
		int has_body = body_announced(c, &announced);
		if (!strncmp(url, "/api/", 5) || !strcmp(url, "/api")) {
			enum MHD_Result ret = api_headers(s, c, r, url, method);
			if (r->answered || ret != MHD_YES)
				return ret;
		} else if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
			return send_json_error(c, r, 405, "method not allowed");
		}
		if (has_body && announced > r->max)
			return send_json_error(c, r, 413, "request body too large");
		if (has_body && !r->max)
			return send_json_error(c, r, 413, "this request takes no body");
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (r->answered)
			return MHD_YES;  /* an answer is queued: the rest is dropped */
		return take_body(s, c, r, upload, n);
	}
	if (r->answered)
		return MHD_YES;
	if (!strcmp(url, "/healthz"))
		return send_bytes(c, 200, "text/plain; charset=utf-8", "ok\n", 3, 1, NULL);
	if (r->is_api)
		return r->rule ? api_upload(s, c, url, method, r) : api(s, c, url, method, r);
	return send_static(c, url);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	qes_web_server *s = cls;
	req *r = *con_cls;
	if (r) {
		if (r->reserved)
			atomic_fetch_sub(&s->body_bytes, r->reserved);
		if (r->quota)
			upload_release(s, r->ss.user_id, r->quota);
		if (r->fd >= 0)
			close(r->fd);
		sodium_memzero(&r->ss, sizeof(r->ss));
		free(r->body);
		free(r);
		*con_cls = NULL;
	}
	track_headers(s, c, 1);   /* a kept-alive connection waits for the next request */
}

/* MHD_OPTION_NOTIFY_CONNECTION: every connection is tracked from its start,
 * so that the watchdog can bound the time its headers take. */
static void conn_notify(void *cls, struct MHD_Connection *c, void **socket_context,
			enum MHD_ConnectionNotificationCode what)
{
	qes_web_server *s = cls;
	if (what == MHD_CONNECTION_NOTIFY_STARTED) {
		conn_track *t = calloc(1, sizeof(*t));
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!t || !ci) {
			free(t);
			*socket_context = NULL;
			return;
		}
		t->fd = ci->connect_fd;
		t->in_headers = 1;
		clock_gettime(CLOCK_MONOTONIC, &t->since);
		pthread_mutex_lock(&s->conn_lock);
		t->next = s->conns;
		if (s->conns)
			s->conns->prev = t;
		s->conns = t;
		pthread_mutex_unlock(&s->conn_lock);
		*socket_context = t;
		return;
	}
	conn_track *t = *socket_context;
	if (!t)
		return;
	/* Closed: libmicrohttpd closes the socket after this returns, so the
	 * watchdog (under the same lock) never touches a reused descriptor. */
	pthread_mutex_lock(&s->conn_lock);
	if (t->prev)
		t->prev->next = t->next;
	else
		s->conns = t->next;
	if (t->next)
		t->next->prev = t->prev;
	pthread_mutex_unlock(&s->conn_lock);
	free(t);
	*socket_context = NULL;
}

/* Four times a second: a connection whose request line and headers have taken
 * longer than header_seconds in all (however often it sends a byte) is
 * shut down; libmicrohttpd then sees it closed and frees it. The idle
 * timeout alone would let a client that sends a header line every 10 s
 * hold a connection for ever. */
static void *watchdog(void *arg)
{
	qes_web_server *s = arg;
	pthread_mutex_lock(&s->conn_lock);
	while (!s->stopping) {
		struct timespec now, until;
		clock_gettime(CLOCK_MONOTONIC, &now);
		for (conn_track *t = s->conns; t; t = t->next)
			if (t->in_headers && !t->cut &&
			    (now.tv_sec - t->since.tv_sec) * 1000 + (now.tv_nsec - t->since.tv_nsec) / 1000000 >=
			    (long long)s->header_seconds * 1000) {
				shutdown(t->fd, SHUT_RDWR);
				t->cut = 1;
			}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250000000;   /* four looks a second: the bound is kept within 0.25 s */
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&s->conn_cond, &s->conn_lock, &until);
	}
	pthread_mutex_unlock(&s->conn_lock);
	return NULL;
}

static void server_free(qes_web_server *s)
{
	if (s->watchdog_started) {
		pthread_mutex_lock(&s->conn_lock);
		s->stopping = 1;
		pthread_cond_signal(&s->conn_cond);
		pthread_mutex_unlock(&s->conn_lock);
		pthread_join(s->watchdog, NULL);
	}
	pthread_cond_destroy(&s->conn_cond);
	pthread_mutex_destroy(&s->conn_lock);
	pthread_mutex_destroy(&s->upload_lock);
	pthread_key_delete(s->store_key);
	free(s->review);
	free(s);
}

int qes_web_start(qes_web_server **out, const qes_web_opts *o, qes_error *err)
{
	*out = NULL;
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
	if (o->port > 65535)
		return qes_error_set(err, QES_EINVAL, "port %u is out of range", o->port);
	if (inet_pton(AF_INET, o->host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)o->port);
	} else if (inet_pton(AF_INET6, o->host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)o->port);
		flags |= MHD_USE_IPv6;
	} else {
		return qes_error_set(err, QES_EINVAL, "'%s' is not a numeric IP address", o->host);
	}
	/* Open once here so that a missing or foreign file is said at once. */
	qes_store *probe;
	int rc = qes_store_open(&probe, o->review, err);
	if (rc)
		return rc;
	qes_store_close(probe);
	qes_web_server *s = calloc(1, sizeof(*s));
	if (!s || !(s->review = strdup(o->review))) {
		free(s);
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	s->secure_cookie = o->secure_cookie;
	s->header_seconds = o->header_seconds ? o->header_seconds : QES_MAX_HTTP_HEADER_SECONDS;
	atomic_init(&s->body_bytes, 0);
	if (pthread_key_create(&s->store_key, close_store)) {
		free(s->review);
		free(s);
		return qes_error_set(err, QES_ENOMEM, "cannot create thread storage");
	}
	pthread_mutex_init(&s->upload_lock, NULL);
	pthread_mutex_init(&s->conn_lock, NULL);
	pthread_cond_init(&s->conn_cond, NULL);
	if (pthread_create(&s->watchdog, NULL, watchdog, s)) {
		server_free(s);
		return qes_error_set(err, QES_ENOMEM, "cannot start the header watchdog");
	}
	s->watchdog_started = 1;
	/* 8 workers by default, on any number of cores: a connection stays on
	 * one worker, so a slow request (the counts read the whole stage) holds
	 * up the others queued behind it. With 50 reviewers (bench/run.sh web)
	 * 8 workers cut the p99 of a decision-and-next from 54 to 18 ms on 2
	 * cores; their SQLite connections cost little. */
	s->d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, handle, s,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads ? o->threads : 8),
				MHD_OPTION_NOTIFY_COMPLETED, completed, s,
				MHD_OPTION_NOTIFY_CONNECTION, conn_notify, s,
				MHD_OPTION_URI_LOG_CALLBACK, uri_seen, s,
				MHD_OPTION_CONNECTION_LIMIT, QES_MAX_HTTP_CONNECTIONS,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT,
				o->per_address ? o->per_address : QES_MAX_HTTP_PER_ADDRESS,
				MHD_OPTION_CONNECTION_TIMEOUT, 30u,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
				MHD_OPTION_END);
	if (!s->d) {
		server_free(s);
		return qes_error_set(err, QES_EIO, "cannot listen on %s port %u (in use?)", o->host, o->port);
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : o->port;
	*out = s;
	return 0;
}

unsigned qes_web_port(const qes_web_server *s)
{
	return s->port;
}

void qes_web_stop(qes_web_server *s)
{
	if (!s)
		return;
	/* Worker threads end here; their stores close through the key. */
	MHD_stop_daemon(s->d);
	qes__web_screen_cache_clear();
	server_free(s);
}
