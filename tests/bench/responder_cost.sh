#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What one podnet-responder costs (tests/bench/responder_cost.c): a pod as
# the integration tests make it, prepared by the hook, its responder
# stopped; then RESPONDER (default: the one beside PODNET_HOOK) started
# ROUNDS times for exec-to-ready, and PODS at once for PSS/RSS.
#   tests/bench/responder_cost.sh [RESPONDER] [ROUNDS] [PODS]
# Measures, asserts nothing; as root.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

COST=${COST:-$LAB_TOP/build/tests/bench/responder_cost}
RESP=${1:-$(dirname "$PODNET_HOOK")/podnet-responder}
ROUNDS=${2:-200}
PODS=${3:-250}
[ -x "$COST" ] || die "$COST missing (make build/tests/bench/responder_cost)"
lab_begin responder_cost
lab_pod subnet
hook_prepare "$LAB_DATA/vm1.xml"
kill "$RESPONDER_PID"
wait_pid_gone "$RESPONDER_PID" || die "responder did not stop"
uuid=$(sed -n 's/.*<uuid>\(.*\)<\/uuid>.*/\1/p' "$LAB_DATA/vm1.xml")
echo "responder $RESP ($(stat -c %s "$RESP") bytes)"
ip netns exec "$POD" env PODNET_STATE_DIR="$STATE_DIR" "$COST" "$RESP" "$uuid" "$ROUNDS" "$PODS"
RESPONDER_PID=
hook_release "$LAB_DATA/vm1.xml"
lab_done
