/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the text files of /proc line by line, defensively: bounded line
 * length, printable ASCII only, every line ending in '\n', fields split on
 * single spaces, and table headers mapped to column indexes by name (the
 * contract only ever appends columns, so a reader must not rely on
 * positions). Every error names the file and the line.
 */
#ifndef TW_LINES_H
#define TW_LINES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

#define TW_LINE_MAX 4096
#define TW_FIELDS_MAX 64

struct tw_lines {
	FILE *f;
	const char *path; /* for messages */
	unsigned long lineno; /* of the line last returned */
	size_t max; /* longest accepted line, without '\n' */
	char *buf;
	bool owned; /* close f at the end */
	bool tabs; /* accept '\t' (sysctl files use it as separator) */
};

/* Open @path (reading). 0, or -1 with "PATH: strerror". */
int tw_lines_open(struct tw_lines *lr, const char *path, size_t max,
		  struct tw_err *err);
/* Read from an already open stream (not closed by tw_lines_close). */
void tw_lines_init(struct tw_lines *lr, FILE *f, const char *path, size_t max);
void tw_lines_close(struct tw_lines *lr);

/* Next line, without its '\n': 1, or 0 at end of file, or -1 on error. */
int tw_lines_next(struct tw_lines *lr, char **line, struct tw_err *err);

/* "PATH:LINE: " + message into @err; returns -1. */
int tw_lines_errf(const struct tw_lines *lr, struct tw_err *err,
		  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Split @line in place on single spaces into at most @max fields. Returns
 * the count, or -1 (error set) on an empty field or more than @max fields.
 */
int tw_lines_split(const struct tw_lines *lr, char *line, char **fields,
		   int max, struct tw_err *err);

/*
 * Map a header to column indexes: idx[i] = position of names[i] among
 * @fields. The first @nreq names are required (a missing one is an error,
 * -1); the others, appended later to the contract, are -1 when missing. A
 * duplicated column is an error.
 */
int tw_lines_header(const struct tw_lines *lr, char **fields, int n,
		    const char *const *names, int nnames, int nreq, int *idx,
		    struct tw_err *err);

/* A numeric field of column @col, at most @max; "PATH:LINE: col: ..." */
int tw_lines_u64(const struct tw_lines *lr, const char *col, const char *s,
		 uint64_t max, uint64_t *out, struct tw_err *err);

#endif /* TW_LINES_H */
