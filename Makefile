# qes: plain Makefile (git and redis show it is enough).
#
#   make            build ./qes
#   make test       unit, golden and CLI tests, sanitizer build, short fuzz runs
#   make bench      benchmarks (bench/README.md)
#   make demo       build, create demo.qes and serve it
#   make fuzz       every fuzz harness for FUZZ_SECONDS each
#
# Sources are found by wildcard: a new lib/*.c, cli/*.c, tests/unit/test_*.c
# or fuzz/fuzz_*.c needs no edit here.

CC       ?= cc
FUZZ_CC  ?= clang
FUZZ_SECONDS ?= 20
DEPS_STAMP := build/.deps-ok

PKGS := sqlite3 libxml-2.0 libzip libutf8proc jansson libsodium libmicrohttpd \
	cairo librsvg-2.0 poppler-glib libcrypto xlsxwriter
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -llinear -lpthread -lm

WARN := -Wall -Wextra -Werror -Wvla -Wstrict-prototypes -Wmissing-prototypes \
	-Wwrite-strings -Wno-unused-parameter
BASE_CFLAGS = -std=c11 -D_GNU_SOURCE -Iinclude -Ilib -Ibuild/gen $(WARN) $(PKG_CFLAGS) -MMD -MP
CFLAGS   ?= -O2 -g
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

