/* tree.c: see tree.h. */
#include "tree.h"

void tree_each(cmark_node *root, void (*fn)(cmark_node *n, void *arg), void *arg)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER)
			fn(cmark_iter_get_node(it), arg);
	cmark_iter_free(it);
}
