/* sign.h: CMS SignedData (PKCS #7) in DER over a generated file, as Apple
 * devices expect of a signed configuration profile. libcrypto does the
 * work; this module only loads the PEM inputs and reports problems. */
#ifndef MG_SIGN_H
#define MG_SIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "util.h"

/* The signer: PEM files. `chain` (optional, NULL when absent) holds the
 * intermediate certificates to embed, one or more in one file. */
struct sign_opts {
	const char *certificate;
	const char *key;
	const char *chain;
};

/* True when a certificate or key was given (then both are required). */
bool sign_wanted(const struct sign_opts *s);

/* Loaded signer; free with sign_free. */
struct signer;

/* Loads and checks the PEM files (the key must match the certificate).
 * Reports each problem naming the file and returns NULL. */
struct signer *sign_load(const struct sign_opts *s, struct diag *d);
void sign_free(struct signer *sg);

/* The signer for Apple profiles: the command line's `cli` if given, else
 * the site's (site.yaml signing:), else none. Sets *signer to NULL when
 * nothing signs; returns false after reporting a file that cannot be
 * used. */
struct model_signing;
bool sign_choose(const struct sign_opts *cli, const struct model_signing *site,
		 struct signer **signer, struct diag *d);

/* Appends to `out` the DER of a CMS SignedData holding `data` (attached,
 * binary: no MIME canonicalisation). Returns false after reporting. */
bool sign_cms(struct signer *sg, const void *data, size_t len, struct buf *out, struct diag *d);

#endif