LIB_SRC  := $(sort $(wildcard lib/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
WEB_SRC  := $(sort $(wildcard web/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))
TOOL_SRC  := $(sort $(wildcard tools/*.c))

# Generated C (embedded web assets) lives in build/gen.
GEN_SRC  := build/gen/web_assets.c build/gen/selfcheck_lists.c build/gen/lay_wordlists.c
WEB_ASSETS := $(sort $(shell find web/static -type f 2>/dev/null))

define objs
$(patsubst %.c,build/$(1)/%.o,$(2))
endef

LIB_OBJ      := $(call objs,rel,$(LIB_SRC) $(WEB_SRC) $(GEN_SRC))
CLI_OBJ      := $(call objs,rel,$(CLI_SRC))
ASAN_LIB_OBJ := $(call objs,asan,$(LIB_SRC) $(WEB_SRC) $(GEN_SRC))
ASAN_CLI_OBJ := $(call objs,asan,$(CLI_SRC))
UNIT_BIN     := $(patsubst tests/unit/%.c,build/rel/tests/%,$(UNIT_SRC))
ASAN_UNIT_BIN := $(patsubst tests/unit/%.c,build/asan/tests/%,$(UNIT_SRC))
FUZZ_BIN     := $(patsubst fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_LIB_OBJ := $(call objs,fuzzobj,$(LIB_SRC) $(WEB_SRC) $(GEN_SRC))
BENCH_BIN    := $(patsubst bench/%.c,build/rel/bench/%,$(BENCH_SRC))
TOOL_BIN     := $(patsubst tools/%.c,build/rel/tools/%,$(TOOL_SRC))

# Quiet by default; V=1 shows the full commands.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2)
endif

.PHONY: all test bench demo fuzz asan clean deps unit golden check-deps
.DEFAULT_GOAL := all

all: qes

deps $(DEPS_STAMP):
	@bash scripts/install-deps
	@mkdir -p build && touch $(DEPS_STAMP)

build/gen/web_assets.c: scripts/embed-assets.sh $(WEB_ASSETS) | $(DEPS_STAMP)
	@mkdir -p build/gen
	bash scripts/embed-assets.sh web/static > $@.tmp && mv $@.tmp $@

build/gen/selfcheck_lists.c: scripts/embed-data.sh $(wildcard data/selfcheck/*.json) | $(DEPS_STAMP)
	@mkdir -p build/gen
	bash scripts/embed-data.sh data/selfcheck json qes__selfcheck_lists > $@.tmp && mv $@.tmp $@

build/gen/lay_wordlists.c: scripts/embed-data.sh $(wildcard data/lay/*.tsv) | $(DEPS_STAMP)
	@mkdir -p build/gen
	bash scripts/embed-data.sh data/lay tsv qes__lay_wordlists > $@.tmp && mv $@.tmp $@

build/rel/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -c $< -o $@

build/asan/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(BASE_CFLAGS) $(ASAN_FLAGS) -c $< -o $@

build/fuzzobj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(call say,FUZZCC,$@)
	$(Q)$(FUZZ_CC) $(BASE_CFLAGS) -Wno-unknown-warning-option -O1 -g -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@

build/rel/libqes.a: $(LIB_OBJ)
	@rm -f $@
	$(call say,AR,$@)
	$(Q)ar rcs $@ $^

build/asan/libqes.a: $(ASAN_LIB_OBJ)
	@rm -f $@
	$(call say,AR,$@)
	$(Q)ar rcs $@ $^

build/fuzzobj/libqes.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	$(call say,AR,$@)
	$(Q)ar rcs $@ $^

qes: $(CLI_OBJ) build/rel/libqes.a
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) build/rel/libqes.a $(PKG_LIBS)

build/asan/qes: $(ASAN_CLI_OBJ) build/asan/libqes.a
	$(call say,CC,$@)
	$(Q)$(CC) $(ASAN_FLAGS) -o $@ $(ASAN_CLI_OBJ) build/asan/libqes.a $(PKG_LIBS)

build/rel/tests/%: tests/unit/%.c build/rel/libqes.a
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $< build/rel/libqes.a $(PKG_LIBS) -lcmocka

build/asan/tests/%: tests/unit/%.c build/asan/libqes.a
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(BASE_CFLAGS) $(ASAN_FLAGS) -o $@ $< build/asan/libqes.a $(PKG_LIBS) -lcmocka

build/fuzz/%: fuzz/%.c build/fuzzobj/libqes.a
	@mkdir -p $(dir $@)
	$(call say,FUZZCC,$@)
	$(Q)$(FUZZ_CC) $(BASE_CFLAGS) -Wno-unknown-warning-option -O1 -g -fsanitize=fuzzer,address,undefined -o $@ $< build/fuzzobj/libqes.a $(PKG_LIBS)

build/rel/bench/%: bench/%.c build/rel/libqes.a
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(BASE_CFLAGS) -O2 -g -o $@ $< build/rel/libqes.a $(PKG_LIBS)

# Stand-alone helpers (demo data): no library needed.
build/rel/tools/%: tools/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -g -o $@ $<

asan: build/asan/qes $(ASAN_UNIT_BIN)

unit: $(UNIT_BIN)

# Only the tests need Node.js and playwright-core (npm ci in tests/e2e);
# make and make demo never run npm.
NODE_STAMP := tests/e2e/node_modules/playwright-core/package.json
$(NODE_STAMP):
	@bash scripts/install-deps --test

test: qes $(TOOL_BIN) $(UNIT_BIN) build/asan/qes $(ASAN_UNIT_BIN) $(FUZZ_BIN) $(NODE_STAMP)
	@bash tests/run-tests.sh

fuzz: $(FUZZ_BIN)
	@bash tests/run-fuzz.sh $(FUZZ_SECONDS)

bench: qes $(BENCH_BIN)
	@bash bench/run.sh

# The demo review, then the web interface on it (DEMO_SERVE=0: no server).
DEMO_LISTEN ?= 127.0.0.1:8080
demo: qes $(TOOL_BIN)
	@bash scripts/demo.sh
	@if [ "$${DEMO_SERVE:-1}" != 0 ]; then \
		echo; echo "Serving demo.qes at http://$(DEMO_LISTEN)/ (Ctrl-C stops)"; \
		echo "  logins: ann / demo-owner-pass (owner), chris / demo-reviewer-pass (reviewer),"; \
		echo "          alex / demo-advisor-pass (advisor)"; \
		./qes serve demo.qes --listen $(DEMO_LISTEN); fi

clean:
	rm -rf build qes demo.qes demo.qes-wal demo.qes-shm demo.qdpx demo.csv demo-prisma.svg \
		demo-report.html

-include $(shell find build -name '*.d' 2>/dev/null)
