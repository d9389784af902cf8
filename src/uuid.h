/* uuid.h: name-based UUIDs (RFC 9562 version 5, SHA-1), so that a profile
 * generated twice from the same table carries the same identifiers and a
 * reinstall replaces the profile instead of adding a second copy. */
#ifndef MG_UUID_H
#define MG_UUID_H

#include <stdbool.h>

/* The RFC's name space for URLs, 6ba7b811-9dad-11d1-80b4-00c04fd430c8:
 * mailguide names payloads "mailguide:<provider>/<product>/<payload>[/<address>]". */
extern const unsigned char uuid_ns_url[16];

/* Writes the canonical upper-case form (36 characters and a NUL) of the
 * version 5 UUID of `name` in `ns` into out. */
void uuid_v5(const unsigned char ns[16], const char *name, char out[37]);

#endif
