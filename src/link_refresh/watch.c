// SPDX-License-Identifier: GPL-2.0-or-later
/* Refresh each domain that libvirt resumes after an incoming migration.
 *
 * No hook runs when the destination resumes the guest (libvirt's Finish
 * step), and a hook may not call libvirt anyway; libvirt's lifecycle event
 * RESUMED with detail MIGRATED is the signal. It comes from libvirt's own
 * event API (virConnectDomainEventRegisterAny), not from parsing `virsh
 * event` output, whose wording is no interface. The event is only noted in
 * the callback; the refresh (which calls libvirt and sleeps) runs from the
 * loop, after the event loop iteration returns. A domain is refreshed only
 * if libvirt says it runs because of an incoming migration
 * (VIR_DOMAIN_RUNNING_MIGRATED): a source that resumes after a failed
 * migration keeps its address and is left alone. And only if its guest
 * must renumber: the responder notes in the lease file when, after the
 * switchover, the guest used an address that is not this pod's
 * (LEASE_NOTE_VM_RENUMBER: its gratuitous ARP after QEMU's announce, or a
 * DHCP request it NAKed). The watcher reads that note, as `podnet status`
 * does, for up to WATCH_VERDICT_MS: so it must run in the pod's network
 * namespace (the record's key), as the container entry point runs it. A
 * guest that keeps the pod's address (same-IP migration) is never flapped.
 * Ends (exit 1) when the connection closes: whoever runs it restarts it
 * with libvirtd. */
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lease_note.h"
#include "link_refresh.h"
#include "podnet_limits.h"
#include "statedir.h"
#include "watch.h"

#define WATCH_PENDING_MAX 64
/* How long after RESUMED the responder's verdict may take: the guest's
 * gratuitous ARP follows QEMU's announce at once (under a second under
 * TCG here); a guest silent that long is left alone. */
#define WATCH_VERDICT_MS      5000
#define WATCH_VERDICT_STEP_MS 200

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

enum verdict {
	VERDICT_NO_RECORD, /* no lease note for it in this pod */
	VERDICT_KEEP,	   /* the guest showed no other address in time */
	VERDICT_RENUMBER,  /* the responder saw it use another address */
};

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000,
			      .tv_nsec = (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR && !stop_signal)
		;
}

/* The responder's verdict on @uuid's guest, waited for up to
 * WATCH_VERDICT_MS (the note is read as `podnet status` reads it). */
static enum verdict wait_verdict(const char *uuid)
{
	static char note[(LEASE_NOTE_VM_SLOT + 1) * LEASE_NOTE_SLOT + 1];
	enum verdict v = VERDICT_NO_RECORD;

	for (long waited = 0; waited <= WATCH_VERDICT_MS && !stop_signal;
	     waited += WATCH_VERDICT_STEP_MS) {
		long long since;
		size_t len;

		if (statedir_read(uuid, STATEDIR_LEASE, note, sizeof(note),
				  &len) == 0) {
			if (lease_note_vm_find(note, len, &since) ==
			    LEASE_NOTE_VM_RENUMBER)
				return VERDICT_RENUMBER;
			v = VERDICT_KEEP;
		}
		sleep_ms(WATCH_VERDICT_STEP_MS);
	}
	return v;
}

/* One resumed domain: refreshed if it runs because it migrated in and its
 * guest must renumber. */
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
	switch (wait_verdict(uuid)) {
	case VERDICT_NO_RECORD:
		printf("podnet: domain '%s': resumed after an incoming "
		       "migration: no podnet record in this pod (the watcher "
		       "must run in the pod's network namespace): link not "
		       "refreshed\n",
		       virDomainGetName(dom));
		rc = LINK_REFRESH_UNTAGGED;
		break;
	case VERDICT_KEEP:
		printf("podnet: domain '%s': resumed after an incoming "
		       "migration: the guest showed no other address than "
		       "this pod's within %d ms: link not refreshed\n",
		       virDomainGetName(dom), WATCH_VERDICT_MS);
		rc = LINK_REFRESH_UNTAGGED;
		break;
	default:
		rc = link_refresh_domain(dom, down_ms, done, sizeof(done), err,
					 sizeof(err));
	}
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
	conn = link_refresh_connect(uri);
	if (!conn)
		return 1;
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
