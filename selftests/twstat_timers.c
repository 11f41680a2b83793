// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/twstat/timers against inet_diag, socket by socket: not only
 * that the counts add up, but that every minisocket sits in the second it
 * has left (the headline "ports freed within N seconds" is a sum of these
 * rows); timers that have expired but not yet fired read 0, never a
 * wrapped remainder; and remainders past 60 s have a row of their own.
 *
 * A remainder only goes down. Every minisocket of the placement load has
 * a local port of its own, so the ports file gives its remainder in ms.
 * Dumping inet_diag (what ss prints, in ms), then the ports and timers
 * files from one walk, then inet_diag again, each socket's remainder in
 * the file lies between its two dumped ones, and the timers file must be
 * exactly the histogram of the ports file's remainders. However slow the
 * machine, no round is too slow for that. Spans (tw_min_ms, tw_max_ms of
 * ports and remotes) are checked the same way on a port, and a
 * destination, whose minisockets are 1.5 s apart.
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"
#include "kselftest_harness.h"

#define PORT_CLIENT 6502
#define PORT_V6 6503
#define PORT_FW2 6504
#define PORT_EXPIRY 6505
#define PORT_SPAN 6506 /* server TIME_WAIT here, client TIME_WAIT to +1 */
#define SPAN_WAVE 3
#define SPAN_GAP_MS 1500
#define MAX_FW2 32
/*
 * A FIN_WAIT2 minisock's timer; far from the TIME_WAIT bins (56-60 s), and
 * long enough that none expires while a slow (busy, TCG) host is still
 * making the rest of the load.
 */
#define FW2_LINGER_SECS 30
/* the expiry test's: a 3 s timer fires up to 64 jiffies (256 ms) late */
#define EXPIRY_LINGER_SECS 3
#define EXPIRY_SOCKS 16
/*
 * Rounds end after this long: a round voided by a socket expiring or
 * appearing between its two dumps is tried again.
 */
#define ROUNDS_SECS 20
/* harness limit, seconds: 4 VMs share 2 cores in make check */
#define TIMERS_TIMEOUT 120

FIXTURE(timers)
{
	struct load load;
	int fds[2 * MAX_FW2];
	int nfds;
};

FIXTURE_SETUP(timers)
{
	ASSERT_EQ(0, module_ensure_loaded());
	/* every open walks: the file is read between the two ss reads */
	ASSERT_EQ(0, param_set("cache_ms", "0"));
	ASSERT_EQ(0, netns_new());
	self->load.nfds = 0;
	self->nfds = 0;
}

FIXTURE_TEARDOWN(timers)
{
	load_close(&self->load);
	for (int i = 0; i < self->nfds; i++)
		close(self->fds[i]);
	param_set("cache_ms", "1000");
	param_set("max_remotes", "4096");
}

/*
 * A FIN_WAIT2 minisock whose timer is @secs: the client half-closes, and
 * once its FIN is in, closes with TCP_LINGER2 = @secs (tcp_fin_time()).
 * The server end stays open in CLOSE_WAIT; its fd goes to @fds.
 */
static int fw2_minisock(int port, int secs, int *fds, int *nfds)
{
	int lfd = tcp_listen(AF_INET, port, 16), c, s = -1;
	struct pollfd pfd;
	char b;

	c = lfd >= 0 ? tcp_connect(AF_INET, port, false) : -1;
	if (c >= 0)
		s = tcp_accept(lfd);
	if (lfd >= 0)
		close(lfd);
	if (s < 0 || *nfds == 2 * MAX_FW2 || shutdown(c, SHUT_WR))
		goto fail;
	pfd = (struct pollfd){ .fd = s, .events = POLLIN };
	if (poll(&pfd, 1, 5000) != 1 || read(s, &b, 1) != 0 ||
	    setsockopt(c, IPPROTO_TCP, TCP_LINGER2, &secs, sizeof(secs)))
		goto fail;
	close(c);
	fds[(*nfds)++] = s;
	return 0;
fail:
	if (c >= 0)
		close(c);
	if (s >= 0)
		close(s);
	return -1;
}

/*
 * One batch of the placement load: v4, v6, FIN_WAIT2, every minisocket on
 * a client port of its own (a server's all share its listening port).
 */
static int make_batch(FIXTURE_DATA(timers) * self, int fw2)
{
	static const struct load_spec specs[] = {
		{ .family = AF_INET, .port = PORT_CLIENT, .client_tw = 3 },
		{ .family = AF_INET6, .port = PORT_V6, .client_tw = 2 },
	};

	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		if (load_make(&self->load, &specs[i]))
			return -1;
	for (int i = 0; i < fw2; i++)
		if (fw2_minisock(PORT_FW2, FW2_LINGER_SECS, self->fds,
				 &self->nfds))
			return -1;
	return 0;
}

