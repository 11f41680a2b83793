/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --prometheus: the view's figures in the Prometheus text exposition
 * format, for node_exporter's textfile collector. Metric names start with
 * twstat_; every sample carries a netns label; docs/interface.md lists the
 * families.
 */
#ifndef TW_PROM_H
#define TW_PROM_H

#include <stdio.h>

#include "views.h"

void tw_prom_render(FILE *out, const struct tw_view_ctx *ctx);

#endif /* TW_PROM_H */
