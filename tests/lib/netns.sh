# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# The fast-path lab of the namespace integration tests: node, pod and fake-VM
# namespaces joined by veths, the hook run exactly as libvirt runs it, the
# pod's network state as a diffable snapshot, and a cleanup that always runs.
#
# Sourced by tests/integration/*.sh (bash); the assertions are those of
# tests/lib/assert.sh (die aborts the test; ok, bad, check, expect_* record
# and go on). Safety rules kept here for every test: traffic stays inside
# namespaces created by this file; addresses are 198.51.100.0/24 and
# 169.254.0.0/16 only; nothing in the root namespace is touched; every DHCP
# client sees a private /etc/resolv.conf and writes only into $TEST_DIR;
# processes are ended by pid (all pids of our own namespaces, as listed by
# `ip netns pids`), never by name.

LAB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/lib/snapshot.sh
. "$LAB_TOP/tests/lib/snapshot.sh"
# shellcheck source=tests/lib/domain_xml.sh
. "$LAB_TOP/tests/lib/domain_xml.sh"
# shellcheck source=tests/lib/assert.sh
. "$LAB_TOP/tests/lib/assert.sh"
# shellcheck source=tests/lib/cni.sh
. "$LAB_TOP/tests/lib/cni.sh"
PODNET_HOOK=${PODNET_HOOK:-$LAB_TOP/build/podnet}
LAB_DATA=$LAB_TOP/tests/data/integration

# The pod's identity (what the VM must end up with).
VM_NAME=vm1
VM_MAC=52:54:00:12:34:56
VM2_MAC=52:54:00:12:34:57
POD_MAC=0a:58:c6:33:64:0a
POD_IP=198.51.100.10
POD_GW=198.51.100.1
CALICO_GW=169.254.1.1
POD_MTU=1400
POD_DNS="198.51.100.53 198.51.100.54"
POD_SEARCH="pod.example.test example.test"
# The IPv6 of the subnet-dual pod (lab_pod) and of the dual-stack shapes.
POD_IP6=2001:db8:1::10
POD_GW6=2001:db8:1::1
POD_DNS6="2001:db8:53::53 2001:db8:53::54"
# The second pod interface of two_ifaces.sh.
NET1_MAC=0a:58:a9:fe:64:0a
NET1_IP=169.254.100.10
NET1_GW=169.254.100.1
NET1_MTU=1450

HOOK_ENV=()
LAB_NETNS=()
LAB_PIDS=()
# "SHAPE NODE POD DIR" of every pod cni.sh made: lab_teardown CNI-DELs them.
LAB_CNI=()
LAB_SEQ=0
LAB_RUN=$(printf '%x%04x' "$$" "$RANDOM")
LAB_MADE_ETC_NETNS=0
TEST_DIR=
STATE_DIR=

# log MSG... - progress line on stdout (the runner shows it on failure).
log()
{
	printf '%s: %s\n' "${LAB_NAME:-test}" "$*"
}

# need CMD... - a missing tool fails the test (never a silent skip).
need()
{
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || die "required command '$c' not found (run tests/deps.sh)"
	done
}