/* The timers file's bin of a remainder: its second, or "61+". */
static int bin_of(long ms)
{
	return ms / 1000 < TIMER_OVER ? (int)(ms / 1000) : TIMER_OVER;
}

/*
 * The remainders of @d's minisockets on local port @lport, ascending, in
 * @ms[0..1]: their number (a v4 and a v6 one may share a port).
 */
static int diag_port(const struct diag_tw *d, int n, int lport, long *ms)
{
	int k = 0;

	for (int i = 0; i < n; i++) {
		if (d[i].lport != lport)
			continue;
		if (k < 2)
			ms[k] = d[i].ms;
		k++;
	}
	if (k == 2 && ms[0] > ms[1]) {
		long t = ms[0];

		ms[0] = ms[1];
		ms[1] = t;
	}
	return k;
}

/*
 * A ports row against the dumps before (@a) and after (@b) its walk: the
 * row's tw_min_ms and tw_max_ms are its one or two sockets' remainders,
 * each between its dumped ones, and go to the histogram @h. Returns the
 * sockets checked, 0 if the dumps disagree on the port (void the round).
 */
static int placement_row(struct __test_metadata *_metadata,
			 const struct table *pt, int r, const struct diag_tw *a,
			 int na, const struct diag_tw *b, int nb, long *h)
{
	long row[2] = { atol(table_cell(pt, r, "tw_min_ms")),
			atol(table_cell(pt, r, "tw_max_ms")) };
	int port = atoi(table_cell(pt, r, "port"));
	long ma[2], mb[2];
	int k = diag_port(a, na, port, ma);

	if (!k || k != diag_port(b, nb, port, mb))
		return 0;
	ASSERT_GE(2, k) TH_LOG("port %d: %d minisockets", port, k);
	if (k == 1) {
		ma[1] = ma[0];
		mb[1] = mb[0];
	}
	for (int i = 0; i < 2; i++) {
		/* the walk was between the dumps; all three count jiffies */
		EXPECT_TRUE(mb[i] <= row[i] && row[i] <= ma[i])
		TH_LOG("port %d: inet_diag %ld ms, file %ld ms, inet_diag again %ld ms",
		       port, ma[i], row[i], mb[i]);
	}
	h[bin_of(row[0])]++;
	if (k == 2)
		h[bin_of(row[1])]++;
	return k;
}

/*
 * The ports and timers files of one new walk, made when a round begins:
 * a changed max_remotes is never served from an older walk, and
 * cache_ms 60000 (set by the test) shares the walk with every open after
 * it; the summary's walks, the same before and after, says they did.
 * 0 or -1.
 */
static int read_one_walk(struct __test_metadata *_metadata, struct table *pt,
			 long *bins)
{
	static int flip;
	int64_t w;

	if (param_set("max_remotes", flip++ % 2 ? "4095" : "4096"))
		return -1;
	w = summary_now("walks");
	if (w < 0 || table_read(pt, "/proc/net/twstat/ports", true))
		return -1;
	if (timers_read(bins)) {
		table_free(pt);
		return -1;
	}
	EXPECT_EQ(w, summary_now("walks"));
	return 0;
}

/*
 * inet_diag, ports and timers of one walk, inet_diag again. Returns 1 when
 * the file's remainders were checked against the two dumps and its
 * histogram against them, 0 when a socket expired or appeared between the
 * dumps (try again), -1 on a read error.
 */
static int placement_round(struct __test_metadata *_metadata, long *nbins)
{
	long f[TIMER_ROWS], h[TIMER_ROWS] = { 0 };
	struct diag_tw *a = NULL, *b = NULL;
	int na, nb = -1, seen = 0;
	struct table pt;

	na = diag_tw_dump(&a);
	if (na < 0 || read_one_walk(_metadata, &pt, f) ||
	    (nb = diag_tw_dump(&b)) < 0) {
		free(a);
		return -1;
	}
	for (int r = 0; na == nb && r < pt.nrows; r++) {
		int k;

		if (!strcmp(table_cell(&pt, r, "tw_min_ms"), "-"))
			continue;
		k = placement_row(_metadata, &pt, r, a, na, b, nb, h);
		if (!k)
			break; /* one expired and another came: void */
		seen += k;
	}
	table_free(&pt);
	free(a);
	free(b);
	if (na != nb || seen != na)
		return 0;
	*nbins = 0;
	for (int k = 0; k < TIMER_ROWS; k++) {
		*nbins += f[k] != 0;
		EXPECT_EQ(h[k], f[k])
		TH_LOG("bin %d: ports rows %ld, timers %ld", k, h[k], f[k]);
	}
	return 1;
}

