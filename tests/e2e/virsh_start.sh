#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End to end: a real libvirtd inside a pod namespace runs podnet as its qemu
# hook; `virsh start` boots a TCG guest whose DHCP client must get exactly the
# pod's network, the node must reach the guest at the pod IP, the guest must
# reach the node, and after `virsh destroy` the pod's network must be exactly
# as before (lv_pod_snapshot: links, addresses, routes and rules of both
# families in all tables, permanent neighbours), with no podnet process or
# state left. Runs on pods shaped as real CNIs make them (tests/lib/cni.sh):
# the real bridge, ptp and macvlan (passthru) plugins, and Calico, Cilium and
# AWS VPC CNI as their sources write them; and the shapes podnet must refuse
# (macvlan in bridge mode, ipvlan where the kernel has it) as `virsh start`
# shows it. On
# E2E_FULL_SHAPE also: a refused start, a start that fails after prepare,
# libvirtd restarts, and `virsh start` times with podnet against a no-op hook
# (reporting only, never a threshold).
#
#   tests/e2e/virsh_start.sh        (root; PODNET_HOOK defaults to build/podnet)
# Env: E2E_SHAPES="bridge ptp calico cilium aws macvlan-passthru
#      macvlan-bridge ipvlan", E2E_FULL_SHAPE=bridge,
#      E2E_BENCH_ROUNDS=3 (0: skip), E2E_BENCH_STARTS=2 (timed starts per
#      round, after one warm-up).
set -eu

cd "$(dirname "$0")/../.."
# shellcheck source=tests/lib/guest.sh
. tests/lib/guest.sh
# shellcheck source=tests/lib/assert.sh
. tests/lib/assert.sh
# shellcheck source=tests/lib/libvirt_lab.sh
. tests/lib/libvirt_lab.sh

E2E_SHAPES=${E2E_SHAPES:-bridge ptp calico cilium aws macvlan-passthru macvlan-bridge ipvlan}
# The shape that also gets the failed starts, the libvirtd restarts and the bench.
E2E_FULL_SHAPE=${E2E_FULL_SHAPE:-bridge}
E2E_BENCH_ROUNDS=${E2E_BENCH_ROUNDS:-3}
E2E_BENCH_STARTS=${E2E_BENCH_STARTS:-2}
DOMAIN=vm1

lv_begin

t=$(lv_now_ms)
guest_build || die "guest build"
note "guest image ready in $(($(lv_now_ms) - t)) ms (kernel $(cat "$GUEST_DIR/kernel-version"))"

lv_init

# --- helpers over the guest's serial console --------------------------------
serial_line() { # FILE TAG: the last line with TAG, without CR
	grep -a "$2" "$1" 2>/dev/null | tail -n 1 | tr -d '\r'
}
field() { # LINE KEY
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# pid and start time of the responder as the state record gives them.
responder_of() { # STATEFILE -> "PID STARTTIME"
	awk '$1 == "responder" { print $2, $3; exit }
	     /^responder_pid=/ { sub(/^responder_pid=/, ""); print $0; exit }' "$1" 2>/dev/null
}
proc_starttime() { # PID (field 22 of /proc/PID/stat)
	sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $20 }'
}
proc_alive_as() { # PID [STARTTIME]: alive (not a zombie) and the same process
	[ -n "$1" ] && [ -e "/proc/$1" ] || return 1
	[ "$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" != Z ] || return 1
	[ -z "${2:-}" ] || [ "$(proc_starttime "$1")" = "$2" ]
}
in_pod_netns() { # PID
	[ "$(stat -L -c %i "/proc/$1/ns/net" 2>/dev/null)" = "$(lv_ns_inode "$LV_POD")" ]
}

# (dynamic scope: rpid and rstart of the running journey)
responder_running() { proc_alive_as "$rpid" "$rstart" && in_pod_netns "$rpid"; }
responder_gone() { ! proc_alive_as "$rpid" "$rstart"; }

node_reaches_pod() { lv_node busybox ping -c 1 -W 1 "$LV_POD_IP" >/dev/null 2>&1; }

