/* SPDX-License-Identifier: GPL-2.0 */
/*
 * twstat: per-port TCP state counts and TIME_WAIT timers from the ehash.
 *
 * Data flow: an open() of a /proc/net/twstat file asks the per-netns cache
 * (cache.c) for a snapshot; a stale cache makes snapshot.c run one walk
 * (walk.c) whose copied-out sockets it aggregates; proc.c renders rows from
 * the snapshot until the file is closed. See docs/interface.md.
 */
#ifndef _TWSTAT_H
#define _TWSTAT_H

#include <linux/in6.h>
#include <linux/kref.h>
#include <linux/sched.h>
#include <linux/mutex.h>
#include <linux/siphash.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "twstat_names.h"

/* ss's states, in the column order of twstat_names.h. */
enum twstat_state {
	TWSTAT_STATES(TWSTAT_ID_STATE)
	TWSTAT_NSTATES,
	TWSTAT_UNKNOWN = TWSTAT_NSTATES,
};

/* Remainder of a socket that is not a TIME_WAIT minisock. */
#define TWSTAT_NO_TIMER		U32_MAX
/*
 * timers rows: 0..60 s, 60 s being TCP_TIMEWAIT_LEN; longer remainders
 * (a FIN_WAIT2 minisock's, see walk.c) go to one overflow row.
 */
#define TWSTAT_TIMER_SECS	61

/* An owner nobody recorded: shown as TWSTAT_NO_VALUE (no cgroup is 0). */
#define TWSTAT_OWNER_UNKNOWN	0

/* One socket, as copied out of its bucket under the bucket lock. */
struct twstat_rec {
	const struct net *net;		/* its netns, as a key only */
	u64 owner;			/* cgroup id, or TWSTAT_OWNER_UNKNOWN */
	struct in6_addr laddr;		/* AF_INET: s6_addr32[3] only */
	struct in6_addr raddr;
	u32 tw_ms;			/* TWSTAT_NO_TIMER unless a minisock */
	u16 lport;
	__be16 rport;
	u8 family;
	u8 state;			/* enum twstat_state */
};

/* walk.c: lock holds by duration, as the summary's lock_hold_* keys. */
enum twstat_lock_hist {
	TWSTAT_LOCK_HIST_KEYS(TWSTAT_ID_HIST)
	TWSTAT_LOCK_HIST,
};

struct twstat_walk_stats {
	u64 walk_ns;
	u64 lock_max_ns;
	u64 lock_hist[TWSTAT_LOCK_HIST];
	u32 buckets;
	u32 buckets_used;
};

/* The sink may fill in what the walk left (a minisocket's owner). */
typedef int (*twstat_sink_t)(void *ctx, struct twstat_rec *recs,
			     unsigned int n);

struct inet_hashinfo;
void twstat_rec_tuple(struct twstat_rec *r, const struct sock *sk);
int twstat_walk(struct inet_hashinfo *hinfo, const struct net *net,
		twstat_sink_t sink, void *ctx, struct twstat_walk_stats *stats);

/* snapshot.c: sockets by state, and TIME_WAIT minisocks by family. */
struct twstat_tally {
	u64 sockets;			/* unknown states included */
	u64 state[TWSTAT_NSTATES];
	u64 unknown;
	u64 tw_v4;
	u64 tw_v6;
};

void twstat_tally_add(struct twstat_tally *t, const struct twstat_rec *r);

struct twstat_port {
	u32 count[TWSTAT_NSTATES];
	u32 tw_min_ms;			/* TWSTAT_NO_TIMER when no minisock */
	u32 tw_max_ms;
	u16 port;
};

/* The per-state columns of remotes. */
enum twstat_remote_col {
	TWSTAT_REMOTE_STATES(TWSTAT_ID_RCOL)
	TWSTAT_R_NCOLS,
};

