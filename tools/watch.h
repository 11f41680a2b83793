/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --watch: redraw the view every SECS seconds (clearing the screen when
 * stdout is a terminal, like watch(1)), with each port's time-wait change
 * since the previous refresh and TIME_WAIT rates from the TcpExt counters
 * of /proc/net/netstat. SIGINT/SIGTERM end it cleanly (exit 0).
 */
#ifndef TW_WATCH_H
#define TW_WATCH_H

#include "err.h"
#include "options.h"

int tw_watch(const struct tw_opts *o, const char *netns, struct tw_err *err);

#endif /* TW_WATCH_H */
