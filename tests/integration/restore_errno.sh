#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A restore step the kernel refuses fails the release with the kernel's own
# reason on the user's line, not folded into another (libnl, which podnet
# used before, said "Input/output error" for ENETUNREACH). The cause here: while the VM ran, a policy rule
# in the pod made the pod's gateway unreachable, so the default route
# through it cannot come back ("Network is unreachable"). Once the rule is
# gone, `podnet restore` brings the pod back exactly. The kernel also says
# why in its extended ack (fib_check_nh_v4_gw(): "Nexthop has invalid
# gateway"): the line carries it after the errno.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

lab_begin restore_errno
lab_pod subnet
snapshot "$TEST_DIR/snap.before"

hook_prepare "$LAB_DATA/vm1.xml"

# The kernel answers a route through the gateway with ENETUNREACH now.
ip -n "$POD" rule add to "$POD_GW/32" unreachable pref 100

hook_run release "$LAB_DATA/vm1.xml" release end -
hook_expect_error "release with the gateway unreachable"
expect_match "release names the step and the kernel's reason" \
	"interface 'eth0': add route 0\.0\.0\.0/0 via $POD_GW [^:]*: Network is unreachable \(Nexthop has invalid gateway\); the record stays for 'podnet restore'" \
	"$HOOK_ERRTEXT"
case "$HOOK_ERRTEXT" in
*"Input/output error"*) bad "the kernel's errno was folded: $HOOK_ERRTEXT" ;;
esac
[ -n "$(ls "$STATE_DIR"/*.state 2>/dev/null)" ] || bad "the record is gone after a failed restore"

# The cause goes; restore by hand.
ip -n "$POD" rule del to "$POD_GW/32" unreachable pref 100
expect_tool_restore "after the cause is gone" "$TEST_DIR/snap.before"
[ -z "$(ls "$STATE_DIR"/*.state 2>/dev/null)" ] || bad "the record stays after a good restore"
expect_no_pod_processes "after podnet restore"
lab_done
