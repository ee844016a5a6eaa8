#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what `make bench` needs on top of tests/deps.sh, from Debian's
# archive: dnsmasq and busybox's udhcpd (the comparisons), hyperfine,
# matplotlib (the plot) and valgrind (callgrind and its client-request
# header for wire_bench), iperf3 and passt (the data path: throughput, and
# pasta as the user-space comparison). apt-get runs only when something is
# missing.
set -eu
. "$(dirname "$0")/../lib/apt.sh"

"$(dirname "$0")/../deps.sh"

PACKAGES="dnsmasq-base busybox-static hyperfine python3 python3-matplotlib valgrind iperf3 passt"
# shellcheck disable=SC2086
apt_install_missing "bench deps" $PACKAGES
