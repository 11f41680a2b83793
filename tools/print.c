// SPDX-License-Identifier: GPL-2.0
/* Text/JSON print layer (see print.h). */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "print.h"

#define PR_DEPTH_MAX 16
#define PR_NUM_LEN 32

struct pr_grid {
	const struct pr_col *cols;
	size_t ncols;
	bool titles;
	char **cells; /* row-major, ncols per row */
	size_t ncells;
	size_t cap;
};

static struct {
	enum pr_mode mode;
	FILE *out;
	int depth;
	bool first[PR_DEPTH_MAX]; /* no member written yet at this depth */
	bool array[PR_DEPTH_MAX];
	struct pr_grid *grid;
} pr;

void pr_start(enum pr_mode mode, FILE *out)
{
	memset(&pr, 0, sizeof(pr));
	pr.mode = mode;
	pr.out = out;
	if (mode == PR_JSON) {
		fputc('{', out);
		pr.first[0] = true;
	}
}

void pr_finish(void)
{
	assert(!pr.depth && !pr.grid);
	if (pr.mode == PR_JSON)
		fputs("}\n", pr.out);
}

bool pr_is_json(void)
{
	return pr.mode == PR_JSON;
}

static void pr_json_str(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', pr.out);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(pr.out, "\\%c", *p);
		else if (*p < 0x20 || *p > 0x7e)
			fprintf(pr.out, "\\u%04x", *p);
		else
			fputc(*p, pr.out);
	}
	fputc('"', pr.out);
}

/* Comma and key before a JSON member; false if nothing is to be written. */
static bool pr_json_member(const char *key)
{
	if (pr.mode != PR_JSON || !key)
		return false;
	if (!pr.first[pr.depth])
		fputc(',', pr.out);
	pr.first[pr.depth] = false;
	if (!pr.array[pr.depth]) {
		pr_json_str(key);
		fputc(':', pr.out);
	}
	return true;
}

static void pr_open(const char *key, bool array)
{
	if (!pr_json_member(key))
		return;
	assert(pr.depth + 1 < PR_DEPTH_MAX);
	fputc(array ? '[' : '{', pr.out);
	pr.depth++;
	pr.first[pr.depth] = true;
	pr.array[pr.depth] = array;
}

static void pr_close(bool array)
{
	if (pr.mode != PR_JSON)
		return;
	assert(pr.depth > 0 && pr.array[pr.depth] == array);
	pr.depth--;
	fputc(array ? ']' : '}', pr.out);
}

void pr_obj_open(const char *key)
{
	pr_open(key ? key : "", false);
}

void pr_obj_close(void)
{
	pr_close(false);
}

void pr_arr_open(const char *key)
{
	pr_open(key ? key : "", true);
}

void pr_arr_close(void)
{
	pr_close(true);
}

static void pr_grid_cell(char *cell)
{
	struct pr_grid *g = pr.grid;

	assert(g->ncells % g->ncols < g->ncols);
	if (g->ncells == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->cells = tw_xreallocarray(g->cells, g->cap, sizeof(char *));
	}
	g->cells[g->ncells++] = cell;
}

/* @tmpl with "{}" replaced by @val, as a new string. */
static char *pr_expand(const char *tmpl, const char *val)
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
static void pr_text_value(const char *tmpl, const char *val, bool known)
{
	char *s;

	if (pr.mode != PR_TEXT || !tmpl)
		return;
	if (!known && !pr.grid)
		return;
	s = pr_expand(known ? tmpl : "{}", known ? val : "-");
	if (pr.grid) {
		pr_grid_cell(s);
		return;
	}
	fputs(s, pr.out);
	free(s);
}

/* JSON side: @raw is written as is (a number, true, false, null). */
static void pr_json_raw(const char *key, const char *raw)
{
	if (pr_json_member(key))
		fputs(raw, pr.out);
}

void pr_uint(const char *key, const char *tmpl, uint64_t v)
{
	char num[PR_NUM_LEN];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	pr_json_raw(key, num);
	pr_text_value(tmpl, num, true);
}