/* A destination; hashed and compared as bytes, so padding is zeroed. */
struct twstat_rkey {
	struct in6_addr laddr;		/* AF_INET: s6_addr32[3] only */
	struct in6_addr raddr;
	__be16 rport;
	u8 family;
	u8 pad;
};

struct twstat_remote {
	struct twstat_rkey key;
	u32 count[TWSTAT_R_NCOLS];
	u32 tw_min_ms;			/* TWSTAT_NO_TIMER when no minisock */
	u32 tw_max_ms;
	u32 tw_recent;			/* time-wait, created in the window */
	u32 tw_expiring;		/* time-wait, freed within the window */
	u32 noport;			/* failed connects (failures.c) */
	u32 votes;			/* for owner, Boyer-Moore majority vote */
	u64 owner;			/* the vote's winner */
};

/*
 * distinct.c: how many different destinations were folded, in bounded
 * memory: exact up to TWSTAT_DISTINCT_EXACT, a HyperLogLog estimate above.
 */
#define TWSTAT_DISTINCT_EXACT	4096
#define TWSTAT_HLL_BITS		10

struct twstat_distinct {
	siphash_key_t key;
	u64 *set;			/* open addressing, 0 = free slot */
	u32 nset;
	bool estimated;			/* set overflowed: use registers */
	u8 regs[1 << TWSTAT_HLL_BITS];
};

void twstat_distinct_init(struct twstat_distinct *d);
int twstat_distinct_add(struct twstat_distinct *d, const void *key,
			size_t len);
u64 twstat_distinct_count(const struct twstat_distinct *d);
void twstat_distinct_free(struct twstat_distinct *d);

/*
 * remotes.c: a destination table, @max rows at most; past that,
 * destinations fold into @other and are counted as distinct.
 */
struct twstat_rtable {
	struct twstat_remote *rows;
	u32 nrows;
	u32 cap;
	u32 max;
	struct twstat_remote other;	/* folded destinations */
	u64 nfolded;			/* distinct destinations in other */
	bool folded_estimated;
	u64 sockets;			/* sockets counted in rows and other */
	/* while built: */
	u32 *idx;			/* open addressing: row + 1; 0: free */
	u32 mask;			/* slots - 1, slots a power of two */
	u32 seed;
	struct twstat_distinct *folded;	/* allocated on the first fold */
};

void twstat_rkey_of(struct twstat_rkey *k, const struct twstat_rec *r);
void twstat_remote_init(struct twstat_remote *row,
			const struct twstat_rkey *k);
u32 twstat_remote_used(const struct twstat_remote *r);
void twstat_rtable_init(struct twstat_rtable *t, u32 max);
int twstat_rtable_count(struct twstat_rtable *t, const struct twstat_rec *r);
void twstat_rtable_finish(struct twstat_rtable *t);
void twstat_rtable_sort(struct twstat_rtable *t);
const struct twstat_remote *twstat_rtable_top(const struct twstat_rtable *t);
size_t twstat_rtable_bytes(const struct twstat_rtable *t);
void twstat_rtable_free(struct twstat_rtable *t);

/* records.c: owners of minisockets, recorded at handover (probe.c). */
int twstat_records_init(u32 max);
void twstat_records_exit(void);
u64 twstat_rec_key(const struct twstat_rec *r);
void twstat_records_note(u64 key, u64 owner, unsigned long ttl);
u64 twstat_records_owner(u64 key, u32 tw_ms);
u32 twstat_records_size(void);
u32 twstat_record_bytes(void);
u64 twstat_records_lost(void);

/* failures.c: connects that found no local port, all netns, bounded. */
#define TWSTAT_FAILURES_MAX	1024

struct twstat_failure {
	struct twstat_rkey key;		/* the destination, as remotes' */
	u64 fails;
	u64 owner;			/* of the last failing socket */
	u32 tgid;			/* last caller, initial pid ns */
	u32 last_ms;			/* set when copied to a snapshot */
	char comm[TASK_COMM_LEN];	/* last caller's */
};

void twstat_failures_note(const struct net *net, const struct twstat_rkey *k,
			  u64 owner);
