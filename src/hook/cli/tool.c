// SPDX-License-Identifier: GPL-2.0-or-later
/* The podnet binary as a command-line tool: status, validate, restore.
 * Like the hook's main(), this is a front end: it prints, the modules
 * it calls do not. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "legacy.h"
#include "prepare.h"
#include "read_all.h"
#include "responder_exe.h"
#include "statedir.h"
#include "status.h"
#include "status_format.h"
#include "tool.h"
#include "validate.h"

#define TOOL_MAX_DOMAINS 1024

struct tool_opts {
	bool json;
	bool pod;
	const char *arg; /* the one positional argument, if any */
};

static const char tool_usage[] =
	"Usage: podnet status [--json] [DOMAIN|UUID]\n"
	"       podnet validate [--json] [--pod] FILE.xml|-\n"
	"       podnet restore [--json] DOMAIN|UUID\n"
	"       podnet link-refresh [--connect URI] DOMAIN|--watch\n"
	"       podnet --help | --version\n"
	"\n"
	"As libvirt's qemu hook (4 arguments, domain XML on stdin):\n"
	"       podnet DOMAIN OPERATION SUB-OPERATION EXTRA\n"
	"\n"
	"  status    domains podnet manages: interfaces, pod IP, bridge,\n"
	"            responder health, last lease (exit 1 if one is "
	"unhealthy)\n"
	"  validate  check a domain XML as prepare would, changing nothing;\n"
	"            --pod also checks the pod interfaces in this namespace\n"
	"  restore   stop the responder and restore the pod (what release "
	"does)\n"
	"  link-refresh  flap the link of the domain's tagged interfaces\n"
	"            through libvirt (after a live migration), or --watch:\n"
	"            of each domain resumed after an incoming migration\n"
	"            whose guest must renumber (status: switched-renumber)\n"
	"\n"
	"Exit status: 0 ok, 1 failed or unhealthy, 2 usage, 3 not found or not "
	"tagged.\n"
	"State folder: $PODNET_STATE_DIR, default " STATEDIR_DEFAULT ".\n";

/**
 * tool_claims() - Whether a 4-argument call is the tool, not the hook
 * @argc:	argument count
 * @argv:	arguments
 *
 * libvirt always passes 4 arguments and its operations never start with
 * "--", so `podnet validate --json --pod FILE` is told apart from a hook
 * call for a domain that happens to be called "validate".
 *
 * Return: true if the tool should handle this call
 */
bool tool_claims(int argc, char **argv)
{
	if (argc != 5)
		return true;
	for (int i = 2; i < 4; i++)
		if (strncmp(argv[i], "--", 2) == 0)
			return true;
	return false;
}

static int parse_opts(int argc, char **argv, struct tool_opts *o)
{
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			o->json = true;
		} else if (strcmp(argv[i], "--pod") == 0) {
			o->pod = true;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "podnet: unknown option '%s'\n",
				argv[i]);
			return -EINVAL;
		} else if (o->arg) {
			fprintf(stderr, "podnet: unexpected argument '%s'\n",
				argv[i]);
			return -EINVAL;
		} else {
			o->arg = argv[i];
		}
	}
	return 0;
}

static void print_json_string(const char *s)
{
	static char buf[4 * 4096];

	if (status_json_string(s, buf, sizeof(buf)) >= 0)
		fputs(buf, stdout);
	else
		fputs("\"\"", stdout);
}

static int print_one_status(const char *uuid, bool json, bool first,
			    bool *healthy)
{
	static struct status_domain st;
	static char buf[STATUS_FORMAT_MAX];
	int rc = status_collect(uuid, &st);

	if (rc < 0)
		return rc;
	*healthy = *healthy && status_healthy(&st);
	rc = json ? status_format_json(&st, buf, sizeof(buf))
		  : status_format_text(&st, buf, sizeof(buf));
	if (rc < 0)
		return rc;
	if (json)
		printf("%s\n  %s", first ? "" : ",", buf);
	else
		fputs(buf, stdout);
	return 0;
}

