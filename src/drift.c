/* drift.c: hosts, ports and security statements typed in a guide, compared
 * with the server table (see drift.h for what is reported and why).
 *
 * The scan works on the source lines, not on the tree's text, so every
 * finding has the exact line and column of what the author typed; the tree
 * only says which lines are paragraphs, headings and tables (and so which
 * are code, left alone). */
#include "drift.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* ---- words ------------------------------------------------------------------------ */

enum {
	P_IMAP = 1 << PROTO_IMAP,
	P_POP3 = 1 << PROTO_POP3,
	P_SMTP = 1 << PROTO_SMTP,
	P_ALL = P_IMAP | P_POP3 | P_SMTP
};

/* A keyword with its length, counted by the compiler: the scan tries each
 * keyword at every word start of the prose, and a strlen there was most of
 * the check's time. Lists end with {NULL, 0}. */
struct S_word {
	const char *s;
	size_t len;
};
/* clang-format off */
#define S_W(lit) {lit, sizeof(lit) - 1}
/* clang-format on */

/* Words naming a protocol, or incoming/outgoing mail, in the guides'
 * languages (lower case; ASCII letters compare case-insensitively). Each
 * must start a word; `whole` ones must also end it ("POP" but not
 * "popular"). */
static const struct {
	struct S_word w;
	unsigned protos;
	bool whole;
} S_proto_words[] = {
	{S_W("imap"), P_IMAP, false},
	{S_W("pop3"), P_POP3, false},
	{S_W("pop"), P_POP3, true},
	{S_W("smtp"), P_SMTP, false},
	{S_W("incoming"), P_IMAP | P_POP3, false},
	{S_W("przychodząc"), P_IMAP | P_POP3, false},
	{S_W("wchodząc"), P_IMAP | P_POP3, false},
	{S_W("eingehend"), P_IMAP | P_POP3, false},
	{S_W("posteingang"), P_IMAP | P_POP3, false},
	{S_W("entrant"), P_IMAP | P_POP3, false},
	{S_W("réception"), P_IMAP | P_POP3, false},
	{S_W("ricezione"), P_IMAP | P_POP3, false},
	{S_W("entrada"), P_IMAP | P_POP3, false},
	{S_W("outgoing"), P_SMTP, false},
	{S_W("wychodząc"), P_SMTP, false},
	{S_W("ausgehend"), P_SMTP, false},
	{S_W("postausgang"), P_SMTP, false},
	{S_W("sortant"), P_SMTP, false},
	{S_W("envoi"), P_SMTP, false},
	{S_W("invio"), P_SMTP, false},
	{S_W("salida"), P_SMTP, false},
	{S_W("submission"), P_SMTP, false},
};

/* The first letters of S_proto_words in either case (keep them in step):
 * most words of prose start with none of them, and are passed by a look
 * here. */
static const bool S_proto_first[256] = {
	['a'] = 1, ['e'] = 1, ['i'] = 1, ['o'] = 1, ['p'] = 1, ['r'] = 1, ['s'] = 1, ['w'] = 1,
	['A'] = 1, ['E'] = 1, ['I'] = 1, ['O'] = 1, ['P'] = 1, ['R'] = 1, ['S'] = 1, ['W'] = 1,
};

/* "port", "Porty", "porcie", "Porte": a number beside one is a port. */
static const struct S_word S_port_words[] = {S_W("port"), S_W("porcie"), {NULL, 0}};
/* Words beside which an unknown host name is taken for a server's. */
static const struct S_word S_server_words[] = {S_W("serw"), S_W("serv"), S_W("host"), {NULL, 0}};
/* What turns "SSL" into "without SSL": whole words, and pieces of words
 * (Polish and German glue them: "SSLwyłączony", "unverschlüsselt"). */
static const struct S_word S_negation_words[] = {
	S_W("off"), S_W("no"),   S_W("none"), S_W("without"), S_W("disabled"),
	S_W("bez"), S_W("sans"), S_W("ohne"), S_W("not"),     {NULL, 0}};
static const struct S_word S_negation_parts[] = {
	S_W("wyłącz"),   S_W("deaktiv"),   S_W("désactiv"),   S_W("unverschl"),
	S_W("nieszyfr"), S_W("unencrypt"), S_W("niezaszyfr"), {NULL, 0}};
/* Statements of no encryption at all (starts of words). */
static const struct S_word S_plain_words[] = {
	S_W("no encryption"),   S_W("unencrypted"), S_W("none"),  S_W("brak"),
	S_W("bez szyfrowania"), S_W("keine"),       S_W("aucun"), S_W("sans chiffrement"),
	S_W("unverschl"),       {NULL, 0}};
/* Starts of URLs, which are not prose. */
static const struct S_word S_url_words[] = {S_W("http://"), S_W("https://"), S_W("ftp://"),
					    S_W("mailto:"), S_W("www."),     {NULL, 0}};
/* Extensions of files guides name in prose ("user.js"), not hosts. */
static const char *const S_file_exts[] = {
	"js", "xml", "ps1", "zip", "png",          "jpg", "jpeg", "gif",  "html", "htm",
	"md", "cfg", "txt", "exe", "mobileconfig", "pdf", "json", "yaml", "yml",  NULL};

static bool S_wordc(unsigned char c) { return isalnum(c) || c == '_' || c >= 0x80; }

/* ASCII letters in lower case, other bytes as they are: tolower() of the
 * "C" locale, which mailguide never leaves, without a call per byte. */
static unsigned char S_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }

/* Whether the `k` bytes of `kw` (lower case) are at s[i], ASCII letters in
 * any case. */
static bool S_at(const char *s, size_t n, size_t i, const char *kw, size_t k)
{
	if (i + k > n)
		return false;
	for (size_t j = 0; j < k; j++)
		if (S_lower((unsigned char)s[i + j]) != (unsigned char)kw[j])
			return false;
	return true;
}

static bool S_at_word(const char *s, size_t n, size_t i, const struct S_word *w)
{
	return S_at(s, n, i, w->s, w->len);
}

#define S_AT_LIT(s, n, i, lit) S_at(s, n, i, lit, sizeof(lit) - 1)

static bool S_word_start(const char *s, size_t i)
{
	return i == 0 || !S_wordc((unsigned char)s[i - 1]);
}

/* A segment of a source line: a whole line, or a table cell. */
struct S_seg {
	size_t line;       /* body line, 1-based */
	size_t start, end; /* bytes of the line */
};

