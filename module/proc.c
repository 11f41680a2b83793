// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/twstat/{summary,ports,timers,remotes,netns,owners,failures}:
 * rendering.
 *
 * open() takes a snapshot reference (cache.c); every read renders rows of
 * that snapshot, so a seq_file buffer overflow or a short read re-renders
 * a row, never re-walks the table. Each file is one table: an optional
 * header line, then rows; the format is docs/interface.md, the names are
 * twstat_names.h. The netns file shows every namespace: it exists only in
 * the initial netns, and open() refuses any reader but one in that netns
 * with CAP_NET_ADMIN in the initial user namespace.
 *
 * Owns the files and their access rules; never walks (cache.c decides).
 */
#include <linux/capability.h>
#include <linux/math64.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>

#include "twstat.h"

enum twstat_key {
	TWSTAT_SUMMARY_KEYS(TWSTAT_ID_KEY, TWSTAT_ID_KEY)
	TWSTAT_NKEYS,
};

static const char *const twstat_key_names[TWSTAT_NKEYS] = {
	TWSTAT_SUMMARY_KEYS(TWSTAT_NAME_OF, TWSTAT_NAME_OF)
};

struct twstat_iter {
	const struct twstat_table *table;
	struct twstat_snap_head *head;		/* the reference held */
	const struct twstat_snapshot *snap;	/* kind NET */
	const struct twstat_ns_snapshot *ns;	/* kind NETNS */
	u64 age_ms;			/* of the snapshot at open */
	u64 live;			/* snapshots of the netns at open */
	u64 over_limit;			/* twstat_cache_counts() */
	u64 val[TWSTAT_NKEYS];		/* summary only */
};

struct twstat_table {
	const struct twstat_kind *kind;
	void (*open)(struct twstat_iter *it);	/* NULL: nothing */
	const char *header;		/* " a b c\n" (columns), or NULL */
	u32 (*rows)(const struct twstat_iter *it);
	void (*show)(struct seq_file *m, const struct twstat_iter *it, u32 row);
};

static void twstat_put_span(struct seq_file *m, u32 min_ms, u32 max_ms)
{
	if (min_ms == TWSTAT_NO_TIMER) {
		seq_puts(m, " " TWSTAT_NO_VALUE " " TWSTAT_NO_VALUE);
		return;
	}
	seq_put_decimal_ull(m, " ", min_ms);
	seq_put_decimal_ull(m, " ", max_ms);
}

/* summary */

/* What the walk cost, and the memory readers hold. */
static void twstat_summary_fill_cost(const struct twstat_iter *it, u64 *v)
{
	const struct twstat_snapshot *s = it->snap;
	int i;

	v[TWSTAT_K_SNAPSHOT_NS] = s->take_ns;
	/* the histogram's keys stand in its order (twstat_names.h) */
	for (i = 0; i < TWSTAT_LOCK_HIST; i++)
		v[TWSTAT_K_LOCK_HOLD_LT_512NS + i] = s->stats.lock_hist[i];
	v[TWSTAT_K_SNAPSHOTS_LIVE] = it->live;
	v[TWSTAT_K_SNAPSHOTS_OVER_LIMIT] = it->over_limit;
	v[TWSTAT_K_TIMERS_OVERFLOW] = s->timers_over;
}

/* Who holds the sockets, and the connects that found no port. */
static void twstat_summary_fill_track(const struct twstat_iter *it, u64 *v)
{
	const struct twstat_snapshot *s = it->snap;

	v[TWSTAT_K_OWNERS] = s->ot.nrows;
	v[TWSTAT_K_TW_OWNER_UNKNOWN] = s->ot.tw_unknown;
	v[TWSTAT_K_TRACK] = s->track;
	v[TWSTAT_K_TRACK_RECORDS] = twstat_records_size();
	v[TWSTAT_K_TRACK_RECORD_BYTES] = twstat_record_bytes();
	v[TWSTAT_K_TRACK_LOST] = twstat_records_lost();
	v[TWSTAT_K_CONNECT_NOPORT] = s->connect_noport;
	v[TWSTAT_K_FAILURES] = s->nfails;
	v[TWSTAT_K_FAILURES_EVICTED] = twstat_failures_evicted();
}

