/* ydoc.c: libyaml's document API with diagnostics. */
#include "ydoc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

unsigned ydoc_line(const struct ydoc *y, const yaml_node_t *n)
{
	return (unsigned)n->start_mark.line + 1 + y->line_offset;
}

unsigned ydoc_col(const yaml_node_t *n) { return (unsigned)n->start_mark.column + 1; }

/* libyaml's document keeps an alias as a second reference to its anchored
 * node, so a walk over a "billion laughs" document would take exponential
 * time. mailguide's files need no aliases: a node reached twice is an error. */
static bool S_check_aliases(struct ydoc *y)
{
	size_t n = (size_t)(y->doc.nodes.top - y->doc.nodes.start);
	if (n == 0)
		return true;
	/* Nodes are marked when pushed, so each is pushed once and the stack
	 * never holds more than n ids. */
	unsigned char *seen = xcalloc(n + 1, 1);
	int *stack = xmalloc(n * sizeof *stack);
	size_t top = 0;
	bool ok = true;
	seen[1] = 1;
	stack[top++] = 1;
	while (top > 0 && ok) {
		yaml_node_t *node = yaml_document_get_node(&y->doc, stack[--top]);
		int children[2];
		size_t count = ydoc_len(node);
		for (size_t i = 0; i < count && ok; i++) {
			size_t nc = 1;
			if (node->type == YAML_SEQUENCE_NODE) {
				children[0] = node->data.sequence.items.start[i];
			} else {
				children[0] = node->data.mapping.pairs.start[i].key;
				children[1] = node->data.mapping.pairs.start[i].value;
				nc = 2;
			}
			for (size_t c = 0; c < nc; c++) {
				if (seen[children[c]]) {
					ydoc_error(y, yaml_document_get_node(&y->doc, children[c]),
						   "YAML aliases are not supported; write the "
						   "value again");
					ok = false;
					break;
				}
				seen[children[c]] = 1;
				stack[top++] = children[c];
			}
		}
	}
	free(stack);
	free(seen);
	return ok;
}

static void S_offset_to_line_col(const char *text, size_t len, size_t offset, unsigned line_offset,
				 unsigned *line, unsigned *col)
{
	*line = 1 + line_offset;
	*col = 1;
	for (size_t i = 0; i < offset && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			(*col)++; /* columns count characters, not UTF-8 continuation bytes */
		}
	}
}

/* libyaml's scanner keeps one possible simple key per open flow
 * collection and checks them all at every token, so deep nesting costs
 * time quadratic in the depth (100,000 '[' took minutes in
 * yaml_parser_load). Its event parser reaches each collection's start in
 * order, so a first pass over the events stops at YDOC_MAX_DEPTH almost at
 * once. Returns false after reporting; a syntax error is left for
 * yaml_parser_load to report. */
static bool S_depth_ok(const char *file, const char *text, size_t len, unsigned line_offset,
		       struct diag *d)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return true;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	unsigned depth = 0;
	bool ok = true, done = false;
	while (ok && !done) {
		yaml_event_t e;
		if (!yaml_parser_parse(&parser, &e))
			break;
		switch (e.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > YDOC_MAX_DEPTH) {
				diag_error(d, file, (unsigned)e.start_mark.line + 1 + line_offset,
					   (unsigned)e.start_mark.column + 1,
					   "YAML nested more than %d deep; the limit is %d",
					   YDOC_MAX_DEPTH, YDOC_MAX_DEPTH);
				ok = false;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&parser);
	return ok;
}

/* An upper bound of the nesting depth: every collection starts at one of
 * these indicators ("[", "{", "- ", "key:", "? "). */
static size_t S_max_depth(const char *text, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += text[i] == '[' || text[i] == '{' || text[i] == '-' || text[i] == ':' ||
		     text[i] == '?';
	return n;
}

