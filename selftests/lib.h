/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the twstat selftests: module load/unload, fresh network
 * namespaces, TCP load in known states, and readers for the two sides of
 * every comparison: the files of /proc/net/twstat and the oracles (ss, sockstat,
 * /proc/net/tcp{,6}).
 */
#ifndef TWSTAT_SELFTEST_LIB_H
#define TWSTAT_SELFTEST_LIB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/types.h>

#define NSTATES 10
extern const char *const state_names[NSTATES];
int state_index(const char *name); /* -1 if not one of state_names */

/* module */
const char *module_path(void);
int module_load(const char *params); /* 0 or -errno */
int module_unload(void); /* 0 or -errno */
int module_ensure_loaded(void);

/* /sys/module/twstat/parameters/NAME: 0 or -errno; get into buf */
int param_set(const char *name, const char *val);
int param_get(const char *name, char *buf, size_t len);
/* write a /proc/sys file (e.g. "net/ipv4/tcp_tw_reuse"): 0 or -errno */
int sysctl_set(const char *path, const char *val);
/* 1 if the kernel log holds a line containing @needle, 0 if not */
int klog_contains(const char *needle);

/* namespaces and sockets */
int netns_new(void); /* unshare(CLONE_NEWNET) + lo up; 0 or -errno */
int tcp_listen(int family, int port, int backlog);
int tcp_connect(int family, int port, bool nonblock);
int tcp_accept(int lfd);
int sock_local_port(int fd);
/* close @first, wait for its FIN to reach @second, close @second: 0/-1 */
int close_in_order(int first, int second);
void msleep(unsigned int ms);
uint64_t now_ms(void);

/*
 * A child process, e.g. in a netns of its own: ns_child_start() forks, runs
 * @setup(@arg) in the child (0: success) and returns 0 once it is done; the
 * child then waits until ns_child_finish(), which returns its exit status:
 * @check(@arg) if given, else 0 (10: setup failed). -1 on any failure.
 */
struct ns_child {
	pid_t pid;
	int go_fd;
};
int ns_child_start(struct ns_child *c, int (*setup)(void *),
		   int (*check)(void *), void *arg);
int ns_child_finish(struct ns_child *c);

/* A whitespace table file: a header (if any) and rows of fields. */
#define TABLE_MAX_COLS 32
struct table {
	int ncols;
	char *cols[TABLE_MAX_COLS];
	int nrows;
	char ***rows; /* rows[r][c] */
	char *buf;
};
int table_read(struct table *t, const char *path, bool header);
int table_col(const struct table *t, const char *name); /* -1 if none */
const char *table_cell(const struct table *t, int row, const char *col);
/* A remainder column (tw_min_ms, tw_max_ms): -1 for "-" or no such cell */
long table_ms(const struct table *t, int row, const char *col);
void table_free(struct table *t);

/* summary: value of @key, or -1 if absent */
int64_t summary_get(const struct table *summary, const char *key);
int read_summary(struct table *t);
/* @key of a new open of this netns's summary, or -1 */
int64_t summary_now(const char *key);

/* What ss -tanoH says about one socket. */
struct ss_sock {
	int state; /* index into state_names, -1 for LISTEN */
	int family;
	char laddr[64];
	char raddr[64];
	int lport;
	int rport;
	int tw_ms; /* -1 unless a timewait timer is shown */
};
struct ss_dump {
	int n;
	struct ss_sock *s;
};
int ss_dump(struct ss_dump *d);
void ss_free(struct ss_dump *d);
/* "59sec", "7.012ms", "" (0 ms) etc., -1 if invalid */
int ss_parse_timer_ms(const char *s);

/*
 * The timers histogram: minisockets per whole second left, 0..60, then
 * (bin TIMER_OVER) those with 61 s or more. From the file (whose "61+" row
 * is there only when not empty), or from ss -o's timers binned as the
 * module bins (floor(ms / 1000); exact although ss prints whole seconds
 * above 9 s, because it truncates). 0 or -1.
 */
