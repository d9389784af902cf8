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

struct render {
	const struct model *m;
	tpl_engine *tpl;
	struct out *out;
	struct diag *diag;
};

/* A UI string of `loc` (or the default locale); reports an error naming the
 * strings file and returns "" when neither defines `key`. */
const char *render_string(struct render *r, const struct model_locale *loc, const char *key);

/* Sets every UI string of `loc` as S_<key> in `d`, default locale first so a
 * missing translation shows the default text. */
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
