// SPDX-License-Identifier: GPL-2.0
/*
 * The section table, the document header and rendering to memory (see
 * render.h).
 *
 * Owns: which sections a view shows, in what order, in every format, and
 * which files that needs. Must not: render a section's figures (view_*.c,
 * prom.c) or read any file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "prom.h"
#include "render.h"

/* The overview leads with who holds the sockets and what is failing. */
const struct tw_section tw_sections[TW_NSECTIONS] = {
	{ TW_F_OWNERS, TW_VIEW_OWNERS, true, NULL, tw_view_owners,
	  tw_prom_owners, tw_owners_available },
	{ TW_F_FAILURES, TW_VIEW_FAILURES, true, NULL, tw_view_failures,
	  tw_prom_failures, tw_failures_available },
	/* the overview only: its remotes' forecast, the rows ending soon */
	{ TW_F_REMOTES, TW_VIEW_OVERVIEW, true, "exhaustion_soon", tw_view_soon,
	  NULL, tw_soon_available },
	{ TW_F_SUMMARY, TW_VIEW_SUMMARY, true, NULL, tw_view_summary,
	  tw_prom_summary, NULL },
	{ TW_F_PORTS, TW_VIEW_PORTS, true, NULL, tw_view_ports, tw_prom_ports,
	  NULL },
	{ TW_F_REMOTES, TW_VIEW_REMOTES, true, NULL, tw_view_remotes,
	  tw_prom_remotes, NULL },
	{ TW_F_TIMERS, TW_VIEW_TIMERS, true, NULL, tw_view_timers,
	  tw_prom_timers, NULL },
	/* "netns" is the document's own key (the reader's netns) */
	{ TW_F_NETNS, TW_VIEW_NETNS, false, "namespaces", tw_view_netns,
	  tw_prom_netns, NULL },
};

bool tw_section_shown(const struct tw_section *sec, enum tw_view view)
{
	return view == sec->view || (view == TW_VIEW_OVERVIEW && sec->overview);
}

unsigned int tw_view_needs(enum tw_view view)
{
	unsigned int need = 0;
	size_t i;

	for (i = 0; i < TW_NSECTIONS; i++)
		if (tw_section_shown(&tw_sections[i], view) &&
		    tw_sections[i].file != TW_F_SUMMARY)
			need |= TW_NEED(tw_sections[i].file);
	return need;
}

bool tw_view_needs_netstat(enum tw_view view, enum tw_format fmt)
{
	size_t i;

	for (i = 0; i < TW_NSECTIONS; i++)
		if (tw_sections[i].file == TW_F_SUMMARY)
			return fmt == TW_FMT_PROM &&
			       tw_section_shown(&tw_sections[i], view);
	return false;
}

void tw_view_timer_ms(const char *key, uint32_t ms)
{
	if (ms == TW_NO_TIMER) {
		out_json_null(key);
		out_text_null("{}");
		return;
	}
	out_json_uint(key, ms);
	out_text_tenths("{}", ms / 100);
}

static void tw_render_header(const struct tw_view_ctx *ctx)
{
	out_json_str("twstat_version", TWSTAT_VERSION);
	out_json_uint("schema", TW_SCHEMA_VERSION);
	out_str("source", "source: {}", tw_source_name(ctx->snap->source));
	out_str(tw_ncol_names[TW_NC_NETNS], "  netns: {}", ctx->netns);
	out_json_str("view", tw_view_name(ctx->opts->view));
	out_text("\n");
}

/* --watch: TIME_WAIT rates from the TcpExt counters (text only). */
static void tw_render_rates(const struct tw_watch_info *w)
{
	if (!w->have_rates) {
		out_text(
			"TIME_WAIT rates: measuring (shown from the next refresh)\n");
		return;
	}
	out_text_tenths("TIME_WAIT/s: ~{} created", w->created_tenths);
	out_text_tenths(", ~{} freed", w->freed_tenths);
	out_text_tenths(", {} recycled", w->rate_tenths[TW_NS_TW_RECYCLED]);
	out_text_tenths(", {} overflowed", w->rate_tenths[TW_NS_TW_OVERFLOW]);
	out_text_tenths(" (over {} s)\n", w->interval_ms / 100);
}

/* Text or JSON (through the output layer), or Prometheus (@prom). */
static void tw_render_section(const struct tw_view_ctx *ctx,
			      const struct tw_section *sec,
			      struct tw_prom *prom)
{
	const char *key = sec->json ? sec->json : tw_file_names[sec->file];

	if (prom) {
		if (sec->prom)
			sec->prom(prom);
		return;
	}
	if (sec->available && !sec->available(ctx->snap)) {
		out_json_null(key);
		sec->render(ctx); /* text only */
		return;
	}
	out_obj_open(key);
	sec->render(ctx);
	out_obj_close();
}

/* Every format: begin, the sections the view shows in table order, end. */
static void tw_render_doc(const struct tw_view_ctx *ctx, enum tw_format fmt,
			  FILE *mem)
{
	struct tw_prom *prom = NULL;
	const struct tw_section *sec;

	if (fmt == TW_FMT_PROM) {
		prom = tw_prom_begin(mem, ctx);
	} else {
		out_start(fmt == TW_FMT_JSON ? OUT_JSON : OUT_TEXT, mem);
		tw_render_header(ctx);
		if (ctx->watch)
			tw_render_rates(ctx->watch);
	}
	for (sec = tw_sections; sec < tw_sections + TW_NSECTIONS; sec++)
		if (tw_section_shown(sec, ctx->opts->view))
			tw_render_section(ctx, sec, prom);
	if (prom)
		tw_prom_end(prom);
	else
		out_finish();
}

static void tw_render_oom(void)
{
	fputs("twstat: out of memory\n", stderr);
	exit(1);
}

void tw_render(const struct tw_view_ctx *ctx, enum tw_format fmt, char **buf,
	       size_t *len)
{
	FILE *mem = open_memstream(buf, len);

	if (!mem)
		tw_render_oom();
	tw_render_doc(ctx, fmt, mem);
	if (fclose(mem))
		tw_render_oom();
}

int tw_write_out(const char *buf, size_t len, struct tw_err *err)
{
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout))
		return tw_errf(err, "stdout: %s", strerror(errno));
	return 0;
}