TEST_F_TIMEOUT(timers, placement_matches_inet_diag, TIMERS_TIMEOUT)
{
	static const int offsets[] = { 0, 1, 2, 4 }; /* s after the first */
	uint64_t t0 = now_ms();
	int done = 0, rounds = 0;
	long nbins = 0;

	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		uint64_t at = t0 + offsets[i] * 1000, now = now_ms();

		if (now < at)
			msleep(at - now);
		ASSERT_EQ(0, make_batch(self, i ? 1 : 3));
	}
	/* no walk of a round expires before the round ends */
	ASSERT_EQ(0, param_set("cache_ms", "60000"));
	for (t0 = now_ms(); !done && now_ms() < t0 + ROUNDS_SECS * 1000;
	     rounds++) {
		done = placement_round(_metadata, &nbins);
		ASSERT_GE(done, 0);
	}
	param_set("max_remotes", "4096");
	EXPECT_EQ(1, done)
	TH_LOG("every round of %d (%d s) had a socket expire or appear", rounds,
	       ROUNDS_SECS);
	/* 60 s, 59 s, 58 s, 56 s and 30 s timers, a few seconds later */
	EXPECT_GE(nbins, 5);
}

/* Every remainder the ports file shows; 1 if one of them was 0. */
static int ports_timers(struct __test_metadata *_metadata, long *tw)
{
	struct table t, s;
	int zero = 0;

	if (table_read(&t, "/proc/net/twstat/ports", true) || read_summary(&s))
		return -1;
	*tw = summary_get(&s, "tw_sockets");
	for (int r = 0; r < t.nrows; r++) {
		const char *min = table_cell(&t, r, "tw_min_ms");
		const char *max = table_cell(&t, r, "tw_max_ms");

		if (!strcmp(min, "-"))
			continue;
		EXPECT_LE(atol(max), EXPIRY_LINGER_SECS * 1000)
		TH_LOG("port %s: tw_max_ms %s", t.rows[r][0], max);
		zero |= atol(min) == 0;
	}
	table_free(&t);
	table_free(&s);
	return zero;
}

/*
 * A minisock stays in the table from its timer's expiry until the timer
 * wheel runs it, up to one wheel granule later (64 jiffies for a 3 s
 * timer): then its remainder is negative in jiffies and must read 0.
 * Sockets made over a second catch several granules; the table is read
 * until the last is gone, and at least one read must see such a socket.
 */
TEST_F_TIMEOUT(timers, expired_timer_reads_zero, TIMERS_TIMEOUT)
{
	uint64_t end;
	long tw = 1;
	int zero = 0, walks = 0, ret;

	for (int i = 0; i < EXPIRY_SOCKS; i++) {
		ASSERT_EQ(0, fw2_minisock(PORT_EXPIRY, EXPIRY_LINGER_SECS,
					  self->fds, &self->nfds));
		msleep(60);
	}
	end = now_ms() + (EXPIRY_LINGER_SECS + 5) * 1000;
	while (tw > 0 && now_ms() < end) {
		ret = ports_timers(_metadata, &tw);
		ASSERT_GE(ret, 0);
		zero += ret;
		walks++;
	}
	EXPECT_EQ(0, tw);
	EXPECT_GT(zero, 0) TH_LOG("no read saw an expired timer");
	TH_LOG("%d reads, %d saw an expired timer", walks, zero);
}

/*
 * Minisocks past 60 s. tcp_fin_timeout above 120 s keeps an orphaned
 * FIN_WAIT2 socket a full socket for tcp_fin_timeout - 60 s, then makes it
 * a minisock with as long again to live (tcp_keepalive_timer()): here
 * 70 s, so the table holds remainders of 61-70 s for 9 s. The files must
 * show them as they are, the timers file in its "61+" row, and the tool
 * must read them.
 */
#define PORT_LONG_FW2 6506
#define LONG_FW2_SOCKS 6
#define LONG_FIN_TIMEOUT "130"
#define LONG_FW2_MS 70000