# lab_begin NAME - checks, private temp dir, cleanup trap. Call once per script.
lab_begin()
{
	LAB_NAME=$1
	[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
	need ip timeout sed diff
	[ -x "$PODNET_HOOK" ] || die "hook '$PODNET_HOOK' not found or not executable (run make)"
	TEST_DIR=$(mktemp -d "/tmp/podnet-itest.$LAB_NAME.XXXXXX") || die "mktemp failed"
	STATE_DIR=$TEST_DIR/state
	trap lab_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	log "hook $PODNET_HOOK, test dir $TEST_DIR"
}

# lab_ns_add VAR ROLE - create a fresh namespace, its private /etc/netns/NAME
# with a resolv.conf, and store its name in VAR.
lab_ns_add()
{
	local var=$1 role=$2 name
	name="pn-$role-$LAB_RUN-$LAB_SEQ"
	LAB_NETNS+=("$name")
	ip netns add "$name" || die "ip netns add $name failed"
	ip -n "$name" link set lo up
	if [ ! -d /etc/netns ]; then
		mkdir /etc/netns 2>/dev/null && LAB_MADE_ETC_NETNS=1
	fi
	mkdir -p "/etc/netns/$name"
	printf '# podnet test namespace %s: private, never the machine'"'"'s\n' "$name" \
		>"/etc/netns/$name/resolv.conf"
	printf -v "$var" '%s' "$name"
}

# lab_link_pod IFNAME MAC MTU NODE_IFNAME - a veth node<->pod, up, fixed MAC.
lab_link_pod()
{
	local ifname=$1 mac=$2 mtu=$3 nif=$4
	ip -n "$NODE" link add "$nif" mtu "$mtu" type veth \
		peer name "$ifname" netns "$POD" mtu "$mtu" ||
		die "cannot create veth $nif<->$ifname"
	ip -n "$POD" link set "$ifname" address "$mac" || die "set $ifname mac"
	ip -n "$NODE" link set "$nif" up
	ip -n "$POD" link set "$ifname" up
}

# lab_pod_resolv NS - the pod's resolv.conf (what the VM's lease must carry:
# $POD_DNS, $POD_SEARCH), private to NS.
lab_pod_resolv()
{
	printf 'nameserver 198.51.100.53\nnameserver 198.51.100.54\nsearch pod.example.test example.test\n' \
		>"/etc/netns/$1/resolv.conf"
}

# lab_pod SHAPE - fresh node, pod and VM namespaces (a private resolv.conf
# each, the pod's as lab_pod_resolv writes it) and the pod's eth0 in SHAPE:
#   subnet: pod 198.51.100.10/24, default via 198.51.100.1; node .1/24
#   subnet-dual: subnet, plus pod 2001:db8:1::10/64, default via
#           2001:db8:1::1 (the node's, /64), IPv6 name servers $POD_DNS6
#   calico-onlink: pod 198.51.100.10/32, default via 169.254.1.1 dev eth0
#           onlink (no route to the gateway; cni.sh's calico has one); node
#           proxy_arp, 169.254.1.1/32 on lo, 198.51.100.10/32 dev veth
# These three have the fixed identity above ($POD_MAC, node side n-eth0).
# Any other SHAPE is made as that CNI makes it (lab_cni_pod, tests/lib/cni.sh).
lab_pod()
{
	local shape=$1
	LAB_SEQ=$((LAB_SEQ + 1))
	# A fresh state dir per pod: a leftover of one phase never fails the next.
	STATE_DIR=$TEST_DIR/state.$LAB_SEQ
	lab_ns_add NODE node
	lab_ns_add POD pod
	lab_ns_add VM vm
	lab_pod_resolv "$POD"
	case $shape in
	subnet | subnet-dual | calico-onlink)
		lab_link_pod eth0 "$POD_MAC" "$POD_MTU" n-eth0
		;;
	*)
		lab_cni_pod "$shape" "$POD"
		log "lab $shape: node $NODE, pod $POD (eth0 $CNI_POD_MAC, node side $CNI_HOST_IF), vm $VM"
		return 0
		;;
	esac
	case $shape in
	subnet | subnet-dual)
		ip -n "$NODE" addr add "$POD_GW/24" dev n-eth0
		ip -n "$POD" addr add "$POD_IP/24" dev eth0
		ip -n "$POD" route add default via "$POD_GW" dev eth0
		if [ "$shape" = subnet-dual ]; then
			ip -n "$NODE" addr add "$POD_GW6/64" dev n-eth0 nodad
			ip -n "$POD" addr add "$POD_IP6/64" dev eth0 nodad
			ip -n "$POD" -6 route add default via "$POD_GW6" dev eth0
			# shellcheck disable=SC2086 # (one line per server)
			printf 'nameserver %s\n' $POD_DNS6 >>"/etc/netns/$POD/resolv.conf"
		fi
		;;
	calico-onlink)
		ip netns exec "$NODE" sysctl -qw net.ipv4.conf.n-eth0.proxy_arp=1
		ip netns exec "$NODE" sysctl -qw net.ipv4.ip_forward=1
		ip -n "$NODE" addr add "$CALICO_GW/32" dev lo
		ip -n "$NODE" route add "$POD_IP/32" dev n-eth0
		ip -n "$POD" addr add "$POD_IP/32" dev eth0
		ip -n "$POD" route add default via "$CALICO_GW" dev eth0 onlink
		;;
	esac
	log "lab $shape: node $NODE, pod $POD, vm $VM"
}

