# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# The one assertion vocabulary of every shell test (integration and e2e).
# Two kinds of failure, named apart so that nobody mistakes one for the other:
#
#   die MSG...            the test cannot go on (setup failed, a precondition
#                         broke): "Bail out! MSG" and exit 1, now.
#   bad MSG...            an assertion failed: "not ok - MSG", counted, and
#                         the test goes on (so one run shows every failure).
#
# Every recording assertion prints exactly one TAP-like line on stdout:
#   ok MSG...                          "ok - MSG"
#   check WHAT CMD...                  ok or bad, by CMD's exit status
#   expect_eq WHAT WANT GOT            ok "WHAT = 'GOT'" or bad with both
#   expect_match WHAT ERE GOT          the same, GOT matching ERE
# and a comment line:
#   note MSG...                        "# MSG"
# Predicates for `check` that say why they are false (as "#   ..." lines):
#   eq GOT WANT, has TEXT PART, same_lines GOT WANT.
# The end of a test:
#   assert_exit NAME                   "# NAME: all passed" (exit 0) or
#                                      "# NAME: N failed" (exit 1).

ASSERT_FAILS=0

ok()
{
	printf 'ok - %s\n' "$*"
}

bad()
{
	printf 'not ok - %s\n' "$*"
	ASSERT_FAILS=$((ASSERT_FAILS + 1))
}

die()
{
	printf 'Bail out! %s\n' "$*"
	exit 1
}

note()
{
	printf '# %s\n' "$*"
}

# check WHAT CMD... - CMD's exit status decides; CMD may print "#   why".
check()
{
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}

# expect_eq WHAT WANT GOT
expect_eq()
{
	if [ "$2" = "$3" ]; then
		ok "$1 = '$3'"
	else
		bad "$1: expected '$2', got '$3'"
	fi
}

# expect_match WHAT ERE GOT
expect_match()
{
	if [[ $3 =~ $2 ]]; then
		ok "$1 = '$3'"
	else
		bad "$1: expected to match /$2/, got '$3'"
	fi
}

# eq GOT WANT - predicate: equal, else say both.
eq()
{
	[ "$1" = "$2" ] || {
		echo "#   got '$1', want '$2'"
		return 1
	}
}

# has TEXT PART - predicate: TEXT contains PART, else say so.
has()
{
	case "$1" in *"$2"*) return 0 ;; esac
	echo "#   '$1' lacks '$2'"
	return 1
}

# same_lines GOT WANT - predicate: equal multi-line texts, else show both.
same_lines()
{
	[ "$1" = "$2" ] && return 0
	echo "#   got:"
	sed 's/^/#     /' <<<"$1"
	echo "#   want:"
	sed 's/^/#     /' <<<"$2"
	return 1
}

# assert_exit NAME - the last line of a test and its exit status.
assert_exit()
{
	if [ "$ASSERT_FAILS" = 0 ]; then
		note "$1: all passed"
		exit 0
	fi
	note "$1: $ASSERT_FAILS failed"
	exit 1
}
