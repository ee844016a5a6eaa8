// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder's seccomp program, made at build time from sandbox_calls.h
 * by tools/gen_seccomp_bpf.c (libseccomp), so that the responder needs no
 * libseccomp at run time: $(O)/gen/sandbox_filter.c. */
#ifndef PODNET_SANDBOX_FILTER_H
#define PODNET_SANDBOX_FILTER_H

#include <linux/filter.h>

/* The BPF program; length 0 only in a NOSECCOMP=1 build (callgrind). */
extern const struct sock_filter sandbox_filter[];
extern const unsigned short sandbox_filter_len;

#endif
