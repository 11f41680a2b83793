// SPDX-License-Identifier: GPL-2.0
/*
 * The module source: reading /proc/net/twstat/{summary,ports,timers,remotes,
 * netns,owners,failures} into a snapshot, the mirror of module/proc.c (one table of files, the
 * columns named by twstat_names.h). See procfs.h for the checks.
 *
 * Owns: the files' syntax and the invariants the contract states within
 * one file. Must not: print, or know how anything is rendered.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "parse.h"
#include "procfs.h"
#include "sysfiles.h"

#define TW_REMOTES_MAX (1048576 + 1) /* max_remotes, plus "* * *" */

/* A table being read: its column names, and the current row's fields. */
struct tw_proc_tab {
	struct tw_lines *lr;
	struct tw_snap *snap;
	const char *const *cols;
	char *cell[TW_FIELDS_MAX]; /* this row's fields, by column; NULL: none */
	uint64_t given; /* bit i: column i is in the header */
	unsigned int rows; /* rows read before this one */
	size_t cap; /* of the array being filled */
};

typedef int (*tw_proc_row_fn)(struct tw_proc_tab *t, struct tw_err *err);

static int tw_proc_num(const struct tw_proc_tab *t, int col, uint64_t max,
		       uint64_t *out, struct tw_err *err)
{
	return tw_lines_u64(t->lr, t->cols[col], t->cell[col], max, out, err);
}

/* A timer field: milliseconds (TW_TIMER_MAX_MS at most), or "-". */
static int tw_proc_timer(const struct tw_proc_tab *t, int col, uint32_t *out,
			 struct tw_err *err)
{
	uint64_t v;

	if (!strcmp(t->cell[col], TWSTAT_NO_VALUE)) {
		*out = TW_NO_TIMER;
		return 0;
	}
	if (tw_proc_num(t, col, TW_TIMER_MAX_MS, &v, err))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/*
 * tw_min_ms/tw_max_ms of a row holding @tw TIME_WAIT and @fw2 FIN_WAIT2
 * sockets: both "-" or both set, min <= max, set whenever @tw > 0, unset
 * when @tw + @fw2 == 0.
 */
static int tw_proc_span(const struct tw_proc_tab *t, int min_col, uint32_t *min,
			uint32_t *max, uint64_t tw, uint64_t fw2,
			struct tw_err *err)
{
	if (tw_proc_timer(t, min_col, min, err) ||
	    tw_proc_timer(t, min_col + 1, max, err))
		return -1;
	if ((*min == TW_NO_TIMER) != (*max == TW_NO_TIMER))
		return tw_lines_errf(t->lr, err,
				     TWSTAT_NAME_TW_MIN_MS
				     " and " TWSTAT_NAME_TW_MAX_MS
				     ": one is '-', the other is not");
	if (*min != TW_NO_TIMER && *min > *max)
		return tw_lines_errf(
			t->lr, err,
			TWSTAT_NAME_TW_MIN_MS
			" %u is greater than " TWSTAT_NAME_TW_MAX_MS " %u",
			*min, *max);
	if (tw && *min == TW_NO_TIMER)
		return tw_lines_errf(
			t->lr, err,
			TWSTAT_NAME_TIME_WAIT
			" sockets but no timer (" TWSTAT_NAME_TW_MIN_MS
			" '-')");
	if (!tw && !fw2 && *min != TW_NO_TIMER)
		return tw_lines_errf(t->lr, err,
				     "timer without " TWSTAT_NAME_TIME_WAIT
				     " or " TWSTAT_NAME_FIN_WAIT2 " sockets");
	return 0;
}

/* The header line of a table: fields mapped to @names. */
static int tw_proc_header(struct tw_lines *lr, const char *const *names,
			  int nnames, int nreq, int *idx, int *ncols,
			  struct tw_err *err)
{
	char *line, *fields[TW_FIELDS_MAX];
	int rc = tw_lines_next(lr, &line, err);

	if (rc < 0)
		return -1;
	if (!rc)
		return tw_errf(err, "%s:1: empty file (expected a header line)",
			       lr->path);
	*ncols = tw_lines_split(lr, line, fields, TW_FIELDS_MAX, err);
	if (*ncols < 0)
		return -1;
	if (strspn(fields[0], "0123456789*:.") == strlen(fields[0]))
		return tw_lines_errf(
			lr, err,
			"expected a header line, got a row ('%.32s ...')",
			fields[0]);
	return tw_lines_header(lr, fields, *ncols, names, nnames, nreq, idx,
			       err);
}

/* A row with exactly @ncols fields. 1, 0 at end of file, -1. */
static int tw_proc_row(struct tw_lines *lr, char **fields, int ncols,
		       struct tw_err *err)
{
	char *line;
	int rc = tw_lines_next(lr, &line, err), n;

