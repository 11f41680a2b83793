// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/twstat/{summary,ports,timers,remotes}: rendering.
 *
 * open() takes a snapshot reference (cache.c); every read renders rows of
 * that snapshot, so a seq_file buffer overflow or a short read re-renders
 * a row, never re-walks the table. Each file is one table: an optional
 * header line, then rows; the format is docs/interface.md.
 */
#include <linux/math64.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>

#include "twstat.h"

/* Room for every summary key; twstat_summary_fill() checks it. */
#define TWSTAT_SUMMARY_MAX	48

const char *const twstat_state_names[TWSTAT_NSTATES] = {
	[TWSTAT_ESTAB]		= "estab",
	[TWSTAT_SYN_SENT]	= "syn-sent",
	[TWSTAT_SYN_RECV]	= "syn-recv",
	[TWSTAT_FIN_WAIT1]	= "fin-wait-1",
	[TWSTAT_FIN_WAIT2]	= "fin-wait-2",
	[TWSTAT_TIME_WAIT]	= "time-wait",
	[TWSTAT_CLOSE]		= "close",
	[TWSTAT_CLOSE_WAIT]	= "close-wait",
	[TWSTAT_LAST_ACK]	= "last-ack",
	[TWSTAT_CLOSING]	= "closing",
};

struct twstat_kv {
	const char *key;
	u64 val;
};

struct twstat_iter {
	const struct twstat_table *table;
	struct twstat_snapshot *snap;
	u32 nkv;
	struct twstat_kv kv[TWSTAT_SUMMARY_MAX];	/* summary only */
};

struct twstat_table {
	const char *name;
	void (*open)(struct twstat_iter *it, u64 age_ms); /* NULL: nothing */
	void (*header)(struct seq_file *m);		/* NULL: no header */
	u32 (*rows)(const struct twstat_iter *it);
	void (*show)(struct seq_file *m, const struct twstat_iter *it, u32 row);
};

static void twstat_put_span(struct seq_file *m, u32 min_ms, u32 max_ms)
{
	if (min_ms == TWSTAT_NO_TIMER) {
		seq_puts(m, " - -");
		return;
	}
	seq_put_decimal_ull(m, " ", min_ms);
	seq_put_decimal_ull(m, " ", max_ms);
}

/* summary */

static void twstat_kv_add(struct twstat_iter *it, const char *key, u64 val)
{
	if (!WARN_ON_ONCE(it->nkv == TWSTAT_SUMMARY_MAX))
		it->kv[it->nkv++] = (struct twstat_kv){ key, val };
}

/* The keys in docs/interface.md order; new keys go at the end. */
static void twstat_summary_fill(struct twstat_iter *it, u64 age_ms)
{
	const struct twstat_snapshot *s = it->snap;
	int i;

	twstat_kv_add(it, "version", TWSTAT_IFACE_VERSION);
	twstat_kv_add(it, "walk_ns", s->stats.walk_ns);
	twstat_kv_add(it, "ehash_buckets", s->stats.buckets);
	twstat_kv_add(it, "sockets", s->sockets);
	for (i = 0; i < TWSTAT_NSTATES; i++)
		twstat_kv_add(it, twstat_state_names[i], s->state[i]);
	twstat_kv_add(it, "tw_sockets", s->tw_v4 + s->tw_v6);
	twstat_kv_add(it, "tw_v4", s->tw_v4);
	twstat_kv_add(it, "tw_v6", s->tw_v6);
	twstat_kv_add(it, "max_tw_buckets", max(s->max_tw_buckets, 0));
	twstat_kv_add(it, "sockstat_tw", max(s->sockstat_tw, 0));
	twstat_kv_add(it, "port_range_lo", s->port_lo);
	twstat_kv_add(it, "port_range_hi", s->port_hi);
	twstat_kv_add(it, "unknown_state", s->unknown_state);
	twstat_kv_add(it, "port_range_size", s->port_range_size);
	twstat_kv_add(it, "snapshot_age_ms", age_ms);
	twstat_kv_add(it, "walks", s->walk_no);
	twstat_kv_add(it, "lock_max_ns", s->stats.lock_max_ns);
	twstat_kv_add(it, "buckets_used", s->stats.buckets_used);
	twstat_kv_add(it, "snapshot_bytes", s->bytes);
	twstat_kv_add(it, "remotes", s->nremotes);
	twstat_kv_add(it, "remotes_folded", s->remotes_folded);
	twstat_kv_add(it, "remotes_sockets", s->remotes_sockets);
	twstat_kv_add(it, "remotes_folded_estimated",
		      s->remotes_folded_estimated);
	twstat_kv_add(it, "max_remotes", s->max_remotes);
}

