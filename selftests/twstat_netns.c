// SPDX-License-Identifier: GPL-2.0
/*
 * Network namespace isolation: sockets made in netns B never appear in
 * netns A's files (summary, ports, remotes), nor do the buckets they are
 * in (buckets_used), although both share the kernel's global ehash; and /proc/<pid>/net/twstat shows the netns of
 * <pid>, whoever reads it.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib.h"
#include "kselftest_harness.h"

#define PORT_A 6001
#define PORT_B 6002
#define PORT_B_SERVER 6003
#define TW_A 4
#define TW_B 9
#define TW_B_SERVER 5
#define ESTAB_B 2

static const struct load_spec spec_a = {
	.family = AF_INET,
	.port = PORT_A,
	.client_tw = TW_A,
};
static const struct load_spec spec_b = {
	.family = AF_INET,
	.port = PORT_B,
	.client_tw = TW_B,
	.estab = ESTAB_B,
};
static const struct load_spec spec_b_server = {
	.family = AF_INET6,
	.port = PORT_B_SERVER,
	.server_tw = TW_B_SERVER,
};

static int read_summary_at(struct table *t, const char *dir)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/summary", dir);
	return table_read(t, path, false);
}

/* @dir's files hold exactly netns B's load. */
static int summary_is_b(const char *dir)
{
	struct table s;
	int ok;

	if (read_summary_at(&s, dir))
		return 0;
	ok = summary_get(&s, "time-wait") == TW_B + TW_B_SERVER &&
	     summary_get(&s, "estab") == 2 * ESTAB_B &&
	     summary_get(&s, "sockets") == TW_B + TW_B_SERVER + 2 * ESTAB_B &&
	     summary_get(&s, "tw_v6") == TW_B_SERVER;
	table_free(&s);
	return ok;
}

/* Child: netns B with its own load; checks its own files at the end. */
static int setup_b(void *arg)
{
	struct load l = { 0 };

	(void)arg;
	/* the sockets stay open until the child exits */
	return netns_new() || load_make(&l, &spec_b) ||
	       load_make(&l, &spec_b_server);
}

static int check_b(void *arg)
{
	(void)arg;
	return summary_is_b("/proc/net/twstat") ? 0 : 12;
}

FIXTURE(ns)
{
	struct load load;
};

FIXTURE_SETUP(ns)
{
	ASSERT_EQ(0, module_ensure_loaded());
	ASSERT_EQ(0, netns_new());
	self->load.nfds = 0;
}

FIXTURE_TEARDOWN(ns)
{
	load_close(&self->load);
}

TEST_F(ns, other_netns_never_counted)
{
	struct table s, ports, remotes;
	struct ns_child b;
	char dir[64];

	ASSERT_EQ(0, load_make(&self->load, &spec_a));
	ASSERT_EQ(0, ns_child_start(&b, setup_b, check_b, NULL));

	/* A sees only A */
	ASSERT_EQ(0, read_summary(&s));
	EXPECT_EQ(TW_A, summary_get(&s, "sockets"));
	/* buckets of A's sockets only, not those of B's or the host's */
	EXPECT_LE(summary_get(&s, "buckets_used"), TW_A);
	EXPECT_GE(summary_get(&s, "buckets_used"), 1);
	EXPECT_EQ(TW_A, summary_get(&s, "time-wait"));
	EXPECT_EQ(0, summary_get(&s, "tw_v6"));
	ASSERT_EQ(0, table_read(&ports, "/proc/net/twstat/ports", true));
	for (int r = 0; r < ports.nrows; r++)
		EXPECT_NE(PORT_B_SERVER, atoi(table_cell(&ports, r, "port")));
	ASSERT_EQ(0, table_read(&remotes, "/proc/net/twstat/remotes", true));
	ASSERT_EQ(1, remotes.nrows);
	EXPECT_EQ(PORT_A, atoi(table_cell(&remotes, 0, "rport")));
	EXPECT_EQ(TW_A, atoi(table_cell(&remotes, 0, "used")));

	/* B's files, read from A through /proc/<pid>/net, show B */
	snprintf(dir, sizeof(dir), "/proc/%d/net/twstat", b.pid);
	EXPECT_TRUE(summary_is_b(dir));

	EXPECT_EQ(0, ns_child_finish(&b));
	table_free(&s);
	table_free(&ports);
	table_free(&remotes);
}

/*
 * This netns's summary shows @tw TIME_WAIT sockets and nothing else; if
 * not, say what it and the kernel's /proc/net/tcp of this netns saw.
 */
static bool ns_has_only_tw(int i, long tw)
{
	long st[NSTATES];
	struct table s;
	bool ok;

	if (read_summary(&s))
		return false;
	proc_tcp_states(st);
	ok = summary_get(&s, "time-wait") == tw &&
	     summary_get(&s, "sockets") == tw;
	if (!ok)
		fprintf(stderr,
			"# netns %d: want %ld; summary time-wait %ld sockets %ld; /proc/net/tcp after: time-wait %ld last-ack %ld fin-wait-2 %ld\n",
			i, tw, (long)summary_get(&s, "time-wait"),
			(long)summary_get(&s, "sockets"), st[5], st[8], st[4]);
	table_free(&s);
	return ok;
}

/* Many namespaces at once, each with its own count. */
TEST_F(ns, many_namespaces)
{
	const int n = 8;
	pid_t pids[8];
	int status;

	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		ASSERT_GE(pids[i], 0);
		if (pids[i] == 0) {
			struct load_spec sp = { .family = AF_INET,
						.port = 6100 + i,
						.server_tw = 1 + i };
			struct load l = { 0 };

			if (netns_new() || load_make(&l, &sp))
				_exit(10);
			_exit(ns_has_only_tw(i, 1 + i) ? 0 : 12);
		}
	}
	for (int i = 0; i < n; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("netns %d", i);
	}
}

TEST_HARNESS_MAIN
