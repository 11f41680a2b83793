// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots: one open() sees one walk however it is read; opens within
 * cache_ms share a walk (summary's "walks" tells); concurrent openers
 * share one walk; changed parameters are never served from an older walk;
 * a raised cache_ms still lets an idle snapshot go; an unprivileged
 * reader pins a bounded number of snapshots, charged to its cgroup.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib.h"
#include "kselftest_harness.h"

#define PORT 6400
#define NPORTS 1500 /* ports rows: well over one 4 KiB seq_file page */

static int64_t walks(void)
{
	return summary_now("walks");
}

static char *read_fd_chunked(int fd, size_t chunk, size_t *len)
{
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	ssize_t n;

	*len = 0;
	while (buf && (n = read(fd, buf + *len, chunk)) > 0) {
		*len += n;
		if (cap - *len < chunk)
			buf = realloc(buf, cap *= 2);
	}
	return buf;
}

FIXTURE(cache)
{
	struct load load;
	int fds[NPORTS];
	int nfds;
};

FIXTURE_SETUP(cache)
{
	struct rlimit nofile = { NPORTS + 64, NPORTS + 64 };

	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &nofile));
	ASSERT_EQ(0, module_ensure_loaded());
	ASSERT_EQ(0, param_set("cache_ms", "1000"));
	ASSERT_EQ(0, netns_new());
	self->load.nfds = 0;
	self->nfds = 0;
}

FIXTURE_TEARDOWN(cache)
{
	load_close(&self->load);
	for (int i = 0; i < self->nfds; i++)
		close(self->fds[i]);
	param_set("cache_ms", "1000");
	param_set("max_remotes", "4096");
	param_set("remotes_scope", "ephemeral");
	param_set("max_netns", "4096");
}

TEST_F(cache, opens_within_cache_ms_share_a_walk)
{
	uint64_t t0 = now_ms(); /* before the walk */
	int64_t w = walks(), age;

	ASSERT_GT(w, 0);
	msleep(300);
	age = summary_now("snapshot_age_ms");
	/* the shared snapshot is as old as the time since its walk */
	EXPECT_TRUE(age >= 300 && age <= (int64_t)(now_ms() - t0))
	TH_LOG("snapshot_age_ms %lld, %llu ms after the walk began",
	       (long long)age, (unsigned long long)(now_ms() - t0));
	EXPECT_EQ(w, walks());
	msleep(1100);
	EXPECT_EQ(w + 1, walks());
	EXPECT_LT(summary_now("snapshot_age_ms"), 1000);
}

TEST_F(cache, cache_ms_zero_walks_every_open)
{
	int64_t w;

	ASSERT_EQ(0, param_set("cache_ms", "0"));
	w = walks();
	EXPECT_EQ(w + 1, walks());
	EXPECT_EQ(w + 2, walks());
}

/* Each parameter a snapshot depends on, changed under cache_ms=1000. */
TEST_F(cache, changed_params_are_not_served_stale)
{
	static const char *const change[][2] = {
		{ "max_remotes", "7" },
		{ "remotes_scope", "all" },
		{ "max_netns", "3" },
	};
	int64_t w = walks();

	for (size_t i = 0; i < sizeof(change) / sizeof(change[0]); i++) {
		ASSERT_EQ(0, param_set(change[i][0], change[i][1]));
		EXPECT_EQ(w + 1, walks()) TH_LOG("%s", change[i][0]);
		EXPECT_EQ(w + 1, walks()) TH_LOG("%s", change[i][0]);
		w++;
	}
	param_set("remotes_scope", "ephemeral");
	param_set("max_netns", "4096");
}

