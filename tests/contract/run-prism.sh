#!/bin/sh
# SPDX-License-Identifier: MIT
#
# run-prism.sh: runs a command against a validating mock of Mattermost's
# REST API or Slack's Web API, so every request the command makes is
# checked against the official API documents (../shared/specs/mattermost
# or ../shared/specs/slack, beside the repo).
#
#   sh tests/contract/run-prism.sh [--api mattermost|slack] COMMAND [ARG...]
#
# --api defaults to mattermost. The two differ in steps 3, 4 and 6 only.
#
# How it works:
#   1. No spec directory (or, for Slack, no slack_web_openapi_v2.json in
#      it): print one "skipped" line and exit 0.
#   2. Install the pinned prism (tests/contract/package*.json) into
#      build/contract/node_modules with `npm ci`, unless the lock file
#      installed there is already the same.
#   3. Mattermost: join the spec fragments into
#      build/contract/mattermost.yaml (bundle-spec.sh). Slack: write
#      build/contract/slack.json, the spec with the few adjustments
#      adjust-slack-spec.js lists and explains (the token as a bearer
#      header, not an argument; JSON bodies; POST /auth.test; the
#      basePath).
#   4. Start `prism mock` on 127.0.0.1 port 0: the kernel picks a free
#      port, so there is no race with other tests, and prism's
#      "listening" line tells which one. Its log is build/contract/
#      prism.log (Mattermost) or prism-slack.log (Slack). Mattermost runs
#      with --errors (see below); Slack without, because some of the
#      spec's own example answers break its own response schemas (e.g.
#      chat.postMessage's message.attachments), which --errors would turn
#      into a 500 for a valid request.
#   5. Wait until it answers (a CORS preflight, which prism does not log),
#      then run COMMAND with LIHUI_CONTRACT_URL=http://127.0.0.1:PORT.
#   6. Stop prism (also on failure, a signal or the time limit) and read
#      its log: every request that failed validation, and every request
#      prism could not route ("Request terminated with error", e.g. a path
#      or method the spec lacks), is printed and fails the run; lihui's
#      GET /api/v4/websocket excepted (the Mattermost spec's paths lack
#      it). An answer of the mock that breaks the spec's own response
#      schema (prism logs "Violation: response...") is printed as a note
#      and does not fail the run: it is the spec's example at fault, not
#      the request. Slack's apps.connections.open is not in the spec (its
#      copy predates Socket Mode): the command must not send it here.
#
# Exit status: COMMAND's if it failed (124 when it ran out of time), 1 if
# it passed but a request broke the contract, 0 otherwise.
#
# Environment:
#   LIHUI_CONTRACT_TIMEOUT  seconds for starting prism and running COMMAND
#                           together (default 120)
#   LIHUI_CONTRACT_SPECS    the spec directory (default ../shared/specs/
#                           mattermost or ../shared/specs/slack, relative
#                           to the repo root)
#   NPM                     the npm client (default npm)
#
# Prism 5 logs, without a terminal, one line per event, e.g.
#   [HTTP SERVER] post /api/v4/posts ℹ  info      Request received
#       [VALIDATOR] ⚠  warning   Request did not pass the validation rules
#       [VALIDATOR] ✖  error     Request body must have required property ...
#       [VALIDATOR] ✖  error     Violation: request.body Request body must ...
# The "did not pass" line is written once for each request with an
# error-level violation, whether or not the spec has a 4xx answer for it;
# that is what the check counts. Warning-level violations (e.g. a
# deprecated parameter) are printed but do not fail the run. With --errors
# an answer that breaks the spec's own response schema also ends as
# "Request terminated with error" (VIOLATIONS) and fails the run: the
# printed "Violation: response..." lines tell that case apart. Lines of
# concurrent requests can interleave: a violation may then be printed
# under the wrong request line and the count can be low, but any
# violation still fails the run. When changing the pinned prism version,
# run selftest.sh: it proves the log format.

set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/tests/contract"
out="$root/build/contract"
limit=${LIHUI_CONTRACT_TIMEOUT:-120}
npm=${NPM:-npm}
prism="$out/node_modules/.bin/prism"
pid=

usage() {
	echo "usage: run-prism.sh [--api mattermost|slack] COMMAND [ARG...]" >&2
	exit 2
}

api=mattermost
if [ $# -ge 1 ] && [ "$1" = --api ]; then
	[ $# -ge 2 ] || usage
	api=$2
	shift 2
fi
case $api in
mattermost)
	name=Mattermost
	log="$out/prism.log"
	spec_out="$out/mattermost.yaml"
	need=
	errors=--errors
	probe=/api/v4/users/me
	exempt="GET /api/v4/websocket"
	;;
slack)
	name=Slack
	log="$out/prism-slack.log"
	spec_out="$out/slack.json"
	need=slack_web_openapi_v2.json
	errors=
	probe=/api/auth.test
	exempt=
	;;
