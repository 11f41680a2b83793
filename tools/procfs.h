/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module source: the files of /proc/net/twstat as docs/interface.md
 * defines them, read into a snapshot. Each file is read whole through a
 * struct tw_lines and either fills the model completely or fails with
 * "PATH:LINE: reason": wrong header, missing column, short or long row,
 * non-numeric or absurd field, unknown version, duplicate or unsorted
 * rows, wrong number of timer rows. Unknown summary keys and unknown
 * columns are ignored (the contract only appends).
 *
 * Parses; never prints.
 */
#ifndef TW_PROCFS_H
#define TW_PROCFS_H

#include "lines.h"
#include "model.h"

/* ROOT/net/twstat/summary exists: the module is loaded. */
bool tw_proc_present(const char *root);

/* Read summary and the files in @need (TW_NEED_*) under ROOT/net/twstat. */
int tw_proc_load(const char *root, unsigned int need, struct tw_snap *snap,
		 struct tw_err *err);

/* Parse one file (not netns) from an open stream into a zeroed @snap. */
int tw_proc_parse(enum tw_file file, struct tw_lines *lr, struct tw_snap *snap,
		  struct tw_err *err);

#endif /* TW_PROCFS_H */
