#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the e2e test guest: Debian's kernel plus a busybox-static initramfs whose
# /init loads virtio_net, asks for a lease with udhcpc, applies it (option 121
# in order, as the spec says a client must), prints greppable lines on the
# serial console and then serves HTTP on port 8080 (with a CGI that makes the
# guest ping an address: the guest's way out, on request).
#
#   tests/lib/guest.sh [CACHEDIR]      (prints the guest's folder)
#   . tests/lib/guest.sh; guest_build [CACHEDIR]   (sets GUEST_DIR)
#
# Output: GUEST_DIR/vmlinuz, GUEST_DIR/initrd.gz (kernel command line:
# console=ttyS0), GUEST_DIR=CACHEDIR/KEY (default CACHEDIR
# /var/cache/podnet-tests/busybox-guest): built once per machine and key.
# Serial console lines the guest prints (values with spaces use commas):
#   PODNET-LEASE ip=.. mask=.. router=.. staticroutes=.. dns=.. search=..
#                domain=.. mtu=.. hostname=.. lease=.. serverid=..
#   PODNET-ROUTES applied=DST>GW|on-link>ok|failed:..;..   (option 121 in order)
#   PODNET-NET addr=.. mtu=.. routes=..;..   (what the guest really applied)
#   PODNET-READY
#   PODNET-PING target=IP ok=yes|no tries=N arp=IP@MAC,.. neigh6=IP@MAC@STATE,..
#                (after a request for http://GUEST:8080/cgi-bin/ping?IP: the
#                guest pinged IP, IPv4 or IPv6)
#   PODNET-LEASE6 addr=.. dns=.. search=.. fqdn=.. status=.. serverid=.. reply=..
#                (DHCPv6 by guest_dhcp6, tests/lib/guest_dhcp6.c; the kernel
#                takes the default route and on-link prefix from the RA)
#   PODNET-NET6 addr=.. routes=..;..   (the guest's IPv6 once its address is
#                no longer tentative and it has a default route, or after 60 s)
#   PODNET-DHCP6 failed=..   (no DHCPv6 reply with an address)
# The key covers every input (guest_key); a folder whose checksums do not
# verify is built again.

# The guest's DHCPv6 client (Debian's busybox has no udhcpc6), built static;
# relative to the repository top, where the e2e tests run.
GUEST_DHCP6_SRC=${GUEST_DHCP6_SRC:-tests/lib/guest_dhcp6.c}
# This file: its text is part of the key (same base as above).
GUEST_SCRIPT=${GUEST_SCRIPT:-tests/lib/guest.sh}
# Shared by every clone and worktree on the machine: one folder per key.
GUEST_CACHE=${GUEST_CACHE:-/var/cache/podnet-tests/busybox-guest}

GUEST_MODULES="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net"

guest_log() { echo "guest: $*" >&2; }

# The kernel package behind the linux-image-amd64 meta package and its exact
# version, "PKG VERSION" (the meta package's "Depends: PKG (= VERSION)"; one
# apt-cache call: about a second without apt's binary cache).
guest_kernel_query() {
	apt-cache show --no-all-versions linux-image-amd64 2>/dev/null |
		sed -n 's/^Depends: .*\(linux-image-6\.1\.[^ ,]*-amd64\) (= \([^)]*\)).*/\1 \2/p' | head -n 1
}

# The state of apt's lists: what the query's answer depends on.
guest_apt_lists() {
	find /var/lib/apt/lists -maxdepth 1 -type f -printf '%f %s %T@\n' 2>/dev/null |
		LC_ALL=C sort | cksum | cut -d' ' -f1
}

# guest_kernel_pkg CACHEDIR - the query's answer, remembered in CACHEDIR per
# state of apt's lists (so that a cached guest costs no apt-cache run).
guest_kernel_pkg() {
	memo=$1/kernel-pkg.$(guest_apt_lists)
	if [ -s "$memo" ]; then
		cat "$memo"
		return 0
	fi
	pv=$(guest_kernel_query)
	if [ -z "$pv" ]; then
		apt-get update -qq >/dev/null 2>&1 || true
		pv=$(guest_kernel_query)
	fi
	[ -n "$pv" ] || { guest_log "cannot find linux-image-6.1.*-amd64 (apt-cache show linux-image-amd64)"; return 1; }
	# Older lists' answers are of no further use.
	rm -f "$1"/kernel-pkg.*
	memo=$1/kernel-pkg.$(guest_apt_lists)
	echo "$pv" >"$memo.$$" && mv "$memo.$$" "$memo"
	echo "$pv"
}

