/* illust.c: the drawn dialogs (see illust.h). A dialog is a list of widgets
 * (a text box with its label, a drop-down list, a check box, a list
 * entry, a button, ...) whose labels are UI strings and whose values come
 * from the product's servers. This file lays them out (every coordinate is
 * decided here) and the client's template draws them in its look. The same
 * list gives the alt text, so the words and the picture say the same. */
#include "illust.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpl.h"

/* ---- what the dialogs contain ------------------------------------------------------ */

enum S_kind {
	K_HEADING, /* a group's heading */
	K_FIELD,   /* a text box and its label */
	K_SECRET,  /* a password box: dots, never a value */
	K_SELECT,  /* a drop-down list showing its choice */
	K_CHECK,   /* a check box (a switch on iOS) */
	K_CHOICE,  /* an entry of a list to pick from (account types) */
	K_SEGMENT, /* iOS: the IMAP | POP switch */
	K_LINK,    /* a link-like text ("Show more details") */
	K_TEXT,    /* a line of text */
	K_BUTTON,  /* a button; the last of a dialog's is its default one */
};

/* The tables below read better as written. */
/* clang-format off */
enum S_val {
	V_NONE,
	V_IN_HOST, V_IN_PORT, V_IN_SEC, V_IN_AUTH, V_IN_LOGIN, V_IN_PROTO,
	V_OUT_HOST, V_OUT_PORT, V_OUT_SEC, V_OUT_AUTH, V_OUT_LOGIN,
	V_EMAIL, V_NAME, V_PRODUCT,
	V_IN_TLS, V_OUT_TLS, V_OUT_AUTH_ON, V_IN_SPA, V_OUT_SPA, /* check boxes */
	V_ON, V_OFF, V_IS_IMAP, V_IS_POP,
};

/* clang-format on */

/* `label` is a UI string's name, or after '=' a name no locale changes
 * (a provider's brand in a list: "=Google"). */
struct S_widget {
	enum S_kind kind;
	const char *label;
	enum S_val val;
};

struct S_dialog {
	const char *name;  /* in targets: mailguide:client/<name> */
	const char *title; /* UI string */
	const struct S_widget *w;
	size_t n;
};

enum S_mode {
	M_ABOVE, /* labels above their boxes (Windows 8 Mail, Outlook) */
	M_LEFT,  /* labels left of their boxes, right-aligned (Thunderbird, Mail on a Mac) */
	M_IOS,   /* grouped rows: label left, value right of it, no boxes */
};

struct S_look {
	enum S_mode mode;
	int width;        /* at least; wider when a value needs it */
	int top;          /* the chrome above the first widget (title bar) */
	int pad;          /* left and right margin */
	int label_w;      /* M_LEFT, M_IOS: the labels' column */
	int box_h;        /* a text box's height */
	int font;         /* the text's size in pixels, for width estimates */
	int radius;       /* corners of boxes and buttons */
	bool nav_buttons; /* iOS: the buttons sit in the bar at the top */
};

struct S_client {
	const char *name;  /* in targets and file names */
	const char *label; /* UI string: the client's name, for alt texts */
	const char *tpl;   /* templates/illust/<name>.svg.tpl */
	bool imap_only;    /* draws the first IMAP server, not the preferred one */
	struct S_look look;
	const struct S_dialog *dialogs;
	size_t n_dialogs;
};

#define N(a) (sizeof(a) / sizeof(a)[0])
/* clang-format off */
#define D(name, title, w) {name, title, w, N(w)}

/* Windows 8 and 8.1 Mail: the charms bar, the settings flyout, its
 * account panes (the seed's eight screenshots). */
