/* strmap.c: open addressing with linear probing, FNV-1a hashes. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct strmap_slot {
	char *key; /* NULL: empty */
	uint64_t hash;
	void *value;
};

static uint64_t S_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct strmap_slot *S_find(const struct strmap *m, const char *key, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);
	while (m->slots[i].key && (m->slots[i].hash != h || strcmp(m->slots[i].key, key) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static void S_grow(struct strmap *m)
{
	struct strmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*S_find(m, old.slots[i].key, old.slots[i].hash) = old.slots[i];
	free(old.slots);
}

bool strmap_put(struct strmap *m, const char *key, void *value)
{
	if ((m->n + 1) * 2 > m->cap)
		S_grow(m);
	uint64_t h = S_hash(key);
	struct strmap_slot *s = S_find(m, key, h);
	if (s->key) {
		s->value = value;
		return false;
	}
	*s = (struct strmap_slot){xstrdup(key), h, value};
	m->n++;
	return true;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	if (m->n == 0)
		return NULL;
	uint64_t h = S_hash(key);
	return S_find(m, key, h)->value;
}

void strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	*m = (struct strmap){0};
}