# Prints the module files to insmod, dependencies first (modinfo -F depends).
guest_module_order() { # MODDIR MODULE...
	gmo_dir=$1; shift
	gmo_done=" "
	gmo_visit() {
		case "$gmo_done" in *" $1 "*) return 0 ;; esac
		f=$(find "$gmo_dir" \( -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" \) | head -n 1)
		[ -n "$f" ] || { guest_log "module $1 not found"; return 1; }
		for d in $(modinfo -F depends "$f" | tr ',' ' '); do
			gmo_visit "$d" || return 1
		done
		case "$gmo_done" in *" $1 "*) return 0 ;; esac
		gmo_done="$gmo_done$1 "
		f=$(find "$gmo_dir" \( -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" \) | head -n 1)
		echo "$f"
	}
	for m in "$@"; do gmo_visit "$m" || return 1; done
}

guest_write_init() { # ROOT
	cat >"$1/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /etc /www /usr/bin /usr/sbin /sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
echo "PODNET-INIT uptime=$(cut -d' ' -f1 /proc/uptime)"
for m in $(cat /modules.list); do
	insmod "/lib/modules/$m" || echo "PODNET-ERROR insmod $m"
done
ip link set lo up
i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
ip link set eth0 up || echo "PODNET-ERROR no eth0"
echo 'hello from podnet guest' >/www/index.html
# GET /cgi-bin/ping?IP: the guest pings IP (bounded), answers and prints
# PODNET-PING target=IP ok=yes|no tries=N arp=IP@MAC,...  (its ARP cache).
mkdir -p /www/cgi-bin
cat >/www/cgi-bin/ping <<'CGI'
#!/bin/sh
t=$QUERY_STRING
case "$t" in '' | *[!0-9a-f.:]*) t=invalid ;; esac
i=0 ok=no
while [ "$t" != invalid ] && [ $i -lt 20 ]; do
	i=$((i + 1))
	# A link-local target (Calico's router) goes out of eth0.
	case "$t" in fe80:*) dev="-I eth0" ;; *) dev= ;; esac
	if ping $dev -c 1 -W 1 "$t" >/dev/null 2>&1; then ok=yes; break; fi
done
arp=$(awk 'NR > 1 { print $1 "@" $4 }' /proc/net/arp | tr '\n' ',')
n6=$(ip -6 neigh show dev eth0 | awk '{ print $1 "@" $3 "@" $NF }' | tr '\n' ',')
line="PODNET-PING target=$t ok=$ok tries=$i arp=${arp%,} neigh6=${n6%,} uptime=$(cut -d' ' -f1 /proc/uptime)"
echo "$line" >/dev/console
printf 'Content-Type: text/plain\r\n\r\n%s\n' "$line"
CGI
chmod 0755 /www/cgi-bin/ping
# Foreground client (this shell waits in the background for the first lease):
# it keeps running and renews.
udhcpc -i eth0 -O staticroutes -O search -O mtu -O hostname -s /lease.sh &
# IPv6: the kernel (accept_ra=1: not forwarding) takes the default route and
# the on-link prefix from the RA; guest_dhcp6 asks DHCPv6 for the address.
/lease6.sh &
i=0
while [ ! -e /tmp/bound ] && [ ! -e /tmp/bound6 ] && [ $i -lt 3000 ]; do sleep 0.1; i=$((i + 1)); done
httpd -p 8080 -h /www
echo "PODNET-READY uptime=$(cut -d' ' -f1 /proc/uptime)"
while :; do wait; sleep 3600; done
INIT
	cat >"$1/lease.sh" <<'LEASE'
#!/bin/sh
# udhcpc script: $1 is the event, the lease is in the environment.
c() { echo "$*" | tr ' ' ','; }
event=$1
case "$event" in
deconfig)
	ip -4 addr flush dev eth0
	ip link set eth0 up
	;;
