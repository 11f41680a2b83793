// SPDX-License-Identifier: GPL-2.0
/*
 * NETLINK_SOCK_DIAG dump of TCP sockets (see diag.h). A TIME_WAIT
 * minisocket reports its substate as idiag_state, idiag_timer 3 and its
 * remainder in ms as idiag_expires; a request socket reports SYN_RECV.
 *
 * Owns: the netlink conversation and the kernel-state mapping. Must not:
 * count or aggregate (build.c does).
 */
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "diag.h"
#include "model.h"

/*
 * The kernel's request-socket state (include/net/tcp_states.h), which
 * glibc's <netinet/tcp.h> does not name: it ends at TCP_CLOSING.
 */
#define TW_TCP_NEW_SYN_RECV (TCP_CLOSING + 1)
/* every state up to TCP_NEW_SYN_RECV, but not LISTEN */
#define TW_DIAG_STATES \
	(((1U << (TW_TCP_NEW_SYN_RECV + 1)) - 2U) & ~(1U << TCP_LISTEN))
#define TW_DIAG_TIMER_TW 3
#define TW_DIAG_BUF 65536
/*
 * The cgroup v2 id of a full socket (Linux 5.9+, CONFIG_SOCK_CGROUP_DATA):
 * inet_diag puts it in every full socket's reply unasked, never in those
 * of request sockets and TIME_WAIT minisockets.
 */
#ifndef INET_DIAG_CGROUP_ID
#define INET_DIAG_CGROUP_ID 21
#endif

uint8_t tw_diag_state(uint8_t kstate)
{
	static const uint8_t map[TW_TCP_NEW_SYN_RECV + 1] = {
		[0] = TW_UNKNOWN,
		[TCP_ESTABLISHED] = TW_ESTAB,
		[TCP_SYN_SENT] = TW_SYN_SENT,
		[TCP_SYN_RECV] = TW_SYN_RECV,
		[TCP_FIN_WAIT1] = TW_FIN_WAIT1,
		[TCP_FIN_WAIT2] = TW_FIN_WAIT2,
		[TCP_TIME_WAIT] = TW_TIME_WAIT,
		[TCP_CLOSE] = TW_CLOSE,
		[TCP_CLOSE_WAIT] = TW_CLOSE_WAIT,
		[TCP_LAST_ACK] = TW_LAST_ACK,
		[TCP_LISTEN] = TW_UNKNOWN,
		[TCP_CLOSING] = TW_CLOSING,
		[TW_TCP_NEW_SYN_RECV] = TW_SYN_RECV,
	};

	return kstate < sizeof(map) ? map[kstate] : TW_UNKNOWN;
}

static int tw_diag_send(int fd, uint8_t family, uint32_t seq,
			struct tw_err *err)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	memset(&msg, 0, sizeof(msg));
	msg.nlh.nlmsg_len = sizeof(msg);
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.nlh.nlmsg_seq = seq;
	msg.req.sdiag_family = family;
	msg.req.sdiag_protocol = IPPROTO_TCP;
	msg.req.idiag_states = TW_DIAG_STATES;
	if (sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return tw_errf(err, "sock_diag: send: %s", strerror(errno));
	return 0;
}

static void tw_diag_rec(const struct inet_diag_msg *m, struct tw_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->key.family = m->idiag_family;
	if (r->key.family == AF_INET6) {
		memcpy(r->key.laddr, m->id.idiag_src, 16);
		memcpy(r->key.raddr, m->id.idiag_dst, 16);
	} else {
		memcpy(r->key.laddr + 12, m->id.idiag_src, 4);
		memcpy(r->key.raddr + 12, m->id.idiag_dst, 4);
	}
	r->lport = ntohs(m->id.idiag_sport);
	r->key.rport = ntohs(m->id.idiag_dport);
	r->state = tw_diag_state(m->idiag_state);
	r->tw_ms = m->idiag_timer == TW_DIAG_TIMER_TW ? m->idiag_expires :
							TW_NO_TIMER;
}