TEST_F(cache, concurrent_openers_share_one_walk)
{
	const int n = 8;
	int64_t *seen = mmap(NULL, n * sizeof(*seen), PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int go[2], status;
	char c;

	ASSERT_NE(MAP_FAILED, seen);
	ASSERT_EQ(0, pipe(go));
	msleep(1100); /* let the cached walk go stale: the next open walks */
	for (int i = 0; i < n; i++) {
		if (fork() == 0) {
			if (read(go[0], &c, 1) != 1)
				_exit(1);
			seen[i] = walks();
			_exit(0);
		}
	}
	close(go[0]);
	for (int i = 0; i < n; i++)
		ASSERT_EQ(1, write(go[1], "g", 1));
	for (int i = 0; i < n; i++) {
		ASSERT_GT(wait(&status), 0);
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
	for (int i = 1; i < n; i++)
		EXPECT_EQ(seen[0], seen[i]);
}

/* Many ports, so ports spans several seq_file buffers. */
static void many_ports(struct __test_metadata *_metadata, int *fds, int *nfds)
{
	for (int i = 0; i < NPORTS; i++) {
		fds[i] = tcp_listen(AF_INET, PORT + i, 1);
		ASSERT_GE(fds[i], 0);
		*nfds = i + 1;
	}
	for (int i = 0; i < NPORTS; i++) {
		int c = tcp_connect(AF_INET, PORT + i, false);
		int s = tcp_accept(fds[i]);

		ASSERT_GE(c, 0);
		ASSERT_GE(s, 0);
		/* server closes first: TIME_WAIT on PORT + i */
		ASSERT_EQ(0, close_in_order(s, c));
	}
}

/*
 * A port of many_ports() whose row is not one TIME_WAIT socket and nothing
 * else, or that has two rows: what the walk saw there, for whoever reads
 * a failure.
 */
static void log_odd_rows(struct __test_metadata *_metadata,
			 const struct table *t)
{
	static uint8_t rows[NPORTS];
	char seen[256];
	bool dup;
	size_t n;
	long v;

	memset(rows, 0, sizeof(rows));
	for (int r = 0; r < t->nrows; r++) {
		int port = atoi(table_cell(t, r, "port"));

		if (port < PORT || port >= PORT + NPORTS)
			continue;
		n = 0;
		seen[0] = 0;
		for (int i = 0; i < NSTATES && n < sizeof(seen); i++) {
			v = atol(table_cell(t, r, state_names[i]));
			if (v != (i == 5)) /* 5 = time-wait in state_names[] */
				n += snprintf(seen + n, sizeof(seen) - n,
					      " %s=%ld", state_names[i], v);
		}
		dup = rows[port - PORT]++ > 0;
		if (n || dup)
			TH_LOG("port %d%s:%s", port,
			       dup ? " (a second row)" : "", seen);
	}
}

/* Rows in many_ports()'s range; false if a row is outside it and 6390 */
static bool count_rows(struct __test_metadata *_metadata, const struct table *t,
		       long *in_range, bool *has_6390)
{
	bool other = false;

	*in_range = 0;
	*has_6390 = false;
	for (int r = 0; r < t->nrows; r++) {
		int port = atoi(table_cell(t, r, "port"));

		if (port == 6390) {
			*has_6390 = true;
		} else if (port >= PORT && port < PORT + NPORTS) {
			(*in_range)++;
		} else {
			other = true;
			TH_LOG("unexpected row: port %d time-wait %s last-ack %s",
			       port, table_cell(t, r, "time-wait"),
			       table_cell(t, r, "last-ack"));
		}
	}
	return !other;
}

/* Sockets in many_ports()'s range, in any state: one a port at most */
static long sockets(const long st[NSTATES])
{
	long n = 0;

	for (int i = 0; i < NSTATES; i++)
		n += st[i];
	return n;
}

/*
 * A new open's rows: port 6390 and the ports of many_ports() that still
 * have their socket, in TIME_WAIT or on its way there. many_ports() takes
 * tens of seconds under TCG (beside five busy VMs, over 60), so its first
 * sockets may expire before this read: how many are left, the kernel's
 * /proc/net/tcp says, read just before and just after. The clients' ends
 * of the 6390 connections pass through LAST_ACK on ephemeral ports, and
 * under TCG the final ACK can lag: a few snapshots for them to go.
 */
static void final_rows_match_kernel(struct __test_metadata *_metadata)
{
	long before[NSTATES], after[NSTATES], in_range = 0, most, least;
	bool has_6390 = false, only_ours = false;
	struct table t = { 0 };

	for (int i = 0; i < 5 && !(only_ours && has_6390); i++) {
		table_free(&t);
		/* past cache_ms: this open walks, between before and after */
		msleep(1100);
		proc_tcp_states_on(before, PORT, PORT + NPORTS);
		ASSERT_EQ(0, table_read(&t, "/proc/net/twstat/ports", true));
		proc_tcp_states_on(after, PORT, PORT + NPORTS);
		only_ours = count_rows(_metadata, &t, &in_range, &has_6390);
	}
	EXPECT_TRUE(has_6390);
	EXPECT_TRUE(only_ours);
	most = sockets(before);
	least = sockets(after);
	/* 5 = time-wait in state_names[] */
	EXPECT_TRUE(in_range <= most && in_range >= least)
	TH_LOG("%ld rows of many_ports(); /proc/net/tcp: %ld sockets (%ld time-wait) before, %ld (%ld) after",
	       in_range, most, before[5], least, after[5]);
	if (in_range > most || in_range < least)
		log_odd_rows(_metadata, &t);
	table_free(&t);
}

/*
 * Reading one open file in 97-byte pieces, then again after lseek(0)
 * once the table has changed, gives byte-identical text: the open's
 * snapshot is rendered, the table is not walked again.
 */
/* 1500 ports: more than the harness's 30 s default on the debug kernel */
TEST_F_TIMEOUT(cache, one_open_one_snapshot, 180)
{
	char *a, *b, *c;
	size_t la, lb, lc;
	int fd;

	many_ports(_metadata, self->fds, &self->nfds);
	fd = open("/proc/net/twstat/ports", O_RDONLY);
	ASSERT_GE(fd, 0);
	a = read_fd_chunked(fd, 97, &la);
	ASSERT_GT(la, 4096 * 3);
	ASSERT_EQ(0, load_make(&self->load,
			       &(struct load_spec){ .family = AF_INET,
						    .port = 6390,
						    .server_tw = 20 }));
	msleep(1100);
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	b = read_fd_chunked(fd, 4096 * 4, &lb);
	ASSERT_EQ(la, lb);
	EXPECT_EQ(0, memcmp(a, b, la));
	close(fd);
	fd = open("/proc/net/twstat/ports", O_RDONLY);
	c = read_fd_chunked(fd, 65536, &lc);
	EXPECT_NE(la, lc); /* a new open sees the new port */
	close(fd);
	final_rows_match_kernel(_metadata);
	free(a);
	free(b);
	free(c);
}

/*
 * The cache's release work is armed with cache_ms at the walk; raised
 * since, the snapshot is not stale when the work runs, which must then be
 * armed again for the age left (or the snapshot stays until the next
 * open). In the initial netns, whose netns file snapshot is one its own
 * summary counts (snapshots_live) without touching it.
 */
TEST(raised_cache_ms_still_expires)
{
	int64_t w;
	struct table s, n;

	ASSERT_EQ(0, module_ensure_loaded());
	ASSERT_EQ(0, param_set("cache_ms", "1000"));
	msleep(2500); /* what earlier tests left has expired */
	ASSERT_EQ(0, table_read(&n, "/proc/net/twstat/netns", true));
	table_free(&n);
	w = walks();
	ASSERT_EQ(0, param_set("cache_ms", "4000"));
	msleep(300);
	ASSERT_EQ(0, read_summary(&s));
	/* both kinds cached: the summary's (shared, no walk) and netns's */
	EXPECT_EQ(w, summary_get(&s, "walks"));
	EXPECT_EQ(2, summary_get(&s, "snapshots_live"));
	table_free(&s);
	msleep(6700); /* both stale at 4 s, dropped by the work then */
	ASSERT_EQ(0, read_summary(&s));
	EXPECT_EQ(w + 1, summary_get(&s, "walks"));
	EXPECT_EQ(1, summary_get(&s, "snapshots_live"));
	table_free(&s);
	param_set("cache_ms", "1000");
}

/*
 * Memory a reader pins. An unprivileged reader in a memory cgroup of its
 * own holds READER_FDS open ports files with cache_ms=0: at most
 * LIVE_MAX snapshots (TWSTAT_LIVE_MAX, docs/interface.md) are made for
 * it, later opens share the newest, and what was made is charged to its
 * cgroup. The oracle is the cgroup's memory.current, against a second
 * reader's, identical but with a cache_ms under which all its opens share
 * root's snapshot: what the fds and the process cost cancels out, and the
 * difference is LIVE_MAX snapshots. memory.current also holds up to
 * 64 pages a CPU charged ahead (the memcg's per-CPU stock), so the
 * snapshots are made large against that: 256 KiB a CPU, 512 KiB here.
 */
#define CG_READER CG_ROOT "/twstat-reader"
#define READER_FDS 300
#define LIVE_MAX 16
#define READER_ROWS 4000 /* ports rows: a snapshot of about 210 KB */
#define READER_LPORT 20000 /* READER_ROWS local ports from here */
#define NOBODY 65534

static int write_str(const char *path, const char *v)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -1;
	ret = fputs(v, f) < 0;
	return fclose(f) || ret ? -1 : 0;
}

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f && fscanf(f, "%ld", &v) != 1)
		v = -1;
	if (f)
		fclose(f);
	return v;
}

