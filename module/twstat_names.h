/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vocabulary of /proc/net/twstat, spelled once: the directory and file
 * names, the TCP state names, the summary keys and every table's columns.
 * module/ prints with these lists and tools/ parses with them, so a name
 * cannot drift between the two. docs/interface.md says what each one means.
 *
 * Owns names only: X-macro lists and string literals, no includes, no
 * types and no code, so that it builds in the kernel and in userspace.
 *
 * Every list takes a macro X(ID, "name") per entry; lists that embed the
 * ten state columns take a second macro S(ID, "name") for those, so that a
 * user can tell them apart (or pass the same macro twice).
 */
#ifndef _TWSTAT_NAMES_H
#define _TWSTAT_NAMES_H

/* The first summary line is "version 1"; bumped only when incompatible. */
#define TWSTAT_IFACE_VERSION	1

#define TWSTAT_DIR_NAME		"twstat"

/* /proc/net/twstat/<name> */
#define TWSTAT_FILES(X)				\
	X(SUMMARY, "summary")			\
	X(PORTS, "ports")			\
	X(TIMERS, "timers")			\
	X(REMOTES, "remotes")			\
	X(NETNS, "netns")			\
	X(OWNERS, "owners")			\
	X(FAILURES, "failures")

/* States that are also columns of remotes, named once here. */
#define TWSTAT_NAME_ESTAB	"estab"
#define TWSTAT_NAME_FIN_WAIT2	"fin-wait-2"
#define TWSTAT_NAME_TIME_WAIT	"time-wait"

/* ss's state names, in the column order of every table that has them. */
#define TWSTAT_STATES(S)			\
	S(ESTAB, TWSTAT_NAME_ESTAB)		\
	S(SYN_SENT, "syn-sent")			\
	S(SYN_RECV, "syn-recv")			\
	S(FIN_WAIT1, "fin-wait-1")		\
	S(FIN_WAIT2, TWSTAT_NAME_FIN_WAIT2)	\
	S(TIME_WAIT, TWSTAT_NAME_TIME_WAIT)	\
	S(CLOSE, "close")			\
	S(CLOSE_WAIT, "close-wait")		\
	S(LAST_ACK, "last-ack")			\
	S(CLOSING, "closing")

/* Names that stand in more than one table. */
#define TWSTAT_NAME_TW_MIN_MS		"tw_min_ms"
#define TWSTAT_NAME_TW_MAX_MS		"tw_max_ms"
#define TWSTAT_NAME_SOCKETS		"sockets"
#define TWSTAT_NAME_TW_V4		"tw_v4"
#define TWSTAT_NAME_TW_V6		"tw_v6"
#define TWSTAT_NAME_MAX_TW_BUCKETS	"max_tw_buckets"
#define TWSTAT_NAME_PORT_RANGE_LO	"port_range_lo"
#define TWSTAT_NAME_PORT_RANGE_HI	"port_range_hi"
#define TWSTAT_NAME_PORT_RANGE_SIZE	"port_range_size"
#define TWSTAT_NAME_REMOTES		"remotes"
#define TWSTAT_NAME_OWNERS		"owners"
#define TWSTAT_NAME_FAILURES		"failures"
#define TWSTAT_NAME_LADDR		"laddr"
#define TWSTAT_NAME_RADDR		"raddr"
#define TWSTAT_NAME_RPORT		"rport"
#define TWSTAT_NAME_CGROUP		"cgroup"

