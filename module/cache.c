// SPDX-License-Identifier: GPL-2.0
/*
 * Shared snapshots. Readers that open a file within cache_ms of the last
 * walk of their netns share its snapshot instead of walking the table
 * again, so an exporter reading four files, or many readers at once, cost
 * one walk. One mutex per netns and kind serialises walks: a reader
 * arriving during a walk sleeps until it ends and then shares its result,
 * and a reader of one kind never waits for a walk of the other. Readers
 * never hold a mutex while rendering; each holds its own snapshot
 * reference.
 *
 * A netns caches one snapshot of each kind: its own table (every file but
 * netns) and, in the initial netns only, every namespace (the netns file).
 * The cache's own references are dropped by a delayed work once stale,
 * re-armed for the remaining age of any still fresh, so an idle netns
 * holds no snapshot memory; the walk's port index, kept between walks,
 * goes 10 s after the last one.
 *
 * Memory any reader can pin: every open may get a new snapshot and keeps
 * it until close. Snapshots are charged to the walker's memory cgroup
 * (GFP_KERNEL_ACCOUNT), and once TWSTAT_LIVE_MAX of one kind are alive in
 * a netns, an opener without CAP_NET_ADMIN over it is handed the newest,
 * however old, instead of a new walk (counted: snapshots_over_limit).
 *
 * Owns sharing, expiry and that bound; never walks itself: a kind's take()
 * does (struct twstat_kind: snapshot.c, netns.c), knowing nothing of the
 * cache. A kind's scratch memory, kept between its walks, is the cache's
 * to free once idle.
 */
#include <linux/jiffies.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "twstat.h"

/*
 * A stale snapshot kept because its kind is at TWSTAT_LIVE_MAX is looked
 * at again this often, to be dropped once readers closed enough.
 */
#define TWSTAT_FULL_POLL_NS	(1000 * NSEC_PER_MSEC)
/*
 * A kind's scratch memory (the walk's 256 KiB port index) is kept this
 * long after a netns's last walk: an exporter, or a reader looping with
 * cache_ms=0, walks again sooner and reuses it.
 */
#define TWSTAT_SCRATCH_IDLE_NS	(10000 * NSEC_PER_MSEC)

/* ns until @s goes stale; 0 if it is, or was taken with other params */
static u64 twstat_cache_left_ns(const struct twstat_snap_head *s)
{
	u64 max_age_ns = (u64)twstat_param_cache_ms() * NSEC_PER_MSEC;
	struct twstat_params now;
	u64 age_ns;

	if (!s)
		return 0;
	age_ns = ktime_get_ns() - s->taken_ns;
	if (age_ns >= max_age_ns)
		return 0;
	/* a snapshot taken with other parameters is not the one asked for */
	twstat_params_read(&now);
	if (now.max_remotes != s->params.max_remotes ||
	    now.max_netns != s->params.max_netns ||
	    now.remotes_all != s->params.remotes_all)
		return 0;
	return max_age_ns - age_ns;
}

static void twstat_cache_arm(struct twstat_net *tn, u64 delay_ns)
{
	/* +1 jiffy: expire strictly after the snapshot went stale */
	mod_delayed_work(twstat_wq(), &tn->expire,
			 nsecs_to_jiffies(delay_ns) + 1);
}

/*
 * Drop @kc's snapshot if stale, unless its kind is at the bound (then the
 * newest is what the next unprivileged open gets), and its port index if
 * idle. Returns the ns until it must be looked at again, 0 for never.
 */
static u64 twstat_kcache_expire(struct twstat_kcache *kc)
{
	u64 left_ns, idle_ns;

	mutex_lock(&kc->lock);
	left_ns = twstat_cache_left_ns(kc->cached);
	if (kc->cached && !left_ns) {
		if (atomic_read(&kc->live) >= TWSTAT_LIVE_MAX) {
			left_ns = TWSTAT_FULL_POLL_NS;
		} else {
			twstat_snap_put(kc->cached);
			kc->cached = NULL;
		}
	}
	idle_ns = ktime_get_ns() - kc->last_walk_ns;
	if (kc->scratch && idle_ns < TWSTAT_SCRATCH_IDLE_NS) {
		left_ns = min_not_zero(left_ns,
				       TWSTAT_SCRATCH_IDLE_NS - idle_ns);
	} else {
		kvfree(kc->scratch);
		kc->scratch = NULL;
	}
	mutex_unlock(&kc->lock);
	return left_ns;
}

