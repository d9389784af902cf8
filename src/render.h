/* render.h: the render stage. Turns the model into files, through templates,
 * handing every byte to the write stage. Renderers read no input files and
 * decide no paths outside the output tree. */
#ifndef MG_RENDER_H
#define MG_RENDER_H

#include <stdbool.h>

#include "diag.h"
#include "model.h"
#include "out.h"
#include "tpl.h"

struct render_memo;

struct render {
	const struct model *m;
	tpl_engine *tpl;
	struct out *out;
	struct diag *diag;
	/* What many pages render alike, kept by one worker for the whole
	 * build (render_memo_new); NULL: everything is rendered afresh, which
	 * only the site's guide pages may not do (site.h). */
	struct render_memo *memo;
};

/* A worker's memo: texts that depend on the model alone (the drawing of
 * a profile's QR code) under keys their renderer makes up, and each
 * locale's UI strings as a tpl_vars. The model is immutable, so a kept
 * text is what rendering it again would give. One per thread:
 * it takes no lock. Free with render_memo_free, after the dictionaries
 * the UI strings went into and before the model. */
struct render_memo *render_memo_new(void);
void render_memo_free(struct render_memo *memo);
/* True when `key` is kept, with its text (NULL: rendering it failed) and
 * number. */
bool render_memo_get(const struct render *r, const char *key, const char **text, long *n);
/* Keeps `text` (taken; NULL for a failure) and `n` under `key`; returns
 * the kept text, which lives as long as the memo. Needs r->memo. */
const char *render_memo_keep(struct render *r, const char *key, char *text, long n);

/* A UI string of `loc` (or the default locale); reports an error naming the
 * strings file and returns "" when neither defines `key`. */
const char *render_string(struct render *r, const struct model_locale *loc, const char *key);

/* Sets every UI string of `loc` as S_<key> in `d`, the default locale's
 * where `loc` has none, so a missing translation shows the default text. */
void render_strings(struct render *r, tpl_dict *d, const struct model_locale *loc);

/* Fills section `section` of `d` with one row per server of `p` (incoming
 * first, each list in order of preference), labels in `loc`'s language. */
void render_server_rows(struct render *r, tpl_dict *d, const char *section,
			const struct model_product *p, const struct model_locale *loc);

/* The localized label of a server's security, authentication, login form
 * and protocol ("SSL/TLS", "Normal password", ...). */
const char *render_security(struct render *r, const struct model_locale *loc,
			    enum model_security s);
const char *render_auth(struct render *r, const struct model_locale *loc, enum model_auth a);
/* All of a server's authentication methods in order of preference, joined
 * by the UI string auth_or ("OAuth2 or Normal password"). Caller frees. */
char *render_auths(struct render *r, const struct model_locale *loc, const struct model_server *s);
const char *render_login(struct render *r, const struct model_locale *loc, enum model_login l);
/* A host or login pattern as a reader reads it: each placeholder becomes
 * the UI string pattern_address, pattern_localpart or pattern_domain in
 * angle brackets ("mail.<your domain>"). Caller frees. */
char *render_pattern(struct render *r, const struct model_locale *loc, const char *pattern);
/* A server's host as pages show it (a pattern made readable), and its
 * login: the label of address or local part, or the readable pattern.
 * Caller frees. */
char *render_host(struct render *r, const struct model_locale *loc, const struct model_server *s);
char *render_login_of(struct render *r, const struct model_locale *loc,
		      const struct model_server *s);
const char *render_protocol(struct render *r, const struct model_locale *loc,
			    enum model_protocol p);

#endif
