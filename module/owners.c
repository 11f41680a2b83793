// SPDX-License-Identifier: GPL-2.0
/*
 * Owner tables: a netns's sockets by owner (cgroup id), for the owners
 * file. One row per owner met in the walk, found through an open-
 * addressing index of row numbers that exists only while the table is
 * built; the rows are as many as the owners with sockets, which the host
 * bounds (each is a cgroup).
 *
 * Owns the table; never walks, never prints.
 */
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sort.h>

#include "twstat.h"

void twstat_otable_init(struct twstat_otable *t)
{
	memset(t, 0, sizeof(*t));
}

/* The index slot holding @owner, or the free slot where it belongs. */
static u32 *twstat_otable_slot(struct twstat_otable *t, u64 owner)
{
	u32 i = hash_64(owner, 32) & t->mask;

	while (t->idx[i] && t->rows[t->idx[i] - 1].owner != owner)
		i = (i + 1) & t->mask;
	return &t->idx[i];
}

static int twstat_otable_reindex(struct twstat_otable *t)
{
	u32 i;
	int err = twstat_index_alloc(&t->idx, &t->mask, t->cap);

	if (err)
		return err;
	for (i = 0; i < t->nrows; i++)
		*twstat_otable_slot(t, t->rows[i].owner) = i + 1;
	return 0;
}

static struct twstat_owner *twstat_otable_row(struct twstat_otable *t,
					      u64 owner)
{
	struct twstat_owner *row;
	int err;

	if (t->idx) {
		u32 *slot = twstat_otable_slot(t, owner);

		if (*slot)
			return &t->rows[*slot - 1];
	}
	if (t->nrows == t->cap) {
		err = twstat_grow((void **)&t->rows, &t->cap, t->nrows,
				  sizeof(*row), U32_MAX);
		if (!err)
			err = twstat_otable_reindex(t);
		if (err)
			return ERR_PTR(err);
	}
	row = &t->rows[t->nrows];
	memset(row, 0, sizeof(*row));
	row->owner = owner;
	row->tw_min_ms = TWSTAT_NO_TIMER;
	row->tw_max_ms = TWSTAT_NO_TIMER;
	*twstat_otable_slot(t, owner) = ++t->nrows;
	return row;
}

int twstat_otable_count(struct twstat_otable *t, const struct twstat_rec *r)
{
	struct twstat_owner *row = twstat_otable_row(t, r->owner);

	if (IS_ERR(row))
		return PTR_ERR(row);
	row->sockets++;
	if (r->state != TWSTAT_UNKNOWN)
		row->count[r->state]++;
	twstat_timer_span(&row->tw_min_ms, &row->tw_max_ms, r->tw_ms);
	if (r->tw_ms != TWSTAT_NO_TIMER && r->owner == TWSTAT_OWNER_UNKNOWN)
		t->tw_unknown++;
	return 0;
}

/* time-wait descending, then sockets descending, then owner ascending */
static int twstat_owner_cmp(const void *a, const void *b)
{
	const struct twstat_owner *x = a, *y = b;
	u32 tx = x->count[TWSTAT_TIME_WAIT], ty = y->count[TWSTAT_TIME_WAIT];

	if (tx != ty)
		return tx > ty ? -1 : 1;
	if (x->sockets != y->sockets)
		return x->sockets > y->sockets ? -1 : 1;
	if (x->owner != y->owner)
		return x->owner < y->owner ? -1 : 1;
	return 0;
}

/* Drop the index; rows in the owners file's order. */
void twstat_otable_finish(struct twstat_otable *t)
{
	kvfree(t->idx);
	t->idx = NULL;
	sort(t->rows, t->nrows, sizeof(*t->rows), twstat_owner_cmp, NULL);
}

size_t twstat_otable_bytes(const struct twstat_otable *t)
{
	return (size_t)t->cap * sizeof(*t->rows);
}

void twstat_otable_free(struct twstat_otable *t)
{
	kvfree(t->idx);
	kvfree(t->rows);
	t->idx = NULL;
	t->rows = NULL;
}
