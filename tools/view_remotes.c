// SPDX-License-Identifier: GPL-2.0
/*
 * The remotes section: destinations (local address, remote address, remote
 * port) by local ports used, in the module's order, with a warning mark at
 * --warn percent of the usable ephemeral range; the module's folded
 * "* * *" row, if any, comes last. With the module's newer columns, each
 * row's failed connects, owner and forecast (rate, settle, eta); without
 * them those columns are absent from the text and null in JSON. The
 * overview's lead lists the destinations that run out soon.
 *
 * Owns: the section's layout in text and JSON. Must not: choose rows
 * (rows.c) or write other than through out.h.
 */
#include <stdio.h>
#include <sys/socket.h>

#include "addr.h"
#include "out.h"
#include "render.h"
#include "rows.h"

#define TW_SOON_S 300 /* the overview's lead: eta below this */
#define TW_RCOLS_MAX 20

/* The text columns: the fixed ones, then those the module gave. */
struct tw_remotes_layout {
	struct out_col cols[TW_RCOLS_MAX];
	size_t ncols;
	bool noport, forecast, owner;
};

static const struct out_col tw_remotes_titles[] = {
	{ "LOCAL", OUT_LEFT },	    { "REMOTE", OUT_LEFT },
	{ "RPORT", OUT_RIGHT },	    { "ESTAB", OUT_RIGHT },
	{ "TIME-WAIT", OUT_RIGHT }, { "FIN-WAIT-2", OUT_RIGHT },
	{ "OTHER", OUT_RIGHT },	    { "USED", OUT_RIGHT },
	{ "PCT", OUT_RIGHT },	    { "TW-MIN(s)", OUT_RIGHT },
	{ "TW-MAX(s)", OUT_RIGHT },
};

#define TW_REMOTES_NTITLES \
	(sizeof(tw_remotes_titles) / sizeof(tw_remotes_titles[0]))

static void tw_remotes_col(struct tw_remotes_layout *l, const char *title,
			   enum out_align align)
{
	l->cols[l->ncols].title = title;
	l->cols[l->ncols++].align = align;
}

static void tw_remotes_layout(const struct tw_snap *snap,
			      struct tw_remotes_layout *l)
{
	size_t i;

	l->ncols = 0;
	for (i = 0; i < TW_REMOTES_NTITLES; i++)
		tw_remotes_col(l, tw_remotes_titles[i].title,
			       tw_remotes_titles[i].align);
	l->noport = tw_snap_has_rcol(snap, TW_RC_NOPORT);
	l->forecast = tw_soon_available(snap);
	l->owner = tw_snap_has_rcol(snap, TW_RC_OWNER);
	if (l->noport)
		tw_remotes_col(l, "NOPORT", OUT_RIGHT);
	if (l->forecast) {
		tw_remotes_col(l, "RATE/s", OUT_RIGHT);
		tw_remotes_col(l, "SETTLE", OUT_RIGHT);
		tw_remotes_col(l, "ETA", OUT_RIGHT);
	}
	if (l->owner)
		tw_remotes_col(l, "OWNER", OUT_LEFT);
	tw_remotes_col(l, "", OUT_LEFT); /* the warning mark */
}

#define TW_RNAME(col) (tw_rcol_all_names[TW_RC_##col])

static void tw_remotes_folded_key(uint64_t folded, bool estimated)
{
	char label[48];

	snprintf(label, sizeof(label), "* (%s%llu destinations)",
		 estimated ? "~" : "", (unsigned long long)folded);
	out_text_str("{}", label);
	out_text_str("{}", TWSTAT_FOLDED_FIELD);
	out_json_null(TW_RNAME(LADDR));
	out_json_null(TW_RNAME(RADDR));
	out_null(TW_RNAME(RPORT), "{}");
	out_json_null("family");
	out_json_uint("destinations", folded);
}

static void tw_remotes_key(const struct tw_remote *r, uint64_t folded,
			   bool estimated)
{
	char la[TW_ADDR_STRLEN], ra[TW_ADDR_STRLEN];

	out_json_bool("folded", !r->key.family);
	if (!r->key.family) {
		tw_remotes_folded_key(folded, estimated);
		return;
	}
	tw_addr_format(r->key.family, r->key.laddr, la);
	tw_addr_format(r->key.family, r->key.raddr, ra);
	out_str(TW_RNAME(LADDR), "{}", la);
	out_str(TW_RNAME(RADDR), "{}", ra);
	out_uint(TW_RNAME(RPORT), "{}", r->key.rport);
	out_json_str("family", r->key.family == AF_INET6 ? "ipv6" : "ipv4");
}

