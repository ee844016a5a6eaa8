# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2034
# (SC2034: MIG_* results are globals for the sourcing test.)
# The live-migration lab (prefix mig_), on top of tests/lib/libvirt_lab.sh:
# two pods on one node network (the real bridge plugin run in one node
# namespace), each with its own libvirtd in its own mount namespace and its
# own host_uuid, and `virsh migrate --live` from one to the other. While a
# VM runs its pod's address belongs to the VM, so the migration's control
# connection (virsh to each daemon's unix socket) and its data (QEMU to
# QEMU, --migrateuri unix://) go over unix sockets in a folder both mount
# namespaces see, as KubeVirt's node agent proxies them. podnet is installed
# once for both pods: one /run/podnet (LV_PODNET_RUN), as on a real machine.
#
#   . tests/lib/migration_lab.sh; lv_init; mig_pods_up bridge-static IP_SRC IP_DST
#   lv_ctx_use src / dst (libvirt_lab.sh's globals for that pod)
#   mig_migrate DOMAIN [virsh migrate options...]
#
# Safety as in libvirt_lab.sh: only 198.51.100.0/24 (and 2001:db8::/32, fe80::/10)
# inside the namespaces made here; captures and probes run in the node namespace.

MIG_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/lib/libvirt_lab.sh
declare -f lv_up >/dev/null || . "$MIG_REPO/tests/lib/libvirt_lab.sh"
MIG_PY=${MIG_PY:-/usr/bin/python3}
# The guest's echo service (mig_echo_initrd) and where the probe reaches it.
MIG_ECHO_PORT=7007

# mig_pods_up SHAPE SRC_IP DST_IP [SHARED_CNI] - the two pods: "src" made
# with SRC_IP, "dst" with DST_IP on the same node network (same IP: the
# sticky-IP CNIs; another IP: host-local's next address). With SHARED_CNI=1
# both pods use one CNI folder (one host-local store, as one node's pods
# do). Sets MIG_SOCKDIR (the unix sockets' folder) and LV_PODNET_RUN.
mig_pods_up() {
	local shape=$1 cnidir=
	LV_PODNET_RUN=$LV_TOP/podnet-run
	MIG_SOCKDIR=$LV_TOP/mig
	mkdir -p "$LV_PODNET_RUN" "$MIG_SOCKDIR"
	LV_POD_IP=$2
	lv_up "$shape"
	lv_ctx_save src
	[ "${4:-0}" != 1 ] || cnidir=$LV_DIR/cni
	LV_POD_IP=$3
	# Same IPv6 address too: the target pod must not fail DAD against the
	# source pod's (its eth0 inherits the namespace's default).
	# shellcheck disable=SC2016 # ($LV_POD: lv_net_up's, when it runs it)
	[ "$2" != "$3" ] || LV_PRE_CNI='ip netns exec "$LV_POD" sysctl -qw net.ipv6.conf.default.accept_dad=0'
	lv_up "$shape" "$LV_NODE" ${cnidir:+"$cnidir"}
	LV_PRE_CNI=
	if [ "$2" = "$3" ]; then
		# Same IP: until the VM comes, the target pod must not answer for
		# the address the source pod's VM has (OVN-Kubernetes keeps the
		# target port inactive until the VM's RARP; here the pod's kernel
		# answers no ARP). The CNI's job, not podnet's; the bridge plugin's
		# own gratuitous ARP at ADD is forgotten with the node's entry.
		ip netns exec "$LV_POD" sysctl -qw net.ipv4.conf.eth0.arp_ignore=8
		ip -n "$LV_NODE" neigh flush to "$3"
		# IPv6: no NA from the target pod itself (the VM's and the
		# responder's frames are bridged or sent on packet sockets: not
		# this netfilter hook's).
		if [ -n "${CNI_POD_IP6:-}" ]; then
			ip netns exec "$LV_POD" ip6tables -A OUTPUT -o eth0 -p icmpv6 \
				--icmpv6-type neighbour-advertisement -j DROP
			ip -n "$LV_NODE" -6 neigh flush to "$CNI_POD_IP6"
		fi
	fi
	lv_ctx_save dst
	lv_ctx_use src
}

