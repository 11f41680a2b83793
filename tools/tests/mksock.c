// SPDX-License-Identifier: GPL-2.0
/*
 * mksock: create known TCP load on loopback, then run a command while
 * holding it, for the host test of --source diag (run it in a fresh netns:
 * "unshare -n", lo up).
 *
 *   mksock V4CLIENT V4SERVER V6CLIENT ESTAB -- CMD [ARG...]
 *
 * V4CLIENT connections to 127.0.0.1:8080 that the client closes first
 * (TIME_WAIT on an ephemeral port), V4SERVER that the server closes first
 * (TIME_WAIT on port 8080), V6CLIENT like V4CLIENT on [::1]:8080, and
 * ESTAB established pairs kept open. Exit status: CMD's.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS_PORT 8080

static void ms_die(const char *what)
{
	perror(what);
	exit(125);
}

static socklen_t ms_addr(int family, struct sockaddr_storage *ss)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(MS_PORT);
		a6->sin6_addr = in6addr_loopback;
		return sizeof(*a6);
	}
	a4->sin_family = AF_INET;
	a4->sin_port = htons(MS_PORT);
	a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof(*a4);
}

static int ms_listen(int family)
{
	struct sockaddr_storage ss;
	socklen_t len = ms_addr(family, &ss);
	int fd = socket(family, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		ms_die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 4096))
		ms_die("bind/listen");
	return fd;
}

/* A connected pair: pair[0] the client, pair[1] the accepted socket. */
static void ms_pair(int family, int lfd, int pair[2])
{
	struct sockaddr_storage ss;
	socklen_t len = ms_addr(family, &ss);

	pair[0] = socket(family, SOCK_STREAM, 0);
	if (pair[0] < 0 || connect(pair[0], (struct sockaddr *)&ss, len))
		ms_die("connect");
	pair[1] = accept(lfd, NULL, NULL);
	if (pair[1] < 0)
		ms_die("accept");
}

static void ms_msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* @n connections; the side @first closes first ends in TIME_WAIT. */
static void ms_tw(int family, int lfd, int n, int first)
{
	int pair[2];

	while (n-- > 0) {
		ms_pair(family, lfd, pair);
		close(pair[first]);
		ms_msleep(2);
		close(pair[!first]);
	}
}

static int ms_run(char **argv)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		ms_die("fork");
	if (!pid) {
		execvp(argv[0], argv);
		ms_die("exec");
	}
	if (waitpid(pid, &status, 0) < 0)
		ms_die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 126;
}

int main(int argc, char **argv)
{
	int l4, l6, i, pair[2];

	if (argc < 7 || strcmp(argv[5], "--")) {
		fputs("usage: mksock V4CLIENT V4SERVER V6CLIENT ESTAB -- CMD...\n",
		      stderr);
		return 125;
	}
	l4 = ms_listen(AF_INET);
	l6 = ms_listen(AF_INET6);
	ms_tw(AF_INET, l4, atoi(argv[1]), 0);
	ms_tw(AF_INET, l4, atoi(argv[2]), 1);
	ms_tw(AF_INET6, l6, atoi(argv[3]), 0);
	for (i = 0; i < atoi(argv[4]); i++)
		ms_pair(AF_INET, l4, pair); /* kept open */
	ms_msleep(200);
	return ms_run(argv + 6);
}
