#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The end-to-end lab of libvirt (prefix lv_): a "node" and a "pod" network
# namespace whose eth0 is made the way a real CNI makes it (tests/lib/cni.sh:
# the real bridge and ptp plugins run from the node namespace; Calico, Cilium
# and AWS VPC CNI written as their sources do), and a real libvirtd running
# inside the pod (its own network and mount namespace, with private
# /etc/libvirt, /run/libvirt, /var/{lib,log,cache}/libvirt and
# /run/podnet) whose qemu hook is the hook under test.
#
# Source it from bash:  . tests/lib/libvirt_lab.sh; lv_init; lv_up bridge; ...
# Everything created is registered for a cleanup that always runs (trap on
# EXIT INT TERM) and removes it all; processes are ended by pid, never by name.
#
# Safety: only 198.51.100.0/24 and 169.254.0.0/16, only inside namespaces
# created here; the root namespace's interfaces, routes and /etc/libvirt are
# never touched (the only file outside our temp dir is /etc/netns/POD and
# /etc/netns/NODE, which `ip netns exec` needs, removed at cleanup).

LV_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/lib/snapshot.sh
. "$LV_REPO/tests/lib/snapshot.sh"
# shellcheck source=tests/lib/domain_xml.sh
. "$LV_REPO/tests/lib/domain_xml.sh"
# shellcheck source=tests/lib/assert.sh
. "$LV_REPO/tests/lib/assert.sh"
PODNET_HOOK=${PODNET_HOOK:-$LV_REPO/build/podnet}

# shellcheck source=tests/lib/cni.sh
. "$LV_REPO/tests/lib/cni.sh"

# The pod's facts. The network itself (and what the guest must get from it:
# CNI_WANT_*) comes from cni.sh, shaped as a real CNI makes it.
LV_POD_IP=198.51.100.10
LV_DNS="198.51.100.53 198.51.100.54"
LV_SEARCH="pod.example.test example.test"
LV_VM_MAC=${LV_VM_MAC:-52:54:00:12:34:56}
# Set by lv_net_up: LV_GW (the pod's gateway), LV_NODE_IP (an address of
# the node the pod reaches through it), LV_POD_MAC, LV_HOST_IF (the node's
# end of the pod's veth), LV_NODE_POD_IF (the node interface its route to the
# pod IP goes out of: the bridge for the bridge plugin, else LV_HOST_IF) and
# LV_NODE_POD_MAC (that interface's MAC: what the pod's gateway resolves to).

LV_CLEANUP=()
LV_SEQ=0
LV_VERBOSE=${LV_VERBOSE:-0}

lv_log() { echo "lab: $*" >&2; }

# lv_begin - what every e2e test needs first: root and the hook built.
lv_begin() {
	[ "$(id -u)" = 0 ] || die "must run as root"
	if [ ! -x "$PODNET_HOOK" ]; then
		make -s all >/dev/null || die "build failed"
	fi
}
lv_die() {
	echo "lab: error: $*" >&2
	exit 1
}

# Register a cleanup command (a string for eval); they run in reverse order.
lv_defer() { LV_CLEANUP+=("$1"); }

