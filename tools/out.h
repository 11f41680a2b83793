/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one text/JSON output layer every section goes through (in the spirit
 * of iproute2's json_print.c): a section calls out_uint(key, tmpl, value)
 * and the like once per value, and the layer writes text or JSON.
 *
 * Where a value goes is in the function's name, so the compiler checks it:
 *  - out_X(key, tmpl, v): both; @key names it in JSON, @tmpl renders it in
 *    text (neither may be NULL);
 *  - out_json_X(key, v): JSON only (an identifier, a flag, a raw figure);
 *  - out_text_X(tmpl, v): text only (a label, a bar, a grid cell);
 *  - out_elem_X(v): an element of a JSON array, which has no key. A keyed
 *    value inside an array, or an element outside one, is an assertion
 *    failure, never a silently dropped key.
 * @tmpl is literal text with one "{}" where the value goes (not a printf
 * format, so nothing to mismatch). Unknown values (struct tw_val unset,
 * NULL strings) are null in JSON, "-" in a text grid cell, and omitted
 * from other text. A text grid (out_grid_open) turns each text value into
 * one cell and prints the rows aligned, with column titles, when closed.
 *
 * Output goes to a FILE (an in-memory stream in practice: nothing reaches
 * stdout before the whole document is rendered). Owns the formats' syntax;
 * must not know what the figures mean.
 */
#ifndef TW_OUT_H
#define TW_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

#define OUT_KEYS __attribute__((nonnull(1, 2)))
#define OUT_KEY __attribute__((nonnull(1)))

enum out_mode {
	OUT_TEXT,
	OUT_JSON,
};

enum out_align {
	OUT_LEFT,
	OUT_RIGHT,
};

struct out_col {
	const char *title;
	enum out_align align;
};

/* Start a document: JSON opens the top-level object. */
void out_start(enum out_mode mode, FILE *out);
/* End it: JSON closes the top-level object and adds the final newline. */
void out_finish(void);

/* JSON structure; text ignores it. */
void out_obj_open(const char *key) OUT_KEY;
void out_elem_obj_open(void); /* an object as an array element */
void out_obj_close(void);
void out_arr_open(const char *key) OUT_KEY;
void out_arr_close(void);

/* Text and JSON. */
void out_uint(const char *key, const char *tmpl, uint64_t v) OUT_KEYS;
/* Signed, shown with an explicit sign in text ("+3", "-2", "+0"). */
void out_delta(const char *key, const char *tmpl, int64_t v) OUT_KEYS;
void out_val(const char *key, const char *tmpl,
	     const struct tw_val *v) OUT_KEYS;
/* A number in tenths, printed with one decimal: 961 -> 96.1. */
void out_tenths(const char *key, const char *tmpl, uint64_t tenths) OUT_KEYS;
void out_str(const char *key, const char *tmpl, const char *s) OUT_KEYS;
/* JSON true/false; text prints @tmpl (no value) only when @v is true. */
void out_bool(const char *key, const char *tmpl, bool v) OUT_KEYS;
void out_null(const char *key, const char *tmpl) OUT_KEYS;

/* JSON only. */
void out_json_uint(const char *key, uint64_t v) OUT_KEY;
void out_json_val(const char *key, const struct tw_val *v) OUT_KEY;
void out_json_tenths(const char *key, uint64_t tenths) OUT_KEY;
void out_json_str(const char *key, const char *s) OUT_KEY;
void out_json_bool(const char *key, bool v) OUT_KEY;
void out_json_null(const char *key) OUT_KEY;

/* JSON array elements. */
void out_elem_uint(uint64_t v);

/* Text only. */
void out_text(const char *s) OUT_KEY;
void out_textf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_text_uint(const char *tmpl, uint64_t v) OUT_KEY;
void out_text_tenths(const char *tmpl, uint64_t tenths) OUT_KEY;
void out_text_str(const char *tmpl, const char *s) OUT_KEYS;
/* An unknown value: "-" in a grid cell, nothing elsewhere. */
void out_text_null(const char *tmpl) OUT_KEY;

/* Text grid: aligned columns; JSON: nothing. */
void out_grid_open(const struct out_col *cols, size_t ncols, bool titles);
void out_grid_row_end(void);
void out_grid_close(void);

#endif /* TW_OUT_H */
