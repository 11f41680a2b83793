// SPDX-License-Identifier: GPL-2.0
/*
 * promcheck: validate Prometheus text exposition format (0.0.4) on stdin,
 * strictly enough to catch what would make node_exporter's textfile
 * collector reject or misread a file:
 *
 *  - metric names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names
 *    [a-zA-Z_][a-zA-Z0-9_]* (not "__"-prefixed), label values are quoted
 *    with only \\, \" and \n escapes, no label twice in one sample;
 *  - "# HELP" and "# TYPE" at most once per family, both before its first
 *    sample (-r: both required), TYPE one of the five types;
 *  - a family's samples are contiguous; every sample belongs to a typed
 *    family (histogram/summary: NAME_bucket, NAME_sum, NAME_count);
 *  - values are floats (or NaN, +Inf, -Inf), optional integer timestamp;
 *  - no series (name and label set) twice;
 *  - histograms: per label set, le ascending, counts non-decreasing, a
 *    le="+Inf" bucket equal to NAME_count, and a NAME_sum;
 *  - -p PREFIX: every metric name starts with PREFIX.
 *
 * Exit 0 if valid, 1 with "promcheck: line N: reason" otherwise.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PC_LINE_MAX 65536
#define PC_NAME_MAX 256
#define PC_LABELS_MAX 32

struct pc_family {
	char name[PC_NAME_MAX];
	char type[16];
	bool help, typed, sampled, done;
};

struct pc_hist {
	char key[PC_LINE_MAX / 8]; /* family{labels without le} */
	double last_le, last_count, inf_count, count;
	bool inf, sum, have_count;
};

struct pc_label {
	char name[PC_NAME_MAX];
	char value[PC_LINE_MAX / 16];
};

struct pc_sample {
	char name[PC_NAME_MAX];
	struct pc_label labels[PC_LABELS_MAX];
	int nlabels;
	double value;
};

static struct {
	unsigned long lineno;
	const char *prefix;
	bool require_help;
	struct pc_family *fams;
	size_t nfams;
	long cur; /* index of the previous sample's family, -1: none */
	char **series;
	size_t nseries;
	struct pc_hist *hists;
	size_t nhists;
} pc;

