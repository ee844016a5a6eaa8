#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# systemd-networkd's DHCPv4 client (Debian 12, systemd 252) in a fake VM,
# without systemd as PID 1: run by hand in the VM namespace, in the private
# mount namespace that `ip netns exec` makes, with tmpfs over /run/systemd
# (its .network file, state and lease files stay private), /sys read-only in
# that mount namespace only (then networkd does not wait for udev), no D-Bus
# (an empty tmpfs over /run/dbus) and UseHostname=no: it can neither
# claim a bus name nor set the machine's hostname; the lease records 12.
# Asserted, on a subnet pod and on a Calico-style /32 pod: address/prefix,
# routes (option 121 incl. the on-link /32 for 169.254.1.1), MTU on the
# link, DNS, search list and hostname from the lease. Every process it
# leaves is ended by pid (lab_kill_ns).
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/proto.sh"

NETWORKD=/lib/systemd/systemd-networkd

lab_begin dhcp_networkd
[ -x "$NETWORKD" ] || fail "$NETWORKD not found (Debian package systemd)"
id systemd-network >/dev/null 2>&1 || fail "user systemd-network missing"

# networkd_run TAG - run networkd in the VM until it has a lease (bounded),
# then stop it; the VM namespace keeps what it configured. Sets NWD_LEASE.
networkd_run()
{
	local tag=$1 dir
	dir=$TEST_DIR/networkd.$tag
	mkdir -p "$dir"
	cat >"$dir/10-eth0.network" <<'NET'
# podnet test: private networkd configuration
[Match]
Name=eth0

[Network]
DHCP=ipv4
LinkLocalAddressing=no
IPv6AcceptRA=no

[DHCPv4]
UseMTU=yes
UseDNS=yes
UseDomains=yes
# Never the machine's hostname (the lease file still records option 12).
UseHostname=no
UseRoutes=yes
SendHostname=no
NET
	set +e
	timeout -k 5 60 ip netns exec "$VM" sh -c '
		dir=$1
		# No udev here: with /sys read-only networkd does not wait for it
		# (udev_available(), systemd 250+). A bind remount: this mount only.
		mount -o remount,bind,ro /sys || exit 1
		mount -t tmpfs -o mode=0755 podnet-test /run/systemd || exit 1
		# No system bus in here even where the machine runs one: networkd
		# then only watches for the socket (never claims a bus name).
		if [ -d /run/dbus ]; then
			mount -t tmpfs -o mode=0755 podnet-test /run/dbus || exit 1
		fi
		mkdir -p /run/systemd/network /run/systemd/netif || exit 1
		chown systemd-network:systemd-network /run/systemd/netif
		cp "$dir/10-eth0.network" /run/systemd/network/ || exit 1
		SYSTEMD_LOG_LEVEL=debug SYSTEMD_LOG_TARGET=console '"$NETWORKD"' >"$dir/log" 2>&1 &
		pid=$!
		# Configured = the links state file says so; then record what the
		# VM has (networkd releases and deconfigures when it stops).
		i=0
		while [ $i -lt 300 ]; do
			for f in /run/systemd/netif/links/*; do
				if grep -qs "^ADMIN_STATE=configured" "$f" &&
					grep -qs "^NETWORK_FILE=/run/systemd/network/10-eth0.network" "$f"; then
					cp "$f" "$dir/link-state"
					cp /run/systemd/netif/leases/* "$dir/lease"
					ip -4 -o addr show dev eth0 >"$dir/addr"
					ip -4 route show table main >"$dir/route"
					ip -o link show dev eth0 >"$dir/link"
					kill $pid
					wait $pid
					exit 0
				fi
			done
			kill -0 $pid 2>/dev/null || exit 3
			sleep 0.1
			i=$((i + 1))
		done
		kill $pid
		wait $pid
		exit 4
	' sh "$dir"
	rc=$?
	set -e
	sed "s/^/networkd[$tag]: /" "$dir/log" | grep -v -i 'debug' | tail -n 40 || true
	NWD_LEASE=$dir/lease
	[ "$rc" = 0 ] && [ -s "$NWD_LEASE" ] || {
		tail -n 60 "$dir/log" | sed "s/^/networkd[$tag] log: /"
		fail "systemd-networkd got no lease (exit $rc)"
	}
	sed "s/^/networkd[$tag] lease: /" "$NWD_LEASE"
	sed "s/^/networkd[$tag] link state: /" "$dir/link-state"
	sed "s/^/vm[$tag] addr: /" "$dir/addr"
	sed "s/^/vm[$tag] route: /" "$dir/route"
	NWD_DIR=$dir
}

# expect_networkd WHAT PREFIX - the pod's identity as networkd applied it.
expect_networkd()
{
	local w=$1 prefix=$2
	expect_match "$w address" "inet $POD_IP/$prefix " "$(cat "$NWD_DIR/addr")"
	expect_match "$w link MTU" " mtu $POD_MTU " "$(cat "$NWD_DIR/link")"
	expect_eq "$w lease DNS" "$POD_DNS" "$(sed -n 's/^DNS=//p' "$NWD_LEASE")"
	expect_eq "$w lease search list" "$POD_SEARCH" \
		"$(sed -n 's/^DOMAIN_SEARCH_LIST=//p' "$NWD_LEASE")"
	expect_eq "$w lease hostname" "$VM_NAME" "$(sed -n 's/^HOSTNAME=//p' "$NWD_LEASE")"
	expect_eq "$w lease MTU" "$POD_MTU" "$(sed -n 's/^MTU=//p' "$NWD_LEASE")"
	expect_eq "$w link DNS" "$POD_DNS" "$(sed -n 's/^DNS=//p' "$NWD_DIR/link-state")"
}

lab_pod subnet
hook_prepare "$LAB_DATA/vm1.xml"
lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0
networkd_run subnet
expect_networkd "networkd subnet" 24
expect_match "networkd subnet default route" \
	"^default via $POD_GW dev eth0 proto dhcp" "$(grep '^default' "$NWD_DIR/route")"
expect_eq "networkd subnet option 121" "0.0.0.0/0,$POD_GW" \
	"$(sed -n 's/^CLASSLESS_ROUTES=//p' "$NWD_LEASE")"
# networkd sends its RELEASE unicast to the server id (the gateway): like a
# RENEWING request it goes to the gateway's MAC, so the responder never sees
# it (dhcp_states.sh). Recorded, not asserted.
if grep -q 'RELEASE' "$(proto_log)"; then
	log "note: networkd's RELEASE reached the responder"
else
	log "note: networkd's RELEASE (unicast to the gateway) did not reach the responder"
fi
ip -n "$POD" link del vnet0
hook_release "$LAB_DATA/vm1.xml"
lab_teardown

lab_pod calico
hook_prepare "$LAB_DATA/vm1.xml"
lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0
networkd_run calico
expect_networkd "networkd calico" 32
expect_match "networkd calico on-link route to the gateway" \
	"^$CALICO_GW dev eth0 proto dhcp scope link" "$(grep "^$CALICO_GW " "$NWD_DIR/route")"
expect_match "networkd calico default route" \
	"^default via $CALICO_GW dev eth0 proto dhcp" "$(grep '^default' "$NWD_DIR/route")"
expect_eq "networkd calico option 121" "$CALICO_GW/32,0.0.0.0 0.0.0.0/0,$CALICO_GW" \
	"$(sed -n 's/^CLASSLESS_ROUTES=//p' "$NWD_LEASE")"
ip -n "$POD" link del vnet0
hook_release "$LAB_DATA/vm1.xml"
lab_done
