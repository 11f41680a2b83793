// SPDX-License-Identifier: GPL-2.0
/*
 * The --watch loop (see watch.h).
 *
 * Owns: refresh timing, rates and deltas between snapshots, signals. Must
 * not: render a section itself (render.c does).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "render.h"
#include "load.h"
#include "sysfiles.h"
#include "watch.h"

struct tw_watch_state {
	uint64_t prev_tw[TW_NPORTS]; /* time-wait per port, last refresh */
	bool have_ports;
	struct tw_netstat prev_ns;
	uint64_t prev_tw_sockets;
	struct timespec prev_t;
	bool have_ns;
	bool on_arm; /* tw_sys_counts_on_arm(), read once */
};

static uint64_t tw_ms_between(const struct timespec *a,
			      const struct timespec *b)
{
	int64_t ms = (int64_t)(b->tv_sec - a->tv_sec) * 1000 +
		     (b->tv_nsec - a->tv_nsec) / 1000000;

	return ms > 0 ? (uint64_t)ms : 1;
}

/* Per-second rate of a counter change, in tenths; 0 if it went down. */
static uint64_t tw_rate(uint64_t before, uint64_t after, uint64_t ms)
{
	return after > before ? ((after - before) * 10000 + ms / 2) / ms : 0;
}

/*
 * Minisockets created and gone since the netns began, from the TcpExt
 * counters and the live count: the kernel counts one in TW + TWKilled as
 * it is created (5.18+), or as its timer fires (before, with TWRecycled
 * for a reused one). Either way created = gone + live; the counted side
 * is exact, the other is off by those the kernel counts nowhere (a
 * minisocket ended by an RST or a SYN before its timer, on older kernels).
 */
static void tw_watch_totals(const struct tw_netstat *ns, uint64_t live,
			    bool on_arm, uint64_t *created, uint64_t *gone)
{
	uint64_t armed = ns->v[TW_NS_TW] + ns->v[TW_NS_TW_KILLED];

	if (on_arm) {
		*created = armed;
		*gone = armed > live ? armed - live : 0;
	} else {
		*gone = armed + ns->v[TW_NS_TW_RECYCLED];
		*created = *gone + live;
	}
}

static void tw_watch_rates(const struct tw_watch_state *st,
			   const struct tw_netstat *ns, uint64_t tw_sockets,
			   const struct timespec *now, struct tw_watch_info *w)
{
	uint64_t ms = tw_ms_between(&st->prev_t, now), c0, g0, c1, g1;
	int k;

	w->have_rates = st->have_ns;
	w->interval_ms = (uint32_t)(ms < UINT32_MAX ? ms : UINT32_MAX);
	if (!st->have_ns)
		return;
	for (k = 0; k < TW_NS_COUNT; k++)
		w->rate_tenths[k] = tw_rate(st->prev_ns.v[k], ns->v[k], ms);
	tw_watch_totals(&st->prev_ns, st->prev_tw_sockets, st->on_arm, &c0,
			&g0);
	tw_watch_totals(ns, tw_sockets, st->on_arm, &c1, &g1);
	w->created_tenths = tw_rate(c0, c1, ms);
	w->freed_tenths = tw_rate(g0, g1, ms);
}

static void tw_watch_remember(struct tw_watch_state *st,
			      const struct tw_snap *snap,
			      const struct tw_netstat *ns,
			      const struct timespec *now)
{
	size_t i;

	memset(st->prev_tw, 0, sizeof(st->prev_tw));
	for (i = 0; i < snap->nports; i++)
		st->prev_tw[snap->ports[i].port] =
			snap->ports[i].count[TW_TIME_WAIT];
	st->have_ports = snap->have & TW_NEED_PORTS;
	st->prev_ns = *ns;
	st->prev_tw_sockets = tw_sum_get(&snap->sum, TWK_TW_SOCKETS);
	st->prev_t = *now;
	st->have_ns = true;
}

/* Clear the screen on a terminal; a separator line otherwise. */
static void tw_watch_banner(const struct tw_opts *o, FILE *out)
{
	char clock[16] = "";
	time_t t = time(NULL);
	struct tm tm;

	if (localtime_r(&t, &tm))
		strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	fputs(isatty(STDOUT_FILENO) ? "\033[H\033[2J" : "\n", out);
	fprintf(out, "Every %u.%us: twstat %s (Ctrl-C quits)  %s\n",
		o->watch_ms / 1000, o->watch_ms % 1000 / 100,
		tw_view_name(o->view), clock);
}

static int tw_watch_show(const struct tw_view_ctx *ctx, struct tw_err *err)
{
	char *buf = NULL, *frame = NULL;
	size_t len = 0, flen = 0;
	FILE *out = open_memstream(&frame, &flen);
	int rc;

	if (!out)
		return tw_errf(err, "out of memory");
	tw_render(ctx, TW_FMT_TEXT, &buf, &len);
	tw_watch_banner(ctx->opts, out);
	fwrite(buf, 1, len, out);
	rc = fclose(out) ? tw_errf(err, "out of memory") :
			   tw_write_out(frame, flen, err);
	free(buf);
	free(frame);
	return rc;
}

static int tw_watch_frame(const struct tw_opts *o, const char *netns,
			  struct tw_watch_state *st, struct tw_err *err)
{
	struct tw_load ld = { o->root, o->source, tw_view_needs(o->view) };
	struct tw_watch_info info = { 0 };
	struct tw_view_ctx ctx = { .opts = o, .netns = netns, .watch = &info };
	struct tw_netstat ns;
	struct tw_snap snap;
	struct timespec now;
	int rc;

	rc = tw_load_snap(&ld, &snap, err);
	if (!rc)
		rc = tw_sys_netstat(o->root, &ns, err);
	if (!rc) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		tw_watch_rates(st, &ns, tw_sum_get(&snap.sum, TWK_TW_SOCKETS),
			       &now, &info);
		info.prev_tw = st->have_ports ? st->prev_tw : NULL;
		ctx.snap = &snap;
		rc = tw_watch_show(&ctx, err);
		tw_watch_remember(st, &snap, &ns, &now);
	}
	tw_snap_free(&snap);
	return rc;
}

/* Wait @ms; true if SIGINT or SIGTERM came (they are blocked: no race). */
static bool tw_watch_wait(const sigset_t *set, uint32_t ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
	int sig = sigtimedwait(set, NULL, &ts);

	return sig > 0;
}

int tw_watch(const struct tw_opts *o, const char *netns, struct tw_err *err)
{
	struct tw_watch_state *st = tw_xcalloc(1, sizeof(*st));
	sigset_t set, old;
	uint32_t n = 0;
	int rc;

	st->on_arm = tw_sys_counts_on_arm(o->root);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &old);
	do
		rc = tw_watch_frame(o, netns, st, err);
	while (!rc && (!o->count || ++n < o->count) &&
	       !tw_watch_wait(&set, o->watch_ms));
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(st);
	return rc;
}
