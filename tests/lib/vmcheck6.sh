# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2034
# (SC2034: LEASE6_* and V6_* are globals for the sourcing test.)
# Dual-stack and IPv6-only pods (tests/lib/cni.sh shapes bridge-dual,
# calico-dual, bridge-v6only) in the netns.sh lab, and what a fake VM
# configured by a real DHCPv6 client (with the RA handled by the client or
# by the VM's kernel) must show: exactly the pod's global IPv6 addresses on
# its eth0 (none invented by SLAAC), the pod's on-link prefixes, a default
# route via the router (Calico: its fe80::ecee:eeff:feee:eeee gateway;
# subnet: the node's own link-local on the pod's link), the node answering
# a ping and a TCP connection from the VM, the node reaching the VM over TCP
# at the pod's IPv6 address, the VM's neighbour entry for the router
# REACHABLE/STALE/DELAY after its NUD timers (shortened here) ran, and, on
# a dual-stack pod, the IPv4 lease as before. Sourced after netns.sh and
# vmcheck.sh; the same safety rules hold (2001:db8::/32 and fe80::/10 only).
#
# Every expectation is read from the pod itself before prepare (its
# addresses, routes and the node's side of its link), not from the shape's
# name, so that any IPv6 shape cni.sh makes is checked the same way.

# The pod's IPv6 name servers are POD_DNS6 (netns.sh): its resolv.conf,
# DHCPv6 option 23, RDNSS.
V6_SHAPES=${V6_SHAPES:-bridge-dual calico-dual bridge-v6only}
# The VM's NUD timers, short so that the router's entry goes through
# STALE, DELAY and PROBE in seconds (reachable time is random in
# [base/2, 3*base/2]).
V6_NUD_BASE_MS=1000
V6_NUD_RETRANS_MS=300

# v6_pod_resolv NS SHAPE - the pod's resolv.conf: the IPv4 servers (none on
# an IPv6-only pod), the IPv6 ones, the search list.
# shellcheck disable=SC2086 # (one line per server)
v6_pod_resolv()
{
	{
		case $2 in
		*-v6only) ;;
		*) printf 'nameserver %s\n' ${POD_DNS:?} ;;
		esac
		printf 'nameserver %s\n' $POD_DNS6
		echo "search $POD_SEARCH"
	} >"/etc/netns/$1/resolv.conf"
}

