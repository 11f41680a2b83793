/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the list views show: per-port rows filtered, folded and sorted for
 * "top ports", and the timer histogram grouped into bars with its prefix
 * sums. Pure functions of a snapshot, shared by text, JSON and Prometheus.
 */
#ifndef TW_ROWS_H
#define TW_ROWS_H

#include "options.h"
#include "model.h"

/* A row of the ports list: one port, or the folded ephemeral range. */
struct tw_prow {
	uint32_t lo, hi; /* lo == hi unless folded */
	uint32_t nports; /* ports of the snapshot in this row */
	bool folded;
	uint64_t count[TW_NSTATES];
	uint64_t total;
	uint32_t tw_min_ms, tw_max_ms;
	int64_t tw_delta; /* --watch: time-wait change since last refresh */
	bool has_delta;
};

struct tw_port_query {
	int state; /* sort by this state's count, descending */
	bool only_state; /* drop rows without sockets in @state */
	bool fold; /* fold port_range_lo..hi into one row */
	bool port_filter; /* only ports in [port_lo, port_hi] */
	uint16_t port_lo, port_hi;
};

/* The ports query of the command line (--state, --port, --all). */
void tw_port_query_of(const struct tw_opts *o, struct tw_port_query *q);

/* All rows, sorted (state count desc, total desc, port asc). Free *rows. */
size_t tw_port_rows(const struct tw_snap *snap, const struct tw_port_query *q,
		    struct tw_prow **rows);

/* Rows of a ports list of @n shown with --top @top (0: all). */
size_t tw_rows_shown(size_t n, uint32_t top);

/* Remotes row @i is shown: one of the first @top, or the folded row. */
bool tw_remote_shown(const struct tw_snap *snap, size_t i, uint32_t top);
/* Netns row @i is shown: likewise. */
bool tw_nsrow_shown(const struct tw_snap *snap, size_t i, uint32_t top);

/* Timer bars: 0-9, 10-19, ..., 50-60 seconds (the last one has 60). */
#define TW_BARS 6
#define TW_BAR_SECS 10

struct tw_bars {
	uint64_t count[TW_BARS];
	uint64_t over; /* the overflow row: 61 s or more */
	uint64_t total; /* all minisockets, over included */
	uint64_t freed10, freed30, freed60; /* rows 0..N-1 */
};

void tw_timer_bars(const struct tw_snap *snap, struct tw_bars *b);

#endif /* TW_ROWS_H */