struct S_ctx {
	const struct model *m;
	const struct guide_doc *doc;
	struct diag *d;
	struct drift_fixes *fixes;
	const char **lines; /* 1-based */
	size_t *lens;
	size_t n_lines;
	char *mask;              /* per byte of the current line: not prose */
	unsigned heading_protos; /* what the current section's heading names */
};

/* ---- masking what is not prose ------------------------------------------------------- */

/* True when a URL (S_url_words) starts at s[i], at a word's start. */
static bool S_url_at(const char *s, size_t n, size_t i)
{
	/* Called for every byte of prose, and most bytes start none: the
	 * first letters of S_url_words (keep them in step) are tested first,
	 * without a call. */
	unsigned char c = S_lower((unsigned char)s[i]);
	switch (c) {
	case 'h':
	case 'f':
	case 'm':
	case 'w':
		break;
	default:
		return false;
	}
	if (!S_word_start(s, i))
		return false;
	for (size_t k = 0; S_url_words[k].s; k++)
		if (c == (unsigned char)S_url_words[k].s[0] && S_at_word(s, n, i, &S_url_words[k]))
			return true;
	return false;
}

/* Marks in mask[] the bytes of `s` that are not prose: {{...}} references,
 * {...} attributes and placeholders, link targets, <...>, URLs and e-mail
 * addresses. */
static void S_mask(const char *s, size_t n, char *mask)
{
	/* The bytes that may start what is masked: the first letters of
	 * S_url_words (keep them in step) and the marks below. */
	static const bool from[256] = {
		['{'] = 1, [']'] = 1, ['<'] = 1, ['@'] = 1, ['h'] = 1, ['f'] = 1,
		['m'] = 1, ['w'] = 1, ['H'] = 1, ['F'] = 1, ['M'] = 1, ['W'] = 1,
	};
	memset(mask, 0, n);
	size_t gt = SIZE_MAX; /* the first '>' at or after i (n: none); SIZE_MAX: not sought yet */
	for (size_t i = 0; i < n; i++) {
		if (!from[(unsigned char)s[i]])
			continue; /* most bytes of prose */
		size_t e = i;
		if (s[i] == '{') {
			const char *close = s[i + 1] == '{' ? "}}" : "}";
			size_t cl = strlen(close);
			e = i + 1;
			while (e < n && strncmp(s + e, close, cl) != 0)
				e++;
			e = e < n ? e + cl : n;
		} else if (s[i] == ']' && i + 1 < n && s[i + 1] == '(') {
			int depth = 0;
			for (e = i + 1; e < n; e++) {
				if (s[e] == '(')
					depth++;
				else if (s[e] == ')' && --depth == 0)
					break;
			}
			e = e < n ? e + 1 : n;
		} else if (s[i] == '<') {
			/* Sought again only once passed: a line of '<' without
			 * a '>' would be read to its end once per '<'. */
			if (gt == SIZE_MAX || gt < i) {
				const char *p = memchr(s + i, '>', n - i);
				gt = p ? (size_t)(p - s) : n;
			}
			e = gt < n ? gt + 1 : i + 1;
		} else if (S_url_at(s, n, i)) {
			e = i;
			while (e < n && !isspace((unsigned char)s[e]))
				e++;
		} else if (s[i] == '@') {
			size_t b = i;
			while (b > 0 && !isspace((unsigned char)s[b - 1]) && s[b - 1] != '|')
				b--;
			e = i;
			while (e < n && !isspace((unsigned char)s[e]) && s[e] != '|')
				e++;
			memset(mask + b, 1, i - b);
		}
		if (e > i) {
			memset(mask + i, 1, e - i);
			i = e - 1;
		}
	}
}

/* ---- finding words in a segment ------------------------------------------------------ */

/* What the protocol word starting at s[i] names; 0: none starts there. */
static unsigned S_proto_at(const char *s, const struct S_seg *g, size_t i, const char *mask)
{
	if (!S_proto_first[(unsigned char)s[i]] || (mask && mask[i]) || !S_word_start(s, i))
		return 0;
	/* Called at every word of the prose: the first byte rules out most. */
	unsigned char c = S_lower((unsigned char)s[i]);
	for (size_t k = 0; k < sizeof S_proto_words / sizeof S_proto_words[0]; k++) {
		size_t len = S_proto_words[k].w.len;
		if ((unsigned char)S_proto_words[k].w.s[0] != c ||
		    !S_at_word(s, g->end, i, &S_proto_words[k].w))
			continue;
		if (S_proto_words[k].whole && i + len < g->end &&
		    S_wordc((unsigned char)s[i + len]))
			continue;
		return S_proto_words[k].protos;
	}
	return 0;
}

/* The protocols every naming word of the segment agrees on, else all of
 * them together. 0: none. */
static unsigned S_protos(const struct S_ctx *x, const struct S_seg *g)
{
	const char *s = x->lines[g->line];
	unsigned all = 0, every = P_ALL;
	for (size_t i = g->start; i < g->end; i++) {
		if (!S_proto_first[(unsigned char)s[i]])
			continue; /* without a call: most bytes */
		unsigned p = S_proto_at(s, g, i, NULL);
		all |= p;
		if (p)
			every &= p;
	}
	if (all == 0)
		return 0;
	return every ? every : all;
}

/* Whether the segment has one of `words` starting a word. */
static bool S_has_word(const struct S_ctx *x, const struct S_seg *g, const struct S_word *words)
{
	const char *s = x->lines[g->line];
	for (size_t i = g->start; i < g->end; i++) {
		if (!S_wordc((unsigned char)s[i]) || !S_word_start(s, i))
			continue;
		for (size_t k = 0; words[k].s; k++)
			if (S_at_word(s, g->end, i, &words[k]))
				return true;
	}
	return false;
}

/* Whether a negation stands in the clause of the statement at [at, end):
 * the bytes around it up to a number or a punctuation mark, so that in
 * "993 (SSL/TLS) or 143 (no encryption)" the "no" is 143's alone. */