# mig_virsh CTX ARGS... - virsh against CTX's libvirtd (globals untouched).
mig_virsh() {
	local run
	eval "run=\$LVCTX_${1}_LV_RUN"
	shift
	virsh -q -c "qemu:///system?socket=$run/libvirt/libvirt-sock" "$@"
}
mig_sock() { # CTX
	local run
	eval "run=\$LVCTX_${1}_LV_RUN"
	echo "$run/libvirt/libvirt-sock"
}

# mig_migrate FROM TO DOMAIN [OPTIONS...] - a live migration of DOMAIN from
# context FROM to TO; virsh's output in MIG_OUT, its time in MIG_MS.
mig_migrate() {
	local from=$1 to=$2 dom=$3 t0 rc=0
	shift 3
	t0=$(lv_now_ms)
	MIG_OUT=$(timeout 300 virsh -q -c "qemu:///system?socket=$(mig_sock "$from")" \
		migrate --live --unsafe "$@" "$dom" "qemu+unix:///system?socket=$(mig_sock "$to")" \
		--migrateuri "unix://$MIG_SOCKDIR/mig.sock" 2>&1) || rc=$?
	MIG_MS=$(($(lv_now_ms) - t0))
	rm -f "$MIG_SOCKDIR/mig.sock"
	return $rc
}

# mig_echo_initrd BASE OUT - the busybox guest's initrd (BASE) with a second
# cpio archive appended (the kernel unpacks them in turn) that adds the CGI
# /cgi-bin/echo: it starts `nc -ll -p MIG_ECHO_PORT -e cat` (a TCP echo
# service, one cat per connection) once, detached, and says so.
mig_echo_initrd() {
	local work=$LV_TOP/echo-initrd
	mkdir -p "$work/www/cgi-bin"
	cat >"$work/www/cgi-bin/echo" <<-EOF
		#!/bin/sh
		[ -e /tmp/echo-started ] || {
			: >/tmp/echo-started
			setsid nc -ll -p $MIG_ECHO_PORT -e /bin/cat </dev/null >/dev/null 2>&1 &
		}
		printf 'Content-Type: text/plain\\r\\n\\r\\necho on $MIG_ECHO_PORT\\n'
	EOF
	chmod 0755 "$work/www/cgi-bin/echo"
	(cd "$work" && find www | cpio -o -H newc --quiet | gzip -1) >"$work/extra.cpio.gz" ||
		return 1
	cat "$1" "$work/extra.cpio.gz" >"$2"
}

# mig_capture_start NAME IFACE [NETNS] - tcpdump on IFACE in NETNS into
# $LV_TOP/NAME.pcap, until mig_capture_stop NAME. Default NETNS: the node's,
# where IFACE is a pod's veth, and only what the pod sends (-Q in: the node
# floods the other pod's broadcasts into it too, the source VM's among them);
# in a pod, "any" also sees the bridge and tap that come later.
mig_capture_start() {
	local pid dir=
	[ -n "${3:-}" ] || dir="-Q in"
	# shellcheck disable=SC2086 # ($dir: no option or two words)
	ip netns exec "${3:-$LV_NODE}" tcpdump -i "$2" $dir -U -n -w "$LV_TOP/$1.pcap" \
		>"$LV_TOP/$1.tcpdump.log" 2>&1 &
	pid=$!
	eval "MIG_CAP_$1=$pid"
	lv_defer "lv_kill_pids $pid"
	lv_wait 20 grep -q 'listening on' "$LV_TOP/$1.tcpdump.log" ||
		lv_die "tcpdump on $2 did not start: $(cat "$LV_TOP/$1.tcpdump.log")"
}
mig_capture_stop() { # NAME -> the analysis (mig_capture.py) in $LV_TOP/NAME.txt
	local pid
	eval "pid=\${MIG_CAP_$1:-}"
	# tcpdump writes what it has on SIGTERM (with -U each frame already).
	sleep 0.3
	[ -z "$pid" ] || lv_kill_pids "$pid"
	"$MIG_PY" "$MIG_REPO/tests/lib/mig_capture.py" "$LV_TOP/$1.pcap" "$2" "$3" \
		>"$LV_TOP/$1.txt" 2>"$LV_TOP/$1.err" ||
		lv_die "cannot read the capture $1: $(tail -n 3 "$LV_TOP/$1.err")"
}

