/* load.h: reads a content directory's YAML (site.yaml, servers.yaml,
 * strings/<locale>.yaml) into an immutable model. */
#ifndef MG_LOAD_H
#define MG_LOAD_H

#include "diag.h"
#include "model.h"

/* Reports every problem through `d`, all of them in one run. Returns the
 * model (free with model_free) when there were no errors, else NULL. */
struct model *load_content(const char *content_dir, struct diag *d);

/* The same while `mailguide new-locale` sets up locale `adding` (a tag, or
 * NULL): that locale may be in site.yaml without its strings file yet. */
struct model *load_content_adding(const char *content_dir, const char *adding, struct diag *d);

/* True when `tag` is a well-formed BCP 47 language tag of the forms
 * mailguide uses (language, optional script, optional region, variants).
 * Writes its canonical spelling ("pt-BR", "zh-Hant-TW") into out. */
bool load_bcp47(const char *tag, char *out, size_t outsize);

#endif
