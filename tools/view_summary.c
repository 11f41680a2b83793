// SPDX-License-Identifier: GPL-2.0
/*
 * The summary section in text and JSON: counts by state, TIME_WAIT totals
 * and their share of tcp_max_tw_buckets, the ephemeral port range, and the
 * module's walk and snapshot figures (null under the diag source, and then
 * not in the text). Its JSON keys are the summary keys.
 *
 * Owns: the summary's layout. Must not: read files or write output other
 * than through out.h.
 */
#include <stdio.h>

#include "out.h"
#include "render.h"

/* Summary key @k: its name in JSON, @tmpl in text. */
static void tw_summary_key(const struct tw_summary *s, enum tw_key k,
			   const char *tmpl)
{
	out_val(tw_key_name(k), tmpl, &s->k[k]);
}

static void tw_summary_states(const struct tw_summary *s)
{
	char tmpl[48];
	int i;

	tw_summary_key(s, TWK_SOCKETS, "\nSockets          {}\n");
	out_obj_open("states");
	for (i = 0; i < TW_NSTATES; i++) {
		snprintf(tmpl, sizeof(tmpl), "  %s {}", tw_state_names[i]);
		tw_summary_key(s, TWK_STATE(i), tmpl);
		if (i == 4)
			out_text("\n");
	}
	out_obj_close();
	tw_summary_key(s, TWK_UNKNOWN_STATE, "  unknown {}");
	out_text("\n");
}

static void tw_summary_tw(const struct tw_summary *s)
{
	uint64_t max = tw_sum_get(s, TWK_MAX_TW_BUCKETS);

	tw_summary_key(s, TWK_TW_SOCKETS, "TIME_WAIT        {}");
	tw_summary_key(s, TWK_TW_V4, " (v4 {}");
	tw_summary_key(s, TWK_TW_V6, ", v6 {})\n");
	tw_summary_key(s, TWK_MAX_TW_BUCKETS, "max_tw_buckets   {}");
	if (max)
		out_tenths("tw_pct_of_max", " ({}% in use)",
			   tw_pct_tenths(tw_sum_get(s, TWK_TW_SOCKETS), max));
	else
		out_json_null("tw_pct_of_max");
	out_text("\n");
	tw_summary_key(s, TWK_SOCKSTAT_TW, "sockstat tw      {}\n");
	out_json_val(tw_key_name(TWK_TIMERS_OVERFLOW),
		     &s->k[TWK_TIMERS_OVERFLOW]);
	if (tw_sum_get(s, TWK_TIMERS_OVERFLOW))
		out_text_uint("Past 60 s        {} (FIN_WAIT2 minisockets)\n",
			      tw_sum_get(s, TWK_TIMERS_OVERFLOW));
}

static void tw_summary_range(const struct tw_summary *s)
{
	tw_summary_key(s, TWK_PORT_RANGE_LO, "Ephemeral ports  {}");
	tw_summary_key(s, TWK_PORT_RANGE_HI, "-{}");
	tw_summary_key(s, TWK_PORT_RANGE_SIZE, " ({} usable)\n");
}

/* walk_ns: ns in JSON; ms (below 1 s) or s, three decimals, in text. */
static void tw_summary_walk_time(const struct tw_val *v)
{
	uint64_t us = (v->v + 500) / 1000, ms = (v->v + 500000) / 1000000;
	char human[48];

	out_json_val(tw_key_name(TWK_WALK_NS), v);
	if (!v->set)
		return;
	if (us < 1000000)
		snprintf(human, sizeof(human), "%llu.%03llu ms",
			 (unsigned long long)(us / 1000),
			 (unsigned long long)(us % 1000));
	else
		snprintf(human, sizeof(human), "%llu.%03llu s",
			 (unsigned long long)(ms / 1000),
			 (unsigned long long)(ms % 1000));
	out_text_str("Walk             {}", human);
}

