/* guide.h: the guides of a content directory, content/guides/<guide>/guide.<locale>.md,
 * loaded into their own immutable "guide set" beside the model (which they
 * reference: locales, products).
 *
 * Loading reads each file, splits and checks its YAML front matter and keeps
 * the Markdown body; the body is parsed into a cmark-gfm tree on demand
 * (guide_parse), once per page rendered from it, because the dialect passes
 * transform that tree for one page (its locale, its place in the output).
 *
 * Everything in a guide set lives in its arena and dies with guide_set_free. */
#ifndef MG_GUIDE_H
#define MG_GUIDE_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

#include "diag.h"
#include "hash.h"
#include "model.h"
#include "rec.h"
#include "util.h"

/* Limits (docs/limits.md). */
#define GUIDE_MAX_GUIDES 10000 /* guide folders under content/guides */
#define GUIDE_MAX_DEPTH 32     /* block quotes and lists nested in one another */

/* The mail program a guide is about; it decides which profiles its page offers. */
enum guide_client {
	GUIDE_CLIENT_OTHER,
	GUIDE_CLIENT_WINDOWS_MAIL,
	GUIDE_CLIENT_APPLE,
	GUIDE_CLIENT_THUNDERBIRD,
	GUIDE_CLIENT_OUTLOOK,
	GUIDE_CLIENT_COUNT
};

struct guide_date {
	unsigned year, month, day; /* all 0 when the front matter has no date */
};

/* What identifies a file's content without reading it (incr_cache.h): all 0
 * for a document that must not be cached. */
struct guide_stamp {
	unsigned long long dev, ino, size;
	long long mtime_ns, ctime_ns;
};

bool guide_stamp_same(const struct guide_stamp *a, const struct guide_stamp *b);

/* One file: one guide in one locale. */
struct guide_doc {
	const char *file; /* as diagnostics name it */
	const char *dir;  /* the guide's folder, for its images */
	const struct model_locale *locale;
	const char *title;
	const char *excerpt;    /* "" when absent */
	const char *slug;       /* names the page's folder */
	const char *section;    /* as written: a label ("Email clients") or a
				   name of UI string section_<name> ("clients");
				   "general" when absent */
	const char *section_id; /* section_id: a stable name for the section
				   across locales; NULL when absent */
	const char *order;      /* as written ("06"); NULL when absent */
	struct guide_date updated;
	unsigned legacy; /* legacy_guide_number without its 'g'; 0: none */
	enum guide_client client;
	const struct model_product *const *products;
	size_t n_products;
	bool hidden; /* left out of lists and the sitemap */
	bool deprecated;
	const char *canonical; /* routes: canonical:, NULL when absent */
	bool untranslated;     /* a stub not yet translated (new-locale's):
				  left out of the set, never cached */
	/* The text: NULL (text and body) but between guide_read_texts and
	 * guide_drop_texts. The loader reads each file for its front matter
	 * and digest (or takes them from the cache) and keeps none: a build
	 * holds only the texts of the guides being rendered. */
	const char *body; /* the Markdown after the front matter */
	size_t body_len;
	unsigned body_line; /* the file's line number of body[0] */
	const char *text;   /* the whole file as read */
	size_t text_len;
	size_t body_off;          /* body - text */
	struct hash128 digest;    /* of the text: incremental keys hash this */
	struct guide_stamp stamp; /* the file when it was read, if the cache
				     may keep the document; else zero */
	struct guide_stamp seen;  /* the file when the loader read it (or
				     found it in the cache): the text
				     guide_read_texts may take */
	bool cached;
	bool text_owned; /* text read by guide_read_texts, freed with the set */
};

/* One folder: a guide and its translations, indexed like site.locales. */
struct guide {
	const char *id;                 /* the folder's name */
	const struct guide_doc **docs;  /* NULL where a locale has no translation */
	const struct guide_doc *source; /* what untranslated locales show: the
					   default locale's, else the first one */
};

