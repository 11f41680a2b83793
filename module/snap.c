// SPDX-License-Identifier: GPL-2.0
/*
 * What every kind of snapshot starts with: its head, which counts the
 * references that readers and the cache hold and frees the snapshot with
 * its kind's free() once the last is dropped.
 *
 * Owns the head's lifetime; knows no kind (their producers fill the rest).
 */
#include <linux/kref.h>

#include "twstat.h"

void twstat_snap_init(struct twstat_snap_head *head, u64 walk_no,
		      void (*free)(struct twstat_snap_head *head))
{
	kref_init(&head->ref);
	head->walk_no = walk_no;
	head->live = NULL;
	head->free = free;
	twstat_params_read(&head->params);
}

static void twstat_snap_release(struct kref *ref)
{
	struct twstat_snap_head *head = container_of(ref, typeof(*head), ref);
	atomic_t *live = head->live;

	head->free(head);
	if (live)
		atomic_dec(live);
}

void twstat_snap_put(struct twstat_snap_head *head)
{
	if (head)
		kref_put(&head->ref, twstat_snap_release);
}
