#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Release checks its own work: a pod that does not come back exactly as
# recorded fails the release with one line naming the difference, the record
# stays (status shows the difference, a new prepare is refused), and once
# the cause is gone `podnet restore` brings the pod back exactly.
# The cause here: while the VM ran, something else in the pod took the
# default route (another interface's), so the pod's own could not return.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

lab_begin restore_verify
lab_pod subnet
snapshot "$TEST_DIR/snap.before"

hook_prepare "$LAB_DATA/vm1.xml"
out=$(pod_tool status vm1 || true)
log "status while running: $out"
expect_match "status: the pod interface is the bridge's port" \
	"pod interface held: a port of bridge 'pn-eth0'" "$out"
expect_match "status: the record's size" \
	"record: 1 address\(es\), 2 route\(s\), 0 permanent" "$out"

# The intruder: another interface with the pod's default route.
ip -n "$POD" link add other0 type veth peer name other1
ip -n "$POD" link set other0 up
ip -n "$POD" link set other1 up
ip -n "$POD" addr add 169.254.77.1/24 dev other0
ip -n "$POD" route add default via 169.254.77.2 dev other0

hook_run release "$LAB_DATA/vm1.xml" release end -
hook_expect_error "release over a taken default route"
expect_match "release names what differs" \
	"interface 'eth0': restored, but not as recorded: route 0\.0\.0\.0/0 via $POD_GW table 254 .*missing; the record stays for 'podnet restore'" \
	"$HOOK_ERRTEXT"
[ -n "$(ls "$STATE_DIR"/*.state 2>/dev/null)" ] || bad "the record is gone after a failed restore"
wait_pid_gone "$RESPONDER_PID" || bad "responder $RESPONDER_PID still runs after release"

set +e
out=$(pod_tool status vm1)
rc=$?
set -e
log "status after the failed release (exit $rc): $out"
expect_eq "status exit status (unhealthy)" 1 "$rc"
expect_match "status: the stopped responder is dead, not a reused pid" \
	"responder: pid $RESPONDER_PID, dead" "$out"
expect_match "status shows the difference" \
	"pod interface differs: route 0\.0\.0\.0/0 via $POD_GW" "$out"

hook_run prepare "$LAB_DATA/vm1.xml" prepare begin -
hook_expect_error "prepare over a pod that is not back"
expect_match "prepare says why" \
	"the pod's network is not back from the last run \(interface 'eth0': restored, but not as recorded: .*podnet restore" \
	"$HOOK_ERRTEXT"
expect_eq "no bridge made by the refused prepare" "" \
	"$(ip -n "$POD" -o link show type bridge)"

# The cause goes; restore by hand.
ip -n "$POD" link del other0
expect_tool_restore "after the cause is gone" "$TEST_DIR/snap.before"
[ -z "$(ls "$STATE_DIR"/*.state 2>/dev/null)" ] || bad "the record stays after a good restore"
expect_no_pod_processes "after podnet restore"
lab_done
