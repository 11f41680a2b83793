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

static void tw_build_owned(struct tw_builder *b, const struct tw_rec *r)
{
	struct tw_owned *o;

	if (b->nowned == b->owned_cap) {
		b->owned_cap = b->owned_cap ? 2 * b->owned_cap : 1024;
		b->owned = tw_xreallocarray(b->owned, b->owned_cap,
					    sizeof(*b->owned));
	}
	o = &b->owned[b->nowned++];
	o->cgroup = r->cgroup;
	o->tw_ms = r->tw_ms;
	o->state = r->state;
}

int tw_build_add(void *ctx, const struct tw_rec *r)
{
	struct tw_builder *b = ctx;
	struct tw_port *p = &b->byport[r->lport];

	tw_build_summary(b->snap, r);
	tw_build_owned(b, r);
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
	row->tw_recent.set = true;
	row->tw_expiring.set = true;
}

#define TW_TIMEWAIT_LEN_MS 60000 /* where a time-wait timer starts */

/* tw_recent, tw_expiring: time-wait minisockets made or ending lately. */
static void tw_build_window(struct tw_remote *row, const struct tw_rec *r)
{
	if (r->state != TW_TIME_WAIT || r->tw_ms == TW_NO_TIMER)
		return;
	if (r->tw_ms >= TW_TIMEWAIT_LEN_MS - TWSTAT_FORECAST_WINDOW_MS)
		row->tw_recent.v++;
	if (r->tw_ms < TWSTAT_FORECAST_WINDOW_MS)
		row->tw_expiring.v++;
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
		tw_build_window(row, r);
	}
	for (i = 0; i < s->nremotes; i++)
		tw_remote_end(&s->remotes[i]);
	if (s->nremotes > 1)
		qsort(s->remotes, s->nremotes, sizeof(*s->remotes),
		      tw_remote_qcmp);
	s->rcols = (1U << TW_RC_TW_RECENT) | (1U << TW_RC_TW_EXPIRING);
	tw_sum_set(&s->sum, TWK_REMOTES, s->nremotes);
	tw_sum_set(&s->sum, TWK_REMOTES_FOLDED, 0);
	tw_sum_set(&s->sum, TWK_REMOTES_SOCKETS, b->nscoped);
}

static int tw_owned_qcmp(const void *x, const void *y)
{
	const struct tw_owned *a = x, *b = y;

	if (a->cgroup.known != b->cgroup.known)
		return a->cgroup.known ? 1 : -1;
	return (a->cgroup.id > b->cgroup.id) - (a->cgroup.id < b->cgroup.id);
}

static int tw_owner_qcmp(const void *x, const void *y)
{
	return tw_owner_cmp(x, y);
}

static void tw_owner_add(struct tw_owner *row, const struct tw_owned *o)
{
	row->sockets++;
	if (o->state != TW_UNKNOWN)
		row->count[o->state]++;
	tw_span_add(&row->tw_min_ms, &row->tw_max_ms, o->tw_ms);
}

/* Group every socket by owner, then sort as the module. */
static void tw_build_owners(struct tw_builder *b)
{
	struct tw_snap *s = b->snap;
	struct tw_owner *row = NULL;
	uint64_t unknown_tw = 0;
	size_t i;

	if (b->nowned > 1)
		qsort(b->owned, b->nowned, sizeof(*b->owned), tw_owned_qcmp);
	s->owners = tw_xcalloc(b->nowned + 1, sizeof(*s->owners));
	for (i = 0; i < b->nowned; i++) {
		const struct tw_owned *o = &b->owned[i];

		if (!i || tw_owned_qcmp(&o[-1], o)) {
			row = &s->owners[s->nowners++];
			row->cgroup = o->cgroup;
			row->tw_min_ms = row->tw_max_ms = TW_NO_TIMER;
		}
		tw_owner_add(row, o);
		unknown_tw += !o->cgroup.known && o->tw_ms != TW_NO_TIMER;
	}
	if (s->nowners > 1)
		qsort(s->owners, s->nowners, sizeof(*s->owners), tw_owner_qcmp);
	tw_sum_set(&s->sum, TWK_OWNERS, s->nowners);
	tw_sum_set(&s->sum, TWK_TW_OWNER_UNKNOWN, unknown_tw);
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
	tw_build_owners(b);
	b->snap->have = TW_NEED_ALL | TW_NEED_OWNERS;
	free(b->byport);
	free(b->scoped);
	free(b->owned);
	b->byport = NULL;
	b->scoped = NULL;
	b->owned = NULL;
}