bool ydoc_load(struct ydoc *y, const char *file, const char *text, size_t len, unsigned line_offset,
	       struct diag *d)
{
	*y = (struct ydoc){.file = file, .line_offset = line_offset, .diag = d};
	/* The first pass only where the text could nest that deep (most front
	 * matter has a few dozen indicators at most). */
	if (S_max_depth(text, len) > YDOC_MAX_DEPTH && !S_depth_ok(file, text, len, line_offset, d))
		return false;
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		diag_error(d, file, 0, 0, "cannot initialise the YAML parser");
		return false;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &y->doc)) {
		const char *problem = parser.problem ? parser.problem : "invalid YAML";
		unsigned line = (unsigned)parser.problem_mark.line + 1 + line_offset;
		unsigned col = (unsigned)parser.problem_mark.column + 1;
		/* libyaml's reader (bad UTF-8, control characters) reports a byte
		 * offset and leaves the mark at the start: count lines ourselves. */
		if (parser.error == YAML_READER_ERROR)
			S_offset_to_line_col(text, len, parser.problem_offset, line_offset, &line,
					     &col);
		if (parser.context)
			diag_error(d, file, line, col, "YAML syntax error: %s %s", problem,
				   parser.context);
		else
			diag_error(d, file, line, col, "YAML syntax error: %s", problem);
		yaml_parser_delete(&parser);
		return false;
	}
	yaml_parser_delete(&parser);
	y->loaded = true;
	return S_check_aliases(y);
}

void ydoc_free(struct ydoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = false;
}

yaml_node_t *ydoc_root(struct ydoc *y)
{
	return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

size_t ydoc_len(const yaml_node_t *n)
{
	if (n->type == YAML_SEQUENCE_NODE)
		return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (n->type == YAML_MAPPING_NODE)
		return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	return 0;
}

yaml_node_t *ydoc_item(struct ydoc *y, const yaml_node_t *seq, size_t i)
{
	return yaml_document_get_node(&y->doc, seq->data.sequence.items.start[i]);
}

yaml_node_t *ydoc_key(struct ydoc *y, const yaml_node_t *map, size_t i)
{
	return yaml_document_get_node(&y->doc, map->data.mapping.pairs.start[i].key);
}

yaml_node_t *ydoc_value(struct ydoc *y, const yaml_node_t *map, size_t i)
{
	return yaml_document_get_node(&y->doc, map->data.mapping.pairs.start[i].value);
}

static const char *S_type_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "a scalar";
	}
}

bool ydoc_is(struct ydoc *y, yaml_node_t *n, yaml_node_type_t type, const char *key)
{
	if (n->type == type)
		return true;
	const char *want = type == YAML_SEQUENCE_NODE  ? "a list"
			   : type == YAML_MAPPING_NODE ? "a mapping"
						       : "a scalar";
	ydoc_error(y, n, "'%s' must be %s, not %s", key, want, S_type_name(n));
	return false;
}

const char *ydoc_string(struct ydoc *y, yaml_node_t *n, const char *key)
{
	if (!ydoc_is(y, n, YAML_SCALAR_NODE, key))
		return NULL;
	return (const char *)n->data.scalar.value;
}

/* The first code point of `s` (valid UTF-8: libyaml checked it, and its
 * escapes give none of the surrogates); sets *len to its length. */
