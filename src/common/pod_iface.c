// SPDX-License-Identifier: GPL-2.0-or-later
/* Questions about a recorded pod interface that the hook and the responder
 * both ask. */
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "pod_iface.h"

/**
 * pod_primary_addr() - The address the VM takes over
 * @iface:	discovered pod interface
 *
 * Return: the first primary (not secondary) IPv4 address of global scope,
 * or NULL when there is none
 */
const struct pod_addr *pod_primary_addr(const struct pod_iface *iface)
{
	const struct pod_addr *a;

	pod_for_each (a, iface->addrs, iface->n_addrs, AF_INET)
		if (a->scope == RT_SCOPE_UNIVERSE &&
		    !(a->flags & IFA_F_SECONDARY))
			return a;
	return NULL;
}

/**
 * pod_family_count() - How many objects of an array are of one family
 * @arr:	pod_addr, pod_route or pod_neigh objects: each begins with
 *		its family
 * @n:		how many there are
 * @size:	the size of one
 * @af:		AF_INET or AF_INET6
 *
 * Return: that number
 */
size_t pod_family_count(const void *arr, size_t n, size_t size, sa_family_t af)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		sa_family_t f;

		memcpy(&f, (const char *)arr + i * size, sizeof(f));
		count += f == af;
	}
	return count;
}

/**
 * pod_global_addr6() - The first IPv6 address that is not link-local
 * @iface:	discovered pod interface
 *
 * Return: that address, or NULL when the interface has none (no IPv6)
 */
const struct pod_addr *pod_global_addr6(const struct pod_iface *iface)
{
	const struct pod_addr *a;

	pod_for_each (a, iface->addrs, iface->n_addrs, AF_INET6)
		if (!IN6_IS_ADDR_LINKLOCAL(&a->local.a6))
			return a;
	return NULL;
}

/**
 * pod_eui64_ll() - The link-local address the kernel derives from a MAC
 * @mac:	the MAC
 * @ret:	fe80::IID, the modified EUI-64 of @mac (RFC 4291 appendix A)
 */
void pod_eui64_ll(const uint8_t mac[MAC_LEN], struct in6_addr *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->s6_addr[0] = 0xfe;
	ret->s6_addr[1] = 0x80;
	ret->s6_addr[8] = mac[0] ^ 0x02;
	ret->s6_addr[9] = mac[1];
	ret->s6_addr[10] = mac[2];
	ret->s6_addr[11] = 0xff;
	ret->s6_addr[12] = 0xfe;
	ret->s6_addr[13] = mac[3];
	ret->s6_addr[14] = mac[4];
	ret->s6_addr[15] = mac[5];
}

/**
 * pod_eui64_mac() - The MAC a modified-EUI-64 link-local was made from
 * @ll:		a link-local address
 * @ret:	the MAC, when it is one
 *
 * Calico's gateway fe80::ecee:eeff:feee:eeee is ee:ee:ee:ee:ee:ee's.
 *
 * Return: true if @ll is fe80::/64 with an ff:fe-marked interface id
 */
bool pod_eui64_mac(const struct in6_addr *ll, uint8_t ret[MAC_LEN])
{
	static const uint8_t zero[6] = {0};
	const uint8_t *b = ll->s6_addr;

	if (b[0] != 0xfe || b[1] != 0x80 || memcmp(b + 2, zero, 6) != 0 ||
	    b[11] != 0xff || b[12] != 0xfe)
		return false;
	ret[0] = b[8] ^ 0x02;
	ret[1] = b[9];
	ret[2] = b[10];
	ret[3] = b[13];
	ret[4] = b[14];
	ret[5] = b[15];
	return true;
}
