/* mdarena.h: memory for one cmark-gfm tree. Parsing a page's Markdown makes
 * tens of thousands of small nodes and strings, and freeing the tree frees
 * each again: through glibc's allocator that was a tenth of a build's CPU.
 * An arena hands them out from a few large blocks and frees them all at
 * once.
 *
 * cmark's allocator callbacks take no context argument, so the arena in
 * use is the calling thread's current one (mdarena_enter). A thread has at
 * most one at a time: the tree must be made, changed, rendered and freed on
 * the thread that entered the arena, before mdarena_leave. cmark-gfm's own
 * arena (cmark_get_arena_mem_allocator) is one for the whole process, which
 * threads rendering pages side by side cannot share. */
#ifndef MG_MDARENA_H
#define MG_MDARENA_H

#include <cmark-gfm.h>

struct mdarena;

/* Makes an arena the calling thread's current one and returns the cmark
 * allocator that draws from it (for cmark_parser_new_with_mem). */
struct mdarena *mdarena_enter(cmark_mem **mem);

/* The calling thread's current arena's allocator. cmark links only nodes
 * of one allocator (cmark_node_append_child and the others refuse a node
 * of another, silently), so every node a pass adds to the tree is made
 * with this: cmark_node_new_with_mem(type, mdarena_mem()). */
cmark_mem *mdarena_mem(void);

/* Frees every block the arena handed out, and the arena; the thread has no
 * current arena after it. Everything made through its allocator is gone. */
void mdarena_leave(struct mdarena *a);

#endif
