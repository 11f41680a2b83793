// SPDX-License-Identifier: GPL-2.0
/*
 * Destination tables: one row per destination (laddr, raddr, rport) with
 * its sockets by remotes column and its timer span, at most @max rows;
 * past that, destinations fold into one "other" row and are only counted
 * as distinct (distinct.c). The remotes file has one table per snapshot,
 * the netns file one per namespace.
 *
 * Owns the table and its build-time index; never walks, never prints.
 * Rows are found through an open-addressing index of row numbers that
 * exists only while the table is built.
 */
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "twstat.h"

void twstat_remote_init(struct twstat_remote *row,
			const struct twstat_rkey *k)
{
	memset(row, 0, sizeof(*row));
	if (k)
		row->key = *k;
	row->tw_min_ms = TWSTAT_NO_TIMER;
	row->tw_max_ms = TWSTAT_NO_TIMER;
}

void twstat_rtable_init(struct twstat_rtable *t, u32 max)
{
	memset(t, 0, sizeof(*t));
	t->max = max;
	t->seed = get_random_u32();
	twstat_remote_init(&t->other, NULL);
}

/*
 * Keys compared a word at a time, inline: the kernel's generic memcmp()
 * goes byte by byte, and the walk compares a key per socket in scope
 * (perf showed memcmp() as one of the walk's largest costs).
 */
static bool twstat_rkey_eq(const struct twstat_rkey *a,
			   const struct twstat_rkey *b)
{
	const u32 *x = (const u32 *)a, *y = (const u32 *)b;
	unsigned int i;

	BUILD_BUG_ON(sizeof(*a) % sizeof(u32));

	for (i = 0; i < sizeof(*a) / sizeof(u32); i++)
		if (x[i] != y[i])
			return false;
	return true;
}

/* The index slot holding @k, or the free slot where it belongs. */
static u32 *twstat_rtable_slot(struct twstat_rtable *t,
			       const struct twstat_rkey *k)
{
	u32 i = jhash2((const u32 *)k, sizeof(*k) / sizeof(u32), t->seed) &
		t->mask;

	while (t->idx[i] && !twstat_rkey_eq(&t->rows[t->idx[i] - 1].key, k))
		i = (i + 1) & t->mask;
	return &t->idx[i];
}

static int twstat_rtable_reindex(struct twstat_rtable *t)
{
	u32 i;
	int err = twstat_index_alloc(&t->idx, &t->mask, t->cap);

	if (err)
		return err;
	for (i = 0; i < t->nrows; i++)
		*twstat_rtable_slot(t, &t->rows[i].key) = i + 1;
	return 0;
}

static struct twstat_remote *twstat_rtable_new(struct twstat_rtable *t,
					       const struct twstat_rkey *k)
{
	struct twstat_remote *row;
	int err;

	if (t->nrows == t->cap) {
		err = twstat_grow((void **)&t->rows, &t->cap, t->nrows,
				  sizeof(*row), t->max);
		if (!err)
			err = twstat_rtable_reindex(t);
		if (err)
			return ERR_PTR(err);
	}
	row = &t->rows[t->nrows];
	twstat_remote_init(row, k);
	*twstat_rtable_slot(t, k) = ++t->nrows;
	return row;
}

static int twstat_rtable_fold(struct twstat_rtable *t,
			      const struct twstat_rkey *k)
{
	if (!t->folded) {
		t->folded = kmalloc(sizeof(*t->folded), GFP_KERNEL_ACCOUNT);
		if (!t->folded)
			return -ENOMEM;
		twstat_distinct_init(t->folded);
	}
	return twstat_distinct_add(t->folded, k, sizeof(*k));
}

