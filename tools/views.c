// SPDX-License-Identifier: GPL-2.0
/* View dispatch and the document header (see views.h). */
#include "print.h"
#include "views.h"

void tw_view_timer_ms(const char *key, uint32_t ms)
{
	if (ms == TW_NO_TIMER) {
		pr_null(key, NULL);
		pr_null(NULL, "{}");
		return;
	}
	pr_uint(key, NULL, ms);
	pr_tenths(NULL, "{}", ms / 100);
}

static void tw_view_header(const struct tw_view_ctx *ctx)
{
	pr_str("twstat_version", NULL, TWSTAT_VERSION);
	pr_uint("schema", NULL, TW_SCHEMA_VERSION);
	pr_str("source", "source: {}", tw_source_name(ctx->snap->source));
	pr_str("netns", "  netns: {}", ctx->netns);
	pr_str("view", NULL, tw_view_name(ctx->opts->view));
	pr_text("\n");
}

/* --watch: TIME_WAIT rates from the TcpExt counters (text only). */
static void tw_view_rates(const struct tw_watch_info *w)
{
	if (!w->have_rates) {
		pr_text("TIME_WAIT rates: measuring (shown from the next refresh)\n");
		return;
	}
	pr_tenths(NULL, "TIME_WAIT/s: ~{} created", w->created_tenths);
	pr_tenths(NULL, ", {} expired", w->rate_tenths[TW_NS_TW]);
	pr_tenths(NULL, ", {} killed", w->rate_tenths[TW_NS_TW_KILLED]);
	pr_tenths(NULL, ", {} recycled", w->rate_tenths[TW_NS_TW_RECYCLED]);
	pr_tenths(NULL, ", {} overflowed", w->rate_tenths[TW_NS_TW_OVERFLOW]);
	pr_tenths(NULL, " (over {} s)\n", w->interval_ms / 100);
}

void tw_view_render(const struct tw_view_ctx *ctx)
{
	enum tw_view v = ctx->opts->view;

	tw_view_header(ctx);
	if (ctx->watch)
		tw_view_rates(ctx->watch);
	if (v == TW_VIEW_OVERVIEW || v == TW_VIEW_SUMMARY)
		tw_view_summary(ctx);
	if (v == TW_VIEW_OVERVIEW || v == TW_VIEW_PORTS)
		tw_view_ports(ctx, v == TW_VIEW_OVERVIEW);
	if (v == TW_VIEW_OVERVIEW || v == TW_VIEW_REMOTES)
		tw_view_remotes(ctx);
	if (v == TW_VIEW_OVERVIEW || v == TW_VIEW_TIMERS)
		tw_view_timers(ctx);
}
