// SPDX-License-Identifier: GPL-2.0
/*
 * The text/JSON output layer (see out.h).
 *
 * Owns: JSON syntax, text templates and grids. Must not: know what a value
 * means, or write anywhere but the FILE it was started on.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "out.h"

#define OUT_DEPTH_MAX 16
#define OUT_NUM_LEN 32

struct out_grid {
	const struct out_col *cols;
	size_t ncols;
	bool titles;
	char **cells; /* row-major, ncols per row */
	size_t ncells;
	size_t cap;
};

static struct {
	enum out_mode mode;
	FILE *out;
	int depth;
	bool first[OUT_DEPTH_MAX]; /* no member written yet at this depth */
	bool array[OUT_DEPTH_MAX];
	struct out_grid *grid;
} outs;

void out_start(enum out_mode mode, FILE *out)
{
	memset(&outs, 0, sizeof(outs));
	outs.mode = mode;
	outs.out = out;
	if (mode == OUT_JSON) {
		fputc('{', out);
		outs.first[0] = true;
	}
}

void out_finish(void)
{
	assert(!outs.depth && !outs.grid);
	if (outs.mode == OUT_JSON)
		fputs("}\n", outs.out);
}

static void out_json_escaped(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', outs.out);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(outs.out, "\\%c", *p);
		else if (*p < 0x20 || *p > 0x7e)
			fprintf(outs.out, "\\u%04x", *p);
		else
			fputc(*p, outs.out);
	}
	fputc('"', outs.out);
}

/*
 * Comma and key before a JSON member (@key NULL: an array element); false
 * in text. Objects have keyed members, arrays elements: nothing dropped.
 */
static bool out_json_member(const char *key)
{
	if (outs.mode != OUT_JSON)
		return false;
	assert(!key == outs.array[outs.depth]);
	if (!outs.first[outs.depth])
		fputc(',', outs.out);
	outs.first[outs.depth] = false;
	if (key) {
		out_json_escaped(key);
		fputc(':', outs.out);
	}
	return true;
}

static void out_open(const char *key, bool array)
{
	if (!out_json_member(key))
		return;
	assert(outs.depth + 1 < OUT_DEPTH_MAX);
	fputc(array ? '[' : '{', outs.out);
	outs.depth++;
	outs.first[outs.depth] = true;
	outs.array[outs.depth] = array;
}

static void out_close(bool array)
{
	if (outs.mode != OUT_JSON)
		return;
	assert(outs.depth > 0 && outs.array[outs.depth] == array);
	outs.depth--;
	fputc(array ? ']' : '}', outs.out);
}

void out_obj_open(const char *key)
{
	out_open(key, false);
}

void out_elem_obj_open(void)
{
	out_open(NULL, false);
}

void out_obj_close(void)
{
	out_close(false);
}

void out_arr_open(const char *key)
{
	out_open(key, true);
}

void out_arr_close(void)
{
	out_close(true);
}

static void out_grid_cell(char *cell)
{
	struct out_grid *g = outs.grid;

	assert(g->ncells % g->ncols < g->ncols);
	if (g->ncells == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->cells = tw_xreallocarray(g->cells, g->cap, sizeof(char *));
	}
	g->cells[g->ncells++] = cell;
}

/* @tmpl with "{}" replaced by @val, as a new string. */
static char *out_expand(const char *tmpl, const char *val)
{
	const char *hole = strstr(tmpl, "{}");
	size_t pre = hole ? (size_t)(hole - tmpl) : strlen(tmpl);
	const char *post = hole ? hole + 2 : "";
	size_t vlen = hole ? strlen(val) : 0;
	char *s = tw_xmalloc(pre + vlen + strlen(post) + 1);

	memcpy(s, tmpl, pre);
	memcpy(s + pre, val, vlen);
	strcpy(s + pre + vlen, post);
	return s;
}

/* Text side of a value: a grid cell, or straight to the output. */
static void out_text_value(const char *tmpl, const char *val, bool known)
{
	char *s;

	if (outs.mode != OUT_TEXT || (!known && !outs.grid))
		return;
	s = out_expand(known ? tmpl : "{}", known ? val : "-");
	if (outs.grid) {
		out_grid_cell(s);
		return;
	}
	fputs(s, outs.out);
	free(s);
}

/* JSON side: @raw is written as is (a number, true, false, null). */
static void out_json_raw(const char *key, const char *raw)
{
	if (out_json_member(key))
		fputs(raw, outs.out);
}

static void out_json_string(const char *key, const char *s)
{
	if (!s)
		out_json_raw(key, "null");
	else if (out_json_member(key))
		out_json_escaped(s);
}

static const char *out_fmt_uint(char *num, uint64_t v)
{
	snprintf(num, OUT_NUM_LEN, "%" PRIu64, v);
	return num;
}

static const char *out_fmt_tenths(char *num, uint64_t tenths)
{
	snprintf(num, OUT_NUM_LEN, "%" PRIu64 ".%u", tenths / 10,
		 (unsigned int)(tenths % 10));
	return num;
}

void out_uint(const char *key, const char *tmpl, uint64_t v)
{
	out_json_uint(key, v);
	out_text_uint(tmpl, v);
}

void out_delta(const char *key, const char *tmpl, int64_t v)
{
	char num[OUT_NUM_LEN];

	snprintf(num, sizeof(num), "%+" PRId64, v);
	out_json_raw(key, num + (v >= 0)); /* JSON: no '+' */
	out_text_value(tmpl, num, true);
}

void out_val(const char *key, const char *tmpl, const struct tw_val *v)
{
	if (v->set)
		out_uint(key, tmpl, v->v);
	else
		out_null(key, tmpl);
}

