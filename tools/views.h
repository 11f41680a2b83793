/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The views -- overview, summary, ports, timers, remotes -- written once
 * against the print layer, so that text and JSON come from the same calls.
 * docs/interface.md ("twstat tool") documents the JSON keys.
 */
#ifndef TW_VIEWS_H
#define TW_VIEWS_H

#include "options.h"
#include "sysfiles.h"
#include "twstat.h"

#define TW_SCHEMA_VERSION 1 /* of the JSON document */

/* --watch: what changed since the previous refresh. */
struct tw_watch_info {
	bool have_rates; /* false on the first refresh */
	uint32_t interval_ms; /* measured between the two reads */
	uint64_t rate_tenths[TW_NS_COUNT]; /* TcpExt counters, per second */
	uint64_t created_tenths; /* TIME_WAIT created per second (estimate) */
	const uint64_t *prev_tw; /* time-wait per port last time, or NULL */
};

struct tw_view_ctx {
	const struct tw_snap *snap;
	const struct tw_opts *opts;
	const char *netns; /* --netns, the netns inode, or NULL */
	const struct tw_watch_info *watch; /* NULL unless --watch */
};

/* Render the view chosen in ctx->opts through the (started) print layer. */
void tw_view_render(const struct tw_view_ctx *ctx);

/* Sections, each a JSON object named after it (view_*.c). */
void tw_view_summary(const struct tw_view_ctx *ctx);
void tw_view_ports(const struct tw_view_ctx *ctx, bool compact);
void tw_view_timers(const struct tw_view_ctx *ctx);
void tw_view_remotes(const struct tw_view_ctx *ctx);
/* A timer remainder cell: ms in JSON, seconds with one decimal in text. */
void tw_view_timer_ms(const char *key, uint32_t ms);
#endif /* TW_VIEWS_H */
