/* profiles.h: the profiles stage. Renders the ready-to-import client
 * profiles of every product (Apple .mobileconfig, Thunderbird autoconfig and
 * user.js, Outlook autodiscover, the Windows PowerShell helper) from the
 * model through templates/profiles/, each template in the escaping context
 * of its format.
 *
 * One client may not express everything the table says. The mapping:
 *   - Apple and user.js hold one incoming and one outgoing server: the
 *     first of the table that the client can use, in the table's order
 *     across protocols (a product listing POP3 first gets POP3), with the
 *     first of its authentication methods the client can use; Apple's only
 *     TLS switch, UseSSL, is on for ssl and for starttls.
 *   - Outlook (and the Windows script) hold one server per protocol.
 *   - The autoconfig file lists every server and every method in order.
 *   - A server none of whose methods the client can use is left out (a
 *     warning for the autoconfig file, at the server's table position). A
 *     client left without an incoming or an outgoing server gets no file
 *     for that product (one warning per product, at its position, naming
 *     the clients); the pages say to set that client up by hand. Only a
 *     product no client can serve is an error. */
#ifndef MG_PROFILES_H
#define MG_PROFILES_H

#include <stdbool.h>

#include "model.h"
#include "paths.h"
#include "render.h"
#include "sign.h"

/* One profile to render. */
struct profile_req {
	const struct model_product *product;
	enum paths_client client;
	const struct model_locale *locale;
	const char *email; /* NULL: the generic profile, for any user */
	const char *name;  /* the user's name for a personalized one, or NULL */
};

/* Renders one profile into `out` (bytes as they go to disk). A personalized
 * profile (email set; check it with profiles_email_check first) has the
 * address and the login filled in. Returns false after reporting. */
bool profiles_render(struct render *r, const struct profile_req *q, struct buf *out);

/* Writes every profile of every product in every locale to the paths of
 * paths_profile(), and the site-wide well-known copies for the first
 * product in the default locale (mail/config-v1.1.xml,
 * .well-known/autoconfig/mail/config-v1.1.xml, autodiscover/autodiscover.xml).
 * Apple profiles are signed when `signer` is not NULL. */
bool profiles_write_all(struct render *r, struct signer *signer);

/* NULL when client `c` gets a file for product `p`, one for anyone or, with
 * `personal`, one made for a known address; else why not (a static
 * sentence): the pages then say to set the client up by hand, or to make
 * the file with the address (a host pattern such as mail.%EMAILDOMAIN%
 * can be filled in only then, except by autoconfig and the Windows
 * script, which fill it in themselves). */
const char *profiles_unserved(const struct model_product *p, enum paths_client c, bool personal);

/* Checks that `email` is an address mailguide can write into every profile
 * format and that `p` serves its domain. Returns NULL when it is, else a
 * sentence saying why not (static or owned by nobody: do not free). */
const char *profiles_email_check(const struct model_product *p, const char *email);

/* In-page personalization (site.c, templates/assets/personalize.js): a guide
 * page's form loads each profile rendered for a stand-in reader (one script
 * per product and locale, site_render_personal), the address
 * PROFILES_STAND_IN_LOCAL "@" PROFILES_STAND_IN_DOMAIN and the name
 * PROFILES_STAND_IN_NAME (or none); the page's script replaces them with the
 * reader's, escaped for the format, and the UUIDs made from the stand-in
 * address with those made from the reader's. The tokens are lower-case
 * letters, which no format's escaping changes. */
#define PROFILES_STAND_IN_LOCAL "mgxstandinlocalx"
#define PROFILES_STAND_IN_DOMAIN "mgxstandindomainx"
#define PROFILES_STAND_IN_NAME "mgxstandinnamex"

/* The start of the names the UUIDs of a personalized profile of `p` are made
 * from: each is this + what ("profile", "mail", "address") + "/" + the
 * address, all in lower case (see S_uuid). Caller frees. */
char *profiles_uuid_prefix(const struct model_product *p);

#endif
