// SPDX-License-Identifier: GPL-2.0
/*
 * The timers section: the 61-second histogram of TIME_WAIT remainders as
 * six ten-second bars, and how many ports are freed within 10, 30 and 60 s
 * (prefix sums of the histogram: rows 0..N-1).
 *
 * Owns: the section's layout in text and JSON. Must not: compute the bars
 * (rows.c) or write other than through out.h.
 */
#include <stdio.h>
#include <string.h>

#include "out.h"
#include "render.h"
#include "rows.h"

#define TW_BAR_WIDTH 40

static const struct out_col tw_bar_cols[] = {
	{ "SECONDS LEFT", OUT_RIGHT },
	{ "", OUT_LEFT },
	{ "SOCKETS", OUT_RIGHT },
};

static void tw_timer_bar(int i, uint64_t count, uint64_t max)
{
	char label[32], bar[TW_BAR_WIDTH + 1];
	int from = i * TW_BAR_SECS, to = from + TW_BAR_SECS - 1;
	size_t len = max ? (size_t)((count * TW_BAR_WIDTH + max - 1) / max) : 0;

	if (i == TW_BARS - 1)
		to = TW_TIMER_ROWS - 1;
	snprintf(label, sizeof(label), "%d-%d", from, to);
	memset(bar, '#', len);
	bar[len] = '\0';
	out_elem_obj_open();
	out_text_str("{}", label);
	out_json_uint("from_sec", (uint64_t)from);
	out_json_uint("to_sec", (uint64_t)to);
	out_text_str("{}", bar);
	out_uint(tw_tcol_names[TW_TC_COUNT], "{}", count);
	out_obj_close();
	out_grid_row_end();
}

static void tw_timer_freed(const char *key, const char *tmpl, uint64_t n,
			   uint64_t total)
{
	out_uint(key, tmpl, n);
	if (total)
		out_text_tenths(" ({}%)", tw_pct_tenths(n, total));
}

static void tw_timer_counts(const uint64_t *timers)
{
	int s;

	out_arr_open("counts");
	for (s = 0; s < TW_TIMER_ROWS; s++)
		out_elem_uint(timers[s]);
	out_arr_close();
}

void tw_view_timers(const struct tw_view_ctx *ctx)
{
	struct tw_bars b;
	uint64_t max = 0;
	int i;

	tw_timer_bars(ctx->snap, &b);
	for (i = 0; i < TW_BARS; i++)
		max = b.count[i] > max ? b.count[i] : max;
	out_uint("total", "\nTIME_WAIT timers ({} minisockets):\n", b.total);
	tw_timer_counts(ctx->snap->timers);
	out_arr_open("bars");
	out_grid_open(tw_bar_cols, 3, true);
	for (i = 0; i < TW_BARS; i++)
		tw_timer_bar(i, b.count[i], max);
	out_grid_close();
	out_arr_close();
	tw_timer_freed("freed_10s", "Freed within 10 s: {}", b.freed10,
		       b.total);
	tw_timer_freed("freed_30s", ", 30 s: {}", b.freed30, b.total);
	tw_timer_freed("freed_60s", ", 60 s: {}", b.freed60, b.total);
	out_text("\n");
	/* FIN_WAIT2 minisocks: tcp_fin_timeout or a backed-off RTO */
	out_json_uint("over_60s", b.over);
	if (b.over)
		out_text_uint("Held 61 s or more: {} (FIN_WAIT2 minisockets)\n",
			      b.over);
}
