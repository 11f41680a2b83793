// SPDX-License-Identifier: GPL-2.0
/*
 * Address parsing and kernel-compatible formatting (see addr.h).
 *
 * Owns: the text form of addresses. Must not: resolve names (no NSS).
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"

int tw_addr_parse(const char *s, uint8_t *family, uint8_t a[16])
{
	memset(a, 0, 16);
	if (inet_pton(AF_INET, s, a + 12) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

static unsigned int tw_word(const uint8_t a[16], int i)
{
	return (unsigned int)a[2 * i] << 8 | a[2 * i + 1];
}

/* ::ffff:0:0/96 and ISATAP (::5efe:a.b.c.d) end in a dotted quad. */
static bool tw_addr_dotted_tail(const uint8_t a[16])
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (!memcmp(a, mapped, sizeof(mapped)))
		return true;
	return (a[8] | 0x02) == 0x02 && a[9] == 0 && a[10] == 0x5e &&
	       a[11] == 0xfe;
}

/* Start and length of the first longest run of zero words (length >= 2). */
static int tw_zero_run(const uint8_t a[16], int range, int *len)
{
	int i, j, pos = -1, best = 1;

	for (i = 0; i < range; i++) {
		for (j = i; j < range && !tw_word(a, j); j++)
			;
		if (j - i > best) {
			best = j - i;
			pos = i;
		}
	}
	*len = best;
	return pos;
}

static void tw_addr6_format(const uint8_t a[16], char *buf)
{
	bool v4 = tw_addr_dotted_tail(a), colon = false;
	int range = v4 ? 6 : 8, run, pos = tw_zero_run(a, range, &run), i;
	char *p = buf;

	for (i = 0; i < range; i++) {
		if (i == pos) {
			p += sprintf(p, (colon || i == 0) ? "::" : ":");
			colon = false;
			i += run - 1;
			continue;
		}
		p += sprintf(p, colon ? ":%x" : "%x", tw_word(a, i));
		colon = true;
	}
	if (v4)
		sprintf(p, "%s%u.%u.%u.%u", colon ? ":" : "", a[12], a[13],
			a[14], a[15]);
}

void tw_addr_format(uint8_t family, const uint8_t a[16],
		    char buf[TW_ADDR_STRLEN])
{
	if (family == AF_INET6)
		tw_addr6_format(a, buf);
	else
		sprintf(buf, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
}