# lab_cni_pod SHAPE POD [IP] - eth0 in the namespace POD made from $NODE as
# SHAPE's CNI makes it (cni_pod_make: CNI_* set; the pods of one lab_pod
# share the CNI's data dir, so IPAM hands out distinct addresses); its CNI
# DEL is left to lab_teardown.
lab_cni_pod()
{
	local dir=$TEST_DIR/cni.$LAB_SEQ
	need jq sha1sum unshare
	LAB_CNI+=("$1 $NODE $2 $dir")
	cni_pod_make "$1" "$NODE" "$2" "$dir" ${3:+"$3"} ||
		die "$1: the pod could not be made (see the cni: line)"
}

# lab_pod_net1 - a second pod interface net1, 169.254.100.10/24, MTU 1450,
# default-less (only its connected route); node side 169.254.100.1/24.
lab_pod_net1()
{
	lab_link_pod net1 "$NET1_MAC" "$NET1_MTU" n-net1
	ip -n "$NODE" addr add "$NET1_GW/24" dev n-net1
	ip -n "$POD" addr add "$NET1_IP/24" dev net1
}

# lab_fake_vm IFNAME MAC PEER - the VM's NIC: IFNAME (with MAC) in the VM
# namespace, PEER in the pod (down, not in any bridge: see lab_attach).
lab_fake_vm()
{
	local ifname=$1 mac=$2 peer=$3
	ip -n "$POD" link add "$peer" type veth peer name "$ifname" netns "$VM" ||
		die "cannot create fake VM veth $peer<->$ifname"
	ip -n "$VM" link set "$ifname" address "$mac" up
}

# lab_attach PEER BRIDGE - what libvirt does with the tap after prepare: take
# the bridge's MTU, join the bridge, up.
lab_attach()
{
	local peer=$1 br=$2 mtu
	mtu=$(ip -n "$POD" -o link show "$br" | sed -n 's/.* mtu \([0-9]*\) .*/\1/p')
	[ -n "$mtu" ] || die "bridge '$br' does not exist in the pod after prepare"
	ip -n "$POD" link set "$peer" mtu "$mtu"
	ip -n "$POD" link set "$peer" master "$br" up || die "cannot attach $peer to $br"
}

# lab_kill_ns NS - end every process of namespace NS (all ours), by pid.
lab_kill_ns()
{
	local ns=$1 pids i
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		pids=$(ip netns pids "$ns" 2>/dev/null) || return 0
		[ -n "$pids" ] || return 0
		if [ "$i" -lt 15 ]; then
			# shellcheck disable=SC2086
			kill $pids 2>/dev/null || true
		else
			# shellcheck disable=SC2086
			kill -KILL $pids 2>/dev/null || true
		fi
		sleep 0.2
	done
}

# lab_teardown - CNI DEL every pod cni.sh made, end every process, delete
# every namespace and /etc/netns dir this script made so far (also bridges
# and veths inside them).
lab_teardown()
{
	local ns pid p
	# CNI DEL first: the plugins run in the node namespace.
	for p in "${LAB_CNI[@]}"; do
		# shellcheck disable=SC2086 # "SHAPE NODE POD DIR"
		cni_pod_del $p || bad "CNI DEL failed: $p"
	done
	LAB_CNI=()
	for pid in "${LAB_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	LAB_PIDS=()
	for ns in "${LAB_NETNS[@]}"; do
		lab_kill_ns "$ns"
	done
	for ns in "${LAB_NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
		rm -rf "/etc/netns/${ns:?}"
	done
	LAB_NETNS=()
}