static u32 twstat_summary_rows(const struct twstat_iter *it)
{
	return it->nkv;
}

static void twstat_summary_show(struct seq_file *m,
				const struct twstat_iter *it, u32 row)
{
	seq_puts(m, it->kv[row].key);
	seq_put_decimal_ull(m, " ", it->kv[row].val);
	seq_putc(m, '\n');
}

/* ports */

static void twstat_ports_header(struct seq_file *m)
{
	int i;

	seq_puts(m, "port");
	for (i = 0; i < TWSTAT_NSTATES; i++)
		seq_printf(m, " %s", twstat_state_names[i]);
	seq_puts(m, " tw_min_ms tw_max_ms\n");
}

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

static void twstat_timers_header(struct seq_file *m)
{
	seq_puts(m, "sec count\n");
}

static u32 twstat_timers_rows(const struct twstat_iter *it)
{
	return TWSTAT_TIMER_SECS;
}

static void twstat_timers_show(struct seq_file *m,
			       const struct twstat_iter *it, u32 row)
{
	seq_put_decimal_ull(m, "", row);
	seq_put_decimal_ull(m, " ", it->snap->timers[row]);
	seq_putc(m, '\n');
}

/* remotes */

static void twstat_remotes_header(struct seq_file *m)
{
	seq_puts(m, "laddr raddr rport estab time-wait fin-wait-2 other used range pct tw_min_ms tw_max_ms\n");
}

static u32 twstat_remotes_rows(const struct twstat_iter *it)
{
	const struct twstat_snapshot *s = it->snap;

	return s->nremotes + !!twstat_remote_used(&s->other);
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
		seq_puts(m, " -");
		return;
	}
	tenths = div_u64((u64)used * 2000 + range, 2 * (u64)range);
	seq_put_decimal_ull(m, " ", div_u64(tenths, 10));
	seq_put_decimal_ull(m, ".", do_div(tenths, 10));
}

static void twstat_remotes_show(struct seq_file *m,
				const struct twstat_iter *it, u32 row)
{
	const struct twstat_snapshot *s = it->snap;
	bool other = row == s->nremotes;
	const struct twstat_remote *r = other ? &s->other : &s->remotes[row];
	u32 used = twstat_remote_used(r);
	int i;

	if (other)
		seq_puts(m, "* * *");
	else
		twstat_put_key(m, &r->key);
	for (i = 0; i < TWSTAT_R_NCOLS; i++)
		seq_put_decimal_ull(m, " ", r->count[i]);
	seq_put_decimal_ull(m, " ", used);
	seq_put_decimal_ull(m, " ", s->port_range_size);
	if (other)
		seq_puts(m, " -");
	else
		twstat_put_pct(m, used, s->port_range_size);
	twstat_put_span(m, r->tw_min_ms, r->tw_max_ms);
	seq_putc(m, '\n');
}

static const struct twstat_table twstat_tables[] = {
	{
		.name = "summary",
		.open = twstat_summary_fill,
		.rows = twstat_summary_rows,
		.show = twstat_summary_show,
	}, {
		.name = "ports",
		.header = twstat_ports_header,
		.rows = twstat_ports_rows,
		.show = twstat_ports_show,
	}, {
		.name = "timers",
		.header = twstat_timers_header,
		.rows = twstat_timers_rows,
		.show = twstat_timers_show,
	}, {
		.name = "remotes",
		.header = twstat_remotes_header,
		.rows = twstat_remotes_rows,
		.show = twstat_remotes_show,
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
		it->table->header(m);
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

static int twstat_open_snapshot(struct twstat_iter *it, struct net *net)
{
	u64 age_ms;

	it->snap = twstat_cache_get(net);
	if (IS_ERR(it->snap))
		return PTR_ERR(it->snap);
	age_ms = div_u64(ktime_get_ns() - it->snap->taken_ns, NSEC_PER_MSEC);
	if (it->table->open)
		it->table->open(it, age_ms);
	return 0;
}

static int twstat_proc_open(struct inode *inode, struct file *file)
{
	struct twstat_iter *it;
	struct net *net;
	int err;

	if (file->f_mode & FMODE_WRITE)
		return -EACCES;
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
	err = twstat_open_snapshot(it, net);
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

	twstat_snapshot_put(it->snap);
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
	tn->dir = proc_net_mkdir(net, "twstat", net->proc_net);
	if (!tn->dir)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(twstat_tables); i++) {
		if (!proc_create_data(twstat_tables[i].name, 0444, tn->dir,
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
