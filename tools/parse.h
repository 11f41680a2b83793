/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Strict number parsing for /proc fields and command-line arguments:
 * ASCII digits only (no sign, no space, no hex), an explicit upper bound,
 * and the whole string consumed.
 */
#ifndef TW_PARSE_H
#define TW_PARSE_H

#include <stdint.h>

enum tw_parse_rc {
	TW_PARSE_OK = 0,
	TW_PARSE_SYNTAX = -1, /* not a decimal number */
	TW_PARSE_RANGE = -2, /* a number, but above the bound */
};

enum tw_parse_rc tw_parse_u64(const char *s, uint64_t max, uint64_t *out);
enum tw_parse_rc tw_parse_u32(const char *s, uint32_t max, uint32_t *out);

/*
 * A non-negative decimal with at most @decimals digits after an optional
 * '.', returned multiplied by 10^@decimals ("2.5", 1 -> 25); bounded by
 * @max_scaled. @decimals <= 6.
 */
enum tw_parse_rc tw_parse_fixed(const char *s, unsigned int decimals,
				uint64_t max_scaled, uint64_t *out);

/* "P" or "LO-HI" with 1 <= LO <= HI <= 65535. 0 or -1. */
int tw_parse_port_range(const char *s, uint16_t *lo, uint16_t *hi);

#endif /* TW_PARSE_H */
