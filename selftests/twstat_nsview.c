// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/twstat/netns, the container-host view: one row per network
 * namespace from one walk of each distinct table.
 *
 * - oracle: 40 namespaces with known loads (v4 and v6, some with their
 *   own table through tcp_child_ehash_entries where the kernel has it
 *   (6.1+; before, every namespace shares the global table, and the test
 *   says so in its log), one with no sockets, one
 *   client-heavy). Each row must equal what ss says inside that namespace,
 *   what that namespace's own twstat files and sysctls say, what the load
 *   was built to hold, and the contract's sum rules.
 * - access: only a reader in the initial netns with CAP_NET_ADMIN opens
 *   it; a reader in a child netns and a non-root reader get EACCES.
 * - fold: past max_netns, namespaces fold into one "*" row that sums them.
 * - fold_destinations_inside_a_namespace: past max_remotes, a namespace's
 *   row still counts all its destinations, as ss inside sees them.
 * - tool: processes in cgroup v2 paths shaped like a containerd pod's and
 *   a docker container's, in namespaces with their own hostname: the
 *   tool's netns view names their pod UID, container id and hostname, and
 *   its diag source (entering each namespace) equals the module's view.
 * - churn: 8 readers (cache_ms=0: every open walks) while namespaces with
 *   live connections, some with their own table, are made and destroyed
 *   for 30 s. The VM harness fails the run on any oops/WARN/lockdep/KASAN.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib.h"
#include "kselftest_harness.h"

#define NETNS_FILE "/proc/net/twstat/netns"
#define NNS 40
#define NS_EMPTY 5 /* a namespace without sockets: no row */
#define NS_HEAVY 7 /* client-heavy: one busy destination */
#define NS_OWN_FIRST 30 /* 30..39 get a table of their own */
#define HEAVY_TW 300
#define OWN_EHASH "128"
#define PORT 7001
/* ss prints whole seconds above 10 s: up to 999 ms below the truth. */
#define CHURN_SECS 30
#define READERS 8
/* harness limit for the long tests, seconds (TCG, debug kernels) */
#define TEST_SECS 180

static struct load_spec spec_of(int i)
{
	struct load_spec sp = {
		.family = i % 3 == 0 ? AF_INET6 : AF_INET,
		.port = PORT,
		.server_tw = i % 4,
		.client_tw = 1 + i % 6,
		.estab = i % 3,
	};

	if (i == NS_EMPTY)
		sp = (struct load_spec){ .family = AF_INET, .port = PORT };
	if (i == NS_HEAVY)
		sp.client_tw = HEAVY_TW;
	return sp;
}

/*
 * Namespace @i's own sysctls, none the initial namespace's: a row that
 * showed another namespace's values would differ. @i ports reserved.
 */
#define NS_PORT_LO(i) (20000 + 100 * (i))
#define NS_PORT_HI(i) (50000 + 100 * (i))
#define NS_MAX_TW(i) (200000 + (i))
#define NS_RANGE_SIZE(i) (NS_PORT_HI(i) - NS_PORT_LO(i) + 1 - (i))

static int ns_sysctls(int i)
{
	char v[64];

	snprintf(v, sizeof(v), "%d %d", NS_PORT_LO(i), NS_PORT_HI(i));
	if (sysctl_set("net/ipv4/ip_local_port_range", v))
		return -1;
	snprintf(v, sizeof(v), "%d-%d", NS_PORT_LO(i) + 1, NS_PORT_LO(i) + i);
	if (i && sysctl_set("net/ipv4/ip_local_reserved_ports", v))
		return -1;
	snprintf(v, sizeof(v), "%d", NS_MAX_TW(i));
	return sysctl_set("net/ipv4/tcp_max_tw_buckets", v);
}

static int setup_ns(void *arg)
{
	struct load_spec sp = spec_of(*(int *)arg);
	struct load l = { 0 };

	/* the estab sockets stay open until the child exits */
	return netns_new() || ns_sysctls(*(int *)arg) || load_make(&l, &sp);
}

