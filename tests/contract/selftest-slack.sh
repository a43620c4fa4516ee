#!/bin/sh
# SPDX-License-Identifier: MIT
#
# selftest-slack.sh: proves that `run-prism.sh --api slack` catches what
# it must, using only the curl CLI as the client:
#   1. the requests lihui makes, shaped as lihui sends them (bearer token,
#      JSON bodies, POST /auth.test, GET lookups), pass and are answered
#      200; the spec's own chat.postMessage answer, which breaks its
#      response schema, is printed as a note and does not fail the run;
#   2. six invalid requests make the run fail, each with prism's reason:
#      reactions.add with "ts" for "timestamp" (a required property
#      missing, an unknown one present), chat.postMessage without a
#      channel and with a number as text, chat.postMessage form-encoded
#      (the wrong content type), chat.update without the bearer token, a
#      GET of chat.postMessage (the wrong method), and
#      apps.connections.open (not in the spec);
#   3. a spec directory without slack_web_openapi_v2.json: one "skipped"
#      line, exit 0;
#   4. a spec that no longer has what adjust-slack-spec.js adjusts fails
#      the run before COMMAND starts.
# Skips (exit 0, one line) when ../shared/specs/slack is absent.
#
#   sh tests/contract/selftest-slack.sh

set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
run="$root/tests/contract/run-prism.sh"
specs=${LIHUI_CONTRACT_SPECS:-"$root/../shared/specs/slack"}
if [ ! -f "$specs/slack_web_openapi_v2.json" ]; then
	echo "contract tests (Slack) skipped:" \
		"${LIHUI_CONTRACT_SPECS:-../shared/specs/slack}/slack_web_openapi_v2.json not found"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
failed=0

ok() {
	echo "ok: $*"
	pass=$((pass + 1))
}
bad() {
	echo "FAIL: $*"
	echo "--- run-prism.sh output"
	cat "$tmp/out"
	failed=$((failed + 1))
}

