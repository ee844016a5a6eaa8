// SPDX-License-Identifier: GPL-2.0-or-later
/* Identifiers a domain XML carries, as text: MACs, interface names, hostname
 * labels, UUIDs; and quoting such text safely in a message. No libxml2. */
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ident.h"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/**
 * ident_quote() - Copy untrusted text for quoting in a message
 * @dst:	Output buffer
 * @size:	Size of @dst, at least 1
 * @s:		Text to copy, may be NULL (gives "")
 *
 * Printable ASCII only: any other byte becomes '?'. At most @size - 1 bytes;
 * a copy that had to be cut ends in "..." (if @size > 3).
 */
void ident_quote(char *dst, size_t size, const char *s)
{
	size_t i = 0;

	for (; s && *s && i + 1 < size; s++)
		dst[i++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
	dst[i] = '\0';
	if (s && *s && size > 3)
		memcpy(dst + size - 4, "...", 4);
}

/**
 * ident_uuid_normalise() - Normalise a UUID as libvirt reads it
 * @s:		UUID text
 * @out:	8-4-4-4-12 lower case; written even on failure
 *
 * Accepts what libvirt's virUUIDParse() reads: 32 hex digits, '-' anywhere
 * between them, blanks around.
 *
 * Return: true if @s is such a UUID
 */
bool ident_uuid_normalise(const char *s, char out[PODNET_UUID_STR_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	size_t digits = 0, o = 0;

	s += strspn(s, " \t\r\n");
	for (; *s && digits < 32; s++) {
		if (*s == '-')
			continue;
		int v = hex_value(*s);

		if (v < 0)
			return false;
		if (digits == 8 || digits == 12 || digits == 16 || digits == 20)
			out[o++] = '-';
		out[o++] = hex[v];
		digits++;
	}
	out[o] = '\0';
	return digits == 32 && s[strspn(s, " \t\r\n")] == '\0';
}

/**
 * ident_mac_parse() - Parse a MAC address
 * @s:		Text such as "52:54:00:12:34:56"
 * @mac:	The address; written even on failure
 *
 * Six groups of one or two hex digits separated by ':' (libvirt's
 * virMacAddrParse() grammar; the schema already demands two for tags).
 *
 * Return: true if all of @s is a MAC address
 */
bool ident_mac_parse(const char *s, uint8_t mac[MAC_LEN])
{
	for (int i = 0; i < MAC_LEN; i++) {
		int hi = hex_value(s[0]), lo;

		if (hi < 0)
			return false;
		lo = hex_value(s[1]);
		if (lo >= 0) {
			mac[i] = (uint8_t)(hi << 4 | lo);
			s += 2;
		} else {
			mac[i] = (uint8_t)hi;
			s += 1;
		}
		if (i < MAC_LEN - 1 && *s++ != ':')
			return false;
	}
	return *s == '\0';
}

/**
 * ident_mac_format() - Format a MAC address, normalised to lower case
 * @mac:	The address
 * @out:	"aa:bb:cc:dd:ee:ff"
 */
void ident_mac_format(const uint8_t mac[MAC_LEN], char out[MAC_STR_LEN])
{
	(void)snprintf(out, MAC_STR_LEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		       mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/**
 * ident_ifname_valid() - Is this a usable Linux interface name?
 * @s:		Name
 *
 * As the kernel's dev_valid_name() accepts it, kept to printable ASCII like
 * schemas/podnet.rng: 1-15 bytes, no '/', ':' or blank, not "." or "..".
 *
 * Return: true if valid; a valid name is shorter than IFNAMSIZ
 */
bool ident_ifname_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++) {
		if (*s <= 0x20 || *s >= 0x7f || *s == '/' || *s == ':')
			return false;
	}
	return true;
}

/**
 * ident_label_valid() - Is this an RFC 1123 host name label?
 * @s:		Text
 *
 * Return: true for 1-63 letters, digits and '-', not starting or ending in
 * '-'
 */
bool ident_label_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > PODNET_HOSTNAME_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (; *s; s++) {
		if (!is_alnum(*s) && *s != '-')
			return false;
	}
	return true;
}

/**
 * ident_hostname_derive() - A host name label made from a domain name
 * @name:	Domain name that is not a valid label itself
 * @out:	The label, "" if @name has no letter or digit
 *
 * Lower case, each run of other bytes becomes one '-', no '-' at either end,
 * at most 63 characters: "My_VM.prod" -> "my-vm-prod".
 */
void ident_hostname_derive(const char *name, char out[PODNET_HOSTNAME_MAX + 1])
{
	size_t o = 0;

	for (; *name && o < PODNET_HOSTNAME_MAX; name++) {
		char c = *name;

		if (is_alnum(c))
			out[o++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
		else if (o > 0 && out[o - 1] != '-')
			out[o++] = '-';
	}
	while (o > 0 && out[o - 1] == '-')
		o--;
	out[o] = '\0';
}
