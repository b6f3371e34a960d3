/* strbuf.h: a growable byte buffer with a maximum size fixed at creation
 * (curl's dynbuf idea): input can never make it grow without bound.
 * The buffer is always NUL-terminated once anything was added.
 * Owns its memory; qes__strbuf_detach() hands it to the caller. */
#ifndef QES_STRBUF_H
#define QES_STRBUF_H

#include <stddef.h>

typedef struct qes_strbuf {
	char *buf;
	size_t len, alloc, max;
} qes_strbuf;

#define QES_STRBUF_INIT(maxsize) { NULL, 0, 0, (maxsize) }

void qes__strbuf_init(qes_strbuf *sb, size_t max);
/* These return 0, QES_ENOMEM, or QES_ELIMIT when max would be exceeded. */
int qes__strbuf_add(qes_strbuf *sb, const void *data, size_t n);
int qes__strbuf_addstr(qes_strbuf *sb, const char *s);
int qes__strbuf_addch(qes_strbuf *sb, char c);
int qes__strbuf_addf(qes_strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void qes__strbuf_reset(qes_strbuf *sb);          /* len = 0, keeps memory */
void qes__strbuf_truncate(qes_strbuf *sb, size_t len);
char *qes__strbuf_detach(qes_strbuf *sb, size_t *len);   /* caller frees */
void qes__strbuf_release(qes_strbuf *sb);
/* "" when nothing was added, never NULL. */
const char *qes__strbuf_str(const qes_strbuf *sb);

#endif