static void pc_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void pc_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "promcheck: line %lu: ", pc.lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *pc_grow(void *p, size_t n, size_t size)
{
	p = realloc(p, (n + 1) * size);
	if (!p) {
		fputs("promcheck: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static bool pc_name_ok(const char *s, bool metric)
{
	size_t i;

	if (!*s || (!metric && s[0] == '_' && s[1] == '_'))
		return false;
	for (i = 0; s[i]; i++) {
		bool alpha = (s[i] >= 'a' && s[i] <= 'z') ||
			     (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' ||
			     (metric && s[i] == ':');
		bool digit = s[i] >= '0' && s[i] <= '9';

		if (!alpha && !(digit && i))
			return false;
	}
	return true;
}

static struct pc_family *pc_family_find(const char *name)
{
	size_t i;

	for (i = 0; i < pc.nfams; i++)
		if (!strcmp(pc.fams[i].name, name))
			return &pc.fams[i];
	return NULL;
}

static struct pc_family *pc_family_get(const char *name)
{
	struct pc_family *f = pc_family_find(name);

	if (f)
		return f;
	if (strlen(name) >= PC_NAME_MAX)
		pc_fail("metric name too long: %.64s", name);
	pc.fams = pc_grow(pc.fams, pc.nfams, sizeof(*pc.fams));
	f = &pc.fams[pc.nfams++];
	memset(f, 0, sizeof(*f));
	strcpy(f->name, name);
	return f;
}

/* HELP text: any UTF-8, but a backslash only in \\ or \n. */
static void pc_help_text(const char *s)
{
	for (; *s; s++)
		if (*s == '\\' && s[1] != '\\' && s[1] != 'n')
			pc_fail("bad escape in HELP text: %s", s);
		else if (*s == '\\')
			s++;
}

static void pc_comment(char *line)
{
	char *kw = line + 2, *name, *rest, *save = NULL;
	struct pc_family *f;
	bool help;

	if (strncmp(line, "# HELP ", 7) && strncmp(line, "# TYPE ", 7))
		return; /* a plain comment */
	help = kw[0] == 'H';
	strtok_r(kw, " ", &save);
	name = strtok_r(NULL, " ", &save);
	rest = save ? save : (char *)"";
	if (!name || !pc_name_ok(name, true))
		pc_fail("bad metric name in HELP/TYPE: %s", name ? name : "");
	f = pc_family_get(name);
	if (f->sampled)
		pc_fail("HELP/TYPE after samples of %s", name);
	if (help ? f->help : f->typed)
		pc_fail("second HELP or TYPE for %s", name);
	if (help) {
		pc_help_text(rest);
		f->help = true;
		return;
	}
	if (strcmp(rest, "counter") && strcmp(rest, "gauge") &&
	    strcmp(rest, "histogram") && strcmp(rest, "summary") &&
	    strcmp(rest, "untyped"))
		pc_fail("unknown TYPE '%s'", rest);
	snprintf(f->type, sizeof(f->type), "%s", rest);
	f->typed = true;
}

/* A quoted label value starting at *p (after the quote). */
static void pc_label_value(char **p, char *out, size_t len)
{
	size_t n = 0;
	char *s = *p;

	for (; *s != '"'; s++) {
		if (!*s)
			pc_fail("unterminated label value");
		if (*s == '\\') {
			s++;
			if (*s != '\\' && *s != '"' && *s != 'n')
				pc_fail("bad escape in label value: \\%.1s", s);
		}
		if (n + 1 >= len)
			pc_fail("label value too long");
		out[n++] = *s;
	}
	out[n] = '\0';
	*p = s + 1;
}

static void pc_labels(char **p, struct pc_sample *smp)
{
	char *s = *p;
	struct pc_label *l;
	size_t n;
	int i;

	while (*s != '}') {
		if (smp->nlabels == PC_LABELS_MAX)
			pc_fail("too many labels");
		l = &smp->labels[smp->nlabels];
		n = strcspn(s, "=");
		if (!s[n] || n >= sizeof(l->name))
			pc_fail("bad label: %s", s);
		memcpy(l->name, s, n);
		l->name[n] = '\0';
		if (!pc_name_ok(l->name, false) || s[n + 1] != '"')
			pc_fail("bad label name or missing quote: %s", s);
		s += n + 2;
		pc_label_value(&s, l->value, sizeof(l->value));
		for (i = 0; i < smp->nlabels; i++)
			if (!strcmp(smp->labels[i].name, l->name))
				pc_fail("label %s twice", l->name);
		smp->nlabels++;
		if (*s == ',')
			s++;
		else if (*s != '}')
			pc_fail("expected ',' or '}' after a label: %s", s);
	}
	*p = s + 1;
}

static double pc_float(const char *s, const char *what)
{
	char *end;
	double v;

	if (!strcmp(s, "+Inf") || !strcmp(s, "Inf"))
		return INFINITY;
	if (!strcmp(s, "-Inf"))
		return -INFINITY;
	if (!strcmp(s, "NaN"))
		return NAN;
	v = strtod(s, &end);
	if (!*s || *end || isinf(v) || isnan(v))
		pc_fail("bad %s: %s", what, s);
	return v;
}

/* NAME{labels} VALUE [TIMESTAMP] */
static void pc_parse_sample(char *line, struct pc_sample *smp)
{
	size_t n = strcspn(line, "{ \t");
	char *s = line + n, *val, *ts, *save = NULL;

	memset(smp, 0, sizeof(*smp));
	if (n >= sizeof(smp->name))
		pc_fail("metric name too long: %.64s", line);
	memcpy(smp->name, line, n);
	if (!pc_name_ok(smp->name, true))
		pc_fail("bad metric name: %s", smp->name);
	if (*s == '{') {
		s++;
		pc_labels(&s, smp);
	}
	if (*s != ' ' && *s != '\t')
		pc_fail("expected a blank before the value: %s", s);
	val = strtok_r(s, " \t", &save);
	ts = strtok_r(NULL, " \t", &save);
	if (!val || strtok_r(NULL, " \t", &save))
		pc_fail("expected VALUE [TIMESTAMP]: %s", s);
	smp->value = pc_float(val, "sample value");
	if (ts && strspn(ts + (*ts == '-'), "0123456789") !=
			  strlen(ts + (*ts == '-')))
		pc_fail("bad timestamp: %s", ts);
}

static bool pc_has_suffix(const char *name, const char *suffix, char *base)
{
	size_t n = strlen(name), k = strlen(suffix);

	if (n <= k || strcmp(name + n - k, suffix))
		return false;
	memcpy(base, name, n - k);
	base[n - k] = '\0';
	return true;
}

/* The family a sample belongs to, and its suffix ("" for plain ones). */
static struct pc_family *pc_family_of(const char *name, const char **suffix)
{
	static const char *const sfx[] = { "_bucket", "_sum", "_count" };
	char base[PC_NAME_MAX];
	struct pc_family *f;
	size_t i;

	*suffix = "";
	f = pc_family_find(name);
	if (f && f->typed && strcmp(f->type, "histogram") &&
	    strcmp(f->type, "summary"))
		return f;
	for (i = 0; i < 3; i++) {
		if (!pc_has_suffix(name, sfx[i], base))
			continue;
		f = pc_family_find(base);
		if (f && (!strcmp(f->type, "histogram") ||
			  (!strcmp(f->type, "summary") && i)))
			return *suffix = sfx[i], f;
	}
	if (f && !strcmp(f->type, "summary"))
		return f;
	pc_fail("sample %s has no TYPE line before it", name);
	return NULL;
}

static int pc_label_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pc_label *)a)->name,
		      ((const struct pc_label *)b)->name);
}

