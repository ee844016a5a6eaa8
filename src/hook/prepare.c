// SPDX-License-Identifier: GPL-2.0-or-later
/* What the hook does at each libvirt event, for one domain, under its lock. */
#include <net/if.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "bridge.h"
#include "brnf.h"
#include "discover.h"
#include "errmsg.h"
#include "eventlog.h"
#include "fault.h"
#include "guest_filter.h"
#include "incoming.h"
#include "lease_note.h"
#include "netlink.h"
#include "prepare.h"
#include "responder_proc.h"
#include "restore.h"
#include "router6.h"
#include "state.h"
#include "statedir.h"
#include "timing.h"

/*
 * Records are large (every route of every interface) and the hook is one
 * single-threaded event: static storage, no allocation to fail or leak.
 */
static struct state_record prepare_rec, prepare_old;

static void undo_also(const char *msg)
{
	eventlog(LOG_ERR, "undo: also: %s", msg);
}

/*
 * Whether restoring the pod may announce its addresses at its own MAC
 * again. Not where the VM runs elsewhere with them: after a live migration
 * to another pod (libvirt's reason "migrated", or the responder saw the
 * VM's RARP arrive through the pod interface), nor on a migration's
 * destination that the VM never reached (failed or cancelled): the VM
 * serves on the source, and our announcement would pull its traffic here.
 */
static bool release_announces(const struct state_record *rec, bool migrated)
{
	static char note[(LEASE_NOTE_VM_SLOT + 1) * LEASE_NOTE_SLOT + 1];
	enum lease_note_vm where = LEASE_NOTE_VM_HERE;
	long long since;
	size_t len;

	if (statedir_read(rec->uuid, STATEDIR_LEASE, note, sizeof(note),
			  &len) == 0)
		where = lease_note_vm_find(note, len, &since);
	if (migrated || where == LEASE_NOTE_VM_LEFT ||
	    (rec->incoming && !lease_note_vm_arrived(where))) {
		eventlog(
			LOG_INFO,
			"domain %s: the VM runs elsewhere (%s): the pod's "
			"addresses are not announced",
			rec->uuid,
			migrated ? "migrated"
			: where == LEASE_NOTE_VM_LEFT
				? "its RARP came through the pod interface"
				: "the incoming migration never switched over");
		return false;
	}
	return true;
}

/* Undo everything the record describes, in reverse; keep the first error. */
static int undo_record(struct nl_sock *sk, const struct state_record *rec,
		       bool migrated, char *err, size_t err_len)
{
	bool announce = release_announces(rec, migrated);
	struct first_err e = {.also = undo_also};
	char one[400];
	/* Signal first, wait last: the kernel's teardown of the responder's
	 * sockets and of the bridge then overlap. */
	int pidfd;
	int rc = responder_proc_signal(rec->responder_pid, rec->responder_start,
				       rec->uuid, &pidfd);

	timing_step("signal the responder", "");
	first_err_note(&e, rc, "cannot stop the responder: %s", strerror(-rc));
	for (size_t i = rec->n_ifaces; i-- > 0;) {
		/* The filter first: it names the bridge, gone next. */
		rc = guest_filter_remove(rec->uuid, &rec->ifaces[i], one,
					 sizeof(one));
		first_err_note(&e, rc, "%s", one);
		timing_step("delete the guest filter", rec->ifaces[i].bridge);
		rc = restore_iface(sk, &rec->ifaces[i], announce, one,
				   sizeof(one));
		first_err_note(&e, rc, "%s", one);
	}
	/* Turned off first, before any bridge: back last. */
	brnf_restore(rec->brnf, &e);
	first_err_note(&e, responder_proc_wait(pidfd) < 0 ? -ETIMEDOUT : 0,
		       "the responder did not stop");
	timing_step("wait for the responder to exit", "");
	/* And one the record does not name (a hook killed after its fork):
	 * when this returns, no responder of the domain is left. */
	rc = responder_proc_stop_holders(rec->uuid, one, sizeof(one));
	first_err_note(&e, rc, "%s", one);
	timing_step("stop other lock holders", "");
	if (e.rc < 0 && err)
		errmsg_set(err, err_len, "%s", e.msg);
	return e.rc;
}

