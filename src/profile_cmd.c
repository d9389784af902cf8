/* profile_cmd.c: `mailguide profile`: load the content, render one
 * profile for one address through the templates (profiles.c), sign it when
 * asked, write it. */
#define _GNU_SOURCE
#include "profile_cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "out.h"
#include "profiles.h"
#include "sign.h"
#include "tpl.h"
#include "util.h"

/* Writes `b` to `file` through a temporary file beside it and a rename, so
 * a reader never sees half a profile; "-" or NULL is standard output. */
static bool S_write_file(const char *file, const struct buf *b, struct diag *d)
{
	if (file == NULL || strcmp(file, "-") == 0) {
		bool ok = fwrite(b->data, 1, b->len, stdout) == b->len && fflush(stdout) == 0;
		if (!ok)
			diag_error(d, "<stdout>", 0, 0, "cannot write: %s", strerror(errno));
		return ok;
	}
	int err = out_write_file(file, b->data, b->len, true);
	if (err)
		diag_error(d, file, 0, 0, "cannot write: %s", strerror(err));
	return err == 0;
}

int profile_cmd_run(const struct build_opts *opts, const struct profile_opts *po, struct diag *d)
{
	if (sign_wanted(&opts->sign) && po->client != CLIENT_APPLE) {
		fprintf(stderr, "mailguide profile: --sign-* apply to --client apple only\n");
		return 2;
	}
	struct model *m = load_content(opts->content, d);
	if (m == NULL) {
		diag_flush(d);
		return 1;
	}
	int rc = 2;
	struct signer *signer = NULL;
	tpl_engine *tpl = NULL;
	struct buf b = {0};
	const struct model_product *p = model_product_find(m, po->product);
	const struct model_locale *loc =
		po->locale ? model_locale_find(m, po->locale) : m->site.default_locale;
	const char *why = p ? profiles_email_check(p, po->email) : NULL;
	if (p == NULL) {
		fprintf(stderr, "mailguide profile: no product '%s' in the server table; products:",
			po->product);
		for (size_t i = 0; i < m->n_providers; i++)
			for (size_t j = 0; j < m->providers[i].n_products; j++)
				fprintf(stderr, " %s", m->providers[i].products[j].id);
		fputc('\n', stderr);
	} else if (loc == NULL) {
		fprintf(stderr, "mailguide profile: '%s' is not one of the site's locales\n",
			po->locale);
	} else if (why != NULL) {
		fprintf(stderr, "mailguide profile: '%s' cannot be used as an address: %s",
			po->email, why);
		for (size_t i = 0; !p->any_domain && i < p->n_domains; i++)
			fprintf(stderr, "%s%s", i ? ", " : " (it serves ", p->domains[i]);
		fprintf(stderr, "%s\n", p->any_domain ? "" : ")");
	} else {
		rc = 1;
		tpl = tpl_engine_new(opts->templates);
		struct render r = {.m = m, .tpl = tpl, .out = NULL, .diag = d};
		struct profile_req q = {.product = p,
					.client = po->client,
					.locale = loc,
					.email = po->email,
					.name = po->name};
		bool ok = (po->client != CLIENT_APPLE ||
			   sign_choose(&opts->sign, &m->site.signing, &signer, d)) &&
			  profiles_render(&r, &q, &b);
		if (ok && signer != NULL) {
			struct buf s = {0};
			ok = sign_cms(signer, b.data, b.len, &s, d);
			buf_free(&b);
			b = s;
		}
		if (ok && d->errors == 0 && S_write_file(po->file, &b, d))
			rc = 0;
	}
	diag_flush(d);
	buf_free(&b);
	sign_free(signer);
	tpl_engine_free(tpl);
	model_free(m);
	return rc;
}
