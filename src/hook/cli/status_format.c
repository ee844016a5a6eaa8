// SPDX-License-Identifier: GPL-2.0-or-later
/* The status of a managed domain as text for people and as JSON for scripts.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "status_format.h"
#include "textbuf.h"

/* A JSON string (RFC 8259 section 7): quotes, escapes, control characters. */
static void put_json(struct textbuf *o, const char *s)
{
	textbuf_put(o, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			textbuf_put(o, "\\%c", c);
		else if (c < 0x20)
			textbuf_put(o, "\\u%04x", c);
		else
			textbuf_put(o, "%c", c);
	}
	textbuf_put(o, "\"");
}

static int finish(const struct textbuf *o)
{
	return o->overflow ? -ENOSPC : (int)o->len;
}

/**
 * status_json_string() - Format @s as a JSON string literal
 * @s:		UTF-8 text
 * @buf:	output, NUL-terminated
 * @cap:	size of @buf
 *
 * Return: length written, or -ENOSPC
 */
int status_json_string(const char *s, char *buf, size_t cap)
{
	struct textbuf o = {.buf = buf, .cap = cap};

	if (cap)
		buf[0] = '\0';
	put_json(&o, s);
	return finish(&o);
}

/**
 * status_responder_name() - One word for a responder's health
 * @r:		health
 *
 * Return: static string
 */
const char *status_responder_name(enum responder_health r)
{
	switch (r) {
	case RESPONDER_HEALTH_NONE:
		return "none";
	case RESPONDER_HEALTH_RUNNING:
		return "running";
	case RESPONDER_HEALTH_DEAD:
		return "dead";
	case RESPONDER_HEALTH_IMPOSTOR:
		return "pid-reused";
	}
	return "unknown";
}

/* UTC, so that the output does not depend on the reader's time zone. */
static void utc_time(long long t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) ||
	    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(buf, 32, "%lld", t);
}

/**
 * status_pod_name() - A word for how the pod compares with its record
 * @p:		the comparison
 *
 * Return: a static string
 */
const char *status_pod_name(enum status_pod p)
{
	switch (p) {
	case STATUS_POD_HELD:
		return "held";
	case STATUS_POD_MATCHES:
		return "matches";
	case STATUS_POD_DIFFERS:
		return "differs";
	default:
		return "unread";
	}
}

/* "guest filter: on, dropped: src_mac 3, ..." (only reasons that counted). */
static void put_filter_text(struct textbuf *o, const struct status_iface *f)
{
	uint64_t total = 0;

	if (f->guest_filter <= 0) {
		textbuf_put(o, "    guest filter: %s\n",
			    f->guest_filter == 0 ? "off" : "unread");
		return;
	}
	for (size_t i = 0; i < GUEST_FILTER_REASONS; i++)
		total += f->drops[i];
	textbuf_put(o, "    guest filter: on, dropped %llu frame(s)",
		    (unsigned long long)total);
	for (size_t i = 0, n = 0; i < GUEST_FILTER_REASONS; i++)
		if (f->drops[i])
			textbuf_put(o, "%s%s %llu", n++ ? ", " : ": ",
				    guest_filter_reason_names[i],
				    (unsigned long long)f->drops[i]);
	textbuf_put(o, "\n");
}

/* "guest_filter":{"state":"on","dropped":{"src_mac":0,...}} */
static void put_filter_json(struct textbuf *o, const struct status_iface *f)
{
	textbuf_put(o, ",\"guest_filter\":{\"state\":\"%s\"",
		    f->guest_filter > 0	   ? "on"
		    : f->guest_filter == 0 ? "off"
					   : "unread");
	if (f->guest_filter > 0) {
		textbuf_put(o, ",\"dropped\":{");
		for (size_t i = 0; i < GUEST_FILTER_REASONS; i++)
			textbuf_put(o, "%s\"%s\":%llu", i ? "," : "",
				    guest_filter_reason_names[i],
				    (unsigned long long)f->drops[i]);
		textbuf_put(o, "}");
	}
	textbuf_put(o, "}");
}

/**
 * status_format_text() - Human-readable status of one domain
 * @st:		collected status
 * @buf:	output, NUL-terminated
 * @cap:	size of @buf
 *
 * Return: length written, or -ENOSPC
 */
