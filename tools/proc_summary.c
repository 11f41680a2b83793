// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/twstat/summary: "key value" lines. The first line must be
 * "version 1"; every documented key must appear exactly once; unknown keys
 * are skipped; the sums the contract defines within the file are checked.
 */
#include <inttypes.h>
#include <string.h>

#include "procfs.h"

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
	uint64_t v;

	if (strcmp(f[0], "version"))
		return tw_lines_errf(p->lr, err,
				     "first key is '%.64s', expected 'version'",
				     f[0]);
	if (tw_proc_u64(p->lr, "version", f[1], UINT32_MAX, &v, err))
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
	if (tw_proc_u64(p->lr, f[0], f[1], tw_keys[k].max, &p->sum->k[k].v,
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
		return tw_errf(err, "%s:1: empty file (expected 'version 1')",
			       p->lr->path);
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
				    "not tw_v4 + tw_v6");
	if (lo < 1 || lo > hi)
		return tw_sum_errat(p, TWK_PORT_RANGE_LO, err,
				    "not within 1..port_range_hi");
	if (tw_sum_get(s, TWK_PORT_RANGE_SIZE) > hi - lo + 1)
		return tw_sum_errat(p, TWK_PORT_RANGE_SIZE, err,
				    "larger than the port range");
	return 0;
}

int tw_proc_summary(struct tw_lines *lr, struct tw_summary *sum,
		    struct tw_err *err)
{
	struct tw_sum_parse p = { .lr = lr, .sum = sum };
	char *line;
	int rc;

	memset(sum, 0, sizeof(*sum));
	while ((rc = tw_lines_next(lr, &line, err)) > 0)
		if (tw_sum_line(&p, line, err))
			return -1;
	if (rc < 0 || tw_sum_missing(&p, err))
		return -1;
	return tw_sum_consistent(&p, err);
}
