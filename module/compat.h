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
 * 6.1 is the oldest kernel we test. It is also the first with a per-netns
 * ehash pointer (net->ipv4.tcp_death_row.hashinfo) and a per-netns
 * TIME_WAIT counter (tcp_death_row.tw_refcount), both of which we rely on.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "twstat needs Linux 6.1 or newer"
#endif

/*
 * Newest kernel built and tested: 7.3 (Debian trixie-backports, series
 * "newest" of selftests/vm/kernels). twstat uses no timer, port-range or
 * proc API that changed between 6.1 and 7.3, and maps TCP states through
 * its own switch (walk.c), so TCP_MAX_STATES growing (TCP_BOUND_INACTIVE,
 * 6.5) does not matter; hence no helpers here for those yet.
 */

#include <linux/in6.h>
#include <net/sock.h>

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

#endif /* _TWSTAT_COMPAT_H */
