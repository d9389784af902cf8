/* import.c: Thunderbird autoconfig files in, servers.yaml entries out (see
 * import.h). One function per element kind; each reports what it does not
 * know at its position and goes on, so one run shows every problem. */
#include "import.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "util.h"

struct imp {
	struct diag *d;
	const char *file;
	char **lines; /* the file's lines, for the column of a line's element */
	size_t n_lines;
	struct buf *out;
};

/* ---- positions -------------------------------------------------------------- */

/* libxml2's tree knows an element's line (xmlGetLineNo), not its column:
 * the column is where "<name" (or " name=" for an attribute) stands on that
 * line, 1 when it is not found there (an element split over lines). */
static unsigned S_col(const struct imp *x, unsigned line, const char *lead, const char *name)
{
	if (line == 0 || line > x->n_lines)
		return 1;
	const char *l = x->lines[line - 1];
	size_t ll = strlen(lead), nl = strlen(name);
	for (const char *p = l; (p = strstr(p, lead)) != NULL; p += ll)
		if (strncmp(p + ll, name, nl) == 0 && !isalnum((unsigned char)p[ll + nl]))
			return (unsigned)(p - l) + 1 + (lead[0] == ' ' ? 1 : 0);
	return 1;
}

static unsigned S_line(xmlNodePtr n)
{
	long l = xmlGetLineNo(n);
	return l > 0 ? (unsigned)l : 0;
}

static void S_unknown(struct imp *x, xmlNodePtr n, const char *where)
{
	unsigned line = S_line(n);
	diag_warning(x->d, x->file, line, S_col(x, line, "<", (const char *)n->name),
		     "unknown element <%s> in <%s>: not imported", (const char *)n->name, where);
}

static void S_attrs(struct imp *x, xmlNodePtr n, const char *const *known)
{
	for (xmlAttrPtr a = n->properties; a; a = a->next) {
		bool ok = false;
		for (size_t i = 0; known && known[i]; i++)
			ok |= strcmp((const char *)a->name, known[i]) == 0;
		if (!ok) {
			unsigned line = S_line(n);
			diag_warning(x->d, x->file, line,
				     S_col(x, line, " ", (const char *)a->name),
				     "unknown attribute '%s' of <%s>: not imported",
				     (const char *)a->name, (const char *)n->name);
		}
	}
}

