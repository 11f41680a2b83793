// SPDX-License-Identifier: GPL-2.0
/*
 * A quiet table with a known load (client- and server-side TIME_WAIT,
 * IPv4 and IPv6, several ports, FIN_WAIT2 full sockets and minisocks,
 * ESTABLISHED, CLOSE_WAIT, SYN_SENT, SYN_RECV; FIN_WAIT1, LAST_ACK and
 * CLOSING held by closed windows; 1300 sockets; client ports that come
 * back and take over TIME_WAIT sockets): every count twstat
 * publishes must equal what the oracles say (ss, /proc/net/sockstat,
 * /proc/net/tcp{,6}) and what the load was built to contain. Each test
 * runs in its own fresh netns, so nothing else moves in its table.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"
#include "kselftest_harness.h"

#define PORT_V4_SERVER 5001
#define PORT_V4_CLIENT 5002
#define PORT_V6 5003
#define PORT_V6_ORPHAN 5004
#define PORT_SYN_SENT 5010
#define PORT_SYN_RECV 5011

struct counts {
	long state[NSTATES];
	long sockets, tw, tw_v4, tw_v6;
};

/* Per local port, from ss. */
struct port_oracle {
	long state[NSTATES];
};

static const struct load_spec specs[] = {
	{ .family = AF_INET,
	  .port = PORT_V4_SERVER,
	  .server_tw = 5,
	  .estab = 3 },
	{ .family = AF_INET,
	  .port = PORT_V4_CLIENT,
	  .client_tw = 7,
	  .fw2_full = 2,
	  .fw2_orphan = 2 },
	{ .family = AF_INET6,
	  .port = PORT_V6,
	  .server_tw = 3,
	  .client_tw = 4,
	  .estab = 1 },
	{ .family = AF_INET6, .port = PORT_V6_ORPHAN, .fw2_orphan = 1 },
};

FIXTURE(quiet)
{
	struct load load;
	int syn_fds[4];
};

FIXTURE_SETUP(quiet)
{
	ASSERT_EQ(0, module_ensure_loaded());
	ASSERT_EQ(0, netns_new());
	self->load.nfds = 0;
	for (int i = 0; i < 4; i++)
		self->syn_fds[i] = -1;
}

FIXTURE_TEARDOWN(quiet)
{
	load_close(&self->load);
	for (int i = 0; i < 4; i++)
		if (self->syn_fds[i] >= 0)
			close(self->syn_fds[i]);
}

/*
 * SYN_SENT: a backlog-0 listener whose one accept-queue slot is taken
 * drops further SYNs, so the next connect() stays in SYN_SENT.
 * SYN_RECV: with TCP_DEFER_ACCEPT the listener ignores the bare ACK that
 * completes the handshake; its request socket stays SYN_RECV.
 */
static int make_syn_states(int *fds)
{
	int secs = 30;

	struct pollfd pfd = { .events = POLLIN };

	fds[0] = tcp_listen(AF_INET, PORT_SYN_SENT, 0);
	fds[1] = tcp_connect(AF_INET, PORT_SYN_SENT, false);
	if (fds[0] < 0 || fds[1] < 0)
		return -1;
	/*
	 * Only a full accept queue drops the next SYN; on a busy host the
	 * first handshake's last ACK may not have been processed yet, and
	 * the second connect would complete too.
	 */
	pfd.fd = fds[0];
	if (poll(&pfd, 1, 10000) != 1)
		return -1;
	fds[2] = tcp_connect(AF_INET, PORT_SYN_SENT, true);
	if (fds[2] < 0)
		return -1;
	fds[3] = tcp_listen(AF_INET, PORT_SYN_RECV, 16);
	if (fds[3] < 0 || setsockopt(fds[3], IPPROTO_TCP, TCP_DEFER_ACCEPT,
				     &secs, sizeof(secs)))
		return -1;
	/* the client side is ESTABLISHED; keep it in the load */
	if (tcp_connect(AF_INET, PORT_SYN_RECV, false) < 0)
		return -1;
	msleep(100);
	return 0;
}

