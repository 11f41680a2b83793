/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers of the module's files, /proc/net/twstat/{summary,ports,timers,
 * remotes}, as docs/interface.md defines them. Each reads a whole file
 * through a struct tw_lines and either fills the model completely or fails
 * with "PATH:LINE: reason": wrong header, missing column, short or long
 * row, non-numeric or absurd field, unknown version, duplicate or unsorted
 * rows, wrong number of timer rows. Unknown summary keys and unknown
 * columns are ignored (the contract only appends).
 */
#ifndef TW_PROCFS_H
#define TW_PROCFS_H

#include "lines.h"
#include "twstat.h"

int tw_proc_summary(struct tw_lines *lr, struct tw_summary *sum,
		    struct tw_err *err);
int tw_proc_ports(struct tw_lines *lr, struct tw_snap *snap,
		  struct tw_err *err);
int tw_proc_timers(struct tw_lines *lr, uint64_t timers[TW_TIMER_ROWS],
		   struct tw_err *err);
int tw_proc_remotes(struct tw_lines *lr, struct tw_snap *snap,
		    struct tw_err *err);

/* Shared by the parsers: one numeric field of column @col. */
int tw_proc_u64(const struct tw_lines *lr, const char *col, const char *s,
		uint64_t max, uint64_t *out, struct tw_err *err);
/* A timer field: milliseconds <= 60000, or "-" (TW_NO_TIMER). */
int tw_proc_timer(const struct tw_lines *lr, const char *col, const char *s,
		  uint32_t *out, struct tw_err *err);
/*
 * tw_min_ms/tw_max_ms of a row holding @tw TIME_WAIT and @fw2 FIN_WAIT2
 * sockets: both "-" or both set, min <= max, set whenever @tw > 0, unset
 * when @tw + @fw2 == 0.
 */
int tw_proc_span(const struct tw_lines *lr, uint32_t min, uint32_t max,
		 uint64_t tw, uint64_t fw2, struct tw_err *err);
/* The header line of a table: fields mapped to @names. */
int tw_proc_header(struct tw_lines *lr, const char *const *names, int nnames,
		   int *idx, int *ncols, struct tw_err *err);
/* A row with exactly @ncols fields. 1, 0 at end of file, -1. */
int tw_proc_row(struct tw_lines *lr, char **fields, int ncols,
		struct tw_err *err);

#endif /* TW_PROCFS_H */