# lab_cleanup - the EXIT trap: teardown, sanitizer reports, temp files.
lab_cleanup()
{
	local rc=$? f
	trap - EXIT INT TERM HUP
	set +e
	lab_teardown
	if [ "$LAB_MADE_ETC_NETNS" = 1 ]; then
		rmdir /etc/netns 2>/dev/null
	fi
	for f in "$TEST_DIR"/asan.*; do
		[ -e "$f" ] || continue
		bad "sanitizer report $f:"
		head -n 40 "$f"
	done
	if [ "$rc" != 0 ] || [ "$ASSERT_FAILS" != 0 ]; then
		for f in "$STATE_DIR"/*; do
			[ -s "$f" ] || continue
			printf '%s: state file %s:\n' "$LAB_NAME" "$f"
			tail -n 30 "$f"
		done
	fi
	if [ -n "$TEST_DIR" ] && [ -d "$TEST_DIR" ]; then
		if [ "${PODNET_KEEP:-0}" = 1 ]; then
			log "kept $TEST_DIR"
		else
			rm -rf "$TEST_DIR"
		fi
	fi
	if [ "$rc" = 0 ] && [ "$ASSERT_FAILS" != 0 ]; then
		rc=1
	fi
	if [ "$rc" = 0 ]; then
		log "PASS"
	else
		log "FAILED ($ASSERT_FAILS failed checks, exit $rc)"
	fi
	exit "$rc"
}

# lab_done - end of a test: exit 1 if any assertion failed.
lab_done()
{
	[ "$ASSERT_FAILS" = 0 ] || exit 1
	exit 0
}

# snapshot FILE - the pod's network state once it has settled, in the one
# definition every exact-restore test shares (tests/lib/snapshot.sh).
snapshot()
{
	pod_snapshot "$POD" >"$1"
}

# snapshot_raw FILE - one read of the same, not waiting for it to settle.
snapshot_raw()
{
	pod_snapshot_raw "$POD" >"$1"
}

# snapshot_expect_same WHAT BEFORE - poll (bounded) until the pod's state
# equals the snapshot BEFORE; link state and IPv6 DAD settle asynchronously.
snapshot_expect_same()
{
	local what=$1 before=$2 now=$TEST_DIR/snap.now i
	for i in $(seq 1 25); do
		snapshot "$now"
		if cmp -s "$before" "$now"; then
			ok "$what: pod network state unchanged"
			return 0
		fi
		sleep 0.2
	done
	bad "$what: pod network state differs (- before, + now):"
	# diff exits 1 here: under pipefail and -e that would end the test.
	{ diff -u "$before" "$now" || true; } | sed 1,2d >&2
	return 0
}

# hook_run TAG XML ARGS... - run the hook in the pod as libvirt does (argv
# `vm1 ARGS...`, XML on stdin, the environment libvirt passes, cwd /).
# Sets HOOK_RC, HOOK_OUT and HOOK_ERR (files) and HOOK_ERRTEXT.
hook_run()
{
	local tag=$1 xml=$2 envs
	shift 2
	HOOK_OUT=$TEST_DIR/hook.$tag.stdout
	HOOK_ERR=$TEST_DIR/hook.$tag.stderr
	envs=(LC_ALL=C PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
		PODNET_STATE_DIR="$STATE_DIR")
	# Sanitizer reports (the hook's and the detached responder's, whose
	# stderr is /dev/null) go to files that lab_cleanup turns into failures.
	envs+=(ASAN_OPTIONS="log_path=$TEST_DIR/asan.asan:abort_on_error=0"
		UBSAN_OPTIONS="log_path=$TEST_DIR/asan.ubsan:print_stacktrace=1")
	# Extra variables for one call, e.g. HOOK_ENV=(PODNET_FAULT=fail:3).
	envs+=("${HOOK_ENV[@]}")
	set +e
	(cd / && timeout -k 5 120 ip netns exec "$POD" env -i "${envs[@]}" \
		"$PODNET_HOOK" "$VM_NAME" "$@" <"$xml" >"$HOOK_OUT" 2>"$HOOK_ERR")
	HOOK_RC=$?
	set -e
	HOOK_ERRTEXT=$(cat "$HOOK_ERR")
	log "hook $* < $(basename "$xml"): exit $HOOK_RC${HOOK_ERRTEXT:+, stderr: $HOOK_ERRTEXT}"
}

# hook_crash_at K WHAT XML - prepare with fault point crash:K armed (a
# FAULT=1 build kills itself there); it must end by SIGKILL.
hook_crash_at()
{
	HOOK_ENV=("PODNET_FAULT=crash:$1")
	hook_run "crash$1" "$3" prepare begin -
	HOOK_ENV=()
	expect_eq "$2: crash:$1: killed" 137 "$HOOK_RC"
}

# hook_expect_quiet_ok WHAT - exit 0, nothing on stdout or stderr.
hook_expect_quiet_ok()
{
	expect_eq "$1: exit status" 0 "$HOOK_RC"
	[ ! -s "$HOOK_OUT" ] || bad "$1: stdout not empty: $(head -c 300 "$HOOK_OUT")"
	[ ! -s "$HOOK_ERR" ] || bad "$1: stderr not empty: $(head -c 300 "$HOOK_ERR")"
}

# hook_expect_error WHAT - exit 1, empty stdout, exactly one stderr line
# starting "podnet: ".
hook_expect_error()
{
	local lines
	expect_eq "$1: exit status" 1 "$HOOK_RC"
	[ ! -s "$HOOK_OUT" ] || bad "$1: stdout not empty: $(head -c 300 "$HOOK_OUT")"
	lines=$(wc -l <"$HOOK_ERR")
	[ "$lines" = 1 ] || bad "$1: expected exactly one stderr line, got $lines"
	case $(head -n 1 "$HOOK_ERR") in
	"podnet: "*) ;;
	*) bad "$1: stderr does not start with 'podnet: '" ;;
	esac
	# A line ending in no newline counts as 0 by wc; require the newline.
	[ -z "$(tail -c 1 "$HOOK_ERR")" ] || bad "$1: stderr line lacks its newline"
}

# state_responder_pid [XML] - the responder pid recorded in the state dir
# (or ""): in the record of XML's domain when given, else in any record.
state_responder_pid()
{
	local uuid='*'
	[ -z "${1:-}" ] || uuid=$(sed -n 's|.*<uuid>\(.*\)</uuid>.*|\1|p' "$1" | head -n 1)
	# The contract is a "responder_pid=N" line; the hook's record format
	# "responder N START" (pid plus its start time) is accepted too.
	# shellcheck disable=SC2086 # (the glob)
	{ cat "$STATE_DIR"/$uuid*.state 2>/dev/null | grep -hsE '^responder(_pid=| )' || true; } |
		head -n 1 | sed -E 's/^responder(_pid=| )([0-9]+).*/\2/'
}

