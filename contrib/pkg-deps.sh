#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what `make deb`, `make rpm` and the package checks need, from
# Debian's archive only. Runs apt-get only when a package is missing.
set -eu
. "$(dirname "$0")/../tests/lib/apt.sh"

PACKAGES="make gcc musl-tools pkg-config libxml2-dev
libseccomp-dev libvirt-dev debhelper dpkg-dev fakeroot lintian rpm git"

# shellcheck disable=SC2086
apt_install_missing "pkg-deps" $PACKAGES