# The client scripts: each gets LIHUI_CONTRACT_URL from run-prism.sh.
# call METHOD API [BODY [TYPE]] prints the answer and "HTTP <code>".
cat >"$tmp/lib.sh" <<'EOF'
set -eu
call() {
	if [ $# -ge 3 ]; then
		curl -sS --max-time 10 -X "$1" "$LIHUI_CONTRACT_URL/api/$2" \
			-H 'Authorization: Bearer xoxb-selftest' \
			-H "Content-Type: ${4:-application/json; charset=utf-8}" \
			--data-binary "$3" -w '\nHTTP %{http_code}\n'
	else
		curl -sS --max-time 10 -X "$1" "$LIHUI_CONTRACT_URL/api/$2" \
			-H 'Authorization: Bearer xoxb-selftest' \
			-w '\nHTTP %{http_code}\n'
	fi
}
# expect FIELD METHOD API [BODY]: answered 200 with "ok":true and FIELD.
expect() {
	field=$1
	shift
	a=$(call "$@")
	printf '%s\n' "$a" | grep -q '^HTTP 200$' ||
		{ echo "$1 $2: wanted 200, got: $a" >&2; exit 1; }
	printf '%s\n' "$a" | grep -q '"ok":true' ||
		{ echo "$1 $2: not ok: $a" >&2; exit 1; }
	printf '%s\n' "$a" | grep -q "\"$field\":" ||
		{ echo "$1 $2: no \"$field\" in: $a" >&2; exit 1; }
}
EOF

cat >"$tmp/lihui.sh" <<'EOF'
. "$(dirname "$0")/lib.sh"
expect user_id POST auth.test
expect ts POST chat.postMessage '{"channel":"C1","text":"*hi*"}'
expect message_ts POST chat.postEphemeral \
	'{"channel":"C1","user":"U1","text":"only you"}'
expect ts POST chat.update '{"channel":"C1","ts":"1.000100","text":"x"}'
expect ok POST reactions.add \
	'{"channel":"C1","timestamp":"1.000100","name":"white_check_mark"}'
expect channel POST conversations.open '{"users":"U1"}'
expect user GET 'users.info?user=U1'
expect members GET 'users.list?limit=200'
expect members GET 'users.list?limit=200&cursor=dXNlcjpVMEc5V0ZYTlo%3D'
EOF

cat >"$tmp/invalid.sh" <<'EOF'
. "$(dirname "$0")/lib.sh"
call POST reactions.add '{"channel":"C1","ts":"1.000100","name":"eyes"}'
call POST chat.postMessage '{"text":42}'
call POST chat.postMessage 'channel=C1&text=hi' \
	application/x-www-form-urlencoded
curl -sS --max-time 10 -X POST "$LIHUI_CONTRACT_URL/api/chat.update" \
	-H 'Content-Type: application/json' \
	--data-binary '{"channel":"C1","ts":"1.000100","text":"x"}'
call GET 'chat.postMessage?channel=C1&text=hi'
call POST apps.connections.open '' application/x-www-form-urlencoded
EOF

# 1.
if sh "$run" --api slack sh "$tmp/lihui.sh" >"$tmp/out" 2>&1 &&
	grep -q '^run-prism: 9 requests, 0 broke the contract$' "$tmp/out" &&
	grep -q "^the spec's own answers break" "$tmp/out" &&
	grep -q '^  POST /api/chat.postMessage  response\.body' "$tmp/out"; then
	ok "lihui's nine requests pass; the spec's own bad answer is a note"
else
	bad "lihui's requests"
fi
if [ -s "$root/build/contract/prism-slack.log" ]; then
	ok "prism's log kept in build/contract/prism-slack.log"
else
	bad "no build/contract/prism-slack.log"
fi

# 2. Each finding is looked for in its own request's block.
rc=0
sh "$run" --api slack sh "$tmp/invalid.sh" >"$tmp/out" 2>&1 || rc=$?
block() {
	awk -v head="  $1" '
		/^  [A-Z]+ \// { on = ($0 == head) }
		on' "$tmp/out"
}
if [ $rc -eq 1 ] &&
	grep -q '^run-prism: 6 requests, 6 broke the contract$' "$tmp/out" &&
	block 'POST /api/reactions.add' |
	grep -q "required property 'timestamp'" &&
	block 'POST /api/reactions.add' |
	grep -q "additional properties; found 'ts'" &&
	block 'POST /api/chat.postMessage' |
	grep -q "required property 'channel'" &&
	block 'POST /api/chat.postMessage' |
	grep -q 'property text must be string' &&
	block 'POST /api/chat.postMessage' |
	grep -q 'Supported content types: application/json' &&
	block 'POST /api/chat.update' |
	grep -q 'Invalid security scheme used' &&
	block 'GET /api/chat.postMessage' |
	grep -q 'NO_METHOD_MATCHED_ERROR' &&
	block 'POST /api/apps.connections.open' |
	grep -q 'NO_PATH_MATCHED_ERROR'; then
	ok "six invalid requests caught, each with its reason"
else
	bad "invalid requests not all caught (exit $rc)"
fi

# 3.
mkdir "$tmp/empty"
rc=0
LIHUI_CONTRACT_SPECS="$tmp/empty" sh "$run" --api slack touch "$tmp/ran" \
	>"$tmp/out" 2>&1 || rc=$?
if [ $rc -eq 0 ] && [ ! -e "$tmp/ran" ] &&
	[ "$(wc -l <"$tmp/out")" -eq 1 ] &&
	grep -q '^contract tests (Slack) skipped: .*not found$' "$tmp/out"; then
	ok "no spec: one skipped line"
else
	bad "no spec (exit $rc)"
fi

# 4. A spec with nothing to adjust: no token parameter, no auth.test.
mkdir "$tmp/stale"
cat >"$tmp/stale/slack_web_openapi_v2.json" <<'EOF'
{"swagger": "2.0", "info": {"title": "stale", "version": "1"},
 "basePath": "/api", "paths": {"/api.test": {"get": {"parameters": [],
 "responses": {"200": {"description": "ok"}}}}}}
EOF
rc=0
LIHUI_CONTRACT_SPECS="$tmp/stale" sh "$run" --api slack touch "$tmp/ran" \
	>"$tmp/out" 2>&1 || rc=$?
if [ $rc -ne 0 ] && [ ! -e "$tmp/ran" ] &&
	grep -q 'adjustment 1 is stale' "$tmp/out"; then
	ok "a spec the adjustments no longer fit fails the run"
else
	bad "stale adjustments (exit $rc)"
fi

echo "$pass passed, $failed failed"
[ $failed -eq 0 ]
