# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Pods made by tests/lib/cni.sh inside the netns.sh lab, and what a fake VM
# configured by a real DHCP client must show: the address and mask, exactly
# the routes the lease's option 121 gives (plus the prefix route of a mask
# below 32), the MTU (on the link or on every route), and reachability of the
# node (ping from the VM; TCP from the node to a server in the VM at the pod
# IP). Sourced after netns.sh; the same safety rules hold.

# shape_can SHAPE - true if this kernel can make SHAPE; else one note line.
shape_can()
{
	local why
	if why=$(cni_kernel_can "$1" 2>&1); then
		return 0
	fi
	log "note: shape $1 not run: $why"
	return 1
}

# shape_pod SHAPE - lab_pod SHAPE (made by cni.sh: CNI_* set), SHAPE set,
# and what the VM must get from it.
shape_pod()
{
	lab_pod "$1"
	SHAPE=$1
	log "shape $SHAPE: pod $CNI_POD_IP mac $CNI_POD_MAC," \
		"node $CNI_NODE_IP via $CNI_HOST_IF; want mask $CNI_WANT_MASK" \
		"router $CNI_WANT_ROUTER routes '$CNI_WANT_ROUTES' mtu $CNI_WANT_MTU"
	ip -n "$POD" -4 -d route show table all | sed "s/^/pod[$SHAPE] route: /"
}

# prefix_to_mask LEN - 24 -> 255.255.255.0
prefix_to_mask()
{
	local len=$1 i out= o
	for i in 1 2 3 4; do
		if [ "$len" -ge 8 ]; then
			o=255
			len=$((len - 8))
		else
			o=$((256 - (1 << (8 - len))))
			[ "$len" -gt 0 ] || o=0
			len=0
		fi
		out=$out${out:+.}$o
	done
	echo "$out"
}