/* ---- what rendering sees of other guides ----
 *
 * A page may show other guides (a link's target and its title, the lists
 * of a locale's home, the sitemap), and whatever it shows of them must be
 * in its incremental key (incr.h), or a rebuild goes stale. So rendering
 * sees other guides through these two views only, filled in one place
 * (guide.c, S_view) when the set is loaded, and the keys hash every field
 * of every view through the same field lists: a field added to a list is
 * in the struct, in the keys and nowhere else. Rendering code is handed a
 * `struct guide_view`, never the guide set, for guides other than the
 * page's own (whose documents are in its key by their digests). Each view
 * is of a guide's page in one locale: its translation, else its source
 * document (then `translated` is false).
 *
 * X(type, name): a guide page's view of another guide (links). */
#define GUIDE_LINK_FIELDS(X)                                                                       \
	X(const char *, id)   /* the guide's folder */                                             \
	X(const char *, slug) /* names the page's folder */                                        \
	X(const char *, title)                                                                     \
	X(unsigned, legacy) /* the source document's legacy number; 0: none */                     \
	X(bool, translated)

/* What the lists (a locale's home) and the sitemap show of a guide. */
#define GUIDE_CARD_FIELDS(X)                                                                       \
	X(const char *, id)                                                                        \
	X(const char *, slug)                                                                      \
	X(const char *, title)                                                                     \
	X(const char *, lang) /* the shown document's locale, BCP 47 */                            \
	X(const char *, excerpt)                                                                   \
	X(const char *, section)     /* as written (guide_section_title) */                        \
	X(const char *, section_key) /* guide_section_key */                                       \
	X(const char *, order)                                                                     \
	X(bool, hidden)                                                                            \
	X(bool, translated)                                                                        \
	X(unsigned, source) /* the locale index of the guide's source document */

#define GUIDE_VIEW_MEMBER(type, name) type name;
struct guide_link {
	GUIDE_LINK_FIELDS(GUIDE_VIEW_MEMBER)
};
struct guide_card {
	GUIDE_CARD_FIELDS(GUIDE_VIEW_MEMBER)
};
#undef GUIDE_VIEW_MEMBER

/* The two views' record formats (rec.h): what the keys hash. */
extern const struct rec_format guide_link_format, guide_card_format;

/* A guide's page in one locale by its slug, or the guide by its legacy
 * number: what the set is sorted by to find duplicates and to look a
 * guide up (guide_view_named, guide_view_legacy). */
struct guide_key {
	const char *slug;
	unsigned legacy;
	size_t guide; /* its index in the set */
};

/* Every guide's views, [guide * n_locales + locale], in set order (by id),
 * with the orders the look-ups below search in, so that resolving a page's
 * links costs a logarithm of the guides each, not their number. */
struct guide_view {
	size_t n, n_locales;
	const struct guide_link *links;
	const struct guide_card *cards;
	const struct guide_key *by_legacy; /* the guides with a legacy number, by it */
	size_t n_legacy;
	const struct guide_key *by_slug; /* translated pages, by slug, then guide */
	size_t n_slugs;
};

#define GUIDE_NONE ((size_t)-1) /* no guide: what the look-ups below return */

/* Guide i's view in locale index l. */
const struct guide_link *guide_view_link(const struct guide_view *v, size_t i, size_t l);
const struct guide_card *guide_view_card(const struct guide_view *v, size_t i, size_t l);
/* The guide whose legacy number is `n` (not 0), the first in set order when
 * several have it; GUIDE_NONE when none. */
size_t guide_view_legacy(const struct guide_view *v, unsigned n);
/* The guide whose folder is `name`, else the first (in set order) with that
 * slug in some locale (a folder renamed after its slug when it was brought
 * over); GUIDE_NONE when none. */
size_t guide_view_named(const struct guide_view *v, const char *name);

