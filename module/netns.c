// SPDX-License-Identifier: GPL-2.0
/*
 * The netns file's snapshot: every network namespace, from one walk of
 * each distinct ehash.
 *
 * Namespaces share the kernel's global ehash unless tcp_child_ehash_entries
 * gave them a table of their own. So: take a reference on every live
 * netns, found under net_rwsem (a dying one, refcount 0, is skipped: its
 * sockets are being purged); walk the global table once with no netns
 * filter, giving each socket to its namespace by the netns pointer the
 * walk recorded; then walk each private table once. A recorded pointer is
 * only compared with namespaces we hold references on and never
 * dereferenced, so a socket of a namespace that was born or died after
 * we looked is not counted, as if the walk had not reached it. Every
 * reference is dropped before the snapshot is published: it holds no
 * struct net.
 *
 * Memory: one entry per live netns while building; a row and a
 * destination table (remotes.c) for at most max_netns namespaces, given
 * in the order their first socket is met; later ones fold into one row.
 *
 * Owns the all-namespaces aggregation; never prints (proc.c does).
 */
#include <linux/bsearch.h>
#include <linux/mm.h>
#include <linux/rwsem.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>
#include <net/inet_hashtables.h>
#include <net/ip.h>
#include <net/net_namespace.h>

#include "twstat.h"

/* Namespaces that may appear between counting and collecting them. */
#define TWSTAT_NS_SLACK		64
/* ents[].row: no socket met yet, or folded into snap->other */
#define TWSTAT_NS_NO_ROW	U32_MAX
#define TWSTAT_NS_FOLDED	(U32_MAX - 1)

struct twstat_ns_ent {
	struct net *net;		/* referenced while building */
	u32 row;			/* index in rows, or one of the above */
};

struct twstat_ns_builder {
	struct twstat_ns_snapshot *snap;
	struct twstat_ns_ent *ents;	/* sorted by net pointer */
	u32 nents;
	u32 rows_cap;			/* min(nents, max_netns) */
	struct twstat_rtable *rts;	/* rts[i]: destinations of rows[i] */
};

static int twstat_ns_ent_cmp(const void *a, const void *b)
{
	const struct twstat_ns_ent *x = a, *y = b;

	if (x->net == y->net)
		return 0;
	return (unsigned long)x->net < (unsigned long)y->net ? -1 : 1;
}

/*
 * A reference on every live netns, in @b->ents of @cap entries; false
 * when more namespaces live than that (then some are referenced).
 */
static bool twstat_ns_ref_all(struct twstat_ns_builder *b, u32 cap)
{
	bool fits = true;
	struct net *net;

	down_read(&net_rwsem);
	for_each_net(net) {
		if (b->nents == cap) {
			fits = false;
			break;
		}
		if (!maybe_get_net(net))
			continue;
		b->ents[b->nents].net = net;
		b->ents[b->nents++].row = TWSTAT_NS_NO_ROW;
	}
	up_read(&net_rwsem);
	return fits;
}

static void twstat_ns_put_all(struct twstat_ns_builder *b)
{
	u32 i;

	for (i = 0; i < b->nents; i++)
		put_net(b->ents[i].net);
	b->nents = 0;
	kvfree(b->ents);
	b->ents = NULL;
}

/*
 * Count under net_rwsem, allocate without it, then reference under it.
 * More than the slack born in between: recount and retry with twice the
 * room, so that no namespace that lived before the walk is left out.
 */
static int twstat_ns_collect(struct twstat_ns_builder *b)
{
	u32 cap = TWSTAT_NS_SLACK;
	struct net *net;

	down_read(&net_rwsem);
	for_each_net(net)
		cap++;
	up_read(&net_rwsem);

	for (;;) {
		b->ents = kvcalloc(cap, sizeof(*b->ents), GFP_KERNEL_ACCOUNT);
		if (!b->ents)
			return -ENOMEM;
		if (twstat_ns_ref_all(b, cap))
			break;
		twstat_ns_put_all(b);
		if (fatal_signal_pending(current))
			return -EINTR;
		cap *= 2;
	}
	sort(b->ents, b->nents, sizeof(*b->ents), twstat_ns_ent_cmp, NULL);
	return 0;
}