	if (rc <= 0)
		return rc;
	n = tw_lines_split(lr, line, fields, TW_FIELDS_MAX, err);
	if (n < 0)
		return -1;
	if (n != ncols)
		return tw_lines_errf(lr, err,
				     "too %s fields: %d, the header has %d",
				     n < ncols ? "few" : "many", n, ncols);
	return 1;
}

/*
 * A header, then rows handed to @row one by one, each by column; the
 * columns from @nreq on may be missing (their cells are NULL).
 */
static int tw_proc_table(struct tw_proc_tab *t, int ncols, int nreq,
			 tw_proc_row_fn row, struct tw_err *err)
{
	char *f[TW_FIELDS_MAX];
	int idx[TW_FIELDS_MAX], n = 0, rc, i;

	if (tw_proc_header(t->lr, t->cols, ncols, nreq, idx, &n, err))
		return -1;
	for (i = 0; i < ncols; i++)
		t->given |= idx[i] >= 0 ? 1ULL << i : 0;
	while ((rc = tw_proc_row(t->lr, f, n, err)) > 0) {
		for (i = 0; i < ncols; i++)
			t->cell[i] = idx[i] >= 0 ? f[idx[i]] : NULL;
		if (row(t, err))
			return -1;
		t->rows++;
	}
	return rc;
}

/* Append @row (of @size bytes) to the array *@arr of *@n rows. */
static void tw_proc_append(struct tw_proc_tab *t, void **arr, size_t *n,
			   const void *row, size_t size)
{
	if (*n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		*arr = tw_xreallocarray(*arr, t->cap, size);
	}
	memcpy((char *)*arr + *n * size, row, size);
	(*n)++;
}

/* summary: "key value" lines; version first, every key once. */

struct tw_sum_parse {
	struct tw_lines *lr;
	struct tw_summary *sum;
	unsigned long line[TWK_COUNT]; /* where each key was, for messages */
};

static bool tw_key_syntax_ok(const char *key)
{
	return key[strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_-")] ==
	       '\0';
}

static int tw_sum_version(struct tw_sum_parse *p, char **f, struct tw_err *err)
{
	const char *name = tw_key_names[TWK_VERSION];
	uint64_t v;

	if (strcmp(f[0], name))
		return tw_lines_errf(p->lr, err,
				     "first key is '%.64s', expected '%s'",
				     f[0], name);
	if (tw_lines_u64(p->lr, name, f[1], UINT32_MAX, &v, err))
		return -1;
	if (v != TW_IFACE_VERSION)
		return tw_lines_errf(p->lr, err,
				     "unsupported interface version %" PRIu64
				     " (this twstat reads version %d)",
				     v, TW_IFACE_VERSION);
	return 0;
}

static int tw_sum_line(struct tw_sum_parse *p, char *line, struct tw_err *err)
{
	char *f[2];
	int k, n = tw_lines_split(p->lr, line, f, 2, err);

	if (n < 0)
		return -1;
	if (n != 2)
		return tw_lines_errf(p->lr, err, "expected 'key value'");
	if (!tw_key_syntax_ok(f[0]))
		return tw_lines_errf(p->lr, err, "malformed key '%.64s'", f[0]);
	if (p->lr->lineno == 1 && tw_sum_version(p, f, err))
		return -1;
	k = tw_key_lookup(f[0]);
	if (k < 0)
		return 0; /* appended by a newer module */
	if (p->sum->k[k].set)
		return tw_lines_errf(p->lr, err,
				     "duplicate key '%s' (first on line %lu)",
				     f[0], p->line[k]);
	if (tw_lines_u64(p->lr, f[0], f[1], tw_keys[k].max, &p->sum->k[k].v,
			 err))
		return -1;
	p->sum->k[k].set = true;
	p->line[k] = p->lr->lineno;
	return 0;
}

static int tw_sum_missing(struct tw_sum_parse *p, struct tw_err *err)
{
	int k;

	if (!p->lr->lineno)
		return tw_errf(err, "%s:1: empty file (expected '%s %d')",
			       p->lr->path, tw_key_names[TWK_VERSION],
			       TW_IFACE_VERSION);
	for (k = 0; k < TWK_COUNT; k++)
		if (!p->sum->k[k].set && !(tw_keys[k].flags & TWK_F_OPTIONAL))
			return tw_lines_errf(
				p->lr, err,
				"end of file, but key '%s' is missing",
				tw_key_name((enum tw_key)k));
	return 0;
}

static int tw_sum_errat(struct tw_sum_parse *p, enum tw_key k,
			struct tw_err *err, const char *what)
{
	return tw_errf(err, "%s:%lu: %s: %s", p->lr->path, p->line[k],
		       tw_key_name(k), what);
}

static int tw_sum_consistent(struct tw_sum_parse *p, struct tw_err *err)
{
	const struct tw_summary *s = p->sum;
	uint64_t total = tw_sum_get(s, TWK_UNKNOWN_STATE);
	uint64_t lo = tw_sum_get(s, TWK_PORT_RANGE_LO);
	uint64_t hi = tw_sum_get(s, TWK_PORT_RANGE_HI);
	int i;

	for (i = 0; i < TW_NSTATES; i++)
		total += tw_sum_get(s, TWK_STATE(i));
	if (total != tw_sum_get(s, TWK_SOCKETS))
		return tw_sum_errat(p, TWK_SOCKETS, err,
				    "not the sum of the state counts");
	if (tw_sum_get(s, TWK_TW_V4) + tw_sum_get(s, TWK_TW_V6) !=
	    tw_sum_get(s, TWK_TW_SOCKETS))
		return tw_sum_errat(p, TWK_TW_SOCKETS, err,
				    "not " TWSTAT_NAME_TW_V4
				    " + " TWSTAT_NAME_TW_V6);
	if (lo < 1 || lo > hi)
		return tw_sum_errat(p, TWK_PORT_RANGE_LO, err,
				    "not within 1.." TWSTAT_NAME_PORT_RANGE_HI);
	if (tw_sum_get(s, TWK_PORT_RANGE_SIZE) > hi - lo + 1)
		return tw_sum_errat(p, TWK_PORT_RANGE_SIZE, err,
				    "larger than the port range");
	return 0;
}

static int tw_proc_summary(struct tw_lines *lr, struct tw_snap *snap,
			   struct tw_err *err)
{
	struct tw_sum_parse p = { .lr = lr, .sum = &snap->sum };
	char *line;
	int rc;

	memset(p.sum, 0, sizeof(*p.sum));
	while ((rc = tw_lines_next(lr, &line, err)) > 0)
		if (tw_sum_line(&p, line, err))
			return -1;
	if (rc < 0 || tw_sum_missing(&p, err))
		return -1;
	return tw_sum_consistent(&p, err);
}

/* ports: one row per local port, ascending. */

static int tw_proc_port_order(const struct tw_proc_tab *t,
			      const struct tw_port *p, struct tw_err *err)
{
	const struct tw_snap *s = t->snap;
	uint16_t prev;

	if (!s->nports)
		return 0;
	prev = s->ports[s->nports - 1].port;
	if (p->port == prev)
		return tw_lines_errf(t->lr, err, "duplicate port %u", p->port);
	if (p->port < prev)
		return tw_lines_errf(t->lr, err,
				     "ports not sorted ascending (%u after %u)",
				     p->port, prev);
	return 0;
}

static int tw_proc_port_row(struct tw_proc_tab *t, struct tw_err *err)
{
	struct tw_port p;
	uint64_t v;
	int i;

	if (tw_proc_num(t, TW_PC_PORT, 65535, &v, err))
		return -1;
	if (!v)
		return tw_lines_errf(t->lr, err, "%s: 0 is not a local port",
				     t->cols[TW_PC_PORT]);
	p.port = (uint16_t)v;
	for (i = 0; i < TW_NSTATES; i++)
		if (tw_proc_num(t, TW_PC_ESTAB + i, TW_ROW_COUNT_MAX,
				&p.count[i], err))
			return -1;
	if (tw_proc_span(t, TW_PC_TW_MIN_MS, &p.tw_min_ms, &p.tw_max_ms,
			 p.count[TW_TIME_WAIT], p.count[TW_FIN_WAIT2], err) ||
	    tw_proc_port_order(t, &p, err))
		return -1;
	tw_proc_append(t, (void **)&t->snap->ports, &t->snap->nports, &p,
		       sizeof(p));
	return 0;
}

/* timers: 61 rows, sec 0..60, then the overflow row, if not empty. */

static int tw_proc_timer_over(struct tw_proc_tab *t, struct tw_err *err)
{
	if (strcmp(t->cell[TW_TC_SEC], TWSTAT_TIMERS_OVERFLOW))
		return tw_lines_errf(t->lr, err,
				     "%s '%.32s' after the last second, "
				     "expected '" TWSTAT_TIMERS_OVERFLOW "'",
				     t->cols[TW_TC_SEC], t->cell[TW_TC_SEC]);
	if (tw_proc_num(t, TW_TC_COUNT, TW_COUNT_MAX, &t->snap->timers_over,
			err))
		return -1;
	if (!t->snap->timers_over)
		return tw_lines_errf(t->lr, err,
				     "an empty '" TWSTAT_TIMERS_OVERFLOW
				     "' row (it is left out when empty)");
	return 0;
}

static int tw_proc_timer_row(struct tw_proc_tab *t, struct tw_err *err)
{
	uint64_t sec;

	if (t->rows > TW_TIMER_ROWS)
		return tw_lines_errf(t->lr, err, "more than %d timer rows",
				     TW_TIMER_ROWS + 1);
	if (t->rows == TW_TIMER_ROWS)
		return tw_proc_timer_over(t, err);
	if (tw_proc_num(t, TW_TC_SEC, TW_TIMER_ROWS - 1, &sec, err))
		return -1;
	if (sec != t->rows)
		return tw_lines_errf(t->lr, err, "%s %" PRIu64 ", expected %u",
				     t->cols[TW_TC_SEC], sec, t->rows);
	return tw_proc_num(t, TW_TC_COUNT, TW_COUNT_MAX,
			   &t->snap->timers[t->rows], err);
}

/* After the last row: all 61 there (the overflow row is optional). */
static int tw_proc_timers_end(const struct tw_proc_tab *t, struct tw_err *err)
{
	if (t->rows < TW_TIMER_ROWS)
		return tw_lines_errf(
			t->lr, err,
			"end of file after %u timer rows, expected %d", t->rows,
			TW_TIMER_ROWS);
	return 0;
}

/*
 * remotes: one row per destination, used descending then by key, and at
 * most one "* * *" row (the destinations folded past max_remotes), last.
 */

static int tw_proc_remote_key(const struct tw_proc_tab *t, struct tw_remote *r,
			      struct tw_err *err)
{
	const char *const *c = t->cols;
	const char *la = t->cell[TW_RC_LADDR], *ra = t->cell[TW_RC_RADDR];
	int stars = !strcmp(la, TWSTAT_FOLDED_FIELD) +
		    !strcmp(ra, TWSTAT_FOLDED_FIELD) +
		    !strcmp(t->cell[TW_RC_RPORT], TWSTAT_FOLDED_FIELD);
	uint8_t rfam;
	uint64_t v;

	if (stars == 3)
		return 0; /* family 0: the folded row */
	if (stars)
		return tw_lines_errf(t->lr, err,
				     "%s %s %s: '*' only as '* * *'",
				     c[TW_RC_LADDR], c[TW_RC_RADDR],
				     c[TW_RC_RPORT]);
	if (tw_addr_parse(la, &r->key.family, r->key.laddr))
		return tw_lines_errf(t->lr, err, "%s: bad address '%.64s'",
				     c[TW_RC_LADDR], la);
	if (tw_addr_parse(ra, &rfam, r->key.raddr))
		return tw_lines_errf(t->lr, err, "%s: bad address '%.64s'",
				     c[TW_RC_RADDR], ra);
	if (rfam != r->key.family)
		return tw_lines_errf(t->lr, err,
				     "%s and %s of different families",
				     c[TW_RC_LADDR], c[TW_RC_RADDR]);
	if (tw_proc_num(t, TW_RC_RPORT, 65535, &v, err))
		return -1;
	r->key.rport = (uint16_t)v;
	return 0;
}

/* "-" or N.D (one decimal), equal to used/range rounded half up. */
static int tw_proc_remote_pct(const struct tw_proc_tab *t, struct tw_remote *r,
			      struct tw_err *err)
{
	const char *s = t->cell[TW_RC_PCT], *col = t->cols[TW_RC_PCT];
	const char *dot = strchr(s, '.');
	uint64_t tenths;

	if (!strcmp(s, TWSTAT_NO_VALUE)) {
		if (r->key.family && r->range)
			return tw_lines_errf(
				t->lr, err,
				"%s: '-' for a destination with a port range",
				col);
		return 0;
	}
	if (!dot || strlen(dot) != 2 ||
	    tw_parse_fixed(s, 1, 100000000, &tenths) != TW_PARSE_OK)
		return tw_lines_errf(
			t->lr, err, "%s: '%.32s' is not a percentage like 12.5",
			col, s);
	if (!r->key.family || !r->range)
		return tw_lines_errf(t->lr, err, "%s: expected '-'", col);
	if (tenths != tw_pct_tenths(r->used, r->range))
		return tw_lines_errf(t->lr, err,
				     "%s: %.32s is not %s/%s (%" PRIu64
				     "/%" PRIu64 ")",
				     col, s, t->cols[TW_RC_USED],
				     t->cols[TW_RC_RANGE], r->used, r->range);
	r->pct_tenths = (uint32_t)tenths;
	r->has_pct = true;
	return 0;
}

static int tw_proc_remote_counts(const struct tw_proc_tab *t,
				 struct tw_remote *r, struct tw_err *err)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < TW_R_NCOLS; i++) {
		if (tw_proc_num(t, TW_RC_ESTAB + i, TW_ROW_COUNT_MAX,
				&r->count[i], err))
			return -1;
		sum += r->count[i];
	}
	if (tw_proc_num(t, TW_RC_USED, TW_ROW_COUNT_MAX, &r->used, err) ||
	    tw_proc_num(t, TW_RC_RANGE, 65535, &r->range, err))
		return -1;
	if (r->used != sum)
		return tw_lines_errf(
			t->lr, err,
			"%s %" PRIu64
			" is not the sum of the four counts (%" PRIu64 ")",
			t->cols[TW_RC_USED], r->used, sum);
	return 0;
}

