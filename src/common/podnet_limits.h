// SPDX-License-Identifier: GPL-2.0-or-later
/* Fixed upper bounds shared by the parsers, the state record and the responder.
 */
#ifndef PODNET_LIMITS_H
#define PODNET_LIMITS_H

/* Tagged interfaces per domain (one responder serves them all). */
#define PODNET_MAX_IFACES 8
/* Routes handed to the guest (DHCPv4 option 121). */
#define PODNET_MAX_ROUTES 32
/* Routes per pod interface (every table) that are recorded and restored,
 * both families together. */
#define PODNET_MAX_POD_ROUTES 64
/* Addresses per pod interface that are recorded and restored, both
 * families together (IPv6: global, ULA, link-locals not the kernel's). */
#define PODNET_MAX_ADDRS 16
/* Permanent neighbour entries per pod interface that are restored, both
 * families together. */
#define PODNET_MAX_NEIGHS 16
/* DNS servers handed to the guest (resolv.conf normally has at most 3). */
#define PODNET_MAX_DNS 8
/* Search domains (glibc reads up to 6; we keep more, the wire format splits).
 */
#define PODNET_MAX_SEARCH 16
/* A DNS name in text form, without the terminating NUL (RFC 1035: 253). */
#define PODNET_NAME_MAX 253
/* A host name label handed in option 12 (RFC 1123 allows 63 per label). */
#define PODNET_HOSTNAME_MAX 63
/* libvirt domain names are limited by the file system; keep a sane bound. */
#define PODNET_DOMAIN_NAME_MAX 255
/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */
#define PODNET_UUID_STR_LEN 36

#endif
