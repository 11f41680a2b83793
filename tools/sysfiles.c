// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl, sockstat and netstat readers (see sysfiles.h).
 *
 * Owns: the kernel's own files the tool reads. Parses; never prints.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "sysfiles.h"
#include "model.h"

#define TW_NETSTAT_LINE_MAX 65536
#define TW_NETSTAT_FIELDS 512

const char *const tw_nstat_names[TW_NS_COUNT] = {
	[TW_NS_TW] = "TW",
	[TW_NS_TW_RECYCLED] = "TWRecycled",
	[TW_NS_TW_KILLED] = "TWKilled",
	[TW_NS_TW_OVERFLOW] = "TCPTimeWaitOverflow",
};

int tw_sys_path(char *buf, size_t len, const char *root, const char *rel,
		struct tw_err *err)
{
	int n = snprintf(buf, len, "%s/%s", root, rel);

	if (n < 0 || (size_t)n >= len)
		return tw_errf(err, "%.64s...: path too long", root);
	return 0;
}

/* The single line of a one-line file; anything after it is an error. */
static int tw_sys_one_line(struct tw_lines *lr, char **line, struct tw_err *err)
{
	char *extra;
	int rc = tw_lines_next(lr, line, err);

	if (rc < 0)
		return -1;
	if (!rc)
		return tw_errf(err, "%s:1: empty file", lr->path);
	(*line) = tw_xstrdup(*line);
	rc = tw_lines_next(lr, &extra, err);
	if (rc) {
		free(*line);
		return rc < 0 ? -1 :
				tw_lines_errf(lr, err, "unexpected extra line");
	}
	return 0;
}

int tw_sys_parse_u64(struct tw_lines *lr, uint64_t max, uint64_t *out,
		     struct tw_err *err)
{
	char *line;
	int rc;

	if (tw_sys_one_line(lr, &line, err))
		return -1;
	rc = tw_parse_u64(line, max, out) ?
		     tw_lines_errf(lr, err,
				   "'%.32s' is not a number in 0..%" PRIu64,
				   line, max) :
		     0;
	free(line);
	return rc;
}

int tw_sys_parse_port_range(struct tw_lines *lr, uint32_t *lo, uint32_t *hi,
			    struct tw_err *err)
{
	char *line, *tab;
	int rc = -1;

	if (tw_sys_one_line(lr, &line, err))
		return -1;
	tab = strchr(line, '\t');
	if (tab) {
		*tab = '\0';
		rc = tw_parse_u32(line, 65535, lo) ||
		     tw_parse_u32(tab + 1, 65535, hi) || *lo < 1 || *lo > *hi;
	}
	if (rc)
		tw_lines_errf(
			lr, err,
			"expected 'LOW<tab>HIGH', 1 <= LOW <= HIGH <= 65535");
	free(line);
	return rc ? -1 : 0;
}

/* One "P" or "A-B" item of ip_local_reserved_ports into @bitmap. */
static int tw_reserved_item(const char *item, uint8_t *bitmap)
{
	char buf[16];
	const char *dash = strchr(item, '-');
	uint32_t a, b, p;
	size_t len = dash ? (size_t)(dash - item) : strlen(item);

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, item, len);
	buf[len] = '\0';
	if (tw_parse_u32(buf, 65535, &a))
		return -1;
	b = a;
	if (dash && (tw_parse_u32(dash + 1, 65535, &b) || b < a))
		return -1;
	for (p = a; p <= b; p++)
		bitmap[p / 8] |= (uint8_t)(1U << (p % 8));
	return 0;
}