static bool S_is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The element's text, trimmed; caller frees. */
static char *S_text(xmlNodePtr n)
{
	xmlChar *t = xmlNodeGetContent(n);
	const char *s = t ? (const char *)t : "";
	while (isspace((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	char *out = xstrndup(s, len);
	xmlFree(t);
	return out;
}

static char *S_attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *out = xstrdup(v ? (const char *)v : "");
	xmlFree(v);
	return out;
}

/* ---- YAML out --------------------------------------------------------------- */

/* A double-quoted YAML scalar: every value goes out this way, so no text of
 * the input can change the YAML's structure. */
static void S_q(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\x%02x", c);
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}

static void S_kv(struct buf *b, const char *indent, const char *key, const char *value)
{
	buf_printf(b, "%s%s: ", indent, key);
	S_q(b, value);
	buf_putc(b, '\n');
}

/* ---- servers ------------------------------------------------------------------ */

static const char *S_socket(const char *s)
{
	return strcmp(s, "SSL") == 0        ? "ssl"
	       : strcmp(s, "STARTTLS") == 0 ? "starttls"
	       : strcmp(s, "plain") == 0    ? "none"
					    : NULL;
}

/* Thunderbird's authentication names and their table words; "plain" and
 * "secure" are the format's old names. */
static const char *S_auth(const char *s)
{
	static const char *const map[][2] = {{"password-cleartext", "password"},
					     {"plain", "password"},
					     {"password-encrypted", "encrypted-password"},
					     {"secure", "encrypted-password"},
					     {"NTLM", "ntlm"},
					     {"OAuth2", "oauth2"},
					     {"none", "none"}};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(s, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

static void S_pop3(struct imp *x, xmlNodePtr n, struct buf *b)
{
	static const char *const keys[][2] = {{"leaveMessagesOnServer", "leave_on_server"},
					      {"daysToLeaveMessagesOnServer", "days_on_server"},
					      {"downloadOnBiff", "download_on_biff"}};
	S_attrs(x, n, NULL);
	struct buf items = {0};
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		size_t k = 0;
		while (k < 3 && !S_is(c, keys[k][0]))
			k++;
		if (k == 3) {
			S_unknown(x, c, "pop3");
			continue;
		}
		char *v = S_text(c);
		/* true/false and a number are YAML's own: written bare. */
		buf_printf(&items, "%s%s: %s", items.len ? ", " : "", keys[k][1], v);
		free(v);
	}
	if (items.len)
		buf_printf(b, "            pop3: {%s}\n", buf_str(&items));
	buf_free(&items);
}

/* One <incomingServer> or <outgoingServer> as a list item; false (after a
 * warning) when it cannot be one. */
static bool S_server(struct imp *x, xmlNodePtr n, bool outgoing, struct buf *b)
{
	static const char *const attrs[] = {"type", NULL};
	S_attrs(x, n, attrs);
	char *type = S_attr(n, "type");
	unsigned line = S_line(n);
	bool ok = outgoing ? strcmp(type, "smtp") == 0
			   : strcmp(type, "imap") == 0 || strcmp(type, "pop3") == 0;
	if (!ok)
		diag_warning(x->d, x->file, line, S_col(x, line, " ", "type"),
			     "server type '%s' is not one mailguide writes (imap, pop3, smtp): "
			     "server not imported",
			     type);
	struct buf s = {0}, auths = {0};
	buf_printf(&s, "          - protocol: %s\n", type);
	for (xmlNodePtr c = n->children; ok && c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		char *v = S_text(c);
		unsigned cl = S_line(c);
		unsigned cc = S_col(x, cl, "<", (const char *)c->name);
		if (S_is(c, "hostname")) {
			S_kv(&s, "            ", "host", v);
		} else if (S_is(c, "port")) {
			/* Digits go out bare, as YAML's integer; anything else quoted, for
			 * the loader to report. */
			bool digits = *v && strlen(v) <= 5 && strspn(v, "0123456789") == strlen(v);
			buf_printf(&s, "            port: ");
			if (digits)
				buf_puts(&s, v);
			else
				S_q(&s, v);
			buf_putc(&s, '\n');
		} else if (S_is(c, "socketType")) {
			if (S_socket(v))
				buf_printf(&s, "            security: %s\n", S_socket(v));
			else
				diag_warning(x->d, x->file, cl, cc,
					     "unknown socketType '%s': not imported", v);
		} else if (S_is(c, "authentication")) {
			if (S_auth(v))
				buf_printf(&auths, "%s%s", auths.len ? ", " : "", S_auth(v));
			else
				diag_warning(x->d, x->file, cl, cc,
					     "authentication '%s' is not one mailguide writes "
					     "(password-cleartext, password-encrypted, NTLM, "
					     "OAuth2, none): "
					     "not imported",
					     v);
		} else if (S_is(c, "username")) {
			S_kv(&s, "            ", "login", v);
		} else if (S_is(c, "pop3") && !outgoing) {
			S_pop3(x, c, &s);
		} else {
			S_unknown(x, c, outgoing ? "outgoingServer" : "incomingServer");
		}
		free(v);
	}
	if (ok && auths.len == 0) {
		diag_warning(x->d, x->file, line, S_col(x, line, "<", (const char *)n->name),
			     "server without an authentication mailguide knows: not imported");
		ok = false;
	}
	if (ok) {
		buf_put(b, s.data, s.len);
		buf_printf(b, "            auth: [%s]\n", buf_str(&auths));
	}
	buf_free(&s);
	buf_free(&auths);
	free(type);
	return ok;
}

/* ---- the provider --------------------------------------------------------------- */

/* An id from the provider's domain: lower case, '.' and other characters
 * as '-' (the table's ids are [a-z0-9-]). */
static char *S_id(const char *domain)
{
	char *id = xstrdup(*domain ? domain : "imported");
	for (char *p = id; *p; p++)
		*p = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '-';
	return id;
}

static void S_documentation(struct imp *x, xmlNodePtr n, struct buf *b)
{
	static const char *const attrs[] = {"url", NULL}, *const dattrs[] = {"lang", NULL};
	S_attrs(x, n, attrs);
	char *url = S_attr(n, "url");
	buf_printf(b, "          - url: ");
	S_q(b, url);
	buf_puts(b, "\n            descr: {");
	bool first = true;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!S_is(c, "descr")) {
			S_unknown(x, c, "documentation");
			continue;
		}
		S_attrs(x, c, dattrs);
		char *lang = S_attr(c, "lang"), *text = S_text(c);
		buf_puts(b, first ? "" : ", ");
		S_q(b, *lang ? lang : "en");
		buf_puts(b, ": ");
		S_q(b, text);
		first = false;
		free(lang);
		free(text);
	}
	buf_puts(b, "}\n");
	free(url);
}

static void S_oauth2(struct imp *x, xmlNodePtr n, struct buf *b)
{
	static const char *const keys[][2] = {{"issuer", "issuer"},
					      {"scope", "scope"},
					      {"authURL", "auth_url"},
					      {"tokenURL", "token_url"}};
	S_attrs(x, n, NULL);
	buf_puts(b, "        oauth2:\n");
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		size_t k = 0;
		while (k < 4 && !S_is(c, keys[k][0]))
			k++;
		if (k == 4) {
			S_unknown(x, c, "oAuth2");
			continue;
		}
		char *v = S_text(c);
		S_kv(b, "          ", keys[k][1], v);
		free(v);
	}
}

