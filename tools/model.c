// SPDX-License-Identifier: GPL-2.0
/*
 * The data model's tables, generated from module/twstat_names.h, and its
 * small helpers (see model.h).
 *
 * Owns: the names the tool looks up and the bounds it puts on keys. Must
 * not: spell a name the shared header spells, read files or print.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "model.h"

/* clang-format off: X-macro lists */
const char *const tw_file_names[TW_NFILES] = { TWSTAT_FILES(TWSTAT_NAME_OF) };

const char *const tw_state_names[TW_NSTATES] = { TWSTAT_STATES(
	TWSTAT_NAME_OF) };

const char *const tw_key_names[TWK_COUNT] = { TWSTAT_SUMMARY_KEYS(
	TWSTAT_NAME_OF, TWSTAT_NAME_OF) };

const char *const tw_pcol_names[TW_NPCOLS] = { TWSTAT_PORTS_COLS(
	TWSTAT_NAME_OF, TWSTAT_NAME_OF) };

const char *const tw_tcol_names[TW_NTCOLS] = { TWSTAT_TIMERS_COLS(
	TWSTAT_NAME_OF) };

const char *const tw_rcol_all_names[TW_NRCOLS] = { TWSTAT_REMOTES_COLS(
	TWSTAT_NAME_OF) };

const char *const tw_ncol_names[TW_NNCOLS] = { TWSTAT_NETNS_COLS(
	TWSTAT_NAME_OF, TWSTAT_NAME_OF) };

const char *const tw_ocol_names[TW_NOCOLS] = { TWSTAT_OWNERS_COLS(
	TWSTAT_NAME_OF, TWSTAT_NAME_OF) };

const char *const tw_fcol_names[TW_NFCOLS] = { TWSTAT_FAILURES_COLS(
	TWSTAT_NAME_OF) };

const char *const tw_rcol_names[TW_R_NCOLS] = { TWSTAT_REMOTE_STATES(
	TWSTAT_NAME_OF) };

/* clang-format on */

