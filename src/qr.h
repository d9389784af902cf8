/* qr.h: QR codes for the pages (render stage), made by libqrencode and
 * drawn by the templates as inline SVG: a reader at a desk scans the code
 * with a phone to open a file's address there. */
#ifndef MG_QR_H
#define MG_QR_H

#include "tpl.h"

/* The dark modules of the QR code of `text` (error correction level M) as
 * SVG path data in module units, to be stroked one module wide: each run
 * of a row is a horizontal line through the row's middle ("M x y.5 h n",
 * further runs of the row "m gap 0 h n"), offset by the 4-module quiet
 * zone; *size is the whole code's width and height with it. Returns NULL when libqrencode cannot
 * encode `text` (too long). Caller frees. */
char *qr_svg_path(const char *text, int *size);

/* Fills include `name` of `d` with templates/qr.html.tpl showing the code
 * of `url`, captioned `label`; leaves it empty when `url` cannot be
 * encoded. */
void qr_include(tpl_dict *d, const char *name, const char *url, const char *label);
/* The same for a code already drawn by qr_svg_path. */
void qr_include_svg(tpl_dict *d, const char *name, const char *path, int size, const char *label);

#endif
