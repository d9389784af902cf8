/* sign.c: CMS signing with libcrypto, the equivalent of
 *   openssl cms -sign -binary -nodetach -outform DER -signer C -inkey K -certfile CHAIN */
#include "sign.h"

#include <stdlib.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "model.h"

struct signer {
	X509 *cert;
	EVP_PKEY *key;
	STACK_OF(X509) * chain;
};

bool sign_wanted(const struct sign_opts *s)
{
	return s != NULL && (s->certificate != NULL || s->key != NULL);
}

/* The last libcrypto error as text, for messages. */
static const char *S_ssl_error(char *buf, size_t n)
{
	unsigned long e = ERR_peek_last_error();
	if (e == 0)
		return "no PEM data found";
	ERR_error_string_n(e, buf, n);
	ERR_clear_error();
	return buf;
}

static BIO *S_open(const char *path, struct diag *d)
{
	BIO *b = BIO_new_file(path, "rb");
	if (b == NULL) {
		char e[256];
		diag_error(d, path, 0, 0, "cannot read: %s", S_ssl_error(e, sizeof e));
	}
	return b;
}

struct signer *sign_load(const struct sign_opts *s, struct diag *d)
{
	char e[256];
	if (s->certificate == NULL || s->key == NULL) {
		diag_error(d, s->certificate ? s->certificate : s->key, 0, 0,
			   "signing needs both a certificate and its private key");
		return NULL;
	}
	struct signer *sg = xcalloc(1, sizeof *sg);
	BIO *b = S_open(s->certificate, d);
	if (b == NULL)
		goto error;
	sg->cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	if (sg->cert == NULL) {
		diag_error(d, s->certificate, 0, 0, "not a PEM certificate: %s",
			   S_ssl_error(e, sizeof e));
		goto error;
	}
	if ((b = S_open(s->key, d)) == NULL)
		goto error;
	sg->key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	if (sg->key == NULL) {
		diag_error(d, s->key, 0, 0, "not an unencrypted PEM private key: %s",
			   S_ssl_error(e, sizeof e));
		goto error;
	}
	if (X509_check_private_key(sg->cert, sg->key) != 1) {
		ERR_clear_error();
		diag_error(d, s->key, 0, 0, "this key does not belong to the certificate %s",
			   s->certificate);
		goto error;
	}
	sg->chain = sk_X509_new_null();
	if (s->chain != NULL) {
		if ((b = S_open(s->chain, d)) == NULL)
			goto error;
		X509 *x;
		while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL)
			sk_X509_push(sg->chain, x);
		BIO_free(b);
		/* Reading stops with "no start line" at the end of the file. */
		ERR_clear_error();
		if (sk_X509_num(sg->chain) == 0) {
			diag_error(d, s->chain, 0, 0, "no PEM certificate in the chain file");
			goto error;
		}
	}
	return sg;
error:
	sign_free(sg);
	return NULL;
}

void sign_free(struct signer *sg)
{
	if (sg == NULL)
		return;
	X509_free(sg->cert);
	EVP_PKEY_free(sg->key);
	sk_X509_pop_free(sg->chain, X509_free);
	free(sg);
}

bool sign_cms(struct signer *sg, const void *data, size_t len, struct buf *out, struct diag *d)
{
	char e[256];
	bool ok = false;
	BIO *in = BIO_new_mem_buf(data, (int)len);
	BIO *mem = BIO_new(BIO_s_mem());
	CMS_ContentInfo *cms = NULL;
	if (in == NULL || mem == NULL)
		goto done;
	cms = CMS_sign(sg->cert, sg->key, sg->chain, in, CMS_BINARY);
	if (cms == NULL || i2d_CMS_bio(mem, cms) != 1)
		goto done;
	char *p;
	long n = BIO_get_mem_data(mem, &p);
	buf_put(out, p, (size_t)n);
	ok = true;
done:
	if (!ok)
		diag_error(d, NULL, 0, 0, "CMS signing failed: %s", S_ssl_error(e, sizeof e));
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	BIO_free(mem);
	return ok;
}

bool sign_choose(const struct sign_opts *cli, const struct model_signing *site,
		 struct signer **signer, struct diag *d)
{
	struct sign_opts s = {site->certificate, site->key, site->chain};
	if (sign_wanted(cli))
		s = *cli;
	*signer = NULL;
	if (!sign_wanted(&s))
		return true;
	*signer = sign_load(&s, d);
	return *signer != NULL;
}
