// SPDX-License-Identifier: GPL-2.0
/*
 * Strict decimal parsing (see parse.h).
 *
 * Owns: digits to numbers. Must not: report errors (callers word them).
 */
#include <stdbool.h>
#include <string.h>

#include "parse.h"

/* Parse digits [s, end) into *out; false if empty, non-digit or overflow. */
static bool tw_digits(const char *s, const char *end, uint64_t *out)
{
	uint64_t v = 0;

	if (s == end)
		return false;
	for (; s < end; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (d > 9)
			return false;
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static bool tw_all_digits(const char *s, const char *end)
{
	for (; s < end; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

enum tw_parse_rc tw_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	const char *end = s + strlen(s);
	uint64_t v;

	if (!tw_digits(s, end, &v))
		return s != end && tw_all_digits(s, end) ? TW_PARSE_RANGE :
							   TW_PARSE_SYNTAX;
	if (v > max)
		return TW_PARSE_RANGE;
	*out = v;
	return TW_PARSE_OK;
}

enum tw_parse_rc tw_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v;
	enum tw_parse_rc rc = tw_parse_u64(s, max, &v);

	if (rc == TW_PARSE_OK)
		*out = (uint32_t)v;
	return rc;
}

enum tw_parse_rc tw_parse_fixed(const char *s, unsigned int decimals,
				uint64_t max_scaled, uint64_t *out)
{
	const char *dot = strchr(s, '.'), *end = s + strlen(s);
	uint64_t ipart, fpart = 0, scale = 1;
	size_t nfrac = dot ? (size_t)(end - dot - 1) : 0;
	unsigned int i;

	if (decimals > 6 || nfrac > decimals || (dot && !nfrac))
		return TW_PARSE_SYNTAX;
	if (!tw_digits(s, dot ? dot : end, &ipart))
		return tw_all_digits(s, dot ? dot : end) &&
				       s != (dot ? dot : end) ?
			       TW_PARSE_RANGE :
			       TW_PARSE_SYNTAX;
	if (dot && !tw_digits(dot + 1, end, &fpart))
		return TW_PARSE_SYNTAX;
	for (i = 0; i < decimals; i++)
		scale *= 10;
	for (i = (unsigned int)nfrac; i < decimals; i++)
		fpart *= 10;
	if (fpart > max_scaled || ipart > (max_scaled - fpart) / scale)
		return TW_PARSE_RANGE;
	*out = ipart * scale + fpart;
	return TW_PARSE_OK;
}

int tw_parse_port_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	const char *dash = strchr(s, '-');
	char first[8];
	uint32_t a, b;
	size_t len = dash ? (size_t)(dash - s) : strlen(s);

	if (len >= sizeof(first))
		return -1;
	memcpy(first, s, len);
	first[len] = '\0';
	if (tw_parse_u32(first, 65535, &a) || a < 1)
		return -1;
	b = a;
	if (dash && (tw_parse_u32(dash + 1, 65535, &b) || b < a))
		return -1;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}
