#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Restore and idempotence, for a subnet pod and a Calico pod as Calico's
# CNI writes it (tests/lib/cni.sh): release
# without a record changes nothing; a second prepare is a no-op; prepare +
# release leaves the pod exactly as it was; a second release is a no-op.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

xml=$LAB_DATA/vm1.xml

# release_noop WHAT - a release that must change nothing.
release_noop()
{
	hook_run "release-$1" "$xml" release end -
	expect_eq "$1: exit status" 0 "$HOOK_RC"
	[ ! -s "$HOOK_OUT" ] || bad "$1: stdout not empty: $(head -c 300 "$HOOK_OUT")"
	[ ! -s "$HOOK_ERR" ] || log "note: $1: stderr: $HOOK_ERRTEXT"
	snapshot_expect_same "$1" "$TEST_DIR/snap.before"
	expect_state_empty "$1"
	expect_no_pod_processes "$1"
}

lab_begin restore
for shape in subnet calico; do
	log "=== $shape pod"
	lab_pod "$shape"
	snapshot "$TEST_DIR/snap.before"

	release_noop "$shape: release with no record"

	hook_prepare "$xml"
	first_pid=$RESPONDER_PID
	snapshot "$TEST_DIR/snap.prepared"
	if cmp -s "$TEST_DIR/snap.before" "$TEST_DIR/snap.prepared"; then
		bad "$shape: prepare changed nothing in the pod"
	fi
	ip -n "$POD" -o link show type bridge | sed 's/^/bridge: /'

	hook_run prepare-again "$xml" prepare begin -
	hook_expect_quiet_ok "$shape: second prepare"
	expect_eq "$shape: responder after second prepare" "$first_pid" "$(state_responder_pid)"
	expect_eq "$shape: processes in the pod" 1 "$(ip netns pids "$POD" | wc -l)"
	snapshot_expect_same "$shape: second prepare" "$TEST_DIR/snap.prepared"

	# libvirt's order at the end of a domain: stopped, then release.
	hook_run stopped "$xml" stopped end -
	hook_expect_quiet_ok "$shape: stopped"
	pid_alive "$first_pid" || bad "$shape: 'stopped' ended the responder (release must)"

	RESPONDER_PID=$first_pid
	hook_release "$xml"
	snapshot_expect_same "$shape: prepare + release" "$TEST_DIR/snap.before"

	RESPONDER_PID=
	release_noop "$shape: second release"
	lab_teardown
done
lab_done
