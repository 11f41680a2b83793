/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who lives in a network namespace, told from /proc alone (no docker, no
 * kubectl): its /run/netns name, its lowest pid and that process's comm,
 * the container id and Kubernetes pod UID in that process's cgroup path,
 * and its UTS hostname (Kubernetes sets it to the pod name).
 *
 * Owns the labels; reads /proc and /run/netns, never prints.
 */
#ifndef TW_NSLABEL_H
#define TW_NSLABEL_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define TW_CID_LEN 64 /* hex digits of a container id */
#define TW_POD_UID_LEN 36 /* 8-4-4-4-12 */

struct tw_nslabel {
	uint64_t inum; /* the namespace's inode number */
	char name[256]; /* /run/netns name, "" if none */
	int pid; /* lowest pid in it, 0 if no process */
	char comm[17];
	char container_id[TW_CID_LEN + 1]; /* "" if none */
	char pod_uid[TW_POD_UID_LEN + 1];
	char hostname[65];
};

struct tw_nslabels {
	struct tw_nslabel *v; /* sorted by inum */
	size_t n;
};

/*
 * Every namespace a process under @proc_root is in, or a file in
 * @run_netns names. Hostnames are read (by entering the UTS namespace of
 * each namespace's process) only when @proc_root is "/proc".
 */
int tw_nslabels_scan(struct tw_nslabels *ls, const char *proc_root,
		     const char *run_netns, struct tw_err *err);
const struct tw_nslabel *tw_nslabels_find(const struct tw_nslabels *ls,
					  uint64_t inum);
void tw_nslabels_free(struct tw_nslabels *ls);

/*
 * The container id and pod UID in the text of a /proc/PID/cgroup file
 * (cgroup v2 or v1; docker, containerd, cri-o and podman paths, systemd
 * and cgroupfs drivers). Each is "" when not found.
 */
void tw_cgroup_ids(const char *text, char cid[TW_CID_LEN + 1],
		   char pod[TW_POD_UID_LEN + 1]);

/* "net:[N]" (a readlink of ns/net) -> N; 0 if it is not one. */
uint64_t tw_nsfs_inum(const char *link);

#endif /* TW_NSLABEL_H */
