# SPDX-License-Identifier: GPL-2.0-or-later
# podnet: the only build system. `make` builds, `make check` installs the test
# dependencies and runs every test, `make demo` runs the main job end to end.

VERSION   := 0.1.0
PREFIX    ?= /usr
SBINDIR   ?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/libexec
SYSCONFDIR ?= /etc
HOOKDIR   ?= $(SYSCONFDIR)/libvirt/hooks
DATADIR   ?= $(PREFIX)/share
MANDIR    ?= $(DATADIR)/man

CC        ?= cc
PKGS      := libxml-2.0 libseccomp
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
HOOK_PKG_LIBS := $(shell pkg-config --libs libxml-2.0 2>/dev/null)

# How the hook links libxml2. Debian's libxml2.so brings ICU and
# with it libstdc++: their relocations were 2.7M of the 3.5M instructions
# the hook ran before main() (tests/bench/README-floor). LIBXML2_STATIC=1
# (the default where the archive exists) takes libxml2 from its
# archive, without ICU (src/hook/static/xml_no_icu.c); the other
# libraries stay shared. Packages build with LIBXML2_STATIC=0, so that the
# distribution's libxml2 security updates reach the hook and lintian finds
# no embedded library.
XML_LIBDIR := $(shell pkg-config --variable=libdir libxml-2.0 2>/dev/null)
LIBXML2_STATIC ?= $(if $(wildcard $(XML_LIBDIR)/libxml2.a),1,0)
ifeq ($(LIBXML2_STATIC),1)
# ICU's symbol version as libxml2.a refers to it (_72), or none.
ICU_SUFFIX := $(shell nm $(XML_LIBDIR)/libxml2.a 2>/dev/null | sed -n 's/.* U ucnv_open\(_[0-9]*\)$$/\1/p' | head -n 1)
# An archive after libxml2.a: linked only where libxml2's encoding.o is.
NO_ICU_OBJ = $(if $(ICU_SUFFIX),$(O)/libpodnet-no-icu.a)
# What the archives need, but ICU: evaluated once.
HOOK_STATIC_DEPS := $(filter-out -lxml2 -licu%,$(shell pkg-config --static --libs libxml-2.0 2>/dev/null))
HOOK_LIBS = -Wl,-Bstatic -lxml2 -Wl,-Bdynamic $(NO_ICU_OBJ) \
	     $(HOOK_STATIC_DEPS)
else
NO_ICU_OBJ :=
HOOK_LIBS := $(HOOK_PKG_LIBS)
endif

# Packagers may drop -Werror (`make WERROR=`): new compilers add warnings.
WERROR    ?= -Werror
# dhcp_lease holds a whole search list (about 4 KiB): allow it on the stack.
FRAME_MAX ?= 16384
WARN      := -Wall -Wextra $(WERROR) -Wshadow -Wformat=2 -Wformat-security \
	     -Wvla -Wstrict-prototypes -Wmissing-prototypes \
	     -Wold-style-definition -Wimplicit-fallthrough \
	     -Wframe-larger-than=$(FRAME_MAX)
# Probe: only add _FORTIFY_SOURCE if the compiler does not predefine it.
FORTIFY   := $(shell echo | $(CC) -dM -E -O2 - 2>/dev/null | grep -q _FORTIFY_SOURCE || echo -D_FORTIFY_SOURCE=2)

# FAULT=1: the test suite's build with fault injection (src/fault.c).
ifeq ($(FAULT),1)
ifeq ($(SAN),1)
O         ?= build-fault-asan
else
O         ?= build-fault
endif
FAULTFLAGS := -DPODNET_FAULT_INJECTION
endif

ifeq ($(SAN),1)
O         ?= build-asan
SANFLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer
FRAME_MAX := 65536
OPT       := -O1 -g
HARDEN    := -fPIE
else
O         ?= build
SANFLAGS  :=
OPT       := -O2 -g
HARDEN    := -fstack-protector-strong -fPIE $(FORTIFY)
endif

CFLAGS    ?= $(OPT)
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(SANFLAGS) $(FAULTFLAGS) \
	      -DPODNET_VERSION='"$(VERSION)"' $(CFLAGS)