lv_cleanup() {
	local i
	for ((i = ${#LV_CLEANUP[@]} - 1; i >= 0; i--)); do
		[ -n "${LV_CLEANUP[i]}" ] || continue
		[ "$LV_VERBOSE" = 1 ] && lv_log "cleanup: ${LV_CLEANUP[i]}"
		eval "${LV_CLEANUP[i]}" >/dev/null 2>&1 || true
		LV_CLEANUP[i]=""
	done
	LV_CLEANUP=()
}

lv_init() {
	# shellcheck disable=SC2154
	trap 'rc=$?; trap - EXIT INT TERM; lv_cleanup; exit $rc' EXIT
	trap 'trap - EXIT INT TERM; lv_cleanup; exit 130' INT
	trap 'trap - EXIT INT TERM; lv_cleanup; exit 143' TERM
	LV_TOP=$(mktemp -d "${TMPDIR:-/tmp}/podnet-lab.XXXXXX")
	lv_defer "rm -rf '$LV_TOP'"
}

# Poll CMD... every 0.2 s until it succeeds or SECONDS pass.
lv_wait() { # SECONDS CMD...
	local deadline=$(($(date +%s) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

lv_now_ms() { echo $(($(date +%s%N) / 1000000)); }

# inode of a network namespace, to find the processes inside it by pid.
lv_ns_inode() { stat -L -c %i "/run/netns/$1" 2>/dev/null; }

# pids of every process whose network namespace is NS (all started by us).
lv_netns_pids() { # NS
	local ino p
	ino=$(lv_ns_inode "$1") || return 0
	[ -n "$ino" ] || return 0
	for p in /proc/[0-9]*; do
		[ "$(stat -L -c %i "$p/ns/net" 2>/dev/null)" = "$ino" ] && echo "${p#/proc/}"
	done
	return 0
}

# End processes by pid: TERM, wait (bounded), then KILL.
lv_kill_pids() { # PID...
	local p n=0
	[ $# -gt 0 ] || return 0
	kill -TERM "$@" 2>/dev/null || true
	while [ $n -lt 50 ]; do
		local alive=0
		for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ $alive = 0 ] && return 0
		sleep 0.1
		n=$((n + 1))
	done
	kill -KILL "$@" 2>/dev/null || true
}

lv_kill_netns() { # NS
	local pids
	pids=$(lv_netns_pids "$1")
	# shellcheck disable=SC2086
	[ -z "$pids" ] || lv_kill_pids $pids
}

lv_node() { ip netns exec "$LV_NODE" "$@"; }
# Run in the pod exactly where libvirtd runs (its network and mount namespace).
lv_in_pod() { nsenter -t "$LV_HOLDER" -m -n "$@"; }
lv_virsh() { virsh -q -c "qemu:///system?socket=$LV_RUN/libvirt/libvirt-sock" "$@"; }

# Create the namespaces and the pod network, shaped as SHAPE's CNI makes it
# (cni.sh: bridge, ptp, calico, cilium, aws, macvlan-passthru, ...). The
# plugins run from inside the node namespace with CNI_NETNS=/run/netns/POD,
# the pod namespace libvirtd later runs in; their DEL runs at cleanup (after
# libvirtd and its domains are gone, before the namespaces go).
#
# With NODE, the pod joins that node namespace (made by an earlier call) as a
# second pod of the same node network; CNIDIR (default: the pod's own) is
# the CNI config and host-local store, shared by pods that must get
# different addresses from one range.
lv_net_up() { # SHAPE [NODE [CNIDIR]]
	LV_SHAPE=$1
	LV_SEQ=$((LV_SEQ + 1))
	local id=$$-$LV_SEQ join=${2:-}
	LV_NODE=${join:-pn-node-$id}
	LV_POD=pn-pod-$id
	LV_DIR=$LV_TOP/$LV_SEQ
	local cnidir=${3:-$LV_DIR/cni}
	mkdir -p "$LV_DIR"

	# /etc/netns/NAME/resolv.conf: `ip netns exec` binds it over /etc/resolv.conf.
	[ -d /etc/netns ] || lv_defer "rmdir /etc/netns"
	lv_defer "rm -rf '/etc/netns/$LV_POD'"
	mkdir -p "/etc/netns/$LV_POD"
	{
		for d in $LV_DNS; do echo "nameserver $d"; done
		echo "search $LV_SEARCH"
	} >"/etc/netns/$LV_POD/resolv.conf"
	if [ -z "$join" ]; then
		lv_defer "rm -rf '/etc/netns/$LV_NODE'"
		mkdir -p "/etc/netns/$LV_NODE"
		printf 'nameserver %s\n' "${LV_DNS%% *}" >"/etc/netns/$LV_NODE/resolv.conf"
		lv_defer "lv_kill_netns '$LV_NODE'; ip netns del '$LV_NODE'"
		ip netns add "$LV_NODE"
		ip -n "$LV_NODE" link set lo up
	fi
	lv_defer "lv_kill_netns '$LV_POD'; ip netns del '$LV_POD'"
	ip netns add "$LV_POD"
	ip -n "$LV_POD" link set lo up
	# LV_PRE_CNI: a command for the new pod namespace $LV_POD before the CNI
	# makes its eth0 (sysctl defaults the interface inherits).
	[ -z "${LV_PRE_CNI:-}" ] || eval "$LV_PRE_CNI"

	lv_defer "cni_pod_del '$LV_SHAPE' '$LV_NODE' '$LV_POD' '$cnidir'"
	cni_pod_make "$LV_SHAPE" "$LV_NODE" "$LV_POD" "$cnidir" "$LV_POD_IP" ||
		lv_die "cannot make a $LV_SHAPE pod (cni_pod_make)"
	# shellcheck disable=SC2034 # (globals for the sourcing test)
	LV_GW=$CNI_GW LV_NODE_IP=$CNI_NODE_IP LV_POD_MAC=$CNI_POD_MAC LV_HOST_IF=$CNI_HOST_IF
	# An IPv6-only pod: the node's way to it is the route to its IPv6.
	local to=$LV_POD_IP
	[ -n "$(ip -n "$LV_POD" -4 -o addr show dev eth0 scope global)" ] ||
		to=$(ip -n "$LV_POD" -6 -o addr show dev eth0 scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
	LV_NODE_POD_IF=$(ip -n "$LV_NODE" -o route get "$to" | sed -n 's/.* dev \([^ ]*\).*/\1/p')
	[ -n "$LV_NODE_POD_IF" ] || lv_die "the node has no route to $to"
	# shellcheck disable=SC2034
	LV_NODE_POD_MAC=$(lv_link_mac "$LV_NODE" "$LV_NODE_POD_IF")
	[ "$LV_VERBOSE" != 1 ] || {
		ip -n "$LV_POD" -d addr >&2
		ip -n "$LV_POD" -d route show table all >&2
		ip -n "$LV_NODE" -d route show table all >&2
	}
}

lv_link_mac() { # NS IFACE
	ip -n "$1" -o link show "$2" | sed -n 's/.* link\/ether \([0-9a-f:]*\) .*/\1/p'
}

# The private trees libvirtd sees inside the pod.
lv_libvirt_tree() {
	LV_ROOT=$LV_DIR/root
	LV_RUN=$LV_ROOT/run
	mkdir -p "$LV_ROOT/etc/libvirt/hooks" "$LV_ROOT/etc/libvirt/qemu" \
		"$LV_RUN/libvirt" "$LV_RUN/podnet" \
		"$LV_ROOT/var/lib/libvirt" "$LV_ROOT/var/log/libvirt" "$LV_ROOT/var/cache/libvirt"
	cat >"$LV_ROOT/etc/libvirt/qemu.conf" <<-'EOF'
		stdio_handler = "file"
		cgroup_controllers = [ ]
		security_driver = "none"
		user = "root"
		group = "root"
	EOF
	# host_uuid: each pod's libvirtd is a host of its own (libvirt refuses to
	# migrate between two daemons with the same host UUID).
	cat >"$LV_ROOT/etc/libvirt/libvirtd.conf" <<-EOF
		auth_unix_ro = "none"
		auth_unix_rw = "none"
		log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
		host_uuid = "$(cat /proc/sys/kernel/random/uuid)"
	EOF
	# libvirt's qemu driver resolves its built-in default user and group
	# (libvirt-qemu, kvm) before it reads qemu.conf; where the package's
	# postinst never made them, give the pod's mount namespace private copies
	# of /etc/passwd and /etc/group that have them (the machine's stay as they are).
	if ! getent passwd libvirt-qemu >/dev/null || ! getent group kvm >/dev/null ||
		! getent group libvirt-qemu >/dev/null; then
		cp /etc/passwd "$LV_ROOT/etc/passwd"
		cp /etc/group "$LV_ROOT/etc/group"
		getent group kvm >/dev/null || echo 'kvm:x:64054:' >>"$LV_ROOT/etc/group"
		getent group libvirt-qemu >/dev/null || echo 'libvirt-qemu:x:64055:' >>"$LV_ROOT/etc/group"
		getent passwd libvirt-qemu >/dev/null ||
			echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin' >>"$LV_ROOT/etc/passwd"
	fi
	lv_install_hook "$PODNET_HOOK"
}

# Install FILE as the pod's /etc/libvirt/hooks/qemu (libvirtd sees it at its next start),
# and the podnet-responder beside FILE, if any, beside it: the hook runs the one beside
# its own executable (src/hook/lifecycle/responder_exe.c). libvirt runs only hooks/qemu.
lv_install_hook() { # FILE
	local resp
	resp=$(dirname "$1")/podnet-responder
	[ -x "$1" ] || lv_die "hook $1 is not an executable file (build it, or set PODNET_HOOK)"
	if [ -x "$resp" ]; then
		install -m 0755 "$resp" "$LV_ROOT/etc/libvirt/hooks/podnet-responder"
	else
		rm -f "$LV_ROOT/etc/libvirt/hooks/podnet-responder"
	fi
	install -m 0755 "$1" "$LV_ROOT/etc/libvirt/hooks/qemu.new"
	mv -f "$LV_ROOT/etc/libvirt/hooks/qemu.new" "$LV_ROOT/etc/libvirt/hooks/qemu"
}

# A process that holds the pod's network namespace and a private mount
# namespace with the private trees mounted; `nsenter -t $LV_HOLDER -m -n`.
# LV_PODNET_RUN, when set, is the folder mounted on /run/podnet instead of the
# pod's own: one /run/podnet for every pod, as when podnet is installed once
# on a machine whose pods share it.
lv_holder_up() {
	local inner
	# shellcheck disable=SC2016
	inner='set -eu
L=$1
P=$2
for d in /etc/libvirt /run/libvirt /run/podnet /var/lib/libvirt /var/log/libvirt /var/cache/libvirt; do
	if [ -d "$d" ]; then
		mount --bind "$L$d" "$d"
	else
		# Not on this machine: hide its parent (in this mount namespace only).
		p=$(dirname "$d")
		mount --bind "$L$p" "$p"
	fi
done
for f in /etc/passwd /etc/group; do
	[ ! -f "$L$f" ] || mount --bind "$L$f" "$f"
done
# Over the pod'"'"'s own (which the loop may have mounted with its parent).
[ -z "$P" ] || mount --bind "$P" /run/podnet
: >"$L/../holder-ready"
exec sleep infinity'
	ip netns exec "$LV_POD" unshare -m --propagation private \
		sh -c "$inner" sh "$LV_ROOT" "${LV_PODNET_RUN:-}" </dev/null >>"$LV_DIR/holder.log" 2>&1 &
	LV_HOLDER=$!
	lv_defer "lv_kill_pids $LV_HOLDER"
	lv_wait 30 test -e "$LV_DIR/holder-ready" ||
		lv_die "the pod's mount namespace holder did not start: $(cat "$LV_DIR/holder.log")"
	lv_wait 10 sh -c "[ \"\$(readlink /proc/$LV_HOLDER/exe)\" = \"$(readlink -f "$(command -v sleep)")\" ]" ||
		lv_die "holder pid $LV_HOLDER is not the sleep process"
}

lv_libvirtd_pid() { cat "$LV_RUN/libvirt/lab-libvirtd.pid" 2>/dev/null; }

lv_libvirtd_start() {
	rm -f "$LV_RUN/libvirt/lab-libvirtd.pid"
	(cd / && nsenter -t "$LV_HOLDER" -m -n env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		libvirtd -d -p /run/libvirt/lab-libvirtd.pid -f /etc/libvirt/libvirtd.conf \
		</dev/null >>"$LV_DIR/libvirtd.out" 2>&1) ||
		lv_die "libvirtd did not start: $(tail -n 5 "$LV_DIR/libvirtd.out")"
	lv_wait 60 test -S "$LV_RUN/libvirt/libvirt-sock" ||
		lv_die "libvirtd socket did not appear: $(tail -n 5 "$LV_ROOT/var/log/libvirt/libvirtd.log")"
	lv_wait 60 lv_virsh version ||
		lv_die "libvirtd does not answer: $(tail -n 5 "$LV_ROOT/var/log/libvirt/libvirtd.log")"
	LV_LIBVIRTD=$(lv_libvirtd_pid)
	[ -n "$LV_LIBVIRTD" ] || lv_die "libvirtd wrote no pid file"
}

lv_libvirtd_stop() {
	local pid
	pid=$(lv_libvirtd_pid)
	[ -n "$pid" ] || return 0
	lv_kill_pids "$pid"
	rm -f "$LV_RUN/libvirt/lab-libvirtd.pid"
	LV_LIBVIRTD=
}

# Hooks are read only when libvirtd starts.
lv_libvirtd_restart() {
	lv_libvirtd_stop
	lv_libvirtd_start
}

# qemu pids that libvirt recorded in its pid files.
# One pid per line: libvirt's pid files have no trailing newline, so a plain
# cat of several glued them into one number that matched no process.
lv_qemu_pids() {
	local f
	for f in "$LV_RUN"/libvirt/qemu/*.pid; do
		[ -s "$f" ] && printf '%s\n' "$(cat "$f")"
	done
	return 0
}

lv_destroy_all() {
	local d
	for d in $(lv_virsh list --name 2>/dev/null); do
		timeout 60 virsh -q -c "qemu:///system?socket=$LV_RUN/libvirt/libvirt-sock" destroy "$d" >/dev/null 2>&1 || true
	done
}

# The whole lab: network, private trees, holder and libvirtd (NODE and
# CNIDIR: lv_net_up's, for a second pod on the same node network).
lv_up() { # SHAPE [NODE [CNIDIR]]
	lv_net_up "$@"
	lv_libvirt_tree
	lv_holder_up
	# Teardown order (reverse): destroy domains (the hook's release runs),
	# stop libvirtd, end any qemu it left, then everything else in the pod.
	lv_defer "$(printf "LV_RUN='%s'; LV_DIR='%s'; lv_destroy_all; lv_libvirtd_stop; lv_kill_pids \$(lv_qemu_pids)" "$LV_RUN" "$LV_DIR")"
	lv_libvirtd_start
	lv_log "up: shape=$LV_SHAPE pod=$LV_POD node=$LV_NODE libvirtd=$LV_LIBVIRTD dir=$LV_DIR"
}

# Tear down everything made so far (the same as the trap does).
lv_down() {
	lv_cleanup
	mkdir -p "$LV_TOP"
	lv_defer "rm -rf '$LV_TOP'"
}

# The pod's network for a before/after diff: the one definition that every
# exact-restore test shares (tests/lib/snapshot.sh), once settled.
lv_pod_snapshot() { pod_snapshot "$LV_POD"; }

# Several pods in one test (the migration lab): the globals above describe
# the current pod; lv_ctx_save NAME keeps them under NAME, lv_ctx_use NAME
# makes NAME's the current ones again.
LV_CTX_VARS="LV_SHAPE LV_NODE LV_POD LV_DIR LV_ROOT LV_RUN LV_HOLDER LV_LIBVIRTD
LV_GW LV_NODE_IP LV_POD_MAC LV_HOST_IF LV_NODE_POD_IF LV_NODE_POD_MAC LV_POD_IP"
lv_ctx_save() { # NAME
	local v
	for v in $LV_CTX_VARS; do eval "LVCTX_${1}_$v=\${$v-}"; done
}
lv_ctx_use() { # NAME
	local v
	for v in $LV_CTX_VARS; do eval "$v=\${LVCTX_${1}_$v-}"; done
}

# lv_start WHAT XML DOMAIN - define the domain of XML and `virsh start` it:
# one assertion, "WHAT (N ms)" or "WHAT: the error"; false if it failed.
lv_start() {
	local t0 err
	lv_virsh define "$2" >/dev/null
	t0=$(lv_now_ms)
	if err=$(lv_virsh start "$3" 2>&1); then
		ok "$1 ($(($(lv_now_ms) - t0)) ms)"
		return 0
	fi
	bad "$1: $err"
	return 1
}

# lv_expect_pod_as OK BAD TAG BEFORE - one assertion: the pod's network is
# exactly the snapshot BEFORE ("ok - OK"), else "not ok - BAD" and the diff
# as comments. The snapshot stays in $LV_DIR/after-TAG.
lv_expect_pod_as() {
	local after=$LV_DIR/after-$3
	lv_pod_snapshot >"$after"
	if diff -u "$4" "$after" >"$after.diff"; then
		ok "$1"
	else
		bad "$2"
		sed 's/^/#   /' "$after.diff"
	fi
}

# lv_expect_pod_idle WHAT - nothing runs in the pod but libvirtd (and the
# mount namespace holder), and podnet left no state.
lv_expect_pod_idle() {
	local extra="" p
	for p in $(lv_netns_pids "$LV_POD"); do
		[ "$p" = "$LV_HOLDER" ] || [ "$p" = "$LV_LIBVIRTD" ] ||
			extra="$extra $p($(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null))"
	done
	check "$1: no process left in the pod besides libvirtd${extra:+:$extra}" test -z "$extra"
	# A shared /run/podnet (LV_PODNET_RUN) may hold other pods' records.
	[ -n "${LV_PODNET_RUN:-}" ] ||
		check "$1: no state left in /run/podnet" test -z "$(ls -A "$LV_RUN/podnet")"
}

# Informational only (may change legitimately): neighbours the kernel learns.
lv_pod_snapshot_extra() {
	ip -n "$LV_POD" neigh show
	ip -n "$LV_POD" -6 neigh show
}

# A TCG domain with direct kernel boot, one tagged bridge interface and a
# serial console written to a file (tests/lib/domain_xml.sh).
lv_domain_xml() { # NAME KERNEL INITRD SERIALFILE [VM_MAC] [BRIDGE] [POD_IFACE]
	test_domain_xml "$1" "" "${5:-$LV_VM_MAC}" "${7:-eth0}" "${6:-pn-eth0}" \
		"$2" "$3" "$4"
}
