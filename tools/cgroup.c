// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroup labels (see cgroup.h).
 *
 * Owns: finding the cgroup2 mount, the one walk of its tree, and the unit
 * of a path. Must not: parse the container id or pod UID itself (netns.c
 * does, for both views), read the tables or print. A directory that cannot
 * be read is skipped: its cgroups show as "(gone)".
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "netns.h"

#define TW_CG_ROOT_ID 1 /* the root cgroup: the mount itself */
#define TW_CG_DEPTH_MAX 64
#define TW_CG_GONE "(gone)"

/* mountinfo escapes ' ', '\t', '\n' and '\\' as \ooo. */
static void tw_mount_unescape(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	for (; *s && n + 1 < len; n++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			buf[n] = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
					(s[3] - '0'));
			s += 4;
		} else {
			buf[n] = *s++;
		}
	}
	buf[n] = '\0';
}

/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE ..." */
static bool tw_mount_line(char *line, char *buf, size_t len)
{
	char *f[8], *save = NULL, *tok, *sep = strstr(line, " - ");
	int n = 0;

	if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
		return false;
	for (tok = strtok_r(line, " ", &save); tok && n < 5;
	     tok = strtok_r(NULL, " ", &save))
		f[n++] = tok;
	if (n < 5)
		return false;
	tw_mount_unescape(f[4], buf, len);
	return true;
}

bool tw_cgroup2_mount(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	bool found = false;

	while (f && !found && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		found = tw_mount_line(line, buf, len);
	}
	free(line);
	if (f)
		fclose(f);
	return found;
}

struct tw_cg_walk {
	struct tw_snap *snap;
	size_t left; /* ids not found yet */
	char rel[PATH_MAX]; /* the directory's path below the mount */
};

static void tw_cg_match(struct tw_cg_walk *w, uint64_t ino)
{
	struct tw_cglabel *l =
		(struct tw_cglabel *)tw_cglabel_find(w->snap, ino);

	if (l && !l->path && ino != TW_CG_ROOT_ID) {
		l->path = tw_xstrdup(w->rel);
		w->left--;
	}
}

static bool tw_cg_skip(const struct dirent *de)
{
	const char *n = de->d_name;

	if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
		return true;
	return n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2]));
}

/* The subdirectories of @fd (closed here), depth first. */
static void tw_cg_dir(struct tw_cg_walk *w, int fd, int depth)
{
	size_t len = strlen(w->rel);
	DIR *d = fdopendir(fd);
	struct dirent *de;
	struct stat st;
	int sub;

	if (!d) {
		close(fd);
		return;
	}
	while (w->left && (de = readdir(d))) {
		if (tw_cg_skip(de) ||
		    len + 1 + strlen(de->d_name) >= sizeof(w->rel))
			continue;
		sub = openat(dirfd(d), de->d_name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;
		snprintf(w->rel + len, sizeof(w->rel) - len, "/%s", de->d_name);
		if (!fstat(sub, &st))
			tw_cg_match(w, (uint64_t)st.st_ino);
		if (depth < TW_CG_DEPTH_MAX)
			tw_cg_dir(w, sub, depth + 1);
		else
			close(sub);
		w->rel[len] = '\0';
	}
	closedir(d);
}

/* The last component ending in .service or .scope, or NULL. */
static char *tw_cg_unit(const char *path)
{
	const char *c = path, *end, *unit = NULL;
	size_t n, unit_len = 0;

	for (; *c; c = *end ? end + 1 : end) {
		end = strchrnul(c, '/');
		n = (size_t)(end - c);
		if ((n > 8 && !memcmp(end - 8, ".service", 8)) ||
		    (n > 6 && !memcmp(end - 6, ".scope", 6))) {
			unit = c;
			unit_len = n;
		}
	}
	return unit ? strndup(unit, unit_len) : NULL;
}

/* Unit, container id, pod UID of a found path; "(gone)" if none. */
static void tw_cg_finish(struct tw_cglabel *l)
{
	char *text;

	if (l->id == TW_CG_ROOT_ID)
		l->path = tw_xstrdup("/");
	if (!l->path) {
		l->path = tw_xstrdup(TW_CG_GONE);
		l->gone = true;
		return;
	}
	l->unit = tw_cg_unit(l->path);
	/* a /proc/PID/cgroup line of cgroup v2, for the netns view's rules */
	if (asprintf(&text, "0::%s\n", l->path) < 0) {
		fputs("twstat: out of memory\n", stderr);
		exit(1);
	}
	tw_cgroup_ids(text, l->container_id, l->pod_uid);
	free(text);
}

static void tw_cg_add(struct tw_snap *s, size_t *cap,
		      const struct tw_owner_id *o)
{
	if (!o->known)
		return;
	if (s->ncglabels == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		s->cglabels = tw_xreallocarray(s->cglabels, *cap,
					       sizeof(*s->cglabels));
	}
	memset(&s->cglabels[s->ncglabels], 0, sizeof(*s->cglabels));
	s->cglabels[s->ncglabels++].id = o->id;
}

static int tw_cg_cmp(const void *a, const void *b)
{
	const struct tw_cglabel *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Every id of owners, failures and remotes, sorted, once each. */
static void tw_cg_collect(struct tw_snap *s)
{
	size_t i, n = 0, cap = 0;

	for (i = 0; i < s->nowners; i++)
		tw_cg_add(s, &cap, &s->owners[i].cgroup);
	for (i = 0; i < s->nfailures; i++)
		tw_cg_add(s, &cap, &s->failures[i].cgroup);
	for (i = 0; i < s->nremotes; i++)
		tw_cg_add(s, &cap, &s->remotes[i].owner);
	if (!s->ncglabels)
		return;
	qsort(s->cglabels, s->ncglabels, sizeof(*s->cglabels), tw_cg_cmp);
	for (i = 1; i < s->ncglabels; i++)
		if (s->cglabels[i].id != s->cglabels[n].id)
			s->cglabels[++n] = s->cglabels[i];
	s->ncglabels = n + 1;
}

int tw_cglabels_load(const char *root, struct tw_snap *snap, struct tw_err *err)
{
	struct tw_cg_walk *w;
	char mnt[PATH_MAX], dir[PATH_MAX];
	bool real = !strcmp(root, "/proc");
	size_t i;
	int fd;

	tw_cg_collect(snap);
	snprintf(dir, sizeof(dir), "%s/self/mountinfo", root);
	if (!snap->ncglabels || !tw_cgroup2_mount(dir, mnt, sizeof(mnt)))
		return 0; /* no cgroup2: every path unknown */
	if (snprintf(dir, sizeof(dir), "%s%s", real ? "" : root, mnt) >=
	    (int)sizeof(dir))
		return tw_errf(err, "%s%s: path too long", root, mnt);
	w = tw_xcalloc(1, sizeof(*w));
	w->snap = snap;
	/* sorted: the root, known without the walk, comes first */
	w->left = snap->ncglabels - (snap->cglabels[0].id == TW_CG_ROOT_ID);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		tw_cg_dir(w, fd, 0);
	free(w);
	for (i = 0; i < snap->ncglabels; i++)
		tw_cg_finish(&snap->cglabels[i]);
	return 0;
}