/* Every key's value, by key; twstat_key_names gives the order. */
static void twstat_summary_fill(struct twstat_iter *it)
{
	const struct twstat_snapshot *s = it->snap;
	u64 *v = it->val;
	int i;

	v[TWSTAT_K_VERSION] = TWSTAT_IFACE_VERSION;
	v[TWSTAT_K_WALK_NS] = s->stats.walk_ns;
	v[TWSTAT_K_EHASH_BUCKETS] = s->stats.buckets;
	v[TWSTAT_K_SOCKETS] = s->tally.sockets;
	/* the state keys stand in twstat_state order (twstat_names.h) */
	for (i = 0; i < TWSTAT_NSTATES; i++)
		v[TWSTAT_K_ESTAB + i] = s->tally.state[i];
	v[TWSTAT_K_TW_SOCKETS] = s->tally.tw_v4 + s->tally.tw_v6;
	v[TWSTAT_K_TW_V4] = s->tally.tw_v4;
	v[TWSTAT_K_TW_V6] = s->tally.tw_v6;
	v[TWSTAT_K_MAX_TW_BUCKETS] = max(s->max_tw_buckets, 0);
	v[TWSTAT_K_SOCKSTAT_TW] = max(s->sockstat_tw, 0);
	v[TWSTAT_K_PORT_RANGE_LO] = s->port_lo;
	v[TWSTAT_K_PORT_RANGE_HI] = s->port_hi;
	v[TWSTAT_K_UNKNOWN_STATE] = s->tally.unknown;
	v[TWSTAT_K_PORT_RANGE_SIZE] = s->port_range_size;
	v[TWSTAT_K_SNAPSHOT_AGE_MS] = it->age_ms;
	v[TWSTAT_K_WALKS] = s->head.walk_no;
	v[TWSTAT_K_LOCK_MAX_NS] = s->stats.lock_max_ns;
	v[TWSTAT_K_BUCKETS_USED] = s->stats.buckets_used;
	v[TWSTAT_K_SNAPSHOT_BYTES] = s->bytes;
	v[TWSTAT_K_REMOTES] = s->rt.nrows;
	v[TWSTAT_K_REMOTES_FOLDED] = s->rt.nfolded;
	v[TWSTAT_K_REMOTES_SOCKETS] = s->rt.sockets;
	v[TWSTAT_K_REMOTES_FOLDED_ESTIMATED] = s->rt.folded_estimated;
	v[TWSTAT_K_MAX_REMOTES] = s->rt.max;
	twstat_summary_fill_cost(it, v);
	twstat_summary_fill_track(it, v);
}

static u32 twstat_summary_rows(const struct twstat_iter *it)
{
	return TWSTAT_NKEYS;
}

static void twstat_summary_show(struct seq_file *m,
				const struct twstat_iter *it, u32 row)
{
	seq_puts(m, twstat_key_names[row]);
	seq_put_decimal_ull(m, " ", it->val[row]);
	seq_putc(m, '\n');
}

/* ports */

static u32 twstat_ports_rows(const struct twstat_iter *it)
{
	return it->snap->nports;
}

static void twstat_ports_show(struct seq_file *m,
			      const struct twstat_iter *it, u32 row)
{
	const struct twstat_port *p = &it->snap->ports[row];
	int i;

	seq_put_decimal_ull(m, "", p->port);
	for (i = 0; i < TWSTAT_NSTATES; i++)
		seq_put_decimal_ull(m, " ", p->count[i]);
	twstat_put_span(m, p->tw_min_ms, p->tw_max_ms);
	seq_putc(m, '\n');
}

/* timers */

/* sec 0..60, then the overflow row when it is not empty */
static u32 twstat_timers_rows(const struct twstat_iter *it)
{
	return TWSTAT_TIMER_SECS + !!it->snap->timers_over;
}