# pid_alive PID - true while PID exists and is not a zombie.
pid_alive()
{
	local st
	[ -n "$1" ] && [ -e "/proc/$1" ] || return 1
	st=$(sed -E 's/^.*\) ([A-Za-z]).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "$st" != Z ] && [ -n "$st" ]
}

# wait_pid_gone PID - poll (bounded) until PID is gone.
wait_pid_gone()
{
	local i
	for i in $(seq 1 100); do
		pid_alive "$1" || return 0
		sleep 0.1
	done
	return 1
}

# expect_state_empty WHAT - the state dir is absent or empty: no record, no
# log and no lock file (the hook removes its lock while holding it, and a
# waiter re-checks the file it locked).
expect_state_empty()
{
	local left
	left=$(find "$STATE_DIR" -mindepth 1 2>/dev/null | head -n 5 || true)
	[ -z "$left" ] || bad "$1: state left behind: $left"
	[ -n "$left" ] || ok "$1: state dir empty"
}

# expect_no_pod_processes WHAT - nothing runs in the pod (no responder).
expect_no_pod_processes()
{
	local pids i
	for i in $(seq 1 50); do
		pids=$(ip netns pids "$POD")
		[ -n "$pids" ] || break
		sleep 0.1
	done
	if [ -n "$pids" ]; then
		bad "$1: processes left in the pod: $(for p in $pids; do tr '\0' ' ' <"/proc/$p/cmdline"; echo "[$p]"; done)"
	else
		ok "$1: no process in the pod"
	fi
}

# pod_tool ARGS... - the podnet tool in the pod, on this test's state folder,
# as an operator runs it.
pod_tool()
{
	ip netns exec "$POD" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		PODNET_STATE_DIR="$STATE_DIR" \
		ASAN_OPTIONS="log_path=$TEST_DIR/asan.asan" \
		UBSAN_OPTIONS="log_path=$TEST_DIR/asan.ubsan" \
		"$PODNET_HOOK" "$@"
}

# expect_tool_restore WHAT SNAP - `podnet restore vm1` by hand succeeds and
# brings the pod back exactly as the snapshot SNAP.
expect_tool_restore()
{
	local out rc
	set +e
	out=$(pod_tool restore vm1 2>&1)
	rc=$?
	set -e
	log "$1: podnet restore: exit $rc: $out"
	expect_eq "$1: podnet restore exit status" 0 "$rc"
	snapshot_expect_same "$1: podnet restore" "$2"
}

# hook_prepare XML - prepare that must succeed; sets RESPONDER_PID and checks
# that the responder runs detached (fds 0-2 on /dev/null, so libvirt's read of
# the hook's pipes ends).
hook_prepare()
{
	local fd t
	hook_run prepare "$1" prepare begin -
	[ "$HOOK_RC" = 0 ] || die "prepare failed: exit $HOOK_RC: $HOOK_ERRTEXT"
	[ ! -s "$HOOK_OUT" ] || bad "prepare: stdout not empty: $(head -c 300 "$HOOK_OUT")"
	[ ! -s "$HOOK_ERR" ] || bad "prepare: stderr not empty: $HOOK_ERRTEXT"
	RESPONDER_PID=$(state_responder_pid "$1")
	[ -n "$RESPONDER_PID" ] || die "prepare: no responder_pid= in the state under $STATE_DIR"
	pid_alive "$RESPONDER_PID" || die "prepare: responder $RESPONDER_PID is not running"
	ok "responder pid $RESPONDER_PID: $(tr '\0' ' ' <"/proc/$RESPONDER_PID/cmdline")"
	for fd in 0 1 2; do
		t=$(readlink "/proc/$RESPONDER_PID/fd/$fd" 2>/dev/null || echo closed)
		case $t in
		/dev/null | closed) ;;
		*) bad "responder fd $fd is '$t', not /dev/null (libvirt would wait for it)" ;;
		esac
	done
}

