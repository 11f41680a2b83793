// SPDX-License-Identifier: GPL-2.0
/*
 * Connects that already failed, and when the next ones will: the
 * failures file, connect_noport, remotes' noport, tw_recent and
 * tw_expiring, and the tool's forecast, end to end.
 *
 * Oracles: what connect() returned to the load itself, with the failing
 * process's own pid, comm and cgroup; for the timers, inet_diag dumps made
 * just before and just after the read; for the forecast, the moment the
 * load's first connect() fails.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib.h"
#include "kselftest_harness.h"

#define FAILURES "/proc/net/twstat/failures"
#define REMOTES "/proc/net/twstat/remotes"
#define COMM "tw-failer"
#define TW 5 /* state_names[5], "time-wait" */
/* a jiffy at the lowest HZ a kernel of the matrix may have, 100 */
#define JIFFY_MS 10
/* the failures table's rows, all namespaces (docs/interface.md) */
#define FAILURES_MAX 1024

/* What the load saw, in memory shared with the test. */
struct seen {
	pid_t pid;
	int made; /* connections made, each left in TIME_WAIT */
	int noport; /* connect() failed with EADDRNOTAVAIL */
	int refused; /* ECONNREFUSED, which must not count */
	int other; /* any other error */
	uint64_t first_noport_ms; /* now_ms() of the first EADDRNOTAVAIL */
	uint64_t last_noport_ms; /* and of the last */
	const char *cgroup;
	int port;
	int tries;
	int per_sec; /* 0: as fast as it goes */
};

static struct seen *seen_new(void)
{
	struct seen *s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (s == MAP_FAILED)
		return NULL;
	memset(s, 0, sizeof(*s));
	return s;
}

/* connect() to 127.0.0.1:@port; the fd, or -errno */
static int connect_v4(uint32_t addr, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(addr) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), e;

	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

static void seen_error(struct seen *s, int err)
{
	if (err == -EADDRNOTAVAIL) {
		s->last_noport_ms = now_ms();
		if (!s->noport++)
			s->first_noport_ms = s->last_noport_ms;
	} else if (err == -ECONNREFUSED) {
		s->refused++;
	} else {
		s->other++;
	}
}

/*
 * In its own cgroup and name: 5 connects to a port nobody listens on,
 * then @tries to @port, each accepted and closed client first, paced at
 * @per_sec; stops at the first EADDRNOTAVAIL if paced.
 */
static int fail_setup(void *arg)
{
	struct seen *s = arg;
	uint64_t t0 = now_ms();
	int lfd, c;

	s->pid = getpid();
	if (cgroup_enter(s->cgroup) || prctl(PR_SET_NAME, COMM))
		return 1;
	for (int i = 0; i < 5; i++)
		seen_error(s, connect_v4(INADDR_LOOPBACK, s->port + 1));
	lfd = tcp_listen(AF_INET, s->port, 1024);
	for (int i = 0; lfd >= 0 && i < s->tries; i++) {
		if (s->per_sec) {
			while (now_ms() < t0 + (uint64_t)i * 1000 / s->per_sec)
				msleep(2);
		}
		c = connect_v4(INADDR_LOOPBACK, s->port);
		if (c < 0) {
			seen_error(s, c);
			if (s->per_sec)
				break;
			continue;
		}
		if (close_in_order(c, tcp_accept(lfd)))
			return 2;
		s->made++;
	}
	return lfd >= 0 ? close(lfd) : 3;
}

/* A listener on every local address, port @port */
static int tcp_listen_any(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_ANY) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1024)) {
		close(fd);
		return -1;
	}
	return fd;
}

FIXTURE(failures)
{
	char cg[PATH_MAX];
	uint64_t cgid;
	struct seen *seen;
};

FIXTURE_SETUP(failures)
{
	ASSERT_EQ(0, module_ensure_loaded());
	ASSERT_EQ(0, param_set("cache_ms", "0"));
	ASSERT_EQ(0, param_set("track", "1"));
	ASSERT_EQ(0, netns_new());
	ASSERT_EQ(0, sysctl_set("net/ipv4/tcp_tw_reuse", "0"));
	self->cgid = cgroup_new("twstat-failer", self->cg, sizeof(self->cg));
	ASSERT_NE(0, self->cgid);
	self->seen = seen_new();
	ASSERT_NE(NULL, self->seen);
	self->seen->cgroup = self->cg;
}

FIXTURE_TEARDOWN(failures)
{
	param_set("cache_ms", "1000");
	munmap(self->seen, sizeof(*self->seen));
	rmdir(self->cg);
}

