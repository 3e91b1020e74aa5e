# Makefile — the only build entry of hwledger.
#
#   make            build build/hwledger and build/libhwledger.a
#   make test       unit tests (cmocka) + CLI tests (shell, TAP); results in
#                   build/test-results/
#   make asan       the whole suite under AddressSanitizer + UBSan
#   make tsan       the CLI tests of the threaded paths under ThreadSanitizer
#   make coverage   the suite with --coverage; lcov tracefile build/coverage.info
#   make fuzz       libFuzzer targets, a short bounded run (FUZZ_TIME seconds)
#   make bench      benchmarks with their reference tools, as ratios
#   make report     build, run every check on this repository, write the report
#   make sast-baseline  accept today's SAST findings (review the diff)
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       install missing dependencies (ci/deps.sh); every build
#                   runs it first
#   make clean

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:
.SECONDARY:

BUILD    ?= build
PREFIX   ?= /usr/local
FUZZ_TIME ?= 15
CLANG    ?= clang

# ---- dependencies --------------------------------------------------------
# `make deps` installs what is missing through ci/deps.sh (a quick
# `ci/deps.sh --check` when nothing is). Every compile waits for it (an
# order-only prerequisite), so `make`, `make test` and `make report` work on
# a machine with only git and make; reading this file installs nothing
# (`make -n test` prints the install, it does not run it). The pkg-config
# answers are therefore asked for when a recipe first needs them, after
# deps ran, and kept: `X = $(eval X := ...)$(X)` sets X once.
deps:
	@ci/deps.sh --check >/dev/null 2>&1 || { \
	  echo "hwledger: installing missing dependencies (ci/deps.sh)"; \
	  ci/deps.sh 1>&2; }

PKGS        := libcmark libcjson sqlite3 libsodium nettle expat libxxhash yaml-0.1
# libgit2 is opened with dlopen by src/ledger/anchor.c (it would add ~2 ms of
# start-up to every command), libxlsxwriter by src/export/xlsx.c (~1 ms,
# with the libminizip and libz it brings), GnuTLS by src/fleet/gnutls.c
# (several ms: eight libraries and its initialisation) and libmicrohttpd by
# src/fleet/serve.c: their headers at build time, their sonames here.
soname      = $(shell objdump -p "$$(pkg-config --variable=libdir $(1) 2>/dev/null)/$(2)" 2>/dev/null | awk '/SONAME/ { print $$2 }')
GIT2_SONAME = $(call soname,libgit2,libgit2.so)
XLSX_SONAME = $(call soname,xlsxwriter,libxlsxwriter.so)
GNUTLS_SONAME = $(call soname,gnutls,libgnutls.so)
MHD_SONAME  = $(call soname,libmicrohttpd,libmicrohttpd.so)
CURL_SONAME = $(call soname,libcurl,libcurl.so)
PKG_CFLAGS  = $(eval PKG_CFLAGS := $(shell pkg-config --cflags libgit2 xlsxwriter gnutls libmicrohttpd libcurl $(PKGS) 2>/dev/null) \
               $(if $(GIT2_SONAME),-DHW_LIBGIT2_SONAME=$(GIT2_SONAME)) \
               $(if $(GNUTLS_SONAME),-DHW_GNUTLS_SONAME=$(GNUTLS_SONAME)) \
               $(if $(MHD_SONAME),-DHW_MHD_SONAME=$(MHD_SONAME)) \
               $(if $(CURL_SONAME),-DHW_CURL_SONAME=$(CURL_SONAME)) \
               $(if $(XLSX_SONAME),-DHW_XLSXWRITER_SONAME=$(XLSX_SONAME)))$(PKG_CFLAGS)
# The libraries every command loads are linked from their static archives
# where Debian ships one (libcmark, sqlite3, libsodium, Nettle, expat,
# libxxhash): the dynamic loader's share of a command's start falls from
# ~1.4 to ~0.6 ms (hyperfine
# `hwledger --version`). LINK=shared links them all as shared objects, as a
# distribution's package would, to take the distribution's updates.
LINK        ?= static-deps
PKG_LIBDIR  = $(shell pkg-config --variable=libdir sqlite3 2>/dev/null)
ifeq ($(LINK),shared)
PKG_LIBS    = $(eval PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) \
               -lm -lpthread -ldl)$(PKG_LIBS)
else
PKG_LIBS    = $(eval PKG_LIBS := $(foreach l,cmark cjson sqlite3 sodium nettle expat xxhash yaml,$(or \
               $(wildcard $(PKG_LIBDIR)/lib$(l).a),-l$(l))) -lm -lpthread -ldl)$(PKG_LIBS)
endif
TEST_CFLAGS = $(eval TEST_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null))$(TEST_CFLAGS)
TEST_LIBS   = $(eval TEST_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null))$(TEST_LIBS)

WARN     := -Wall -Wextra -Werror -Wshadow -Wvla -Wformat=2 \
            -Wstrict-prototypes -Wmissing-prototypes
