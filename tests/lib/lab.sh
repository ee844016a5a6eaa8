#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The end-to-end lab: a "node" and a "pod" network namespace whose eth0 is
# made the way a real CNI makes it (tests/lib/cni.sh: the real bridge and ptp
# plugins run from the node namespace; Calico, Cilium and AWS VPC CNI written
# as their sources do), and a real
# libvirtd running inside the pod (its own network and mount namespace, with
# private /etc/libvirt, /run/libvirt, /var/{lib,log,cache}/libvirt and
# /run/podnet) whose qemu hook is the hook under test.
#
# Source it from bash:  . tests/lib/lab.sh; lab_init; lab_up bridge; ...
# Everything created is registered for a cleanup that always runs (trap on
# EXIT INT TERM) and removes it all; processes are ended by pid, never by name.
#
# Safety: only 198.51.100.0/24 and 169.254.0.0/16, only inside namespaces
# created here; the root namespace's interfaces, routes and /etc/libvirt are
# never touched (the only file outside our temp dir is /etc/netns/POD and
# /etc/netns/NODE, which `ip netns exec` needs, removed at cleanup).

LAB_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/lib/snapshot.sh
. "$LAB_REPO/tests/lib/snapshot.sh"
# shellcheck source=tests/lib/domain_xml.sh
. "$LAB_REPO/tests/lib/domain_xml.sh"
PODNET_HOOK=${PODNET_HOOK:-$LAB_REPO/build/podnet}

# shellcheck source=tests/lib/cni.sh
. "$LAB_REPO/tests/lib/cni.sh"

# The pod's facts. The network itself (and what the guest must get from it:
# CNI_WANT_*) comes from cni.sh, shaped as a real CNI makes it.
LAB_POD_IP=198.51.100.10
LAB_DNS="198.51.100.53 198.51.100.54"
LAB_SEARCH="pod.example.test example.test"
LAB_VM_MAC=${LAB_VM_MAC:-52:54:00:12:34:56}
# Set by lab_net_up: LAB_GW (the pod's gateway), LAB_NODE_IP (an address of
# the node the pod reaches through it), LAB_POD_MAC, LAB_HOST_IF (the node's
# end of the pod's veth), LAB_NODE_POD_IF (the node interface its route to the
# pod IP goes out of: the bridge for the bridge plugin, else LAB_HOST_IF) and
# LAB_NODE_POD_MAC (that interface's MAC: what the pod's gateway resolves to).

LAB_CLEANUP=()
LAB_SEQ=0
LAB_VERBOSE=${LAB_VERBOSE:-0}

lab_log() { echo "lab: $*" >&2; }
lab_die() {
	echo "lab: error: $*" >&2
	exit 1
}

# Register a cleanup command (a string for eval); they run in reverse order.
lab_defer() { LAB_CLEANUP+=("$1"); }

