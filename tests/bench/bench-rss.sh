#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bench-rss.sh: resident memory of the idle console daemon (target: under
# 8 MB). Starts `lihui --console` on a fresh database with its input held
# open, lets it answer one command, waits, and reads VmRSS and VmHWM.
#
# Usage: sh tests/bench/bench-rss.sh [./lihui]
set -eu
LIHUI=${1:-./lihui}
tmp=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null; kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
mkfifo "$tmp/in"
$LIHUI --console --db "$tmp/lihui.db" <"$tmp/in" >"$tmp/out" 2>/dev/null &
pid=$!
exec 3>"$tmp/in"
echo "/report done warm up" >&3
i=0
until grep -q "warm up" "$tmp/out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "no answer"; exit 1; }
	sleep 0.1
done
sleep 1
rss=$(awk '/^VmRSS/ { print $2 }' /proc/$pid/status)
hwm=$(awk '/^VmHWM/ { print $2 }' /proc/$pid/status)
echo "idle console daemon: VmRSS ${rss} kB, peak VmHWM ${hwm} kB"
