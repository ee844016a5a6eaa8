# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# A rootful podman of the test's own, kept off the machine's state:
#
#  - Every podman command runs in a private mount namespace (held by a
#    process of ours, PM_HOLDER) in which /etc/containers (the configuration
#    written here), /var/lib/containers (images and layers: the cache,
#    tests/.cache/podman, so that the base image and the layers of `make
#    image` are built once), /run/containers, /run/libpod, /run/netns and
#    /dev/shm (libpod's lock) are the test's own folders. podman's defaults
#    then never reach the machine's.
#  - Every podman command also runs in the test's node network namespace
#    (nsenter --net; `ip netns exec` would remount /sys and hide the cgroup
#    mounts from podman): netavark's bridge, veths, sysctls and firewall
#    rules live there. Only the image build runs in the root network
#    namespace (for apt to reach Debian's archive), with --network host: no
#    netavark, nothing made.
#  - runc with the cgroupfs manager (crun refuses hybrid cgroup hierarchies)
#    makes /sys/fs/cgroup/*/libpod_parent/...: removed at cleanup where the
#    test made them.
#  - Container rlimits at or below this shell's hard limits (no
#    CAP_SYS_RESOURCE needed); DNS servers and search domains as a cluster
#    would give a pod.
# Safety: the network is 198.51.100.0/24 (PM_SUBNET) only, in the node
# namespace only.
#
# Source after tests/lib/libvirt_lab.sh (lv_init, lv_defer, lv_wait, ...):
#   pm_init; pm_base_image; pm ...; pm_host make image ...

PM_CACHE=${PM_CACHE:-$LV_REPO/tests/.cache/podman}
PM_SUBNET=198.51.100.0/24
PM_GW=198.51.100.1
PM_DNS=198.51.100.53
PM_SEARCH="pod.example.test example.test"
PM_MTU=1400
PM_NET=podnet-e2e
# What the base image holds: the Containerfile's packages, so that its
# apt-get in `make image` downloads nothing. The cache key covers this list.
PM_BASE_SUITE=bookworm
PM_BASE_MIRRORS="deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main"
PM_BASE_PKGS="libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 tini iproute2"

pm_log() { echo "podman-lab: $*" >&2; }

# podman in the test's mount and node network namespaces.
pm() {
	nsenter --mount="/proc/$PM_HOLDER/ns/mnt" --net="/run/netns/$PM_NODE" \
		env TMPDIR="$PM_DIR/tmp" podman "$@"
}

# The same, given up after SECONDS (cleanup must not hang).
pm_timeout() { # SECONDS ARGS...
	local t=$1
	shift
	timeout -k 5 "$t" nsenter --mount="/proc/$PM_HOLDER/ns/mnt" --net="/run/netns/$PM_NODE" \
		env TMPDIR="$PM_DIR/tmp" podman "$@"
}

# CMD in the test's mount namespace, the root network namespace and this
# working directory: for `make image` (podman build --network host) and
# mmdebstrap, which need Debian's archive.
pm_host() {
	nsenter --mount="/proc/$PM_HOLDER/ns/mnt" --wd="$PWD" \
		env TMPDIR="$PM_DIR/tmp" "$@"
}

# CMD in the holder's mount namespace only (to look at /run/netns there).
pm_mnt() { nsenter --mount="/proc/$PM_HOLDER/ns/mnt" "$@"; }

pm_write_config() {
	local nofile nproc searches='' d
	nofile=$(ulimit -Hn)
	nproc=$(ulimit -Hu)
	[ "$nofile" = unlimited ] || [ "$nofile" -gt 4096 ] && nofile=4096
	[ "$nproc" = unlimited ] || [ "$nproc" -gt 4096 ] && nproc=4096
	for d in $PM_SEARCH; do searches="$searches${searches:+, }\"$d\""; done
	mkdir -p "$PM_DIR/etc/networks"
	cat >"$PM_DIR/etc/containers.conf" <<-EOF
		[containers]
		default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
		dns_servers = ["$PM_DNS"]
		dns_searches = [$searches]
		[engine]
		cgroup_manager = "cgroupfs"
		runtime = "runc"
		events_logger = "file"
	EOF
	cat >"$PM_DIR/etc/storage.conf" <<-'EOF'
		[storage]
		driver = "overlay"
		graphroot = "/var/lib/containers/storage"
		runroot = "/run/containers/storage"
	EOF
	# No registry is asked for anything: every image here is local.
	echo 'unqualified-search-registries = []' >"$PM_DIR/etc/registries.conf"
	echo '{ "default": [ { "type": "insecureAcceptAnything" } ] }' >"$PM_DIR/etc/policy.json"
}

# The folders podman would use on the machine: made (empty) where missing,
# so that the holder can mount ours over them, and removed again.
pm_mountpoints() {
	local d
	for d in /etc/containers /var/lib/containers /run/containers /run/libpod; do
		[ -d "$d" ] && continue
		mkdir -p "$d"
		lv_defer "rmdir '$d'"
	done
}