/**
 * prepare_plan() - Discover every tagged interface and plan the changes
 * @sk:		netlink socket in the pod's namespace
 * @dom:	the domain's tags
 * @rec:	filled with what prepare would record and do
 * @err:	one-line reason on failure
 * @err_len:	size of @err
 *
 * Changes nothing in the pod (it reads links, addresses, routes, the DNS
 * and asks the IPv6 router by an echo): prepare runs it before its record,
 * and `podnet validate` runs it alone, so the two cannot check different
 * things.
 *
 * Return: 0, or a negative errno with @err set
 */
int prepare_plan(struct nl_sock *sk, const struct podnet_domain *dom,
		 struct state_record *rec, char *err, size_t err_len)
{
	int rc;

	(void)snprintf(rec->domain, sizeof(rec->domain), "%s", dom->name);
	(void)snprintf(rec->uuid, sizeof(rec->uuid), "%s", dom->uuid);
	(void)snprintf(rec->hostname, sizeof(rec->hostname), "%s",
		       dom->hostname);
	rec->phase = STATE_PHASE_PREPARING;
	for (size_t i = 0; i < dom->n_tags; i++) {
		const struct podnet_tag *t = &dom->tags[i];
		struct state_iface *s = &rec->ifaces[i];

		/* An L2-only interface (dhcp off) needs no address. */
		rc = discover_pod_iface(sk, t->pod_iface, !t->dhcp.no_dhcp,
					&s->orig, err, err_len);
		if (rc < 0)
			return rc;
		/* Before any change: the router answers for the pod's MAC. */
		router6_find(sk, &s->orig, rec->incoming);
		rc = discover_link_exists(sk, t->bridge);
		if (rc != 0) {
			errmsg_set(
				err, err_len,
				"interface '%s': bridge '%s' already exists and was not made by podnet; choose another <source bridge>",
				t->pod_iface, t->bridge);
			return rc < 0 ? rc : -EEXIST;
		}
		memcpy(s->vm_mac, t->mac, MAC_LEN);
		s->dhcp = t->dhcp;
		s->guest_filter_off = t->guest_filter_off;
		(void)snprintf(s->bridge, sizeof(s->bridge), "%s", t->bridge);
		s->bridge_owned = true;
		bridge_random_mac(s->bridge_mac);
		/* Transparent mode: the VM takes the pod interface's own MAC.
		 */
		s->pod_mac_changed = memcmp(t->mac, s->orig.mac, MAC_LEN) == 0;
		if (s->pod_mac_changed)
			bridge_random_mac(s->temp_mac);
		rec->n_ifaces = i + 1;
	}
	brnf_read(rec->brnf);
	timing_step("discover the pod interfaces", "");
	rc = discover_dns(PREPARE_RESOLV_CONF, &rec->dns);
	if (rc < 0) {
		/* Not fatal: the VM gets no DNS options, like the pod has none.
		 */
		memset(&rec->dns, 0, sizeof(rec->dns));
	}
	return 0;
}

static int apply(struct nl_sock *sk, struct state_record *rec, char *err,
		 size_t err_len)
{
	int rc;

	/* Before any bridge: no frame of the VM ever crosses the pod's
	 * iptables. */
	rc = brnf_off(rec->brnf, err, err_len);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < rec->n_ifaces; i++) {
		rc = bridge_prepare_iface(sk, &rec->ifaces[i], err, err_len);
		if (rc < 0)
			return rc;
		timing_step("build the bridge", rec->ifaces[i].bridge);
		/* Before the responder is ready, so before libvirt makes the
		 * VM's tap a port of the bridge. */
		rc = guest_filter_add(rec->uuid, &rec->ifaces[i], err, err_len);
		if (rc < 0)
			return rc;
		timing_step("set up the guest filter", rec->ifaces[i].bridge);
	}
	rc = fault_point("start responder", err, err_len);
	if (rc < 0)
		return rc;
	rc = responder_proc_start(rec->uuid, &rec->responder_pid,
				  &rec->responder_start, err, err_len);
	if (rc < 0)
		return rc;
	timing_step("start the responder (until ready)", "");
	rec->phase = STATE_PHASE_READY;
	rc = fault_point("record the responder", err, err_len);
	if (rc == 0)
		rc = state_write(rec);
	timing_step("write the record", "");
	if (rc < 0)
		errmsg_set(err, err_len,
			   "cannot record the responder in '%s': %s",
			   state_dir(), strerror(-rc));
	return rc;
}

