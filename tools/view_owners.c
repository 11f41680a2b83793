// SPDX-License-Identifier: GPL-2.0
/*
 * Who holds the sockets and what already failed: the owners section (one
 * row per cgroup, in the module's order, labelled with its path, systemd
 * unit, pod and container), the failures section (destinations where
 * connect() found no free local port). The overview shows them first,
 * then the destinations whose ports run out soon (view_remotes.c).
 *
 * Owns: these sections' layout in text and JSON, and an owner's labels in
 * every section. Must not: find labels (cgroup.c), choose rows (rows.c)
 * or write other than through out.h.
 */
#include <stdio.h>
#include <sys/socket.h>

#include "addr.h"
#include "out.h"
#include "render.h"
#include "rows.h"

/* Shown in text: enough of an id to tell it apart, as docker ps does. */
#define TW_CID_SHORT 12
#define TW_POD_SHORT 8

#define TW_ONAME(col) (tw_ocol_names[TW_OC_##col])
#define TW_FNAME(col) (tw_fcol_names[TW_FC_##col])

bool tw_owners_available(const struct tw_snap *snap)
{
	return snap->have & TW_NEED_OWNERS;
}

bool tw_failures_available(const struct tw_snap *snap)
{
	return snap->have & TW_NEED_FAILURES;
}

bool tw_soon_available(const struct tw_snap *snap)
{
	return tw_snap_has_rcol(snap, TW_RC_TW_RECENT) &&
	       tw_snap_has_rcol(snap, TW_RC_TW_EXPIRING);
}

/* A label: the string in JSON (null if empty), @shown chars in text. */
static void tw_owner_str(const char *key, const char *s, size_t shown,
			 bool text)
{
	char cell[TW_CID_SHORT + 1];

	if (!s || !*s) {
		out_json_null(key);
		if (text)
			out_text_null("{}");
		return;
	}
	out_json_str(key, s);
	snprintf(cell, shown + 1, "%s", s); /* shown <= TW_CID_SHORT */
	if (text)
		out_text_str("{}", shown ? cell : s);
}

/* One text cell naming an owner: its unit, else its path, else its id. */
static void tw_owner_cell(const struct tw_owner_id *o,
			  const struct tw_cglabel *l)
{
	char cell[64];

	if (!o->known) {
		out_text_null("{}");
		return;
	}
	if (l && l->unit) {
		out_text_str("{}", l->unit);
		return;
	}
	if (l && l->path && !l->gone) {
		out_text_str("{}", l->path);
		return;
	}
	snprintf(cell, sizeof(cell), "%llu%s", (unsigned long long)o->id,
		 l && l->gone ? " (gone)" : "");
	out_text_str("{}", cell);
}

void tw_view_owner(const struct tw_snap *snap, const struct tw_owner_id *o,
		   int cells)
{
	const struct tw_cglabel *l = o->known ? tw_cglabel_find(snap, o->id) :
						NULL;

	if (cells == 1)
		tw_owner_cell(o, l);
	if (o->known)
		out_json_uint(TWSTAT_NAME_CGROUP, o->id);
	else
		out_json_null(TWSTAT_NAME_CGROUP);
	if (cells == 2 && o->known)
		out_text_uint("{}", o->id);
	else if (cells == 2)
		out_text_null("{}");
	tw_owner_str("unit", l ? l->unit : NULL, 0, cells == 2);
	tw_owner_str("pod_uid", l ? l->pod_uid : NULL, TW_POD_SHORT,
		     cells == 2);
	tw_owner_str("container_id", l ? l->container_id : NULL, TW_CID_SHORT,
		     cells == 2);
	tw_owner_str("path", l ? l->path : NULL, 0, cells == 2);
}

static const struct out_col tw_owners_titles[] = {
	{ "SOCKETS", OUT_RIGHT },   { "ESTAB", OUT_RIGHT },
	{ "TIME-WAIT", OUT_RIGHT }, { "FIN-WAIT-2", OUT_RIGHT },
	{ "OTHER", OUT_RIGHT },	    { "TW-MIN(s)", OUT_RIGHT },
	{ "TW-MAX(s)", OUT_RIGHT }, { "CGROUP", OUT_RIGHT },
	{ "UNIT", OUT_LEFT },	    { "POD", OUT_LEFT },
	{ "CONTAINER", OUT_LEFT },  { "PATH", OUT_LEFT },
};

#define TW_OWNERS_NTITLES \
	(sizeof(tw_owners_titles) / sizeof(tw_owners_titles[0]))

static void tw_owners_row(const struct tw_snap *snap, const struct tw_owner *o)
{
	uint64_t shown;
	int i;

	out_elem_obj_open();
	out_uint(TW_ONAME(SOCKETS), "{}", o->sockets);
	out_obj_open("states");
	for (i = 0; i < TW_NSTATES; i++)
		out_json_uint(tw_state_names[i], o->count[i]);
	out_obj_close();
	shown = o->count[TW_ESTAB] + o->count[TW_TIME_WAIT] +
		o->count[TW_FIN_WAIT2];
	out_text_uint("{}", o->count[TW_ESTAB]);
	out_text_uint("{}", o->count[TW_TIME_WAIT]);
	out_text_uint("{}", o->count[TW_FIN_WAIT2]);
	out_text_uint("{}", o->sockets - shown);
	tw_view_timer_ms(TW_ONAME(TW_MIN_MS), o->tw_min_ms);
	tw_view_timer_ms(TW_ONAME(TW_MAX_MS), o->tw_max_ms);
	tw_view_owner(snap, &o->cgroup, 2);
	out_obj_close();
	out_grid_row_end();
}

