# bantin — one build for the library, the tools, the tests and the demo.
#
#   make            build libbantin (static and shared) and the tools
#   make check      build, then run every test, also under ASan/UBSan
#   make demo       run the main pipeline on a shipped fixture into out/
#   make bench      benchmarks against peer tools (needs ../shared/corpus)
#   make install PREFIX=/usr/local DESTDIR=…   /   make uninstall
#
# Missing Debian packages are installed with apt-get (see `deps`).

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
LIBDIR   = $(PREFIX)/lib
INCDIR   = $(PREFIX)/include
MANDIR   = $(PREFIX)/share/man/man1
DATADIR  = $(PREFIX)/share/bantin
PCDIR    = $(LIBDIR)/pkgconfig

VERSION  = 0.2.0
SOVER    = 1
# the shared library is the file libbantin.so.$(LIBVER), soname libbantin.so.$(SOVER)
LIBVER   = $(SOVER).0.0

BUILD   ?= build
CC      ?= cc
OPT     ?= -O2 -g
PKGS     = libxml-2.0 libzip cairo pangocairo libutf8proc libpcre2-8 json-c zlib gmime-3.0 nettle

# pkg-config name : Debian package, for everything the build links
# (gpgme: gmime-3.0.pc names it for static links against libbantin.a;
# nettle: SHA-256 names and base64 for news2xml --images).
BUILD_DEBS = libxml-2.0:libxml2-dev libzip:libzip-dev cairo:libcairo2-dev \
             pangocairo:libpango1.0-dev libutf8proc:libutf8proc-dev \
             libpcre2-8:libpcre2-dev json-c:libjson-c-dev zlib:zlib1g-dev \
             gmime-3.0:libgmime-3.0-dev gpgme:libgpgme-dev nettle:nettle-dev \
             cmocka:libcmocka-dev
# command : Debian package, for what the build, the demo and the tests run.
TOOL_DEBS  = pkg-config:pkg-config xmllint:libxml2-utils
FONT_DEBS  = fonts-dejavu-core fonts-noto-core
CHECK_DEBS = pdftotext:poppler-utils qpdf:qpdf pandoc:pandoc unzip:unzip \
             soffice:libreoffice-writer-nogui rg:ripgrep xmlstarlet:xmlstarlet \
             node:nodejs npm:npm python3:python3 jq:jq zip:zip parallel:parallel \
             cjpeg:libjpeg-turbo-progs groff:groff-base

ifeq ($(SANITIZE),1)
OPT     = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDSAN   = -fsanitize=address,undefined
endif

# GMime (MHTML) and, for reading, libzip (zip archives) are opened when
# the first such file comes (lib/input_mhtml.c, lib/input_zip.c), not at
# every start-up: their headers are used, and the sonames of the libraries
# found here are the ones opened.  GMime is not linked at all; libzip is,
# for xml2docx to write DOCX.
DLOPEN_PKGS = gmime-3.0
LINK_PKGS   = $(filter-out $(DLOPEN_PKGS),$(PKGS))
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null)
soname = $(shell objdump -p "$$(pkg-config --variable=libdir $(1) 2>/dev/null)/$(2)" 2>/dev/null | awk '$$1 == "SONAME" {print $$2}')
GMIME_SONAME  := $(call soname,gmime-3.0,libgmime-3.0.so)
LIBZIP_SONAME := $(call soname,libzip,libzip.so)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

CFLAGS  ?=
CFLAGS  += -std=c11 -Wall -Wextra -Wpedantic -D_GNU_SOURCE -fPIC -pthread $(OPT) \
           -Ilib -Icmd/fe $(PKG_CFLAGS) -DBT_DATADIR='"$(DATADIR)"' \
           $(if $(GMIME_SONAME),-DBT_GMIME_SONAME='"$(GMIME_SONAME)"') \
           $(if $(LIBZIP_SONAME),-DBT_LIBZIP_SONAME='"$(LIBZIP_SONAME)"')
# The shared library exports only what bantin.h marks BT_API.
LIB_CFLAGS = -DBT_BUILDING_LIB -fvisibility=hidden
LDFLAGS += $(LDSAN) -pthread -Wl,--as-needed
LDLIBS  += $(PKG_LIBS) -lm

