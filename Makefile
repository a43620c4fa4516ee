# SPDX-License-Identifier: MIT
#
# lihui build. Quick start on Debian 12: `make run` and `make test`; both
# install missing packages first (apt-get, as root or through sudo).
#
#   make            build ./lihui
#   make run        build and start lihui on the console adapter (./var/lihui.db)
#   make test       unit + integration tests, again under ASan+UBSan, valgrind,
#                   fuzz targets over their corpora, the catalog and style checks
#   make check-style  clang-format, banned calls, SPDX lines, // comments, cppcheck
#   make fuzz       build the libFuzzer targets with clang (build/fuzz/)
#   make bench      run the benchmarks (results: tests/bench/RESULTS.md)
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       install the Debian packages the build and tests need

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
MODULEDIR ?= $(LIBDIR)/lihui
SYSCONFDIR ?= /etc
UNITDIR ?= /lib/systemd/system
DESTDIR ?=

CC ?= cc
CLANG ?= clang
VERSION := 0.1.0
PKGS := libwebsockets json-c libcurl sqlite3 libuv libcrypto
CORE_PKGS := sqlite3 libuv
NET_PKGS := libwebsockets json-c libcurl libuv libcrypto
DEB_PKGS := build-essential pkg-config libwebsockets-dev libjson-c-dev \
	libcurl4-openssl-dev libssl-dev libcmocka-dev libsqlite3-dev libuv1-dev \
	tzdata valgrind clang clang-format cppcheck libclang-rt-14-dev

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CORE_LIBS = $(shell pkg-config --libs $(CORE_PKGS) 2>/dev/null)
NET_LIBS = $(shell pkg-config --libs $(NET_PKGS) 2>/dev/null)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

WARN := -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2
CPPFLAGS_ALL := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-Iinclude -DLIHUI_VERSION='"$(VERSION)"' \
	-DLIHUI_MODULE_DIR='"$(MODULEDIR)"'
CFLAGS ?= -O2 -g
# Position-independent code everywhere: the network objects go into a
# shared module, and one set of objects serves the module and the tests.
PIC := -fPIC
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

SRC := $(shell find src -name '*.c' | sort)
LIB_SRC := $(filter-out src/main.c,$(SRC))
# The network module lihui-net.so: the platform adapters and what they use
# (see include/lihui/module.h); the rest is the core, in the executable.
NET_SRC := $(filter src/net/%.c src/adapter/gate.c src/adapter/mattermost.c \
	src/adapter/mm-%.c src/adapter/slack%.c,$(LIB_SRC))
CORE_SRC := $(filter-out $(NET_SRC),$(LIB_SRC))
TEST_LIB_SRC := $(shell find tests/lib -name '*.c' 2>/dev/null | sort)
UNIT_SRC := $(shell find tests/unit -name 'test-*.c' 2>/dev/null | sort)
FUZZ_SRC := $(shell find tests/fuzz -name 'fuzz-*.c' 2>/dev/null | sort)
# Integration drivers in C: each starts the real daemon ($LIHUI) against
# fake servers from tests/lib.
ITEST_SRC := $(shell find tests/integration -name 'test-*.c' 2>/dev/null | sort)
BENCH_SRC := $(shell find tests/bench -name 'bench-*.c' 2>/dev/null | sort)
HDRS := $(shell find include src tests -name '*.h' | sort)

OBJ := $(SRC:%.c=build/obj/%.o)
LIB_OBJ := $(LIB_SRC:%.c=build/obj/%.o)
CORE_OBJ := $(CORE_SRC:%.c=build/obj/%.o)
NET_OBJ := $(NET_SRC:%.c=build/obj/%.o)
TEST_LIB_OBJ := $(TEST_LIB_SRC:%.c=build/obj/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/test/%)
ITEST_BIN := $(ITEST_SRC:tests/integration/%.c=build/itest/%)
ASAN_LIB_OBJ := $(LIB_SRC:%.c=build/asan/%.o)
ASAN_CORE_OBJ := $(CORE_SRC:%.c=build/asan/%.o)
ASAN_NET_OBJ := $(NET_SRC:%.c=build/asan/%.o)
ASAN_TEST_LIB_OBJ := $(TEST_LIB_SRC:%.c=build/asan/%.o)
ASAN_UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/asan-test/%)
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=build/bench/%)
CATALOG_USED := build/gen/catalog-used.inc

.PHONY: all run test unit integration asan valgrind fuzz fuzz-smoke \
	contract contract-selftest contract-deps \
	check-style check-deps deps bench install uninstall clean \
	list-commands

all: check-deps lihui lihui-net.so

# Keep test objects between runs (they are intermediate files to make).
.SECONDARY:

# lihui is the core and the console adapter; it exports its symbols
# (-rdynamic) for the network module, which it loads only when the config
# names a chat platform. So a console daemon does not map libcurl's or
# libwebsockets' TLS stacks (about 6 MB of resident pages).
lihui: build/obj/src/main.o $(CORE_OBJ)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -rdynamic -Wl,--as-needed -o $@ $^ $(CORE_LIBS) -lm

