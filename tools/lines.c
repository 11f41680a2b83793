// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded, validated line reading for /proc text files (see lines.h).
 *
 * Owns: lines, fields, headers and their errors. Must not: know which
 * file it reads, or print.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "parse.h"

int tw_lines_open(struct tw_lines *lr, const char *path, size_t max,
		  struct tw_err *err)
{
	FILE *f = fopen(path, "re");

	if (!f)
		return tw_errf(err, "%s: %s", path, strerror(errno));
	tw_lines_init(lr, f, path, max);
	lr->owned = true;
	return 0;
}

void tw_lines_init(struct tw_lines *lr, FILE *f, const char *path, size_t max)
{
	memset(lr, 0, sizeof(*lr));
	lr->f = f;
	lr->path = path;
	lr->max = max;
	lr->buf = tw_xmalloc(max + 1);
}

void tw_lines_close(struct tw_lines *lr)
{
	if (lr->owned && lr->f)
		fclose(lr->f);
	free(lr->buf);
	lr->buf = NULL;
	lr->f = NULL;
}

int tw_lines_errf(const struct tw_lines *lr, struct tw_err *err,
		  const char *fmt, ...)
{
	char what[TW_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return tw_errf(err, "%s:%lu: %s", lr->path, lr->lineno, what);
}

/* One byte of a line: printable ASCII or the end of the line. */
static int tw_lines_byte(struct tw_lines *lr, int c, size_t len,
			 struct tw_err *err)
{
	if (c == EOF) {
		if (ferror(lr->f))
			return tw_lines_errf(lr, err, "read error: %s",
					     strerror(errno));
		return len ? tw_lines_errf(
				     lr, err,
				     "truncated line (no newline at end of file)") :
			     0;
	}
	if (c == '\n')
		return 0;
	if ((c < 0x20 || c > 0x7e) && !(c == '\t' && lr->tabs))
		return tw_lines_errf(
			lr, err, "unexpected byte 0x%02x (not printable ASCII)",
			(unsigned int)c);
	if (len == lr->max)
		return tw_lines_errf(lr, err, "line longer than %zu bytes",
				     lr->max);
	return 1;
}

int tw_lines_next(struct tw_lines *lr, char **line, struct tw_err *err)
{
	size_t len = 0;
	int c, rc;

	lr->lineno++;
	for (;;) {
		c = getc(lr->f);
		rc = tw_lines_byte(lr, c, len, err);
		if (rc <= 0)
			break;
		lr->buf[len++] = (char)c;
	}
	if (rc < 0)
		return -1;
	if (c == EOF) {
		lr->lineno--;
		return 0;
	}
	lr->buf[len] = '\0';
	*line = lr->buf;
	return 1;
}

int tw_lines_split(const struct tw_lines *lr, char *line, char **fields,
		   int max, struct tw_err *err)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *sp = strchr(p, ' ');

		if (p == sp || (!sp && !*p))
			return tw_lines_errf(
				lr, err,
				"empty field (fields are separated by one space)");
		if (n == max)
			return tw_lines_errf(
				lr, err, "too many fields (more than %d)", max);
		fields[n++] = p;
		if (!sp)
			return n;
		*sp = '\0';
		p = sp + 1;
	}
}

int tw_lines_header(const struct tw_lines *lr, char **fields, int n,
		    const char *const *names, int nnames, int nreq, int *idx,
		    struct tw_err *err)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (!strcmp(fields[i], fields[j]))
				return tw_lines_errf(
					lr, err,
					"duplicate column '%s' in header",
					fields[i]);
	for (i = 0; i < nnames; i++) {
		idx[i] = -1;
		for (j = 0; j < n && idx[i] < 0; j++)
			if (!strcmp(fields[j], names[i]))
				idx[i] = j;
		if (idx[i] < 0 && i < nreq)
			return tw_lines_errf(
				lr, err, "header lacks required column '%s'",
				names[i]);
	}
	return 0;
}

int tw_lines_u64(const struct tw_lines *lr, const char *col, const char *s,
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