/* The output path of a guide's page in `loc` whose slug there is `slug`
 * (paths_guide). Caller frees. */
char *guide_path(const struct model_locale *loc, const char *slug);

struct guide_set {
	const struct model *m;
	const char *content_dir;    /* as given to guide_set_load */
	int content_fd;             /* it, for cfile_*_at; -1 if it cannot be opened */
	const struct guide *guides; /* sorted by folder name */
	size_t n;
	struct guide_view view; /* what pages may show of each guide */
	struct arena arena;
};

struct incr_cache;

/* Loads every guide under <content_dir>/guides. Reports each problem (front
 * matter errors, unknown keys as warnings, duplicate slugs or legacy numbers)
 * and returns the set, or NULL when there were errors. A content directory
 * without guides/ gives an empty set. With a cache (NULL: none), a file
 * whose stamp it knows is not read (incr_cache.h). Free with guide_set_free. */
struct guide_set *guide_set_load(const char *content_dir, const struct model *m, struct diag *d,
				 unsigned workers, const struct incr_cache *cache);
void guide_set_free(struct guide_set *s);

/* Reads the text of guide g's documents, which rendering and checking
 * need. Only the one job that renders g may call it (it fills in g's
 * documents). False after reporting a file that changed since it was
 * loaded (or cannot be read). */
bool guide_read_texts(const struct guide_set *s, const struct guide *g, struct diag *d);
/* Frees what guide_read_texts read, once g's job is done with it. */
void guide_drop_texts(const struct guide_set *s, const struct guide *g);

/* How many documents the set has, and how many came from the cache. */
void guide_set_counts(const struct guide_set *s, size_t *docs, size_t *cached);

/* What groups guides under one section of a locale's home (section_id,
 * else section), and the title readers see there for a document's
 * `section`: the label as written, else UI string section_<name>, else
 * the name. */
const char *guide_section_key(const struct guide_doc *doc);
const char *guide_section_title(const char *section, const struct model *m,
				const struct model_locale *loc);

/* The front matter's rules for a slug, and for a date (YYYY-MM-DD). */
bool guide_slug_ok(const char *s);
bool guide_date_ok(const struct guide_date *d);

/* A document's Markdown parsed by cmark-gfm with the GFM table, autolink and
 * strikethrough extensions, its adjacent text nodes joined (cmark splits
 * text wherever markup might start; every pass reads whole text). The parser is kept because
 * rendering needs its extension list. The tree's memory is an arena of the calling thread
 * (mdarena.h): the tree is changed, rendered and freed (guide_ast_free) on
 * that thread, one tree at a time. */
struct guide_ast {
	const struct guide_doc *doc;
	cmark_parser *parser;
	cmark_node *root;
	struct mdarena *arena;
};

void guide_parse(const struct guide_doc *doc, struct guide_ast *out);
/* The tree as HTML (cmark_render_html with the parser's extensions), in
 * the tree's arena: valid until guide_ast_free. */
const char *guide_ast_html(struct guide_ast *a, int options);
void guide_ast_free(struct guide_ast *a);

/* Index of `loc` in site.locales. */
size_t guide_locale_index(const struct model *m, const struct model_locale *loc);

/* What the page of guide `g` in `loc` shows: its translation, or the source
 * document when there is none (then *fallback is set true). Never NULL. */
const struct guide_doc *guide_page_doc(const struct model *m, const struct guide *g,
				       const struct model_locale *loc, bool *fallback);

/* The output path of guide `g`'s page in `loc` (paths_guide). Caller frees. */
char *guide_page_path(const struct model *m, const struct guide *g, const struct model_locale *loc);

/* The guide a document belongs to. */
const struct guide *guide_of(const struct guide_set *s, const struct guide_doc *doc);

/* "windows-mail", "apple", ...; parse returns -1 for an unknown name. */
const char *guide_client_name(enum guide_client c);
int guide_client_parse(const char *s);

#endif