static bool S_negated(const struct S_ctx *x, const struct S_seg *g, size_t at, size_t end)
{
	const char *s = x->lines[g->line];
	size_t lo = at, hi = end;
	while (lo > g->start && !strchr(",;()|.:", s[lo - 1]) && !isdigit((unsigned char)s[lo - 1]))
		lo--;
	while (hi < g->end && !strchr(",;()|.:", s[hi]) && !isdigit((unsigned char)s[hi]))
		hi++;
	for (size_t i = lo; i < hi; i++) {
		for (size_t k = 0; S_negation_parts[k].s; k++)
			if (S_at_word(s, hi, i, &S_negation_parts[k]))
				return true;
		if (!S_word_start(s, i))
			continue;
		for (size_t k = 0; S_negation_words[k].s; k++) {
			size_t len = S_negation_words[k].len;
			if (S_at_word(s, hi, i, &S_negation_words[k]) &&
			    (i + len == hi || !S_wordc((unsigned char)s[i + len])))
				return true;
		}
	}
	return false;
}

/* What a text says about a connection's security. */
enum S_claim { CLAIM_NONE, CLAIM_SSL, CLAIM_STARTTLS, CLAIM_TLS, CLAIM_PLAIN };

/* The security statement starting at s[i], its length in *len; CLAIM_NONE:
 * none starts there. "SSL/TLS" is SSL; a word may go on ("SSLwłączony"). */
static enum S_claim S_claim_at(const char *s, const struct S_seg *g, size_t i, const char *mask,
			       size_t *len)
{
	if ((mask && mask[i]) || !S_word_start(s, i))
		return CLAIM_NONE;
	*len = 3;
	if (S_AT_LIT(s, g->end, i, "starttls")) {
		*len = 8;
		return CLAIM_STARTTLS;
	}
	if (S_AT_LIT(s, g->end, i, "ssl"))
		return CLAIM_SSL;
	if (S_AT_LIT(s, g->end, i, "tls") && (i == 0 || s[i - 1] != '/'))
		return CLAIM_TLS;
	for (size_t k = 0; S_plain_words[k].s; k++)
		if (S_at_word(s, g->end, i, &S_plain_words[k])) {
			*len = S_plain_words[k].len;
			return CLAIM_PLAIN;
		}
	return CLAIM_NONE;
}

/* The segment's first security statement, turned into CLAIM_PLAIN by a
 * negation in its clause ("SSL ... wyłączone", "without SSL"). */
static enum S_claim S_claim(const struct S_ctx *x, const struct S_seg *g)
{
	const char *s = x->lines[g->line];
	for (size_t i = g->start; i < g->end; i++) {
		size_t len;
		enum S_claim c = S_claim_at(s, g, i, NULL, &len);
		if (c != CLAIM_NONE)
			return S_negated(x, g, i, i + len) ? CLAIM_PLAIN : c;
	}
	return CLAIM_NONE;
}

/* ---- the words around the values of a segment ------------------------------------------ */

/* A word of a segment, at bytes [at, at + len). */
struct S_hit {
	size_t at, len;
	unsigned protos;    /* a protocol word's */
	enum S_claim claim; /* a statement's, before negation */
	int negated;        /* a statement's: -1 until asked */
};

struct S_hits {
	struct S_hit *v;
	size_t n, cap;
};

/* The words the values of a segment are read against, each list in the
 * order of the segment and found in one pass the first time a value asks
 * for it: reading the segment again for each of its (up to 128) values
 * made one long line slow. Protocol words and statements are not sought
 * in the mask (the segment's hosts masked too); "port" words are. */
struct S_words {
	const struct S_ctx *x;
	const struct S_seg *g;
	unsigned found; /* S_FOUND_*: the lists found so far */
	struct S_hits protos, claims, ports;
	bool server_word;
};

enum { S_FOUND_PROTOS = 1, S_FOUND_CLAIMS = 2, S_FOUND_PORTS = 4, S_FOUND_SERVER = 8 };

static void S_hit_add(struct S_hits *h, struct S_hit hit)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 16;
		h->v = xrealloc(h->v, h->cap * sizeof *h->v);
	}
	h->v[h->n++] = hit;
}

static const struct S_hits *S_words_protos(struct S_words *w)
{
	if (w->found & S_FOUND_PROTOS)
		return &w->protos;
	w->found |= S_FOUND_PROTOS;
	const char *s = w->x->lines[w->g->line];
	for (size_t i = w->g->start; i < w->g->end; i++) {
		if (!S_proto_first[(unsigned char)s[i]])
			continue; /* without a call: most bytes */
		unsigned p = S_proto_at(s, w->g, i, w->x->mask);
		if (p)
			S_hit_add(&w->protos, (struct S_hit){.at = i, .protos = p});
	}
	return &w->protos;
}

static struct S_hits *S_words_claims(struct S_words *w)
{
	if (w->found & S_FOUND_CLAIMS)
		return &w->claims;
	w->found |= S_FOUND_CLAIMS;
	const char *s = w->x->lines[w->g->line];
	for (size_t i = w->g->start; i < w->g->end; i++) {
		size_t len;
		enum S_claim c = S_claim_at(s, w->g, i, w->x->mask, &len);
		if (c == CLAIM_NONE)
			continue;
		S_hit_add(&w->claims,
			  (struct S_hit){.at = i, .len = len, .claim = c, .negated = -1});
		i += len - 1; /* statements do not overlap */
	}
	return &w->claims;
}

static const struct S_hits *S_words_ports(struct S_words *w)
{
	if (w->found & S_FOUND_PORTS)
		return &w->ports;
	w->found |= S_FOUND_PORTS;
	const char *s = w->x->lines[w->g->line];
	for (size_t i = w->g->start; i < w->g->end; i++) {
		/* Every one of S_port_words starts with a 'p' (keep them in
		 * step): the other bytes are passed by one look. */
		if (S_lower((unsigned char)s[i]) != 'p' || !S_word_start(s, i))
			continue;
		for (size_t k = 0; S_port_words[k].s; k++)
			if (S_at_word(s, w->g->end, i, &S_port_words[k]))
				S_hit_add(&w->ports,
					  (struct S_hit){.at = i, .len = S_port_words[k].len});
	}
	return &w->ports;
}

static bool S_words_server(struct S_words *w)
{
	if (!(w->found & S_FOUND_SERVER))
		w->server_word = S_has_word(w->x, w->g, S_server_words);
	w->found |= S_FOUND_SERVER;
	return w->server_word;
}

static void S_words_free(struct S_words *w)
{
	free(w->protos.v);
	free(w->claims.v);
	free(w->ports.v);
}