/* A new memory cgroup CG_READER-@i, its path in @dir. */
static int reader_cgroup(int i, char *dir, size_t len)
{
	char cur[160];

	if (access(CG_ROOT "/cgroup.procs", F_OK) &&
	    mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL))
		return -1;
	if (write_str(CG_ROOT "/cgroup.subtree_control", "+memory"))
		return -1;
	snprintf(dir, len, CG_READER "-%d", i);
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -1;
	snprintf(cur, sizeof(cur), "%s/memory.current", dir);
	return read_long(cur) < 0 ? -1 : 0;
}

struct reader {
	char cg[128];
	pid_t pid;
	int tell[2], hold[2];
	int opened;
	long before, after; /* memory.current */
};

/*
 * The reader's child: joins the cgroup, drops root, opens READER_FDS
 * ports files and reads one, tells how many it opened, and holds them
 * until its hold pipe closes.
 */
static void reader_child(struct reader *r)
{
	char path[160], pid[16], buf[4096], c;
	int fds[READER_FDS], n = 0;

	/* the parent's ends: the hold pipe's EOF must come from it alone */
	close(r->tell[0]);
	close(r->hold[1]);
	snprintf(path, sizeof(path), "%s/cgroup.procs", r->cg);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (write_str(path, pid) || setgid(NOBODY) || setuid(NOBODY))
		_exit(10);
	while (n < READER_FDS &&
	       (fds[n] = open("/proc/net/twstat/ports", O_RDONLY)) >= 0)
		n++;
	if (n && read(fds[0], buf, sizeof(buf)) <= 0)
		n = -1;
	if (write(r->tell[1], &n, sizeof(n)) != sizeof(n))
		_exit(11);
	(void)!read(r->hold[0], &c, 1);
	_exit(0);
}

