// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/twstat/remotes, the port-exhaustion view: every row against
 * ss grouped by (laddr, raddr, rport) and against the sysctls; the scope
 * parameter; folding at max_remotes with exact and estimated fold counts;
 * and a destination driven to exhaustion in a narrow ephemeral range,
 * where connect()'s EADDRNOTAVAIL must coincide with pct = 100.0.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lib.h"
#include "kselftest_harness.h"

#define MAX_DEST 8192

struct dest {
	char laddr[64], raddr[64];
	int family, rport;
	long estab, tw, fw2, other;
	int tw_min, tw_max;
};

struct oracle {
	int lo, hi, range;
	int n;
	struct dest d[MAX_DEST];
};

static int read_ints(const char *path, int *v, int n)
{
	FILE *f = fopen(path, "r");
	int got = 0;

	while (f && got < n && fscanf(f, "%d", &v[got]) == 1)
		got++;
	if (f)
		fclose(f);
	return got == n ? 0 : -1;
}

/* ip_local_reserved_ports: "a,b-c,..." */
static int reserved_in(int lo, int hi)
{
	char buf[4096], *p, *save;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_reserved_ports", "r");
	int n = 0, a, b;

	if (!f || !fgets(buf, sizeof(buf), f))
		return f ? (fclose(f), 0) : 0;
	fclose(f);
	for (p = strtok_r(buf, ",\n", &save); p;
	     p = strtok_r(NULL, ",\n", &save)) {
		if (sscanf(p, "%d-%d", &a, &b) != 2)
			b = a = atoi(p);
		for (int port = a; port <= b; port++)
			n += port >= lo && port <= hi;
	}
	return n;
}

/*
 * A v4-mapped v6 socket shares its ports with the AF_INET sockets to the
 * same address (the ehash's 4-tuple match ignores the family): one
 * destination, written as IPv4 (docs/interface.md).
 */
static void unmap(struct ss_sock *s)
{
	static const char mapped[] = "::ffff:";
	size_t n = sizeof(mapped) - 1;

	if (s->family != AF_INET6 || strncmp(s->raddr, mapped, n) ||
	    !strchr(s->raddr, '.'))
		return;
	s->family = AF_INET;
	memmove(s->raddr, s->raddr + n, strlen(s->raddr + n) + 1);
	if (!strncmp(s->laddr, mapped, n))
		memmove(s->laddr, s->laddr + n, strlen(s->laddr + n) + 1);
}

static struct dest *dest_of(struct oracle *o, const struct ss_sock *s)
{
	for (int i = 0; i < o->n; i++)
		if (o->d[i].family == s->family && o->d[i].rport == s->rport &&
		    !strcmp(o->d[i].laddr, s->laddr) &&
		    !strcmp(o->d[i].raddr, s->raddr))
			return &o->d[i];
	if (o->n == MAX_DEST)
		return NULL;
	struct dest *d = &o->d[o->n++];

	memset(d, 0, sizeof(*d));
	d->family = s->family;
	d->rport = s->rport;
	snprintf(d->laddr, sizeof(d->laddr), "%s", s->laddr);
	snprintf(d->raddr, sizeof(d->raddr), "%s", s->raddr);
	d->tw_min = d->tw_max = -1;
	return d;
}

/* Group ss's sockets the way remotes must; @all: remotes_scope=all. */
static int oracle_build(struct oracle *o, bool all)
{
	struct ss_dump dump;
	int lohi[2];

	if (read_ints("/proc/sys/net/ipv4/ip_local_port_range", lohi, 2) ||
	    ss_dump(&dump))
		return -1;
	o->lo = lohi[0];
	o->hi = lohi[1];
	o->range = o->hi - o->lo + 1 - reserved_in(o->lo, o->hi);
	o->n = 0;
	for (int i = 0; i < dump.n; i++) {
		struct ss_sock *s = &dump.s[i];
		struct dest *d;

		if (!all && (s->lport < o->lo || s->lport > o->hi))
			continue;
		unmap(s);
		d = dest_of(o, s);
		if (!d)
			return -1;
		if (s->state == 0)
			d->estab++;
		else if (s->state == 5)
			d->tw++;
		else if (s->state == 4)
			d->fw2++;
		else
			d->other++;
		if (s->tw_ms >= 0 && (d->tw_min < 0 || s->tw_ms < d->tw_min))
			d->tw_min = s->tw_ms;
		if (s->tw_ms > d->tw_max)
			d->tw_max = s->tw_ms;
	}
	ss_free(&dump);
	return 0;
}

