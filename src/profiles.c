/* profiles.c: the client profiles, from the model through templates/profiles/.
 *
 * Each format has one function that fills a dictionary; the template does
 * the escaping (XML for the plist and both autodiscover and autoconfig files,
 * JAVASCRIPT with :x-js-string for user.js, :x-ps-squote checked by
 * tpl_check_manual for PowerShell). Values are plain text here, never
 * escaped by hand. The PowerShell file is post-processed (BOM, CRLF) and the
 * Apple one optionally signed: both are byte-level steps on the result. */
#include "profiles.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "uuid.h"

/* ---- what each client can express -------------------------------------- */

/* One server as a client is given it: the entry and the one method it
 * uses, the first of the entry's that the client can use. */
struct pick {
	const struct model_server *s;
	enum model_auth auth;
};

/* The servers one client is given, in order of preference. */
struct sel {
	struct pick in[MODEL_MAX_SERVERS]; /* the loader's limit */
	size_t n_in;
	struct pick out[MODEL_MAX_SERVERS];
	size_t n_out;
};

static const char *S_client_label(enum paths_client c)
{
	switch (c) {
	case CLIENT_APPLE:
		return "Apple Mail (.mobileconfig)";
	case CLIENT_AUTOCONFIG:
		return "Thunderbird autoconfig";
	case CLIENT_THUNDERBIRD:
		return "Thunderbird user.js";
	case CLIENT_OUTLOOK:
		return "Outlook autodiscover";
	default:
		return "the Windows setup script";
	}
}

/* NULL when client `c` can log in with method `a` on a server of
 * `protocol`, else why not. */
static const char *S_auth_cannot(enum paths_client c, enum model_protocol protocol,
				 enum model_auth a)
{
	bool incoming = protocol != PROTO_SMTP;
	switch (c) {
	case CLIENT_APPLE:
		/* EmailAuthNone, Password, CRAMMD5, NTLM: no OAuth2 in a profile. */
		return a == AUTH_OAUTH2 ? "Apple Mail profiles have no OAuth2" : NULL;
	case CLIENT_THUNDERBIRD:
		/* authMethod 10 works only for the hosts Thunderbird has built-in
		 * OAuth2 settings for; a user.js cannot say which issuer to use. */
		if (a == AUTH_OAUTH2)
			return "a user.js cannot carry OAuth2 settings (the autoconfig file can)";
		/* fall through */
	case CLIENT_AUTOCONFIG:
		/* Thunderbird's reader accepts "none" for outgoing servers only. */
		return incoming && a == AUTH_NONE
			       ? "Thunderbird has no incoming server without authentication"
			       : NULL;
	default:
		/* Outlook: SPA (NTLM) on or off, i.e. NTLM or a plain password;
		 * authentication may be off for SMTP only. */
		if (a == AUTH_OAUTH2)
			return "Outlook autodiscover has no OAuth2 for IMAP, POP3 or SMTP";
		if (a == AUTH_ENCRYPTED)
			return "Outlook has no encrypted-password (CRAM-MD5)";
		return incoming && a == AUTH_NONE
			       ? "Outlook has no incoming server without authentication"
			       : NULL;
	}
}

/* The first of `s`'s methods that `c` can use, in the table's order of
 * preference; false, with the reason for the first method, when none. */
static bool S_usable(enum paths_client c, const struct model_server *s, enum model_auth *auth,
		     const char **why)
{
	const char *first = NULL;
	for (size_t i = 0; i < s->n_auths; i++) {
		const char *no = S_auth_cannot(c, s->protocol, s->auths[i]);
		if (no == NULL) {
			*auth = s->auths[i];
			return true;
		}
		if (first == NULL)
			first = no;
	}
	if (why)
		*why = first;
	return false;
}

/* Whether `c` takes one server of each direction (1), one per protocol (2)
 * or all of them (0). */
static int S_shape(enum paths_client c)
{
	if (c == CLIENT_APPLE || c == CLIENT_THUNDERBIRD)
		return 1;
	if (c == CLIENT_OUTLOOK || c == CLIENT_WINDOWS)
		return 2;
	return 0;
}

/* The servers of `list` that `c` is given. The list is in the table's order
 * of preference across protocols: a product that lists POP3 first gets POP3
 * in the one-server clients. `why` gets the reason the first server was
 * refused, for when none is left. */
static void S_pick(enum paths_client c, const struct model_server *list, size_t n, struct pick *out,
		   size_t *n_out, const char **why)
{
	int shape = S_shape(c);
	*n_out = 0;
	*why = NULL;
	for (size_t i = 0; i < n && *n_out < MODEL_MAX_SERVERS; i++) {
		enum model_auth auth;
		const char *no = NULL;
		if (!S_usable(c, &list[i], &auth, &no)) {
			if (*why == NULL)
				*why = no;
			continue;
		}
		bool dup = shape == 1 && *n_out > 0;
		for (size_t j = 0; shape == 2 && j < *n_out; j++)
			dup |= out[j].s->protocol == list[i].protocol;
		if (!dup)
			out[(*n_out)++] = (struct pick){&list[i], auth};
	}
}