# v6_pod SHAPE - shape_pod SHAPE with the dual-stack resolv.conf, then what
# the VM must get, read from the pod (before prepare):
#   V6_ADDRS   the pod's global IPv6 addresses, "ADDR/LEN ..."
#   V6_ONLINK  the pod's on-link IPv6 prefixes (main table, no gateway,
#              shorter than /128, not fe80::/64), "DST/LEN ..."
#   V6_GW      the pod's IPv6 default gateway
#   V6_ROUTER  the VM's router: V6_GW if link-local, else the link-local of
#              the node interface that holds V6_GW
#   V6_NODE    an address of the node for ping and TCP: V6_GW if global,
#              else the node's first global address, else V6_ROUTER%eth0
#   V4_ADDR    the pod's IPv4 address/len ("" on an IPv6-only pod)
#   V4_NODE    the node's IPv4 address the VM must reach (CNI_NODE_IP)
v6_pod()
{
	local shape=$1 dev
	shape_pod "$shape"
	v6_pod_resolv "$POD" "$shape"
	# A pod runs a while before its VM starts: the node's addresses on the
	# pod's link (the bridge plugin's gateway on cni0) are out of DAD by
	# then. Right after CNI ADD they are not (a prepare at that moment finds
	# no answering gateway: noted, and it is a finding of its own).
	for _ in $(seq 1 50); do
		[[ $(ip -n "$NODE" -6 -o addr show) != *tentative* ]] && break
		sleep 0.2
	done
	[[ $(ip -n "$NODE" -6 -o addr show) != *tentative* ]] ||
		log "note: $shape: the node still has tentative IPv6 addresses after 10 s"
	ip -n "$POD" -6 addr show dev eth0 | sed "s/^/pod[$shape] ip -6 addr: /"
	ip -n "$POD" -6 route show table all | grep -v '^local \|^multicast \|^anycast ' |
		sed "s/^/pod[$shape] ip -6 route: /" || true
	V6_ADDRS=$(ip -n "$POD" -6 -o addr show dev eth0 scope global | awk '{ print $4 }' | xargs)
	V6_ONLINK=$(ip -n "$POD" -6 route show table main dev eth0 | awk '
		$1 ~ /\// && $1 !~ /^fe80:/ && $1 !~ /\/128$/ && $0 !~ / via / { print $1 }' | xargs)
	V6_GW=$(ip -n "$POD" -6 route show default | sed -n 's/.* via \([^ ]*\) .*/\1/p' | head -n 1)
	case $V6_GW in
	fe80:*) V6_ROUTER=$V6_GW ;;
	"") V6_ROUTER= ;;
	*)
		dev=$(ip -n "$NODE" -6 -o addr show to "$V6_GW/128" | awk '{ print $2 }' | head -n 1)
		V6_ROUTER=
		[ -z "$dev" ] || V6_ROUTER=$(ip -n "$NODE" -6 -o addr show dev "$dev" scope link |
			awk '{ sub(/\/.*/, "", $4); print $4 }' | head -n 1)
		;;
	esac
	case $V6_GW in
	fe80:* | "")
		V6_NODE=$(ip -n "$NODE" -6 -o addr show scope global | awk '{ sub(/\/.*/, "", $4); print $4 }' |
			head -n 1)
		[ -n "$V6_NODE" ] || V6_NODE=$V6_ROUTER%eth0
		;;
	*) V6_NODE=$V6_GW ;;
	esac
	V4_ADDR=$(ip -n "$POD" -4 -o addr show dev eth0 scope global | awk '{ print $4 }' | head -n 1)
	V4_NODE=${CNI_NODE_IP:-}
	log "v6 pod $shape: addresses '$V6_ADDRS', on-link '$V6_ONLINK', gateway '$V6_GW'," \
		"VM router '$V6_ROUTER', node '$V6_NODE'; IPv4 '${V4_ADDR:-none}' node '$V4_NODE'"
	[ -n "$V6_ADDRS" ] || die "$shape: the pod has no global IPv6 address (not an IPv6 shape?)"
	[ -n "$V6_GW" ] || die "$shape: the pod has no IPv6 default route"
	[ -n "$V6_ROUTER" ] || die "$shape: no link-local of the node found for gateway $V6_GW"
}

# v6_prepare WHAT XML - prepare, which must succeed (sets RESPONDER_PID);
# a refusal is a failure of this pod (returns 1), the script goes on.
v6_prepare()
{
	RESPONDER_PID=
	hook_run prepare "$2" prepare begin -
	if [ "$HOOK_RC" != 0 ]; then
		bad "$1: prepare failed (exit $HOOK_RC): $HOOK_ERRTEXT"
		return 1
	fi
	[ ! -s "$HOOK_OUT" ] || bad "$1: prepare: stdout not empty: $(head -c 300 "$HOOK_OUT")"
	[ ! -s "$HOOK_ERR" ] || bad "$1: prepare: stderr not empty: $HOOK_ERRTEXT"
	RESPONDER_PID=$(state_responder_pid)
	[ -n "$RESPONDER_PID" ] && pid_alive "$RESPONDER_PID" ||
		{ bad "$1: prepare: no live responder recorded"; return 1; }
	return 0
}

# v6_vm_sysctls - the fake VM's eth0 before its client starts: IPv6 on,
# kernel RA handling (accept_ra=1; the clients that handle RAs themselves
# turn it off), short NUD timers.
v6_vm_sysctls()
{
	ip netns exec "$VM" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0 \
		net.ipv6.conf.eth0.accept_ra=1
	v6_vm_nud_sysctls
}