static const struct S_widget S_w8_charms[] = {
	{K_CHOICE, "ill_w8_search", V_OFF}, {K_CHOICE, "ill_w8_share", V_OFF},
	{K_CHOICE, "ill_w8_start", V_OFF}, {K_CHOICE, "ill_w8_devices", V_OFF},
	{K_CHOICE, "ill_w8_settings", V_ON},
};
static const struct S_widget S_w8_settings[] = {
	{K_TEXT, "ill_w8_mail", V_NONE},
	{K_CHOICE, "ill_w8_accounts", V_ON}, {K_CHOICE, "ill_w8_options", V_OFF},
	{K_CHOICE, "ill_w8_help", V_OFF}, {K_CHOICE, "ill_w8_about", V_OFF},
};
static const struct S_widget S_w8_accounts[] = {
	{K_CHOICE, "=Outlook", V_OFF},
	{K_CHOICE, "ill_w8_add_account", V_ON},
};
static const struct S_widget S_w8_type[] = {
	{K_CHOICE, "=Outlook.com", V_OFF}, {K_CHOICE, "=Exchange", V_OFF},
	{K_CHOICE, "=Google", V_OFF}, {K_CHOICE, "=AOL", V_OFF}, {K_CHOICE, "=Yahoo!", V_OFF},
	{K_CHOICE, "ill_w8_other", V_ON},
};
static const struct S_widget S_w8_signin[] = {
	{K_FIELD, "ill_w8_email", V_EMAIL}, {K_SECRET, "ill_w8_password", V_NONE},
	{K_LINK, "ill_w8_more", V_NONE},
	{K_BUTTON, "ill_w8_cancel", V_NONE}, {K_BUTTON, "ill_w8_connect", V_NONE},
};
static const struct S_widget S_w8_incoming[] = {
	{K_FIELD, "ill_w8_email", V_EMAIL}, {K_FIELD, "ill_w8_username", V_IN_LOGIN},
	{K_SECRET, "ill_w8_password", V_NONE}, {K_FIELD, "ill_w8_in_server", V_IN_HOST},
	{K_FIELD, "ill_w8_port", V_IN_PORT}, {K_CHECK, "ill_w8_in_ssl", V_IN_TLS},
};
static const struct S_widget S_w8_outgoing[] = {
	{K_FIELD, "ill_w8_out_server", V_OUT_HOST}, {K_FIELD, "ill_w8_port", V_OUT_PORT},
	{K_CHECK, "ill_w8_out_ssl", V_OUT_TLS}, {K_CHECK, "ill_w8_out_auth", V_OUT_AUTH_ON},
	{K_CHECK, "ill_w8_same", V_ON},
	{K_BUTTON, "ill_w8_cancel", V_NONE}, {K_BUTTON, "ill_w8_connect", V_NONE},
};
static const struct S_widget S_w8_done[] = {
	{K_CHOICE, "=Outlook", V_OFF},
	{K_CHOICE, "", V_EMAIL},
	{K_CHOICE, "ill_w8_add_account", V_OFF},
};
static const struct S_dialog S_w8[] = {
	D("charms", "ill_w8_charms", S_w8_charms),
	D("settings", "ill_w8_settings", S_w8_settings),
	D("accounts", "ill_w8_accounts", S_w8_accounts),
	D("account-type", "ill_w8_add_account", S_w8_type),
	D("sign-in", "ill_w8_add_other", S_w8_signin),
	D("incoming", "ill_w8_add_other", S_w8_incoming),
	D("outgoing", "ill_w8_add_other", S_w8_outgoing),
	D("done", "ill_w8_accounts", S_w8_done),
};

/* Thunderbird: the account setup and its manual configuration. */
static const struct S_widget S_tb_account[] = {
	{K_FIELD, "ill_tb_name", V_NAME}, {K_FIELD, "ill_tb_email", V_EMAIL},
	{K_SECRET, "ill_tb_password", V_NONE}, {K_CHECK, "ill_tb_remember", V_ON},
	{K_BUTTON, "ill_tb_configure_manually", V_NONE}, {K_BUTTON, "ill_tb_continue", V_NONE},
};
static const struct S_widget S_tb_incoming[] = {
	{K_HEADING, "ill_tb_incoming", V_NONE},
	{K_SELECT, "ill_tb_protocol", V_IN_PROTO}, {K_FIELD, "ill_tb_hostname", V_IN_HOST},
	{K_FIELD, "ill_tb_port", V_IN_PORT}, {K_SELECT, "ill_tb_security", V_IN_SEC},
	{K_SELECT, "ill_tb_auth", V_IN_AUTH}, {K_FIELD, "ill_tb_username", V_IN_LOGIN},
};
static const struct S_widget S_tb_outgoing[] = {
	{K_HEADING, "ill_tb_outgoing", V_NONE},
	{K_FIELD, "ill_tb_hostname", V_OUT_HOST}, {K_FIELD, "ill_tb_port", V_OUT_PORT},
	{K_SELECT, "ill_tb_security", V_OUT_SEC}, {K_SELECT, "ill_tb_auth", V_OUT_AUTH},
	{K_FIELD, "ill_tb_username", V_OUT_LOGIN},
	{K_BUTTON, "ill_tb_retest", V_NONE}, {K_BUTTON, "ill_tb_done", V_NONE},
};
static const struct S_dialog S_tb[] = {
	D("account", "ill_tb_account", S_tb_account),
	D("incoming", "ill_tb_manual", S_tb_incoming),
	D("outgoing", "ill_tb_manual", S_tb_outgoing),
};