/* Chooses the servers of `p` for `c`, for a file made for one address
 * (`personal`) or for anyone. Returns NULL when the client can serve the
 * product, else why not (a static sentence). */
static const char *S_select(const struct model_product *p, enum paths_client c, bool personal,
			    struct sel *sel)
{
	const char *why_in, *why_out;
	S_pick(c, p->incoming, p->n_incoming, sel->in, &sel->n_in, &why_in);
	S_pick(c, p->outgoing, p->n_outgoing, sel->out, &sel->n_out, &why_out);
	if (sel->n_in == 0)
		return why_in ? why_in : "it has no incoming server";
	if (sel->n_out == 0)
		return why_out ? why_out : "it has no outgoing server";
	/* Thunderbird fills in a host's placeholders, and the Windows script
	 * does for the autodiscover file it writes; the others have no way to. */
	bool fills = c == CLIENT_AUTOCONFIG || c == CLIENT_WINDOWS;
	for (size_t k = 0; !personal && !fills && k < sel->n_in + sel->n_out; k++)
		if ((k < sel->n_in ? sel->in[k].s : sel->out[k - sel->n_in].s)->host_is_pattern)
			return "its host depends on the address (a file made for one address, with "
			       "the page's form or mailguide profile --email, can name it)";
	return NULL;
}

const char *profiles_unserved(const struct model_product *p, enum paths_client c, bool personal)
{
	struct sel sel;
	return S_select(p, c, personal, &sel);
}

/* Reports, once per product, what the clients cannot take: each server
 * left out of the autoconfig file (the one client that lists them all), a
 * warning per client left without files (its pages say to set it up by
 * hand), and an error when no client at all can serve the product. */
static bool S_report(struct render *r, const struct model_product *p)
{
	const struct model_server *lists[2] = {p->incoming, p->outgoing};
	size_t ns[2] = {p->n_incoming, p->n_outgoing};
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < ns[k]; i++) {
			const struct model_server *s = &lists[k][i];
			enum model_auth auth;
			const char *why = NULL;
			if (!S_usable(CLIENT_AUTOCONFIG, s, &auth, &why))
				diag_warning(r->diag, s->pos.file, s->pos.line, s->pos.col,
					     "server left out of the %s profile of '%s': %s",
					     S_client_label(CLIENT_AUTOCONFIG), p->id, why);
		}
	int served = 0;
	struct buf b = {0};
	for (int c = 0; c < CLIENT_COUNT; c++) {
		const char *why = profiles_unserved(p, (enum paths_client)c, false);
		if (why == NULL)
			served++;
		else
			buf_printf(&b, "%s%s, as %s", b.len ? "; " : "",
				   S_client_label((enum paths_client)c), why);
	}
	if (served > 0 && b.len > 0)
		diag_warning(
			r->diag, p->pos.file, p->pos.line, p->pos.col,
			"product '%s' gets no file for %s. Its pages say to set these up by hand",
			p->id, buf_str(&b));
	buf_free(&b);
	if (served == 0)
		diag_error(r->diag, p->pos.file, p->pos.line, p->pos.col,
			   "no client can use product '%s': every client lacks an incoming or an "
			   "outgoing server it can log in to",
			   p->id);
	return served > 0;
}

/* ---- values shared by the formats --------------------------------------- */

/* Per-render scratch: strings made here die with the render. */
struct ctx {
	struct render *r;
	const struct profile_req *q;
	const struct model_product *p;
	const struct model_provider *prov;
	const struct model_locale *loc;
	struct arena a;
	const char *localpart; /* of q->email */
	const char *domain;    /* of q->email, lower case */
};

static const char *S_product_name(struct ctx *c) { return model_l10n(&c->p->name, c->loc); }

static const char *S_provider_name(struct ctx *c) { return model_l10n(&c->prov->name, c->loc); }