static void twstat_timers_show(struct seq_file *m,
			       const struct twstat_iter *it, u32 row)
{
	if (row == TWSTAT_TIMER_SECS) {
		seq_puts(m, TWSTAT_TIMERS_OVERFLOW);
		seq_put_decimal_ull(m, " ", it->snap->timers_over);
	} else {
		seq_put_decimal_ull(m, "", row);
		seq_put_decimal_ull(m, " ", it->snap->timers[row]);
	}
	seq_putc(m, '\n');
}

/* remotes */

static u32 twstat_remotes_rows(const struct twstat_iter *it)
{
	const struct twstat_snapshot *s = it->snap;

	return s->rt.nrows + !!twstat_remote_used(&s->rt.other);
}

static void twstat_put_key(struct seq_file *m, const struct twstat_rkey *k)
{
	if (k->family == AF_INET6)
		seq_printf(m, "%pI6c %pI6c", &k->laddr, &k->raddr);
	else
		seq_printf(m, "%pI4 %pI4", &k->laddr.s6_addr32[3],
			   &k->raddr.s6_addr32[3]);
	seq_put_decimal_ull(m, " ", ntohs(k->rport));
}

/* used / range in percent, one decimal, rounded half up */
static void twstat_put_pct(struct seq_file *m, u32 used, u32 range)
{
	u64 tenths;

	if (!range) {
		seq_puts(m, " " TWSTAT_NO_VALUE);
		return;
	}
	tenths = div_u64((u64)used * 2000 + range, 2 * (u64)range);
	seq_put_decimal_ull(m, " ", div_u64(tenths, 10));
	seq_put_decimal_ull(m, ".", do_div(tenths, 10));
}

static void twstat_put_owner(struct seq_file *m, u64 owner)
{
	if (owner == TWSTAT_OWNER_UNKNOWN)
		seq_puts(m, " " TWSTAT_NO_VALUE);
	else
		seq_put_decimal_ull(m, " ", owner);
}

/* noport tw_recent tw_expiring owner */
static void twstat_remote_put_track(struct seq_file *m,
				    const struct twstat_remote *r, bool other)
{
	if (other)
		seq_puts(m, " " TWSTAT_NO_VALUE);
	else
		seq_put_decimal_ull(m, " ", r->noport);
	seq_put_decimal_ull(m, " ", r->tw_recent);
	seq_put_decimal_ull(m, " ", r->tw_expiring);
	if (other)
		seq_puts(m, " " TWSTAT_NO_VALUE);
	else
		twstat_put_owner(m, r->owner);
}

static void twstat_remotes_show(struct seq_file *m,
				const struct twstat_iter *it, u32 row)
{
	const struct twstat_snapshot *s = it->snap;
	bool other = row == s->rt.nrows;
	const struct twstat_remote *r = other ? &s->rt.other : &s->rt.rows[row];
	u32 used = twstat_remote_used(r);
	int i;

	if (other)
		seq_puts(m, TWSTAT_FOLDED_FIELD " " TWSTAT_FOLDED_FIELD " "
			 TWSTAT_FOLDED_FIELD);
	else
		twstat_put_key(m, &r->key);
	for (i = 0; i < TWSTAT_R_NCOLS; i++)
		seq_put_decimal_ull(m, " ", r->count[i]);
	seq_put_decimal_ull(m, " ", used);
	seq_put_decimal_ull(m, " ", s->port_range_size);
	if (other)
		seq_puts(m, " " TWSTAT_NO_VALUE);
	else
		twstat_put_pct(m, used, s->port_range_size);
	twstat_put_span(m, r->tw_min_ms, r->tw_max_ms);
	twstat_remote_put_track(m, r, other);
	seq_putc(m, '\n');
}

/* netns */

static u32 twstat_netns_rows(const struct twstat_iter *it)
{
	return it->ns->nrows + !!it->ns->nfolded;
}

static void twstat_put_none(struct seq_file *m, int n)
{
	while (n--)
		seq_puts(m, " " TWSTAT_NO_VALUE);
}

