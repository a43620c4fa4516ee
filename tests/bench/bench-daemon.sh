#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bench-daemon.sh: report commands per second through the whole daemon:
# `lihui --console` reads N report commands from 1,000 users out of a file,
# runs each through the dispatcher into SQLite (one savepoint per command,
# group commit per loop round, synchronous=FULL), delivers every reply
# through the outbox, and exits. Target: at least 20,000 per second.
#
# Usage: sh tests/bench/bench-daemon.sh [./lihui] [N]   (default N 50000)
set -eu
LIHUI=${1:-./lihui}
n=${2:-50000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v n="$n" 'BEGIN {
	split("done Shipped the login page and fixed two bugs|" \
	      "plan Launch the A/B test by Thursday|" \
	      "blocker Waiting for design assets @alice|" \
	      "metric signups=1240 conversion=3.1%|" \
	      "need 1 designer for 2 weeks", subs, "|")
	for (i = 0; i < n; i++)
		printf "@user%04d /report %s\n", i % 1000, subs[i % 5 + 1]
}' >"$tmp/in"
# Pin to one core when taskset is there: the target is per core.
pin=
command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"
start=$(date +%s.%N)
LIHUI_LOG=warn $pin $LIHUI --console --db "$tmp/lihui.db" <"$tmp/in" >"$tmp/out"
end=$(date +%s.%N)
replies=$(grep -c "^Noted under\|^Recorded:" "$tmp/out")
awk -v n="$n" -v s="$start" -v e="$end" -v r="$replies" \
    -v pinned="${pin:+ (pinned to one core)}" 'BEGIN {
	printf "daemon: %d report commands (%d replies delivered) in %.3f s " \
	       "= %.0f per second%s\n", n, r, e - s, n / (e - s), pinned
}'
