/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error reporting and allocation. A function that fails fills a struct
 * tw_err with one self-contained sentence ("PATH:LINE: what is wrong") and
 * returns -1; main() prints it once, prefixed with "twstat: ". Allocation
 * failure is the one error that exits on the spot (nothing has been written
 * to stdout yet: every view renders into memory first).
 */
#ifndef TW_ERR_H
#define TW_ERR_H

#include <stddef.h>

#define TW_ERR_LEN 512

struct tw_err {
	char msg[TW_ERR_LEN];
};

/* Fill @err from a printf format; always returns -1. */
int tw_errf(struct tw_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void *tw_xmalloc(size_t size);
void *tw_xcalloc(size_t n, size_t size);
void *tw_xreallocarray(void *ptr, size_t n, size_t size);
char *tw_xstrdup(const char *s);

#endif /* TW_ERR_H */