/* summary: "key value" lines in this order; new keys go at the end. */
#define TWSTAT_SUMMARY_KEYS(X, S)					\
	X(VERSION, "version")						\
	X(WALK_NS, "walk_ns")						\
	X(EHASH_BUCKETS, "ehash_buckets")				\
	X(SOCKETS, TWSTAT_NAME_SOCKETS)					\
	TWSTAT_STATES(S)						\
	X(TW_SOCKETS, "tw_sockets")					\
	X(TW_V4, TWSTAT_NAME_TW_V4)					\
	X(TW_V6, TWSTAT_NAME_TW_V6)					\
	X(MAX_TW_BUCKETS, TWSTAT_NAME_MAX_TW_BUCKETS)			\
	X(SOCKSTAT_TW, "sockstat_tw")					\
	X(PORT_RANGE_LO, TWSTAT_NAME_PORT_RANGE_LO)			\
	X(PORT_RANGE_HI, TWSTAT_NAME_PORT_RANGE_HI)			\
	X(UNKNOWN_STATE, "unknown_state")				\
	X(PORT_RANGE_SIZE, TWSTAT_NAME_PORT_RANGE_SIZE)			\
	X(SNAPSHOT_AGE_MS, "snapshot_age_ms")				\
	X(WALKS, "walks")						\
	X(LOCK_MAX_NS, "lock_max_ns")					\
	X(BUCKETS_USED, "buckets_used")					\
	X(SNAPSHOT_BYTES, "snapshot_bytes")				\
	X(REMOTES, TWSTAT_NAME_REMOTES)					\
	X(REMOTES_FOLDED, "remotes_folded")				\
	X(REMOTES_SOCKETS, "remotes_sockets")				\
	X(REMOTES_FOLDED_ESTIMATED, "remotes_folded_estimated")		\
	X(MAX_REMOTES, "max_remotes")					\
	X(SNAPSHOT_NS, "snapshot_ns")					\
	TWSTAT_LOCK_HIST_KEYS(X)					\
	X(SNAPSHOTS_LIVE, "snapshots_live")				\
	X(SNAPSHOTS_OVER_LIMIT, "snapshots_over_limit")			\
	X(TIMERS_OVERFLOW, "timers_overflow")				\
	X(OWNERS, TWSTAT_NAME_OWNERS)					\
	X(TW_OWNER_UNKNOWN, "tw_owner_unknown")				\
	X(TRACK, "track")						\
	X(TRACK_RECORDS, "track_records")				\
	X(TRACK_RECORD_BYTES, "track_record_bytes")			\
	X(TRACK_LOST, "track_lost")					\
	X(CONNECT_NOPORT, "connect_noport")				\
	X(FAILURES, TWSTAT_NAME_FAILURES)				\
	X(FAILURES_EVICTED, "failures_evicted")

/*
 * Bucket-lock holds of the walk by duration, a log2 histogram: entry i
 * counts holds shorter than 2^(TWSTAT_LOCK_HIST_SHIFT + i) ns and not
 * shorter than the previous bound; the last one, all longer holds. The
 * names spell those bounds, so the shift and the names change together.
 */
#define TWSTAT_LOCK_HIST_SHIFT	9
#define TWSTAT_LOCK_HIST_KEYS(X)					\
	X(LOCK_HOLD_LT_512NS, "lock_hold_lt_512ns")			\
	X(LOCK_HOLD_LT_1024NS, "lock_hold_lt_1024ns")			\
	X(LOCK_HOLD_LT_2048NS, "lock_hold_lt_2048ns")			\
	X(LOCK_HOLD_LT_4096NS, "lock_hold_lt_4096ns")			\
	X(LOCK_HOLD_LT_8192NS, "lock_hold_lt_8192ns")			\
	X(LOCK_HOLD_LT_16384NS, "lock_hold_lt_16384ns")			\
	X(LOCK_HOLD_LT_32768NS, "lock_hold_lt_32768ns")			\
	X(LOCK_HOLD_LT_65536NS, "lock_hold_lt_65536ns")			\
	X(LOCK_HOLD_LT_131072NS, "lock_hold_lt_131072ns")		\
	X(LOCK_HOLD_GE_131072NS, "lock_hold_ge_131072ns")

/* ports: one row per local port. */
#define TWSTAT_PORTS_COLS(X, S)				\
	X(PORT, "port")					\
	TWSTAT_STATES(S)				\
	X(TW_MIN_MS, TWSTAT_NAME_TW_MIN_MS)		\
	X(TW_MAX_MS, TWSTAT_NAME_TW_MAX_MS)

/* timers: 61 rows, sec 0..60, then the overflow row if not empty. */
#define TWSTAT_TIMERS_COLS(X)			\
	X(SEC, "sec")				\
	X(COUNT, "count")

/* The sec of the timers row of remainders of 61 s and more. */
#define TWSTAT_TIMERS_OVERFLOW	"61+"

/*
 * remotes: one row per destination. Its per-state columns, in order, are
 * TWSTAT_REMOTE_STATES (named like the states) and then "other".
 */
#define TWSTAT_REMOTE_STATES(X)			\
	X(ESTAB, TWSTAT_NAME_ESTAB)		\
	X(TIME_WAIT, TWSTAT_NAME_TIME_WAIT)	\
	X(FIN_WAIT2, TWSTAT_NAME_FIN_WAIT2)	\
	X(OTHER, "other")