static int tw_proc_remote_order(const struct tw_proc_tab *t,
				const struct tw_remote *r, struct tw_err *err)
{
	const struct tw_snap *s = t->snap;
	const struct tw_remote *prev;
	int d;

	if (!s->nremotes)
		return 0;
	prev = &s->remotes[s->nremotes - 1];
	if (!prev->key.family)
		return tw_lines_errf(t->lr, err, "row after the '* * *' row");
	if (s->nremotes == TW_REMOTES_MAX)
		return tw_lines_errf(t->lr, err, "more than %d rows",
				     TW_REMOTES_MAX);
	if (!r->key.family)
		return 0;
	d = tw_remote_cmp(prev, r);
	if (!d)
		return tw_lines_errf(t->lr, err, "duplicate destination");
	if (d > 0)
		return tw_lines_errf(
			t->lr, err,
			"rows not sorted (used descending, then address)");
	return 0;
}

/*
 * A figure that is "-" exactly in the folded row (@folded), a number up to
 * @max elsewhere; @what names a row that is not folded, for messages.
 */
static int tw_proc_fold_val(const struct tw_proc_tab *t, int col, uint64_t max,
			    bool folded, const char *what, struct tw_val *v,
			    struct tw_err *err)
{
	bool dash = !strcmp(t->cell[col], TWSTAT_NO_VALUE);

