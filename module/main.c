// SPDX-License-Identifier: GPL-2.0
/*
 * twstat: per-port TCP state counts and TIME_WAIT timers, from a walk of
 * the TCP established hash (ehash) of the reader's network namespace,
 * published in /proc/net/twstat/. See docs/interface.md.
 */
#include <linux/module.h>
#include <net/net_namespace.h>

#include "twstat.h"

unsigned int twstat_net_id __read_mostly;

static int __net_init twstat_net_init(struct net *net)
{
	twstat_cache_init(net);
	return twstat_proc_init(net);
}

static void __net_exit twstat_net_exit(struct net *net)
{
	/* removing the files releases every open one: no reader remains */
	twstat_proc_exit(net);
	twstat_cache_exit(net);
	twstat_failures_forget(net);
}

static struct pernet_operations twstat_net_ops = {
	.init = twstat_net_init,
	.exit = twstat_net_exit,
	.id = &twstat_net_id,
	.size = sizeof(struct twstat_net),
};

/*
 * The probe comes last: it may use every netns's state from its first
 * call. Unload unregisters it and waits for running probes first.
 */
static int __init twstat_init(void)
{
	int err;

	err = twstat_records_init(twstat_param_track_max());
	if (err)
		return err;
	err = register_pernet_subsys(&twstat_net_ops);
	if (err)
		goto err_records;
	err = twstat_probe_init();
	if (err)
		goto err_pernet;
	return 0;

err_pernet:
	unregister_pernet_subsys(&twstat_net_ops);
err_records:
	twstat_records_exit();
	return err;
}

static void __exit twstat_exit(void)
{
	twstat_probe_exit();
	unregister_pernet_subsys(&twstat_net_ops);
	twstat_records_exit();
}

module_init(twstat_init);
module_exit(twstat_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("TCP TIME_WAIT and per-port state statistics in /proc/net/twstat");
MODULE_AUTHOR("twstat developers");
/* debian/changelog's, through module/Kbuild (or dkms.conf) */
#ifndef TWSTAT_VERSION
#error "TWSTAT_VERSION unset: build from the source tree, or pass TWSTAT_VERSION"
#endif
MODULE_VERSION(TWSTAT_VERSION);