/* The netns of process @pid: its inode (0 if none), or entering it. */
static unsigned long pid_ns_inode(pid_t pid)
{
	struct stat st;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	return stat(path, &st) ? 0 : (unsigned long)st.st_ino;
}

static int enter_netns_of(pid_t pid)
{
	char path[64];
	int fd, ret;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = setns(fd, CLONE_NEWNET);
	close(fd);
	return ret ? -1 : 0;
}

/* The row of namespace @inum, or -1. */
static int row_of(const struct table *t, unsigned long inum)
{
	for (int r = 0; r < t->nrows; r++)
		if (strtoul(table_cell(t, r, "netns"), NULL, 10) == inum)
			return r;
	return -1;
}

static long cell(const struct table *t, int r, const char *col)
{
	const char *c = table_cell(t, r, col);

	return c ? strtol(c, NULL, 10) : -2;
}

static long read_long(const char *path, int field)
{
	long v[2] = { -1, -1 };
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &v[0], &v[1]) < field + 1)
		v[field] = -1;
	fclose(f);
	return v[field];
}

/*
 * What ss, inet_diag and the namespace's own files say, read inside it
 * after the netns file.
 */
struct inside {
	long state[NSTATES];
	long sockets, tw_v4, tw_v6;
	struct tw_span after;
	long port_lo, port_hi, max_tw, ehash;
	struct table summary, remotes;
};

static void inside_ss(struct inside *in, const struct ss_dump *d)
{
	for (int i = 0; i < d->n; i++) {
		const struct ss_sock *s = &d->s[i];

		in->sockets++;
		in->state[s->state]++;
		if (s->tw_ms < 0)
			continue;
		*(s->family == AF_INET6 ? &in->tw_v6 : &in->tw_v4) += 1;
	}
}

static int read_inside(pid_t pid, int home, struct inside *in)
{
	struct ss_dump d;
	int ret;

	memset(in, 0, sizeof(*in));
	if (enter_netns_of(pid))
		return -1;
	ret = ss_dump(&d) || diag_tw_spans(&in->after, NULL, NULL);
	if (!ret)
		inside_ss(in, &d);
	ss_free(&d);
	in->port_lo = read_long("/proc/sys/net/ipv4/ip_local_port_range", 0);
	in->port_hi = read_long("/proc/sys/net/ipv4/ip_local_port_range", 1);
	in->max_tw = read_long("/proc/sys/net/ipv4/tcp_max_tw_buckets", 0);
	in->ehash = read_long("/proc/sys/net/ipv4/tcp_ehash_entries", 0);
	ret = ret || read_summary(&in->summary) ||
	      table_read(&in->remotes, "/proc/net/twstat/remotes", true);
	return setns(home, CLONE_NEWNET) || ret ? -1 : 0;
}

/* inet_diag's span of the minisockets of @pid's netns, before a read */
static int span_inside(pid_t pid, int home, struct tw_span *before)
{
	int ret;

	if (enter_netns_of(pid))
		return -1;
	ret = diag_tw_spans(before, NULL, NULL);
	return setns(home, CLONE_NEWNET) || ret ? -1 : 0;
}

/* top_* must be the first row of the namespace's own remotes file. */
static void check_top(struct __test_metadata *_metadata, const struct table *t,
		      int r, const struct inside *in)
{
	static const char *const top[] = { "laddr", "raddr", "rport", "used",
					   "pct" };
	char col[16];

	for (int i = 0; i < 5; i++) {
		snprintf(col, sizeof(col), "top_%s", top[i]);
		EXPECT_STREQ(in->remotes.nrows ?
				     table_cell(&in->remotes, 0, top[i]) :
				     "-",
			     table_cell(t, r, col));
	}
	EXPECT_EQ(summary_get(&in->summary, "remotes") +
			  summary_get(&in->summary, "remotes_folded"),
		  cell(t, r, "remotes"));
}