/* An earlier prepare of this domain left a record: finished, or not. */
static int settle_old_record(struct nl_sock *sk, const char *uuid,
			     struct state_record *old, char *err,
			     size_t err_len)
{
	char why[400] = "";
	int rc = state_read(uuid, old);

	if (rc == -ENOENT)
		return 0;
	if (rc == 0 && old->phase == STATE_PHASE_READY &&
	    responder_proc_is_running(old->responder_pid, old->responder_start,
				      uuid))
		return 1; /* already prepared and serving: nothing to do */
	/* Half done (the hook died) or its responder died: start afresh,
	 * but only from a pod that is back as recorded; else the record is
	 * the only copy of the pod's network and must stay. */
	if (rc == 0 && undo_record(sk, old, false, why, sizeof(why)) < 0) {
		errmsg_set(
			err, err_len,
			"the pod's network is not back from the last run (%s); the record stays in '%s': fix it, then run 'podnet restore %s'",
			why, state_dir(), uuid);
		return -EBUSY;
	}
	(void)state_remove(uuid);
	return 0;
}

static int prepare_locked(struct nl_sock *sk, const struct podnet_domain *dom,
			  struct state_record *rec, char *err, size_t err_len)
{
	int rc = prepare_plan(sk, dom, rec, err, err_len);

	if (rc < 0)
		return rc;
	rc = fault_point("write the state record", err, err_len);
	if (rc < 0)
		return rc;
	rc = state_write(rec);
	timing_step("write the record", "");
	if (rc < 0) {
		errmsg_set(err, err_len,
			   "cannot write the state record in '%s': %s",
			   state_dir(), strerror(-rc));
		return rc;
	}
	rc = fault_point("apply", err, err_len);
	if (rc == 0)
		rc = apply(sk, rec, err, err_len);
	if (rc < 0) {
		char why[400] = "";

		/* A pod that is not back keeps its record (see release). */
		if (undo_record(sk, rec, false, why, sizeof(why)) < 0) {
			errmsg_append(
				err, err_len,
				"; and undoing it failed: %s; the record stays for 'podnet restore'",
				why);
			return rc;
		}
		(void)state_remove(dom->uuid);
	}
	return rc;
}

/**
 * prepare_domain() - The prepare event: give the VM the pod's network
 * @dom:	the tagged domain
 * @err:	one-line reason on failure
 * @err_len:	size of @err
 *
 * The record is written before the first change; any failure undoes every
 * change in reverse and removes the record, leaving the pod as it was.
 *
 * Return: 0, or negative errno with @err set
 */
int prepare_domain(const struct podnet_domain *dom, char *err, size_t err_len)
{
	struct state_record *rec = &prepare_rec, *old = &prepare_old;
	struct nl_sock *sk;
	int lock, rc;

	memset(rec, 0, sizeof(*rec));
	memset(old, 0, sizeof(*old));
	lock = state_lock(dom->uuid);
	if (lock < 0) {
		errmsg_set(err, err_len, "cannot lock '%s': %s", state_dir(),
			   strerror(-lock));
		return lock;
	}
	/* `migrate` came first: the VM still runs on the source. */
	rec->incoming = incoming_take(dom->uuid);
	sk = netlink_open_err(err, err_len);
	timing_step("lock, open netlink", "");
	if (!sk) {
		rc = -errno;
	} else {
		rc = settle_old_record(sk, dom->uuid, old, err, err_len);
		timing_step("settle an earlier record", "");
		if (rc == 0)
			rc = prepare_locked(sk, dom, rec, err, err_len);
		netlink_closep(&sk);
	}
	if (rc < 0)
		state_unlock_remove(dom->uuid, lock);
	else
		(void)close(lock);
	return rc > 0 ? 0 : rc;
}