/* Mail on iPhone and iPad: Settings > Mail > Accounts > Add Account. */
static const struct S_widget S_ios_type[] = {
	{K_CHOICE, "=iCloud", V_OFF}, {K_CHOICE, "=Microsoft Exchange", V_OFF},
	{K_CHOICE, "=Google", V_OFF}, {K_CHOICE, "=Yahoo!", V_OFF}, {K_CHOICE, "=AOL.", V_OFF},
	{K_CHOICE, "=Outlook.com", V_OFF}, {K_CHOICE, "ill_ios_other", V_ON},
};
static const struct S_widget S_ios_account[] = {
	{K_FIELD, "ill_ios_name", V_NAME}, {K_FIELD, "ill_ios_email", V_EMAIL},
	{K_SECRET, "ill_ios_password", V_NONE}, {K_FIELD, "ill_ios_description", V_PRODUCT},
	{K_BUTTON, "ill_ios_cancel", V_NONE}, {K_BUTTON, "ill_ios_next", V_NONE},
};
static const struct S_widget S_ios_incoming[] = {
	{K_SEGMENT, "", V_IN_PROTO},
	{K_HEADING, "ill_ios_incoming", V_NONE},
	{K_FIELD, "ill_ios_host", V_IN_HOST}, {K_FIELD, "ill_ios_username", V_IN_LOGIN},
	{K_SECRET, "ill_ios_password", V_NONE},
	{K_BUTTON, "ill_ios_cancel", V_NONE}, {K_BUTTON, "ill_ios_next", V_NONE},
};
static const struct S_widget S_ios_outgoing[] = {
	{K_HEADING, "ill_ios_outgoing", V_NONE},
	{K_FIELD, "ill_ios_host", V_OUT_HOST}, {K_FIELD, "ill_ios_username", V_OUT_LOGIN},
	{K_SECRET, "ill_ios_password", V_NONE},
	{K_BUTTON, "ill_ios_cancel", V_NONE}, {K_BUTTON, "ill_ios_next", V_NONE},
};
static const struct S_widget S_ios_advanced[] = {
	{K_HEADING, "ill_ios_incoming_settings", V_NONE},
	{K_CHECK, "ill_ios_use_ssl", V_IN_TLS}, {K_FIELD, "ill_ios_auth", V_IN_AUTH},
	{K_FIELD, "ill_ios_port", V_IN_PORT},
};
static const struct S_widget S_ios_smtp[] = {
	{K_HEADING, "ill_ios_outgoing", V_NONE},
	{K_FIELD, "ill_ios_host", V_OUT_HOST}, {K_FIELD, "ill_ios_username", V_OUT_LOGIN},
	{K_SECRET, "ill_ios_password", V_NONE}, {K_CHECK, "ill_ios_use_ssl", V_OUT_TLS},
	{K_FIELD, "ill_ios_auth", V_OUT_AUTH}, {K_FIELD, "ill_ios_port", V_OUT_PORT},
	{K_BUTTON, "ill_ios_cancel", V_NONE}, {K_BUTTON, "ill_ios_done", V_NONE},
};
static const struct S_dialog S_ios[] = {
	D("account-type", "ill_ios_add_account", S_ios_type),
	D("account", "ill_ios_new_account", S_ios_account),
	D("incoming", "ill_ios_new_account", S_ios_incoming),
	D("outgoing", "ill_ios_new_account", S_ios_outgoing),
	D("advanced", "ill_ios_advanced", S_ios_advanced),
	D("smtp", "ill_ios_smtp", S_ios_smtp),
};

/* Mail on a Mac: Mail > Add Account, then Settings > Accounts > Server Settings. */
static const struct S_widget S_mac_type[] = {
	{K_CHOICE, "=iCloud", V_OFF}, {K_CHOICE, "=Microsoft Exchange", V_OFF},
	{K_CHOICE, "=Google", V_OFF}, {K_CHOICE, "=Yahoo!", V_OFF}, {K_CHOICE, "=AOL.", V_OFF},
	{K_CHOICE, "ill_mac_other", V_ON},
	{K_BUTTON, "ill_mac_cancel", V_NONE}, {K_BUTTON, "ill_mac_continue", V_NONE},
};
static const struct S_widget S_mac_account[] = {
	{K_TEXT, "ill_mac_account_hint", V_NONE},
	{K_FIELD, "ill_mac_name", V_NAME}, {K_FIELD, "ill_mac_email", V_EMAIL},
	{K_SECRET, "ill_mac_password", V_NONE},
	{K_BUTTON, "ill_mac_cancel", V_NONE}, {K_BUTTON, "ill_mac_sign_in", V_NONE},
};
static const struct S_widget S_mac_servers[] = {
	{K_FIELD, "ill_mac_email", V_EMAIL}, {K_FIELD, "ill_mac_username", V_IN_LOGIN},
	{K_SECRET, "ill_mac_password", V_NONE}, {K_SELECT, "ill_mac_type", V_IN_PROTO},
	{K_FIELD, "ill_mac_in_server", V_IN_HOST}, {K_FIELD, "ill_mac_out_server", V_OUT_HOST},
	{K_BUTTON, "ill_mac_cancel", V_NONE}, {K_BUTTON, "ill_mac_sign_in", V_NONE},
};
static const struct S_widget S_mac_incoming[] = {
	{K_HEADING, "ill_mac_incoming", V_NONE},
	{K_FIELD, "ill_mac_username", V_IN_LOGIN}, {K_SECRET, "ill_mac_password", V_NONE},
	{K_FIELD, "ill_mac_host", V_IN_HOST}, {K_CHECK, "ill_mac_auto", V_OFF},
	{K_FIELD, "ill_mac_port", V_IN_PORT}, {K_CHECK, "ill_mac_tls", V_IN_TLS},
	{K_SELECT, "ill_mac_auth", V_IN_AUTH},
};
static const struct S_widget S_mac_outgoing[] = {
	{K_HEADING, "ill_mac_outgoing", V_NONE},
	{K_FIELD, "ill_mac_username", V_OUT_LOGIN}, {K_SECRET, "ill_mac_password", V_NONE},
	{K_FIELD, "ill_mac_host", V_OUT_HOST}, {K_CHECK, "ill_mac_auto", V_OFF},
	{K_FIELD, "ill_mac_port", V_OUT_PORT}, {K_CHECK, "ill_mac_tls", V_OUT_TLS},
	{K_SELECT, "ill_mac_auth", V_OUT_AUTH},
	{K_BUTTON, "ill_mac_save", V_NONE},
};
static const struct S_dialog S_mac[] = {
	D("account-type", "ill_mac_choose", S_mac_type),
	D("account", "ill_mac_add", S_mac_account),
	D("servers", "ill_mac_add", S_mac_servers),
	D("incoming", "ill_mac_server_settings", S_mac_incoming),
	D("outgoing", "ill_mac_server_settings", S_mac_outgoing),
};

