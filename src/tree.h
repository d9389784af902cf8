/* tree.h: the one walk over a cmark-gfm tree that most passes need: every
 * node, in document order, once (on entering it). cmark's iterator does
 * the walk, without recursion whatever the nesting (guide.h,
 * GUIDE_MAX_DEPTH). A pass that needs the exit events too, or skips a
 * subtree, uses the iterator itself. */
#ifndef MG_TREE_H
#define MG_TREE_H

#include <cmark-gfm.h>

/* Calls fn(node, arg) for `root` and every node below it, in document
 * order. `fn` must not unlink or free nodes (collect them, then change the
 * tree). */
void tree_each(cmark_node *root, void (*fn)(cmark_node *n, void *arg), void *arg);

#endif
