#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Which responder binary the hook runs (src/hook/lifecycle/responder_exe.c): the
# podnet-responder beside the hook's own executable when it and its folder
# are root's and writable only by root, executed by the fd that was checked.
# A copy of the hook and the responder in a folder of the test's: prepare
# runs that copy. Then the copy made group-writable, its folder made
# group-writable, the copy owned by another user, and a symlink in its
# place: the hook must not run it (prepare fails with one line naming the
# installed responder, or, where one is installed, runs that one) and must
# leave the pod as it was.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

BUILT=$(dirname "$PODNET_HOOK")/podnet-responder
[ -x "$BUILT" ] || die "no $BUILT beside the hook (make)"

lab_begin responder_exe
BIN=$TEST_DIR/bin
install -d -m 0755 "$BIN"
install -m 0755 "$PODNET_HOOK" "$BIN/podnet"
install -m 0755 "$BUILT" "$BIN/podnet-responder"
PODNET_HOOK=$BIN/podnet
lab_pod subnet
snapshot "$TEST_DIR/snap.before"

hook_prepare "$LAB_DATA/vm1.xml"
expect_eq "responder run" "$BIN/podnet-responder" "$(readlink "/proc/$RESPONDER_PID/exe")"
hook_release "$LAB_DATA/vm1.xml"
snapshot_expect_same "after release" "$TEST_DIR/snap.before"

# refused WHAT - prepare must not run $BIN/podnet-responder.
refused()
{
	local what=$1 pid
	hook_run "$what" "$LAB_DATA/vm1.xml" prepare begin -
	if [ "$HOOK_RC" = 0 ]; then
		pid=$(state_responder_pid)
		[ "$(readlink "/proc/$pid/exe")" != "$BIN/podnet-responder" ] ||
			bad "$what: the hook ran $BIN/podnet-responder"
		ok "$what: the hook ran $(readlink "/proc/$pid/exe")"
		RESPONDER_PID=$pid
		hook_release "$LAB_DATA/vm1.xml"
	else
		hook_expect_error "$what"
		expect_match "$what: the reason" "cannot use the responder '/.*podnet-responder'" \
			"$HOOK_ERRTEXT"
		expect_state_empty "$what"
	fi
	snapshot_expect_same "$what" "$TEST_DIR/snap.before"
}

chmod g+w "$BIN/podnet-responder"
refused "group-writable responder"
chmod 0755 "$BIN/podnet-responder"
chmod o+w "$BIN"
refused "world-writable folder"
chmod 0755 "$BIN"
chown 65534 "$BIN/podnet-responder"
refused "responder owned by nobody"
chown 0 "$BIN/podnet-responder"
chmod 0755 "$BIN/podnet-responder"
mv "$BIN/podnet-responder" "$TEST_DIR/podnet-responder"
ln -s "$TEST_DIR/podnet-responder" "$BIN/podnet-responder"
refused "responder as a symlink"
lab_done