int tw_sys_parse_reserved(struct tw_lines *lr, uint32_t lo, uint32_t hi,
			  uint32_t *usable, struct tw_err *err)
{
	uint8_t bitmap[TW_NPORTS / 8] = { 0 };
	char *line, *item, *save = NULL;
	uint32_t p;
	int rc = tw_lines_next(lr, &line, err);

	if (rc < 0)
		return -1;
	*usable = 0;
	for (item = rc ? strtok_r(line, ",", &save) : NULL; item;
	     item = strtok_r(NULL, ",", &save))
		if (tw_reserved_item(item, bitmap))
			return tw_lines_errf(lr, err,
					     "bad port or range '%.32s'", item);
	if (rc) {
		rc = tw_lines_next(lr, &line, err);
		if (rc)
			return rc < 0 ? -1 :
					tw_lines_errf(lr, err,
						      "unexpected extra line");
	}
	for (p = lo; p <= hi && p < TW_NPORTS; p++)
		*usable += !(bitmap[p / 8] & (1U << (p % 8)));
	return 0;
}

/* "TCP: inuse N orphan N tw N alloc N mem N": the value after "tw". */
static int tw_sockstat_tcp(struct tw_lines *lr, char *line, uint64_t *tw,
			   struct tw_err *err)
{
	char *f[TW_FIELDS_MAX];
	int n = tw_lines_split(lr, line, f, TW_FIELDS_MAX, err), i;

	if (n < 0)
		return -1;
	for (i = 1; i + 1 < n; i += 2)
		if (!strcmp(f[i], "tw"))
			return tw_lines_u64(lr, "tw", f[i + 1], INT_MAX, tw,
					    err);
	return tw_lines_errf(lr, err, "TCP line without 'tw'");
}

int tw_sys_parse_sockstat(struct tw_lines *lr, uint64_t *tw, struct tw_err *err)
{
	char *line;
	int rc;

	while ((rc = tw_lines_next(lr, &line, err)) > 0)
		if (!strncmp(line, "TCP: ", 5))
			return tw_sockstat_tcp(lr, line, tw, err);
	return rc < 0 ? -1 : tw_lines_errf(lr, err, "no 'TCP:' line");
}

static int tw_netstat_value(const struct tw_lines *lr, bool tcpext,
			    const char *name, const char *value,
			    struct tw_netstat *ns, bool *seen,
			    struct tw_err *err)
{
	uint64_t v;
	int k;

	if (tw_lines_u64(lr, name, value, UINT64_MAX, &v, err))
		return -1;
	for (k = 0; tcpext && k < TW_NS_COUNT; k++)
		if (!strcmp(name, tw_nstat_names[k])) {
			ns->v[k] = v;
			seen[k] = true;
		}
	return 0;
}

/* One header/value line pair of /proc/net/netstat. */
static int tw_netstat_pair(struct tw_lines *lr, char *names,
			   struct tw_netstat *ns, bool *seen,
			   struct tw_err *err)
{
	char *nf[TW_NETSTAT_FIELDS], *vf[TW_NETSTAT_FIELDS], *values;
	int nn, nv, i, rc;

	nn = tw_lines_split(lr, names, nf, TW_NETSTAT_FIELDS, err);
	if (nn < 0)
		return -1;
	rc = tw_lines_next(lr, &values, err);
	if (rc <= 0)
		return rc < 0 ? -1 :
				tw_lines_errf(
					lr, err,
					"header line without a value line");
	nv = tw_lines_split(lr, values, vf, TW_NETSTAT_FIELDS, err);
	if (nv < 0)
		return -1;
	if (nv != nn || strcmp(nf[0], vf[0]))
		return tw_lines_errf(
			lr, err, "value line does not match the header above");
	for (i = 1; i < nn; i++)
		if (tw_netstat_value(lr, !strcmp(nf[0], "TcpExt:"), nf[i],
				     vf[i], ns, seen, err))
			return -1;
	return 0;
}

int tw_sys_parse_netstat(struct tw_lines *lr, struct tw_netstat *ns,
			 struct tw_err *err)
{
	bool seen[TW_NS_COUNT] = { false };
	char *line, *names;
	int rc, k;