int status_format_text(const struct status_domain *st, char *buf, size_t cap)
{
	struct textbuf o = {.buf = buf, .cap = cap};

	if (cap)
		buf[0] = '\0';
	textbuf_put(&o, "domain '%s' (%s): %s\n", st->domain, st->uuid,
		    !st->ready		 ? "prepare not finished"
		    : status_healthy(st) ? "serving"
					 : "responder not running");
	if (st->responder == RESPONDER_HEALTH_NONE)
		textbuf_put(&o, "  responder: none\n");
	else
		textbuf_put(&o, "  responder: pid %d, %s\n",
			    (int)st->responder_pid,
			    status_responder_name(st->responder));
	if (st->where == LEASE_NOTE_VM_WAITING)
		textbuf_put(&o, "  incoming-migration: waiting (for the VM's "
				"first frame here; the pod says nothing "
				"meanwhile)\n");
	else if (st->where == LEASE_NOTE_VM_RENUMBER)
		textbuf_put(&o,
			    "  incoming-migration: switched (the VM arrived "
			    "at %lld and was announced); the guest still "
			    "uses another address: it must renumber\n",
			    st->where_since);
	else if (st->where == LEASE_NOTE_VM_SWITCHED)
		textbuf_put(&o,
			    "  incoming-migration: switched (the VM arrived "
			    "at %lld and was announced)\n",
			    st->where_since);
	else if (st->where == LEASE_NOTE_VM_LEFT)
		textbuf_put(&o,
			    "  migrated-away: the VM's RARP came through the "
			    "pod interface at %lld; release will not announce "
			    "the pod\n",
			    st->where_since);
	for (size_t i = 0; i < st->n_ifaces; i++) {
		const struct status_iface *f = &st->ifaces[i];

		textbuf_put(&o, "  interface '%s': pod IP %s/%u", f->pod_iface,
			    f->pod_ip[0] ? f->pod_ip : "-", f->prefix_len);
		if (f->pod_ip6[0])
			textbuf_put(&o, ", IPv6 %s/%u", f->pod_ip6,
				    f->prefix_len6);
		textbuf_put(&o, ", bridge '%s', VM MAC %s\n", f->bridge,
			    f->vm_mac);
		if (f->lease.given) {
			char when[32];

			utc_time(f->lease.time, when);
			textbuf_put(&o, "    lease: %s acked at %s\n",
				    f->lease.addr, when);
		} else {
			textbuf_put(&o, "    lease: not given yet\n");
		}
		textbuf_put(
			&o,
			"    record: %zu address(es), %zu route(s), %zu permanent "
			"neighbour(s)",
			f->n_addrs, f->n_routes, f->n_neighs);
		if (f->n_addrs6 || f->n_routes6 || f->n_neighs6)
			textbuf_put(
				&o,
				"; IPv6: %zu address(es), %zu route(s), %zu "
				"permanent neighbour(s)",
				f->n_addrs6, f->n_routes6, f->n_neighs6);
		textbuf_put(&o, "; pod interface %s: %s\n",
			    status_pod_name(f->pod), f->pod_detail);
		put_filter_text(&o, f);
	}
	return finish(&o);
}

static void put_iface_json(struct textbuf *o, const struct status_iface *f)
{
	textbuf_put(o, "{\"pod_interface\":");
	put_json(o, f->pod_iface);
	textbuf_put(o, ",\"pod_ip\":");
	put_json(o, f->pod_ip);
	textbuf_put(o, ",\"prefix_len\":%u,\"pod_ip6\":", f->prefix_len);
	put_json(o, f->pod_ip6);
	textbuf_put(o, ",\"prefix_len6\":%u,\"bridge\":", f->prefix_len6);
	put_json(o, f->bridge);
	textbuf_put(o, ",\"vm_mac\":");
	put_json(o, f->vm_mac);
	if (f->lease.given) {
		char when[32];

		utc_time(f->lease.time, when);
		textbuf_put(o, ",\"lease\":{\"given\":true,\"address\":");
		put_json(o, f->lease.addr);
		textbuf_put(o, ",\"time\":%lld,\"time_utc\":\"%s\"}",
			    f->lease.time, when);
	} else {
		textbuf_put(o, ",\"lease\":{\"given\":false}");
	}
	textbuf_put(
		o,
		",\"record\":{\"addresses\":%zu,\"routes\":%zu,"
		"\"neighbours\":%zu,\"addresses6\":%zu,\"routes6\":%zu,"
		"\"neighbours6\":%zu},\"pod\":{\"state\":\"%s\",\"detail\":",
		f->n_addrs, f->n_routes, f->n_neighs, f->n_addrs6, f->n_routes6,
		f->n_neighs6, status_pod_name(f->pod));
	put_json(o, f->pod_detail);
	textbuf_put(o, "}");
	put_filter_json(o, f);
	textbuf_put(o, "}");
}

/**
 * status_format_json() - Status of one domain as one JSON object
 * @st:		collected status
 * @buf:	output, NUL-terminated, no trailing newline
 * @cap:	size of @buf
 *
 * Return: length written, or -ENOSPC
 */
int status_format_json(const struct status_domain *st, char *buf, size_t cap)
{
	struct textbuf o = {.buf = buf, .cap = cap};

	if (cap)
		buf[0] = '\0';
	textbuf_put(&o, "{\"domain\":");
	put_json(&o, st->domain);
	textbuf_put(&o, ",\"uuid\":");
	put_json(&o, st->uuid);
	textbuf_put(
		&o,
		",\"prepared\":%s,\"healthy\":%s,\"responder\":{\"pid\":%d,"
		"\"state\":\"%s\",\"alive\":%s,\"is_responder\":%s},"
		"\"migration\":\"%s\",\"interfaces\":[",
		st->ready ? "true" : "false",
		status_healthy(st) ? "true" : "false", (int)st->responder_pid,
		status_responder_name(st->responder),
		st->responder == RESPONDER_HEALTH_RUNNING ||
				st->responder == RESPONDER_HEALTH_IMPOSTOR
			? "true"
			: "false",
		st->responder == RESPONDER_HEALTH_RUNNING ? "true" : "false",
		st->where == LEASE_NOTE_VM_HERE
			? "none"
			: lease_note_vm_name(st->where));
	for (size_t i = 0; i < st->n_ifaces; i++) {
		if (i)
			textbuf_put(&o, ",");
		put_iface_json(&o, &st->ifaces[i]);
	}
	textbuf_put(&o, "]}");
	return finish(&o);
}