static long used(const struct dest *d)
{
	return d->estab + d->tw + d->fw2 + d->other;
}

static const struct dest *oracle_find(const struct oracle *o, const char *laddr,
				      const char *raddr, int rport)
{
	for (int i = 0; i < o->n; i++)
		if (o->d[i].rport == rport && !strcmp(o->d[i].laddr, laddr) &&
		    !strcmp(o->d[i].raddr, raddr))
			return &o->d[i];
	return NULL;
}

static void pct_text(char *buf, size_t len, long used, int range)
{
	long tenths = (used * 2000 + range) / (2L * range);

	snprintf(buf, len, "%ld.%ld", tenths / 10, tenths % 10);
}

/* One remotes row equals its oracle destination, column by column. */
static void check_row(struct __test_metadata *_metadata, const struct table *t,
		      int r, const struct dest *d, int range)
{
	char pct[32];

	ASSERT_NE(NULL, d)
	TH_LOG("row %d: %s %s %s has no ss sockets", r, t->rows[r][0],
	       t->rows[r][1], t->rows[r][2]);
	EXPECT_EQ(d->estab, atol(table_cell(t, r, "estab")));
	EXPECT_EQ(d->tw, atol(table_cell(t, r, "time-wait")));
	EXPECT_EQ(d->fw2, atol(table_cell(t, r, "fin-wait-2")));
	EXPECT_EQ(d->other, atol(table_cell(t, r, "other")));
	EXPECT_EQ(used(d), atol(table_cell(t, r, "used")));
	EXPECT_EQ(range, atol(table_cell(t, r, "range")));
	pct_text(pct, sizeof(pct), used(d), range);
	EXPECT_STREQ(pct, table_cell(t, r, "pct"));
	if (d->tw_min < 0) {
		EXPECT_STREQ("-", table_cell(t, r, "tw_min_ms"));
		EXPECT_STREQ("-", table_cell(t, r, "tw_max_ms"));
	} else {
		long min = atol(table_cell(t, r, "tw_min_ms"));
		long max = atol(table_cell(t, r, "tw_max_ms"));

		/* the file is read first; ss prints whole seconds above 9 s */
		EXPECT_TRUE(min + 10 >= d->tw_min && min <= d->tw_min + 2000)
		TH_LOG("tw_min %ld ss %d", min, d->tw_min);
		EXPECT_TRUE(max + 10 >= d->tw_max && max <= d->tw_max + 2000)
		TH_LOG("tw_max %ld ss %d", max, d->tw_max);
	}
}

/*
 * Destinations of equal used go by family, laddr, raddr, rport, as bytes
 * and numbers: < 0 when @a must come before @b.
 */
static int dest_order(const struct dest *a, const struct dest *b)
{
	unsigned char x[16], y[16];
	int d;

	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	inet_pton(a->family, a->laddr, x);
	inet_pton(b->family, b->laddr, y);
	d = memcmp(x, y, a->family == AF_INET ? 4 : 16);
	if (d)
		return d;
	inet_pton(a->family, a->raddr, x);
	inet_pton(b->family, b->raddr, y);
	d = memcmp(x, y, a->family == AF_INET ? 4 : 16);
	return d ?: a->rport - b->rport;
}

