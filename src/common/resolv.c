// SPDX-License-Identifier: GPL-2.0-or-later
/* Parse resolv.conf text into IPv4 and IPv6 name servers and a search list:
 * pure, no heap. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "resolv.h"

/* A read-only view of part of the text: never NUL-terminated. */
struct span {
	const char *p;
	size_t len;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Next token of @line, advancing it. A token starting with '#' or ';' begins
 * a comment and ends the line (glibc only knows comment lines; a trailing
 * comment would otherwise turn into search domains).
 */
static bool next_token(struct span *line, struct span *tok)
{
	while (line->len && is_blank(*line->p)) {
		line->p++;
		line->len--;
	}
	if (!line->len || *line->p == '#' || *line->p == ';')
		return false;
	tok->p = line->p;
	while (line->len && !is_blank(*line->p)) {
		line->p++;
		line->len--;
	}
	tok->len = (size_t)(line->p - tok->p);
	return true;
}

static bool span_is(const struct span *s, const char *word)
{
	return s->len == strlen(word) && !memcmp(s->p, word, s->len);
}

/*
 * Loopback (127/8) and "this network" (0/8) name the pod's own stack, which
 * the guest cannot reach; multicast and reserved (224/3) are no servers.
 */
static bool server_usable(struct in_addr a)
{
	uint8_t first = (uint8_t)(ntohl(a.s_addr) >> 24);

	return first != 0 && first != 127 && first < 224;
}

/*
 * The unspecified address, loopback, v4-mapped (glibc would use the IPv4
 * one, which parse_nameserver() takes as IPv4 text only) and multicast name
 * no server the guest can reach. A link-local one needs a zone ("%eth0"),
 * which inet_pton() refuses: it is ignored as text.
 */
static bool server6_usable(const struct in6_addr *a)
{
	return !IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_LOOPBACK(a) &&
	       !IN6_IS_ADDR_V4MAPPED(a) && !IN6_IS_ADDR_MULTICAST(a) &&
	       !IN6_IS_ADDR_LINKLOCAL(a);
}

static void add_server6(const struct in6_addr *a, struct resolv_conf *rc)
{
	if (!server6_usable(a) || rc->n_nameservers6 >= PODNET_MAX_DNS) {
		rc->n_ignored++;
		return;
	}
	for (size_t i = 0; i < rc->n_nameservers6; i++) {
		if (IN6_ARE_ADDR_EQUAL(&rc->nameservers6[i], a)) {
			rc->n_ignored++;
			return;
		}
	}
	rc->nameservers6[rc->n_nameservers6++] = *a;
}

static void add_server4(struct in_addr a, struct resolv_conf *rc)
{
	if (!server_usable(a) || rc->n_servers >= PODNET_MAX_DNS) {
		rc->n_ignored++;
		return;
	}
	for (size_t i = 0; i < rc->n_servers; i++) {
		if (rc->servers[i].s_addr == a.s_addr) {
			rc->n_ignored++;
			return;
		}
	}
	rc->servers[rc->n_servers++] = a;
}

/* "nameserver ADDR": IPv4 or IPv6; junk counts as ignored. */
static void parse_nameserver(struct span *line, struct resolv_conf *rc)
{
	char buf[INET6_ADDRSTRLEN];
	struct span tok;
	struct in6_addr a6;
	struct in_addr a;

	if (!next_token(line, &tok) || tok.len >= sizeof(buf)) {
		rc->n_ignored++;
		return;
	}
	memcpy(buf, tok.p, tok.len); /* tok.len < sizeof(buf), checked above */
	buf[tok.len] = '\0';
	if (inet_pton(AF_INET, buf, &a) == 1)
		add_server4(a, rc);
	else if (inet_pton(AF_INET6, buf, &a6) == 1)
		add_server6(&a6, rc);
	else
		rc->n_ignored++;
}

/*
 * A search name as it can go into option 119: labels of 1-63 letters,
 * digits, '-' or '_' (seen in real search lists), at most 253 characters,
 * one trailing dot allowed (and dropped), the root "." alone refused.
 */
static bool search_name_valid(struct span *name)
{
	size_t label = 0;

	if (name->len && name->p[name->len - 1] == '.')
		name->len--;
	if (name->len == 0 || name->len > PODNET_NAME_MAX)
		return false;
	for (size_t i = 0; i < name->len; i++) {
		char c = name->p[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0;
}

static void add_search(struct span name, struct resolv_conf *rc)
{
	if (!search_name_valid(&name) || rc->n_search >= PODNET_MAX_SEARCH) {
		rc->n_ignored++;
		return;
	}
	for (size_t i = 0; i < rc->n_search; i++) {
		if (strlen(rc->search[i]) == name.len &&
		    !strncasecmp(rc->search[i], name.p, name.len)) {
			rc->n_ignored++;
			return;
		}
	}
	/* name.len <= PODNET_NAME_MAX: search_name_valid() checked it. */
	memcpy(rc->search[rc->n_search], name.p, name.len);
	rc->search[rc->n_search][name.len] = '\0';
	rc->n_search++;
}

/*
 * "search NAME..." or "domain NAME": as in glibc, the last of either line
 * wins and replaces the whole list; "domain" contributes its first name.
 */
static void parse_search(struct span *line, struct resolv_conf *rc, bool single)
{
	struct span tok;

	rc->n_search = 0;
	while (next_token(line, &tok)) {
		add_search(tok, rc);
		if (single)
			break;
	}
}

static void parse_line(struct span line, struct resolv_conf *rc)
{
	struct span key;

	if (!next_token(&line, &key))
		return; /* blank or comment */
	if (span_is(&key, "nameserver"))
		parse_nameserver(&line, rc);
	else if (span_is(&key, "search"))
		parse_search(&line, rc, false);
	else if (span_is(&key, "domain"))
		parse_search(&line, rc, true);
	/* "options" and "sortlist" are of no use to the guest, but not junk. */
	else if (!span_is(&key, "options") && !span_is(&key, "sortlist"))
		rc->n_ignored++;
}

/**
 * resolv_parse() - Read name servers and the search list from resolv.conf
 * @text:	the file's contents (need not be NUL-terminated)
 * @len:	length of @text in bytes
 * @ret:	filled with what was understood (always, when @text is given)
 *
 * Lines end at '\n' or at a NUL byte, and the last line needs no newline.
 * Blanks (space, tab, CR, VT, FF) separate tokens, so CRLF files work, and
 * leading blanks are accepted (glibc would skip such a line). Keywords are
 * case-sensitive, as in glibc. A token starting with '#' or ';' ends the
 * line. "nameserver" takes the first token if it is a usable IPv4 address
 * (not 0/8, 127/8 or 224/3) or IPv6 address (not ::, ::1, v4-mapped,
 * multicast or link-local); "search" and "domain" (first token) replace
 * the search list, the last of them wins; names lose one trailing dot.
 * Counted in @ret->n_ignored: unknown keywords, and every name server or
 * search name that is not used (invalid, duplicate, beyond PODNET_MAX_DNS
 * per family or PODNET_MAX_SEARCH). "options" and "sortlist" are
 * understood and skipped without counting.
 *
 * Return: 0, or -EINVAL if @text or @ret is NULL
 */
int resolv_parse(const char *text, size_t len, struct resolv_conf *ret)
{
	size_t start = 0;

	if (!text || !ret)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n' && text[i] != '\0')
			continue;
		parse_line((struct span){.p = text + start, .len = i - start},
			   ret);
		start = i + 1;
	}
	return 0;
}
