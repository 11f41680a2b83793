/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus renderer: render.c begins an exposition, hands it each
 * section the view shows (the section table's prom functions, below) and
 * ends it. Nothing here calls back into render.c.
 */
#ifndef TW_PROM_H
#define TW_PROM_H

#include <stdio.h>

#include "render.h"

/* Start an exposition on @out: twstat_info, the read time. */
struct tw_prom *tw_prom_begin(FILE *out, const struct tw_view_ctx *ctx);
/* End it and free @p. */
void tw_prom_end(struct tw_prom *p);

/* The sections' families. */
void tw_prom_summary(struct tw_prom *p);
void tw_prom_ports(struct tw_prom *p);
void tw_prom_remotes(struct tw_prom *p);
void tw_prom_timers(struct tw_prom *p);
void tw_prom_netns(struct tw_prom *p);
void tw_prom_owners(struct tw_prom *p);
void tw_prom_failures(struct tw_prom *p);

#endif /* TW_PROM_H */
