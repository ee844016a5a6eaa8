# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# The one domain XML template of the tests: a TCG domain with one
# <interface type='bridge'> that podnet's tag names.
#
# test_domain_xml NAME UUID MAC POD_IFACE BRIDGE [KERNEL INITRD SERIAL] -
# the domain on stdout. UUID "" leaves the <uuid> to libvirt. Without
# KERNEL the domain boots nothing (the hook tests and a domain that only
# has to start); with it, direct kernel boot of KERNEL and INITRD with the
# serial console written to the file SERIAL.
test_domain_xml()
{
	local name=$1 uuid=$2 mac=$3 podif=$4 br=$5 kernel=${6:-} initrd=${7:-}
	local serial=${8:-}
	echo "<domain type='qemu'>"
	echo "  <name>$name</name>"
	[ -z "$uuid" ] || echo "  <uuid>$uuid</uuid>"
	cat <<EOF_HEAD
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <metadata>
    <podnet:network xmlns:podnet="urn:podnet:xmlns:1">
      <podnet:interface mac="$mac" pod-interface="$podif"/>
    </podnet:network>
  </metadata>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
EOF_HEAD
	if [ -n "$kernel" ]; then
		cat <<EOF_BOOT
    <kernel>$kernel</kernel>
    <initrd>$initrd</initrd>
    <cmdline>console=ttyS0</cmdline>
EOF_BOOT
	fi
	cat <<EOF_DEVICES
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <interface type='bridge'>
      <mac address='$mac'/>
      <source bridge='$br'/>
      <model type='virtio'/>
      <rom enabled='no'/>
    </interface>
EOF_DEVICES
	if [ -n "$serial" ]; then
		cat <<EOF_SERIAL
    <serial type='file'>
      <source path='$serial'/>
      <target port='0'/>
    </serial>
    <console type='file'>
      <source path='$serial'/>
      <target type='serial' port='0'/>
    </console>
EOF_SERIAL
	fi
	cat <<EOF_TAIL
    <memballoon model='none'/>
  </devices>
</domain>
EOF_TAIL
}

# state_file DIR UUID SUFFIX - the path of a domain's file in the state
# folder DIR: podnet names it UUID@POD_KEY.SUFFIX (POD_KEY: the pod's
# network namespace cookie), and a test's folder serves one pod unless it
# says otherwise. Prints the first match, or DIR/UUID@none.SUFFIX when there
# is none (so that a `[ -e ]` on it is false).
state_file()
{
	local f
	for f in "$1/$2"@*"$3"; do
		[ -e "$f" ] && case ${f#"$1/$2"@} in
		*.*"$3") ;; # a longer suffix that ends alike (.state.tmp)
		*) printf '%s\n' "$f" && return 0 ;;
		esac
	done
	printf '%s\n' "$1/$2@none$3"
}
