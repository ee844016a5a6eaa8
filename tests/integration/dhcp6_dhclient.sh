#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ISC dhclient -6 as the fake VM's IPv6 client on dual-stack pods (the real
# bridge plugin with host-local IPv4 and IPv6 ranges; Calico's IPv4 + IPv6)
# and on an IPv6-only pod (tests/lib/cni.sh shapes, V6_SHAPES). dhclient
# has no RA handling of its own: the VM's kernel takes the default route
# and the on-link prefix from the RA (accept_ra=1), dhclient the address
# from DHCPv6; its script adds that address as Debian's dhclient-script
# does on BOUND6 (no resolv.conf, no hostname). On a dual-stack pod a
# second dhclient (IPv4, as dhcp_dhclient.sh) takes the IPv4 lease.
# Asserted (tests/lib/vmcheck6.sh): the pod's IPv6 addresses and nothing
# else on eth0, its on-link prefixes, the default route via the router,
# ping and TCP to the node and TCP from the node at the pod's IPv6 address,
# the router's neighbour entry alive after the NUD timers ran, DNS servers
# (option 23) and search list (option 24) in the lease; IPv4 as before.
# Release restores the pod exactly.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/clients.sh"

lab_begin dhcp6_dhclient
need dhclient

conf6=$TEST_DIR/dhclient6.conf
cat >"$conf6" <<'CONF'
timeout 30;
retry 1;
request dhcp6.name-servers, dhcp6.domain-search, dhcp6.fqdn;
CONF
conf4=$TEST_DIR/dhclient4.conf
cat >"$conf4" <<'CONF'
timeout 30;
retry 1;
request subnet-mask, broadcast-address, routers, domain-name-servers, interface-mtu;
CONF

# dhclient6_script FILE RECORD - record the variables, then what Debian's
# dhclient-script does to the interface for IPv6 (PREINIT6: up; BOUND6,
# REBOOT6: add the address; DEPREF6/EXPIRE6/RELEASE6/STOP6: remove it) and
# for IPv4 BOUND (address, default route). Always exits 0.
dhclient6_script()
{
	cat >"$1" <<SCRIPT
#!/bin/sh
# podnet test: record the variables; configure only the VM's interface.
"$2"
case "\$reason" in
PREINIT | PREINIT6)
	ip link set dev "\$interface" up
	;;
BOUND6 | REBOOT6)
	ip -6 addr replace "\$new_ip6_address/\$new_ip6_prefixlen" dev "\$interface" \\
		\${new_max_life:+valid_lft \$new_max_life} \${new_preferred_life:+preferred_lft \$new_preferred_life}
	;;
EXPIRE6 | RELEASE6 | STOP6)
	[ -z "\$old_ip6_address" ] || ip -6 addr del "\$old_ip6_address/\$old_ip6_prefixlen" dev "\$interface"
	;;
BOUND | REBOOT)
	ip -4 addr add "\$new_ip_address/\$new_subnet_mask" dev "\$interface"
	for r in \$new_routers; do
		[ "\$new_subnet_mask" != 255.255.255.255 ] || ip -4 route add "\$r" dev "\$interface"
		ip -4 route add default via "\$r" dev "\$interface"
		break
	done
	;;
esac
exit 0
SCRIPT
	chmod 755 "$1"
}

# dhclient_run TAG FAMILY CONF - one dhclient (-6 or -4) in the VM until
# bound; it then runs in the background (pid file) and is ended by pid.
dhclient_run()
{
	local tag=$1 fam=$2 conf=$3 rec script
	rec=$TEST_DIR/dhclient-record.$tag.sh
	script=$TEST_DIR/dhclient-script.$tag.sh
	client_script "$rec" "$TEST_DIR/dhclient.$tag.\$reason" reason interface \
		new_ip6_address new_ip6_prefixlen new_max_life new_preferred_life \
		new_dhcp6_name_servers new_dhcp6_domain_search new_dhcp6_fqdn_fqdn \
		new_dhcp6_server_id new_dhcp6_client_id new_ip_address new_subnet_mask new_routers
	dhclient6_script "$script" "$rec"
	dhclient_bound "$tag" "dhclient[$tag]" "$conf" "$script" "$fam"
}

# dhclient_shape SHAPE WHAT - the client's run and checks on one pod (client_run).
dhclient_shape()
{
	local shape=$1 w=$2 f ll
	# dhclient -6 binds to the link-local: wait until its DAD is done.
	for _ in $(seq 1 50); do
		ll=$(ip -n "$VM" -6 -o addr show dev eth0 scope link)
		[ -z "$ll" ] || [[ $ll == *tentative* ]] || break
		sleep 0.2
	done
	if dhclient_run "$shape.6" -6 "$conf6"; then
		f=$TEST_DIR/dhclient.$shape.6.BOUND6
		[ -s "$f" ] || f=$TEST_DIR/dhclient.$shape.6.REBOOT6
		sed "s/^/$w bound: /" "$f"
		expect_eq "$w lease address" "$(echo "$V6_ADDRS" | tr ' ' '\n' | sed 's|/.*||' | head -n 1)" \
			"$(lease_get "$f" new_ip6_address)"
		log "note: $w: dhclient's prefix length: $(lease_get "$f" new_ip6_prefixlen)" \
			"(the pod's: ${V6_ADDRS#*/}); lifetimes $(lease_get "$f" new_preferred_life)/$(lease_get "$f" new_max_life)"
		v6_expect_dns "$w (lease)" "$(lease_get "$f" new_dhcp6_name_servers)" \
			"$(lease_get "$f" new_dhcp6_domain_search)"
		# The kernel's RA handling: default route and on-link prefix.
		if v6_wait_vm 30; then
			ok "$w: the VM's kernel took the default route from the RA"
		else
			bad "$w: no default route via $V6_ROUTER from an RA within 30 s (or the address is not there)"
		fi
		v6_expect_config "$w"
		v6_expect_reach "$w"
		v6_expect_nud "$w"
	else
		bad "$w: dhclient -6 got no lease"
		v6_vm_show "$w"
	fi
	if [ -n "$V4_ADDR" ]; then
		if dhclient_run "$shape.4" -4 "$conf4"; then
			v4_expect "$w"
		else
			bad "$w: dhclient -4 got no lease on the dual-stack pod"
		fi
		dhclient_stop "$shape.4"
	fi
	dhclient_stop "$shape.6"
	lab_kill_ns "$VM"
}

client_run 6 dhclient6 dhclient_shape