static void check_row(struct __test_metadata *_metadata, const struct table *t,
		      int r, const struct inside *in,
		      const struct tw_span *before)
{
	long sum = 0;

	for (int s = 0; s < NSTATES; s++) {
		EXPECT_EQ(in->state[s], cell(t, r, state_names[s]))
		TH_LOG("state %s", state_names[s]);
		sum += cell(t, r, state_names[s]);
	}
	EXPECT_EQ(in->sockets, cell(t, r, "sockets"));
	EXPECT_EQ(sum, cell(t, r, "sockets"));
	EXPECT_EQ(in->tw_v4, cell(t, r, "tw_v4"));
	EXPECT_EQ(in->tw_v6, cell(t, r, "tw_v6"));
	EXPECT_TRUE(tw_span_between(table_ms(t, r, "tw_min_ms"),
				    table_ms(t, r, "tw_max_ms"), before,
				    &in->after))
	TH_LOG("tw_min_ms %ld, tw_max_ms %ld; inet_diag before %ld..%ld (%ld), after %ld..%ld (%ld)",
	       table_ms(t, r, "tw_min_ms"), table_ms(t, r, "tw_max_ms"),
	       before->min, before->max, before->n, in->after.min,
	       in->after.max, in->after.n);
	EXPECT_EQ(in->port_lo, cell(t, r, "port_range_lo"));
	EXPECT_EQ(in->port_hi, cell(t, r, "port_range_hi"));
	EXPECT_EQ(summary_get(&in->summary, "port_range_size"),
		  cell(t, r, "port_range_size"));
	EXPECT_EQ(in->max_tw, cell(t, r, "max_tw_buckets"));
	check_top(_metadata, t, r, in);
}

/* Rows by time-wait, then sockets, descending; then netns ascending. */
static bool sorted(const struct table *t)
{
	for (int r = 1; r < t->nrows; r++) {
		long tw0 = cell(t, r - 1, "time-wait"),
		     tw1 = cell(t, r, "time-wait");
		long s0 = cell(t, r - 1, "sockets"), s1 = cell(t, r, "sockets");

		if (tw0 < tw1 || (tw0 == tw1 && s0 < s1) ||
		    (tw0 == tw1 && s0 == s1 &&
		     cell(t, r - 1, "netns") >= cell(t, r, "netns")))
			return false;
	}
	return true;
}

#define CHILD_EHASH_SYSCTL "net/ipv4/tcp_child_ehash_entries"

/* Per-netns tables came with 6.1; before, all share the global one. */
static bool have_child_ehash(void)
{
	return access("/proc/sys/" CHILD_EHASH_SYSCTL, F_OK) == 0;
}

static int child_ehash_set(const char *val)
{
	return have_child_ehash() ? sysctl_set(CHILD_EHASH_SYSCTL, val) : 0;
}

static void log_child_ehash(struct __test_metadata *_metadata)
{
	if (!have_child_ehash())
		TH_LOG("SKIP part: no %s (kernel before 6.1): every namespace uses the global table, none has its own",
		       CHILD_EHASH_SYSCTL);
}

static int start_all(struct ns_child *kids, int *ids)
{
	for (int i = 0; i < NNS; i++) {
		ids[i] = i;
		/* read from the creator's netns when the child is made */
		if (i == NS_OWN_FIRST && child_ehash_set(OWN_EHASH))
			return -1;
		if (ns_child_start(&kids[i], setup_ns, NULL, &ids[i]))
			return -1;
	}
	return child_ehash_set("0");
}

static void check_child(struct __test_metadata *_metadata,
			const struct table *t, int i, pid_t pid, int home,
			const struct tw_span *before)
{
	struct load_spec sp = spec_of(i);
	struct inside in;
	int r;

	r = row_of(t, pid_ns_inode(pid));
	ASSERT_EQ(0, read_inside(pid, home, &in));
	if (i == NS_EMPTY) {
		EXPECT_EQ(-1, r);
		EXPECT_EQ(0, in.sockets);
		return;
	}
	ASSERT_LE(0, r) TH_LOG("netns %d (of pid %d) has no row", i, pid);
	/* its own sysctls, as setup_ns() set them */
	EXPECT_EQ(NS_PORT_LO(i), cell(t, r, "port_range_lo"));
	EXPECT_EQ(NS_PORT_HI(i), cell(t, r, "port_range_hi"));
	EXPECT_EQ(NS_RANGE_SIZE(i), cell(t, r, "port_range_size"));
	EXPECT_EQ(NS_MAX_TW(i), cell(t, r, "max_tw_buckets"));
	/* independent of ss: what the load was built to hold */
	EXPECT_EQ(sp.server_tw + sp.client_tw, cell(t, r, "time-wait"));
	EXPECT_EQ(2 * sp.estab, cell(t, r, "estab"));
	EXPECT_EQ(i >= NS_OWN_FIRST && have_child_ehash(), in.ehash > 0)
	TH_LOG("netns %d", i);
	check_row(_metadata, t, r, &in, before);
	table_free(&in.summary);
	table_free(&in.remotes);
}

