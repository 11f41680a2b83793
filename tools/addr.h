/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Addresses of remotes rows: parsed from the module's text, and printed the
 * way the module prints them (%pI4, %pI6c), so both sources render the same
 * bytes. No resolver, no NSS: safe in a static binary.
 */
#ifndef TW_ADDR_H
#define TW_ADDR_H

#include <stdint.h>

#define TW_ADDR_STRLEN 46 /* INET6_ADDRSTRLEN */

/*
 * Parse a dotted quad (AF_INET, stored in bytes 12..15 of @a, the rest
 * zero) or an IPv6 address. 0, or -1 when @s is neither.
 */
int tw_addr_parse(const char *s, uint8_t *family, uint8_t a[16]);

/* Print as the kernel's %pI4 / %pI6c do (RFC 5952, v4-mapped dotted). */
void tw_addr_format(uint8_t family, const uint8_t a[16],
		    char buf[TW_ADDR_STRLEN]);

#endif /* TW_ADDR_H */
