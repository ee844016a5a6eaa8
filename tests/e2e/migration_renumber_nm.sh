#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End to end, issue 24: migration_renumber.sh with the Debian guest running
# NetworkManager (its internal DHCP client, the default of Fedora and RHEL
# guests) instead of systemd-networkd (tests/lib/debian_guest.sh DG_VARIANT=nm).
#
#   tests/e2e/migration_renumber_nm.sh     (root)
export DG_VARIANT=nm
exec "$(dirname "$0")/migration_renumber.sh" "$@"
