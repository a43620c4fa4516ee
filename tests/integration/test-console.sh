#!/bin/sh
# SPDX-License-Identifier: MIT
#
# test-console.sh: the real daemon on the console adapter. Pipes
# conversations into `lihui --console` and checks what it posts, that the
# database keeps it across runs, the Chinese locale, the command-line
# options, and a clean stop on SIGTERM.
#
# LIHUI may hold a wrapper, e.g. "valgrind --error-exitcode=99 ./lihui".

set -eu
LIHUI=${LIHUI:-./lihui}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
db="$tmp/lihui.db"

fail() {
	echo "FAIL: $*" >&2
	echo "--- output" >&2
	cat "$tmp/out" >&2 2>/dev/null || true
	echo "--- errors" >&2
	cat "$tmp/err" >&2 2>/dev/null || true
	exit 1
}
has() { grep -qF -- "$1" "$tmp/out" || fail "missing: $1"; }
hasnt() { ! grep -qF -- "$1" "$tmp/out" || fail "unexpected: $1"; }
run() { $LIHUI "$@" >"$tmp/out" 2>"$tmp/err" || fail "exit $? from lihui $*"; }

# 1. A conversation from a pipe: reports, roster, topics, the agenda.
cat >"$tmp/conv1" <<'EOT'
/meeting roster add @me @bob @carol @dave
/report done Shipped the login page
/report plan Launch the A/B test by Thursday
/report metric signups=1,240 conversion=3.1%
@bob /report blocker Waiting for design assets @alice
@bob @lihui report need 1 designer for 2 weeks
@carol /lihui report 完成 完成了支付接口
@dave /report away until 2099-01-01
/agenda add Pricing change @bob 15m
/report metric signups=abc
/report frobnicate
/report
hello everyone, this is an ordinary channel line
/agenda
/agenda post
EOT
cat "$tmp/conv1" | run --console --db "$db"
has "Noted under Done: Shipped the login page"
has "Recorded: signups 1240, conversion 3.1%"
has "[#console] lihui (only @bob sees this):"
has "Noted under Problems and blockers: Waiting for design assets"
has "Noted under Resource needs: 1 designer for 2 weeks"
has "完成了支付接口"
has "You are on leave until 2099-01-01"
has "Added topic 1: Pricing change (15 min)"
has "metric 'signups=abc': the value is not a number"
has "unknown subcommand 'frobnicate' of /report"
has "**Your report for the meeting on"
has "1. Shipped the login page"
has "#### Weekly meeting — console"
has "signups 1240 (new) — @me"
has "Waiting for design assets — @bob (can help: @alice)"
has "1. Pricing change — @bob (15 min)"
has "@dave (until 2099-01-01)"
has "[#console] lihui:"
has "The agenda is posted in the channel."
# carol and bob reported, dave is away: nobody is missing.
grep -A1 "Not reported yet" "$tmp/out" | grep -q "@dave" &&
	fail "an absent member is listed as not reported"
hasnt "ordinary channel line"

# 2. The same database from a regular file: the data is still there.
printf '/report show\n/meeting roster\n' >"$tmp/conv2"
run --console --db "$db" <"$tmp/conv2"
has "1. Shipped the login page"
has "Roster (4): @bob @carol @dave @me"

# 3. Chinese: the channel's locale switches, keywords work.
printf '/report 计划 下周上线新版本\n/agenda\n/report metric x=abc\n' |
	run --console --db "$tmp/zh.db" --locale zh_CN
has "已记入“计划”：下周上线新版本"
has "#### 例会议程 — console"
has "数据“x=abc”的值不是数字"

# 4. Bad input is refused with a reason and stores nothing.
long=$(head -c 5000 /dev/zero | tr '\0' x)
printf '/report done %s\n/report done \377\376\n/report away until someday\n/report show\n' \
	"$long" | run --console --db "$tmp/bad.db"
has "that is too long (5005 bytes; at most 4000)"
has "that text is not valid UTF-8; nothing was saved"
has "cannot read the date 'someday'; use 2026-12-07"
has "You have not reported anything for the meeting on"

# 5. Options.
run --version
has "lihui 0.1.0"
run --help
has "usage: lihui"
run --list-commands
has "/report done <text>"
run --check-config config/lihui.conf.example
has "config/lihui.conf.example: ok"
printf '[lihui]\nmax_text = lots\n' >"$tmp/bad.conf"
if $LIHUI --check-config "$tmp/bad.conf" >"$tmp/out" 2>"$tmp/err"; then
	fail "a bad config was accepted"
fi
grep -qF "$tmp/bad.conf:2:" "$tmp/err" || fail "config error without file:line"
printf '[mattermost]\ntoken = secret-value-123\n' >"$tmp/secret.conf"
chmod 0644 "$tmp/secret.conf"
if $LIHUI --check-config "$tmp/secret.conf" >"$tmp/out" 2>"$tmp/err"; then
	fail "a world-readable config holding a secret was accepted"
fi
grep -q "readable by group or others" "$tmp/err" || fail "no reason given"
grep -q "secret-value-123" "$tmp/err" && fail "the secret was printed"

# 6. SIGTERM stops cleanly (exit 0) while input is still open.
mkfifo "$tmp/fifo"
$LIHUI --console --db "$tmp/term.db" <"$tmp/fifo" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 3>"$tmp/fifo"
echo "/report done before the signal" >&3
i=0
until grep -q "before the signal" "$tmp/out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "no answer within 30 s"
	sleep 0.1
done
kill -TERM $pid
wait $pid || fail "exit $? after SIGTERM"
exec 3>&-
printf '/report show\n' | run --console --db "$tmp/term.db"
has "1. before the signal"

echo "test-console: ok"