lihui-net.so: $(NET_OBJ)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -shared -Wl,--as-needed -o $@ $^ $(NET_LIBS)

build/asan/lihui: build/asan/src/main.o $(ASAN_CORE_OBJ) build/asan/lihui-net.so
	@echo "  LD-ASAN $@"
	@$(CC) $(ASAN_FLAGS) -rdynamic -o $@ build/asan/src/main.o \
		$(ASAN_CORE_OBJ) $(CORE_LIBS) -lm

build/asan/lihui-net.so: $(ASAN_NET_OBJ)
	@echo "  LD-ASAN $@"
	@$(CC) $(ASAN_FLAGS) -shared -o $@ $^ $(NET_LIBS)

build/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) $(PIC) $(PKG_CFLAGS) -c -o $@ $<

build/asan/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC-ASAN $<"
	@$(CC) $(CPPFLAGS_ALL) $(WARN) $(ASAN_FLAGS) $(PIC) $(PKG_CFLAGS) -c -o $@ $<

# The texts the source passes to L_() and N_(): test-catalog checks that
# each has a translation and that no translation is unused.
$(CATALOG_USED): $(SRC) tests/tools/catalog-keys.awk
	@mkdir -p $(dir $@)
	@for f in $(SRC); do awk -f tests/tools/catalog-keys.awk $$f; done | \
		sort -u > $@.tmp && mv $@.tmp $@

build/obj/tests/unit/render/test-catalog.o build/asan/tests/unit/render/test-catalog.o: $(CATALOG_USED)

build/test/%: build/obj/tests/unit/%.o $(LIB_OBJ) $(TEST_LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS) -lm

build/asan-test/%: build/asan/tests/unit/%.o $(ASAN_LIB_OBJ) $(ASAN_TEST_LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD-ASAN $@"
	@$(CC) $(ASAN_FLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS) -lm

build/obj/tests/%.o: tests/%.c $(HDRS) | $(CATALOG_USED)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS_ALL) -Itests/lib -Ibuild/gen $(WARN) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

build/asan/tests/%.o: tests/%.c $(HDRS) | $(CATALOG_USED)
	@mkdir -p $(dir $@)
	@echo "  CC-ASAN $<"
	@$(CC) $(CPPFLAGS_ALL) -Itests/lib -Ibuild/gen $(WARN) $(ASAN_FLAGS) $(PKG_CFLAGS) -c -o $@ $<

build/itest/%: build/obj/tests/integration/%.o $(LIB_OBJ) $(TEST_LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS) -lm

build/contract-bin/%: build/obj/tests/contract/%.o $(LIB_OBJ) $(TEST_LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS) -lm

build/bench/%: build/obj/tests/bench/%.o $(LIB_OBJ) $(TEST_LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS) -lm

# The console shows the conversation; log lines only from warnings up
# (LIHUI_LOG=info make run shows every command).
run: all
	@mkdir -p var
	LIHUI_LOG=$${LIHUI_LOG:-warn} ./lihui --console --db var/lihui.db

# Tests log warnings and errors only, unless LIHUI_LOG says otherwise.
export LIHUI_LOG ?= warn

unit: check-deps $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; ./$$t; done

integration: check-deps lihui lihui-net.so $(ITEST_BIN)
	@set -e; for t in tests/integration/test-*.sh; do \
		echo "== $$t"; LIHUI=./lihui sh $$t; done
	@set -e; for t in $(ITEST_BIN); do \
		echo "== $$t"; LIHUI=./lihui ./$$t; done

asan: check-deps $(ASAN_UNIT_BIN) build/asan/lihui $(ITEST_BIN)
	@set -e; for t in $(ASAN_UNIT_BIN); do echo "== $$t"; ./$$t; done
	@set -e; for t in tests/integration/test-*.sh; do \
		echo "== asan $$t"; LIHUI=build/asan/lihui sh $$t; done
	@set -e; for t in $(ITEST_BIN); do \
		echo "== asan $$t"; LIHUI=build/asan/lihui ./$$t; done

VALGRIND := valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --error-exitcode=99
valgrind: check-deps $(UNIT_BIN) lihui lihui-net.so $(ITEST_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== valgrind $$t"; \
		$(VALGRIND) ./$$t >/dev/null; done
	@set -e; for t in tests/integration/test-*.sh; do \
		echo "== valgrind $$t"; LIHUI="$(VALGRIND) ./lihui" sh $$t; done
	@set -e; for t in $(ITEST_BIN); do \
		echo "== valgrind $$t"; LIHUI="$(VALGRIND) ./lihui" \
		LIHUI_SLOW=1 ./$$t; done

# Fuzz targets: built with clang -fsanitize=fuzzer and run briefly over
# their seed corpora (tests/fuzz/corpus/<target>/) as a regression check.
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_LIB_SRC := $(filter-out src/main.c,$(SRC))
build/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@$(CLANG) $(CPPFLAGS_ALL) $(WARN) -Wno-strict-prototypes -g -O1 \
		-fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) \
		-o $@ $< $(FUZZ_LIB_SRC) $(PKG_LIBS) -lm