bound|renew)
	[ -n "$mtu" ] && ip link set eth0 mtu "$mtu"
	ip -4 route flush dev eth0 2>/dev/null
	ip -4 addr flush dev eth0
	ip addr add "$ip/${mask:-32}" dev eth0
	# Routes as a client must apply them: option 121's entries in the order
	# given, an on-link one (gateway 0.0.0.0) as a scope-link route, the
	# others via their gateway with no onlink flag (so an entry whose gateway
	# an earlier one did not make reachable fails, and is reported);
	# option 3 only without option 121 (RFC 3442).
	order=
	if [ -n "$staticroutes" ]; then
		set -- $staticroutes
		while [ $# -ge 2 ]; do
			if [ "$2" = 0.0.0.0 ]; then
				err=$(ip route add "$1" dev eth0 scope link 2>&1) && r=ok || r=$(c "failed:$err")
				order="$order;$1>on-link>$r"
			else
				err=$(ip route add "$1" via "$2" dev eth0 2>&1) && r=ok || r=$(c "failed:$err")
				order="$order;$1>$2>$r"
			fi
			shift 2
		done
	elif [ -n "$router" ]; then
		for r in $router; do
			err=$(ip route add default via "$r" dev eth0 2>&1) && rr=ok || rr=$(c "failed:$err")
			order="$order;router>$r>$rr"
			break
		done
	fi
	: >/etc/resolv.conf
	[ -n "$search" ] && echo "search $search" >>/etc/resolv.conf
	for d in $dns; do echo "nameserver $d" >>/etc/resolv.conf; done
	[ -n "$hostname" ] && hostname "$hostname"
	echo "PODNET-LEASE event=$event ip=$ip mask=$mask router=$(c $router) staticroutes=$(c $staticroutes) dns=$(c $dns) search=$(c $search) domain=$(c $domain) mtu=$mtu hostname=$hostname lease=$lease serverid=$serverid uptime=$(cut -d' ' -f1 /proc/uptime)"
	echo "PODNET-ROUTES event=$event applied=${order#;}"
	echo "PODNET-NET addr=$(ip -4 -o addr show dev eth0 | awk '{print $4}' | paste -sd,) mtu=$(cat /sys/class/net/eth0/mtu) hostname=$(hostname) resolv=$(tr '\n' ';' </etc/resolv.conf | tr ' ' ',') routes=$(ip -4 route show | sed 's/ *$//' | tr ' ' ',' | tr '\n' ';')"
	: >/tmp/bound
	;;
nak|leasefail)
	echo "PODNET-DHCP event=$event message=$(c $message)"
	;;
esac
exit 0
LEASE
	cat >"$1/lease6.sh" <<'LEASE6'
#!/bin/sh
# guest_dhcp6 prints addr6=.. dns6=.. search6=.. fqdn6=.. status6=..
# serverid6=.. reply6=.. (addresses, hex and [A-Za-z0-9._,-] only).
if ! out=$(guest_dhcp6 eth0 900 2>/tmp/dhcp6.err); then
	echo "PODNET-DHCP6 failed=$(tr ' \n' ',;' </tmp/dhcp6.err)"
	exit 0
fi
eval "$out"
ip -6 addr add "$addr6/128" dev eth0 || echo "PODNET-ERROR ip -6 addr add $addr6/128"
echo "PODNET-LEASE6 addr=$addr6 dns=$dns6 search=$search6 fqdn=$fqdn6 status=$status6 serverid=$serverid6 reply=$reply6 uptime=$(cut -d' ' -f1 /proc/uptime)"
i=0
while [ $i -lt 600 ]; do
	a=$(ip -6 -o addr show dev eth0 scope global)
	case "$a" in *tentative*) ;; ?*) [ -z "$(ip -6 route show default)" ] || break ;; esac
	sleep 0.1
	i=$((i + 1))
done
echo "PODNET-NET6 addr=$(ip -6 -o addr show dev eth0 scope global | awk '{print $4}' | paste -sd,) flags=$(ip -6 -o addr show dev eth0 scope global | grep -o 'tentative\|dadfailed' | paste -sd,) routes=$(ip -6 route show | sed 's/ *$//' | tr ' ' ',' | tr '\n' ';') uptime=$(cut -d' ' -f1 /proc/uptime)"
: >/tmp/bound6
LEASE6
	chmod 0755 "$1/init" "$1/lease.sh" "$1/lease6.sh"
}

# The cache key: this file (init, scripts, module list, how the image is
# made), the DHCPv6 client's source, the kernel package and version, the
# busybox binary copied in, and the compiler and libc that build the client.
guest_key() { # "KERNELPKG VERSION"
	if [ ! -f "$GUEST_SCRIPT" ] || [ ! -f "$GUEST_DHCP6_SRC" ]; then
		guest_log "$GUEST_SCRIPT or $GUEST_DHCP6_SRC not found (run from the repository top)"
		return 1
	fi
	{
		cat "$GUEST_SCRIPT" "$GUEST_DHCP6_SRC"
		echo "$1"
		sha256sum </bin/busybox
		cc --version 2>/dev/null | head -n 1
		dpkg-query -W -f '${Version}\n' libc6-dev 2>/dev/null
	} | sha256sum | cut -c1-16
}

# True if DIR holds a whole guest: its checksums (written last) verify.
guest_complete() { # DIR
	[ -s "$1/SHA256SUMS" ] && (cd "$1" && sha256sum --quiet -c SHA256SUMS) >/dev/null 2>&1
}

