/* uuid.c: version 5 UUIDs; the SHA-1 comes from libcrypto. */
#include "uuid.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const unsigned char uuid_ns_url[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
				       0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

void uuid_v5(const unsigned char ns[16], const char *name, char out[37])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	/* SHA-1 cannot fail on memory input; a NULL context is out of memory. */
	if (ctx == NULL || !EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) ||
	    !EVP_DigestUpdate(ctx, ns, 16) || !EVP_DigestUpdate(ctx, name, strlen(name)) ||
	    !EVP_DigestFinal_ex(ctx, md, &mdlen)) {
		fprintf(stderr, "mailguide: SHA-1 unavailable in libcrypto\n");
		abort();
	}
	EVP_MD_CTX_free(ctx);
	/* RFC 9562 5.5: the first 16 bytes, version 5 in the high nibble of
	 * byte 6, the variant 10xx in the high bits of byte 8. */
	md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);
	md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[md[i] >> 4];
		out[o++] = hex[md[i] & 15];
	}
	out[o] = '\0';
}
