/* strmap.c: open addressing with linear probing. Keys are output paths,
 * tens of bytes: they are hashed eight bytes at a time. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct strmap_slot {
	const char *key; /* NULL: empty */
	uint64_t hash;
	void *value;
};

static uint64_t S_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 29);
}

static uint64_t S_hash(const char *s)
{
	size_t len = strlen(s);
	uint64_t h = len * 0xC2B2AE3D27D4EB4Full, w;
	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = S_mix(h, w);
	}
	w = 0;
	memcpy(&w, s, len);
	h = S_mix(h, w);
	return h ^ (h >> 32);
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
	*s = (struct strmap_slot){m->borrowed ? key : xstrdup(key), h, value};
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

void strmap_keys(const struct strmap *m, const char **keys)
{
	for (size_t i = 0, k = 0; i < m->cap; i++)
		if (m->slots[i].key)
			keys[k++] = m->slots[i].key;
}

void strmap_free(struct strmap *m)
{
	for (size_t i = 0; !m->borrowed && i < m->cap; i++)
		free((char *)m->slots[i].key);
	free(m->slots);
	*m = (struct strmap){0};
}