/* Client ends closed after the server's accept: orphans in FIN_WAIT2. */
static void long_fw2_orphans(struct __test_metadata *_metadata,
			     FIXTURE_DATA(timers) * self)
{
	int lfd = tcp_listen(AF_INET, PORT_LONG_FW2, 16);

	ASSERT_GE(lfd, 0);
	for (int i = 0; i < LONG_FW2_SOCKS; i++) {
		int c = tcp_connect(AF_INET, PORT_LONG_FW2, false);
		int s = tcp_accept(lfd);

		ASSERT_GE(c, 0);
		ASSERT_GE(s, 0);
		ASSERT_EQ(0, close(c));
		self->fds[self->nfds++] = s;
	}
	close(lfd);
}

/* Wait until the kernel made every orphan a minisock (ss says so). */
static int long_fw2_wait(void)
{
	uint64_t end = now_ms() + LONG_FW2_MS + 30000;
	long bins[TIMER_ROWS];
	long n = 0;

	while (n < LONG_FW2_SOCKS && now_ms() < end) {
		msleep(250);
		if (ss_timer_bins(bins))
			return -1;
		n = 0;
		for (int k = 0; k < TIMER_ROWS; k++)
			n += bins[k];
	}
	return n == LONG_FW2_SOCKS ? 0 : -1;
}

/* Minisocks with 61 s or more left, by ss's count. */
static int long_fw2_over(const struct ss_dump *d)
{
	int n = 0;

	for (int i = 0; i < d->n; i++)
		n += d->s[i].tw_ms >= 61000;
	return n;
}

/* The ports rows @t, read between ss dumps @a and @b: each remainder. */
static void long_fw2_ports(struct __test_metadata *_metadata,
			   const struct table *t, const struct ss_dump *a,
			   const struct ss_dump *b)
{
	int seen = 0;

	for (int i = 0; i < a->n; i++) {
		const struct ss_sock *sa = &a->s[i], *sb = NULL;

		if (sa->tw_ms < 0)
			continue;
		for (int j = 0; j < b->n; j++)
			if (b->s[j].lport == sa->lport && b->s[j].tw_ms >= 0)
				sb = &b->s[j];
		ASSERT_NE(NULL, sb);
		for (int r = 0; r < t->nrows; r++) {
			long ms = atol(table_cell(t, r, "tw_max_ms"));

			if (atoi(table_cell(t, r, "port")) != sa->lport)
				continue;
			seen++;
			EXPECT_STREQ(table_cell(t, r, "tw_min_ms"),
				     table_cell(t, r, "tw_max_ms"));
			/* ss truncates to whole seconds above 9 s */
			EXPECT_TRUE(sb->tw_ms <= ms && ms < sa->tw_ms + 1000)
			TH_LOG("port %d: ss %d ms, file %ld ms, ss again %d ms",
			       sa->lport, sa->tw_ms, ms, sb->tw_ms);
			EXPECT_LE(ms, LONG_FW2_MS);
		}
	}
	EXPECT_EQ(LONG_FW2_SOCKS, seen);
}

/* The tool reads such files: exit 0, and the overflow in its JSON. */
static void long_fw2_tool(struct __test_metadata *_metadata)
{
	static const char *const views[] = { "", "ports --json", "-p",
					     "timers --json" };
	static char out[65536];
	char *p;

	/* the last view's output stays in out */
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		EXPECT_EQ(0, tool_sh(views[i], out, sizeof(out)))
		TH_LOG("twstat %s", views[i]);
	}
	p = strstr(out, "\"over_60s\":");
	ASSERT_NE(NULL, p) TH_LOG("%s", out);
	p += strlen("\"over_60s\":");
	EXPECT_EQ(LONG_FW2_SOCKS, atoi(p)) TH_LOG("%s", out);
}

TEST_F_TIMEOUT(timers, finwait2_past_60s_shown_as_they_are, 200)
{
	struct ss_dump da, db;
	struct table sum, pt;
	long f[TIMER_ROWS];

	ASSERT_EQ(0, sysctl_set("net/ipv4/tcp_fin_timeout", LONG_FIN_TIMEOUT));
	long_fw2_orphans(_metadata, self);
	ASSERT_EQ(0, long_fw2_wait());
	ASSERT_EQ(0, ss_dump(&da));
	ASSERT_EQ(0, timers_read(f));
	ASSERT_EQ(0, read_summary(&sum));
	ASSERT_EQ(0, table_read(&pt, "/proc/net/twstat/ports", true));
	ASSERT_EQ(0, ss_dump(&db));
	/* every one past 60 s by ss's count, before and after the files */
	EXPECT_EQ(LONG_FW2_SOCKS, long_fw2_over(&da));
	EXPECT_EQ(LONG_FW2_SOCKS, long_fw2_over(&db));
	EXPECT_EQ(LONG_FW2_SOCKS, f[TIMER_OVER]);
	EXPECT_EQ(LONG_FW2_SOCKS, summary_get(&sum, "timers_overflow"));
	EXPECT_EQ(LONG_FW2_SOCKS, summary_get(&sum, "tw_sockets"));
	EXPECT_EQ(LONG_FW2_SOCKS, summary_get(&sum, "fin-wait-2"));
	long_fw2_ports(_metadata, &pt, &da, &db);
	long_fw2_tool(_metadata);
	table_free(&pt);
	table_free(&sum);
	ss_free(&da);
	ss_free(&db);
}

