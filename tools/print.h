/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one print layer every view goes through (in the spirit of
 * iproute2's json_print.c): a view calls pr_uint(key, tmpl, value) and the
 * like once per value, and the layer writes either text or JSON.
 *
 *  - @key names the value in JSON; NULL: text only (a label, a bar).
 *  - @tmpl is the text rendering: literal text with one "{}" where the
 *    value goes (not a printf format, so nothing to mismatch); NULL: JSON
 *    only. Unknown values (struct tw_val unset, NULL strings) are null in
 *    JSON, "-" in a text grid cell, and omitted from other text.
 *  - pr_obj_open/pr_arr_open shape the JSON document; text ignores them.
 *  - A text grid (pr_grid_open) turns each value with a template into one
 *    cell and prints the rows aligned, with column titles, when closed.
 *
 * Output goes to a FILE (an in-memory stream in practice: nothing reaches
 * stdout before the whole document is rendered).
 */
#ifndef TW_PRINT_H
#define TW_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "twstat.h"

enum pr_mode {
	PR_TEXT,
	PR_JSON,
};

enum pr_align {
	PR_LEFT,
	PR_RIGHT,
};

struct pr_col {
	const char *title;
	enum pr_align align;
};

/* Start a document: JSON opens the top-level object. */
void pr_start(enum pr_mode mode, FILE *out);
/* End it: JSON closes the top-level object and adds the final newline. */
void pr_finish(void);
bool pr_is_json(void);

void pr_obj_open(const char *key);
void pr_obj_close(void);
void pr_arr_open(const char *key);
void pr_arr_close(void);

void pr_uint(const char *key, const char *tmpl, uint64_t v);
/* Signed, shown with an explicit sign in text ("+3", "-2", "+0"). */
void pr_delta(const char *key, const char *tmpl, int64_t v);
void pr_val(const char *key, const char *tmpl, const struct tw_val *v);
/* A number in tenths, printed with one decimal: 961 -> 96.1. */
void pr_tenths(const char *key, const char *tmpl, uint64_t tenths);
void pr_str(const char *key, const char *tmpl, const char *s);
/* JSON true/false; text prints @tmpl (no value) only when @v is true. */
void pr_bool(const char *key, const char *tmpl, bool v);
void pr_null(const char *key, const char *tmpl);

/* Text only. */
void pr_text(const char *s);
void pr_textf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Text grid: aligned columns; JSON: nothing. */
void pr_grid_open(const struct pr_col *cols, size_t ncols, bool titles);
void pr_grid_row_end(void);
void pr_grid_close(void);

#endif /* TW_PRINT_H */
