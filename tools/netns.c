// SPDX-License-Identifier: GPL-2.0
/*
 * Network namespaces (see netns.h).
 *
 * Owns: setns() into a network namespace, the current one's label, and
 * the labels of every namespace (scanning /proc/PID/ns/net and
 * /run/netns, and reading one process per namespace: comm, cgroup, UTS
 * hostname). Must not: read the tables or print. A file that cannot be
 * read (a process that exited meanwhile, a permission) leaves that label
 * empty rather than failing the view.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "netns.h"
#include "parse.h"

/* Labels while they are gathered. */
struct tw_nslabels {
	struct tw_nslabel *v;
	size_t n;
};

/* setns() into the file @path, for the namespace the user called @arg. */
static int tw_netns_setns(const char *arg, const char *path, struct tw_err *err)
{
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tw_errf(err,
			       "cannot enter network namespace '%s': %s: %s",
			       arg, path, strerror(errno));
	rc = setns(fd, CLONE_NEWNET);
	if (rc)
		tw_errf(err,
			"cannot enter network namespace '%s': setns %s: %s",
			arg, path, strerror(errno));
	close(fd);
	return rc ? -1 : 0;
}

int tw_netns_enter_path(const char *path, struct tw_err *err)
{
	return tw_netns_setns(path, path, err);
}

/* --netns N: a file that enters the namespace with inode N. */
static int tw_netns_by_inum(const char *arg, uint64_t inum, char *path,
			    size_t len, struct tw_err *err)
{
	const struct tw_nslabel *l;
	struct tw_nslabel *labels;
	size_t n;
	int rc;

	rc = tw_nslabels_scan("/proc", TW_RUN_NETNS, false, &labels, &n, err);
	l = rc ? NULL : tw_nslabel_find(labels, n, inum);
	if (l)
		tw_nslabel_path(l, path, len);
	free(labels);
	if (!rc && !l)
		rc = tw_errf(err,
			     "--netns %s: no process and no " TW_RUN_NETNS
			     " name is in a network namespace with that inode",
			     arg);
	return rc;
}

int tw_netns_enter(const char *arg, struct tw_err *err)
{
	char path[PATH_MAX];
	uint64_t v;

	if (!strcmp(arg, ".") || !strcmp(arg, "..") || !*arg)
		return tw_errf(err, "--netns: bad namespace name '%s'", arg);
	snprintf(path, sizeof(path), TW_RUN_NETNS "/%s", arg);
	if (strchr(arg, '/'))
		snprintf(path, sizeof(path), "%s", arg);
	else if (!strncmp(arg, "pid:", 4) &&
		 !tw_parse_u64(arg + 4, INT_MAX, &v) && v)
		snprintf(path, sizeof(path), "/proc/%" PRIu64 "/ns/net", v);
	else if (!strncmp(arg, "pid:", 4))
		return tw_errf(err, "--netns %s: not pid:PID with a PID >= 1",
			       arg);
	else if (access(path, F_OK) && !tw_parse_u64(arg, UINT32_MAX, &v) &&
		 tw_netns_by_inum(arg, v, path, sizeof(path), err))
		return -1;
	return tw_netns_setns(arg, path, err);
}

char *tw_netns_label(const char *root, const char *arg)
{
	char path[PATH_MAX], link[64];
	uint64_t ino;
	ssize_t n;

	if (arg)
		return tw_xstrdup(arg);
	snprintf(path, sizeof(path), "%s/self/ns/net", root);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return NULL;
	link[n] = '\0';
	ino = tw_nsfs_inum(link);
	if (!ino)
		return NULL;
	snprintf(link, sizeof(link), "%" PRIu64, ino);
	return tw_xstrdup(link);
}

#define TW_CGROUP_MAX 65536 /* bytes of /proc/PID/cgroup read */

/* What the kernel's ns_dname() makes of a network namespace. */
uint64_t tw_nsfs_inum(const char *link)
{
	char digits[24];
	uint64_t v;
	size_t n;

	if (strncmp(link, "net:[", 5))
		return 0;
	n = strlen(link + 5);
	if (n < 2 || n > sizeof(digits) || link[5 + n - 1] != ']')
		return 0;
	memcpy(digits, link + 5, n - 1);
	digits[n - 1] = '\0';
	return tw_parse_u64(digits, UINT32_MAX, &v) ? 0 : v;
}

static bool tw_hex_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) ||
		    isupper((unsigned char)s[i]))
			return false;
	return true;
}

