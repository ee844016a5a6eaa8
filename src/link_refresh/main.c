// SPDX-License-Identifier: GPL-2.0-or-later
/* podnet-link-refresh: `podnet link-refresh` (the podnet tool execs it).
 *
 * A program of its own so that the hook, which libvirt runs at every
 * event of every domain, never loads libvirt's client library. */
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link_refresh.h"
#include "podnet_limits.h"
#include "watch.h"

static const char usage[] =
	"Usage: podnet link-refresh [--connect URI] [--down-ms MS] DOMAIN\n"
	"       podnet link-refresh [--connect URI] [--down-ms MS] --watch\n"
	"\n"
	"Flap the link (down, MS ms, up) of each podnet-tagged interface of a\n"
	"running DOMAIN (name or UUID) through libvirt, so that its DHCP client\n"
	"asks again (after a live migration to a pod with another address).\n"
	"--watch: do so by itself, until SIGTERM, for each domain that libvirt\n"
	"resumes after an incoming migration and whose guest the responder saw\n"
	"use an address that is not this pod's (up to 5 s after the resume;\n"
	"`podnet status`: switched-renumber). Run it in the pod's network\n"
	"namespace. Never from a libvirt hook.\n"
	"--down-ms: default 12000; KubeVirt's 100 renumbered neither a\n"
	"systemd-networkd nor a NetworkManager guest here.\n"
	"\n"
	"Exit status: 0 ok, 1 failed, 2 usage, 3 no such domain or not tagged.\n";

static void quiet_errors(void *opaque, virErrorPtr e)
{
	(void)opaque;
	(void)e;
}

/* A whole decimal number of milliseconds, 1..LINK_REFRESH_DOWN_MS_MAX. */
static int parse_ms(const char *s, long *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > LINK_REFRESH_DOWN_MS_MAX)
		return -1;
	*ret = v;
	return 0;
}

static virDomainPtr lookup(virConnectPtr conn, const char *name)
{
	virDomainPtr dom = virDomainLookupByName(conn, name);

	if (!dom && strlen(name) == VIR_UUID_STRING_BUFLEN - 1)
		dom = virDomainLookupByUUIDString(conn, name);
	return dom;
}

static int refresh(const char *uri, const char *name, long down_ms)
{
	virConnectPtr conn = link_refresh_connect(uri);
	virDomainPtr dom;
	int rc;

	if (!conn)
		return 1;
	dom = lookup(conn, name);
	if (!dom) {
		fprintf(stderr, "podnet: domain '%s': not found\n", name);
		(void)virConnectClose(conn);
		return 3;
	}
	if (virDomainIsActive(dom) != 1) {
		fprintf(stderr, "podnet: domain '%s': not running\n", name);
		rc = 1;
	} else {
		char done[PODNET_MAX_IFACES * 20], err[512] = "";

		rc = link_refresh_domain(dom, down_ms, done, sizeof(done), err,
					 sizeof(err));
		if (rc == 0) {
			printf("podnet: domain '%s': link refreshed: %s\n",
			       name, done);
		} else if (rc == LINK_REFRESH_UNTAGGED) {
			fprintf(stderr, "podnet: domain '%s': no podnet tag\n",
				name);
			rc = 3;
		} else {
			fprintf(stderr,
				"podnet: domain '%s': link-refresh: %s\n", name,
				err);
			rc = 1;
		}
	}
	virDomainFree(dom);
	(void)virConnectClose(conn);
	return rc;
}

int main(int argc, char **argv)
{
	const char *uri = NULL, *name = NULL;
	long down_ms = LINK_REFRESH_DOWN_MS;
	int watch = 0, i = 1;

	/* Called as `podnet link-refresh ...` (argv[1] is the command). */
	if (i < argc && strcmp(argv[i], "link-refresh") == 0)
		i++;
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(argv[i], "--connect") == 0 && i + 1 < argc) {
			uri = argv[++i];
		} else if (strcmp(argv[i], "--down-ms") == 0 && i + 1 < argc) {
			if (parse_ms(argv[++i], &down_ms) < 0) {
				fprintf(stderr,
					"podnet: link-refresh: --down-ms: not a "
					"number of milliseconds from 1 to %d: "
					"'%s'\n",
					LINK_REFRESH_DOWN_MS_MAX, argv[i]);
				return 2;
			}
		} else if (strcmp(argv[i], "--watch") == 0) {
			watch = 1;
		} else if (argv[i][0] != '-' && !name) {
			name = argv[i];
		} else {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (watch == !!name) {
		fputs(usage, stderr);
		return 2;
	}
	/* One line per failure, ours: not libvirt's own print to stderr. */
	virSetErrorFunc(NULL, quiet_errors);
	return watch ? link_refresh_watch(uri, down_ms)
		     : refresh(uri, name, down_ms);
}
