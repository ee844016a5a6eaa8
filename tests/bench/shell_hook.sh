#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The common way, for `make bench` to compare against: a libvirt qemu hook in
# shell that does podnet's job with `ip` and dnsmasq. At prepare it reads the
# pod interface's facts, makes the bridge, moves the interface in and starts
# dnsmasq for the VM's one MAC (returning once dnsmasq wrote its pid file); at
# release it stops dnsmasq by its recorded pid and puts the pod back.
# Run as libvirt runs a hook (NAME OP SUBOP EXTRA, XML on stdin), in the pod's
# network namespace; BENCH_SHELL_DIR is its private state folder.
# BENCH_SHELL_SERVER=udhcpd starts busybox udhcpd (a one-address pool and a
# static lease for the VM's MAC, the same options) instead of dnsmasq.
set -eu

name=$1 op=$2 sub=$3
IF=eth0
BR=pn-eth0
D=${BENCH_SHELL_DIR:?}/$name
SERVER=${BENCH_SHELL_SERVER:-dnsmasq}

mask_of() { # PREFIX -> dotted mask
	m=$((0xffffffff ^ ((1 << (32 - $1)) - 1)))
	echo "$((m >> 24 & 255)).$((m >> 16 & 255)).$((m >> 8 & 255)).$((m & 255))"
}

# MAC IP MASK GW DNS MTU SEARCH...: $D/$SERVER.conf, the VM's one lease (for
# udhcpd a pool of the one address) with the same options in either dialect.
server_conf() {
	mac=$1 ip=$2 mask=$3 gw=$4 dns=$5 mtu=$6
	shift 6
	{
		case $SERVER in
		udhcpd) printf '%s\n' "start $ip" "end $ip" "interface $BR" \
			"max_leases 1" "auto_time 0" "static_lease $mac $ip" \
			"option subnet $mask" ;;
		*) printf '%s\n' "interface=$BR" bind-interfaces port=0 \
			dhcp-authoritative "dhcp-range=$ip,static,$mask,infinite" \
			"shared-network=$BR,$ip" "dhcp-host=$mac,$ip,$name,infinite" ;;
		esac
		# dnsmasq's name, udhcpd's, the value (dnsmasq's lists: commas).
		while read -r dn un val; do
			[ -z "$val" ] && continue
			case $SERVER in
			udhcpd) echo "option $un $val" ;;
			*) echo "dhcp-option=option:$dn,$(echo "$val" | tr ' ' ',')" ;;
			esac
		done <<OPTIONS
router router $gw
dns-server dns $dns
domain-name domain ${1:-}
domain-search search $*
mtu mtu $mtu
classless-static-route staticroutes 0.0.0.0/0 $gw
OPTIONS
		case $SERVER in
		udhcpd) printf '%s\n' "option lease 4294967295" \
			"lease_file $D/udhcpd.leases" "pidfile $D/udhcpd.pid" ;;
		*) printf '%s\n' "dhcp-leasefile=$D/leases" "pid-file=$D/dnsmasq.pid" \
			"log-facility=$D/dnsmasq.log" ;;
		esac
	} >"$D/$SERVER.conf"
}

prepare() {
	xml=$(cat)
	mac=$(printf '%s\n' "$xml" | sed -n 's/.*podnet:interface mac="\([^"]*\)".*/\1/p' | head -n 1)
	cidr=$(ip -4 -o addr show dev "$IF" | awk '{print $4; exit}')
	gw=$(ip -4 route show default dev "$IF" | awk '{print $3; exit}')
	mtu=$(cat "/sys/class/net/$IF/mtu")
	dns=$(awk '/^nameserver/ {print $2; exit}' /etc/resolv.conf)
	search=$(awk '/^search/ {$1 = ""; print; exit}' /etc/resolv.conf)
	ip=${cidr%/*}
	mask=$(mask_of "${cidr#*/}")
	mkdir -p "$D"
	echo "$cidr $gw" >"$D/orig"
	ip link add "$BR" type bridge
	ip link set "$BR" mtu "$mtu" addrgenmode none
	ip addr add 169.254.0.2/32 dev "$BR"
	ip link set "$BR" up
	ip addr flush dev "$IF"
	ip link set "$IF" master "$BR"
	if [ "$SERVER" = udhcpd ]; then
		# shellcheck disable=SC2086 # the search list, one word each
		server_conf "$mac" "$ip" "$mask" "$gw" "$dns" "$mtu" $search
		# argv[0] "udhcpd": busybox runs that applet, and the bench
		# finds the process by its name.
		ln -sf /bin/busybox "$D/udhcpd"
		setsid "$D/udhcpd" -f "$D/udhcpd.conf" </dev/null >/dev/null 2>&1 &
		echo $! >"$D/pid"
		pidfile=$D/udhcpd.pid
	else
		# shellcheck disable=SC2086 # the search list, one word each
		server_conf "$mac" "$ip" "$mask" "$gw" "$dns" "$mtu" $search
		setsid dnsmasq -k --conf-file="$D/dnsmasq.conf" </dev/null >/dev/null 2>&1 &
		echo $! >"$D/pid"
		pidfile=$D/dnsmasq.pid
	fi
	n=0
	while [ ! -s "$pidfile" ]; do
		n=$((n + 1))
		[ $n -lt 500 ] || { echo "$SERVER did not start" >&2; exit 1; }
		sleep 0.01
	done
}

release() {
	[ -f "$D/orig" ] || exit 0
	read -r cidr gw <"$D/orig"
	pid=$(cat "$D/pid" 2>/dev/null || true)
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		# until it exits (a zombie counts as gone: init reaps it later)
		while kill -0 "$pid" 2>/dev/null &&
			[ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
			sleep 0.01
		done
	fi
	ip link del "$BR" 2>/dev/null || true
	ip addr add "$cidr" dev "$IF"
	ip route add default via "$gw" dev "$IF"
	rm -rf "$D"
}

case "$op $sub" in
"prepare begin") prepare ;;
"release end") release ;;
*) exit 0 ;;
esac
