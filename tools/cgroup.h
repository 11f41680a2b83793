/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who an owner is: the cgroup v2 ids of owners, failures and the remotes'
 * owner column labelled from /proc and the cgroup2 mount alone. The mount
 * is the first cgroup2 line of ROOT/self/mountinfo; under --proc-root DIR
 * its mount point M is read as DIR/M (a fixture's cgroup tree). The tree
 * is walked once: a directory whose inode number is an id gives its path
 * below the mount; id 1 is the root, "/". From the path: the systemd unit,
 * the container id and the pod UID (netns.c's rules).
 */
#ifndef TW_CGROUP_H
#define TW_CGROUP_H

#include "err.h"
#include "model.h"

/* Fill snap->cglabels for every id the snapshot names. 0 or -1. */
int tw_cglabels_load(const char *root, struct tw_snap *snap,
		     struct tw_err *err);

/*
 * The mount point of the first cgroup2 filesystem of the mountinfo file
 * @path, unescaped, into @buf; false if there is none.
 */
bool tw_cgroup2_mount(const char *path, char *buf, size_t len);

#endif /* TW_CGROUP_H */
