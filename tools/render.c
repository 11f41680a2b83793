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
#include "render.h"

const struct tw_section tw_sections[TW_NSECTIONS] = {
	{ TW_F_SUMMARY, TW_VIEW_SUMMARY, true, NULL, tw_view_summary,
	  tw_prom_summary },
	{ TW_F_PORTS, TW_VIEW_PORTS, true, NULL, tw_view_ports, tw_prom_ports },
	{ TW_F_REMOTES, TW_VIEW_REMOTES, true, NULL, tw_view_remotes,
	  tw_prom_remotes },
	{ TW_F_TIMERS, TW_VIEW_TIMERS, true, NULL, tw_view_timers,
	  tw_prom_timers },
	/* "netns" is the document's own key (the reader's netns) */
	{ TW_F_NETNS, TW_VIEW_NETNS, false, "namespaces", tw_view_netns,
	  tw_prom_netns },
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
	return fmt == TW_FMT_PROM && tw_section_shown(&tw_sections[0], view);
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

/* Text or JSON, through the output layer. */
static void tw_render_doc(const struct tw_view_ctx *ctx, enum out_mode mode,
			  FILE *mem)
{
	const struct tw_section *sec;

	out_start(mode, mem);
	tw_render_header(ctx);
	if (ctx->watch)
		tw_render_rates(ctx->watch);
	for (sec = tw_sections; sec < tw_sections + TW_NSECTIONS; sec++) {
		if (!tw_section_shown(sec, ctx->opts->view))
			continue;
		out_obj_open(sec->json ? sec->json : tw_file_names[sec->file]);
		sec->render(ctx);
		out_obj_close();
	}
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
	if (fmt == TW_FMT_PROM)
		tw_prom_render(mem, ctx);
	else
		tw_render_doc(ctx, fmt == TW_FMT_JSON ? OUT_JSON : OUT_TEXT,
			      mem);
	if (fclose(mem))
		tw_render_oom();
}

int tw_write_out(const char *buf, size_t len, struct tw_err *err)
{
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout))
		return tw_errf(err, "stdout: %s", strerror(errno));
	return 0;
}
