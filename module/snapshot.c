// SPDX-License-Identifier: GPL-2.0
/*
 * Aggregation: one walk of the ehash becomes one immutable, refcounted
 * snapshot (summary counters, per-port rows, timer histogram, per-
 * destination rows). Its size depends on the number of ports and
 * destinations, never on the number of sockets: per-port rows are indexed
 * by port while building, and destinations stop at max_remotes.
 *
 * The sink runs after the bucket lock is dropped, so it may allocate.
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>
#include <net/inet_hashtables.h>
#include <net/ip.h>

#include "twstat.h"

#define TWSTAT_ROWS_INIT	64
#define MSEC_PER_SEC_U32	1000U

/* Scratch state of one walk, freed once the snapshot is final. */
struct twstat_builder {
	struct twstat_snapshot *snap;
	u32 *port_idx;			/* port -> row + 1; 0: no row yet */
	u32 ports_cap;
};

void twstat_timer_span(u32 *min, u32 *max, u32 ms)
{
	if (ms == TWSTAT_NO_TIMER)
		return;
	if (*min == TWSTAT_NO_TIMER || ms < *min)
		*min = ms;
	if (*max == TWSTAT_NO_TIMER || ms > *max)
		*max = ms;
}

/* Grow a row array to twice its capacity, at most @limit rows. */
int twstat_grow(void **rows, u32 *cap, u32 used, size_t size, u32 limit)
{
	u32 ncap = min_t(u32, *cap ? *cap * 2 : TWSTAT_ROWS_INIT, limit);
	void *n;

	n = kvmalloc_array(ncap, size, GFP_KERNEL_ACCOUNT);
	if (!n)
		return -ENOMEM;
	if (used)
		memcpy(n, *rows, (size_t)used * size);
	kvfree(*rows);
	*rows = n;
	*cap = ncap;
	return 0;
}

/*
 * A new, empty open-addressing index of row numbers for @cap rows, in
 * place of *@idx: twice as many slots, so that it stays at most half full.
 */
int twstat_index_alloc(u32 **idx, u32 *mask, u32 cap)
{
	u32 slots = roundup_pow_of_two(2 * cap);

	kvfree(*idx);
	*idx = kvcalloc(slots, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!*idx)
		return -ENOMEM;
	*mask = slots - 1;
	return 0;
}

void twstat_tally_add(struct twstat_tally *t, const struct twstat_rec *r)
{
	t->sockets++;
	if (r->state == TWSTAT_UNKNOWN)
		t->unknown++;
	else
		t->state[r->state]++;
	if (r->tw_ms == TWSTAT_NO_TIMER)
		return;
	if (r->family == AF_INET6)
		t->tw_v6++;
	else
		t->tw_v4++;
}

static void twstat_count_state(struct twstat_snapshot *s,
			       const struct twstat_rec *r)
{
	u32 sec = r->tw_ms / MSEC_PER_SEC_U32;

	twstat_tally_add(&s->tally, r);
	if (r->tw_ms == TWSTAT_NO_TIMER)
		return;
	if (sec < TWSTAT_TIMER_SECS)
		s->timers[sec]++;
	else
		s->timers_over++;
}

static int twstat_count_port(struct twstat_builder *b,
			     const struct twstat_rec *r)
{
	struct twstat_snapshot *s = b->snap;
	struct twstat_port *p;
	u32 *idx = &b->port_idx[r->lport];
	int err;

	if (r->state == TWSTAT_UNKNOWN)
		return 0;
	if (!*idx) {
		if (s->nports == b->ports_cap) {
			err = twstat_grow((void **)&s->ports, &b->ports_cap,
					  s->nports, sizeof(*p), TWSTAT_NPORTS);
			if (err)
				return err;
		}
		p = &s->ports[s->nports];
		memset(p, 0, sizeof(*p));
		p->port = r->lport;
		p->tw_min_ms = TWSTAT_NO_TIMER;
		p->tw_max_ms = TWSTAT_NO_TIMER;
		*idx = ++s->nports;
	}
	p = &s->ports[*idx - 1];
	p->count[r->state]++;
	twstat_timer_span(&p->tw_min_ms, &p->tw_max_ms, r->tw_ms);
	return 0;
}

