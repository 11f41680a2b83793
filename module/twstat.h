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
#include <linux/mutex.h>
#include <linux/siphash.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "twstat_names.h"

#define TWSTAT_ENUM(id, name)	TWSTAT_##id,

/* ss's states, in the column order of twstat_names.h. */
enum twstat_state {
	TWSTAT_STATES(TWSTAT_ENUM)
	TWSTAT_NSTATES,
	TWSTAT_UNKNOWN = TWSTAT_NSTATES,
};

/* Remainder of a socket that is not a TIME_WAIT minisock. */
#define TWSTAT_NO_TIMER		U32_MAX
/* timers rows: 0..60 s, 60 s being TCP_TIMEWAIT_LEN. */
#define TWSTAT_TIMER_SECS	61

/* One socket, as copied out of its bucket under the bucket lock. */
struct twstat_rec {
	struct in6_addr laddr;		/* AF_INET: s6_addr32[3] only */
	struct in6_addr raddr;
	u32 tw_ms;			/* TWSTAT_NO_TIMER unless a minisock */
	u16 lport;
	__be16 rport;
	u8 family;
	u8 state;			/* enum twstat_state */
};

/* walk.c */
struct twstat_walk_stats {
	u64 walk_ns;
	u64 lock_max_ns;
	u32 buckets;
	u32 buckets_used;
};

typedef int (*twstat_sink_t)(void *ctx, const struct twstat_rec *recs,
			     unsigned int n);

int twstat_walk(struct net *net, twstat_sink_t sink, void *ctx,
		struct twstat_walk_stats *stats);

/* snapshot.c */
struct twstat_port {
	u32 count[TWSTAT_NSTATES];
	u32 tw_min_ms;			/* TWSTAT_NO_TIMER when no minisock */
	u32 tw_max_ms;
	u16 port;
};

#define TWSTAT_R_ENUM(id, name)	TWSTAT_R_##id,

/* The per-state columns of remotes. */
enum twstat_remote_col {
	TWSTAT_REMOTE_STATES(TWSTAT_R_ENUM)
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

struct twstat_snapshot {
	struct kref ref;
	u64 taken_ns;			/* ktime_get_mono_fast_ns() at walk end */
	u64 walk_no;			/* which walk of this netns made it */
	struct twstat_walk_stats stats;

	u64 state[TWSTAT_NSTATES];
	u64 unknown_state;
	u64 sockets;
	u64 tw_v4;
	u64 tw_v6;
	u64 timers[TWSTAT_TIMER_SECS];
	int max_tw_buckets;
	int sockstat_tw;
	int port_lo;
	int port_hi;
	u32 port_range_size;

	struct twstat_port *ports;	/* sorted by port */
	u32 nports;

	struct twstat_remote *remotes;	/* sorted by used, descending */
	u32 nremotes;
	bool remotes_all;		/* remotes_scope=all when taken */
	u32 max_remotes;		/* max_remotes when taken */
	struct twstat_remote other;	/* folded destinations */
	u64 remotes_folded;		/* distinct destinations in other */
	bool remotes_folded_estimated;
	u64 remotes_sockets;

	size_t bytes;			/* memory held, for the summary */
};

struct twstat_snapshot *twstat_snapshot_take(struct net *net, u64 walk_no);
void twstat_snapshot_put(struct twstat_snapshot *snap);
u32 twstat_remote_used(const struct twstat_remote *r);

/* Per-netns state (net_generic), set up by main.c's pernet_operations. */
struct twstat_net {
	struct mutex lock;		/* serialises walks, guards the rest */
	struct twstat_snapshot *cached;	/* newest snapshot, or NULL */
	u64 walks;			/* walks done in this netns */
	struct delayed_work expire;	/* drops a stale cached snapshot */
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
struct twstat_snapshot *twstat_cache_get(struct net *net);

/* params.c */
u32 twstat_param_max_remotes(void);
u32 twstat_param_cache_ms(void);
bool twstat_param_remotes_all(void);

/* proc.c */
int twstat_proc_init(struct net *net);
void twstat_proc_exit(struct net *net);

#endif /* _TWSTAT_H */
