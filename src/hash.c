/* hash.c: 64-bit multiply-rotate lanes over 8-byte words (see hash.h). */
#include "hash.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static inline uint64_t S_rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline void S_word(struct hash128 *h, uint64_t w)
{
	h->a = S_rotl(h->a ^ w, 29) * 0x9E3779B97F4A7C15ull;
	h->b = (S_rotl(h->b + w, 31) * 0xC2B2AE3D27D4EB4Full) ^ (h->a >> 17);
}

struct hash128 hash128_init(void)
{
	return (struct hash128){0x6d61696c67756964ull, 0x6275696c64206b65ull};
}

void hash128_bytes(struct hash128 *h, const void *data, size_t n)
{
	const unsigned char *p = data;
	S_word(h, (uint64_t)n ^ 0xA5A5A5A5A5A5A5A5ull);
	/* Long texts in four lanes over 32-byte blocks, whose multiplies do
	 * not wait for each other; each step is a bijection of the lane, so a
	 * change in any one word always shows. */
	if (n >= 32) {
		uint64_t v[4] = {h->a, h->b, ~h->a, ~h->b};
		for (; n >= 32; p += 32, n -= 32)
			for (int i = 0; i < 4; i++) {
				uint64_t w;
				memcpy(&w, p + 8 * i, 8);
				v[i] = S_rotl(v[i] ^ w, 29) * 0x9E3779B97F4A7C15ull;
			}
		for (int i = 0; i < 4; i++)
			S_word(h, v[i]);
	}
	for (; n >= 8; p += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		S_word(h, w);
	}
	uint64_t w = 0;
	memcpy(&w, p, n);
	S_word(h, w);
}

void hash128_str(struct hash128 *h, const char *s)
{
	hash128_bytes(h, s ? s : "\xff", s ? strlen(s) : 1);
}

void hash128_num(struct hash128 *h, uint64_t v) { S_word(h, v ^ 0x5bd1e9955bd1e995ull); }

struct hash128 hash128_final(const struct hash128 *h)
{
	return (struct hash128){h->a ^ S_rotl(h->b, 23),
				h->b ^ S_rotl(h->a * 0xFF51AFD7ED558CCDull, 41)};
}

void hash128_hex(const struct hash128 *h, char out[33])
{
	struct hash128 f = hash128_final(h);
	snprintf(out, 33, "%016" PRIx64 "%016" PRIx64, f.a, f.b);
}
