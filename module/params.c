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

/* 1 MiB rows of 64 bytes at most: 64 MiB, an explicit admin choice. */
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
