#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bundle-spec.sh: joins Mattermost's OpenAPI fragments into one document,
# the way Mattermost's own build does it: introduction.yaml (which ends
# with a top-level "paths:" key), then every topic file (users.yaml,
# posts.yaml ...: entries indented by two spaces, so they land under
# "paths:"), then definitions.yaml (top-level "components:", "security:").
#
#   sh tests/contract/bundle-spec.sh SPEC_DIR OUTPUT
#
# Topic files are taken in C-locale name order; any *.yaml in SPEC_DIR
# other than introduction.yaml and definitions.yaml is a topic file. The
# checks below catch the ways concatenation goes wrong silently: a
# fragment not ending in a newline, a topic file with a top-level key or
# tabs (it would end "paths:"), and a path defined in two files (YAML
# would keep only the last). The result is written atomically; whether it
# is a valid OpenAPI document is proven by prism loading it (run-prism.sh).

set -eu
LC_ALL=C
export LC_ALL

usage() {
	echo "usage: bundle-spec.sh SPEC_DIR OUTPUT" >&2
	exit 2
}
fail() {
	echo "bundle-spec: $*" >&2
	exit 1
}

[ $# -eq 2 ] || usage
dir=$1
out=$2

[ -d "$dir" ] || fail "no spec directory '$dir'"
for f in introduction.yaml definitions.yaml; do
	[ -f "$dir/$f" ] || fail "missing '$dir/$f'"
done
grep -q '^paths:[[:space:]]*$' "$dir/introduction.yaml" ||
	fail "'$dir/introduction.yaml' has no top-level 'paths:' key"
grep -v '^[[:space:]]*$' "$dir/introduction.yaml" | tail -n 1 |
	grep -q '^paths:[[:space:]]*$' ||
	fail "'$dir/introduction.yaml' does not end with 'paths:'"
grep -q '^components:' "$dir/definitions.yaml" ||
	fail "'$dir/definitions.yaml' has no top-level 'components:' key"

# Topic files, in C-locale name order (LC_ALL=C above fixes the glob's
# order); their names must be plain, so the list below splits safely.
topics=
ntopics=0
for f in "$dir"/*.yaml; do
	[ -f "$f" ] || continue
	t=${f##*/}
	case $t in
	introduction.yaml | definitions.yaml) continue ;;
	*[!A-Za-z0-9._-]*) fail "unexpected file name '$f'" ;;
	esac
	topics="$topics $t"
	ntopics=$((ntopics + 1))
done
[ -n "$topics" ] || fail "no topic files in '$dir'"

tab=$(printf '\t')
for t in $topics; do
	f="$dir/$t"
	if grep -q "$tab" "$f"; then
		fail "'$f' contains a tab (YAML indentation must be spaces)"
	fi
	# Every line must be blank, a comment, or indented: a top-level key
	# would close the "paths:" mapping of introduction.yaml.
	bad=$(grep -n -v -e '^[[:space:]]*$' -e '^[[:space:]]*#' -e '^ ' "$f" |
		head -n 1 || true)
	[ -z "$bad" ] || fail "'$f' has a top-level line: $bad"
	first=$(grep -v -e '^[[:space:]]*$' -e '^[[:space:]]*#' "$f" |
		head -n 1 || true)
	case $first in
	'  /'* | '  "/'* | "  '/"*) ;;
	*) fail "'$f' does not start with a path entry at indent 2: $first" ;;
	esac
done

# A path key repeated across (or within) topic files: YAML parsers either
# refuse it or keep the last one, so one file's operations would vanish.
dups=$(for t in $topics; do
	sed -n 's/^  \(["'"'"']\{0,1\}\)\(\/[^"'"'"':]*\)\1:[[:space:]]*$/\2/p' \
		"$dir/$t"
done | sort | uniq -d)
[ -z "$dups" ] ||
	fail "paths defined more than once: $(echo "$dups" | tr '\n' ' ')"

mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
{
	for f in introduction.yaml $topics definitions.yaml; do
		cat "$dir/$f"
		# A fragment without a final newline would glue its last line
		# to the next fragment's first.
		[ -z "$(tail -c 1 "$dir/$f")" ] || echo
	done
} >"$tmp"
mv "$tmp" "$out"
trap - EXIT

npaths=$(grep -c -e '^  /' -e '^  "/' -e "^  '/" "$out" || true)
echo "bundle-spec: $out: $ntopics topic files, $npaths paths"
