/* dialect.h: the guide dialect, as passes over one page's cmark-gfm tree.
 *
 * dialect_run transforms the tree of a guide (guide_parse) for the page it
 * will be rendered into, in this order:
 *   1. pipe tables without a delimiter row become tables (with a warning);
 *   2. raw HTML: `<a name="x"></a>` anchors are kept as ids, `<br>` as a line
 *      break, anything else is escaped unless site.allow_raw_html;
 *   3. data references {{...}} are expanded (dataref.h);
 *   4. headings get stable, unique ids ({#id} and anchors honoured) and make
 *      the table of contents;
 *   5. `{.class #id}` after an image, link or code span becomes its
 *      attributes; link targets {legacy}N, {placeholder}, #anchor resolve;
 *      images are checked and pointed at their copy in the output;
 *   6. block quotes starting with [!kind] become notes (and [!tabs] panels).
 * The markup it builds goes into the tree as HTML nodes whose every value
 * went through html_escape, so the tree must be rendered with
 * CMARK_OPT_UNSAFE (raw HTML of the author is gone or allowed by then). */
#ifndef MG_DIALECT_H
#define MG_DIALECT_H

#include <stdbool.h>

#include "diag.h"
#include "guide.h"
#include "model.h"
#include "strmap.h"
#include "util.h"

struct dialect_heading {
	unsigned level; /* 2 or 3: what the table of contents lists */
	const char *id;
	const char *text;
};

/* An image the page uses: copy `src` (a content file) to `dest` (output). */
struct dialect_image {
	const char *src;
	const char *dest;
};

/* A link of the page (text links and autolinks), as written. */
struct dialect_link {
	const char *url;    /* the target as written */
	const char *href;   /* what the page links to; NULL when the target
			       was reported as wrong */
	size_t legacy;      /* 1 + the index of the guide a {legacy} or repository
			       link names; 0: none */
	unsigned line, col; /* where the target is written in the file */
};

struct dialect_repaired; /* tables rebuilt from a paragraph, for positions */

struct dialect {
	/* Set by the caller. */
	const struct model *m;
	const struct guide *guide;       /* the page's */
	const struct guide_view *others; /* every guide, as a page may show it
					    (guide.h): never more of them */
	int content_fd;                  /* the content folder, for images */
	const char *content_dir;
	const struct guide_doc *doc;
	const struct model_locale *loc; /* the reader's: the page's locale */
	const char *page;               /* the page's output path, for relative links */
	struct diag *diag;
	/* Renders a product's whole settings table for {{settings}}; returns
	 * HTML the caller owns (free()). */
	char *(*settings_html)(void *arg, const struct model_product *p,
			       const struct model_locale *loc);
	void *settings_arg;
	/* Optional: the image files (paths as given to cfile) that an earlier
	 * page of the same guide found usable, each a key; the pages of a
	 * guide in every locale show the same images, so each is checked
	 * once. NULL: every image is checked. */
	struct strmap *images_ok;

	/* Results, valid until dialect_free. */
	struct dialect_heading *toc;
	size_t n_toc;
	struct dialect_image *images;
	size_t n_images;
	struct dialect_link *links;
	size_t n_links;
	const char **ids; /* every id the page uses */
	size_t n_ids;

	/* Private. */
	struct arena arena;
	const char **lines; /* the body's lines (not terminated), 1-based */
	size_t *line_len;
	size_t n_lines;
	struct dialect_repaired *repaired;
	size_t n_repaired;
	size_t ids_cap;
	/* Every id of the page and every image destination as hash sets (open
	 * addressing), so pages with many headings or images stay linear. */
	const char **id_set;
	size_t n_id_set, id_set_cap;
	const char **image_set;
	size_t n_image_set, image_set_cap;
	size_t searched; /* bytes dialect_where scanned for needles */
};

/* Runs every pass over `root`, reporting problems through dx->diag under
 * their check classes (diag.h). Links it records in dx->links without
 * checking their #fragments or pages: that is check.c's business. */
void dialect_run(struct dialect *dx, cmark_node *root);
void dialect_free(struct dialect *dx);

/* Whether the page has an element with this id (a heading, an anchor, an
 * attribute, or one the page's template uses). */
bool dialect_has_id(const struct dialect *dx, const char *id);

/* Where `n` (or, when given, the text `needle` inside its block) is in the
 * guide's file, for diagnostics: file line and column, 1-based. Searching
 * for needles has a budget per page (DIALECT_SEARCH_BUDGET bytes); past it,
 * positions are the node's own. */
#define DIALECT_SEARCH_BUDGET ((size_t)64 << 20)
void dialect_where(struct dialect *dx, cmark_node *n, const char *needle, unsigned *line,
		   unsigned *col);

/* The plain text of a node's inlines (text, code, and the like). */
void dialect_plain_text(cmark_node *n, struct buf *out);

/* Appends the id a heading of text `s` gets (before duplicates are told
 * apart): lower-case ASCII, accented Latin letters without their accents,
 * other scripts kept, runs of anything else one '-'; "section" when empty. */
void dialect_slugify(const char *s, struct buf *out);

/* Marks the ids the page's template uses, so no heading takes them. */
extern const char *const dialect_reserved_ids[];

#endif
