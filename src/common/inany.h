// SPDX-License-Identifier: GPL-2.0-or-later
/* One address of either family, after passt's union inany_addr: IPv4 is
 * held as the v4-mapped IPv6 address ::ffff:a.b.c.d, so that equality,
 * copying and "is none" are one code path for both families. */
#ifndef PODNET_INANY_H
#define PODNET_INANY_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

union inany {
	struct in6_addr a6;
	struct {
		uint8_t zero[10];
		uint8_t one[2];
		struct in_addr a4;
	} v4;
};

/* The text of any address of either family, with its NUL. */
#define INANY_ADDRSTRLEN INET6_ADDRSTRLEN

static inline void inany_from_v4(union inany *a, struct in_addr v4)
{
	memset(a, 0, sizeof(*a));
	a->v4.one[0] = a->v4.one[1] = 0xff;
	a->v4.a4 = v4;
}

static inline void inany_from_v6(union inany *a, const struct in6_addr *v6)
{
	a->a6 = *v6;
}

/* The family an address was made for: the v4-mapped ones are IPv4. */
static inline sa_family_t inany_family(const union inany *a)
{
	return IN6_IS_ADDR_V4MAPPED(&a->a6) ? AF_INET : AF_INET6;
}

/* "No address" of @af: 0.0.0.0 or ::. */
static inline void inany_any(union inany *a, sa_family_t af)
{
	struct in_addr none = {.s_addr = INADDR_ANY};

	if (af == AF_INET)
		inany_from_v4(a, none);
	else
		a->a6 = in6addr_any;
}

static inline bool inany_is_any(const union inany *a)
{
	return IN6_IS_ADDR_UNSPECIFIED(&a->a6) ||
	       (IN6_IS_ADDR_V4MAPPED(&a->a6) && a->v4.a4.s_addr == INADDR_ANY);
}

static inline bool inany_equal(const union inany *a, const union inany *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/**
 * inany_raw() - The address as the kernel takes it for @af
 * @a:		the address
 * @af:		AF_INET (4 bytes) or AF_INET6 (16 bytes)
 * @len:	set to that length
 *
 * Return: pointer into @a
 */
static inline const void *inany_raw(const union inany *a, sa_family_t af,
				    size_t *len)
{
	*len = af == AF_INET ? sizeof(a->v4.a4) : sizeof(a->a6);
	return af == AF_INET ? (const void *)&a->v4.a4 : (const void *)&a->a6;
}

/* Set @a from the kernel's bytes of @af (4 or 16 of them). */
static inline int inany_from_raw(union inany *a, sa_family_t af,
				 const void *raw, size_t len)
{
	if (af == AF_INET && len == sizeof(struct in_addr)) {
		struct in_addr v4;

		memcpy(&v4, raw, sizeof(v4));
		inany_from_v4(a, v4);
		return 0;
	}
	if (af == AF_INET6 && len == sizeof(struct in6_addr)) {
		memcpy(&a->a6, raw, sizeof(a->a6));
		return 0;
	}
	return -EINVAL;
}

/* Text of @a in its own family's form ("192.0.2.1", "2001:db8::1"). */
static inline const char *inany_ntop(const union inany *a,
				     char buf[INANY_ADDRSTRLEN])
{
	if (inany_family(a) == AF_INET)
		return inet_ntop(AF_INET, &a->v4.a4, buf, INANY_ADDRSTRLEN);
	return inet_ntop(AF_INET6, &a->a6, buf, INANY_ADDRSTRLEN);
}

/**
 * inany_pton() - Read an address of @af, or of either family
 * @af:		AF_INET, AF_INET6, or AF_UNSPEC: the family the text shows
 * @text:	the text
 * @ret:	the address; its family is then inany_family(@ret)
 *
 * Return: 0, or -EINVAL
 */
static inline int inany_pton(sa_family_t af, const char *text, union inany *ret)
{
	struct in_addr v4;

	if (af != AF_INET6 && inet_pton(AF_INET, text, &v4) == 1) {
		inany_from_v4(ret, v4);
		return 0;
	}
	/* "::ffff:a.b.c.d" is not an IPv6 address here: it reads as IPv4. */
	if (af != AF_INET && inet_pton(AF_INET6, text, &ret->a6) == 1 &&
	    !IN6_IS_ADDR_V4MAPPED(&ret->a6))
		return 0;
	return -EINVAL;
}

/* Whether @a lies in @net/@prefix_len, the prefix length of the family of
 * @net (IPv4: 0-32, counted after the 96 bits of the v4-mapped prefix). */
static inline bool inany_covers(const union inany *net, uint8_t prefix_len,
				const union inany *a)
{
	unsigned int bits = prefix_len;

	if (inany_family(net) != inany_family(a))
		return false;
	if (inany_family(net) == AF_INET)
		bits += 96;
	for (unsigned int i = 0; i < 16 && bits; i++) {
		unsigned int take = bits < 8 ? bits : 8;
		uint8_t mask = (uint8_t)(0xff00u >> take);

		if ((net->a6.s6_addr[i] ^ a->a6.s6_addr[i]) & mask)
			return false;
		bits -= take;
	}
	return true;
}

#endif