dump_debug() {
	note "--- serial console (tail)"
	tail -n 30 "$SERIAL" 2>/dev/null | tr -d '\r' | sed 's/^/#   /'
	note "--- libvirtd log (errors)"
	grep -a ' error : ' "$LV_ROOT/var/log/libvirt/libvirtd.log" 2>/dev/null | tail -n 10 | sed 's/^/#   /'
	note "--- pod network now"
	ip -n "$LV_POD" -d addr 2>/dev/null | sed 's/^/#   /'
	ip -n "$LV_POD" route show table all 2>/dev/null | sed 's/^/#   /'
	ip -n "$LV_POD" neigh show 2>/dev/null | sed 's/^/#   /'
	note "--- node routes and neighbours now"
	ip -n "$LV_NODE" route show 2>/dev/null | sed 's/^/#   /'
	ip -n "$LV_NODE" neigh show 2>/dev/null | sed 's/^/#   /'
}

# --- what the guest must have applied ------------------------------------
# The routes a client that applies option 121 in order ends with (busybox
# `ip -4 route show`, one per line, sorted): each entry's route (on-link ones
# scope link), plus the kernel's prefix route when the mask is below 32;
# option 3's default only without option 121.
ip_net() { # IP MASKLEN -> the network address
	local a b c d n=$2 m
	IFS=. read -r a b c d <<<"$1"
	m=$(((0xffffffff << (32 - n)) & 0xffffffff))
	n=$(((a << 24 | b << 16 | c << 8 | d) & m))
	echo "$((n >> 24 & 255)).$((n >> 16 & 255)).$((n >> 8 & 255)).$((n & 255))"
}
want_guest_routes() { # IP MASK ROUTER STATICROUTES
	local dst
	{
		[ "$2" = 32 ] || echo "$(ip_net "$1" "$2")/$2 dev eth0 scope link src $1"
		if [ -n "$4" ]; then
			# shellcheck disable=SC2086
			set -- $4
			while [ $# -ge 2 ]; do
				dst=${1%/32}
				[ "$dst" != 0.0.0.0/0 ] || dst=default
				if [ "$2" = 0.0.0.0 ]; then
					echo "$dst dev eth0 scope link"
				else
					echo "$dst via $2 dev eth0"
				fi
				shift 2
			done
		elif [ -n "$3" ]; then
			echo "default via $3 dev eth0"
		fi
	} | sort
}
want_applied() { # STATICROUTES -> DST>GW|on-link>ok;...
	local out=
	# shellcheck disable=SC2086
	set -- $1
	while [ $# -ge 2 ]; do
		if [ "$2" = 0.0.0.0 ]; then out="$out;$1>on-link>ok"; else out="$out;$1>$2>ok"; fi
		shift 2
	done
	echo "${out#;}"
}
guest_routes() { # the PODNET-NET routes field, one per line, sorted
	echo "$1" | tr ';' '\n' | tr ',' ' ' | sed -E 's/ +/ /g; s/^ //; s/ $//; /^$/d' | sort
}

# --- one journey: start, lease, reach, destroy, restored ----------------------
journey() { # SHAPE
	local shape=$1 before after t0 xml state resp rpid rstart lease net routes
	local want_routes want_mtu ping reached
	echo "# === shape: $shape"
	if ! cni_kernel_can "$shape" 2>/dev/null; then
		note "note: skipping $shape: $(cni_kernel_can "$shape" 2>&1)"
		return 0
	fi
	lv_up "$shape"
	if [ -n "$CNI_WANT_REFUSAL" ]; then
		refused_shape "$shape"
		lv_down
		return 0
	fi
	SERIAL=$LV_DIR/serial-$shape.log
	# What this pod's CNI shape must give the VM (cni.sh).
	want_routes=$CNI_WANT_ROUTES want_mtu=$CNI_WANT_MTU
	note "$shape pod: $(ip -n "$LV_POD" -4 -o addr show dev eth0 | awk '{ print $4 }'); $(ip -n "$LV_POD" -4 route show | paste -sd';'); node side $LV_NODE_POD_IF $LV_NODE_POD_MAC; node ip $LV_NODE_IP"

	# The node has talked to the pod before (as kubelet would): its neighbour
	# cache holds the pod interface's MAC for the pod IP.
	check "$shape: node reaches the pod before start" lv_wait 20 node_reaches_pod

	before=$LV_DIR/before-$shape
	lv_pod_snapshot >"$before"
	lv_pod_snapshot_extra >"$before.extra"

	xml=$LV_DIR/$DOMAIN.xml
	lv_domain_xml "$DOMAIN" "$GUEST_DIR/vmlinuz" "$GUEST_DIR/initrd.gz" "$SERIAL" >"$xml"
	t0=$(lv_now_ms)
	if ! lv_start "$shape: virsh start" "$xml" "$DOMAIN"; then
		dump_debug
		lv_down
		return 0
	fi

	# State record and responder, while the domain runs.
	state=$(find "$LV_RUN/podnet" -maxdepth 1 -name '*.state' | head -n 1)
	check "$shape: state record written in /run/podnet" test -n "$state"
	resp=$(responder_of "$state")
	rpid=${resp%% *} rstart=
	[ "$rpid" = "$resp" ] || rstart=${resp#* }
	check "$shape: responder pid $rpid from the state record is alive in the pod" \
		responder_running
	[ -z "$rpid" ] || note "responder: $(ps -o user=,args= -p "$rpid" 2>/dev/null)"

	if lv_wait 180 grep -aq PODNET-LEASE "$SERIAL"; then
		ok "$shape: guest got a lease ($(($(lv_now_ms) - t0)) ms after virsh start)"
	else
		bad "$shape: no PODNET-LEASE on the serial console within 180 s"
		dump_debug
	fi
	if lv_wait 180 grep -aq PODNET-READY "$SERIAL"; then
		ok "$shape: guest applied the lease and serves HTTP"
	else
		bad "$shape: no PODNET-READY within 180 s"
	fi
	lease=$(serial_line "$SERIAL" PODNET-LEASE)
	routes=$(serial_line "$SERIAL" PODNET-ROUTES)
	net=$(serial_line "$SERIAL" PODNET-NET)
	note "$lease"
	note "$routes"
	note "$net"
	check "$shape: lease ip" eq "$(field "$lease" ip)" "$LV_POD_IP"
	check "$shape: lease mask" eq "$(field "$lease" mask)" "$CNI_WANT_MASK"
	check "$shape: lease router" eq "$(field "$lease" router)" "$CNI_WANT_ROUTER"
	check "$shape: lease staticroutes (option 121, in order)" \
		eq "$(field "$lease" staticroutes)" "$(echo "$want_routes" | tr ' ' ',')"
	check "$shape: lease mtu" eq "$(field "$lease" mtu)" "$want_mtu"
	check "$shape: lease dns" eq "$(field "$lease" dns)" "$(echo "$LV_DNS" | tr ' ' ',')"
	check "$shape: lease search" eq "$(field "$lease" search)" "$(echo "$LV_SEARCH" | tr ' ' ',')"
	check "$shape: lease hostname" eq "$(field "$lease" hostname)" "$DOMAIN"
	check "$shape: guest applied every option 121 route, in order" \
		eq "$(field "$routes" applied)" "$(want_applied "$(field "$lease" staticroutes | tr ',' ' ')")"
	check "$shape: guest address applied" eq "$(field "$net" addr)" "$LV_POD_IP/$CNI_WANT_MASK"
	check "$shape: guest mtu applied" eq "$(field "$net" mtu)" "$want_mtu"
	check "$shape: guest routes are the pod's" same_lines "$(guest_routes "$(field "$net" routes)")" \
		"$(want_guest_routes "$LV_POD_IP" "$CNI_WANT_MASK" "$CNI_WANT_ROUTER" "$want_routes")"

	# The node reaches the VM at the pod IP, at once (the node's neighbour
	# cache must have been told about the VM), else within a minute.
	t0=$(lv_now_ms)
	reached=1
	if lv_node curl -sS --max-time 10 "http://$LV_POD_IP:8080/" 2>&1 | grep -q 'hello from podnet guest'; then
		ok "$shape: node reaches the VM at the pod IP (curl, $(($(lv_now_ms) - t0)) ms)"
	elif lv_wait 60 sh -c "ip netns exec $LV_NODE curl -s --max-time 5 http://$LV_POD_IP:8080/ | grep -q 'hello from podnet guest'"; then
		bad "$shape: node reaches the VM only after $(($(lv_now_ms) - t0)) ms (stale neighbour entry: no gratuitous ARP for the VM?)"
	else
		bad "$shape: node cannot reach the VM at the pod IP"
		reached=0
		dump_debug
	fi

	# The guest reaches the node through the pod's gateway (for aws only
	# the responder's ARP answer for 169.254.1.1 gets it there): on request
	# it pings the node's address and shows its ARP cache, where the gateway
	# must resolve to the node's side of the pod (the MAC the pod's own
	# gateway resolves to).
	if [ "$reached" = 1 ]; then
		ping=$(lv_node curl -sS --max-time 60 "http://$LV_POD_IP:8080/cgi-bin/ping?$LV_NODE_IP" 2>&1 |
			grep -a PODNET-PING | tr -d '\r')
		note "${ping:-no answer from /cgi-bin/ping in the guest}"
		check "$shape: guest reaches the node at $LV_NODE_IP (ping)" eq "$(field "$ping" ok)" yes
		check "$shape: guest resolves its gateway $LV_GW to the node's $LV_NODE_POD_IF ($LV_NODE_POD_MAC)" \
			has ",$(field "$ping" arp)," ",$LV_GW@$LV_NODE_POD_MAC,"
	else
		bad "$shape: guest reaches the node at $LV_NODE_IP: not measured (the node cannot reach the VM to ask it)"
	fi

	# Pin what the node just learnt (the VM's MAC for the pod IP) as freshly
	# REACHABLE, so that only an announcement from the pod interface after
	# release (not neighbour-cache timing luck) makes the next check pass at once.
	ip -n "$LV_NODE" neigh replace "$LV_POD_IP" lladdr "$LV_VM_MAC" dev "$LV_NODE_POD_IF" nud reachable

	t0=$(lv_now_ms)
	check "$shape: virsh destroy" lv_virsh destroy "$DOMAIN"
	note "virsh destroy took $(($(lv_now_ms) - t0)) ms"

	lv_expect_pod_as "$shape: pod network restored exactly" \
		"$shape: pod network differs after destroy" "$shape" "$before"
	after=$LV_DIR/after-$shape
	lv_pod_snapshot_extra >"$after.extra"
	diff -u "$before.extra" "$after.extra" >"$after.extra.diff" ||
		{ note "informational (IPv6, neighbours) changed:"; sed 's/^/#   /' "$after.extra.diff"; }

	if responder_gone; then
		ok "$shape: responder $rpid is gone when release returns"
	elif lv_wait 10 responder_gone; then
		ok "$shape: responder $rpid is gone"
		note "the responder was still alive when virsh destroy returned (release does not wait for it to end)"
	else
		bad "$shape: responder $rpid still runs 10 s after virsh destroy"
	fi
	# Every process in the pod's network namespace now: only ours.
	lv_expect_pod_idle "$shape"

	# The node reaches the pod interface again (announced again after release).
	t0=$(lv_now_ms)
	if lv_wait 10 node_reaches_pod; then
		ok "$shape: node reaches the pod again after destroy ($(($(lv_now_ms) - t0)) ms)"
	elif lv_wait 60 node_reaches_pod; then
		bad "$shape: node reaches the pod only after $(($(lv_now_ms) - t0)) ms (stale neighbour entry: pod not announced after release?)"
	else
		bad "$shape: node cannot reach the pod after destroy"
	fi

	[ "$shape" != "$E2E_FULL_SHAPE" ] || failed_starts "$shape" "$before"
	[ "$shape" != "$E2E_FULL_SHAPE" ] || [ "$E2E_BENCH_ROUNDS" = 0 ] || bench "$before"
	lv_down
}

one_podnet_line() { # TEXT: one line, podnet's
	if [ "$(printf '%s\n' "$1" | wc -l)" = 1 ] && [ "${1#podnet: }" != "$1" ]; then
		return 0
	fi
	echo "#   not one podnet line: '$1'"
	return 1
}

# --- a pod interface podnet cannot use: refused at prepare, as the user sees it
refused_shape() { # SHAPE
	local shape=$1 before=$LV_DIR/before-$1 xml=$LV_DIR/$DOMAIN.xml err line
	lv_pod_snapshot >"$before"
	lv_domain_xml "$DOMAIN" "$GUEST_DIR/vmlinuz" "$GUEST_DIR/initrd.gz" \
		"$LV_DIR/serial-$shape.log" >"$xml"
	lv_virsh define "$xml" >/dev/null
	if err=$(lv_virsh start "$DOMAIN" 2>&1); then
		bad "$shape: virsh start of a domain on a $shape pod interface succeeded (want refused: $CNI_WANT_REFUSAL)"
		lv_virsh destroy "$DOMAIN" >/dev/null 2>&1 || true
	else
		note "virsh start error: $err"
		# libvirt appends the hook's whole stderr after "exit status 1: ".
		line=${err#*unexpected exit status 1: }
		check "$shape: refused at prepare with podnet's line ($CNI_WANT_REFUSAL)" \
			has "$line" "$CNI_WANT_REFUSAL"
		check "$shape: the hook printed exactly one line" one_podnet_line "$line"
	fi
	pod_clean "$shape" "refused start" "$before"
	lv_virsh undefine "$DOMAIN" >/dev/null 2>&1 || true
}

# --- starts that fail: podnet's refusal, and a failure after prepare ---------
pod_clean() { # SHAPE WHAT BEFORE: pod exact, no state, nothing but libvirtd
	lv_expect_pod_as "$1: $2: pod network unchanged" "$1: $2: pod network differs" "$2" "$3"
	lv_expect_pod_idle "$1: $2"
}

failed_starts() { # SHAPE BEFORE
	local shape=$1 before=$2 xml=$LV_DIR/refused.xml err
	# podnet refuses: the user sees its one line in the virsh start error.
	lv_domain_xml vm-refused "$GUEST_DIR/vmlinuz" "$GUEST_DIR/initrd.gz" \
		"$LV_DIR/serial-refused.log" "$LV_VM_MAC" pn-eth0 nosuch0 >"$xml"
	lv_virsh define "$xml" >/dev/null
	if err=$(lv_virsh start vm-refused 2>&1); then
		bad "$shape: a tag naming a missing pod interface started"
		lv_virsh destroy vm-refused >/dev/null 2>&1 || true
	else
		note "virsh start error: $err"
		check "$shape: virsh start shows podnet's line" has "$err" \
			"podnet: domain 'vm-refused': interface 'nosuch0': not found in the pod"
	fi
	pod_clean "$shape" "refused start" "$before"
	lv_virsh undefine vm-refused >/dev/null 2>&1 || true

	# prepare succeeds, then qemu cannot start (no such kernel): libvirt
	# calls stopped and release, which must leave the pod as it was.
	xml=$LV_DIR/nokernel.xml
	lv_domain_xml vm-nokernel /nonexistent/vmlinuz "$GUEST_DIR/initrd.gz" \
		"$LV_DIR/serial-nokernel.log" >"$xml"
	lv_virsh define "$xml" >/dev/null
	if lv_virsh start vm-nokernel >/dev/null 2>&1; then
		bad "$shape: a domain with a missing kernel started"
		lv_virsh destroy vm-nokernel >/dev/null 2>&1 || true
	else
		ok "$shape: virsh start of a domain without its kernel fails"
	fi
	pod_clean "$shape" "start failed after prepare" "$before"
	lv_virsh undefine vm-nokernel >/dev/null 2>&1 || true
	restart_libvirtd "$shape" "$before"
}

# libvirtd restarts while the domain runs: the responder survives it
# (reconnect checks it); one killed meanwhile is restarted by reconnect;
# a destroy after the restart still ends it and restores the pod.
restart_libvirtd() { # SHAPE BEFORE
	local shape=$1 before=$2 state resp rpid rstart first
	lv_virsh start "$DOMAIN" >/dev/null || { bad "$shape: restart: virsh start"; return 0; }
	state=$(find "$LV_RUN/podnet" -maxdepth 1 -name '*.state' | head -n 1)
	resp=$(responder_of "$state")
	rpid=${resp%% *} rstart=${resp#* }
	first=$rpid
	lv_libvirtd_restart
	check "$shape: libvirtd restarted: domain still running" \
		sh -c "$(printf '%q ' virsh -q -c "qemu:///system?socket=$LV_RUN/libvirt/libvirt-sock") domstate $DOMAIN | grep -q running"
	check "$shape: libvirtd restarted: the same responder $rpid still serves" responder_running
	kill -9 "$rpid" 2>/dev/null
	lv_wait 10 responder_gone || true
	lv_libvirtd_restart
	# libvirtd runs the reconnect hook in a thread of its own after it
	# answers on its socket: poll (bounded) for the record to change.
	lv_wait 60 sh -c "awk '\$1 == \"responder\" { print \$2 }' '$state' | grep -qvx '$first'" || true
	resp=$(responder_of "$state")
	rpid=${resp%% *} rstart=${resp#* }
	check "$shape: reconnect started a new responder ($first killed, now $rpid)" \
		sh -c "[ '$rpid' != '$first' ]"
	check "$shape: the new responder $rpid is alive in the pod" responder_running
	check "$shape: virsh destroy after the libvirtd restarts" lv_virsh destroy "$DOMAIN"
	lv_wait 10 responder_gone || true
	check "$shape: responder $rpid gone after destroy" responder_gone
	pod_clean "$shape" "libvirtd restarts, then destroy" "$before"
}

# --- virsh start: podnet versus a no-op hook (reporting only) ----------------
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

bench_cycle() { # prints the ms `virsh start` took, or nothing on failure
	local t0 dt
	t0=$(lv_now_ms)
	if lv_virsh start "$DOMAIN" >/dev/null 2>"$LV_DIR/bench.err"; then
		dt=$(($(lv_now_ms) - t0))
		echo "$dt"
	else
		echo "# bench: virsh start failed: $(cat "$LV_DIR/bench.err")" >&2
	fi
	lv_virsh destroy "$DOMAIN" >/dev/null 2>&1 || true
}

# One round: install the hook, restart libvirtd (it reads hooks only at
# start), one untimed warm-up start, then E2E_BENCH_STARTS timed starts.
bench_round() { # podnet|noop -> prints the times in ms
	local kind=$1 i
	if [ "$kind" = noop ]; then
		lv_install_hook "$LV_DIR/noop-hook"
		# With a no-op hook the bridge must already exist.
		ip -n "$LV_POD" link add pn-eth0 type bridge
		ip -n "$LV_POD" link set pn-eth0 up
	else
		lv_install_hook "$PODNET_HOOK"
	fi
	lv_libvirtd_restart
	bench_cycle >/dev/null
	for i in $(seq 1 "$E2E_BENCH_STARTS"); do
		bench_cycle
	done
	[ "$kind" != noop ] || ip -n "$LV_POD" link del pn-eth0
}

bench() { # BEFORE_SNAPSHOT
	local r a b pod_ms="" noop_ms="" mp mn
	printf '#!/bin/sh\nexit 0\n' >"$LV_DIR/noop-hook"
	chmod 0755 "$LV_DIR/noop-hook"
	for r in $(seq 1 "$E2E_BENCH_ROUNDS"); do
		a=$(bench_round noop | paste -sd' ')
		b=$(bench_round podnet | paste -sd' ')
		note "bench round $r: no-op hook ${a:-failed} ms, podnet ${b:-failed} ms"
		noop_ms="$noop_ms $a" pod_ms="$pod_ms $b"
	done
	lv_install_hook "$PODNET_HOOK"
	lv_libvirtd_restart
	mp=$(echo "$pod_ms" | tr ' ' '\n' | sed '/^$/d' | median)
	mn=$(echo "$noop_ms" | tr ' ' '\n' | sed '/^$/d' | median)
	note "virsh start median over $E2E_BENCH_ROUNDS alternating rounds of $E2E_BENCH_STARTS starts: podnet $mp ms, no-op hook $mn ms (difference $((mp - mn)) ms; load average $(cut -d' ' -f1-3 /proc/loadavg): noise is large on a busy 2-core machine)"
	lv_pod_snapshot >"$LV_DIR/after-bench"
	if diff -u "$1" "$LV_DIR/after-bench" >"$LV_DIR/after-bench.diff"; then
		ok "bench: pod network restored after $((E2E_BENCH_ROUNDS * (E2E_BENCH_STARTS + 1))) quick podnet start/destroy cycles"
	else
		bad "bench: pod network differs after quick podnet start/destroy cycles"
		sed 's/^/#   /' "$LV_DIR/after-bench.diff"
	fi
	check "bench: no state left in /run/podnet" test -z "$(ls -A "$LV_RUN/podnet")"
}

for s in $E2E_SHAPES; do
	journey "$s"
done

assert_exit "e2e virsh_start"
