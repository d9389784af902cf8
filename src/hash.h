/* hash.h: a fast 128-bit hash for telling whether something changed between
 * two builds on one machine (incremental keys, guide texts). Speed matters
 * (every guide is hashed on a full build) and there is no adversary: it is
 * not a cryptographic hash. Every item is length-prefixed, so ("ab","c")
 * and ("a","bc") differ. */
#ifndef MG_HASH_H
#define MG_HASH_H

#include <stddef.h>
#include <stdint.h>

struct hash128 {
	uint64_t a, b;
};

/* The state every hash starts from. */
struct hash128 hash128_init(void);
void hash128_bytes(struct hash128 *h, const void *data, size_t n);
void hash128_str(struct hash128 *h, const char *s); /* NULL differs from "" */
void hash128_num(struct hash128 *h, uint64_t v);
/* The digest as 32 lower-case hex digits. */
void hash128_hex(const struct hash128 *h, char out[33]);
/* The digest as two numbers (what hash128_hex spells). */
struct hash128 hash128_final(const struct hash128 *h);

#endif