/* 8-4-4-4-12 hex digits, @sep between the groups; copied with '-'. */
static bool tw_uid_of(const char *s, size_t n, char sep,
		      char out[TW_POD_UID_LEN + 1])
{
	if (n != TW_POD_UID_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != sep : !tw_hex_run(s + i, 1))
			return false;
		out[i] = dash ? '-' : s[i];
	}
	out[n] = '\0';
	return true;
}

/*
 * One path component. Pod: "kubepods-<qos>-pod<uid_>.slice" (systemd,
 * '_' for '-') or "pod<uid>" (cgroupfs). Container: the 64 hex digits
 * after the last '-' of "<runtime>-<id>[.scope]" (docker-, cri-containerd-,
 * crio-, libpod-), or a bare id (cgroupfs docker and containerd).
 */
static bool tw_ends_with(const char *c, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k && !memcmp(c + n - k, suffix, k);
}

/* Pod: "kubepods[-qos]-pod<uid_>.slice" (systemd) or "pod<uid>". */
static void tw_cgroup_pod(const char *c, size_t n, char *pod)
{
	const char *p;

	if (pod[0])
		return;
	if (tw_ends_with(c, n, ".slice") && n > 8 &&
	    !memcmp(c, "kubepods", 8)) {
		p = memmem(c, n, "-pod", 4);
		if (p)
			tw_uid_of(p + 4, (size_t)(c + n - 6 - p - 4), '_', pod);
	} else if (n > 3 && !memcmp(c, "pod", 3)) {
		tw_uid_of(c + 3, n - 3, '-', pod);
	}
}

/*
 * Container: the 64 hex digits after the last '-' of
 * "<runtime>-<id>[.scope]" (docker-, cri-containerd-, crio-, libpod-), or
 * a bare id (cgroupfs docker and containerd). The deepest one wins.
 */
static void tw_cgroup_cid(const char *c, size_t n, char *cid)
{
	const char *dash;

	if (tw_ends_with(c, n, ".scope"))
		n -= 6;
	dash = memrchr(c, '-', n);
	if (dash) {
		n -= (size_t)(dash + 1 - c);
		c = dash + 1;
	}
	if (n == TW_CID_LEN && tw_hex_run(c, n)) {
		memcpy(cid, c, n);
		cid[n] = '\0';
	}
}

/* The path of one "hierarchy:controllers:path" line, "" if malformed. */
static const char *tw_cgroup_path(const char *line, const char *end)
{
	const char *p = memchr(line, ':', (size_t)(end - line));

	p = p ? memchr(p + 1, ':', (size_t)(end - p - 1)) : NULL;
	return p ? p + 1 : end;
}

void tw_cgroup_ids(const char *text, char cid[TW_CID_LEN + 1],
		   char pod[TW_POD_UID_LEN + 1])
{
	const char *line, *end, *c, *next;

	cid[0] = pod[0] = '\0';
	/* v2 has one line, v1 one per hierarchy: the first id found wins */
	for (line = text; *line && !cid[0]; line = *end ? end + 1 : end) {
		end = strchrnul(line, '\n');
		for (c = tw_cgroup_path(line, end); c < end; c = next + 1) {
			next = memchr(c, '/', (size_t)(end - c));
			if (!next)
				next = end;
			tw_cgroup_pod(c, (size_t)(next - c), pod);
			tw_cgroup_cid(c, (size_t)(next - c), cid);
			if (next == end)
				break;
		}
	}
}

static int tw_inum_cmp(const void *a, const void *b)
{
	const struct tw_nslabel *x = a, *y = b;

	return (x->inum > y->inum) - (x->inum < y->inum);
}

static int tw_pair_cmp(const void *a, const void *b)
{
	const struct tw_nslabel *x = a, *y = b;

	if (x->inum != y->inum)
		return x->inum < y->inum ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static void tw_labels_add(struct tw_nslabels *ls, size_t *cap, uint64_t inum,
			  int pid, const char *name)
{
	struct tw_nslabel *l;

	if (ls->n == *cap) {
		*cap = *cap ? 2 * *cap : 256;
		ls->v = tw_xreallocarray(ls->v, *cap, sizeof(*ls->v));
	}
	l = &ls->v[ls->n++];
	memset(l, 0, sizeof(*l));
	l->inum = inum;
	l->pid = pid;
	snprintf(l->name, sizeof(l->name), "%s", name);
}

/* One (inum, pid) per process; names for the /run/netns files. */
static void tw_scan_procs(struct tw_nslabels *ls, size_t *cap, const char *root)
{
	char path[PATH_MAX], link[64];
	struct dirent *de;
	DIR *d = opendir(root);
	uint64_t pid;
	ssize_t n;

	while (d && (de = readdir(d))) {
		if (tw_parse_u64(de->d_name, INT_MAX, &pid) || !pid)
			continue;
		snprintf(path, sizeof(path), "%s/%s/ns/net", root, de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue; /* gone, or not ours to see */
		link[n] = '\0';
		if (tw_nsfs_inum(link))
			tw_labels_add(ls, cap, tw_nsfs_inum(link), (int)pid,
				      "");
	}
	if (d)
		closedir(d);
}

static void tw_scan_names(struct tw_nslabels *ls, size_t *cap, const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);
	struct stat st;

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (!stat(path, &st))
			tw_labels_add(ls, cap, (uint64_t)st.st_ino, INT_MAX,
				      de->d_name);
	}
	if (d)
		closedir(d);
}

