// SPDX-License-Identifier: GPL-2.0-or-later
/* The internet checksum (RFC 1071): one's-complement sums over IPv4, UDP and
 * ICMPv6, for the responder's frames and the hook's NA alike. Pure. */
#ifndef PODNET_INET_CSUM_H
#define PODNET_INET_CSUM_H

#include <stddef.h>
#include <stdint.h>

#include "be_bytes.h"

/*
 * Folds a sum of 16- or 32-bit words to at most 0xffff with end-around
 * carry, in a fixed number of steps; 0 stays 0 and nothing else becomes 0.
 */
static inline uint32_t inet_csum_fold64(uint64_t s)
{
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

/**
 * inet_csum_add() - Add @n bytes to a one's-complement sum (RFC 1071)
 * @sum:	the sum so far (a previous return value, or small words)
 * @p:		bytes, from an even offset of the checksummed data
 * @n:		their number; an odd last byte is the high half of a word
 *
 * Adds big-endian 32-bit words (2^16 = 1 modulo 0xffff, so this is the
 * same sum as over 16-bit words) and folds with end-around carry.
 *
 * Return: the sum, folded to at most 0xffff (0 only if all were 0)
 */
static inline uint32_t inet_csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	uint64_t s = sum;

	for (; n >= sizeof(uint32_t);
	     p += sizeof(uint32_t), n -= sizeof(uint32_t))
		s += be32_get(p);
	if (n >= 2) {
		s += be16_get(p);
		p += 2;
		n -= 2;
	}
	if (n)
		s += (uint32_t)p[0] << 8;
	return inet_csum_fold64(s);
}

/**
 * inet_csum_fold() - The checksum of a one's-complement sum
 * @sum:	unfolded sum
 *
 * Return: the complement of the end-around-carry folded sum
 */
static inline uint16_t inet_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

#endif
