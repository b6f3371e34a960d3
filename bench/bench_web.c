/* bench_web.c: many reviewers screening at once against `qes serve`.
 *
 *   build/rel/bench/bench_web HOST PORT PREFIX N PASSWORD [--iterations K]
 *       [--seconds S] [--think MS] [--acks FILE]
 *
 * Logs in the users PREFIX01..PREFIXnn (made beforehand with `qes user add
 * ... --initials`; logins hash with argon2id, so they happen before any
 * timing), fetches each one's first record, then lets the N reviewers run at
 * once, each on its own keep-alive connection and thread: per iteration one
 * POST /api/screen/decide of the record on screen and one GET
 * /api/screen/next?after= of the record after it (the decision-and-next-record
 * a reviewer waits for; the page asks exactly these two), and every fifth
 * time, untimed, the page's GET /api/screen/progress. K
 * iterations or S seconds, whichever ends first. The decision follows the
 * record id (even: include, odd: exclude), so that the model gets both.
 * --think MS: before each decision the reviewer reads for a random time
 * (exponential, mean MS; not timed), as people do; 0 (the default) hammers
 * the server, which measures its capacity rather than what a reviewer sees.
 *
 * Prints one line of JSON: latencies (p50/p95/p99/max ms) of the
 * decision-and-next, throughput, and the decisions acknowledged (HTTP 200),
 * refused (409: another reviewer was quicker, or the record needs no more)
 * and failed (connection lost: the server was killed). With --acks, every
 * acknowledged decision is written as "INITIALS RECORD_ID" the moment its 200
 * arrives (line-buffered, flushed), for a check after kill -9.
 *
 * Plain sockets and pthreads (no HTTP library is linked); a minimal HTTP/1.1
 * client that is enough for this server's answers (Content-Length bodies). */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_USERS 256
#define BUF_MAX (1 << 20)

typedef struct client {
	int fd;
	char name[64];
	char initials[16];
	char cookie[160];
	char csrf[80];
	long long record;       /* the record on screen (0: none left) */
	/* results */
	double *lat;            /* ms per iteration */
	long nlat, cap;
	long acked, refused, failed;
	unsigned seed;          /* of the think times */
	char *buf;
} client;

static const char *host;
static int port;
static const char *password;
static long iterations = 1000000;
static double seconds = 20;
static double think_ms;
static FILE *acks;
static pthread_mutex_t acks_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start_line;
static double t_start;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int dial(void)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, host, &a.sin_addr) != 1)
		return -1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);   /* a closed connection is an error, not SIGPIPE */
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One request on the client's connection (redialled when closed); the body
 * of the answer lands in c->buf (NUL-terminated). Returns the HTTP status,
 * or -1 when the connection failed. */
static int request(client *c, const char *method, const char *path, const char *body)
{
	char head[1024], cookie[200] = "", csrf[120] = "";
	size_t blen = body ? strlen(body) : 0;
	if (c->cookie[0])
		snprintf(cookie, sizeof(cookie), "Cookie: %s\r\n", c->cookie);
	if (body && c->csrf[0])
		snprintf(csrf, sizeof(csrf), "X-CSRF-Token: %s\r\n", c->csrf);
	int hn = snprintf(head, sizeof(head),
			  "%s %s HTTP/1.1\r\nHost: %s:%d\r\n%s%s%sContent-Length: %zu\r\n\r\n",
			  method, path, host, port, cookie, csrf,
			  body ? "Content-Type: application/json\r\n" : "", blen);
	for (int attempt = 0; attempt < 2; attempt++) {
		if (c->fd < 0 && (c->fd = dial()) < 0)
			return -1;
		if (write_all(c->fd, head, (size_t)hn) || (blen && write_all(c->fd, body, blen))) {
			close(c->fd);
			c->fd = -1;
			continue;
		}
		size_t got = 0;
		char *end = NULL;
		while (!end) {
			ssize_t r = read(c->fd, c->buf + got, BUF_MAX - 1 - got);
			if (r <= 0)
				break;
			got += (size_t)r;
			c->buf[got] = '\0';
			end = strstr(c->buf, "\r\n\r\n");
		}
		if (!end) {
			/* Closed before an answer: a kept-alive connection the server
			 * dropped (retry once on a new one) or a dead server. */
			close(c->fd);
			c->fd = -1;
			if (got)
				return -1;
			continue;
		}
		int status = atoi(c->buf + 9);
		const char *cl = strcasestr(c->buf, "\r\nContent-Length:");
		size_t len = cl ? strtoul(cl + 17, NULL, 10) : 0;
		const char *sc = strcasestr(c->buf, "\r\nSet-Cookie: qes_session=");
		if (sc) {
			const char *v = sc + 14, *e = strchr(v, ';');
			snprintf(c->cookie, sizeof(c->cookie), "%.*s", (int)(e ? e - v : 0), v);
		}
		size_t hlen = (size_t)(end + 4 - c->buf);
		if (hlen + len >= BUF_MAX)
			return -1;
		while (got < hlen + len) {
			ssize_t r = read(c->fd, c->buf + got, BUF_MAX - 1 - got);
			if (r <= 0) {
				close(c->fd);
				c->fd = -1;
				return -1;
			}
			got += (size_t)r;
		}
		memmove(c->buf, c->buf + hlen, len);
		c->buf[len] = '\0';
		return status;
	}
	return -1;
}

