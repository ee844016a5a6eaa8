#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what podnet's build, tests and demo need, from Debian's archive.
# Runs apt-get only when a package is missing, so it is cheap to call often.
set -eu
. "$(dirname "$0")/lib/apt.sh"

PACKAGES="make gcc musl-tools pkg-config libxml2-dev libxml2-utils
libseccomp-dev libvirt-daemon libvirt-daemon-driver-qemu
libvirt-clients qemu-system-x86 busybox-static udhcpc isc-dhcp-client dhcpcd5
iproute2 curl socat cpio kmod procps util-linux cppcheck clang-tidy
clang-format valgrind systemd python3-scapy clang libclang-rt-14-dev
containernetworking-plugins jq
podman runc conmon netavark catatonit iptables mmdebstrap python3-yaml
e2fsprogs nftables libvirt-dev tcpdump"

# shellcheck disable=SC2086
apt_install_missing "deps" $PACKAGES
# Packaging tools for the pkg tests (make deb, make rpm, lintian).
"$(dirname "$0")/../contrib/pkg-deps.sh"