/* <webMail>: its login page becomes the provider's webmail_url. */
static char *S_webmail(struct imp *x, xmlNodePtr n)
{
	static const char *const attrs[] = {"url", NULL};
	char *url = NULL;
	S_attrs(x, n, NULL);
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (S_is(c, "loginPage") && url == NULL) {
			S_attrs(x, c, attrs);
			url = S_attr(c, "url");
		} else {
			S_unknown(x, c, "webMail");
		}
	}
	return url;
}

/* One file: its <emailProvider> and the <webMail> and <oAuth2> beside it. */
static bool S_file(struct imp *x, xmlNodePtr root)
{
	static const char *const pattrs[] = {"id", NULL}, *const rattrs[] = {"version", NULL};
	xmlNodePtr prov = NULL;
	char *webmail = NULL;
	struct buf extra = {0};
	S_attrs(x, root, rattrs);
	for (xmlNodePtr c = root->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (S_is(c, "emailProvider") && prov == NULL)
			prov = c;
		else if (S_is(c, "webMail") && webmail == NULL)
			webmail = S_webmail(x, c);
		else if (S_is(c, "oAuth2") && extra.len == 0)
			S_oauth2(x, c, &extra);
		else
			S_unknown(x, c, "clientConfig");
	}
	if (prov == NULL) {
		diag_error(x->d, x->file, S_line(root), 1, "no <emailProvider>");
		free(webmail);
		buf_free(&extra);
		return false;
	}
	S_attrs(x, prov, pattrs);
	char *domain = S_attr(prov, "id"), *id = S_id(domain);
	char *display = NULL, *shortname = NULL;
	struct buf domains = {0}, in = {0}, out = {0}, docs = {0};
	for (xmlNodePtr c = prov->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (S_is(c, "domain")) {
			char *v = S_text(c);
			buf_puts(&domains, domains.len ? ", " : "");
			S_q(&domains, v);
			free(v);
		} else if (S_is(c, "displayName") && !display) {
			display = S_text(c);
		} else if (S_is(c, "displayShortName") && !shortname) {
			shortname = S_text(c);
		} else if (S_is(c, "incomingServer")) {
			S_server(x, c, false, &in);
		} else if (S_is(c, "outgoingServer")) {
			S_server(x, c, true, &out);
		} else if (S_is(c, "documentation")) {
			S_documentation(x, c, &docs);
		} else {
			S_unknown(x, c, "emailProvider");
		}
	}
	struct buf *b = x->out;
	buf_printf(b, "  - id: %s\n", id);
	S_kv(b, "    ", "name", display ? display : domain);
	S_kv(b, "    ", "domain", domain);
	if (webmail)
		S_kv(b, "    ", "webmail_url", webmail);
	buf_printf(b, "    products:\n      - id: %s\n", id);
	S_kv(b, "        ", "name", shortname ? shortname : display ? display : domain);
	if (display)
		S_kv(b, "        ", "display_name", display);
	if (shortname)
		S_kv(b, "        ", "short_name", shortname);
	buf_printf(b, "        domains: [%s]\n", domains.len ? buf_str(&domains) : "\"*\"");
	buf_printf(b, "        incoming:\n%s", buf_str(&in));
	buf_printf(b, "        outgoing:\n%s", buf_str(&out));
	if (docs.len)
		buf_printf(b, "        documentation:\n%s", buf_str(&docs));
	buf_puts(b, buf_str(&extra));
	bool ok = in.len > 0 && out.len > 0;
	if (!ok)
		diag_error(x->d, x->file, S_line(prov),
			   S_col(x, S_line(prov), "<", "emailProvider"),
			   "no %s server could be imported", in.len ? "outgoing" : "incoming");
	free(domain), free(id), free(display), free(shortname), free(webmail);
	buf_free(&domains), buf_free(&in), buf_free(&out), buf_free(&docs), buf_free(&extra);
	return ok;
}