	if (dash != folded)
		return tw_lines_errf(t->lr, err, "%s: %s%s", t->cols[col],
				     folded ? "expected '-' in the folded row" :
					      "'-' in the row of a ",
				     folded ? "" : what);
	v->set = !dash;
	return dash ? 0 : tw_proc_num(t, col, max, &v->v, err);
}

/* A number up to @max in an optional column; unset if it is missing. */
static int tw_proc_opt_num(const struct tw_proc_tab *t, int col, uint64_t max,
			   struct tw_val *v, struct tw_err *err)
{
	v->set = t->cell[col] != NULL;
	return v->set ? tw_proc_num(t, col, max, &v->v, err) : 0;
}

/* An owner: a cgroup id (1 or more) or "-" (unknown); NULL cell: none. */
static int tw_proc_owner(const struct tw_proc_tab *t, int col,
			 struct tw_owner_id *o, struct tw_err *err)
{
	if (!strcmp(t->cell[col], TWSTAT_NO_VALUE))
		return 0;
	if (tw_proc_num(t, col, UINT64_MAX, &o->id, err))
		return -1;
	if (!o->id)
		return tw_lines_errf(t->lr, err, "%s: 0 is not a cgroup id",
				     t->cols[col]);
	o->known = true;
	return 0;
}

