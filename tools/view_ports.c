// SPDX-License-Identifier: GPL-2.0
/*
 * The ports section: ports sorted by their time-wait (or --state) count,
 * the ephemeral range folded into one row unless --all or --port. The
 * overview's compact table shows the sort state, time-wait, estab and
 * fin-wait-2 (other states summed as OTHER); "twstat ports" shows all ten.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "print.h"
#include "rows.h"
#include "views.h"

#define TW_PCOLS_MAX (TW_NSTATES + 6)

struct tw_ports_layout {
	int order[TW_NSTATES]; /* the sort state first, then the others */
	bool show[TW_NSTATES]; /* state columns in the text table */
	bool compact; /* + an OTHER column */
	bool delta; /* + a TW-DELTA column (--watch) */
	struct pr_col cols[TW_PCOLS_MAX];
	char titles[TW_NSTATES][16];
	size_t ncols;
};

static void tw_ports_col(struct tw_ports_layout *l, const char *title,
			 enum pr_align align)
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
	tw_ports_col(l, "PORT", PR_LEFT);
	l->order[0] = state;
	for (i = 0, j = 1; i < TW_NSTATES; i++)
		if (i != state)
			l->order[j++] = i;
	for (j = 0; j < TW_NSTATES; j++) {
		i = l->order[j];
		l->show[i] = !compact || i == state || i == TW_TIME_WAIT ||
			     i == TW_ESTAB || i == TW_FIN_WAIT2;
		if (l->show[i])
			tw_ports_col(l, tw_ports_state_title(l, i), PR_RIGHT);
	}
	if (compact)
		tw_ports_col(l, "OTHER", PR_RIGHT);
	tw_ports_col(l, "TOTAL", PR_RIGHT);
	tw_ports_col(l, "TW-MIN(s)", PR_RIGHT);
	tw_ports_col(l, "TW-MAX(s)", PR_RIGHT);
	if (delta)
		tw_ports_col(l, "TW-DELTA", PR_RIGHT);
}

static void tw_ports_label(const struct tw_prow *r)
{
	char label[64];

	pr_bool("folded", NULL, r->folded);
	if (r->folded) {
		pr_null("port", NULL);
		snprintf(label, sizeof(label), "ephemeral %u-%u (%u ports)",
			 r->lo, r->hi, r->nports);
		pr_str(NULL, "{}", label);
	} else {
		pr_uint("port", "{}", r->lo);
	}
	pr_uint("port_lo", NULL, r->lo);
	pr_uint("port_hi", NULL, r->hi);
	pr_uint("ports", NULL, r->nports);
}

static void tw_ports_row(const struct tw_ports_layout *l,
			 const struct tw_prow *r)
{
	uint64_t shown = 0;
	int i, j;

	pr_obj_open(NULL);
	tw_ports_label(r);
	pr_obj_open("states");
	for (j = 0; j < TW_NSTATES; j++) {
		i = l->order[j];
		pr_uint(tw_state_names[i], l->show[i] ? "{}" : NULL,
			r->count[i]);
		shown += l->show[i] ? r->count[i] : 0;
	}
	pr_obj_close();
	if (l->compact)
		pr_uint(NULL, "{}", r->total - shown);
	pr_uint("total", "{}", r->total);
	tw_view_timer_ms("tw_min_ms", r->tw_min_ms);
	tw_view_timer_ms("tw_max_ms", r->tw_max_ms);
	if (l->delta && r->has_delta)
		pr_delta("tw_delta", "{}", r->tw_delta);
	else if (l->delta)
		pr_null(NULL, "{}");
	pr_obj_close();
	pr_grid_row_end();
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

	pr_textf("\nPorts by %s", st);
	if (q->only_state)
		pr_textf(", with %s sockets", st);
	if (q->port_filter && q->port_lo == q->port_hi)
		pr_textf(", port %u", q->port_lo);
	else if (q->port_filter)
		pr_textf(", ports %u-%u", q->port_lo, q->port_hi);
	pr_text(q->fold ? " (ephemeral range folded; -a lists it)" : "");
	pr_text(":\n");
}

static void tw_ports_query(const struct tw_opts *o, struct tw_port_query *q)
{
	memset(q, 0, sizeof(*q));
	q->state = o->state;
	q->only_state = o->state_set;
	q->fold = !o->all && !o->port_set;
	q->port_filter = o->port_set;
	q->port_lo = o->port_lo;
	q->port_hi = o->port_hi;
}

static void tw_ports_json_query(const struct tw_port_query *q, size_t n)
{
	pr_str("sort_state", NULL, tw_state_names[q->state]);
	pr_bool("state_filter", NULL, q->only_state);
	pr_bool("ephemeral_folded", NULL, q->fold);
	if (q->port_filter) {
		pr_uint("port_filter_lo", NULL, q->port_lo);
		pr_uint("port_filter_hi", NULL, q->port_hi);
	} else {
		pr_null("port_filter_lo", NULL);
		pr_null("port_filter_hi", NULL);
	}
	pr_uint("rows_total", NULL, n);
}

void tw_view_ports(const struct tw_view_ctx *ctx, bool compact)
{
	const struct tw_opts *o = ctx->opts;
	struct tw_port_query q;
	struct tw_ports_layout l;
	struct tw_prow *rows;
	size_t n, shown, i;

	tw_ports_query(o, &q);
	n = tw_port_rows(ctx->snap, &q, &rows);
	shown = o->top_ports && o->top_ports < n ? o->top_ports : n;
	if (ctx->watch)
		tw_ports_deltas(rows, shown, ctx->watch->prev_tw);
	tw_ports_layout(&l, q.state, compact, ctx->watch != NULL);
	pr_obj_open("ports");
	tw_ports_json_query(&q, n);
	tw_ports_title(&q);
	pr_arr_open("rows");
	if (n)
		pr_grid_open(l.cols, l.ncols, true);
	else
		pr_text("  (none)\n");
	for (i = 0; i < shown; i++)
		tw_ports_row(&l, &rows[i]);
	pr_grid_close();
	pr_arr_close();
	if (shown < n)
		pr_textf("... %zu more (--top 0 lists all)\n", n - shown);
	pr_obj_close();
	free(rows);
}