/* remotes_scope=ephemeral: only local ports connect() may have picked */
bool twstat_remotes_in_scope(const struct twstat_rec *r, bool all, int lo,
			     int hi)
{
	return all || (r->lport >= lo && r->lport <= hi);
}

/* Runs after the bucket lock is dropped: may look owners up and allocate. */
static int twstat_sink(void *ctx, struct twstat_rec *recs, unsigned int n)
{
	struct twstat_builder *b = ctx;
	struct twstat_snapshot *s = b->snap;
	struct twstat_rec *r;
	int err = 0;

	for (r = recs; r < recs + n && !err; r++) {
		if (r->tw_ms != TWSTAT_NO_TIMER)
			r->owner = twstat_records_owner(twstat_rec_key(r),
							r->tw_ms);
		twstat_count_state(s, r);
		err = twstat_count_port(b, r);
		if (!err)
			err = twstat_otable_count(&s->ot, r);
		if (!err && twstat_remotes_in_scope(r, s->remotes_all,
						    s->port_lo, s->port_hi))
			err = twstat_rtable_count(&s->rt, r);
	}
	return err;
}

static int twstat_port_cmp(const void *a, const void *b)
{
	const struct twstat_port *x = a, *y = b;

	return (int)x->port - (int)y->port;
}

/*
 * Rows in port order, read off the port index: one pass over 64k slots
 * instead of sort()'s n log n indirect compares and swaps, which cost
 * more with the tens of thousands of ports a client host has. The copy is
 * exactly nports long, so the snapshot also drops the grown array's slack.
 * Without memory for the copy, sort() in place.
 */
static void twstat_order_ports(struct twstat_builder *b)
{
	struct twstat_snapshot *s = b->snap;
	struct twstat_port *rows;
	u32 port, n = 0;

	if (!s->nports)
		return;
	rows = kvmalloc_array(s->nports, sizeof(*rows), GFP_KERNEL_ACCOUNT);
	if (!rows) {
		sort(s->ports, s->nports, sizeof(*s->ports), twstat_port_cmp,
		     NULL);
		return;
	}
	for (port = 0; port < TWSTAT_NPORTS; port++)
		if (b->port_idx[port])
			rows[n++] = s->ports[b->port_idx[port] - 1];
	kvfree(s->ports);
	s->ports = rows;
	b->ports_cap = n;
}

/*
 * Ports connect() may pick: the range less ip_local_reserved_ports. Only
 * the reserved ports are visited (find_next_bit() skips a word of empty
 * bits at a time), not every port of the range: the netns file asks this
 * for every namespace.
 */
u32 twstat_port_range_size(struct net *net, int lo, int hi)
{
	const unsigned long *reserved = twstat_reserved_ports(net);
	unsigned long port = lo;
	u32 n;

	if (lo < 0 || hi < lo || hi >= TWSTAT_NPORTS)
		return 0;
	n = hi - lo + 1;
	if (!reserved)
		return n;
	for_each_set_bit_from(port, reserved, (unsigned long)hi + 1)
		n--;
	return n;
}

static void twstat_read_netns(struct twstat_snapshot *s, struct net *net)
{
	inet_get_local_port_range(net, &s->port_lo, &s->port_hi);
	s->port_range_size = twstat_port_range_size(net, s->port_lo,
						    s->port_hi);
	s->max_tw_buckets = twstat_max_tw_buckets(net);
	s->remotes_all = s->head.params.remotes_all;
	twstat_rtable_init(&s->rt, s->head.params.max_remotes);
	twstat_otable_init(&s->ot);
	s->track = twstat_probe_active();
	s->connect_noport = atomic64_read(&twstat_net(net)->connect_noport);
}

