/* SPDX-License-Identifier: GPL-2.0 */
/*
 * twstat tool: the data model every source fills and every view reads.
 *
 * A snapshot (struct tw_snap) holds the four tables of docs/interface.md:
 * the summary keys, the per-port rows, the 61-row timer histogram and the
 * per-destination rows, whichever source produced them (the module's
 * /proc/net/twstat files or the tool's own NETLINK_SOCK_DIAG dump).
 * Every name -- files, states, keys, columns -- is generated from
 * module/twstat_names.h, which the module prints with.
 */
#ifndef TW_MODEL_H
#define TW_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../module/twstat_names.h"

/* debian/changelog's version, passed by the Makefile */
#ifndef TWSTAT_VERSION
#error "TWSTAT_VERSION unset: build with make (it reads debian/changelog)"
#endif
#define TW_IFACE_VERSION TWSTAT_IFACE_VERSION /* the version this tool reads */

#define TW_ENUM_STATE(id, name) TW_##id,
#define TW_ENUM_KEY(id, name) TWK_##id,
#define TW_ENUM_FILE(id, name) TW_F_##id,
#define TW_ENUM_PCOL(id, name) TW_PC_##id,
#define TW_ENUM_TCOL(id, name) TW_TC_##id,
#define TW_ENUM_RCOL(id, name) TW_RC_##id,
#define TW_ENUM_RSTATE(id, name) TW_R_##id,
#define TW_ENUM_NCOL(id, name) TW_NC_##id,
#define TW_ENUM_OCOL(id, name) TW_OC_##id,
#define TW_ENUM_FCOL(id, name) TW_FC_##id,

/* The files of /proc/net/twstat (twstat_names.h). */
enum tw_file { TWSTAT_FILES(TW_ENUM_FILE) TW_NFILES };
extern const char *const tw_file_names[TW_NFILES];

/* ss's state names, in the column order of twstat_names.h. */
/* clang-format off: X-macro lists */
enum tw_state {
	TWSTAT_STATES(TW_ENUM_STATE) TW_NSTATES,
	TW_UNKNOWN = TW_NSTATES,
};

/* clang-format on */

extern const char *const tw_state_names[TW_NSTATES];
int tw_state_lookup(const char *name); /* enum tw_state, or -1 */

/* The columns of ports, timers and remotes, in file order. */
enum tw_pcol { TWSTAT_PORTS_COLS(TW_ENUM_PCOL, TW_ENUM_PCOL) TW_NPCOLS };
enum tw_tcol { TWSTAT_TIMERS_COLS(TW_ENUM_TCOL) TW_NTCOLS };
enum tw_rcol_all { TWSTAT_REMOTES_COLS(TW_ENUM_RCOL) TW_NRCOLS };
enum tw_ncol { TWSTAT_NETNS_COLS(TW_ENUM_NCOL, TW_ENUM_NCOL) TW_NNCOLS };
enum tw_ocol { TWSTAT_OWNERS_COLS(TW_ENUM_OCOL, TW_ENUM_OCOL) TW_NOCOLS };
enum tw_fcol { TWSTAT_FAILURES_COLS(TW_ENUM_FCOL) TW_NFCOLS };
/* remotes columns from here on are optional (older modules lack them) */
#define TW_RC_NREQUIRED TW_RC_NOPORT
extern const char *const tw_pcol_names[TW_NPCOLS];
extern const char *const tw_tcol_names[TW_NTCOLS];
extern const char *const tw_rcol_all_names[TW_NRCOLS];
extern const char *const tw_ncol_names[TW_NNCOLS];
extern const char *const tw_ocol_names[TW_NOCOLS];
extern const char *const tw_fcol_names[TW_NFCOLS];

#define TW_NPORTS 65536 /* local ports 0..65535 */
#define TW_TIMER_ROWS 61 /* seconds 0..60; then the "61+" overflow row */
/* A remainder is not bounded by TCP_TIMEWAIT_LEN (docs/interface.md). */
#define TW_TIMER_MAX_MS (UINT32_MAX - 1)
#define TW_NO_TIMER UINT32_MAX /* no minisocket: the "-" of the files */
#define TW_ROW_COUNT_MAX UINT32_MAX /* per-row counts are u32 in the module */
#define TW_COUNT_MAX ((1ULL << 53) - 1) /* exact in JSON */
/* rows of failures, all namespaces (the module's TWSTAT_FAILURES_MAX) */
#define TW_FAILURES_MAX 1024