/* The row counting @k: its own, a new one, or "other" once full. */
static struct twstat_remote *twstat_rtable_row(struct twstat_rtable *t,
					       const struct twstat_rkey *k)
{
	u32 *slot = t->idx ? twstat_rtable_slot(t, k) : NULL;
	int err;

	if (slot && *slot)
		return &t->rows[*slot - 1];
	if (t->nrows < t->max)
		return twstat_rtable_new(t, k);
	err = twstat_rtable_fold(t, k);
	return err ? ERR_PTR(err) : &t->other;
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

/*
 * A v4-mapped AF_INET6 socket and an AF_INET one to the same address
 * share one port space (the 4-tuple match of the ehash ignores the
 * family), so both count as one AF_INET destination.
 */
void twstat_rkey_of(struct twstat_rkey *k, const struct twstat_rec *r)
{
	memset(k, 0, sizeof(*k));
	k->rport = r->rport;
	k->family = r->family;
	if (r->family == AF_INET6 && ipv6_addr_v4mapped(&r->raddr)) {
		k->family = AF_INET;
		ipv6_addr_set(&k->laddr, 0, 0, 0, r->laddr.s6_addr32[3]);
		ipv6_addr_set(&k->raddr, 0, 0, 0, r->raddr.s6_addr32[3]);
		return;
	}
	k->laddr = r->laddr;
	k->raddr = r->raddr;
}

/*
 * The forecast's inputs: a time-wait timer starts at TCP_TIMEWAIT_LEN, so
 * its remainder dates the minisocket.
 */
static void twstat_remote_age(struct twstat_remote *row,
			      const struct twstat_rec *r)
{
	const u32 len_ms = jiffies_to_msecs(TCP_TIMEWAIT_LEN);

	if (r->state != TWSTAT_TIME_WAIT)
		return;
	if (r->tw_ms + TWSTAT_FORECAST_WINDOW_MS >= len_ms)
		row->tw_recent++;
	if (r->tw_ms < TWSTAT_FORECAST_WINDOW_MS)
		row->tw_expiring++;
}

/*
 * Boyer-Moore majority vote: after all sockets, owner is the owner of
 * more than half of them if there is one, in one word of state per row.
 */
static void twstat_remote_vote(struct twstat_remote *row, u64 owner)
{
	if (!row->votes)
		row->owner = owner;
	if (row->owner == owner)
		row->votes++;
	else
		row->votes--;
}

int twstat_rtable_count(struct twstat_rtable *t, const struct twstat_rec *r)
{
	struct twstat_remote *row;
	struct twstat_rkey k;

	twstat_rkey_of(&k, r);
	row = twstat_rtable_row(t, &k);
	if (IS_ERR(row))
		return PTR_ERR(row);
	t->sockets++;
	row->count[twstat_remote_col(r->state)]++;
	twstat_timer_span(&row->tw_min_ms, &row->tw_max_ms, r->tw_ms);
	twstat_remote_age(row, r);
	twstat_remote_vote(row, r->owner);
	return 0;
}

/*
 * Each destination's failed connects, from the failures rows of the same
 * netns. Only while the table is built (it needs the index); destinations
 * without a row (no socket now, or folded) are left out.
 */
void twstat_rtable_noport(struct twstat_rtable *t,
			  const struct twstat_failure *f, u32 n)
{
	u32 i, *slot;

	for (i = 0; i < n && t->idx; i++) {
		slot = twstat_rtable_slot(t, &f[i].key);
		if (*slot)
			t->rows[*slot - 1].noport = min_t(u64, f[i].fails,
							  U32_MAX);
	}
}

u32 twstat_remote_used(const struct twstat_remote *r)
{
	u32 used = 0, i;

	for (i = 0; i < TWSTAT_R_NCOLS; i++)
		used += r->count[i];
	return used;
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

/* Drop the build-time state; count what was folded. */
void twstat_rtable_finish(struct twstat_rtable *t)
{
	kvfree(t->idx);
	t->idx = NULL;
	if (t->folded) {
		t->nfolded = twstat_distinct_count(t->folded);
		t->folded_estimated = t->folded->estimated;
		twstat_distinct_free(t->folded);
		kfree(t->folded);
		t->folded = NULL;
	}
}

/* Rows in the remotes file's order. */
void twstat_rtable_sort(struct twstat_rtable *t)
{
	sort(t->rows, t->nrows, sizeof(*t->rows), twstat_remote_cmp, NULL);
}

/* The row the remotes file would show first, or NULL when none. */
const struct twstat_remote *twstat_rtable_top(const struct twstat_rtable *t)
{
	const struct twstat_remote *top = NULL;
	u32 i;

	for (i = 0; i < t->nrows; i++)
		if (!top || twstat_remote_cmp(&t->rows[i], top) < 0)
			top = &t->rows[i];
	return top;
}

size_t twstat_rtable_bytes(const struct twstat_rtable *t)
{
	return (size_t)t->cap * sizeof(*t->rows);
}

void twstat_rtable_free(struct twstat_rtable *t)
{
	twstat_rtable_finish(t);
	kvfree(t->rows);
	t->rows = NULL;
}