/* Outlook for Windows (classic): File > Add Account, advanced setup. */
static const struct S_widget S_ol_account[] = {
	{K_TEXT, "ill_ol_intro", V_NONE},
	{K_FIELD, "ill_ol_email", V_EMAIL}, {K_LINK, "ill_ol_advanced", V_NONE},
	{K_CHECK, "ill_ol_manual", V_ON},
	{K_BUTTON, "ill_ol_connect", V_NONE},
};
static const struct S_widget S_ol_type[] = {
	{K_CHOICE, "=Microsoft 365", V_OFF}, {K_CHOICE, "=Outlook.com", V_OFF},
	{K_CHOICE, "=Exchange", V_OFF}, {K_CHOICE, "=Google", V_OFF},
	{K_CHOICE, "=POP", V_IS_POP}, {K_CHOICE, "=IMAP", V_IS_IMAP},
};
static const struct S_widget S_ol_incoming[] = {
	{K_HEADING, "ill_ol_incoming", V_NONE},
	{K_FIELD, "ill_ol_server", V_IN_HOST}, {K_FIELD, "ill_ol_port", V_IN_PORT},
	{K_SELECT, "ill_ol_encryption", V_IN_SEC}, {K_CHECK, "ill_ol_spa", V_IN_SPA},
};
static const struct S_widget S_ol_outgoing[] = {
	{K_HEADING, "ill_ol_outgoing", V_NONE},
	{K_FIELD, "ill_ol_server", V_OUT_HOST}, {K_FIELD, "ill_ol_port", V_OUT_PORT},
	{K_SELECT, "ill_ol_encryption", V_OUT_SEC}, {K_CHECK, "ill_ol_spa", V_OUT_SPA},
	{K_BUTTON, "ill_ol_back", V_NONE}, {K_BUTTON, "ill_ol_next", V_NONE},
};
static const struct S_dialog S_ol[] = {
	D("account", "=Outlook", S_ol_account),
	D("account-type", "ill_ol_advanced_setup", S_ol_type),
	D("incoming", "ill_ol_settings", S_ol_incoming),
	D("outgoing", "ill_ol_settings", S_ol_outgoing),
};

static const struct S_client S_clients[] = {
	{"windows-mail", "ill_client_windows_mail", "illust/windows-mail.svg.tpl", true,
	 {M_ABOVE, 360, 64, 20, 0, 30, 14, 0, false}, S_w8, N(S_w8)},
	{"thunderbird", "ill_client_thunderbird", "illust/thunderbird.svg.tpl", false,
	 {M_LEFT, 560, 44, 20, 170, 28, 13, 4, false}, S_tb, N(S_tb)},
	{"apple-ios", "ill_client_apple_ios", "illust/apple-ios.svg.tpl", false,
	 {M_IOS, 375, 96, 16, 120, 44, 15, 10, true}, S_ios, N(S_ios)},
	{"apple-mac", "ill_client_apple_mac", "illust/apple-mac.svg.tpl", false,
	 {M_LEFT, 520, 60, 24, 180, 24, 13, 5, false}, S_mac, N(S_mac)},
	{"outlook", "ill_client_outlook", "illust/outlook.svg.tpl", false,
	 {M_ABOVE, 440, 70, 28, 0, 30, 14, 2, false}, S_ol, N(S_ol)},
};

/* clang-format on */

/* ---- naming ------------------------------------------------------------------------ */

bool illust_is_target(const char *target)
{
	return strncmp(target, ILLUST_SCHEME, strlen(ILLUST_SCHEME)) == 0;
}

static void S_names(struct buf *b, const struct S_client *c)
{
	for (size_t i = 0; i < (c ? 1 : N(S_clients)); i++) {
		const struct S_client *k = c ? c : &S_clients[i];
		for (size_t j = 0; j < k->n_dialogs; j++)
			buf_printf(b, "%s%s/%s", i + j ? ", " : "", k->name, k->dialogs[j].name);
	}
}

bool illust_parse(const struct model *m, const struct model_product *deflt, const char *target,
		  struct illust_ref *out, char **why)
{
	const char *s = target + strlen(ILLUST_SCHEME);
	const char *colon = strchr(s, ':'), *slash = strchr(s, '/');
	struct buf b = {0};
	out->product = deflt;
	if (colon && (!slash || colon < slash)) {
		char *id = xstrndup(s, (size_t)(colon - s));
		out->product = model_product_find(m, id);
		if (out->product == NULL)
			buf_printf(&b, "unknown product '%s' in picture '%s'", id, target);
		free(id);
		s = colon + 1;
	} else if (deflt == NULL) {
		buf_printf(&b,
			   "picture '%s' names no product and the guide has none "
			   "(write mailguide:PRODUCT:CLIENT/DIALOG)",
			   target);
	}
	slash = strchr(s, '/');
	size_t cl = slash ? (size_t)(slash - s) : strlen(s);
	const struct S_client *c = NULL;
	for (size_t i = 0; i < N(S_clients) && b.len == 0; i++)
		if (strlen(S_clients[i].name) == cl && strncmp(S_clients[i].name, s, cl) == 0) {
			c = &S_clients[i];
			out->client = (unsigned)i;
		}
	if (b.len == 0 && c == NULL) {
		buf_printf(&b, "unknown client '%.*s' in picture '%s'; pictures are: ", (int)cl, s,
			   target);
		S_names(&b, NULL);
	}
	for (size_t j = 0; c && b.len == 0; j++) {
		if (j == c->n_dialogs || slash == NULL) {
			buf_printf(&b,
				   "unknown dialog '%s' of %s in picture '%s'; its pictures are: ",
				   slash ? slash + 1 : "", c->name, target);
			S_names(&b, c);
		} else if (strcmp(c->dialogs[j].name, slash + 1) == 0) {
			out->dialog = (unsigned)j;
			break;
		}
	}
	*why = b.len ? buf_detach(&b) : NULL;
	buf_free(&b);
	return *why == NULL;
}