fuzz: check-deps $(FUZZ_BIN)
fuzz-smoke: fuzz
	@set -e; for f in $(FUZZ_BIN); do n=$$(basename $$f); \
		echo "== $$f"; mkdir -p build/fuzz/corpus-$$n; \
		$$f -runs=20000 -max_total_time=30 -max_len=4096 -rss_limit_mb=1024 \
			build/fuzz/corpus-$$n tests/fuzz/corpus/$$n \
			>build/fuzz/$$n.log 2>&1 || { tail -40 build/fuzz/$$n.log; exit 1; }; done

# Contract tests: every kind of REST request lihui's Mattermost adapter
# makes, and every kind of Web API request its Slack adapter makes, goes
# to prism, a mock that validates it against the official API documents
# in ../shared/specs/mattermost and ../shared/specs/slack (each skipped
# when absent; the Slack spec with the adjustments that
# tests/contract/adjust-slack-spec.js lists). Prism is pinned in
# tests/contract/package-lock.json and installed into build/contract/
# from the npm registry. contract-selftest proves that a request breaking
# either spec does fail the run.
contract: check-deps contract-deps build/contract-bin/contract-mm \
		build/contract-bin/contract-slack
	@echo "== contract: Mattermost REST requests against the OpenAPI spec"
	@sh tests/contract/run-prism.sh build/contract-bin/contract-mm
	@echo "== contract: Slack Web API requests against the OpenAPI spec"
	@sh tests/contract/run-prism.sh --api slack \
		build/contract-bin/contract-slack
contract-selftest: check-deps contract-deps
	@sh tests/contract/selftest.sh
	@sh tests/contract/selftest-slack.sh

# Checked by command, not by package: NodeSource's nodejs provides and
# conflicts with Debian's npm package.
contract-deps:
	@command -v node >/dev/null && command -v npm >/dev/null && \
	command -v curl >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		$$SUDO apt-get install -y -q nodejs npm curl; }

test: check-deps unit integration asan valgrind fuzz-smoke contract check-style check-readme
	@echo "make test: all passed"

bench: check-deps lihui lihui-net.so $(BENCH_BIN)
	@set -e; for b in $(BENCH_BIN); do echo "== $$b"; ./$$b; done
	@sh tests/bench/bench-rss.sh ./lihui

list-commands: lihui
	@./lihui --list-commands

CHECK_SRC = $(shell find src include tests -name '*.[ch]' | sort)
BANNED := strcpy strcat sprintf vsprintf strtok gets atoi atol localtime \
	gmtime ctime asctime system
check-style: check-deps
	@clang-format --dry-run -Werror $(CHECK_SRC)
	@fail=0; for f in $(CHECK_SRC); do \
		head -1 $$f | grep -q 'SPDX-License-Identifier' || \
			{ echo "$$f: missing SPDX line"; fail=1; }; \
		grep -n '^[^"]*//' $$f | grep -v 'https\?://' && \
			{ echo "$$f: // comment"; fail=1; }; \
		for b in $(BANNED); do \
			grep -nE "(^|[^_a-zA-Z0-9.>])$$b\(" $$f | \
			grep -v "check-style: allow $$b" && \
			{ echo "$$f: banned call $$b()"; fail=1; }; \
		done; \
	done; exit $$fail
	@cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr --std=c11 -Iinclude src

# Install what is missing; asks apt-get only when something is absent.
check-deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi
deps: check-deps

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSCONFDIR)/lihui $(DESTDIR)$(UNITDIR)
	install -d $(DESTDIR)$(MODULEDIR)
	install -m 0755 lihui $(DESTDIR)$(BINDIR)/lihui
	install -m 0644 lihui-net.so $(DESTDIR)$(MODULEDIR)/lihui-net.so
	install -m 0600 config/lihui.conf.example $(DESTDIR)$(SYSCONFDIR)/lihui/lihui.conf.example
	sed 's|@BINDIR@|$(BINDIR)|g; s|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		systemd/lihui.service > $(DESTDIR)$(UNITDIR)/lihui.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/lihui.service

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/lihui $(DESTDIR)$(MODULEDIR)/lihui-net.so \
		$(DESTDIR)$(UNITDIR)/lihui.service

clean:
	rm -rf build lihui lihui-net.so

# The README's command list is generated from the command tables.
README_BEGIN := <!-- commands:begin -->
README_END := <!-- commands:end -->
readme: lihui
	@./lihui --list-commands > build/commands.md
	@awk -v list=build/commands.md \
		'/^$(README_BEGIN)$$/ { print; while ((getline l < list) > 0) print l; skip = 1; next } \
		 /^$(README_END)$$/ { skip = 0 } !skip { print }' README.md > build/README.md.tmp
	@mv build/README.md.tmp README.md
check-readme: lihui
	@./lihui --list-commands > build/commands.md
	@awk '/^$(README_BEGIN)$$/ { on = 1; next } /^$(README_END)$$/ { on = 0 } on' \
		README.md | cmp -s - build/commands.md || \
		{ echo "README.md's command list is stale: run make readme"; exit 1; }