static void oracle_from_ss(const struct ss_dump *d, struct counts *c,
			   struct port_oracle *ports)
{
	memset(c, 0, sizeof(*c));
	memset(ports, 0, 65536 * sizeof(*ports));
	for (int i = 0; i < d->n; i++) {
		const struct ss_sock *s = &d->s[i];
		struct port_oracle *p = &ports[s->lport];

		c->sockets++;
		c->state[s->state]++;
		p->state[s->state]++;
		if (s->tw_ms < 0)
			continue;
		c->tw++;
		*(s->family == AF_INET6 ? &c->tw_v6 : &c->tw_v4) += 1;
	}
}

/*
 * The ports file against ss's states by port, and its timers against
 * inet_diag's spans by port, @before and @after it.
 */
static void check_ports(struct __test_metadata *_metadata,
			const struct table *pt, struct port_oracle *ports,
			const struct tw_span *before,
			const struct tw_span *after)
{
	int nports = 0, prev = -1;

	for (int p = 0; p < 65536; p++)
		for (int s = 0; s < NSTATES; s++)
			if (ports[p].state[s]) {
				nports++;
				break;
			}
	ASSERT_EQ(nports, pt->nrows);
	for (int r = 0; r < pt->nrows; r++) {
		int port = atoi(table_cell(pt, r, "port"));
		struct port_oracle *o = &ports[port];
		const char *min = table_cell(pt, r, "tw_min_ms");
		const char *max = table_cell(pt, r, "tw_max_ms");

		ASSERT_GT(port, prev); /* sorted, no duplicates */
		prev = port;
		for (int s = 0; s < NSTATES; s++) {
			EXPECT_EQ(o->state[s],
				  atol(table_cell(pt, r, state_names[s])))
			TH_LOG("port %d state %s", port, state_names[s]);
		}
		EXPECT_TRUE(tw_span_between(table_ms(pt, r, "tw_min_ms"),
					    table_ms(pt, r, "tw_max_ms"),
					    &before[port], &after[port]))
		TH_LOG("port %d tw_min_ms %s, tw_max_ms %s; inet_diag before %ld..%ld (%ld), after %ld..%ld (%ld)",
		       port, min, max, before[port].min, before[port].max,
		       before[port].n, after[port].min, after[port].max,
		       after[port].n);
	}
}

static void check_summary(struct __test_metadata *_metadata,
			  const struct table *sum, const struct counts *c)
{
	EXPECT_EQ(1, summary_get(sum, "version"));
	EXPECT_EQ(c->sockets, summary_get(sum, "sockets"));
	for (int s = 0; s < NSTATES; s++) {
		EXPECT_EQ(c->state[s], summary_get(sum, state_names[s]))
		TH_LOG("state %s", state_names[s]);
	}
	EXPECT_EQ(c->tw, summary_get(sum, "tw_sockets"));
	EXPECT_EQ(c->tw_v4, summary_get(sum, "tw_v4"));
	EXPECT_EQ(c->tw_v6, summary_get(sum, "tw_v6"));
	EXPECT_EQ(0, summary_get(sum, "unknown_state"));
	EXPECT_EQ(sockstat_tw(), summary_get(sum, "sockstat_tw"));
}

/*
 * lock_max_ns is the longest timed hold: it lies in the histogram's
 * highest non-empty bucket [2^(9+i-1), 2^(9+i)) ns (the first from 0,
 * the last unbounded above).
 */
static void check_lock_max(struct __test_metadata *_metadata,
			   const struct table *sum, const char *const *holds,
			   int n)
{
	int64_t max = summary_get(sum, "lock_max_ns");
	int top = n - 1;

	while (top > 0 && summary_get(sum, holds[top]) <= 0)
		top--;
	if (summary_get(sum, holds[top]) <= 0) {
		EXPECT_EQ(0, max);
		return;
	}
	if (top < n - 1)
		EXPECT_LT(max, 1LL << (9 + top)) TH_LOG("%s", holds[top]);
	if (top > 0)
		EXPECT_GE(max, 1LL << (9 + top - 1)) TH_LOG("%s", holds[top]);
}

/*
 * What the walk cost: one in 8 of the locked buckets is timed
 * (docs/interface.md), at least one per 8 buckets holding this netns's
 * sockets, and the snapshot's time contains the walk's.
 */
