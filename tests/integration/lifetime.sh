#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The responder's lifetime (issue 4):
#  a) its bridge deleted by hand: the responder exits by itself, and release
#     still restores the pod exactly;
#  b) killed (SIGKILL) while the VM runs: `reconnect` starts a new one from
#     the record, quietly, and the VM gets its lease again (re-acquire: the
#     lease is infinite, so a guest never renews; re-acquiring is what a
#     guest that reboots or restarts its client does);
#  c) `reconnect` with a live responder changes nothing; `reconnect` with no
#     record changes nothing and creates nothing;
#  d) `stopped` leaves the responder running (release is what ends it).
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/reliability.sh"

xml=$LAB_DATA/vm1.xml
uuid=$(rel_uuid "$xml")

lab_begin lifetime

log "=== a) bridge deleted by hand"
lab_pod subnet
snapshot "$TEST_DIR/snap.before"
hook_prepare "$xml"
pid=$RESPONDER_PID
ip -n "$POD" link del pn-eth0 || die "cannot delete pn-eth0"
if wait_pid_gone "$pid"; then
	ok "responder $pid exited by itself once its bridge was gone"
else
	bad "responder $pid still runs without its bridge"
fi
grep -q "gone, exiting" "$(state_file "$STATE_DIR" "$uuid" .log)" 2>/dev/null ||
	bad "the responder's log does not say why it left"
hook_release "$xml"
snapshot_expect_same "a) bridge deleted, then release" "$TEST_DIR/snap.before"
expect_no_pod_processes "a) after release"
lab_teardown

log "=== b) responder killed, reconnect"
lab_pod subnet
snapshot "$TEST_DIR/snap.before"
hook_prepare "$xml"
old=$RESPONDER_PID
lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0
udhcpc_run eth0 first
expect_udhcpc_lease "b) first lease" "$LEASE_FILE" "$POD_IP" 24 "$POD_GW" "$POD_MTU"
cp "$LEASE_FILE" "$TEST_DIR/lease.first"
snapshot "$TEST_DIR/snap.running"

kill -KILL "$old"
wait_pid_gone "$old" || die "responder $old survived SIGKILL"
hook_run reconnect "$xml" reconnect begin -
hook_expect_quiet_ok "b) reconnect after the responder died"
new=$(rel_record_pid "$uuid")
if [ -z "$new" ] || [ "$new" = "$old" ]; then
	bad "b) reconnect recorded no new responder (record: '$(rel_record_line "$uuid")')"
elif pid_alive "$new"; then
	ok "b) new responder $new: $(tr '\0' ' ' <"/proc/$new/cmdline")"
	expect_eq "b) new responder's recorded start time" \
		"responder $new $(rel_start_time "$new")" "$(rel_record_line "$uuid")"
	expect_eq "b) new responder's command line" \
		"podnet-responder --responder $uuid " "$(tr '\0' ' ' <"/proc/$new/cmdline")"
else
	bad "b) the recorded new responder $new does not run"
fi
expect_eq "b) processes in the pod" 1 "$(ip netns pids "$POD" | wc -l)"
snapshot_expect_same "b) reconnect changed no network state" "$TEST_DIR/snap.running"

udhcpc_run eth0 again
expect_udhcpc_lease "b) lease after reconnect" "$LEASE_FILE" "$POD_IP" 24 "$POD_GW" "$POD_MTU"
for v in ip mask router staticroutes dns search mtu hostname lease serverid; do
	expect_eq "b) same $v as before the kill" \
		"$(lease_get "$TEST_DIR/lease.first" "$v")" "$(lease_get "$LEASE_FILE" "$v")"
done

log "=== c) reconnect with a live responder"
hook_run reconnect-live "$xml" reconnect begin -
hook_expect_quiet_ok "c) reconnect with a live responder"
expect_eq "c) responder after reconnect" "$new" "$(rel_record_pid "$uuid")"
pid_alive "$new" || bad "c) reconnect ended the live responder $new"
expect_eq "c) processes in the pod" 1 "$(ip netns pids "$POD" | wc -l)"
snapshot_expect_same "c) reconnect with a live responder" "$TEST_DIR/snap.running"

log "=== d) stopped leaves the responder to release"
hook_run stopped "$xml" stopped end -
hook_expect_quiet_ok "d) stopped"
pid_alive "$new" || bad "d) 'stopped' ended the responder (release must)"

ip -n "$POD" link del vnet0
RESPONDER_PID=$new
hook_release "$xml"
snapshot_expect_same "b) release after reconnect" "$TEST_DIR/snap.before"
expect_no_pod_processes "b) after release"

log "=== c) reconnect with no record"
hook_run reconnect-none "$xml" reconnect begin -
hook_expect_quiet_ok "c) reconnect with no record"
expect_state_empty "c) reconnect with no record"
expect_no_pod_processes "c) reconnect with no record"
snapshot_expect_same "c) reconnect with no record" "$TEST_DIR/snap.before"
lab_teardown
lab_done