char *illust_path(const struct illust_ref *ref, const struct model_locale *loc)
{
	const struct S_client *c = &S_clients[ref->client];
	struct buf b = {0};
	buf_printf(&b, "illustrations/%s/%s/%s-%s.svg", ref->product->id, loc->tag, c->name,
		   c->dialogs[ref->dialog].name);
	return buf_detach(&b);
}

/* ---- values ------------------------------------------------------------------------ */

/* One widget as drawn and told: its label, its value as shown, and for the
 * alt text the value in words where the picture shows an example. */
struct S_item {
	enum S_kind kind;
	const char *label;
	char *value;       /* owned; NULL for none */
	const char *words; /* the value told differently in the alt text, or NULL */
	bool on;
	int x, y, w, h; /* the widget's box, laid out by S_layout */
};

struct S_drawing {
	const struct S_client *client;
	const struct S_dialog *dialog;
	const char *title;
	struct S_look look; /* the client's, with a label column as wide as its labels */
	struct S_item *items;
	size_t n;
	int width, height;
};

struct S_ctx {
	const struct model *m;
	struct render *r; /* NULL when only words are wanted (alt texts) */
	const struct model_locale *loc;
	const struct model_product *p;
	const struct model_server *in, *out;
};

static const char *S_str(const struct S_ctx *x, const char *key)
{
	if (key[0] == '=')
		return key + 1;
	if (x->r)
		return render_string(x->r, x->loc, key);
	const char *s = model_string(x->m, x->loc, key);
	return s ? s : key;
}

static const char *S_sec(const struct S_ctx *x, enum model_security s)
{
	static const char *const k[] = {"security_ssl", "security_starttls", "security_none"};
	return S_str(x, k[s]);
}

static const char *S_auth(const struct S_ctx *x, enum model_auth a)
{
	static const char *const k[] = {"auth_password", "auth_encrypted_password", "auth_ntlm",
					"auth_oauth2", "auth_none"};
	return S_str(x, k[a]);
}

/* The login a reader types, shown for the example address. */
static char *S_login(const struct S_ctx *x, const struct model_server *s, const char **words)
{
	const char *email = S_str(x, "ill_example_address");
	/* A pattern of the table ("%EMAILLOCALPART%.%EMAILDOMAIN%") is shown
	 * for the example address; the alt text then says the value only. */
	*words = s->login == LOGIN_ADDRESS     ? S_str(x, "login_address")
		 : s->login == LOGIN_LOCALPART ? S_str(x, "login_localpart")
					       : NULL;
	return model_fill(s->login_pattern, email);
}

static char *S_port(unsigned port)
{
	char n[16];
	snprintf(n, sizeof n, "%u", port);
	return xstrdup(n);
}

/* Fills the value of `it` from widget `w`. */
static void S_value(const struct S_ctx *x, const struct S_widget *w, struct S_item *it)
{
	const struct model_server *in = x->in, *out = x->out;
	switch (w->val) {
	case V_NONE:
		break;
	case V_IN_HOST:
		it->value = in->host_is_pattern
				    ? model_fill(in->host, S_str(x, "ill_example_address"))
				    : xstrdup(in->host);
		break;
	case V_IN_PORT:
		it->value = S_port(in->port);
		break;
	case V_IN_SEC:
		it->value = xstrdup(S_sec(x, in->security));
		break;
	case V_IN_AUTH:
		it->value = xstrdup(S_auth(x, in->auths[0]));
		break;
	case V_IN_LOGIN:
		it->value = S_login(x, in, &it->words);
		break;
	case V_IN_PROTO:
		it->value = xstrdup(in->protocol == PROTO_POP3 ? "POP" : "IMAP");
		break;
	case V_OUT_HOST:
		it->value = out->host_is_pattern
				    ? model_fill(out->host, S_str(x, "ill_example_address"))
				    : xstrdup(out->host);
		break;
	case V_OUT_PORT:
		it->value = S_port(out->port);
		break;
	case V_OUT_SEC:
		it->value = xstrdup(S_sec(x, out->security));
		break;
	case V_OUT_AUTH:
		it->value = xstrdup(S_auth(x, out->auths[0]));
		break;
	case V_OUT_LOGIN:
		it->value = S_login(x, out, &it->words);
		break;
	case V_EMAIL:
		it->value = xstrdup(S_str(x, "ill_example_address"));
		break;
	case V_NAME:
		it->value = xstrdup(S_str(x, "ill_example_name"));
		break;
	case V_PRODUCT: {
		struct buf b = {0};
		buf_printf(&b, "%s %s", model_l10n(&x->p->provider->name, x->loc),
			   model_l10n(&x->p->name, x->loc));
		it->value = buf_detach(&b);
		break;
	}
	/* A client's "SSL" box or switch means an encrypted connection, by
	 * either kind of TLS: each picks implicit TLS or STARTTLS by itself. */
	case V_IN_TLS:
		it->on = in->security != SEC_NONE;
		break;
	case V_OUT_TLS:
		it->on = out->security != SEC_NONE;
		break;
	case V_OUT_AUTH_ON:
		it->on = !model_server_has_auth(out, AUTH_NONE);
		break;
	/* Outlook's "Secure Password Authentication" is NTLM. */
	case V_IN_SPA:
		it->on = in->auths[0] == AUTH_NTLM;
		break;
	case V_OUT_SPA:
		it->on = out->auths[0] == AUTH_NTLM;
		break;
	case V_ON:
		it->on = true;
		break;
	case V_OFF:
		it->on = false;
		break;
	case V_IS_IMAP:
		it->on = in->protocol == PROTO_IMAP;
		break;
	case V_IS_POP:
		it->on = in->protocol == PROTO_POP3;
		break;
	}
	if (w->kind == K_CHOICE && w->val == V_EMAIL) { /* a list entry named by the value */
		it->label = it->value;
		it->on = true;
	}
}