/* A UI string with {product}, {provider} and {email} replaced. */
static const char *S_text(struct ctx *c, const char *key)
{
	const char *s = render_string(c->r, c->loc, key);
	struct buf b = {0};
	while (*s) {
		const char *val = NULL;
		size_t skip = 0;
		if (strncmp(s, "{product}", 9) == 0)
			val = S_product_name(c), skip = 9;
		else if (strncmp(s, "{provider}", 10) == 0)
			val = S_provider_name(c), skip = 10;
		else if (strncmp(s, "{email}", 7) == 0)
			val = c->q->email ? c->q->email : "", skip = 7;
		if (val != NULL) {
			buf_puts(&b, val);
			s += skip;
		} else {
			buf_putc(&b, *s++);
		}
	}
	const char *out = arena_strdup(&c->a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* `pattern` filled in for the address of a personalized profile. */
static const char *S_fill(struct ctx *c, const char *pattern)
{
	char *v = model_fill(pattern, c->q->email);
	const char *out = arena_strdup(&c->a, v);
	free(v);
	return out;
}

/* The login a personalized profile fills in for server `s`. */
static const char *S_login(struct ctx *c, const struct model_server *s)
{
	return S_fill(c, s->login_pattern);
}

/* Thunderbird's placeholders for the login of `s` in a generic file. */
static const char *S_login_placeholder(const struct model_server *s) { return s->login_pattern; }

/* The host of `s`: filled in for a personalized profile; a generic one
 * keeps a pattern's placeholders (only autoconfig and the Windows script's
 * autodiscover get one: see S_select). */
static const char *S_host(struct ctx *c, const struct model_server *s)
{
	return c->q->email && s->host_is_pattern ? S_fill(c, s->host) : s->host;
}

/* "com.example" from "example.com". */
static const char *S_reverse_dns(struct ctx *c, const char *domain)
{
	struct buf b = {0};
	const char *end = domain + strlen(domain);
	while (end > domain) {
		const char *dot = end;
		while (dot > domain && dot[-1] != '.')
			dot--;
		if (b.len > 0)
			buf_putc(&b, '.');
		for (const char *q = dot; q < end; q++)
			buf_putc(&b, (char)tolower((unsigned char)*q));
		end = dot > domain ? dot - 1 : domain;
	}
	const char *out = arena_strdup(&c->a, buf_str(&b));
	buf_free(&b);
	return out;
}

/* The UUID of payload `what` of this product, the same for every locale
 * (so a profile in another language replaces, not duplicates) and, for a
 * personalized profile, distinct per address. */
char *profiles_uuid_prefix(const struct model_product *p)
{
	struct buf b = {0};
	buf_printf(&b, "mailguide:%s/%s/", p->provider->id, p->id);
	return buf_detach(&b);
}

/* personalize.js makes the same names (with profiles_uuid_prefix) for the
 * reader's address: a change here needs the same change there. */
static const char *S_uuid(struct ctx *c, const char *what)
{
	char *prefix = profiles_uuid_prefix(c->p);
	char *name = arena_printf(&c->a, "%s%s%s%s", prefix, what, c->q->email ? "/" : "",
				  c->q->email ? c->q->email : "");
	free(prefix);
	for (char *s = name; *s; s++)
		*s = (char)tolower((unsigned char)*s);
	char out[37];
	uuid_v5(uuid_ns_url, name, out);
	return arena_strdup(&c->a, out);
}

/* A key suffix for the address: 8 hex digits of its UUID. */
static const char *S_address_tag(struct ctx *c)
{
	const char *u = S_uuid(c, "address");
	char tag[9];
	for (int i = 0; i < 8; i++)
		tag[i] = (char)tolower((unsigned char)u[i]);
	tag[8] = '\0';
	return arena_strdup(&c->a, tag);
}

static void S_identity(struct ctx *c, tpl_dict *d, const char *section)
{
	if (c->q->email == NULL)
		return;
	tpl_dict *id = tpl_section(d, section);
	tpl_set(id, "EMAIL", c->q->email);
	if (c->q->name != NULL && c->q->name[0] != '\0') {
		tpl_dict *n = tpl_section(id, "FULL_NAME");
		tpl_set(n, "NAME", c->q->name);
	}
}

/* ---- Apple ----------------------------------------------------------------- */

static const char *S_apple_auth(enum model_auth a)
{
	switch (a) {
	case AUTH_ENCRYPTED:
		return "EmailAuthCRAMMD5";
	case AUTH_NTLM:
		return "EmailAuthNTLM";
	case AUTH_NONE:
		return "EmailAuthNone";
	default:
		return "EmailAuthPassword";
	}
}

static void S_apple(struct ctx *c, const struct sel *sel, tpl_dict *d)
{
	const struct model_server *in = sel->in[0].s, *out = sel->out[0].s;
	const char *ident = S_reverse_dns(c, c->prov->domain);
	ident = arena_printf(&c->a, "%s.mailguide.%s", ident, c->p->id);
	if (c->q->email != NULL)
		ident = arena_printf(&c->a, "%s.%s", ident, S_address_tag(c));
	tpl_set(d, "IDENTIFIER", ident);
	tpl_set(d, "MAIL_IDENTIFIER", arena_printf(&c->a, "%s.mail", ident));
	tpl_set(d, "UUID", S_uuid(c, "profile"));
	tpl_set(d, "MAIL_UUID", S_uuid(c, "mail"));
	tpl_set(d, "DISPLAY_NAME", S_text(c, "profile_title"));
	tpl_set(d, "DESCRIPTION",
		S_text(c, c->q->email ? "profile_description_personal" : "profile_description"));
	tpl_set(d, "ORGANIZATION", S_provider_name(c));
	tpl_set(d, "PAYLOAD_NAME", S_text(c, "profile_payload_name"));
	tpl_set(d, "PAYLOAD_DESCRIPTION", S_text(c, "profile_payload_description"));
	tpl_set(d, "ACCOUNT_DESCRIPTION", c->q->email ? c->q->email : S_product_name(c));
	tpl_set(d, "ACCOUNT_TYPE", in->protocol == PROTO_POP3 ? "EmailTypePOP" : "EmailTypeIMAP");
	tpl_set(d, "IN_AUTH", S_apple_auth(sel->in[0].auth));
	tpl_set(d, "IN_HOST", S_host(c, in));
	tpl_set_int(d, "IN_PORT", (long)in->port);
	/* UseSSL is Apple's one switch: on a non-TLS port Mail then uses
	 * STARTTLS, so starttls maps to it as well. */
	tpl_show(d, in->security == SEC_NONE ? "IN_PLAIN" : "IN_SSL");
	tpl_set(d, "OUT_AUTH", S_apple_auth(sel->out[0].auth));
	tpl_set(d, "OUT_HOST", S_host(c, out));
	tpl_set_int(d, "OUT_PORT", (long)out->port);
	tpl_show(d, out->security == SEC_NONE ? "OUT_PLAIN" : "OUT_SSL");
	if (c->q->email != NULL) {
		S_identity(c, d, "IDENTITY");
		tpl_set(d, "IN_LOGIN", S_login(c, in));
		tpl_set(d, "OUT_LOGIN", S_login(c, out));
	}
}

/* ---- Thunderbird ----------------------------------------------------------- */

static const char *S_tb_socket(enum model_security s)
{
	return s == SEC_SSL ? "SSL" : s == SEC_STARTTLS ? "STARTTLS" : "plain";
}

static const char *S_tb_auth(enum model_auth a)
{
	switch (a) {
	case AUTH_ENCRYPTED:
		return "password-encrypted";
	case AUTH_NTLM:
		return "NTLM";
	case AUTH_OAUTH2:
		return "OAuth2";
	case AUTH_NONE:
		return "none";
	default:
		return "password-cleartext";
	}
}

/* nsMsgSocketType: plain 0, alwaysSTARTTLS 2, SSL 3. */
static long S_tb_socket_int(enum model_security s)
{
	return s == SEC_SSL ? 3 : s == SEC_STARTTLS ? 2 : 0;
}

/* nsMsgAuthMethod: none 1, passwordCleartext 3, passwordEncrypted 4,
 * NTLM 6, OAuth2 10. */
static long S_tb_auth_int(enum model_auth a)
{
	switch (a) {
	case AUTH_ENCRYPTED:
		return 4;
	case AUTH_NTLM:
		return 6;
	case AUTH_OAUTH2:
		return 10;
	case AUTH_NONE:
		return 1;
	default:
		return 3;
	}
}

/* The POP3 defaults the table gives for a server, for autoconfig's <pop3>
 * and user.js (both write true, false and numbers alike). */
static void S_pop3(tpl_dict *sd, const struct model_pop3 *p)
{
	if (p->leave_on_server < 0 && p->days_on_server < 0 && p->download_on_biff < 0)
		return;
	tpl_dict *pd = tpl_section(sd, "POP3");
	if (p->leave_on_server >= 0)
		tpl_set(tpl_section(pd, "LEAVE"), "VALUE", p->leave_on_server ? "true" : "false");
	if (p->days_on_server >= 0)
		tpl_set_int(tpl_section(pd, "DAYS"), "VALUE", p->days_on_server);
	if (p->download_on_biff >= 0)
		tpl_set(tpl_section(pd, "BIFF"), "VALUE", p->download_on_biff ? "true" : "false");
}

static void S_autoconfig_server(struct ctx *c, tpl_dict *d, const char *section,
				const struct model_server *s)
{
	tpl_dict *sd = tpl_section(d, section);
	tpl_set(sd, "TYPE", model_protocol_name(s->protocol));
	tpl_set(sd, "HOST", S_host(c, s));
	tpl_set_int(sd, "PORT", (long)s->port);
	tpl_set(sd, "SOCKET", S_tb_socket(s->security));
	/* Every method Thunderbird can use, in order: it takes the first it
	 * supports (OAuth2 only for hosts it has OAuth2 settings for). */
	for (size_t i = 0; i < s->n_auths; i++)
		if (S_auth_cannot(CLIENT_AUTOCONFIG, s->protocol, s->auths[i]) == NULL)
			tpl_set(tpl_section(sd, "AUTH"), "NAME", S_tb_auth(s->auths[i]));
	const char *login = c->q->email ? S_login(c, s) : S_login_placeholder(s);
	tpl_set(sd, "LOGIN", login);
	if (s->auths[0] != AUTH_NONE)
		tpl_set(tpl_section(sd, "HAS_LOGIN"), "LOGIN", login);
	S_pop3(sd, &s->pop3);
}

static void S_autoconfig(struct ctx *c, const struct sel *sel, tpl_dict *d)
{
	const struct model_site *site = &c->r->m->site;
	tpl_set(d, "PROVIDER_ID", c->prov->domain);
	/* Thunderbird needs at least one real domain; a product for any domain
	 * names its provider's. A personalized file names the address's first. */
	if (c->domain != NULL)
		tpl_set(tpl_section(d, "DOMAIN"), "NAME", c->domain);
	if (c->p->any_domain && c->domain == NULL)
		tpl_set(tpl_section(d, "DOMAIN"), "NAME", c->prov->domain);
	for (size_t i = 0; !c->p->any_domain && i < c->p->n_domains; i++)
		if (c->domain == NULL || strcasecmp(c->domain, c->p->domains[i]) != 0)
			tpl_set(tpl_section(d, "DOMAIN"), "NAME", c->p->domains[i]);
	tpl_set(d, "DISPLAY_NAME",
		c->p->display_name
			? c->p->display_name
			: arena_printf(&c->a, "%s (%s)", S_product_name(c), S_provider_name(c)));
	tpl_set(d, "SHORT_NAME", c->p->short_name ? c->p->short_name : S_product_name(c));
	/* The table's own documentation links first, as given. */
	for (size_t i = 0; i < c->p->n_docs; i++) {
		const struct model_doc *doc = &c->p->docs[i];
		tpl_dict *td = tpl_section(d, "TDOC");
		tpl_set(td, "URL", doc->url);
		for (size_t k = 0; k < doc->n_descr; k++) {
			tpl_dict *dd = tpl_section(td, "DESCR");
			tpl_set(dd, "LANG", doc->descr[k].key);
			tpl_set(dd, "TEXT", doc->descr[k].value);
		}
	}
	if (c->prov->webmail_url)
		tpl_set(tpl_section(d, "WEBMAIL"), "URL", c->prov->webmail_url);
	if (c->p->oauth2) {
		tpl_dict *od = tpl_section(d, "OAUTH2");
		tpl_set(od, "ISSUER", c->p->oauth2->issuer);
		tpl_set(od, "SCOPE", c->p->oauth2->scope);
		tpl_set(od, "AUTH_URL", c->p->oauth2->auth_url);
		tpl_set(od, "TOKEN_URL", c->p->oauth2->token_url);
	}
	for (size_t i = 0; i < sel->n_in; i++)
		S_autoconfig_server(c, d, "INCOMING", sel->in[i].s);
	for (size_t i = 0; i < sel->n_out; i++)
		S_autoconfig_server(c, d, "OUTGOING", sel->out[i].s);
	/* One <documentation> per locale, this file's own first, each linking
	 * the settings page in its language. */
	for (size_t k = 0; k <= site->n_locales; k++) {
		const struct model_locale *l = k == 0 ? c->loc : &site->locales[k - 1];
		if (k > 0 && l == c->loc)
			continue;
		char *rel = paths_settings(l, c->p);
		tpl_dict *doc = tpl_section(d, "DOC");
		tpl_set(doc, "URL", arena_printf(&c->a, "%s%s", site->base_url, rel));
		tpl_set(doc, "LANG", l->bcp47);
		/* The text in the link's language; the context's own arena keeps
		 * it (a copy of the context would grow a copy of the arena). */
		const struct model_locale *own = c->loc;
		c->loc = l;
		tpl_set(doc, "TEXT", S_text(c, "profile_docs"));
		c->loc = own;
		free(rel);
	}
}

static void S_userjs(struct ctx *c, const struct sel *sel, tpl_dict *d)
{
	const struct model_server *in = sel->in[0].s, *out = sel->out[0].s;
	/* Product ids are [a-z0-9-]; '-' to '_' keeps keys distinct, and no
	 * key can take the accountN/serverN/idN/smtpN form Thunderbird uses. */
	char *key = arena_printf(&c->a, "mailguide_%s", c->p->id);
	for (char *s = key; *s; s++)
		if (*s == '-')
			*s = '_';
	if (c->q->email != NULL)
		key = arena_printf(&c->a, "%s_%s", key, S_address_tag(c));
	tpl_set(d, "KEY", key);
	tpl_set(d, "ACCOUNT_NAME", c->q->email ? c->q->email : S_product_name(c));
	tpl_set(d, "IN_TYPE", model_protocol_name(in->protocol));
	tpl_set(d, "IN_HOST", S_host(c, in));
	tpl_set_int(d, "IN_PORT", (long)in->port);
	tpl_set_int(d, "IN_SOCKET", S_tb_socket_int(in->security));
	tpl_set_int(d, "IN_AUTH", S_tb_auth_int(sel->in[0].auth));
	if (in->protocol == PROTO_POP3)
		S_pop3(d, &in->pop3);
	tpl_set(d, "OUT_HOST", S_host(c, out));
	tpl_set_int(d, "OUT_PORT", (long)out->port);
	tpl_set_int(d, "OUT_SOCKET", S_tb_socket_int(out->security));
	tpl_set_int(d, "OUT_AUTH", S_tb_auth_int(sel->out[0].auth));
	if (c->q->email != NULL) {
		S_identity(c, d, "IDENTITY");
		tpl_set(d, "IN_LOGIN", S_login(c, in));
		if (sel->out[0].auth != AUTH_NONE)
			tpl_set(tpl_section(d, "OUT_IDENTITY"), "OUT_LOGIN", S_login(c, out));
	} else {
		tpl_show(d, "GENERIC");
	}
}

/* ---- Outlook --------------------------------------------------------------- */

/* `placeholders`: the login and address as %EMAILADDRESS%/%EMAILLOCALPART%,
 * which the Windows script replaces once it knows the address. */
static void S_autodiscover(struct ctx *c, const struct sel *sel, tpl_dict *d, bool placeholders)
{
	if (placeholders) {
		tpl_set(tpl_section(d, "USER"), "EMAIL", "%EMAILADDRESS%");
	} else {
		S_identity(c, d, "USER");
	}
	const struct model_server *in0 = sel->in[0].s;
	for (size_t k = 0; k < sel->n_in + sel->n_out; k++) {
		const struct pick *pk = k < sel->n_in ? &sel->in[k] : &sel->out[k - sel->n_in];
		const struct model_server *s = pk->s;
		tpl_dict *pd = tpl_section(d, "PROTOCOL");
		tpl_set(pd, "TYPE",
			s->protocol == PROTO_IMAP   ? "IMAP"
			: s->protocol == PROTO_POP3 ? "POP3"
						    : "SMTP");
		tpl_set(pd, "HOST", placeholders ? s->host : S_host(c, s));
		tpl_set_int(pd, "PORT", (long)s->port);
		const char *login = placeholders  ? S_login_placeholder(s)
				    : c->q->email ? S_login(c, s)
						  : NULL;
		if (login != NULL && pk->auth != AUTH_NONE)
			tpl_set(tpl_section(pd, "HAS_LOGIN"), "LOGIN", login);
		tpl_set(pd, "SPA", pk->auth == AUTH_NTLM ? "on" : "off");
		tpl_set(pd, "SSL", s->security == SEC_NONE ? "off" : "on");
		tpl_set(pd, "ENCRYPTION",
			s->security == SEC_SSL        ? "SSL"
			: s->security == SEC_STARTTLS ? "TLS"
						      : "None");
		tpl_set(pd, "AUTH_REQUIRED", pk->auth == AUTH_NONE ? "off" : "on");
		if (s->protocol == PROTO_SMTP) {
			tpl_dict *smtp = tpl_section(pd, "SMTP");
			bool same = pk->auth != AUTH_NONE && s->login == in0->login;
			tpl_set(smtp, "USE_POP_AUTH", same ? "on" : "off");
		}
	}
}

/* ---- Windows ---------------------------------------------------------------- */

static bool S_expand(struct ctx *c, const char *file, tpl_dict *d, struct buf *out)
{
	char *path = arena_printf(&c->a, "profiles/%s", file);
	return tpl_expand(c->r->tpl, path, d, out, c->r->diag);
}

static void S_line(struct ctx *c, tpl_dict *sd, const char *label_key, const char *value)
{
	tpl_set(tpl_section(sd, "LINE"), "TEXT",
		arena_printf(&c->a, "%s: %s", render_string(c->r, c->loc, label_key), value));
}

static bool S_windows(struct ctx *c, const struct sel *sel, tpl_dict *d)
{
	/* The autodiscover file the script writes, with placeholders. */
	struct sel outlook;
	S_select(c->p, CLIENT_OUTLOOK, true, &outlook);
	tpl_dict *ad = tpl_dict_new();
	S_autodiscover(c, &outlook, ad, true);
	struct buf xml = {0};
	bool ok = S_expand(c, "autodiscover.xml.tpl", ad, &xml);
	tpl_dict_free(ad);
	if (!ok) {
		buf_free(&xml);
		return false;
	}
	tpl_set(d, "AUTODISCOVER", buf_str(&xml));
	buf_free(&xml);

	struct render *r = c->r;
	tpl_set(d, "EMAIL", c->q->email ? c->q->email : "");
	for (size_t i = 0; !c->p->any_domain && i < c->p->n_domains; i++)
		tpl_set(tpl_section(d, "DOMAIN"), "NAME", c->p->domains[i]);
	tpl_set(d, "PROMPT", S_text(c, "profile_ps_prompt"));
	tpl_set(d, "INVALID", S_text(c, "profile_ps_invalid"));
	tpl_set(d, "OTHER_DOMAIN", S_text(c, "profile_ps_other_domain"));
	tpl_set(d, "WRITTEN", S_text(c, "profile_ps_written"));
	tpl_set(d, "OUTLOOK_NEXT", S_text(c, "profile_ps_outlook_next"));
	tpl_set(d, "MANUAL_INTRO", S_text(c, "profile_ps_manual"));
	tpl_set(d, "ADDRESS_LABEL", S_text(c, "profile_ps_address"));
	tpl_set(d, "PASSWORD_NOTE", S_text(c, "profile_ps_password"));
	/* Windows Mail and the new Outlook are set up by hand: every server of
	 * the table, as the settings page lists them. */
	const struct model_product *p = c->p;
	for (size_t k = 0; k < p->n_incoming + p->n_outgoing; k++) {
		bool incoming = k < p->n_incoming;
		const struct model_server *s =
			incoming ? &p->incoming[k] : &p->outgoing[k - p->n_incoming];
		bool first = true;
		for (const struct model_server *t = incoming ? p->incoming : p->outgoing; t < s;
		     t++)
			first &= t->protocol != s->protocol;
		tpl_dict *sd = tpl_section(d, "SERVER");
		tpl_set(sd, "TITLE",
			arena_printf(&c->a, "%s - %s%s%s%s",
				     render_string(r, c->loc, incoming ? "incoming" : "outgoing"),
				     render_protocol(r, c->loc, s->protocol), first ? " (" : "",
				     first ? render_string(r, c->loc, "preferred") : "",
				     first ? ")" : ""));
		S_line(c, sd, "col_server", s->host);
		S_line(c, sd, "col_port", arena_printf(&c->a, "%u", s->port));
		S_line(c, sd, "col_security", render_security(r, c->loc, s->security));
		char *auths = render_auths(r, c->loc, s);
		S_line(c, sd, "col_auth", auths);
		free(auths);
		if (s->auths[0] != AUTH_NONE) {
			tpl_dict *ld = tpl_section(sd, "LOGIN");
			tpl_set(ld, "LABEL", render_string(r, c->loc, "col_login"));
			tpl_set(ld, "PATTERN", s->login_pattern); /* the script fills it in */
		}
	}
	(void)sel;
	return true;
}

/* Windows PowerShell 5.1 needs the BOM to read UTF-8; CRLF is what every
 * Windows editor and Set-Content expect. */
static void S_crlf_bom(struct buf *b)
{
	struct buf o = {0};
	buf_put(&o, "\xEF\xBB\xBF", 3);
	for (size_t i = 0; i < b->len; i++) {
		char ch = b->data[i];
		if (ch == '\r') {
			buf_puts(&o, "\r\n");
			if (i + 1 < b->len && b->data[i + 1] == '\n')
				i++;
		} else if (ch == '\n') {
			buf_puts(&o, "\r\n");
		} else {
			buf_putc(&o, ch);
		}
	}
	buf_free(b);
	*b = o;
}

/* ---- the driver -------------------------------------------------------------- */

static const char *const S_templates[CLIENT_COUNT] = {"mobileconfig.xml.tpl", "config-v1.1.xml.tpl",
						      "user.js.tpl", "autodiscover.xml.tpl",
						      "setup.ps1.tpl"};

static bool S_render(struct render *r, const struct profile_req *q, struct buf *out)
{
	struct sel sel;
	const char *why = S_select(q->product, q->client, q->email != NULL, &sel);
	if (why != NULL) {
		const struct model_pos *pos = &q->product->pos;
		diag_error(r->diag, pos->file, pos->line, pos->col,
			   "%s cannot serve product '%s': %s; set it up by hand",
			   S_client_label(q->client), q->product->id, why);
		return false;
	}
	struct ctx c = {
		.r = r, .q = q, .p = q->product, .prov = q->product->provider, .loc = q->locale};
	if (q->email != NULL) {
		const char *at = strrchr(q->email, '@');
		c.localpart = arena_strndup(&c.a, q->email, (size_t)(at - q->email));
		char *dom = arena_strdup(&c.a, at + 1);
		for (char *s = dom; *s; s++)
			*s = (char)tolower((unsigned char)*s);
		c.domain = dom;
	}
	tpl_dict *d = tpl_dict_new();
	bool ok = true;
	switch (q->client) {
	case CLIENT_APPLE:
		S_apple(&c, &sel, d);
		break;
	case CLIENT_AUTOCONFIG:
		S_autoconfig(&c, &sel, d);
		break;
	case CLIENT_THUNDERBIRD:
		S_userjs(&c, &sel, d);
		break;
	case CLIENT_OUTLOOK:
		S_autodiscover(&c, &sel, d, false);
		break;
	default:
		ok = tpl_check_manual(r->tpl, "profiles/setup.ps1.tpl", "x-ps-squote", r->diag) &&
		     S_windows(&c, &sel, d);
		break;
	}
	size_t start = out->len;
	ok = ok && S_expand(&c, S_templates[q->client], d, out);
	if (ok && q->client == CLIENT_WINDOWS) {
		struct buf tail = {0};
		buf_put(&tail, out->data + start, out->len - start);
		out->len = start;
		S_crlf_bom(&tail);
		buf_put(out, tail.data, tail.len);
		buf_free(&tail);
	}
	tpl_dict_free(d);
	arena_free(&c.a);
	return ok;
}

bool profiles_render(struct render *r, const struct profile_req *q, struct buf *out)
{
	return S_render(r, q, out);
}

static bool S_write(struct render *r, const char *path, const struct buf *b)
{
	return out_write(r->out, path, b->data, b->len);
}

bool profiles_write_all(struct render *r, struct signer *signer)
{
	const struct model *m = r->m;
	const struct model_locale *def = m->site.default_locale;
	bool ok = true;
	for (size_t i = 0; i < m->n_providers; i++) {
		const struct model_provider *prov = &m->providers[i];
		for (size_t j = 0; j < prov->n_products; j++) {
			const struct model_product *p = &prov->products[j];
			if (!S_report(r, p)) {
				ok = false;
				continue;
			}
			for (int client = 0; client < CLIENT_COUNT; client++) {
				if (profiles_unserved(p, (enum paths_client)client, false) != NULL)
					continue;
				for (size_t k = 0; ok && k < m->site.n_locales; k++) {
					const struct model_locale *loc = &m->site.locales[k];
					struct profile_req q = {.product = p,
								.client = (enum paths_client)client,
								.locale = loc};
					struct buf b = {0};
					ok = S_render(r, &q, &b);
					if (ok && client == CLIENT_APPLE && signer != NULL) {
						struct buf s = {0};
						ok = sign_cms(signer, b.data, b.len, &s, r->diag);
						buf_free(&b);
						b = s;
					}
					char *path =
						paths_profile(p, (enum paths_client)client, loc);
					ok = ok && S_write(r, path, &b);
					free(path);
					/* The well-known places answer for the first product. */
					if (ok && i == 0 && j == 0 && loc == def) {
						if (client == CLIENT_AUTOCONFIG)
							ok = S_write(r, "mail/config-v1.1.xml",
								     &b) &&
							     S_write(r,
								     ".well-known/autoconfig/mail/"
								     "config-v1.1.xml",
								     &b);
						else if (client == CLIENT_OUTLOOK)
							ok = S_write(
								r, "autodiscover/autodiscover.xml",
								&b);
					}
					buf_free(&b);
				}
			}
		}
	}
	return ok;
}

/* ---- addresses ------------------------------------------------------------------ */

static bool S_atext(unsigned char ch)
{
	/* RFC 5322 atext, without '%': Thunderbird reads %...% in an
	 * autoconfig username as a placeholder. */
	return isalnum(ch) || (ch != 0 && strchr("!#$&'*+/=?^_`{|}~-", ch) != NULL);
}

const char *profiles_email_check(const struct model_product *p, const char *email)
{
	const char *at = strrchr(email, '@');
	if (at == NULL)
		return "an address needs an '@'";
	size_t local = (size_t)(at - email);
	if (local == 0 || local > 64)
		return "the part before '@' must be 1-64 characters";
	if (email[0] == '.' || at[-1] == '.')
		return "the part before '@' may not begin or end with '.'";
	for (const char *s = email; s < at; s++) {
		if (*s == '.' && s[1] == '.')
			return "the part before '@' may not hold '..'";
		if (*s != '.' && !S_atext((unsigned char)*s))
			return "the part before '@' may hold letters, digits, '.' and "
			       "!#$&'*+/=?^_`{|}~- "
			       "only (no spaces, quotes, '%', '@' or non-ASCII letters)";
	}
	const char *dom = at + 1;
	size_t len = strlen(dom), label = 0, labels = 0;
	if (len == 0 || len > 253)
		return "the domain after '@' must be 1-253 characters";
	for (const char *s = dom;; s++) {
		if (*s == '.' || *s == '\0') {
			if (label == 0 || s[-1] == '-' || s[-label] == '-')
				return "the domain after '@' must be labels of letters, digits and "
				       "'-' "
				       "joined by '.' (IDN domains in their xn-- form)";
			labels++;
			label = 0;
			if (*s == '\0')
				break;
		} else if (isalnum((unsigned char)*s) || *s == '-') {
			if (++label > 63)
				return "a label of the domain is longer than 63 characters";
		} else {
			return "the domain after '@' must be labels of letters, digits and '-' "
			       "joined by '.' (IDN domains in their xn-- form)";
		}
	}
	if (labels < 2)
		return "the domain after '@' needs at least one '.'";
	if (!p->any_domain) {
		for (size_t i = 0; i < p->n_domains; i++)
			if (strcasecmp(p->domains[i], dom) == 0)
				return NULL;
		return "the product does not serve this domain";
	}
	return NULL;
}
