#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A record belongs to one pod: podnet installed once on a machine serves two
# pods (two network namespaces) from one state folder, and a live migration
# prepares the same domain UUID in both. Two pods with the same address
# (198.51.100.10, as a sticky-IP CNI gives a migration's target pod), one
# shared state folder: the domain prepared in both (each gets its own bridge
# and responder), `podnet status` in each pod shows its own, and each
# release restores exactly its pod and leaves the other one serving.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

xml=$LAB_DATA/vm1.xml
uuid=$(sed -n 's|.*<uuid>\(.*\)</uuid>.*|\1|p' "$xml" | head -n 1)

lab_begin two_pods
lab_pod subnet
POD_A=$POD
snapshot "$TEST_DIR/snap.a"
lab_pod subnet
POD_B=$POD
snapshot "$TEST_DIR/snap.b"
STATE_DIR=$TEST_DIR/state.shared

POD=$POD_A
hook_prepare "$xml"
PID_A=$RESPONDER_PID
POD=$POD_B
hook_run prepare-b "$xml" prepare begin -
hook_expect_quiet_ok "pod B: prepare of the domain pod A runs"
ip -n "$POD_B" -o link show pn-eth0 >/dev/null 2>&1 ||
	bad "pod B: no bridge pn-eth0 (prepare took pod A's record for its own)"
PID_B=
for p in $(ip netns pids "$POD_B"); do
	[ "$(tr '\0' ' ' <"/proc/$p/cmdline")" = "podnet-responder --responder $uuid " ] && PID_B=$p
done
if [ -n "$PID_B" ]; then ok "pod B: its own responder $PID_B"; else bad "pod B: no responder runs in pod B"; fi
n=$(find "$STATE_DIR" -maxdepth 1 -name "$uuid@*.state" | wc -l)
expect_eq "one record per pod in the shared folder" 2 "$n"

for pod in "$POD_A" "$POD_B"; do
	POD=$pod
	out=$(pod_tool status --json | jq -r 'map(.uuid + " " + (.responder.pid | tostring)) | join(",")')
	want="$uuid $PID_A"
	[ "$pod" = "$POD_B" ] && want="$uuid $PID_B"
	expect_eq "status in $pod: its own domain only" "$want" "$out"
done

POD=$POD_A
hook_run release-a "$xml" release end -
hook_expect_quiet_ok "pod A: release"
if wait_pid_gone "$PID_A"; then ok "pod A: responder $PID_A gone"; else bad "pod A: responder $PID_A still runs"; fi
snapshot_expect_same "pod A: release" "$TEST_DIR/snap.a"
if pid_alive "$PID_B"; then ok "pod B: responder $PID_B still serving"; else
	bad "pod A's release ended pod B's responder"; fi
ip -n "$POD_B" -o link show pn-eth0 >/dev/null 2>&1 ||
	bad "pod A's release removed pod B's bridge"
n=$(find "$STATE_DIR" -maxdepth 1 -name "$uuid@*.state" | wc -l)
expect_eq "pod B's record stays" 1 "$n"

POD=$POD_B
RESPONDER_PID=$PID_B
hook_release "$xml"
snapshot_expect_same "pod B: release" "$TEST_DIR/snap.b"
lab_done