/* release_domain() under the domain lock, with @rec to read into. */
static int release_locked(const char *uuid, bool migrated,
			  struct state_record *rec, char *err, size_t err_len)
{
	struct nl_sock *sk;
	int rc = state_read(uuid, rec);

	/* No record: still no responder may outlive the release. */
	if (rc == -ENOENT)
		return responder_proc_stop_holders(uuid, err, err_len);
	if (rc < 0) {
		errmsg_set(err, err_len, "damaged state record in '%s': %s",
			   state_dir(), strerror(-rc));
		return rc;
	}
	sk = netlink_open_err(err, err_len);
	timing_step("lock, read the record, open netlink", "");
	if (!sk)
		return -errno;
	rc = undo_record(sk, rec, migrated, err, err_len);
	netlink_closep(&sk);
	if (rc < 0) {
		errmsg_append(err, err_len,
			      "; the record stays for 'podnet restore'");
		return rc;
	}
	(void)state_remove(uuid);
	return rc;
}

/**
 * release_domain() - The release event: stop the responder, restore the pod
 * @uuid:	domain UUID
 * @migrated:	libvirt's reason says the VM migrated away (libvirt >= 10.5)
 * @err:	one-line reason if something could not be restored
 * @err_len:	size of @err
 *
 * No record means nothing of podnet's is there (an untagged domain, or a
 * prepare that failed and cleaned up): success. When the pod is not back
 * exactly as recorded, the record stays: it is the only copy of the pod's
 * network, and `podnet restore` can try again once the cause is fixed.
 *
 * Return: 0, or negative errno with @err set
 */
int release_domain(const char *uuid, bool migrated, char *err, size_t err_len)
{
	int lock, rc;

	if (!state_uuid_valid(uuid))
		return 0;
	lock = state_lock(uuid);
	if (lock < 0) {
		errmsg_set(err, err_len, "cannot lock '%s': %s", state_dir(),
			   strerror(-lock));
		return lock;
	}
	memset(&prepare_rec, 0, sizeof(prepare_rec));
	rc = release_locked(uuid, migrated, &prepare_rec, err, err_len);
	/* A damaged record, or one whose pod is not back, stays; else
	 * nothing is left. */
	if (rc < 0 && state_has_record(uuid))
		(void)close(lock);
	else
		state_unlock_remove(uuid, lock);
	return rc;
}

/**
 * reconnect_domain() - libvirtd restarted: restart a responder that died
 * @uuid:	domain UUID
 * @err:	one-line reason if the responder could not be restarted
 * @err_len:	size of @err
 *
 * The caller must not turn a failure here into a failing hook: libvirt
 * kills a running domain whose reconnect hook fails.
 *
 * Return: 0, or negative errno with @err set
 */
int reconnect_domain(const char *uuid, char *err, size_t err_len)
{
	struct state_record *rec = &prepare_rec;
	int lock, rc;

	if (!state_uuid_valid(uuid))
		return 0;
	lock = state_lock(uuid);
	if (lock < 0)
		return lock;
	memset(rec, 0, sizeof(*rec));
	rc = state_read(uuid, rec);
	if (rc == 0 && rec->phase == STATE_PHASE_READY &&
	    !responder_proc_is_running(rec->responder_pid, rec->responder_start,
				       uuid)) {
		rc = responder_proc_start(uuid, &rec->responder_pid,
					  &rec->responder_start, err, err_len);
		if (rc == 0)
			rc = state_write(rec);
	}
	if (rc == -ENOENT) {
		state_unlock_remove(uuid, lock);
		return 0;
	}
	(void)close(lock);
	return rc;
}