/* eta in text: "never", or seconds, minutes or hours. */
static void tw_remotes_eta_text(const struct tw_forecast *f)
{
	uint64_t s = f->eta_tenths / 10;
	char cell[32];

	if (f->never)
		snprintf(cell, sizeof(cell), "never");
	else if (s < 60)
		snprintf(cell, sizeof(cell), "%llu.%llus",
			 (unsigned long long)s,
			 (unsigned long long)(f->eta_tenths % 10));
	else if (s < 3600)
		snprintf(cell, sizeof(cell), "%llum%02llus",
			 (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60));
	else
		snprintf(cell, sizeof(cell), "%lluh%02llum",
			 (unsigned long long)(s / 3600),
			 (unsigned long long)(s / 60 % 60));
	out_text_str("{}", cell);
}

/* rate, free, settle, settle_pct, eta_s: null where unknown. */
static void tw_remotes_forecast(const struct tw_remote *r, bool text)
{
	struct tw_forecast f;

	tw_forecast_of(r, &f);
	if (r->key.family)
		out_json_uint("free", f.free);
	else
		out_json_null("free");
	if (!f.known) {
		out_json_null("rate");
		out_json_null("settle");
		out_json_null("settle_pct");
		out_json_null("eta_s");
		if (text)
			for (int i = 0; i < 3; i++)
				out_text_null("{}");
		return;
	}
	out_json_tenths("rate", f.rate_tenths);
	out_json_uint("settle", f.settle);
	if (f.has_settle_pct)
		out_json_tenths("settle_pct", f.settle_pct_tenths);
	else
		out_json_null("settle_pct");
	if (f.never)
		out_json_null("eta_s");
	else
		out_json_tenths("eta_s", f.eta_tenths);
	if (!text)
		return;
	out_text_tenths("{}", f.rate_tenths);
	if (f.has_settle_pct)
		out_text_tenths("{}%", f.settle_pct_tenths);
	else
		out_text_uint("{}", f.settle);
	tw_remotes_eta_text(&f);
}

/* noport, tw_recent, tw_expiring, owner; text cells as @l has them. */
static void tw_remotes_new(const struct tw_view_ctx *ctx,
			   const struct tw_remotes_layout *l,
			   const struct tw_remote *r)
{
	if (l->noport)
		out_val(TW_RNAME(NOPORT), "{}", &r->noport);
	else
		out_json_null(TW_RNAME(NOPORT));
	out_json_val(TW_RNAME(TW_RECENT), &r->tw_recent);
	out_json_val(TW_RNAME(TW_EXPIRING), &r->tw_expiring);
	tw_remotes_forecast(r, l->forecast);
	if (!l->owner || !r->key.family) {
		out_json_null(TW_RNAME(OWNER));
		if (l->owner)
			out_text_null("{}");
		return;
	}
	out_obj_open(TW_RNAME(OWNER));
	tw_view_owner(ctx->snap, &r->owner, 1);
	out_obj_close();
}

static void tw_remotes_row(const struct tw_view_ctx *ctx,
			   const struct tw_remotes_layout *l,
			   const struct tw_remote *r)
{
	const struct tw_summary *s = &ctx->snap->sum;
	bool warn = r->has_pct && r->pct_tenths >= ctx->opts->warn_tenths;
	int i;

	out_elem_obj_open();
	tw_remotes_key(r, tw_sum_get(s, TWK_REMOTES_FOLDED),
		       tw_sum_get(s, TWK_REMOTES_FOLDED_ESTIMATED) != 0);
	out_obj_open("states");
	for (i = 0; i < TW_R_NCOLS; i++)
		out_uint(tw_rcol_names[i], "{}", r->count[i]);
	out_obj_close();
	out_uint(TW_RNAME(USED), "{}", r->used);
	out_json_uint(TW_RNAME(RANGE), r->range);
	if (r->has_pct)
		out_tenths(TW_RNAME(PCT), "{}%", r->pct_tenths);
	else
		out_null(TW_RNAME(PCT), "{}");
	tw_view_timer_ms(TW_RNAME(TW_MIN_MS), r->tw_min_ms);
	tw_view_timer_ms(TW_RNAME(TW_MAX_MS), r->tw_max_ms);
	tw_remotes_new(ctx, l, r);
	out_bool("warn", "!", warn);
	out_obj_close();
	out_grid_row_end();
}

