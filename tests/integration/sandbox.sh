#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The responder's sandbox, as /proc shows it while it serves: seccomp filter
# mode (Seccomp: 2), no_new_privs, no capability in any set, uid/gid nobody,
# no supplementary groups; its fds are /dev/null (0-2), its log and AF_PACKET
# sockets only (no netlink, no other file); a lease served from inside the
# sandbox changes none of that, and the packet path maps no new memory.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/proto.sh"

lab_begin sandbox
lab_pod subnet
hook_prepare "$LAB_DATA/vm1.xml"
lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0

sandbox_expect "before any packet:" "$RESPONDER_PID"
# The hook ran podnet-responder (the one beside it), not itself.
expect_eq "responder binary" "$(realpath "$(dirname "$PODNET_HOOK")/podnet-responder")" \
	"$(readlink "/proc/$RESPONDER_PID/exe")"
expect_eq "responder command line" "podnet-responder --responder $PROTO_UUID " \
	"$(tr '\0' ' ' <"/proc/$RESPONDER_PID/cmdline")"
udhcpc_run eth0 first
expect_udhcpc_lease udhcpc "$LEASE_FILE" "$POD_IP" 24 "$POD_GW" "$POD_MTU"
# The static buffers are touched now; the maps and RSS are the steady state.
maps1=$(wc -l <"/proc/$RESPONDER_PID/maps")
rss1=$(proc_rss_kb "$RESPONDER_PID")
for i in 1 2 3; do
	udhcpc_run eth0 "again$i"
done
sandbox_expect "after four leases:" "$RESPONDER_PID"
expect_eq "responder maps after three more leases" "$maps1" \
	"$(wc -l <"/proc/$RESPONDER_PID/maps")"
expect_eq "responder RSS (kB) after three more leases" "$rss1" \
	"$(proc_rss_kb "$RESPONDER_PID")"
pid_alive "$RESPONDER_PID" || bad "responder died"

ip -n "$POD" link del vnet0
hook_release "$LAB_DATA/vm1.xml"
lab_done
