/* strmap.h: a hash map from strings to a pointer-sized value, for the
 * build's file tables (thousands of output paths looked up by name).
 * Keys are copied (unless borrowed); values are the caller's.
 * Zero-initialised is empty; strmap_free releases it. */
#ifndef MG_STRMAP_H
#define MG_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct strmap_slot;
struct strmap {
	struct strmap_slot *slots;
	size_t n, cap;
	bool borrowed; /* set before the first put: keys are the caller's, who
			* keeps each alive and unchanged while the map has it */
};

/* Sets `key` to `value`; returns false when the key was there already
 * (its value is then replaced). */
bool strmap_put(struct strmap *m, const char *key, void *value);
/* The value of `key`, or NULL when absent. */
void *strmap_get(const struct strmap *m, const char *key);
/* Puts its n keys into keys[0..n), in no particular order. */
void strmap_keys(const struct strmap *m, const char **keys);
void strmap_free(struct strmap *m);

#endif