/* The first hit at or after byte `at` (h->n: none). */
static size_t S_hit_from(const struct S_hits *h, size_t at)
{
	size_t lo = 0, hi = h->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->v[mid].at < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The protocols named nearest to byte `at`: by the last word before it,
 * else by the first after. 0: none. */
static unsigned S_protos_near(struct S_words *w, size_t at)
{
	const struct S_hits *h = S_words_protos(w);
	size_t j = S_hit_from(h, at);
	if (j > 0)
		return h->v[j - 1].protos;
	return j < h->n ? h->v[j].protos : 0;
}

/* The security statement nearest to byte `at` (of two as near, the one
 * before), turned into CLAIM_PLAIN by a negation in its clause. */
static enum S_claim S_claim_near(struct S_words *w, size_t at)
{
	struct S_hits *h = S_words_claims(w);
	if (h->n == 0)
		return CLAIM_NONE;
	size_t j = S_hit_from(h, at);
	struct S_hit *best = &h->v[j];
	if (j == h->n || (j > 0 && at - h->v[j - 1].at <= h->v[j].at - at))
		best = &h->v[j - 1];
	if (best->negated < 0)
		best->negated = S_negated(w->x, w->g, best->at, best->at + best->len);
	return best->negated ? CLAIM_PLAIN : best->claim;
}

/* Whether a "port" word starts before byte `before`; *end gets the end of
 * the last such. */
static bool S_port_word_before(struct S_words *w, size_t before, size_t *end)
{
	const struct S_hits *h = S_words_ports(w);
	size_t j = S_hit_from(h, before);
	if (j == 0)
		return false;
	*end = h->v[j - 1].at + h->v[j - 1].len;
	return true;
}

static bool S_claim_fits(enum S_claim c, enum model_security s)
{
	switch (c) {
	case CLAIM_SSL:
		return s == SEC_SSL;
	case CLAIM_STARTTLS:
		return s == SEC_STARTTLS;
	case CLAIM_TLS:
		return s != SEC_NONE;
	case CLAIM_PLAIN:
		return s == SEC_NONE;
	default:
		return true;
	}
}

static const char *S_claim_text(enum S_claim c)
{
	switch (c) {
	case CLAIM_SSL:
		return "SSL";
	case CLAIM_STARTTLS:
		return "STARTTLS";
	case CLAIM_TLS:
		return "TLS";
	default:
		return "no SSL";
	}
}

static const char *S_sec_text(enum model_security s)
{
	return s == SEC_SSL        ? "SSL (implicit TLS)"
	       : s == SEC_STARTTLS ? "STARTTLS"
				   : "no encryption";
}

static const char *S_proto_upper(enum model_protocol p)
{
	return p == PROTO_IMAP ? "IMAP" : p == PROTO_POP3 ? "POP3" : "SMTP";
}

/* ---- the table ------------------------------------------------------------------- */

struct S_server {
	const struct model_product *p;
	const struct model_server *s;
};

/* The products a guide is about: its own, else the whole table. */
static bool S_product_ok(const struct S_ctx *x, const struct model_product *p)
{
	if (x->doc->n_products == 0)
		return true;
	for (size_t i = 0; i < x->doc->n_products; i++)
		if (x->doc->products[i] == p)
			return true;
	return false;
}

/* Whether the pattern `pat` (a host with %EMAILDOMAIN% or %EMAILLOCALPART%,
 * each standing for one or more host characters) matches `tok`, ignoring
 * case. Recursion depth is bounded by the placeholders in a host (at most
 * 253 characters). */
static bool S_pattern_match(const char *pat, const char *tok, size_t len)
{
	while (*pat) {
		if (*pat == '%') {
			const char *end = strchr(pat + 1, '%');
			if (end == NULL)
				return false;
			pat = end + 1;
			for (size_t k = 1; k <= len && (isalnum((unsigned char)tok[k - 1]) ||
							tok[k - 1] == '.' || tok[k - 1] == '-');
			     k++)
				if (S_pattern_match(pat, tok + k, len - k))
					return true;
			return false;
		}
		if (len == 0 || tolower((unsigned char)*pat) != tolower((unsigned char)*tok))
			return false;
		pat++, tok++, len--;
	}
	return len == 0;
}

/* Whether the host typed in a guide is `s`'s: its name, or a name its
 * pattern ("mail.%EMAILDOMAIN%") makes. */
static bool S_host_match(const struct model_server *s, const char *host, size_t len)
{
	if (s->host_is_pattern)
		return S_pattern_match(s->host, host, len);
	return strlen(s->host) == len && strncasecmp(s->host, host, len) == 0;
}

/* Fills `out` (up to cap) with the servers of the
 * guide's products whose protocol is in `protos` and that match `host`
 * (case-insensitively) or `port` (when non-zero). `all_products` widens to
 * the whole table. Returns how many. */
static size_t S_servers(const struct S_ctx *x, unsigned protos, const char *host, size_t host_len,
			unsigned port, bool all_products, struct S_server *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < x->m->n_providers; i++)
		for (size_t j = 0; j < x->m->providers[i].n_products; j++) {
			const struct model_product *p = &x->m->providers[i].products[j];
			if (!all_products && !S_product_ok(x, p))
				continue;
			for (int io = 0; io < 2; io++) {
				const struct model_server *v = io ? p->outgoing : p->incoming;
				size_t nv = io ? p->n_outgoing : p->n_incoming;
				for (size_t k = 0; k < nv; k++) {
					const struct model_server *s = &v[k];
					if (!(protos & (1u << s->protocol)))
						continue;
					if (host && !S_host_match(s, host, host_len))
						continue;
					if (port && s->port != port)
						continue;
					if (n < cap)
						out[n] = (struct S_server){p, s};
					n++;
				}
			}
		}
	return n < cap ? n : cap;
}

/* "" for the guide's first product, which references name implicitly;
 * "id:" for another. */
static const char *S_prefix(const struct S_ctx *x, const struct model_product *p, struct arena *a)
{
	if (x->doc->n_products && x->doc->products[0] == p)
		return "";
	return arena_printf(a, "%s:", p->id);
}

/* The data reference that gives `s`'s host (field "host") or port, written
 * as the guide would: without the product when it is the guide's first.
 * NULL when no reference gives exactly this server's value. Arena. */
