#!/bin/sh
# SPDX-License-Identifier: MIT
#
# test-export.sh: the minutes leave lihui two ways. Holds a meeting on the
# console adapter, then checks the Markdown copy lihui wrote beside the
# database (minutes_dir), and `lihui export` in both formats: the Markdown
# is what /meeting minutes showed, the JSON parses (python3 when present;
# the unit test reads it back with json-c) and --output writes a file.
# Then a running meeting, copies turned off, and the usage errors.
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
has() { grep -qF -- "$1" "$2" || fail "missing in $2: $1"; }
run() { $LIHUI "$@" >"$tmp/out" 2>"$tmp/err" || fail "exit $? from lihui $*"; }
# Run lihui expecting exit code $1; the rest are its arguments.
run_fails() {
	want=$1
	shift
	rc=0
	$LIHUI "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" = "$want" ] || fail "exit $rc, want $want, from lihui $*"
}
# The file without its trailing empty lines.
trim() { sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}' "$1"; }

# 1. A meeting; the minutes are shown again at the end.
cat >"$tmp/conv" <<'EOT'
/meeting roster add @me @bob @carol
/meeting start Weekly "ops" sync
good morning everyone
#topic 发布
#info the build is green
@bob #agreed ship on Friday
#action @bob tomorrow write the "release" notes
/meeting present @carol
/meeting end
/meeting rate 4
/meeting minutes 1
EOT
run --console --db "$db" <"$tmp/conv"
has "#### Minutes of meeting 1: Weekly \"ops\" sync" "$tmp/out"
# What the last post showed: the lines after the last header.
awk '/^\[#console\] lihui/ { n = 0; next } { l[n++] = $0 }
	END { for (i = 0; i < n; i++) print l[i] }' "$tmp/out" >"$tmp/shown"

# 2. The Markdown copy beside the database.
set -- "$tmp"/minutes/*-console-1.md
[ -f "$1" ] || fail "no copy of the minutes in $tmp/minutes"
copy=$1
ls "$tmp"/minutes/*.tmp >/dev/null 2>&1 && fail "a temporary file was left"

# 3. Markdown export: as shown, as copied.
run export --meeting 1 --format md --db "$db"
cp "$tmp/out" "$tmp/export.md"
has "#### Minutes of meeting 1: Weekly \"ops\" sync" "$tmp/export.md"
trim "$tmp/export.md" >"$tmp/a"
trim "$tmp/shown" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || { diff "$tmp/a" "$tmp/b" >&2; fail "export differs from /meeting minutes"; }
cmp -s "$tmp/export.md" "$copy" || fail "export differs from the copy $copy"
run export --meeting 1 --db "$db"
cmp -s "$tmp/out" "$tmp/export.md" || fail "md is not the default format"

# 4. JSON export.
run export --meeting 1 --format json --db "$db"
cp "$tmp/out" "$tmp/export.json"
if command -v python3 >/dev/null 2>&1; then
	python3 -m json.tool "$tmp/export.json" >/dev/null ||
		fail "the JSON export does not parse"
	python3 - "$tmp/export.json" <<'EOT' || fail "the JSON export is wrong"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
m = d["meeting"]
assert m["id"] == 1 and m["state"] == "ended", m
assert m["title"] == 'Weekly "ops" sync', m
assert m["started_at"].endswith("Z") and m["ended_at"].endswith("Z"), m
assert d["channel"]["name"] == "console", d["channel"]
kinds = [e["kind"] for e in d["log"]]
assert kinds == ["line", "topic", "info", "agreed", "action"], kinds
assert d["log"][1]["text"] == "发布", d["log"][1]
a = d["actions"][0]
assert a["owner"] == "bob" and a["text"] == 'write the "release" notes', a
assert [p["user"] for p in d["attendees"]] == ["me", "bob", "carol"]
assert d["ratings"] == {"count": 1, "average": 4}, d["ratings"]
assert d["minutes"].startswith("#### Minutes of meeting 1"), d["minutes"]
EOT
else
	echo "python3 not found: JSON checked by tests/unit/test-export only"
fi
has '"format": "lihui-meeting"' "$tmp/export.json"
has '"text": "write the \"release\" notes"' "$tmp/export.json"

# 5. --output: the same document in a file, nothing else left.
run export --meeting 1 --format json --db "$db" --output "$tmp/m.json"
[ -s "$tmp/out" ] && fail "--output also wrote to standard output"
cmp -s "$tmp/m.json" "$tmp/export.json" || fail "--output differs"
[ -e "$tmp/m.json.tmp" ] && fail "--output left its temporary file"

# 6. A running meeting exports its minutes so far; copies can be off.
printf '[lihui]\nminutes_dir = ""\n' >"$tmp/off.conf"
printf '/meeting start Planning\n#info still going\n' |
	run --console --config "$tmp/off.conf" --db "$tmp/run.db"
run export --meeting 1 --db "$tmp/run.db"
has "#### Minutes of meeting 1: Planning" "$tmp/out"
has "still going" "$tmp/out"
run export --meeting 1 --format json --db "$tmp/run.db"
has '"state": "running"' "$tmp/out"
has '"ended_at": null' "$tmp/out"
printf '/meeting end\n' |
	run --console --config "$tmp/off.conf" --db "$tmp/run.db"
[ -e "$tmp/minutes/"*-console-1.md ] || fail "the first copy is gone"
ls "$tmp/minutes" | grep -q Planning && fail "a copy was written while off"
[ "$(ls "$tmp/minutes" | wc -l)" = 1 ] || fail "copies written while off"

# 7. Errors: "lihui: export: ..." and exit 1 (the meeting) or 2 (usage).
run_fails 1 export --meeting 9 --db "$db"
has "lihui: export: no meeting 9" "$tmp/err"
run_fails 2 export --db "$db"
has "lihui: export: --meeting ID is required" "$tmp/err"
run_fails 2 export --meeting one --db "$db"
has "lihui: export: invalid meeting 'one'" "$tmp/err"
run_fails 2 export --meeting 1 --format pdf --db "$db"
has "lihui: export: invalid format 'pdf': want md or json" "$tmp/err"
run_fails 1 export --meeting 1 --db "$db" --output "$tmp/none/m.md"
has "lihui: export: cannot write '$tmp/none/m.md'" "$tmp/err"
run --help
has "lihui export --meeting ID" "$tmp/out"

echo "test-export.sh: all passed"