/* top_laddr top_raddr top_rport top_used top_pct */
static void twstat_put_top(struct seq_file *m, const struct twstat_ns_row *r)
{
	u32 used = twstat_remote_used(&r->top);

	if (!r->top.key.family) {
		twstat_put_none(m, 5);
		return;
	}
	seq_putc(m, ' ');
	twstat_put_key(m, &r->top.key);
	seq_put_decimal_ull(m, " ", used);
	twstat_put_pct(m, used, r->port_range_size);
}

/* The folded row has no namespace, so nothing per namespace to show. */
static void twstat_put_ns_own(struct seq_file *m, const struct twstat_ns_row *r,
			      bool folded)
{
	if (folded) {
		twstat_put_none(m, 4 + 5 + 1);
		return;
	}
	seq_put_decimal_ll(m, " ", r->port_lo);
	seq_put_decimal_ll(m, " ", r->port_hi);
	seq_put_decimal_ull(m, " ", r->port_range_size);
	seq_put_decimal_ll(m, " ", max(r->max_tw_buckets, 0));
	twstat_put_top(m, r);
	seq_put_decimal_ull(m, " ", r->remotes);
}

static void twstat_netns_show(struct seq_file *m,
			      const struct twstat_iter *it, u32 row)
{
	const struct twstat_ns_snapshot *s = it->ns;
	bool folded = row == s->nrows;
	const struct twstat_ns_row *r = folded ? &s->other : &s->rows[row];
	int i;

	if (folded)
		seq_puts(m, TWSTAT_FOLDED_FIELD);
	else
		seq_put_decimal_ull(m, "", r->inum);
	seq_put_decimal_ull(m, " ", r->tally.sockets);
	for (i = 0; i < TWSTAT_NSTATES; i++)
		seq_put_decimal_ull(m, " ", r->tally.state[i]);
	seq_put_decimal_ull(m, " ", r->tally.tw_v4);
	seq_put_decimal_ull(m, " ", r->tally.tw_v6);
	twstat_put_span(m, r->tw_min_ms, r->tw_max_ms);
	twstat_put_ns_own(m, r, folded);
	seq_putc(m, '\n');
}

/* owners */

static u32 twstat_owners_rows(const struct twstat_iter *it)
{
	return it->snap->ot.nrows;
}

static void twstat_owners_show(struct seq_file *m,
			       const struct twstat_iter *it, u32 row)
{
	const struct twstat_owner *o = &it->snap->ot.rows[row];
	int i;

	/* the owner column first: drop the space twstat_put_owner() puts */
	if (o->owner == TWSTAT_OWNER_UNKNOWN)
		seq_puts(m, TWSTAT_NO_VALUE);
	else
		seq_put_decimal_ull(m, "", o->owner);
	seq_put_decimal_ull(m, " ", o->sockets);
	for (i = 0; i < TWSTAT_NSTATES; i++)
		seq_put_decimal_ull(m, " ", o->count[i]);
	twstat_put_span(m, o->tw_min_ms, o->tw_max_ms);
	seq_putc(m, '\n');
}

/* failures */

static u32 twstat_failures_rows(const struct twstat_iter *it)
{
	return it->snap->nfails;
}

/* The pid as the reader's pid namespace sees it, 0 if gone or hidden. */
static pid_t twstat_reader_pid(u32 tgid)
{
	struct pid *pid;
	pid_t nr = 0;

	rcu_read_lock();
	pid = find_pid_ns(tgid, &init_pid_ns);
	if (pid)
		nr = pid_nr_ns(pid, task_active_pid_ns(current));
	rcu_read_unlock();
	return nr;
}

/* comm as one field: bytes not printable ASCII, and spaces, become '?' */
static void twstat_put_comm(struct seq_file *m, const char *comm)
{
	int i;

	seq_putc(m, ' ');
	for (i = 0; i < TASK_COMM_LEN && comm[i]; i++)
		seq_putc(m, comm[i] > ' ' && comm[i] <= '~' ? comm[i] : '?');
	if (!i)
		seq_puts(m, TWSTAT_NO_VALUE);
}