/* Every open walks (cache_ms=0); the defaults come back afterwards. */
FIXTURE(nsview)
{
	int unused;
};

FIXTURE_SETUP(nsview)
{
	ASSERT_EQ(0, module_ensure_loaded());
	ASSERT_EQ(0, param_set("cache_ms", "0"));
}

FIXTURE_TEARDOWN(nsview)
{
	child_ehash_set("0");
	param_set("max_netns", "4096");
	param_set("max_remotes", "4096");
	param_set("cache_ms", "1000");
}

TEST_F_TIMEOUT(nsview, oracle, TEST_SECS)
{
	struct ns_child kids[NNS];
	struct tw_span before[NNS];
	int ids[NNS], home;
	struct table t;

	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, home);
	log_child_ehash(_metadata);
	ASSERT_EQ(0, start_all(kids, ids));
	for (int i = 0; i < NNS; i++)
		ASSERT_EQ(0, span_inside(kids[i].pid, home, &before[i]));
	ASSERT_EQ(0, table_read(&t, NETNS_FILE, true));
	EXPECT_TRUE(sorted(&t));
	/* nothing folded at max_netns 4096: no "*" row */
	for (int r = 0; r < t.nrows; r++)
		EXPECT_STRNE("*", table_cell(&t, r, "netns"));
	for (int i = 0; i < NNS; i++)
		check_child(_metadata, &t, i, kids[i].pid, home, &before[i]);
	for (int i = 0; i < NNS; i++)
		EXPECT_EQ(0, ns_child_finish(&kids[i]));
	table_free(&t);
	close(home);
}

static int open_errno(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* In a child netns: EACCES through /proc/PID/net, no file of its own. */
static int check_child_reader(void *arg)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/net/twstat/netns",
		 *(pid_t *)arg);
	if (open_errno(path) != EACCES)
		return 20;
	return open_errno(NETNS_FILE) == ENOENT ? 0 : 21;
}

static int setup_plain(void *arg)
{
	(void)arg;
	return netns_new();
}

TEST_F(nsview, access_rules)
{
	pid_t me = getpid(), pid;
	struct ns_child c;
	int status;

	EXPECT_EQ(0, open_errno(NETNS_FILE));
	ASSERT_EQ(0, ns_child_start(&c, setup_plain, check_child_reader, &me));
	EXPECT_EQ(0, ns_child_finish(&c));

	/* non-root in the initial netns: no CAP_NET_ADMIN */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(30);
		_exit(open_errno(NETNS_FILE) == EACCES ? 0 : 31);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* the other files stay readable by anyone */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setresuid(65534, 65534, 65534))
			_exit(30);
		_exit(open_errno("/proc/net/twstat/summary"));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

static void state_sums(const struct table *t, long *sum)
{
	memset(sum, 0, NSTATES * sizeof(*sum));
	for (int r = 0; r < t->nrows; r++)
		for (int s = 0; s < NSTATES; s++)
			sum[s] += cell(t, r, state_names[s]);
}

static void check_folded(struct __test_metadata *_metadata,
			 const struct table *t)
{
	int r = t->nrows - 1;

	ASSERT_EQ(3, t->nrows);
	EXPECT_STREQ("*", table_cell(t, r, "netns"));
	EXPECT_STREQ("-", table_cell(t, r, "port_range_lo"));
	EXPECT_STREQ("-", table_cell(t, r, "top_laddr"));
	EXPECT_STREQ("-", table_cell(t, r, "remotes"));
	EXPECT_LE(3, cell(t, r, "time-wait")); /* 3 namespaces, 1+ each */
}