/* noport, tw_recent, tw_expiring, owner: each may be missing (old module). */
static int tw_proc_remote_new(const struct tw_proc_tab *t, struct tw_remote *r,
			      struct tw_err *err)
{
	bool folded = !r->key.family;
	uint64_t tw = r->count[TW_R_TIME_WAIT];

	if (t->cell[TW_RC_NOPORT] &&
	    tw_proc_fold_val(t, TW_RC_NOPORT, TW_COUNT_MAX, folded,
			     "destination", &r->noport, err))
		return -1;
	if (tw_proc_opt_num(t, TW_RC_TW_RECENT, tw, &r->tw_recent, err) ||
	    tw_proc_opt_num(t, TW_RC_TW_EXPIRING, tw, &r->tw_expiring, err))
		return -1;
	if (r->tw_recent.v + r->tw_expiring.v > tw)
		return tw_lines_errf(t->lr, err, "%s + %s is more than %s",
				     t->cols[TW_RC_TW_RECENT],
				     t->cols[TW_RC_TW_EXPIRING],
				     t->cols[TW_RC_TIME_WAIT]);
	if (!t->cell[TW_RC_OWNER] ||
	    tw_proc_owner(t, TW_RC_OWNER, &r->owner, err))
		return t->cell[TW_RC_OWNER] ? -1 : 0;
	if (folded && r->owner.known)
		return tw_lines_errf(t->lr, err,
				     "%s: expected '-' in the folded row",
				     t->cols[TW_RC_OWNER]);
	return 0;
}

static int tw_proc_remote_row(struct tw_proc_tab *t, struct tw_err *err)
{
	struct tw_remote r;

	memset(&r, 0, sizeof(r));
	if (tw_proc_remote_key(t, &r, err) ||
	    tw_proc_remote_counts(t, &r, err) ||
	    tw_proc_remote_pct(t, &r, err) || tw_proc_remote_new(t, &r, err) ||
	    tw_proc_span(t, TW_RC_TW_MIN_MS, &r.tw_min_ms, &r.tw_max_ms,
			 r.count[TW_R_TIME_WAIT], r.count[TW_R_FIN_WAIT2],
			 err) ||
	    tw_proc_remote_order(t, &r, err))
		return -1;
	tw_proc_append(t, (void **)&t->snap->remotes, &t->snap->nremotes, &r,
		       sizeof(r));
	return 0;
}

/*
 * netns: one row per namespace, time-wait then sockets descending, then
 * inode; at most one "*" row (the namespaces folded past max_netns), last.
 */

#define TW_NS_INUM_MAX UINT32_MAX /* an inode number is an unsigned int */
#define TW_INT_MAX 2147483647U

/* A per-namespace figure: a number, "-" in the folded row only. */
static int tw_proc_ns_val(const struct tw_proc_tab *t, int col, uint64_t max,
			  bool folded, struct tw_val *v, struct tw_err *err)
{
	bool dash = !strcmp(t->cell[col], TWSTAT_NO_VALUE);

	if (dash != folded)
		return tw_lines_errf(t->lr, err, "%s: %s", t->cols[col],
				     folded ? "expected '-' in the '*' row" :
					      "'-' in a namespace's row");
	v->set = !dash;
	return dash ? 0 : tw_proc_num(t, col, max, &v->v, err);
}

static int tw_proc_ns_counts(const struct tw_proc_tab *t, struct tw_nsrow *r,
			     struct tw_err *err)
{
	uint64_t sum = 0, tw;
	int i;

	if (tw_proc_num(t, TW_NC_SOCKETS, TW_COUNT_MAX, &r->sockets, err))
		return -1;
	for (i = 0; i < TW_NSTATES; i++) {
		if (tw_proc_num(t, TW_NC_ESTAB + i, TW_COUNT_MAX, &r->count[i],
				err))
			return -1;
		sum += r->count[i];
	}
	if (sum > r->sockets)
		return tw_lines_errf(t->lr, err,
				     "the states add up to more than %s",
				     t->cols[TW_NC_SOCKETS]);
	if (tw_proc_num(t, TW_NC_TW_V4, TW_COUNT_MAX, &r->tw_v4, err) ||
	    tw_proc_num(t, TW_NC_TW_V6, TW_COUNT_MAX, &r->tw_v6, err))
		return -1;
	tw = r->tw_v4 + r->tw_v6;
	if (tw < r->count[TW_TIME_WAIT] ||
	    tw > r->count[TW_TIME_WAIT] + r->count[TW_FIN_WAIT2])
		return tw_lines_errf(t->lr, err,
				     "%s + %s is not within %s .. %s + %s",
				     t->cols[TW_NC_TW_V4], t->cols[TW_NC_TW_V6],
				     tw_state_names[TW_TIME_WAIT],
				     tw_state_names[TW_TIME_WAIT],
				     tw_state_names[TW_FIN_WAIT2]);
	return tw_proc_span(t, TW_NC_TW_MIN_MS, &r->tw_min_ms, &r->tw_max_ms,
			    r->count[TW_TIME_WAIT], r->count[TW_FIN_WAIT2],
			    err);
}

