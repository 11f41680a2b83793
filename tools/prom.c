// SPDX-License-Identifier: GPL-2.0
/*
 * --prometheus: the sections in the Prometheus text exposition format, for
 * node_exporter's textfile collector. Metric names start with twstat_;
 * every sample carries a netns label; docs/interface.md lists the
 * families. The rows are those of the text and JSON (rows.c).
 *
 * Owns: metric names, help texts, labels and the format's escaping. Must
 * not: choose rows or sections itself (rows.c, render.c), or call render.c:
 * it is the renderer render.c drives (prom.h).
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "err.h"
#include "prom.h"
#include "rows.h"

struct tw_prom {
	FILE *out;
	const struct tw_view_ctx *ctx;
	char *labels; /* name="value",... of the next sample */
	size_t len;
	size_t cap;
};

static void tw_prom_family(struct tw_prom *p, const char *name,
			   const char *type, const char *help)
{
	fprintf(p->out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void tw_prom_putc(struct tw_prom *p, char c)
{
	if (p->len + 2 > p->cap) {
		p->cap = p->cap ? 2 * p->cap : 256;
		p->labels = tw_xreallocarray(p->labels, p->cap, 1);
	}
	p->labels[p->len++] = c;
	p->labels[p->len] = '\0';
}

static void tw_prom_puts(struct tw_prom *p, const char *s)
{
	for (; *s; s++)
		tw_prom_putc(p, *s);
}

/*
 * Append name="value": \, " and newline escaped as the format says; other
 * bytes that are not printable ASCII (the format wants UTF-8, a --netns
 * path may be anything) become '?'.
 */
static void tw_prom_label(struct tw_prom *p, const char *name,
			  const char *value)
{
	if (p->len)
		tw_prom_putc(p, ',');
	tw_prom_puts(p, name);
	tw_prom_puts(p, "=\"");
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			tw_prom_putc(p, '\\');
		if (*value == '\n')
			tw_prom_puts(p, "\\n");
		else if (*value < 0x20 || *value > 0x7e)
			tw_prom_putc(p, '?');
		else
			tw_prom_putc(p, *value);
	}
	tw_prom_putc(p, '"');
}

/* Start the label set of the next sample: netns comes first. */
static void tw_prom_reset(struct tw_prom *p)
{
	p->len = 0;
	tw_prom_label(p, tw_ncol_names[TW_NC_NETNS],
		      p->ctx->netns ? p->ctx->netns : "unknown");
}

static void tw_prom_sample(struct tw_prom *p, const char *name,
			   const char *value)
{
	fprintf(p->out, "%s{%s} %s\n", name, p->labels, value);
	tw_prom_reset(p);
}

static void tw_prom_u64(struct tw_prom *p, const char *name, uint64_t v)
{
	char num[32];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	tw_prom_sample(p, name, num);
}

/* A fixed-point value: @v / 10^@decimals. */
static void tw_prom_fixed(struct tw_prom *p, const char *name, uint64_t v,
			  unsigned int decimals)
{
	uint64_t scale = 1;
	unsigned int i;
	char num[48];

	if (!decimals) {
		tw_prom_u64(p, name, v);
		return;
	}
	for (i = 0; i < decimals; i++)
		scale *= 10;
	snprintf(num, sizeof(num), "%" PRIu64 ".%0*" PRIu64, v / scale,
		 (int)decimals, v % scale);
	tw_prom_sample(p, name, num);
}

/*
 * twstat_info, and the time of the read for staleness alerts; view tells
 * apart the textfiles that several views write from one netns.
 */
static void tw_prom_info(struct tw_prom *p)
{
	const char *view = tw_view_name(p->ctx->opts->view);

	tw_prom_family(p, "twstat_info", "gauge",
		       "Always 1; labels: where the figures come from.");
	tw_prom_label(p, "view", view);
	tw_prom_label(p, "source", tw_source_name(p->ctx->snap->source));
	tw_prom_label(p, "version", TWSTAT_VERSION);
	tw_prom_u64(p, "twstat_info", 1);
	tw_prom_family(p, "twstat_read_timestamp_seconds", "gauge",
		       "Unix time at which twstat read these figures.");
	tw_prom_label(p, "view", view);
	tw_prom_fixed(p, "twstat_read_timestamp_seconds", p->ctx->read_ms, 3);
}

/*
 * The TcpExt counters of /proc/net/netstat about TIME_WAIT. The kernel
 * counts TW and TWKilled as it arms a minisocket's timer, i.e. when the
 * minisocket is created, from Linux 5.18 on, and as the timer fires before
 * that (sysfiles.h): the names fit 5.18+, the help says both.
 */
static const struct tw_prom_counter {
	enum tw_nstat k;
	const char *name, *help;
} tw_prom_counters[] = {
	{ TW_NS_TW, "twstat_timewait_created_total",
	  "TIME_WAIT minisockets created with a timer over 4 s (TcpExt TW; before Linux 5.18: expired)." },
	{ TW_NS_TW_KILLED, "twstat_timewait_killed_total",
	  "TIME_WAIT minisockets created with a timer of 4 s or less (TcpExt TWKilled; before Linux 5.18: expired)." },
	{ TW_NS_TW_RECYCLED, "twstat_timewait_recycled_total",
	  "TIME_WAIT sockets reused by a new connection (TcpExt TWRecycled)." },
	{ TW_NS_TW_OVERFLOW, "twstat_timewait_overflow_total",
	  "TIME_WAIT sockets not created: tcp_max_tw_buckets reached (TcpExt TCPTimeWaitOverflow)." },
};

static void tw_prom_netstat(struct tw_prom *p)
{
	const struct tw_prom_counter *c;

	if (!p->ctx->netstat)
		return;
	for (c = tw_prom_counters;
	     c < tw_prom_counters + sizeof(tw_prom_counters) / sizeof(*c);
	     c++) {
		tw_prom_family(p, c->name, "counter", c->help);
		tw_prom_u64(p, c->name, p->ctx->netstat->v[c->k]);
	}
}

static void tw_prom_states(struct tw_prom *p, const struct tw_summary *s)
{
	int i;

	tw_prom_family(
		p, "twstat_sockets", "gauge",
		"TCP sockets of the netns by state, as ss -tan counts them.");
	for (i = 0; i < TW_NSTATES; i++) {
		tw_prom_label(p, "state", tw_state_names[i]);
		tw_prom_u64(p, "twstat_sockets", tw_sum_get(s, TWK_STATE(i)));
	}
	tw_prom_label(p, "state", "unknown");
	tw_prom_u64(p, "twstat_sockets", tw_sum_get(s, TWK_UNKNOWN_STATE));
	tw_prom_family(p, "twstat_timewait_sockets", "gauge",
		       "TIME_WAIT minisockets (both substates) by family.");
	tw_prom_label(p, "family", "ipv4");
	tw_prom_u64(p, "twstat_timewait_sockets", tw_sum_get(s, TWK_TW_V4));
	tw_prom_label(p, "family", "ipv6");
	tw_prom_u64(p, "twstat_timewait_sockets", tw_sum_get(s, TWK_TW_V6));
}

/* A summary key as a gauge of its own: @key / 10^@decimals. */
struct tw_prom_gauge {
	enum tw_key key;
	unsigned int decimals;
	const char *name;
	const char *help;
};

static const struct tw_prom_gauge tw_prom_gauges[] = {
	{ TWK_MAX_TW_BUCKETS, 0, "twstat_max_tw_buckets",
	  "net.ipv4.tcp_max_tw_buckets of the netns." },
	{ TWK_SOCKSTAT_TW, 0, "twstat_sockstat_tw",
	  "TIME_WAIT count of /proc/net/sockstat." },
	{ TWK_PORT_RANGE_LO, 0, "twstat_port_range_low",
	  "Low end of net.ipv4.ip_local_port_range." },
	{ TWK_PORT_RANGE_HI, 0, "twstat_port_range_high",
	  "High end of net.ipv4.ip_local_port_range." },
	{ TWK_PORT_RANGE_SIZE, 0, "twstat_port_range_usable",
	  "Ports of the range not in ip_local_reserved_ports." },
	{ TWK_REMOTES, 0, "twstat_remotes",
	  "Destinations in the remotes table." },
	{ TWK_REMOTES_FOLDED, 0, "twstat_remotes_folded",
	  "Destinations folded into the remotes other row." },
	{ TWK_REMOTES_SOCKETS, 0, "twstat_remotes_sockets",
	  "Sockets counted in the remotes table." },
	/* figures only the module knows; absent under the diag source */
	{ TWK_WALK_NS, 9, "twstat_walk_seconds",
	  "Duration of the ehash walk of the snapshot." },
	{ TWK_LOCK_MAX_NS, 9, "twstat_lock_max_seconds",
	  "Longest bucket lock hold of that walk." },
	{ TWK_EHASH_BUCKETS, 0, "twstat_ehash_buckets",
	  "Buckets of the TCP ehash." },
	{ TWK_BUCKETS_USED, 0, "twstat_ehash_buckets_used",
	  "Buckets holding at least one socket." },
	{ TWK_SNAPSHOT_AGE_MS, 3, "twstat_snapshot_age_seconds",
	  "Age of the snapshot when it was read." },
	{ TWK_SNAPSHOT_BYTES, 0, "twstat_snapshot_bytes",
	  "Memory held by the snapshot." },
	/* owners: the module's records; absent from older modules */
	{ TWK_TW_OWNER_UNKNOWN, 0, "twstat_timewait_owner_unknown",
	  "TIME_WAIT minisockets whose owner is unknown." },
	{ TWK_TRACK_RECORDS, 0, "twstat_track_records",
	  "Owner records the module keeps (all namespaces)." },
	{ TWK_TRACK_LOST, 0, "twstat_track_lost",
	  "Handovers not recorded since load: their bucket was full." },
};

/* A summary key as a counter of its own, if the source gave it. */
static void tw_prom_key_counter(struct tw_prom *p, const struct tw_summary *s,
				enum tw_key k, const char *name,
				const char *help)
{
	if (!s->k[k].set)
		return;
	tw_prom_family(p, name, "counter", help);
	tw_prom_u64(p, name, tw_sum_get(s, k));
}

void tw_prom_summary(struct tw_prom *p)
{
	const struct tw_summary *s = &p->ctx->snap->sum;
	const struct tw_prom_gauge *g;
	size_t i;

	tw_prom_states(p, s);
	for (i = 0; i < sizeof(tw_prom_gauges) / sizeof(*g); i++) {
		g = &tw_prom_gauges[i];
		if (!s->k[g->key].set)
			continue;
		tw_prom_family(p, g->name, "gauge", g->help);
		tw_prom_fixed(p, g->name, s->k[g->key].v, g->decimals);
	}
	tw_prom_netstat(p);
	tw_prom_key_counter(
		p, s, TWK_WALKS, "twstat_walks_total",
		"Walks done in the netns since the module was loaded.");
	tw_prom_key_counter(
		p, s, TWK_CONNECT_NOPORT, "twstat_connect_noport_total",
		"connect() calls that found no free local port (EADDRNOTAVAIL).");
}

static void tw_prom_port_label(struct tw_prom *p, const struct tw_prow *r)
{
	char port[16];

	snprintf(port, sizeof(port), "%u", r->lo);
	tw_prom_label(p, tw_pcol_names[TW_PC_PORT],
		      r->folded ? "ephemeral" : port);
}

void tw_prom_ports(struct tw_prom *p)
{
	struct tw_port_query q;
	struct tw_prow *rows;
	size_t n, i;
	int s;

	tw_port_query_of(p->ctx->opts, &q);
	n = tw_port_rows(p->ctx->snap, &q, &rows);
	n = tw_rows_shown(n, p->ctx->opts->top_ports);
	tw_prom_family(
		p, "twstat_port_sockets", "gauge",
		"Sockets by local port and state (port=\"ephemeral\": the folded ephemeral range).");
	for (i = 0; i < n; i++)
		for (s = 0; s < TW_NSTATES; s++) {
			tw_prom_port_label(p, &rows[i]);
			tw_prom_label(p, "state", tw_state_names[s]);
			tw_prom_u64(p, "twstat_port_sockets", rows[i].count[s]);
		}
	free(rows);
}

static void tw_prom_remote_labels(struct tw_prom *p, const struct tw_remote *r)
{
	char la[TW_ADDR_STRLEN] = TWSTAT_FOLDED_FIELD,
	     ra[TW_ADDR_STRLEN] = TWSTAT_FOLDED_FIELD,
	     rp[16] = TWSTAT_FOLDED_FIELD;

	if (r->key.family) {
		tw_addr_format(r->key.family, r->key.laddr, la);
		tw_addr_format(r->key.family, r->key.raddr, ra);
		snprintf(rp, sizeof(rp), "%u", r->key.rport);
	}
	tw_prom_label(p, tw_rcol_all_names[TW_RC_LADDR], la);
	tw_prom_label(p, tw_rcol_all_names[TW_RC_RADDR], ra);
	tw_prom_label(p, tw_rcol_all_names[TW_RC_RPORT], rp);
}

/* A figure of one destination's row and forecast; false: none. */
typedef bool (*tw_prom_remote_fn)(const struct tw_remote *r,
				  const struct tw_forecast *f, uint64_t *v);

static bool tw_prom_rate(const struct tw_remote *r, const struct tw_forecast *f,
			 uint64_t *v)
{
	(void)r;
	*v = f->rate_tenths;
	return f->known;
}

static bool tw_prom_eta(const struct tw_remote *r, const struct tw_forecast *f,
			uint64_t *v)
{
	(void)r;
	*v = f->eta_tenths;
	return f->known && !f->never;
}

static bool tw_prom_settle(const struct tw_remote *r,
			   const struct tw_forecast *f, uint64_t *v)
{
	(void)r;
	*v = f->settle_pct_tenths;
	return f->known && f->has_settle_pct;
}

static bool tw_prom_noport(const struct tw_remote *r,
			   const struct tw_forecast *f, uint64_t *v)
{
	(void)f;
	*v = r->noport.v;
	return r->noport.set;
}

/* The families of the newer remotes columns, when the source gave them. */
static const struct tw_prom_remote_family {
	int col; /* the column they need */
	const char *name, *type, *help;
	unsigned int decimals;
	tw_prom_remote_fn fig;
} tw_prom_remote_families[] = {
	{ TW_RC_TW_RECENT, "twstat_remote_timewait_rate", "gauge",
	  "TIME_WAIT sockets a destination made per second over the last 10 s.",
	  1, tw_prom_rate },
	{ TW_RC_TW_RECENT, "twstat_remote_exhaustion_seconds", "gauge",
	  "Seconds until a destination has no free local port at that rate.", 1,
	  tw_prom_eta },
	{ TW_RC_TW_RECENT, "twstat_remote_settle_ratio", "gauge",
	  "Ports a destination holds once that rate lasts 60 s / usable ports.",
	  3, tw_prom_settle },
	{ TW_RC_NOPORT, "twstat_remote_connect_noport_total", "counter",
	  "connect() calls to a destination that found no free local port.", 0,
	  tw_prom_noport },
};

static void tw_prom_remote_extra(struct tw_prom *p)
{
	const struct tw_snap *snap = p->ctx->snap;
	const struct tw_prom_remote_family *fam;
	struct tw_forecast f;
	bool headed;
	uint64_t v;
	size_t i;

	for (fam = tw_prom_remote_families;
	     fam < tw_prom_remote_families +
			   sizeof(tw_prom_remote_families) / sizeof(*fam);
	     fam++) {
		if (!tw_snap_has_rcol(snap, fam->col))
			continue;
		/*
		 * HELP and TYPE with the first sample: node_exporter drops a
		 * family without samples (an eta when no destination runs out)
		 */
		headed = false;
		for (i = 0; i < snap->nremotes; i++) {
			tw_forecast_of(&snap->remotes[i], &f);
			if (!tw_remote_shown(snap, i,
					     p->ctx->opts->top_remotes) ||
			    !fam->fig(&snap->remotes[i], &f, &v))
				continue;
			if (!headed)
				tw_prom_family(p, fam->name, fam->type,
					       fam->help);
			headed = true;
			tw_prom_remote_labels(p, &snap->remotes[i]);
			tw_prom_fixed(p, fam->name, v, fam->decimals);
		}
	}
}

void tw_prom_remotes(struct tw_prom *p)
{
	const struct tw_snap *snap = p->ctx->snap;
	uint32_t top = p->ctx->opts->top_remotes;
	size_t i;
	int c;

	tw_prom_family(
		p, "twstat_remote_sockets", "gauge",
		"Sockets by destination (laddr, raddr, rport) and state.");
	for (i = 0; i < snap->nremotes; i++)
		for (c = 0; c < TW_R_NCOLS && tw_remote_shown(snap, i, top);
		     c++) {
			tw_prom_remote_labels(p, &snap->remotes[i]);
			tw_prom_label(p, "state", tw_rcol_names[c]);
			tw_prom_u64(p, "twstat_remote_sockets",
				    snap->remotes[i].count[c]);
		}
	tw_prom_family(
		p, "twstat_remote_used_ratio", "gauge",
		"Local ports a destination holds / usable ephemeral ports.");
	for (i = 0; i < snap->nremotes; i++) {
		if (!tw_remote_shown(snap, i, top) || !snap->remotes[i].has_pct)
			continue;
		tw_prom_remote_labels(p, &snap->remotes[i]);
		tw_prom_fixed(p, "twstat_remote_used_ratio",
			      snap->remotes[i].pct_tenths, 3);
	}
	tw_prom_remote_extra(p);
}

/*
 * The timer histogram: bucket le="N" holds the minisockets with less than
 * N s left (rows 0..N-1, N up to 61); +Inf adds the overflow row. _sum is
 * estimated from the rows: the middle of each second, 60 s for row 60 (a
 * TIME_WAIT timer starts at 60 s exactly), 61 s for the overflow row (a
 * lower bound).
 */
void tw_prom_timers(struct tw_prom *p)
{
	const uint64_t *t = p->ctx->snap->timers;
	const char *name = "twstat_timewait_remaining_seconds_bucket";
	uint64_t cum = 0, sum_tenths = 0;
	char le[16];
	int s;

	tw_prom_family(
		p, "twstat_timewait_remaining_seconds", "histogram",
		"Time left on TIME_WAIT timers (when their ports are freed).");
	for (s = 0; s < TW_TIMER_ROWS - 1; s++) {
		cum += t[s];
		sum_tenths += t[s] * (uint64_t)(10 * s + 5);
		snprintf(le, sizeof(le), "%d", s + 1);
		tw_prom_label(p, "le", le);
		tw_prom_u64(p, name, cum);
	}
	cum += t[TW_TIMER_ROWS - 1];
	sum_tenths += t[TW_TIMER_ROWS - 1] * 600;
	tw_prom_label(p, "le", "61");
	tw_prom_u64(p, name, cum);
	cum += p->ctx->snap->timers_over;
	sum_tenths += p->ctx->snap->timers_over * 610;
	tw_prom_label(p, "le", "+Inf");
	tw_prom_u64(p, name, cum);
	tw_prom_fixed(p, "twstat_timewait_remaining_seconds_sum", sum_tenths,
		      1);
	tw_prom_u64(p, "twstat_timewait_remaining_seconds_count", cum);
}

/*
 * The netns view: per namespace, labelled by its inode alone so that
 * series do not churn when a pod's labels change; twstat_netns_info
 * carries the labels, for joins (docs/interface.md).
 */
static void tw_prom_ns(struct tw_prom *p, const struct tw_nsrow *r)
{
	char inum[24];

	snprintf(inum, sizeof(inum), "%" PRIu64, r->inum);
	p->len = 0;
	tw_prom_label(p, tw_ncol_names[TW_NC_NETNS],
		      r->inum ? inum : TWSTAT_FOLDED_FIELD);
}

static void tw_prom_ns_info(struct tw_prom *p, const struct tw_nsrow *r)
{
	const struct tw_nslabel *l = r->label;
	char pid[16] = "";

	if (!r->inum)
		return;
	if (l && l->pid)
		snprintf(pid, sizeof(pid), "%d", l->pid);
	tw_prom_ns(p, r);
	tw_prom_label(p, "name", l ? l->name : "");
	tw_prom_label(p, "pid", pid);
	tw_prom_label(p, "comm", l ? l->comm : "");
	tw_prom_label(p, "container_id", l ? l->container_id : "");
	tw_prom_label(p, "pod_uid", l ? l->pod_uid : "");
	tw_prom_label(p, "hostname", l ? l->hostname : "");
	tw_prom_u64(p, "twstat_netns_info", 1);
}

static void tw_prom_ns_states(struct tw_prom *p, const struct tw_nsrow *r)
{
	uint64_t known = 0;
	int i;

	for (i = 0; i < TW_NSTATES; i++) {
		tw_prom_ns(p, r);
		tw_prom_label(p, "state", tw_state_names[i]);
		tw_prom_u64(p, "twstat_netns_sockets", r->count[i]);
		known += r->count[i];
	}
	tw_prom_ns(p, r);
	tw_prom_label(p, "state", "unknown");
	tw_prom_u64(p, "twstat_netns_sockets", r->sockets - known);
}

static void tw_prom_ns_tw(struct tw_prom *p, const struct tw_nsrow *r)
{
	tw_prom_ns(p, r);
	tw_prom_label(p, "family", "ipv4");
	tw_prom_u64(p, "twstat_netns_timewait_sockets", r->tw_v4);
	tw_prom_ns(p, r);
	tw_prom_label(p, "family", "ipv6");
	tw_prom_u64(p, "twstat_netns_timewait_sockets", r->tw_v6);
}

static void tw_prom_ns_used(struct tw_prom *p, const struct tw_nsrow *r)
{
	if (!r->top.key.family)
		return;
	tw_prom_ns(p, r);
	tw_prom_u64(p, "twstat_netns_top_remote_used", r->top.used);
}

static void tw_prom_ns_ratio(struct tw_prom *p, const struct tw_nsrow *r)
{
	if (!r->top.key.family || !r->top.has_pct)
		return;
	tw_prom_ns(p, r);
	tw_prom_fixed(p, "twstat_netns_top_remote_used_ratio",
		      r->top.pct_tenths, 3);
}

typedef void (*tw_prom_ns_fn)(struct tw_prom *p, const struct tw_nsrow *r);

/* Per-namespace families: a function, or a figure of the row. */
static const struct tw_prom_ns_family {
	const char *name;
	const char *help;
	tw_prom_ns_fn fn; /* NULL: the struct tw_val at @val */
	size_t val;
} tw_prom_ns_families[] = {
	{ "twstat_netns_info", "Always 1; labels: who lives in the namespace.",
	  tw_prom_ns_info, 0 },
	{ "twstat_netns_sockets", "TCP sockets of the namespace by state.",
	  tw_prom_ns_states, 0 },
	{ "twstat_netns_timewait_sockets",
	  "TIME_WAIT minisockets of the namespace by family.", tw_prom_ns_tw,
	  0 },
	{ "twstat_netns_max_tw_buckets",
	  "net.ipv4.tcp_max_tw_buckets of the namespace.", NULL,
	  offsetof(struct tw_nsrow, max_tw_buckets) },
	{ "twstat_netns_port_range_usable",
	  "Usable ephemeral ports of the namespace.", NULL,
	  offsetof(struct tw_nsrow, port_range_size) },
	{ "twstat_netns_remotes", "Destinations of the namespace.", NULL,
	  offsetof(struct tw_nsrow, remotes) },
	{ "twstat_netns_top_remote_used",
	  "Local ports the namespace's busiest destination holds.",
	  tw_prom_ns_used, 0 },
	{ "twstat_netns_top_remote_used_ratio",
	  "Its busiest destination's ports / usable ephemeral ports.",
	  tw_prom_ns_ratio, 0 },
};

static void tw_prom_ns_fig(struct tw_prom *p, const struct tw_nsrow *r,
			   const struct tw_prom_ns_family *f)
{
	const struct tw_val *v;

	if (f->fn) {
		f->fn(p, r);
		return;
	}
	v = (const struct tw_val *)((const char *)r + f->val);
	if (!v->set)
		return;
	tw_prom_ns(p, r);
	tw_prom_u64(p, f->name, v->v);
}

/* Each family over the rows --top shows (the folded row included). */
void tw_prom_netns(struct tw_prom *p)
{
	const struct tw_snap *snap = p->ctx->snap;
	const struct tw_prom_ns_family *f;
	size_t i;

	for (f = tw_prom_ns_families;
	     f < tw_prom_ns_families + sizeof(tw_prom_ns_families) / sizeof(*f);
	     f++) {
		tw_prom_family(p, f->name, "gauge", f->help);
		for (i = 0; i < snap->nnsrows; i++)
			if (tw_nsrow_shown(snap, i, p->ctx->opts->top_netns))
				tw_prom_ns_fig(p, &snap->nsrows[i], f);
	}
	tw_prom_reset(p);
}

/* Owners: sockets by cgroup ("-": unknown) and state; labels for joins. */
static void tw_prom_owner_label(struct tw_prom *p, const struct tw_owner *o)
{
	char id[24];

	snprintf(id, sizeof(id), "%" PRIu64, o->cgroup.id);
	tw_prom_label(p, TWSTAT_NAME_CGROUP,
		      o->cgroup.known ? id : TWSTAT_NO_VALUE);
}

static void tw_prom_owner_info(struct tw_prom *p, const struct tw_owner *o)
{
	const struct tw_cglabel *l =
		tw_cglabel_find(p->ctx->snap, o->cgroup.id);

	if (!o->cgroup.known)
		return;
	tw_prom_owner_label(p, o);
	tw_prom_label(p, "path", l && l->path ? l->path : "");
	tw_prom_label(p, "unit", l && l->unit ? l->unit : "");
	tw_prom_label(p, "container_id", l ? l->container_id : "");
	tw_prom_label(p, "pod_uid", l ? l->pod_uid : "");
	tw_prom_u64(p, "twstat_owner_info", 1);
}

static void tw_prom_owner_states(struct tw_prom *p, const struct tw_owner *o)
{
	uint64_t known = 0;
	int i;

	for (i = 0; i < TW_NSTATES; i++) {
		tw_prom_owner_label(p, o);
		tw_prom_label(p, "state", tw_state_names[i]);
		tw_prom_u64(p, "twstat_owner_sockets", o->count[i]);
		known += o->count[i];
	}
	tw_prom_owner_label(p, o);
	tw_prom_label(p, "state", "unknown");
	tw_prom_u64(p, "twstat_owner_sockets", o->sockets - known);
}

void tw_prom_owners(struct tw_prom *p)
{
	const struct tw_snap *snap = p->ctx->snap;
	size_t i, n = tw_rows_shown(snap->nowners, p->ctx->opts->top_owners);

	if (!(snap->have & TW_NEED_OWNERS))
		return;
	tw_prom_family(
		p, "twstat_owner_sockets", "gauge",
		"TCP sockets by owner (cgroup v2 id, - unknown) and state.");
	for (i = 0; i < n; i++)
		tw_prom_owner_states(p, &snap->owners[i]);
	tw_prom_family(p, "twstat_owner_info", "gauge",
		       "Always 1; labels: who a cgroup is.");
	for (i = 0; i < n; i++)
		tw_prom_owner_info(p, &snap->owners[i]);
}

void tw_prom_failures(struct tw_prom *p)
{
	const struct tw_snap *snap = p->ctx->snap;
	size_t i,
		n = tw_rows_shown(snap->nfailures, p->ctx->opts->top_failures);
	struct tw_remote r;

	if (!(snap->have & TW_NEED_FAILURES))
		return;
	tw_prom_family(
		p, "twstat_failure_connects_total", "counter",
		"connect() calls to a destination that found no free local port.");
	memset(&r, 0, sizeof(r));
	for (i = 0; i < n; i++) {
		r.key = snap->failures[i].key;
		tw_prom_remote_labels(p, &r);
		tw_prom_u64(p, "twstat_failure_connects_total",
			    snap->failures[i].fails);
	}
}

struct tw_prom *tw_prom_begin(FILE *out, const struct tw_view_ctx *ctx)
{
	struct tw_prom *p = tw_xcalloc(1, sizeof(*p));

	p->out = out;
	p->ctx = ctx;
	tw_prom_reset(p);
	tw_prom_info(p);
	return p;
}

void tw_prom_end(struct tw_prom *p)
{
	free(p->labels);
	free(p);
}
