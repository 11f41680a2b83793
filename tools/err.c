// SPDX-License-Identifier: GPL-2.0
/*
 * Error messages and allocation helpers (see err.h).
 *
 * Owns: the one error sentence and out-of-memory exits. Must not: print
 * anything but that out-of-memory line.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

int tw_errf(struct tw_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static void *tw_oom(void)
{
	fputs("twstat: out of memory\n", stderr);
	exit(1);
}

void *tw_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	return p ? p : tw_oom();
}

void *tw_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	return p ? p : tw_oom();
}

void *tw_xreallocarray(void *ptr, size_t n, size_t size)
{
	size_t bytes;
	void *p;

	if (size && n > SIZE_MAX / size)
		return tw_oom();
	bytes = n * size;
	p = realloc(ptr, bytes ? bytes : 1);
	return p ? p : tw_oom();
}

char *tw_xstrdup(const char *s)
{
	size_t len = strlen(s) + 1;

	return memcpy(tw_xmalloc(len), s, len);
}