static const char *S_ref(const struct S_ctx *x, const struct S_server *v, bool host,
			 struct arena *a)
{
	const char *prefix = S_prefix(x, v->p, a);
	const char *proto = model_protocol_name(v->s->protocol);
	const struct model_server *pref = model_server_find(v->p, v->s->protocol, SEC_COUNT);
	const struct model_server *same = model_server_find(v->p, v->s->protocol, v->s->security);
	if (host) {
		if (pref && strcasecmp(pref->host, v->s->host) == 0)
			return arena_printf(a, "{{%s%s.host}}", prefix, proto);
		if (same && strcasecmp(same->host, v->s->host) == 0)
			return arena_printf(a, "{{%s%s.%s.host}}", prefix, proto,
					    model_security_name(v->s->security));
		return NULL;
	}
	if (same && same->port == v->s->port)
		return arena_printf(a, "{{%s%s.%s.port}}", prefix, proto,
				    model_security_name(v->s->security));
	return NULL;
}

/* Every port the table lists for `protos` (of the guide's products), as
 * "465 (ssl), 587 (starttls)" or, over several protocols, "IMAP 993, ...". */
static const char *S_port_list(const struct S_ctx *x, unsigned protos, struct arena *a)
{
	struct S_server v[64];
	size_t n = S_servers(x, protos, NULL, 0, 0, false, v, 64);
	struct buf b = {0};
	int last = -1;
	for (size_t i = 0; i < n; i++) {
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup |= v[k].s->protocol == v[i].s->protocol && v[k].s->port == v[i].s->port;
		if (dup)
			continue;
		if ((int)v[i].s->protocol != last && (protos & (protos - 1)))
			buf_printf(&b, "%s%s ", b.len ? "; " : "", S_proto_upper(v[i].s->protocol));
		else if (b.len)
			buf_puts(&b, ", ");
		buf_printf(&b, "%u", v[i].s->port);
		if (!(protos & (protos - 1)))
			buf_printf(&b, " (%s)", model_security_name(v[i].s->security));
		last = (int)v[i].s->protocol;
	}
	const char *out = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return out;
}

static const char *S_protos_text(unsigned protos)
{
	switch (protos) {
	case P_IMAP:
		return "IMAP";
	case P_POP3:
		return "POP3";
	case P_SMTP:
		return "SMTP";
	case P_IMAP | P_POP3:
		return "IMAP or POP3";
	default:
		return "any protocol";
	}
}

/* ---- reporting ------------------------------------------------------------------- */

static void S_report(struct S_ctx *x, enum diag_class cls, size_t line, size_t start, size_t len,
		     const char *fix, const char *msg)
{
	unsigned fl = x->doc->body_line + (unsigned)line - 1, fc = (unsigned)start + 1;
	diag_class(x->d, cls, x->doc->file, fl, fc, (unsigned)len, fix, "%s", msg);
	if (fix && diag_enabled(x->d, cls)) {
		x->fixes->v = xgrow(x->fixes->v, x->fixes->n, sizeof *x->fixes->v);
		x->fixes->v[x->fixes->n++] =
			(struct drift_fix){x->doc->file, fl, fc, (unsigned)len, xstrdup(fix)};
	}
}

/* What the words around a value say, beyond its own segment. */
struct S_env {
	unsigned protos;    /* from a table's row and column, or the lines above */
	unsigned weak;      /* from the section's heading */
	bool port_words;    /* a table whose headers name ports */
	enum S_claim claim; /* a table's column or row header's statement */
};

/* The protocols a value at `at` is about: its own words, then the
 * surroundings, narrowed by the heading when that leaves some; `strong`
 * says whether anything but the heading spoke. */
static unsigned S_resolve(struct S_words *w, size_t at, const struct S_env *env, bool *strong)
{
	unsigned p = S_protos_near(w, at);
	if (p == 0)
		p = env->protos;
	*strong = p != 0;
	if (p == 0)
		return env->weak;
	if ((p & env->weak) && (p & env->weak) != p)
		p &= env->weak;
	return p;
}

static bool S_single(unsigned p) { return p && !(p & (p - 1)); }