/*
 * Row @match (column @col) of @t: its tw_min_ms and tw_max_ms lie between
 * the spans of the dumps before (@a) and after (@b) its walk.
 */
static void span_row(struct __test_metadata *_metadata, const struct table *t,
		     const char *col, int match, const struct tw_span *a,
		     const struct tw_span *b)
{
	int r = 0;

	while (r < t->nrows && atoi(table_cell(t, r, col)) != match)
		r++;
	ASSERT_LT(r, t->nrows) TH_LOG("no row with %s %d", col, match);
	EXPECT_TRUE(tw_span_between(table_ms(t, r, "tw_min_ms"),
				    table_ms(t, r, "tw_max_ms"), a, b))
	TH_LOG("%s %d: tw_min_ms %ld, tw_max_ms %ld; inet_diag before %ld..%ld (%ld), after %ld..%ld (%ld)",
	       col, match, table_ms(t, r, "tw_min_ms"),
	       table_ms(t, r, "tw_max_ms"), a->min, a->max, a->n, b->min,
	       b->max, b->n);
}

static int span_wave(int port_range_lo)
{
	struct load_spec server = { .family = AF_INET,
				    .port = PORT_SPAN,
				    .server_tw = SPAN_WAVE },
			 client = { .family = AF_INET,
				    .port = PORT_SPAN + 1,
				    .client_tw = SPAN_WAVE };
	struct load l = { 0 };
	char range[32];

	/*
	 * the server's TIME_WAIT keeps its peer's port: a client port of an
	 * earlier wave, picked again, would take that socket over
	 */
	snprintf(range, sizeof(range), "%d %d", port_range_lo,
		 port_range_lo + 999);
	return sysctl_set("net/ipv4/ip_local_port_range", range) ||
	       load_make(&l, &server) ||
	       sysctl_set("net/ipv4/ip_local_port_range", "40000 40999") ||
	       load_make(&l, &client);
}

/*
 * tw_min_ms and tw_max_ms are the least and the greatest remainder, not
 * one of them twice: two waves SPAN_GAP_MS apart on one server port (the
 * ports file) and to one destination (remotes), against inet_diag's
 * remainders in ms before and after the files.
 */
TEST_F(timers, spans_are_least_and_greatest_of_inet_diag)
{
	static struct tw_span pa[65536], pb[65536], ra[65536], rb[65536];
	const struct tw_span *p = &pa[PORT_SPAN], *r = &ra[PORT_SPAN + 1];
	struct table pt, rt;

	/* tcp_tw_reuse=0: the second wave takes no port in TIME_WAIT */
	ASSERT_EQ(0, sysctl_set("net/ipv4/tcp_tw_reuse", "0"));
	ASSERT_EQ(0, span_wave(41000));
	msleep(SPAN_GAP_MS);
	ASSERT_EQ(0, span_wave(42000));
	ASSERT_EQ(0, diag_tw_spans(NULL, pa, ra));
	ASSERT_EQ(0, table_read(&pt, "/proc/net/twstat/ports", true));
	ASSERT_EQ(0, table_read(&rt, "/proc/net/twstat/remotes", true));
	ASSERT_EQ(0, diag_tw_spans(NULL, pb, rb));
	ASSERT_EQ(2 * SPAN_WAVE, p->n);
	ASSERT_EQ(2 * SPAN_WAVE, pb[PORT_SPAN].n);
	ASSERT_EQ(2 * SPAN_WAVE, r->n);
	ASSERT_EQ(2 * SPAN_WAVE, rb[PORT_SPAN + 1].n);
	/* the load is what it was built to be: the waves' gap in between */
	EXPECT_GE(p->max - p->min, SPAN_GAP_MS - 500);
	EXPECT_GE(r->max - r->min, SPAN_GAP_MS - 500);
	span_row(_metadata, &pt, "port", PORT_SPAN, p, &pb[PORT_SPAN]);
	span_row(_metadata, &rt, "rport", PORT_SPAN + 1, r, &rb[PORT_SPAN + 1]);
	table_free(&pt);
	table_free(&rt);
}

TEST_HARNESS_MAIN