*) usage ;;
esac
specs=${LIHUI_CONTRACT_SPECS:-"$root/../shared/specs/$api"}

if [ ! -d "$specs" ] || { [ -n "$need" ] && [ ! -f "$specs/$need" ]; }; then
	echo "contract tests ($name) skipped:" \
		"${LIHUI_CONTRACT_SPECS:-../shared/specs/$api}${need:+/$need} not found"
	exit 0
fi
[ $# -ge 1 ] || usage
case $limit in
'' | *[!0-9]*)
	echo "run-prism: LIHUI_CONTRACT_TIMEOUT must be a number of seconds" >&2
	exit 2
	;;
esac

say() {
	echo "run-prism: $*" >&2
}

for tool in node "$npm" curl timeout; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		say "'$tool' not found (Debian 12: apt-get install nodejs npm curl)"
		exit 1
	fi
done
# prism 5.14 and its dependencies need node >= 18.20.1 (Debian 12 has 18.20.4).
if ! node -e 'const v = process.versions.node.split(".").map(Number);
	process.exit(v[0] > 18 || (v[0] === 18 && v[1] >= 20) ? 0 : 1)'; then
	say "node $(node --version) is too old: prism needs 18.20 or later"
	exit 1
fi

mkdir -p "$out"

# Trust what the system trusts (e.g. a site's TLS proxy in Debian's CA
# bundle): Debian's npm and node otherwise use their own lists only.
system_cas=/etc/ssl/certs/ca-certificates.crt
if [ -r "$system_cas" ]; then
	[ -n "${npm_config_cafile:-}" ] || npm_config_cafile=$system_cas
	[ -n "${NODE_EXTRA_CA_CERTS:-}" ] || NODE_EXTRA_CA_CERTS=$system_cas
	export npm_config_cafile NODE_EXTRA_CA_CERTS
fi

# 2. npm ci removes node_modules first, so it runs only when the lock
# file changed (or the last install did not finish: no prism binary).
if [ ! -x "$prism" ] ||
	! cmp -s "$here/package-lock.json" "$out/package-lock.json" ||
	! cmp -s "$here/package.json" "$out/package.json"; then
	cp "$here/package.json" "$here/package-lock.json" "$out/"
	echo "run-prism: installing prism (npm ci, log in $out/npm.log)"
	if ! timeout --foreground 600 "$npm" ci --prefix "$out" --offline-first \
		--no-audit --no-fund --loglevel=warn >"$out/npm.log" 2>&1; then
		cat "$out/npm.log" >&2
		rm -f "$out/package-lock.json"
		say "npm ci failed"
		exit 1
	fi
fi

# 3.
if [ "$api" = slack ]; then
	node "$here/adjust-slack-spec.js" "$specs/$need" "$spec_out" >/dev/null
else
	sh "$here/bundle-spec.sh" "$specs" "$spec_out" >/dev/null
fi

# Clean-up (step 6): stop COMMAND (if a signal cut it short) and prism,
# and wait for them, so prism's log is complete; prism gets SIGKILL if
# SIGTERM has not stopped it within 5 s. timeout(1) passes a SIGTERM on to COMMAND's
# whole process group, so a daemon the command started goes too.
cmd=
stop_all() {
	if [ -n "$cmd" ]; then
		kill "$cmd" 2>/dev/null || true
		wait "$cmd" 2>/dev/null || true
		cmd=
	fi
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null || true
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=
}
trap 'stop_all' EXIT
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM HUP

start=$(date +%s)
deadline=$((start + limit))

# 4. NO_COLOR keeps ANSI escapes out of the log the check reads.
# $errors is empty or one word: unquoted on purpose.
# shellcheck disable=SC2086
NO_COLOR=1 FORCE_COLOR=0 "$prism" mock $errors -h 127.0.0.1 -p 0 \
	"$spec_out" >"$log" 2>&1 &
pid=$!

url=
while :; do
	url=$(sed -n 's/.*Prism is listening on \(http:\/\/127\.0\.0\.1:[0-9][0-9]*\).*/\1/p' \
		"$log" | head -n 1)
	[ -z "$url" ] || break
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid" 2>/dev/null || true
		pid=
		tail -n 30 "$log" >&2
		say "prism exited before listening (is the spec valid?)"
		exit 1
	fi
	if [ "$(date +%s)" -ge "$deadline" ]; then
		tail -n 30 "$log" >&2
		say "prism did not start within ${limit}s"
		exit 124
	fi
	sleep 0.2
done

# 5. Prism answers an OPTIONS preflight itself (CORS is on by default)
# without logging a request, so the probe does not show up in the check.
while ! curl -s -o /dev/null --max-time 2 -X OPTIONS \
	-H 'Origin: http://127.0.0.1' \
	-H 'Access-Control-Request-Method: GET' "$url$probe"; do
	if [ "$(date +%s)" -ge "$deadline" ] || ! kill -0 "$pid" 2>/dev/null; then
		say "prism at $url does not answer"
		exit 1
	fi
	sleep 0.2