# mig_probe_start ADDR - mig_probe.py from the node to ADDR (TCP echo and
# pings every 100 ms) until mig_probe_stop, which sets MIG_PROBE (its
# figures line). False if the connection does not open.
mig_probe_start() {
	rm -f "$LV_TOP/probe.stop"
	ip netns exec "$LV_NODE" "$MIG_PY" "$MIG_REPO/tests/lib/mig_probe.py" "$1" "$MIG_ECHO_PORT" \
		"$LV_TOP/probe.stop" 0.1 "$LV_TOP/probe.events" >"$LV_TOP/probe.out" 2>&1 &
	MIG_PROBE_PID=$!
	lv_defer "touch '$LV_TOP/probe.stop'; lv_kill_pids $MIG_PROBE_PID"
	lv_wait 30 grep -q 'probe connected' "$LV_TOP/probe.out"
}
mig_probe_stop() {
	touch "$LV_TOP/probe.stop"
	wait "$MIG_PROBE_PID" 2>/dev/null || true
	MIG_PROBE=$(grep '^probe tcp=' "$LV_TOP/probe.out" || true)
	[ -n "$MIG_PROBE" ] || MIG_PROBE="probe failed: $(tail -n 3 "$LV_TOP/probe.out" | tr '\n' ' ')"
}
# The number of echoes the probe received so far.
mig_probe_echoes() { grep -c '^tcp ' "$LV_TOP/probe.events" 2>/dev/null || true; }
# mig_probe_flows - the probe's TCP connection echoed something within the last 2 s.
mig_probe_flows() {
	local n
	n=$(mig_probe_echoes)
	sleep 2
	[ "$(mig_probe_echoes)" -gt "$n" ]
}

# mig_field LINE KEY - KEY=value's value in a "k=v k=v" line.
mig_field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }

# mig_plain_pod CTX [SERVE_IP VM_MAC] - the same pod as a plain libvirt
# setup without podnet has it (KubeVirt's bridge binding, say): a bridge
# "plainbr" with the pod's eth0 as its port and eth0's IPv4 address gone;
# with SERVE_IP, busybox udhcpd on the bridge gives VM_MAC that address
# (router CNI_ROUTER_IP, a 10-day lease) as such a setup's DHCP server does.
mig_plain_pod() {
	local ns pid conf
	eval "ns=\$LVCTX_${1}_LV_POD"
	ip -n "$ns" -4 addr flush dev eth0
	ip -n "$ns" link add plainbr mtu "$CNI_MTU" type bridge
	ip -n "$ns" link set eth0 master plainbr
	ip -n "$ns" link set plainbr up
	[ -n "${2:-}" ] || return 0
	ip -n "$ns" addr add 169.254.10.1/32 dev plainbr
	conf=$LV_TOP/udhcpd-$1.conf
	cat >"$conf" <<-EOC
		interface plainbr
		start $2
		end $2
		max_leases 1
		lease_file $LV_TOP/udhcpd-$1.leases
		pidfile $LV_TOP/udhcpd-$1.pid
		static_lease $3 $2
		opt subnet 255.255.255.0
		opt router $CNI_ROUTER_IP
		opt lease 864000
	EOC
	: >"$LV_TOP/udhcpd-$1.leases"
	ip netns exec "$ns" busybox udhcpd -f "$conf" >"$LV_TOP/udhcpd-$1.log" 2>&1 &
	pid=$!
	lv_defer "lv_kill_pids $pid"
}