void out_tenths(const char *key, const char *tmpl, uint64_t tenths)
{
	out_json_tenths(key, tenths);
	out_text_tenths(tmpl, tenths);
}

void out_str(const char *key, const char *tmpl, const char *s)
{
	out_json_string(key, s);
	out_text_value(tmpl, s, s != NULL);
}

void out_bool(const char *key, const char *tmpl, bool v)
{
	out_json_bool(key, v);
	if (v || outs.grid)
		out_text_value(v ? tmpl : "", "", true);
}

void out_null(const char *key, const char *tmpl)
{
	out_json_null(key);
	out_text_null(tmpl);
}

void out_json_uint(const char *key, uint64_t v)
{
	char num[OUT_NUM_LEN];

	out_json_raw(key, out_fmt_uint(num, v));
}

void out_json_val(const char *key, const struct tw_val *v)
{
	if (v->set)
		out_json_uint(key, v->v);
	else
		out_json_null(key);
}

void out_json_tenths(const char *key, uint64_t tenths)
{
	char num[OUT_NUM_LEN];

	out_json_raw(key, out_fmt_tenths(num, tenths));
}

void out_json_str(const char *key, const char *s)
{
	out_json_string(key, s);
}

void out_json_bool(const char *key, bool v)
{
	out_json_raw(key, v ? "true" : "false");
}

void out_json_null(const char *key)
{
	out_json_raw(key, "null");
}

void out_elem_uint(uint64_t v)
{
	char num[OUT_NUM_LEN];

	out_json_raw(NULL, out_fmt_uint(num, v));
}

void out_text_uint(const char *tmpl, uint64_t v)
{
	char num[OUT_NUM_LEN];

	out_text_value(tmpl, out_fmt_uint(num, v), true);
}

void out_text_tenths(const char *tmpl, uint64_t tenths)
{
	char num[OUT_NUM_LEN];

	out_text_value(tmpl, out_fmt_tenths(num, tenths), true);
}

void out_text_str(const char *tmpl, const char *s)
{
	out_text_value(tmpl, s, true);
}

void out_text_null(const char *tmpl)
{
	out_text_value(tmpl, NULL, false);
}

void out_text(const char *s)
{
	assert(!outs.grid);
	if (outs.mode == OUT_TEXT)
		fputs(s, outs.out);
}

void out_textf(const char *fmt, ...)
{
	va_list ap;

	assert(!outs.grid);
	if (outs.mode != OUT_TEXT)
		return;
	va_start(ap, fmt);
	vfprintf(outs.out, fmt, ap);
	va_end(ap);
}

void out_grid_open(const struct out_col *cols, size_t ncols, bool titles)
{
	assert(!outs.grid && ncols);
	if (outs.mode != OUT_TEXT)
		return;
	outs.grid = tw_xcalloc(1, sizeof(*outs.grid));
	outs.grid->cols = cols;
	outs.grid->ncols = ncols;
	outs.grid->titles = titles;
}

void out_grid_row_end(void)
{
	if (!outs.grid)
		return;
	while (outs.grid->ncells % outs.grid->ncols)
		out_grid_cell(tw_xstrdup(""));
}

/* One line of the grid: cells separated by two spaces, no trailing blank. */
static void out_grid_line(const struct out_grid *g, const char *const *cells,
			  const size_t *width, char *line)
{
	char *p = line;
	size_t c, len;

	for (c = 0; c < g->ncols; c++) {
		len = strlen(cells[c]);
		if (c) {
			memset(p, ' ', 2);
			p += 2;
		}
		if (g->cols[c].align == OUT_RIGHT) {
			memset(p, ' ', width[c] - len);
			p += width[c] - len;
		}
		memcpy(p, cells[c], len);
		p += len;
		if (g->cols[c].align == OUT_LEFT) {
			memset(p, ' ', width[c] - len);
			p += width[c] - len;
		}
	}
	while (p > line && p[-1] == ' ')
		p--;
	*p = '\0';
	fprintf(outs.out, "%s\n", line);
}

/* Column widths: the widest cell, or title. Returns the line length. */
static size_t out_grid_widths(const struct out_grid *g, size_t *width)
{
	size_t c, i, len, total = 0;

	for (c = 0; c < g->ncols; c++)
		width[c] = g->titles ? strlen(g->cols[c].title) : 0;
	for (i = 0; i < g->ncells; i++) {
		len = strlen(g->cells[i]);
		if (len > width[i % g->ncols])
			width[i % g->ncols] = len;
	}
	for (c = 0; c < g->ncols; c++)
		total += width[c] + 2;
	return total;
}

static void out_grid_free(struct out_grid *g)
{
	size_t i;

	for (i = 0; i < g->ncells; i++)
		free(g->cells[i]);
	free(g->cells);
	free(g);
}

void out_grid_close(void)
{
	struct out_grid *g = outs.grid;
	const char **titles;
	size_t *width, c, i;
	char *line;

	if (!g)
		return;
	out_grid_row_end();
	width = tw_xcalloc(g->ncols, sizeof(*width));
	titles = tw_xcalloc(g->ncols, sizeof(*titles));
	line = tw_xmalloc(out_grid_widths(g, width) + 1);
	for (c = 0; c < g->ncols; c++)
		titles[c] = g->cols[c].title;
	if (g->titles)
		out_grid_line(g, titles, width, line);
	for (i = 0; i < g->ncells; i += g->ncols)
		out_grid_line(g, (const char *const *)&g->cells[i], width,
			      line);
	free(line);
	free(titles);
	free(width);
	out_grid_free(g);
	outs.grid = NULL;
}
