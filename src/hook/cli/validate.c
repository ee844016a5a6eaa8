// SPDX-License-Identifier: GPL-2.0-or-later
/* `podnet validate`: every check prepare makes that changes nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "netlink.h"
#include "prepare.h"
#include "state.h"
#include "validate.h"

/* prepare's own plan, into a scratch record that is never written. */
static int check_pod(struct nl_sock *sk, struct validate_result *r, char *err,
		     size_t err_len)
{
	/* The record holds every route of every interface: on the heap. */
	struct state_record *rec = calloc(1, sizeof(*rec));
	int rc;

	if (!rec) {
		errmsg_set(err, err_len, "out of memory");
		return -ENOMEM;
	}
	rc = prepare_plan(sk, &r->dom, rec, err, err_len);
	for (size_t i = 0; rc == 0 && i < rec->n_ifaces; i++) {
		const struct pod_addr *a =
			pod_primary_addr(&rec->ifaces[i].orig);

		if (a) {
			(void)inet_ntop(AF_INET, &a->local.v4.a4, r->pod_ip[i],
					sizeof(r->pod_ip[i]));
			r->prefix_len[i] = a->prefix_len;
		}
	}
	free(rec);
	if (rc == 0)
		r->pod_checked = true;
	return rc;
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