/*
 * Sorted by (inum, pid), names last (pid INT_MAX): keep one label per
 * inum with its lowest pid and its first name.
 */
static void tw_labels_merge(struct tw_nslabels *ls)
{
	struct tw_nslabel *keep = NULL, *l;
	size_t out = 0;

	if (!ls->n)
		return;
	qsort(ls->v, ls->n, sizeof(*ls->v), tw_pair_cmp);
	for (l = ls->v; l < ls->v + ls->n; l++) {
		if (keep && keep->inum == l->inum) {
			if (!keep->name[0])
				memcpy(keep->name, l->name, sizeof(l->name));
			continue;
		}
		keep = &ls->v[out++];
		*keep = *l;
		if (keep->pid == INT_MAX)
			keep->pid = 0; /* a name, no process */
	}
	ls->n = out;
}

static void tw_read_small(const char *path, char *buf, size_t len)
{
	ssize_t n = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, buf, len - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
}

/* The UTS hostname of @pid, entering its namespace and coming back. */
static int tw_hostname(int pid, int home, char *out, size_t len,
		       struct tw_err *err)
{
	char path[64];
	struct utsname u;
	int fd, rc;

	snprintf(path, sizeof(path), "/proc/%d/ns/uts", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	rc = setns(fd, CLONE_NEWUTS);
	close(fd);
	if (rc)
		return 0; /* not allowed: no hostname label */
	if (!uname(&u))
		snprintf(out, len, "%s", u.nodename);
	if (setns(home, CLONE_NEWUTS))
		return tw_errf(err, "cannot return to the UTS namespace: %m");
	return 0;
}

static int tw_labels_fill(struct tw_nslabels *ls, const char *root,
			  bool hostnames, struct tw_err *err)
{
	char path[PATH_MAX], *cg = tw_xmalloc(TW_CGROUP_MAX);
	int home = hostnames ? open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC) :
			       -1;
	int rc = 0;

	for (size_t i = 0; i < ls->n && !rc; i++) {
		struct tw_nslabel *l = &ls->v[i];

		if (!l->pid)
			continue;
		snprintf(path, sizeof(path), "%s/%d/comm", root, l->pid);
		tw_read_small(path, l->comm, sizeof(l->comm));
		l->comm[strcspn(l->comm, "\n")] = '\0';
		snprintf(path, sizeof(path), "%s/%d/cgroup", root, l->pid);
		tw_read_small(path, cg, TW_CGROUP_MAX);
		tw_cgroup_ids(cg, l->container_id, l->pod_uid);
		if (home >= 0)
			rc = tw_hostname(l->pid, home, l->hostname,
					 sizeof(l->hostname), err);
	}
	if (home >= 0)
		close(home);
	free(cg);
	return rc;
}

int tw_nslabels_scan(const char *proc_root, const char *run_netns,
		     bool hostnames, struct tw_nslabel **labels, size_t *n,
		     struct tw_err *err)
{
	struct tw_nslabels ls = { NULL, 0 };
	size_t cap = 0;
	int rc;

	tw_scan_procs(&ls, &cap, proc_root);
	tw_scan_names(&ls, &cap, run_netns);
	tw_labels_merge(&ls);
	rc = tw_labels_fill(&ls, proc_root, hostnames, err);
	*labels = ls.v;
	*n = ls.n;
	return rc;
}

const struct tw_nslabel *tw_nslabel_find(const struct tw_nslabel *labels,
					 size_t n, uint64_t inum)
{
	struct tw_nslabel key = { .inum = inum };

	return n ? bsearch(&key, labels, n, sizeof(key), tw_inum_cmp) : NULL;
}

void tw_nslabel_path(const struct tw_nslabel *l, char *buf, size_t len)
{
	if (l->pid)
		snprintf(buf, len, "/proc/%d/ns/net", l->pid);
	else
		snprintf(buf, len, TW_RUN_NETNS "/%s", l->name);
}
