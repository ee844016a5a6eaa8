#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End to end, IPv6: a real libvirtd inside a dual-stack pod (and an
# IPv6-only one) runs podnet as its qemu hook; `virsh start` boots the TCG
# busybox guest (tests/lib/guest.sh), whose kernel takes the default route
# and on-link prefix from podnet's RA and whose guest_dhcp6 takes the
# address by DHCPv6. Per shape (tests/lib/cni.sh: bridge-dual = the real
# bridge plugin with host-local IPv4 and IPv6 ranges, calico-dual = Calico's
# IPv4 + IPv6 as its CNI writes them, bridge-v6only):
#  - the guest's DHCPv6 address is the pod's IPv6 address, with the pod's
#    IPv6 DNS servers and search list; its default route is via the router
#    (Calico: fe80::ecee:eeff:feee:eeee; subnet: the node's link-local);
#  - the node (which talked to the pod before) reaches the guest over TCP
#    at the pod's IPv6 address, and the guest pings the node over IPv6;
#  - on a dual-stack pod the IPv4 lease is the pod's and the node reaches
#    the guest at the pod's IPv4 address too;
#  - `virsh destroy` restores the pod exactly (lv_pod_snapshot: links,
#    addresses, routes and rules of both families, sysctls), no podnet
#    process or state is left, and the node reaches the pod's IPv6 again.
#
#   tests/e2e/dual_stack.sh   (root; E2E_V6_SHAPES="bridge-dual calico-dual bridge-v6only")
set -eu

cd "$(dirname "$0")/../.."
# shellcheck source=tests/lib/guest.sh
. tests/lib/guest.sh
# shellcheck source=tests/lib/assert.sh
. tests/lib/assert.sh
# shellcheck source=tests/lib/libvirt_lab.sh
. tests/lib/libvirt_lab.sh

E2E_V6_SHAPES=${E2E_V6_SHAPES:-bridge-dual calico-dual bridge-v6only}
DOMAIN=vm1
POD_DNS6="2001:db8:53::53 2001:db8:53::54"

lv_begin
t=$(lv_now_ms)
guest_build || die "guest build"
note "guest image ready in $(($(lv_now_ms) - t)) ms (kernel $(cat "$GUEST_DIR/kernel-version"))"
lv_init

serial_line() { grep -a "$2" "$1" 2>/dev/null | tail -n 1 | tr -d '\r'; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }
responder_pid() { awk '$1 == "responder" { print $2; exit }' "$1" 2>/dev/null; }
pid_alive() { [ -n "$1" ] && [ -e "/proc/$1" ] && [ "$(sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f1)" != Z ]; }
node_pings() { lv_node busybox ping -c 1 -W 1 "$1" >/dev/null 2>&1; }
node_fetch() { # URL: the guest's page
	lv_node curl -sS -g --max-time 10 "$1" 2>/dev/null | grep -q 'hello from podnet guest'
}

dump_debug() {
	note "--- serial console (tail)"
	tail -n 40 "$SERIAL" 2>/dev/null | tr -d '\r' | sed 's/^/#   /'
	note "--- pod now"
	ip -n "$LV_POD" -d addr 2>/dev/null | sed 's/^/#   /'
	ip -n "$LV_POD" -6 route show table all 2>/dev/null | sed 's/^/#   /'
	note "--- node IPv6 routes and neighbours now"
	ip -n "$LV_NODE" -6 route show 2>/dev/null | sed 's/^/#   /'
	ip -n "$LV_NODE" -6 neigh show 2>/dev/null | sed 's/^/#   /'
}

