// SPDX-License-Identifier: GPL-2.0
/* Field and row helpers shared by the /proc/net/twstat parsers. */
#include <inttypes.h>
#include <string.h>

#include "parse.h"
#include "procfs.h"

int tw_proc_u64(const struct tw_lines *lr, const char *col, const char *s,
		uint64_t max, uint64_t *out, struct tw_err *err)
{
	switch (tw_parse_u64(s, max, out)) {
	case TW_PARSE_OK:
		return 0;
	case TW_PARSE_RANGE:
		return tw_lines_errf(
			lr, err,
			"%s: value %.32s out of range (at most %" PRIu64 ")",
			col, s, max);
	default:
		return tw_lines_errf(
			lr, err, "%s: '%.32s' is not a decimal number", col, s);
	}
}

int tw_proc_timer(const struct tw_lines *lr, const char *col, const char *s,
		  uint32_t *out, struct tw_err *err)
{
	uint64_t v;

	if (!strcmp(s, "-")) {
		*out = TW_NO_TIMER;
		return 0;
	}
	if (tw_proc_u64(lr, col, s, TW_TIMER_MAX_MS, &v, err))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int tw_proc_span(const struct tw_lines *lr, uint32_t min, uint32_t max,
		 uint64_t tw, uint64_t fw2, struct tw_err *err)
{
	if ((min == TW_NO_TIMER) != (max == TW_NO_TIMER))
		return tw_lines_errf(
			lr, err,
			"tw_min_ms and tw_max_ms: one is '-', the other is not");
	if (min != TW_NO_TIMER && min > max)
		return tw_lines_errf(
			lr, err, "tw_min_ms %u is greater than tw_max_ms %u",
			min, max);
	if (tw && min == TW_NO_TIMER)
		return tw_lines_errf(
			lr, err,
			"time-wait sockets but no timer (tw_min_ms '-')");
	if (!tw && !fw2 && min != TW_NO_TIMER)
		return tw_lines_errf(
			lr, err,
			"timer without time-wait or fin-wait-2 sockets");
	return 0;
}

int tw_proc_header(struct tw_lines *lr, const char *const *names, int nnames,
		   int *idx, int *ncols, struct tw_err *err)
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
	return tw_lines_header(lr, fields, *ncols, names, nnames, idx, err);
}

int tw_proc_row(struct tw_lines *lr, char **fields, int ncols,
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