static int cmd_status(const struct tool_opts *o)
{
	static char uuids[TOOL_MAX_DOMAINS][PODNET_UUID_STR_LEN + 1];
	bool healthy = true, first = true;
	size_t n = 0;
	int rc;

	if (o->arg) {
		rc = status_find(o->arg, uuids[0]);
		if (rc == 0 && !status_has_record(uuids[0]))
			rc = -ENOENT;
		n = rc == 0 ? 1 : 0;
	} else {
		rc = statedir_list(uuids, TOOL_MAX_DOMAINS, &n);
	}
	if (rc < 0 && rc != -ENOENT) {
		fprintf(stderr, "podnet: cannot read '%s': %s\n", state_dir(),
			strerror(-rc));
		return TOOL_EXIT_FAIL;
	}
	if (o->json)
		fputs("[", stdout);
	for (size_t i = 0; i < n; i++) {
		/* A record that vanished meanwhile was released: skip it. */
		if (print_one_status(uuids[i], o->json, first, &healthy) == 0)
			first = false;
	}
	if (o->json)
		fputs(first ? "]\n" : "\n]\n", stdout);
	else if (first && !o->arg)
		printf("podnet manages no domain (state folder '%s')\n",
		       state_dir());
	if (rc == -ENOENT || (o->arg && first)) {
		fprintf(stderr, "podnet: no domain '%s' in '%s'\n", o->arg,
			state_dir());
		return TOOL_EXIT_NOT_FOUND;
	}
	return healthy ? TOOL_EXIT_OK : TOOL_EXIT_FAIL;
}

static void print_valid(const char *file, const struct validate_result *r,
			bool json)
{
	const struct podnet_domain *d = &r->dom;

	if (!json) {
		printf("%s: domain '%s' is valid, hostname '%s'%s\n", file,
		       d->name, d->hostname,
		       r->pod_checked ? "; pod interfaces checked" : "");
		for (size_t i = 0; i < d->n_tags; i++)
			printf("  interface '%s' -> bridge '%s', VM MAC "
			       "%s%s%s\n",
			       d->tags[i].pod_iface, d->tags[i].bridge,
			       d->tags[i].mac_str,
			       r->pod_checked ? ", pod IP " : "",
			       r->pod_checked ? r->pod_ip[i] : "");
		return;
	}
	fputs("{\"file\":", stdout);
	print_json_string(file);
	fputs(",\"valid\":true,\"tagged\":true,\"domain\":", stdout);
	print_json_string(d->name);
	fputs(",\"uuid\":", stdout);
	print_json_string(d->uuid);
	fputs(",\"hostname\":", stdout);
	print_json_string(d->hostname);
	printf(",\"pod_checked\":%s,\"interfaces\":[",
	       r->pod_checked ? "true" : "false");
	for (size_t i = 0; i < d->n_tags; i++) {
		printf("%s{\"pod_interface\":", i ? "," : "");
		print_json_string(d->tags[i].pod_iface);
		fputs(",\"bridge\":", stdout);
		print_json_string(d->tags[i].bridge);
		printf(",\"vm_mac\":\"%s\"", d->tags[i].mac_str);
		if (r->pod_checked)
			printf(",\"pod_ip\":\"%s\",\"prefix_len\":%u",
			       r->pod_ip[i], r->prefix_len[i]);
		fputs("}", stdout);
	}
	fputs("]}\n", stdout);
}

static int print_invalid(const char *file, bool tagged, const char *err,
			 bool json)
{
	if (json) {
		fputs("{\"file\":", stdout);
		print_json_string(file);
		printf(",\"valid\":false,\"tagged\":%s,\"error\":",
		       tagged ? "true" : "false");
		print_json_string(err);
		fputs("}\n", stdout);
	}
	fprintf(stderr, "podnet: %s: %s\n", file, err);
	return tagged ? TOOL_EXIT_FAIL : TOOL_EXIT_NOT_FOUND;
}

static int cmd_validate(const struct tool_opts *o)
{
	static struct validate_result r;
	char err[512] = "";
	size_t len = 0;
	char *xml;
	int fd, rc;

	if (!o->arg) {
		fputs(tool_usage, stderr);
		return TOOL_EXIT_USAGE;
	}
	fd = strcmp(o->arg, "-") == 0 ? STDIN_FILENO
				      : open(o->arg, O_RDONLY | O_CLOEXEC);
	xml = fd < 0 ? NULL : read_all(fd, &len);
	if (!xml) {
		errmsg_set(err, sizeof(err), "cannot read: %s",
			   strerror(errno));
		if (fd > STDIN_FILENO)
			(void)close(fd);
		return print_invalid(o->arg, true, err, o->json);
	}
	if (fd > STDIN_FILENO)
		(void)close(fd);
	rc = validate_domain(xml, len, o->pod, &r, err, sizeof(err));
	free(xml);
	if (rc == DOMAIN_XML_UNTAGGED)
		return print_invalid(o->arg, false,
				     "no podnet tag: the hook leaves this "
				     "domain alone",
				     o->json);
	if (rc < 0)
		return print_invalid(o->arg, true, err[0] ? err : strerror(-rc),
				     o->json);
	print_valid(o->arg, &r, o->json);
	return TOOL_EXIT_OK;
}

