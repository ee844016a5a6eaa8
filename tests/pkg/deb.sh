#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs, removes and purges build/pkg/podnet_*.deb with dpkg, inside a
# private mount namespace where /etc/libvirt and dpkg's database are private
# copies: the machine's own /etc/libvirt and package database never change.
# Checks: the hook link is in place after install, a user's own hooks/qemu is
# untouched, postinst says to restart libvirtd, the responder is installed
# root's and writable only by root, remove takes the hook and it away,
# purge leaves none of the package's files. Exit 0 = pass.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
DEB=$(ls "$TOP"/build/pkg/podnet_*.deb 2>/dev/null | tail -1)
[ -n "$DEB" ] || { echo "deb: FAIL: no build/pkg/podnet_*.deb (make deb)" >&2; exit 1; }
for f in /usr/sbin/podnet /usr/libexec/podnet /usr/share/podnet /usr/share/man/man8/podnet.8.gz; do
	[ -e "$f" ] && { echo "deb: FAIL: $f exists already; not clobbering it" >&2; exit 1; }
done
DIR=$(mktemp -d /tmp/podnet-deb.XXXXXX)
trap 'rm -rf "$DIR"' EXIT

export DEB DIR
unshare -m --propagation private bash -c '
	set -u
	errors=0
	bad() { echo "deb: FAIL: $*" >&2; errors=$((errors + 1)); }
	mkdir -p "$DIR/etc-libvirt/hooks" "$DIR/dpkg"
	cp -a /var/lib/dpkg/. "$DIR/dpkg/"
	mount --bind "$DIR/etc-libvirt" /etc/libvirt || exit 1
	mount --bind "$DIR/dpkg" /var/lib/dpkg || exit 1
	printf "#!/bin/sh\necho \"\$@\" >> /tmp/user-hook.log\n" > /etc/libvirt/hooks/qemu
	chmod 755 /etc/libvirt/hooks/qemu
	cp /etc/libvirt/hooks/qemu "$DIR/user-hook"

	dpkg -i "$DEB" > "$DIR/install.log" 2>&1 || bad "dpkg -i: $(cat "$DIR/install.log")"
	cat "$DIR/install.log"
	grep -q "restart libvirtd" "$DIR/install.log" || bad "postinst did not say to restart libvirtd"
	[ "$(readlink /etc/libvirt/hooks/qemu.d/50-podnet)" = /usr/sbin/podnet ] || bad "no hook link"
	[ -x /etc/libvirt/hooks/qemu.d/50-podnet ] || bad "hook not executable"
	cmp -s /etc/libvirt/hooks/qemu "$DIR/user-hook" || bad "user hook changed"
	/usr/sbin/podnet --version | grep -q "^podnet " || bad "podnet --version"
	# The hook runs the responder only if root owns it and alone may write it.
	[ "$(stat -c %U:%a /usr/libexec/podnet/podnet-responder 2>&1)" = root:755 ] ||
		bad "responder: $(stat -c %U:%a /usr/libexec/podnet/podnet-responder 2>&1)"
	/usr/libexec/podnet/podnet-responder >/dev/null 2>&1
	[ $? = 2 ] || bad "podnet-responder run by hand must refuse with status 2"
	man -w podnet >/dev/null 2>&1 || bad "man page not found"
	echo "deb: installed files:"; dpkg -L podnet | sed "s/^/  /"

	dpkg -r podnet > "$DIR/remove.log" 2>&1 || bad "dpkg -r: $(cat "$DIR/remove.log")"
	[ -e /etc/libvirt/hooks/qemu.d/50-podnet ] || [ -L /etc/libvirt/hooks/qemu.d/50-podnet ] &&
		bad "remove left the hook"
	[ -e /usr/sbin/podnet ] && bad "remove left the binary"
	[ -e /usr/libexec/podnet ] && bad "remove left /usr/libexec/podnet"
	cmp -s /etc/libvirt/hooks/qemu "$DIR/user-hook" || bad "user hook changed by remove"

	dpkg -P podnet > "$DIR/purge.log" 2>&1 || bad "dpkg -P: $(cat "$DIR/purge.log")"
	dpkg-query -W podnet >/dev/null 2>&1 && bad "podnet still known to dpkg after purge"
	left=$(find /etc/libvirt /usr /var/lib/dpkg/info -name "*podnet*" 2>/dev/null)
	[ -z "$left" ] || bad "purge left: $left"
	exit $errors
'
rc=$?
[ $rc = 0 ] && echo "deb: PASS" || echo "deb: $rc failure(s)"
exit $rc
