// SPDX-License-Identifier: GPL-2.0
/*
 * The twstat tool against the real module: on a quiescent table its two
 * sources (the module's files and its own sock_diag dump) give the same
 * counts, the counts are the load's, --netns reads the named namespace and
 * nothing else, and a missing module is one clear error (auto falls back).
 * The load has every kind of socket the two sources classify apart:
 * TIME_WAIT both sides, v4 and v6, FIN_WAIT2 full and minisock, a request
 * socket.
 *
 * Counts are compared through --prometheus: its samples carry counts only
 * (timer remainders tick between the two runs and are left out).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib.h"
#include "kselftest_harness.h"

#define OUT_MAX (256 * 1024)
#define NETNS_NAME "twstat-selftest"
#define NETNS_FILE "/run/netns/" NETNS_NAME

static const struct load_spec spec_v4_server = {
	.family = AF_INET,
	.port = 7001,
	.server_tw = 12,
	.estab = 3,
};
static const struct load_spec spec_v4_client = {
	.family = AF_INET,
	.port = 7002,
	.client_tw = 20,
	.fw2_full = 1,
	.fw2_orphan = 2,
};
static const struct load_spec spec_v6_client = {
	.family = AF_INET6,
	.port = 7003,
	.client_tw = 6,
};

static const char *tool_path(void)
{
	const char *p = getenv("TWSTAT_TOOL");

	return p ? p : "/usr/bin/twstat";
}

struct tool_proc {
	pid_t pid;
	int fo, fe;
	char tmpl_o[32], tmpl_e[32];
};

/* Start the tool with @argv (argv[0] is replaced), output to temp files. */
static int tool_start(struct tool_proc *t, char *const argv[])
{
	strcpy(t->tmpl_o, "/tmp/twstat-out.XXXXXX");
	strcpy(t->tmpl_e, "/tmp/twstat-err.XXXXXX");
	t->fo = mkstemp(t->tmpl_o);
	t->fe = mkstemp(t->tmpl_e);
	if (t->fo < 0 || t->fe < 0)
		return -1;
	t->pid = fork();
	if (t->pid == 0) {
		dup2(t->fo, 1);
		dup2(t->fe, 2);
		execv(tool_path(), argv);
		_exit(127);
	}
	return t->pid > 0 ? 0 : -1;
}

/*
 * Wait for it: stdout into @out (NUL terminated), stderr into @err if not
 * NULL. Returns the exit status, or -1 if it did not exit normally.
 */
