/* server.c: qes serve. libmicrohttpd with its own polling thread and a
 * thread pool; each worker thread keeps its own SQLite connection (a
 * qes_store opened on first use, closed when the thread ends), so no
 * connection is ever shared between threads. Static files come only from
 * the table embedded at build time (no filesystem access, so no path can
 * escape it). Docs: docs/web.md. */
#include "web.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "qes/limits.h"
#include "web_assets.h"

struct qes_web_server {
	struct MHD_Daemon *d;
	char *review;
	int secure_cookie;
	unsigned port;
	pthread_key_t store_key;
};

/* One request's state across libmicrohttpd's calls. */
typedef struct req {
	char *body;
	size_t len;
	size_t max;        /* the route's body limit */
	int too_large;
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
	case QES_ELIMIT: return 429;
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

/* The body limit of a request, known before the body arrives. */
static size_t body_limit(const char *url, const char *method)
{
	const qes__web_body_rule *b = qes__web_body_rule_find(method, url);
	return b && b->max ? b->max : QES_MAX_HTTP_BODY;
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
		return send_qes_error(c, &err);
	}
	return send_call(c, &cx);
}

static enum MHD_Result api(qes_web_server *s, struct MHD_Connection *c, const char *url,
			   const char *method, const req *r)
{
	qes_error err;
	qes_error_clear(&err);
	qes_store *st = thread_store(s, &err);
	if (!st)
		return send_error(c, 500, "the review cannot be opened");
	int post = !strcmp(method, "POST");
	if (!strcmp(url, "/api/login")) {
		if (!post)
			return send_error(c, 405, "use POST");
		return json_body(c) ? do_login(s, c, st, r)
				    : send_error(c, 415, "send application/json");
	}

	qes__web_session ss;
	const char *tok = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "qes_session");
	int rc = qes__web_session_find(st, tok, (long long)time(NULL), &ss, &err);
	if (rc == QES_ENOTFOUND)
		return send_error(c, 401, "not logged in");
	if (rc)
		return send_qes_error(c, &err);
	if (is_state_change(method) &&
	    !qes__web_ct_equal(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token"), ss.csrf))
		return send_error(c, 403, "missing or wrong X-CSRF-Token");
	/* A route's own body type (a PDF upload) is not a form's either, so it
	 * needs a preflight too. */
	const qes__web_body_rule *rule = qes__web_body_rule_find(method, url);
	const char *type = rule ? rule->type : "application/json";
	if (is_state_change(method) && !media_is(c, type)) {
		char msg[96];
		snprintf(msg, sizeof(msg), "send %s", type);
		return send_error(c, 415, msg);
	}

	if (!strcmp(url, "/api/logout")) {
		if (!post)
			return send_error(c, 405, "use POST");
		char cookie[256];
		if ((rc = qes__web_session_delete(st, tok, &err)))
			return send_qes_error(c, &err);
		session_cookie(s, NULL, cookie, sizeof(cookie));
		return send_json(c, 200, json_pack("{sb}", "ok", 1), cookie);
	}
	if (!strcmp(url, "/api/session")) {
		if (is_state_change(method))
			return send_error(c, 405, "use GET");
		return send_json(c, 200, session_json(&ss), NULL);
	}
	return route(c, st, &ss, url, method, rule, r);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	qes_web_server *s = cls;
	req *r = *con_cls;
	if (!r) {
		if (!(r = calloc(1, sizeof(*r))))
			return MHD_NO;
		*con_cls = r;
		r->max = body_limit(url, method);
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > r->max) {
			r->too_large = 1;
			return send_error(c, 413, "request body too large");
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_large && r->len + *upload_size > r->max) {
			r->too_large = 1;
			*upload_size = 0;
			return send_error(c, 413, "request body too large");
		}
		if (!r->too_large) {
			char *b = realloc(r->body, r->len + *upload_size + 1);
			if (!b)
				return MHD_NO;
			memcpy(b + r->len, upload, *upload_size);
			r->body = b;
			r->len += *upload_size;
			b[r->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->too_large)
		return MHD_YES;  /* 413 already queued */
	if (!strcmp(url, "/healthz"))
		return send_bytes(c, 200, "text/plain; charset=utf-8", "ok\n", 3, 1, NULL);
	if (!strncmp(url, "/api/", 5) || !strcmp(url, "/api"))
		return api(s, c, url, method, r);
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return send_error(c, 405, "method not allowed");
	return send_static(c, url);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	req *r = *con_cls;
	if (r) {
		free(r->body);
		free(r);
		*con_cls = NULL;
	}
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
	if (pthread_key_create(&s->store_key, close_store)) {
		free(s->review);
		free(s);
		return qes_error_set(err, QES_ENOMEM, "cannot create thread storage");
	}
	/* 8 workers by default, on any number of cores: a connection stays on
	 * one worker, so a slow request (the counts read the whole stage) holds
	 * up the others queued behind it. With 50 reviewers (bench/run.sh web)
	 * 8 workers cut the p99 of a decision-and-next from 54 to 18 ms on 2
	 * cores; their SQLite connections cost little. */
	s->d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, handle, s,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads ? o->threads : 8),
				MHD_OPTION_NOTIFY_COMPLETED, completed, s,
				MHD_OPTION_CONNECTION_LIMIT, 256u,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, 64u,
				MHD_OPTION_CONNECTION_TIMEOUT, 30u,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
				MHD_OPTION_END);
	if (!s->d) {
		pthread_key_delete(s->store_key);
		free(s->review);
		free(s);
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
	pthread_key_delete(s->store_key);
	free(s->review);
	free(s);
}
