/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The diag source's aggregation: sockets (struct tw_rec) into the same
 * snapshot the module publishes -- state counts, per-port rows, the timer
 * histogram and per-destination rows -- with the module's rules: a socket
 * of unknown state counts only in the sockets and unknown_state keys and
 * in a destination's other column; destinations are the sockets whose
 * local port is
 * in [port_range_lo, port_range_hi]; rows are sorted as the module
 * sorts them. No max_remotes cap: nothing is folded. Owners are the
 * cgroups of full sockets (INET_DIAG_CGROUP_ID); request sockets and
 * minisockets, which sock_diag gives no owner, are under the unknown one.
 * Remotes have tw_recent and tw_expiring (the substate and the remainder
 * of each minisocket are known), not noport or owner.
 */
#ifndef TW_BUILD_H
#define TW_BUILD_H

#include "diag.h"
#include "model.h"

/* A socket as owners counts it. */
struct tw_owned {
	struct tw_owner_id cgroup;
	uint32_t tw_ms;
	uint8_t state;
};

struct tw_builder {
	struct tw_snap *snap;
	struct tw_port *byport; /* indexed by port, 65536 entries */
	struct tw_rec *scoped; /* sockets counted in remotes */
	size_t nscoped;
	size_t cap;
	struct tw_owned *owned; /* every socket, for owners */
	size_t nowned;
	size_t owned_cap;
	uint32_t lo, hi;
};

/* Start building into @snap (summary port range keys already set). */
void tw_build_init(struct tw_builder *b, struct tw_snap *snap);
/* tw_rec_fn: count one socket. */
int tw_build_add(void *ctx, const struct tw_rec *rec);
/* Produce ports, remotes and the summary keys; frees the scratch state. */
void tw_build_finish(struct tw_builder *b);

#endif /* TW_BUILD_H */
