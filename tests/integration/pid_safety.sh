#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Pid safety (issue 4): podnet never signals a process just because its
# record names the pid. The real responder is stopped by the test, and the
# record's "responder PID START" line is made to name:
#  1) a bystander in the pod with its real start time (command line differs),
#  2) the bystander with a wrong start time,
#  3) another domain's live responder with its real start time (the command
#     line says --responder, for another UUID),
# and `release` must exit 0, restore the pod exactly and leave that process
# alive. `reconnect` with such a record must start a real responder and leave
# the named process alone. Finally 4) the record names this domain's own live
# responder with a wrong start time: release must not signal it, and it must
# still leave by itself once release has deleted its bridge.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/reliability.sh"

xml=$LAB_DATA/vm1.xml
uuid=$(rel_uuid "$xml")
xml2=
uuid2=7a2d3c4e-5b6f-4a1b-8c9d-0e1f2a3b4c5d

# prepare_without_responder - prepare, then stop the real responder by its
# recorded pid (the test's own doing), so that only the record names a pid.
prepare_without_responder()
{
	hook_prepare "$xml"
	kill "$RESPONDER_PID"
	wait_pid_gone "$RESPONDER_PID" || die "responder $RESPONDER_PID did not stop on SIGTERM"
	RESPONDER_PID=
}

# release_spares WHAT PID - release exits 0 quietly, restores the pod, and
# PID still runs.
release_spares()
{
	local what=$1 victim=$2
	hook_release "$xml"
	snapshot_expect_same "$what: release" "$TEST_DIR/snap.before"
	if pid_alive "$victim"; then
		ok "$what: process $victim still alive after release"
	else
		bad "$what: release ended process $victim, which is not this domain's responder"
	fi
}

lab_begin pid_safety
lab_pod subnet
rel_pod_extra eth1 0a:58:a9:fe:0b:0a 169.254.11
xml2=$TEST_DIR/vm2.xml
rel_domain_xml "$xml2" vm2 "$uuid2" 52:54:00:12:35:01 eth1 pn-eth1
rel_bystander
log "bystander: pid $BYSTANDER, $(tr '\0' ' ' <"/proc/$BYSTANDER/cmdline")"
by_start=$(rel_start_time "$BYSTANDER")
[ -n "$by_start" ] || die "no start time for the bystander"
snapshot "$TEST_DIR/snap.before"

log "=== 1) record names the bystander, with its real start time"
prepare_without_responder
rel_record_set_responder "$uuid" "$BYSTANDER" "$by_start"
release_spares "1) bystander, real start time" "$BYSTANDER"

log "=== 2) record names the bystander, with a wrong start time"
prepare_without_responder
rel_record_set_responder "$uuid" "$BYSTANDER" $((by_start + 1))
release_spares "2) bystander, wrong start time" "$BYSTANDER"

log "=== reconnect with records naming the bystander"
for start in "$by_start" $((by_start + 1)) 1; do
	prepare_without_responder
	rel_record_set_responder "$uuid" "$BYSTANDER" "$start"
	hook_run reconnect "$xml" reconnect begin -
	hook_expect_quiet_ok "reconnect (bystander, start $start)"
	pid_alive "$BYSTANDER" || die "reconnect (start $start) ended the bystander $BYSTANDER"
	new=$(rel_record_pid "$uuid")
	if [ -n "$new" ] && [ "$new" != "$BYSTANDER" ] && pid_alive "$new" &&
		[ "$(tr '\0' ' ' <"/proc/$new/cmdline")" = "podnet-responder --responder $uuid " ]; then
		ok "reconnect (start $start): real responder $new started and recorded"
	else
		bad "reconnect (start $start): no real responder recorded ('$(rel_record_line "$uuid")')"
	fi
	RESPONDER_PID=$new
	release_spares "reconnect (start $start), then release" "$BYSTANDER"
done

log "=== 3) record names another domain's live responder"
VM_NAME=vm2
hook_prepare "$xml2"
VM_NAME=vm1
other=$RESPONDER_PID
other_start=$(rel_start_time "$other")
# hook_prepare read the first record it found: make sure it is vm2's.
expect_eq "vm2's recorded responder" "$other" "$(rel_record_pid "$uuid2")"
prepare_without_responder
rel_record_set_responder "$uuid" "$other" "$other_start"
hook_run release3 "$xml" release end -
hook_expect_quiet_ok "3) vm1's release"
[ ! -e "$(state_file "$STATE_DIR" "$uuid" .state)" ] || bad "3) vm1's record left after its release"
if pid_alive "$other"; then
	ok "3) vm2's responder $other still alive after vm1's release"
else
	bad "3) vm1's release ended vm2's responder $other"
fi
expect_eq "3) vm2's record untouched" "responder $other $other_start" "$(rel_record_line "$uuid2")"
ip -n "$POD" -o link show pn-eth1 >/dev/null 2>&1 || bad "3) vm1's release removed vm2's bridge"
VM_NAME=vm2
RESPONDER_PID=$other
hook_run release2 "$xml2" release end -
hook_expect_quiet_ok "3) vm2's release"
wait_pid_gone "$other" || bad "3) vm2's release did not stop vm2's responder $other"
snapshot_expect_same "3) both released" "$TEST_DIR/snap.before"
expect_state_empty "3) both released"
VM_NAME=vm1
RESPONDER_PID=

log "=== 4) record names this domain's own responder, with a wrong start time"
hook_prepare "$xml"
own=$RESPONDER_PID
rel_record_set_responder "$uuid" "$own" $(($(rel_start_time "$own") + 1))
RESPONDER_PID=
hook_run release4 "$xml" release end -
hook_expect_quiet_ok "4) release"
if wait_pid_gone "$own"; then
	ok "4) the unrecognised responder $own left by itself once its bridge was deleted"
else
	bad "4) responder $own still runs after release deleted its bridge"
fi
snapshot_expect_same "4) release" "$TEST_DIR/snap.before"
expect_state_empty "4) release"

pid_alive "$BYSTANDER" || bad "the bystander $BYSTANDER died"
expect_eq "processes in the pod at the end (the bystander only)" "$BYSTANDER" "$(ip netns pids "$POD" | xargs)"
lab_teardown
lab_done
