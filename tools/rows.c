// SPDX-License-Identifier: GPL-2.0
/*
 * Ports list, remotes selection and timer bars (see rows.h).
 *
 * Owns: which rows a list shows, in what order, for every format. Must
 * not: print.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "rows.h"

static void tw_prow_add(struct tw_prow *row, const struct tw_port *p)
{
	int i;

	row->nports++;
	for (i = 0; i < TW_NSTATES; i++) {
		row->count[i] += p->count[i];
		row->total += p->count[i];
	}
	if (p->tw_min_ms != TW_NO_TIMER) {
		tw_span_add(&row->tw_min_ms, &row->tw_max_ms, p->tw_min_ms);
		tw_span_add(&row->tw_min_ms, &row->tw_max_ms, p->tw_max_ms);
	}
}

static void tw_prow_init(struct tw_prow *row, uint32_t lo, uint32_t hi)
{
	memset(row, 0, sizeof(*row));
	row->lo = lo;
	row->hi = hi;
	row->folded = lo != hi;
	row->tw_min_ms = TW_NO_TIMER;
	row->tw_max_ms = TW_NO_TIMER;
}

/* qsort_r: sort state count descending, total descending, port ascending */
static int tw_prow_cmp(const void *x, const void *y, void *ctx)
{
	const struct tw_prow *a = x, *b = y;
	int st = *(const int *)ctx;

	if (a->count[st] != b->count[st])
		return a->count[st] > b->count[st] ? -1 : 1;
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

void tw_port_query_of(const struct tw_opts *o, struct tw_port_query *q)
{
	memset(q, 0, sizeof(*q));
	q->state = o->state;
	q->only_state = o->state_set;
	q->fold = !o->all && !o->port_set;
	q->port_filter = o->port_set;
	q->port_lo = o->port_lo;
	q->port_hi = o->port_hi;
}

size_t tw_rows_shown(size_t n, uint32_t top)
{
	return top && top < n ? top : n;
}

bool tw_remote_shown(const struct tw_snap *snap, size_t i, uint32_t top)
{
	return !snap->remotes[i].key.family || !top || i < top;
}

bool tw_nsrow_shown(const struct tw_snap *snap, size_t i, uint32_t top)
{
	return !snap->nsrows[i].inum || !top || i < top;
}

static bool tw_port_wanted(const struct tw_port_query *q,
			   const struct tw_port *p)
{
	return !q->port_filter ||
	       (p->port >= q->port_lo && p->port <= q->port_hi);
}

size_t tw_port_rows(const struct tw_snap *snap, const struct tw_port_query *q,
		    struct tw_prow **rows)
{
	uint32_t lo = (uint32_t)tw_sum_get(&snap->sum, TWK_PORT_RANGE_LO);
	uint32_t hi = (uint32_t)tw_sum_get(&snap->sum, TWK_PORT_RANGE_HI);
	struct tw_prow *r = tw_xcalloc(snap->nports + 1, sizeof(*r)), eph;
	size_t i, k, n = 0;

	tw_prow_init(&eph, lo, hi);
	eph.folded = true;
	for (i = 0; i < snap->nports; i++) {
		const struct tw_port *p = &snap->ports[i];

		if (!tw_port_wanted(q, p))
			continue;
		if (q->fold && p->port >= lo && p->port <= hi) {
			tw_prow_add(&eph, p);
			continue;
		}
		tw_prow_init(&r[n], p->port, p->port);
		tw_prow_add(&r[n++], p);
	}
	if (eph.nports)
		r[n++] = eph;
	for (i = 0, k = 0; i < n; i++)
		if (!q->only_state || r[i].count[q->state])
			r[k++] = r[i];
	n = k;
	qsort_r(r, n, sizeof(*r), tw_prow_cmp, (void *)&q->state);
	*rows = r;
	return n;
}

void tw_timer_bars(const struct tw_snap *snap, struct tw_bars *b)
{
	const uint64_t *timers = snap->timers;
	int s;

	memset(b, 0, sizeof(*b));
	b->over = snap->timers_over;
	b->total = b->over;
	for (s = 0; s < TW_TIMER_ROWS; s++) {
		b->count[s / TW_BAR_SECS < TW_BARS ? s / TW_BAR_SECS :
						     TW_BARS - 1] += timers[s];
		b->total += timers[s];
		if (s < 10)
			b->freed10 += timers[s];
		if (s < 30)
			b->freed30 += timers[s];
		if (s < 60)
			b->freed60 += timers[s];
	}
}