static void check_max_netns_param(struct __test_metadata *_metadata)
{
	static const char *const bad[] = { "0", "65537", "-1", "4k", " " };
	char buf[32];

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		EXPECT_EQ(-EINVAL, param_set("max_netns", bad[i]))
		TH_LOG("max_netns='%s'", bad[i]);
	}
	ASSERT_EQ(0, param_get("max_netns", buf, sizeof(buf)));
	EXPECT_STREQ("2", buf);
}

/* max_netns=2: two rows and one "*" row; the totals do not change. */
TEST_F(nsview, fold)
{
	long all[NSTATES], folded[NSTATES];
	struct ns_child kids[5];
	int ids[5] = { 1, 2, 3, 4, 6 };
	struct table t, f;

	for (int i = 0; i < 5; i++)
		ASSERT_EQ(0, ns_child_start(&kids[i], setup_ns, NULL, &ids[i]));
	ASSERT_EQ(0, table_read(&t, NETNS_FILE, true));
	ASSERT_EQ(0, param_set("max_netns", "2"));
	ASSERT_EQ(0, table_read(&f, NETNS_FILE, true));
	check_max_netns_param(_metadata);
	ASSERT_EQ(0, param_set("max_netns", "4096"));
	EXPECT_LE(5, t.nrows);
	check_folded(_metadata, &f);
	state_sums(&t, all);
	state_sums(&f, folded);
	for (int s = 0; s < NSTATES; s++) {
		EXPECT_EQ(all[s], folded[s]) TH_LOG("state %s", state_names[s]);
	}
	for (int i = 0; i < 5; i++)
		EXPECT_EQ(0, ns_child_finish(&kids[i]));
	table_free(&t);
	table_free(&f);
}

/*
 * Folding inside a namespace: DESTS destinations at max_remotes MAXR,
 * destination d holding 1 + d client TIME_WAIT sockets. The namespace's
 * row still counts every destination (the load's, and ss's inside); its
 * own summary folds DESTS - MAXR of them, exactly. Which ones fold is the
 * walk's order (the first MAXR it meets keep rows), so each kept row is
 * checked against the load by its rport, and the "*" row holds the rest.
 */
#define DESTS 9
#define DEST_PORT 7101
#define MAXR 4

static int setup_dests(void *arg)
{
	(void)arg;
	if (netns_new())
		return -1;
	for (int d = 0; d < DESTS; d++) {
		struct load_spec sp = { .family = AF_INET,
					.port = DEST_PORT + d,
					.client_tw = 1 + d };
		struct load l = { 0 };

		if (load_make(&l, &sp))
			return -1;
	}
	return 0;
}

/* The load's destinations that ss sees inside namespace @pid, or -1. */
static int ss_dests(pid_t pid, int home)
{
	bool seen[DESTS] = { false };
	struct ss_dump d;
	int n = 0;

	if (enter_netns_of(pid))
		return -1;
	if (!ss_dump(&d)) {
		for (int i = 0; i < d.n; i++) {
			int k = d.s[i].rport - DEST_PORT;

			if (d.s[i].tw_ms >= 0 && k >= 0 && k < DESTS &&
			    !seen[k]) {
				seen[k] = true;
				n++;
			}
		}
		ss_free(&d);
	}
	return setns(home, CLONE_NEWNET) ? -1 : n;
}

/*
 * The rows of the namespace's own remotes: each kept one has its load's
 * sockets, and the "*" row all the others.
 */
static void check_kept_and_folded(struct __test_metadata *_metadata,
				  const struct table *rt)
{
	int kept = 0, kept_sockets = 0, folded = -1;

	for (int r = 0; r < rt->nrows; r++) {
		long rport = cell(rt, r, "rport");

		if (!strcmp(table_cell(rt, r, "laddr"), "*")) {
			folded = (int)cell(rt, r, "used");
			continue;
		}
		EXPECT_EQ(rport - DEST_PORT + 1, cell(rt, r, "used"))
		TH_LOG("destination port %ld", rport);
		kept_sockets += (int)cell(rt, r, "used");
		kept++;
	}
	EXPECT_EQ(MAXR, kept);
	EXPECT_EQ(DESTS * (DESTS + 1) / 2 - kept_sockets, folded);
}

