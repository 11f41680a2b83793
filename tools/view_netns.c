// SPDX-License-Identifier: GPL-2.0
/*
 * The netns section: one row per network namespace in the module's order
 * (time-wait, then sockets, descending), labelled with who lives in it --
 * its /run/netns name, lowest pid and comm, pod UID, container id and
 * hostname -- and its busiest destination; the folded "*" row, if any,
 * comes last.
 *
 * Owns: the section's layout in text and JSON. Must not: choose rows
 * (rows.c), find labels (netns.c) or write other than through out.h.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "out.h"
#include "render.h"
#include "rows.h"

/* Shown in text: enough of an id to tell it apart, as docker ps does. */
#define TW_CID_SHORT 12
#define TW_POD_SHORT 8

static const struct out_col tw_netns_titles[] = {
	{ "NETNS", OUT_RIGHT },	    { "NAME", OUT_LEFT },
	{ "PID", OUT_RIGHT },	    { "COMM", OUT_LEFT },
	{ "HOSTNAME", OUT_LEFT },   { "POD", OUT_LEFT },
	{ "CONTAINER", OUT_LEFT },  { "SOCKETS", OUT_RIGHT },
	{ "ESTAB", OUT_RIGHT },	    { "TIME-WAIT", OUT_RIGHT },
	{ "TW-MAX(s)", OUT_RIGHT }, { "TOP DESTINATION", OUT_LEFT },
	{ "USED", OUT_RIGHT },	    { "PCT", OUT_RIGHT },
};

#define TW_NETNS_NTITLES (sizeof(tw_netns_titles) / sizeof(tw_netns_titles[0]))
#define TW_NNAME(col) (tw_ncol_names[TW_NC_##col])
#define TW_RNAME(col) (tw_rcol_all_names[TW_RC_##col])

/* A label: the string in JSON (null if empty), @shown chars in text. */
static void tw_netns_str(const char *key, const char *s, size_t shown)
{
	char cell[TW_CID_SHORT + 1];

	if (!s || !*s) {
		out_null(key, "{}");
		return;
	}
	out_json_str(key, s);
	if (!shown) {
		out_text_str("{}", s);
		return;
	}
	snprintf(cell, shown + 1, "%s", s); /* shown <= TW_CID_SHORT */
	out_text_str("{}", cell);
}

static void tw_netns_label(const struct tw_nsrow *r)
{
	const struct tw_nslabel *l = r->label;

	if (r->inum)
		out_uint(TW_NNAME(NETNS), "{}", r->inum);
	else
		out_str(TW_NNAME(NETNS), "{}", TWSTAT_FOLDED_FIELD);
	out_json_bool("folded", !r->inum);
	tw_netns_str("name", l ? l->name : NULL, 0);
	if (l && l->pid)
		out_uint("pid", "{}", (uint64_t)l->pid);
	else
		out_null("pid", "{}");
	tw_netns_str("comm", l ? l->comm : NULL, 0);
	tw_netns_str("hostname", l ? l->hostname : NULL, 0);
	tw_netns_str("pod_uid", l ? l->pod_uid : NULL, TW_POD_SHORT);
	tw_netns_str("container_id", l ? l->container_id : NULL, TW_CID_SHORT);
}

static void tw_netns_counts(const struct tw_nsrow *r)
{
	int i;

	out_uint(TW_NNAME(SOCKETS), "{}", r->sockets);
	out_obj_open("states");
	for (i = 0; i < TW_NSTATES; i++)
		out_json_uint(tw_state_names[i], r->count[i]);
	out_obj_close();
	out_text_uint("{}", r->count[TW_ESTAB]);
	out_text_uint("{}", r->count[TW_TIME_WAIT]);
	out_json_uint(TW_NNAME(TW_V4), r->tw_v4);
	out_json_uint(TW_NNAME(TW_V6), r->tw_v6);
	if (r->tw_min_ms == TW_NO_TIMER)
		out_json_null(TW_NNAME(TW_MIN_MS));
	else
		out_json_uint(TW_NNAME(TW_MIN_MS), r->tw_min_ms);
	tw_view_timer_ms(TW_NNAME(TW_MAX_MS), r->tw_max_ms);
	out_json_val(TW_NNAME(PORT_RANGE_LO), &r->port_lo);
	out_json_val(TW_NNAME(PORT_RANGE_HI), &r->port_hi);
	out_json_val(TW_NNAME(PORT_RANGE_SIZE), &r->port_range_size);
	out_json_val(TW_NNAME(MAX_TW_BUCKETS), &r->max_tw_buckets);
	out_json_val(TW_NNAME(REMOTES), &r->remotes);
}

/* The busiest destination: an object in JSON, three cells in text. */
static void tw_netns_top(const struct tw_remote *t)
{
	char la[TW_ADDR_STRLEN], ra[TW_ADDR_STRLEN],
		cell[2 * TW_ADDR_STRLEN + 8];

	if (!t->key.family) {
		out_json_null("top");
		out_text_null("{}");
		out_text_null("{}");
		out_text_null("{}");
		return;
	}
	tw_addr_format(t->key.family, t->key.laddr, la);
	tw_addr_format(t->key.family, t->key.raddr, ra);
	snprintf(cell, sizeof(cell), "%s > %s:%u", la, ra, t->key.rport);
	out_text_str("{}", cell);
	out_obj_open("top");
	out_json_str(TW_RNAME(LADDR), la);
	out_json_str(TW_RNAME(RADDR), ra);
	out_json_uint(TW_RNAME(RPORT), t->key.rport);
	out_json_str("family", t->key.family == AF_INET6 ? "ipv6" : "ipv4");
	out_uint(TW_RNAME(USED), "{}", t->used);
	if (t->has_pct)
		out_tenths(TW_RNAME(PCT), "{}%", t->pct_tenths);
	else
		out_null(TW_RNAME(PCT), "{}");
	out_obj_close();
}

static void tw_netns_title(const struct tw_view_ctx *ctx)
{
	const struct tw_snap *snap = ctx->snap;

	if (snap->source == TW_SRC_DIAG)
		out_textf(
			"\nNetwork namespaces with sockets: %zu (source diag: "
			"each namespace entered and dumped in turn, slower "
			"than the module's one walk)\n",
			snap->nnsrows);
	else
		out_textf("\nNetwork namespaces with sockets: %zu\n",
			  snap->nnsrows);
}

void tw_view_netns(const struct tw_view_ctx *ctx)
{
	const struct tw_snap *snap = ctx->snap;
	size_t i, shown = 0;

	out_json_uint("rows_total", snap->nnsrows);
	tw_netns_title(ctx);
	out_arr_open("rows");
	if (snap->nnsrows)
		out_grid_open(tw_netns_titles, TW_NETNS_NTITLES, true);
	else
		out_text("  (none)\n");
	for (i = 0; i < snap->nnsrows; i++) {
		if (!tw_nsrow_shown(snap, i, ctx->opts->top_netns))
			continue;
		out_elem_obj_open();
		tw_netns_label(&snap->nsrows[i]);
		tw_netns_counts(&snap->nsrows[i]);
		tw_netns_top(&snap->nsrows[i].top);
		out_obj_close();
		out_grid_row_end();
		shown++;
	}
	out_grid_close();
	out_arr_close();
	if (shown < snap->nnsrows)
		out_textf("... %zu more (--top 0 lists all)\n",
			  snap->nnsrows - shown);
}