/* Every row matches ss, rows are sorted, nothing is missing. */
static void check_remotes(struct __test_metadata *_metadata, bool all)
{
	static struct oracle o;
	const struct dest *prev = NULL;
	struct table t, s;
	long total = 0;

	ASSERT_EQ(0, table_read(&t, "/proc/net/twstat/remotes", true));
	ASSERT_EQ(0, read_summary(&s));
	ASSERT_EQ(0, oracle_build(&o, all));
	ASSERT_EQ(o.n, t.nrows);
	EXPECT_EQ(o.n, summary_get(&s, "remotes"));
	EXPECT_EQ(0, summary_get(&s, "remotes_folded"));
	EXPECT_EQ(o.range, summary_get(&s, "port_range_size"));
	for (int r = 0; r < t.nrows; r++) {
		const struct dest *d = oracle_find(
			&o, t.rows[r][0], t.rows[r][1], atoi(t.rows[r][2]));

		check_row(_metadata, &t, r, d, o.range);
		if (prev && used(prev) == used(d)) {
			EXPECT_GT(0, dest_order(prev, d))
			TH_LOG("row %d (%s %s %s) out of order", r,
			       t.rows[r][0], t.rows[r][1], t.rows[r][2]);
		} else if (prev) {
			EXPECT_GT(used(prev), used(d));
		}
		prev = d;
		total += used(d);
	}
	EXPECT_EQ(total, summary_get(&s, "remotes_sockets"));
	table_free(&t);
	table_free(&s);
}

FIXTURE(remotes)
{
	struct load load;
};

FIXTURE_SETUP(remotes)
{
	ASSERT_EQ(0, module_ensure_loaded());
	ASSERT_EQ(0, param_set("cache_ms", "0"));
	ASSERT_EQ(0, netns_new());
	self->load.nfds = 0;
}

FIXTURE_TEARDOWN(remotes)
{
	load_close(&self->load);
	param_set("cache_ms", "1000");
	param_set("max_remotes", "4096");
	param_set("remotes_scope", "ephemeral");
}

/* Client TIME_WAIT from 127.0.0.@local to 127.0.0.1:@port. */
static int client_tw_from(int local, int port, int n)
{
	int lfd = tcp_listen(AF_INET, port, 128);
	struct sockaddr_in a = { .sin_family = AF_INET };

	for (int i = 0; lfd >= 0 && i < n; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0), s;

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK - 1 + local);
		a.sin_port = 0;
		if (c < 0 || bind(c, (struct sockaddr *)&a, sizeof(a)))
			return -1;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a.sin_port = htons(port);
		if (connect(c, (struct sockaddr *)&a, sizeof(a)))
			return -1;
		s = tcp_accept(lfd);
		if (s < 0 || close_in_order(c, s))
			return -1;
	}
	return lfd >= 0 ? close(lfd) : -1;
}

/* A v6 socket to a v4 listener: v4-mapped addresses. */
static int mapped_tw(int port, int n)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_port = htons(port) };
	int lfd = tcp_listen(AF_INET, port, 128);

	inet_pton(AF_INET6, "::ffff:127.0.0.1", &a.sin6_addr);
	for (int i = 0; lfd >= 0 && i < n; i++) {
		int c = socket(AF_INET6, SOCK_STREAM, 0), s;

		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
			return -1;
		s = tcp_accept(lfd);
		if (s < 0 || close_in_order(c, s))
			return -1;
	}
	return lfd >= 0 ? close(lfd) : -1;
}

static const struct load_spec mixed[] = {
	{ .family = AF_INET, .port = 7001, .client_tw = 12 },
	{ .family = AF_INET,
	  .port = 7002,
	  .client_tw = 5,
	  .estab = 2,
	  .fw2_orphan = 1 },
	{ .family = AF_INET6, .port = 7003, .client_tw = 3 },
	{ .family = AF_INET, .port = 7005, .server_tw = 4 },
	/* a tie told apart by rport; in network byte order they sort the
	 * other way (0x1bff > 0x1c00 byte-swapped): 7167, 7168 */
	{ .family = AF_INET, .port = 7167, .client_tw = 2 },
	{ .family = AF_INET, .port = 7168, .client_tw = 2 },
};