lab_cleanup() {
	local i
	for ((i = ${#LAB_CLEANUP[@]} - 1; i >= 0; i--)); do
		[ -n "${LAB_CLEANUP[i]}" ] || continue
		[ "$LAB_VERBOSE" = 1 ] && lab_log "cleanup: ${LAB_CLEANUP[i]}"
		eval "${LAB_CLEANUP[i]}" >/dev/null 2>&1 || true
		LAB_CLEANUP[i]=""
	done
	LAB_CLEANUP=()
}

lab_init() {
	# shellcheck disable=SC2154
	trap 'rc=$?; trap - EXIT INT TERM; lab_cleanup; exit $rc' EXIT
	trap 'trap - EXIT INT TERM; lab_cleanup; exit 130' INT
	trap 'trap - EXIT INT TERM; lab_cleanup; exit 143' TERM
	LAB_TOP=$(mktemp -d "${TMPDIR:-/tmp}/podnet-lab.XXXXXX")
	lab_defer "rm -rf '$LAB_TOP'"
}

# Poll CMD... every 0.2 s until it succeeds or SECONDS pass.
lab_wait() { # SECONDS CMD...
	local deadline=$(($(date +%s) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

lab_now_ms() { echo $(($(date +%s%N) / 1000000)); }

# inode of a network namespace, to find the processes inside it by pid.
lab_ns_inode() { stat -L -c %i "/run/netns/$1" 2>/dev/null; }

# pids of every process whose network namespace is NS (all started by us).
lab_netns_pids() { # NS
	local ino p
	ino=$(lab_ns_inode "$1") || return 0
	[ -n "$ino" ] || return 0
	for p in /proc/[0-9]*; do
		[ "$(stat -L -c %i "$p/ns/net" 2>/dev/null)" = "$ino" ] && echo "${p#/proc/}"
	done
	return 0
}

# End processes by pid: TERM, wait (bounded), then KILL.
lab_kill_pids() { # PID...
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

lab_kill_netns() { # NS
	local pids
	pids=$(lab_netns_pids "$1")
	# shellcheck disable=SC2086
	[ -z "$pids" ] || lab_kill_pids $pids
}

lab_node() { ip netns exec "$LAB_NODE" "$@"; }
# Run in the pod exactly where libvirtd runs (its network and mount namespace).
lab_in_pod() { nsenter -t "$LAB_HOLDER" -m -n "$@"; }
lab_virsh() { virsh -q -c "qemu:///system?socket=$LAB_RUN/libvirt/libvirt-sock" "$@"; }

# Create the namespaces and the pod network, shaped as SHAPE's CNI makes it
# (cni.sh: bridge, ptp, calico, cilium, aws, macvlan-passthru, ...). The
# plugins run from inside the node namespace with CNI_NETNS=/run/netns/POD,
# the pod namespace libvirtd later runs in; their DEL runs at cleanup (after
# libvirtd and its domains are gone, before the namespaces go).
lab_net_up() { # SHAPE
	LAB_SHAPE=$1
	LAB_SEQ=$((LAB_SEQ + 1))
	local id=$$-$LAB_SEQ
	LAB_NODE=pn-node-$id
	LAB_POD=pn-pod-$id
	LAB_DIR=$LAB_TOP/$LAB_SEQ
	mkdir -p "$LAB_DIR"

	# /etc/netns/NAME/resolv.conf: `ip netns exec` binds it over /etc/resolv.conf.
	[ -d /etc/netns ] || lab_defer "rmdir /etc/netns"
	lab_defer "rm -rf '/etc/netns/$LAB_POD' '/etc/netns/$LAB_NODE'"
	mkdir -p "/etc/netns/$LAB_POD" "/etc/netns/$LAB_NODE"
	{
		for d in $LAB_DNS; do echo "nameserver $d"; done
		echo "search $LAB_SEARCH"
	} >"/etc/netns/$LAB_POD/resolv.conf"
	printf 'nameserver %s\n' "${LAB_DNS%% *}" >"/etc/netns/$LAB_NODE/resolv.conf"

	lab_defer "lab_kill_netns '$LAB_NODE'; ip netns del '$LAB_NODE'"
	ip netns add "$LAB_NODE"
	lab_defer "lab_kill_netns '$LAB_POD'; ip netns del '$LAB_POD'"
	ip netns add "$LAB_POD"
	ip -n "$LAB_NODE" link set lo up
	ip -n "$LAB_POD" link set lo up

	lab_defer "cni_pod_del '$LAB_SHAPE' '$LAB_NODE' '$LAB_POD' '$LAB_DIR/cni'"
	cni_pod_make "$LAB_SHAPE" "$LAB_NODE" "$LAB_POD" "$LAB_DIR/cni" "$LAB_POD_IP" ||
		lab_die "cannot make a $LAB_SHAPE pod (cni_pod_make)"
	# shellcheck disable=SC2034 # (globals for the sourcing test)
	LAB_GW=$CNI_GW LAB_NODE_IP=$CNI_NODE_IP LAB_POD_MAC=$CNI_POD_MAC LAB_HOST_IF=$CNI_HOST_IF
	# An IPv6-only pod: the node's way to it is the route to its IPv6.
	local to=$LAB_POD_IP
	[ -n "$(ip -n "$LAB_POD" -4 -o addr show dev eth0 scope global)" ] ||
		to=$(ip -n "$LAB_POD" -6 -o addr show dev eth0 scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
	LAB_NODE_POD_IF=$(ip -n "$LAB_NODE" -o route get "$to" | sed -n 's/.* dev \([^ ]*\).*/\1/p')
	[ -n "$LAB_NODE_POD_IF" ] || lab_die "the node has no route to $to"
	# shellcheck disable=SC2034
	LAB_NODE_POD_MAC=$(lab_link_mac "$LAB_NODE" "$LAB_NODE_POD_IF")
	[ "$LAB_VERBOSE" != 1 ] || {
		ip -n "$LAB_POD" -d addr >&2
		ip -n "$LAB_POD" -d route show table all >&2
		ip -n "$LAB_NODE" -d route show table all >&2
	}
}

lab_link_mac() { # NS IFACE
	ip -n "$1" -o link show "$2" | sed -n 's/.* link\/ether \([0-9a-f:]*\) .*/\1/p'
}

# The private trees libvirtd sees inside the pod.
lab_libvirt_tree() {
	LAB_ROOT=$LAB_DIR/root
	LAB_RUN=$LAB_ROOT/run
	mkdir -p "$LAB_ROOT/etc/libvirt/hooks" "$LAB_ROOT/etc/libvirt/qemu" \
		"$LAB_RUN/libvirt" "$LAB_RUN/podnet" \
		"$LAB_ROOT/var/lib/libvirt" "$LAB_ROOT/var/log/libvirt" "$LAB_ROOT/var/cache/libvirt"
	cat >"$LAB_ROOT/etc/libvirt/qemu.conf" <<-'EOF'
		stdio_handler = "file"
		cgroup_controllers = [ ]
		security_driver = "none"
		user = "root"
		group = "root"
	EOF
	cat >"$LAB_ROOT/etc/libvirt/libvirtd.conf" <<-'EOF'
		auth_unix_ro = "none"
		auth_unix_rw = "none"
		log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
	EOF
	# libvirt's qemu driver resolves its built-in default user and group
	# (libvirt-qemu, kvm) before it reads qemu.conf; where the package's
	# postinst never made them, give the pod's mount namespace private copies
	# of /etc/passwd and /etc/group that have them (the machine's stay as they are).
	if ! getent passwd libvirt-qemu >/dev/null || ! getent group kvm >/dev/null ||
		! getent group libvirt-qemu >/dev/null; then
		cp /etc/passwd "$LAB_ROOT/etc/passwd"
		cp /etc/group "$LAB_ROOT/etc/group"
		getent group kvm >/dev/null || echo 'kvm:x:64054:' >>"$LAB_ROOT/etc/group"
		getent group libvirt-qemu >/dev/null || echo 'libvirt-qemu:x:64055:' >>"$LAB_ROOT/etc/group"
		getent passwd libvirt-qemu >/dev/null ||
			echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin' >>"$LAB_ROOT/etc/passwd"
	fi
	lab_install_hook "$PODNET_HOOK"
}

# Install FILE as the pod's /etc/libvirt/hooks/qemu (libvirtd sees it at its next start),
# and the podnet-responder beside FILE, if any, beside it: the hook runs the one beside
# its own executable (src/hook/lifecycle/responder_exe.c). libvirt runs only hooks/qemu.
lab_install_hook() { # FILE
	local resp
	resp=$(dirname "$1")/podnet-responder
	[ -x "$1" ] || lab_die "hook $1 is not an executable file (build it, or set PODNET_HOOK)"
	if [ -x "$resp" ]; then
		install -m 0755 "$resp" "$LAB_ROOT/etc/libvirt/hooks/podnet-responder"
	else
		rm -f "$LAB_ROOT/etc/libvirt/hooks/podnet-responder"
	fi
	install -m 0755 "$1" "$LAB_ROOT/etc/libvirt/hooks/qemu.new"
	mv -f "$LAB_ROOT/etc/libvirt/hooks/qemu.new" "$LAB_ROOT/etc/libvirt/hooks/qemu"
}

# A process that holds the pod's network namespace and a private mount
# namespace with the private trees mounted; `nsenter -t $LAB_HOLDER -m -n`.
lab_holder_up() {
	local inner
	# shellcheck disable=SC2016
	inner='set -eu
L=$1
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
: >"$L/../holder-ready"
exec sleep infinity'
	ip netns exec "$LAB_POD" unshare -m --propagation private \
		sh -c "$inner" sh "$LAB_ROOT" </dev/null >>"$LAB_DIR/holder.log" 2>&1 &
	LAB_HOLDER=$!
	lab_defer "lab_kill_pids $LAB_HOLDER"
	lab_wait 30 test -e "$LAB_DIR/holder-ready" ||
		lab_die "the pod's mount namespace holder did not start: $(cat "$LAB_DIR/holder.log")"
	lab_wait 10 sh -c "[ \"\$(readlink /proc/$LAB_HOLDER/exe)\" = \"$(readlink -f "$(command -v sleep)")\" ]" ||
		lab_die "holder pid $LAB_HOLDER is not the sleep process"
}

lab_libvirtd_pid() { cat "$LAB_RUN/libvirt/lab-libvirtd.pid" 2>/dev/null; }

lab_libvirtd_start() {
	rm -f "$LAB_RUN/libvirt/lab-libvirtd.pid"
	(cd / && nsenter -t "$LAB_HOLDER" -m -n env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		libvirtd -d -p /run/libvirt/lab-libvirtd.pid -f /etc/libvirt/libvirtd.conf \
		</dev/null >>"$LAB_DIR/libvirtd.out" 2>&1) ||
		lab_die "libvirtd did not start: $(tail -n 5 "$LAB_DIR/libvirtd.out")"
	lab_wait 60 test -S "$LAB_RUN/libvirt/libvirt-sock" ||
		lab_die "libvirtd socket did not appear: $(tail -n 5 "$LAB_ROOT/var/log/libvirt/libvirtd.log")"
	lab_wait 60 lab_virsh version ||
		lab_die "libvirtd does not answer: $(tail -n 5 "$LAB_ROOT/var/log/libvirt/libvirtd.log")"
	LAB_LIBVIRTD=$(lab_libvirtd_pid)
	[ -n "$LAB_LIBVIRTD" ] || lab_die "libvirtd wrote no pid file"
}

lab_libvirtd_stop() {
	local pid
	pid=$(lab_libvirtd_pid)
	[ -n "$pid" ] || return 0
	lab_kill_pids "$pid"
	rm -f "$LAB_RUN/libvirt/lab-libvirtd.pid"
	LAB_LIBVIRTD=
}

# Hooks are read only when libvirtd starts.
lab_libvirtd_restart() {
	lab_libvirtd_stop
	lab_libvirtd_start
}

# qemu pids that libvirt recorded in its pid files.
# One pid per line: libvirt's pid files have no trailing newline, so a plain
# cat of several glued them into one number that matched no process.
lab_qemu_pids() {
	local f
	for f in "$LAB_RUN"/libvirt/qemu/*.pid; do
		[ -s "$f" ] && printf '%s\n' "$(cat "$f")"
	done
	return 0
}

lab_destroy_all() {
	local d
	for d in $(lab_virsh list --name 2>/dev/null); do
		timeout 60 virsh -q -c "qemu:///system?socket=$LAB_RUN/libvirt/libvirt-sock" destroy "$d" >/dev/null 2>&1 || true
	done
}

# The whole lab: network, private trees, holder and libvirtd.
lab_up() { # SHAPE
	lab_net_up "$1"
	lab_libvirt_tree
	lab_holder_up
	# Teardown order (reverse): destroy domains (the hook's release runs),
	# stop libvirtd, end any qemu it left, then everything else in the pod.
	lab_defer "$(printf "LAB_RUN='%s'; LAB_DIR='%s'; lab_destroy_all; lab_libvirtd_stop; lab_kill_pids \$(lab_qemu_pids)" "$LAB_RUN" "$LAB_DIR")"
	lab_libvirtd_start
	lab_log "up: shape=$LAB_SHAPE pod=$LAB_POD node=$LAB_NODE libvirtd=$LAB_LIBVIRTD dir=$LAB_DIR"
}

# Tear down everything made so far (the same as the trap does).
lab_down() {
	lab_cleanup
	mkdir -p "$LAB_TOP"
	lab_defer "rm -rf '$LAB_TOP'"
}

# The pod's network for a before/after diff: the one definition that every
# exact-restore test shares (tests/lib/snapshot.sh), once settled.
lab_pod_snapshot() { pod_snapshot "$LAB_POD"; }

# Informational only (may change legitimately): neighbours the kernel learns.
lab_pod_snapshot_extra() {
	ip -n "$LAB_POD" neigh show
	ip -n "$LAB_POD" -6 neigh show
}

# A TCG domain with direct kernel boot, one tagged bridge interface and a
# serial console written to a file (tests/lib/domain_xml.sh).
lab_domain_xml() { # NAME KERNEL INITRD SERIALFILE [VM_MAC] [BRIDGE] [POD_IFACE]
	test_domain_xml "$1" "" "${5:-$LAB_VM_MAC}" "${7:-eth0}" "${6:-pn-eth0}" \
		"$2" "$3" "$4"
}