guest_build() { # [CACHEDIR]
	cache=${1:-$GUEST_CACHE}
	mkdir -p "$cache" || return 1
	pkgver=$(guest_kernel_pkg "$cache") || return 1
	key=$(guest_key "$pkgver") || return 1
	GUEST_DIR=$cache/$key
	# One build at a time per machine; a waiter then finds it done.
	exec 9>"$cache/.lock"
	flock 9 || return 1
	# Left by an interrupted build (the lock is ours: none runs).
	rm -rf "$cache"/.build.*
	rc=0
	if guest_complete "$GUEST_DIR"; then
		guest_log "cached in $GUEST_DIR (kernel $(cat "$GUEST_DIR/kernel-version"), built in $(cat "$GUEST_DIR/build-seconds") s)"
	else
		[ ! -e "$GUEST_DIR" ] || guest_log "$GUEST_DIR is incomplete: building it again"
		t0=$(date +%s)
		work=$(mktemp -d "$cache/.build.XXXXXX") || rc=1
		[ "$rc" != 0 ] || guest_build_in "$work/out" "$work" "$pkgver" || rc=1
		if [ "$rc" = 0 ]; then
			echo $(($(date +%s) - t0)) >"$work/out/build-seconds"
			# Written last: what makes the folder complete.
			(cd "$work/out" && sha256sum vmlinuz initrd.gz kernel-version build-seconds >SHA256SUMS) &&
				rm -rf "$GUEST_DIR" && mv "$work/out" "$GUEST_DIR" || rc=1
		fi
		rm -rf "$work"
		[ "$rc" != 0 ] || guest_log "built $GUEST_DIR in $(cat "$GUEST_DIR/build-seconds") s"
	fi
	flock -u 9
	exec 9>&-
	return $rc
}

guest_build_in() { # OUTDIR WORKDIR "KERNELPKG VERSION"
	out=$1 work=$2 pkg=${3% *} ver=${3#* }
	root="$work/root"
	mkdir -p "$root/bin" "$root/lib/modules" "$root/dev"
	guest_write_init "$root"
	mkdir -p "$out"
	guest_log "downloading $pkg $ver"
	if ! (cd "$work" && apt-get download "$pkg=$ver" >/dev/null 2>&1); then
		apt-get update -qq >/dev/null 2>&1 || true
		(cd "$work" && apt-get download "$pkg=$ver" >/dev/null) ||
			{ guest_log "apt-get download $pkg=$ver failed"; return 1; }
	fi
	dpkg -x "$work"/"$pkg"_*.deb "$work/x"
	kver=${pkg#linux-image-}
	moddir="$work/x/lib/modules/$kver"
	[ -f "$work/x/boot/vmlinuz-$kver" ] || { guest_log "no vmlinuz-$kver in $pkg"; return 1; }
	cc -static -Os -Wall -Wextra -Werror -o "$root/bin/guest_dhcp6" "$GUEST_DHCP6_SRC" ||
		{ guest_log "cannot build $GUEST_DHCP6_SRC static (gcc, libc6-dev)"; return 1; }
	cp /bin/busybox "$root/bin/busybox"
	if ldd "$root/bin/busybox" >/dev/null 2>&1; then
		guest_log "/bin/busybox is dynamically linked (install busybox-static)"
		return 1
	fi
	# shellcheck disable=SC2086
	files=$(guest_module_order "$moddir" $GUEST_MODULES) || return 1
	: >"$root/modules.list"
	for f in $files; do
		b=$(basename "$f")
		case "$b" in
		*.ko.xz) b=${b%.xz}; xz -dc "$f" >"$root/lib/modules/$b" ;;
		*.ko.zst) b=${b%.zst}; zstd -qdc "$f" >"$root/lib/modules/$b" ;;
		*) cp "$f" "$root/lib/modules/$b" ;;
		esac
		echo "$b" >>"$root/modules.list"
	done
	mknod -m 600 "$root/dev/console" c 5 1
	mknod -m 666 "$root/dev/null" c 1 3
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) >"$out/initrd.gz" || return 1
	cp "$work/x/boot/vmlinuz-$kver" "$out/vmlinuz" || return 1
	echo "$kver" >"$out/kernel-version"
	guest_log "kernel $kver; modules: $(tr '\n' ' ' <"$root/modules.list")"
}

# Run as a script: build (or find) the guest, print its folder.
case "${0##*/}" in
guest.sh)
	set -eu
	guest_build "$@"
	echo "$GUEST_DIR"
	;;
esac
