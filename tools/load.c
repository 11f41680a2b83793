// SPDX-License-Identifier: GPL-2.0
/*
 * Loading a snapshot from the chosen source (see load.h): the module's
 * files through procfs.c, or sock_diag (diag.c) aggregated by build.c with
 * the sysctls of sysfiles.c.
 *
 * The netns view: the module's netns file, or under diag the same rows
 * made by entering every namespace in turn and loading it as above; then
 * each row labelled with who lives in it (netns.c).
 *
 * Owns: the choice of source. Must not: parse or render anything itself.
 */
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cgroup.h"
#include "diag.h"
#include "load.h"
#include "netns.h"
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

/* One namespace's row, loaded from inside it; none if it has no socket. */
static int tw_load_ns_row(const struct tw_nslabel *l, struct tw_snap *snap,
			  size_t *cap, struct tw_err *err)
{
	const struct tw_load one = { "/proc", TW_SRC_DIAG, TW_NEED_ALL };
	struct tw_snap s;
	char path[PATH_MAX];
	int rc;

	tw_nslabel_path(l, path, sizeof(path));
	if (tw_netns_enter_path(path, err))
		return access(path, F_OK) ? 0 : -1; /* gone since the scan */
	memset(&s, 0, sizeof(s));
	rc = tw_load_diag(&one, &s, err);
	if (!rc && tw_sum_get(&s.sum, TWK_SOCKETS)) {
		if (snap->nnsrows == *cap) {
			*cap = *cap ? 2 * *cap : 64;
			snap->nsrows = tw_xreallocarray(snap->nsrows, *cap,
							sizeof(*snap->nsrows));
		}
		tw_nsrow_of_snap(&s, l->inum, &snap->nsrows[snap->nnsrows++]);
	}
	tw_snap_free(&s);
	return rc;
}

static int tw_nsrow_qcmp(const void *a, const void *b)
{
	return tw_nsrow_cmp(a, b);
}

/* diag: every namespace entered in turn, then back home. */
static int tw_load_ns_diag(struct tw_snap *snap, struct tw_err *err)
{
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	size_t i, cap = 0;
	int rc = 0;

	if (home < 0)
		return tw_errf(err, "/proc/self/ns/net: cannot open");
	for (i = 0; i < snap->nlabels && !rc; i++) {
		rc = tw_load_ns_row(&snap->labels[i], snap, &cap, err);
		if (setns(home, CLONE_NEWNET))
			rc = tw_errf(err, "cannot return to the netns: %m");
	}
	close(home);
	if (snap->nnsrows > 1)
		qsort(snap->nsrows, snap->nnsrows, sizeof(*snap->nsrows),
		      tw_nsrow_qcmp);
	return rc;
}

/* Who lives in each namespace; names from /run/netns with /proc only. */
static int tw_load_labels(const struct tw_load *ld, struct tw_snap *snap,
			  struct tw_err *err)
{
	bool real = !strcmp(ld->root, "/proc");

	return tw_nslabels_scan(ld->root, real ? TW_RUN_NETNS : "", real,
				&snap->labels, &snap->nlabels, err);
}

static int tw_load_netns(const struct tw_load *ld, struct tw_snap *snap,
			 struct tw_err *err)
{
	size_t i;
	int rc;

	if (tw_load_labels(ld, snap, err))
		return -1;
	if (snap->source == TW_SRC_MODULE)
		rc = tw_proc_load(ld->root, ld->need, snap, err);
	else if (strcmp(ld->root, "/proc"))
		rc = tw_errf(err, "--source diag cannot read namespaces "
				  "under --proc-root");
	else
		rc = tw_load_ns_diag(snap, err) || tw_load_diag(ld, snap, err);
	for (i = 0; !rc && i < snap->nnsrows; i++)
		snap->nsrows[i].label = tw_nslabel_find(
			snap->labels, snap->nlabels, snap->nsrows[i].inum);
	return rc;
}

int tw_load_snap(const struct tw_load *ld, struct tw_snap *snap,
		 struct tw_err *err)
{
	int rc;

	memset(snap, 0, sizeof(*snap));
	snap->source = ld->source;
	if (snap->source == TW_SRC_AUTO)
		snap->source = tw_proc_present(ld->root) ? TW_SRC_MODULE :
							   TW_SRC_DIAG;
	if (ld->need & TW_NEED_NETNS)
		return tw_load_netns(ld, snap, err);
	if (snap->source == TW_SRC_MODULE)
		rc = tw_proc_load(ld->root, ld->need, snap, err);
	else
		rc = tw_load_diag(ld, snap, err);
	/* who the owners of owners, failures and remotes are */
	return rc ? rc : tw_cglabels_load(ld->root, snap, err);
}
