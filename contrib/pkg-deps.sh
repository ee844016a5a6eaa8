#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what `make deb`, `make rpm` and the package checks need, from
# Debian's archive only. Runs apt-get only when a package is missing.
set -eu

PACKAGES="make gcc pkg-config libxml2-dev libnl-3-dev libnl-route-3-dev
libseccomp-dev debhelper dpkg-dev fakeroot lintian rpm git"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "pkg-deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
echo "pkg-deps: all present"