/* name{a="x",b="y"} with labels sorted, @skip (e.g. "le") left out. */
static char *pc_key(const char *name, struct pc_sample *smp, const char *skip)
{
	size_t len = strlen(name) + 3, i;
	char *key;

	qsort(smp->labels, (size_t)smp->nlabels, sizeof(smp->labels[0]),
	      pc_label_cmp);
	for (i = 0; i < (size_t)smp->nlabels; i++)
		len += strlen(smp->labels[i].name) +
		       2 * strlen(smp->labels[i].value) + 4;
	key = pc_grow(NULL, len, 1);
	strcpy(key, name);
	strcat(key, "{");
	for (i = 0; i < (size_t)smp->nlabels; i++) {
		if (skip && !strcmp(smp->labels[i].name, skip))
			continue;
		strcat(key, smp->labels[i].name);
		strcat(key, "=\"");
		strcat(key, smp->labels[i].value);
		strcat(key, "\",");
	}
	strcat(key, "}");
	return key;
}

static const char *pc_label_get(const struct pc_sample *smp, const char *name)
{
	int i;

	for (i = 0; i < smp->nlabels; i++)
		if (!strcmp(smp->labels[i].name, name))
			return smp->labels[i].value;
	return NULL;
}

static struct pc_hist *pc_hist_get(const char *key)
{
	size_t i;

	for (i = 0; i < pc.nhists; i++)
		if (!strcmp(pc.hists[i].key, key))
			return &pc.hists[i];
	if (strlen(key) >= sizeof(pc.hists[0].key))
		pc_fail("label set too long: %.64s", key);
	pc.hists = pc_grow(pc.hists, pc.nhists, sizeof(*pc.hists));
	memset(&pc.hists[pc.nhists], 0, sizeof(*pc.hists));
	strcpy(pc.hists[pc.nhists].key, key);
	pc.hists[pc.nhists].last_le = -INFINITY;
	return &pc.hists[pc.nhists++];
}

