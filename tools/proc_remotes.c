// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/twstat/remotes: one row per destination (laddr, raddr, rport),
 * sorted by used descending then by key, and at most one "* * *" row (the
 * destinations folded past max_remotes), always last.
 */
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "parse.h"
#include "procfs.h"

enum {
	TW_RC_LADDR,
	TW_RC_RADDR,
	TW_RC_RPORT,
	TW_RC_COUNT0, /* estab time-wait fin-wait-2 other */
	TW_RC_USED = TW_RC_COUNT0 + TW_R_NCOLS,
	TW_RC_RANGE,
	TW_RC_PCT,
	TW_RC_MIN,
	TW_RC_MAX,
	TW_RCOLS,
};

static const char *const tw_remote_cols[TW_RCOLS] = {
	"laddr", "raddr", "rport", "estab", "time-wait", "fin-wait-2",
	"other", "used",  "range", "pct",   "tw_min_ms", "tw_max_ms",
};

#define TW_REMOTES_MAX (1048576 + 1) /* max_remotes, plus "* * *" */

static int tw_remote_key(const struct tw_lines *lr, char **f, const int *idx,
			 struct tw_remote *r, struct tw_err *err)
{
	const char *la = f[idx[TW_RC_LADDR]], *ra = f[idx[TW_RC_RADDR]];
	const char *rp = f[idx[TW_RC_RPORT]];
	uint8_t rfam;
	uint64_t v;
	int stars = !strcmp(la, "*") + !strcmp(ra, "*") + !strcmp(rp, "*");

	if (stars == 3)
		return 0; /* family 0: the folded row */
	if (stars)
		return tw_lines_errf(lr, err,
				     "laddr raddr rport: '*' only as '* * *'");
	if (tw_addr_parse(la, &r->family, r->laddr))
		return tw_lines_errf(lr, err, "laddr: bad address '%.64s'", la);
	if (tw_addr_parse(ra, &rfam, r->raddr))
		return tw_lines_errf(lr, err, "raddr: bad address '%.64s'", ra);
	if (rfam != r->family)
		return tw_lines_errf(lr, err,
				     "laddr and raddr of different families");
	if (tw_proc_u64(lr, "rport", rp, 65535, &v, err))
		return -1;
	r->rport = (uint16_t)v;
	return 0;
}

/* "-" or N.D (one decimal), equal to used/range rounded half up. */
static int tw_remote_pct(const struct tw_lines *lr, const char *s,
			 struct tw_remote *r, struct tw_err *err)
{
	const char *dot = strchr(s, '.');
	uint64_t tenths;

	if (!strcmp(s, "-")) {
		if (r->family && r->range)
			return tw_lines_errf(
				lr, err,
				"pct: '-' for a destination with a port range");
		return 0;
	}
	if (!dot || strlen(dot) != 2 ||
	    tw_parse_fixed(s, 1, 100000000, &tenths) != TW_PARSE_OK)
		return tw_lines_errf(
			lr, err, "pct: '%.32s' is not a percentage like 12.5",
			s);
	if (!r->family || !r->range)
		return tw_lines_errf(lr, err, "pct: expected '-'");
	if (tenths != tw_pct_tenths(r->used, r->range))
		return tw_lines_errf(lr, err,
				     "pct: %.32s is not used/range (%" PRIu64
				     "/%" PRIu64 ")",
				     s, r->used, r->range);
	r->pct_tenths = (uint32_t)tenths;
	r->has_pct = true;
	return 0;
}

static int tw_remote_counts(const struct tw_lines *lr, char **f, const int *idx,
			    struct tw_remote *r, struct tw_err *err)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < TW_R_NCOLS; i++) {
		if (tw_proc_u64(lr, tw_remote_cols[TW_RC_COUNT0 + i],
				f[idx[TW_RC_COUNT0 + i]], TW_ROW_COUNT_MAX,
				&r->count[i], err))
			return -1;
		sum += r->count[i];
	}
	if (tw_proc_u64(lr, "used", f[idx[TW_RC_USED]], TW_ROW_COUNT_MAX,
			&r->used, err) ||
	    tw_proc_u64(lr, "range", f[idx[TW_RC_RANGE]], 65535, &r->range,
			err))
		return -1;
	if (r->used != sum)
		return tw_lines_errf(
			lr, err,
			"used %" PRIu64
			" is not the sum of the four counts (%" PRIu64 ")",
			r->used, sum);
	return 0;
}

static int tw_remote_row(const struct tw_lines *lr, char **f, const int *idx,
			 struct tw_remote *r, struct tw_err *err)
{
	memset(r, 0, sizeof(*r));
	if (tw_remote_key(lr, f, idx, r, err) ||
	    tw_remote_counts(lr, f, idx, r, err) ||
	    tw_remote_pct(lr, f[idx[TW_RC_PCT]], r, err) ||
	    tw_proc_timer(lr, "tw_min_ms", f[idx[TW_RC_MIN]], &r->tw_min_ms,
			  err) ||
	    tw_proc_timer(lr, "tw_max_ms", f[idx[TW_RC_MAX]], &r->tw_max_ms,
			  err))
		return -1;
	return tw_proc_span(lr, r->tw_min_ms, r->tw_max_ms,
			    r->count[TW_R_TIME_WAIT], r->count[TW_R_FIN_WAIT2],
			    err);
}

static int tw_remote_order(const struct tw_lines *lr, const struct tw_snap *s,
			   const struct tw_remote *r, struct tw_err *err)
{
	const struct tw_remote *prev;
	int d;

	if (!s->nremotes)
		return 0;
	prev = &s->remotes[s->nremotes - 1];
	if (!prev->family)
		return tw_lines_errf(lr, err, "row after the '* * *' row");
	if (s->nremotes == TW_REMOTES_MAX)
		return tw_lines_errf(lr, err, "more than %d rows",
				     TW_REMOTES_MAX);
	if (!r->family)
		return 0;
	d = tw_remote_cmp(prev, r);
	if (!d)
		return tw_lines_errf(lr, err, "duplicate destination");
	if (d > 0)
		return tw_lines_errf(
			lr, err,
			"rows not sorted (used descending, then address)");
	return 0;
}

int tw_proc_remotes(struct tw_lines *lr, struct tw_snap *snap,
		    struct tw_err *err)
{
	char *f[TW_FIELDS_MAX];
	int idx[TW_RCOLS], ncols, rc;
	size_t cap = 0;
	struct tw_remote r;

	if (tw_proc_header(lr, tw_remote_cols, TW_RCOLS, idx, &ncols, err))
		return -1;
	while ((rc = tw_proc_row(lr, f, ncols, err)) > 0) {
		if (tw_remote_row(lr, f, idx, &r, err) ||
		    tw_remote_order(lr, snap, &r, err))
			return -1;
		if (snap->nremotes == cap) {
			cap = cap ? 2 * cap : 64;
			snap->remotes =
				tw_xreallocarray(snap->remotes, cap, sizeof(r));
		}
		snap->remotes[snap->nremotes++] = r;
	}
	return rc;
}