/* The servers a client's pictures show: the preferred incoming one (the
 * first IMAP one for a client that has no POP) and the preferred outgoing. */
static bool S_servers(struct S_ctx *x, const struct S_client *c)
{
	x->in = c->imap_only ? model_server_find(x->p, PROTO_IMAP, SEC_COUNT) : NULL;
	if (x->in == NULL)
		x->in = x->p->n_incoming ? &x->p->incoming[0] : NULL;
	x->out = x->p->n_outgoing ? &x->p->outgoing[0] : NULL;
	return x->in && x->out;
}

static void S_drawing_free(struct S_drawing *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->items[i].value);
	free(d->items);
}

/* ---- layout ------------------------------------------------------------------------ */

/* A rough width of a text: no font is at hand, so each character counts
 * for 0.6 of the size (wide enough for the sans-serif fonts used). */
static int S_text_w(const char *s, int font)
{
	size_t chars = 0;
	for (; s && *s; s++)
		chars += ((unsigned char)*s & 0xC0) != 0x80;
	return (int)(chars * (size_t)font * 6 / 10);
}

/* Decides every widget's box, and the dialog's size: wide enough for its
 * longest text. */
static void S_layout(struct S_drawing *d)
{
	struct S_look *k = &d->look;
	*k = d->client->look;
	for (size_t i = 0; k->mode != M_ABOVE && i < d->n; i++) {
		enum S_kind kind = d->items[i].kind;
		int need = S_text_w(d->items[i].label, k->font) + 24;
		if ((kind == K_FIELD || kind == K_SECRET || kind == K_SELECT) && need > k->label_w)
			k->label_w = need;
	}
	int width = k->width, buttons = 2 * k->pad;
	for (size_t i = 0; i < d->n; i++) {
		const struct S_item *it = &d->items[i];
		int label = S_text_w(it->label, k->font + 2), value = S_text_w(it->value, k->font);
		int need = label + 40;
		switch (it->kind) {
		case K_FIELD:
		case K_SECRET:
		case K_SELECT:
			need = k->mode == M_ABOVE ? (label > value + 40 ? label : value + 40)
						  : k->label_w + value + 40;
			break;
		case K_CHECK:
			need = (k->mode == M_LEFT ? k->label_w : 0) + label +
			       (k->mode == M_IOS ? 80 : 30);
			break;
		case K_BUTTON:
			buttons += S_text_w(it->label, k->font) + 42;
			break;
		default:
			break;
		}
		if (need + 2 * k->pad > width)
			width = need + 2 * k->pad;
	}
	if (!k->nav_buttons && buttons > width)
		width = buttons;
	int y = k->top + 12, inner = width - 2 * k->pad;
	int n_buttons = 0;
	for (size_t i = 0; i < d->n; i++) {
		struct S_item *it = &d->items[i];
		it->x = k->pad;
		it->w = inner;
		switch (it->kind) {
		case K_HEADING:
			it->h = 30;
			break;
		case K_FIELD:
		case K_SECRET:
		case K_SELECT:
			it->h = k->mode == M_ABOVE ? k->box_h + 26 : k->box_h + 10;
			break;
		case K_CHECK:
			it->h = k->mode == M_IOS ? k->box_h : 28;
			break;
		case K_CHOICE:
			it->h = k->mode == M_IOS ? k->box_h : 40;
			break;
		case K_SEGMENT:
			it->h = 44;
			break;
		case K_LINK:
		case K_TEXT:
			it->h = 26;
			break;
		case K_BUTTON:
			it->h = 0;
			n_buttons++;
			continue;
		}
		it->y = y;
		y += it->h;
	}
	/* Buttons: in a row at the bottom, right-aligned, the default one last;
	 * iOS: the first at the left of the top bar, the last at its right. */
	int bx = width - k->pad, by = y + 14;
	bool last = true;
	for (size_t i = d->n; i-- > 0;) {
		struct S_item *it = &d->items[i];
		if (it->kind != K_BUTTON)
			continue;
		it->on = last;
		it->h = 32;
		it->w = S_text_w(it->label, k->font) + 32;
		if (k->nav_buttons) {
			it->y = 30;
			it->x = last ? width - k->pad - it->w : k->pad;
		} else {
			it->x = bx - it->w;
			it->y = by;
			bx = it->x - 10;
		}
		last = false;
	}
	d->width = width;
	d->height = y + (n_buttons && !k->nav_buttons ? 62 : 16);
}

