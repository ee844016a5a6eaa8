#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck disable=SC2001 # (sed over multi-line values reads better)
# End to end with a real operating system as the guest: a Debian 12 built
# with mmdebstrap (tests/lib/debian_guest.sh, cached under
# /var/cache/podnet-tests/) boots systemd with systemd-networkd, as Debian's
# cloud images do, under a real libvirtd inside a pod namespace that the real
# CNI bridge plugin made (tests/lib/libvirt_lab.sh, tests/lib/cni.sh). From
# what the guest prints on its serial console once networkd is online, asserted:
# exactly the pod's IPv4 address, its routes (plus networkd's own host
# routes to the gateway and DNS servers), MTU, DNS servers and search list
# (systemd-resolved's view), the hostname of the podnet tag and the VM's MAC;
# the node reaches the guest's TCP listener at the pod's IPv4 address. Where
# the pod has IPv6 (the dual-stack shape, once cni.sh has it): the same for
# every global IPv6 address of the pod, a default route through a link-local
# router, the pod's on-link prefixes and TCP over IPv6. `virsh destroy`, then
# the pod's network is exactly as before (tests/lib/snapshot.sh), no
# responder, process or state left.
#
#   tests/e2e/debian_guest.sh      (root; PODNET_HOOK defaults to build/podnet)
# Env: DG_SHAPES (default: bridge-dual where cni.sh has it, else bridge),
#      DG_BOOT_WAIT=300 (seconds to wait for the guest's network: a bound,
#      never an assertion on time).
set -eu

cd "$(dirname "$0")/../.."
# shellcheck source=tests/lib/debian_guest.sh
. tests/lib/debian_guest.sh
# shellcheck source=tests/lib/assert.sh
. tests/lib/assert.sh
# shellcheck source=tests/lib/libvirt_lab.sh
. tests/lib/libvirt_lab.sh

DOMAIN=deb1
# The tag's hostname differs from the domain name: the guest must take the tag's.
TAG_HOSTNAME=podnet-debian-vm
DG_BOOT_WAIT=${DG_BOOT_WAIT:-300}

lv_begin
for t in mmdebstrap mke2fs flock curl; do
	command -v "$t" >/dev/null || die "$t not found (tests/deps.sh)"
done

if [ -z "${DG_SHAPES:-}" ]; then
	# The dual-stack shape once cni.sh makes it (issue 11), else IPv4 only.
	if cni_kernel_can bridge-dual 2>/dev/null; then DG_SHAPES=bridge-dual; else DG_SHAPES=bridge; fi
fi

t=$(lv_now_ms)
debian_guest_build || die "Debian guest build (tests/lib/debian_guest.sh)"
note "Debian guest ready in $(($(lv_now_ms) - t)) ms: $DG_DIR (kernel $(cat "$DG_DIR/kernel-version"), first built in $(cat "$DG_DIR/build-seconds") s)"

lv_init

# --- the guest's serial console: numbered blocks "PODNET-G N KEY VALUE" -------
# dg_block FILE - the latest complete block, as "KEY VALUE" lines.
dg_block() {
	local n
	n=$(tr -d '\r' <"$1" 2>/dev/null | sed -n 's/^.*PODNET-G \([0-9]*\) end$/\1/p' | tail -n 1)
	[ -n "$n" ] || return 0
	tr -d '\r' <"$1" | sed -n "s/^.*PODNET-G $n //p" | sed '/^end$/d'
}
# bkey BLOCK KEY - the values of KEY, one per line, in order.
bkey() { sed -n "s/^$2 //p" <<<"$1"; }

# Wanted from the pod itself (read before start; cross-checked with cni.sh).
pod_addrs6() { # the pod's global IPv6 addresses, ADDR/LEN, sorted
	ip -n "$LV_POD" -6 -o addr show dev eth0 scope global | awk '{ print $4 }' | sort
}
pod_resolv() { # KEY: nameserver or search values of the pod's resolv.conf
	ip netns exec "$LV_POD" cat /etc/resolv.conf | awk -v k="$1" '$1 == k { for (i = 2; i <= NF; i++) print $i }'
}

