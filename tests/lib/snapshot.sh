# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# The one definition of "the pod's network" that every test claiming an
# exact restore compares: a full netlink dump of a network namespace,
# normalised only where the kernel changes things by itself.
#
# Sourced by tests/lib/netns.sh (integration) and tests/lib/libvirt_lab.sh (e2e).

# pod_snapshot_raw NS [IFNAME] - the dump, on stdout (safe under set -e and
# pipefail: an empty section is no failure):
#   links with every detail (-d; MAC, MTU, flags, master, kind), without
#   timers and operstate (linkwatch updates NO-CARRIER and "state UP" up to
#   a second late; the UP and LOWER_UP flags stay); bridge ports; addresses
#   of both families with flags, scope, label and lifetimes; the routes of
#   every table of both families with every attribute (-d); rules of both
#   families; permanent and noarp neighbours of both families (but the
#   kernel's own for multicast and broadcast addresses); the sysctls
#   of IFNAME (default eth0) that matter to routing and IPv6 (disable_ipv6,
#   forwarding, accept_ra, accept_dad, addr_gen_mode) and the namespace's
#   br_netfilter ones (bridge-nf-call-*); the nftables ruleset (podnet's
#   guest filter is a table there); the resolv.conf that
#   `ip netns exec` shows the pod. Lines of a section are sorted: the
#   kernel's listing order is not configuration.
pod_snapshot_raw()
{
	local ns=$1 ifname=${2:-eth0} k
	echo '## links'
	ip -n "$ns" -d -o link show | sed -E 's/\\\s*/ /g;
		s/ +[a-z_]+_timer +[0-9.]+//g; s/<NO-CARRIER,/</; s/ state [A-Z]+ / /;
		s/ +/ /g' | sort
	echo '## bridge ports'
	ip netns exec "$ns" bridge -d -o link show 2>/dev/null |
		sed -E 's/ state [a-z]+ / /; s/ +/ /g' | sort
	echo '## addresses'
	ip -n "$ns" -d -o addr show | sed -E 's/\\\s*/ /g; s/ +/ /g' | sort
	echo '## ipv4 routes'
	ip -n "$ns" -4 -d route show table all | sort
	echo '## ipv6 routes'
	ip -n "$ns" -6 -d route show table all | sort
	echo '## rules'
	ip -n "$ns" -4 rule show
	ip -n "$ns" -6 rule show
	echo '## static neighbours'
	# noarp entries for multicast and broadcast addresses are the
	# kernel's own, made as traffic goes out: not configuration.
	{
		ip -n "$ns" -4 neigh show nud permanent
		ip -n "$ns" -4 neigh show nud noarp
		ip -n "$ns" -6 neigh show nud permanent
		ip -n "$ns" -6 neigh show nud noarp
	} | { grep -Ev 'lladdr (33:33:|01:00:5e:|ff:ff:ff:ff:ff:ff)' || true; } | sort
	echo '## sysctls'
	for k in ipv4/ip_forward "ipv4/conf/$ifname/forwarding" \
		"ipv4/conf/$ifname/proxy_arp" "ipv4/conf/$ifname/arp_ignore" \
		"ipv4/conf/$ifname/rp_filter" "ipv6/conf/$ifname/disable_ipv6" \
		"ipv6/conf/$ifname/forwarding" "ipv6/conf/$ifname/accept_ra" \
		"ipv6/conf/$ifname/accept_dad" "ipv6/conf/$ifname/addr_gen_mode" \
		bridge/bridge-nf-call-iptables bridge/bridge-nf-call-ip6tables \
		bridge/bridge-nf-call-arptables; do
		echo "$k=$(ip netns exec "$ns" cat "/proc/sys/net/$k" 2>/dev/null)"
	done
	echo '## nftables'
	# Every table with its chains and rules (-s: without counter values,
	# which traffic changes): podnet's guest filter must be gone.
	ip netns exec "$ns" nft -s list ruleset 2>&1 || true
	echo '## resolv.conf'
	ip netns exec "$ns" cat /etc/resolv.conf 2>&1 || true
}

# pod_snapshot NS [IFNAME] - the dump once it has settled (two reads 0.2 s
# apart equal, no IPv6 address tentative; bounded: 10 s), on stdout.
pod_snapshot()
{
	local a b i
	a=$(pod_snapshot_raw "$@")
	for i in $(seq 1 50); do
		sleep 0.2
		b=$(pod_snapshot_raw "$@")
		# A pattern, not `printf | grep -q`: under pipefail grep's early
		# exit can kill printf with SIGPIPE and fail the test.
		if [ "$a" = "$b" ] && [[ $b != *" tentative"* ]]; then
			printf '%s\n' "$b"
			return 0
		fi
		a=$b
	done
	echo "note: the pod's network did not settle in 10 s" >&2
	printf '%s\n' "$b"
}