#define TW_INT_MAX 2147483647ULL
#define TW_STATE_KEY(id, name) [TWK_##id] = { TW_COUNT_MAX, 0 },
/* newer than the first version 1 modules: optional */
#define TW_HIST_KEY(id, name) \
	[TWK_##id] = { TW_COUNT_MAX, TWK_F_MODULE | TWK_F_OPTIONAL },

/* Every key, by enum: its bound and flags (the names are the header's). */
const struct tw_key_info tw_keys[TWK_COUNT] = {
	[TWK_VERSION] = { TW_COUNT_MAX, 0 },
	[TWK_WALK_NS] = { TW_COUNT_MAX, TWK_F_MODULE },
	[TWK_EHASH_BUCKETS] = { 1ULL << 32, TWK_F_MODULE },
	[TWK_SOCKETS] = { TW_COUNT_MAX, 0 },
	/* clang-format off */
	TWSTAT_STATES(TW_STATE_KEY)
		/* clang-format on */
		[TWK_TW_SOCKETS] = { TW_COUNT_MAX, 0 },
	[TWK_TW_V4] = { TW_COUNT_MAX, 0 },
	[TWK_TW_V6] = { TW_COUNT_MAX, 0 },
	[TWK_MAX_TW_BUCKETS] = { TW_INT_MAX, 0 },
	[TWK_SOCKSTAT_TW] = { TW_INT_MAX, 0 },
	[TWK_PORT_RANGE_LO] = { 65535, 0 },
	[TWK_PORT_RANGE_HI] = { 65535, 0 },
	[TWK_UNKNOWN_STATE] = { TW_COUNT_MAX, 0 },
	[TWK_PORT_RANGE_SIZE] = { 65535, 0 },
	[TWK_SNAPSHOT_AGE_MS] = { TW_COUNT_MAX, TWK_F_MODULE },
	[TWK_WALKS] = { TW_COUNT_MAX, TWK_F_MODULE },
	[TWK_LOCK_MAX_NS] = { TW_COUNT_MAX, TWK_F_MODULE },
	[TWK_BUCKETS_USED] = { 1ULL << 32, TWK_F_MODULE },
	[TWK_SNAPSHOT_BYTES] = { TW_COUNT_MAX, TWK_F_MODULE },
	[TWK_REMOTES] = { TW_COUNT_MAX, 0 },
	[TWK_REMOTES_FOLDED] = { TW_COUNT_MAX, 0 },
	[TWK_REMOTES_SOCKETS] = { TW_COUNT_MAX, 0 },
	[TWK_REMOTES_FOLDED_ESTIMATED] = { 1, TWK_F_MODULE | TWK_F_OPTIONAL },
	[TWK_MAX_REMOTES] = { 1048576, TWK_F_MODULE | TWK_F_OPTIONAL },
	[TWK_SNAPSHOT_NS] = { TW_COUNT_MAX, TWK_F_MODULE | TWK_F_OPTIONAL },
	[TWK_SNAPSHOTS_LIVE] = { TW_COUNT_MAX, TWK_F_MODULE | TWK_F_OPTIONAL },
	[TWK_SNAPSHOTS_OVER_LIMIT] = { TW_COUNT_MAX,
				       TWK_F_MODULE | TWK_F_OPTIONAL },
	[TWK_TIMERS_OVERFLOW] = { TW_COUNT_MAX, TWK_F_OPTIONAL },
	/* owners and failures: the diag source counts the first two */
	[TWK_OWNERS] = { TW_COUNT_MAX, TWK_F_OPTIONAL },
	[TWK_TW_OWNER_UNKNOWN] = { TW_COUNT_MAX, TWK_F_OPTIONAL },
	[TWK_TRACK] = { 1, TWK_F_MODULE | TWK_F_OPTIONAL },
	[TWK_TRACK_RECORDS] = { 1ULL << 32, TWK_F_MODULE | TWK_F_OPTIONAL },
	[TWK_TRACK_RECORD_BYTES] = { 4096, TWK_F_MODULE | TWK_F_OPTIONAL },
	[TWK_TRACK_LOST] = { TW_COUNT_MAX, TWK_F_MODULE | TWK_F_OPTIONAL },
	[TWK_CONNECT_NOPORT] = { TW_COUNT_MAX, TWK_F_MODULE | TWK_F_OPTIONAL },
	[TWK_FAILURES] = { TW_FAILURES_MAX, TWK_F_MODULE | TWK_F_OPTIONAL },
	[TWK_FAILURES_EVICTED] = { TW_COUNT_MAX,
				   TWK_F_MODULE | TWK_F_OPTIONAL },
	/* clang-format off */
	TWSTAT_LOCK_HIST_KEYS(TW_HIST_KEY)
	/* clang-format on */
};

unsigned int tw_timer_row(uint32_t ms)
{
	return ms / 1000 < TW_TIMER_ROWS ? ms / 1000 : TW_TIMER_ROWS;
}

void tw_rkey_unmap(struct tw_rkey *k)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (k->family != AF_INET6 || memcmp(k->raddr, mapped, 12))
		return;
	k->family = AF_INET;
	memset(k->laddr, 0, 12);
	memset(k->raddr, 0, 12);
}

int tw_state_lookup(const char *name)
{
	int i;

	for (i = 0; i < TW_NSTATES; i++)
		if (!strcmp(name, tw_state_names[i]))
			return i;
	return -1;
}

int tw_key_lookup(const char *name)
{
	int i;

	for (i = 0; i < TWK_COUNT; i++)
		if (!strcmp(name, tw_key_names[i]))
			return i;
	return -1;
}

void tw_sum_set(struct tw_summary *s, enum tw_key k, uint64_t v)
{
	s->k[k].v = v;
	s->k[k].set = true;
}

