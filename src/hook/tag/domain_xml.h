// SPDX-License-Identifier: GPL-2.0-or-later
/* Read libvirt's domain XML (from a buffer) into podnet's tagged interfaces. */
#ifndef PODNET_DOMAIN_XML_H
#define PODNET_DOMAIN_XML_H

#include <libxml/tree.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp_extra.h"
#include "podnet_limits.h"
#include "util.h"

#define PODNET_XMLNS "urn:podnet:xmlns:1"

/* One <podnet:interface>, joined with the libvirt <interface> it names. */
struct podnet_tag {
	uint8_t mac[MAC_LEN];
	char mac_str[MAC_STR_LEN]; /* normalised lower case */
	char pod_iface[IFNAMSIZ];  /* default "eth0" */
	char bridge[IFNAMSIZ];	   /* the interface's <source bridge> */
	struct dhcp_extras dhcp;   /* what the tag adds to the lease */
	bool guest_filter_off;	   /* guest-filter="off" */
};

struct podnet_domain {
	char name[PODNET_DOMAIN_NAME_MAX + 1];
	char uuid[PODNET_UUID_STR_LEN + 1];
	/* hostname: "" when the domain name yields no label (no option 12). */
	char hostname[PODNET_HOSTNAME_MAX +
		      1]; /* tag attribute, or derived from the name */
	size_t n_tags;
	struct podnet_tag tags[PODNET_MAX_IFACES];
};

/* Return values of domain_xml_parse() besides negative errno. */
#define DOMAIN_XML_TAGGED   0
#define DOMAIN_XML_UNTAGGED 1

int domain_xml_read_doc(const char *xml, size_t len, xmlDocPtr *ret_doc,
			char *err, size_t err_len);
int domain_xml_parse(const char *xml, size_t len, struct podnet_domain *ret,
		     char *err, size_t err_len);

#endif
