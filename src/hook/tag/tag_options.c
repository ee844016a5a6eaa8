// SPDX-License-Identifier: GPL-2.0-or-later
/* The DHCP side of one <podnet:interface>: dhcp on/off, lease-time and its
 * option children, read into struct dhcp_extras. The element has passed the
 * schema; what the schema cannot say (counts, duplicates, an option's
 * bytes) is checked here. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp_extra.h"
#include "errmsg.h"
#include "tag_options.h"

static char *prop(xmlNodePtr n, const char *name)
{
	return (char *)xmlGetNoNsProp(n, BAD_CAST name);
}

/* Option text: 1 to 255 bytes, as the schema allows. */
static int add_text(struct dhcp_extras *x, uint8_t code, const char *text)
{
	return dhcp_extras_add(x, code, text, strlen(text));
}

static int add_hex(struct dhcp_extras *x, uint8_t code, const char *hex)
{
	uint8_t bytes[DHCP_EXTRA_DATA_MAX];
	size_t n = strlen(hex);

	if (n == 0 || n % 2 || n / 2 > sizeof(bytes))
		return -EINVAL;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned int v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -EINVAL;
		bytes[i] = (uint8_t)v;
	}
	return dhcp_extras_add(x, code, bytes, n / 2);
}

/* One child element; @what names the problem for the user's line. */
static int read_child(xmlNodePtr c, struct dhcp_extras *x, const char **what)
{
	const char *name = (const char *)c->name;
	char *a = NULL, *b = NULL;
	struct in_addr addr;
	int rc = -EINVAL;

	if (strcmp(name, "ntp-server") == 0) {
		a = prop(c, "address");
		*what = "more than 8 ntp-server elements";
		if (a && inet_pton(AF_INET, a, &addr) == 1 &&
		    x->n_ntp < DHCP_EXTRA_MAX_NTP) {
			x->ntp[x->n_ntp++] = addr;
			rc = 0;
		}
	} else if (strcmp(name, "tftp-server") == 0 ||
		   strcmp(name, "boot-file") == 0) {
		bool tftp = name[0] == 't';

		a = prop(c, "name");
		*what = tftp ? "invalid tftp-server" : "invalid boot-file";
		if (a)
			rc = add_text(x,
				      tftp ? DHCP_OPT_TFTP_SERVER
					   : DHCP_OPT_BOOT_FILE,
				      a);
		/* An address is the next server too (siaddr, RFC 2131 2). */
		if (rc == 0 && tftp && inet_pton(AF_INET, a, &addr) == 1)
			x->siaddr = addr;
	} else if (strcmp(name, "option") == 0) {
		char *end = NULL;
		long code;

		a = prop(c, "code");
		code = a ? strtol(a, &end, 10) : 0;
		*what = "invalid option";
		if (!a || *end || code < DHCP_OPT_PRIVATE_MIN ||
		    code > DHCP_OPT_PRIVATE_MAX)
			goto out;
		b = prop(c, "text");
		if (b) {
			rc = add_text(x, (uint8_t)code, b);
		} else {
			b = prop(c, "hex");
			rc = b ? add_hex(x, (uint8_t)code, b) : -EINVAL;
		}
		if (rc == -EEXIST)
			*what = "an option code given twice";
		else if (rc == -E2BIG)
			*what = "the options' values are longer than 1024 bytes in all";
	} else {
		*what = "unknown element";
	}
out:
	xmlFree(a);
	xmlFree(b);
	return rc;
}

static size_t count_private(const struct dhcp_extras *x)
{
	size_t n = 0;

	for (size_t i = 0; i < x->n; i++)
		n += x->opts[i].code >= DHCP_OPT_PRIVATE_MIN;
	return n;
}

/**
 * tag_options_read() - The DHCP side of a <podnet:interface>
 * @iface:	the element (schema-valid)
 * @pod_iface:	its pod interface, for the message
 * @ret:	the extras
 * @err:	one line on failure
 * @err_len:	size of @err
 *
 * Return: 0, or -EINVAL with @err set
 */
int tag_options_read(xmlNodePtr iface, const char *pod_iface,
		     struct dhcp_extras *ret, char *err, size_t err_len)
{
	char *dhcp = prop(iface, "dhcp"), *lease = prop(iface, "lease-time");
	const char *what = "invalid lease-time";
	int rc = 0;

	dhcp_extras_init(ret);
	ret->no_dhcp = dhcp && strcmp(dhcp, "off") == 0;
	if (lease && strcmp(lease, "infinite") != 0) {
		char *end = NULL;
		unsigned long v = strtoul(lease, &end, 10);

		if (*end || v < DHCP_EXTRA_LEASE_MIN ||
		    v >= DHCP_LEASE_INFINITE)
			rc = -EINVAL;
		else
			ret->lease_seconds = (uint32_t)v;
	}
	for (xmlNodePtr c = iface->children; c && rc == 0; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (ret->no_dhcp) {
			what = "DHCP options given, but dhcp is off";
			rc = -EINVAL;
			break;
		}
		rc = read_child(c, ret, &what);
	}
	if (rc == 0 && count_private(ret) > DHCP_EXTRA_MAX_PRIVATE) {
		what = "more than 8 private options";
		rc = -EINVAL;
	}
	if (rc < 0) {
		errmsg_set(err, err_len,
			   "interface '%s': invalid podnet metadata: %s",
			   pod_iface, what);
		rc = -EINVAL;
	}
	xmlFree(dhcp);
	xmlFree(lease);
	return rc;
}