static void twstat_cache_expire(struct work_struct *work)
{
	struct twstat_net *tn = container_of(to_delayed_work(work),
					     struct twstat_net, expire);
	u64 next_ns = 0, left_ns;
	int kind;

	for (kind = 0; kind < TWSTAT_NKINDS; kind++) {
		left_ns = twstat_kcache_expire(&tn->kc[kind]);
		if (left_ns && (!next_ns || left_ns < next_ns))
			next_ns = left_ns;
	}
	/* cache_ms raised since the walk: the snapshot is due later */
	if (next_ns)
		twstat_cache_arm(tn, next_ns);
}

void twstat_cache_init(struct net *net)
{
	struct twstat_net *tn = twstat_net(net);
	int kind;

	for (kind = 0; kind < TWSTAT_NKINDS; kind++)
		mutex_init(&tn->kc[kind].lock);
	INIT_DELAYED_WORK(&tn->expire, twstat_cache_expire);
}

void twstat_cache_exit(struct net *net)
{
	struct twstat_net *tn = twstat_net(net);
	struct twstat_kcache *kc;
	int kind;

	cancel_delayed_work_sync(&tn->expire);
	for (kind = 0; kind < TWSTAT_NKINDS; kind++) {
		kc = &tn->kc[kind];
		twstat_snap_put(kc->cached);
		kc->cached = NULL;
		kvfree(kc->scratch);
		kc->scratch = NULL;
		mutex_destroy(&kc->lock);
	}
}

/* Called with kc->lock held. */
static int twstat_cache_refresh(struct net *net, struct twstat_net *tn,
				const struct twstat_kind *kind)
{
	struct twstat_kcache *kc = &tn->kc[kind->id];
	struct twstat_snap_head *s;

	s = kind->take(net, kc->walks + 1, &kc->scratch);
	kc->last_walk_ns = ktime_get_ns();
	if (IS_ERR(s))
		return PTR_ERR(s);
	kc->walks++;
	s->live = &kc->live;
	atomic_inc(&kc->live);
	twstat_snap_put(kc->cached);
	kc->cached = s;
	twstat_cache_arm(tn, (u64)twstat_param_cache_ms() * NSEC_PER_MSEC);
	return 0;
}

/* Called with kc->lock held: hand out the newest instead of walking? */
static bool twstat_cache_at_bound(struct twstat_kcache *kc, bool bounded)
{
	if (!bounded || !kc->cached ||
	    atomic_read(&kc->live) < TWSTAT_LIVE_MAX)
		return false;
	WRITE_ONCE(kc->over_limit, kc->over_limit + 1);
	return true;
}

/*
 * A snapshot of @kind for @net no older than cache_ms (or, if @bounded
 * and the kind is at TWSTAT_LIVE_MAX, the newest), with one reference for
 * the caller (drop it with twstat_snap_put()), or an ERR_PTR. Sleeps.
 */
struct twstat_snap_head *twstat_cache_get(struct net *net,
					  const struct twstat_kind *kind,
					  bool bounded)
{
	struct twstat_net *tn = twstat_net(net);
	struct twstat_kcache *kc = &tn->kc[kind->id];
	struct twstat_snap_head *s;
	int err;

	err = mutex_lock_killable(&kc->lock);
	if (err)
		return ERR_PTR(err);
	if (!twstat_cache_left_ns(kc->cached) &&
	    !twstat_cache_at_bound(kc, bounded)) {
		err = twstat_cache_refresh(net, tn, kind);
		if (err) {
			mutex_unlock(&kc->lock);
			return ERR_PTR(err);
		}
	}
	s = kc->cached;
	kref_get(&s->ref);
	mutex_unlock(&kc->lock);
	return s;
}

/* Snapshots of @net alive now, and opens given the newest, all kinds. */
void twstat_cache_counts(struct net *net, u64 *live, u64 *over_limit)
{
	struct twstat_net *tn = twstat_net(net);
	int kind;

	*live = 0;
	*over_limit = 0;
	for (kind = 0; kind < TWSTAT_NKINDS; kind++) {
		*live += atomic_read(&tn->kc[kind].live);
		*over_limit += READ_ONCE(tn->kc[kind].over_limit);
	}
}