/* port_range_lo .. max_tw_buckets, and remotes. */
static int tw_proc_ns_own(const struct tw_proc_tab *t, struct tw_nsrow *r,
			  struct tw_err *err)
{
	bool folded = !r->inum;

	if (tw_proc_ns_val(t, TW_NC_PORT_RANGE_LO, 65535, folded, &r->port_lo,
			   err) ||
	    tw_proc_ns_val(t, TW_NC_PORT_RANGE_HI, 65535, folded, &r->port_hi,
			   err) ||
	    tw_proc_ns_val(t, TW_NC_PORT_RANGE_SIZE, 65535, folded,
			   &r->port_range_size, err) ||
	    tw_proc_ns_val(t, TW_NC_MAX_TW_BUCKETS, TW_INT_MAX, folded,
			   &r->max_tw_buckets, err) ||
	    tw_proc_ns_val(t, TW_NC_REMOTES, TW_COUNT_MAX, folded, &r->remotes,
			   err))
		return -1;
	if (!folded && (r->port_lo.v > r->port_hi.v ||
			r->port_range_size.v > r->port_hi.v - r->port_lo.v + 1))
		return tw_lines_errf(t->lr, err, "%s .. %s: not a port range",
				     t->cols[TW_NC_PORT_RANGE_LO],
				     t->cols[TW_NC_PORT_RANGE_HI]);
	return 0;
}

/* top_*: all five "-", or a destination whose pct is used/range. */
static int tw_proc_ns_top(const struct tw_proc_tab *t, struct tw_nsrow *r,
			  struct tw_err *err)
{
	struct tw_proc_tab sub = *t;
	struct tw_remote *top = &r->top;
	int i;

	for (i = TW_NC_TOP_LADDR; i <= TW_NC_TOP_PCT; i++)
		if (strcmp(t->cell[i], TWSTAT_NO_VALUE))
			break;
	if (i > TW_NC_TOP_PCT)
		return 0;
	if (!r->inum || !r->remotes.v)
		return tw_lines_errf(t->lr, err, "%s without destinations",
				     t->cols[TW_NC_TOP_LADDR]);
	/* the remotes columns' parsers, on this row's top_* fields */
	sub.cols = tw_rcol_all_names;
	sub.cell[TW_RC_LADDR] = t->cell[TW_NC_TOP_LADDR];
	sub.cell[TW_RC_RADDR] = t->cell[TW_NC_TOP_RADDR];
	sub.cell[TW_RC_RPORT] = t->cell[TW_NC_TOP_RPORT];
	sub.cell[TW_RC_PCT] = t->cell[TW_NC_TOP_PCT];
	if (tw_proc_remote_key(&sub, top, err))
		return -1;
	if (!top->key.family) /* "* * *" */
		return tw_lines_errf(t->lr, err, "%s: '*'",
				     t->cols[TW_NC_TOP_LADDR]);
	if (tw_proc_num(t, TW_NC_TOP_USED, r->sockets, &top->used, err))
		return -1;
	top->range = r->port_range_size.v;
	return tw_proc_remote_pct(&sub, top, err);
}

static int tw_proc_ns_order(const struct tw_proc_tab *t,
			    const struct tw_nsrow *r, struct tw_err *err)
{
	const struct tw_snap *s = t->snap;
	const struct tw_nsrow *prev;

	if (!s->nnsrows)
		return 0;
	prev = &s->nsrows[s->nnsrows - 1];
	if (!prev->inum)
		return tw_lines_errf(t->lr, err, "row after the '*' row");
	if (r->inum && tw_nsrow_cmp(prev, r) >= 0)
		return tw_lines_errf(t->lr, err,
				     "rows not sorted (time-wait, sockets "
				     "descending, then netns) or duplicate");
	return 0;
}

static int tw_proc_ns_row(struct tw_proc_tab *t, struct tw_err *err)
{
	struct tw_nsrow r;

	memset(&r, 0, sizeof(r));
	if (strcmp(t->cell[TW_NC_NETNS], TWSTAT_FOLDED_FIELD) &&
	    (tw_proc_num(t, TW_NC_NETNS, TW_NS_INUM_MAX, &r.inum, err) ||
	     !r.inum))
		return r.inum ? -1 :
				tw_lines_errf(t->lr, err, "%s: 0",
					      t->cols[TW_NC_NETNS]);
	if (tw_proc_ns_counts(t, &r, err) || tw_proc_ns_own(t, &r, err) ||
	    tw_proc_ns_top(t, &r, err) || tw_proc_ns_order(t, &r, err))
		return -1;
	tw_proc_append(t, (void **)&t->snap->nsrows, &t->snap->nnsrows, &r,
		       sizeof(r));
	return 0;
}

