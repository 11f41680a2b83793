// SPDX-License-Identifier: GPL-2.0
/*
 * The probe on sock:inet_sock_set_state: the one place twstat sees TCP
 * state changes as they happen, for what no walk can see afterwards.
 *
 * - A full socket going from FIN_WAIT1, FIN_WAIT2 or CLOSING to CLOSE is
 *   handing over to its TIME_WAIT minisocket (tcp_time_wait() hashes the
 *   minisocket, then tcp_done() sets CLOSE): record its owner
 *   (records.c), which the minisocket will not carry.
 * - A socket going from SYN_SENT to CLOSE that never had a local port
 *   (inet_sport 0) is a connect() that found none free:
 *   tcp_v4_connect() and tcp_v6_connect() set SYN_SENT, fail in
 *   inet_hash_connect() and set CLOSE again before they clear the
 *   destination (failures.c).
 *
 * The tracepoint is not exported: it is found by name among the kernel's
 * (for_each_kernel_tracepoint()). It fires for every state change of
 * every socket of the host, with preemption disabled: the probe returns
 * at once for what it does not need, allocates nothing and takes only raw
 * spinlocks. track=0 unregisters it; unload unregisters it and waits for
 * every running probe (tracepoint_synchronize_unregister()) before
 * anything it uses is freed.
 *
 * Owns the registration and the choice of transitions.
 */
#include <linux/mutex.h>
#include <linux/tracepoint.h>
#include <net/inet_sock.h>
#include <net/tcp.h>

#include "twstat.h"

#define TWSTAT_TRACEPOINT	"inet_sock_set_state"

static struct tracepoint *twstat_tp;
static DEFINE_MUTEX(twstat_probe_lock);	/* guards the two below */
static bool twstat_probe_ready;		/* between init and exit */
static bool twstat_probe_on;		/* registered */

/* How long the minisocket being made of @sk can live, plus 1 s. */
static unsigned long twstat_handover_ttl(const struct sock *sk)
{
	return max_t(unsigned long, TCP_TIMEWAIT_LEN, tcp_fin_time(sk)) + HZ;
}

/*
 * The tuple of @sk at its move to CLOSE. tcp_set_state() has released the
 * local port by then (inet_put_port() zeroes inet_num) but inet_sport
 * keeps it: the port the minisocket holds.
 */
static void twstat_closing_tuple(struct twstat_rec *r, const struct sock *sk)
{
	twstat_rec_tuple(r, sk);
	r->lport = ntohs(inet_sk(sk)->inet_sport);
}

static void twstat_note_handover(const struct sock *sk)
{
	struct twstat_rec r;

	twstat_closing_tuple(&r, sk);
	twstat_records_note(twstat_rec_key(&r), twstat_sk_cgroup_id(sk),
			    twstat_handover_ttl(sk));
}

static void twstat_note_noport(const struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct twstat_rkey k;
	struct twstat_rec r;

	twstat_closing_tuple(&r, sk);
	twstat_rkey_of(&k, &r);
	twstat_failures_note(net, &k, twstat_sk_cgroup_id(sk));
	/*
	 * A live netns's twstat_net is freed only after cleanup_net()'s
	 * synchronize_rcu(), which waits for this preempt-disabled probe.
	 */
	if (check_net(net))
		atomic64_inc(&twstat_net(net)->connect_noport);
}

static void twstat_probe(void *data, const struct sock *sk,
			 const int oldstate, const int newstate)
{
	if (newstate != TCP_CLOSE || sk->sk_protocol != IPPROTO_TCP)
		return;
	switch (oldstate) {
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
	case TCP_CLOSING:
		twstat_note_handover(sk);
		break;
	case TCP_SYN_SENT:
		/*
		 * inet_num is 0 here in every case (see above); inet_sport
		 * only if connect() never got a port. A refused or timed
		 * out connect, or one bound to a port, had one.
		 */
		if (!inet_sk(sk)->inet_sport)
			twstat_note_noport(sk);
		break;
	}
}

/* Register or unregister the probe as track and the module's state say. */
int twstat_probe_sync(void)
{
	bool want;
	int err = 0;

	mutex_lock(&twstat_probe_lock);
	want = twstat_probe_ready && twstat_tp && twstat_param_track();
	if (want && !twstat_probe_on)
		err = tracepoint_probe_register(twstat_tp, twstat_probe, NULL);
	else if (!want && twstat_probe_on)
		err = tracepoint_probe_unregister(twstat_tp, twstat_probe,
						  NULL);
	if (!err)
		WRITE_ONCE(twstat_probe_on, want);
	mutex_unlock(&twstat_probe_lock);
	return err;
}

/* Whether the probe is recording now (the summary's track). */
bool twstat_probe_active(void)
{
	return READ_ONCE(twstat_probe_on);
}

static void twstat_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, TWSTAT_TRACEPOINT))
		*(struct tracepoint **)priv = tp;
}

int twstat_probe_init(void)
{
	for_each_kernel_tracepoint(twstat_find_tp, &twstat_tp);
	if (!twstat_tp)
		pr_warn("no tracepoint sock:%s: owners of TIME_WAIT sockets and failed connects are not recorded\n",
			TWSTAT_TRACEPOINT);
	mutex_lock(&twstat_probe_lock);
	twstat_probe_ready = true;
	mutex_unlock(&twstat_probe_lock);
	return twstat_probe_sync();
}

/* After this, no probe runs or will run. */
void twstat_probe_exit(void)
{
	mutex_lock(&twstat_probe_lock);
	twstat_probe_ready = false;
	mutex_unlock(&twstat_probe_lock);
	twstat_probe_sync();
	tracepoint_synchronize_unregister();
}
