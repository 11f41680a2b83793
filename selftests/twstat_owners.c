// SPDX-License-Identifier: GPL-2.0
/*
 * Who holds the sockets, and connects that already failed: the owners and
 * failures files, remotes' owner, noport, tw_recent and tw_expiring
 * columns, the track parameters and the probe behind them.
 *
 * Oracles, none of them the module: the cgroups this test makes and the
 * load it runs in each (a minisocket's owner is the cgroup that closed
 * it); sock_diag's INET_DIAG_CGROUP_ID for full sockets; ss (inet_diag)
 * for what the table holds; the errors connect() itself returned, with
 * the failing process's own pid and comm.
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

#define OWNERS "/proc/net/twstat/owners"
#define FAILURES "/proc/net/twstat/failures"
#define REMOTES "/proc/net/twstat/remotes"
#define TW 5 /* state_names[5], "time-wait" */

/* Run @fn(@arg) in a child moved into cgroup @dir; its exit status. */
static int in_cgroup(const char *dir, int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(cgroup_enter(dir) ? 10 : fn(arg));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

struct tw_job {
	int port;
	int n;
};

/* @n TIME_WAIT minisockets on the client side, to 127.0.0.1:@port */
static int make_tw(void *arg)
{
	const struct tw_job *j = arg;
	struct load_spec spec = {
		.family = AF_INET,
		.port = j->port,
		.client_tw = j->n,
	};
	struct load l = { 0 };

	return load_make(&l, &spec) ? 1 : 0;
}

/* ss's minisockets in the time-wait substate, of this netns */
static long ss_time_wait(void)
{
	struct ss_dump d;
	long n = 0;

	if (ss_dump(&d))
		return -1;
	for (int i = 0; i < d.n; i++)
		n += d.s[i].state == TW;
	ss_free(&d);
	return n;
}

/* The owners row of @cgroup (0: the unknown owner, "-"), or -1. */
static int owner_row(const struct table *t, uint64_t cgroup)
{
	char want[32];

	if (cgroup)
		snprintf(want, sizeof(want), "%llu",
			 (unsigned long long)cgroup);
	else
		snprintf(want, sizeof(want), "-");
	for (int r = 0; r < t->nrows; r++)
		if (!strcmp(table_cell(t, r, "cgroup"), want))
			return r;
	return -1;
}

/* @state's column of @cgroup's owners row; 0 without a row */
static long owner_count(const struct table *t, uint64_t cgroup,
			const char *state)
{
	int r = owner_row(t, cgroup);

	return r < 0 ? 0 : atol(table_cell(t, r, state));
}

/*
 * Every owners state column, and sockets, summed over the rows, equal
 * the summary's, read from one walk.
 */
static void check_owner_sums(struct __test_metadata *_metadata)
{
	struct table t, s;

	/* the second open shares the first's walk */
	ASSERT_EQ(0, param_set("cache_ms", "60000"));
	ASSERT_EQ(0, table_read(&t, OWNERS, true));
	ASSERT_EQ(0, read_summary(&s));
	for (int c = 0; c <= NSTATES; c++) {
		const char *col = c < NSTATES ? state_names[c] : "sockets";
		long sum = 0;

		for (int r = 0; r < t.nrows; r++)
			sum += atol(table_cell(&t, r, col));
		EXPECT_EQ(summary_get(&s, col), sum) TH_LOG("column %s", col);
	}
	EXPECT_EQ(summary_get(&s, "owners"), t.nrows);
	EXPECT_EQ(summary_get(&s, "tw_owner_unknown"),
		  owner_count(&t, 0, "time-wait") +
			  (owner_row(&t, 0) < 0 ?
				   0 :
				   atol(table_cell(&t, owner_row(&t, 0),
						   "fin-wait-2"))));
	table_free(&t);
	table_free(&s);
	ASSERT_EQ(0, param_set("cache_ms", "0"));
}

/* The remotes row of 127.0.0.1:@rport's @col, or NULL. */
static char *remote_cell(int rport, const char *col, char *buf, size_t len)
{
	struct table t;
	char want[16];
	char *ret = NULL;

	snprintf(want, sizeof(want), "%d", rport);
	if (table_read(&t, REMOTES, true))
		return NULL;
	for (int r = 0; r < t.nrows && !ret; r++)
		if (!strcmp(table_cell(&t, r, "rport"), want) &&
		    !strcmp(table_cell(&t, r, "raddr"), "127.0.0.1")) {
			snprintf(buf, len, "%s", table_cell(&t, r, col));
			ret = buf;
		}
	table_free(&t);
	return ret;
}

FIXTURE(owners)
{
	char a[PATH_MAX], b[PATH_MAX];
	uint64_t ida, idb;
};

FIXTURE_SETUP(owners)
{
	ASSERT_EQ(0, module_ensure_loaded());
	ASSERT_EQ(0, param_set("cache_ms", "0"));
	ASSERT_EQ(0, param_set("track", "1"));
	ASSERT_EQ(0, netns_new());
	/*
	 * Loopback's tcp_tw_reuse=2 lets connect() take over a minisocket's
	 * port: a load would then close more connections than it leaves
	 * minisockets, and handovers would outnumber them.
	 */
	ASSERT_EQ(0, sysctl_set("net/ipv4/tcp_tw_reuse", "0"));
	self->ida = cgroup_new("twstat-owner-a", self->a, sizeof(self->a));
	self->idb = cgroup_new("twstat-owner-b", self->b, sizeof(self->b));
	ASSERT_NE(0, self->ida);
	ASSERT_NE(0, self->idb);
	ASSERT_NE(self->ida, self->idb);
}

FIXTURE_TEARDOWN(owners)
{
	param_set("cache_ms", "1000");
	param_set("track", "1");
	rmdir(self->a);
	rmdir(self->b);
}

/*
 * Two cgroups close connections to one destination: each minisocket is
 * its closer's, counted against ss; the destination's owner is the one
 * holding most of its ports.
 */
TEST_F(owners, minisockets_belong_to_the_cgroup_that_closed)
{
	struct tw_job ja = { 7200, 30 }, jb = { 7200, 10 };
	char cell[32], want[32];
	struct table t;

	ASSERT_EQ(0, in_cgroup(self->a, make_tw, &ja));
	ASSERT_EQ(0, in_cgroup(self->b, make_tw, &jb));
	ASSERT_EQ(40, ss_time_wait());
	ASSERT_EQ(0, table_read(&t, OWNERS, true));
	EXPECT_EQ(2, t.nrows);
	EXPECT_EQ(30, owner_count(&t, self->ida, "time-wait"));
	EXPECT_EQ(10, owner_count(&t, self->idb, "time-wait"));
	EXPECT_EQ(-1, owner_row(&t, 0));
	/* time-wait descending */
	EXPECT_EQ(0, owner_row(&t, self->ida));
	table_free(&t);
	/* 30 of the destination's 40 ports are a's */
	snprintf(want, sizeof(want), "%llu", (unsigned long long)self->ida);
	ASSERT_NE(NULL, remote_cell(7200, "owner", cell, sizeof(cell)));
	EXPECT_STREQ(want, cell);
	check_owner_sums(_metadata);
}

struct hold_job {
	const char *cgroup;
	struct load_spec spec;
	struct load load;
};

static int hold_setup(void *arg)
{
	struct hold_job *j = arg;

	return cgroup_enter(j->cgroup) || load_make(&j->load, &j->spec);
}

/*
 * Full sockets held open by processes of two cgroups and of this one: the
 * owners rows are sock_diag's INET_DIAG_CGROUP_ID counts, state by state.
 */
TEST_F(owners, full_sockets_match_sock_diag)
{
	struct hold_job ja = { .cgroup = self->a,
			       .spec = { .family = AF_INET,
					 .port = 7210,
					 .estab = 6,
					 .fw2_full = 2 } };
	struct hold_job jb = {
		.cgroup = self->b,
		.spec = { .family = AF_INET6, .port = 7211, .estab = 4 }
	};
	struct load_spec mine = { .family = AF_INET, .port = 7212, .estab = 3 };
	struct ns_child ca, cb;
	struct load l = { 0 };
	struct diag_tw *d;
	uint64_t ids[8] = { 0 };
	long want[8][NSTATES] = { { 0 } };
	int n, nids = 0;
	struct table t;

	ASSERT_EQ(0, ns_child_start(&ca, hold_setup, NULL, &ja));
	ASSERT_EQ(0, ns_child_start(&cb, hold_setup, NULL, &jb));
	ASSERT_EQ(0, load_make(&l, &mine));
	n = diag_sock_dump(&d, true);
	ASSERT_GE(n, 0);
	for (int i = 0; i < n; i++) {
		int k = 0;

		ASSERT_NE(0, d[i].cgroup)
		TH_LOG("a full socket without a cgroup");
		ASSERT_GE(d[i].state, 0);
		while (k < nids && ids[k] != d[i].cgroup)
			k++;
		ASSERT_LT(k, 8);
		if (k == nids)
			ids[nids++] = d[i].cgroup;
		want[k][d[i].state]++;
	}
	free(d);
	ASSERT_EQ(0, table_read(&t, OWNERS, true));
	EXPECT_EQ(nids, t.nrows);
	for (int k = 0; k < nids; k++) {
		for (int st = 0; st < NSTATES; st++) {
			EXPECT_EQ(want[k][st],
				  owner_count(&t, ids[k], state_names[st]))
			TH_LOG("cgroup %llu %s", (unsigned long long)ids[k],
			       state_names[st]);
		}
	}
	/* what the load made, both ends in the cgroup of their process */
	EXPECT_EQ(12, owner_count(&t, self->ida, "estab"));
	EXPECT_EQ(2, owner_count(&t, self->ida, "fin-wait-2"));
	EXPECT_EQ(8, owner_count(&t, self->idb, "estab"));
	table_free(&t);
	check_owner_sums(_metadata);
	load_close(&l);
	EXPECT_EQ(0, ns_child_finish(&ca));
	EXPECT_EQ(0, ns_child_finish(&cb));
}

/* Minisockets made before insmod have no recorded owner: "-". */
TEST_F(owners, sockets_older_than_the_module_are_unknown)
{
	struct tw_job before = { 7220, 20 }, after = { 7221, 5 };
	struct table t;

	ASSERT_EQ(0, module_unload());
	ASSERT_EQ(0, make_tw(&before));
	ASSERT_EQ(0, module_load(NULL));
	ASSERT_EQ(0, param_set("cache_ms", "0"));
	ASSERT_EQ(0, in_cgroup(self->a, make_tw, &after));
	ASSERT_EQ(25, ss_time_wait());
	ASSERT_EQ(0, table_read(&t, OWNERS, true));
	EXPECT_EQ(20, owner_count(&t, 0, "time-wait"));
	EXPECT_EQ(5, owner_count(&t, self->ida, "time-wait"));
	EXPECT_EQ(2, t.nrows);
	table_free(&t);
	EXPECT_EQ(20, summary_now("tw_owner_unknown"));
	check_owner_sums(_metadata);
}

struct churn_job {
	int port;
	uint64_t until_ms;
};

/* client TIME_WAIT to @port, ten at a time, until @until_ms */
static int churn(void *arg)
{
	const struct churn_job *j = arg;
	struct tw_job tw = { j->port, 10 };

	while (now_ms() < j->until_ms)
		if (make_tw(&tw))
			return 1;
	return 0;
}

/* Run churn() in cgroup @dir in the background for @ms; its pid. */
static pid_t churn_start(const char *dir, int port, unsigned int ms)
{
	struct churn_job j = { port, now_ms() + ms };
	pid_t pid = fork();

	if (pid == 0)
		_exit(in_cgroup(dir, churn, &j));
	return pid;
}

static int churn_wait(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * track=0 unregisters the probe: minisockets closed meanwhile are "-";
 * toggled under load, every minisocket is its closer's or "-", never
 * another's.
 */
TEST_F(owners, track_toggled_at_run_time)
{
	struct tw_job off = { 7230, 10 }, on = { 7231, 7 };
	struct table t;
	pid_t pid;
	long tw;

	ASSERT_EQ(0, param_set("track", "0"));
	ASSERT_EQ(0, in_cgroup(self->a, make_tw, &off));
	EXPECT_EQ(0, summary_now("track"));
	ASSERT_EQ(0, param_set("track", "1"));
	ASSERT_EQ(0, in_cgroup(self->b, make_tw, &on));
	EXPECT_EQ(1, summary_now("track"));
	ASSERT_EQ(0, table_read(&t, OWNERS, true));
	EXPECT_EQ(10, owner_count(&t, 0, "time-wait"));
	EXPECT_EQ(7, owner_count(&t, self->idb, "time-wait"));
	EXPECT_EQ(-1, owner_row(&t, self->ida));
	table_free(&t);

	pid = churn_start(self->a, 7232, 4000);
	ASSERT_GT(pid, 0);
	for (int i = 0; i < 40; i++) {
		ASSERT_EQ(0, param_set("track", i % 2 ? "1" : "0"));
		msleep(100);
	}
	ASSERT_EQ(0, churn_wait(pid));
	ASSERT_EQ(0, param_set("track", "1"));
	tw = ss_time_wait();
	ASSERT_EQ(0, table_read(&t, OWNERS, true));
	EXPECT_EQ(tw, owner_count(&t, 0, "time-wait") +
			      owner_count(&t, self->ida, "time-wait") +
			      owner_count(&t, self->idb, "time-wait"));
	EXPECT_GT(owner_count(&t, self->ida, "time-wait"), 0);
	EXPECT_GT(owner_count(&t, 0, "time-wait"), 10);
	table_free(&t);
	check_owner_sums(_metadata);
}

/*
 * 700 handovers into the smallest table, 512 records: the ones that found
 * no free record are counted, and exactly those minisockets are "-". The
 * load must end well within the 60 s its first minisockets live: 4500
 * handovers into 4096 records took up to 60 s in a CI run of six VMs on
 * 2 cores, and ss found 23 of them gone.
 */
TEST_F_TIMEOUT(owners, full_table_counts_what_it_lost, 120)
{
	const int records = 512, handovers = 700;
	struct tw_job job = { 7240, handovers };
	uint64_t t0;
	struct table t;
	int64_t lost;

	ASSERT_EQ(0, module_unload());
	ASSERT_EQ(0, module_load("track_max=512 cache_ms=0"));
	ASSERT_EQ(0, sysctl_set("net/ipv4/tcp_max_tw_buckets", "20000"));
	t0 = now_ms();
	ASSERT_EQ(0, in_cgroup(self->a, make_tw, &job));
	/* the margin, for every run's log */
	TH_LOG("the load took %llu ms of the 60000 its sockets live",
	       (unsigned long long)(now_ms() - t0));
	ASSERT_EQ(handovers, ss_time_wait());
	EXPECT_EQ(records, summary_now("track_records"));
	EXPECT_EQ(24, summary_now("track_record_bytes"));
	lost = summary_now("track_lost");
	EXPECT_GE(lost, handovers - records);
	EXPECT_LT(lost, handovers);
	ASSERT_EQ(0, table_read(&t, OWNERS, true));
	EXPECT_EQ(lost, owner_count(&t, 0, "time-wait"));
	EXPECT_EQ(handovers - lost, owner_count(&t, self->ida, "time-wait"));
	table_free(&t);
	EXPECT_EQ(lost, summary_now("tw_owner_unknown"));
	check_owner_sums(_metadata);
	ASSERT_EQ(0, module_unload());
	ASSERT_EQ(0, module_load(NULL));
}

/* Unload while connections churn in a cgroup: the probe goes first. */
TEST_F_TIMEOUT(owners, rmmod_during_churn, 120)
{
	pid_t pid = churn_start(self->a, 7250, 6000);

	ASSERT_GT(pid, 0);
	for (int i = 0; i < 8; i++) {
		struct table t;

		msleep(300);
		ASSERT_EQ(0, module_unload());
		msleep(100);
		ASSERT_EQ(0, module_load(i % 2 ? "track=0" : NULL));
		ASSERT_EQ(0, param_set("cache_ms", "0"));
		ASSERT_EQ(0, table_read(&t, OWNERS, true));
		table_free(&t);
	}
	ASSERT_EQ(0, churn_wait(pid));
	ASSERT_EQ(0, param_set("track", "1"));
	check_owner_sums(_metadata);
}

/*
 * The string value of @key in the JSON object of `twstat --json owners`
 * whose "cgroup" is @id, in @buf; NULL if there is none.
 */
static char *owner_label(const char *json, uint64_t id, const char *key,
			 char *buf, size_t len)
{
	char want[64];
	const char *p, *end;

	snprintf(want, sizeof(want), "\"cgroup\":%llu,",
		 (unsigned long long)id);
	p = strstr(json, want);
	end = p ? strchr(p, '}') : NULL;
	snprintf(want, sizeof(want), "\"%s\":\"", key);
	p = p ? strstr(p, want) : NULL;
	if (!p || p > end)
		return NULL;
	p += strlen(want);
	snprintf(buf, len, "%.*s", (int)(strchrnul(p, '"') - p), p);
	return buf;
}

/*
 * The tool labels owners from the cgroup2 tree: a unit's path and name
 * while it exists, "(gone)" once it was removed (its minisockets keep
 * its id).
 */
TEST_F(owners, tool_labels_from_the_cgroup_tree)
{
	static char out[65536];
	struct tw_job job = { 7260, 5 };
	char slice[PATH_MAX], unit[PATH_MAX], label[256];
	uint64_t id;

	ASSERT_NE(0, cgroup_new("twstat.slice", slice, sizeof(slice)));
	id = cgroup_new("twstat.slice/twl.service", unit, sizeof(unit));
	ASSERT_NE(0, id);
	ASSERT_EQ(0, in_cgroup(unit, make_tw, &job));
	ASSERT_EQ(0, tool_sh("--json owners", out, sizeof(out)));
	ASSERT_NE(NULL, owner_label(out, id, "path", label, sizeof(label)))
	TH_LOG("%s", out);
	EXPECT_STREQ("/twstat.slice/twl.service", label);
	ASSERT_NE(NULL, owner_label(out, id, "unit", label, sizeof(label)));
	EXPECT_STREQ("twl.service", label);

	ASSERT_EQ(0, rmdir(unit));
	ASSERT_EQ(0, rmdir(slice));
	ASSERT_EQ(0, tool_sh("--json owners", out, sizeof(out)));
	ASSERT_NE(NULL, owner_label(out, id, "path", label, sizeof(label)))
	TH_LOG("%s", out);
	EXPECT_STREQ("(gone)", label);
}

TEST_HARNESS_MAIN
