/* arena.h: a bump allocator for short-lived work (one record, one request).
 * Everything allocated from an arena is freed at once by qes__arena_reset()
 * or qes__arena_free(); nothing is freed one by one. Allocation failure
 * returns NULL (callers report QES_ENOMEM). */
#ifndef QES_ARENA_H
#define QES_ARENA_H

#include <stddef.h>

typedef struct qes_arena_block qes_arena_block;

typedef struct qes_arena {
	qes_arena_block *head;   /* current block; older blocks chain behind */
	size_t block_size;       /* size of ordinary blocks */
} qes_arena;

void qes__arena_init(qes_arena *a, size_t block_size);
void *qes__arena_alloc(qes_arena *a, size_t n);          /* 16-byte aligned */
char *qes__arena_strndup(qes_arena *a, const char *s, size_t n);
char *qes__arena_strdup(qes_arena *a, const char *s);
char *qes__arena_printf(qes_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Keeps the first block for reuse, frees the rest. */
void qes__arena_reset(qes_arena *a);
void qes__arena_free(qes_arena *a);

#endif
