// SPDX-License-Identifier: GPL-2.0
/*
 * Failed connects: connect() calls that found no free local port, per
 * netns and destination, with the last caller.
 *
 * One table of TWSTAT_FAILURES_MAX rows for every netns, static: the probe
 * (probe.c) fills it in connect() context with preemption disabled, so it
 * must not allocate, and takes a raw spinlock (a spinlock_t sleeps on
 * PREEMPT_RT). A full table evicts the row whose last failure is oldest.
 * A scan of the table is the cost of a failure: small beside the search of
 * the whole port range that the failing connect() has just made.
 *
 * Owns the table; snapshots copy a netns's rows out of it (snapshot.c).
 */
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "twstat.h"

struct twstat_fail_slot {
	const struct net *net;		/* a key only; NULL: free */
	struct twstat_failure f;
	unsigned long last;		/* jiffies of the last failure */
};

static struct twstat_fail_slot twstat_fails[TWSTAT_FAILURES_MAX];
static DEFINE_RAW_SPINLOCK(twstat_fails_lock);
static u64 twstat_fails_evicted;

/* Called with twstat_fails_lock held: @k's slot, a free one or the oldest. */
static struct twstat_fail_slot *twstat_fail_slot(const struct net *net,
						 const struct twstat_rkey *k)
{
	struct twstat_fail_slot *s, *free = NULL, *old = NULL;

	for (s = twstat_fails; s < twstat_fails + TWSTAT_FAILURES_MAX; s++) {
		if (!s->net) {
			free = free ?: s;
			continue;
		}
		if (s->net == net && !memcmp(&s->f.key, k, sizeof(*k)))
			return s;
		if (!old || time_before(s->last, old->last))
			old = s;
	}
	if (free)
		return free;
	twstat_fails_evicted++;
	old->net = NULL;
	return old;
}

/*
 * The probe, in the failing connect()'s context: current is the caller.
 * @k: the destination, as remotes keys it.
 */
void twstat_failures_note(const struct net *net, const struct twstat_rkey *k,
			  u64 owner)
{
	struct twstat_fail_slot *s;
	unsigned long flags;

	raw_spin_lock_irqsave(&twstat_fails_lock, flags);
	s = twstat_fail_slot(net, k);
	if (!s->net) {
		memset(s, 0, sizeof(*s));
		s->net = net;
		s->f.key = *k;
	}
	s->f.fails++;
	s->f.owner = owner;
	s->f.tgid = task_tgid_nr(current);
	/* racing a prctl(PR_SET_NAME) may give a mix; it stays terminated */
	memcpy(s->f.comm, current->comm, sizeof(s->f.comm));
	s->f.comm[sizeof(s->f.comm) - 1] = '\0';
	s->last = jiffies;
	raw_spin_unlock_irqrestore(&twstat_fails_lock, flags);
}

static u32 twstat_failures_count(const struct net *net)
{
	unsigned long flags;
	u32 i, n = 0;

	raw_spin_lock_irqsave(&twstat_fails_lock, flags);
	for (i = 0; i < TWSTAT_FAILURES_MAX; i++)
		n += twstat_fails[i].net == net;
	raw_spin_unlock_irqrestore(&twstat_fails_lock, flags);
	return n;
}

/*
 * @net's rows, at most as many as it had when counted (the allocation is
 * made between two holds of the lock), each with last_ms set. Sleeps.
 */
int twstat_failures_copy(const struct net *net, struct twstat_failure **rows,
			 u32 *nrows)
{
	u32 cap = twstat_failures_count(net), i, n = 0;
	struct twstat_failure *out;
	unsigned long flags;

	*rows = NULL;
	*nrows = 0;
	if (!cap)
		return 0;
	out = kvmalloc_array(cap, sizeof(*out), GFP_KERNEL_ACCOUNT);
	if (!out)
		return -ENOMEM;
	raw_spin_lock_irqsave(&twstat_fails_lock, flags);
	for (i = 0; i < TWSTAT_FAILURES_MAX && n < cap; i++) {
		if (twstat_fails[i].net != net)
			continue;
		out[n] = twstat_fails[i].f;
		out[n++].last_ms = jiffies_to_msecs(jiffies -
						    twstat_fails[i].last);
	}
	raw_spin_unlock_irqrestore(&twstat_fails_lock, flags);
	*rows = out;
	*nrows = n;
	return 0;
}

/* @net is going: its rows with it, so that its address may be reused. */
void twstat_failures_forget(const struct net *net)
{
	unsigned long flags;
	u32 i;

	raw_spin_lock_irqsave(&twstat_fails_lock, flags);
	for (i = 0; i < TWSTAT_FAILURES_MAX; i++)
		if (twstat_fails[i].net == net)
			twstat_fails[i].net = NULL;
	raw_spin_unlock_irqrestore(&twstat_fails_lock, flags);
}

u64 twstat_failures_evicted(void)
{
	return READ_ONCE(twstat_fails_evicted);
}
