/* arena.c: bump allocation in blocks; see arena.h. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qes_arena_block {
	qes_arena_block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

void qes__arena_init(qes_arena *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : 64 * 1024;
}

static qes_arena_block *new_block(size_t size)
{
	qes_arena_block *b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

void *qes__arena_alloc(qes_arena *a, size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;
	if (need < n)
		return NULL;
	qes_arena_block *b = a->head;
	if (!b || b->size - b->used < need) {
		/* An oversized request gets a block of its own, placed behind the
		 * current one so the current block's free space is not wasted. */
		size_t size = need > a->block_size ? need : a->block_size;
		qes_arena_block *nb = new_block(size);
		if (!nb)
			return NULL;
		if (b && need > a->block_size) {
			nb->next = b->next;
			b->next = nb;
			nb->used = need;
			return nb->data;
		}
		nb->next = b;
		a->head = b = nb;
	}
	void *p = b->data + b->used;
	b->used += need;
	return p;
}

char *qes__arena_strndup(qes_arena *a, const char *s, size_t n)
{
	char *p = qes__arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *qes__arena_strdup(qes_arena *a, const char *s)
{
	return qes__arena_strndup(a, s, strlen(s));
}

char *qes__arena_printf(qes_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = qes__arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void qes__arena_reset(qes_arena *a)
{
	qes_arena_block *b = a->head;
	if (!b)
		return;
	/* Keep the oldest ordinary block: it is the one a steady stream of
	 * records of ordinary size keeps reusing. */
	qes_arena_block *keep = NULL;
	while (b) {
		qes_arena_block *next = b->next;
		if (!keep && b->size == a->block_size)
			keep = b;
		else
			free(b);
		b = next;
	}
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
}

void qes__arena_free(qes_arena *a)
{
	qes_arena_block *b = a->head;
	while (b) {
		qes_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}
