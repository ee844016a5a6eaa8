#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A real operating system as the e2e guest: a minimal Debian 12 built with
# mmdebstrap from Debian's archive, booting systemd with systemd-networkd (as
# Debian's cloud images do: DHCPv4, and IPv6 from router advertisements and
# DHCPv6 when the RA's M flag asks for it), systemd-resolved, D-Bus, hostnamed
# with polkit (networkd may set the hostname from DHCP only through them) and
# busybox httpd on TCP port 8080 as the listener the node reaches.
#
#   tests/lib/debian_guest.sh [CACHEDIR]      (build, or reuse the cache)
#   . tests/lib/debian_guest.sh; debian_guest_build; echo "$DG_DIR"
#
# Output in DG_DIR (under DG_CACHE, default /var/cache/podnet-tests/debian-guest,
# one folder per key of what goes into the image: the package list, the
# mirrors and every file this script writes into the guest; other keys'
# folders are removed once a new one is built): vmlinuz, initrd.img (Debian's
# kernel and an initramfs-tools initrd with the virtio modules), root.img
# (ext4 made with `mke2fs -d`, no loop mount), kernel-version,
# build-seconds. Boot: root=/dev/vda rw console=ttyS0 (DG_CMDLINE); the disk
# is a copy per run (debian_guest_disk), never the cached image.
#
# What the guest prints on its serial console, once network-online.target
# is reached and again whenever its network state changes (for 10 minutes),
# one block of lines numbered N, each "PODNET-G N KEY VALUE":
#   begin uptime=S online=S   (online: when network-online.target was reached)
#   ifname NAME  mac MAC  mtu N
#   addr4 ADDR/LEN ...  addr6 ADDR/LEN ...     (ip -o addr, global scope)
#   route4 ROUTE  route6 ROUTE                  (ip route show table main)
#   dns ADDR  search DOMAIN...                  (systemd-resolved's uplink view)
#   hostname NAME                               (the kernel's)
#   lease4 K=V                                  (networkd's DHCPv4 lease file)
#   analyze ...   (systemd-analyze time and the top of blame, once booted)
#   log ...       (networkd, resolved, hostnamed, polkit, dbus: notices and worse)
#   end
# A block is complete once its "end" line is there.
#
# Measured on the shared 2-core test machine (load average 5-8 from other
# jobs): a build takes 57-170 s (mmdebstrap most of it), the tree is 198 MiB,
# root.img 375 MiB (190 MiB allocated), the initrd 7 MB; a cached run finds
# it in under 0.3 s and copies the disk in 0.3-0.6 s. Under TCG (1 vCPU)
# network-online.target comes at 32-57 s guest uptime, the state with the
# DHCP hostname (polkit starts late) 64-168 s after `virsh start`.

DG_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# DG_VARIANT=nm: the same guest with NetworkManager (the default of Fedora
# and RHEL guests; its internal DHCP client) instead of networkd, in a cache
# of its own (a build removes the other keys' images of its cache).
DG_VARIANT=${DG_VARIANT:-networkd}
if [ "$DG_VARIANT" = nm ]; then
	DG_CACHE=${DG_CACHE:-/var/cache/podnet-tests/debian-guest-nm}
else
	DG_CACHE=${DG_CACHE:-/var/cache/podnet-tests/debian-guest}
fi
DG_SUITE=bookworm
DG_MIRRORS="deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main"
# The smallest set that boots like a cloud image here: the kernel with its
# initramfs generator, systemd as init, networkd (in systemd), resolved,
# hostnamed's bus and authorisation (dbus, polkitd), ip, and busybox for httpd.
DG_PKGS="linux-image-amd64 initramfs-tools systemd systemd-sysv systemd-resolved udev
dbus polkitd iproute2 busybox"
# The initramfs loads these (MODULES=list: nothing else is copied in).
[ "$DG_VARIANT" != nm ] || DG_PKGS="$DG_PKGS network-manager"
DG_INITRD_MODULES="virtio_pci virtio_blk virtio_net ext4"
DG_CMDLINE="root=/dev/vda rw console=ttyS0 quiet"