static struct twstat_ns_ent *twstat_ns_find(struct twstat_ns_builder *b,
					    const struct net *net)
{
	struct twstat_ns_ent key = { .net = (struct net *)net };

	return bsearch(&key, b->ents, b->nents, sizeof(key),
		       twstat_ns_ent_cmp);
}

static void twstat_ns_row_init(struct twstat_ns_row *row, struct net *net)
{
	memset(row, 0, sizeof(*row));
	row->tw_min_ms = TWSTAT_NO_TIMER;
	row->tw_max_ms = TWSTAT_NO_TIMER;
	twstat_remote_init(&row->top, NULL);
	if (!net)
		return;
	row->inum = net->ns.inum;
	inet_get_local_port_range(net, &row->port_lo, &row->port_hi);
	row->port_range_size = twstat_port_range_size(net, row->port_lo,
						      row->port_hi);
	row->max_tw_buckets = twstat_max_tw_buckets(net);
}

/* The row of @e's namespace: given on its first socket, or the fold. */
static u32 twstat_ns_row_of(struct twstat_ns_builder *b,
			    struct twstat_ns_ent *e)
{
	struct twstat_ns_snapshot *s = b->snap;

	if (e->row != TWSTAT_NS_NO_ROW)
		return e->row;
	if (s->nrows == b->rows_cap) {
		s->nfolded++;
		e->row = TWSTAT_NS_FOLDED;
		return e->row;
	}
	twstat_ns_row_init(&s->rows[s->nrows], e->net);
	twstat_rtable_init(&b->rts[s->nrows], s->head.params.max_remotes);
	e->row = s->nrows++;
	return e->row;
}

static void twstat_ns_count(struct twstat_ns_row *row,
			    const struct twstat_rec *r)
{
	twstat_tally_add(&row->tally, r);
	twstat_timer_span(&row->tw_min_ms, &row->tw_max_ms, r->tw_ms);
}

static int twstat_ns_sink(void *ctx, struct twstat_rec *recs, unsigned int n)
{
	struct twstat_ns_builder *b = ctx;
	struct twstat_ns_snapshot *s = b->snap;
	struct twstat_ns_row *row;
	struct twstat_ns_ent *e;
	unsigned int i;
	u32 idx;
	int err;

	for (i = 0; i < n; i++) {
		e = twstat_ns_find(b, recs[i].net);
		if (!e)
			continue;	/* born or dying after we looked */
		idx = twstat_ns_row_of(b, e);
		row = idx == TWSTAT_NS_FOLDED ? &s->other : &s->rows[idx];
		twstat_ns_count(row, &recs[i]);
		if (idx == TWSTAT_NS_FOLDED ||
		    !twstat_remotes_in_scope(&recs[i], s->head.params.remotes_all,
					     row->port_lo, row->port_hi))
			continue;
		err = twstat_rtable_count(&b->rts[idx], &recs[i]);
		if (err)
			return err;
	}
	return 0;
}

static void twstat_ns_add_stats(struct twstat_ns_snapshot *s,
				const struct twstat_walk_stats *w)
{
	int i;

	s->stats.walk_ns += w->walk_ns;
	s->stats.lock_max_ns = max(s->stats.lock_max_ns, w->lock_max_ns);
	for (i = 0; i < TWSTAT_LOCK_HIST; i++)
		s->stats.lock_hist[i] += w->lock_hist[i];
	s->stats.buckets += w->buckets;
	s->stats.buckets_used += w->buckets_used;
	s->tables++;
}

/* The global table once for all who share it, then each private one. */
static int twstat_ns_walk(struct twstat_ns_builder *b)
{
	struct inet_hashinfo *global = twstat_ehash(&init_net);
	struct twstat_walk_stats w;
	struct inet_hashinfo *h;
	u32 i;
	int err;

	err = twstat_walk(global, NULL, twstat_ns_sink, b, &w);
	twstat_ns_add_stats(b->snap, &w);
	for (i = 0; !err && i < b->nents; i++) {
		h = twstat_ehash(b->ents[i].net);
		if (h == global)
			continue;
		err = twstat_walk(h, b->ents[i].net, twstat_ns_sink, b, &w);
		twstat_ns_add_stats(b->snap, &w);
	}
	return err;
}