TEST_F(nsview, fold_destinations_inside_a_namespace)
{
	int home, r, zero = 0;
	struct ns_child kid;
	struct tw_span before;
	struct inside in;
	struct table t;
	char maxr[16];

	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, home);
	ASSERT_EQ(0, ns_child_start(&kid, setup_dests, NULL, &zero));
	snprintf(maxr, sizeof(maxr), "%d", MAXR);
	ASSERT_EQ(0, param_set("max_remotes", maxr));
	ASSERT_EQ(DESTS, ss_dests(kid.pid, home));
	ASSERT_EQ(0, span_inside(kid.pid, home, &before));
	ASSERT_EQ(0, table_read(&t, NETNS_FILE, true));
	ASSERT_EQ(0, read_inside(kid.pid, home, &in));
	r = row_of(&t, pid_ns_inode(kid.pid));
	ASSERT_LE(0, r);
	EXPECT_EQ(DESTS, cell(&t, r, "remotes"));
	EXPECT_EQ(MAXR, summary_get(&in.summary, "remotes"));
	EXPECT_EQ(DESTS - MAXR, summary_get(&in.summary, "remotes_folded"));
	EXPECT_EQ(0, summary_get(&in.summary, "remotes_folded_estimated"));
	check_kept_and_folded(_metadata, &in.remotes);
	/* top_*: the first row of its own remotes (check_row), which is one
	 * of the load's destinations */
	EXPECT_EQ(cell(&t, r, "top_rport") - DEST_PORT + 1,
		  cell(&t, r, "top_used"));
	check_row(_metadata, &t, r, &in, &before);
	EXPECT_EQ(0, ns_child_finish(&kid));
	table_free(&in.summary);
	table_free(&in.remotes);
	table_free(&t);
	close(home);
}

#define POD_UID "1b2c3d4e-0000-4a5b-8c9d-0123456789ab"
#define POD_SLICE                                   \
	"kubepods.slice/kubepods-besteffort.slice/" \
	"kubepods-besteffort-pod1b2c3d4e_0000_4a5b_8c9d_0123456789ab.slice"
#define CID_POD \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define CID_DOCKER \
	"fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

struct boxed {
	const char *cgroup; /* under CG_ROOT */
	const char *hostname;
	int i; /* its load: spec_of(i) */
};

static const struct boxed boxes[] = {
	{ POD_SLICE "/cri-containerd-" CID_POD ".scope", "web-7f9c", 1 },
	{ "system.slice/docker-" CID_DOCKER ".scope", "db-1", 2 },
};

static int mkdirs(const char *path)
{
	char p[512];

	for (size_t i = 1; i <= strlen(path); i++) {
		if (path[i] != '/' && path[i])
			continue;
		snprintf(p, sizeof(p), "%.*s", (int)i, path);
		if (mkdir(p, 0755) && errno != EEXIST)
			return -1;
	}
	return 0;
}

