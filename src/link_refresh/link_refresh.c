// SPDX-License-Identifier: GPL-2.0-or-later
/* KubeVirt's link-refresh for a domain's podnet-tagged interfaces.
 *
 * After a live migration to a pod with another address, the guest still
 * holds its old lease; a carrier flap makes systemd-networkd,
 * NetworkManager and dhcpcd ask DHCP again (INIT-REBOOT, which the
 * responder NAKs, then DISCOVER). libvirt flaps a virtio link when the live
 * interface definition is updated with <link state='down'/> and then
 * 'up' (virDomainUpdateDeviceFlags, VIR_DOMAIN_AFFECT_LIVE): the device
 * XML sent is the live definition's own <interface> element with only its
 * <link> changed (iface_link_xml), because libvirt refuses any other change
 * to a running interface. Which interfaces: those a podnet tag names by MAC
 * (the hook's own parse of the domain XML, domain_xml_parse). Never called by
 * the hook: a hook that calls libvirt deadlocks it. */
#include <errno.h>
#include <libvirt/virterror.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain_xml.h"
#include "errmsg.h"
#include "iface_link_xml.h"
#include "link_refresh.h"

static const char *virt_err(void)
{
	const virError *e = virGetLastError();

	return e && e->message ? e->message : "unknown libvirt error";
}

/* Set the link of the interface with @mac to @state. */
static int update_link(virDomainPtr dom, xmlDocPtr doc, const char *mac,
		       const char *state, char *err, size_t err_len)
{
	xmlChar *xml;
	int rc;

	if (iface_link_xml(doc, mac, state, &xml, err, err_len) < 0)
		return LINK_REFRESH_FAILED;
	rc = virDomainUpdateDeviceFlags(dom, (const char *)xml,
					VIR_DOMAIN_AFFECT_LIVE);
	xmlFree(xml);
	if (rc < 0) {
		errmsg_set(err, err_len, "cannot set its link %s: %s", state,
			   virt_err());
		return LINK_REFRESH_FAILED;
	}
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000,
			      .tv_nsec = (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Down, @down_ms, up; up again if anything failed after down. */
static int refresh_one(virDomainPtr dom, xmlDocPtr doc, const char *mac,
		       long down_ms, char *err, size_t err_len)
{
	char up_err[256] = "";

	if (update_link(dom, doc, mac, "down", err, err_len) < 0)
		return LINK_REFRESH_FAILED;
	sleep_ms(down_ms);
	if (update_link(dom, doc, mac, "up", up_err, sizeof(up_err)) == 0)
		return 0;
	/* A guest left without carrier is worse than one not refreshed. */
	sleep_ms(LINK_REFRESH_RETRY_MS);
	if (update_link(dom, doc, mac, "up", err, err_len) == 0)
		return 0;
	errmsg_set(err, err_len, "%s (the link may be left down)", up_err);
	return LINK_REFRESH_FAILED;
}

/**
 * link_refresh_domain() - Flap the link of each podnet-tagged interface
 * @dom:	a running domain
 * @down_ms:	how long each link stays down (LINK_REFRESH_DOWN_MS)
 * @done:	on return, the MACs refreshed, space-separated
 * @done_len:	size of @done
 * @err:	one-line reason on failure
 * @err_len:	size of @err
 *
 * Return: 0, LINK_REFRESH_UNTAGGED (no tag, nothing done) or
 * LINK_REFRESH_FAILED with @err set (interfaces before the failing one
 * were refreshed, and are in @done)
 */
int link_refresh_domain(virDomainPtr dom, long down_ms, char *done,
			size_t done_len, char *err, size_t err_len)
{
	static struct podnet_domain pd;
	char *xml;
	xmlDocPtr doc = NULL;
	size_t used = 0;
	int rc;

	done[0] = '\0';
	xml = virDomainGetXMLDesc(dom, 0);
	if (!xml) {
		errmsg_set(err, err_len, "cannot read its XML: %s", virt_err());
		return LINK_REFRESH_FAILED;
	}
	rc = domain_xml_parse(xml, strlen(xml), &pd, err, err_len);
	if (rc == DOMAIN_XML_UNTAGGED) {
		free(xml);
		return LINK_REFRESH_UNTAGGED;
	}
	if (rc == 0)
		rc = domain_xml_read_doc(xml, strlen(xml), &doc, err, err_len);
	free(xml);
	if (rc < 0) {
		if (!err[0])
			errmsg_set(err, err_len, "cannot read its XML");
		return LINK_REFRESH_FAILED;
	}
	rc = 0;
	for (size_t i = 0; i < pd.n_tags && rc == 0; i++) {
		const char *mac = pd.tags[i].mac_str;
		char why[256] = "";

		if (refresh_one(dom, doc, mac, down_ms, why, sizeof(why)) < 0) {
			errmsg_set(err, err_len, "interface %s: %s", mac, why);
			rc = LINK_REFRESH_FAILED;
		} else {
			int n = snprintf(done + used, done_len - used, "%s%s",
					 used ? " " : "", mac);

			if (n > 0 && (size_t)n < done_len - used)
				used += (size_t)n;
		}
	}
	xmlFreeDoc(doc);
	return rc;
}

virConnectPtr link_refresh_connect(const char *uri)
{
	virConnectPtr conn = virConnectOpen(uri);

	if (!conn) {
		const virError *e = virGetLastError();

		fprintf(stderr,
			"podnet: link-refresh: cannot connect to '%s': %s\n",
			uri ? uri : "(default)",
			e && e->message ? e->message : "?");
	}
	return conn;
}