static void twstat_snapshot_free(struct twstat_snap_head *head)
{
	struct twstat_snapshot *s = container_of(head, typeof(*s), head);

	kvfree(s->ports);
	twstat_rtable_free(&s->rt);
	twstat_otable_free(&s->ot);
	kvfree(s->fails);
	kfree(s);
}

/*
 * The port index is the cache's (cache.c keeps it between walks, so that
 * walks in a row do not each allocate and free 256 KiB of vmalloc):
 * allocated here on the first walk, and left all zero by every walk.
 */
static struct twstat_builder *twstat_builder_alloc(struct twstat_snapshot *s,
						   u32 **port_idx)
{
	struct twstat_builder *b = kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);

	if (!b)
		return NULL;
	if (!*port_idx)
		*port_idx = kvcalloc(TWSTAT_NPORTS, sizeof(u32),
				     GFP_KERNEL_ACCOUNT);
	if (!*port_idx) {
		kfree(b);
		return NULL;
	}
	b->port_idx = *port_idx;
	b->snap = s;
	return b;
}

/* Zero the index slots the walk set: one per port row. */
static void twstat_builder_free(struct twstat_builder *b)
{
	const struct twstat_snapshot *s = b->snap;
	u32 i;

	for (i = 0; i < s->nports; i++)
		b->port_idx[s->ports[i].port] = 0;
	kfree(b);
}

/* fails descending, then the destination as remotes orders it */
static int twstat_failure_cmp(const void *a, const void *b)
{
	const struct twstat_failure *x = a, *y = b;

	if (x->fails != y->fails)
		return x->fails > y->fails ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

/* Sort what the walk built and record what is read after it. */
static int twstat_finish(struct twstat_builder *b, struct net *net)
{
	struct twstat_snapshot *s = b->snap;
	int err;

	err = twstat_failures_copy(net, &s->fails, &s->nfails);
	if (err)
		return err;
	sort(s->fails, s->nfails, sizeof(*s->fails), twstat_failure_cmp, NULL);
	twstat_rtable_noport(&s->rt, s->fails, s->nfails);
	twstat_order_ports(b);
	twstat_rtable_finish(&s->rt);
	twstat_rtable_sort(&s->rt);
	twstat_otable_finish(&s->ot);
	/* what /proc/net/sockstat prints as "tw" */
	s->sockstat_tw = twstat_tw_count(net);
	s->bytes = sizeof(*s) + (size_t)b->ports_cap * sizeof(*s->ports) +
		   twstat_rtable_bytes(&s->rt) + twstat_otable_bytes(&s->ot) +
		   (size_t)s->nfails * sizeof(*s->fails);
	s->head.taken_ns = ktime_get_ns();
	return 0;
}

/*
 * Walk @net's ehash once and return the resulting snapshot (one reference
 * held by the caller) or an ERR_PTR. @scratch: the port index, or NULL
 * for one to be allocated there. Sleeps.
 */
static struct twstat_snap_head *twstat_snapshot_take(struct net *net,
						     u64 walk_no,
						     void **scratch)
{
	u32 **port_idx = (u32 **)scratch;
	u64 t0 = ktime_get_ns();
	struct twstat_builder *b;
	struct twstat_snapshot *s;
	int err;

	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		return ERR_PTR(-ENOMEM);
	twstat_snap_init(&s->head, walk_no, twstat_snapshot_free);
	twstat_read_netns(s, net);

	b = twstat_builder_alloc(s, port_idx);
	if (!b) {
		twstat_snapshot_free(&s->head);
		return ERR_PTR(-ENOMEM);
	}
	err = twstat_walk(twstat_ehash(net), net, twstat_sink,
			  b, &s->stats);
	if (!err)
		err = twstat_finish(b, net);
	twstat_builder_free(b);
	s->take_ns = ktime_get_ns() - t0;
	if (err) {
		twstat_snapshot_free(&s->head);
		return ERR_PTR(err);
	}
	return &s->head;
}

/* Every file but netns. */
const struct twstat_kind twstat_kind_net = {
	.id = TWSTAT_KIND_NET,
	.take = twstat_snapshot_take,
};