# hook_release XML - release that must succeed; the responder must be gone
# and the state dir empty.
hook_release()
{
	hook_run release "$1" release end -
	hook_expect_quiet_ok release
	if [ -n "${RESPONDER_PID:-}" ]; then
		if wait_pid_gone "$RESPONDER_PID"; then
			ok "responder $RESPONDER_PID gone"
		else
			bad "release: responder $RESPONDER_PID still running"
		fi
	fi
	expect_state_empty release
}

# client_script FILE OUT VAR... - a DHCP client script that writes VAR=value
# lines to OUT (a path in the test dir; may use the script's $1) and changes
# nothing else: no address, no route, no resolv.conf.
client_script()
{
	local file=$1 out=$2 v
	shift 2
	{
		echo '#!/bin/sh'
		echo '# podnet test: record the client'"'"'s variables, change nothing.'
		echo "out=\"$out\""
		echo ': >"$out"'
		for v in "$@"; do
			printf 'printf "%%s=%%s\\n" %s "$%s" >>"$out"\n' "$v" "$v"
		done
		echo 'exit 0'
	} >"$file"
	chmod 755 "$file"
}

# dhclient_bound TAG LABEL CONF SCRIPT ARGS... - dhclient ARGS on the VM's
# eth0 until bound (bounded), its files $TEST_DIR/dhclient.TAG.{leases,pid,log},
# its log shown with "LABEL: " before each line. Once bound it runs on in the
# background: its pid joins LAB_PIDS, dhclient_stop TAG ends it. Returns
# dhclient's exit status.
dhclient_bound()
{
	local tag=$1 label=$2 conf=$3 script=$4 pidf=$TEST_DIR/dhclient.$1.pid rc
	shift 4
	set +e
	timeout -k 5 90 ip netns exec "$VM" dhclient "$@" -1 -v -cf "$conf" -sf "$script" \
		-lf "$TEST_DIR/dhclient.$tag.leases" -pf "$pidf" eth0 \
		>"$TEST_DIR/dhclient.$tag.log" 2>&1
	rc=$?
	set -e
	sed "s/^/$label: /" "$TEST_DIR/dhclient.$tag.log"
	[ ! -s "$pidf" ] || LAB_PIDS+=("$(cat "$pidf")")
	return "$rc"
}