/* The drawing of one dialog for one product and locale; NULL (with an
 * error reported when drawing) when the product lacks the servers. */
static bool S_build(struct S_ctx *x, const struct illust_ref *ref, struct S_drawing *d)
{
	const struct S_client *c = &S_clients[ref->client];
	const struct S_dialog *dl = &c->dialogs[ref->dialog];
	*d = (struct S_drawing){.client = c, .dialog = dl, .title = S_str(x, dl->title)};
	if (!S_servers(x, c))
		return false;
	d->items = xcalloc(dl->n, sizeof *d->items);
	d->n = dl->n;
	for (size_t i = 0; i < dl->n; i++) {
		struct S_item *it = &d->items[i];
		it->kind = dl->w[i].kind;
		it->label = dl->w[i].label[0] ? S_str(x, dl->w[i].label) : "";
		S_value(x, &dl->w[i], it);
	}
	S_layout(d);
	return true;
}

char *illust_alt(const struct model *m, const struct illust_ref *ref,
		 const struct model_locale *loc)
{
	struct S_ctx x = {.m = m, .loc = loc, .p = ref->product};
	struct S_drawing d;
	struct buf b = {0};
	buf_printf(&b, "%s, %s", S_str(&x, S_clients[ref->client].label),
		   S_str(&x, S_clients[ref->client].dialogs[ref->dialog].title));
	if (!S_build(&x, ref, &d)) {
		S_drawing_free(&d);
		return buf_detach(&b);
	}
	const char *sep = ": ";
	for (size_t i = 0; i < d.n; i++) {
		const struct S_item *it = &d.items[i];
		switch (it->kind) {
		case K_HEADING:
			buf_printf(&b, ". %s", it->label);
			sep = ": ";
			continue;
		case K_FIELD:
		case K_SELECT:
			buf_printf(&b, "%s%s", sep, it->label);
			/* "Port:" as the client writes it, or "Port" and the colon. */
			if (b.len == 0 || b.data[b.len - 1] != ':')
				buf_putc(&b, ':');
			buf_printf(&b, " %s", it->value ? it->value : "");
			if (it->words)
				buf_printf(&b, " (%s)", it->words);
			break;
		case K_SECRET:
			buf_printf(&b, "%s%s: %s", sep, it->label, S_str(&x, "ill_alt_password"));
			break;
		case K_CHECK:
			buf_printf(&b, "%s%s: %s", sep, it->label,
				   S_str(&x, it->on ? "ill_alt_on" : "ill_alt_off"));
			break;
		case K_CHOICE:
			if (!it->on)
				continue;
			buf_printf(&b, "%s%s: %s", sep, S_str(&x, "ill_alt_chosen"), it->label);
			break;
		case K_SEGMENT:
			buf_printf(&b, "%s%s: %s", sep, S_str(&x, "ill_alt_chosen"), it->value);
			break;
		case K_BUTTON:
			if (!it->on)
				continue;
			buf_printf(&b, "%s%s: %s", sep, S_str(&x, "ill_alt_button"), it->label);
			break;
		case K_LINK:
		case K_TEXT:
			continue;
		}
		sep = "; ";
	}
	buf_putc(&b, '.');
	S_drawing_free(&d);
	return buf_detach(&b);
}

/* ---- drawing ----------------------------------------------------------------------- */

static void S_int(tpl_dict *d, const char *name, int v) { tpl_set_int(d, name, v); }

/* The coordinates of a labelled box (text box, drop-down list). */
static void S_box(tpl_dict *w, const struct S_look *k, const struct S_item *it)
{
	int bx, by, lx, ly;
	const char *anchor = "start";
	switch (k->mode) {
	case M_ABOVE:
		lx = it->x, ly = it->y + 14, bx = it->x, by = it->y + 20;
		break;
	case M_LEFT:
		lx = it->x + k->label_w - 10, ly = it->y + k->box_h / 2 + 5;
		bx = it->x + k->label_w, by = it->y, anchor = "end";
		break;
	default: /* M_IOS */
		lx = it->x + 14, ly = it->y + k->box_h / 2 + 6, bx = it->x + k->label_w, by = it->y;
		break;
	}
	int bw = it->x + it->w - bx;
	S_int(w, "LX", lx);
	S_int(w, "LY", ly);
	tpl_set(w, "LANCHOR", anchor);
	S_int(w, "BX", bx);
	S_int(w, "BY", by);
	S_int(w, "BW", bw);
	S_int(w, "BH", k->box_h);
	S_int(w, "VX", k->mode == M_IOS ? bx : bx + 8);
	S_int(w, "VY", by + k->box_h / 2 + (k->mode == M_IOS ? 6 : 5));
	S_int(w, "CX", bx + bw - 18);
	S_int(w, "CY", by + k->box_h / 2 - 2);
	S_int(w, "SEPY", it->y + it->h);
}