/*
 * owners: one row per owner, time-wait then sockets descending, then
 * cgroup ("-" first); sockets = the ten states + those of unknown state.
 */

static int tw_proc_owner_counts(const struct tw_proc_tab *t, struct tw_owner *o,
				struct tw_err *err)
{
	uint64_t sum = 0;
	int i;

	if (tw_proc_num(t, TW_OC_SOCKETS, TW_COUNT_MAX, &o->sockets, err))
		return -1;
	for (i = 0; i < TW_NSTATES; i++) {
		if (tw_proc_num(t, TW_OC_ESTAB + i, TW_COUNT_MAX, &o->count[i],
				err))
			return -1;
		sum += o->count[i];
	}
	if (sum > o->sockets)
		return tw_lines_errf(t->lr, err,
				     "the states add up to more than %s",
				     t->cols[TW_OC_SOCKETS]);
	if (!o->sockets)
		return tw_lines_errf(t->lr, err,
				     "%s: 0 (an owner has a row "
				     "only while it has sockets)",
				     t->cols[TW_OC_SOCKETS]);
	return tw_proc_span(t, TW_OC_TW_MIN_MS, &o->tw_min_ms, &o->tw_max_ms,
			    o->count[TW_TIME_WAIT], o->count[TW_FIN_WAIT2],
			    err);
}

static int tw_proc_owner_row(struct tw_proc_tab *t, struct tw_err *err)
{
	const struct tw_snap *s = t->snap;
	struct tw_owner o;
	int d;

	memset(&o, 0, sizeof(o));
	if (tw_proc_owner(t, TW_OC_CGROUP, &o.cgroup, err) ||
	    tw_proc_owner_counts(t, &o, err))
		return -1;
	d = s->nowners ? tw_owner_cmp(&s->owners[s->nowners - 1], &o) : -1;
	if (!d)
		return tw_lines_errf(t->lr, err, "duplicate %s",
				     t->cols[TW_OC_CGROUP]);
	if (d > 0)
		return tw_lines_errf(t->lr, err,
				     "rows not sorted (time-wait, sockets "
				     "descending, then cgroup)");
	tw_proc_append(t, (void **)&t->snap->owners, &t->snap->nowners, &o,
		       sizeof(o));
	return 0;
}

/*
 * failures: one row per destination, fails descending then destination;
 * at most TW_FAILURES_MAX (the module's table for all namespaces).
 */

#define TW_PID_MAX 4194304 /* the kernel's PID_MAX_LIMIT */

_Static_assert((int)TW_FC_LADDR == (int)TW_RC_LADDR &&
		       (int)TW_FC_RADDR == (int)TW_RC_RADDR &&
		       (int)TW_FC_RPORT == (int)TW_RC_RPORT,
	       "failures and remotes start with the same destination columns");

static int tw_proc_fail_who(const struct tw_proc_tab *t, struct tw_failure *f,
			    struct tw_err *err)
{
	const char *comm = t->cell[TW_FC_COMM];

	if (strcmp(t->cell[TW_FC_PID], TWSTAT_NO_VALUE)) {
		if (tw_proc_num(t, TW_FC_PID, TW_PID_MAX, &f->pid, err))
			return -1;
		if (!f->pid)
			return tw_lines_errf(t->lr, err, "%s: 0 is not a pid",
					     t->cols[TW_FC_PID]);
	}
	if (strlen(comm) > TW_COMM_LEN)
		return tw_lines_errf(t->lr, err,
				     "%s: '%.32s' is longer than %d bytes",
				     t->cols[TW_FC_COMM], comm, TW_COMM_LEN);
	memcpy(f->comm, comm, strlen(comm) + 1);
	if (tw_proc_owner(t, TW_FC_CGROUP, &f->cgroup, err))
		return -1;
	return tw_proc_num(t, TW_FC_LAST_MS, TW_COUNT_MAX, &f->last_ms, err);
}

static int tw_proc_fail_row(struct tw_proc_tab *t, struct tw_err *err)
{
	const struct tw_snap *s = t->snap;
	struct tw_remote r;
	struct tw_failure f;
	int d;

	memset(&r, 0, sizeof(r));
	memset(&f, 0, sizeof(f));
	if (tw_proc_remote_key(t, &r, err))
		return -1;
	if (!r.key.family)
		return tw_lines_errf(t->lr, err, "'* * *' in failures");
	f.key = r.key;
	if (tw_proc_num(t, TW_FC_FAILS, TW_COUNT_MAX, &f.fails, err) ||
	    tw_proc_fail_who(t, &f, err))
		return -1;
	if (!f.fails)
		return tw_lines_errf(t->lr, err, "%s: 0", t->cols[TW_FC_FAILS]);
	d = s->nfailures ? tw_failure_cmp(&s->failures[s->nfailures - 1], &f) :
			   -1;
	if (s->nfailures == TW_FAILURES_MAX)
		return tw_lines_errf(t->lr, err, "more than %d rows",
				     TW_FAILURES_MAX);
	if (d >= 0)
		return tw_lines_errf(t->lr, err,
				     d ? "rows not sorted (fails descending, "
					 "then destination)" :
					 "duplicate destination");
	tw_proc_append(t, (void **)&t->snap->failures, &t->snap->nfailures, &f,
		       sizeof(f));
	return 0;
}

