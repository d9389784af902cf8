/* qr.c: a QR code as SVG path data (see qr.h). */
#include "qr.h"

#include <stdlib.h>

#include <qrencode.h>

#include "util.h"

#define QUIET 4 /* modules of white around the code, as ISO/IEC 18004 asks */

char *qr_svg_path(const char *text, int *size)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (q == NULL)
		return NULL;
	/* Each run of dark modules in a row is a line one module thick, drawn
	 * through the middle of the row (qr.html.tpl strokes it): a row starts
	 * with an absolute move, each further run moves on from the end of the
	 * last. A page carries the code beside its download, so its size
	 * counts: this is half the bytes of a rectangle per run. */
	struct buf b = {0};
	int w = q->width;
	for (int y = 0; y < w; y++) {
		int end = -1; /* where the row's last run ended; -1: none yet */
		for (int x = 0; x < w;) {
			/* Bit 0 of each byte is the module's colour (1: dark). */
			if (!(q->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			if (end < 0)
				buf_printf(&b, "M%d %d.5h%d", x + QUIET, y + QUIET, run);
			else
				buf_printf(&b, "m%d 0h%d", x - end, run);
			end = x + run;
			x += run;
		}
	}
	*size = w + 2 * QUIET;
	QRcode_free(q);
	return buf_detach(&b);
}

void qr_include_svg(tpl_dict *d, const char *name, const char *path, int size, const char *label)
{
	tpl_dict *q = tpl_include(d, name, "qr.html.tpl");
	tpl_set_int(q, "SIZE", size);
	tpl_set_int(q, "PIXELS", size * 3); /* three pixels a module: sharp for any camera */
	tpl_set(q, "PATH", path);
	tpl_set(q, "LABEL", label);
}

void qr_include(tpl_dict *d, const char *name, const char *url, const char *label)
{
	int size;
	char *path = qr_svg_path(url, &size);
	if (path == NULL)
		return;
	qr_include_svg(d, name, path, size, label);
	free(path);
}
