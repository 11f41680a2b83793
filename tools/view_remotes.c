// SPDX-License-Identifier: GPL-2.0
/*
 * The remotes section: destinations (local address, remote address, remote
 * port) by local ports used, in the module's order, with a warning mark at
 * --warn percent of the usable ephemeral range; the module's folded
 * "* * *" row, if any, comes last.
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

static const struct out_col tw_remotes_titles[] = {
	{ "LOCAL", OUT_LEFT },	    { "REMOTE", OUT_LEFT },
	{ "RPORT", OUT_RIGHT },	    { "ESTAB", OUT_RIGHT },
	{ "TIME-WAIT", OUT_RIGHT }, { "FIN-WAIT-2", OUT_RIGHT },
	{ "OTHER", OUT_RIGHT },	    { "USED", OUT_RIGHT },
	{ "PCT", OUT_RIGHT },	    { "TW-MIN(s)", OUT_RIGHT },
	{ "TW-MAX(s)", OUT_RIGHT }, { "", OUT_LEFT },
};

#define TW_REMOTES_NTITLES \
	(sizeof(tw_remotes_titles) / sizeof(tw_remotes_titles[0]))

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

static void tw_remotes_row(const struct tw_view_ctx *ctx,
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
	size_t i, shown = 0;

	out_json_tenths("warn_pct", ctx->opts->warn_tenths);
	out_json_uint("rows_total", snap->nremotes);
	tw_remotes_title(ctx);
	out_arr_open("rows");
	if (snap->nremotes)
		out_grid_open(tw_remotes_titles, TW_REMOTES_NTITLES, true);
	else
		out_text("  (none)\n");
	for (i = 0; i < snap->nremotes; i++) {
		if (!tw_remote_shown(snap, i, ctx->opts->top_remotes))
			continue;
		tw_remotes_row(ctx, &snap->remotes[i]);
		shown++;
	}
	out_grid_close();
	out_arr_close();
	if (shown < snap->nremotes)
		out_textf("... %zu more (--top 0 lists all)\n",
			  snap->nremotes - shown);
}