/* The remotes row of 127.0.0.1:@rport's @col as a number, or -1. */
static long remote_num(int rport, const char *col)
{
	struct table t;
	char want[16];
	long v = -1;

	snprintf(want, sizeof(want), "%d", rport);
	if (table_read(&t, REMOTES, true))
		return -1;
	for (int r = 0; r < t.nrows; r++)
		if (!strcmp(table_cell(&t, r, "rport"), want))
			v = atol(table_cell(&t, r, col));
	table_free(&t);
	return v;
}

/*
 * 50 ephemeral ports, 80 tries at one destination: the 30 that failed
 * with EADDRNOTAVAIL are the row's fails, with the process's pid (alive
 * still), comm and cgroup; refused connects are not counted.
 */
TEST_F(failures, row_is_what_connect_returned)
{
	struct seen *s = self->seen;
	uint64_t t_open, t_read;
	char want[32];
	struct ns_child c;
	struct table t;
	long last;

	s->port = 7300;
	s->tries = 80;
	ASSERT_EQ(0, sysctl_set("net/ipv4/ip_local_port_range", "40000 40049"));
	ASSERT_EQ(0, ns_child_start(&c, fail_setup, NULL, s));
	ASSERT_EQ(50, s->made);
	ASSERT_EQ(30, s->noport);
	ASSERT_EQ(5, s->refused);
	ASSERT_EQ(0, s->other);

	t_open = now_ms();
	ASSERT_EQ(0, table_read(&t, FAILURES, true));
	t_read = now_ms();
	ASSERT_EQ(1, t.nrows);
	EXPECT_STREQ("127.0.0.1", table_cell(&t, 0, "laddr"));
	EXPECT_STREQ("127.0.0.1", table_cell(&t, 0, "raddr"));
	EXPECT_EQ(s->port, atoi(table_cell(&t, 0, "rport")));
	EXPECT_EQ(s->noport, atoi(table_cell(&t, 0, "fails")));
	EXPECT_EQ(s->pid, atoi(table_cell(&t, 0, "pid")));
	EXPECT_STREQ(COMM, table_cell(&t, 0, "comm"));
	snprintf(want, sizeof(want), "%llu", (unsigned long long)self->cgid);
	EXPECT_STREQ(want, table_cell(&t, 0, "cgroup"));
	/* the walk was between open and read; last_ms counts whole jiffies */
	last = atol(table_cell(&t, 0, "last_ms"));
	EXPECT_GE(last, (long)(t_open - s->last_noport_ms) - JIFFY_MS);
	EXPECT_LE(last, (long)(t_read - s->last_noport_ms) + JIFFY_MS);
	table_free(&t);

	EXPECT_EQ(s->noport, summary_now("connect_noport"));
	EXPECT_EQ(1, summary_now("failures"));
	EXPECT_EQ(s->noport, remote_num(s->port, "noport"));
	/* all 50 made within the last 10 s, none near its end */
	EXPECT_EQ(50, remote_num(s->port, "tw_recent"));
	EXPECT_EQ(0, remote_num(s->port, "tw_expiring"));
	EXPECT_EQ(0, ns_child_finish(&c));

	/* the process is gone: its pid no longer shows */
	ASSERT_EQ(0, table_read(&t, FAILURES, true));
	EXPECT_STREQ("-", table_cell(&t, 0, "pid"));
	table_free(&t);
}

/* @n-th destination: 127.0.(n / 200 + 1).(n % 200 + 1) */
static uint32_t dest_addr(int n)
{
	return INADDR_LOOPBACK - 1 + ((n / 200 + 1) << 8) + n % 200 + 1;
}

/*
 * Two ports, 1030 destinations each made to fail once: the table keeps
 * 1024 rows, evicting the 6 whose last failure is oldest; the netns's
 * count keeps every one.
 */
