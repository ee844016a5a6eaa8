// SPDX-License-Identifier: GPL-2.0-or-later
/* libvirt's qemu hook entry point: argv contract, event dispatch, exit status,
 * one stderr line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "domain_uuid.h"
#include "domain_xml.h"
#include "eventlog.h"
#include "incoming.h"
#include "legacy.h"
#include "prepare.h"
#include "read_all.h"
#include "statedir.h"
#include "timing.h"
#include "tool.h"

/* `make install` recognises podnet's own hook by this string. */
__attribute__((used)) static const char hook_marker[] = "podnet-hook-binary";

enum hook_op {
	HOOK_OP_MIGRATE,
	HOOK_OP_PREPARE,
	HOOK_OP_RELEASE,
	HOOK_OP_RECONNECT,
	HOOK_OP_OTHER,
};

/* libvirt: `qemu NAME OPERATION SUB-OPERATION EXTRA`, XML on stdin. */
static enum hook_op hook_op_parse(const char *op, const char *subop)
{
	if (strcmp(op, "migrate") == 0 && strcmp(subop, "begin") == 0)
		return HOOK_OP_MIGRATE;
	if (strcmp(op, "prepare") == 0 && strcmp(subop, "begin") == 0)
		return HOOK_OP_PREPARE;
	if (strcmp(op, "release") == 0 && strcmp(subop, "end") == 0)
		return HOOK_OP_RELEASE;
	if (strcmp(op, "reconnect") == 0 && strcmp(subop, "begin") == 0)
		return HOOK_OP_RECONNECT;
	return HOOK_OP_OTHER;
}

/* The one line libvirt shows in the `virsh start` error. */
static int fail(const char *domain, const char *msg)
{
	fprintf(stderr, "podnet: domain '%s': %s\n", domain, msg);
	return 1;
}

static int on_prepare(const char *name, const char *xml, size_t len)
{
	static struct podnet_domain dom;
	char err[512] = "";
	int rc;

	rc = domain_xml_parse(xml, len, &dom, err, sizeof(err));
	timing_step("parse and check the domain XML", "");
	if (rc == DOMAIN_XML_UNTAGGED)
		return 0;
	if (rc < 0)
		return fail(name, err[0] ? err : "cannot read the domain XML");
	rc = prepare_domain(&dom, err, sizeof(err));
	if (rc < 0) {
		eventlog(LOG_ERR, "domain '%s': prepare failed: %s", name,
			 err[0] ? err : strerror(-rc));
		return fail(name, err[0] ? err : strerror(-rc));
	}
	eventlog(LOG_INFO, "domain '%s': prepare: pod network handed to the VM",
		 name);
	return 0;
}

/*
 * The destination of a live migration: its `prepare` follows while the VM
 * still runs on the source. Bad tags fail here already (libvirt cancels
 * the migration and shows the line); stdout stays empty, so libvirt keeps
 * the XML as it is.
 */
static int on_migrate(const char *name, const char *xml, size_t len)
{
	static struct podnet_domain dom;
	char err[512] = "";
	int rc;

	rc = domain_xml_parse(xml, len, &dom, err, sizeof(err));
	if (rc == DOMAIN_XML_UNTAGGED)
		return 0;
	if (rc < 0)
		return fail(name, err[0] ? err : "cannot read the domain XML");
	rc = incoming_mark(dom.uuid);
	if (rc < 0) {
		(void)snprintf(err, sizeof(err),
			       "cannot note the incoming migration in '%s': %s",
			       state_dir(), strerror(-rc));
		return fail(name, err);
	}
	eventlog(LOG_INFO,
		 "domain '%s': migrate: incoming live migration, the pod stays "
		 "silent until the VM arrives",
		 name);
	return 0;
}

static int on_release_or_reconnect(enum hook_op op, const char *name,
				   const char *reason, const char *xml,
				   size_t len)
{
	char uuid[PODNET_UUID_STR_LEN + 1];
	char err[512] = "";
	int rc;

	if (domain_uuid_read(xml, len, uuid) < 0)
		return 0;
	/* A record an earlier release wrote, if it is this pod's. */
	(void)legacy_adopt(uuid);
	if (!state_has_files(uuid))
		return 0; /* nothing of ours to release or check */
	if (op == HOOK_OP_RECONNECT) {
		/* Never fail: libvirt kills the domain if reconnect fails. */
		rc = reconnect_domain(uuid, err, sizeof(err));
		eventlog(rc < 0 ? LOG_ERR : LOG_INFO,
			 "domain '%s': reconnect: %s", name,
			 rc < 0 ? err : "responder checked");
		return 0;
	}
	/* libvirt >= 10.5 says why (`release end migrated`); older ones
	 * pass "-", and the responder's note tells instead. */
	rc = release_domain(uuid, strcmp(reason, "migrated") == 0, err,
			    sizeof(err));
	eventlog(rc < 0 ? LOG_ERR : LOG_INFO, "domain '%s': release: %s", name,
		 rc < 0 ? (err[0] ? err : strerror(-rc)) : "pod restored");
	if (rc < 0)
		return fail(name, err[0] ? err : strerror(-rc));
	return 0;
}

int main(int argc, char **argv)
{
	enum hook_op op;
	size_t len = 0;
	char *xml;
	int rc;

	timing_init();
	/* Any other call is a person or a script: the tool. */
	if (tool_claims(argc, argv))
		return tool_main(argc, argv);
	op = hook_op_parse(argv[2], argv[3]);
	/* Every other event: nothing to do, and stdout must stay empty. */
	if (op == HOOK_OP_OTHER)
		return 0;
	xml = read_all(STDIN_FILENO, &len);
	timing_step("read the domain XML", "");
	if (!xml) {
		char why[128];

		(void)snprintf(why, sizeof(why),
			       "cannot read the domain XML from stdin: %s",
			       strerror(errno));
		return fail(argv[1], why);
	}
	if (op == HOOK_OP_MIGRATE)
		rc = on_migrate(argv[1], xml, len);
	else if (op == HOOK_OP_PREPARE)
		rc = on_prepare(argv[1], xml, len);
	else
		rc = on_release_or_reconnect(op, argv[1], argv[4], xml, len);
	free(xml);
	return rc;
}
