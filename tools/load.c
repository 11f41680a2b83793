// SPDX-License-Identifier: GPL-2.0
/*
 * Loading a snapshot from the chosen source (see load.h): the module's
 * files through procfs.c, or sock_diag (diag.c) aggregated by build.c with
 * the sysctls of sysfiles.c.
 *
 * Owns: the choice of source. Must not: parse or render anything itself.
 */
#include <string.h>

#include "build.h"
#include "diag.h"
#include "load.h"
#include "procfs.h"
#include "sysfiles.h"

/* The sysctl and sockstat half of a diag snapshot's summary. */
static int tw_load_sysctls(const char *root, struct tw_summary *sum,
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

	if (tw_load_sysctls(ld->root, &snap->sum, err))
		return -1;
	tw_build_init(&b, snap);
	rc = tw_diag_dump(tw_build_add, &b, err);
	tw_build_finish(&b);
	return rc;
}

int tw_load_snap(const struct tw_load *ld, struct tw_snap *snap,
		 struct tw_err *err)
{
	memset(snap, 0, sizeof(*snap));
	snap->source = ld->source;
	if (snap->source == TW_SRC_AUTO)
		snap->source = tw_proc_present(ld->root) ? TW_SRC_MODULE :
							   TW_SRC_DIAG;
	if (snap->source == TW_SRC_MODULE)
		return tw_proc_load(ld->root, ld->need, snap, err);
	return tw_load_diag(ld, snap, err);
}