#define TIMER_OVER 61
#define TIMER_ROWS 62
int timers_read(long *bins);
int ss_timer_bins(long *bins);

/*
 * The minisockets of this netns as inet_diag gives them to ss, with their
 * remainders in milliseconds (ss prints them rounded to seconds above 9 s):
 * NETLINK_SOCK_DIAG, both families. A malloc()ed array in *@out; their
 * number, or -1.
 */
struct diag_tw {
	int family;
	int lport;
	int rport;
	long ms; /* -1: not a minisocket */
	int state; /* index into state_names */
	uint64_t cgroup; /* INET_DIAG_CGROUP_ID: full sockets only, else 0 */
};
int diag_tw_dump(struct diag_tw **out);
/* every socket but listeners (@all), or the minisockets only */
int diag_sock_dump(struct diag_tw **out, bool all);

/*
 * The remainders of a set of minisockets, from one inet_diag dump: how
 * many, the least and the most (ms; -1 if there is none).
 */
struct tw_span {
	long n, min, max;
};
/*
 * This netns's: of all its minisockets (@all), by local port (@lports)
 * and by remote port (@rports, each of 65536); any may be NULL.
 */
int diag_tw_spans(struct tw_span *all, struct tw_span *lports,
		  struct tw_span *rports);
/*
 * Whether a file's @min and @max (-1: none), from a walk between the dumps
 * @before and @after, are right. Both it and inet_diag count down from the
 * same jiffies, so the bracket is exact, with no slack for how late the
 * reads came (jiffies can lag the clock a test reads by tens of ms, where
 * the timekeeping vCPU waits for the host). The most holds however many
 * minisockets expired in between; the least only if none did.
 */
bool tw_span_between(long min, long max, const struct tw_span *before,
		     const struct tw_span *after);

/*
 * cgroup v2 (mounted at CG_ROOT if it is not): a new cgroup @name, its
 * path in @dir, its id (the directory's inode, what sock_diag and the
 * owners file report) or 0; move the calling process into one: 0 or -1.
 */
#define CG_ROOT "/sys/fs/cgroup"

/*
 * Run the tool ($TWSTAT_TOOL, else twstat on PATH) through sh with @args;
 * the first @len - 1 bytes of its stdout in @out. 0 if it exited 0.
 */
int tool_sh(const char *args, char *out, size_t len);
uint64_t cgroup_new(const char *name, char *dir, size_t len);
int cgroup_enter(const char *dir);

/* /proc/net/sockstat's TCP value @key ("inuse", "tw", ...), -1 if none */
int64_t sockstat_tcp(const char *key);
int64_t sockstat_tw(void);
/* /proc/net/tcp{,6} of this netns: sockets per ss state, LISTEN not counted */
void proc_tcp_states(long state[NSTATES]);
/* the same, of sockets on local ports [lo, hi) */
void proc_tcp_states_on(long state[NSTATES], unsigned int lo, unsigned int hi);
/*
 * A counter of this netns in @file (/proc/net/snmp, /proc/net/netstat):
 * @key in the line pair of @group ("Tcp", "TcpExt"); -1 if absent.
 */
long proc_net_counter(const char *file, const char *group, const char *key);

/* Build a known load; see the comment in lib.c. */
struct load_spec {
	int family;
	int port;
	int server_tw; /* server closes first: TIME_WAIT on port */
	int client_tw; /* client closes first: TIME_WAIT on ephemeral */
	int estab; /* connected pairs left open */
	int fw2_full; /* client shutdown(WR): FIN_WAIT2 full socket */
	int fw2_orphan; /* client close(): FIN_WAIT2 minisock */
};
struct load {
	int nfds;
	int fds[4096];
};
int load_make(struct load *l, const struct load_spec *spec);
void load_close(struct load *l);

#endif
