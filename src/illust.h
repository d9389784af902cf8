/* illust.h: drawn pictures of the dialogs a reader fills in, per mail client
 * (render stage). Each picture is an SVG file drawn from the server table
 * for one product, with the client's own labels in one locale taken from
 * the UI strings (ill_* names), so a picture can never disagree with the
 * settings next to it.
 *
 * A guide shows one with an image whose target names it (dialect.c):
 *     ![](mailguide:thunderbird/incoming)
 *     ![Outlook's form](mailguide:emailpro:outlook/outgoing)
 * that is mailguide:[product:]client/dialog, the product defaulting to the
 * guide's first. The image gets the picture's path and an alt text that
 * states every value in words (after the author's text, when there is one).
 *
 * The build draws every dialog of every client for every product and
 * locale (illust_render_all, in the job of the files that read no guide),
 * to illustrations/<product>/<locale>/<client>-<dialog>.svg, through
 * templates/illust/<client>.svg.tpl and templates/illust/widgets.svg.tpl,
 * XML-escaped by ctemplate: the one writer of these files. */
#ifndef MG_ILLUST_H
#define MG_ILLUST_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "render.h"

struct illust_ref {
	const struct model_product *product;
	unsigned client; /* index into the clients illust.c draws */
	unsigned dialog; /* index into that client's dialogs */
};

#define ILLUST_SCHEME "mailguide:"

/* Whether `target` is a picture's target (starts with "mailguide:"). */
bool illust_is_target(const char *target);

/* Parses a target "mailguide:[product:]client/dialog"; `deflt` is the
 * product when none is named (NULL: the target must name one). On failure
 * returns false with a message (caller frees) in *why, naming what exists. */
bool illust_parse(const struct model *m, const struct model_product *deflt, const char *target,
		  struct illust_ref *out, char **why);

/* The picture's output path (caller frees). */
char *illust_path(const struct illust_ref *ref, const struct model_locale *loc);

/* The picture's content in words, for its alt text (caller frees). */
char *illust_alt(const struct model *m, const struct illust_ref *ref,
		 const struct model_locale *loc);

/* Draws every picture: every dialog of every client, per product and
 * locale. Returns false after reporting an error. */
bool illust_render_all(struct render *r);

#endif