# dhclient_stop TAG - end dhclient_bound's dhclient by its pid (SIGTERM: no
# RELEASE, the VM stays configured).
dhclient_stop()
{
	local pid
	[ -s "$TEST_DIR/dhclient.$1.pid" ] || return 0
	pid=$(cat "$TEST_DIR/dhclient.$1.pid")
	kill "$pid" 2>/dev/null || true
	wait_pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
}

# udhcpc_run IFNAME TAG - udhcpc in the VM namespace, one lease, quit; its
# script writes the variables to $TEST_DIR/udhcpc.TAG.EVENT only. Sets
# LEASE_FILE (the bound event's variables) or fails.
udhcpc_run()
{
	local ifname=$1 tag=$2 script=$TEST_DIR/udhcpc-script.sh rc
	need udhcpc
	client_script "$script" "$TEST_DIR/udhcpc.$tag.\$1" \
		interface ip mask subnet broadcast router staticroutes dns \
		domain search mtu hostname lease serverid
	set +e
	timeout -k 5 90 ip netns exec "$VM" udhcpc -f -q -n -t 5 -i "$ifname" \
		-O staticroutes -O search -O mtu -O hostname -s "$script" \
		>"$TEST_DIR/udhcpc.$tag.log" 2>&1
	rc=$?
	set -e
	sed "s/^/udhcpc[$tag]: /" "$TEST_DIR/udhcpc.$tag.log"
	LEASE_FILE=$TEST_DIR/udhcpc.$tag.bound
	[ "$rc" = 0 ] && [ -s "$LEASE_FILE" ] || die "udhcpc on $ifname got no lease (exit $rc)"
	sed "s/^/udhcpc[$tag] bound: /" "$LEASE_FILE"
}

# lease_get FILE VAR - a variable recorded by a client script.
lease_get()
{
	sed -n "s/^$2=//p" "$1" | tail -n 1
}

# expect_udhcpc_lease WHAT FILE IP MASK ROUTER MTU - the pod's identity in
# udhcpc's variables (ROUTER "" = not checked). DNS, search list and
# hostname are the same for every pod interface.
expect_udhcpc_lease()
{
	local w=$1 f=$2
	expect_eq "$w ip" "$3" "$(lease_get "$f" ip)"
	expect_eq "$w mask" "$4" "$(lease_get "$f" mask)"
	[ -z "$5" ] || expect_eq "$w router" "$5" "$(lease_get "$f" router)"
	expect_eq "$w mtu" "$6" "$(lease_get "$f" mtu)"
	expect_eq "$w dns" "$POD_DNS" "$(lease_get "$f" dns | xargs)"
	expect_eq "$w search" "$POD_SEARCH" "$(lease_get "$f" search | xargs)"
	expect_eq "$w hostname" "$VM_NAME" "$(lease_get "$f" hostname)"
	expect_match "$w serverid" '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' "$(lease_get "$f" serverid)"
	expect_match "$w lease" '^[1-9][0-9]*$' "$(lease_get "$f" lease)"
}
