/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading a snapshot from the chosen source: the module's /proc files
 * (module), the tool's own sock_diag dump plus sysctls (diag), or module
 * when ROOT/net/twstat/summary exists and diag otherwise (auto).
 */
#ifndef TW_LOAD_H
#define TW_LOAD_H

#include "err.h"
#include "model.h"

struct tw_load {
	const char *root; /* "/proc" or --proc-root */
	enum tw_source source;
	unsigned int need; /* TW_NEED_*: tables beyond the summary */
};

/* Fill @snap (freed with tw_snap_free, also on failure). 0 or -1. */
int tw_load_snap(const struct tw_load *ld, struct tw_snap *snap,
		 struct tw_err *err);

#endif /* TW_LOAD_H */