static void make_mixed(struct __test_metadata *_metadata, struct load *l)
{
	for (size_t i = 0; i < sizeof(mixed) / sizeof(mixed[0]); i++)
		ASSERT_EQ(0, load_make(l, &mixed[i]));
	/* ties told apart by family (7003) and by laddr (.2, .3) */
	ASSERT_EQ(0, client_tw_from(2, 7006, 3));
	ASSERT_EQ(0, client_tw_from(3, 7006, 3));
	ASSERT_EQ(0, mapped_tw(7004, 2));
}

TEST_F(remotes, rows_match_ss)
{
	struct table t;

	make_mixed(_metadata, &self->load);
	check_remotes(_metadata, false);
	/* text forms and the sort: the biggest destination first */
	ASSERT_EQ(0, table_read(&t, "/proc/net/twstat/remotes", true));
	EXPECT_STREQ("127.0.0.1", table_cell(&t, 0, "laddr"));
	EXPECT_STREQ("7001", table_cell(&t, 0, "rport"));
	EXPECT_STREQ("12", table_cell(&t, 0, "used"));
	for (int r = 0; r < t.nrows; r++) {
		if (!strcmp(t.rows[r][2], "7003"))
			EXPECT_STREQ("::1", t.rows[r][1]);
		if (!strcmp(t.rows[r][2], "7004"))
			EXPECT_STREQ("127.0.0.1", t.rows[r][1]);
		if (!strcmp(t.rows[r][2], "7006"))
			EXPECT_TRUE(!strcmp("127.0.0.2", t.rows[r][0]) ||
				    !strcmp("127.0.0.3", t.rows[r][0]))
		TH_LOG("7006 from %s", t.rows[r][0]);
		EXPECT_STRNE("7005", t.rows[r][2]); /* server side: no */
	}
	table_free(&t);
}

/*
 * AF_INET and v4-mapped AF_INET6 clients of one listener: one port space,
 * so one row holding both (a dual-stack service and a v4 one to the same
 * database), while the summary still counts the v6 sockets as v6.
 */
TEST_F(remotes, dual_stack_clients_are_one_destination)
{
	static const struct load_spec v4 = {
		.family = AF_INET,
		.port = 7700,
		.client_tw = 6,
	};
	long tw = 0, tw6 = 0;
	struct ss_dump d;
	struct table t, s;
	int rows = 0;

	ASSERT_EQ(0, mapped_tw(7700, 9));
	ASSERT_EQ(0, load_make(&self->load, &v4));
	check_remotes(_metadata, false);
	ASSERT_EQ(0, table_read(&t, "/proc/net/twstat/remotes", true));
	ASSERT_EQ(0, read_summary(&s));
	ASSERT_EQ(0, ss_dump(&d));
	for (int i = 0; i < d.n; i++) {
		tw += d.s[i].state == 5 && d.s[i].rport == 7700;
		tw6 += d.s[i].state == 5 && d.s[i].family == AF_INET6;
	}
	/*
	 * Both kinds there: 9 mapped and 6 AF_INET made. A v4 connect that
	 * drew a mapped socket's port would take its TIME_WAIT over (they
	 * share the port space, the point of this test), so one may go.
	 */
	EXPECT_GE(tw, 14);
	EXPECT_GE(tw6, 8);
	for (int r = 0; r < t.nrows; r++) {
		if (strcmp(table_cell(&t, r, "rport"), "7700"))
			continue;
		rows++;
		EXPECT_STREQ("127.0.0.1", table_cell(&t, r, "laddr"));
		EXPECT_STREQ("127.0.0.1", table_cell(&t, r, "raddr"));
		EXPECT_EQ(tw, atol(table_cell(&t, r, "time-wait")));
		EXPECT_EQ(tw, atol(table_cell(&t, r, "used")));
	}
	EXPECT_EQ(1, rows);
	/* the socket's own family still counts in the summary */
	EXPECT_EQ(tw6, summary_get(&s, "tw_v6"));
	ss_free(&d);
	table_free(&s);
	table_free(&t);
}