# The hook runs the installed responder (or one beside itself: responder_exe.c).
RESPONDER_PATH := $(LIBEXECDIR)/podnet/podnet-responder
# `podnet link-refresh` runs this one (a program of its own: libvirt's client).
LINK_REFRESH_PATH := $(LIBEXECDIR)/podnet/podnet-link-refresh
HOOK_CFLAGS = $(ALL_CFLAGS) $(INC_hook) $(PKG_CFLAGS) \
	      -DPODNET_RESPONDER_PATH='"$(RESPONDER_PATH)"' \
	      -DPODNET_LINK_REFRESH_PATH='"$(LINK_REFRESH_PATH)"'
# Tests, fuzz targets and benchmarks see both programs' headers.
TEST_CFLAGS = $(ALL_CFLAGS) $(INC_ALL) $(PKG_CFLAGS) \
	      -DPODNET_RESPONDER_PATH='"$(RESPONDER_PATH)"'

ALL_LDFLAGS := -pie -Wl,-z,relro -Wl,-z,now $(SANFLAGS) $(LDFLAGS)

# src/ has three parts, and the include paths enforce the boundary:
#   common/    the record, its text format and what both programs share;
#   responder/ the DHCP responder (podnet-responder): libc and libseccomp only;
#   hook/      the hook and tool (podnet): libxml2, raw rtnetlink, the rest,
#              by stage: tag/ (the domain's tags), pod/ (discover, bridge,
#              restore), lifecycle/ (the responder process), cli/ (the tool).
# Each program's main() is main.c in its own folder, outside its library.
# The responder cannot include a hook header, nor the hook a responder one;
# only the tests see both.
HOOK_DIRS      := src/hook $(sort $(patsubst %/,%,$(filter-out src/hook/static/,$(wildcard src/hook/*/))))
COMMON_SRCS    := $(sort $(wildcard src/common/*.c))
RESPONDER_SRCS := $(sort $(filter-out src/responder/main.c,$(wildcard src/responder/*.c)))
HOOK_SRCS      := $(sort $(filter-out src/hook/main.c,$(foreach d,$(HOOK_DIRS),$(wildcard $(d)/*.c))))
SRCS      := $(COMMON_SRCS) $(RESPONDER_SRCS) $(HOOK_SRCS)
MAINS     := src/hook/main.c src/responder/main.c
HDRS      := $(wildcard src/*/*.h src/hook/*/*.h)
INC_common    := -Isrc/common
INC_responder := -Isrc/common -Isrc/responder
INC_hook      := -Isrc/common $(addprefix -I,$(HOOK_DIRS))
INC_ALL   := -Isrc/common -Isrc/responder $(addprefix -I,$(HOOK_DIRS))
COMMON_LIB    := $(O)/libpodnet-common.a
RESPONDER_LIB := $(O)/libpodnet-responder.a
HOOK_LIB      := $(O)/libpodnet-hook.a
# Link order: what uses comes before what it uses.
LIB       := $(HOOK_LIB) $(RESPONDER_LIB) $(COMMON_LIB)
BIN       := $(O)/podnet
RESPONDER := $(O)/podnet-responder
LINK_REFRESH := $(O)/podnet-link-refresh
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/unit/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(O)/tests/fuzz/%)
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))
TOOL_BINS := $(TOOL_SRCS:tests/tools/%.c=$(O)/tests/tools/%)

.PHONY: all tests check check-unit check-integration check-e2e demo deps \
	fuzz fuzz-build cppcheck clang-tidy format format-check lint install uninstall \
	clean bench bench-tools

all: $(BIN) $(RESPONDER) $(LINK_REFRESH)

tests: $(BIN) $(RESPONDER) $(LINK_REFRESH) $(UNIT_BINS) $(FUZZ_BINS) $(TOOL_BINS)

$(O)/src/common/%.o: src/common/%.c $(HDRS) | $(O)/src/common
	$(CC) $(ALL_CFLAGS) $(INC_common) -c -o $@ $<

$(O)/src/responder/%.o: src/responder/%.c $(HDRS) | $(O)/src/responder
	$(CC) $(ALL_CFLAGS) $(INC_responder) -c -o $@ $<

$(O)/src/hook/%.o: src/hook/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(HOOK_CFLAGS) -c -o $@ $<

# The schema is embedded so that the hook works without installed data files.
$(O)/gen/podnet_rng.c: schemas/podnet.rng | $(O)/gen
	{ echo '/* Generated from schemas/podnet.rng by the Makefile. */'; \
	  echo 'const unsigned char podnet_rng[] = {'; \
	  od -An -v -tx1 $< | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '0x00 };'; \
	  echo 'const unsigned long podnet_rng_len = sizeof(podnet_rng) - 1;'; \
	} > $@

$(O)/gen/podnet_rng.o: $(O)/gen/podnet_rng.c
	$(CC) -c -fPIE $(SANFLAGS) -o $@ $<

$(COMMON_LIB): $(COMMON_SRCS:src/%.c=$(O)/src/%.o)
	rm -f $@
	ar rcs $@ $^

# The seccomp program, compiled by libseccomp at build time from
# src/responder/sandbox_calls.h (tools/gen_seccomp_bpf.c): the responder
# loads it itself and needs no libseccomp. SAN=1 adds the sanitizers' calls;
# NOSECCOMP=1 (callgrind only, never shipped) makes it empty.
ifeq ($(NOSECCOMP),1)
SECCOMP_GEN_ARGS := --none
else ifeq ($(SAN),1)
SECCOMP_GEN_ARGS := --sanitizer
endif
$(O)/gen/gen_seccomp_bpf: tools/gen_seccomp_bpf.c src/responder/sandbox_calls.h | $(O)/gen
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -Isrc/responder -o $@ $< \
	  $(shell pkg-config --cflags --libs libseccomp 2>/dev/null || echo -lseccomp)

$(O)/gen/sandbox_filter.c: $(O)/gen/gen_seccomp_bpf
	$< $(SECCOMP_GEN_ARGS) > $@.tmp && mv $@.tmp $@

$(O)/gen/sandbox_filter.o: $(O)/gen/sandbox_filter.c src/responder/sandbox_filter.h
	$(CC) $(ALL_CFLAGS) $(INC_responder) -c -o $@ $<

$(RESPONDER_LIB): $(RESPONDER_SRCS:src/%.c=$(O)/src/%.o) $(O)/gen/sandbox_filter.o
	rm -f $@
	ar rcs $@ $^

$(HOOK_LIB): $(HOOK_SRCS:src/%.c=$(O)/src/%.o) $(O)/gen/podnet_rng.o
	rm -f $@
	ar rcs $@ $^

# The hook: no responder code (it execs podnet-responder).
$(BIN): src/hook/main.c $(HOOK_LIB) $(COMMON_LIB) $(NO_ICU_OBJ) $(HDRS)
	$(CC) $(HOOK_CFLAGS) -o $@ $< $(HOOK_LIB) $(COMMON_LIB) $(ALL_LDFLAGS) \
	  $(HOOK_LIBS)

# podnet-link-refresh (`podnet link-refresh`, issue 24): KubeVirt's link
# flap through libvirt's API. A program of its own, so that the hook, run at
# every event of every domain, never loads libvirt's client library (and
# its GLib, GnuTLS, ...): the hook's exec cost stays as it was. It reads the
# tags with the hook's own parser (domain_xml.c, from the hook's archive),
# and links libxml2 as libvirt does, shared: one copy in the process.
LR_SRCS   := $(sort $(filter-out src/link_refresh/main.c,$(wildcard src/link_refresh/*.c)))
LR_OBJS   := $(LR_SRCS:src/%.c=$(O)/src/%.o)
LR_LIBS   := $(shell pkg-config --libs libvirt libxml-2.0 2>/dev/null || echo -lvirt -lxml2)
LR_CFLAGS  = $(HOOK_CFLAGS) -Isrc/link_refresh $(shell pkg-config --cflags libvirt 2>/dev/null)

$(O)/src/link_refresh/%.o: src/link_refresh/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(LR_CFLAGS) -c -o $@ $<

$(LINK_REFRESH): src/link_refresh/main.c $(LR_OBJS) $(HOOK_LIB) $(COMMON_LIB) $(HDRS)
	$(CC) $(LR_CFLAGS) -o $@ $< $(LR_OBJS) $(HOOK_LIB) $(COMMON_LIB) $(ALL_LDFLAGS) \
	  $(LR_LIBS)

$(O)/libpodnet-no-icu.a: src/hook/static/xml_no_icu.c | $(O)/src/hook/static
	$(CC) $(ALL_CFLAGS) -DICU_SUFFIX=$(ICU_SUFFIX) -c -o $(O)/src/hook/static/xml_no_icu.o $<
	rm -f $@
	ar rcs $@ $(O)/src/hook/static/xml_no_icu.o

# The responder: only its own modules and common/, only libc, linked
# static-pie: one runs per domain, and without the dynamic loader its
# private memory is smaller and it starts sooner; the image stays
# randomised. Its libc is musl (RESPONDER_LIBC=musl, the default: Debian's
# musl-tools): against glibc's static-pie, measured here (make bench),
# exec to ready 0.6 ms instead of 1.6 ms and about 30 kB less private
# memory per domain (glibc's start-up relocations, tunables and stdio and
# malloc state). RESPONDER_LIBC=glibc builds it with the system's libc;
# then RESPONDER_LINK=dynamic links it against libc.so. SAN=1 builds
# (ASan has no musl) are always glibc and dynamic. The objects are built
# twice: the unit tests and fuzz targets link the glibc ones.
RESPONDER_LIBC ?= musl
RESPONDER_LINK ?= static-pie
MUSL_GCC  ?= musl-gcc
ifeq ($(SAN),1)
RESPONDER_LIBC := glibc
endif
ifeq ($(RESPONDER_LIBC),musl)
# musl's crt files and libc.a: beside the specs that the musl-gcc wrapper
# passes (gcc -print-file-name answers with glibc's).
MUSL_LIBDIR ?= $(dir $(shell sed -n 's/.*-specs "\([^"]*\)".*/\1/p' $$(command -v $(MUSL_GCC)) 2>/dev/null))
MUSL_O    := $(O)/musl
# musl's headers and the kernel's (linux/, asm/, asm-generic/) only.
MUSL_INC  := $(MUSL_O)/include
MUSL_CFLAGS = $(ALL_CFLAGS) -isystem $(MUSL_INC) $(INC_responder)
MUSL_OBJS := $(COMMON_SRCS:src/%.c=$(MUSL_O)/src/%.o) \
	     $(RESPONDER_SRCS:src/%.c=$(MUSL_O)/src/%.o) $(MUSL_O)/gen/sandbox_filter.o

$(MUSL_INC)/.made:
	@command -v $(MUSL_GCC) >/dev/null || { echo "podnet-responder is built with musl: apt-get install musl-tools, or make RESPONDER_LIBC=glibc" >&2; exit 1; }
	mkdir -p $(MUSL_INC)
	ln -sfn /usr/include/linux $(MUSL_INC)/linux
	ln -sfn /usr/include/asm-generic $(MUSL_INC)/asm-generic
	ln -sfn $(firstword $(wildcard /usr/include/$(shell $(CC) -print-multiarch 2>/dev/null)/asm /usr/include/asm)) $(MUSL_INC)/asm
	touch $@

$(MUSL_O)/src/%.o: src/%.c $(HDRS) $(MUSL_INC)/.made
	@mkdir -p $(dir $@)
	$(MUSL_GCC) $(MUSL_CFLAGS) -c -o $@ $<

$(MUSL_O)/gen/sandbox_filter.o: $(O)/gen/sandbox_filter.c src/responder/sandbox_filter.h $(MUSL_INC)/.made
	@mkdir -p $(dir $@)
	$(MUSL_GCC) $(MUSL_CFLAGS) -c -o $@ $<

# musl-gcc's specs start every static program with Scrt1.o and a dynamic
# loader; a static-pie one needs musl's rcrt1.o, so the link is spelt out.
$(RESPONDER): src/responder/main.c $(MUSL_OBJS) $(HDRS)
	$(MUSL_GCC) $(MUSL_CFLAGS) -c -o $(MUSL_O)/responder_main.o $<
	$(CC) -nostdlib -static-pie -Wl,-z,relro -Wl,-z,now $(LDFLAGS) -o $@ \
	  $(MUSL_LIBDIR)rcrt1.o $(MUSL_LIBDIR)crti.o $(shell $(CC) -print-file-name=crtbeginS.o) \
	  $(MUSL_O)/responder_main.o $(MUSL_OBJS) \
	  -L$(MUSL_LIBDIR) -lc $(shell $(CC) -print-libgcc-file-name) \
	  $(shell $(CC) -print-file-name=crtendS.o) $(MUSL_LIBDIR)crtn.o
else
ifeq ($(SAN),1)
RESPONDER_LDFLAGS := $(ALL_LDFLAGS)
else ifeq ($(RESPONDER_LINK),static-pie)
RESPONDER_LDFLAGS := $(filter-out -pie,$(ALL_LDFLAGS)) -static-pie
else
RESPONDER_LDFLAGS := $(ALL_LDFLAGS)
endif
$(RESPONDER): src/responder/main.c $(RESPONDER_LIB) $(COMMON_LIB) $(HDRS)
	$(CC) $(ALL_CFLAGS) $(INC_responder) -o $@ $< $(RESPONDER_LIB) $(COMMON_LIB) \
	  $(RESPONDER_LDFLAGS)
endif

$(O)/tests/unit/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB) $(NO_ICU_OBJ) | $(O)/tests/unit
	$(CC) $(TEST_CFLAGS) -Itests/unit -o $@ $< $(LIB) $(ALL_LDFLAGS) $(HOOK_LIBS) -lseccomp

# Fuzz targets are replayed over their corpus by a plain main() (no libFuzzer
# needed); `make fuzz` links the same targets with clang's libFuzzer.
$(O)/tests/fuzz/%: tests/fuzz/%.c tests/fuzz/replay_main.c $(LIB) $(NO_ICU_OBJ) | $(O)/tests/fuzz
	$(CC) $(TEST_CFLAGS) -o $@ $< tests/fuzz/replay_main.c $(LIB) $(ALL_LDFLAGS) $(HOOK_LIBS)

$(O)/tests/tools/%: tests/tools/%.c $(LIB) $(NO_ICU_OBJ) | $(O)/tests/tools
	$(CC) $(TEST_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(HOOK_LIBS)

$(O)/src/common $(O)/src/responder $(O)/src/hook/static $(O)/gen $(O)/tests/unit $(O)/tests/fuzz $(O)/tests/tools $(O)/tests/bench build-fuzz:
	mkdir -p $@

NPROC := $(shell nproc 2>/dev/null || echo 1)

# Installs what the tests need (apt-get, only when something is missing).
deps:
	./tests/deps.sh

# Every test: unit and fuzz-corpus replay (ASan/UBSan and plain builds),
# schema examples, namespace integration, real libvirtd + guest end to end.
# The four builds use every core; tests/run runs the tests as parallel jobs.
check: deps
	$(MAKE) -j$(NPROC) tests
	$(MAKE) -j$(NPROC) SAN=1 tests
	$(MAKE) -j$(NPROC) FAULT=1 all
	$(MAKE) -j$(NPROC) FAULT=1 SAN=1 all
	./tests/run

check-unit: tests
	$(MAKE) SAN=1 tests
	./tests/run unit

check-integration: tests
	$(MAKE) SAN=1 tests
	$(MAKE) FAULT=1 all
	$(MAKE) FAULT=1 SAN=1 all
	./tests/run integration

check-e2e: tests
	./tests/run e2e

demo:
	./tests/deps.sh
	$(MAKE) all
	./contrib/demo.sh

# Measures, never fails a test run: tables in build/bench/ (tests/bench/).
BENCH_SRCS := $(sort $(wildcard tests/bench/*.c))
BENCH_BINS := $(BENCH_SRCS:tests/bench/%.c=$(O)/tests/bench/%)
bench-tools: $(BIN) $(RESPONDER) $(BENCH_BINS)

$(O)/tests/bench/%: tests/bench/%.c $(wildcard tests/bench/*.h tests/unit/dhcp_msg.h) $(LIB) $(NO_ICU_OBJ) | $(O)/tests/bench
	$(CC) $(TEST_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(HOOK_LIBS)

bench:
	./tests/bench/deps.sh
	$(MAKE) bench-tools
	$(MAKE) O=build/bench/nolimit CFLAGS='-O2 -g -DRESPONDER_REPLIES_PER_SEC=1000000' all
	$(MAKE) O=build/bench/noseccomp NOSECCOMP=1 \
	  CFLAGS='-O2 -g -DRESPONDER_REPLIES_PER_SEC=1000000' all
	./tests/bench/bench.py

# libFuzzer builds of the same targets (clang), with the flags of the real
# build so that they cannot drift apart; `make fuzz` runs the campaigns.
FUZZ_TIME ?= 60
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -DPODNET_VERSION='"$(VERSION)"' -g -O1 \
	       $(INC_ALL) $(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined
FUZZ_LIBFUZZER := $(FUZZ_SRCS:tests/fuzz/%.c=build-fuzz/%)

fuzz-build: $(FUZZ_LIBFUZZER)

# The seccomp program is never loaded there: an empty one (clang does not
# define __SANITIZE_ADDRESS__, which the sanitizers' program checks for).
build-fuzz/sandbox_filter.c: $(O)/gen/gen_seccomp_bpf | build-fuzz
	$< --none > $@.tmp && mv $@.tmp $@

build-fuzz/%: tests/fuzz/%.c $(SRCS) $(HDRS) $(O)/gen/podnet_rng.c build-fuzz/sandbox_filter.c | build-fuzz
	clang $(FUZZ_CFLAGS) -o $@ $< $(SRCS) $(O)/gen/podnet_rng.c \
	  build-fuzz/sandbox_filter.c $(PKG_LIBS)

fuzz: fuzz-build
	for t in $(FUZZ_LIBFUZZER); do \
	  n=$$(basename $$t); \
	  mkdir -p build-fuzz/corpus-$$n; \
	  $$t -max_total_time=$(FUZZ_TIME) build-fuzz/corpus-$$n \
	    tests/fuzz/corpus/$$n || exit 1; \
	done

LINT_SRCS := $(SRCS) $(MAINS) src/hook/static/xml_no_icu.c \
	     tools/gen_seccomp_bpf.c $(LR_SRCS) src/link_refresh/main.c
CPPCHECK_LEVEL := $(shell cppcheck --help 2>/dev/null | grep -q check-level && echo --check-level=exhaustive)
cppcheck:
	cppcheck --std=c11 --enable=warning,style,performance,portability \
	  --inconclusive --error-exitcode=1 --inline-suppr --quiet \
	  --library=posix --suppress=missingIncludeSystem $(CPPCHECK_LEVEL) \
	  -D_GNU_SOURCE -DICU_SUFFIX=$(or $(ICU_SUFFIX),_0) $(INC_ALL) -Isrc/link_refresh $(LINT_SRCS)

clang-tidy: $(O)/gen/podnet_rng.c
	clang-tidy --quiet $(LINT_SRCS) -- -std=c11 -D_GNU_SOURCE \
	  -DPODNET_VERSION='"$(VERSION)"' -DICU_SUFFIX=$(or $(ICU_SUFFIX),_0) \
	  $(INC_ALL) -Isrc/link_refresh $(PKG_CFLAGS)

format:
	clang-format -i $(LINT_SRCS) $(HDRS) $(UNIT_SRCS) $(FUZZ_SRCS)

format-check:
	clang-format --dry-run --Werror $(LINT_SRCS) $(HDRS)

lint: cppcheck clang-tidy format-check

# The hook is a link in qemu.d/ (libvirt >= 6.5 runs every executable there
# after hooks/qemu), so a user's own hooks/qemu is never touched. A podnet
# binary left at hooks/qemu by an older install is ours: it goes, or podnet
# would run twice per event.
HOOK_LINK := $(HOOKDIR)/qemu.d/50-podnet
install: $(BIN) $(RESPONDER) $(LINK_REFRESH)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(HOOKDIR)/qemu.d \
	  $(DESTDIR)$(LIBEXECDIR)/podnet \
	  $(DESTDIR)$(DATADIR)/podnet/schemas $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(BIN) $(DESTDIR)$(SBINDIR)/podnet
	install -m 0755 $(RESPONDER) $(DESTDIR)$(RESPONDER_PATH)
	install -m 0755 $(LINK_REFRESH) $(DESTDIR)$(LINK_REFRESH_PATH)
	install -m 0644 schemas/podnet.rng $(DESTDIR)$(DATADIR)/podnet/schemas/podnet.rng
	install -m 0644 contrib/podnet.8 $(DESTDIR)$(MANDIR)/man8/podnet.8
	ln -sfn $(SBINDIR)/podnet $(DESTDIR)$(HOOK_LINK)
	@if grep -qs 'podnet-hook-binary' $(DESTDIR)$(HOOKDIR)/qemu; then \
	  rm -f $(DESTDIR)$(HOOKDIR)/qemu; \
	  echo "podnet: removed the podnet binary of an older install at $(DESTDIR)$(HOOKDIR)/qemu"; fi
	@echo "podnet: hook installed as $(DESTDIR)$(HOOK_LINK); restart libvirtd so that it sees it"

uninstall:
	rm -f $(DESTDIR)$(HOOK_LINK) $(DESTDIR)$(SBINDIR)/podnet \
	  $(DESTDIR)$(RESPONDER_PATH) $(DESTDIR)$(LINK_REFRESH_PATH) \
	  $(DESTDIR)$(MANDIR)/man8/podnet.8
	rmdir $(DESTDIR)$(LIBEXECDIR)/podnet 2>/dev/null || true
	rm -rf $(DESTDIR)$(DATADIR)/podnet

# dist, distcheck, deb, rpm
include contrib/pkg.mk
# image (podman build of contrib/container/)
include contrib/container/image.mk

clean:
	rm -rf build build-asan build-fault build-fault-asan build-fuzz
