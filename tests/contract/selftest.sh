#!/bin/sh
# SPDX-License-Identifier: MIT
#
# selftest.sh: proves that run-prism.sh catches what it must, using only
# the curl CLI as the client:
#   1. a valid POST /api/v4/posts passes (201, a post id in the answer);
#   2. the requests lihui makes pass, and the answers carry the ids lihui
#      reads (users/me, teams/name, commands, posts...);
#   3. a POST /api/v4/posts without channel_id and with a number as
#      message makes run-prism.sh fail and print both violations;
#   4. a request without the bearer token fails;
#   5. a path the spec does not have fails;
#   6. a failing command's exit status is passed on;
#   7. a command that hangs is stopped at LIHUI_CONTRACT_TIMEOUT (124),
#      and prism is gone afterwards;
#   8. with a small spec of its own: a deprecated parameter is printed as
#      a warning and does not fail the run;
#   9. a spec prism cannot parse, and fragments that do not fit together,
#      fail the run before COMMAND starts.
# Skips (exit 0, one line) when ../shared/specs/mattermost is absent.
#
#   sh tests/contract/selftest.sh

set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
run="$root/tests/contract/run-prism.sh"
specs=${LIHUI_CONTRACT_SPECS:-"$root/../shared/specs/mattermost"}
if [ ! -d "$specs" ]; then
	echo "contract tests skipped:" \
		"${LIHUI_CONTRACT_SPECS:-../shared/specs/mattermost} not found"
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
# req METHOD PATH [BODY] prints the body and "HTTP <code>" to stdout.
cat >"$tmp/lib.sh" <<'EOF'
set -eu
req() {
	if [ $# -ge 3 ]; then
		curl -sS --max-time 10 -X "$1" "$LIHUI_CONTRACT_URL$2" \
			-H 'Authorization: Bearer contract-test-token' \
			-H 'Accept: application/json' \
			-H 'Content-Type: application/json' --data-binary "$3" \
			-w '\nHTTP %{http_code}\n'
	else
		curl -sS --max-time 10 -X "$1" "$LIHUI_CONTRACT_URL$2" \
			-H 'Authorization: Bearer contract-test-token' \
			-H 'Accept: application/json' -w '\nHTTP %{http_code}\n'
	fi
}
# expect CODE FIELD METHOD PATH [BODY]: the answer has CODE and "FIELD":
expect() {
	code=$1 field=$2
	shift 2
	a=$(req "$@")
	printf '%s\n' "$a" | grep -q "^HTTP $code\$" ||
		{ echo "$1 $2: wanted $code, got: $a" >&2; exit 1; }
	printf '%s\n' "$a" | grep -q "\"$field\":" ||
		{ echo "$1 $2: no \"$field\" in: $a" >&2; exit 1; }
}
EOF

cat >"$tmp/valid.sh" <<'EOF'
. "$(dirname "$0")/lib.sh"
expect 201 id POST /api/v4/posts '{"channel_id":"c1","message":"hello"}'
EOF

cat >"$tmp/lihui.sh" <<'EOF'
. "$(dirname "$0")/lib.sh"
expect 200 id GET /api/v4/users/me
expect 200 username GET /api/v4/users/4xp9fdt77pncbef59f4k1qe83o
expect 200 id GET /api/v4/users/username/alice
expect 201 id POST /api/v4/posts \
	'{"channel_id":"c1","message":"hi","pending_post_id":"lihui-b1-7"}'
expect 201 id POST /api/v4/posts/ephemeral \
	'{"user_id":"u1","post":{"channel_id":"c1","message":"only you"}}'
expect 201 id POST /api/v4/channels/direct '["b1","u1"]'
expect 200 id PUT /api/v4/posts/p1/patch '{"message":"edited"}'
expect 201 emoji_name POST /api/v4/reactions \
	'{"user_id":"b1","post_id":"p1","emoji_name":"white_check_mark"}'
expect 200 id GET /api/v4/teams/name/core
expect 200 trigger GET '/api/v4/commands?team_id=t1&custom_only=true'
expect 201 token POST /api/v4/commands '{"team_id":"t1","trigger":"report","method":"P","url":"http://127.0.0.1:9/cmd","auto_complete":true,"auto_complete_desc":"d","auto_complete_hint":"h","display_name":"n","description":"x"}'
expect 200 id PUT /api/v4/commands/k1 '{"id":"k1","team_id":"t1","trigger":"report","method":"P","url":"http://127.0.0.1:9/cmd","auto_complete":true,"auto_complete_desc":"d","auto_complete_hint":"h","display_name":"n","description":"x"}'
# Not under the spec's paths, and exempt: lihui's WebSocket attempt.
req GET '/api/v4/websocket?connection_id=&sequence_number=0' >/dev/null
EOF

cat >"$tmp/invalid.sh" <<'EOF'
. "$(dirname "$0")/lib.sh"
req POST /api/v4/posts '{"message":42}'
EOF

cat >"$tmp/noauth.sh" <<'EOF'
curl -sS --max-time 10 "$LIHUI_CONTRACT_URL/api/v4/users/me"
EOF

cat >"$tmp/nopath.sh" <<'EOF'
. "$(dirname "$0")/lib.sh"
req GET /api/v4/no/such/route
EOF

# 1.
if sh "$run" sh "$tmp/valid.sh" >"$tmp/out" 2>&1 &&
	grep -q '^run-prism: 1 requests, 0 broke the contract$' "$tmp/out"; then
	ok "valid POST /api/v4/posts passes"
else
	bad "valid POST /api/v4/posts"
fi
if [ -s "$root/build/contract/prism.log" ]; then
	ok "prism's log kept in build/contract/prism.log"
else
	bad "no build/contract/prism.log"
fi

# 2.
if sh "$run" sh "$tmp/lihui.sh" >"$tmp/out" 2>&1 &&
	grep -q '^run-prism: 13 requests, 0 broke the contract$' "$tmp/out" &&
	grep -q '^not checked: 1 GET /api/v4/websocket' "$tmp/out"; then
	ok "lihui's twelve requests pass, its WebSocket attempt is exempt"
else
	bad "lihui's requests"
fi

# 3.
rc=0
sh "$run" sh "$tmp/invalid.sh" >"$tmp/out" 2>&1 || rc=$?
if [ $rc -eq 1 ] &&
	grep -q '^  POST /api/v4/posts$' "$tmp/out" &&
	grep -q "required property 'channel_id'" "$tmp/out" &&
	grep -q 'property message must be string' "$tmp/out" &&
	grep -q '^run-prism: 1 requests, 1 broke the contract$' "$tmp/out"; then
	ok "invalid POST /api/v4/posts is caught"
else
	bad "invalid POST /api/v4/posts not caught (exit $rc)"
fi

# 4.
rc=0
sh "$run" sh "$tmp/noauth.sh" >"$tmp/out" 2>&1 || rc=$?
if [ $rc -eq 1 ] && grep -q 'Invalid security scheme used' "$tmp/out"; then
	ok "request without a token is caught"
else
	bad "request without a token not caught (exit $rc)"
fi

# 5.
rc=0
sh "$run" sh "$tmp/nopath.sh" >"$tmp/out" 2>&1 || rc=$?
if [ $rc -eq 1 ] && grep -q 'NO_PATH_MATCHED_ERROR' "$tmp/out"; then
	ok "request to a path the spec lacks is caught"
else
	bad "request to an unknown path not caught (exit $rc)"
fi

# 6.
rc=0
sh "$run" sh -c 'exit 7' >"$tmp/out" 2>&1 || rc=$?
if [ $rc -eq 7 ]; then
	ok "command's exit status 7 passed on"
else
	bad "command's exit status not passed on (exit $rc)"
fi

# 7.
rc=0
t0=$(date +%s)
LIHUI_CONTRACT_TIMEOUT=15 sh "$run" sleep 300 >"$tmp/out" 2>&1 || rc=$?
t1=$(date +%s)
url=$(sed -n 's/^run-prism: prism .* at \(http[^ ]*\) .*/\1/p' "$tmp/out")
if [ $rc -eq 124 ] && [ $((t1 - t0)) -lt 40 ] && [ -n "$url" ] &&
	! curl -s -o /dev/null --max-time 2 "$url/"; then
	ok "hanging command stopped after $((t1 - t0))s, prism gone"
else
	bad "time limit (exit $rc after $((t1 - t0))s, url '$url')"
fi

# 8. A spec of three fragments, like Mattermost's.
mkdir "$tmp/mini"
cat >"$tmp/mini/introduction.yaml" <<'EOF'
openapi: 3.0.0
info:
  title: selftest
  version: 1.0.0
paths:
EOF
cat >"$tmp/mini/things.yaml" <<'EOF'
  /api/v4/things:
    get:
      parameters:
        - name: old
          in: query
          deprecated: true
          schema:
            type: string
      responses:
        "200":
          description: a thing
          content:
            application/json:
              schema:
                type: object
                properties:
                  id:
                    type: string
EOF
cat >"$tmp/mini/definitions.yaml" <<'EOF'
components:
  securitySchemes:
    bearerAuth:
      type: http
      scheme: bearer
security:
  - bearerAuth: []
EOF
cat >"$tmp/old.sh" <<'EOF'
. "$(dirname "$0")/lib.sh"
expect 200 id GET '/api/v4/things?old=1'
EOF
if LIHUI_CONTRACT_SPECS="$tmp/mini" sh "$run" sh "$tmp/old.sh" \
	>"$tmp/out" 2>&1 &&
	grep -q '^  GET /api/v4/things  (warning) .*param old is deprecated' \
		"$tmp/out" &&
	grep -q '^run-prism: 1 requests, 0 broke the contract$' "$tmp/out"; then
	ok "deprecated parameter warned about, run passes"
else
	bad "deprecated parameter"
fi

# 9.
cp -r "$tmp/mini" "$tmp/broken"
printf '  /api/v4/broken:\n    get: [unclosed\n' >>"$tmp/broken/things.yaml"
rc=0
LIHUI_CONTRACT_SPECS="$tmp/broken" sh "$run" touch "$tmp/ran" \
	>"$tmp/out" 2>&1 || rc=$?
if [ $rc -eq 1 ] && [ ! -e "$tmp/ran" ] &&
	grep -q 'prism exited before listening' "$tmp/out"; then
	ok "unparsable spec fails the run"
else
	bad "unparsable spec (exit $rc)"
fi
cp -r "$tmp/mini" "$tmp/toplevel"
printf 'extra:\n  /api/v4/more: {}\n' >>"$tmp/toplevel/things.yaml"
rc=0
LIHUI_CONTRACT_SPECS="$tmp/toplevel" sh "$run" touch "$tmp/ran" \
	>"$tmp/out" 2>&1 || rc=$?
if [ $rc -ne 0 ] && [ ! -e "$tmp/ran" ] &&
	grep -q "things.yaml' has a top-level line" "$tmp/out"; then
	ok "fragment with a top-level key fails the run"
else
	bad "fragment with a top-level key (exit $rc)"
fi

echo "$pass passed, $failed failed"
[ $failed -eq 0 ]