static unsigned S_code_point(const unsigned char *s, size_t *len)
{
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0) {
		*len = 2;
		return ((unsigned)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
	}
	if ((s[0] & 0xF0) == 0xE0) {
		*len = 3;
		return ((unsigned)(s[0] & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) |
		       (s[2] & 0x3F);
	}
	*len = 4;
	return ((unsigned)(s[0] & 0x07) << 18) | ((unsigned)(s[1] & 0x3F) << 12) |
	       ((unsigned)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

const char *ydoc_text(struct ydoc *y, yaml_node_t *n, const char *key)
{
	const char *s = ydoc_string(y, n, key);
	if (s == NULL)
		return NULL;
	/* A "\0" escape would end the C string early, silently. */
	if (strlen(s) != n->data.scalar.length) {
		ydoc_error(y, n, "'%s' has a NUL character", key);
		return NULL;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t len;
		unsigned c = S_code_point(p, &len);
		/* Escapes reach what YAML's own text may not hold: controls (no
		 * HTML page or XML file may contain them), and the two
		 * noncharacters XML forbids. Tabs and line breaks are text, and
		 * every output format escapes them. */
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F ||
		    (c >= 0x80 && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF) {
			ydoc_error(y, n,
				   "'%s' has the control character U+%04X; write printable text",
				   key, c);
			return NULL;
		}
		p += len;
	}
	return s;
}

static bool S_plain(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

bool ydoc_uint(struct ydoc *y, yaml_node_t *n, const char *key, unsigned long min,
	       unsigned long max, unsigned long *out)
{
	const char *s = (const char *)n->data.scalar.value;
	if (!S_plain(n) || s[0] < '0' || s[0] > '9') {
		ydoc_error(y, n, "'%s' must be a whole number", key);
		return false;
	}
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9') {
			ydoc_error(y, n, "'%s' must be a whole number", key);
			return false;
		}
	}
	errno = 0;
	unsigned long v = strtoul(s, NULL, 10);
	if (errno == ERANGE || v < min || v > max) {
		ydoc_error(y, n, "'%s' is %s, outside %lu-%lu", key, s, min, max);
		return false;
	}
	*out = v;
	return true;
}

bool ydoc_bool(struct ydoc *y, yaml_node_t *n, const char *key, bool *out)
{
	const char *s = (const char *)n->data.scalar.value;
	if (S_plain(n) && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)) {
		*out = s[0] == 't';
		return true;
	}
	ydoc_error(y, n, "'%s' must be true or false", key);
	return false;
}

/* The known key closest to an unknown one, when the difference looks like a
 * typo: at most two edits, and fewer than half the word. */
static const char *S_closest(const char *word, const struct ykey *keys, size_t n)
{
	const char *best = NULL;
	size_t best_d = 3;
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, keys[i].name, 2);
		if (d < best_d && d * 2 < strlen(keys[i].name)) {
			best = keys[i].name;
			best_d = d;
		}
	}
	return best;
}

bool ydoc_mapping(struct ydoc *y, yaml_node_t *map, const char *what, const struct ykey *keys,
		  size_t n, yaml_node_t **vals, enum diag_level unknown)
{
	for (size_t i = 0; i < n; i++)
		vals[i] = NULL;
	if (!ydoc_is(y, map, YAML_MAPPING_NODE, what))
		return false;
	int errors = y->diag->errors;
	for (size_t p = 0; p < ydoc_len(map); p++) {
		yaml_node_t *k = ydoc_key(y, map, p);
		if (k->type != YAML_SCALAR_NODE) {
			ydoc_error(y, k, "a key of %s must be a scalar", what);
			continue;
		}
		const char *name = (const char *)k->data.scalar.value;
		size_t i = 0;
		while (i < n && strcmp(keys[i].name, name) != 0)
			i++;
		if (i == n) {
			const char *hint = S_closest(name, keys, n);
			if (hint)
				diag_report(y->diag, unknown, y->file, ydoc_line(y, k), ydoc_col(k),
					    "unknown key '%s' in %s; did you mean '%s'?", name,
					    what, hint);
			else
				diag_report(y->diag, unknown, y->file, ydoc_line(y, k), ydoc_col(k),
					    "unknown key '%s' in %s", name, what);
		} else if (vals[i]) {
			ydoc_error(y, k, "duplicate key '%s' in %s", name, what);
		} else {
			vals[i] = ydoc_value(y, map, p);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (keys[i].required && vals[i] == NULL)
			ydoc_error(y, map, "missing required key '%s' in %s", keys[i].name, what);
	return y->diag->errors == errors;
}
