// SPDX-License-Identifier: GPL-2.0-or-later
/* LD_PRELOAD shim for `make bench` only: makes libseccomp's seccomp_load() a
 * no-op, so that valgrind (whose own calls the filter would kill) can count
 * the responder's instructions. Everything else in the sandbox stays. */
int seccomp_load(const void *ctx);

int seccomp_load(const void *ctx)
{
	(void)ctx;
	return 0;
}
