# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Helpers of the reliability tests (issue 4): lifetime, pid safety,
# concurrency and endurance. Sourced after tests/lib/netns.sh, whose safety
# rules hold here too: only our own namespaces, 198.51.100.0/24 and
# 169.254.0.0/16, processes ended by pid only.

# rel_domain_xml FILE NAME UUID VM_MAC POD_IFACE BRIDGE - a tagged domain
# of one interface (tests/lib/domain_xml.sh, which netns.sh sources).
rel_domain_xml()
{
	test_domain_xml "$2" "$3" "$4" "$5" "$6" >"$1"
}

# rel_uuid XML - the <uuid> of a domain XML file.
rel_uuid()
{
	sed -n 's|.*<uuid>\(.*\)</uuid>.*|\1|p' "$1" | head -n 1
}

# rel_record_pid UUID - the responder pid in that domain's record (or "").
rel_record_pid()
{
	sed -n 's/^responder \([0-9]*\) .*/\1/p' "$(state_file "$STATE_DIR" "$1" .state)" 2>/dev/null | head -n 1
}

# rel_record_line UUID - the "responder PID START" line of the record.
rel_record_line()
{
	grep -m 1 '^responder ' "$(state_file "$STATE_DIR" "$1" .state)" 2>/dev/null || true
}

# rel_record_set_responder UUID PID START - rewrite the record's responder
# line (no hook runs for that domain meanwhile: the caller holds the turn).
rel_record_set_responder()
{
	local f
	f=$(state_file "$STATE_DIR" "$1" .state)
	[ -f "$f" ] || die "no record $f to rewrite"
	sed -i "s/^responder .*/responder $2 $3/" "$f"
	grep -q "^responder $2 $3\$" "$f" || die "could not rewrite the responder line of $f"
}

# rel_start_time PID - field 22 of /proc/PID/stat (after the comm's ')').
rel_start_time()
{
	sed -E 's/^.*\) //' "/proc/$1/stat" | awk '{ print $20 }'
}

# rel_rss PID - VmRSS in kB; rel_fds PID - number of open fds.
rel_rss()
{
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

# rel_rss_anon PID - RssAnon in kB: the process's own (heap, stack, data)
# resident memory, without the shared library pages that VmRSS also counts.
rel_rss_anon()
{
	awk '/^RssAnon:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

rel_fds()
{
	find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l
}

# rel_pod_links - number of netdevs in the pod.
rel_pod_links()
{
	ip -n "$POD" -o link show | wc -l
}

# rel_pod_extra IFNAME MAC NET - another pod interface IFNAME (MTU 1500) in
# NET.0/24 (e.g. 169.254.11): pod NET.10/24, node NET.1/24, connected route
# only. Its node side is n-IFNAME.
rel_pod_extra()
{
	local ifname=$1 mac=$2 net=$3
	lab_link_pod "$ifname" "$mac" 1500 "n-$ifname"
	ip -n "$NODE" addr add "$net.1/24" dev "n-$ifname"
	ip -n "$POD" addr add "$net.10/24" dev "$ifname"
}

# rel_hook_bg TAG NAME XML ARGS... - hook_run for domain NAME in the
# background (for calls at the same time); rel_hook_wait TAG gives its exit
# status in REL_RC (and its files HOOK_OUT/HOOK_ERR).
rel_hook_bg()
{
	local tag=$1 name=$2 xml=$3
	shift 3
	rm -f "$TEST_DIR/rc.$tag"
	(
		VM_NAME=$name
		hook_run "$tag" "$xml" "$@" >"$TEST_DIR/log.$tag" 2>&1
		echo "$HOOK_RC" >"$TEST_DIR/rc.$tag"
	) &
	REL_BG_PIDS+=("$!")
}

rel_hook_wait_all()
{
	local p
	for p in "${REL_BG_PIDS[@]}"; do
		wait "$p" || true
	done
	REL_BG_PIDS=()
}

# rel_expect_bg_quiet_ok WHAT TAG - that background call exited 0 quietly.
rel_expect_bg_quiet_ok()
{
	local what=$1 tag=$2 rc
	rc=$(cat "$TEST_DIR/rc.$tag" 2>/dev/null || echo none)
	HOOK_OUT=$TEST_DIR/hook.$tag.stdout
	HOOK_ERR=$TEST_DIR/hook.$tag.stderr
	if [ "$rc" = 0 ] && [ ! -s "$HOOK_OUT" ] && [ ! -s "$HOOK_ERR" ]; then
		return 0
	fi
	bad "$what: exit $rc, stdout '$(head -c 200 "$HOOK_OUT" 2>/dev/null)', stderr '$(head -c 300 "$HOOK_ERR" 2>/dev/null)'"
	return 1
}

REL_BG_PIDS=()

# rel_snapshot_same WHAT BEFORE - as snapshot_expect_same, with a fast path:
# one raw read that already equals BEFORE passes at once (the pod state is
# settled then); otherwise the lib's bounded polling decides.
rel_snapshot_same()
{
	local now=$TEST_DIR/snap.fast
	snapshot_raw "$now"
	if cmp -s "$2" "$now"; then
		return 0
	fi
	snapshot_expect_same "$1" "$2"
}

# rel_quiet_state_empty WHAT / rel_quiet_no_pod_processes WHAT - the lib's
# checks without the "ok" line (endurance runs them a thousand times).
rel_quiet_state_empty()
{
	local left
	left=$(find "$STATE_DIR" -mindepth 1 2>/dev/null | head -n 5 || true)
	[ -z "$left" ] || bad "$1: state left behind: $left"
}

rel_quiet_no_pod_processes()
{
	local pids i
	for i in $(seq 1 50); do
		pids=$(ip netns pids "$POD")
		[ -n "$pids" ] || return 0
		sleep 0.1
	done
	bad "$1: processes left in the pod: $(for p in $pids; do tr '\0' ' ' <"/proc/$p/cmdline"; echo "[$p]"; done)"
}

# rel_bystander - a process in the pod that is not podnet's; sets BYSTANDER.
rel_bystander()
{
	ip netns exec "$POD" sleep 300 </dev/null >/dev/null 2>&1 &
	BYSTANDER=$!
	LAB_PIDS+=("$BYSTANDER")
	local i
	for i in $(seq 1 50); do
		[ "$(cat "/proc/$BYSTANDER/comm" 2>/dev/null)" = sleep ] && return 0
		sleep 0.1
	done
	die "bystander $BYSTANDER did not become 'sleep'"
}