static void S_split_lines(struct imp *x, const char *text)
{
	for (const char *p = text;;) {
		const char *nl = strchr(p, '\n');
		x->lines = xrealloc(x->lines, (x->n_lines + 1) * sizeof *x->lines);
		x->lines[x->n_lines++] = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

int import_run(const struct import_opts *o, struct diag *d)
{
	struct buf out = {0};
	buf_puts(&out, "# servers.yaml entries written by mailguide import from Thunderbird\n"
		       "# autoconfig files; check the names and ids before publishing.\n"
		       "providers:\n");
	int errors = d->errors;
	for (int i = 0; i < o->n_files; i++) {
		struct imp x = {.d = d, .file = o->files[i], .out = &out};
		/* NONET: no DTD or entity is fetched; without NOENT no entity is
		 * expanded, so no file can pull in another or grow without bound. */
		xmlDocPtr doc = xmlReadFile(
			x.file, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		if (doc == NULL) {
			const xmlError *e = xmlGetLastError();
			diag_error(d, x.file, e ? (unsigned)e->line : 0, e ? (unsigned)e->int2 : 0,
				   "not a well-formed XML file%s%s", e && e->message ? ": " : "",
				   e && e->message ? e->message : "");
			continue;
		}
		xmlNodePtr root = xmlDocGetRootElement(doc);
		if (root == NULL || !S_is(root, "clientConfig")) {
			diag_error(
				d, x.file, root ? S_line(root) : 1, 1,
				"not an autoconfig file: the root element is not <clientConfig>");
		} else {
			FILE *f = fopen(x.file, "rb");
			struct buf text = {0};
			char chunk[4096];
			size_t n;
			while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
				buf_put(&text, chunk, n);
			if (f)
				fclose(f);
			S_split_lines(&x, buf_str(&text));
			buf_free(&text);
			S_file(&x, root);
		}
		for (size_t k = 0; k < x.n_lines; k++)
			free(x.lines[k]);
		free(x.lines);
		xmlFreeDoc(doc);
	}
	int rc = d->errors != errors ? 1 : 0;
	if (rc == 0 && (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)) {
		diag_error(d, "<stdout>", 0, 0, "cannot write");
		rc = 1;
	}
	buf_free(&out);
	return rc;
}