enum tw_rcol tw_rcol_of(int state)
{
	switch (state) {
	case TW_ESTAB:
		return TW_R_ESTAB;
	case TW_TIME_WAIT:
		return TW_R_TIME_WAIT;
	case TW_FIN_WAIT2:
		return TW_R_FIN_WAIT2;
	default:
		return TW_R_OTHER;
	}
}

const char *tw_source_name(enum tw_source src)
{
	switch (src) {
	case TW_SRC_MODULE:
		return "module";
	case TW_SRC_DIAG:
		return "diag";
	default:
		return "auto";
	}
}

void tw_snap_free(struct tw_snap *snap)
{
	size_t i;

	for (i = 0; i < snap->ncglabels; i++) {
		free(snap->cglabels[i].path);
		free(snap->cglabels[i].unit);
	}
	free(snap->cglabels);
	free(snap->owners);
	free(snap->failures);
	free(snap->ports);
	free(snap->remotes);
	free(snap->nsrows);
	free(snap->labels);
	memset(snap, 0, sizeof(*snap));
}

int tw_nsrow_cmp(const struct tw_nsrow *a, const struct tw_nsrow *b)
{
	uint64_t ta = a->count[TW_TIME_WAIT], tb = b->count[TW_TIME_WAIT];

	if (ta != tb)
		return ta > tb ? -1 : 1;
	if (a->sockets != b->sockets)
		return a->sockets > b->sockets ? -1 : 1;
	return (a->inum > b->inum) - (a->inum < b->inum);
}

static void tw_val_copy(struct tw_val *dst, const struct tw_summary *s,
			enum tw_key k)
{
	*dst = s->k[k];
}

/* What the module's netns file says of a namespace, from its own files. */
void tw_nsrow_of_snap(const struct tw_snap *snap, uint64_t inum,
		      struct tw_nsrow *row)
{
	const struct tw_summary *s = &snap->sum;
	size_t i;

	memset(row, 0, sizeof(*row));
	row->inum = inum;
	row->sockets = tw_sum_get(s, TWK_SOCKETS);
	for (i = 0; i < TW_NSTATES; i++)
		row->count[i] = tw_sum_get(s, TWK_STATE(i));
	row->tw_v4 = tw_sum_get(s, TWK_TW_V4);
	row->tw_v6 = tw_sum_get(s, TWK_TW_V6);
	row->tw_min_ms = row->tw_max_ms = TW_NO_TIMER;
	for (i = 0; i < snap->nports; i++) {
		tw_span_add(&row->tw_min_ms, &row->tw_max_ms,
			    snap->ports[i].tw_min_ms);
		tw_span_add(&row->tw_min_ms, &row->tw_max_ms,
			    snap->ports[i].tw_max_ms);
	}
	tw_val_copy(&row->port_lo, s, TWK_PORT_RANGE_LO);
	tw_val_copy(&row->port_hi, s, TWK_PORT_RANGE_HI);
	tw_val_copy(&row->port_range_size, s, TWK_PORT_RANGE_SIZE);
	tw_val_copy(&row->max_tw_buckets, s, TWK_MAX_TW_BUCKETS);
	row->remotes.v =
		tw_sum_get(s, TWK_REMOTES) + tw_sum_get(s, TWK_REMOTES_FOLDED);
	row->remotes.set = true;
	if (snap->nremotes && snap->remotes[0].key.family)
		row->top = snap->remotes[0];
}

void tw_span_add(uint32_t *min, uint32_t *max, uint32_t ms)
{
	if (ms == TW_NO_TIMER)
		return;
	if (*min == TW_NO_TIMER || ms < *min)
		*min = ms;
	if (*max == TW_NO_TIMER || ms > *max)
		*max = ms;
}

uint64_t tw_pct_tenths(uint64_t part, uint64_t whole)
{
	if (part <= UINT32_MAX && whole <= UINT32_MAX)
		return (part * 2000 + whole) / (2 * whole);
	return (uint64_t)((double)part * 1000.0 / (double)whole + 0.5);
}