static void pc_bucket(struct pc_hist *h, const struct pc_sample *smp)
{
	const char *le = pc_label_get(smp, "le");
	double v;

	if (!le)
		pc_fail("bucket without le label");
	if (h->inf)
		pc_fail("bucket after le=\"+Inf\": le=%s", le);
	v = pc_float(le, "le value");
	if (v <= h->last_le)
		pc_fail("le not ascending: %s", le);
	if (smp->value < h->last_count)
		pc_fail("bucket counts not cumulative at le=%s", le);
	h->last_le = v;
	h->last_count = smp->value;
	if (isinf(v)) {
		h->inf = true;
		h->inf_count = smp->value;
	}
}

static void pc_series(struct pc_sample *smp)
{
	char *key = pc_key(smp->name, smp, NULL);
	size_t i;

	for (i = 0; i < pc.nseries; i++)
		if (!strcmp(pc.series[i], key))
			pc_fail("duplicate series %s", key);
	pc.series = pc_grow(pc.series, pc.nseries, sizeof(char *));
	pc.series[pc.nseries++] = key;
}

static void pc_histogram(struct pc_family *f, const char *suffix,
			 struct pc_sample *smp)
{
	char *key = pc_key(f->name, smp, "le");
	struct pc_hist *h = pc_hist_get(key);

	free(key);
	if (!strcmp(suffix, "_bucket")) {
		pc_bucket(h, smp);
	} else if (!strcmp(suffix, "_sum")) {
		h->sum = true;
	} else if (!strcmp(suffix, "_count")) {
		h->have_count = true;
		h->count = smp->value;
	} else {
		pc_fail("histogram sample without a suffix: %s", smp->name);
	}
}

static void pc_sample_line(char *line)
{
	struct pc_sample smp;
	struct pc_family *f;
	const char *suffix;
	long idx;

	pc_parse_sample(line, &smp);
	if (pc.prefix && strncmp(smp.name, pc.prefix, strlen(pc.prefix)))
		pc_fail("metric name without the required prefix: %s",
			smp.name);
	f = pc_family_of(smp.name, &suffix);
	if (pc.require_help && !f->help)
		pc_fail("no HELP before the samples of %s", f->name);
	idx = f - pc.fams;
	if (f->sampled && idx != pc.cur)
		pc_fail("samples of %s are not contiguous", f->name);
	f->sampled = true;
	pc.cur = idx;
	if (!strcmp(f->type, "counter") && !(smp.value >= 0))
		pc_fail("negative or NaN counter %s", smp.name);
	pc_series(&smp);
	if (!strcmp(f->type, "histogram"))
		pc_histogram(f, suffix, &smp);
}

static void pc_histograms_done(void)
{
	size_t i;

	for (i = 0; i < pc.nhists; i++) {
		const struct pc_hist *h = &pc.hists[i];

		if (!h->inf)
			pc_fail("histogram %s has no le=\"+Inf\" bucket",
				h->key);
		if (!h->have_count || !h->sum)
			pc_fail("histogram %s lacks _count or _sum", h->key);
		if (h->count != h->inf_count)
			pc_fail("histogram %s: _count differs from the +Inf bucket",
				h->key);
	}
}

static void pc_line(char *line)
{
	if (!*line)
		return;
	if (line[0] == '#')
		pc_comment(line);
	else
		pc_sample_line(line);
}

static void pc_options(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "p:r")) != -1) {
		if (c == 'p') {
			pc.prefix = optarg;
		} else if (c == 'r') {
			pc.require_help = true;
		} else {
			fputs("usage: promcheck [-r] [-p PREFIX] < FILE\n",
			      stderr);
			exit(2);
		}
	}
}

int main(int argc, char **argv)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	pc.cur = -1;
	pc_options(argc, argv);
	while ((n = getline(&line, &cap, stdin)) > 0) {
		pc.lineno++;
		if (line[n - 1] != '\n')
			pc_fail("last line has no newline");
		if (n > PC_LINE_MAX)
			pc_fail("line too long");
		line[n - 1] = '\0';
		pc_line(line);
	}
	pc_histograms_done();
	free(line);
	printf("promcheck: ok, %zu series in %zu families\n", pc.nseries,
	       pc.nfams);
	return 0;
}
