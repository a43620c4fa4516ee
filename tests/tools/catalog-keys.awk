# SPDX-License-Identifier: MIT
#
# catalog-keys.awk: prints, one per line and ready to include in a C array,
# every text that the C files given pass to L_(loc, "...") or N_("..."),
# joining adjacent string literals the way the compiler does (clang-format
# splits long literals over several lines). Used by the Makefile to build
# build/gen/catalog-used.inc for tests/unit/render/test-catalog.c.

{ src = src $0 " " }

END {
	n = length(src)
	i = 1
	while (i <= n) {
		rest = substr(src, i)
		p = match(rest, /(^|[^A-Za-z0-9_])[LN]_\(/)
		if (p == 0)
			break
		i += p + RLENGTH - 1
		if (substr(src, i - 3, 1) == "L") {
			# skip the locale argument, up to its comma
			depth = 0
			while (i <= n) {
				c = substr(src, i, 1)
				if (c == "(")
					depth++
				else if (c == ")")
					depth--
				else if (c == "," && depth == 0)
					break
				i++
			}
			i++
		}
		text = ""
		found = 0
		for (;;) {
			while (substr(src, i, 1) ~ /[ \t]/)
				i++
			if (substr(src, i, 1) != "\"")
				break
			i++
			while (i <= n) {
				c = substr(src, i, 1)
				if (c == "\\") {
					text = text substr(src, i, 2)
					i += 2
					continue
				}
				if (c == "\"")
					break
				text = text c
				i++
			}
			i++
			found = 1
		}
		if (found)
			print "\"" text "\","
	}
}
