/* build.h: the driver of `mailguide build`: load, render, write, swap. */
#ifndef MG_BUILD_H
#define MG_BUILD_H

#include "diag.h"
#include "opts.h"

/* Runs a whole build. Returns the exit status: 0 done, 1 errors in the
 * content or while writing (the previous output is then left untouched). */
int build_run(const struct build_opts *opts, struct diag *d);

#endif