static void check_walk_cost(struct __test_metadata *_metadata,
			    const struct table *sum)
{
	static const char *const holds[] = {
		"lock_hold_lt_512ns",	 "lock_hold_lt_1024ns",
		"lock_hold_lt_2048ns",	 "lock_hold_lt_4096ns",
		"lock_hold_lt_8192ns",	 "lock_hold_lt_16384ns",
		"lock_hold_lt_32768ns",	 "lock_hold_lt_65536ns",
		"lock_hold_lt_131072ns", "lock_hold_ge_131072ns",
	};
	int64_t used = summary_get(sum, "buckets_used"), timed = 0;

	for (size_t i = 0; i < sizeof(holds) / sizeof(holds[0]); i++) {
		ASSERT_LE(0, summary_get(sum, holds[i])) TH_LOG("%s", holds[i]);
		timed += summary_get(sum, holds[i]);
	}
	EXPECT_LE((used + 7) / 8, timed);
	EXPECT_LE(summary_get(sum, "walk_ns"), summary_get(sum, "snapshot_ns"));
	check_lock_max(_metadata, sum, holds, sizeof(holds) / sizeof(holds[0]));
}

static void check_timers(struct __test_metadata *_metadata,
			 const struct table *tt, long tw_sockets)
{
	long total = 0;

	ASSERT_EQ(61, tt->nrows);
	for (int r = 0; r < tt->nrows; r++) {
		ASSERT_EQ(r, atoi(table_cell(tt, r, "sec")));
		total += atol(table_cell(tt, r, "count"));
	}
	EXPECT_EQ(tw_sockets, total);
}

/* Read all twstat files, then ss, and compare everything. */
static void compare_with_ss(struct __test_metadata *_metadata, struct counts *c)
{
	static struct port_oracle ports[65536];
	static struct tw_span before[65536], after[65536];
	struct table sum, pt, tt;
	struct ss_dump d;

	ASSERT_EQ(0, diag_tw_spans(NULL, before, NULL));
	ASSERT_EQ(0, read_summary(&sum));
	ASSERT_EQ(0, table_read(&pt, "/proc/net/twstat/ports", true));
	ASSERT_EQ(0, table_read(&tt, "/proc/net/twstat/timers", true));
	ASSERT_EQ(0, ss_dump(&d));
	ASSERT_EQ(0, diag_tw_spans(NULL, after, NULL));
	oracle_from_ss(&d, c, ports);

	check_summary(_metadata, &sum, c);
	check_walk_cost(_metadata, &sum);
	check_ports(_metadata, &pt, ports, before, after);
	check_timers(_metadata, &tt, c->tw);
	ss_free(&d);
	table_free(&sum);
	table_free(&pt);
	table_free(&tt);
}

TEST_F(quiet, empty_table)
{
	struct counts c;

	compare_with_ss(_metadata, &c);
	EXPECT_EQ(0, c.sockets);
}

TEST_F(quiet, mixed_load_matches_ss)
{
	struct counts c;

	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		ASSERT_EQ(0, load_make(&self->load, &specs[i]));
	ASSERT_EQ(0, make_syn_states(self->syn_fds));
	/*
	 * An orphaned FIN_WAIT2 socket becomes a minisock only once the
	 * peer's ACK is processed, which lags under TCG: wait for the
	 * kernel's own count before comparing.
	 */
	for (int i = 0; i < 50 && sockstat_tw() < 5 + 7 + 2 + 3 + 4 + 1; i++)
		msleep(100);
	compare_with_ss(_metadata, &c);

	/* and what the load was built to be, so ss is checked too */
	EXPECT_EQ(5 + 7 + 3 + 4, c.state[5]); /* time-wait */
	EXPECT_EQ(2 + 2 + 1, c.state[4]); /* fin-wait-2 */
	EXPECT_EQ(2 + 2 + 1, c.state[7]); /* close-wait */
	EXPECT_EQ(2 * (3 + 1) + 2 + 1, c.state[0]); /* estab */
	EXPECT_EQ(1, c.state[1]); /* syn-sent */
	EXPECT_EQ(1, c.state[2]); /* syn-recv */
	/*
	 * + fin-wait-2 minisocks: an orphan becomes one when the peer's ACK
	 * finds close() done; when it finds close() still holding the socket
	 * (tcp_rcv_state_process(), "sock_owned_by_user"), it stays a full
	 * FIN_WAIT2 socket until its timer, which on a busy host happens.
	 * Which of the 2 + 1 it was, ss says (compared exactly above).
	 */
	EXPECT_TRUE(c.tw_v4 >= 5 + 7 && c.tw_v4 <= 5 + 7 + 2)
	TH_LOG("tw_v4 %ld", c.tw_v4);
	EXPECT_TRUE(c.tw_v6 >= 3 + 4 && c.tw_v6 <= 3 + 4 + 1)
	TH_LOG("tw_v6 %ld", c.tw_v6);
	/* ss's minisocks against the kernel's own count of them */
	EXPECT_EQ(sockstat_tw(), c.tw);
}