TEST_F(remotes, scope_all_counts_server_sockets)
{
	make_mixed(_metadata, &self->load);
	ASSERT_EQ(0, param_set("remotes_scope", "all"));
	check_remotes(_metadata, true);
}

TEST_F(remotes, fold_at_max_remotes_exact)
{
	struct table t, s;
	long rows_used = 0;

	make_mixed(_metadata, &self->load);
	ASSERT_EQ(0, param_set("max_remotes", "3"));
	ASSERT_EQ(0, table_read(&t, "/proc/net/twstat/remotes", true));
	ASSERT_EQ(0, read_summary(&s));
	ASSERT_EQ(4, t.nrows); /* 3 + other */
	EXPECT_STREQ("*", t.rows[3][0]);
	EXPECT_STREQ("-", table_cell(&t, 3, "pct"));
	EXPECT_EQ(3, summary_get(&s, "remotes"));
	EXPECT_EQ(8 - 3, summary_get(&s, "remotes_folded"));
	EXPECT_EQ(0, summary_get(&s, "remotes_folded_estimated"));
	for (int r = 0; r < 4; r++)
		rows_used += atol(table_cell(&t, r, "used"));
	EXPECT_EQ(12 + 8 + 3 + 3 + 3 + 2 + 2 + 2, rows_used);
	EXPECT_EQ(rows_used, summary_get(&s, "remotes_sockets"));
	table_free(&t);
	table_free(&s);
}

/*
 * More folded destinations than the fold's exact set holds: the count is
 * estimated. 4400 connections held open, so none expires while they are
 * made (TIME_WAIT ones did: 6000 took 75-84 s beside five busy VMs). With
 * remotes_scope=all each server end is a destination of its own (its
 * client's port) and the client ends share one: 4401 in all, 10 kept.
 */
#define FOLD_PAIRS 4400
/* the exact set: TWSTAT_DISTINCT_EXACT in module/distinct.c */
#define EXACT_SET 4096
_Static_assert(FOLD_PAIRS + 1 - 10 > EXACT_SET, "folds beyond the exact set");

/*
 * With max_remotes @max over @dests destinations: @max rows, the rest
 * folded, counted exactly up to EXACT_SET and estimated above it.
 */
static void fold_at(struct __test_metadata *_metadata, long max, long dests)
{
	long want = dests - max, folded;
	struct table s;
	char v[16];

	snprintf(v, sizeof(v), "%ld", max);
	ASSERT_EQ(0, param_set("max_remotes", v));
	ASSERT_EQ(0, read_summary(&s));
	EXPECT_EQ(2 * FOLD_PAIRS, summary_get(&s, "remotes_sockets"));
	EXPECT_EQ(max, summary_get(&s, "remotes"));
	folded = summary_get(&s, "remotes_folded");
	EXPECT_EQ(want > EXACT_SET, summary_get(&s, "remotes_folded_estimated"))
	TH_LOG("max_remotes %ld: %ld folded", max, want);
	/* HyperLogLog, 1024 registers: standard error 3.3 %; allow 4 sigma */
	if (want > EXACT_SET) {
		EXPECT_TRUE(labs(folded - want) <= want * 13 / 100)
		TH_LOG("folded destinations: estimated %ld, true %ld", folded,
		       want);
	} else {
		EXPECT_EQ(want, folded);
	}
	table_free(&s);
}

/*
 * 4401 destinations held open (none expires while they are made), folded
 * at max_remotes 10 (estimated), at the exact set's edge (4096 folded:
 * exact; 4097: estimated), and at the default 4096, where the table of
 * rows grows from 64 to 4096, re-indexing at each doubling.
 */