static int tool_finish(struct tool_proc *t, char *out, char *err)
{
	int status = -1;

	if (waitpid(t->pid, &status, 0) == t->pid && WIFEXITED(status))
		status = WEXITSTATUS(status);
	else
		status = -1;
	for (int i = 0; i < 2; i++) {
		int fd = i ? t->fe : t->fo;
		char *buf = i ? err : out;
		ssize_t n = buf ? pread(fd, buf, OUT_MAX - 1, 0) : 0;

		if (buf)
			buf[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	unlink(t->tmpl_o);
	unlink(t->tmpl_e);
	return status;
}

static int tool_run(char *const argv[], char *out, char *err)
{
	struct tool_proc t;

	return tool_start(&t, argv) ? -1 : tool_finish(&t, out, err);
}

/* Sample families that are counts, the same whatever the source. */
static bool is_count_sample(const char *line)
{
	static const char *const keep[] = {
		"twstat_sockets{",
		"twstat_timewait_sockets{",
		"twstat_max_tw_buckets{",
		"twstat_sockstat_tw{",
		"twstat_port_range_",
		"twstat_remotes{",
		"twstat_remotes_folded{",
		"twstat_remotes_sockets{",
		"twstat_port_sockets{",
		"twstat_remote_sockets{",
		"twstat_remote_used_ratio{",
		"twstat_timewait_remaining_seconds_count{",
	};

	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (!strncmp(line, keep[i], strlen(keep[i])))
			return true;
	return false;
}

/* Keep only the count samples of @in, in order, into @out; their number. */
static int count_samples(const char *in, char *out)
{
	int n = 0;

	*out = '\0';
	for (const char *l = in; *l;) {
		const char *nl = strchrnul(l, '\n');

		if (is_count_sample(l)) {
			strncat(out, l, nl - l + 1);
			n++;
		}
		l = *nl ? nl + 1 : nl;
	}
	return n;
}

/*
 * The value of the sample of metric @name whose labels contain @label (e.g.
 * state="time-wait"), or -1 if there is none.
 */
static long sample_value(const char *text, const char *name, const char *label)
{
	size_t len = strlen(name);

	for (const char *l = text; *l;) {
		const char *nl = strchrnul(l, '\n'),
			   *sp = memrchr(l, ' ', nl - l);
		const char *lab = strstr(l, label);

		if (!strncmp(l, name, len) && l[len] == '{' && sp && lab &&
		    lab < sp)
			return strtol(sp + 1, NULL, 10);
		l = *nl ? nl + 1 : nl;
	}
	return -1;
}

#define PORT_SYN_RECV 7010

/*
 * A request socket (syn-recv): with TCP_DEFER_ACCEPT the listener ignores
 * the bare ACK that completes the handshake. The client end is estab.
 */
static int make_syn_recv(int *fds)
{
	int secs = 30;

	fds[0] = tcp_listen(AF_INET, PORT_SYN_RECV, 16);
	if (fds[0] < 0 || setsockopt(fds[0], IPPROTO_TCP, TCP_DEFER_ACCEPT,
				     &secs, sizeof(secs)))
		return -1;
	fds[1] = tcp_connect(AF_INET, PORT_SYN_RECV, false);
	msleep(100);
	return fds[1] < 0 ? -1 : 0;
}

FIXTURE(tool)
{
	struct load load;
	int syn[2];
	char *a, *b, *fa, *fb, *err;
};

FIXTURE_SETUP(tool)
{
	self->syn[0] = self->syn[1] = -1;
	ASSERT_EQ(0, module_ensure_loaded());
	ASSERT_EQ(0, netns_new());
	self->load.nfds = 0;
	ASSERT_EQ(0, load_make(&self->load, &spec_v4_server));
	ASSERT_EQ(0, load_make(&self->load, &spec_v4_client));
	ASSERT_EQ(0, load_make(&self->load, &spec_v6_client));
	ASSERT_EQ(0, make_syn_recv(self->syn));
	self->a = malloc(OUT_MAX);
	self->b = malloc(OUT_MAX);
	self->fa = malloc(OUT_MAX);
	self->fb = malloc(OUT_MAX);
	self->err = malloc(OUT_MAX);
	ASSERT_TRUE(self->a && self->b && self->fa && self->fb && self->err);
}

FIXTURE_TEARDOWN(tool)
{
	load_close(&self->load);
	for (int i = 0; i < 2; i++)
		if (self->syn[i] >= 0)
			close(self->syn[i]);
	free(self->a);
	free(self->b);
	free(self->fa);
	free(self->fb);
	free(self->err);
}

/* Both sources, every count: summary, all ports unfolded, all remotes. */
TEST_F(tool, module_and_diag_agree)
{
	char *mod[] = { "twstat", "-s", "module", "-p", "-a", "-t", "0", NULL };
	char *diag[] = { "twstat", "-s", "diag", "-p", "-a", "-t", "0", NULL };
	int n;

	ASSERT_EQ(0, tool_run(mod, self->a, self->err)) TH_LOG("%s", self->err);
	ASSERT_EQ(0, tool_run(diag, self->b, self->err))
	TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->a, "source=\"module\""));
	EXPECT_NE(NULL, strstr(self->b, "source=\"diag\""));
	n = count_samples(self->a, self->fa);
	EXPECT_EQ(n, count_samples(self->b, self->fb));
	EXPECT_GT(n, 50);
	EXPECT_STREQ(self->fa, self->fb);
	/* and they are the load's numbers, not just equal */
	EXPECT_EQ(12 + 20 + 6,
		  sample_value(self->fa, "twstat_sockets", "\"time-wait\""));
	EXPECT_EQ(6 + 1, sample_value(self->fa, "twstat_sockets", "\"estab\""));
	EXPECT_EQ(1, sample_value(self->fa, "twstat_sockets", "\"syn-recv\""));
	EXPECT_EQ(6, sample_value(self->fa, "twstat_timewait_sockets",
				  "\"ipv6\""));
	EXPECT_EQ(12, sample_value(self->fa, "twstat_port_sockets",
				   "port=\"7001\",state=\"time-wait\""));
}

