#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Upgrade while VMs run: distributions replace podnet under running domains,
# so a domain prepared by the previous release is released by the new one.
# For a subnet, a Calico-shaped (/32) and a dual-stack pod: prepare with the
# previous release's hook (its responder leases the pod's address to udhcpc
# in the fake VM), release with the hook under test ($PODNET_HOOK): the pod
# exactly as before (full snapshot), no responder, no state left. A new hook
# that cannot read the old record fails here. (Old hook releasing what a new
# one prepared is not supported.)
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

# The previous release: the last commit that landed before this test (the
# repository has no tags). Move it forward when a release lands.
PREV_RELEASE=749fa7e
# Its build, made once per machine from `git archive` of that commit.
PREV_DIR=/var/cache/podnet-tests/release-$PREV_RELEASE
PREV_HOOK=$PREV_DIR/build/podnet

xml=$LAB_DATA/vm1.xml
dom_uuid=$(sed -n 's|.*<uuid>\(.*\)</uuid>.*|\1|p' "$xml" | head -n 1)

# prev_build - build the previous release into $PREV_DIR unless a complete
# build is there (its "complete" marker is written last); under a lock, so
# that concurrent runs build once and never use a half-built tree.
prev_build()
{
	local lock=$PREV_DIR.lock t0
	need git tar make flock
	mkdir -p "$(dirname "$PREV_DIR")" || die "cannot create $(dirname "$PREV_DIR")"
	exec 8>"$lock" || die "cannot open $lock"
	flock 8
	if [ -f "$PREV_DIR/complete" ] && [ -x "$PREV_HOOK" ] &&
		[ -x "$PREV_DIR/build/podnet-responder" ]; then
		log "previous release $PREV_RELEASE: cached in $PREV_DIR"
	else
		log "previous release $PREV_RELEASE: building in $PREV_DIR"
		t0=$(date +%s)
		rm -rf "$PREV_DIR"
		mkdir -p "$PREV_DIR"
		# umask 022: the hook runs only a responder in a folder that
		# only root can write.
		(umask 022 && git -C "$LAB_TOP" archive "$PREV_RELEASE" |
			tar -x --no-same-owner --no-same-permissions -C "$PREV_DIR") ||
			die "git archive $PREV_RELEASE failed (a clone with the full history is needed)"
		# Its plain build, whatever make or build variant runs this test.
		(umask 022 && env -u MAKEFLAGS -u MAKELEVEL -u O -u SAN -u FAULT \
			make -C "$PREV_DIR" -j2 >"$PREV_DIR/make.log" 2>&1) ||
			die "building $PREV_RELEASE failed: $(tail -n 5 "$PREV_DIR/make.log")"
		[ -x "$PREV_HOOK" ] || die "no $PREV_HOOK after make"
		echo "$PREV_RELEASE" >"$PREV_DIR/complete"
		log "previous release $PREV_RELEASE: built in $(($(date +%s) - t0)) s"
	fi
	flock -u 8
	exec 8>&-
}

# upgrade_pod SHAPE MASK ROUTER - one pod of lab_pod's SHAPE through the
# upgrade; MASK and ROUTER are what udhcpc must get (ROUTER "" = none).
upgrade_pod()
{
	local shape=$1 mask=$2 router=$3 exe
	log "=== $shape pod"
	lab_pod "$shape"
	snapshot "$TEST_DIR/snap.before"

	PODNET_HOOK=$PREV_HOOK hook_prepare "$xml"
	exe=$(readlink "/proc/$RESPONDER_PID/exe" || true)
	expect_eq "$shape: the responder is the previous release's" \
		"$PREV_DIR/build/podnet-responder" "$exe"
	lab_fake_vm eth0 "$VM_MAC" vnet0
	lab_attach vnet0 pn-eth0
	udhcpc_run eth0 "$shape"
	expect_udhcpc_lease "$shape: old responder's lease" "$LEASE_FILE" \
		"$POD_IP" "$mask" "$router" "$POD_MTU"

	# The new tool finds the old record (it adopts it into this pod's
	# names: its responder runs in this pod).
	expect_match "$shape: new status shows the old domain" \
		"^$dom_uuid running\$" "$(pod_tool status --json | jq -r '.[0] | .uuid + " " + .responder.state')"
	# libvirt deletes the tap before release.
	ip -n "$POD" link del vnet0
	hook_release "$xml"
	snapshot_expect_same "$shape: old prepare + new release" "$TEST_DIR/snap.before"
	expect_no_pod_processes "$shape: after the new release"
	lab_teardown
}

lab_begin upgrade
need udhcpc jq
prev_build
log "new hook $PODNET_HOOK releases what $PREV_HOOK prepared"
upgrade_pod subnet 24 "$POD_GW"
upgrade_pod calico 32 ""
upgrade_pod subnet-dual 24 "$POD_GW"
lab_done
