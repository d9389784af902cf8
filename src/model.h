/* model.h: the immutable model of one content directory: site settings,
 * locales with their UI strings, providers, products and their servers.
 *
 * load_content() (load.h) builds it; every pointer in it lives in the
 * model's arena and dies with model_free(). Nothing changes it after
 * loading, so every later stage may share it freely, across threads too. */
#ifndef MG_MODEL_H
#define MG_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Limits the loader enforces (docs/limits.md): each
 * bounds the work and the output one content directory can cause, and
 * MODEL_MAX_SERVERS is also the size of the profiles' server arrays. They
 * sit far above real data: Mozilla's ISP database for Thunderbird has 163
 * providers, up to 191 domains for one, and a handful of servers each. */
#define MODEL_MAX_LOCALES 64
#define MODEL_MAX_PROVIDERS 2048
#define MODEL_MAX_PRODUCTS 256        /* per provider */
#define MODEL_MAX_SERVERS 32          /* incoming servers, and outgoing ones, per product */
#define MODEL_MAX_DOMAINS 4096        /* per product */
#define MODEL_MAX_HOST_PLACEHOLDERS 2 /* in a host pattern */
#define MODEL_MAX_DOCS 64             /* documentation links per product */

enum model_protocol { PROTO_IMAP, PROTO_POP3, PROTO_SMTP, PROTO_COUNT };
/* ssl is implicit TLS from the first byte; starttls upgrades a plain
 * connection; none never encrypts. */
enum model_security { SEC_SSL, SEC_STARTTLS, SEC_NONE, SEC_COUNT };
enum model_auth {
	AUTH_PASSWORD,  /* normal password, sent inside TLS */
	AUTH_ENCRYPTED, /* encrypted password: CRAM-MD5 */
	AUTH_NTLM,
	AUTH_OAUTH2,
	AUTH_NONE,
	AUTH_COUNT
};
/* The login: the full address, its local part, or a pattern of the table
 * ("%EMAILLOCALPART%.%EMAILDOMAIN%", "pre-%EMAILLOCALPART%"). Every server
 * also carries its login as a pattern (model_server.login_pattern), so a
 * client can fill in any of them the same way (model_fill). */
enum model_login { LOGIN_ADDRESS, LOGIN_LOCALPART, LOGIN_PATTERN, LOGIN_COUNT };

/* The placeholders of Thunderbird's autoconfig format, which the table uses
 * in `login` and `host` (host: %EMAILLOCALPART% and %EMAILDOMAIN% only). */
#define MODEL_PH_ADDRESS "%EMAILADDRESS%"
#define MODEL_PH_LOCALPART "%EMAILLOCALPART%"
#define MODEL_PH_DOMAIN "%EMAILDOMAIN%"

/* Where a value was written, for diagnostics of later stages. */
struct model_pos {
	const char *file;
	unsigned line, col;
};

struct model_kv {
	const char *key;
	const char *value;
	struct model_pos pos;
};

/* A text given per locale; get it with model_l10n(). */
struct model_l10n {
	const char *fallback;         /* the untranslated value */
	const struct model_kv *items; /* key = locale tag */
	size_t n;
};

/* POP3 "leave messages on server" defaults a client starts with (autoconfig
 * <pop3>, user.js); each -1 when the table does not say. */
struct model_pop3 {
	int leave_on_server;  /* 0 or 1 */
	long days_on_server;  /* 1..36500: delete messages older than this */
	int download_on_biff; /* 0 or 1: fetch new messages when checking */
};

/* One server entry. `auths` lists the authentication methods in the
 * table's order of preference, each once, at least one ("auth: password"
 * gives {AUTH_PASSWORD}; "auth: [oauth2, password]" a fallback; AUTH_NONE
 * only alone). A client that takes several (Thunderbird's autoconfig) gets
 * them in this order; a client that takes one gets the first it can use
 * (profiles.c). */
struct model_server {
	enum model_protocol protocol;
	const char *host;     /* a host name, or a pattern ("mail.%EMAILDOMAIN%") */
	bool host_is_pattern; /* host holds a placeholder: it depends on the address */
	unsigned port;
	enum model_security security;
	enum model_auth auths[AUTH_COUNT];
	size_t n_auths; /* 1..AUTH_COUNT */
	enum model_login login;
	const char *login_pattern; /* "%EMAILADDRESS%", "%EMAILLOCALPART%" or the table's */
	struct model_pop3 pop3;    /* POP3 servers only */
	struct model_pos pos;
};

/* A documentation link of the autoconfig file: a URL and its description
 * per language (key: the language as the table gives it, "en", "de-DE"). */
struct model_doc {
	const char *url;
	const struct model_kv *descr;
	size_t n_descr;
};

