/* SPDX-License-Identifier: GPL-2.0 */
/*
 * twstat tool: the data model every source fills and every view reads.
 *
 * A snapshot (struct tw_snap) holds the four tables of docs/interface.md:
 * the summary keys, the per-port rows, the 61-row timer histogram and the
 * per-destination rows, whichever source produced them (the module's
 * /proc/net/twstat files or the tool's own NETLINK_SOCK_DIAG dump).
 */
#ifndef TWSTAT_H
#define TWSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TWSTAT_VERSION "1.0.0"
#define TW_IFACE_VERSION 1 /* the /proc "version" this tool reads */

/* ss's state names, in the column order of docs/interface.md. */
enum tw_state {
	TW_ESTAB,
	TW_SYN_SENT,
	TW_SYN_RECV,
	TW_FIN_WAIT1,
	TW_FIN_WAIT2,
	TW_TIME_WAIT,
	TW_CLOSE,
	TW_CLOSE_WAIT,
	TW_LAST_ACK,
	TW_CLOSING,
	TW_NSTATES,
	TW_UNKNOWN = TW_NSTATES,
};

extern const char *const tw_state_names[TW_NSTATES];
int tw_state_lookup(const char *name); /* enum tw_state, or -1 */

#define TW_TIMER_ROWS 61 /* seconds 0..60 */
#define TW_TIMER_MAX_MS 60000U /* TCP_TIMEWAIT_LEN */
#define TW_NO_TIMER UINT32_MAX /* no minisocket: the "-" of the files */
#define TW_ROW_COUNT_MAX UINT32_MAX /* per-row counts are u32 in the module */
#define TW_COUNT_MAX ((1ULL << 53) - 1) /* exact in JSON */

/* Summary keys, in docs/interface.md order. */
enum tw_key {
	TWK_VERSION,
	TWK_WALK_NS,
	TWK_EHASH_BUCKETS,
	TWK_SOCKETS,
	TWK_STATE0, /* TW_NSTATES keys, one per state */
	TWK_TW_SOCKETS = TWK_STATE0 + TW_NSTATES,
	TWK_TW_V4,
	TWK_TW_V6,
	TWK_MAX_TW_BUCKETS,
	TWK_SOCKSTAT_TW,
	TWK_PORT_RANGE_LO,
	TWK_PORT_RANGE_HI,
	TWK_UNKNOWN_STATE,
	TWK_PORT_RANGE_SIZE,
	TWK_SNAPSHOT_AGE_MS,
	TWK_WALKS,
	TWK_LOCK_MAX_NS,
	TWK_BUCKETS_USED,
	TWK_SNAPSHOT_BYTES,
	TWK_REMOTES,
	TWK_REMOTES_FOLDED,
	TWK_REMOTES_SOCKETS,
	TWK_REMOTES_FOLDED_ESTIMATED, /* printed by the module, not yet in the doc */
	TWK_MAX_REMOTES, /* likewise */
	TWK_COUNT,
};

#define TWK_F_MODULE 1U /* only the module can know it (null under diag) */
#define TWK_F_OPTIONAL 2U /* may be absent from a version 1 summary */

#define TWK_STATE(i) ((enum tw_key)(TWK_STATE0 + (int)(i)))

struct tw_key_info {
	const char *name;
	uint64_t max; /* larger values are rejected as absurd */
	unsigned int flags;
};

extern const struct tw_key_info tw_keys[TWK_COUNT];
int tw_key_lookup(const char *name); /* enum tw_key, or -1 */
const char *tw_key_name(enum tw_key k);

/* A value that may be unknown (JSON null, "-" in text). */
struct tw_val {
	uint64_t v;
	bool set;
};

struct tw_summary {
	struct tw_val k[TWK_COUNT];
};

static inline uint64_t tw_sum_get(const struct tw_summary *s, enum tw_key k)
{
	return s->k[k].v;
}

void tw_sum_set(struct tw_summary *s, enum tw_key k, uint64_t v);

struct tw_port {
	uint64_t count[TW_NSTATES];
	uint32_t tw_min_ms; /* TW_NO_TIMER when the port has no minisocket */
	uint32_t tw_max_ms;
	uint16_t port;
};

/* remotes columns */
enum tw_rcol {
	TW_R_ESTAB,
	TW_R_TIME_WAIT,
	TW_R_FIN_WAIT2,
	TW_R_OTHER,
	TW_R_NCOLS,
};

extern const char *const tw_rcol_names[TW_R_NCOLS];
enum tw_rcol tw_rcol_of(int state);

struct tw_remote {
	uint8_t laddr[16]; /* AF_INET: bytes 12..15, as the module sorts */
	uint8_t raddr[16];
	uint64_t count[TW_R_NCOLS];
	uint64_t used;
	uint64_t range;
	uint32_t pct_tenths; /* valid if has_pct */
	bool has_pct;
	uint32_t tw_min_ms;
	uint32_t tw_max_ms;
	uint16_t rport;
	uint8_t family; /* AF_INET, AF_INET6; 0: the folded "* * *" row */
};

enum tw_source {
	TW_SRC_AUTO,
	TW_SRC_MODULE,
	TW_SRC_DIAG,
};

const char *tw_source_name(enum tw_source src);

/* Tables beyond the summary (which is always read). */
#define TW_NEED_PORTS 1U
#define TW_NEED_TIMERS 2U
#define TW_NEED_REMOTES 4U
#define TW_NEED_ALL 7U

struct tw_snap {
	enum tw_source source; /* MODULE or DIAG once loaded */
	unsigned int have; /* TW_NEED_* loaded */
	struct tw_summary sum;
	struct tw_port *ports; /* sorted by port */
	size_t nports;
	uint64_t timers[TW_TIMER_ROWS];
	struct tw_remote *remotes; /* in the module's order */
	size_t nremotes;
};

void tw_snap_free(struct tw_snap *snap);

/* Widen [*min, *max] by @ms (TW_NO_TIMER: no change). */
void tw_span_add(uint32_t *min, uint32_t *max, uint32_t ms);
/* used / range in tenths of a percent, rounded half up, as the module. */
uint32_t tw_pct_tenths(uint64_t used, uint64_t range);
/* The module's remotes order: used descending, then family, addresses, rport. */
int tw_remote_cmp(const struct tw_remote *a, const struct tw_remote *b);
int tw_remote_key_cmp(const struct tw_remote *a, const struct tw_remote *b);

#endif /* TWSTAT_H */
