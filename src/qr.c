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
	struct buf b = {0};
	int w = q->width;
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w;) {
			/* Bit 0 of each byte is the module's colour (1: dark). */
			if (!(q->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			buf_printf(&b, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
			x += run;
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