int twstat_failures_copy(const struct net *net, struct twstat_failure **rows,
			 u32 *nrows);
void twstat_failures_forget(const struct net *net);
u64 twstat_failures_evicted(void);
void twstat_rtable_noport(struct twstat_rtable *t,
			  const struct twstat_failure *f, u32 n);

/* probe.c: the sock:inet_sock_set_state probe. */
int twstat_probe_init(void);
void twstat_probe_exit(void);
int twstat_probe_sync(void);
bool twstat_probe_active(void);

/* owners.c: a netns's sockets by owner. */
struct twstat_owner {
	u64 owner;			/* cgroup id, or TWSTAT_OWNER_UNKNOWN */
	u64 sockets;			/* unknown states included */
	u32 count[TWSTAT_NSTATES];
	u32 tw_min_ms;			/* TWSTAT_NO_TIMER when no minisock */
	u32 tw_max_ms;
};

struct twstat_otable {
	struct twstat_owner *rows;	/* sorted as the owners file, once done */
	u32 nrows;
	u32 cap;
	u64 tw_unknown;			/* minisockets of TWSTAT_OWNER_UNKNOWN */
	/* while built: */
	u32 *idx;			/* open addressing: row + 1; 0: free */
	u32 mask;
};

void twstat_otable_init(struct twstat_otable *t);
int twstat_otable_count(struct twstat_otable *t, const struct twstat_rec *r);
void twstat_otable_finish(struct twstat_otable *t);
size_t twstat_otable_bytes(const struct twstat_otable *t);
void twstat_otable_free(struct twstat_otable *t);

/* params.c: the parameters a snapshot depends on, read once per walk. */
struct twstat_params {
	u32 max_remotes;
	u32 max_netns;
	bool remotes_all;
};

void twstat_params_read(struct twstat_params *p);
u32 twstat_param_cache_ms(void);
bool twstat_param_track(void);
u32 twstat_param_track_max(void);

/* What each kind of snapshot starts with (snap.c); cache.c shares it. */
struct twstat_snap_head {
	struct kref ref;
	u64 taken_ns;			/* ktime_get_ns() at walk end */
	u64 walk_no;			/* which walk of this kind made it */
	struct twstat_params params;	/* as read for that walk */
	atomic_t *live;			/* its kind's count, once cached */
	void (*free)(struct twstat_snap_head *head);
};

void twstat_snap_init(struct twstat_snap_head *head, u64 walk_no,
		      void (*free)(struct twstat_snap_head *head));
void twstat_snap_put(struct twstat_snap_head *head);

/* snapshot.c: one netns, from the table it uses. */
struct twstat_snapshot {
	struct twstat_snap_head head;
	struct twstat_walk_stats stats;

	struct twstat_tally tally;
	u64 timers[TWSTAT_TIMER_SECS];
	u64 timers_over;		/* remainders of TWSTAT_TIMER_SECS s+ */
	int max_tw_buckets;
	int sockstat_tw;
	int port_lo;
	int port_hi;
	u32 port_range_size;

	struct twstat_port *ports;	/* sorted by port */
	u32 nports;

	struct twstat_rtable rt;	/* sorted as the remotes file */
	bool remotes_all;		/* remotes_scope=all when taken */

	struct twstat_otable ot;	/* sorted as the owners file */
	struct twstat_failure *fails;	/* sorted as the failures file */
	u32 nfails;
	u64 connect_noport;
	bool track;			/* the probe was recording */

	size_t bytes;			/* memory held, for the summary */
	u64 take_ns;			/* the whole take, walk included */
};

/* The walk's index of port rows: TWSTAT_NPORTS slots, zero between walks. */
#define TWSTAT_NPORTS		65536
int twstat_grow(void **rows, u32 *cap, u32 used, size_t size, u32 limit);
int twstat_index_alloc(u32 **idx, u32 *mask, u32 cap);
void twstat_timer_span(u32 *min, u32 *max, u32 ms);
u32 twstat_port_range_size(struct net *net, int lo, int hi);
bool twstat_remotes_in_scope(const struct twstat_rec *r, bool all, int lo,
			     int hi);