/* Start reader @i under @cache_ms; 0 once its fds are open. */
static int reader_start(struct reader *r, int i, const char *cache_ms)
{
	char cur[160];

	if (reader_cgroup(i, r->cg, sizeof(r->cg)) ||
	    param_set("cache_ms", cache_ms) || pipe(r->tell) || pipe(r->hold))
		return -1;
	snprintf(cur, sizeof(cur), "%s/memory.current", r->cg);
	r->before = read_long(cur);
	r->pid = fork();
	if (r->pid < 0)
		return -1;
	if (!r->pid)
		reader_child(r);
	close(r->tell[1]);
	close(r->hold[0]);
	if (read(r->tell[0], &r->opened, sizeof(r->opened)) !=
	    sizeof(r->opened))
		return -1;
	r->after = read_long(cur);
	return 0;
}

static void reader_stop(struct reader *r)
{
	close(r->hold[1]);
	close(r->tell[0]);
	waitpid(r->pid, NULL, 0);
}

/*
 * READER_ROWS ESTABLISHED sockets in @fds, on local ports READER_LPORT..
 * to 127.0.0.1:PORT, made in repair mode (TCP_REPAIR, as CRIU restores
 * sockets): connect() hashes each into the ehash at once, sending nothing
 * and needing no peer, and closing one sends nothing either. Unlike the
 * 4000 TIME_WAIT sockets this test made before, they do not expire: that
 * load took 46 s of their 60 s on the debug kernel alone, and beside the
 * host tests it outlasted them (docs/testing.md).
 */