static void tw_owners_title(const struct tw_view_ctx *ctx)
{
	const struct tw_snap *snap = ctx->snap;

	out_json_uint("rows_total", snap->nowners);
	out_json_bool("timewait_owners", snap->source == TW_SRC_MODULE);
	out_textf("\nSockets by owner (cgroup)%s:\n",
		  ctx->opts->view == TW_VIEW_OVERVIEW ? ", top" : "");
	if (snap->source != TW_SRC_MODULE)
		out_text("  (source diag: TIME_WAIT and request sockets are "
			 "under '-'; the owner of a TIME_WAIT socket needs the "
			 "twstat module)\n");
}

void tw_view_owners(const struct tw_view_ctx *ctx)
{
	const struct tw_snap *snap = ctx->snap;
	size_t i, n = tw_rows_shown(snap->nowners, ctx->opts->top_owners);

	if (!tw_owners_available(snap)) {
		if (ctx->opts->view == TW_VIEW_OWNERS)
			out_text("\nOwners: the loaded twstat module is older "
				 "than this twstat (no owners file)\n");
		return;
	}
	tw_owners_title(ctx);
	out_arr_open("rows");
	if (n)
		out_grid_open(tw_owners_titles, TW_OWNERS_NTITLES, true);
	else
		out_text("  (none)\n");
	for (i = 0; i < n; i++)
		tw_owners_row(snap, &snap->owners[i]);
	out_grid_close();
	out_arr_close();
	if (n < snap->nowners)
		out_textf("... %zu more (twstat owners --top 0 lists all)\n",
			  snap->nowners - n);
}

static const struct out_col tw_failures_titles[] = {
	{ "LOCAL", OUT_LEFT },	  { "REMOTE", OUT_LEFT },
	{ "RPORT", OUT_RIGHT },	  { "FAILS", OUT_RIGHT },
	{ "LAST(s)", OUT_RIGHT }, { "PID", OUT_RIGHT },
	{ "COMM", OUT_LEFT },	  { "OWNER", OUT_LEFT },
};

#define TW_FAILURES_NTITLES \
	(sizeof(tw_failures_titles) / sizeof(tw_failures_titles[0]))

/* laddr, raddr, rport, family of a destination, in JSON and text. */
static void tw_view_dest(const struct tw_rkey *k)
{
	char la[TW_ADDR_STRLEN], ra[TW_ADDR_STRLEN];

	tw_addr_format(k->family, k->laddr, la);
	tw_addr_format(k->family, k->raddr, ra);
	out_str(TWSTAT_NAME_LADDR, "{}", la);
	out_str(TWSTAT_NAME_RADDR, "{}", ra);
	out_uint(TWSTAT_NAME_RPORT, "{}", k->rport);
	out_json_str("family", k->family == AF_INET6 ? "ipv6" : "ipv4");
}

static void tw_failures_row(const struct tw_snap *snap,
			    const struct tw_failure *f)
{
	out_elem_obj_open();
	tw_view_dest(&f->key);
	out_uint(TW_FNAME(FAILS), "{}", f->fails);
	out_json_uint(TW_FNAME(LAST_MS), f->last_ms);
	out_text_tenths("{}", f->last_ms / 100);
	if (f->pid)
		out_uint(TW_FNAME(PID), "{}", f->pid);
	else
		out_null(TW_FNAME(PID), "{}");
	out_str(TW_FNAME(COMM), "{}", f->comm);
	out_obj_open("owner");
	tw_view_owner(snap, &f->cgroup, 1);
	out_obj_close();
	out_obj_close();
	out_grid_row_end();
}

/* The overview shows failures only when there are some. */
static bool tw_failures_quiet(const struct tw_view_ctx *ctx)
{
	return ctx->opts->view == TW_VIEW_OVERVIEW &&
	       (!tw_failures_available(ctx->snap) || !ctx->snap->nfailures);
}

static void tw_failures_missing(const struct tw_view_ctx *ctx)
{
	if (ctx->snap->source != TW_SRC_MODULE)
		out_text("\nFailed connects: only the twstat module sees them "
			 "(source diag)\n");
	else
		out_text("\nFailed connects: the loaded twstat module is older "
			 "than this twstat (no failures file)\n");
}

void tw_view_failures(const struct tw_view_ctx *ctx)
{
	const struct tw_snap *snap = ctx->snap;
	size_t i, n = tw_rows_shown(snap->nfailures, ctx->opts->top_failures);

	if (tw_failures_quiet(ctx))
		return;
	if (!tw_failures_available(snap)) {
		tw_failures_missing(ctx);
		return;
	}
	out_json_uint("rows_total", snap->nfailures);
	out_text("\nConnects that found no free local port (EADDRNOTAVAIL):\n");
	out_arr_open("rows");
	if (n)
		out_grid_open(tw_failures_titles, TW_FAILURES_NTITLES, true);
	else
		out_text("  (none)\n");
	for (i = 0; i < n; i++)
		tw_failures_row(snap, &snap->failures[i]);
	out_grid_close();
	out_arr_close();
	if (n < snap->nfailures)
		out_textf("... %zu more (twstat failures --top 0 lists all)\n",
			  snap->nfailures - n);
}
