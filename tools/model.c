// SPDX-License-Identifier: GPL-2.0
/* The data model's tables and small helpers (see twstat.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "twstat.h"

const char *const tw_state_names[TW_NSTATES] = {
	[TW_ESTAB] = "estab",	       [TW_SYN_SENT] = "syn-sent",
	[TW_SYN_RECV] = "syn-recv",    [TW_FIN_WAIT1] = "fin-wait-1",
	[TW_FIN_WAIT2] = "fin-wait-2", [TW_TIME_WAIT] = "time-wait",
	[TW_CLOSE] = "close",	       [TW_CLOSE_WAIT] = "close-wait",
	[TW_LAST_ACK] = "last-ack",    [TW_CLOSING] = "closing",
};

const char *const tw_rcol_names[TW_R_NCOLS] = {
	[TW_R_ESTAB] = "estab",
	[TW_R_TIME_WAIT] = "time-wait",
	[TW_R_FIN_WAIT2] = "fin-wait-2",
	[TW_R_OTHER] = "other",
};

#define TW_INT_MAX 2147483647ULL
#define TW_STATE_KEY(s) [TWK_STATE0 + (s)] = { NULL, TW_COUNT_MAX, 0 }

/* Names of the state keys are filled from tw_state_names by lookup. */
const struct tw_key_info tw_keys[TWK_COUNT] = {
	[TWK_VERSION] = { "version", TW_COUNT_MAX, 0 },
	[TWK_WALK_NS] = { "walk_ns", TW_COUNT_MAX, TWK_F_MODULE },
	[TWK_EHASH_BUCKETS] = { "ehash_buckets", 1ULL << 32, TWK_F_MODULE },
	[TWK_SOCKETS] = { "sockets", TW_COUNT_MAX, 0 },
	TW_STATE_KEY(TW_ESTAB),
	TW_STATE_KEY(TW_SYN_SENT),
	TW_STATE_KEY(TW_SYN_RECV),
	TW_STATE_KEY(TW_FIN_WAIT1),
	TW_STATE_KEY(TW_FIN_WAIT2),
	TW_STATE_KEY(TW_TIME_WAIT),
	TW_STATE_KEY(TW_CLOSE),
	TW_STATE_KEY(TW_CLOSE_WAIT),
	TW_STATE_KEY(TW_LAST_ACK),
	TW_STATE_KEY(TW_CLOSING),
	[TWK_TW_SOCKETS] = { "tw_sockets", TW_COUNT_MAX, 0 },
	[TWK_TW_V4] = { "tw_v4", TW_COUNT_MAX, 0 },
	[TWK_TW_V6] = { "tw_v6", TW_COUNT_MAX, 0 },
	[TWK_MAX_TW_BUCKETS] = { "max_tw_buckets", TW_INT_MAX, 0 },
	[TWK_SOCKSTAT_TW] = { "sockstat_tw", TW_INT_MAX, 0 },
	[TWK_PORT_RANGE_LO] = { "port_range_lo", 65535, 0 },
	[TWK_PORT_RANGE_HI] = { "port_range_hi", 65535, 0 },
	[TWK_UNKNOWN_STATE] = { "unknown_state", TW_COUNT_MAX, 0 },
	[TWK_PORT_RANGE_SIZE] = { "port_range_size", 65535, 0 },
	[TWK_SNAPSHOT_AGE_MS] = { "snapshot_age_ms", TW_COUNT_MAX,
				  TWK_F_MODULE },
	[TWK_WALKS] = { "walks", TW_COUNT_MAX, TWK_F_MODULE },
	[TWK_LOCK_MAX_NS] = { "lock_max_ns", TW_COUNT_MAX, TWK_F_MODULE },
	[TWK_BUCKETS_USED] = { "buckets_used", 1ULL << 32, TWK_F_MODULE },
	[TWK_SNAPSHOT_BYTES] = { "snapshot_bytes", TW_COUNT_MAX, TWK_F_MODULE },
	[TWK_REMOTES] = { "remotes", TW_COUNT_MAX, 0 },
	[TWK_REMOTES_FOLDED] = { "remotes_folded", TW_COUNT_MAX, 0 },
	[TWK_REMOTES_SOCKETS] = { "remotes_sockets", TW_COUNT_MAX, 0 },
	[TWK_REMOTES_FOLDED_ESTIMATED] = { "remotes_folded_estimated", 1,
					   TWK_F_MODULE | TWK_F_OPTIONAL },
	[TWK_MAX_REMOTES] = { "max_remotes", 1048576,
			      TWK_F_MODULE | TWK_F_OPTIONAL },
};

int tw_state_lookup(const char *name)
{
	int i;

	for (i = 0; i < TW_NSTATES; i++)
		if (!strcmp(name, tw_state_names[i]))
			return i;
	return -1;
}

int tw_key_lookup(const char *name)
{
	int i, st = tw_state_lookup(name);

	if (st >= 0)
		return TWK_STATE0 + st;
	for (i = 0; i < TWK_COUNT; i++)
		if (tw_keys[i].name && !strcmp(name, tw_keys[i].name))
			return i;
	return -1;
}

void tw_sum_set(struct tw_summary *s, enum tw_key k, uint64_t v)
{
	s->k[k].v = v;
	s->k[k].set = true;
}

enum tw_rcol tw_rcol_of(int state)
{
	switch (state) {
	case TW_ESTAB:
		return TW_R_ESTAB;
	case TW_TIME_WAIT:
		return TW_R_TIME_WAIT;
	case TW_FIN_WAIT2:
		return TW_R_FIN_WAIT2;
	default:
		return TW_R_OTHER;
	}
}

const char *tw_source_name(enum tw_source src)
{
	switch (src) {
	case TW_SRC_MODULE:
		return "module";
	case TW_SRC_DIAG:
		return "diag";
	default:
		return "auto";
	}
}

void tw_snap_free(struct tw_snap *snap)
{
	free(snap->ports);
	free(snap->remotes);
	memset(snap, 0, sizeof(*snap));
}

void tw_span_add(uint32_t *min, uint32_t *max, uint32_t ms)
{
	if (ms == TW_NO_TIMER)
		return;
	if (*min == TW_NO_TIMER || ms < *min)
		*min = ms;
	if (*max == TW_NO_TIMER || ms > *max)
		*max = ms;
}

uint32_t tw_pct_tenths(uint64_t used, uint64_t range)
{
	return (uint32_t)((used * 2000 + range) / (2 * range));
}

int tw_remote_key_cmp(const struct tw_remote *a, const struct tw_remote *b)
{
	int d;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	d = memcmp(a->laddr, b->laddr, sizeof(a->laddr));
	if (!d)
		d = memcmp(a->raddr, b->raddr, sizeof(a->raddr));
	if (!d && a->rport != b->rport)
		d = a->rport < b->rport ? -1 : 1;
	return d;
}

int tw_remote_cmp(const struct tw_remote *a, const struct tw_remote *b)
{
	if (a->used != b->used)
		return a->used > b->used ? -1 : 1;
	return tw_remote_key_cmp(a, b);
}

const char *tw_key_name(enum tw_key k)
{
	if (k >= TWK_STATE0 && k < TWK_STATE0 + TW_NSTATES)
		return tw_state_names[k - TWK_STATE0];
	return tw_keys[k].name;
}
