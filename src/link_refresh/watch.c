// SPDX-License-Identifier: GPL-2.0-or-later
/* Refresh each domain that libvirt resumes after an incoming migration.
 *
 * No hook runs when the destination resumes the guest (libvirt's Finish
 * step), and a hook may not call libvirt anyway; libvirt's lifecycle event
 * RESUMED with detail MIGRATED is the signal. It comes from libvirt's own
 * event API (virConnectDomainEventRegisterAny), not from parsing `virsh
 * event` output, whose wording is no interface. The event is only noted in
 * the callback; the refresh (which calls libvirt and sleeps 100 ms) runs
 * from the loop, after the event loop iteration returns. A domain is
 * refreshed only if libvirt says it runs because of an incoming migration
 * (VIR_DOMAIN_RUNNING_MIGRATED): a source that resumes after a failed
 * migration keeps its address and is left alone. Ends (exit 1) when the
 * connection closes: whoever runs it restarts it with libvirtd. */
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "link_refresh.h"
#include "podnet_limits.h"
#include "watch.h"

#define WATCH_PENDING_MAX 64

static char pending[WATCH_PENDING_MAX][VIR_UUID_STRING_BUFLEN];
static size_t n_pending;
static volatile sig_atomic_t stop_signal;
static bool closed;

static int on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event,
			int detail, void *opaque)
{
	char uuid[VIR_UUID_STRING_BUFLEN];

	(void)conn;
	(void)opaque;
	if (event != VIR_DOMAIN_EVENT_RESUMED ||
	    detail != VIR_DOMAIN_EVENT_RESUMED_MIGRATED)
		return 0;
	if (virDomainGetUUIDString(dom, uuid) < 0)
		return 0;
	if (n_pending < WATCH_PENDING_MAX)
		memcpy(pending[n_pending++], uuid, sizeof(uuid));
	else
		fprintf(stderr,
			"podnet: link-refresh: too many domains "
			"resumed at once: %s not refreshed\n",
			uuid);
	return 0;
}

static void on_close(virConnectPtr conn, int reason, void *opaque)
{
	(void)conn;
	(void)reason;
	(void)opaque;
	closed = true;
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* One resumed domain: refreshed if it runs because it migrated in. */
static void refresh_pending(virConnectPtr conn, const char *uuid, long down_ms)
{
	char done[PODNET_MAX_IFACES * 20], err[512] = "";
	virDomainPtr dom = virDomainLookupByUUIDString(conn, uuid);
	int state = 0, reason = 0, rc;

	if (!dom)
		return; /* gone already */
	if (virDomainGetState(dom, &state, &reason, 0) < 0 ||
	    state != VIR_DOMAIN_RUNNING ||
	    reason != VIR_DOMAIN_RUNNING_MIGRATED) {
		virDomainFree(dom);
		return;
	}
	rc = link_refresh_domain(dom, down_ms, done, sizeof(done), err,
				 sizeof(err));
	if (rc == 0)
		printf("podnet: domain '%s': resumed after an incoming "
		       "migration: link refreshed: %s\n",
		       virDomainGetName(dom), done);
	else if (rc == LINK_REFRESH_FAILED)
		fprintf(stderr,
			"podnet: domain '%s': link-refresh after an incoming "
			"migration failed: %s\n",
			virDomainGetName(dom), err);
	(void)fflush(stdout);
	virDomainFree(dom);
}

/**
 * link_refresh_watch() - Refresh domains resumed after incoming migrations
 * @uri:	libvirt connection URI (NULL: libvirt's default)
 * @down_ms:	how long each link stays down
 *
 * Return: 0 after SIGTERM or SIGINT, 1 when the connection fails or closes
 */
int link_refresh_watch(const char *uri, long down_ms)
{
	struct sigaction sa = {.sa_handler = on_signal};
	virConnectPtr conn;
	int cb, rc = 0;

	if (virEventRegisterDefaultImpl() < 0) {
		fprintf(stderr, "podnet: link-refresh: cannot start libvirt's "
				"event loop\n");
		return 1;
	}
	conn = virConnectOpen(uri);
	if (!conn) {
		const virError *e = virGetLastError();

		fprintf(stderr,
			"podnet: link-refresh: cannot connect to '%s': %s\n",
			uri ? uri : "(default)",
			e && e->message ? e->message : "?");
		return 1;
	}
	(void)virConnectRegisterCloseCallback(conn, on_close, NULL, NULL);
	cb = virConnectDomainEventRegisterAny(
		conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
		VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), NULL, NULL);
	if (cb < 0) {
		fprintf(stderr, "podnet: link-refresh: cannot watch lifecycle "
				"events\n");
		(void)virConnectClose(conn);
		return 1;
	}
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	printf("podnet: link-refresh: watching for domains resumed after an "
	       "incoming migration\n");
	(void)fflush(stdout);
	while (!stop_signal && !closed) {
		if (virEventRunDefaultImpl() < 0)
			break;
		for (size_t i = 0; i < n_pending; i++)
			refresh_pending(conn, pending[i], down_ms);
		n_pending = 0;
	}
	if (closed || !stop_signal) {
		fprintf(stderr, "podnet: link-refresh: the connection to "
				"libvirt closed\n");
		rc = 1;
	}
	(void)virConnectDomainEventDeregisterAny(conn, cb);
	(void)virConnectUnregisterCloseCallback(conn, on_close);
	(void)virConnectClose(conn);
	return rc;
}