/* The OAuth2 settings a client needs for a provider's servers (autoconfig
 * <oAuth2>). */
struct model_oauth2 {
	const char *issuer;    /* a host name */
	const char *scope;     /* space-separated */
	const char *auth_url;  /* authorization endpoint */
	const char *token_url; /* token endpoint */
};

struct model_provider;

struct model_product {
	const char *id;
	struct model_l10n name;
	const struct model_provider *provider;
	bool any_domain;            /* serves any email domain */
	const char *const *domains; /* else these */
	size_t n_domains;
	const struct model_server *incoming; /* in order of preference */
	size_t n_incoming;
	const struct model_server *outgoing;
	size_t n_outgoing;
	/* What autoconfig carries beyond servers, as the table gives it: */
	const char *display_name;     /* <displayName>; NULL: "Product (Provider)" */
	const char *short_name;       /* <displayShortName>; NULL: the product's name */
	const struct model_doc *docs; /* <documentation>, before the settings pages' */
	size_t n_docs;
	const struct model_oauth2 *oauth2; /* NULL when the table has none */
	struct model_pos pos;
};

struct model_provider {
	const char *id;
	struct model_l10n name;
	const char *domain; /* web domain; reversed for profile identifiers */
	const char *support_url;
	const char *webmail_url; /* also autoconfig's <webMail><loginPage> */
	const struct model_product *products;
	size_t n_products;
	struct model_pos pos;
};

struct model_locale {
	const char *tag;   /* as configured, lower case ("pl-pl"): paths, file names */
	const char *bcp47; /* canonical case ("pl-PL"): lang and hreflang */
	const char *name;  /* the language's own name, for the language switcher */
	const char *title; /* the site's title in this language */
	const struct model_kv *placeholders; /* {name} in link targets */
	size_t n_placeholders;
	const struct model_kv *strings; /* UI strings, from strings/<tag>.yaml */
	size_t n_strings;
	struct model_pos pos;
};

/* PEM files that sign the Apple profiles; paths resolved against the
 * content directory; all NULL when the site does not sign. */
struct model_signing {
	const char *certificate;
	const char *key;
	const char *chain; /* optional: intermediate certificates */
	struct model_pos pos;
};

struct model_site {
	const char *base_url; /* absolute, ends with '/' */
	/* The web host that serves output/'s discovery files at its root: the
	 * autoconfig and autodiscover names and Outlook's SRV point at it
	 * (mailguide dns); NULL when site.yaml does not name one. */
	const char *discovery_host;
	struct model_pos discovery_pos;
	struct model_signing signing;
	bool allow_raw_html;
	const struct model_locale *locales; /* in configured order */
	size_t n_locales;
	const struct model_locale *default_locale;
};

struct model {
	struct model_site site;
	const struct model_provider *providers;
	size_t n_providers;
	struct arena arena; /* owns everything above */
};

void model_free(struct model *m);

const struct model_locale *model_locale_find(const struct model *m, const char *tag);
const struct model_product *model_product_find(const struct model *m, const char *id);

/* The UI string `key` in `loc`, falling back to the default locale; NULL
 * when neither has it. */
const char *model_string(const struct model *m, const struct model_locale *loc, const char *key);
const char *model_kv_get(const struct model_kv *kv, size_t n, const char *key);
const char *model_l10n(const struct model_l10n *t, const struct model_locale *loc);

/* The first server of `protocol` with `security` (or any security when
 * security is SEC_COUNT), in order of preference; NULL when none. */
const struct model_server *model_server_find(const struct model_product *p,
					     enum model_protocol protocol,
					     enum model_security security);

/* Names as written in the server table ("imap", "ssl", "password", ...);
 * parse functions return -1 for an unknown name. */
const char *model_protocol_name(enum model_protocol p);
const char *model_security_name(enum model_security s);
const char *model_auth_name(enum model_auth a);
const char *model_login_name(enum model_login l);
/* `pattern` with its placeholders replaced from `email` (local@domain), as
 * typed: the page's script (personalize.js) fills in the same bytes.
 * Caller frees. */
char *model_fill(const char *pattern, const char *email);
/* `pattern` with each placeholder replaced by `address`, `localpart` or
 * `domain` (the readable forms a page shows, "mail.<your domain>"). Caller
 * frees. */
char *model_pattern_with(const char *pattern, const char *address, const char *localpart,
			 const char *domain);
/* Whether `s` lists method `a`. */
bool model_server_has_auth(const struct model_server *s, enum model_auth a);
int model_protocol_parse(const char *s);
int model_security_parse(const char *s);
int model_auth_parse(const char *s);
int model_login_parse(const char *s);

#endif
