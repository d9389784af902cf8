/* mdarena.c: see mdarena.h. Blocks are carved from chunks obtained with
 * malloc, each after a header holding its size (cmark's realloc does not say
 * the old size). The last block of the current chunk can grow in place and
 * be given back, since cmark's buffers grow and shrink at their end; any
 * other free is a no-op until the arena goes. Under AddressSanitizer what
 * is not handed out (gaps between blocks, freed blocks) is poisoned, so the
 * sanitizer still sees reads past a node or after its free. */
#include "mdarena.h"

#include <assert.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) && !defined(__SANITIZE_ADDRESS__)
#define __SANITIZE_ADDRESS__ 1
#endif
#endif
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#define S_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define S_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#define S_GAP 32 /* poisoned bytes after each block */
#else
#define S_POISON(p, n) ((void)(p), (void)(n))
#define S_UNPOISON(p, n) ((void)(p), (void)(n))
#define S_GAP 0
#endif

enum { S_ALIGN = alignof(max_align_t), S_FIRST = 64 * 1024, S_MAX_CHUNK = 1024 * 1024 };

struct S_chunk {
	struct S_chunk *prev;
	size_t size; /* bytes after this header */
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

/* What precedes each block. */
struct S_head {
	size_t size;
	alignas(max_align_t) unsigned char data[];
};

struct mdarena {
	struct S_chunk *chunk; /* the current one; older ones behind ->prev */
	struct S_head *last;   /* the block at the end of the current chunk */
	size_t next_size;      /* of the next chunk */
	cmark_mem mem;
};

static _Thread_local struct mdarena *S_current;

static size_t S_round(size_t n) { return (n + S_ALIGN - 1) & ~(size_t)(S_ALIGN - 1); }

/* Room for a block of n bytes with its header and gap, or 0 on overflow. */
static size_t S_need(size_t n)
{
	if (n > SIZE_MAX / 2)
		return 0;
	return sizeof(struct S_head) + S_round(n) + S_GAP;
}

static void S_new_chunk(struct mdarena *a, size_t need)
{
	size_t size = a->next_size;
	while (size < need)
		size *= 2;
	if (a->next_size < S_MAX_CHUNK)
		a->next_size *= 2;
	struct S_chunk *c = xmalloc(sizeof *c + size);
	c->prev = a->chunk;
	c->size = size;
	c->used = 0;
	S_POISON(c->data, size);
	a->chunk = c;
	a->last = NULL;
}

static void *S_alloc(struct mdarena *a, size_t n)
{
	size_t need = S_need(n);
	if (need == 0)
		abort(); /* as xmalloc does when memory runs out */
	if (a->chunk == NULL || a->chunk->size - a->chunk->used < need)
		S_new_chunk(a, need);
	struct S_head *h = (struct S_head *)(a->chunk->data + a->chunk->used);
	a->chunk->used += need;
	S_UNPOISON(h, sizeof *h + n);
	h->size = n;
	a->last = h;
	return h->data;
}

static struct S_head *S_head_of(void *p)
{
	return (struct S_head *)((unsigned char *)p - offsetof(struct S_head, data));
}

static void *S_calloc(size_t count, size_t size)
{
	assert(S_current != NULL);
	if (size != 0 && count > SIZE_MAX / size)
		abort();
	void *p = S_alloc(S_current, count * size);
	memset(p, 0, count * size);
	return p;
}

static void *S_realloc(void *p, size_t n)
{
	struct mdarena *a = S_current;
	assert(a != NULL);
	if (p == NULL)
		return S_alloc(a, n);
	struct S_head *h = S_head_of(p);
	if (h == a->last) {
		/* The last block grows (or shrinks) where it is when it fits. */
		size_t start = (size_t)((unsigned char *)h - a->chunk->data);
		size_t need = S_need(n);
		if (need != 0 && a->chunk->size - start >= need) {
			S_POISON(h->data, h->size);
			S_UNPOISON(h->data, n);
			a->chunk->used = start + need;
			h->size = n;
			return p;
		}
	}
	void *q = S_alloc(a, n);
	memcpy(q, p, h->size < n ? h->size : n);
	S_POISON(p, h->size);
	return q;
}

static void S_free(void *p)
{
	struct mdarena *a = S_current;
	assert(a != NULL);
	if (p == NULL)
		return;
	struct S_head *h = S_head_of(p);
	S_POISON(h->data, h->size);
	if (h == a->last) {
		a->chunk->used = (size_t)((unsigned char *)h - a->chunk->data);
		a->last = NULL;
	}
}

struct mdarena *mdarena_enter(cmark_mem **mem)
{
	assert(S_current == NULL); /* one tree per thread at a time */
	struct mdarena *a = xcalloc(1, sizeof *a);
	a->next_size = S_FIRST;
	a->mem = (cmark_mem){S_calloc, S_realloc, S_free};
	S_current = a;
	*mem = &a->mem;
	return a;
}

cmark_mem *mdarena_mem(void)
{
	assert(S_current != NULL);
	return &S_current->mem;
}

void mdarena_leave(struct mdarena *a)
{
	assert(S_current == a);
	while (a->chunk) {
		struct S_chunk *prev = a->chunk->prev;
		S_UNPOISON(a->chunk->data, a->chunk->size);
		free(a->chunk);
		a->chunk = prev;
	}
	free(a);
	S_current = NULL;
}
