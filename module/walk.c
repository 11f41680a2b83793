// SPDX-License-Identifier: GPL-2.0
/*
 * The ehash walk.
 *
 * Per bucket: skip it without the lock when its chain is empty (most
 * buckets of a large table are); otherwise copy this netns's sockets into a
 * flat buffer under the bucket lock, drop the lock, and only then hand the
 * copies to the sink. Nothing is allocated, printed or slept on under the
 * lock. A chain longer than the buffer is retried from its head after the
 * buffer has grown, outside the lock: a bucket is always seen whole, as one
 * lock hold saw it.
 */
#include <linux/bitops.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/inet_hashtables.h>
#include <net/inet_timewait_sock.h>
#include <net/request_sock.h>
#include <net/tcp_states.h>

#include "twstat.h"

/*
 * ehash is sized to about one bucket per expected socket, so chains are
 * short; 64 copies (5 KiB) cover all but pathological chains at once.
 */
#define TWSTAT_BATCH_INIT	64
/* Buckets between cond_resched() and fatal-signal checks. */
#define TWSTAT_RESCHED_BUCKETS	256
/*
 * One locked bucket in this many has its hold timed. Two local_clock()
 * reads per bucket cost about a quarter of the whole walk under TCG (perf,
 * docs/performance.md) and tens of ns on hardware, as much as copying a
 * short chain; a systematic 1-in-8 sample still gives thousands of holds
 * per walk of any table worth measuring.
 */
#define TWSTAT_HOLD_SAMPLE	8

struct twstat_walker {
	const struct net *net;		/* NULL: every netns */
	struct inet_hashinfo *hinfo;
	struct twstat_rec *buf;
	unsigned int cap;		/* records buf can hold */
	struct twstat_walk_stats *stats;
	u32 locked;			/* buckets locked so far */
};

static u8 twstat_state_of(unsigned int state)
{
	switch (state) {
	case TCP_ESTABLISHED:
		return TWSTAT_ESTAB;
	case TCP_SYN_SENT:
		return TWSTAT_SYN_SENT;
	case TCP_SYN_RECV:
	case TCP_NEW_SYN_RECV:		/* request socket */
		return TWSTAT_SYN_RECV;
	case TCP_FIN_WAIT1:
		return TWSTAT_FIN_WAIT1;
	case TCP_FIN_WAIT2:
		return TWSTAT_FIN_WAIT2;
	case TCP_TIME_WAIT:
		return TWSTAT_TIME_WAIT;
	case TCP_CLOSE:
		return TWSTAT_CLOSE;
	case TCP_CLOSE_WAIT:
		return TWSTAT_CLOSE_WAIT;
	case TCP_LAST_ACK:
		return TWSTAT_LAST_ACK;
	case TCP_CLOSING:
		return TWSTAT_CLOSING;
	default:
		return TWSTAT_UNKNOWN;
	}
}

/*
 * The remainder as inet_diag gives it to ss. Not bounded by 60 s: a
 * minisock in the FIN_WAIT2 substate lives max(timeo, 3.5 x RTO) from
 * tcp_fin_time() less the 60 s it spent as a full socket, and both
 * tcp_fin_timeout and a backed-off RTO may exceed 120 s.
 */
static u32 twstat_tw_ms(const struct inet_timewait_sock *tw,
			unsigned long now)
{
	long left = (long)(READ_ONCE(tw->tw_timer.expires) - now);

	return min_t(u32, jiffies_delta_to_msecs(left), TWSTAT_NO_TIMER - 1);
}

/*
 * Netns, family, addresses and ports of @sk, any kind of socket: what
 * the walk keys a minisocket by and the probe (probe.c) its full socket,
 * so that both make the same record key.
 */
void twstat_rec_tuple(struct twstat_rec *r, const struct sock *sk)
{
	/* a key only: never dereferenced once the bucket lock is dropped */
	r->net = sock_net(sk);
	r->family = sk->sk_family;
	r->lport = sk->sk_num;
	r->rport = sk->sk_dport;
	if (r->family == AF_INET6) {
		twstat_sk_v6_addrs(sk, &r->laddr, &r->raddr);
	} else {
		ipv6_addr_set(&r->laddr, 0, 0, 0, sk->sk_rcv_saddr);
		ipv6_addr_set(&r->raddr, 0, 0, 0, sk->sk_daddr);
	}
}

/*
 * Called under the bucket lock: reads only, no side effects. A full
 * socket's owner is read here, while the socket (and the reference it
 * holds on its cgroup) is sure to live; a request socket's is its
 * listener's; a minisocket's is looked up later (records.c).
 */
