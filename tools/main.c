// SPDX-License-Identifier: GPL-2.0
/*
 * twstat: TCP TIME_WAIT and port usage per port, per destination and by
 * timer remainder, from the twstat module's /proc/net/twstat files or from
 * sock_diag. Exit status: 0 success, 1 runtime error (one line on stderr),
 * 2 bad usage.
 *
 * Owns: the order of things (options, netns, load, render, write). Must
 * not: hold any logic of its own.
 */
#include <stdio.h>
#include <stdlib.h>

#include "netns.h"
#include "options.h"
#include "render.h"
#include "load.h"
#include "watch.h"

static int tw_once(const struct tw_opts *o, const char *netns,
		   struct tw_err *err)
{
	struct tw_load ld = { o->root, o->source, tw_view_needs(o->view) };
	struct tw_view_ctx ctx = { .opts = o, .netns = netns };
	struct tw_snap snap;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	rc = tw_load_snap(&ld, &snap, err);
	if (!rc) {
		ctx.snap = &snap;
		tw_render(&ctx, o->format, &buf, &len);
		rc = tw_write_out(buf, len, err);
	}
	free(buf);
	tw_snap_free(&snap);
	return rc;
}

int main(int argc, char **argv)
{
	struct tw_err err = { "" };
	struct tw_opts o;
	char *netns = NULL;
	int rc;

	switch (tw_opts_parse(argc, argv, &o)) {
	case TW_OPTS_EXIT:
		return 0;
	case TW_OPTS_USAGE:
		return 2;
	default:
		break;
	}
	rc = o.netns ? tw_netns_enter(o.netns, &err) : 0;
	if (!rc) {
		netns = tw_netns_label(o.root, o.netns);
		rc = o.watch_ms ? tw_watch(&o, netns, &err) :
				  tw_once(&o, netns, &err);
	}
	free(netns);
	if (rc)
		fprintf(stderr, "twstat: %s\n", err.msg);
	return rc ? 1 : 0;
}