/* The attributes after the message: the socket's cgroup, if given. */
static void tw_diag_attrs(const struct nlmsghdr *h, struct tw_rec *r)
{
	size_t off = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(struct inet_diag_msg)));
	const struct rtattr *a;
	uint64_t id;

	while (off + sizeof(*a) <= h->nlmsg_len) {
		a = (const struct rtattr *)((const char *)h + off);
		if (a->rta_len < sizeof(*a) || off + a->rta_len > h->nlmsg_len)
			return;
		if (a->rta_type == INET_DIAG_CGROUP_ID &&
		    RTA_PAYLOAD(a) >= sizeof(id)) {
			memcpy(&id, RTA_DATA(a), sizeof(id));
			r->cgroup.id = id;
			r->cgroup.known = id != 0;
		}
		off += RTA_ALIGN(a->rta_len);
	}
}

/* One netlink message: 1 for a socket, 0 at the end of the dump, -1. */
static int tw_diag_msg(const struct nlmsghdr *h, tw_rec_fn fn, void *ctx,
		       struct tw_err *err)
{
	const int *code = NLMSG_DATA(h);
	struct tw_rec rec;

	if (h->nlmsg_type == NLMSG_DONE) {
		if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) && *code < 0)
			return tw_errf(err, "sock_diag: dump: %s",
				       strerror(-*code));
		return 0;
	}
	if (h->nlmsg_type == NLMSG_ERROR) {
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
			return tw_errf(err, "sock_diag: truncated error");
		return tw_errf(
			err, "sock_diag: %s",
			strerror(-((const struct nlmsgerr *)code)->error));
	}
	if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
		return tw_errf(err, "sock_diag: unexpected message type %u",
			       h->nlmsg_type);
	tw_diag_rec(NLMSG_DATA(h), &rec);
	tw_diag_attrs(h, &rec);
	return fn(ctx, &rec) ? -1 : 1;
}

/* Read one datagram; 1 if the dump goes on, 0 when done, -1. */
static int tw_diag_recv(int fd, uint32_t seq, long *buf, tw_rec_fn fn,
			void *ctx, struct tw_err *err)
{
	struct sockaddr_nl sa;
	struct iovec iov = { buf, TW_DIAG_BUF };
	struct msghdr mh = { .msg_name = &sa,
			     .msg_namelen = sizeof(sa),
			     .msg_iov = &iov,
			     .msg_iovlen = 1 };
	const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
	ssize_t n;
	int rc = 1;

	do
		n = recvmsg(fd, &mh, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return tw_errf(err, "sock_diag: receive: %s", strerror(errno));
	if (mh.msg_flags & MSG_TRUNC)
		return tw_errf(err, "sock_diag: message truncated");
	for (; rc > 0 && NLMSG_OK(h, (unsigned int)n); h = NLMSG_NEXT(h, n)) {
		if (h->nlmsg_seq != seq)
			continue; /* not an answer to this request */
		rc = tw_diag_msg(h, fn, ctx, err);
	}
	return rc;
}

static int tw_diag_family(int fd, uint8_t family, uint32_t seq, tw_rec_fn fn,
			  void *ctx, struct tw_err *err)
{
	static long buf[TW_DIAG_BUF / sizeof(long)];
	int rc;

	if (tw_diag_send(fd, family, seq, err))
		return -1;
	while ((rc = tw_diag_recv(fd, seq, buf, fn, ctx, err)) > 0)
		;
	return rc;
}

int tw_diag_dump(tw_rec_fn fn, void *ctx, struct tw_err *err)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	int rc;

	if (fd < 0)
		return tw_errf(err, "sock_diag: socket: %s", strerror(errno));
	rc = tw_diag_family(fd, AF_INET, 1, fn, ctx, err);
	if (!rc)
		rc = tw_diag_family(fd, AF_INET6, 2, fn, ctx, err);
	close(fd);
	return rc;
}
