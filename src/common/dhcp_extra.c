// SPDX-License-Identifier: GPL-2.0-or-later
/* The options a tag adds to a lease, kept together in one small arena. */
#include <errno.h>
#include <string.h>

#include "dhcp_extra.h"

/**
 * dhcp_extras_init() - Nothing added: DHCP on, an infinite lease
 * @x:		the extras
 */
void dhcp_extras_init(struct dhcp_extras *x)
{
	memset(x, 0, sizeof(*x));
	x->lease_seconds = DHCP_LEASE_INFINITE;
}

/**
 * dhcp_extras_find() - The option of code @code
 * @x:		the extras
 * @code:	option code
 *
 * Return: it, or NULL
 */
const struct dhcp_extra_opt *dhcp_extras_find(const struct dhcp_extras *x,
					      uint8_t code)
{
	for (size_t i = 0; i < x->n && i < DHCP_EXTRA_MAX_OPTS; i++)
		if (x->opts[i].code == code)
			return &x->opts[i];
	return NULL;
}

/**
 * dhcp_extras_add() - Add option @code with its value
 * @x:		the extras
 * @code:	option code (not there yet)
 * @value:	its bytes
 * @len:	1 to DHCP_EXTRA_DATA_MAX
 *
 * Return: 0, -EEXIST for a code given twice, -E2BIG when full, -EINVAL
 */
int dhcp_extras_add(struct dhcp_extras *x, uint8_t code, const void *value,
		    size_t len)
{
	struct dhcp_extra_opt *o;

	if (len == 0 || len > DHCP_EXTRA_DATA_MAX)
		return -EINVAL;
	if (dhcp_extras_find(x, code))
		return -EEXIST;
	if (x->n >= DHCP_EXTRA_MAX_OPTS ||
	    len > sizeof(x->data) - (size_t)x->used)
		return -E2BIG;
	o = &x->opts[x->n++];
	o->code = code;
	o->len = (uint8_t)len;
	o->off = x->used;
	memcpy(x->data + x->used, value, len);
	x->used = (uint16_t)(x->used + len);
	return 0;
}
