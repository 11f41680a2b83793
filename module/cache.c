// SPDX-License-Identifier: GPL-2.0
/*
 * Shared snapshots. Readers that open a file within cache_ms of the last
 * walk of their netns share its snapshot instead of walking the table
 * again, so an exporter reading four files, or many readers at once, cost
 * one walk. One mutex per netns serialises walks: a reader arriving during
 * a walk sleeps until it ends and then shares its result. Readers never
 * hold the mutex while rendering; each holds its own snapshot reference.
 *
 * The cache's own reference is dropped by a delayed work once the snapshot
 * is stale, so an idle netns holds no snapshot memory.
 */
#include <linux/jiffies.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "twstat.h"

static bool twstat_cache_fresh(const struct twstat_snapshot *s)
{
	u64 max_age_ns = (u64)twstat_param_cache_ms() * NSEC_PER_MSEC;

	/* a snapshot taken with other parameters is not the one asked for */
	return s && ktime_get_ns() - s->taken_ns < max_age_ns &&
	       s->max_remotes == twstat_param_max_remotes() &&
	       s->remotes_all == twstat_param_remotes_all();
}

static void twstat_cache_expire(struct work_struct *work)
{
	struct twstat_net *tn = container_of(to_delayed_work(work),
					     struct twstat_net, expire);

	mutex_lock(&tn->lock);
	if (!twstat_cache_fresh(tn->cached)) {
		twstat_snapshot_put(tn->cached);
		tn->cached = NULL;
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

	cancel_delayed_work_sync(&tn->expire);
	twstat_snapshot_put(tn->cached);
	tn->cached = NULL;
	mutex_destroy(&tn->lock);
}

/* Called with tn->lock held. */
static int twstat_cache_refresh(struct net *net, struct twstat_net *tn)
{
	struct twstat_snapshot *s;

	s = twstat_snapshot_take(net, tn->walks + 1);
	if (IS_ERR(s))
		return PTR_ERR(s);
	tn->walks++;
	twstat_snapshot_put(tn->cached);
	tn->cached = s;
	/* +1 jiffy: expire strictly after the snapshot went stale */
	mod_delayed_work(system_wq, &tn->expire,
			 msecs_to_jiffies(twstat_param_cache_ms()) + 1);
	return 0;
}

/*
 * A snapshot of @net no older than cache_ms, with one reference for the
 * caller (drop it with twstat_snapshot_put()), or an ERR_PTR. Sleeps.
 */
struct twstat_snapshot *twstat_cache_get(struct net *net)
{
	struct twstat_net *tn = twstat_net(net);
	struct twstat_snapshot *s;
	int err;

	err = mutex_lock_killable(&tn->lock);
	if (err)
		return ERR_PTR(err);
	if (!twstat_cache_fresh(tn->cached)) {
		err = twstat_cache_refresh(net, tn);
		if (err) {
			mutex_unlock(&tn->lock);
			return ERR_PTR(err);
		}
	}
	s = tn->cached;
	kref_get(&s->ref);
	mutex_unlock(&tn->lock);
	return s;
}
