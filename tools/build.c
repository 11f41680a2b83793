// SPDX-License-Identifier: GPL-2.0
/*
 * Sockets to snapshot, the way the module aggregates (see build.h).
 *
 * Owns: the diag source's counting, folding and sorting rules. Must not:
 * talk to the kernel (diag.c does) or render.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "build.h"
#include "err.h"

void tw_build_init(struct tw_builder *b, struct tw_snap *snap)
{
	size_t i;

	memset(b, 0, sizeof(*b));
	b->snap = snap;
	b->lo = (uint32_t)tw_sum_get(&snap->sum, TWK_PORT_RANGE_LO);
	b->hi = (uint32_t)tw_sum_get(&snap->sum, TWK_PORT_RANGE_HI);
	b->byport = tw_xcalloc(TW_NPORTS, sizeof(*b->byport));
	for (i = 0; i < TW_NPORTS; i++) {
		b->byport[i].port = (uint16_t)i;
		b->byport[i].tw_min_ms = TW_NO_TIMER;
		b->byport[i].tw_max_ms = TW_NO_TIMER;
	}
	memset(snap->timers, 0, sizeof(snap->timers));
	snap->timers_over = 0;
}

static void tw_build_summary(struct tw_snap *s, const struct tw_rec *r)
{
	unsigned int row;

	s->sum.k[TWK_SOCKETS].v++;
	if (r->state == TW_UNKNOWN)
		s->sum.k[TWK_UNKNOWN_STATE].v++;
	else
		s->sum.k[TWK_STATE(r->state)].v++;
	if (r->tw_ms == TW_NO_TIMER)
		return;
	s->sum.k[r->key.family == AF_INET6 ? TWK_TW_V6 : TWK_TW_V4].v++;
	row = tw_timer_row(r->tw_ms);
	if (row < TW_TIMER_ROWS)
		s->timers[row]++;
	else
		s->timers_over++;
}

int tw_build_add(void *ctx, const struct tw_rec *r)
{
	struct tw_builder *b = ctx;
	struct tw_port *p = &b->byport[r->lport];

	tw_build_summary(b->snap, r);
	if (r->state != TW_UNKNOWN) {
		p->count[r->state]++;
		tw_span_add(&p->tw_min_ms, &p->tw_max_ms, r->tw_ms);
	}
	if (r->lport < b->lo || r->lport > b->hi)
		return 0;
	if (b->nscoped == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 1024;
		b->scoped = tw_xreallocarray(b->scoped, b->cap, sizeof(*r));
	}
	b->scoped[b->nscoped] = *r;
	tw_rkey_unmap(&b->scoped[b->nscoped++].key);
	return 0;
}

static bool tw_port_used(const struct tw_port *p)
{
	int i;

	for (i = 0; i < TW_NSTATES; i++)
		if (p->count[i])
			return true;
	return false;
}

static void tw_build_ports(struct tw_builder *b)
{
	struct tw_snap *s = b->snap;
	size_t i;

	s->ports = tw_xcalloc(TW_NPORTS, sizeof(*s->ports));
	for (i = 0; i < TW_NPORTS; i++)
		if (tw_port_used(&b->byport[i]))
			s->ports[s->nports++] = b->byport[i];
}

static int tw_rec_qcmp(const void *x, const void *y)
{
	const struct tw_rec *a = x, *b = y;

	return tw_rkey_cmp(&a->key, &b->key);
}

static int tw_remote_qcmp(const void *x, const void *y)
{
	return tw_remote_cmp(x, y);
}

static void tw_remote_start(struct tw_remote *row, const struct tw_rec *r,
			    uint64_t range)
{
	memset(row, 0, sizeof(*row));
	row->key = r->key;
	row->range = range;
	row->tw_min_ms = TW_NO_TIMER;
	row->tw_max_ms = TW_NO_TIMER;
}

static void tw_remote_end(struct tw_remote *row)
{
	int i;

	for (i = 0; i < TW_R_NCOLS; i++)
		row->used += row->count[i];
	row->has_pct = row->range != 0;
	if (row->has_pct)
		row->pct_tenths =
			(uint32_t)tw_pct_tenths(row->used, row->range);
}

/* Group the scoped sockets by destination, then sort as the module. */
static void tw_build_remotes(struct tw_builder *b)
{
	struct tw_snap *s = b->snap;
	uint64_t range = tw_sum_get(&s->sum, TWK_PORT_RANGE_SIZE);
	struct tw_remote *row = NULL;
	size_t i;

	if (b->nscoped > 1)
		qsort(b->scoped, b->nscoped, sizeof(*b->scoped), tw_rec_qcmp);
	s->remotes = tw_xcalloc(b->nscoped, sizeof(*s->remotes));
	for (i = 0; i < b->nscoped; i++) {
		const struct tw_rec *r = &b->scoped[i];

		if (!i || tw_rkey_cmp(&r[-1].key, &r->key)) {
			row = &s->remotes[s->nremotes++];
			tw_remote_start(row, r, range);
		}
		row->count[tw_rcol_of(r->state)]++;
		tw_span_add(&row->tw_min_ms, &row->tw_max_ms, r->tw_ms);
	}
	for (i = 0; i < s->nremotes; i++)
		tw_remote_end(&s->remotes[i]);
	if (s->nremotes > 1)
		qsort(s->remotes, s->nremotes, sizeof(*s->remotes),
		      tw_remote_qcmp);
	tw_sum_set(&s->sum, TWK_REMOTES, s->nremotes);
	tw_sum_set(&s->sum, TWK_REMOTES_FOLDED, 0);
	tw_sum_set(&s->sum, TWK_REMOTES_SOCKETS, b->nscoped);
}

void tw_build_finish(struct tw_builder *b)
{
	struct tw_summary *sum = &b->snap->sum;
	int k;

	tw_sum_set(sum, TWK_SOCKETS, sum->k[TWK_SOCKETS].v);
	tw_sum_set(sum, TWK_UNKNOWN_STATE, sum->k[TWK_UNKNOWN_STATE].v);
	for (k = 0; k < TW_NSTATES; k++)
		sum->k[TWK_STATE0 + k].set = true;
	tw_sum_set(sum, TWK_TW_V4, sum->k[TWK_TW_V4].v);
	tw_sum_set(sum, TWK_TW_V6, sum->k[TWK_TW_V6].v);
	tw_sum_set(sum, TWK_TW_SOCKETS,
		   sum->k[TWK_TW_V4].v + sum->k[TWK_TW_V6].v);
	tw_sum_set(sum, TWK_TIMERS_OVERFLOW, b->snap->timers_over);
	tw_build_ports(b);
	tw_build_remotes(b);
	b->snap->have = TW_NEED_ALL;
	free(b->byport);
	free(b->scoped);
	b->byport = NULL;
	b->scoped = NULL;
}