/* Module-only figures: a text line only when the module gave them. */
static void tw_summary_walk(const struct tw_summary *s)
{
	bool module = s->k[TWK_WALK_NS].set;

	tw_summary_walk_time(&s->k[TWK_WALK_NS]);
	tw_summary_key(s, TWK_EHASH_BUCKETS, ", {} buckets");
	tw_summary_key(s, TWK_BUCKETS_USED, " ({} used)");
	tw_summary_key(s, TWK_LOCK_MAX_NS, ", longest bucket lock {} ns");
	if (module)
		out_text("\n");
	tw_summary_key(s, TWK_WALKS, "Snapshot         walk {}");
	tw_summary_key(s, TWK_SNAPSHOT_AGE_MS, ", {} ms old");
	tw_summary_key(s, TWK_SNAPSHOT_BYTES, ", {} bytes");
	out_json_val(tw_key_name(TWK_SNAPSHOTS_LIVE),
		     &s->k[TWK_SNAPSHOTS_LIVE]);
	if (s->k[TWK_SNAPSHOTS_LIVE].set)
		out_text_uint(", {} live", tw_sum_get(s, TWK_SNAPSHOTS_LIVE));
	out_json_val(tw_key_name(TWK_SNAPSHOTS_OVER_LIMIT),
		     &s->k[TWK_SNAPSHOTS_OVER_LIMIT]);
	if (tw_sum_get(s, TWK_SNAPSHOTS_OVER_LIMIT))
		out_text_uint(" (newest shared {} times: too many open)",
			      tw_sum_get(s, TWK_SNAPSHOTS_OVER_LIMIT));
	if (s->k[TWK_WALKS].set)
		out_text("\n");
}

static void tw_summary_remotes(const struct tw_summary *s)
{
	bool est = tw_sum_get(s, TWK_REMOTES_FOLDED_ESTIMATED) != 0;

	tw_summary_key(s, TWK_REMOTES, "Destinations     {}");
	tw_summary_key(s, TWK_REMOTES_SOCKETS, " ({} sockets)");
	tw_summary_key(s, TWK_REMOTES_FOLDED,
		       est ? ", ~{} folded" : ", {} folded");
	out_json_val(tw_key_name(TWK_REMOTES_FOLDED_ESTIMATED),
		     &s->k[TWK_REMOTES_FOLDED_ESTIMATED]);
	tw_summary_key(s, TWK_MAX_REMOTES, " (max_remotes {})");
	out_text("\n");
}

/* owners and failures: JSON null and no text without them. */
static void tw_summary_track(const struct tw_summary *s)
{
	static const enum tw_key keys[] = {
		TWK_OWNERS,
		TWK_TW_OWNER_UNKNOWN,
		TWK_TRACK,
		TWK_TRACK_RECORDS,
		TWK_TRACK_RECORD_BYTES,
		TWK_TRACK_LOST,
		TWK_CONNECT_NOPORT,
		TWK_FAILURES,
		TWK_FAILURES_EVICTED,
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		out_json_val(tw_key_name(keys[i]), &s->k[keys[i]]);
	if (s->k[TWK_OWNERS].set)
		out_textf("Owners           %llu (TIME_WAIT of unknown owner "
			  "%llu)\n",
			  (unsigned long long)tw_sum_get(s, TWK_OWNERS),
			  (unsigned long long)tw_sum_get(s,
							 TWK_TW_OWNER_UNKNOWN));
	if (s->k[TWK_TRACK].set)
		out_textf("Tracking         %s, %llu records of %llu bytes, "
			  "%llu lost\n",
			  tw_sum_get(s, TWK_TRACK) ? "on" : "off",
			  (unsigned long long)tw_sum_get(s, TWK_TRACK_RECORDS),
			  (unsigned long long)tw_sum_get(
				  s, TWK_TRACK_RECORD_BYTES),
			  (unsigned long long)tw_sum_get(s, TWK_TRACK_LOST));
	if (s->k[TWK_CONNECT_NOPORT].set)
		out_textf("Failed connects  %llu (no free local port), %llu "
			  "destinations, %llu evicted\n",
			  (unsigned long long)tw_sum_get(s, TWK_CONNECT_NOPORT),
			  (unsigned long long)tw_sum_get(s, TWK_FAILURES),
			  (unsigned long long)tw_sum_get(s,
							 TWK_FAILURES_EVICTED));
}

void tw_view_summary(const struct tw_view_ctx *ctx)
{
	const struct tw_summary *s = &ctx->snap->sum;

	tw_summary_states(s);
	tw_summary_tw(s);
	tw_summary_range(s);
	tw_summary_walk(s);
	tw_summary_remotes(s);
	tw_summary_track(s);
}