# routes_rfc3442 "DST/LEN GW ..." - the same routes as RFC 3442 bytes (the
# form dhclient's new_rfc3442_classless_static_routes has).
routes_rfc3442()
{
	local dst len n i out= s
	local -a oct
	# shellcheck disable=SC2086
	set -- $1
	while [ $# -ge 2 ]; do
		dst=${1%/*}
		len=${1#*/}
		n=$(((len + 7) / 8))
		IFS=. read -r -a oct <<<"$dst"
		s=$len
		for ((i = 0; i < n; i++)); do
			s="$s ${oct[i]}"
		done
		s="$s ${2//./ }"
		out=$out${out:+ }$s
		shift 2
	done
	echo "$out"
}

# routes_pairs_comma "DST GW ..." - "DST,GW DST,GW" (networkd's lease file).
routes_pairs_comma()
{
	local out=
	# shellcheck disable=SC2086
	set -- $1
	while [ $# -ge 2 ]; do
		out="$out${out:+ }$1,$2"
		shift 2
	done
	echo "$out"
}

# vm_routes_norm - the VM's IPv4 main-table routes on eth0 as "DST GW SCOPE"
# lines (DST with its length, GW 0.0.0.0 when none), sorted; route MTUs go
# to $TEST_DIR/vm.route-mtus ("DST MTU", "-" when none).
vm_routes_norm()
{
	ip -n "$VM" -4 route show table main | awk -v mtus="$TEST_DIR/vm.route-mtus" '
		BEGIN { printf "" >mtus }
		{
			dst = $1; gw = "0.0.0.0"; scope = "global"; mtu = "-"; dev = ""
			if (dst == "default") dst = "0.0.0.0/0"
			if (dst !~ /\//) dst = dst "/32"
			for (i = 2; i <= NF; i++) {
				if ($i == "via") gw = $(i + 1)
				if ($i == "dev") dev = $(i + 1)
				if ($i == "scope") scope = $(i + 1)
				if ($i == "mtu") { mtu = $(i + 1); if (mtu == "lock") mtu = $(i + 2) }
			}
			if (dev != "eth0") next
			print dst, gw, scope
			print dst, mtu >>mtus
		}' | sort
}

# vm_routes_want - what the VM must have: CNI_WANT_ROUTES (on-link entries
# scope link, the others scope global) and, for a mask below 32, the
# on-link prefix route of the pod's subnet; plus the "DST GW SCOPE" lines in
# VM_ROUTES_EXTRA (routes a client adds by its own rules, e.g. networkd's).
vm_routes_want()
{
	local net
	{
		[ -z "${VM_ROUTES_EXTRA:-}" ] || printf '%s\n' "$VM_ROUTES_EXTRA"
		if [ "$CNI_WANT_MASK" -lt 32 ]; then
			net=$(ip_net "$CNI_POD_IP" "$CNI_WANT_MASK")
			echo "$net/$CNI_WANT_MASK 0.0.0.0 link"
		fi
		# shellcheck disable=SC2086
		set -- $CNI_WANT_ROUTES
		while [ $# -ge 2 ]; do
			if [ "$2" = 0.0.0.0 ]; then
				echo "$1 0.0.0.0 link"
			else
				echo "$1 $2 global"
			fi
			shift 2
		done
	} | sort -u
}

# ip_net IP LEN - the network address of IP/LEN.
ip_net()
{
	local a b c d m n
	IFS=. read -r a b c d <<<"$1"
	n=$(((a << 24) | (b << 16) | (c << 8) | d))
	m=$(((0xffffffff << (32 - $2)) & 0xffffffff))
	[ "$2" != 0 ] || m=0
	n=$((n & m))
	echo "$((n >> 24 & 255)).$((n >> 16 & 255)).$((n >> 8 & 255)).$((n & 255))"
}

# vm_expect_config WHAT - the VM's eth0 as the client configured it: the
# pod IP with the wanted mask, exactly the wanted routes, and the wanted MTU
# as the effective MTU of every route (its own mtu metric, else the link's).
vm_expect_config()
{
	local w=$1 got want linkmtu dst mtu eff n=0 nbad=0
	ip -n "$VM" -4 -d route show table all | grep -v ' table local ' |
		sed "s/^/vm[$w] route: /" || true
	got=$(ip -n "$VM" -4 -o addr show dev eth0 scope global | awk '{print $4}' | xargs)
	expect_eq "$w VM address" "$CNI_POD_IP/$CNI_WANT_MASK" "$got"
	got=$(vm_routes_norm)
	want=$(vm_routes_want)
	if [ "$got" = "$want" ]; then
		ok "$w VM routes = $(echo "$got" | paste -sd ';')"
	else
		bad "$w VM routes: expected '$(echo "$want" | paste -sd ';')'," \
			"got '$(echo "$got" | paste -sd ';')'"
	fi
	linkmtu=$(ip -n "$VM" -o link show dev eth0 | sed -n 's/.* mtu \([0-9]*\) .*/\1/p')
	while read -r dst mtu; do
		n=$((n + 1))
		eff=$mtu
		[ "$eff" != - ] || eff=$linkmtu
		if [ "$eff" != "$CNI_WANT_MTU" ]; then
			bad "$w VM MTU toward $dst: expected $CNI_WANT_MTU, got $eff" \
				"(link $linkmtu, route ${mtu/-/none})"
			nbad=$((nbad + 1))
		fi
	done <"$TEST_DIR/vm.route-mtus"
	if [ "$n" = 0 ]; then
		bad "$w VM has no route on eth0"
	elif [ "$nbad" = 0 ]; then
		ok "$w VM MTU $CNI_WANT_MTU on every route (link $linkmtu," \
			"route MTUs: $(paste -sd ';' "$TEST_DIR/vm.route-mtus"))"
	fi
}

# vm_expect_reach WHAT - the VM pings the node (CNI_NODE_IP); the node
# fetches a page from a busybox httpd in the VM at the pod IP over TCP.
vm_expect_reach()
{
	local w=$1 got i pid tok
	need busybox curl
	if ip netns exec "$VM" busybox ping -c 1 -W 3 "$CNI_NODE_IP" >/dev/null 2>&1; then
		ok "$w VM pings the node at $CNI_NODE_IP"
	else
		bad "$w VM cannot ping the node at $CNI_NODE_IP"
		ip -n "$VM" neigh show | sed "s/^/vm[$w] neigh: /"
	fi
	tok="podnet-$w-$LAB_RUN"
	mkdir -p "$TEST_DIR/www.$LAB_SEQ"
	echo "$tok" >"$TEST_DIR/www.$LAB_SEQ/index.html"
	ip netns exec "$VM" busybox httpd -f -p 8080 -h "$TEST_DIR/www.$LAB_SEQ" &
	pid=$!
	LAB_PIDS+=("$pid")
	# Wait (bounded) until the server listens, then fetch (a few tries).
	for i in $(seq 1 50); do
		[ -z "$(ip netns exec "$VM" ss -Hltn 'sport = :8080')" ] || break
		sleep 0.1
	done
	got=
	for i in 1 2 3; do
		got=$(ip netns exec "$NODE" curl -sS --max-time 3 \
			"http://$CNI_POD_IP:8080/index.html" 2>/dev/null) && break
		sleep 0.2
	done
	expect_eq "$w node fetches from the VM at $CNI_POD_IP over TCP" "$tok" "$got"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}
