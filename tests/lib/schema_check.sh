#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# One schema job of tests/run: tests/lib/schema_check.sh valid|rejected FILE
# valid: FILE validates against schemas/podnet.rng; rejected: xmllint refuses it.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
xmllint --noout --relaxng schemas/podnet.rng "$2"
rc=$?
case $1 in
valid) [ "$rc" = 0 ] || { echo "does not validate, xmllint exit $rc"; exit 1; } ;;
rejected) [ "$rc" = 3 ] || [ "$rc" = 1 ] || { echo "must be rejected by the schema, xmllint exit $rc"; exit 1; } ;;
*) echo "usage: $0 valid|rejected FILE" >&2; exit 2 ;;
esac