/* Summary keys, in file order (twstat_names.h). */
/* clang-format off */
enum tw_key {
	TWSTAT_SUMMARY_KEYS(TW_ENUM_KEY, TW_ENUM_KEY)
	TWK_COUNT,
	TWK_STATE0 = TWK_ESTAB, /* TW_NSTATES keys, one per state */
};
/* clang-format on */

_Static_assert(TWK_CLOSING == TWK_STATE0 + TW_NSTATES - 1,
	       "the state keys are the states, in order");

#define TWK_F_MODULE 1U /* only the module can know it (null under diag) */
#define TWK_F_OPTIONAL 2U /* may be absent from a version 1 summary */

#define TWK_STATE(i) ((enum tw_key)(TWK_STATE0 + (int)(i)))

/* What the tool knows of a key beyond its name. */
struct tw_key_info {
	uint64_t max; /* larger values are rejected as absurd */
	unsigned int flags; /* TWK_F_* */
};

extern const char *const tw_key_names[TWK_COUNT];
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

/* The per-state columns of remotes (estab time-wait fin-wait-2 other). */
enum tw_rcol { TWSTAT_REMOTE_STATES(TW_ENUM_RSTATE) TW_R_NCOLS };

extern const char *const tw_rcol_names[TW_R_NCOLS];
enum tw_rcol tw_rcol_of(int state);

/* A destination: what a remotes row is about, and what a socket goes to. */
struct tw_rkey {
	uint8_t laddr[16]; /* AF_INET: bytes 12..15, as the module sorts */
	uint8_t raddr[16];
	uint16_t rport;
	uint8_t family; /* AF_INET, AF_INET6; 0: the folded "* * *" row */
};

/* An owner: a cgroup v2 id, or unknown (the "-" of the files). */
struct tw_owner_id {
	uint64_t id; /* valid if known */
	bool known;
};

struct tw_remote {
	struct tw_rkey key;
	uint64_t count[TW_R_NCOLS];
	uint64_t used;
	uint64_t range;
	uint32_t pct_tenths; /* valid if has_pct */
	bool has_pct;
	uint32_t tw_min_ms;
	uint32_t tw_max_ms;
	/* columns an older module (or the diag source) may not give */
	struct tw_val noport; /* unset also in the folded row */
	struct tw_val tw_recent, tw_expiring;
	struct tw_owner_id owner; /* tw_snap.remotes_owner says if given */
};

/* What a remotes row forecasts (docs/interface.md, "Forecast"). */
struct tw_forecast {
	bool known; /* tw_recent and tw_expiring given, not the folded row */
	uint64_t rate_tenths; /* minisockets per second, in tenths */
	uint64_t free; /* range - used, 0 if used >= range */
	uint64_t settle;
	uint64_t settle_pct_tenths; /* valid if has_settle_pct */
	bool has_settle_pct;
	bool never; /* no eta: settle stays below range */
	uint64_t eta_tenths; /* seconds, in tenths, rounded down */
};

void tw_forecast_of(const struct tw_remote *r, struct tw_forecast *f);

/* A row of owners: one cgroup, or the unknown owner. */
struct tw_owner {
	struct tw_owner_id cgroup;
	uint64_t sockets;
	uint64_t count[TW_NSTATES];
	uint32_t tw_min_ms, tw_max_ms;
};

#define TW_COMM_LEN 16 /* TASK_COMM_LEN less its NUL */

/* A row of failures: a destination whose connect() found no port. */
struct tw_failure {
	struct tw_rkey key;
	uint64_t fails;
	uint64_t pid; /* 0: "-" */
	char comm[TW_COMM_LEN + 1];
	struct tw_owner_id cgroup;
	uint64_t last_ms;
};

enum tw_source {
	TW_SRC_AUTO,
	TW_SRC_MODULE,
	TW_SRC_DIAG,
};

const char *tw_source_name(enum tw_source src);

/* Tables beyond the summary (which is always read). */
#define TW_NEED(file) (1U << (file))
#define TW_NEED_PORTS TW_NEED(TW_F_PORTS)
#define TW_NEED_TIMERS TW_NEED(TW_F_TIMERS)
#define TW_NEED_REMOTES TW_NEED(TW_F_REMOTES)
#define TW_NEED_NETNS TW_NEED(TW_F_NETNS)
#define TW_NEED_OWNERS TW_NEED(TW_F_OWNERS)
#define TW_NEED_FAILURES TW_NEED(TW_F_FAILURES)
#define TW_NEED_ALL (TW_NEED_PORTS | TW_NEED_TIMERS | TW_NEED_REMOTES)

#define TW_CID_LEN 64 /* hex digits of a container id */
#define TW_POD_UID_LEN 36 /* 8-4-4-4-12 */