static void twstat_copy_sock(struct twstat_rec *r, const struct sock *sk,
			     unsigned long now)
{
	unsigned int state = READ_ONCE(sk->sk_state);

	twstat_rec_tuple(r, sk);
	r->tw_ms = TWSTAT_NO_TIMER;
	r->owner = TWSTAT_OWNER_UNKNOWN;
	if (state == TCP_TIME_WAIT) {
		const struct inet_timewait_sock *tw = inet_twsk(sk);

		/* ss shows a minisock as its substate */
		state = READ_ONCE(tw->tw_substate);
		r->tw_ms = twstat_tw_ms(tw, now);
	} else if (state == TCP_NEW_SYN_RECV) {
		const struct sock *l = inet_reqsk(sk)->rsk_listener;

		/* the request holds its listener; none: owner unknown */
		if (l)
			r->owner = twstat_sk_cgroup_id(l);
	} else {
		r->owner = twstat_sk_cgroup_id(sk);
	}
	r->state = twstat_state_of(state);
}

/*
 * After the unlock: the longest timed hold, and every timed hold in a log2
 * histogram, since a maximum alone cannot tell one stall from a long tail.
 * Costs one fls64() and one increment per timed hold.
 */
static void twstat_note_hold(struct twstat_walk_stats *st, u64 held)
{
	int i = fls64(held) - TWSTAT_LOCK_HIST_SHIFT;

	st->lock_max_ns = max(st->lock_max_ns, held);
	st->lock_hist[clamp(i, 0, TWSTAT_LOCK_HIST - 1)]++;
}

/*
 * Copy one chain. Returns the number of sockets copied, or -ENOSPC when
 * the chain holds more of them than the buffer.
 */
static int twstat_copy_chain(struct twstat_walker *w, unsigned int bucket)
{
	spinlock_t *lock = inet_ehash_lockp(w->hinfo, bucket);
	struct hlist_nulls_node *node;
	unsigned int n = 0;
	bool timed = !(w->locked++ % TWSTAT_HOLD_SAMPLE);
	bool overflow = false;
	unsigned long now;
	struct sock *sk;
	u64 t0 = 0;

	spin_lock_bh(lock);
	if (timed)
		t0 = local_clock();
	now = jiffies;
	sk_nulls_for_each(sk, node, &w->hinfo->ehash[bucket].chain) {
		/*
		 * Refcount 0: another CPU is still publishing the socket;
		 * inet_diag (ss) skips it too, and its fields may not be
		 * settled yet.
		 */
		if ((w->net && !net_eq(sock_net(sk), w->net)) ||
		    !refcount_read(&sk->sk_refcnt))
			continue;
		if (n == w->cap) {
			overflow = true;
			break;
		}
		twstat_copy_sock(&w->buf[n++], sk, now);
	}
	if (timed)
		t0 = local_clock() - t0;
	spin_unlock_bh(lock);

	if (timed)
		twstat_note_hold(w->stats, t0);
	return overflow ? -ENOSPC : n;
}

static int twstat_walker_grow(struct twstat_walker *w)
{
	unsigned int cap = w->cap ? w->cap * 2 : TWSTAT_BATCH_INIT;
	struct twstat_rec *buf;

	buf = kvmalloc_array(cap, sizeof(*buf), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	kvfree(w->buf);
	w->buf = buf;
	w->cap = cap;
	return 0;
}

static int twstat_walk_bucket(struct twstat_walker *w, unsigned int bucket,
			      twstat_sink_t sink, void *ctx)
{
	int n, err;

	while ((n = twstat_copy_chain(w, bucket)) == -ENOSPC) {
		err = twstat_walker_grow(w);
		if (err)
			return err;
	}
	if (!n)
		return 0;
	/* of the walked netns only: a container must not see the host's */
	w->stats->buckets_used++;
	return sink(ctx, w->buf, n);
}

/*
 * Walk @hinfo, calling @sink with the sockets of @net (NULL: of every
 * netns) one bucket at a time. The caller keeps the table alive (a
 * reference on a netns using it). Sleeps; must not be called with locks
 * held.
 */
int twstat_walk(struct inet_hashinfo *hinfo, const struct net *net,
		twstat_sink_t sink, void *ctx, struct twstat_walk_stats *stats)
{
	struct twstat_walker w = {
		.net = net,
		.hinfo = hinfo,
		.stats = stats,
	};
	u64 t0 = ktime_get_ns();
	unsigned int i;
	int err;

	memset(stats, 0, sizeof(*stats));
	stats->buckets = w.hinfo->ehash_mask + 1;
	err = twstat_walker_grow(&w);
	for (i = 0; !err && i <= w.hinfo->ehash_mask; i++) {
		if (!(i % TWSTAT_RESCHED_BUCKETS)) {
			cond_resched();
			if (fatal_signal_pending(current)) {
				err = -EINTR;
				break;
			}
		}
		/* Lockless: a socket added meanwhile is missed, as by ss. */
		if (hlist_nulls_empty(&w.hinfo->ehash[i].chain))
			continue;
		err = twstat_walk_bucket(&w, i, sink, ctx);
	}
	kvfree(w.buf);
	stats->walk_ns = ktime_get_ns() - t0;
	return err;
}