static void tw_remotes_title(const struct tw_view_ctx *ctx)
{
	const struct tw_summary *s = &ctx->snap->sum;

	out_textf("\nDestinations by local ports used (local port in %llu-%llu",
		  (unsigned long long)tw_sum_get(s, TWK_PORT_RANGE_LO),
		  (unsigned long long)tw_sum_get(s, TWK_PORT_RANGE_HI));
	out_textf("; ! = %u.%u%% or more of %llu usable ports):\n",
		  ctx->opts->warn_tenths / 10, ctx->opts->warn_tenths % 10,
		  (unsigned long long)tw_sum_get(s, TWK_PORT_RANGE_SIZE));
}

void tw_view_remotes(const struct tw_view_ctx *ctx)
{
	const struct tw_snap *snap = ctx->snap;
	struct tw_remotes_layout l;
	size_t i, shown = 0;

	tw_remotes_layout(snap, &l);
	out_json_tenths("warn_pct", ctx->opts->warn_tenths);
	out_json_uint("rows_total", snap->nremotes);
	tw_remotes_title(ctx);
	out_arr_open("rows");
	if (snap->nremotes)
		out_grid_open(l.cols, l.ncols, true);
	else
		out_text("  (none)\n");
	for (i = 0; i < snap->nremotes; i++) {
		if (!tw_remote_shown(snap, i, ctx->opts->top_remotes))
			continue;
		tw_remotes_row(ctx, &l, &snap->remotes[i]);
		shown++;
	}
	out_grid_close();
	out_arr_close();
	if (shown < snap->nremotes)
		out_textf("... %zu more (--top 0 lists all)\n",
			  snap->nremotes - shown);
}

static const struct out_col tw_soon_titles[] = {
	{ "LOCAL", OUT_LEFT }, { "REMOTE", OUT_LEFT },	{ "RPORT", OUT_RIGHT },
	{ "USED", OUT_RIGHT }, { "FREE", OUT_RIGHT },	{ "RATE/s", OUT_RIGHT },
	{ "ETA", OUT_RIGHT },  { "NOPORT", OUT_RIGHT },
};

#define TW_SOON_NTITLES (sizeof(tw_soon_titles) / sizeof(tw_soon_titles[0]))

static bool tw_soon(const struct tw_remote *r, struct tw_forecast *f)
{
	tw_forecast_of(r, f);
	return f->known && !f->never && f->eta_tenths < TW_SOON_S * 10;
}

static void tw_soon_row(const struct tw_remote *r, const struct tw_forecast *f)
{
	char la[TW_ADDR_STRLEN], ra[TW_ADDR_STRLEN];

	tw_addr_format(r->key.family, r->key.laddr, la);
	tw_addr_format(r->key.family, r->key.raddr, ra);
	out_elem_obj_open();
	out_str(TW_RNAME(LADDR), "{}", la);
	out_str(TW_RNAME(RADDR), "{}", ra);
	out_uint(TW_RNAME(RPORT), "{}", r->key.rport);
	out_json_str("family", r->key.family == AF_INET6 ? "ipv6" : "ipv4");
	out_uint(TW_RNAME(USED), "{}", r->used);
	out_uint("free", "{}", f->free);
	out_tenths("rate", "{}", f->rate_tenths);
	out_json_tenths("eta_s", f->eta_tenths);
	tw_remotes_eta_text(f);
	out_val(TW_RNAME(NOPORT), "{}", &r->noport);
	out_obj_close();
	out_grid_row_end();
}

void tw_view_soon(const struct tw_view_ctx *ctx)
{
	const struct tw_snap *snap = ctx->snap;
	struct tw_forecast f;
	size_t i, n = 0;

	if (!tw_soon_available(snap))
		return;
	for (i = 0; i < snap->nremotes; i++)
		n += tw_soon(&snap->remotes[i], &f);
	out_json_uint("within_s", TW_SOON_S);
	if (n)
		out_textf("\nPorts run out within %d s at the last 10 s's "
			  "rate:\n",
			  TW_SOON_S);
	out_arr_open("rows");
	if (n)
		out_grid_open(tw_soon_titles, TW_SOON_NTITLES, true);
	for (i = 0; i < snap->nremotes; i++)
		if (tw_soon(&snap->remotes[i], &f))
			tw_soon_row(&snap->remotes[i], &f);
	out_grid_close();
	out_arr_close();
}