# libpod_parent in each cgroup hierarchy: removed at cleanup where the test
# made it (podman removes the containers' and pods' own cgroups below it).
pm_cgroups_note() {
	local d
	PM_CGROUP_NEW=
	for d in /sys/fs/cgroup/*/; do
		[ -d "${d}libpod_parent" ] || PM_CGROUP_NEW="$PM_CGROUP_NEW ${d}libpod_parent"
	done
}

pm_cgroups_cleanup() {
	local d
	for d in $PM_CGROUP_NEW; do
		[ -d "$d" ] || continue
		# Deepest first; a cgroup with a process left in it stays (and says so).
		find "$d" -mindepth 1 -depth -type d -exec rmdir {} \; 2>/dev/null
		rmdir "$d" 2>/dev/null || pm_log "cgroup $d not empty, left in place"
	done
}

# The node namespace: where netavark makes its bridge and rules.
pm_node_up() {
	PM_NODE=pn-e2e-node-$$
	lv_defer "lv_kill_netns '$PM_NODE'; ip netns del '$PM_NODE'"
	ip netns add "$PM_NODE"
	ip -n "$PM_NODE" link set lo up
	# shellcheck disable=SC2034 # lv_node (libvirt_lab.sh) runs there
	LV_NODE=$PM_NODE
}

pm_holder_up() {
	local inner
	# shellcheck disable=SC2016
	inner='set -eu
D=$1 C=$2
mount --bind "$D/etc" /etc/containers
mount --bind "$C/varlib" /var/lib/containers
mount --bind "$D/run-containers" /run/containers
mount --bind "$D/run-libpod" /run/libpod
mount -t tmpfs -o mode=0755 pm-netns /run/netns
mount -t tmpfs -o mode=1777 pm-shm /dev/shm
: >"$D/holder-ready"
exec sleep infinity'
	mkdir -p "$PM_DIR/run-containers" "$PM_DIR/run-libpod" "$PM_DIR/tmp" "$PM_CACHE/varlib"
	unshare -m --propagation private sh -c "$inner" sh "$PM_DIR" "$PM_CACHE" \
		</dev/null >"$PM_DIR/holder.log" 2>&1 &
	PM_HOLDER=$!
	lv_wait 30 test -e "$PM_DIR/holder-ready" ||
		lv_die "podman's mount namespace holder did not start: $(cat "$PM_DIR/holder.log")"
	PM_MNT_INODE=$(stat -L -c %i "/proc/$PM_HOLDER/ns/mnt")
}

# pids of every process in the holder's mount namespace (podman, conmon).
pm_mnt_pids() {
	local p
	[ -n "${PM_MNT_INODE:-}" ] || return 0
	for p in /proc/[0-9]*; do
		[ "$(stat -L -c %i "$p/ns/mnt" 2>/dev/null)" = "$PM_MNT_INODE" ] && echo "${p#/proc/}"
	done
	return 0
}

# A container's init (tini) by pid and pid namespace: killed at cleanup only
# if it is still that process (a pid may be reused), which ends the rest of
# the container with it.
pm_note_ctr() { # CONTAINER
	local pid ino
	pid=$(pm inspect -f '{{.State.Pid}}' "$1" 2>/dev/null) || return 0
	[ -n "$pid" ] && [ "$pid" != 0 ] || return 0
	ino=$(stat -L -c %i "/proc/$pid/ns/pid" 2>/dev/null) || return 0
	PM_INITS="${PM_INITS:-} $pid:$ino"
}

pm_kill_inits() {
	local e pid ino
	for e in ${PM_INITS:-}; do
		pid=${e%%:*} ino=${e#*:}
		[ "$(stat -L -c %i "/proc/$pid/ns/pid" 2>/dev/null)" = "$ino" ] || continue
		[ "$(awk '/^NSpid:/ { print $NF }' "/proc/$pid/status" 2>/dev/null)" = 1 ] || continue
		kill -KILL "$pid" 2>/dev/null
	done
}

# Everything podman made, then our processes, then the holder.
pm_teardown() {
	local pids
	[ -n "${PM_HOLDER:-}" ] || return 0
	if kill -0 "$PM_HOLDER" 2>/dev/null; then
		pm_timeout 60 pod rm -af -t 0 >/dev/null 2>&1
		pm_timeout 60 rm -af -t 0 >/dev/null 2>&1
		pm_timeout 30 network rm -f "$PM_NET" >/dev/null 2>&1
		pm_timeout 30 volume rm -af >/dev/null 2>&1
	fi
	pm_kill_inits
	pids=$(pm_mnt_pids | grep -vx "$PM_HOLDER")
	# shellcheck disable=SC2086
	[ -z "$pids" ] || lv_kill_pids $pids
	lv_kill_pids "$PM_HOLDER"
	pm_cgroups_cleanup
	PM_HOLDER=
}

pm_init() {
	PM_DIR=$LV_TOP/podman
	mkdir -p "$PM_DIR" "$PM_CACHE"
	pm_write_config
	pm_mountpoints
	pm_cgroups_note
	pm_node_up
	pm_holder_up
	lv_defer pm_teardown
	# Left by a run that could not clean up (the storage is the cache's).
	pm_timeout 60 pod rm -af -t 0 >/dev/null 2>&1
	pm_timeout 60 rm -af -t 0 >/dev/null 2>&1
	pm_timeout 30 volume rm -af >/dev/null 2>&1
	pm network create --disable-dns --subnet "$PM_SUBNET" --gateway "$PM_GW" \
		--opt mtu="$PM_MTU" "$PM_NET" >/dev/null ||
		lv_die "podman network create failed"
	pm_log "up: node=$PM_NODE holder=$PM_HOLDER dir=$PM_DIR cache=$PM_CACHE"
}

# The base image's tarball: one per machine and key, shared by every clone
# and worktree (each clone's storage imports it: seconds, not mmdebstrap's
# minute).
PM_BASE_CACHE=${PM_BASE_CACHE:-/var/cache/podnet-tests/podman-base}

# The cache key: suite, mirrors, package list, the versions apt on this
# machine offers for those packages (its lists are of the same archive), the
# mmdebstrap that runs and the text of the function that runs it.
pm_base_key() {
	{
		printf '%s\n' "$PM_BASE_SUITE" "$PM_BASE_MIRRORS" "$PM_BASE_PKGS"
		# shellcheck disable=SC2086
		apt-cache show --no-all-versions $PM_BASE_PKGS 2>/dev/null | grep -E '^(Package|Version):'
		dpkg-query -W -f '${Version}\n' mmdebstrap
		declare -f pm_base_mmdebstrap
	} | sha256sum | cut -c1-16
}

# pm_base_mmdebstrap TAR - `mmdebstrap --variant=apt` from Debian's archive.
pm_base_mmdebstrap() {
	# shellcheck disable=SC2086
	(IFS='
'; pm_host mmdebstrap --quiet --variant=apt --include="$(echo $PM_BASE_PKGS | tr ' ' ',')" \
		"$PM_BASE_SUITE" "$1" $PM_BASE_MIRRORS) >"$PM_DIR/mmdebstrap.log" 2>&1 ||
		{ tail -n 20 "$PM_DIR/mmdebstrap.log" >&2; return 1; }
}

# pm_base_tar KEY - PM_BASE_CACHE/KEY/base.tar, made unless a whole one is
# there (its checksum, written last, verifies); sets PM_BASE_TAR. The caller
# holds PM_BASE_CACHE's lock.
pm_base_tar() {
	local dir=$PM_BASE_CACHE/$1 work t0
	PM_BASE_TAR=$dir/base.tar
	# Left by an interrupted build (the lock is ours: none runs).
	rm -rf "$PM_BASE_CACHE"/.build.*
	if [ -s "$dir/SHA256SUMS" ] && (cd "$dir" && sha256sum --quiet -c SHA256SUMS) >/dev/null 2>&1; then
		pm_log "base tarball $PM_BASE_TAR cached (made in $(cat "$dir/build-seconds") s)"
		return 0
	fi
	[ ! -e "$dir" ] || pm_log "$dir is incomplete: making it again"
	t0=$(date +%s)
	work=$(mktemp -d "$PM_BASE_CACHE/.build.XXXXXX") || return 1
	pm_log "making $PM_BASE_TAR with mmdebstrap ($PM_BASE_PKGS)"
	if ! pm_base_mmdebstrap "$work/base.tar"; then
		rm -rf "$work"
		return 1
	fi
	echo $(($(date +%s) - t0)) >"$work/build-seconds"
	if ! (cd "$work" && sha256sum base.tar build-seconds >SHA256SUMS) ||
		! rm -rf "$dir" || ! mv "$work" "$dir"; then
		rm -rf "$work"
		return 1
	fi
	# Older keys' tarballs (hundreds of MB) are of no further use.
	find "$PM_BASE_CACHE" -mindepth 1 -maxdepth 1 -type d ! -name "$1" -exec rm -rf {} +
	pm_log "made $PM_BASE_TAR in $(cat "$dir/build-seconds") s"
}

# The base image, tagged by its key in this clone's storage: imported from
# the machine's tarball (made once, pm_base_tar) unless already there.
pm_base_image() {
	local key old rc=0
	key=$(pm_base_key)
	PM_BASE=localhost/podnet-e2e-base:$key
	if pm image exists "$PM_BASE"; then
		pm_log "base image $PM_BASE cached"
		return 0
	fi
	for old in $(pm images --format '{{.Repository}}:{{.Tag}}' | grep '^localhost/podnet-e2e-base:'); do
		pm rmi -f "$old" >/dev/null 2>&1
	done
	mkdir -p "$PM_BASE_CACHE" || return 1
	# Held through the import: a tarball is neither half-made nor
	# removed (another key's build prunes it) while it is read.
	exec 9>"$PM_BASE_CACHE/.lock"
	flock 9
	if pm_base_tar "$key"; then
		pm import -q "$PM_BASE_TAR" "$PM_BASE" >/dev/null || rc=1
	else
		rc=1
	fi
	flock -u 9
	exec 9>&-
	return $rc
}