# The pod's IPv6 facts, read from the pod and node (as vmcheck6.sh does):
# POD6 (its first global address), ROUTER6 (the guest's router), NODE6 (a
# node address to ping), POD4 ("" on an IPv6-only pod).
pod_facts() {
	local gw dev
	POD6=$(ip -n "$LV_POD" -6 -o addr show dev eth0 scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
	gw=$(ip -n "$LV_POD" -6 route show default | sed -n 's/.* via \([^ ]*\) .*/\1/p' | head -n 1)
	case $gw in
	fe80:*)
		ROUTER6=$gw
		NODE6=$(ip -n "$LV_NODE" -6 -o addr show scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
		# No global address on the node: the guest pings the router itself.
		[ -n "$NODE6" ] || NODE6=$gw
		;;
	*)
		NODE6=$gw
		dev=$(ip -n "$LV_NODE" -6 -o addr show to "$gw/128" | awk '{ print $2; exit }')
		ROUTER6=$(ip -n "$LV_NODE" -6 -o addr show dev "${dev:-none}" scope link 2>/dev/null |
			awk '{ sub(/\/.*/, "", $4); print $4; exit }')
		;;
	esac
	POD4=$(ip -n "$LV_POD" -4 -o addr show dev eth0 scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
}

journey() { # SHAPE
	local shape=$1 before xml state rpid t0 lease6 net6 lease ping reached=0
	echo "# === shape: $shape"
	lv_up "$shape"
	SERIAL=$LV_DIR/serial-$shape.log
	# The pod's IPv6 name servers (the hook reads the resolv.conf at
	# prepare; appended in place: the pod's mount namespace binds this file).
	printf 'nameserver %s\n' $POD_DNS6 >>"/etc/netns/$LV_POD/resolv.conf"
	pod_facts
	note "$shape pod: $(ip -n "$LV_POD" -o addr show dev eth0 scope global | awk '{ print $4 }' | paste -sd' ');" \
		"$(ip -n "$LV_POD" -6 route show | paste -sd';'); router $ROUTER6, node $NODE6"
	if [ -z "$POD6" ] || [ -z "$ROUTER6" ]; then
		bad "$shape: not an IPv6 pod (address '$POD6', router '$ROUTER6')"
		lv_down
		return 0
	fi
	check "$shape: node reaches the pod's IPv6 $POD6 before start" lv_wait 20 node_pings "$POD6"

	before=$LV_DIR/before-$shape
	lv_pod_snapshot >"$before"
	xml=$LV_DIR/$DOMAIN.xml
	lv_domain_xml "$DOMAIN" "$GUEST_DIR/vmlinuz" "$GUEST_DIR/initrd.gz" "$SERIAL" >"$xml"
	t0=$(lv_now_ms)
	if ! lv_start "$shape: virsh start" "$xml" "$DOMAIN"; then
		dump_debug
		lv_down
		return 0
	fi
	state=$(find "$LV_RUN/podnet" -maxdepth 1 -name '*.state' | head -n 1)
	rpid=$(responder_pid "$state")
	check "$shape: responder $rpid from the record runs" pid_alive "$rpid"

	if lv_wait 240 grep -aq 'PODNET-NET6\|PODNET-DHCP6' "$SERIAL"; then
		ok "$shape: guest's IPv6 client finished ($(($(lv_now_ms) - t0)) ms after virsh start)"
	else
		bad "$shape: no PODNET-NET6 on the serial console within 240 s (no DHCPv6 reply?)"
		dump_debug
	fi
	lease6=$(serial_line "$SERIAL" PODNET-LEASE6)
	net6=$(serial_line "$SERIAL" PODNET-NET6)
	note "$lease6"
	note "$net6"
	[ -z "$(serial_line "$SERIAL" PODNET-DHCP6)" ] || note "$(serial_line "$SERIAL" PODNET-DHCP6)"
	check "$shape: DHCPv6 address is the pod's" eq "$(field "$lease6" addr)" "$POD6"
	check "$shape: DHCPv6 status Success" eq "$(field "$lease6" status)" 0
	check "$shape: DHCPv6 DNS servers" eq "$(field "$lease6" dns)" "$(echo "$POD_DNS6" | tr ' ' ',')"
	check "$shape: DHCPv6 search list" eq "$(field "$lease6" search)" "$(echo "$LV_SEARCH" | tr ' ' ',')"
	check "$shape: guest has the pod's IPv6 address (not tentative)" \
		eq "$(field "$net6" addr)/$(field "$net6" flags)" "$POD6/128/"
	check "$shape: guest's default route is via the router $ROUTER6 (from the RA)" \
		has "$(field "$net6" routes)" "default,via,$ROUTER6,dev,eth0"

	# The node reaches the guest over TCP at the pod's IPv6 address, at
	# once (the unsolicited NA moved its neighbour entry), else in a minute.
	if lv_wait 60 grep -aq PODNET-READY "$SERIAL"; then
		t0=$(lv_now_ms)
		if node_fetch "http://[$POD6]:8080/"; then
			reached=1
			ok "$shape: node reaches the guest over TCP at [$POD6] ($(($(lv_now_ms) - t0)) ms)"
		elif lv_wait 60 node_fetch "http://[$POD6]:8080/"; then
			reached=1
			bad "$shape: node reaches the guest at [$POD6] only after $(($(lv_now_ms) - t0)) ms (stale neighbour entry: no NA for the VM?)"
		else
			bad "$shape: node cannot reach the guest over TCP at [$POD6]"
			dump_debug
		fi
	else
		bad "$shape: no PODNET-READY: the guest serves no HTTP"
	fi
	if [ "$reached" = 1 ] && [ -n "$NODE6" ]; then
		ping=$(lv_node curl -sS -g --max-time 60 "http://[$POD6]:8080/cgi-bin/ping?$NODE6" 2>&1 |
			grep -a PODNET-PING | tr -d '\r')
		note "${ping:-no answer from /cgi-bin/ping}"
		check "$shape: guest pings the node at $NODE6 over IPv6" eq "$(field "$ping" ok)" yes
		check "$shape: guest's neighbour entry for the router $ROUTER6 is not FAILED" \
			sh -c "! echo ',$(field "$ping" neigh6),' | grep -q ',$ROUTER6@[^,]*@\(FAILED\|INCOMPLETE\),'"
	elif [ -z "$NODE6" ]; then
		note "$shape: the node has no global IPv6 address to ping from the guest"
	fi

	if [ -n "$POD4" ]; then
		lease=$(serial_line "$SERIAL" 'PODNET-LEASE ')
		note "$lease"
		check "$shape: IPv4 lease is the pod's address" eq "$(field "$lease" ip)" "$POD4"
		check "$shape: node reaches the guest over TCP at $POD4" lv_wait 30 node_fetch "http://$POD4:8080/"
	fi

	t0=$(lv_now_ms)
	check "$shape: virsh destroy" lv_virsh destroy "$DOMAIN"
	note "virsh destroy took $(($(lv_now_ms) - t0)) ms"
	lv_expect_pod_as "$shape: pod network (both families) restored exactly" \
		"$shape: pod network differs after destroy" "$shape" "$before"
	check "$shape: responder $rpid gone" lv_wait 10 sh -c "! [ -e /proc/$rpid ] || grep -q '^[^)]*) Z' /proc/$rpid/stat"
	check "$shape: no state left in /run/podnet" test -z "$(ls -A "$LV_RUN/podnet")"
	check "$shape: node reaches the pod's IPv6 $POD6 again after destroy" lv_wait 10 node_pings "$POD6"
	lv_down
}

for s in $E2E_V6_SHAPES; do
	journey "$s"
done
assert_exit "e2e dual_stack"