dg_log() { echo "debian-guest: $*" >&2; }

# dg_write_files DIR - every file the guest gets from us, under DIR as they
# go into the tree (the cache key covers them).
dg_write_files()
{
	local d=$1
	mkdir -p "$d/etc/systemd/network" "$d/etc/systemd/system" "$d/usr/local/sbin" \
		"$d/srv/www" "$d/etc/initramfs-tools/conf.d" "$d/etc/initramfs-tools/hooks"

	# As Debian's cloud images configure networkd: DHCP on every en*/eth*.
	# UseDomains=yes: networkd's default ignores the search list; UseMTU=yes
	# (networkd's default ignores option 26; netplan, which writes the cloud
	# images' networkd files, turns it on).
	if [ "$DG_VARIANT" = nm ]; then
		# NetworkManager as Fedora and RHEL run it: its internal DHCP
		# client, DNS through systemd-resolved, the hostname from DHCP.
		mkdir -p "$d/etc/NetworkManager/conf.d" "$d/etc/NetworkManager/system-connections"
		printf '%s\n' '[main]' 'dns=systemd-resolved' 'hostname-mode=dhcp' \
			>"$d/etc/NetworkManager/conf.d/podnet.conf"
		printf '%s\n' '[connection]' 'id=podnet' 'type=ethernet' 'autoconnect=true' '' \
			'[ipv4]' 'method=auto' '' '[ipv6]' 'method=auto' \
			>"$d/etc/NetworkManager/system-connections/podnet.nmconnection"
		chmod 0600 "$d/etc/NetworkManager/system-connections/podnet.nmconnection"
	else
		cat >"$d/etc/systemd/network/50-podnet-dhcp.network" <<'EOF'
[Match]
Name=en* eth*

[Network]
DHCP=yes
IPv6AcceptRA=yes

[DHCPv4]
UseDomains=yes
UseMTU=yes

[DHCPv6]
UseDomains=yes

[IPv6AcceptRA]
UseDomains=yes
EOF
	fi

	cat >"$d/usr/local/sbin/podnet-report" <<'EOF'
#!/bin/sh
# podnet test: the guest's network state on the serial console, as numbered
# blocks of "PODNET-G N KEY VALUE" lines, whenever it changes.
state()
{
	ifn=$(ip -o link show | awk -F': ' '$2 != "lo" { sub(/@.*/, "", $2); print $2; exit }')
	echo "ifname $ifn"
	echo "mac $(cat /sys/class/net/$ifn/address 2>/dev/null)"
	echo "mtu $(cat /sys/class/net/$ifn/mtu 2>/dev/null)"
	ip -4 -o addr show scope global | awk '{ print "addr4", $4 }'
	ip -6 -o addr show scope global | awk '{ $1 = $2 = $3 = ""; sub(/^ +/, ""); print "addr6", $0 }' |
		sed 's/ *valid_lft.*//; s/[ \\]*$//'
	ip -4 route show table main | sed 's/^/route4 /; s/ *$//'
	ip -6 route show table main | sed 's/^/route6 /; s/ *$//'
	f=/run/systemd/resolve/resolv.conf
	awk '$1 == "nameserver" { print "dns", $2 } $1 == "search" { $1 = ""; print "search" $0 }' "$f" 2>/dev/null
	echo "hostname $(cat /proc/sys/kernel/hostname)"
	for l in /run/systemd/netif/leases/*; do
		[ -f "$l" ] && grep -v '^#' "$l" | sed 's/^/lease4 /'
	done
	# Where the boot time went, once systemd says the boot is finished.
	systemd-analyze time 2>/dev/null | head -n 1 | sed 's/^/analyze /'
	systemd-analyze blame 2>/dev/null | head -n 5 | sed 's/^ */analyze /'
	# What networkd, resolved, hostnamed and polkit had to say (notices and worse).
	journalctl -q -b -p notice -o cat --no-pager -u systemd-networkd -u systemd-resolved \
		-u systemd-hostnamed -u polkit -u dbus 2>/dev/null | tail -n 20 | sed 's/^/log /'
}
online()
{
	t=$(systemctl show -P ActiveEnterTimestampMonotonic network-online.target 2>/dev/null)
	[ -n "$t" ] && echo "$((t / 1000000)).$(printf '%06d' $((t % 1000000)) | cut -c1-3)"
}
n=0 prev= i=0
while [ $i -lt 600 ]; do
	s=$(state)
	if [ "$s" != "$prev" ]; then
		n=$((n + 1))
		{
			echo "PODNET-G $n begin uptime=$(cut -d' ' -f1 /proc/uptime) online=$(online)"
			printf '%s\n' "$s" | sed "s/^/PODNET-G $n /"
			echo "PODNET-G $n end"
		} >/dev/ttyS0
		prev=$s
	fi
	sleep 1
	i=$((i + 1))
done
EOF
	chmod 0755 "$d/usr/local/sbin/podnet-report"

	cat >"$d/etc/systemd/system/podnet-report.service" <<'EOF'
[Unit]
Description=podnet test: network state on the serial console
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/local/sbin/podnet-report

[Install]
WantedBy=multi-user.target
EOF

	cat >"$d/etc/systemd/system/podnet-httpd.service" <<'EOF'
[Unit]
Description=podnet test: the TCP listener the node reaches (port 8080)
After=network.target

[Service]
ExecStart=/bin/busybox httpd -f -p 8080 -h /srv/www

[Install]
WantedBy=multi-user.target
EOF
	echo 'hello from podnet debian guest' >"$d/srv/www/index.html"

	# Only the modules the guest needs (the default, MODULES=most, copies
	# hundreds of drivers).
	cat >"$d/etc/initramfs-tools/conf.d/podnet" <<'EOF'
MODULES=list
COMPRESS=gzip
EOF
	cat >"$d/etc/initramfs-tools/hooks/podnet" <<EOF
#!/bin/sh
[ "\$1" = prereqs ] && exit 0
. /usr/share/initramfs-tools/hook-functions
for m in $DG_INITRD_MODULES; do force_load "\$m"; done
EOF
	chmod 0755 "$d/etc/initramfs-tools/hooks/podnet"
	echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' >"$d/etc/fstab"
}