static void twstat_failures_show(struct seq_file *m,
				 const struct twstat_iter *it, u32 row)
{
	const struct twstat_failure *f = &it->snap->fails[row];
	pid_t pid = twstat_reader_pid(f->tgid);

	twstat_put_key(m, &f->key);
	seq_put_decimal_ull(m, " ", f->fails);
	if (pid)
		seq_put_decimal_ull(m, " ", pid);
	else
		seq_puts(m, " " TWSTAT_NO_VALUE);
	twstat_put_comm(m, f->comm);
	twstat_put_owner(m, f->owner);
	seq_put_decimal_ull(m, " ", f->last_ms);
	seq_putc(m, '\n');
}

enum twstat_file {
	TWSTAT_FILES(TWSTAT_ID_FILE)
	TWSTAT_NFILES,
};

static const char *const twstat_file_names[TWSTAT_NFILES] = {
	TWSTAT_FILES(TWSTAT_NAME_OF)
};

static const struct twstat_table twstat_tables[] = {
	[TWSTAT_F_SUMMARY] = {
		.kind = &twstat_kind_net,
		.open = twstat_summary_fill,
		.rows = twstat_summary_rows,
		.show = twstat_summary_show,
	},
	[TWSTAT_F_PORTS] = {
		.kind = &twstat_kind_net,
		.header = TWSTAT_PORTS_COLS(TWSTAT_SP_NAME, TWSTAT_SP_NAME) "\n",
		.rows = twstat_ports_rows,
		.show = twstat_ports_show,
	},
	[TWSTAT_F_TIMERS] = {
		.kind = &twstat_kind_net,
		.header = TWSTAT_TIMERS_COLS(TWSTAT_SP_NAME) "\n",
		.rows = twstat_timers_rows,
		.show = twstat_timers_show,
	},
	[TWSTAT_F_REMOTES] = {
		.kind = &twstat_kind_net,
		.header = TWSTAT_REMOTES_COLS(TWSTAT_SP_NAME) "\n",
		.rows = twstat_remotes_rows,
		.show = twstat_remotes_show,
	},
	[TWSTAT_F_NETNS] = {
		.kind = &twstat_kind_netns,
		.header = TWSTAT_NETNS_COLS(TWSTAT_SP_NAME, TWSTAT_SP_NAME) "\n",
		.rows = twstat_netns_rows,
		.show = twstat_netns_show,
	},
	[TWSTAT_F_OWNERS] = {
		.kind = &twstat_kind_net,
		.header = TWSTAT_OWNERS_COLS(TWSTAT_SP_NAME, TWSTAT_SP_NAME) "\n",
		.rows = twstat_owners_rows,
		.show = twstat_owners_show,
	},
	[TWSTAT_F_FAILURES] = {
		.kind = &twstat_kind_net,
		.header = TWSTAT_FAILURES_COLS(TWSTAT_SP_NAME) "\n",
		.rows = twstat_failures_rows,
		.show = twstat_failures_show,
	},
};

/* seq_file: position 0 is the header if there is one, then the rows. */

static void *twstat_seq_start(struct seq_file *m, loff_t *pos)
{
	const struct twstat_iter *it = m->private;
	loff_t n = it->table->rows(it) + !!it->table->header;

	return *pos < n ? pos : NULL;
}

static void *twstat_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return twstat_seq_start(m, pos);
}

static void twstat_seq_stop(struct seq_file *m, void *v)
{
}

static int twstat_seq_show(struct seq_file *m, void *v)
{
	const struct twstat_iter *it = m->private;
	loff_t pos = *(loff_t *)v;

	if (it->table->header && pos == 0)
		seq_puts(m, it->table->header + 1);	/* less the first space */
	else
		it->table->show(m, it, pos - !!it->table->header);
	return 0;
}

