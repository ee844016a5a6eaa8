#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what `make bench` needs on top of tests/deps.sh, from Debian's
# archive: dnsmasq (the comparison), hyperfine, matplotlib (the plot) and
# valgrind (callgrind). apt-get runs only when something is missing.
set -eu

"$(dirname "$0")/../deps.sh"

PACKAGES="dnsmasq-base hyperfine python3 python3-matplotlib valgrind"
missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "bench deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=600 update -qq
	# shellcheck disable=SC2086
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
fi
echo "bench deps: all present"