void pr_delta(const char *key, const char *tmpl, int64_t v)
{
	char num[PR_NUM_LEN];

	snprintf(num, sizeof(num), "%+" PRId64, v);
	pr_json_raw(key, num + (v >= 0)); /* JSON: no '+' */
	pr_text_value(tmpl, num, true);
}

void pr_val(const char *key, const char *tmpl, const struct tw_val *v)
{
	if (v->set)
		pr_uint(key, tmpl, v->v);
	else
		pr_null(key, tmpl);
}

void pr_tenths(const char *key, const char *tmpl, uint64_t tenths)
{
	char num[PR_NUM_LEN];

	snprintf(num, sizeof(num), "%" PRIu64 ".%u", tenths / 10,
		 (unsigned int)(tenths % 10));
	pr_json_raw(key, num);
	pr_text_value(tmpl, num, true);
}

void pr_str(const char *key, const char *tmpl, const char *s)
{
	if (!s) {
		pr_null(key, tmpl);
		return;
	}
	if (pr_json_member(key))
		pr_json_str(s);
	pr_text_value(tmpl, s, true);
}

void pr_bool(const char *key, const char *tmpl, bool v)
{
	pr_json_raw(key, v ? "true" : "false");
	if (pr.mode == PR_TEXT && tmpl && (v || pr.grid))
		pr_text_value(v ? tmpl : "", "", true);
}

void pr_null(const char *key, const char *tmpl)
{
	pr_json_raw(key, "null");
	pr_text_value(tmpl, NULL, false);
}

void pr_text(const char *s)
{
	assert(!pr.grid);
	if (pr.mode == PR_TEXT)
		fputs(s, pr.out);
}

void pr_textf(const char *fmt, ...)
{
	va_list ap;

	assert(!pr.grid);
	if (pr.mode != PR_TEXT)
		return;
	va_start(ap, fmt);
	vfprintf(pr.out, fmt, ap);
	va_end(ap);
}

void pr_grid_open(const struct pr_col *cols, size_t ncols, bool titles)
{
	assert(!pr.grid && ncols);
	if (pr.mode != PR_TEXT)
		return;
	pr.grid = tw_xcalloc(1, sizeof(*pr.grid));
	pr.grid->cols = cols;
	pr.grid->ncols = ncols;
	pr.grid->titles = titles;
}

void pr_grid_row_end(void)
{
	if (!pr.grid)
		return;
	while (pr.grid->ncells % pr.grid->ncols)
		pr_grid_cell(tw_xstrdup(""));
}

/* One line of the grid: cells separated by two spaces, no trailing blank. */
static void pr_grid_line(const struct pr_grid *g, const char *const *cells,
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
		if (g->cols[c].align == PR_RIGHT) {
			memset(p, ' ', width[c] - len);
			p += width[c] - len;
		}
		memcpy(p, cells[c], len);
		p += len;
		if (g->cols[c].align == PR_LEFT) {
			memset(p, ' ', width[c] - len);
			p += width[c] - len;
		}
	}
	while (p > line && p[-1] == ' ')
		p--;
	*p = '\0';
	fprintf(pr.out, "%s\n", line);
}

/* Column widths: the widest cell, or title. Returns the line length. */
static size_t pr_grid_widths(const struct pr_grid *g, size_t *width)
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

static void pr_grid_free(struct pr_grid *g)
{
	size_t i;

	for (i = 0; i < g->ncells; i++)
		free(g->cells[i]);
	free(g->cells);
	free(g);
}

void pr_grid_close(void)
{
	struct pr_grid *g = pr.grid;
	const char **titles;
	size_t *width, c, i;
	char *line;

	if (!g)
		return;
	pr_grid_row_end();
	width = tw_xcalloc(g->ncols, sizeof(*width));
	titles = tw_xcalloc(g->ncols, sizeof(*titles));
	line = tw_xmalloc(pr_grid_widths(g, width) + 1);
	for (c = 0; c < g->ncols; c++)
		titles[c] = g->cols[c].title;
	if (g->titles)
		pr_grid_line(g, titles, width, line);
	for (i = 0; i < g->ncells; i += g->ncols)
		pr_grid_line(g, (const char *const *)&g->cells[i], width, line);
	free(line);
	free(titles);
	free(width);
	pr_grid_free(g);
	pr.grid = NULL;
}
