// SPDX-License-Identifier: GPL-2.0
/*
 * Shared snapshots. Readers that open a file within cache_ms of the last
 * walk of their netns share its snapshot instead of walking the table
 * again, so an exporter reading four files, or many readers at once, cost
 * one walk. One mutex per netns serialises walks: a reader arriving during
 * a walk sleeps until it ends and then shares its result. Readers never
 * hold the mutex while rendering; each holds its own snapshot reference.
 *
 * A netns caches one snapshot of each kind: its own table (every file but
 * netns) and, in the initial netns only, every namespace (the netns file).
 * The cache's own references are dropped by a delayed work once stale, so
 * an idle netns holds no snapshot memory.
 *
 * Owns sharing and expiry; never walks itself (snapshot.c, netns.c do).
 */
#include <linux/jiffies.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "twstat.h"

void twstat_snap_init(struct twstat_snap_head *head, u64 walk_no,
		      void (*free)(struct twstat_snap_head *head))
{
	kref_init(&head->ref);
	head->walk_no = walk_no;
	head->free = free;
	twstat_params_read(&head->params);
}

static void twstat_snap_release(struct kref *ref)
{
	struct twstat_snap_head *head = container_of(ref, typeof(*head), ref);

	head->free(head);
}

void twstat_snap_put(struct twstat_snap_head *head)
{
	if (head)
		kref_put(&head->ref, twstat_snap_release);
}

static bool twstat_cache_fresh(const struct twstat_snap_head *s)
{
	u64 max_age_ns = (u64)twstat_param_cache_ms() * NSEC_PER_MSEC;
	struct twstat_params now;

	if (!s || ktime_get_ns() - s->taken_ns >= max_age_ns)
		return false;
	/* a snapshot taken with other parameters is not the one asked for */
	twstat_params_read(&now);
	return now.max_remotes == s->params.max_remotes &&
	       now.max_netns == s->params.max_netns &&
	       now.remotes_all == s->params.remotes_all;
}

static void twstat_cache_expire(struct work_struct *work)
{
	struct twstat_net *tn = container_of(to_delayed_work(work),
					     struct twstat_net, expire);
	int kind;

	mutex_lock(&tn->lock);
	for (kind = 0; kind < TWSTAT_NKINDS; kind++) {
		if (!twstat_cache_fresh(tn->cached[kind])) {
			twstat_snap_put(tn->cached[kind]);
			tn->cached[kind] = NULL;
		}
	}
	mutex_unlock(&tn->lock);
}

void twstat_cache_init(struct net *net)
{
	struct twstat_net *tn = twstat_net(net);

	mutex_init(&tn->lock);
	INIT_DELAYED_WORK(&tn->expire, twstat_cache_expire);
}

void twstat_cache_exit(struct net *net)
{
	struct twstat_net *tn = twstat_net(net);
	int kind;

	cancel_delayed_work_sync(&tn->expire);
	for (kind = 0; kind < TWSTAT_NKINDS; kind++) {
		twstat_snap_put(tn->cached[kind]);
		tn->cached[kind] = NULL;
	}
	mutex_destroy(&tn->lock);
}

static struct twstat_snap_head *twstat_cache_take(struct net *net,
						  enum twstat_kind kind,
						  u64 walk_no)
{
	struct twstat_ns_snapshot *ns;
	struct twstat_snapshot *s;

	if (kind == TWSTAT_KIND_NETNS) {
		ns = twstat_ns_snapshot_take(walk_no);
		return IS_ERR(ns) ? ERR_CAST(ns) : &ns->head;
	}
	s = twstat_snapshot_take(net, walk_no);
	return IS_ERR(s) ? ERR_CAST(s) : &s->head;
}

/* Called with tn->lock held. */
static int twstat_cache_refresh(struct net *net, struct twstat_net *tn,
				enum twstat_kind kind)
{
	struct twstat_snap_head *s;

	s = twstat_cache_take(net, kind, tn->walks[kind] + 1);
	if (IS_ERR(s))
		return PTR_ERR(s);
	tn->walks[kind]++;
	twstat_snap_put(tn->cached[kind]);
	tn->cached[kind] = s;
	/* +1 jiffy: expire strictly after the snapshot went stale */
	mod_delayed_work(system_wq, &tn->expire,
			 msecs_to_jiffies(twstat_param_cache_ms()) + 1);
	return 0;
}

/*
 * A snapshot of @kind for @net no older than cache_ms, with one reference
 * for the caller (drop it with twstat_snap_put()), or an ERR_PTR. Sleeps.
 */
struct twstat_snap_head *twstat_cache_get(struct net *net,
					  enum twstat_kind kind)
{
	struct twstat_net *tn = twstat_net(net);
	struct twstat_snap_head *s;
	int err;

	err = mutex_lock_killable(&tn->lock);
	if (err)
		return ERR_PTR(err);
	if (!twstat_cache_fresh(tn->cached[kind])) {
		err = twstat_cache_refresh(net, tn, kind);
		if (err) {
			mutex_unlock(&tn->lock);
			return ERR_PTR(err);
		}
	}
	s = tn->cached[kind];
	kref_get(&s->ref);
	mutex_unlock(&tn->lock);
	return s;
}
