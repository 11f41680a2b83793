// SPDX-License-Identifier: GPL-2.0
/*
 * Network namespace entry and naming (see netns.h).
 *
 * Owns: setns() and the netns label. Must not: read the tables.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "parse.h"

int tw_netns_enter(const char *arg, struct tw_err *err)
{
	char path[PATH_MAX];
	int fd, rc;

	if (strchr(arg, '/'))
		snprintf(path, sizeof(path), "%s", arg);
	else if (!strcmp(arg, ".") || !strcmp(arg, ".."))
		return tw_errf(err, "--netns: bad namespace name '%s'", arg);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", arg);
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

char *tw_netns_label(const char *root, const char *arg)
{
	char path[PATH_MAX], link[64], digits[32];
	uint64_t ino;
	ssize_t n;
	size_t len;

	if (arg)
		return tw_xstrdup(arg);
	snprintf(path, sizeof(path), "%s/self/ns/net", root);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return NULL;
	link[n] = '\0';
	len = (size_t)n;
	if (len < 7 || strncmp(link, "net:[", 5) || link[len - 1] != ']' ||
	    len - 6 >= sizeof(digits))
		return NULL;
	memcpy(digits, link + 5, len - 6);
	digits[len - 6] = '\0';
	if (tw_parse_u64(digits, UINT64_MAX, &ino))
		return NULL;
	return tw_xstrdup(digits);
}