static void S_host(struct S_ctx *x, const struct S_seg *g, size_t i, size_t e,
		   const struct S_env *env, struct S_words *w, struct arena *a)
{
	const char *s = x->lines[g->line];
	const char *tok = s + i;
	size_t len = e - i;
	bool strong;
	unsigned protos = S_resolve(w, i, env, &strong);
	struct S_server v[16];
	size_t all = S_servers(x, P_ALL, tok, len, 0, true, v, 16);
	if (all == 0) {
		/* Not a table host: only a name of the table's domains, or one
		 * beside a word for "server", is taken for a server's. */
		const char *dom = tok + len;
		int dots = 0;
		while (dom > tok && dots < 2)
			if (*--dom == '.' && ++dots == 2)
				dom++;
		size_t dl = (size_t)(tok + len - dom);
		struct S_server t[64];
		size_t nt = S_servers(x, P_ALL, NULL, 0, 0, true, t, 64);
		bool same_domain = false;
		const char *closest = NULL;
		size_t best = SIZE_MAX;
		char *lower = arena_strndup(a, tok, len);
		for (char *p = lower; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		for (size_t k = 0; k < nt; k++) {
			size_t hl = strlen(t[k].s->host);
			if (hl >= dl && strncasecmp(t[k].s->host + hl - dl, dom, dl) == 0 &&
			    (hl == dl || t[k].s->host[hl - dl - 1] == '.'))
				same_domain = true;
			size_t dist = edit_distance(lower, t[k].s->host, 64);
			if (dist < best)
				best = dist, closest = t[k].s->host;
		}
		int labels = 1;
		for (size_t k = 0; k < len; k++)
			labels += tok[k] == '.';
		if (!same_domain && !(S_words_server(w) && labels >= 3))
			return;
		/* The table's host for the protocol, when the text says which. */
		struct S_server want[16];
		size_t nw =
			S_single(protos) ? S_servers(x, protos, NULL, 0, 0, false, want, 16) : 0;
		const char *fix = NULL, *msg;
		if (nw > 0) {
			const struct model_server *pref =
				model_server_find(want[0].p, want[0].s->protocol, SEC_COUNT);
			want[0].s = pref;
			/* A fix-it only when the text itself names the protocol. */
			if (same_domain && strong)
				fix = S_ref(x, &want[0], true, a);
			msg = arena_printf(
				a, "host '%.*s' is not in the server table; its %s host is '%s'",
				(int)len, tok, S_proto_upper(pref->protocol), pref->host);
		} else {
			msg = arena_printf(a, "host '%.*s' is not in the server table%s%s%s",
					   (int)len, tok, closest ? "; did you mean '" : "",
					   closest ? closest : "", closest ? "'?" : "");
		}
		S_report(x, DIAG_DRIFT, g->line, i, len, fix, msg);
		return;
	}
	bool exact = false;
	for (size_t k = 0; k < all; k++)
		exact |= strncmp(v[k].s->host, tok, len) == 0;
	/* Which server: those of the guide's products and the protocols the
	 * text names; certain when one protocol of one product remains. */
	struct S_server c[16];
	size_t nc = S_servers(x, protos ? protos : P_ALL, tok, len, 0, false, c, 16);
	const char *fix = NULL;
	bool certain = nc > 0;
	for (size_t k = 1; k < nc; k++)
		certain &= c[k].p == c[0].p && c[k].s->protocol == c[0].s->protocol;
	if (certain)
		fix = S_ref(x, &c[0], true, a);
	const char *canon = v[0].s->host;
	const char *msg;
	if (exact) {
		if (fix)
			msg = arena_printf(a,
					   "host '%s' is typed: write %s, which follows the server "
					   "table",
					   canon, fix);
		else
			msg = arena_printf(a,
					   "host '%s' is typed: write a data reference such as "
					   "{{%s%s.host}} (the text does not say which protocol)",
					   canon, S_prefix(x, v[0].p, a),
					   model_protocol_name(v[0].s->protocol));
		S_report(x, DIAG_LITERAL, g->line, i, len, fix, msg);
		return;
	}
	msg = arena_printf(a, "host '%.*s' is spelled '%s' in the server table%s%s", (int)len, tok,
			   canon, fix ? "; write " : "", fix ? fix : "");
	S_report(x, DIAG_DRIFT, g->line, i, len, fix ? fix : canon, msg);
}

static void S_port(struct S_ctx *x, const struct S_seg *g, size_t i, size_t e,
		   const struct S_env *env, struct S_words *w, bool after_host, struct arena *a)
{
	const char *s = x->lines[g->line];
	if (e - i > 5 || s[i] == '0')
		return;
	unsigned port = (unsigned)strtoul(s + i, NULL, 10);
	if (port == 0 || port > 65535)
		return;
	size_t word_end = 0;
	bool own_word = S_port_word_before(w, i, &word_end);
	bool near = own_word && i - word_end <= 40;
	struct S_server any[1];
	bool in_table = S_servers(x, P_ALL, NULL, 0, port, true, any, 1) > 0;
	if (!after_host &&
	    !((own_word || S_words_ports(w)->n > 0 || env->port_words) && (in_table || near)))
		return;
	bool strong;
	unsigned protos = S_resolve(w, i, env, &strong);
	struct S_server v[16];
	size_t n = S_servers(x, protos ? protos : P_ALL, NULL, 0, port, false, v, 16);
	if (n == 0 && strong) {
		const char *msg = arena_printf(
			a, "port %u is not listed for %s in the server table, which has %s", port,
			S_protos_text(protos), S_port_list(x, protos, a));
		S_report(x, DIAG_DRIFT, g->line, i, e - i, NULL, msg);
		return;
	}
	if (n == 0) /* the heading's protocol was a guess: the port may say */
		n = S_servers(x, P_ALL, NULL, 0, port, false, v, 16);
	if (n == 0) {
		const char *msg =
			arena_printf(a, "port %u is not in the server table, which has %s", port,
				     S_port_list(x, P_ALL, a));
		S_report(x, DIAG_DRIFT, g->line, i, e - i, NULL, msg);
		return;
	}
	/* What the text says about its security, nearest first: its own
	 * segment, else its table column's or row's header. */
	enum S_claim claim = S_claim_near(w, i);
	if (claim == CLAIM_NONE)
		claim = env->claim;
	bool fits = false;
	for (size_t k = 0; k < n; k++)
		fits |= S_claim_fits(claim, v[k].s->security);
	if (!fits) {
		const struct model_server *t = v[0].s;
		const char *msg = arena_printf(
			a,
			"port %u: the text says %s, the server table says %s (%s port %u); "
			"write {{%s%s.%s.security}}",
			port, S_claim_text(claim), S_sec_text(t->security),
			S_proto_upper(t->protocol), port, S_prefix(x, v[0].p, a),
			model_protocol_name(t->protocol), model_security_name(t->security));
		S_report(x, DIAG_DRIFT, g->line, i, e - i, NULL, msg);
		return;
	}
	bool certain = true;
	for (size_t k = 1; k < n; k++)
		certain &= v[k].p == v[0].p && v[k].s->protocol == v[0].s->protocol &&
			   v[k].s->security == v[0].s->security;
	const char *fix = certain ? S_ref(x, &v[0], false, a) : NULL;
	const char *msg;
	if (fix)
		msg = arena_printf(a, "port %u is typed: write %s, which follows the server table",
				   port, fix);
	else
		msg = arena_printf(
			a,
			"port %u is typed: write a data reference such as {{%s%s.%s.port}} "
			"(the text does not say which server)",
			port, S_prefix(x, v[0].p, a), model_protocol_name(v[0].s->protocol),
			model_security_name(v[0].s->security));
	S_report(x, DIAG_LITERAL, g->line, i, e - i, fix, msg);
}

static bool S_hostc(unsigned char c) { return isalnum(c) || c == '.' || c == '-'; }

/* A host name: labels joined by dots, the last of two or more letters (a
 * top-level domain), not a file name such as "user.js". */
static bool S_hostlike(const char *s, size_t n)
{
	if (memchr(s, '.', n) == NULL)
		return false;
	size_t label = 0, last = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (i == label)
				return false;
			last = label;
			label = i + 1;
		}
	}
	size_t tl = n - last;
	for (size_t i = last; i < n; i++)
		if (!isalpha((unsigned char)s[i]))
			return false;
	if (tl < 2)
		return false;
	int labels = 1;
	for (size_t i = 0; i < n; i++)
		labels += s[i] == '.';
	for (size_t k = 0; labels == 2 && S_file_exts[k]; k++)
		if (strlen(S_file_exts[k]) == tl && strncasecmp(s + last, S_file_exts[k], tl) == 0)
			return false;
	return true;
}