static const struct load_spec many[] = {
	{ .family = AF_INET, .port = 5101, .server_tw = 450, .estab = 40 },
	{ .family = AF_INET, .port = 5102, .client_tw = 450, .fw2_orphan = 20 },
	{ .family = AF_INET6, .port = 5103, .server_tw = 150, .client_tw = 150 },
};

/*
 * Thirteen hundred sockets. On the tiny-table lane (16 buckets) every
 * bucket holds some, the first and the last included, and some chain holds
 * more of this netns's sockets than the walk's first 64-record buffer (by
 * pigeonhole: at least sockets / buckets > 64), so the walk's retry after
 * growing runs. Everything must still equal ss.
 */
TEST_F_TIMEOUT(quiet, many_sockets_match_ss, 180)
{
	const long tw = 450 + 450 + 150 + 150;
	long buckets, used, n;
	uint64_t t0 = now_ms(), took;
	struct table sum;
	struct counts c;

	for (size_t i = 0; i < sizeof(many) / sizeof(many[0]); i++)
		ASSERT_EQ(0, load_make(&self->load, &many[i]));
	for (int i = 0; i < 50 && sockstat_tw() < tw + 20; i++)
		msleep(100);
	took = now_ms() - t0;
	/* the margin, for every run's log */
	TH_LOG("the load took %llu ms of its 55000", (unsigned long long)took);
	/* seen on the debug kernel beside a busy VM: 165 s for 1320 */
	if (took > 55000)
		SKIP(return,
			   "making the load took %llu ms: its first TIME_WAIT sockets expire at 60 s, so neither ss nor the file can show them all",
			   (unsigned long long)took);
	compare_with_ss(_metadata, &c);
	/*
	 * ss is the oracle here; the load's own numbers only show that ss saw
	 * it. Some went before the read (14 of 1200 in one CI run of six
	 * VMs); traced since: a reused client port (15 of 450 on 6.1; 17 of
	 * 300 in a later CI run, taken over across the two sides of 5103:
	 * reused_ports_match_ss) and an RST after a stale ACK (1 on 5.10),
	 * which load_make() and netns_new() now prevent. The first ones
	 * still expire 60 s after they were made.
	 */
	EXPECT_GE(c.state[5], took < 50000 ? tw * 99 / 100 : tw / 2)
	TH_LOG("time-wait %ld of %ld", c.state[5], tw);
	/*
	 * The 20 orphans are in FIN_WAIT2, as minisocks or, where the peer's
	 * ACK met close() still holding the socket, as full sockets
	 * (mixed_load_matches_ss): minisocks beyond TIME_WAIT are 0 to 20.
	 */
	EXPECT_EQ(20, c.state[4]); /* fin-wait-2 */
	EXPECT_TRUE(c.tw >= c.state[5] && c.tw <= c.state[5] + 20)
	TH_LOG("tw %ld, time-wait %ld", c.tw, c.state[5]);
	ASSERT_EQ(0, read_summary(&sum));
	buckets = summary_get(&sum, "ehash_buckets");
	used = summary_get(&sum, "buckets_used");
	n = summary_get(&sum, "sockets");
	/* 20 sockets a bucket or more: odds of an empty one about e^-20 */
	if (n >= 20 * buckets)
		EXPECT_EQ(buckets, used);
	TH_LOG("%ld sockets (made in %llu ms) in %ld buckets, %ld used: "
	       "longest chain >= %ld",
	       n, (unsigned long long)took, buckets, used,
	       (n + buckets - 1) / buckets);
	table_free(&sum);
}

