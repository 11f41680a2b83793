// SPDX-License-Identifier: GPL-2.0
/* Render to memory, write at once (see output.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "print.h"
#include "prom.h"

void tw_render(const struct tw_view_ctx *ctx, enum tw_format fmt, char **buf,
	       size_t *len)
{
	FILE *mem = open_memstream(buf, len);

	if (!mem) {
		fputs("twstat: out of memory\n", stderr);
		exit(1);
	}
	if (fmt == TW_FMT_PROM) {
		tw_prom_render(mem, ctx);
	} else {
		pr_start(fmt == TW_FMT_JSON ? PR_JSON : PR_TEXT, mem);
		tw_view_render(ctx);
		pr_finish();
	}
	if (fclose(mem)) {
		fputs("twstat: out of memory\n", stderr);
		exit(1);
	}
}

int tw_write_out(const char *buf, size_t len, struct tw_err *err)
{
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout))
		return tw_errf(err, "stdout: %s", strerror(errno));
	return 0;
}

unsigned int tw_view_needs(enum tw_view view)
{
	switch (view) {
	case TW_VIEW_PORTS:
		return TW_NEED_PORTS;
	case TW_VIEW_TIMERS:
		return TW_NEED_TIMERS;
	case TW_VIEW_REMOTES:
		return TW_NEED_REMOTES;
	case TW_VIEW_SUMMARY:
		return 0;
	default:
		return TW_NEED_ALL;
	}
}
