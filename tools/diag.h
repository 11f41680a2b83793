/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The diag source's socket dump: NETLINK_SOCK_DIAG (inet_diag_req_v2) for
 * AF_INET and AF_INET6 TCP sockets in every state but LISTEN, each socket
 * handed to a callback as a struct tw_rec with the contract's state
 * mapping already applied.
 */
#ifndef TW_DIAG_H
#define TW_DIAG_H

#include <stdint.h>

#include "err.h"
#include "model.h"

struct tw_rec {
	struct tw_rkey key; /* its destination */
	uint32_t tw_ms; /* TW_NO_TIMER unless a TIME_WAIT minisocket */
	uint16_t lport;
	uint8_t state; /* enum tw_state, TW_UNKNOWN if none fits */
	struct tw_owner_id cgroup; /* INET_DIAG_CGROUP_ID: full sockets only */
};

typedef int (*tw_rec_fn)(void *ctx, const struct tw_rec *rec);

/* Kernel TCP state (idiag_state) to enum tw_state. */
uint8_t tw_diag_state(uint8_t kstate);

/* Dump every socket of the current netns into @fn. 0 or -1. */
int tw_diag_dump(tw_rec_fn fn, void *ctx, struct tw_err *err);

#endif /* TW_DIAG_H */