TEST_F(tool, module_and_diag_agree_json_counts)
{
	char *mod[] = { "twstat", "-s", "module", "-j", "summary", NULL };
	char *diag[] = { "twstat", "-s", "diag", "-j", "summary", NULL };
	const char *keys[] = { "\"tw_sockets\":", "\"tw_v4\":", "\"tw_v6\":",
			       "\"sockets\":", "\"sockstat_tw\":" };
	struct ss_dump d;
	long fw2 = 0, fw2_mini = 0;

	ASSERT_EQ(0, tool_run(mod, self->a, self->err)) TH_LOG("%s", self->err);
	ASSERT_EQ(0, tool_run(diag, self->b, self->err))
	TH_LOG("%s", self->err);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char *pa = strstr(self->a, keys[i]),
		     *pb = strstr(self->b, keys[i]);

		ASSERT_TRUE(pa && pb) TH_LOG("%s", keys[i]);
		EXPECT_EQ(strtol(pa + strlen(keys[i]), NULL, 10),
			  strtol(pb + strlen(keys[i]), NULL, 10))
		TH_LOG("%s", keys[i]);
	}
	/*
	 * 38 in time-wait, plus those of the 2 FIN_WAIT2 orphans that are
	 * minisockets (the third FIN_WAIT2 socket is a full one, held
	 * open): an orphan whose last ACK came while close() still held it
	 * stays a full socket for tcp_fin_timeout (one of the two, once, on
	 * 6.12-rt beside six busy VMs). ss tells them apart by their timer.
	 */
	ASSERT_EQ(0, ss_dump(&d));
	for (int i = 0; i < d.n; i++) {
		fw2 += d.s[i].state == 4; /* fin-wait-2 */
		fw2_mini += d.s[i].state == 4 && d.s[i].tw_ms >= 0;
	}
	ss_free(&d);
	EXPECT_EQ(spec_v4_client.fw2_full + spec_v4_client.fw2_orphan, fw2);
	EXPECT_LE(fw2_mini, spec_v4_client.fw2_orphan);
	EXPECT_EQ(38 + fw2_mini,
		  strtol(strstr(self->a, "\"tw_sockets\":") + 13, NULL, 10));
	EXPECT_EQ(6, strtol(strstr(self->a, "\"tw_v6\":") + 8, NULL, 10));
}

/* Child: a netns holding 17 server TIME_WAIT sockets. */
static int setup_17(void *arg)
{
	struct load_spec sp = { .family = AF_INET,
				.port = 7100,
				.server_tw = 17 };
	struct load l = { 0 };

	(void)arg;
	return netns_new() || load_make(&l, &sp);
}

static long tw_of(struct __test_metadata *_metadata, char *const argv[],
		  char *out, char *err)
{
	EXPECT_EQ(0, tool_run(argv, out, err)) TH_LOG("%s", err);
	return sample_value(out, "twstat_sockets", "\"time-wait\"");
}

