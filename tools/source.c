// SPDX-License-Identifier: GPL-2.0
/* Source selection and loading (see source.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "diag.h"
#include "procfs.h"
#include "source.h"
#include "sysinfo.h"

typedef int (*tw_proc_parser)(struct tw_lines *lr, struct tw_snap *snap,
			      struct tw_err *err);

static int tw_parse_summary(struct tw_lines *lr, struct tw_snap *snap,
			    struct tw_err *err)
{
	return tw_proc_summary(lr, &snap->sum, err);
}

static int tw_parse_timers(struct tw_lines *lr, struct tw_snap *snap,
			   struct tw_err *err)
{
	return tw_proc_timers(lr, snap->timers, err);
}

static int tw_module_missing(const char *path, struct tw_err *err)
{
	return tw_errf(err,
		       "%s: not found: the twstat module is not loaded "
		       "(load it with 'sudo insmod module/twstat.ko' or "
		       "'sudo modprobe twstat', or use --source diag)",
		       path);
}

static int tw_module_file(const char *root, const char *name,
			  tw_proc_parser parse, struct tw_snap *snap,
			  struct tw_err *err)
{
	char rel[64], path[PATH_MAX];
	struct tw_lines lr;
	int rc;

	snprintf(rel, sizeof(rel), "net/twstat/%s", name);
	if (tw_sys_path(path, sizeof(path), root, rel, err))
		return -1;
	if (!strcmp(name, "summary") && access(path, F_OK) && errno == ENOENT)
		return tw_module_missing(path, err);
	if (tw_lines_open(&lr, path, TW_LINE_MAX, err))
		return -1;
	rc = parse(&lr, snap, err);
	tw_lines_close(&lr);
	return rc;
}

static int tw_load_module(const struct tw_load *ld, struct tw_snap *snap,
			  struct tw_err *err)
{
	static const struct {
		unsigned int need;
		const char *name;
		tw_proc_parser parse;
	} files[] = {
		{ 0, "summary", tw_parse_summary },
		{ TW_NEED_PORTS, "ports", tw_proc_ports },
		{ TW_NEED_TIMERS, "timers", tw_parse_timers },
		{ TW_NEED_REMOTES, "remotes", tw_proc_remotes },
	};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (files[i].need && !(ld->need & files[i].need))
			continue;
		if (tw_module_file(ld->root, files[i].name, files[i].parse,
				   snap, err))
			return -1;
		snap->have |= files[i].need;
	}
	return 0;
}

/* The sysctl and sockstat half of a diag snapshot's summary. */
static int tw_diag_sysinfo(const char *root, struct tw_summary *sum,
			   struct tw_err *err)
{
	uint32_t lo, hi, usable;
	uint64_t v;

	if (tw_sys_port_range(root, &lo, &hi, &usable, err))
		return -1;
	tw_sum_set(sum, TWK_PORT_RANGE_LO, lo);
	tw_sum_set(sum, TWK_PORT_RANGE_HI, hi);
	tw_sum_set(sum, TWK_PORT_RANGE_SIZE, usable);
	if (tw_sys_max_tw_buckets(root, &v, err))
		return -1;
	tw_sum_set(sum, TWK_MAX_TW_BUCKETS, v);
	if (tw_sys_sockstat_tw(root, &v, err))
		return -1;
	tw_sum_set(sum, TWK_SOCKSTAT_TW, v);
	return 0;
}

static int tw_load_diag(const struct tw_load *ld, struct tw_snap *snap,
			struct tw_err *err)
{
	struct tw_builder b;
	int rc;

	if (tw_diag_sysinfo(ld->root, &snap->sum, err))
		return -1;
	tw_build_init(&b, snap);
	rc = tw_diag_dump(tw_build_add, &b, err);
	tw_build_finish(&b);
	return rc;
}

static enum tw_source tw_pick_source(const struct tw_load *ld)
{
	char path[PATH_MAX];
	struct tw_err ignored;

	if (ld->source != TW_SRC_AUTO)
		return ld->source;
	if (tw_sys_path(path, sizeof(path), ld->root, "net/twstat/summary",
			&ignored))
		return TW_SRC_MODULE; /* reports the long path */
	return access(path, F_OK) ? TW_SRC_DIAG : TW_SRC_MODULE;
}

int tw_load_snap(const struct tw_load *ld, struct tw_snap *snap,
		 struct tw_err *err)
{
	memset(snap, 0, sizeof(*snap));
	snap->source = tw_pick_source(ld);
	if (snap->source == TW_SRC_MODULE)
		return tw_load_module(ld, snap, err);
	return tw_load_diag(ld, snap, err);
}
