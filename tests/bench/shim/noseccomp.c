// SPDX-License-Identifier: GPL-2.0-or-later
/* LD_PRELOAD shim for `make bench` only: libseccomp's calls become no-ops,
 * because valgrind does not implement seccomp() (seccomp_init() fails under
 * it). The uid/gid drop and no_new_privs stay. */
#include <stdint.h>

void *seccomp_init(uint32_t def_action);
int seccomp_rule_add(void *ctx, uint32_t action, int syscall,
		     unsigned int arg_cnt, ...);
int seccomp_load(const void *ctx);
void seccomp_release(void *ctx);

void *seccomp_init(uint32_t def_action)
{
	static int dummy;

	(void)def_action;
	return &dummy;
}

int seccomp_rule_add(void *ctx, uint32_t action, int syscall,
		     unsigned int arg_cnt, ...)
{
	(void)ctx;
	(void)action;
	(void)syscall;
	(void)arg_cnt;
	return 0;
}

int seccomp_load(const void *ctx)
{
	(void)ctx;
	return 0;
}

void seccomp_release(void *ctx)
{
	(void)ctx;
}
