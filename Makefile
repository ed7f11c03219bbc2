# domuloader — a dom0 guest bootloader.  See README.md.
#   make            build build/domuloader
#   make check      install deps, build, run every test (unit, fuzz corpora, images, VM, Xen)
#   make check-fast the same without the VM and Xen stages
#   make check-xen  the Xen stage alone
#   make asan       build with ASan+UBSan in build-asan/ and run the suite under it
#   make fuzz       build libFuzzer harnesses (clang) in build-fuzz/
#   make demo       build a sample guest disk and extract its kernel
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local
DESTDIR ?=
LIBEXECDIR ?= $(PREFIX)/lib/xen/bin
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
BUILD ?= build
V ?= 0

# Every library here is linked (--as-needed) by the program or a test
# binary; tests/cases/build_libs.sh checks it.  libfdisk is the test suite's
# second partition-table reader (tests/lib/dl_ptdiff.c).
PKGS := blkid fdisk ext2fs libseccomp libxml-2.0 zlib libdeflate libzstd liblzma liblz4 lzo2 devmapper
# libbz2 ships no pkg-config file on Debian 12: linked by name.
BZ2_LIBS := -lbz2
TEST_PKGS := cmocka

# Goals that run scripts/deps.sh first and build in a sub-make.  The library
# check below must not stop them before deps has installed anything: on a
# fresh machine they are the README's two commands.
DRIVER_GOALS := deps clean check check-fast check-xen asan fuzz fuzz-run demo

ifneq ($(filter-out $(DRIVER_GOALS),$(or $(MAKECMDGOALS),all)),)
ifneq ($(shell $(PKG_CONFIG) --exists $(PKGS) $(TEST_PKGS) && echo ok),ok)
MISSING_DEBS := $(shell scripts/deps.sh --list build)
$(error missing libraries: run scripts/deps.sh as root (Debian packages missing: $(or $(MISSING_DEBS),none; check $(PKG_CONFIG))))
endif
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# Loaded on first use with dlopen (src/dlib.h): only their headers are used
# at build time, and a run that needs neither does not pay for loading them.
DLOPEN_PKGS := libxml-2.0 devmapper
# libseccomp compiles the parser's seccomp filter when we are built
# ($(BUILD)/gen/seccomp_filter.h): the program does not link it.
BUILDTIME_PKGS := libseccomp
SECCOMP_LIBS := $(shell $(PKG_CONFIG) --libs libseccomp 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(filter-out $(DLOPEN_PKGS) $(BUILDTIME_PKGS),$(PKGS)) \
	2>/dev/null) $(BZ2_LIBS)
# The program links the libraries of every run statically (README.md,
# "Start-up": each shared library costs every start its mapping and
# relocations); SHARED_LIBS=1 links them as shared libraries, for a
# distribution that wants their security updates without a rebuild.
STATIC_PKGS := blkid ext2fs zlib libdeflate libzstd liblzma liblz4 lzo2
ifeq ($(SHARED_LIBS),1)
PROG_LIBS = $(PKG_LIBS)
else
PROG_LIBS = -Wl,-Bstatic $(filter-out -pthread -lpthread,$(shell $(PKG_CONFIG) --libs --static \
	$(STATIC_PKGS) 2>/dev/null)) $(BZ2_LIBS) -Wl,-Bdynamic \
	$(shell $(PKG_CONFIG) --libs $(filter-out $(DLOPEN_PKGS) $(BUILDTIME_PKGS) $(STATIC_PKGS),$(PKGS)) \
	2>/dev/null)
endif
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)

CFLAGS ?= -O2 -g
SAN ?=
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -MMD -MP -Isrc \
	$(PKG_CFLAGS) $(CFLAGS) $(SAN) $(EXTRA_CFLAGS)
# Full RELRO: every relocation resolved at start, the tables then read-only;
# the parser child (a fork) makes no lazy-binding writes, each of which cost
# it a copy-on-write page fault.
ALL_LDFLAGS = -Wl,--as-needed -Wl,-z,relro,-z,now $(LDFLAGS) $(SAN)