# v6_vm_nud_sysctls - short NUD timers on the VM's eth0 (again after the
# client ran: the kernel takes an RA's non-zero timers).
v6_vm_nud_sysctls()
{
	ip netns exec "$VM" sysctl -qw \
		net.ipv6.neigh.eth0.base_reachable_time_ms="$V6_NUD_BASE_MS" \
		net.ipv6.neigh.eth0.retrans_time_ms="$V6_NUD_RETRANS_MS" \
		net.ipv6.neigh.eth0.delay_first_probe_time=1
}

# v6_vm_ready - true once the VM has every pod address (not tentative) and
# a default route via the router.
v6_vm_ready()
{
	local a got
	got=$(ip -n "$VM" -6 -o addr show dev eth0 scope global)
	for a in $V6_ADDRS; do
		[[ $got == *" inet6 ${a%/*}/"* ]] || return 1
	done
	[[ $got != *tentative* ]] || return 1
	[ -n "$(ip -n "$VM" -6 route show default via "$V6_ROUTER" dev eth0)" ]
}

# v6_wait_vm SECONDS - poll (bounded) for v6_vm_ready.
v6_wait_vm()
{
	local i
	for i in $(seq 1 $(($1 * 5))); do
		v6_vm_ready && return 0
		sleep 0.2
	done
	return 1
}

# v6_vm_show WHAT - the VM's IPv6 addresses and routes, in the log.
v6_vm_show()
{
	ip -n "$VM" -6 addr show dev eth0 | sed "s/^/vm[$1] ip -6 addr: /"
	ip -n "$VM" -6 route show | sed "s/^/vm[$1] ip -6 route: /"
	ip -n "$VM" -6 neigh show dev eth0 | sed "s/^/vm[$1] ip -6 neigh: /"
}

# v6_expect_config WHAT - exactly the pod's global addresses on the VM's
# eth0 (no other global one: nothing by SLAAC), each not tentative nor
# dadfailed; each on-link prefix of the pod as a route; the default route
# via the router.
v6_expect_config()
{
	local w=$1 a p got want
	v6_vm_show "$w"
	got=$(ip -n "$VM" -6 -o addr show dev eth0 scope global | awk '{ sub(/\/.*/, "", $4); print $4 }' |
		sort | xargs)
	want=$(for a in $V6_ADDRS; do echo "${a%/*}"; done | sort | xargs)
	expect_eq "$w VM global IPv6 addresses (the pod's, none else)" "$want" "$got"
	got=$(ip -n "$VM" -6 -o addr show dev eth0 scope global)
	[[ $got != *tentative* && $got != *dadfailed* ]] ||
		bad "$w VM address tentative or DAD failed: $got"
	for p in $V6_ONLINK; do
		expect_match "$w VM on-link route $p" "^$p dev eth0 " \
			"$(ip -n "$VM" -6 route show table main | grep -F "$p dev eth0 " | grep -v ' via ' |
				head -n 1 || true)"
	done
	expect_match "$w VM default route via the router $V6_ROUTER" \
		"^default via $V6_ROUTER dev eth0" "$(ip -n "$VM" -6 route show default | head -n 1)"
}

