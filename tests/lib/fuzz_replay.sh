#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# One fuzz job of tests/run:
#   tests/lib/fuzz_replay.sh BINARY CORPUS   replay CORPUS through a target
#   tests/lib/fuzz_replay.sh --libfuzzer     build the libFuzzer twins and run
#                                            each 2,000 inputs from its corpus
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

if [ "${1:-}" != --libfuzzer ]; then
	[ $# = 2 ] || { echo "usage: $0 BINARY CORPUS | --libfuzzer" >&2; exit 2; }
	[ -x "$1" ] || { echo "$1 not built (make tests; make SAN=1 tests)"; exit 1; }
	[ -d "$2" ] && [ -n "$(ls -A "$2")" ] || { echo "corpus '$2' missing or empty"; exit 1; }
	exec "$1" "$2"
fi

if make -s fuzz-build; then
	echo "ok make fuzz-build"
else
	echo "FAIL make fuzz-build"
	exit 1
fi
rc=0 n=0
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	[ -x "build-fuzz/$name" ] || { echo "FAIL build-fuzz/$name not built"; rc=1; continue; }
	d=$(mktemp -d) || exit 1
	if "build-fuzz/$name" -runs=2000 "$d" "tests/fuzz/corpus/$name" >"$d/log" 2>&1; then
		echo "ok libFuzzer $name (-runs=2000): $(tail -n 1 "$d/log")"
	else
		echo "FAIL libFuzzer $name (-runs=2000):"
		tail -n 20 "$d/log"
		rc=1
	fi
	rm -rf "$d"
	n=$((n + 1))
done
[ "$n" != 0 ] || { echo "no tests/fuzz/fuzz_*.c found"; exit 1; }
exit "$rc"