/* Scans one segment of the current line (whose mask is set) for hosts and
 * ports. Host names are masked once found, so the "SSL" of "SSL0.OVH.NET"
 * is no security statement and its "0" no port. */
static void S_scan(struct S_ctx *x, const struct S_seg *g, const struct S_env *env)
{
	const char *s = x->lines[g->line];
	struct S_tok {
		size_t i, e;
		bool host, after_host;
	} toks[128];
	size_t nt = 0;
	for (size_t i = g->start; i < g->end && nt < sizeof toks / sizeof toks[0]; i++) {
		if (x->mask[i] || !isalnum((unsigned char)s[i]))
			continue;
		size_t run_end = i;
		while (run_end < g->end && !x->mask[run_end] && S_hostc((unsigned char)s[run_end]))
			run_end++;
		size_t e = run_end;
		while (e > i && (s[e - 1] == '.' || s[e - 1] == '-'))
			e--;
		unsigned char prev = i ? (unsigned char)s[i - 1] : ' ';
		unsigned char next = run_end < g->end ? (unsigned char)s[run_end] : ' ';
		bool bounded = !S_wordc(prev) && !strchr("@\\_.-", prev) && !S_wordc(next) &&
			       next != '@' && next != '_';
		size_t start = i;
		i = run_end - 1;
		if (!bounded)
			continue;
		bool digits = true;
		for (size_t k = start; k < e; k++)
			digits &= isdigit((unsigned char)s[k]) != 0;
		if (S_hostlike(s + start, e - start)) {
			toks[nt++] = (struct S_tok){start, e, true, false};
			memset(x->mask + start, 1, e - start);
		} else if (digits) {
			bool after = nt > 0 && toks[nt - 1].host && toks[nt - 1].e + 1 == start &&
				     prev == ':';
			toks[nt++] = (struct S_tok){start, e, false, after};
		}
	}
	if (nt == 0)
		return;
	struct S_words w = {.x = x, .g = g};
	struct arena a = {0};
	for (size_t k = 0; k < nt; k++) {
		if (toks[k].host)
			S_host(x, g, toks[k].i, toks[k].e, env, &w, &a);
		else
			S_port(x, g, toks[k].i, toks[k].e, env, &w, toks[k].after_host, &a);
	}
	arena_free(&a);
	S_words_free(&w);
}

/* ---- blocks ---------------------------------------------------------------------- */

static void S_index_lines(struct S_ctx *x)
{
	const char *p = x->doc->body, *end = p + x->doc->body_len;
	size_t cap = 64;
	x->lines = xmalloc(cap * sizeof *x->lines);
	x->lens = xmalloc(cap * sizeof *x->lens);
	x->lines[0] = "";
	x->lens[0] = 0;
	x->n_lines = 0;
	size_t longest = 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		if (len && p[len - 1] == '\r')
			len--;
		if (x->n_lines + 2 > cap) {
			cap *= 2;
			x->lines = xrealloc(x->lines, cap * sizeof *x->lines);
			x->lens = xrealloc(x->lens, cap * sizeof *x->lens);
		}
		x->n_lines++;
		x->lines[x->n_lines] = p;
		x->lens[x->n_lines] = len;
		if (len + 1 > longest)
			longest = len + 1;
		p = nl ? nl + 1 : end;
	}
	x->mask = xmalloc(longest);
}

static struct S_seg S_whole(const struct S_ctx *x, size_t l)
{
	return (struct S_seg){l, 0, x->lens[l]};
}

/* Starts the section of the heading at line `l`: every value below it,
 * until the next heading, is read in the light of what it names (read here
 * once, not once per line of the section). */
static void S_set_heading(struct S_ctx *x, size_t l)
{
	x->heading_protos = 0;
	if (l <= x->n_lines) {
		struct S_seg h = S_whole(x, l);
		x->heading_protos = S_protos(x, &h);
	}
}

/* Whether S_scan can find a value in `s`: a host has a dot followed by a
 * letter or digit, a port has digits, in bytes `mask` (if not NULL) leaves
 * as prose. Most lines of prose have neither, or only in data references
 * and link targets, and are then not scanned byte by byte (nor masked,
 * when checked before the mask). */
static bool S_may_have_values(const char *s, size_t n, const char *mask)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (mask && mask[i])
			continue;
		if ((c >= '0' && c <= '9') || (c == '.' && i + 1 < n && !(mask && mask[i + 1]) &&
					       isalnum((unsigned char)s[i + 1])))
			return true;
	}
	return false;
}

/* A paragraph or heading: each line, in the context of the lines above it
 * (the nearest that names a protocol, carried down: each line is read
 * once, so a long paragraph is not quadratic). */
static void S_lines(struct S_ctx *x, size_t first, size_t last)
{
	unsigned above = 0;
	for (size_t l = first; l <= last && l <= x->n_lines; l++) {
		struct S_env env = {.weak = x->heading_protos, .protos = above};
		bool values = S_may_have_values(x->lines[l], x->lens[l], NULL);
		if (!values && l >= last)
			continue; /* nothing to find, nothing to carry down */
		S_mask(x->lines[l], x->lens[l], x->mask);
		struct S_seg g = S_whole(x, l);
		if (values && S_may_have_values(x->lines[l], x->lens[l], x->mask))
			S_scan(x, &g, &env);
		if (l < last) {
			unsigned p = S_protos(x, &g);
			if (p)
				above = p;
		}
	}
}

#define S_MAX_CELLS 32

struct S_row {
	size_t line;
	struct S_seg cells[S_MAX_CELLS];
	size_t n;
	unsigned protos[S_MAX_CELLS]; /* what each cell names (S_protos) */
	enum S_claim claim;           /* the first cell's security statement */
};

/* Splits a table line into trimmed cells; false when it is not a row
 * (no pipe) or is the delimiter row. */
