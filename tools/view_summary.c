// SPDX-License-Identifier: GPL-2.0
/*
 * The summary section: counts by state, TIME_WAIT totals and their share of
 * tcp_max_tw_buckets, the ephemeral port range, and the module's walk and
 * snapshot figures (null under the diag source, and then not in the text).
 */
#include <stdio.h>

#include "print.h"
#include "rows.h"
#include "views.h"

static void tw_summary_states(const struct tw_summary *s)
{
	char tmpl[48];
	int i;

	pr_val("sockets", "\nSockets          {}\n", &s->k[TWK_SOCKETS]);
	pr_obj_open("states");
	for (i = 0; i < TW_NSTATES; i++) {
		snprintf(tmpl, sizeof(tmpl), "  %s {}", tw_state_names[i]);
		pr_val(tw_state_names[i], tmpl, &s->k[TWK_STATE(i)]);
		if (i == 4)
			pr_text("\n");
	}
	pr_obj_close();
	pr_val("unknown_state", "  unknown {}", &s->k[TWK_UNKNOWN_STATE]);
	pr_text("\n");
}

static void tw_summary_tw(const struct tw_summary *s)
{
	pr_val("tw_sockets", "TIME_WAIT        {}", &s->k[TWK_TW_SOCKETS]);
	pr_val("tw_v4", " (v4 {}", &s->k[TWK_TW_V4]);
	pr_val("tw_v6", ", v6 {})\n", &s->k[TWK_TW_V6]);
	pr_val("max_tw_buckets", "max_tw_buckets   {}",
	       &s->k[TWK_MAX_TW_BUCKETS]);
	if (tw_sum_get(s, TWK_MAX_TW_BUCKETS))
		pr_tenths("tw_pct_of_max", " ({}% in use)",
			  tw_pct_tenths(tw_sum_get(s, TWK_TW_SOCKETS),
					tw_sum_get(s, TWK_MAX_TW_BUCKETS)));
	else
		pr_null("tw_pct_of_max", NULL);
	pr_text("\n");
	pr_val("sockstat_tw", "sockstat tw      {}\n", &s->k[TWK_SOCKSTAT_TW]);
}

static void tw_summary_range(const struct tw_summary *s)
{
	pr_val("port_range_lo", "Ephemeral ports  {}",
	       &s->k[TWK_PORT_RANGE_LO]);
	pr_val("port_range_hi", "-{}", &s->k[TWK_PORT_RANGE_HI]);
	pr_val("port_range_size", " ({} usable)\n", &s->k[TWK_PORT_RANGE_SIZE]);
}

/* Module-only figures: a text line only when the module gave them. */
static void tw_summary_walk(const struct tw_summary *s)
{
	bool module = s->k[TWK_WALK_NS].set;

	pr_val("walk_ns", "Walk             {} ns", &s->k[TWK_WALK_NS]);
	pr_val("ehash_buckets", ", {} buckets", &s->k[TWK_EHASH_BUCKETS]);
	pr_val("buckets_used", " ({} used)", &s->k[TWK_BUCKETS_USED]);
	pr_val("lock_max_ns", ", longest bucket lock {} ns",
	       &s->k[TWK_LOCK_MAX_NS]);
	if (module)
		pr_text("\n");
	pr_val("walks", "Snapshot         walk {}", &s->k[TWK_WALKS]);
	pr_val("snapshot_age_ms", ", {} ms old", &s->k[TWK_SNAPSHOT_AGE_MS]);
	pr_val("snapshot_bytes", ", {} bytes", &s->k[TWK_SNAPSHOT_BYTES]);
	if (s->k[TWK_WALKS].set)
		pr_text("\n");
}

static void tw_summary_remotes(const struct tw_summary *s)
{
	bool est = tw_sum_get(s, TWK_REMOTES_FOLDED_ESTIMATED) != 0;

	pr_val("remotes", "Destinations     {}", &s->k[TWK_REMOTES]);
	pr_val("remotes_sockets", " ({} sockets)", &s->k[TWK_REMOTES_SOCKETS]);
	pr_val("remotes_folded", est ? ", ~{} folded" : ", {} folded",
	       &s->k[TWK_REMOTES_FOLDED]);
	pr_val("remotes_folded_estimated", NULL,
	       &s->k[TWK_REMOTES_FOLDED_ESTIMATED]);
	pr_val("max_remotes", " (max_remotes {})", &s->k[TWK_MAX_REMOTES]);
	pr_text("\n");
}

void tw_view_summary(const struct tw_view_ctx *ctx)
{
	const struct tw_summary *s = &ctx->snap->sum;

	pr_obj_open("summary");
	tw_summary_states(s);
	tw_summary_tw(s);
	tw_summary_range(s);
	tw_summary_walk(s);
	tw_summary_remotes(s);
	pr_obj_close();
}