/* Who lives in a network namespace (netns.c reads it from /proc). */
struct tw_nslabel {
	uint64_t inum; /* the namespace's inode number */
	char name[256]; /* /run/netns name, "" if none */
	int pid; /* lowest pid in it, 0 if no process */
	char comm[17];
	char container_id[TW_CID_LEN + 1]; /* "" if none */
	char pod_uid[TW_POD_UID_LEN + 1];
	char hostname[65];
};

/* Who a cgroup is (cgroup.c finds it below the cgroup2 mount). */
struct tw_cglabel {
	uint64_t id;
	char *path; /* below the mount, "/..."; NULL: no cgroup2 mount */
	bool gone; /* no directory has that id (any more) */
	char *unit; /* last component ending .service or .scope, or NULL */
	char container_id[TW_CID_LEN + 1]; /* "" if none */
	char pod_uid[TW_POD_UID_LEN + 1];
};

/* A row of the netns view: one namespace, or the folded "*" row. */
struct tw_nsrow {
	uint64_t inum; /* 0: the folded row */
	uint64_t sockets;
	uint64_t count[TW_NSTATES];
	uint64_t tw_v4, tw_v6;
	uint32_t tw_min_ms, tw_max_ms;
	/* unset in the folded row */
	struct tw_val port_lo, port_hi, port_range_size, max_tw_buckets;
	struct tw_val remotes;
	struct tw_remote top; /* key.family 0: no destination */
	const struct tw_nslabel *label; /* NULL: nobody known in it */
};

struct tw_snap {
	enum tw_source source; /* MODULE or DIAG once loaded */
	unsigned int have; /* TW_NEED_* loaded */
	struct tw_summary sum;
	struct tw_port *ports; /* sorted by port */
	size_t nports;
	uint64_t timers[TW_TIMER_ROWS];
	uint64_t timers_over; /* the overflow row: 61 s or more left */
	struct tw_remote *remotes; /* in the module's order */
	size_t nremotes;
	struct tw_nsrow *nsrows; /* the module's order */
	size_t nnsrows;
	struct tw_nslabel *labels; /* sorted by inum */
	size_t nlabels;
	unsigned int
		rcols; /* TW_NEED(TW_RC_*) of the optional remotes columns given */
	struct tw_owner *owners; /* the module's order */
	size_t nowners;
	struct tw_failure *failures; /* the module's order */
	size_t nfailures;
	struct tw_cglabel *cglabels; /* sorted by id */
	size_t ncglabels;
};

/* The optional remotes column @col was given. */
static inline bool tw_snap_has_rcol(const struct tw_snap *snap, int col)
{
	return snap->rcols & (1U << col);
}

void tw_snap_free(struct tw_snap *snap);

/* The timers row of @ms left: 0..60, or TW_TIMER_ROWS for the overflow. */
unsigned int tw_timer_row(uint32_t ms);
/*
 * A v4-mapped IPv6 destination as the AF_INET one it shares its ports
 * with, as the module keys remotes.
 */
void tw_rkey_unmap(struct tw_rkey *k);
/* Widen [*min, *max] by @ms (TW_NO_TIMER: no change). */
void tw_span_add(uint32_t *min, uint32_t *max, uint32_t ms);
/* @part / @whole in tenths of a percent, rounded half up, as the module. */
uint64_t tw_pct_tenths(uint64_t part, uint64_t whole); /* @whole > 0 */
/* The module's remotes order: used descending, then family, addresses, rport. */
int tw_remote_cmp(const struct tw_remote *a, const struct tw_remote *b);
/* Family, then addresses, then rport: the order of equal used counts. */
int tw_rkey_cmp(const struct tw_rkey *a, const struct tw_rkey *b);
/* The module's netns order: time-wait, sockets descending, inum ascending. */
int tw_nsrow_cmp(const struct tw_nsrow *a, const struct tw_nsrow *b);
/* The module's owners order: time-wait, sockets descending, cgroup ("-" first). */
int tw_owner_cmp(const struct tw_owner *a, const struct tw_owner *b);
/* The module's failures order: fails descending, then destination. */
int tw_failure_cmp(const struct tw_failure *a, const struct tw_failure *b);
/* The label of cgroup @id, or NULL. */
const struct tw_cglabel *tw_cglabel_find(const struct tw_snap *snap,
					 uint64_t id);
/* The netns row of a one-namespace snapshot (summary, ports, remotes). */
void tw_nsrow_of_snap(const struct tw_snap *snap, uint64_t inum,
		      struct tw_nsrow *row);

#endif /* TW_MODEL_H */