	while ((rc = tw_lines_next(lr, &line, err)) > 0) {
		names = tw_xstrdup(line);
		rc = tw_netstat_pair(lr, names, ns, seen, err);
		free(names);
		if (rc)
			return -1;
	}
	if (rc < 0)
		return -1;
	for (k = 0; k < TW_NS_COUNT; k++)
		if (!seen[k])
			return tw_lines_errf(
				lr, err,
				"end of file, but TcpExt counter '%s' is missing",
				tw_nstat_names[k]);
	return 0;
}

static int tw_sys_open(struct tw_lines *lr, const char *root, const char *rel,
		       size_t max, struct tw_err *err)
{
	char path[PATH_MAX];

	if (tw_sys_path(path, sizeof(path), root, rel, err) ||
	    tw_lines_open(lr, path, max, err))
		return -1;
	lr->path = tw_xstrdup(path);
	lr->tabs = true;
	return 0;
}

static void tw_sys_close(struct tw_lines *lr)
{
	free((char *)lr->path);
	tw_lines_close(lr);
}

int tw_sys_max_tw_buckets(const char *root, uint64_t *out, struct tw_err *err)
{
	struct tw_lines lr;
	int rc;

	if (tw_sys_open(&lr, root, "sys/net/ipv4/tcp_max_tw_buckets",
			TW_LINE_MAX, err))
		return -1;
	rc = tw_sys_parse_u64(&lr, INT_MAX, out, err);
	tw_sys_close(&lr);
	return rc;
}

int tw_sys_port_range(const char *root, uint32_t *lo, uint32_t *hi,
		      uint32_t *usable, struct tw_err *err)
{
	struct tw_lines lr;
	int rc;

	if (tw_sys_open(&lr, root, "sys/net/ipv4/ip_local_port_range",
			TW_LINE_MAX, err))
		return -1;
	rc = tw_sys_parse_port_range(&lr, lo, hi, err);
	tw_sys_close(&lr);
	if (rc || tw_sys_open(&lr, root, "sys/net/ipv4/ip_local_reserved_ports",
			      TW_NETSTAT_LINE_MAX, err))
		return -1;
	rc = tw_sys_parse_reserved(&lr, *lo, *hi, usable, err);
	tw_sys_close(&lr);
	return rc;
}

int tw_sys_sockstat_tw(const char *root, uint64_t *tw, struct tw_err *err)
{
	struct tw_lines lr;
	int rc;

	if (tw_sys_open(&lr, root, "net/sockstat", TW_LINE_MAX, err))
		return -1;
	rc = tw_sys_parse_sockstat(&lr, tw, err);
	tw_sys_close(&lr);
	return rc;
}

int tw_sys_netstat(const char *root, struct tw_netstat *ns, struct tw_err *err)
{
	struct tw_lines lr;
	int rc;

	if (tw_sys_open(&lr, root, "net/netstat", TW_NETSTAT_LINE_MAX, err))
		return -1;
	rc = tw_sys_parse_netstat(&lr, ns, err);
	tw_sys_close(&lr);
	return rc;
}

/*
 * Whether this kernel counts TW and TWKilled as it arms a timer: from
 * sys/kernel/osrelease ("5.10.0-32-amd64"), 5.18 or later. A release that
 * cannot be read or parsed is taken as one of those, the kernels of today.
 */
bool tw_sys_counts_on_arm(const char *root)
{
	unsigned int major, minor;
	struct tw_lines lr;
	struct tw_err err;
	char *line = NULL;
	bool on_arm = true;

	if (tw_sys_open(&lr, root, "sys/kernel/osrelease", TW_LINE_MAX, &err))
		return true;
	if (!tw_sys_one_line(&lr, &line, &err) &&
	    sscanf(line, "%u.%u", &major, &minor) == 2)
		on_arm = major > 5 || (major == 5 && minor >= 18);
	free(line);
	tw_sys_close(&lr);
	return on_arm;
}
