/* tpl.h: the C face of ctemplate, the one C++ file in mailguide (tpl.cc).
 *
 * Templates declare their escaping context on their first line, e.g.
 * {{%AUTOESCAPE context="HTML"}} (or XML, JAVASCRIPT, JSON), so every value
 * set here is escaped for where it lands, by construction. A value that is
 * already markup (rendered Markdown) must be marked {{NAME:none}} in the
 * template, which makes each such exception visible where it happens.
 *
 * Custom modifiers registered by tpl_engine_new:
 *   x-ps-squote   the value as the inside of a PowerShell '...' string
 *                 (every kind of single quote doubled)
 *   x-js-string   the value as the inside of a JavaScript string literal that
 *                 Mozilla's preference-file reader (user.js) also accepts
 *                 (XSS-safe: as strict as ctemplate's :j, using only the
 *                 escapes that reader knows)
 */
#ifndef MG_TPL_H
#define MG_TPL_H

#ifdef __cplusplus
extern "C" {
#endif

#include <stdbool.h>

#include "diag.h"
#include "util.h"

typedef struct tpl_engine tpl_engine; /* a template cache over one root dir */
typedef struct tpl_dict tpl_dict;     /* values for one expansion */

/* Free with tpl_engine_free. */
tpl_engine *tpl_engine_new(const char *root_dir);
void tpl_engine_free(tpl_engine *e);

/* A top-level dictionary; free with tpl_dict_free. Section and include
 * dictionaries belong to their parent and die with it. */
tpl_dict *tpl_dict_new(void);
void tpl_dict_free(tpl_dict *d);

void tpl_set(tpl_dict *d, const char *name, const char *value);
void tpl_set_int(tpl_dict *d, const char *name, long value);
/* A fixed set of variables that goes into many dictionaries alike (a
 * locale's UI strings into every page). ctemplate hashes a variable's name
 * and looks it up in a process-wide table under a lock on every tpl_set;
 * a set does that once per name, and its values are referenced, not
 * copied, so setting it into a dictionary costs one insertion a variable.
 * Free with tpl_vars_free. */
typedef struct tpl_vars tpl_vars;
tpl_vars *tpl_vars_new(void);
void tpl_vars_free(tpl_vars *v);
/* Adds `name`, or gives it a new value. `value` is not copied: it must
 * outlive every dictionary the set goes into. */
void tpl_vars_put(tpl_vars *v, const char *name, const char *value);
/* Sets every variable of `v` in `d`, as tpl_set would. */
void tpl_set_vars(tpl_dict *d, const tpl_vars *v);

/* Adds one more instance of section `name` and returns its dictionary. */
tpl_dict *tpl_section(tpl_dict *d, const char *name);
/* Shows section `name` once, with the parent's values. */
void tpl_show(tpl_dict *d, const char *name);
/* Fills {{>name}} with template `file` and returns its dictionary. */
tpl_dict *tpl_include(tpl_dict *d, const char *name, const char *file);

/* Expands template `file` (relative to the root) into `out`. On failure
 * reports an error naming the template and returns false. */
bool tpl_expand(tpl_engine *e, const char *file, const tpl_dict *d, struct buf *out,
		struct diag *diag);

/* ctemplate has no escaping context for some formats (PowerShell): such a
 * template declares none, so ctemplate escapes nothing in it. Call this
 * before expanding one: it checks that every variable in `file` ends with
 * the modifier `modifier` (and that no context or delimiter is set), so no
 * value can be left unescaped by accident. Reports each offending marker at
 * file:line:col; returns false when there was one. */
bool tpl_check_manual(tpl_engine *e, const char *file, const char *modifier, struct diag *diag);

#ifdef __cplusplus
}
#endif

#endif
