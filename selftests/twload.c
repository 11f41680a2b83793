// SPDX-License-Identifier: GPL-2.0
/*
 * twload: make TCP TIME_WAIT (or ESTABLISHED) load on loopback, fast and
 * in known shape.
 *
 *   twload [-6] [-m client|server|churn|hold] [-p PORT[-PORT]] [-n COUNT]
 *          [-j PROCS] [-a ADDRS] [-t SECS] [-q]
 *
 * client: the client closes first, so each connection leaves a TIME_WAIT
 *         socket on an ephemeral local port (what a busy client sees);
 * server: the server closes first, TIME_WAIT on the listening port;
 * churn:  alternate both for -t seconds (for race tests), no count;
 * hold:   keep both ends of COUNT connections open (2 x COUNT ESTABLISHED
 *         sockets, which never expire, unlike TIME_WAIT), print the
 *         summary line once all are made, then hold them until killed
 *         (the workers die with the first process). Each worker raises its
 *         own RLIMIT_NOFILE to the fds it needs (at most fs.nr_open).
 * -p: server ports, spread round-robin over -j processes (each process
 *     listens on its own ports, so the close order stays its own).
 * -a: spread clients over ADDRS local addresses from 127.0.0.1 on, to get
 *     past the per-destination ephemeral port limit (IPv4 only).
 * Prints "twload: made N connections in S s (R/s), F failed" and, for the
 * first failure, its errno; exits 1 if any connection failed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib.h"

#define MAX_PORTS 1024
#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

enum mode { MODE_CLIENT, MODE_SERVER, MODE_CHURN, MODE_HOLD };

struct opts {
	int family;
	enum mode mode;
	int port_lo, port_hi;
	long count;
	int procs;
	int naddrs;
	double secs;
	bool quiet;
};

/* Shared between the processes: what they did. */
struct tally {
	long made;
	long failed;
	int first_errno;
	int held; /* hold: workers whose connections are all made */
};

static void usage(void)
{
	fprintf(stderr, "usage: twload [-6] [-m client|server|churn|hold] "
			"[-p PORT[-PORT]] [-n COUNT] [-j PROCS] [-a ADDRS] "
			"[-t SECS] [-q]\n");
	exit(2);
}

static long num(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		usage();
	return v;
}

static void parse_ports(struct opts *o, const char *s)
{
	char buf[32], *dash;

	snprintf(buf, sizeof(buf), "%s", s);
	dash = strchr(buf, '-');
	if (dash)
		*dash = 0;
	o->port_lo = num(buf, 1, 65535);
	o->port_hi = dash ? num(dash + 1, o->port_lo, 65535) : o->port_lo;
	if (o->port_hi - o->port_lo >= MAX_PORTS)
		usage();
}

static void parse(struct opts *o, int argc, char **argv)
{
	int c;

	*o = (struct opts){ .family = AF_INET,
			    .port_lo = 8000,
			    .port_hi = 8000,
			    .count = 1000,
			    .procs = 1,
			    .naddrs = 1,
			    .secs = 5 };
	while ((c = getopt(argc, argv, "6m:p:n:j:a:t:q")) != -1) {
		switch (c) {
		case '6':
			o->family = AF_INET6;
			break;
		case 'm':
			if (!strcmp(optarg, "client"))
				o->mode = MODE_CLIENT;
			else if (!strcmp(optarg, "server"))
				o->mode = MODE_SERVER;
			else if (!strcmp(optarg, "churn"))
				o->mode = MODE_CHURN;
			else if (!strcmp(optarg, "hold"))
				o->mode = MODE_HOLD;
			else
				usage();
			break;
		case 'p':
			parse_ports(o, optarg);
			break;
		case 'n':
			o->count = num(optarg, 0, 100000000);
			break;
		case 'j':
			o->procs = num(optarg, 1, 64);
			break;
		case 'a':
			o->naddrs = num(optarg, 1, 65535);
			break;
		case 't':
			o->secs = num(optarg, 1, 3600);
			break;
		case 'q':
			o->quiet = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || o->procs > o->port_hi - o->port_lo + 1 ||
	    (o->naddrs > 1 && o->family != AF_INET))
		usage();
}

/* A client socket bound to local address 127.0.0.(1 + @addr). */
static int client_socket(const struct opts *o, int addr)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int one = 1, fd;

	fd = socket(o->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || o->naddrs == 1)
		return fd;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK + addr);
	/* the port is picked at connect(), per 4-tuple */
	setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int connect_port(const struct opts *o, int fd, int port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port),
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	if (o->family == AF_INET6)
		return connect(fd, (struct sockaddr *)&a6, sizeof(a6));
	return connect(fd, (struct sockaddr *)&a4, sizeof(a4));
}

