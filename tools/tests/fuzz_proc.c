// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the tool's text parsers: the files of
 * /proc/net/twstat (summary, ports, timers, remotes, owners, failures) and the kernel files the diag source and --watch read.
 * The first input byte picks the parser, the rest is the file. A parser
 * must either fail cleanly or return data that keeps its invariants.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"
#include "sysfiles.h"

enum {
	FZ_SUMMARY,
	FZ_PORTS,
	FZ_TIMERS,
	FZ_REMOTES,
	FZ_U64,
	FZ_PORT_RANGE,
	FZ_RESERVED,
	FZ_SOCKSTAT,
	FZ_NETSTAT,
	FZ_OWNERS,
	FZ_FAILURES,
	FZ_COUNT,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fz_check_ports(const struct tw_snap *s)
{
	size_t i;

	for (i = 0; i < s->nports; i++) {
		if (!s->ports[i].port)
			abort();
		if (i && s->ports[i - 1].port >= s->ports[i].port)
			abort();
		if (s->ports[i].tw_min_ms != TW_NO_TIMER &&
		    s->ports[i].tw_min_ms > s->ports[i].tw_max_ms)
			abort();
	}
}

static void fz_check_remotes(const struct tw_snap *s)
{
	size_t i;

	for (i = 0; i < s->nremotes; i++) {
		if (!s->remotes[i].key.family && i + 1 != s->nremotes)
			abort();
		if (i && s->remotes[i].key.family &&
		    tw_remote_cmp(&s->remotes[i - 1], &s->remotes[i]) >= 0)
			abort();
	}
}

static void fz_check_owners(const struct tw_snap *s)
{
	size_t i;

	for (i = 1; i < s->nowners; i++)
		if (tw_owner_cmp(&s->owners[i - 1], &s->owners[i]) >= 0)
			abort();
	for (i = 1; i < s->nfailures; i++)
		if (tw_failure_cmp(&s->failures[i - 1], &s->failures[i]) >= 0)
			abort();
}

static void fz_sys(int which, struct tw_lines *lr, struct tw_err *err)
{
	struct tw_netstat ns;
	uint32_t lo, hi, usable;
	uint64_t v;

	switch (which) {
	case FZ_U64:
		tw_sys_parse_u64(lr, UINT64_MAX, &v, err);
		break;
	case FZ_PORT_RANGE:
		if (!tw_sys_parse_port_range(lr, &lo, &hi, err) &&
		    (lo < 1 || lo > hi || hi > 65535))
			abort();
		break;
	case FZ_RESERVED:
		if (!tw_sys_parse_reserved(lr, 1, 65535, &usable, err) &&
		    usable > 65535)
			abort();
		break;
	case FZ_SOCKSTAT:
		tw_sys_parse_sockstat(lr, &v, err);
		break;
	default:
		tw_sys_parse_netstat(lr, &ns, err);
		break;
	}
}

static void fz_twstat(int which, struct tw_lines *lr, struct tw_err *err)
{
	struct tw_snap snap;

	memset(&snap, 0, sizeof(snap));
	switch (which) {
	case FZ_SUMMARY:
		tw_proc_parse(TW_F_SUMMARY, lr, &snap, err);
		break;
	case FZ_PORTS:
		if (!tw_proc_parse(TW_F_PORTS, lr, &snap, err))
			fz_check_ports(&snap);
		break;
	case FZ_TIMERS:
		tw_proc_parse(TW_F_TIMERS, lr, &snap, err);
		break;
	case FZ_OWNERS:
	case FZ_FAILURES:
		if (!tw_proc_parse(which == FZ_OWNERS ? TW_F_OWNERS :
							TW_F_FAILURES,
				   lr, &snap, err))
			fz_check_owners(&snap);
		break;
	default:
		if (!tw_proc_parse(TW_F_REMOTES, lr, &snap, err))
			fz_check_remotes(&snap);
		break;
	}
	tw_snap_free(&snap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tw_lines lr;
	struct tw_err err;
	int which;
	FILE *f;

	if (!size)
		return 0;
	which = data[0] % FZ_COUNT;
	f = fmemopen((void *)(data + 1), size - 1, "r");
	if (!f)
		return 0;
	tw_lines_init(&lr, f, "fuzz", which == FZ_NETSTAT ? 16384 : 4096);
	lr.tabs = which >= FZ_U64 && which <= FZ_NETSTAT;
	if (which < FZ_U64 || which > FZ_NETSTAT)
		fz_twstat(which, &lr, &err);
	else
		fz_sys(which, &lr, &err);
	tw_lines_close(&lr);
	fclose(f);
	return 0;
}
