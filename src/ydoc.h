/* ydoc.h: a YAML document loaded with libyaml, plus typed getters that
 * report every mistake through the diagnostics reporter with file:line:col.
 *
 * Used by every loader of YAML (the server table, site settings, UI strings,
 * guides' front matter). A ydoc owns its libyaml document; ydoc_free frees. */
#ifndef MG_YDOC_H
#define MG_YDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "diag.h"

struct ydoc {
	yaml_document_t doc;
	bool loaded;
	const char *file;     /* borrowed: must outlive the ydoc */
	unsigned line_offset; /* added to libyaml's lines, for embedded YAML */
	struct diag *diag;
};

/* Collections nested deeper than this are an error (a limit of the load
 * stage: see docs/limits.md). */
#define YDOC_MAX_DEPTH 64

/* Loads `len` bytes of YAML text. Reports a syntax error (at libyaml's
 * position), collections nested deeper than YDOC_MAX_DEPTH, or a node
 * reached twice through an alias, and returns false. An empty text loads as
 * a document without a root. */
bool ydoc_load(struct ydoc *y, const char *file, const char *text, size_t len, unsigned line_offset,
	       struct diag *d);
void ydoc_free(struct ydoc *y);

yaml_node_t *ydoc_root(struct ydoc *y);
unsigned ydoc_line(const struct ydoc *y, const yaml_node_t *n);
unsigned ydoc_col(const yaml_node_t *n);

/* One key a mapping may hold. */
struct ykey {
	const char *name;
	bool required;
};

/* Checks that `map` is a mapping of the keys in `keys` and fills vals[i]
 * with the value node of keys[i] (NULL when absent). Reports a wrong type,
 * each unknown key at `unknown` level (with "did you mean" when one is
 * close), duplicate keys and missing required keys. Returns false when it
 * reported an error. `what` names the mapping in messages ("server"). */
bool ydoc_mapping(struct ydoc *y, yaml_node_t *map, const char *what, const struct ykey *keys,
		  size_t n, yaml_node_t **vals, enum diag_level unknown);

/* Typed values; each reports a wrong type as an error naming `key`. */
const char *ydoc_string(struct ydoc *y, yaml_node_t *n, const char *key);
/* A string of text shown to readers (a name, a title, a UI string): as
 * ydoc_string, and an error when it holds a NUL, a control character other
 * than tab and line breaks, or U+FFFE/U+FFFF, which escapes like "\x01"
 * can write and no HTML page or XML file may contain. */
const char *ydoc_text(struct ydoc *y, yaml_node_t *n, const char *key);
bool ydoc_uint(struct ydoc *y, yaml_node_t *n, const char *key, unsigned long min,
	       unsigned long max, unsigned long *out);
bool ydoc_bool(struct ydoc *y, yaml_node_t *n, const char *key, bool *out);
bool ydoc_is(struct ydoc *y, yaml_node_t *n, yaml_node_type_t type, const char *key);

size_t ydoc_len(const yaml_node_t *n); /* items of a sequence, pairs of a mapping */
yaml_node_t *ydoc_item(struct ydoc *y, const yaml_node_t *seq, size_t i);
yaml_node_t *ydoc_key(struct ydoc *y, const yaml_node_t *map, size_t i);
yaml_node_t *ydoc_value(struct ydoc *y, const yaml_node_t *map, size_t i);

#define ydoc_error(y, n, ...)                                                                      \
	diag_error((y)->diag, (y)->file, ydoc_line((y), (n)), ydoc_col(n), __VA_ARGS__)

#endif
