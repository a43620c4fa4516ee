#!/bin/sh
# SPDX-License-Identifier: MIT
#
# test-module.sh: the network module is loaded when the config names a chat
# platform. lihui on the Mattermost adapter, against a server address that
# refuses connections, must load lihui-net.so, open its slash-command
# listener, keep trying the server, and stop cleanly on SIGTERM.
#
# LIHUI may hold a wrapper, e.g. "valgrind --error-exitcode=99 ./lihui".

set -eu
LIHUI=${LIHUI:-./lihui}
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

fail() {
	echo "FAIL: $*" >&2
	echo "--- errors" >&2
	cat "$tmp/err" >&2 2>/dev/null || true
	exit 1
}

cat >"$tmp/lihui.conf" <<EOT
[lihui]
adapter = mattermost
database = $tmp/lihui.db
[mattermost]
url = http://127.0.0.1:1
listen = 127.0.0.1:0
EOT
chmod 600 "$tmp/lihui.conf"

LIHUI_LOG=info LIHUI_MATTERMOST_TOKEN=bot-secret \
	LIHUI_MATTERMOST_COMMAND_TOKEN=command-secret \
	$LIHUI --config "$tmp/lihui.conf" >"$tmp/out" 2>"$tmp/err" &
pid=$!
i=0
until grep -q "asking the server who the bot is again" "$tmp/err"; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "lihui did not start on the mattermost adapter"
	kill -0 "$pid" 2>/dev/null || fail "lihui exited early"
	sleep 0.1
done
grep -q "listening for slash commands on 127.0.0.1:" "$tmp/err" ||
	fail "no slash-command listener"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=
[ "$rc" = 0 ] || fail "exit $rc after SIGTERM"
! grep -q "secret" "$tmp/err" "$tmp/out" || fail "a secret was logged"
echo "test-module: ok"