# v6_expect_reach WHAT - the VM pings the node and fetches a page from a
# server on the node over IPv6 TCP; the node fetches from a server in the
# VM at each of the pod's IPv6 addresses.
v6_expect_reach()
{
	local w=$1 tok a got i pid npid url
	need busybox curl
	if ip netns exec "$VM" busybox ping -6 -c 1 -W 3 "$V6_NODE" >/dev/null 2>&1; then
		ok "$w VM pings the node at $V6_NODE"
	else
		bad "$w VM cannot ping the node at $V6_NODE"
	fi
	tok="podnet6-$w-$LAB_RUN"
	mkdir -p "$TEST_DIR/www6.$LAB_SEQ" "$TEST_DIR/www6n.$LAB_SEQ"
	echo "$tok" >"$TEST_DIR/www6.$LAB_SEQ/index.html"
	echo "node-$tok" >"$TEST_DIR/www6n.$LAB_SEQ/index.html"
	# busybox httpd binds [::]: both families.
	ip netns exec "$VM" busybox httpd -f -p 8080 -h "$TEST_DIR/www6.$LAB_SEQ" &
	pid=$!
	ip netns exec "$NODE" busybox httpd -f -p 8081 -h "$TEST_DIR/www6n.$LAB_SEQ" &
	npid=$!
	LAB_PIDS+=("$pid" "$npid")
	for i in $(seq 1 50); do
		[ -z "$(ip netns exec "$VM" ss -Hltn 'sport = :8080')" ] ||
			[ -z "$(ip netns exec "$NODE" ss -Hltn 'sport = :8081')" ] || break
		sleep 0.1
	done
	case $V6_NODE in
	*%*) url="http://[${V6_NODE%%\%*}%25${V6_NODE#*%}]:8081/index.html" ;;
	*) url="http://[$V6_NODE]:8081/index.html" ;;
	esac
	got=
	for i in 1 2 3; do
		got=$(ip netns exec "$VM" curl -sS -g --max-time 3 "$url" 2>/dev/null) && break
		sleep 0.2
	done
	expect_eq "$w VM fetches from the node at $V6_NODE over TCP" "node-$tok" "$got"
	for a in $V6_ADDRS; do
		got=
		for i in 1 2 3; do
			got=$(ip netns exec "$NODE" curl -sS -g --max-time 3 \
				"http://[${a%/*}]:8080/index.html" 2>/dev/null) && break
			sleep 0.2
		done
		expect_eq "$w node fetches from the VM at ${a%/*} over TCP" "$tok" "$got"
	done
	kill "$pid" "$npid" 2>/dev/null || true
	wait "$pid" "$npid" 2>/dev/null || true
}

# v6_router_state - the NUD state of the VM's entry for the router.
v6_router_state()
{
	ip -n "$VM" -6 neigh show "$V6_ROUTER" dev eth0 | awk '{ print $NF }' | head -n 1
}

# v6_expect_nud WHAT - the VM's entry for the router survives its NUD
# timers (base reachable time 1 s here): for 8 s (up to 20 s until the
# entry has been through its timers and back), a ping to the router
# every second (the router's own entry; a subnet pod's node address is
# on-link and would not use it); the entry's state sampled every 0.2 s must go through the
# timers (STALE, DELAY or PROBE seen: reachable time ran out), come back to
# REACHABLE after them (a unicast probe to the router's MAC was answered by
# the real next hop), never be FAILED or INCOMPLETE, and end REACHABLE,
# STALE or DELAY.
v6_expect_nud()
{
	local w=$1 st i seen="" timers=0 confirmed=0
	v6_vm_nud_sysctls
	for i in $(seq 1 100); do
		[ $((i % 5)) != 1 ] ||
			ip netns exec "$VM" busybox ping -6 -I eth0 -c 1 -W 1 "$V6_ROUTER" >/dev/null 2>&1 || true
		st=$(v6_router_state)
		[ "$st" = "${seen##* }" ] || seen="$seen ${st:-none}"
		case $st in
		STALE | DELAY | PROBE) timers=1 ;;
		REACHABLE) [ "$timers" = 0 ] || confirmed=1 ;;
		esac
		# Seen through the timers and back: enough (bounded: 20 s).
		[ "$confirmed" = 0 ] || [ "$i" -lt 40 ] || break
		sleep 0.2
	done
	case $seen in
	*FAILED* | *INCOMPLETE* | *none*)
		bad "$w router $V6_ROUTER neighbour entry failed on the way (states:$seen)"
		return 0
		;;
	esac
	[ "$timers" = 1 ] || bad "$w router $V6_ROUTER: the NUD timers never ran out (states:$seen)"
	[ "$confirmed" = 1 ] || bad "$w router $V6_ROUTER: never REACHABLE again after its timers (states:$seen)"
	case $st in
	REACHABLE | STALE | DELAY)
		ok "$w router $V6_ROUTER neighbour entry after the NUD timers: $st (states:$seen)" ;;
	*) bad "$w router $V6_ROUTER neighbour entry after the NUD timers: '$st' (states:$seen)" ;;
	esac
}

