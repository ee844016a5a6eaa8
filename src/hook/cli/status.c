// SPDX-License-Identifier: GPL-2.0-or-later
/* What podnet manages right now: the records in the state folder, the
 * health of each responder and the last lease it gave. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "lease_note.h"
#include "netlink.h"
#include "netops.h"
#include "pod_diff.h"
#include "responder_proc.h"
#include "state.h"
#include "statedir.h"
#include "status.h"

/* UUID.lease: one slot per interface, then the VM's whereabouts. */
#define STATUS_LEASE_NOTE_MAX                                                  \
	((size_t)(LEASE_NOTE_VM_SLOT + 1) * LEASE_NOTE_SLOT)

/* UUID.lease as the responder noted it; a missing file is an empty one. */
static ssize_t read_lease_note(const char *uuid, char *buf, size_t cap)
{
	size_t len;
	int rc = statedir_read(uuid, STATEDIR_LEASE, buf, cap, &len);

	if (rc == -ENOENT)
		return 0;
	return rc < 0 ? rc : (ssize_t)len;
}

static void fill_lease(const char *note, ssize_t len, const char *bridge,
		       struct status_lease *out)
{
	struct lease_note n;

	if (len <= 0 || !lease_note_find(note, (size_t)len, bridge, &n))
		return;
	out->given = true;
	out->time = n.time;
	(void)inet_ntop(AF_INET, &n.addr, out->addr, sizeof(out->addr));
}