#define PORT_REUSED 5105
#define REUSED_LO 40000
#define REUSED_PORTS 40

static const struct load_spec reused = {
	.family = AF_INET,
	.port = PORT_REUSED,
	.server_tw = 10,
	.client_tw = 10,
};

/*
 * Twenty TIME_WAIT pairs from a 40-port range: the client's ports wrap and
 * come back, and a pair on a port used before takes over that port's
 * TIME_WAIT socket, the other side's too. The load must still hold what it
 * was built to hold (on the host, counting each side's ports apart kept 5
 * or 6 of the 10 server-side sockets), the module what ss sees. More
 * connects than sockets show that ports were reused.
 */
TEST_F(quiet, reused_ports_match_ss)
{
	long server[NSTATES], client[NSTATES], opens;
	char range[32];
	struct counts c;

	snprintf(range, sizeof(range), "%d %d", REUSED_LO,
		 REUSED_LO + REUSED_PORTS - 1);
	ASSERT_EQ(0, sysctl_set("net/ipv4/ip_local_port_range", range));
	ASSERT_EQ(0, load_make(&self->load, &reused));
	compare_with_ss(_metadata, &c);
	proc_tcp_states_on(server, PORT_REUSED, PORT_REUSED + 1);
	proc_tcp_states_on(client, REUSED_LO, REUSED_LO + REUSED_PORTS);
	EXPECT_EQ(reused.server_tw, server[5]);
	EXPECT_EQ(reused.client_tw, client[5]);
	EXPECT_EQ(reused.server_tw + reused.client_tw, c.state[5]);
	opens = proc_net_counter("/proc/net/snmp", "Tcp", "ActiveOpens");
	EXPECT_GT(opens, reused.server_tw + reused.client_tw);
	TH_LOG("%ld connects for %d TIME_WAIT sockets", opens,
	       reused.server_tw + reused.client_tw);
}

#define PORT_FIN_WAIT1 5201
#define PORT_LAST_ACK 5202
#define PORT_CLOSING 5203
#define SMALL_BUF 4096

/* A connected pair with 4 KiB buffers, so that a few writes fill them. */
static int small_pair(int port, int *c, int *s)
{
	int lfd = tcp_listen(AF_INET, port, 8), v = SMALL_BUF;
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	*c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	*s = -1;
	/* the listener's buffers are the accepted socket's */
	if (lfd < 0 || *c < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) ||
	    setsockopt(lfd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) ||
	    setsockopt(*c, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) ||
	    setsockopt(*c, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) ||
	    connect(*c, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	*s = tcp_accept(lfd);
	close(lfd);
	return *s < 0 ? -1 : 0;
}

/* Write until the peer's window and our send buffer are both full. */
static int fill(int fd)
{
	static char buf[65536];

	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK))
		return -1;
	for (int i = 0; i < 10; i++) {
		while (write(fd, buf, sizeof(buf)) > 0)
			;
		if (errno != EAGAIN)
			return -1;
		msleep(20); /* the window closes as the peer's queue fills */
	}
	return 0;
}

static int wait_fin(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLRDHUP };

	return poll(&p, 1, 5000) == 1 ? 0 : -1;
}

/*
 * FIN_WAIT1, LAST_ACK and CLOSING hold while a FIN cannot leave: it waits
 * behind data the peer never reads, whose window is closed. fds[0..5].
 */
static int make_stuck_states(int *f)
{
	/* fin-wait-1 (client), estab (server) */
	if (small_pair(PORT_FIN_WAIT1, &f[0], &f[1]) || fill(f[0]) ||
	    shutdown(f[0], SHUT_WR))
		return -1;
	/* fin-wait-2 (client), last-ack (server: its FIN is stuck) */
	if (small_pair(PORT_LAST_ACK, &f[2], &f[3]) || fill(f[3]) ||
	    shutdown(f[2], SHUT_WR) || wait_fin(f[3]) ||
	    shutdown(f[3], SHUT_WR))
		return -1;
	/* closing (client: stuck in FIN_WAIT1, gets the server's FIN),
	 * fin-wait-2 (server) */
	if (small_pair(PORT_CLOSING, &f[4], &f[5]) || fill(f[4]) ||
	    shutdown(f[4], SHUT_WR) || shutdown(f[5], SHUT_WR))
		return -1;
	msleep(200);
	return 0;
}