OPT      ?= -O2 -g
SAN      ?=
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) \
              $(SAN) $(WARN) -Isrc $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := $(SAN) $(LDFLAGS)

# quiet build lines ("  CC  src/x.c"); `make V=1` shows the commands
ifeq ($(V),1)
Q :=
say = true
else
Q := @
say = printf '  %-5s %s\n' '$(1)' '$(2)'
endif

# ---- sources -------------------------------------------------------------
MODULES  := util frs interchange glossary trace sast planner probes ledger fleet export site report
LIB_SRCS := $(foreach m,$(MODULES),$(wildcard src/$(m)/*.c))
CLI_SRCS := $(wildcard src/cli/*.c)
THEME    := $(sort $(wildcard site/*.css site/*.js))
PLANNER_DATA := planner/gpus.json planner/engines.json
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/theme.o \
            $(BUILD)/obj/gen/planner_data.o
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRCS  := $(wildcard tests/fuzz/fuzz_*.c)

LIB := $(BUILD)/libhwledger.a
BIN := $(BUILD)/hwledger

.PHONY: deps sast-baseline all test check asan tsan coverage fuzz bench report install clean help

all: deps $(BIN) $(LIB) $(BUILD)/compile_commands.json

$(BUILD)/obj/%.o: %.c Makefile | deps
	@mkdir -p $(@D)
	@$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# the site's theme (site/) and the planner's default catalogs compiled into
# the library, so an installed hwledger needs nothing beside it
$(BUILD)/gen/theme.c: $(THEME) ci/embed.sh
	@mkdir -p $(@D)
	@$(call say,EMBED,$@)
	$(Q)ci/embed.sh $@ hw_theme_files $(THEME)

$(BUILD)/gen/planner_data.c: $(PLANNER_DATA) ci/embed.sh
	@mkdir -p $(@D)
	@$(call say,EMBED,$@)
	$(Q)ci/embed.sh $@ hw_planner_data $(PLANNER_DATA)

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c Makefile | deps
	@mkdir -p $(@D)
	@$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	@rm -f $@
	@$(call say,AR,$@)
	$(Q)ar rcs $@ $^

$(BIN): $(CLI_OBJS) $(LIB)
	@$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJS) $(LIB) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/harness.h $(LIB) Makefile | deps
	@mkdir -p $(@D)
	@$(call say,TEST,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests/unit $(ALL_LDFLAGS) -o $@ \
		$< $(LIB) $(PKG_LIBS) $(TEST_LIBS)

# fakes for hardware this machine lacks: a library with NVML's symbols
FAKES := $(BUILD)/fakes/libfake_nvml.so $(BUILD)/fakes/libfake_nvml_old.so

$(BUILD)/fakes/libfake_nvml.so: tests/fakes/fake_nvml.c Makefile | deps
	@mkdir -p $(@D)
	@$(call say,FAKE,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -fPIC -shared -o $@ $< $(PKG_LIBS)

$(BUILD)/fakes/libfake_nvml_old.so: tests/fakes/fake_nvml.c Makefile | deps
	@mkdir -p $(@D)
	@$(call say,FAKE,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -DOLD_DRIVER -fPIC -shared -o $@ $< $(PKG_LIBS)

# the compilation database the SAST runners read
$(BUILD)/compile_commands.json: $(LIB_SRCS) $(CLI_SRCS) Makefile | deps
	@mkdir -p $(@D)
	@{ echo '['; sep=' '; for f in $(LIB_SRCS) $(CLI_SRCS); do \
	  printf '%s{"directory": "%s", "file": "%s", "command": "%s -c %s -o %s"}\n' \
	    "$$sep" "$(CURDIR)" "$$f" "$(CC) $(ALL_CFLAGS)" "$$f" \
	    "$(BUILD)/obj/$${f%.c}.o"; sep=','; done; echo ']'; } > $@.tmp
	@mv $@.tmp $@

# `make test` runs the suite on the release build, again with coverage, and
# then dogfoods this repository (DOGFOOD=0 skips it; the asan and coverage
# variants do): SAST gated on the baseline (ci/sast.sh), the site from an
# unsigned `hwledger report` that imports that analysis, its browser tests
# (ci/site.sh), then trace and gate on the release run's results with the
# browser tests' site.tap among them ($(BUILD)/test-results, the folder a
# plain `hwledger gate` reads) and the coverage run's lcov (ci/gate.sh), and
# the site rendered again from the same evidence folder so it counts them
DOGFOOD ?= 1

test check: deps all $(UNIT_BINS) $(FAKES)
	@tests/run.sh $(BUILD)
ifeq ($(DOGFOOD),1)
	@$(MAKE) --no-print-directory coverage
	@echo "== hwledger sast (four analyzers, gated on traceability/sast-baseline.json)"
	@ci/sast.sh $(BUILD)
	@ci/site.sh $(BUILD) $(BUILD)/test-results build/coverage.info \
	  --unsigned --sast-reports $(BUILD)/sast/run
	@ci/gate.sh $(BUILD) $(BUILD)/test-results build/coverage.info
	@$(BUILD)/hwledger site --checks $(BUILD)/checks -o $(BUILD)/site
endif

# Rewrites traceability/sast-baseline.json from a fresh analysis (review the
# diff: every new entry is a finding accepted as known)
sast-baseline: all
	@UPDATE=1 ci/sast.sh $(BUILD)

asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" DOGFOOD=0 \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  test

# The paths that run on several threads (hw_tasks_run: the scan, the site's
# two parts, removing an old site, ledger verification, SSH probing) under
# ThreadSanitizer: the CLI tests that drive them, any race a failure.
TSAN_TESTS := two_threads|memo|index|scan_is_the_same|10000_frs|deterministic|report_runs|big_old_site|remote_hosts_fail_alone
tsan: deps
	@$(MAKE) --no-print-directory BUILD=build/tsan OPT="-O1 -g" \
	  SAN="-fsanitize=thread" build/tsan/hwledger
	@TESTS='$(TSAN_TESTS)' TSAN_OPTIONS="halt_on_error=1 exitcode=66" \
	  tests/cli/run.sh build/tsan | tee build/tsan/cli.tap | grep -v '^ok'; \
	  ! grep -q '^not ok' build/tsan/cli.tap

coverage: deps
	@rm -f $$(find build/cov -name '*.gcda' 2>/dev/null)
	@$(MAKE) --no-print-directory BUILD=build/cov OPT="-O0 -g" \
	  SAN="--coverage -fprofile-update=atomic" DOGFOOD=0 test
	@# lcov 1.16 on Debian 12 warns "Subroutine ... redefined" (a perl
	@# packaging quirk); those lines alone are dropped, anything else shows
	@lcov --quiet --capture --directory build/cov/obj --base-directory . \
	  --no-external --output-file build/coverage.info 2>&1 \
	  | { grep -v '^Subroutine .* redefined at ' || true; }
	@test -s build/coverage.info
	@lcov --summary build/coverage.info 2>&1 | sed -n 's/^ *lines\.*: /coverage: lines /p'

# libFuzzer: the library again, built by clang with the fuzzer's coverage
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O1 -g \
	-fsanitize=fuzzer-no-link,address,undefined -Isrc $(PKG_CFLAGS)
FUZZ_OBJS := $(LIB_SRCS:%.c=build/fuzz/obj/%.o) build/fuzz/obj/gen/theme.o \
             build/fuzz/obj/gen/planner_data.o
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)

build/fuzz/obj/%.o: %.c Makefile | deps
	@mkdir -p $(@D)
	@$(call say,FUZZCC,$<)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -c $< -o $@

build/fuzz/obj/gen/%.o: build/fuzz/gen/%.c | deps
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -c $< -o $@

build/fuzz/gen/theme.c: $(THEME) ci/embed.sh
	@mkdir -p $(@D)
	$(Q)ci/embed.sh $@ hw_theme_files $(THEME)

build/fuzz/gen/planner_data.c: $(PLANNER_DATA) ci/embed.sh
	@mkdir -p $(@D)
	$(Q)ci/embed.sh $@ hw_planner_data $(PLANNER_DATA)

build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJS) | deps
	@$(call say,FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS)

fuzz: $(FUZZ_BINS)
	@tests/fuzz/run.sh $(FUZZ_TIME) $(FUZZ_BINS)

$(BUILD)/bench/ledger_bench: tests/bench/ledger_bench.c $(LIB) Makefile | deps
	@mkdir -p $(@D)
	@$(call say,BENCH,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

$(BUILD)/bench/plan_bench: tests/bench/plan_bench.c $(LIB) Makefile | deps
	@mkdir -p $(@D)
	@$(call say,BENCH,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

$(BUILD)/bench/timeit: tests/bench/timeit.c Makefile | deps
	@mkdir -p $(@D)
	@$(call say,BENCH,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

# the ssh of the remote-probe benchmark (tests/bench/ssh_reply.c)
$(BUILD)/bench/fakebin/ssh: tests/bench/ssh_reply.c Makefile | deps
	@mkdir -p $(@D)
	@$(call say,BENCH,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

bench: deps all $(BUILD)/bench/ledger_bench $(BUILD)/bench/plan_bench \
       $(BUILD)/bench/timeit $(BUILD)/bench/fakebin/ssh
	@tests/bench/run.sh $(BUILD)

report: deps all
	@$(MAKE) --no-print-directory coverage
	@ci/report.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/hwledger
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libhwledger.a
	install -d $(DESTDIR)$(PREFIX)/share/hwledger/models
	install -m 644 planner/models/README.md planner/models/*.json \
	  $(DESTDIR)$(PREFIX)/share/hwledger/models/
	for m in $(MODULES); do \
	  install -d $(DESTDIR)$(PREFIX)/include/hwledger/$$m && \
	  install -m 644 $$(ls src/$$m/*.h | grep -v /internal.h) \
	    $(DESTDIR)$(PREFIX)/include/hwledger/$$m/; \
	done

clean:
	rm -rf build

help:
	@sed -n '3,17p' Makefile | sed 's/^# \{0,1\}//'

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
