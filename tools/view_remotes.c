// SPDX-License-Identifier: GPL-2.0
/*
 * The remotes section: destinations (local address, remote address, remote
 * port) by local ports used, in the module's order, with a warning mark at
 * --warn percent of the usable ephemeral range; the module's folded
 * "* * *" row, if any, comes last.
 */
#include <stdio.h>
#include <sys/socket.h>

#include "addr.h"
#include "print.h"
#include "views.h"

static const struct pr_col tw_remote_cols[] = {
	{ "LOCAL", PR_LEFT },	   { "REMOTE", PR_LEFT },
	{ "RPORT", PR_RIGHT },	   { "ESTAB", PR_RIGHT },
	{ "TIME-WAIT", PR_RIGHT }, { "FIN-WAIT-2", PR_RIGHT },
	{ "OTHER", PR_RIGHT },	   { "USED", PR_RIGHT },
	{ "PCT", PR_RIGHT },	   { "TW-MIN(s)", PR_RIGHT },
	{ "TW-MAX(s)", PR_RIGHT }, { "", PR_LEFT },
};

#define TW_REMOTE_NCOLS (sizeof(tw_remote_cols) / sizeof(tw_remote_cols[0]))

static void tw_remote_key(const struct tw_remote *r, uint64_t folded,
			  bool estimated)
{
	char la[TW_ADDR_STRLEN], ra[TW_ADDR_STRLEN], label[48];

	pr_bool("folded", NULL, !r->key.family);
	if (!r->key.family) {
		snprintf(label, sizeof(label), "* (%s%llu destinations)",
			 estimated ? "~" : "", (unsigned long long)folded);
		pr_str(NULL, "{}", label);
		pr_str(NULL, "{}", "*");
		pr_null("laddr", NULL);
		pr_null("raddr", NULL);
		pr_null("rport", "{}");
		pr_null("family", NULL);
		pr_uint("destinations", NULL, folded);
		return;
	}
	tw_addr_format(r->key.family, r->key.laddr, la);
	tw_addr_format(r->key.family, r->key.raddr, ra);
	pr_str("laddr", "{}", la);
	pr_str("raddr", "{}", ra);
	pr_uint("rport", "{}", r->key.rport);
	pr_str("family", NULL, r->key.family == AF_INET6 ? "ipv6" : "ipv4");
}

static void tw_remote_row(const struct tw_view_ctx *ctx,
			  const struct tw_remote *r)
{
	const struct tw_summary *s = &ctx->snap->sum;
	bool warn = r->has_pct && r->pct_tenths >= ctx->opts->warn_tenths;
	int i;

	pr_obj_open(NULL);
	tw_remote_key(r, tw_sum_get(s, TWK_REMOTES_FOLDED),
		      tw_sum_get(s, TWK_REMOTES_FOLDED_ESTIMATED) != 0);
	pr_obj_open("states");
	for (i = 0; i < TW_R_NCOLS; i++)
		pr_uint(tw_rcol_names[i], "{}", r->count[i]);
	pr_obj_close();
	pr_uint("used", "{}", r->used);
	pr_uint("range", NULL, r->range);
	if (r->has_pct)
		pr_tenths("pct", "{}%", r->pct_tenths);
	else
		pr_null("pct", "{}");
	tw_view_timer_ms("tw_min_ms", r->tw_min_ms);
	tw_view_timer_ms("tw_max_ms", r->tw_max_ms);
	pr_bool("warn", "!", warn);
	pr_obj_close();
	pr_grid_row_end();
}

static void tw_remotes_title(const struct tw_view_ctx *ctx)
{
	const struct tw_summary *s = &ctx->snap->sum;

	pr_textf("\nDestinations by local ports used (local port in %llu-%llu",
		 (unsigned long long)tw_sum_get(s, TWK_PORT_RANGE_LO),
		 (unsigned long long)tw_sum_get(s, TWK_PORT_RANGE_HI));
	pr_textf("; ! = %u.%u%% or more of %llu usable ports):\n",
		 ctx->opts->warn_tenths / 10, ctx->opts->warn_tenths % 10,
		 (unsigned long long)tw_sum_get(s, TWK_PORT_RANGE_SIZE));
}

/* The rows shown: the first @top tracked ones, plus the folded row. */
static bool tw_remote_shown(const struct tw_snap *snap, size_t i, uint32_t top)
{
	return !snap->remotes[i].key.family || !top || i < top;
}

void tw_view_remotes(const struct tw_view_ctx *ctx)
{
	const struct tw_snap *snap = ctx->snap;
	size_t i, shown = 0;

	pr_obj_open("remotes");
	pr_tenths("warn_pct", NULL, ctx->opts->warn_tenths);
	pr_uint("rows_total", NULL, snap->nremotes);
	tw_remotes_title(ctx);
	pr_arr_open("rows");
	if (snap->nremotes)
		pr_grid_open(tw_remote_cols, TW_REMOTE_NCOLS, true);
	else
		pr_text("  (none)\n");
	for (i = 0; i < snap->nremotes; i++) {
		if (!tw_remote_shown(snap, i, ctx->opts->top_remotes))
			continue;
		tw_remote_row(ctx, &snap->remotes[i]);
		shown++;
	}
	pr_grid_close();
	pr_arr_close();
	if (shown < snap->nremotes)
		pr_textf("... %zu more (--top 0 lists all)\n",
			 snap->nremotes - shown);
	pr_obj_close();
}
