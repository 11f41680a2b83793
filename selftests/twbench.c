// SPDX-License-Identifier: GPL-2.0
/*
 * twbench: time a shell command for "make bench".
 *
 *   twbench NAME REPS COMMAND [PRE]
 *
 * Runs "/bin/sh -c COMMAND" REPS times (stdout to /dev/null, so the command
 * writes everything it would to a terminal-less reader), each after an
 * untimed "/bin/sh -c PRE" if given, and prints one line
 *
 *   NAME median_us min_us max_us tw_before tw_after inuse_before inuse_after
 *
 * with wall times from CLOCK_MONOTONIC and the kernel's TIME_WAIT and other
 * TCP socket counts (/proc/net/sockstat "tw" and "inuse") before the first
 * and after the last run, since TIME_WAIT sockets expire while a benchmark
 * runs. Exits 1 if a run fails.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib.h"

#define MAX_REPS 100

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* One run of @cmd: its wall time in us, or 0 if it failed. */
static uint64_t run_once(const char *cmd)
{
	uint64_t t0 = now_us();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return 0;
	return now_us() - t0 ?: 1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	uint64_t t[MAX_REPS];
	int64_t before, after, in_before, in_after;
	int reps;

	if (argc < 4 || argc > 5 || (reps = atoi(argv[2])) < 1 ||
	    reps > MAX_REPS) {
		fprintf(stderr, "usage: twbench NAME REPS COMMAND [PRE]\n");
		return 2;
	}
	before = sockstat_tw();
	in_before = sockstat_tcp("inuse");
	for (int i = 0; i < reps; i++) {
		if (argc == 5 && !run_once(argv[4]))
			t[i] = 0;
		else
			t[i] = run_once(argv[3]);
		if (!t[i]) {
			fprintf(stderr, "twbench: %s: '%s' failed\n", argv[1],
				argv[3]);
			return 1;
		}
	}
	after = sockstat_tw();
	in_after = sockstat_tcp("inuse");
	qsort(t, reps, sizeof(t[0]), cmp_u64);
	printf("%s %llu %llu %llu %lld %lld %lld %lld\n", argv[1],
	       (unsigned long long)t[reps / 2], (unsigned long long)t[0],
	       (unsigned long long)t[reps - 1], (long long)before,
	       (long long)after, (long long)in_before, (long long)in_after);
	return 0;
}
