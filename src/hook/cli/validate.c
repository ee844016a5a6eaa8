// SPDX-License-Identifier: GPL-2.0-or-later
/* `podnet validate`: every check prepare makes that changes nothing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "discover.h"
#include "errmsg.h"
#include "netlink.h"
#include "validate.h"

/* Discovery is large (every route): static, the tool is single-threaded. */
static struct pod_iface validate_iface;

/* The checks of prepare's plan(), in its order, read-only. */
static int check_pod(struct nl_sock *sk, struct validate_result *r, char *err,
		     size_t err_len)
{
	for (size_t i = 0; i < r->dom.n_tags; i++) {
		const struct podnet_tag *t = &r->dom.tags[i];
		const struct pod_addr *a;
		int rc = discover_pod_iface(sk, t->pod_iface, !t->dhcp.no_dhcp,
					    &validate_iface, err, err_len);

		if (rc < 0)
			return rc;
		rc = discover_link_exists(sk, t->bridge);
		if (rc != 0) {
			errmsg_set(err, err_len,
				   "interface '%s': bridge '%s' already "
				   "exists and was not made by podnet; "
				   "choose another <source bridge>",
				   t->pod_iface, t->bridge);
			return rc < 0 ? rc : -EEXIST;
		}
		a = pod_primary_addr(&validate_iface);
		if (a) {
			(void)inet_ntop(AF_INET, &a->local.v4.a4, r->pod_ip[i],
					sizeof(r->pod_ip[i]));
			r->prefix_len[i] = a->prefix_len;
		}
	}
	r->pod_checked = true;
	return 0;
}

/**
 * validate_domain() - Check a domain XML as prepare would, changing nothing
 * @xml:	the domain XML
 * @len:	its length
 * @pod:	also check each pod interface and bridge name in the current
 *		network namespace (run it inside the pod)
 * @ret:	the parsed tags and, with @pod, each pod interface's address
 * @err:	one-line reason on failure
 * @err_len:	size of @err
 *
 * Return: DOMAIN_XML_TAGGED, DOMAIN_XML_UNTAGGED (nothing more checked),
 * or a negative errno with @err set
 */
int validate_domain(const char *xml, size_t len, bool pod,
		    struct validate_result *ret, char *err, size_t err_len)
{
	struct nl_sock *sk;
	int rc;

	memset(ret, 0, sizeof(*ret));
	rc = domain_xml_parse(xml, len, &ret->dom, err, err_len);
	if (rc != DOMAIN_XML_TAGGED || !pod)
		return rc;
	sk = netlink_open_err(err, err_len);
	if (!sk)
		return -errno;
	rc = check_pod(sk, ret, err, err_len);
	netlink_closep(&sk);
	return rc < 0 ? rc : DOMAIN_XML_TAGGED;
}