# Sources, one group per layer (docs/DESIGN.md, "The flow").
CORE_SRCS    := $(filter-out src/main.c,$(wildcard src/*.c))
PART_SRCS    := $(wildcard src/part/*.c)
FS_SRCS      := $(wildcard src/fs/*.c)
GUEST_SRCS   := $(wildcard src/guest/*.c)
BOOT_SRCS    := $(wildcard src/boot/*.c src/boot/*/*.c)
DOMCFG_SRCS  := $(wildcard src/domcfg/*.c)
KERNEL_SRCS  := $(wildcard src/kernel/*.c)
SANDBOX_SRCS := $(wildcard src/sandbox/*.c)
OUTPUT_SRCS  := $(wildcard src/output/*.c)
MENU_SRCS    := $(wildcard src/menu/*.c)
MOUNT_SRCS   := $(wildcard src/mount/*.c)
LIB_SRCS := $(CORE_SRCS) $(PART_SRCS) $(FS_SRCS) $(GUEST_SRCS) $(BOOT_SRCS) $(DOMCFG_SRCS) \
	$(KERNEL_SRCS) $(SANDBOX_SRCS) $(OUTPUT_SRCS) $(MENU_SRCS) $(MOUNT_SRCS)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB := $(BUILD)/libdomuloader.a
PROG := $(BUILD)/domuloader

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:%.c=$(BUILD)/%)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY := $(FUZZ_SRCS:%.c=$(BUILD)/%)
TEST_PRELOADS := $(wildcard tests/lib/preload_*.c)
TEST_HELPERS := $(filter-out $(TEST_PRELOADS),$(wildcard tests/lib/*.c))
TEST_HELPER_BINS := $(TEST_HELPERS:%.c=$(BUILD)/%) $(TEST_PRELOADS:%.c=$(BUILD)/%.so)

ifeq ($(V),0)
Q = @
say = @printf '  %-6s %s\n' $(1) $(2);
else
Q =
say =
endif

all: $(PROG)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(PROG): $(BUILD)/src/main.o $(LIB)
	$(call say,LD,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PROG_LIBS)

# The parser child's seccomp filter as BPF, generated with libseccomp once
# (src/sandbox/gen/filter.c says why).
$(BUILD)/gen/filter: src/sandbox/gen/filter.c src/sandbox/layout.h
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -Isrc $(PKG_CFLAGS) \
		-o $@ $< $(SECCOMP_LIBS)
$(BUILD)/gen/seccomp_filter.h: $(BUILD)/gen/filter
	$(call say,GEN,$@)$< > $@.tmp && mv $@.tmp $@
$(BUILD)/src/sandbox/child.o: $(BUILD)/gen/seccomp_filter.h
$(BUILD)/src/sandbox/child.o: ALL_CFLAGS += -I$(BUILD)/gen

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(LIB)
	$(call say,LD,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS)

# Configurations a unit test holds verbatim in comments, as C strings.
$(BUILD)/tests/unit/%.configs.h: tests/unit/%.c tests/unit/extract-configs.awk
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)awk -f tests/unit/extract-configs.awk $< > $@.tmp && mv $@.tmp $@
$(UNIT_SRCS:%.c=$(BUILD)/%.o): $(BUILD)/%.o: $(BUILD)/%.configs.h
$(UNIT_SRCS:%.c=$(BUILD)/%.o): ALL_CFLAGS += -I$(BUILD)/tests/unit

$(BUILD)/tests/fuzz/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay.o $(LIB)
	$(call say,LD,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# LD_PRELOAD libraries for tests: plain builds, no sanitizer runtime.
$(BUILD)/tests/lib/preload_%.so: tests/lib/preload_%.c
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -fPIC -shared -o $@ $< -ldl

$(BUILD)/tests/lib/%: $(BUILD)/tests/lib/%.o $(LIB)
	$(call say,LD,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

tests: $(PROG) $(UNIT_BINS) $(FUZZ_REPLAY) $(TEST_HELPER_BINS)

deps:
	@scripts/deps.sh

# The suite: unit tests, fuzz corpora replayed under ASan+UBSan, image cases,
# then the VM and Xen stages.  Last line: "N passed, N failed".
check: deps
	@$(MAKE) --no-print-directory tests
	@$(MAKE) --no-print-directory BUILD=build-asan SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		CFLAGS="-O1 -g" $(addprefix build-asan/,$(FUZZ_SRCS:%.c=%))
	@BUILD=$(BUILD) FUZZ_BUILD=build-asan tests/run.sh $(STAGES)

check-fast: STAGES = unit fuzz cases
check-fast: check
check-xen: deps
	@$(MAKE) --no-print-directory tests
	@BUILD=$(BUILD) tests/run.sh xen

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		CFLAGS="-O1 -g" tests
	@BUILD=build-asan FUZZ_BUILD=build-asan DL_ASAN=1 tests/run.sh unit fuzz cases

FUZZ_CC ?= clang
fuzz: deps
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) \
		SAN="-fsanitize=fuzzer-no-link,address,undefined" CFLAGS="-O1 -g" fuzz-bins

# In the sub-make above (BUILD=build-fuzz): one libFuzzer binary per harness.
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/bin/%)
fuzz-bins: $(FUZZ_BINS)
$(BUILD)/bin/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(LIB)
	@mkdir -p $(dir $@)
	$(call say,FUZZ,$@)$(CC) -std=c11 -D_GNU_SOURCE -Isrc $(PKG_CFLAGS) -g -O1 \
		-fsanitize=fuzzer,address,undefined -o $@ $< $(LIB) $(PKG_LIBS)

# make fuzz-run MINUTES=N [FUZZERS="btrfs xfs"]: each harness N minutes with
# its dictionary; new coverage merged (minimized) into tests/fuzz/corpus/.
fuzz-run: fuzz
	@MINUTES=$(MINUTES) FUZZERS="$(FUZZERS)" tests/fuzz/fuzz-run.sh

demo: deps
	@$(MAKE) --no-print-directory $(PROG)
	@images/demo.sh $(PROG)

# Files only; no account is created (the parser's default identity needs
# none, see SECURITY in the man page).  libxl finds a bare bootloader name
# in LIBEXECDIR; the link in BINDIR is for people and scripts.
install: $(PROG)
	install -d $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(COMPLETIONDIR)
	install -m 0755 $(PROG) $(DESTDIR)$(LIBEXECDIR)/domuloader
	ln -sfn $(LIBEXECDIR)/domuloader $(DESTDIR)$(BINDIR)/domuloader
	install -m 0644 man/domuloader.1 $(DESTDIR)$(MANDIR)/man1/domuloader.1
	install -m 0644 completion/domuloader.bash $(DESTDIR)$(COMPLETIONDIR)/domuloader

# The name pygrub in LIBEXECDIR, for toolstacks that hard-code it.  A real
# pygrub already there is kept as pygrub.orig, never overwritten.
install-pygrub-compat: install
	@if [ -e $(DESTDIR)$(LIBEXECDIR)/pygrub ] && [ ! -L $(DESTDIR)$(LIBEXECDIR)/pygrub ]; then \
		echo "  KEEP   $(DESTDIR)$(LIBEXECDIR)/pygrub.orig"; \
		mv $(DESTDIR)$(LIBEXECDIR)/pygrub $(DESTDIR)$(LIBEXECDIR)/pygrub.orig; fi
	ln -sfn domuloader $(DESTDIR)$(LIBEXECDIR)/pygrub
	ln -sfn domuloader $(DESTDIR)$(COMPLETIONDIR)/pygrub

# For tests/cases/build_libs.sh: the libraries the Makefile requires.
print-libs:
	@echo $(PKG_LIBS) $(CMOCKA_LIBS) $(SECCOMP_LIBS)

clean:
	rm -rf build build-asan build-fuzz

.PHONY: all tests deps check check-fast check-xen asan fuzz fuzz-bins fuzz-run demo install install-pygrub-compat print-libs clean
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