# route4_norm: guest IPv4 routes as "DST GW" (GW 0.0.0.0: on-link), sorted,
# without networkd's own /32 routes to the gateway and the DNS servers
# (RoutesToDNS=, the on-link host route to a gateway) unless the pod has
# that route too (Calico's 169.254.1.1/32 on-link).
route4_norm() { # BLOCK WANT GW DNS...
	local b=$1 want=$2 gw=$3
	shift 3
	bkey "$b" route4 | awk -v gw="$gw" -v dns="$*" -v want="$want" '
		BEGIN {
			n = split(dns, d, " "); for (i = 1; i <= n; i++) skip[d[i] "/32"] = 1; skip[gw "/32"] = 1
			n = split(want, w, "\n"); for (i = 1; i <= n; i++) { split(w[i], f, " "); delete skip[f[1]] }
		}
		{
			dst = $1; via = "0.0.0.0"
			if (dst == "default") dst = "0.0.0.0/0"
			if (dst !~ /\//) dst = dst "/32"
			for (i = 2; i < NF; i++) if ($i == "via") via = $(i + 1)
			if (dst in skip) next
			print dst, via
		}' | sort
}
# What the pod's routes are, in the same form: option 121's pairs and the
# prefix route of a mask below 32 (as the busybox guest test reads them).
want_route4() { # IP MASK "DST GW ..."
	local n
	{
		if [ "$2" != 32 ]; then
			n=$(ip -n "$LV_POD" -4 route show dev eth0 scope link proto kernel | awk '{ print $1; exit }')
			echo "$n 0.0.0.0"
		fi
		# shellcheck disable=SC2086
		set -- $3
		while [ $# -ge 2 ]; do
			echo "$1 $2"
			shift 2
		done
	} | sort
}

dump_debug() {
	note "--- serial console (tail)"
	tail -n 60 "$SERIAL" 2>/dev/null | tr -d '\r' | sed 's/^/#   /'
	note "--- qemu log (tail)"
	tail -n 20 "$LV_ROOT/var/log/libvirt/qemu/$DOMAIN.log" 2>/dev/null | sed 's/^/#   /'
	note "--- libvirtd log (errors)"
	grep -a ' error : ' "$LV_ROOT/var/log/libvirt/libvirtd.log" 2>/dev/null | tail -n 10 | sed 's/^/#   /'
	note "--- pod network now"
	ip -n "$LV_POD" -d addr 2>/dev/null | sed 's/^/#   /'
	ip -n "$LV_POD" route show table all 2>/dev/null | sed 's/^/#   /'
}

# (dynamic scope: the journey's wants)
# v4_ready BLOCK / v6_ready BLOCK - enough of the state arrived to assert on.
v4_ready() {
	[ -n "$(bkey "$1" addr4)" ] && [ -n "$(bkey "$1" dns)" ] &&
		[ "$(bkey "$1" hostname)" = "$TAG_HOSTNAME" ]
}
v6_ready() {
	[ "$(bkey "$1" addr6 | awk '{ print $1 }' | sed 's|/.*||' | sort)" = "$want6_ips" ] &&
		bkey "$1" route6 | grep -q "^default via ${CNI_WANT_ROUTER6:-fe80:}"
}
# wait_block PREDICATE SECONDS - poll the console until the latest complete
# block satisfies PREDICATE; sets BLOCK (the last one seen either way).
wait_block() {
	local deadline=$(($(date +%s) + $2))
	while :; do
		BLOCK=$(dg_block "$SERIAL")
		[ -z "$BLOCK" ] || ! "$1" "$BLOCK" || return 0
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		qemu_alive || return 1
		sleep 1
	done
}
qemu_alive() { # (libvirt's pid files end without a newline: read ours only)
	local p
	p=$(cat "$LV_RUN/libvirt/qemu/$DOMAIN.pid" 2>/dev/null) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null
}

node_reaches_pod() { lv_node busybox ping -c 1 -W 1 "$LV_POD_IP" >/dev/null 2>&1; }
node_gets() { # URL: the guest's page
	lv_node curl -sS -g --max-time 10 "$1" 2>&1 | grep -q 'hello from podnet debian guest'
}

journey() { # SHAPE
	local shape=$1 before xml disk t0 t_v4 gw dns search want6 want6_ips
	local want6_onlink want4 t_start g rpid state p
	echo "# === shape: $shape"
	lv_up "$shape"
	SERIAL=$LV_DIR/serial-$shape.log
	gw=$CNI_WANT_ROUTER
	dns=$(pod_resolv nameserver)
	search=$(pod_resolv search)
	want6=$(pod_addrs6)
	want6_ips=$(sed 's|/.*||' <<<"$want6" | sort)
	# The pod's on-link IPv6 prefixes (kernel routes of its addresses).
	want6_onlink=$(ip -n "$LV_POD" -6 route show dev eth0 proto kernel | awk '$1 !~ /^fe80:/ && $1 ~ /\// { print $1 }' | sort)
	want4=$(want_route4 "$LV_POD_IP" "$CNI_WANT_MASK" "$CNI_WANT_ROUTES")
	note "$shape pod: $(ip -n "$LV_POD" -o addr show dev eth0 scope global | awk '{ print $4 }' | paste -sd' '); $(ip -n "$LV_POD" route show | paste -sd';'); $(ip -n "$LV_POD" -6 route show | paste -sd';')"
	check "$shape: node reaches the pod before start" lv_wait 20 node_reaches_pod

	before=$LV_DIR/before-$shape
	lv_pod_snapshot >"$before"

	disk=$LV_DIR/$DOMAIN.img
	t0=$(lv_now_ms)
	debian_guest_disk "$disk" || { bad "$shape: copy of the guest disk"; lv_down; return 0; }
	note "disk copy: $(($(lv_now_ms) - t0)) ms"
	xml=$LV_DIR/$DOMAIN.xml
	debian_guest_xml "$DOMAIN" "$TAG_HOSTNAME" "$disk" "$SERIAL" "$LV_VM_MAC" >"$xml"
	t0=$(lv_now_ms)
	t_start=$t0
	if ! lv_start "$shape: virsh start of the Debian guest" "$xml" "$DOMAIN"; then
		dump_debug
		lv_down
		return 0
	fi
	state=$(find "$LV_RUN/podnet" -maxdepth 1 -name '*.state' | head -n 1)
	rpid=$(awk '$1 == "responder" { print $2; exit }' "$state" 2>/dev/null)

	# --- IPv4 -----------------------------------------------------------
	if wait_block v4_ready "$DG_BOOT_WAIT"; then
		t_v4=$(($(lv_now_ms) - t0))
		ok "$shape: the guest's IPv4 network is up ($t_v4 ms after virsh start; guest uptime at its report: $(bkey "$BLOCK" begin))"
	else
		bad "$shape: no complete IPv4 state on the serial console within $DG_BOOT_WAIT s"
		dump_debug
	fi
	bkey "$BLOCK" begin | sed 's/^/# guest report: /'
	sed 's/^/#   guest: /' <<<"$BLOCK"
	check "$shape: guest interface has the VM's MAC" eq "$(bkey "$BLOCK" mac)" "$LV_VM_MAC"
	check "$shape: guest IPv4 address is exactly the pod's" \
		eq "$(bkey "$BLOCK" addr4 | paste -sd' ')" "$LV_POD_IP/$CNI_WANT_MASK"
	check "$shape: guest MTU is the pod's" eq "$(bkey "$BLOCK" mtu)" "$CNI_WANT_MTU"
	# shellcheck disable=SC2086
	check "$shape: guest IPv4 routes are the pod's (besides networkd's host routes to gateway and DNS)" \
		same_lines "$(route4_norm "$BLOCK" "$want4" "$gw" $dns)" "$want4"
	check "$shape: guest default route is via the pod's gateway $gw" \
		eq "$(bkey "$BLOCK" route4 | awk '$1 == "default" { print $3 }' | paste -sd' ')" "$gw"
	check "$shape: guest DNS servers (systemd-resolved) are the pod's, in order" \
		eq "$(bkey "$BLOCK" dns | paste -sd' ')" "$(printf '%s\n' "$dns" | paste -sd' ')"
	check "$shape: guest search domains are the pod's" \
		eq "$(bkey "$BLOCK" search | sed 's/^ *//')" "$(printf '%s\n' "$search" | paste -sd' ')"
	check "$shape: guest hostname is the tag's ($TAG_HOSTNAME)" eq "$(bkey "$BLOCK" hostname)" "$TAG_HOSTNAME"

	t0=$(lv_now_ms)
	if node_gets "http://$LV_POD_IP:8080/"; then
		ok "$shape: node reaches the guest over TCP at $LV_POD_IP ($(($(lv_now_ms) - t0)) ms)"
	elif lv_wait 60 node_gets "http://$LV_POD_IP:8080/"; then
		bad "$shape: node reaches the guest at $LV_POD_IP only after $(($(lv_now_ms) - t0)) ms"
	else
		bad "$shape: node cannot reach the guest over TCP at $LV_POD_IP"
	fi
	# The IPv6 side (below): podnet's RA and DHCPv6 (issue 11) to networkd.

	# --- IPv6 (where the pod has it) -----------------------------------------
	if [ -n "$want6" ]; then
		if wait_block v6_ready 120; then
			ok "$shape: the guest's IPv6 network is up ($(($(lv_now_ms) - t_start)) ms after virsh start)"
		else
			bad "$shape: the guest has not the pod's IPv6 addresses and an IPv6 default route within 120 s"
		fi
		sed 's/^/#   guest: /' <<<"$(grep -E '^(addr6|route6|dns|search) ' <<<"$BLOCK")"
		check "$shape: guest IPv6 addresses are exactly the pod's ($(printf '%s\n' "$want6" | paste -sd' '))" \
			same_lines "$(bkey "$BLOCK" addr6 | awk '{ print $1 }' | sed 's|/.*||' | sort)" "$want6_ips"
		g=$(bkey "$BLOCK" route6 | awk '$1 == "default" { print $3 }' | paste -sd' ')
		if [ -n "${CNI_WANT_ROUTER6:-}" ]; then
			# The RA's source: a link-local the pod's real next hop answers for.
			check "$shape: guest's one IPv6 default route is via $CNI_WANT_ROUTER6 (the node side's link-local)" \
				eq "$g" "$CNI_WANT_ROUTER6"
		else
			check "$shape: guest has one IPv6 default route, via a link-local router ('$g')" \
				sh -c "case '$g' in fe80:*' '*|'') exit 1 ;; fe80:*) exit 0 ;; *) exit 1 ;; esac"
		fi
		[ -z "${CNI_POD_IP6:-}" ] || check "$shape: cni.sh's pod IPv6 $CNI_POD_IP6 is among the guest's" \
			sh -c "printf '%s\n' \"\$1\" | grep -qx '$CNI_POD_IP6'" sh "$(bkey "$BLOCK" addr6 | awk '{ print $1 }' | sed 's|/.*||')"
		for p in $want6_onlink; do
			check "$shape: guest has the pod's on-link prefix $p" \
				sh -c "printf '%s\n' \"\$1\" | grep -q \"^$p \"" sh "$(bkey "$BLOCK" route6)"
		done
		for p in $want6_ips; do
			t0=$(lv_now_ms)
			if node_gets "http://[$p]:8080/" || lv_wait 30 node_gets "http://[$p]:8080/"; then
				ok "$shape: node reaches the guest over TCP at [$p] ($(($(lv_now_ms) - t0)) ms)"
			else
				bad "$shape: node cannot reach the guest over TCP at [$p]"
			fi
		done
	else
		note "$shape pod has no global IPv6 address: IPv6 not asserted (the dual-stack shape does)"
	fi

	# --- destroy: the pod exactly as before --------------------------------
	t0=$(lv_now_ms)
	check "$shape: virsh destroy" lv_virsh destroy "$DOMAIN"
	note "virsh destroy took $(($(lv_now_ms) - t0)) ms"
	lv_expect_pod_as "$shape: pod network restored exactly" \
		"$shape: pod network differs after destroy" "$shape" "$before"
	if [ -n "$rpid" ]; then
		check "$shape: responder $rpid gone" lv_wait 10 sh -c "! kill -0 $rpid 2>/dev/null"
	else
		bad "$shape: no responder pid in the state record ($state)"
	fi
	lv_expect_pod_idle "$shape"
	check "$shape: node reaches the pod again" lv_wait 10 node_reaches_pod
	lv_virsh undefine "$DOMAIN" >/dev/null 2>&1 || true
	lv_down
}

for s in $DG_SHAPES; do
	journey "$s"
done

assert_exit "e2e debian_guest"
