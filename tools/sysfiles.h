/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own files the tool reads besides /proc/net/twstat: the
 * sysctls the diag source needs (tcp_max_tw_buckets, ip_local_port_range,
 * ip_local_reserved_ports), /proc/net/sockstat's TCP "tw", and the TcpExt
 * counters of /proc/net/netstat that --watch turns into rates. Paths are
 * relative to the proc root ("/proc", or --proc-root).
 */
#ifndef TW_SYSFILES_H
#define TW_SYSFILES_H

#include <stdbool.h>
#include <stdint.h>

#include "lines.h"

/*
 * TcpExt counters of TIME_WAIT. The kernel counts a minisocket in TW (or,
 * with a timer of 4 s or less, TWKilled) as it arms the timer from Linux
 * 5.18 on, and as the timer fires before that (commit "tcp/dccp: no longer
 * use twsk_net(tw) from tw_timer_handler()"): tw_sys_counts_on_arm().
 */
enum tw_nstat {
	TW_NS_TW, /* minisockets armed (5.18+) or expired (older) */
	TW_NS_TW_RECYCLED, /* TIME_WAIT sockets reused by connect() */
	TW_NS_TW_KILLED, /* the same as TW, with a timer of 4 s or less */
	TW_NS_TW_OVERFLOW, /* TIME_WAIT not created: max_tw_buckets */
	TW_NS_COUNT,
};

extern const char *const tw_nstat_names[TW_NS_COUNT];

struct tw_netstat {
	uint64_t v[TW_NS_COUNT];
};

/* Parsers (on an open file; exposed for the fuzzer). */
int tw_sys_parse_u64(struct tw_lines *lr, uint64_t max, uint64_t *out,
		     struct tw_err *err);
int tw_sys_parse_port_range(struct tw_lines *lr, uint32_t *lo, uint32_t *hi,
			    struct tw_err *err);
int tw_sys_parse_reserved(struct tw_lines *lr, uint32_t lo, uint32_t hi,
			  uint32_t *usable, struct tw_err *err);
int tw_sys_parse_sockstat(struct tw_lines *lr, uint64_t *tw,
			  struct tw_err *err);
int tw_sys_parse_netstat(struct tw_lines *lr, struct tw_netstat *ns,
			 struct tw_err *err);

/* Readers: ROOT/sys/net/ipv4/..., ROOT/net/sockstat, ROOT/net/netstat. */
int tw_sys_max_tw_buckets(const char *root, uint64_t *out, struct tw_err *err);
int tw_sys_port_range(const char *root, uint32_t *lo, uint32_t *hi,
		      uint32_t *usable, struct tw_err *err);
int tw_sys_sockstat_tw(const char *root, uint64_t *tw, struct tw_err *err);
int tw_sys_netstat(const char *root, struct tw_netstat *ns, struct tw_err *err);
bool tw_sys_counts_on_arm(const char *root);

/* ROOT + "/" + REL into @buf; -1 (error set) if it does not fit. */
int tw_sys_path(char *buf, size_t len, const char *root, const char *rel,
		struct tw_err *err);

#endif /* TW_SYSFILES_H */