done
# Only what COMMAND causes is checked: skip the start-up lines.
skip=$(wc -l <"$log")
version=$(sed -n 's/^  "version": "\([^"]*\)".*/\1/p' \
	"$out/node_modules/@stoplight/prism-cli/package.json")
echo "run-prism: prism $version at $url" \
	"(started in $(($(date +%s) - start))s), log in $log"

left=$((deadline - $(date +%s)))
[ $left -gt 0 ] || left=1
# COMMAND runs in the background and the shell waits for it, because a
# signal interrupts `wait` at once (the traps above then clean up) but
# not a foreground command. Its standard input is therefore /dev/null.
LIHUI_CONTRACT_URL=$url timeout -k 5 "$left" "$@" &
cmd=$!
status=0
wait "$cmd" || status=$?
cmd=
stop_all

# 6. One block for each request that broke the contract: its request
# line, then prism's findings. The validator's messages come twice for a
# request it answered, plainly and as "Violation: request.body.x ...";
# the second form (which has the location) is shown when there is one.
# Mattermost's GET /api/v4/websocket is exempt ($exempt): the documents
# describe the WebSocket in prose only (introduction.yaml), not under
# "paths:", so prism answers lihui's connection attempts with a 404 that
# is no contract breach.
report=$(tail -n +"$((skip + 1))" "$log" | awk -v exempt="$exempt" '
	function flush() {
		if (bad) {
			nbad++
			printf "%s\n%s", head, (viol != "" ? viol : plain) other
		}
		head = ""; plain = ""; viol = ""; other = ""; bad = 0; ws = 0
	}
	/\[HTTP SERVER\] [a-z]+ .*Request received/ {
		flush()
		nreq++
		line = $0
		sub(/^.*\[HTTP SERVER\] /, "", line)
		sub(/ [^ ]+ +info +Request received.*$/, "", line)
		head = "  " toupper(substr(line, 1, index(line, " "))) \
		    substr(line, index(line, " ") + 1)
		next
	}
	/\[VALIDATOR\] [^ ]+ +warning +Request did not pass the validation rules/ {
		bad = 1
		next
	}
	# Exactly one "no path" answer per WebSocket request is exempt, so
	# a line of another request printed in its block still counts.
	/Request terminated with error: .*NO_PATH_MATCHED_ERROR/ &&
	    exempt != "" && head == "  " exempt && !ws {
		ws = 1; nexempt++
		next
	}
	/Request terminated with error:/ {
		line = $0
		sub(/^.*Request terminated with error: /, "", line)
		other = other "    " line "\n"
		bad = 1
		next
	}
	# The mock answer breaks the spec'"'"'s own response schema: the
	# example is at fault, not the request (prism without --errors).
	/\[VALIDATOR\] [^ ]+ +error +Violation: response/ {
		line = $0
		sub(/^.*\[VALIDATOR\] [^ ]+ +error +Violation: /, "", line)
		note = note head "  " line "\n"
		next
	}
	/\[VALIDATOR\] [^ ]+ +error +Violation: / {
		line = $0
		sub(/^.*\[VALIDATOR\] [^ ]+ +error +/, "", line)
		viol = viol "    " line "\n"
		next
	}
	/\[VALIDATOR\] [^ ]+ +error +/ {
		line = $0
		sub(/^.*\[VALIDATOR\] [^ ]+ +error +/, "", line)
		plain = plain "    " line "\n"
		next
	}
	/\[VALIDATOR\] [^ ]+ +warning +Violation: / {
		line = $0
		sub(/^.*\[VALIDATOR\] [^ ]+ +warning +/, "", line)
		warn = warn head "  (warning) " line "\n"
		next
	}
	END {
		flush()
		if (warn != "")
			printf "warnings (not failing the run):\n%s", warn
		if (note != "")
			printf "the spec'"'"'s own answers break its response schemas (not failing the run):\n%s", note
		if (nexempt)
			printf "not checked: %d %s (not in the spec)\n", nexempt, exempt
		printf "SUMMARY %d %d\n", nreq, nbad + 0
	}')
summary=$(printf '%s\n' "$report" | sed -n 's/^SUMMARY //p')
nreq=${summary% *}
nbad=${summary#* }
details=$(printf '%s\n' "$report" | sed '/^SUMMARY /d')

if [ -n "$details" ]; then
	echo "run-prism: prism's findings:"
	printf '%s\n' "$details"
fi
echo "run-prism: $nreq requests, $nbad broke the contract"
if [ "$status" -ne 0 ]; then
	if [ "$status" -eq 124 ]; then
		say "'$*' did not finish within the ${limit}s limit"
	else
		say "'$*' failed (exit $status)"
	fi
	exit "$status"
fi
if [ "$nbad" -ne 0 ]; then
	say "$nbad requests do not match the $name API spec (see $log)"
	exit 1
fi
exit 0