int tw_rkey_cmp(const struct tw_rkey *a, const struct tw_rkey *b)
{
	int d;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	d = memcmp(a->laddr, b->laddr, sizeof(a->laddr));
	if (!d)
		d = memcmp(a->raddr, b->raddr, sizeof(a->raddr));
	if (!d && a->rport != b->rport)
		d = a->rport < b->rport ? -1 : 1;
	return d;
}

int tw_remote_cmp(const struct tw_remote *a, const struct tw_remote *b)
{
	if (a->used != b->used)
		return a->used > b->used ? -1 : 1;
	return tw_rkey_cmp(&a->key, &b->key);
}

const char *tw_key_name(enum tw_key k)
{
	return tw_key_names[k];
}

/* Unknown ("-") first, then by id. */
static int tw_owner_id_cmp(const struct tw_owner_id *a,
			   const struct tw_owner_id *b)
{
	if (a->known != b->known)
		return a->known ? 1 : -1;
	return (a->id > b->id) - (a->id < b->id);
}

int tw_owner_cmp(const struct tw_owner *a, const struct tw_owner *b)
{
	uint64_t ta = a->count[TW_TIME_WAIT], tb = b->count[TW_TIME_WAIT];

	if (ta != tb)
		return ta > tb ? -1 : 1;
	if (a->sockets != b->sockets)
		return a->sockets > b->sockets ? -1 : 1;
	return tw_owner_id_cmp(&a->cgroup, &b->cgroup);
}

int tw_failure_cmp(const struct tw_failure *a, const struct tw_failure *b)
{
	if (a->fails != b->fails)
		return a->fails > b->fails ? -1 : 1;
	return tw_rkey_cmp(&a->key, &b->key);
}

static int tw_cglabel_cmp(const void *a, const void *b)
{
	const struct tw_cglabel *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

const struct tw_cglabel *tw_cglabel_find(const struct tw_snap *snap,
					 uint64_t id)
{
	struct tw_cglabel key = { .id = id };

	if (!snap->ncglabels)
		return NULL;
	return bsearch(&key, snap->cglabels, snap->ncglabels, sizeof(key),
		       tw_cglabel_cmp);
}

/* Seconds (in tenths, rounded down) until @free ports are taken. */
static uint64_t tw_forecast_eta(const struct tw_remote *r, uint64_t free,
				uint64_t others)
{
	uint64_t recent = r->tw_recent.v, expiring = r->tw_expiring.v;
	uint64_t window_s = TWSTAT_FORECAST_WINDOW_MS / 1000;

	if (!free)
		return 0;
	/* gain = (recent - expiring) / window: ports taken less freed, per s */
	if (recent > expiring)
		return free * window_s * 10 / (recent - expiring);
	/* the new ones alone filling what the other states leave */
	return (r->range - others) * window_s * 10 / recent;
}

void tw_forecast_of(const struct tw_remote *r, struct tw_forecast *f)
{
	uint64_t window_s = TWSTAT_FORECAST_WINDOW_MS / 1000;
	uint64_t tw = r->count[TW_R_TIME_WAIT], others;

	memset(f, 0, sizeof(*f));
	f->free = r->used < r->range ? r->range - r->used : 0;
	f->known = r->key.family && r->tw_recent.set && r->tw_expiring.set;
	if (!f->known)
		return;
	/* rate = tw_recent / window; in tenths per second */
	f->rate_tenths = r->tw_recent.v * 10 / window_s;
	others = r->used - tw;
	f->settle = others + r->tw_recent.v * 60 / window_s;
	f->has_settle_pct = r->range != 0;
	if (f->has_settle_pct)
		f->settle_pct_tenths = tw_pct_tenths(f->settle, r->range);
	f->never = f->settle < r->range;
	if (!f->never)
		f->eta_tenths = tw_forecast_eta(r, f->free, others);
}