# dg_key FILESDIR - the cache key: suite, mirrors, packages, module list,
# command line and every file written into the guest.
dg_key()
{
	{
		printf '%s\n' "$DG_SUITE" "$DG_MIRRORS" "$DG_PKGS" "$DG_INITRD_MODULES" "$DG_CMDLINE"
		(cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum)
		# How the tree is finished (dg_customize's text).
		declare -f dg_customize
		[ "$DG_VARIANT" = networkd ] || declare -f dg_customize_variant
	} | sha256sum | cut -c1-16
}

# dg_customize ROOT FILESDIR - after the packages: our files, units enabled,
# the resolved stub as resolv.conf, no static hostname (networkd sets the
# transient one from DHCP), no serial getty, no modules the guest cannot use.
dg_customize()
{
	local r=$1 f=$2 kver
	cp -a "$f"/* "$r/" || return 1
	chroot "$r" systemctl enable systemd-networkd.service systemd-networkd-wait-online.service \
		systemd-resolved.service podnet-report.service podnet-httpd.service || return 1
	chroot "$r" systemctl mask serial-getty@ttyS0.service getty@tty1.service \
		apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer || return 1
	ln -sf ../run/systemd/resolve/stub-resolv.conf "$r/etc/resolv.conf" || return 1
	rm -f "$r/etc/hostname"
	: >"$r/etc/machine-id"
	kver=$(basename "$(ls -d "$r"/lib/modules/*)")
	# The initramfs already holds the virtio drivers; the root keeps only
	# the modules a virtio guest may load (the rest is most of the tree).
	(cd "$r/lib/modules/$kver/kernel" &&
		find . -name '*.ko*' ! -name 'virtio*' ! -name '*failover.ko*' ! -name 'ext4.ko*' \
			! -name 'jbd2.ko*' ! -name 'mbcache.ko*' ! -name 'crc16.ko*' ! -name 'crc32c*' \
			! -name 'libcrc32c.ko*' ! -name 'rng-core.ko*' ! -name 'autofs4.ko*' -delete &&
		find . -type d -empty -delete) || return 1
	chroot "$r" depmod "$kver" || return 1
	rm -rf "$r/var/cache/apt"/*.bin "$r/var/lib/apt/lists"/*_Packages
	return 0
}

# dg_customize_variant ROOT - DG_VARIANT=nm: NetworkManager instead of
# networkd (dg_customize enabled networkd; its text is the default's key).
dg_customize_variant()
{
	[ "$DG_VARIANT" = nm ] || return 0
	chroot "$1" systemctl disable systemd-networkd.service systemd-networkd-wait-online.service &&
		chroot "$1" systemctl mask systemd-networkd.service systemd-networkd-wait-online.service &&
		chroot "$1" systemctl enable NetworkManager.service NetworkManager-wait-online.service
}

# debian_guest_build [CACHEDIR] - build the guest once per key (under a
# lock: parallel runs wait for one build); sets DG_DIR.
debian_guest_build()
{
	local cache=${1:-$DG_CACHE} files key work rc=0 t0
	files=$(mktemp -d "${TMPDIR:-/tmp}/podnet-dg-files.XXXXXX") || return 1
	dg_write_files "$files"
	key=$(dg_key "$files")
	DG_DIR=$cache/$key
	mkdir -p "$cache" || { rm -rf "$files"; return 1; }
	exec 9>"$cache/.lock"
	flock 9
	# A build that was interrupted (the lock is ours: no other build runs).
	rm -rf "$cache"/.build.*
	if [ -s "$DG_DIR/root.img" ] && [ -s "$DG_DIR/vmlinuz" ] && [ -s "$DG_DIR/initrd.img" ]; then
		dg_log "cached in $DG_DIR (kernel $(cat "$DG_DIR/kernel-version"), built in $(cat "$DG_DIR/build-seconds" 2>/dev/null) s)"
	else
		t0=$(date +%s)
		work=$(mktemp -d "$cache/.build.XXXXXX")
		dg_build_in "$work" "$files" || rc=$?
		if [ "$rc" = 0 ]; then
			echo $(($(date +%s) - t0)) >"$work/out/build-seconds"
			rm -rf "$DG_DIR"
			mv "$work/out" "$DG_DIR" || rc=1
		fi
		rm -rf "$work"
		if [ "$rc" = 0 ]; then
			# Older keys' images are of no further use.
			find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -exec rm -rf {} +
			dg_log "built $DG_DIR in $(cat "$DG_DIR/build-seconds") s"
		fi
	fi
	flock -u 9
	exec 9>&-
	rm -rf "$files"
	return $rc
}

dg_build_in() # WORK FILESDIR
{
	local work=$1 files=$2 root=$1/root out=$1/out kver mb
	mkdir -p "$out"
	dg_log "mmdebstrap $DG_SUITE: $(printf '%s\n' "$DG_PKGS" | paste -sd' ')"
	# Our initramfs settings are in place before the kernel's postinst runs
	# update-initramfs; the rest comes after the packages.
	# shellcheck disable=SC2086
	(IFS='
'
		mmdebstrap --quiet --variant=apt --include="$(echo $DG_PKGS | tr ' ' ',')" \
			--dpkgopt='path-exclude=/usr/share/man/*' \
			--dpkgopt='path-exclude=/usr/share/locale/*' \
			--dpkgopt='path-include=/usr/share/locale/locale.alias' \
			--dpkgopt='path-exclude=/usr/share/doc/*' \
			--dpkgopt='path-exclude=/usr/share/info/*' \
			--setup-hook="mkdir -p \"\$1/etc/initramfs-tools\" && cp -a '$files/etc/initramfs-tools/.' \"\$1/etc/initramfs-tools/\"" \
			"$DG_SUITE" "$root" $DG_MIRRORS) >"$work/mmdebstrap.log" 2>&1 ||
		{
			tail -n 30 "$work/mmdebstrap.log" >&2
			dg_log "mmdebstrap failed"
			return 1
		}
	{ dg_customize "$root" "$files" && dg_customize_variant "$root"; } >>"$work/mmdebstrap.log" 2>&1 ||
		{
			tail -n 30 "$work/mmdebstrap.log" >&2
			dg_log "customizing the tree failed"
			return 1
		}
	kver=$(basename "$(ls -d "$root"/lib/modules/*)")
	if ! cp "$root/boot/vmlinuz-$kver" "$out/vmlinuz" ||
		! cp "$root/boot/initrd.img-$kver" "$out/initrd.img"; then
		dg_log "no kernel or initrd for $kver in the tree"
		return 1
	fi
	echo "$kver" >"$out/kernel-version"
	rm -f "$root/boot/initrd.img-$kver"
	# Room for the journal and logs: the tree plus a quarter and 128 MiB.
	mb=$(du -sm "$root" | cut -f1)
	mb=$((mb + mb / 4 + 128))
	mke2fs -q -t ext4 -L podnet-root -d "$root" -E root_owner=0:0 -F "$out/root.img" "${mb}M" \
		>>"$work/mmdebstrap.log" 2>&1 || {
		tail -n 10 "$work/mmdebstrap.log" >&2
		dg_log "mke2fs -d failed"
		return 1
	}
	du -sm "$root" | cut -f1 >"$out/tree-mib"
	rm -rf "$root"
	return 0
}

# debian_guest_disk DEST - a private copy of the cached disk (sparse).
debian_guest_disk()
{
	cp --sparse=always "$DG_DIR/root.img" "$1"
}

# debian_guest_xml NAME HOSTNAME DISK SERIAL [VM_MAC] - the domain: the one
# template of the tests (domain_xml.sh) with direct boot of the Debian
# kernel and initrd, the disk, 512 MiB, and the podnet tag's hostname.
debian_guest_xml()
{
	local name=$1 host=$2 disk=$3 serial=$4 mac=${5:-52:54:00:12:34:56}
	# shellcheck source=tests/lib/domain_xml.sh
	declare -f test_domain_xml >/dev/null || . "$DG_REPO/tests/lib/domain_xml.sh"
	test_domain_xml "$name" "" "$mac" eth0 pn-eth0 "$DG_DIR/vmlinuz" "$DG_DIR/initrd.img" "$serial" |
		sed -e "s|<memory unit='MiB'>256</memory>|<memory unit='MiB'>512</memory>|" \
			-e "s|<podnet:network xmlns:podnet=\"urn:podnet:xmlns:1\">|<podnet:network xmlns:podnet=\"urn:podnet:xmlns:1\" hostname=\"$host\">|" \
			-e "s|<cmdline>console=ttyS0</cmdline>|<cmdline>$DG_CMDLINE</cmdline>|" \
			-e "s|^    <interface type='bridge'>|    <disk type='file' device='disk'>\n      <driver name='qemu' type='raw'/>\n      <source file='$disk'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n&|"
}

# Run as a script: build (or find) the image and say where it is.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -eu
	debian_guest_build "${1:-$DG_CACHE}"
	echo "$DG_DIR"
fi
