/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rendering a snapshot: the table of sections that every format and the
 * loader iterate, the context a section renders from, and the sections'
 * renderers -- text and JSON through out.h in view_*.c, Prometheus
 * through prom.h. docs/interface.md ("twstat tool") documents the output.
 *
 * A view shows its one section, the overview those of the reader's netns
 * (all but netns), in table order; a section needs its module file
 * (summary is always read). render.c walks the table once for every
 * format; the formats' renderers never call back into it.
 */
#ifndef TW_RENDER_H
#define TW_RENDER_H

#include <stdio.h>

#include "err.h"
#include "options.h"
#include "sysfiles.h"
#include "model.h"

#define TW_SCHEMA_VERSION 1 /* of the JSON document */

/* --watch: what changed since the previous refresh. */
struct tw_watch_info {
	bool have_rates; /* false on the first refresh */
	uint32_t interval_ms; /* measured between the two reads */
	uint64_t rate_tenths[TW_NS_COUNT]; /* TcpExt counters, per second */
	uint64_t created_tenths; /* minisockets created per second */
	uint64_t freed_tenths; /* and gone per second */
	const uint64_t *prev_tw; /* time-wait per port last time, or NULL */
};

struct tw_view_ctx {
	const struct tw_snap *snap;
	const struct tw_opts *opts;
	const char *netns; /* --netns, the netns inode, or NULL */
	const struct tw_watch_info *watch; /* NULL unless --watch */
	/* the TcpExt counters, when tw_view_needs_netstat() said so */
	const struct tw_netstat *netstat;
	uint64_t read_ms; /* Unix time the snapshot was read, ms */
};

struct tw_prom; /* a Prometheus exposition being written (prom.c) */

struct tw_section {
	enum tw_file file; /* its JSON key, and the module file it reads */
	enum tw_view view; /* the view that shows it alone */
	bool overview; /* the overview shows it too */
	const char *json; /* its JSON key; NULL: the file's name */
	/* text and JSON, inside the section's JSON object (view_*.c) */
	void (*render)(const struct tw_view_ctx *ctx);
	/* Prometheus families (prom.c); NULL: none */
	void (*prom)(struct tw_prom *p);
	/*
	 * NULL, or false when the source cannot give the section: its JSON
	 * key is then null, and @render writes text only (a note, or none)
	 */
	bool (*available)(const struct tw_snap *snap);
};

#define TW_NSECTIONS 8
extern const struct tw_section tw_sections[TW_NSECTIONS];

bool tw_section_shown(const struct tw_section *sec, enum tw_view view);
/* Module files a view needs beyond summary (TW_NEED_*). */
unsigned int tw_view_needs(enum tw_view view);
/* Whether the output has the TcpExt counters (Prometheus, with summary). */
bool tw_view_needs_netstat(enum tw_view view, enum tw_format fmt);

/* Render into memory in @fmt; *buf is allocated (free it). */
void tw_render(const struct tw_view_ctx *ctx, enum tw_format fmt, char **buf,
	       size_t *len);
/* Write @len bytes to stdout and flush. 0, or -1 on a write error. */
int tw_write_out(const char *buf, size_t len, struct tw_err *err);

/* view_*.c: the sections in text and JSON. */
void tw_view_summary(const struct tw_view_ctx *ctx);
void tw_view_ports(const struct tw_view_ctx *ctx);
void tw_view_remotes(const struct tw_view_ctx *ctx);
void tw_view_timers(const struct tw_view_ctx *ctx);
void tw_view_netns(const struct tw_view_ctx *ctx);
void tw_view_owners(const struct tw_view_ctx *ctx);
void tw_view_failures(const struct tw_view_ctx *ctx);
/* The overview's lead: destinations whose ports run out soon. */
void tw_view_soon(const struct tw_view_ctx *ctx);
bool tw_owners_available(const struct tw_snap *snap);
bool tw_failures_available(const struct tw_snap *snap);
bool tw_soon_available(const struct tw_snap *snap);
/* A timer remainder: ms in JSON, a seconds cell with one decimal in text. */
void tw_view_timer_ms(const char *key, uint32_t ms);
/* Cgroup @o's labels: JSON keys, and @cells text cells (0, 1 or 2). */
void tw_view_owner(const struct tw_snap *snap, const struct tw_owner_id *o,
		   int cells);

#endif /* TW_RENDER_H */