static int write_path(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

/* In a netns and UTS namespace of its own, inside a container's cgroup. */
static int setup_boxed(void *arg)
{
	const struct boxed *b = arg;
	struct load_spec sp = spec_of(b->i);
	struct load l = { 0 };
	char procs[512], pid[16];

	snprintf(procs, sizeof(procs), CG_ROOT "/%s", b->cgroup);
	if (mkdirs(procs))
		return -1;
	strcat(procs, "/cgroup.procs");
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (unshare(CLONE_NEWUTS) ||
	    sethostname(b->hostname, strlen(b->hostname)))
		return -1;
	return write_path(procs, pid) || netns_new() || load_make(&l, &sp);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* @text with its lines starting @skip removed, sorted, for comparison. */
static void lines_without(char *text, const char *skip)
{
	char *save, *line, *out = text, **v = calloc(65536, sizeof(*v));
	int n = 0;

	for (line = strtok_r(text, "\n", &save); line && n < 65536;
	     line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, skip, strlen(skip)))
			v[n++] = strdup(line);
	qsort(v, n, sizeof(*v), str_cmp);
	for (int i = 0; i < n; i++) {
		out += sprintf(out, "%s\n", v[i]);
		free(v[i]);
	}
	*out = 0;
	free(v);
}

static void check_info(struct __test_metadata *_metadata, const char *prom,
		       const struct boxed *b, pid_t pid, const char *cid,
		       const char *pod)
{
	char want[512];

	snprintf(want, sizeof(want),
		 "twstat_netns_info{netns=\"%lu\",name=\"\",pid=\"%d\","
		 "comm=\"twstat_nsview\",container_id=\"%s\",pod_uid=\"%s\","
		 "hostname=\"%s\"} 1\n",
		 pid_ns_inode(pid), pid, cid, pod, b->hostname);
	EXPECT_NE(NULL, strstr(prom, want)) TH_LOG("missing: %s", want);
}

TEST_F_TIMEOUT(nsview, tool, TEST_SECS)
{
	static char mod[1 << 20], diag[1 << 20];
	struct ns_child kids[2];

	if (access(CG_ROOT "/cgroup.procs", F_OK))
		ASSERT_EQ(0, mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL));
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(0, ns_child_start(&kids[i], setup_boxed, NULL,
					    (void *)&boxes[i]));
	ASSERT_EQ(0, tool_sh("-p -t 0 netns", mod, sizeof(mod)));
	check_info(_metadata, mod, &boxes[0], kids[0].pid, CID_POD, POD_UID);
	check_info(_metadata, mod, &boxes[1], kids[1].pid, CID_DOCKER, "");
	ASSERT_EQ(0,
		  tool_sh("-p -t 0 --source diag netns", diag, sizeof(diag)));
	/* the source, and the time of each read, differ */
	lines_without(mod, "twstat_info{");
	lines_without(diag, "twstat_info{");
	lines_without(mod, "twstat_read_timestamp_seconds{");
	lines_without(diag, "twstat_read_timestamp_seconds{");
	EXPECT_STREQ(mod, diag);
	for (int i = 0; i < 2; i++)
		EXPECT_EQ(0, ns_child_finish(&kids[i]));
}

/* Read the whole file until @end; 0 if every read was a whole table. */
static int reader(uint64_t end)
{
	long reads = 0;
	struct table t;

	while (now_ms() < end) {
		if (table_read(&t, NETNS_FILE, true) ||
		    table_col(&t, "remotes") < 0)
			return 1;
		table_free(&t);
		reads++;
	}
	return reads ? 0 : 2;
}

/* A namespace with live connections and TIME_WAIT, gone at exit. */
static int churn_one(int i)
{
	struct load_spec sp = { .family = i % 2 ? AF_INET6 : AF_INET,
				.port = PORT,
				.client_tw = 2,
				.estab = 2 };
	struct load l = { 0 };
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(netns_new() || load_make(&l, &sp) ? 1 : 0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F_TIMEOUT(nsview, churn, TEST_SECS)
{
	uint64_t end = now_ms() + CHURN_SECS * 1000;
	pid_t readers[READERS];
	int made = 0, status;

	log_child_ehash(_metadata);
	for (int i = 0; i < READERS; i++) {
		readers[i] = fork();
		ASSERT_LE(0, readers[i]);
		if (readers[i] == 0)
			_exit(reader(end));
	}
	while (now_ms() < end) {
		/* every other namespace with a table of its own */
		ASSERT_EQ(0, child_ehash_set(made % 2 ? "64" : "0"));
		ASSERT_EQ(0, churn_one(made));
		made++;
	}
	for (int i = 0; i < READERS; i++) {
		ASSERT_EQ(readers[i], waitpid(readers[i], &status, 0));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("reader %d", i);
	}
	TH_LOG("%d namespaces made and destroyed in %d s", made, CHURN_SECS);
	EXPECT_LE(10, made);
}

TEST_HARNESS_MAIN