/* The states no other load makes: every column is then compared non-0. */
TEST_F(quiet, stuck_states_match_ss)
{
	int fds[6] = { -1, -1, -1, -1, -1, -1 };
	struct counts c;

	ASSERT_EQ(0, make_stuck_states(fds));
	compare_with_ss(_metadata, &c);
	EXPECT_EQ(1, c.state[3]); /* fin-wait-1 */
	EXPECT_EQ(1, c.state[8]); /* last-ack */
	EXPECT_EQ(1, c.state[9]); /* closing */
	EXPECT_EQ(2, c.state[4]); /* fin-wait-2 */
	EXPECT_EQ(1, c.state[0]); /* estab */
	for (int i = 0; i < 6; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

TEST_F(quiet, proc_net_tcp_agrees)
{
	long tcp[NSTATES] = { 0 };
	struct table sum;

	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		ASSERT_EQ(0, load_make(&self->load, &specs[i]));
	ASSERT_EQ(0, read_summary(&sum));
	proc_tcp_states(tcp);
	for (int s = 0; s < NSTATES; s++) {
		EXPECT_EQ(tcp[s], summary_get(&sum, state_names[s]))
		TH_LOG("state %s", state_names[s]);
	}
	table_free(&sum);
}

/* The first line of @path, less its newline, in @buf: 0 or -1. */
static int first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	char *ok = f ? fgets(buf, (int)len, f) : NULL;

	if (f)
		fclose(f);
	if (!ok || !strchr(buf, '\n'))
		return -1;
	*strchr(buf, '\n') = '\0';
	return 0;
}

TEST_F(quiet, file_formats)
{
	static const char *const headed[] = {
		"/proc/net/twstat/ports",    "/proc/net/twstat/timers",
		"/proc/net/twstat/remotes",  "/proc/net/twstat/owners",
		"/proc/net/twstat/failures",
	};
	static const char *const keys[] = {
		"version",     "walk_ns",	"ehash_buckets",
		"sockets",     "estab",		"syn-sent",
		"syn-recv",    "fin-wait-1",	"fin-wait-2",
		"time-wait",   "close",		"close-wait",
		"last-ack",    "closing",	"tw_sockets",
		"tw_v4",       "tw_v6",		"max_tw_buckets",
		"sockstat_tw", "port_range_lo", "port_range_hi",
	};
	struct table sum, pt;
	const char *want = "port estab syn-sent syn-recv fin-wait-1 "
			   "fin-wait-2 time-wait close close-wait last-ack "
			   "closing tw_min_ms tw_max_ms";
	char hdr[256] = "";

	ASSERT_EQ(0, load_make(&self->load, &specs[0]));
	ASSERT_EQ(0, read_summary(&sum));
	ASSERT_GE(sum.nrows, (int)(sizeof(keys) / sizeof(keys[0])));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		EXPECT_STREQ(keys[i], sum.rows[i][0]);
	EXPECT_GT(summary_get(&sum, "ehash_buckets"), 0);
	EXPECT_GT(summary_get(&sum, "walk_ns"), 0);
	ASSERT_EQ(0, table_read(&pt, "/proc/net/twstat/ports", true));
	for (int i = 0; i < pt.ncols; i++)
		snprintf(hdr + strlen(hdr), sizeof(hdr) - strlen(hdr), "%s%s",
			 i ? " " : "", pt.cols[i]);
	EXPECT_STREQ(want, hdr);
	/* and as printed: one space between names, none before or after */
	for (size_t i = 0; i < sizeof(headed) / sizeof(headed[0]); i++) {
		ASSERT_EQ(0, first_line(headed[i], hdr, sizeof(hdr)));
		EXPECT_TRUE(hdr[0] != ' ' && !strstr(hdr, "  ") &&
			    hdr[strlen(hdr) - 1] != ' ')
		TH_LOG("%s: '%s'", headed[i], hdr);
	}
	ASSERT_EQ(0, first_line("/proc/net/twstat/ports", hdr, sizeof(hdr)));
	EXPECT_STREQ(want, hdr);
	table_free(&sum);
	table_free(&pt);
}

TEST_HARNESS_MAIN