/* netns.c: every netns, from one walk of each distinct table. */
struct twstat_ns_row {
	u32 inum;			/* 0: the row of folded namespaces */
	struct twstat_tally tally;
	u32 tw_min_ms;			/* TWSTAT_NO_TIMER when no minisock */
	u32 tw_max_ms;
	int port_lo;
	int port_hi;
	u32 port_range_size;
	int max_tw_buckets;
	struct twstat_remote top;	/* busiest destination, if remotes */
	u64 remotes;			/* destinations, folded ones included */
};

struct twstat_ns_snapshot {
	struct twstat_snap_head head;
	struct twstat_walk_stats stats;	/* summed over the tables walked */
	u32 tables;			/* tables walked */
	struct twstat_ns_row *rows;	/* by time-wait, sockets, desc */
	u32 nrows;
	struct twstat_ns_row other;	/* namespaces past max_netns */
	u32 nfolded;			/* how many */
	size_t bytes;
};

/*
 * Kinds of snapshot. Each is one entry of twstat_kind: its producer's
 * take(), which the cache calls (cache.c) without knowing the producer,
 * and its index in the per-netns caches. A file names its kind (proc.c).
 */
enum twstat_kind_id {
	TWSTAT_KIND_NET,		/* the reader's netns */
	TWSTAT_KIND_NETNS,		/* every netns (init_net only) */
	TWSTAT_NKINDS,
};

struct twstat_kind {
	enum twstat_kind_id id;
	bool all_netns;			/* every netns: init_net's file only */
	/*
	 * A new snapshot (one reference for the caller) or an ERR_PTR;
	 * @scratch: memory the kind keeps between walks, kvfree()d by the
	 * cache once idle. Sleeps.
	 */
	struct twstat_snap_head *(*take)(struct net *net, u64 walk_no,
					 void **scratch);
};

extern const struct twstat_kind twstat_kind_net;	/* snapshot.c */
extern const struct twstat_kind twstat_kind_netns;	/* netns.c */

/*
 * Snapshots of one kind that readers and the cache may hold at once in a
 * netns (cache.c): past it, an open shares the newest however old.
 */
#define TWSTAT_LIVE_MAX		16

/* One kind's cache in a netns; its own lock, so kinds never wait. */
struct twstat_kcache {
	struct mutex lock;		/* serialises walks, guards the rest */
	struct twstat_snap_head *cached;	/* newest, or NULL */
	u64 walks;			/* walks done */
	u64 over_limit;			/* opens given the newest past the bound */
	atomic_t live;			/* snapshots not yet freed */
	void *scratch;			/* the kind's, between its walks */
	u64 last_walk_ns;		/* ktime_get_ns() at the last walk */
};

/* Per-netns state (net_generic), set up by main.c's pernet_operations. */
struct twstat_net {
	struct twstat_kcache kc[TWSTAT_NKINDS];
	atomic64_t connect_noport;	/* the probe's count (probe.c) */
	struct delayed_work expire;	/* drops stale cached snapshots */
	struct proc_dir_entry *dir;	/* /proc/net/twstat */
};

extern unsigned int twstat_net_id;

static inline struct twstat_net *twstat_net(const struct net *net)
{
	return net_generic(net, twstat_net_id);
}

/* cache.c */
void twstat_cache_init(struct net *net);
void twstat_cache_exit(struct net *net);
struct twstat_snap_head *twstat_cache_get(struct net *net,
					  const struct twstat_kind *kind,
					  bool bounded);
void twstat_cache_counts(struct net *net, u64 *live, u64 *over_limit);

/* proc.c */
int twstat_proc_init(struct net *net);
void twstat_proc_exit(struct net *net);

#endif /* _TWSTAT_H */