static int repaired_sockets(int *fds)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1;

	for (int i = 0; i < READER_ROWS; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		a.sin_port = htons(READER_LPORT + i);
		if (fds[i] < 0 ||
		    setsockopt(fds[i], IPPROTO_TCP, TCP_REPAIR, &one,
			       sizeof(one)) ||
		    bind(fds[i], (struct sockaddr *)&a, sizeof(a)))
			return -1;
		a.sin_port = htons(PORT);
		if (connect(fds[i], (struct sockaddr *)&a, sizeof(a)))
			return -1;
	}
	return 0;
}

/* Walks a root reader's @n opens make: each its own (not bounded). */
static int64_t root_opens_walk(int n)
{
	int64_t w0 = walks();
	int fds[32];

	for (int i = 0; i < n && i < 32; i++)
		fds[i] = open("/proc/net/twstat/ports", O_RDONLY);
	for (int i = 0; i < n && i < 32; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return walks() - w0 - 1;
}

TEST_F_TIMEOUT(cache, unprivileged_reader_memory_bounded_and_charged, 180)
{
	static int socks[READER_ROWS];
	struct rlimit nofile = { READER_ROWS + READER_FDS + 64,
				 READER_ROWS + READER_FDS + 64 };
	struct reader shared, bounded;
	long one, many, bytes, st[NSTATES];
	struct table s;

	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &nofile));
	ASSERT_EQ(0, repaired_sockets(socks));
	/* the kernel's own count of them, by port */
	proc_tcp_states_on(st, READER_LPORT, READER_LPORT + READER_ROWS);
	ASSERT_EQ(READER_ROWS, st[0]); /* estab */
	/* root walks first: its snapshot and port index charged to neither */
	ASSERT_GT(walks(), 0);
	/* every open within 60 s shares root's snapshot */
	ASSERT_EQ(0, reader_start(&shared, 1, "60000"));
	ASSERT_EQ(READER_FDS, shared.opened);
	reader_stop(&shared);
	msleep(200);
	ASSERT_EQ(0, reader_start(&bounded, 2, "0"));
	ASSERT_EQ(READER_FDS, bounded.opened);
	ASSERT_EQ(0, read_summary(&s));
	bytes = summary_get(&s, "snapshot_bytes");
	one = shared.after - shared.before;
	many = bounded.after - bounded.before;
	TH_LOG("memory.current: +%ld sharing one snapshot, +%ld with cache_ms=0; %ld-byte snapshots",
	       one, many, bytes);
	EXPECT_GE(bytes, READER_ROWS * 40);
	/* the reader's LIVE_MAX, and the summary's own (root: not bounded) */
	EXPECT_EQ(LIVE_MAX + 1, summary_get(&s, "snapshots_live"));
	EXPECT_EQ(READER_FDS - LIVE_MAX,
		  summary_get(&s, "snapshots_over_limit"));
	/*
	 * Charged: the 16 snapshots more, less the stock's 512 KiB; bounded:
	 * not 299 more (the module before issue 21: 0.26 MB more, all
	 * uncharged; 300 fds pinned 62 MB of these).
	 */
	EXPECT_GE(many - one, (LIVE_MAX - 4) * bytes);
	EXPECT_LT(many - one, 2 * LIVE_MAX * bytes);
	/* root, past the bound, still walks on every open */
	EXPECT_EQ(20, root_opens_walk(20));
	reader_stop(&bounded);
	table_free(&s);
}

TEST_HARNESS_MAIN
