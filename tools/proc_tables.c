// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/twstat/ports (one row per local port, ascending) and
 * /proc/net/twstat/timers (exactly 61 rows, sec 0..60).
 */
#include <inttypes.h>
#include <string.h>

#include "procfs.h"

/* ports columns: port, the ten states, the two timers */
#define TW_PCOL_PORT 0
#define TW_PCOL_STATE0 1
#define TW_PCOL_MIN (TW_PCOL_STATE0 + TW_NSTATES)
#define TW_PCOL_MAX (TW_PCOL_MIN + 1)
#define TW_PCOLS (TW_PCOL_MAX + 1)

static const char *const tw_port_cols[TW_PCOLS] = {
	"port",	      "estab",	   "syn-sent",	"syn-recv",   "fin-wait-1",
	"fin-wait-2", "time-wait", "close",	"close-wait", "last-ack",
	"closing",    "tw_min_ms", "tw_max_ms",
};

static int tw_port_row(const struct tw_lines *lr, char **f, const int *idx,
		       struct tw_port *p, struct tw_err *err)
{
	uint64_t v;
	int i;

	if (tw_proc_u64(lr, "port", f[idx[TW_PCOL_PORT]], 65535, &v, err))
		return -1;
	if (!v)
		return tw_lines_errf(lr, err, "port: 0 is not a local port");
	p->port = (uint16_t)v;
	for (i = 0; i < TW_NSTATES; i++)
		if (tw_proc_u64(lr, tw_port_cols[TW_PCOL_STATE0 + i],
				f[idx[TW_PCOL_STATE0 + i]], TW_ROW_COUNT_MAX,
				&p->count[i], err))
			return -1;
	if (tw_proc_timer(lr, "tw_min_ms", f[idx[TW_PCOL_MIN]], &p->tw_min_ms,
			  err) ||
	    tw_proc_timer(lr, "tw_max_ms", f[idx[TW_PCOL_MAX]], &p->tw_max_ms,
			  err))
		return -1;
	return tw_proc_span(lr, p->tw_min_ms, p->tw_max_ms,
			    p->count[TW_TIME_WAIT], p->count[TW_FIN_WAIT2],
			    err);
}

static int tw_port_order(const struct tw_lines *lr, const struct tw_snap *s,
			 const struct tw_port *p, struct tw_err *err)
{
	uint16_t prev;

	if (!s->nports)
		return 0;
	prev = s->ports[s->nports - 1].port;
	if (p->port == prev)
		return tw_lines_errf(lr, err, "duplicate port %u", p->port);
	if (p->port < prev)
		return tw_lines_errf(lr, err,
				     "ports not sorted ascending (%u after %u)",
				     p->port, prev);
	return 0;
}

int tw_proc_ports(struct tw_lines *lr, struct tw_snap *snap, struct tw_err *err)
{
	char *f[TW_FIELDS_MAX];
	int idx[TW_PCOLS], ncols, rc;
	size_t cap = 0;
	struct tw_port p;

	if (tw_proc_header(lr, tw_port_cols, TW_PCOLS, idx, &ncols, err))
		return -1;
	while ((rc = tw_proc_row(lr, f, ncols, err)) > 0) {
		if (tw_port_row(lr, f, idx, &p, err) ||
		    tw_port_order(lr, snap, &p, err))
			return -1;
		if (snap->nports == cap) {
			cap = cap ? 2 * cap : 64;
			snap->ports =
				tw_xreallocarray(snap->ports, cap, sizeof(p));
		}
		snap->ports[snap->nports++] = p;
	}
	return rc;
}

static const char *const tw_timer_cols[] = { "sec", "count" };

static int tw_timer_row(const struct tw_lines *lr, char **f, const int *idx,
			unsigned int row, uint64_t *count, struct tw_err *err)
{
	uint64_t sec;

	if (tw_proc_u64(lr, "sec", f[idx[0]], TW_TIMER_ROWS - 1, &sec, err))
		return -1;
	if (sec != row)
		return tw_lines_errf(lr, err, "sec %" PRIu64 ", expected %u",
				     sec, row);
	return tw_proc_u64(lr, "count", f[idx[1]], TW_COUNT_MAX, count, err);
}

int tw_proc_timers(struct tw_lines *lr, uint64_t timers[TW_TIMER_ROWS],
		   struct tw_err *err)
{
	char *f[TW_FIELDS_MAX];
	int idx[2], ncols, rc;
	unsigned int row = 0;

	memset(timers, 0, TW_TIMER_ROWS * sizeof(*timers));
	if (tw_proc_header(lr, tw_timer_cols, 2, idx, &ncols, err))
		return -1;
	while ((rc = tw_proc_row(lr, f, ncols, err)) > 0) {
		if (row == TW_TIMER_ROWS)
			return tw_lines_errf(lr, err, "more than %d timer rows",
					     TW_TIMER_ROWS);
		if (tw_timer_row(lr, f, idx, row, &timers[row], err))
			return -1;
		row++;
	}
	if (rc < 0)
		return -1;
	if (row != TW_TIMER_ROWS)
		return tw_lines_errf(
			lr, err, "end of file after %u timer rows, expected %d",
			row, TW_TIMER_ROWS);
	return 0;
}