LIB_SRC  = $(sort $(wildcard lib/*.c))
LIB_CODE = $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
# The prefilter's fold table is computed at build time by the library's
# own code (lib/gen/mkfoldtab.c, see bt_foldtab in lib/search_int.h): 3 ms
# less for every search.  FOLDTAB=foldtab_none leaves it to run time.
GEN      = $(BUILD)/gen
FOLDTAB ?= foldtab
LIB_OBJ  = $(LIB_CODE) $(GEN)/$(FOLDTAB).o
FE_SRC   = $(sort $(wildcard cmd/fe/*.c))
FE_OBJ   = $(FE_SRC:cmd/fe/%.c=$(BUILD)/fe/%.o)
FE       = $(BUILD)/libbantin_fe.a
TOOLS    = $(sort $(basename $(notdir $(wildcard cmd/*.c))))
TOOL_BIN = $(TOOLS:%=$(BUILD)/bin/%)
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
STATIC   = $(BUILD)/libbantin.a
SHARED   = $(BUILD)/libbantin.so.$(LIBVER)

.PHONY: all deps check-deps check tests demo bench install uninstall clean
.DEFAULT_GOAL := all

all: deps
	@$(MAKE) --no-print-directory build-all

.PHONY: build-all
build-all: $(STATIC) $(SHARED) $(TOOL_BIN) $(BUILD)/bantin.pc

# Installs what is missing, saying what it installs.  Cheap when all is there.
deps:
	@missing=""; \
	for pair in $(TOOL_DEBS); do command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	for pair in $(BUILD_DEBS); do pkg-config --exists $${pair%%:*} 2>/dev/null || missing="$$missing $${pair#*:}"; done; \
	for deb in $(FONT_DEBS); do dpkg -s $$deb >/dev/null 2>&1 || missing="$$missing $$deb"; done; \
	if [ -n "$$missing" ]; then \
	  echo "bantin: installing missing Debian packages:$$missing"; \
	  { $(APT_INSTALL) $$missing >/dev/null; } || { echo "bantin: apt-get install failed" >&2; exit 1; }; \
	fi

check-deps: deps
	@missing=""; \
	for pair in $(CHECK_DEBS); do command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "bantin: installing missing Debian packages for the tests:$$missing"; \
	  { $(APT_INSTALL) $$missing >/dev/null; } || { echo "bantin: apt-get install failed" >&2; exit 1; }; \
	fi

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL = $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
  $(SUDO) apt-get install -y -qq --no-install-recommends

$(BUILD)/lib/%.o: lib/%.c $(wildcard lib/*.h) | $(BUILD)/lib
	$(CC) $(CFLAGS) $(LIB_CFLAGS) -c -o $@ $<

$(GEN)/mkfoldtab: lib/gen/mkfoldtab.c $(LIB_CODE) $(GEN)/foldtab_none.o | $(GEN)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_CODE) $(GEN)/foldtab_none.o $(LDLIBS)

$(GEN)/foldtab.c: $(GEN)/mkfoldtab
	$(GEN)/mkfoldtab > $@.tmp && mv $@.tmp $@

$(GEN)/foldtab.o: $(GEN)/foldtab.c $(wildcard lib/*.h)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) -c -o $@ $<

$(GEN)/foldtab_none.o: lib/gen/foldtab_none.c $(wildcard lib/*.h) | $(GEN)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) -c -o $@ $<

$(BUILD)/fe/%.o: cmd/fe/%.c $(wildcard cmd/fe/*.h) lib/bantin.h | $(BUILD)/fe
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/cmd/%.o: cmd/%.c lib/bantin.h cmd/fe/fe.h | $(BUILD)/cmd
	$(CC) $(CFLAGS) -c -o $@ $<

$(STATIC): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FE): $(FE_OBJ)
	rm -f $@
	ar rcs $@ $^

$(SHARED): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libbantin.so.$(SOVER) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/bin/%: $(BUILD)/cmd/%.o $(FE) $(STATIC) | $(BUILD)/bin
	$(CC) $(LDFLAGS) -o $@ $< $(FE) $(STATIC) $(LDLIBS)

# Every unit test links tests/unit/unit.c, the helpers they share.
$(BUILD)/tests/unit.o: tests/unit/unit.c tests/unit/unit.h lib/bantin.h | $(BUILD)/tests
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/tests/unit.o $(FE) $(STATIC) | $(BUILD)/tests
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/tests/unit.o $(FE) $(STATIC) $(CMOCKA_LIBS) $(LDLIBS)

$(BUILD)/bantin.pc: Makefile | $(BUILD)
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' '' \
	  'Name: bantin' 'Description: news articles as structured XML, DOCX and PDF' \
	  'Version: $(VERSION)' 'Requires.private: $(LINK_PKGS)' \
	  'Libs: -L$${libdir} -lbantin' 'Cflags: -I$${includedir}' > $@

$(BUILD) $(BUILD)/lib $(GEN) $(BUILD)/fe $(BUILD)/cmd $(BUILD)/bin $(BUILD)/tests:
	mkdir -p $@

# The tests run twice: the normal build, then an ASan/UBSan build.
tests: build-all $(UNIT_BIN)

check: check-deps
	@$(MAKE) --no-print-directory tests
	@$(MAKE) --no-print-directory BUILD=build-san SANITIZE=1 tests
	@sh tests/run.sh build build-san

demo: all
	@sh tests/demo.sh $(BUILD)

bench: check-deps
	@$(MAKE) --no-print-directory build-all
	@sh tests/bench.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) \
	  $(DESTDIR)$(MANDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(PCDIR)
	install -m 755 $(TOOL_BIN) $(DESTDIR)$(BINDIR)/
	install -m 644 $(TOOLS:%=cmd/%.1) $(DESTDIR)$(MANDIR)/
	install -m 644 lib/bantin.h $(DESTDIR)$(INCDIR)/
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SHARED) $(DESTDIR)$(LIBDIR)/
	ln -sf libbantin.so.$(LIBVER) $(DESTDIR)$(LIBDIR)/libbantin.so.$(SOVER)
	ln -sf libbantin.so.$(SOVER) $(DESTDIR)$(LIBDIR)/libbantin.so
	install -m 644 $(BUILD)/bantin.pc $(DESTDIR)$(PCDIR)/
	install -m 644 lib/bantin.rng $(DESTDIR)$(DATADIR)/

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%) $(TOOLS:%=$(DESTDIR)$(MANDIR)/%.1) \
	  $(DESTDIR)$(INCDIR)/bantin.h $(DESTDIR)$(LIBDIR)/libbantin.a \
	  $(DESTDIR)$(LIBDIR)/libbantin.so $(DESTDIR)$(LIBDIR)/libbantin.so.$(SOVER) \
	  $(DESTDIR)$(LIBDIR)/libbantin.so.$(LIBVER) $(DESTDIR)$(PCDIR)/bantin.pc \
	  $(DESTDIR)$(DATADIR)/bantin.rng
	-rmdir $(DESTDIR)$(DATADIR) 2>/dev/null

clean:
	rm -rf build build-san out

# ---- fuzzing (tests/fuzz/) ------------------------------------------------
# libFuzzer harnesses for every parser of untrusted bytes, built with clang
# and ASan/UBSan into build-fuzz/, each run for FUZZ_S seconds on a corpus
# seeded from fixtures/ (FUZZ_ONLY="html reader" runs only those):
#   make fuzz [FUZZ_S=60] [FUZZ_ONLY=…]
# Installs clang and the libFuzzer runtime (libclang-rt-dev) when missing.
FUZZ_BUILD = build-fuzz
FUZZ_CC    = clang
FUZZ_S    ?= 60
FUZZ_ONLY ?=
FUZZ_DEBS  = clang libclang-rt-dev
FUZZ_SAN   = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_OPT   = -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_SRC   = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN   = $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(FUZZ_BUILD)/fuzz/%)

.PHONY: fuzz fuzz-deps fuzz-build fuzz-clean
fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_S) $(FUZZ_ONLY)

# Can clang link a libFuzzer program?  Else install what it needs.
fuzz-deps: deps
	@probe=$$(mktemp -d) || exit 1; \
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ return (void)d, (void)n, 0; }\n' >$$probe/p.c; \
	if ! $(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $$probe/p $$probe/p.c >/dev/null 2>&1; then \
	  echo "bantin: installing missing Debian packages for fuzzing: $(FUZZ_DEBS)"; \
	  { $(APT_INSTALL) $(FUZZ_DEBS) >/dev/null; } || { rm -rf $$probe; echo "bantin: apt-get install failed" >&2; exit 1; }; \
	fi; rm -rf $$probe

fuzz-build: fuzz-deps
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) OPT="$(FUZZ_OPT)" \
	  FOLDTAB=foldtab_none $(FUZZ_BUILD)/libbantin.a
	@$(MAKE) --no-print-directory fuzz-bin

.PHONY: fuzz-bin
fuzz-bin: $(FUZZ_BIN)
	@:

$(FUZZ_BIN): $(FUZZ_BUILD)/fuzz/%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_BUILD)/libbantin.a
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=c11 -Wall -Wextra -Wpedantic -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer \
	  $(FUZZ_SAN) -fsanitize=fuzzer -Ilib $(PKG_CFLAGS) -DBT_FUZZ_RNG='"$(CURDIR)/lib/bantin.rng"' \
	  -o $@ $< $(FUZZ_BUILD)/libbantin.a $(LDLIBS)

# make check replays every fixtures/fuzz/ input through its harness.
$(BUILD)/tests/test_fuzz: $(wildcard tests/fuzz/*.c tests/fuzz/*.h)

clean: fuzz-clean
fuzz-clean:
	rm -rf $(FUZZ_BUILD)
