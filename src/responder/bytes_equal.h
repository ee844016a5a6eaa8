// SPDX-License-Identifier: GPL-2.0-or-later
/* Byte-string equality for the per-exchange path. */
#ifndef PODNET_BYTES_EQUAL_H
#define PODNET_BYTES_EQUAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t bytes_load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t bytes_load32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint16_t bytes_load16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * memcmp() == 0 for a length known only at run time (the compiler inlines
 * a constant one itself): musl's memcmp() goes a byte at a time, about
 * five instructions a byte, and the per-exchange compares were then most
 * of an exchange's instructions (callgrind, make bench). Here 32 bytes a
 * step, checked once a step, then 8 at a time; the last bytes are one
 * word that overlaps what was compared, never a byte loop (the short lists
 * of a request, 2-20 bytes, are then two or three loads each side). Not
 * constant-time, and nothing needs it.
 */
static inline bool bytes_equal(const void *a, const void *b, size_t n)
{
	const uint8_t *p = a, *q = b;
	uint64_t x[4], y[4];
	size_t i = 0;

	if (n < sizeof(uint64_t)) {
		if (n >= sizeof(uint32_t))
			return bytes_load32(p) == bytes_load32(q) &&
			       bytes_load32(p + n - 4) ==
				       bytes_load32(q + n - 4);
		if (n >= sizeof(uint16_t))
			return bytes_load16(p) == bytes_load16(q) &&
			       bytes_load16(p + n - 2) ==
				       bytes_load16(q + n - 2);
		return n == 0 || p[0] == q[0];
	}
	for (; i + sizeof(x) <= n; i += sizeof(x)) {
		memcpy(x, p + i, sizeof(x));
		memcpy(y, q + i, sizeof(y));
		if ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) |
		    (x[3] ^ y[3]))
			return false;
	}
	for (; i + sizeof(x[0]) <= n; i += sizeof(x[0]))
		if (bytes_load64(p + i) != bytes_load64(q + i))
			return false;
	return bytes_load64(p + n - 8) == bytes_load64(q + n - 8);
}

#endif