static void fill_iface(const struct state_iface *s, struct status_iface *out)
{
	const struct pod_addr *a = pod_primary_addr(&s->orig);
	const struct pod_addr *a6 = pod_global_addr6(&s->orig);
	const uint8_t *m = s->vm_mac;

	(void)snprintf(out->pod_iface, sizeof(out->pod_iface), "%s",
		       s->orig.name);
	(void)snprintf(out->bridge, sizeof(out->bridge), "%s", s->bridge);
	(void)snprintf(out->vm_mac, sizeof(out->vm_mac),
		       "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		       m[4], m[5]);
	if (a) {
		(void)inet_ntop(AF_INET, &a->local.v4.a4, out->pod_ip,
				sizeof(out->pod_ip));
		out->prefix_len = a->prefix_len;
	}
	if (a6) {
		(void)inet_ntop(AF_INET6, &a6->local.a6, out->pod_ip6,
				sizeof(out->pod_ip6));
		out->prefix_len6 = a6->prefix_len;
	}
	out->n_addrs6 = pod_count(s->orig.addrs, s->orig.n_addrs, AF_INET6);
	out->n_routes6 = pod_count(s->orig.routes, s->orig.n_routes, AF_INET6);
	out->n_addrs = pod_count(s->orig.addrs, s->orig.n_addrs, AF_INET);
	out->n_routes = pod_count(s->orig.routes, s->orig.n_routes, AF_INET);
	out->n_neighs6 = pod_count(s->orig.neighs, s->orig.n_neighs, AF_INET6);
	out->n_neighs = pod_count(s->orig.neighs, s->orig.n_neighs, AF_INET);
}

/*
 * The comparison release makes after restoring, made now: while the VM
 * runs, the pod interface is a port of the domain's bridge; otherwise
 * (a release that failed, a record left by hand) it must equal the record.
 */
static void check_pod(struct nl_sock *sk, const struct state_iface *s,
		      struct status_iface *out)
{
	static struct pod_iface now;
	int master = 0, br;

	out->pod = STATUS_POD_UNREAD;
	if (!sk || netops_link_get(sk, s->orig.ifindex, NULL, NULL, NULL,
				   &master, NULL) < 0) {
		(void)snprintf(out->pod_detail, sizeof(out->pod_detail),
			       "cannot read interface %d here",
			       s->orig.ifindex);
		return;
	}
	br = discover_link_exists(sk, s->bridge);
	if (master > 0 && master == br) {
		out->pod = STATUS_POD_HELD;
		(void)snprintf(out->pod_detail, sizeof(out->pod_detail),
			       "a port of bridge '%s'", s->bridge);
		return;
	}
	if (discover_iface_now(sk, s->orig.ifindex, &now) < 0)
		return;
	if (pod_iface_diff(&s->orig, &now, out->pod_detail,
			   sizeof(out->pod_detail))) {
		out->pod = STATUS_POD_DIFFERS;
	} else {
		out->pod = STATUS_POD_MATCHES;
		(void)snprintf(out->pod_detail, sizeof(out->pod_detail),
			       "as recorded");
	}
}

/**
 * status_collect() - The status of one managed domain
 * @uuid:	domain UUID (a record must exist)
 * @ret:	filled on success
 *
 * Reads the record, checks the recorded responder by pid, start time and
 * command line, reads the last lease the responder noted, and compares
 * each pod interface with the record. Changes nothing and takes no lock:
 * records are replaced atomically.
 *
 * Return: 0, -ENOENT if there is no record, or another negative errno
 */
int status_collect(const char *uuid, struct status_domain *ret)
{
	struct state_record *rec = calloc(1, sizeof(*rec));
	char *note = malloc(STATUS_LEASE_NOTE_MAX + 1);
	struct status_domain st = {0};
	struct nl_sock *sk = NULL;
	int rc;

	rc = rec && note ? state_read(uuid, rec) : -ENOMEM;
	if (rc == 0) {
		ssize_t note_len =
			read_lease_note(uuid, note, STATUS_LEASE_NOTE_MAX + 1);

		sk = netlink_open();
		(void)snprintf(st.domain, sizeof(st.domain), "%s", rec->domain);
		(void)snprintf(st.uuid, sizeof(st.uuid), "%s", rec->uuid);
		st.ready = rec->phase == STATE_PHASE_READY;
		st.responder_pid = rec->responder_pid;
		st.responder = responder_proc_health(
			rec->responder_pid, rec->responder_start, uuid);
		st.where = note_len > 0
				   ? lease_note_vm_find(note, (size_t)note_len,
							&st.where_since)
				   : LEASE_NOTE_VM_HERE;
		/* Prepared for an incoming migration, the responder not
		 * (yet) noting it: waiting is what it does. */
		if (rec->incoming && st.where == LEASE_NOTE_VM_HERE)
			st.where = LEASE_NOTE_VM_WAITING;
		st.n_ifaces = rec->n_ifaces;
		for (size_t i = 0; i < rec->n_ifaces; i++) {
			fill_iface(&rec->ifaces[i], &st.ifaces[i]);
			check_pod(sk, &rec->ifaces[i], &st.ifaces[i]);
			fill_lease(note, note_len, st.ifaces[i].bridge,
				   &st.ifaces[i].lease);
		}
		*ret = st;
	}
	netlink_closep(&sk);
	free(note);
	free(rec);
	return rc;
}

/**
 * status_healthy() - Whether a domain is fully served
 * @st:		collected status
 *
 * Return: true if prepare completed and its responder is running
 */
bool status_healthy(const struct status_domain *st)
{
	return st->ready && st->responder == RESPONDER_HEALTH_RUNNING;
}

/**
 * status_has_record() - Whether the state folder holds a record for @uuid
 * @uuid:	domain UUID
 *
 * Return: true if UUID.state exists
 */
bool status_has_record(const char *uuid)
{
	return state_has_record(uuid);
}

/**
 * status_find() - The UUID of a managed domain, by name or UUID
 * @name_or_uuid:	a domain name or a UUID (any case)
 * @ret_uuid:		its record's UUID
 *
 * Return: 0, -ENOENT if no record matches, or another negative errno
 */
int status_find(const char *name_or_uuid,
		char ret_uuid[PODNET_UUID_STR_LEN + 1])
{
	static char uuids[1024][PODNET_UUID_STR_LEN + 1];
	struct state_record *rec;
	char lower[PODNET_UUID_STR_LEN + 1] = "";
	size_t n = 0;
	int rc;

	for (size_t i = 0; i < PODNET_UUID_STR_LEN && name_or_uuid[i]; i++)
		lower[i] =
			(char)(name_or_uuid[i] >= 'A' && name_or_uuid[i] <= 'F'
				       ? name_or_uuid[i] - 'A' + 'a'
				       : name_or_uuid[i]);
	if (strlen(name_or_uuid) == PODNET_UUID_STR_LEN &&
	    state_uuid_valid(lower)) {
		(void)snprintf(ret_uuid, PODNET_UUID_STR_LEN + 1, "%s", lower);
		return 0;
	}
	rc = statedir_list(uuids, ARRAY_SIZE(uuids), &n);
	rec = calloc(1, sizeof(*rec));
	if (!rec)
		rc = -ENOMEM;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (state_read(uuids[i], rec) == 0 &&
		    strcmp(rec->domain, name_or_uuid) == 0) {
			memcpy(ret_uuid, uuids[i], PODNET_UUID_STR_LEN + 1);
			free(rec);
			return 0;
		}
	}
	free(rec);
	return rc < 0 ? rc : -ENOENT;
}