# v6_expect_dns WHAT DNS SEARCH - the client's name servers (any order of
# the pod's IPv6 ones, each once) and search list.
v6_expect_dns()
{
	expect_eq "$1 IPv6 DNS servers" "$(echo "$POD_DNS6" | tr ' ' '\n' | sort | xargs)" \
		"$(echo "$2" | tr ' ,' '\n\n' | sed '/^$/d' | sort -u | xargs)"
	# Each domain once, in order (networkd merges option 15 and 119 of a
	# dual-stack pod's DHCPv4 lease into the same list).
	expect_eq "$1 search list" "$POD_SEARCH" "$(echo "$3" | tr ', ' '\n\n' | sed -E '/^$/d; s/\.$//' |
		awk '!seen[$0]++' | xargs)"
}

# v4_expect WHAT - on a dual-stack pod the VM also has the pod's IPv4
# address, pings the node and the node fetches from it over IPv4 (vmcheck.sh).
v4_expect()
{
	[ -n "$V4_ADDR" ] || return 0
	expect_match "$1 VM IPv4 address" "inet ${V4_ADDR%/*}/" \
		"$(ip -n "$VM" -4 -o addr show dev eth0 scope global)"
	ip -n "$VM" -4 route show | sed "s/^/vm[$1] ip -4 route: /"
	vm_expect_reach "$1 (IPv4)"
}

# dhcp6_lease IFNAME TAG - a DHCPv6 lease for the fake VM's IFNAME by
# dhclient -6 (one exchange; its script records and configures nothing);
# sets LEASE6_ADDR (or "") and LEASE6_FILE.
dhcp6_lease()
{
	local ifn=$1 tag=$2 rec=$TEST_DIR/dhcp6-lease-record.sh ll pid
	need dhclient
	[ -e "$TEST_DIR/dhcp6-lease.conf" ] ||
		printf 'timeout 30;\nretry 1;\nrequest dhcp6.name-servers, dhcp6.domain-search;\n' \
			>"$TEST_DIR/dhcp6-lease.conf"
	client_script "$rec" "$TEST_DIR/dhcp6.$tag.\$reason" reason new_ip6_address \
		new_ip6_prefixlen new_dhcp6_name_servers new_dhcp6_domain_search
	# dhclient -6 needs the link-local out of DAD.
	for _ in $(seq 1 50); do
		ll=$(ip -n "$VM" -6 -o addr show dev "$ifn" scope link)
		[ -z "$ll" ] || [[ $ll == *tentative* ]] || break
		sleep 0.1
	done
	timeout -k 5 60 ip netns exec "$VM" dhclient -6 -1 -cf "$TEST_DIR/dhcp6-lease.conf" \
		-sf "$rec" -lf "$TEST_DIR/dhcp6.$tag.leases" -pf "$TEST_DIR/dhcp6.$tag.pid" "$ifn" \
		>"$TEST_DIR/dhcp6.$tag.log" 2>&1 || true
	if [ -s "$TEST_DIR/dhcp6.$tag.pid" ]; then
		pid=$(cat "$TEST_DIR/dhcp6.$tag.pid")
		kill "$pid" 2>/dev/null || true
		wait_pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
	fi
	LEASE6_FILE=$TEST_DIR/dhcp6.$tag.BOUND6
	LEASE6_ADDR=$(lease_get "$LEASE6_FILE" new_ip6_address 2>/dev/null || true)
}