/* One connection on @lfd; @client_first: who closes first (hold: none). */
static int one_conn(const struct opts *o, int lfd, int port, int addr,
		    bool client_first)
{
	int c = client_socket(o, addr), s;

	if (c < 0 || connect_port(o, c, port)) {
		int e = errno;

		if (c >= 0)
			close(c);
		return e;
	}
	s = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (s < 0) {
		close(c);
		return errno;
	}
	if (o->mode == MODE_HOLD)
		return 0; /* both ends stay open until the worker dies */
	/*
	 * The second close waits for the first one's FIN: two FINs crossing
	 * (a simultaneous close) would leave TIME_WAIT on both ends, which
	 * happened to most connections with 100 twloads at once.
	 */
	if (close_in_order(client_first ? c : s, client_first ? s : c))
		return errno ? errno : ETIMEDOUT;
	return 0;
}

/* hold: room for both ends of @conns connections and the listeners. */
static void hold_setup(long conns)
{
	rlim_t need = 2 * conns + MAX_PORTS + 64;
	struct rlimit r;

	/* a worker outliving the first process would hold its fds forever */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getrlimit(RLIMIT_NOFILE, &r) || r.rlim_cur >= need)
		return;
	r.rlim_cur = need;
	if (r.rlim_max < need)
		r.rlim_max = need;
	if (setrlimit(RLIMIT_NOFILE, &r)) {
		perror("twload: RLIMIT_NOFILE (fs.nr_open?)");
		exit(1);
	}
}

static void worker(const struct opts *o, int id, struct tally *t)
{
	int lfds[MAX_PORTS], nports = 0, port, err;
	uint64_t end = now_ms() + (uint64_t)(o->secs * 1000);
	long i, n = o->count / o->procs + (id < o->count % o->procs);

	if (o->mode == MODE_HOLD)
		hold_setup(n);
	for (port = o->port_lo + id; port <= o->port_hi; port += o->procs)
		if ((lfds[nports++] = tcp_listen(o->family, port, 4096)) < 0)
			exit(1);
	for (i = 0; o->mode == MODE_CHURN ? now_ms() < end : i < n; i++) {
		int k = i % nports;
		bool client_first = o->mode == MODE_CLIENT ||
				    (o->mode == MODE_CHURN && (i & 1));

		err = one_conn(o, lfds[k], o->port_lo + id + k * o->procs,
			       i % o->naddrs, client_first);
		if (err && !__atomic_fetch_add(&t->failed, 1, __ATOMIC_RELAXED))
			t->first_errno = err;
		if (!err)
			__atomic_fetch_add(&t->made, 1, __ATOMIC_RELAXED);
	}
	if (o->mode == MODE_HOLD) {
		__atomic_fetch_add(&t->held, 1, __ATOMIC_RELEASE);
		for (;;)
			pause();
	}
	exit(0);
}

/*
 * hold: until every worker holds its connections; false if one died
 * first (it could not listen or raise its fd limit).
 */
static bool wait_held(const struct opts *o, struct tally *t)
{
	while (__atomic_load_n(&t->held, __ATOMIC_ACQUIRE) < o->procs) {
		if (waitpid(-1, NULL, WNOHANG) > 0)
			return false;
		usleep(100 * 1000);
	}
	return true;
}

int main(int argc, char **argv)
{
	struct tally *t;
	struct opts o;
	uint64_t t0;
	double secs;

	parse(&o, argc, argv);
	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t == MAP_FAILED)
		return 1;
	t0 = now_ms();
	for (int id = 0; id < o.procs; id++)
		if (fork() == 0)
			worker(&o, id, t);
	if (o.mode == MODE_HOLD) {
		if (!wait_held(&o, t) && !t->failed++)
			t->first_errno = ECHILD;
	} else {
		while (wait(NULL) > 0)
			;
	}
	secs = (now_ms() - t0) / 1000.0;
	if (!o.quiet || t->failed)
		printf("twload: made %ld connections in %.2f s (%.0f/s), "
		       "%ld failed%s%s\n",
		       t->made, secs, secs > 0 ? t->made / secs : 0.0,
		       t->failed, t->failed ? ", first: " : "",
		       t->failed ? strerror(t->first_errno) : "");
	fflush(stdout);
	/* hold: until killed; the workers die with this process */
	while (o.mode == MODE_HOLD && !t->failed)
		pause();
	return t->failed ? 1 : 0;
}
