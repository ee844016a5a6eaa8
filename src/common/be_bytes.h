// SPDX-License-Identifier: GPL-2.0-or-later
/* Big-endian fields at any alignment, for the wire code of both programs. */
#ifndef PODNET_BE_BYTES_H
#define PODNET_BE_BYTES_H

#include <stdint.h>

/*
 * Written with shifts rather than ntohs()/htonl(): musl declares those as
 * functions, a call per field on the exchange path (callgrind, make
 * bench), while the compiler turns these into one load and a byte swap.
 */
static inline uint16_t be16_get(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be32_get(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void be16_put(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void be32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
