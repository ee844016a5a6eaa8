# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# apt_install_missing LABEL PACKAGE... - install, from Debian's archive, the
# packages that are not installed yet; runs apt-get only when one is missing.
# Sourced by tests/deps.sh, contrib/pkg-deps.sh and tests/bench/deps.sh.
apt_install_missing()
{
	label=$1
	shift
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "$label: installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get -o DPkg::Lock::Timeout=600 update -qq
		# shellcheck disable=SC2086
		apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
	fi
	echo "$label: all present"
}