TEST_F_TIMEOUT(failures, full_table_evicts_the_oldest, 240)
{
	const int ndest = FAILURES_MAX + 6, port = 7310;
	int lfd, got = 0, err = 0;
	struct table t;
	char raddr[32];
	struct in_addr a;

	ASSERT_EQ(0, module_unload());
	ASSERT_EQ(0, module_load("cache_ms=0"));
	ASSERT_EQ(0, sysctl_set("net/ipv4/ip_local_port_range", "40000 40001"));
	lfd = tcp_listen_any(port);
	ASSERT_GE(lfd, 0);
	for (int d = 0; d < ndest && !err; d++) {
		for (int i = 0; i < 2 && !err; i++) {
			int c = connect_v4(dest_addr(d), port);

			err = c < 0 ? c : close_in_order(c, tcp_accept(lfd));
		}
		got += connect_v4(dest_addr(d), port) == -EADDRNOTAVAIL;
	}
	close(lfd);
	ASSERT_EQ(0, err);
	ASSERT_EQ(ndest, got);

	EXPECT_EQ(ndest, summary_now("connect_noport"));
	EXPECT_EQ(FAILURES_MAX, summary_now("failures"));
	EXPECT_EQ(ndest - FAILURES_MAX, summary_now("failures_evicted"));
	ASSERT_EQ(0, table_read(&t, FAILURES, true));
	EXPECT_EQ(FAILURES_MAX, t.nrows);
	for (int r = 0; r < t.nrows; r++) {
		EXPECT_EQ(1, atoi(table_cell(&t, r, "fails")));
		for (int d = 0; d < ndest - FAILURES_MAX; d++) {
			a.s_addr = htonl(dest_addr(d));
			inet_ntop(AF_INET, &a, raddr, sizeof(raddr));
			EXPECT_STRNE(raddr, table_cell(&t, r, "raddr"));
		}
	}
	table_free(&t);
	ASSERT_EQ(0, module_unload());
	ASSERT_EQ(0, module_load(NULL));
}

/* time-wait minisockets of @port with a remainder in [lo, hi) ms */
static int diag_tw_between(int port, long lo, long hi)
{
	struct diag_tw *d;
	int n = diag_tw_dump(&d), k = 0;

	for (int i = 0; i < n; i++)
		k += d[i].rport == port && d[i].state == TW && d[i].ms >= lo &&
		     d[i].ms < hi;
	free(d);
	return n < 0 ? -1 : k;
}

/* "eta_s": of the remotes JSON row of @port, in ms; -1 if none or null */
static long tool_eta_ms(int port)
{
	static char out[65536];
	char key[32], *p, *e;

	if (tool_sh("--json -t 0 remotes", out, sizeof(out)))
		return -1;
	snprintf(key, sizeof(key), "\"rport\":%d", port);
	p = strstr(out, key);
	p = p ? strstr(p, "\"eta_s\":") : NULL;
	if (!p)
		return -1;
	p += strlen("\"eta_s\":");
	if (!strncmp(p, "null", 4))
		return -1;
	return (long)(strtod(p, &e) * 1000);
}

/*
 * 600 ports and a client making 20 connections a second to one
 * destination: it runs out at 30 s. The tool's forecast, read at 12 s,
 * must name that moment within 2 s. Later, when the first of them are
 * about to expire, tw_expiring is bracketed by two inet_diag dumps.
 */
TEST_F_TIMEOUT(failures, forecast_names_the_moment_connects_fail, 180)
{
	struct seen *s = self->seen;
	uint64_t t0, predicted;
	long eta, before, after, mod;
	int status;
	pid_t pid;

	s->port = 7320;
	s->tries = 2000;
	s->per_sec = 20;
	ASSERT_EQ(0, sysctl_set("net/ipv4/ip_local_port_range", "40000 40599"));
	t0 = now_ms();
	pid = fork();
	if (pid == 0)
		_exit(fail_setup(s));
	ASSERT_GT(pid, 0);
	while (now_ms() < t0 + 12000)
		msleep(50);
	eta = tool_eta_ms(s->port);
	predicted = now_ms() + eta;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_GE(eta, 0);
	EXPECT_EQ(0, status);
	ASSERT_EQ(600, s->made);
	ASSERT_EQ(1, s->noport);
	TH_LOG("forecast at %llu ms: %ld ms left; first failure at %llu ms",
	       (unsigned long long)(predicted - eta - t0), eta,
	       (unsigned long long)(s->first_noport_ms - t0));
	EXPECT_LT(llabs((long long)(predicted - s->first_noport_ms)), 2000);
	EXPECT_EQ(1, remote_num(s->port, "noport"));

	/* the first sockets, made at t0, have less than 10 s left at 52 s */
	while (now_ms() < t0 + 52000)
		msleep(100);
	before = diag_tw_between(s->port, 0, 10000);
	mod = remote_num(s->port, "tw_expiring");
	after = diag_tw_between(s->port, 0, 10000);
	TH_LOG("tw_expiring: diag %ld, module %ld, diag %ld", before, mod,
	       after);
	EXPECT_GT(before, 0);
	EXPECT_LE(before, mod);
	EXPECT_LE(mod, after);
	EXPECT_EQ(0, remote_num(s->port, "tw_recent"));
}

TEST_HARNESS_MAIN