static bool S_row(const struct S_ctx *x, size_t l, struct S_row *r)
{
	const char *s = x->lines[l];
	size_t n = x->lens[l], i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '>'))
		i++;
	if (memchr(s + i, '|', n - i) == NULL)
		return false;
	if (i < n && s[i] == '|')
		i++;
	r->line = l;
	r->n = 0;
	bool delim = true;
	while (i < n && r->n < S_MAX_CELLS) {
		size_t e = i;
		while (e < n && !(s[e] == '|' && (e == 0 || s[e - 1] != '\\')))
			e++;
		size_t a = i, b = e;
		while (a < b && isspace((unsigned char)s[a]))
			a++;
		while (b > a && isspace((unsigned char)s[b - 1]))
			b--;
		for (size_t k = a; k < b; k++)
			delim &= s[k] == '-' || s[k] == ':' || s[k] == ' ';
		if (!(e == n && a == b))
			r->cells[r->n++] = (struct S_seg){l, a, b};
		i = e + 1;
	}
	return r->n > 0 && !delim;
}

static bool S_is_pipe_block(const struct S_ctx *x, size_t first, size_t last)
{
	if (last <= first)
		return false;
	for (size_t l = first; l <= last && l <= x->n_lines; l++) {
		const char *s = x->lines[l];
		size_t i = 0;
		while (i < x->lens[l] && (s[i] == ' ' || s[i] == '\t' || s[i] == '>'))
			i++;
		if (i == x->lens[l] || s[i] != '|')
			return false;
	}
	return true;
}

/* How many rows below a table's header name each protocol, per column:
 * what the rest of a cell's column names is then the counts less the
 * cell's own (reading the column again for each cell was quadratic). */
struct S_counts {
	size_t n[S_MAX_CELLS][PROTO_COUNT];
};

/* Reads once what each cell names, and counts it into `cnt`. */
static void S_read_cells(const struct S_ctx *x, struct S_row *rows, size_t nr, struct S_counts *cnt)
{
	for (size_t r = 0; r < nr; r++) {
		for (size_t c = 0; c < rows[r].n; c++) {
			unsigned p = S_protos(x, &rows[r].cells[c]);
			rows[r].protos[c] = p;
			for (int b = 0; r > 0 && b < PROTO_COUNT; b++)
				cnt->n[c][b] += (p >> b) & 1;
		}
		rows[r].claim = S_claim(x, &rows[r].cells[0]);
	}
}

/* What the other rows (below the header) of cell c of `row` name. */
static unsigned S_column(const struct S_counts *cnt, const struct S_row *row, size_t c)
{
	unsigned column = 0;
	for (int b = 0; b < PROTO_COUNT; b++)
		if (cnt->n[c][b] > ((row->protos[c] >> b) & 1))
			column |= 1u << b;
	return column;
}

/* The context of cell c of row r > 0: its row's first cell, its column's
 * header and the rest of its column. `head` has the header's statements. */
static void S_cell_env(const struct S_row *rows, size_t r, size_t c, const struct S_counts *cnt,
		       const enum S_claim *head, struct S_env *env)
{
	unsigned row = c > 0 ? rows[r].protos[0] : 0;
	unsigned col = c < rows[0].n ? rows[0].protos[c] : 0;
	unsigned p = row && col && (row & col) ? row & col : row ? row : col;
	unsigned column = S_column(cnt, &rows[r], c);
	if (p == 0)
		p = column;
	else if ((p & column) && (p & column) != p)
		p &= column;
	env->protos = p;
	if (c < rows[0].n)
		env->claim = head[c];
	if (env->claim == CLAIM_NONE && c > 0)
		env->claim = rows[r].claim;
}

/* A table (or a paragraph of pipe rows, which the dialect repairs): each
 * cell in the context of its row's first cell, its column's header and the
 * rest of its column. */
static void S_table(struct S_ctx *x, size_t first, size_t last)
{
	struct S_row *rows = xcalloc(last - first + 2, sizeof *rows);
	size_t nr = 0;
	for (size_t l = first; l <= last && l <= x->n_lines; l++)
		if (S_row(x, l, &rows[nr]))
			nr++;
	bool port_words = false;
	for (size_t r = 0; r < nr; r++)
		for (size_t c = 0; c < rows[r].n; c++)
			if ((r == 0 || c == 0) && S_has_word(x, &rows[r].cells[c], S_port_words))
				port_words = true;
	struct S_counts cnt = {0};
	enum S_claim head[S_MAX_CELLS] = {CLAIM_NONE};
	S_read_cells(x, rows, nr, &cnt);
	for (size_t c = 0; nr > 0 && c < rows[0].n; c++)
		head[c] = S_claim(x, &rows[0].cells[c]);
	for (size_t r = 0; r < nr; r++) {
		const char *line = x->lines[rows[r].line];
		size_t len = x->lens[rows[r].line];
		if (!S_may_have_values(line, len, NULL))
			continue;
		S_mask(line, len, x->mask);
		if (!S_may_have_values(line, len, x->mask))
			continue;
		for (size_t c = 0; c < rows[r].n; c++) {
			struct S_env env = {.weak = x->heading_protos, .port_words = port_words};
			if (r > 0)
				S_cell_env(rows, r, c, &cnt, head, &env);
			S_scan(x, &rows[r].cells[c], &env);
		}
	}
	free(rows);
}

void drift_scan(const struct model *m, const struct guide_doc *doc, cmark_node *root,
		struct diag *d, struct drift_fixes *fixes)
{
	if (!diag_enabled(d, DIAG_DRIFT) && !diag_enabled(d, DIAG_LITERAL))
		return;
	struct S_ctx x = {.m = m, .doc = doc, .d = d, .fixes = fixes};
	S_index_lines(&x);
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		int sl = cmark_node_get_start_line(n), el = cmark_node_get_end_line(n);
		if (sl <= 0 || el < sl)
			continue;
		cmark_node_type t = cmark_node_get_type(n);
		bool table = strcmp(cmark_node_get_type_string(n), "table") == 0;
		if (table ||
		    (t == CMARK_NODE_PARAGRAPH && S_is_pipe_block(&x, (size_t)sl, (size_t)el))) {
			S_table(&x, (size_t)sl, (size_t)el);
			if (table) /* its rows and cells are not read again */
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
		} else if (t == CMARK_NODE_PARAGRAPH) {
			S_lines(&x, (size_t)sl, (size_t)el);
		} else if (t == CMARK_NODE_HEADING) {
			S_lines(&x, (size_t)sl, (size_t)el);
			S_set_heading(&x, (size_t)sl);
		}
	}
	cmark_iter_free(it);
	free(x.lines);
	free(x.lens);
	free(x.mask);
}

void drift_fixes_free(struct drift_fixes *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].text);
	free(f->v);
	*f = (struct drift_fixes){0};
}