static void S_widget(tpl_dict *d, const struct S_look *k, const struct S_item *it, int width)
{
	tpl_dict *w = tpl_section(d, "W");
	tpl_set(w, "LABEL", it->label);
	tpl_set(w, "VALUE", it->value ? it->value : "");
	S_int(w, "X", it->x);
	S_int(w, "Y", it->y);
	S_int(w, "W", it->w);
	S_int(w, "H", it->h);
	S_int(w, "RIGHT", it->x + it->w);
	S_int(w, "RX", k->radius);
	if (it->on)
		tpl_show(w, "ON");
	else
		tpl_show(w, "OFF");
	switch (it->kind) {
	case K_HEADING:
		S_int(w, "LY", it->y + 20);
		tpl_show(w, "HEADING");
		break;
	case K_FIELD:
		S_box(w, k, it);
		tpl_show(w, k->mode == M_IOS ? "ROW" : "FIELD");
		break;
	case K_SECRET:
		S_box(w, k, it);
		tpl_set(w, "VALUE", "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022");
		tpl_show(w, k->mode == M_IOS ? "ROW" : "FIELD");
		break;
	case K_SELECT:
		S_box(w, k, it);
		tpl_show(w, "FIELD");
		tpl_show(w, "CHEVRON");
		break;
	case K_CHECK: {
		int bx = k->mode == M_LEFT ? it->x + k->label_w : it->x;
		S_int(w, "BX", bx);
		S_int(w, "BY", it->y + (k->mode == M_IOS ? 6 : 4));
		S_int(w, "LX", k->mode == M_IOS ? it->x + 14 : bx + 22);
		S_int(w, "LY", it->y + (k->mode == M_IOS ? k->box_h / 2 + 6 : 16));
		S_int(w, "SWX", width - k->pad - 51);
		S_int(w, "KX", width - k->pad - (it->on ? 15 : 36));
		S_int(w, "KY", it->y + 21);
		S_int(w, "SEPY", it->y + it->h);
		tpl_show(w, k->mode == M_IOS ? "SWITCH" : "CHECK");
		break;
	}
	case K_CHOICE:
		S_int(w, "LY", it->y + it->h / 2 + 5);
		S_int(w, "CX", it->x + it->w - 14);
		S_int(w, "CY", it->y + it->h / 2 - 5);
		S_int(w, "SEPY", it->y + it->h);
		tpl_show(w, "CHOICE");
		break;
	case K_SEGMENT:
		S_int(w, "HALF", it->w / 2);
		S_int(w, "MID", it->x + it->w / 2);
		S_int(w, "T1", it->x + it->w / 4);
		S_int(w, "T2", it->x + 3 * it->w / 4);
		S_int(w, "LY", it->y + 27);
		tpl_show(w, strcmp(it->value, "POP") == 0 ? "SEGMENT_POP" : "SEGMENT_IMAP");
		break;
	case K_LINK:
	case K_TEXT:
		S_int(w, "LY", it->y + 17);
		tpl_show(w, it->kind == K_LINK ? "LINK" : "TEXT");
		break;
	case K_BUTTON:
		S_int(w, "TX", it->x + it->w / 2);
		S_int(w, "TY", it->y + 21);
		S_int(w, "NX", it->on ? it->x + it->w : it->x);
		tpl_show(w, k->nav_buttons ? "NAV" : "BUTTON");
		if (it->on)
			tpl_show(w, "DEFAULT");
		break;
	}
}

static bool S_draw(struct render *r, const struct illust_ref *ref, const struct model_locale *loc)
{
	struct S_ctx x = {.m = r->m, .r = r, .loc = loc, .p = ref->product};
	struct S_drawing d;
	if (!S_build(&x, ref, &d)) {
		S_drawing_free(&d);
		return true; /* the loader requires both kinds of servers */
	}
	tpl_dict *t = tpl_dict_new();
	tpl_set(t, "LANG", loc->bcp47);
	tpl_set(t, "DIALOG", d.dialog->name);
	tpl_set(t, "TITLE", d.title);
	char *alt = illust_alt(r->m, ref, loc);
	tpl_set(t, "DESC", alt);
	free(alt);
	S_int(t, "WIDTH", d.width);
	S_int(t, "HEIGHT", d.height);
	S_int(t, "PAD", d.look.pad);
	S_int(t, "RIGHT", d.width - d.look.pad);
	S_int(t, "MID", d.width / 2);
	tpl_dict *body = tpl_include(t, "WIDGETS", "illust/widgets.svg.tpl");
	for (size_t i = 0; i < d.n; i++)
		S_widget(body, &d.look, &d.items[i], d.width);
	struct buf b = {0};
	char *path = illust_path(ref, loc);
	bool ok = tpl_expand(r->tpl, d.client->tpl, t, &b, r->diag) &&
		  out_write(r->out, path, b.data, b.len);
	free(path);
	buf_free(&b);
	tpl_dict_free(t);
	S_drawing_free(&d);
	return ok;
}

bool illust_render_all(struct render *r)
{
	bool ok = true;
	for (size_t i = 0; ok && i < r->m->n_providers; i++)
		for (size_t j = 0; ok && j < r->m->providers[i].n_products; j++)
			for (unsigned c = 0; ok && c < N(S_clients); c++)
				for (unsigned k = 0; ok && k < S_clients[c].n_dialogs; k++)
					for (size_t l = 0; ok && l < r->m->site.n_locales; l++) {
						struct illust_ref ref = {
							&r->m->providers[i].products[j], c, k};
						ok = S_draw(r, &ref, &r->m->site.locales[l]);
					}
	return ok && r->diag->errors == 0;
}
