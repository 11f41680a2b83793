/* SPDX-License-Identifier: GPL-2.0 */
/* --netns: entering a network namespace, and naming the current one. */
#ifndef TW_NETNS_H
#define TW_NETNS_H

#include "err.h"

/*
 * setns() into /run/netns/@arg, or into the file @arg if it contains a
 * '/' (e.g. /proc/PID/ns/net). 0 or -1.
 */
int tw_netns_enter(const char *arg, struct tw_err *err);

/*
 * The netns label: @arg if given, else the inode number of
 * ROOT/self/ns/net ("net:[4026531840]" -> "4026531840"), else NULL.
 * Allocated; free it.
 */
char *tw_netns_label(const char *root, const char *arg);

#endif /* TW_NETNS_H */