/* --netns PATH and --netns NAME read that netns, and only it. */
TEST_F(tool, netns_option)
{
	char path[64],
		*by_path[] = { "twstat", "-n", path, "-p", "summary", NULL };
	char *by_name[] = { "twstat", "-n", NETNS_NAME, "-p", "summary", NULL };
	char *here[] = { "twstat", "-p", "summary", NULL };
	char *diag[] = { "twstat", "-s", "diag",    "-n",
			 path,	   "-p", "summary", NULL };
	char *bad[] = { "twstat", "-n", "no-such-netns", NULL };
	struct ns_child child;
	int fd;

	ASSERT_EQ(0, ns_child_start(&child, setup_17, NULL, NULL));
	snprintf(path, sizeof(path), "/proc/%d/ns/net", child.pid);

	EXPECT_EQ(17, tw_of(_metadata, by_path, self->a, self->err));
	EXPECT_EQ(17, tw_of(_metadata, diag, self->a, self->err));
	EXPECT_EQ(38, tw_of(_metadata, here, self->a, self->err));
	/* a named netns is a bind mount under /run/netns, as ip-netns makes */
	fd = open(NETNS_FILE, O_CREAT | O_RDONLY, 0444);
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(0, mount(path, NETNS_FILE, NULL, MS_BIND, NULL));
	EXPECT_EQ(17, tw_of(_metadata, by_name, self->a, self->err));
	EXPECT_NE(NULL, strstr(self->a, "netns=\"" NETNS_NAME "\""));
	umount(NETNS_FILE);
	unlink(NETNS_FILE);
	EXPECT_EQ(1, tool_run(bad, self->a, self->err));
	EXPECT_NE(NULL, strstr(self->err, "no-such-netns"))
	TH_LOG("%s", self->err);
	EXPECT_STREQ("", self->a);

	EXPECT_EQ(0, ns_child_finish(&child));
}

/* Without the module: --source module is one clear error, auto uses diag. */
TEST_F(tool, module_missing)
{
	char *mod[] = { "twstat", "-s", "module", NULL };
	char *aut[] = { "twstat", "-p", "summary", NULL };

	ASSERT_EQ(0, module_unload());
	EXPECT_EQ(1, tool_run(mod, self->a, self->err));
	EXPECT_STREQ("", self->a);
	EXPECT_NE(NULL, strstr(self->err, "insmod")) TH_LOG("%s", self->err);
	EXPECT_EQ(NULL, strchr(strchr(self->err, '\n') + 1, '\n'))
	TH_LOG("more than one line: %s", self->err);
	EXPECT_EQ(38, tw_of(_metadata, aut, self->a, self->err));
	EXPECT_NE(NULL, strstr(self->a, "source=\"diag\""));
	ASSERT_EQ(0, module_ensure_loaded());
}

#define WATCH_TW 100

/*
 * --watch's rate line against a load made between its two frames:
 * WATCH_TW client TIME_WAIT sockets, so created x interval = WATCH_TW and
 * freed = 0, whether the kernel counts TcpExt TW as a minisocket is made
 * (5.18+) or as it expires (5.10): the tool reads which from osrelease.
 */
TEST_F(tool, watch_rates_match_load)
{
	char *argv[] = { "twstat", "-s", "module",  "-w", "4",
			 "-c",	   "2",	 "summary", NULL };
	static const struct load_spec sp = { .family = AF_INET,
					     .port = 7090,
					     .client_tw = WATCH_TW };
	double created, freed, over;
	uint64_t t0 = now_ms(), took;
	struct tool_proc t;
	const char *line;

	ASSERT_EQ(0, tool_start(&t, argv));
	msleep(500);
	ASSERT_EQ(0, load_make(&self->load, &sp));
	took = now_ms() - t0;
	ASSERT_EQ(0, tool_finish(&t, self->a, self->err))
	TH_LOG("%s", self->err);
	/* the margin, for every run's log */
	TH_LOG("the load ended at %llu ms of its 3500",
	       (unsigned long long)took);
	if (took > 3500)
		SKIP(return, "the load ended at %llu ms, near the second frame",
			   (unsigned long long)took);
	line = strstr(self->a, "TIME_WAIT/s: ");
	ASSERT_NE(NULL, line) TH_LOG("%s", self->a);
	ASSERT_EQ(
		3,
		sscanf(line,
		       "TIME_WAIT/s: ~%lf created, ~%lf freed, %*f recycled, %*f overflowed (over %lf s)",
		       &created, &freed, &over))
	TH_LOG("%.200s", line);
	EXPECT_TRUE(created * over > WATCH_TW - 3 &&
		    created * over < WATCH_TW + 3)
	TH_LOG("%.200s", line);
	EXPECT_TRUE(freed * over < 3) TH_LOG("%.200s", line);
}

TEST_HARNESS_MAIN