#define TWSTAT_REMOTES_COLS(X)				\
	X(LADDR, TWSTAT_NAME_LADDR)			\
	X(RADDR, TWSTAT_NAME_RADDR)			\
	X(RPORT, TWSTAT_NAME_RPORT)			\
	TWSTAT_REMOTE_STATES(X)				\
	X(USED, "used")					\
	X(RANGE, "range")				\
	X(PCT, "pct")					\
	X(TW_MIN_MS, TWSTAT_NAME_TW_MIN_MS)		\
	X(TW_MAX_MS, TWSTAT_NAME_TW_MAX_MS)		\
	X(NOPORT, "noport")				\
	X(TW_RECENT, "tw_recent")			\
	X(TW_EXPIRING, "tw_expiring")			\
	X(OWNER, "owner")

/*
 * tw_recent counts time-wait minisockets created within this window (a
 * time-wait timer starts at 60 s), tw_expiring those whose timer ends
 * within it; the tool's forecast divides by it (docs/interface.md).
 */
#define TWSTAT_FORECAST_WINDOW_MS	10000

/* The field that stands for every address and port of the folded row. */
#define TWSTAT_FOLDED_FIELD	"*"
/* A value that does not exist. */
#define TWSTAT_NO_VALUE		"-"

/*
 * netns: one row per network namespace with at least one socket, read
 * only in the initial namespace (see docs/interface.md).
 */
#define TWSTAT_NETNS_COLS(X, S)				\
	X(NETNS, "netns")				\
	X(SOCKETS, TWSTAT_NAME_SOCKETS)			\
	TWSTAT_STATES(S)				\
	X(TW_V4, TWSTAT_NAME_TW_V4)			\
	X(TW_V6, TWSTAT_NAME_TW_V6)			\
	X(TW_MIN_MS, TWSTAT_NAME_TW_MIN_MS)		\
	X(TW_MAX_MS, TWSTAT_NAME_TW_MAX_MS)		\
	X(PORT_RANGE_LO, TWSTAT_NAME_PORT_RANGE_LO)	\
	X(PORT_RANGE_HI, TWSTAT_NAME_PORT_RANGE_HI)	\
	X(PORT_RANGE_SIZE, TWSTAT_NAME_PORT_RANGE_SIZE)	\
	X(MAX_TW_BUCKETS, TWSTAT_NAME_MAX_TW_BUCKETS)	\
	X(TOP_LADDR, "top_laddr")			\
	X(TOP_RADDR, "top_raddr")			\
	X(TOP_RPORT, "top_rport")			\
	X(TOP_USED, "top_used")				\
	X(TOP_PCT, "top_pct")				\
	X(REMOTES, TWSTAT_NAME_REMOTES)

/*
 * owners: one row per owner (cgroup v2 id, or TWSTAT_NO_VALUE) with
 * sockets in the reader's netns.
 */
#define TWSTAT_OWNERS_COLS(X, S)			\
	X(CGROUP, TWSTAT_NAME_CGROUP)			\
	X(SOCKETS, TWSTAT_NAME_SOCKETS)			\
	TWSTAT_STATES(S)				\
	X(TW_MIN_MS, TWSTAT_NAME_TW_MIN_MS)		\
	X(TW_MAX_MS, TWSTAT_NAME_TW_MAX_MS)

/* failures: one row per destination where connect() found no port. */
#define TWSTAT_FAILURES_COLS(X)				\
	X(LADDR, TWSTAT_NAME_LADDR)			\
	X(RADDR, TWSTAT_NAME_RADDR)			\
	X(RPORT, TWSTAT_NAME_RPORT)			\
	X(FAILS, "fails")				\
	X(PID, "pid")					\
	X(COMM, "comm")					\
	X(CGROUP, TWSTAT_NAME_CGROUP)			\
	X(LAST_MS, "last_ms")

/*
 * Helpers for users of the lists (here, so that the checks a kernel
 * linter makes of function-like macros have one place to be waived).
 */

/* " name" per entry: a header line is the concatenation, less its space. */
#define TWSTAT_SP_NAME(id, name)	" " name
/* "name", per entry: initialises an array of names. */
#define TWSTAT_NAME_OF(id, name)	name,
/* The module's enumerators of each list. */
#define TWSTAT_ID_STATE(id, name)	TWSTAT_##id,
#define TWSTAT_ID_RCOL(id, name)	TWSTAT_R_##id,
#define TWSTAT_ID_KEY(id, name)		TWSTAT_K_##id,
#define TWSTAT_ID_FILE(id, name)	TWSTAT_F_##id,
#define TWSTAT_ID_HIST(id, name)	TWSTAT_H_##id,

#endif /* _TWSTAT_NAMES_H */
