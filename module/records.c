// SPDX-License-Identifier: GPL-2.0
/*
 * Owner records: who a TIME_WAIT or FIN_WAIT2 minisocket belonged to.
 *
 * A minisocket carries no cgroup, so the probe (probe.c) records its full
 * socket's owner at the handover, and the walk (snapshot.c) looks the
 * minisocket up by the same key. One table for every netns, allocated at
 * load and never resized: the probe runs with preemption disabled, in
 * softirq as often as not, and must not allocate.
 *
 * A record is 24 bytes: a 64-bit SipHash of netns and 4-tuple (the key;
 * 0 marks a never-used record), the owner, and the jiffy at which the
 * record may be reused. Buckets of TWSTAT_REC_WAYS records, one raw
 * spinlock per bucket stripe: raw, because a spinlock_t sleeps on
 * PREEMPT_RT and the probe cannot; irqsave, because the probe runs in
 * process and softirq context and the walk in process context. A bucket
 * with no free record drops the handover (counted, never evicts a live
 * record, so an owner once recorded stays right for its minisocket).
 *
 * Owns the table; never sees a socket (the caller hashes).
 */
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>

#include "twstat.h"

/* Records per bucket: three cache lines, and rare losses at half load. */
#define TWSTAT_REC_WAYS		8
/* Lock stripes at most: a lock per bucket costs more than it gains. */
#define TWSTAT_REC_LOCKS	1024

struct twstat_orec {
	u64 key;			/* 0: never used */
	u64 owner;
	u32 until;			/* jiffies (low 32 bits): free after */
	u32 pad;
};

static struct {
	struct twstat_orec *recs;
	raw_spinlock_t *locks;
	u32 bucket_mask;		/* buckets - 1 */
	u32 lock_mask;			/* locks - 1 */
	siphash_key_t key;
	atomic64_t lost;
} twstat_records;

/* The key of a socket's netns and 4-tuple, never 0. */
u64 twstat_rec_key(const struct twstat_rec *r)
{
	struct {
		unsigned long net;
		struct in6_addr laddr;
		struct in6_addr raddr;
		u16 lport;
		__be16 rport;
		u32 family;
	} t;

	memset(&t, 0, sizeof(t));
	/* a key only, as in the walk: never dereferenced */
	t.net = (unsigned long)r->net;
	t.laddr = r->laddr;
	t.raddr = r->raddr;
	t.lport = r->lport;
	t.rport = r->rport;
	t.family = r->family;
	return siphash(&t, sizeof(t), &twstat_records.key) | 1;
}

static bool twstat_orec_live(const struct twstat_orec *o, u32 now)
{
	return o->key && (s32)(o->until - now) > 0;
}

static struct twstat_orec *twstat_rec_bucket(u64 key, raw_spinlock_t **lock)
{
	/* the bucket from the high half: the low bit is always 1 */
	u32 b = (u32)(key >> 32) & twstat_records.bucket_mask;

	*lock = &twstat_records.locks[b & twstat_records.lock_mask];
	return &twstat_records.recs[(size_t)b * TWSTAT_REC_WAYS];
}

/*
 * The probe: @key's owner is @owner for the next @ttl jiffies. Takes the
 * record of the same key, else the first free one of its bucket.
 */
void twstat_records_note(u64 key, u64 owner, unsigned long ttl)
{
	struct twstat_orec *o, *slot = NULL;
	u32 now = (u32)jiffies;
	raw_spinlock_t *lock;
	unsigned long flags;
	int i;

	o = twstat_rec_bucket(key, &lock);
	raw_spin_lock_irqsave(lock, flags);
	for (i = 0; i < TWSTAT_REC_WAYS; i++) {
		if (o[i].key == key) {
			slot = &o[i];
			break;
		}
		if (!slot && !twstat_orec_live(&o[i], now))
			slot = &o[i];
	}
	if (slot) {
		slot->key = key;
		slot->owner = owner;
		slot->until = now + (u32)ttl;
	}
	raw_spin_unlock_irqrestore(lock, flags);
	if (!slot)
		atomic64_inc(&twstat_records.lost);
}

/*
 * The walk: the owner recorded for @key, TWSTAT_OWNER_UNKNOWN if none is
 * live. A found record is kept at least until the minisocket's timer,
 * @tw_ms from now, has fired: a retransmitted FIN re-arms that timer.
 */
u64 twstat_records_owner(u64 key, u32 tw_ms)
{
	u32 now = (u32)jiffies, until;
	u64 owner = TWSTAT_OWNER_UNKNOWN;
	struct twstat_orec *o;
	raw_spinlock_t *lock;
	unsigned long flags;
	int i;

	until = now + (u32)msecs_to_jiffies(tw_ms) + HZ;
	o = twstat_rec_bucket(key, &lock);
	raw_spin_lock_irqsave(lock, flags);
	for (i = 0; i < TWSTAT_REC_WAYS; i++) {
		if (o[i].key != key || !twstat_orec_live(&o[i], now))
			continue;
		owner = o[i].owner;
		if ((s32)(until - o[i].until) > 0)
			o[i].until = until;
		break;
	}
	raw_spin_unlock_irqrestore(lock, flags);
	return owner;
}

u32 twstat_records_size(void)
{
	return (twstat_records.bucket_mask + 1) * TWSTAT_REC_WAYS;
}

u32 twstat_record_bytes(void)
{
	return sizeof(struct twstat_orec);
}

u64 twstat_records_lost(void)
{
	return atomic64_read(&twstat_records.lost);
}

/* @max records, rounded up to a power of two. Sleeps. */
int twstat_records_init(u32 max)
{
	u32 buckets = roundup_pow_of_two(max) / TWSTAT_REC_WAYS;
	u32 nlocks = min_t(u32, buckets, TWSTAT_REC_LOCKS), i;

	BUILD_BUG_ON(sizeof(struct twstat_orec) != 24);
	twstat_records.recs = kvcalloc((size_t)buckets * TWSTAT_REC_WAYS,
				       sizeof(struct twstat_orec), GFP_KERNEL);
	if (!twstat_records.recs)
		return -ENOMEM;
	twstat_records.locks = kvmalloc_array(nlocks, sizeof(raw_spinlock_t),
					      GFP_KERNEL);
	if (!twstat_records.locks) {
		kvfree(twstat_records.recs);
		return -ENOMEM;
	}
	for (i = 0; i < nlocks; i++)
		raw_spin_lock_init(&twstat_records.locks[i]);
	twstat_records.bucket_mask = buckets - 1;
	twstat_records.lock_mask = nlocks - 1;
	get_random_bytes(&twstat_records.key, sizeof(twstat_records.key));
	atomic64_set(&twstat_records.lost, 0);
	return 0;
}

/* Only once no probe can run (probe.c's exit waited for them). */
void twstat_records_exit(void)
{
	kvfree(twstat_records.locks);
	kvfree(twstat_records.recs);
}