/* The value of "key":"..." or "key":N in a flat reading of JSON. */
static int json_str(const char *js, const char *key, char *out, size_t n)
{
	char pat[64];
	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	const char *p = strstr(js, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	const char *e = strchr(p, '"');
	if (!e)
		return -1;
	snprintf(out, n, "%.*s", (int)(e - p), p);
	return 0;
}

/* The next record; after > 0: the one after that record (what the page
 * prefetches while the reviewer reads, and shows once the decision is in). */
static int next_record(client *c, long long after)
{
	char path[96];
	snprintf(path, sizeof(path), "/api/screen/next?stage=ta&after=%lld", after);
	int st = request(c, "GET", after ? path : "/api/screen/next?stage=ta", NULL);
	if (st != 200)
		return st < 0 ? -1 : st;
	const char *r = strstr(c->buf, "\"record\":");
	c->record = 0;
	if (r && strncmp(r + 9, "null", 4)) {
		const char *id = strstr(r, "\"id\":");
		c->record = id ? atoll(id + 5) : 0;
	}
	return 200;
}

static void add_lat(client *c, double ms)
{
	if (c->nlat == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		double *n = realloc(c->lat, (size_t)c->cap * sizeof(*n));
		if (!n)
			return;
		c->lat = n;
	}
	c->lat[c->nlat++] = ms;
}

static void *run(void *arg)
{
	client *c = arg;
	pthread_barrier_wait(&start_line);
	for (long i = 0; i < iterations && c->record; i++) {
		if (now_ms() - t_start > seconds * 1e3)
			break;
		if (think_ms > 0) {
			double u = (rand_r(&c->seed) + 1.0) / ((double)RAND_MAX + 2.0);
			double t = -think_ms * log(u);
			struct timespec ts = { (time_t)(t / 1e3), (long)(fmod(t, 1e3) * 1e6) };
			nanosleep(&ts, NULL);
			if (now_ms() - t_start > seconds * 1e3)
				break;
		}
		char body[160];
		snprintf(body, sizeof(body), "{\"record_id\":%lld,\"stage\":\"ta\",\"decision\":\"%s\"}",
			 c->record, c->record % 2 ? "exclude" : "include");
		double t0 = now_ms();
		int st = request(c, "POST", "/api/screen/decide", body);
		if (st == 200) {
			c->acked++;
			if (acks) {
				pthread_mutex_lock(&acks_mu);
				fprintf(acks, "%s %lld\n", c->initials, c->record);
				fflush(acks);
				pthread_mutex_unlock(&acks_mu);
			}
		} else if (st == 409) {
			c->refused++;
		} else {
			c->failed++;
			if (st < 0)
				break;   /* the server is gone */
		}
		st = next_record(c, c->record);
		if (st != 200) {
			c->failed++;
			break;
		}
		add_lat(c, now_ms() - t0);
		/* The page's refresh of the counts and the stopping estimate, after
		 * the record is on screen, every 5 decisions: load, not timed. */
		if (i % 5 == 4 && request(c, "GET", "/api/screen/progress?stage=ta", NULL) != 200) {
			c->failed++;
			break;
		}
	}
	return NULL;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double pct(const double *v, long n, double p)
{
	if (!n)
		return 0;
	long i = (long)(p * (double)(n - 1) + 0.5);
	return v[i];
}

static int login(client *c)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"password\":\"%s\"}", c->name, password);
	int st = request(c, "POST", "/api/login", body);
	if (st != 200) {
		fprintf(stderr, "bench_web: login %s: HTTP %d %s\n", c->name, st, st > 0 ? c->buf : "");
		return -1;
	}
	if (json_str(c->buf, "csrf", c->csrf, sizeof(c->csrf)) ||
	    json_str(c->buf, "initials", c->initials, sizeof(c->initials))) {
		fprintf(stderr, "bench_web: login %s: no csrf or initials in %s\n", c->name, c->buf);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: bench_web HOST PORT PREFIX N PASSWORD [--iterations K] "
				"[--seconds S] [--think MS] [--acks FILE]\n");
		return 2;
	}
	host = argv[1];
	port = atoi(argv[2]);
	const char *prefix = argv[3];
	int n = atoi(argv[4]);
	password = argv[5];
	for (int i = 6; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--iterations"))
			iterations = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--think"))
			think_ms = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--seconds"))
			seconds = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--acks") && !(acks = fopen(argv[i + 1], "w"))) {
			perror(argv[i + 1]);
			return 2;
		}
	}
	if (n < 1 || n > MAX_USERS) {
		fprintf(stderr, "bench_web: 1 to %d users\n", MAX_USERS);
		return 2;
	}
	client *cs = calloc((size_t)n, sizeof(*cs));
	pthread_t *th = calloc((size_t)n, sizeof(*th));
	int rc = 1;
	if (!cs || !th)
		goto out;
	/* Untimed: logins (argon2id, one at a time on the server) and each
	 * reviewer's first record (builds their orderer: features and model). */
	double tl = now_ms();
	for (int i = 0; i < n; i++) {
		cs[i].fd = -1;
		cs[i].seed = (unsigned)i * 2654435761u + 1;
		snprintf(cs[i].name, sizeof(cs[i].name), "%s%02d", prefix, i + 1);
		if (!(cs[i].buf = malloc(BUF_MAX)) || login(&cs[i]))
			goto out;
	}
	double tw = now_ms();
	for (int i = 0; i < n; i++)
		if (next_record(&cs[i], 0) != 200) {
			fprintf(stderr, "bench_web: first record of %s failed\n", cs[i].name);
			goto out;
		}
	double tr = now_ms();
	pthread_barrier_init(&start_line, NULL, (unsigned)n + 1);
	for (int i = 0; i < n; i++)
		pthread_create(&th[i], NULL, run, &cs[i]);
	t_start = now_ms();
	pthread_barrier_wait(&start_line);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	double wall = (now_ms() - t_start) / 1e3;
	pthread_barrier_destroy(&start_line);

	long total = 0, acked = 0, refused = 0, failed = 0;
	for (int i = 0; i < n; i++) {
		total += cs[i].nlat;
		acked += cs[i].acked;
		refused += cs[i].refused;
		failed += cs[i].failed;
	}
	double *all = malloc((size_t)(total ? total : 1) * sizeof(*all));
	if (!all)
		goto out;
	long k = 0;
	for (int i = 0; i < n; i++)
		for (long j = 0; j < cs[i].nlat; j++)
			all[k++] = cs[i].lat[j];
	qsort(all, (size_t)total, sizeof(*all), cmp_d);
	printf("{\"reviewers\": %d, \"iterations\": %ld, \"acknowledged\": %ld, \"refused\": %ld, "
	       "\"failed\": %ld, \"seconds\": %.2f, \"decisions_per_s\": %.1f, "
	       "\"think_ms\": %.0f, \"p50_ms\": %.2f, \"p95_ms\": %.2f, \"p99_ms\": %.2f, \"max_ms\": %.2f, "
	       "\"login_s\": %.2f, \"first_record_s\": %.2f}\n",
	       n, total, acked, refused, failed, wall, wall > 0 ? (double)acked / wall : 0, think_ms,
	       pct(all, total, 0.50), pct(all, total, 0.95), pct(all, total, 0.99),
	       total ? all[total - 1] : 0, (tw - tl) / 1e3, (tr - tw) / 1e3);
	free(all);
	rc = 0;
out:
	for (int i = 0; cs && i < n; i++) {
		if (cs[i].fd >= 0)
			close(cs[i].fd);
		free(cs[i].buf);
		free(cs[i].lat);
	}
	free(cs);
	free(th);
	if (acks)
		fclose(acks);
	return rc;
}
