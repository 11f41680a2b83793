/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels twstat builds against lives here;
 * Kbuild force-includes this header, so .c files use the capability
 * macros and helpers below and never test LINUX_VERSION_CODE themselves.
 */
#ifndef _TWSTAT_COMPAT_H
#define _TWSTAT_COMPAT_H

#include <linux/version.h>

/*
 * 5.10 is the oldest kernel built and tested (Debian bullseye, series 5.10
 * of selftests/vm/kernels); the newest is 7.3 (trixie-backports, series
 * "newest"). Between them twstat uses no timer, port-range, proc or netns
 * API that changed, and maps TCP states through its own switch (walk.c),
 * so TCP_MAX_STATES growing (TCP_BOUND_INACTIVE, 6.5) does not matter.
 * What did change is the TIME_WAIT death row each netns has, below.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)
#error "twstat needs Linux 5.10 or newer"
#endif

#include <linux/in6.h>
#include <net/sock.h>
#include <net/inet_timewait_sock.h>

/*
 * TWSTAT_HAVE_TW_REFCOUNT: since 5.17 the death row counts its TIME_WAIT
 * sockets in refcount_t tw_refcount, which holds 1 more while the netns
 * lives; before, in atomic_t tw_count. Either is what /proc/net/sockstat
 * prints as "tw".
 */
#define TWSTAT_HAVE_TW_REFCOUNT \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(5, 17, 0))

/*
 * TWSTAT_DEATH_ROW_IS_PTR: 5.17 to 6.0 allocated the death row outside
 * netns_ipv4 and kept a pointer there; 6.1 embedded it again (as 5.10
 * had it) to give each netns its own ehash.
 */
#define TWSTAT_DEATH_ROW_IS_PTR \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(5, 17, 0) && \
	 LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0))

/*
 * The per-netns ehash (sysctl tcp_child_ehash_entries, 6.1) needs no
 * capability: every kernel has death_row->hashinfo, and before 6.1 it
 * points at the one global table in every netns, so netns.c finds no
 * private table to walk and one filtered walk of the global table serves
 * any netns.
 */
static inline struct inet_timewait_death_row *twstat_death_row(struct net *net)
{
#if TWSTAT_DEATH_ROW_IS_PTR
	return net->ipv4.tcp_death_row;
#else
	return &net->ipv4.tcp_death_row;
#endif
}

/* The ehash @net's sockets are in. */
static inline struct inet_hashinfo *twstat_ehash(struct net *net)
{
	return twstat_death_row(net)->hashinfo;
}

/* sysctl net.ipv4.tcp_max_tw_buckets of @net (per netns on every kernel) */
static inline int twstat_max_tw_buckets(struct net *net)
{
	return READ_ONCE(twstat_death_row(net)->sysctl_max_tw_buckets);
}

/* TIME_WAIT sockets of @net as the kernel counts them (sockstat "tw") */
static inline int twstat_tw_count(struct net *net)
{
#if TWSTAT_HAVE_TW_REFCOUNT
	return refcount_read(&twstat_death_row(net)->tw_refcount) - 1;
#else
	return atomic_read(&twstat_death_row(net)->tw_count);
#endif
}

/*
 * IPv6 fields of sock_common exist only with CONFIG_IPV6; without it no
 * AF_INET6 socket can be in the table, so the helper is never reached.
 */
#if IS_ENABLED(CONFIG_IPV6)
static inline void twstat_sk_v6_addrs(const struct sock *sk,
				      struct in6_addr *laddr,
				      struct in6_addr *raddr)
{
	*laddr = sk->sk_v6_rcv_saddr;
	*raddr = sk->sk_v6_daddr;
}
#else
static inline void twstat_sk_v6_addrs(const struct sock *sk,
				      struct in6_addr *laddr,
				      struct in6_addr *raddr)
{
	memset(laddr, 0, sizeof(*laddr));
	memset(raddr, 0, sizeof(*raddr));
}
#endif

/*
 * TWSTAT_PDE_DATA_IS_LOWERCASE: 5.17 renamed PDE_DATA() to pde_data();
 * older kernels get the new name, so proc.c is written once, against it.
 */
#define TWSTAT_PDE_DATA_IS_LOWERCASE \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(5, 17, 0))
#if !TWSTAT_PDE_DATA_IS_LOWERCASE
#include <linux/proc_fs.h>
#define pde_data(inode) PDE_DATA(inode)
#endif

/*
 * TWSTAT_HAVE_SYSTEM_DFL_WQ: 6.17 added system_dfl_wq, the unbound system
 * workqueue, and marked system_wq and system_unbound_wq for removal
 * (Debian's 6.12.118 has the new names too, backported; version tests
 * are safe because every kernel from 6.17 on has them). The cache's
 * expiry work needs no CPU of its own: it goes to the unbound one.
 */
#define TWSTAT_HAVE_SYSTEM_DFL_WQ \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0))
#include <linux/workqueue.h>
static inline struct workqueue_struct *twstat_wq(void)
{
#if TWSTAT_HAVE_SYSTEM_DFL_WQ
	return system_dfl_wq;
#else
	return system_unbound_wq;
#endif
}

/*
 * ip_local_reserved_ports of @net, a bitmap of 65536 bits, or NULL where
 * there is none (a kernel without CONFIG_SYSCTL has no such sysctl).
 */
static inline const unsigned long *twstat_reserved_ports(const struct net *net)
{
#if IS_ENABLED(CONFIG_SYSCTL)
	return net->ipv4.sysctl_local_reserved_ports;
#else
	return NULL;
#endif
}

/*
 * The owner of a full socket: the cgroup v2 id of its cgroup, as
 * inet_diag reports it (INET_DIAG_CGROUP_ID), 1 (the root) on a kernel
 * without socket cgroup data. The socket holds a reference on its cgroup,
 * so this is safe wherever the socket is.
 */
#if IS_ENABLED(CONFIG_SOCK_CGROUP_DATA)
#include <linux/cgroup.h>
static inline u64 twstat_sk_cgroup_id(const struct sock *sk)
{
	/* sock_cgroup_ptr() only reads, but takes no const */
	return cgroup_id(sock_cgroup_ptr((struct sock_cgroup_data *)
					 &sk->sk_cgrp_data));
}
#else
static inline u64 twstat_sk_cgroup_id(const struct sock *sk)
{
	return 1;
}
#endif

#endif /* _TWSTAT_COMPAT_H */