static int cmd_restore(const struct tool_opts *o)
{
	char uuid[PODNET_UUID_STR_LEN + 1], err[512] = "";
	int rc;

	if (!o->arg) {
		fputs(tool_usage, stderr);
		return TOOL_EXIT_USAGE;
	}
	rc = status_find(o->arg, uuid);
	if (rc == 0 && !status_has_record(uuid))
		rc = -ENOENT;
	if (rc < 0) {
		fprintf(stderr, "podnet: no domain '%s' in '%s'\n", o->arg,
			state_dir());
		return TOOL_EXIT_NOT_FOUND;
	}
	rc = release_domain(uuid, false, err, sizeof(err));
	if (o->json) {
		fputs("{\"domain\":", stdout);
		print_json_string(o->arg);
		printf(",\"uuid\":\"%s\",\"restored\":%s", uuid,
		       rc < 0 ? "false" : "true");
		if (rc < 0) {
			fputs(",\"error\":", stdout);
			print_json_string(err[0] ? err : strerror(-rc));
		}
		fputs("}\n", stdout);
	} else if (rc == 0) {
		printf("podnet: domain '%s' (%s): responder stopped, pod "
		       "restored\n",
		       o->arg, uuid);
	}
	if (rc < 0) {
		fprintf(stderr, "podnet: domain '%s': %s\n", o->arg,
			err[0] ? err : strerror(-rc));
		return TOOL_EXIT_FAIL;
	}
	return TOOL_EXIT_OK;
}

/*
 * `podnet link-refresh ...`: podnet-link-refresh does it (a program of its
 * own, so that the hook never loads libvirt's client library), with the
 * same arguments; found and checked as the hook finds the responder.
 */
static int cmd_link_refresh(char **argv)
{
	char err[512] = "";
	int fd = libexec_open("the link-refresh program", LINK_REFRESH_EXE_NAME,
			      PODNET_LINK_REFRESH_PATH, err, sizeof(err));

	if (fd < 0) {
		fprintf(stderr, "podnet: link-refresh: %s\n", err);
		return TOOL_EXIT_FAIL;
	}
	(void)fexecve(fd, argv, environ);
	fprintf(stderr, "podnet: link-refresh: cannot run '%s': %s\n",
		PODNET_LINK_REFRESH_PATH, strerror(errno));
	(void)close(fd);
	return TOOL_EXIT_FAIL;
}

/**
 * tool_main() - Run the tool: podnet COMMAND [OPTIONS] [ARG]
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: exit status (TOOL_EXIT_*)
 */
int tool_main(int argc, char **argv)
{
	struct tool_opts o = {0};
	const char *cmd = argc > 1 ? argv[1] : "";

	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		fputs(tool_usage, stdout);
		return TOOL_EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("podnet %s\n", PODNET_VERSION);
		return TOOL_EXIT_OK;
	}
	if (strcmp(cmd, "link-refresh") == 0)
		return cmd_link_refresh(argv);
	if (parse_opts(argc, argv, &o) < 0) {
		fputs(tool_usage, stderr);
		return TOOL_EXIT_USAGE;
	}
	if (strcmp(cmd, "validate") == 0)
		return cmd_validate(&o);
	/* Records an earlier release wrote are listed once adopted. */
	if (strcmp(cmd, "status") == 0 && !o.pod) {
		legacy_adopt_all();
		return cmd_status(&o);
	}
	if (strcmp(cmd, "restore") == 0 && !o.pod) {
		legacy_adopt_all();
		return cmd_restore(&o);
	}
	if (cmd[0])
		fprintf(stderr, "podnet: unknown command '%s'\n", cmd);
	fputs(tool_usage, stderr);
	return TOOL_EXIT_USAGE;
}
