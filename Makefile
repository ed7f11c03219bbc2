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
MANDIR ?= $(PREFIX)/share/man
BUILD ?= build
V ?= 0

PKGS := blkid fdisk ext2fs devmapper libseccomp libxml-2.0 zlib libzstd liblzma liblz4 lzo2
# libbz2 ships no pkg-config file on Debian 12: linked by name.
BZ2_LIBS := -lbz2
TEST_PKGS := cmocka

ifneq ($(filter-out deps clean,$(or $(MAKECMDGOALS),all)),)
ifneq ($(shell $(PKG_CONFIG) --exists $(PKGS) $(TEST_PKGS) && echo ok),ok)
$(error missing libraries: run scripts/deps.sh (Debian: libblkid-dev libfdisk-dev libext2fs-dev libdevmapper-dev libseccomp-dev libxml2-dev zlib1g-dev libzstd-dev liblzma-dev liblz4-dev liblzo2-dev libbz2-dev libcmocka-dev))
endif
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) $(BZ2_LIBS)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)

CFLAGS ?= -O2 -g
SAN ?=
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -MMD -MP -Isrc \
	$(PKG_CFLAGS) $(CFLAGS) $(SAN) $(EXTRA_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SAN)

# Sources, one group per layer (DESIGN.md).
CORE_SRCS    := $(filter-out src/main.c,$(wildcard src/*.c))
PART_SRCS    := $(wildcard src/part/*.c)
FS_SRCS      := $(wildcard src/fs/*.c)
BOOT_SRCS    := $(wildcard src/boot/*.c src/boot/*/*.c)
DOMCFG_SRCS  := $(wildcard src/domcfg/*.c)
KERNEL_SRCS  := $(wildcard src/kernel/*.c)
SANDBOX_SRCS := $(wildcard src/sandbox/*.c)
OUT_SRCS     := $(wildcard src/out/*.c)
LIB_SRCS := $(CORE_SRCS) $(PART_SRCS) $(FS_SRCS) $(BOOT_SRCS) $(DOMCFG_SRCS) \
	$(KERNEL_SRCS) $(SANDBOX_SRCS) $(OUT_SRCS)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB := $(BUILD)/libdomuloader.a
PROG := $(BUILD)/domuloader

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:%.c=$(BUILD)/%)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY := $(FUZZ_SRCS:%.c=$(BUILD)/%)
TEST_HELPERS := $(wildcard tests/lib/*.c)
TEST_HELPER_BINS := $(TEST_HELPERS:%.c=$(BUILD)/%)

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
	$(call say,LD,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(LIB)
	$(call say,LD,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/fuzz/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay.o $(LIB)
	$(call say,LD,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

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
		SAN="-fsanitize=fuzzer-no-link,address,undefined" CFLAGS="-O1 -g" build-fuzz/libdomuloader.a
	@mkdir -p build-fuzz/bin
	$(Q)for f in $(FUZZ_SRCS); do n=$$(basename $$f .c); \
		echo "  FUZZ   build-fuzz/bin/$$n"; \
		$(FUZZ_CC) -std=c11 -D_GNU_SOURCE -Isrc $(PKG_CFLAGS) -g -O1 \
		-fsanitize=fuzzer,address,undefined -o build-fuzz/bin/$$n $$f build-fuzz/libdomuloader.a $(PKG_LIBS) || exit 1; done

demo: deps $(PROG)
	@images/demo.sh $(PROG)

install: $(PROG)
	install -d $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(PROG) $(DESTDIR)$(LIBEXECDIR)/domuloader
	install -m 0644 man/domuloader.1 $(DESTDIR)$(MANDIR)/man1/domuloader.1
	@if [ -z "$(DESTDIR)" ] && ! getent passwd domuloader >/dev/null; then \
		echo "  USER   domuloader"; \
		useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin domuloader; fi

clean:
	rm -rf build build-asan build-fuzz

.PHONY: all tests deps check check-fast check-xen asan fuzz demo install clean
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
