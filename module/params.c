// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters. Every value is checked completely before it is
 * stored: a bad value at insmod fails the load, a bad write to
 * /sys/module/twstat/parameters/ fails with -EINVAL and keeps the old
 * value. Readers (the walk) take each value once with READ_ONCE().
 */
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "twstat.h"

/* Longest piece of a rejected value quoted back in dmesg. */
#define TWSTAT_QUOTE_MAX	32

struct twstat_uint_param {
	unsigned int val;
	unsigned int min;
	unsigned int max;
};

static void twstat_param_reject(const struct kernel_param *kp,
				const char *val, const char *expected)
{
	int len = min_t(size_t, strcspn(val, "\n"), TWSTAT_QUOTE_MAX);

	pr_err("invalid %s='%.*s': expected %s\n", kp->name, len, val,
	       expected);
}

static int twstat_uint_set(const char *val, const struct kernel_param *kp)
{
	struct twstat_uint_param *p = kp->arg;
	char expected[48];
	unsigned int v;

	/* kstrtouint: decimal digits, one optional trailing newline */
	if (kstrtouint(val, 10, &v) || v < p->min || v > p->max) {
		snprintf(expected, sizeof(expected), "an integer in %u..%u",
			 p->min, p->max);
		twstat_param_reject(kp, val, expected);
		return -EINVAL;
	}
	WRITE_ONCE(p->val, v);
	return 0;
}

static int twstat_uint_get(char *buf, const struct kernel_param *kp)
{
	const struct twstat_uint_param *p = kp->arg;

	return sysfs_emit(buf, "%u\n", READ_ONCE(p->val));
}

static const struct kernel_param_ops twstat_uint_ops = {
	.set = twstat_uint_set,
	.get = twstat_uint_get,
};

/* 1 MiB rows of 88 bytes at most: 88 MiB, an explicit admin choice. */
static struct twstat_uint_param twstat_max_remotes = {
	.val = 4096, .min = 1, .max = 1048576,
};
module_param_cb(max_remotes, &twstat_uint_ops, &twstat_max_remotes, 0644);
MODULE_PARM_DESC(max_remotes,
		 "destinations tracked per snapshot before folding into 'other' (1..1048576, default 4096)");

static struct twstat_uint_param twstat_cache_ms = {
	.val = 1000, .min = 0, .max = 60000,
};
module_param_cb(cache_ms, &twstat_uint_ops, &twstat_cache_ms, 0644);
MODULE_PARM_DESC(cache_ms,
		 "opens within this many ms of a walk share its snapshot (0..60000, default 1000)");

/* Rows of about 128 bytes, plus each namespace's destination table. */
static struct twstat_uint_param twstat_max_netns = {
	.val = 4096, .min = 1, .max = 65536,
};
module_param_cb(max_netns, &twstat_uint_ops, &twstat_max_netns, 0644);
MODULE_PARM_DESC(max_netns,
		 "namespaces with a row of their own in the netns file before folding into '*' (1..65536, default 4096)");

static bool twstat_remotes_all_val;

static int twstat_scope_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "ephemeral")) {
		WRITE_ONCE(twstat_remotes_all_val, false);
	} else if (sysfs_streq(val, "all")) {
		WRITE_ONCE(twstat_remotes_all_val, true);
	} else {
		twstat_param_reject(kp, val, "'ephemeral' or 'all'");
		return -EINVAL;
	}
	return 0;
}

static int twstat_scope_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", READ_ONCE(twstat_remotes_all_val) ?
				       "all" : "ephemeral");
}

static const struct kernel_param_ops twstat_scope_ops = {
	.set = twstat_scope_set,
	.get = twstat_scope_get,
};
module_param_cb(remotes_scope, &twstat_scope_ops, NULL, 0644);
MODULE_PARM_DESC(remotes_scope,
		 "sockets counted in remotes: 'ephemeral' (local port in ip_local_port_range, default) or 'all'");

static bool twstat_track_val = true;

/* Applied at once: the probe is registered or unregistered (probe.c). */
static int twstat_track_set(const char *val, const struct kernel_param *kp)
{
	bool old = READ_ONCE(twstat_track_val), v;
	int err;

	if (sysfs_streq(val, "0")) {
		v = false;
	} else if (sysfs_streq(val, "1")) {
		v = true;
	} else {
		twstat_param_reject(kp, val, "0 or 1");
		return -EINVAL;
	}
	WRITE_ONCE(twstat_track_val, v);
	err = twstat_probe_sync();
	if (err) {
		pr_err("track=%d: probe (un)registration failed: %d\n", v, err);
		WRITE_ONCE(twstat_track_val, old);
	}
	return err;
}

static int twstat_track_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(twstat_track_val));
}

static const struct kernel_param_ops twstat_track_ops = {
	.set = twstat_track_set,
	.get = twstat_track_get,
};
module_param_cb(track, &twstat_track_ops, NULL, 0644);
MODULE_PARM_DESC(track,
		 "record owners of TIME_WAIT sockets and failed connects (0 or 1, default 1)");

/*
 * 0: twice the initial netns's tcp_max_tw_buckets, from 4096 up to 2^20
 * records (24 MiB; twstat_param_track_max()): a host whose admin raised
 * that sysctl to millions should not find hundreds of MiB gone at insmod.
 * Another size is an explicit choice, from TWSTAT_TRACK_MIN (12 KiB, 64
 * buckets: a table a test fills with a few hundred handovers) up to
 * TWSTAT_TRACK_MAX (384 MiB).
 */
#define TWSTAT_TRACK_MIN	512
#define TWSTAT_TRACK_DEFAULT_MIN	4096
#define TWSTAT_TRACK_DEFAULT_MAX	1048576
#define TWSTAT_TRACK_MAX	16777216

static unsigned int twstat_track_max_val;

static int twstat_track_max_set(const char *val,
				const struct kernel_param *kp)
{
	unsigned int v;

	if (kstrtouint(val, 10, &v) ||
	    (v && (v < TWSTAT_TRACK_MIN || v > TWSTAT_TRACK_MAX))) {
		twstat_param_reject(kp, val, "0, or an integer in 512..16777216");
		return -EINVAL;
	}
	twstat_track_max_val = v;
	return 0;
}

static const struct kernel_param_ops twstat_track_max_ops = {
	.set = twstat_track_max_set,
	.get = param_get_uint,
};

/* read-only at run time: the table is allocated once, at load */
module_param_cb(track_max, &twstat_track_max_ops, &twstat_track_max_val,
		0444);
MODULE_PARM_DESC(track_max,
		 "owner records of 24 bytes, at load (0: twice tcp_max_tw_buckets up to 1048576, default; else 512..16777216)");

bool twstat_param_track(void)
{
	return READ_ONCE(twstat_track_val);
}

/* The records to allocate at load. */
u32 twstat_param_track_max(void)
{
	u32 v = twstat_track_max_val;

	if (!v)
		v = clamp_t(u32, 2 * max(twstat_max_tw_buckets(&init_net), 0),
			    TWSTAT_TRACK_DEFAULT_MIN, TWSTAT_TRACK_DEFAULT_MAX);
	return v;
}

void twstat_params_read(struct twstat_params *p)
{
	p->max_remotes = READ_ONCE(twstat_max_remotes.val);
	p->max_netns = READ_ONCE(twstat_max_netns.val);
	p->remotes_all = READ_ONCE(twstat_remotes_all_val);
}

u32 twstat_param_cache_ms(void)
{
	return READ_ONCE(twstat_cache_ms.val);
}