/*
 * The files, as module/proc.c lists them: summary is "key value" lines,
 * the others a header of @cols and rows.
 */
static const struct tw_proc_file {
	int (*parse)(struct tw_lines *lr, struct tw_snap *snap,
		     struct tw_err *err); /* NULL: a table */
	const char *const *cols;
	int ncols;
	int nreq; /* columns required; 0: all */
	/* read only if the summary has this key (0, version: always) */
	enum tw_key since;
	tw_proc_row_fn row;
	int (*end)(const struct tw_proc_tab *t, struct tw_err *err);
} tw_proc_files[TW_NFILES] = {
	[TW_F_SUMMARY] = { .parse = tw_proc_summary },
	[TW_F_PORTS] = { .cols = tw_pcol_names,
			 .ncols = TW_NPCOLS,
			 .row = tw_proc_port_row },
	[TW_F_TIMERS] = { .cols = tw_tcol_names,
			  .ncols = TW_NTCOLS,
			  .row = tw_proc_timer_row,
			  .end = tw_proc_timers_end },
	[TW_F_REMOTES] = { .cols = tw_rcol_all_names,
			   .ncols = TW_NRCOLS,
			   .nreq = TW_RC_NREQUIRED,
			   .row = tw_proc_remote_row },
	[TW_F_NETNS] = { .cols = tw_ncol_names,
			 .ncols = TW_NNCOLS,
			 .row = tw_proc_ns_row },
	[TW_F_OWNERS] = { .cols = tw_ocol_names,
			  .ncols = TW_NOCOLS,
			  .since = TWK_OWNERS,
			  .row = tw_proc_owner_row },
	[TW_F_FAILURES] = { .cols = tw_fcol_names,
			    .ncols = TW_NFCOLS,
			    .since = TWK_FAILURES,
			    .row = tw_proc_fail_row },
};

static bool tw_proc_known(int file)
{
	return tw_proc_files[file].parse || tw_proc_files[file].row;
}

int tw_proc_parse(enum tw_file file, struct tw_lines *lr, struct tw_snap *snap,
		  struct tw_err *err)
{
	const struct tw_proc_file *pf = &tw_proc_files[file];
	struct tw_proc_tab t = { .lr = lr, .snap = snap, .cols = pf->cols };

	if (pf->parse)
		return pf->parse(lr, snap, err);
	if (tw_proc_table(&t, pf->ncols, pf->nreq ? pf->nreq : pf->ncols,
			  pf->row, err))
		return -1;
	if (file == TW_F_REMOTES)
		snap->rcols = (unsigned int)t.given;
	return pf->end ? pf->end(&t, err) : 0;
}

static int tw_proc_path(char *buf, size_t len, const char *root,
			enum tw_file file, struct tw_err *err)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "net/" TWSTAT_DIR_NAME "/%s",
		 tw_file_names[file]);
	return tw_sys_path(buf, len, root, rel, err);
}

bool tw_proc_present(const char *root)
{
	char path[PATH_MAX];
	struct tw_err ignored;

	if (tw_proc_path(path, sizeof(path), root, TW_F_SUMMARY, &ignored))
		return true; /* the module source reports the long path */
	return !access(path, F_OK);
}

static int tw_proc_missing(const char *path, struct tw_err *err)
{
	return tw_errf(err,
		       "%s: not found: the twstat module is not loaded "
		       "(load it with 'sudo insmod module/twstat.ko' or "
		       "'sudo modprobe twstat', or use --source diag)",
		       path);
}

static int tw_proc_file(const char *root, enum tw_file file,
			struct tw_snap *snap, struct tw_err *err)
{
	char path[PATH_MAX];
	struct tw_lines lr;
	int rc;

	if (tw_proc_path(path, sizeof(path), root, file, err))
		return -1;
	if (file == TW_F_SUMMARY && access(path, F_OK) && errno == ENOENT)
		return tw_proc_missing(path, err);
	if (tw_lines_open(&lr, path, TW_LINE_MAX, err)) {
		if (file == TW_F_NETNS && errno == EACCES)
			return tw_errf(
				err,
				"%s: permission denied: every namespace is "
				"shown only to root (CAP_NET_ADMIN) in the "
				"initial network namespace",
				path);
		if (file == TW_F_NETNS && errno == ENOENT)
			return tw_errf(
				err,
				"%s: not found: the netns view is read in "
				"the initial network namespace",
				path);
		return -1;
	}
	rc = tw_proc_parse(file, &lr, snap, err);
	tw_lines_close(&lr);
	return rc;
}

int tw_proc_load(const char *root, unsigned int need, struct tw_snap *snap,
		 struct tw_err *err)
{
	int f;

	for (f = 0; f < TW_NFILES; f++) {
		if (!tw_proc_known(f) ||
		    (f != TW_F_SUMMARY && !(need & TW_NEED(f))))
			continue;
		/* a module older than the file: the view says it lacks it */
		if (f != TW_F_SUMMARY &&
		    !snap->sum.k[tw_proc_files[f].since].set)
			continue;
		if (tw_proc_file(root, (enum tw_file)f, snap, err))
			return -1;
		snap->have |= f == TW_F_SUMMARY ? 0 : TW_NEED(f);
	}
	return 0;
}
