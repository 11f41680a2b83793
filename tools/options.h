/* SPDX-License-Identifier: GPL-2.0 */
/* Command line: parsing and validation into struct tw_opts. */
#ifndef TW_OPTIONS_H
#define TW_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

enum tw_view {
	TW_VIEW_OVERVIEW,
	TW_VIEW_SUMMARY,
	TW_VIEW_PORTS,
	TW_VIEW_TIMERS,
	TW_VIEW_REMOTES,
	TW_VIEW_NETNS,
	TW_VIEW_OWNERS,
	TW_VIEW_FAILURES,
	TW_NVIEWS,
};

enum tw_format {
	TW_FMT_TEXT,
	TW_FMT_JSON,
	TW_FMT_PROM,
};

#define TW_TOP_PORTS 10
#define TW_TOP_REMOTES 5
#define TW_TOP_NETNS 20
#define TW_TOP_OWNERS 10
#define TW_TOP_OWNERS_OVERVIEW 3 /* the overview's lead, unless --top */
#define TW_TOP_FAILURES 10
#define TW_WARN_TENTHS 500

struct tw_opts {
	enum tw_view view;
	enum tw_format format;
	enum tw_source source;
	const char *root; /* "/proc" unless --proc-root */
	const char *netns; /* --netns, or NULL */
	bool all; /* do not fold the ephemeral range */
	uint32_t top_ports; /* rows; 0: all */
	uint32_t top_remotes;
	uint32_t top_netns;
	uint32_t top_owners;
	uint32_t top_failures;
	bool top_set;
	int state; /* sort/filter state of the ports list */
	bool state_set;
	bool port_set;
	uint16_t port_lo, port_hi;
	uint32_t warn_tenths; /* remotes warning threshold, tenths of % */
	bool warn_set;
	uint32_t watch_ms; /* 0: no --watch */
	uint32_t count; /* --watch refreshes; 0: until interrupted */
};

enum tw_opts_rc {
	TW_OPTS_RUN, /* go on */
	TW_OPTS_EXIT, /* --help or --version printed: exit 0 */
	TW_OPTS_USAGE, /* bad usage, reported on stderr: exit 2 */
};

enum tw_opts_rc tw_opts_parse(int argc, char **argv, struct tw_opts *o);
void tw_usage(FILE *f);
const char *tw_view_name(enum tw_view view);

#endif /* TW_OPTIONS_H */