static const struct seq_operations twstat_seq_ops = {
	.start = twstat_seq_start,
	.next = twstat_seq_next,
	.stop = twstat_seq_stop,
	.show = twstat_seq_show,
};

/*
 * The reader's snapshot. One without CAP_NET_ADMIN over the netns is
 * bounded in how many snapshots it can make the netns hold (cache.c).
 */
static int twstat_open_snapshot(struct twstat_iter *it, struct net *net,
				struct file *file)
{
	bool bounded = !file_ns_capable(file, net->user_ns, CAP_NET_ADMIN);
	struct twstat_snap_head *head;

	head = twstat_cache_get(net, it->table->kind, bounded);
	if (IS_ERR(head))
		return PTR_ERR(head);
	it->head = head;
	if (it->table->kind->all_netns)
		it->ns = container_of(head, struct twstat_ns_snapshot, head);
	else
		it->snap = container_of(head, struct twstat_snapshot, head);
	it->age_ms = div_u64(ktime_get_ns() - head->taken_ns, NSEC_PER_MSEC);
	twstat_cache_counts(net, &it->live, &it->over_limit);
	if (it->table->open)
		it->table->open(it);
	return 0;
}

/*
 * Every namespace's sockets: only for a reader in the initial netns with
 * CAP_NET_ADMIN over it. A reader elsewhere (say, a container reaching the
 * host's file through /proc/PID/net) is refused even with the capability,
 * and nobody gets a partial table.
 */
static int twstat_may_open(const struct twstat_table *t, struct file *file)
{
	if (file->f_mode & FMODE_WRITE)
		return -EACCES;
	if (!t->kind->all_netns)
		return 0;
	if (!net_eq(current->nsproxy->net_ns, &init_net) ||
	    !file_ns_capable(file, &init_user_ns, CAP_NET_ADMIN))
		return -EACCES;
	return 0;
}

static int twstat_proc_open(struct inode *inode, struct file *file)
{
	struct twstat_iter *it;
	struct net *net;
	int err;

	err = twstat_may_open(pde_data(inode), file);
	if (err)
		return err;
	/* the directory's data is its netns (proc_net_mkdir) */
	net = maybe_get_net(proc_get_parent_data(inode));
	if (!net)
		return -ENXIO;
	it = __seq_open_private(file, &twstat_seq_ops, sizeof(*it));
	if (!it) {
		err = -ENOMEM;
		goto err_put_net;
	}
	it->table = pde_data(inode);
	err = twstat_open_snapshot(it, net, file);
	if (err)
		goto err_release_seq;
	put_net(net);
	return 0;

err_release_seq:
	seq_release_private(inode, file);
err_put_net:
	put_net(net);
	return err;
}

static int twstat_proc_release(struct inode *inode, struct file *file)
{
	struct twstat_iter *it = ((struct seq_file *)file->private_data)->private;

	twstat_snap_put(it->head);
	return seq_release_private(inode, file);
}

static const struct proc_ops twstat_proc_ops = {
	.proc_open = twstat_proc_open,
	.proc_read_iter = seq_read_iter,
	.proc_lseek = seq_lseek,
	.proc_release = twstat_proc_release,
};

int twstat_proc_init(struct net *net)
{
	struct twstat_net *tn = twstat_net(net);
	int i;

	/* proc_net_mkdir: the directory must resolve per reader's netns */
	tn->dir = proc_net_mkdir(net, TWSTAT_DIR_NAME, net->proc_net);
	if (!tn->dir)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(twstat_tables); i++) {
		/* every namespace is seen from the initial one only */
		if (twstat_tables[i].kind->all_netns &&
		    !net_eq(net, &init_net))
			continue;
		if (!proc_create_data(twstat_file_names[i], 0444, tn->dir,
				      &twstat_proc_ops,
				      (void *)&twstat_tables[i]))
			goto err_remove_dir;
	}
	return 0;

err_remove_dir:
	proc_remove(tn->dir);
	return -ENOMEM;
}

void twstat_proc_exit(struct net *net)
{
	proc_remove(twstat_net(net)->dir);
}
