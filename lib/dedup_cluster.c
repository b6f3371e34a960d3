/* dedup_cluster.c: clusters that cannot chain two different works.
 *
 * Plain transitive closure would let A~B and B~C put A and C together even
 * when A and C have different DOIs (an erratum, a companion paper). Each
 * cluster therefore carries its DOI and the list of records it must never
 * hold together with; a join that would break either is refused. A DOI
 * that names another journal than its own record's does not count. */
#include "dedup_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct apart_list {
	size_t *items;
	size_t n, alloc;
} apart_list;

struct qes__dd_uf {
	size_t *parent, *size;
	const char **doi;      /* the cluster's DOI (of the root), NULL if none */
	apart_list *apart;     /* per root: records never to join */
	size_t n;
};

qes__dd_uf *qes__dd_uf_new(const qes__dd_rec *recs, size_t n)
{
	qes__dd_uf *u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	size_t m = n ? n : 1;
	u->parent = malloc(m * sizeof(size_t));
	u->size = malloc(m * sizeof(size_t));
	u->doi = malloc(m * sizeof(char *));
	u->apart = calloc(m, sizeof(apart_list));
	u->n = n;
	if (!u->parent || !u->size || !u->doi || !u->apart) {
		qes__dd_uf_free(u);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		u->parent[i] = i;
		u->size[i] = 1;
		/* A DOI naming another journal than its record's is no
		 * constraint: the record may join the cluster of its work. */
		u->doi[i] = recs[i].flags & QES__DD_DOI_MISFIT ? NULL : recs[i].doi;
	}
	return u;
}

void qes__dd_uf_free(qes__dd_uf *u)
{
	if (!u)
		return;
	if (u->apart)
		for (size_t i = 0; i < u->n; i++)
			free(u->apart[i].items);
	free(u->apart);
	free(u->parent);
	free(u->size);
	free(u->doi);
	free(u);
}

size_t qes__dd_uf_find(qes__dd_uf *u, size_t i)
{
	size_t r = i;
	while (u->parent[r] != r)
		r = u->parent[r];
	while (u->parent[i] != r) {   /* path compression */
		size_t next = u->parent[i];
		u->parent[i] = r;
		i = next;
	}
	return r;
}

static int push(apart_list *l, size_t v)
{
	if (l->n == l->alloc) {
		size_t na = l->alloc ? l->alloc * 2 : 4;
		size_t *g = realloc(l->items, na * sizeof(*g));
		if (!g)
			return QES_ENOMEM;
		l->items = g;
		l->alloc = na;
	}
	l->items[l->n++] = v;
	return 0;
}

int qes__dd_uf_apart(qes__dd_uf *u, size_t i, size_t j)
{
	size_t ri = qes__dd_uf_find(u, i), rj = qes__dd_uf_find(u, j);
	if (push(&u->apart[ri], j) || push(&u->apart[rj], i))
		return QES_ENOMEM;
	return 0;
}

/* 1 when root a's list names a record now in cluster b. */
static int forbids(qes__dd_uf *u, size_t a, size_t b)
{
	apart_list *l = &u->apart[a];
	for (size_t k = 0; k < l->n; k++)
		if (qes__dd_uf_find(u, l->items[k]) == b)
			return 1;
	return 0;
}

int qes__dd_uf_join(qes__dd_uf *u, size_t i, size_t j, int force)
{
	size_t a = qes__dd_uf_find(u, i), b = qes__dd_uf_find(u, j);
	if (a == b)
		return 1;
	if (!force) {
		if (u->doi[a] && u->doi[b] && strcmp(u->doi[a], u->doi[b]))
			return 0;
		if (u->apart[a].n <= u->apart[b].n ? forbids(u, a, b) : forbids(u, b, a))
			return 0;
	}
	if (u->size[a] < u->size[b]) {
		size_t t = a;
		a = b;
		b = t;
	}
	/* b joins a: its constraints come along. */
	apart_list *la = &u->apart[a], *lb = &u->apart[b];
	for (size_t k = 0; k < lb->n; k++)
		if (push(la, lb->items[k]))
			return QES_ENOMEM;
	free(lb->items);
	memset(lb, 0, sizeof(*lb));
	u->parent[b] = a;
	u->size[a] += u->size[b];
	if (!u->doi[a])
		u->doi[a] = u->doi[b];
	return 1;
}