TEST_F_TIMEOUT(remotes, fold_count_estimated_beyond_exact_set, 180)
{
	const long dests = FOLD_PAIRS + 1;
	struct rlimit nofile = { 2 * FOLD_PAIRS + 64, 2 * FOLD_PAIRS + 64 };
	int lfd, *fds = calloc(2 * FOLD_PAIRS, sizeof(*fds));

	ASSERT_NE(NULL, fds);
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &nofile));
	lfd = tcp_listen(AF_INET, 7020, 4096);
	ASSERT_GE(lfd, 0);
	for (int i = 0; i < 2 * FOLD_PAIRS; i += 2) {
		fds[i] = tcp_connect(AF_INET, 7020, false);
		ASSERT_GE(fds[i], 0);
		fds[i + 1] = tcp_accept(lfd);
		ASSERT_GE(fds[i + 1], 0);
	}
	ASSERT_EQ(0, param_set("remotes_scope", "all"));
	fold_at(_metadata, 10, dests);
	fold_at(_metadata, dests - EXACT_SET, dests);
	fold_at(_metadata, dests - EXACT_SET - 1, dests);
	fold_at(_metadata, 4096, dests);
	for (int i = 0; i < 2 * FOLD_PAIRS; i++)
		close(fds[i]);
	close(lfd);
	free(fds);
}

static long remote_used(int rport, char *pct, size_t len)
{
	struct table t;
	long u = -1;

	if (table_read(&t, "/proc/net/twstat/remotes", true))
		return -1;
	for (int r = 0; r < t.nrows; r++)
		if (atoi(t.rows[r][2]) == rport) {
			u = atol(table_cell(&t, r, "used"));
			snprintf(pct, len, "%s", table_cell(&t, r, "pct"));
		}
	table_free(&t);
	return u;
}

/*
 * 100 ports, 10 of them reserved: the 91st connect() to one destination
 * must fail with EADDRNOTAVAIL, exactly when remotes says 90/90, 100.0 %.
 */
TEST_F(remotes, exhaustion_coincides_with_pct_100)
{
	const int port = 7030;
	int lfd, made = 0, err = 0;
	char pct[32];

	ASSERT_EQ(0, sysctl_set("net/ipv4/tcp_tw_reuse", "0"));
	ASSERT_EQ(0, sysctl_set("net/ipv4/ip_local_port_range", "40000 40099"));
	ASSERT_EQ(0, sysctl_set("net/ipv4/ip_local_reserved_ports",
				"40010-40019"));
	lfd = tcp_listen(AF_INET, port, 128);
	ASSERT_GE(lfd, 0);
	while (!err && made < 200) {
		int c = tcp_connect(AF_INET, port, false);

		if (c < 0) {
			err = errno;
			break;
		}
		close(c);
		close(tcp_accept(lfd));
		/* 5 / 90 = 5.55...%: rounded half up */
		if (++made == 5) {
			EXPECT_EQ(5, remote_used(port, pct, sizeof(pct)));
			EXPECT_STREQ("5.6", pct);
		}
		if (made == 45) {
			EXPECT_EQ(45, remote_used(port, pct, sizeof(pct)));
			EXPECT_STREQ("50.0", pct);
		}
	}
	EXPECT_EQ(EADDRNOTAVAIL, err);
	EXPECT_EQ(90, made)
	TH_LOG("Tcp RetransSegs %ld OutRsts %ld",
	       proc_net_counter("/proc/net/snmp", "Tcp", "RetransSegs"),
	       proc_net_counter("/proc/net/snmp", "Tcp", "OutRsts"));
	EXPECT_EQ(90, remote_used(port, pct, sizeof(pct)));
	EXPECT_STREQ("100.0", pct);
	check_remotes(_metadata, false);
	close(lfd);
}

TEST_HARNESS_MAIN
