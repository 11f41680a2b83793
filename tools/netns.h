/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network namespaces: entering one (--netns, and the diag source of the
 * netns view), naming the current one, and telling who lives in each,
 * from /proc alone (no docker, no kubectl): its /run/netns name, its
 * lowest pid and that process's comm, the container id and Kubernetes pod
 * UID in that process's cgroup path, and its UTS hostname (Kubernetes
 * sets it to the pod name).
 */
#ifndef TW_NETNS_H
#define TW_NETNS_H

#include <stdbool.h>

#include "err.h"
#include "model.h"

#define TW_RUN_NETNS "/run/netns"

/*
 * setns() into @arg: /run/netns/@arg if that exists; the file @arg if it
 * contains a '/' (e.g. /proc/PID/ns/net); /proc/PID/ns/net for "pid:PID";
 * else, for a number, the namespace with that inode, found through a
 * process in it or a /run/netns name. 0 or -1.
 */
int tw_netns_enter(const char *arg, struct tw_err *err);

/* setns() into the netns file @path. 0 or -1. */
int tw_netns_enter_path(const char *path, struct tw_err *err);

/*
 * The netns label: @arg if given, else the inode number of
 * ROOT/self/ns/net ("net:[4026531840]" -> "4026531840"), else NULL.
 * Allocated; free it.
 */
char *tw_netns_label(const char *root, const char *arg);

/*
 * Every namespace a process under @proc_root is in or a file in
 * @run_netns names, sorted by inode (free the array). With @hostnames
 * (only for the real /proc), each namespace's process's UTS namespace is
 * entered to read its hostname, and left again.
 */
int tw_nslabels_scan(const char *proc_root, const char *run_netns,
		     bool hostnames, struct tw_nslabel **labels, size_t *n,
		     struct tw_err *err);
const struct tw_nslabel *tw_nslabel_find(const struct tw_nslabel *labels,
					 size_t n, uint64_t inum);
/* A file that enters @l's namespace: /proc/PID/ns/net or /run/netns/NAME. */
void tw_nslabel_path(const struct tw_nslabel *l, char *buf, size_t len);

/*
 * The container id and pod UID in the text of a /proc/PID/cgroup file
 * (cgroup v2 or v1; docker, containerd, cri-o and podman paths, systemd
 * and cgroupfs drivers). Each is "" when not found.
 */
void tw_cgroup_ids(const char *text, char cid[TW_CID_LEN + 1],
		   char pod[TW_POD_UID_LEN + 1]);

/* "net:[N]" (a readlink of ns/net) -> N; 0 if it is not one. */
uint64_t tw_nsfs_inum(const char *link);

#endif /* TW_NETNS_H */
