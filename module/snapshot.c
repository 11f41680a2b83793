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
#include <linux/jhash.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>
#include <net/inet_hashtables.h>
#include <net/ip.h>

#include "twstat.h"

#define TWSTAT_NPORTS		65536
#define TWSTAT_ROWS_INIT	64
#define MSEC_PER_SEC_U32	1000U

/* Scratch state of one walk, freed once the snapshot is final. */
struct twstat_builder {
	struct twstat_snapshot *snap;
	u32 *port_idx;			/* port -> row + 1; 0: no row yet */
	u32 ports_cap;
	u32 *remote_idx;		/* open addressing: row + 1; 0: free */
	u32 remote_mask;		/* slots - 1, slots a power of two */
	u32 remotes_cap;
	u32 seed;
	struct twstat_distinct folded;
};

static void twstat_timer_span(u32 *min, u32 *max, u32 ms)
{
	if (ms == TWSTAT_NO_TIMER)
		return;
	if (*min == TWSTAT_NO_TIMER || ms < *min)
		*min = ms;
	if (*max == TWSTAT_NO_TIMER || ms > *max)
		*max = ms;
}

/* Grow a row array to twice its capacity, at most @limit rows. */
static int twstat_grow(void **rows, u32 *cap, u32 used, size_t size,
		       u32 limit)
{
	u32 ncap = min_t(u32, *cap ? *cap * 2 : TWSTAT_ROWS_INIT, limit);
	void *n;

	n = kvmalloc_array(ncap, size, GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	if (used)
		memcpy(n, *rows, (size_t)used * size);
	kvfree(*rows);
	*rows = n;
	*cap = ncap;
	return 0;
}

static void twstat_count_state(struct twstat_snapshot *s,
			       const struct twstat_rec *r)
{
	s->sockets++;
	if (r->state == TWSTAT_UNKNOWN)
		s->unknown_state++;
	else
		s->state[r->state]++;
	if (r->tw_ms == TWSTAT_NO_TIMER)
		return;
	if (r->family == AF_INET6)
		s->tw_v6++;
	else
		s->tw_v4++;
	s->timers[min(r->tw_ms / MSEC_PER_SEC_U32, TWSTAT_TIMER_SECS - 1)]++;
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

static u32 twstat_rkey_hash(const struct twstat_rkey *k, u32 seed)
{
	return jhash2((const u32 *)k, sizeof(*k) / sizeof(u32), seed);
}

static void twstat_rkey_of(struct twstat_rkey *k, const struct twstat_rec *r)
{
	k->laddr = r->laddr;
	k->raddr = r->raddr;
	k->rport = r->rport;
	k->family = r->family;
	k->pad = 0;
}

/* The index slot holding @k, or the free slot where it belongs. */
static u32 *twstat_remote_slot(struct twstat_builder *b,
			       const struct twstat_rkey *k)
{
	u32 i = twstat_rkey_hash(k, b->seed) & b->remote_mask;
	const struct twstat_remote *rows = b->snap->remotes;

	while (b->remote_idx[i] &&
	       memcmp(&rows[b->remote_idx[i] - 1].key, k, sizeof(*k)))
		i = (i + 1) & b->remote_mask;
	return &b->remote_idx[i];
}

/* Keep the index at most half full: twice as many slots as row capacity. */
static int twstat_remote_reindex(struct twstat_builder *b)
{
	u32 slots = roundup_pow_of_two(2 * b->remotes_cap), i;

	kvfree(b->remote_idx);
	b->remote_idx = kvcalloc(slots, sizeof(u32), GFP_KERNEL);
	if (!b->remote_idx)
		return -ENOMEM;
	b->remote_mask = slots - 1;
	for (i = 0; i < b->snap->nremotes; i++)
		*twstat_remote_slot(b, &b->snap->remotes[i].key) = i + 1;
	return 0;
}

static void twstat_remote_init(struct twstat_remote *row,
			       const struct twstat_rkey *k)
{
	memset(row, 0, sizeof(*row));
	if (k)
		row->key = *k;
	row->tw_min_ms = TWSTAT_NO_TIMER;
	row->tw_max_ms = TWSTAT_NO_TIMER;
}

static struct twstat_remote *twstat_remote_new(struct twstat_builder *b,
					       const struct twstat_rkey *k)
{
	struct twstat_snapshot *s = b->snap;
	struct twstat_remote *row;
	int err;

	if (s->nremotes == b->remotes_cap) {
		err = twstat_grow((void **)&s->remotes, &b->remotes_cap,
				  s->nremotes, sizeof(*row), s->max_remotes);
		if (!err)
			err = twstat_remote_reindex(b);
		if (err)
			return ERR_PTR(err);
	}
	row = &s->remotes[s->nremotes];
	twstat_remote_init(row, k);
	*twstat_remote_slot(b, k) = ++s->nremotes;
	return row;
}

static enum twstat_remote_col twstat_remote_col(u8 state)
{
	switch (state) {
	case TWSTAT_ESTAB:
		return TWSTAT_R_ESTAB;
	case TWSTAT_TIME_WAIT:
		return TWSTAT_R_TIME_WAIT;
	case TWSTAT_FIN_WAIT2:
		return TWSTAT_R_FIN_WAIT2;
	default:
		return TWSTAT_R_OTHER;
	}
}

/* The row counting @k: its own, a new one, or "other" once full. */
static struct twstat_remote *twstat_remote_row(struct twstat_builder *b,
					       const struct twstat_rkey *k)
{
	struct twstat_snapshot *s = b->snap;
	u32 *slot = b->remote_idx ? twstat_remote_slot(b, k) : NULL;
	int err;

	if (slot && *slot)
		return &s->remotes[*slot - 1];
	if (s->nremotes < s->max_remotes)
		return twstat_remote_new(b, k);
	err = twstat_distinct_add(&b->folded, k, sizeof(*k));
	return err ? ERR_PTR(err) : &s->other;
}

static int twstat_count_remote(struct twstat_builder *b,
			       const struct twstat_rec *r)
{
	struct twstat_snapshot *s = b->snap;
	struct twstat_remote *row;
	struct twstat_rkey k;

	if (!s->remotes_all && (r->lport < s->port_lo || r->lport > s->port_hi))
		return 0;
	twstat_rkey_of(&k, r);
	row = twstat_remote_row(b, &k);
	if (IS_ERR(row))
		return PTR_ERR(row);
	s->remotes_sockets++;
	row->count[twstat_remote_col(r->state)]++;
	twstat_timer_span(&row->tw_min_ms, &row->tw_max_ms, r->tw_ms);
	return 0;
}

static int twstat_sink(void *ctx, const struct twstat_rec *recs,
		       unsigned int n)
{
	struct twstat_builder *b = ctx;
	unsigned int i;
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		twstat_count_state(b->snap, &recs[i]);
		err = twstat_count_port(b, &recs[i]);
		if (!err)
			err = twstat_count_remote(b, &recs[i]);
	}
	return err;
}

u32 twstat_remote_used(const struct twstat_remote *r)
{
	u32 used = 0, i;

	for (i = 0; i < TWSTAT_R_NCOLS; i++)
		used += r->count[i];
	return used;
}

static int twstat_port_cmp(const void *a, const void *b)
{
	const struct twstat_port *x = a, *y = b;

	return (int)x->port - (int)y->port;
}

/* used descending, then family, laddr, raddr, rport ascending */
static int twstat_remote_cmp(const void *a, const void *b)
{
	const struct twstat_remote *x = a, *y = b;
	u32 ux = twstat_remote_used(x), uy = twstat_remote_used(y);
	int d;

	if (ux != uy)
		return ux > uy ? -1 : 1;
	if (x->key.family != y->key.family)
		return (int)x->key.family - (int)y->key.family;
	d = memcmp(&x->key.laddr, &y->key.laddr, sizeof(x->key.laddr));
	if (!d)
		d = memcmp(&x->key.raddr, &y->key.raddr, sizeof(x->key.raddr));
	return d ?: (int)ntohs(x->key.rport) - (int)ntohs(y->key.rport);
}

/* Ports connect() may pick: the range less ip_local_reserved_ports. */
static u32 twstat_port_range_size(struct net *net, int lo, int hi)
{
	u32 n = 0;
	int port;

	for (port = lo; port <= hi; port++)
		n += !inet_is_local_reserved_port(net, port);
	return n;
}

static void twstat_read_netns(struct twstat_snapshot *s, struct net *net)
{
	inet_get_local_port_range(net, &s->port_lo, &s->port_hi);
	s->port_range_size = twstat_port_range_size(net, s->port_lo,
						    s->port_hi);
	s->max_tw_buckets =
		READ_ONCE(net->ipv4.tcp_death_row.sysctl_max_tw_buckets);
	s->max_remotes = twstat_param_max_remotes();
	s->remotes_all = twstat_param_remotes_all();
}

static void twstat_snapshot_free(struct twstat_snapshot *s)
{
	kvfree(s->ports);
	kvfree(s->remotes);
	kfree(s);
}

static void twstat_snapshot_release(struct kref *ref)
{
	twstat_snapshot_free(container_of(ref, struct twstat_snapshot, ref));
}

void twstat_snapshot_put(struct twstat_snapshot *snap)
{
	if (snap)
		kref_put(&snap->ref, twstat_snapshot_release);
}

static struct twstat_builder *twstat_builder_alloc(struct twstat_snapshot *s)
{
	struct twstat_builder *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return NULL;
	b->port_idx = kvcalloc(TWSTAT_NPORTS, sizeof(u32), GFP_KERNEL);
	if (!b->port_idx) {
		kfree(b);
		return NULL;
	}
	b->snap = s;
	b->seed = get_random_u32();
	twstat_distinct_init(&b->folded);
	return b;
}

static void twstat_builder_free(struct twstat_builder *b)
{
	twstat_distinct_free(&b->folded);
	kvfree(b->remote_idx);
	kvfree(b->port_idx);
	kfree(b);
}

/* Sort what the walk built and record what is read after it. */
static void twstat_finish(struct twstat_builder *b, struct net *net)
{
	struct twstat_snapshot *s = b->snap;

	sort(s->ports, s->nports, sizeof(*s->ports), twstat_port_cmp, NULL);
	sort(s->remotes, s->nremotes, sizeof(*s->remotes), twstat_remote_cmp,
	     NULL);
	s->remotes_folded = twstat_distinct_count(&b->folded);
	s->remotes_folded_estimated = b->folded.estimated;
	/* what /proc/net/sockstat prints as "tw" */
	s->sockstat_tw =
		refcount_read(&net->ipv4.tcp_death_row.tw_refcount) - 1;
	s->bytes = sizeof(*s) + (size_t)b->ports_cap * sizeof(*s->ports) +
		   (size_t)b->remotes_cap * sizeof(*s->remotes);
	s->taken_ns = ktime_get_ns();
}

/*
 * Walk @net's ehash once and return the resulting snapshot (one reference
 * held by the caller) or an ERR_PTR. Sleeps.
 */
struct twstat_snapshot *twstat_snapshot_take(struct net *net, u64 walk_no)
{
	struct twstat_builder *b;
	struct twstat_snapshot *s;
	int err;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	kref_init(&s->ref);
	s->walk_no = walk_no;
	twstat_remote_init(&s->other, NULL);
	twstat_read_netns(s, net);

	b = twstat_builder_alloc(s);
	if (!b) {
		twstat_snapshot_free(s);
		return ERR_PTR(-ENOMEM);
	}
	err = twstat_walk(net, twstat_sink, b, &s->stats);
	if (!err)
		twstat_finish(b, net);
	twstat_builder_free(b);
	if (err) {
		twstat_snapshot_free(s);
		return ERR_PTR(err);
	}
	return s;
}
