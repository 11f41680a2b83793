/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rendering a view in the chosen format into memory, then writing it to
 * stdout in one go: an error found while rendering never leaves half a
 * document on stdout.
 */
#ifndef TW_OUTPUT_H
#define TW_OUTPUT_H

#include "err.h"
#include "options.h"
#include "views.h"

/* Render; *buf is allocated (free it). */
void tw_render(const struct tw_view_ctx *ctx, enum tw_format fmt, char **buf,
	       size_t *len);
/* Write @len bytes to stdout and flush. 0, or -1 on a write error. */
int tw_write_out(const char *buf, size_t len, struct tw_err *err);
/* Tables a view needs (TW_NEED_*). */
unsigned int tw_view_needs(enum tw_view view);

#endif /* TW_OUTPUT_H */