/* time-wait, then sockets, descending; then inode ascending */
static int twstat_ns_row_cmp(const void *a, const void *b)
{
	const struct twstat_ns_row *x = a, *y = b;
	u64 tx = x->tally.state[TWSTAT_TIME_WAIT];
	u64 ty = y->tally.state[TWSTAT_TIME_WAIT];

	if (tx != ty)
		return tx > ty ? -1 : 1;
	if (x->tally.sockets != y->tally.sockets)
		return x->tally.sockets > y->tally.sockets ? -1 : 1;
	return x->inum < y->inum ? -1 : x->inum > y->inum;
}

/* Each row's busiest destination and count of them, then the order. */
static void twstat_ns_finish(struct twstat_ns_builder *b)
{
	struct twstat_ns_snapshot *s = b->snap;
	const struct twstat_remote *top;
	u32 i;

	for (i = 0; i < s->nrows; i++) {
		twstat_rtable_finish(&b->rts[i]);
		top = twstat_rtable_top(&b->rts[i]);
		if (top)
			s->rows[i].top = *top;
		s->rows[i].remotes = b->rts[i].nrows + b->rts[i].nfolded;
		s->bytes += twstat_rtable_bytes(&b->rts[i]);
	}
	sort(s->rows, s->nrows, sizeof(*s->rows), twstat_ns_row_cmp, NULL);
	s->bytes += sizeof(*s) + (size_t)b->rows_cap * sizeof(*s->rows);
	s->head.taken_ns = ktime_get_ns();
}

static void twstat_ns_builder_free(struct twstat_ns_builder *b)
{
	u32 i;

	if (b->rts)
		for (i = 0; i < b->snap->nrows; i++)
			twstat_rtable_free(&b->rts[i]);
	kvfree(b->rts);
	twstat_ns_put_all(b);
}

static void twstat_ns_snapshot_free(struct twstat_snap_head *head)
{
	struct twstat_ns_snapshot *s = container_of(head, typeof(*s), head);

	kvfree(s->rows);
	kfree(s);
}

static int twstat_ns_build(struct twstat_ns_builder *b)
{
	struct twstat_ns_snapshot *s = b->snap;
	int err;

	err = twstat_ns_collect(b);
	if (err)
		return err;
	b->rows_cap = min(b->nents, s->head.params.max_netns);
	s->rows = kvcalloc(b->rows_cap ?: 1, sizeof(*s->rows), GFP_KERNEL_ACCOUNT);
	b->rts = kvcalloc(b->rows_cap ?: 1, sizeof(*b->rts), GFP_KERNEL_ACCOUNT);
	if (!s->rows || !b->rts)
		return -ENOMEM;
	twstat_ns_row_init(&s->other, NULL);
	err = twstat_ns_walk(b);
	if (!err)
		twstat_ns_finish(b);
	return err;
}

/*
 * Walk every namespace's table once and return the snapshot (one
 * reference held by the caller) or an ERR_PTR. Sleeps.
 */
static struct twstat_snap_head *twstat_ns_snapshot_take(struct net *net,
							u64 walk_no,
							void **scratch)
{
	struct twstat_ns_builder b = {};
	int err;

	b.snap = kzalloc(sizeof(*b.snap), GFP_KERNEL_ACCOUNT);
	if (!b.snap)
		return ERR_PTR(-ENOMEM);
	twstat_snap_init(&b.snap->head, walk_no, twstat_ns_snapshot_free);
	err = twstat_ns_build(&b);
	twstat_ns_builder_free(&b);
	if (err) {
		twstat_ns_snapshot_free(&b.snap->head);
		return ERR_PTR(err);
	}
	return &b.snap->head;
}

/* The netns file: every namespace, read in the initial one only. */
const struct twstat_kind twstat_kind_netns = {
	.id = TWSTAT_KIND_NETNS,
	.all_netns = true,
	.take = twstat_ns_snapshot_take,
};
