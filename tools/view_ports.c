// SPDX-License-Identifier: GPL-2.0
/*
 * The ports section: ports sorted by their time-wait (or --state) count,
 * the ephemeral range folded into one row unless --all or --port. The
 * overview's compact table shows the sort state, time-wait, estab and
 * fin-wait-2 (other states summed as OTHER); "twstat ports" shows all ten.
 *
 * Owns: the section's layout in text and JSON. Must not: choose rows
 * (rows.c) or write other than through out.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "out.h"
#include "render.h"
#include "rows.h"

#define TW_PCOLS_MAX (TW_NSTATES + 6)

struct tw_ports_layout {
	int order[TW_NSTATES]; /* the sort state first, then the others */
	bool show[TW_NSTATES]; /* state columns in the text table */
	bool compact; /* + an OTHER column */
	bool delta; /* + a TW-DELTA column (--watch) */
	struct out_col cols[TW_PCOLS_MAX];
	char titles[TW_NSTATES][16];
	size_t ncols;
};

static void tw_ports_col(struct tw_ports_layout *l, const char *title,
			 enum out_align align)
{
	l->cols[l->ncols].title = title;
	l->cols[l->ncols++].align = align;
}

static const char *tw_ports_state_title(struct tw_ports_layout *l, int state)
{
	size_t j;

	for (j = 0; tw_state_names[state][j]; j++)
		l->titles[state][j] = (char)toupper(tw_state_names[state][j]);
	return l->titles[state];
}

static void tw_ports_layout(struct tw_ports_layout *l, int state, bool compact,
			    bool delta)
{
	int i;
	size_t j;

	memset(l, 0, sizeof(*l));
	l->compact = compact;
	l->delta = delta;
	tw_ports_col(l, "PORT", OUT_LEFT);
	l->order[0] = state;
	for (i = 0, j = 1; i < TW_NSTATES; i++)
		if (i != state)
			l->order[j++] = i;
	for (j = 0; j < TW_NSTATES; j++) {
		i = l->order[j];
		l->show[i] = !compact || i == state || i == TW_TIME_WAIT ||
			     i == TW_ESTAB || i == TW_FIN_WAIT2;
		if (l->show[i])
			tw_ports_col(l, tw_ports_state_title(l, i), OUT_RIGHT);
	}
	if (compact)
		tw_ports_col(l, "OTHER", OUT_RIGHT);
	tw_ports_col(l, "TOTAL", OUT_RIGHT);
	tw_ports_col(l, "TW-MIN(s)", OUT_RIGHT);
	tw_ports_col(l, "TW-MAX(s)", OUT_RIGHT);
	if (delta)
		tw_ports_col(l, "TW-DELTA", OUT_RIGHT);
}

static void tw_ports_label(const struct tw_prow *r)
{
	char label[64];

	const char *port = tw_pcol_names[TW_PC_PORT];

	out_json_bool("folded", r->folded);
	if (r->folded) {
		out_json_null(port);
		snprintf(label, sizeof(label), "ephemeral %u-%u (%u ports)",
			 r->lo, r->hi, r->nports);
		out_text_str("{}", label);
	} else {
		out_uint(port, "{}", r->lo);
	}
	out_json_uint("port_lo", r->lo);
	out_json_uint("port_hi", r->hi);
	out_json_uint(tw_file_names[TW_F_PORTS], r->nports);
}

static void tw_ports_row(const struct tw_ports_layout *l,
			 const struct tw_prow *r)
{
	uint64_t shown = 0;
	int i, j;

	out_elem_obj_open();
	tw_ports_label(r);
	out_obj_open("states");
	for (j = 0; j < TW_NSTATES; j++) {
		i = l->order[j];
		if (l->show[i])
			out_uint(tw_state_names[i], "{}", r->count[i]);
		else
			out_json_uint(tw_state_names[i], r->count[i]);
		shown += l->show[i] ? r->count[i] : 0;
	}
	out_obj_close();
	if (l->compact)
		out_text_uint("{}", r->total - shown);
	out_uint("total", "{}", r->total);
	tw_view_timer_ms(tw_pcol_names[TW_PC_TW_MIN_MS], r->tw_min_ms);
	tw_view_timer_ms(tw_pcol_names[TW_PC_TW_MAX_MS], r->tw_max_ms);
	if (l->delta && r->has_delta)
		out_delta("tw_delta", "{}", r->tw_delta);
	else if (l->delta)
		out_text_null("{}");
	out_obj_close();
	out_grid_row_end();
}

/* Per-row time-wait change since the previous refresh (--watch). */
static void tw_ports_deltas(struct tw_prow *rows, size_t n,
			    const uint64_t *prev_tw)
{
	uint64_t before;
	uint32_t p;
	size_t i;

	for (i = 0; prev_tw && i < n; i++) {
		before = 0;
		for (p = rows[i].lo; p <= rows[i].hi; p++)
			before += prev_tw[p];
		rows[i].tw_delta =
			(int64_t)rows[i].count[TW_TIME_WAIT] - (int64_t)before;
		rows[i].has_delta = true;
	}
}

static void tw_ports_title(const struct tw_port_query *q)
{
	const char *st = tw_state_names[q->state];

	out_textf("\nPorts by %s", st);
	if (q->only_state)
		out_textf(", with %s sockets", st);
	if (q->port_filter && q->port_lo == q->port_hi)
		out_textf(", port %u", q->port_lo);
	else if (q->port_filter)
		out_textf(", ports %u-%u", q->port_lo, q->port_hi);
	out_text(q->fold ? " (ephemeral range folded; -a lists it)" : "");
	out_text(":\n");
}

static void tw_ports_json_query(const struct tw_port_query *q, size_t n)
{
	out_json_str("sort_state", tw_state_names[q->state]);
	out_json_bool("state_filter", q->only_state);
	out_json_bool("ephemeral_folded", q->fold);
	if (q->port_filter) {
		out_json_uint("port_filter_lo", q->port_lo);
		out_json_uint("port_filter_hi", q->port_hi);
	} else {
		out_json_null("port_filter_lo");
		out_json_null("port_filter_hi");
	}
	out_json_uint("rows_total", n);
}

/* The overview's compact table, or all ten states in "twstat ports". */
void tw_view_ports(const struct tw_view_ctx *ctx)
{
	const struct tw_opts *o = ctx->opts;
	struct tw_port_query q;
	struct tw_ports_layout l;
	struct tw_prow *rows;
	size_t n, shown, i;

	tw_port_query_of(o, &q);
	n = tw_port_rows(ctx->snap, &q, &rows);
	shown = tw_rows_shown(n, o->top_ports);
	if (ctx->watch)
		tw_ports_deltas(rows, shown, ctx->watch->prev_tw);
	tw_ports_layout(&l, q.state, o->view == TW_VIEW_OVERVIEW,
			ctx->watch != NULL);
	tw_ports_json_query(&q, n);
	tw_ports_title(&q);
	out_arr_open("rows");
	if (n)
		out_grid_open(l.cols, l.ncols, true);
	else
		out_text("  (none)\n");
	for (i = 0; i < shown; i++)
		tw_ports_row(&l, &rows[i]);
	out_grid_close();
	out_arr_close();
	if (shown < n)
		out_textf("... %zu more (--top 0 lists all)\n", n - shown);
	free(rows);
}
