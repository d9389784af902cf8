# mailguide: `make` installs missing build dependencies (as root), builds
# bin/mailguide and generates output/ from content/; `make test` runs the suite.

PREFIX  ?= /usr/local
DESTDIR ?=
DATADIR  = $(PREFIX)/share/mailguide
VERSION  = 0.1.0

# Debian packages: to build, and in addition to test.
BUILD_DEBS = pkg-config gcc g++ make libcmark-gfm-dev libcmark-gfm-extensions-dev \
             libyaml-dev libctemplate-dev libzip-dev libssl-dev libcurl4-openssl-dev libxml2-dev \
             libmicrohttpd-dev libqrencode-dev
TEST_DEBS  = python3 python3-yaml libxml2-utils nodejs default-jre-headless openssl unzip nginx apache2 rsync curl \
             thunderbird dovecot-imapd dovecot-pop3d dovecot-submissiond libnss3-tools chromium \
             bind9-utils bind9-dnsutils nsd zbar-tools
PKGS       = libcmark-gfm yaml-0.1 libctemplate libzip libssl libcrypto libcurl libxml-2.0 libmicrohttpd libqrencode

# pkg-config runs when a recipe needs these, after `deps` has installed it.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
# libresolv (glibc) parses DNS answers for probe --site; it has no .pc file.
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lresolv -pthread

CC       = gcc
CXX      = g++
OPT     ?= -O2 -g
WARN     = -Wall -Wextra -Werror
DEFS     = -DMG_VERSION='"$(VERSION)"' -DMG_DATADIR='"$(DATADIR)"'
CFLAGS_ALL   = -std=c11 -pthread $(OPT) $(WARN) $(DEFS) $(SAN) $(PKG_CFLAGS) $(CFLAGS)
CXXFLAGS_ALL = -std=c++17 $(OPT) $(WARN) $(SAN) $(PKG_CFLAGS) $(CXXFLAGS)

# Variants build into their own folders: build/release, build/asan.
VARIANT ?= release
OBJDIR   = build/$(VARIANT)
C_SRCS   = $(filter-out src/main.c,$(wildcard src/*.c))
CXX_SRCS = $(wildcard src/*.cc)
LIB_OBJS = $(C_SRCS:src/%.c=$(OBJDIR)/%.o) $(CXX_SRCS:src/%.cc=$(OBJDIR)/%.o)
BIN      = $(if $(filter release,$(VARIANT)),bin/mailguide,$(OBJDIR)/mailguide)
UNIT     = $(OBJDIR)/unit

.PHONY: all site deps test-deps fuzz-deps lint-deps test unit asan valgrind fuzz lint format clean install uninstall serve serve-nginx publish screenshots

# Zip entries carry one time stamp: that of the last commit, unless the
# caller sets SOURCE_DATE_EPOCH (reproducible-builds.org convention).
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
export SOURCE_DATE_EPOCH
all: site

deps:
	@tools/deps.sh $(BUILD_DEBS)

test-deps: deps
	@tools/deps.sh $(TEST_DEBS)

$(OBJDIR)/%.o: src/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(OBJDIR)/%.o: src/%.cc | deps
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_ALL) -MMD -MP -c $< -o $@

$(OBJDIR)/tests/%.o: tests/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Isrc -MMD -MP -c $< -o $@

# The release binary takes ctemplate, libyaml and the C++ runtime in (the
# Debian -dev packages ship their archives): a build is a short process run
# on every save, and binding their symbols at each start cost a millisecond
# (perf stat -r 200 bin/mailguide --version: 2.7 ms of CPU, 1.5 ms so).
# cmark-gfm stays shared: mailguide stands in for one of its functions
# (src/guide.c). Sanitizer and test variants link everything shared.
STATIC_IN = -lctemplate -lyaml
LIBS_release = -Wl,-Bstatic $(STATIC_IN) -Wl,-Bdynamic $(filter-out $(STATIC_IN),$(PKG_LIBS)) \
               -static-libstdc++ -static-libgcc
BIN_LIBS  = $(or $(LIBS_$(VARIANT)),$(PKG_LIBS))

$(BIN): $(LIB_OBJS) $(OBJDIR)/main.o
	@mkdir -p $(@D)
	$(CXX) $(SAN) -o $@ $^ $(BIN_LIBS) $(LDFLAGS)

$(UNIT): $(LIB_OBJS) $(OBJDIR)/tests/unit.o
	$(CXX) $(SAN) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

# -Werror: a warning of the checks (mailguide check) fails make, so the
# shipped content stays free of them.
site: $(BIN)
	$(BIN) build -Werror

test: test-deps $(BIN) $(UNIT)
	@MG=$(CURDIR)/$(BIN) UNIT=$(CURDIR)/$(UNIT) tests/run

# The whole suite again with AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) VARIANT=asan OPT='-O1 -g -fno-omit-frame-pointer' \
		SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' test

# The author's preview (mailguide serve): builds, serves output/ on
# http://127.0.0.1:$(PORT)/, builds again on every save in content/ or
# templates/ and reloads the open page. serve-nginx serves output/ as a
# published site: Debian's nginx with web/nginx-mailguide.conf.
PORT ?= 8080
serve: $(BIN)
	$(BIN) serve --port $(PORT)

serve-nginx: site
	@tools/deps.sh nginx
	web/serve.sh output $(PORT)

# Uploads output/ to DEST (rsync syntax: host:/path or a local folder):
# compares by checksum, deletes stale files only after the upload.
# Screenshots of a few built pages at a desk's 1366x900 and a phone's 390x844
# (first screen, or from the #id given), committed under docs/screenshots/
# and shown in the README: Debian's chromium through playwright-core.
SHOTS = en-gb/configure-thunderbird/index.html en-gb/configure-apple-mail/index.html \
        de-de/windows-8-mail-einrichten/index.html\#server-details \
        fr-fr/configurer-thunderbird/index.html\#wizard profiles/mxplan/en-gb/index.html 404.html
screenshots: site
	@tools/deps.sh chromium
	@[ -f node_modules/playwright-core/package.json ] || npm ci --no-audit --no-fund
	tools/screenshots.sh output docs/screenshots $(SHOTS)

publish: site
	@test -n "$(DEST)" || { echo "usage: make publish DEST=host:/path" >&2; exit 2; }
	@tools/deps.sh rsync
	rsync -rlt --checksum --delete-after --chmod=D755,F644 output/ $(DEST)/

# The whole suite again with every mailguide and unit-test run under
# valgrind: invalid accesses and definite or indirect leaks fail the run
# (exit 99). valgrind's own messages go to a log per process, not to the
# program's standard error, which the tests compare byte for byte: valgrind
# 3.19 warns of every openat2 call it cannot run (mailguide then takes its
# fallback). The logs with anything else in them are printed at the end.
VG_LOGS  = $(CURDIR)/build/valgrind/log
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full --suppressions=$(CURDIR)/tests/valgrind.supp \
           --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
           --log-file=$(VG_LOGS)/%p.log
VG_WRAP = mkdir -p $(@D) && printf '\043!/bin/sh\nexec %s %s "$$@"\n' '$(VALGRIND)' "$(CURDIR)/$<" > $@ && chmod +x $@
build/valgrind/mailguide: $(BIN) Makefile
	@$(VG_WRAP)
build/valgrind/unit: $(UNIT) Makefile
	@$(VG_WRAP)
valgrind: test-deps build/valgrind/mailguide build/valgrind/unit
	@tools/deps.sh valgrind
	@rm -rf $(VG_LOGS) && mkdir -p $(VG_LOGS)
	@MG=$(CURDIR)/build/valgrind/mailguide UNIT=$(CURDIR)/build/valgrind/unit tests/run; rc=$$?; \
	 tools/vg-logs $(VG_LOGS); exit $$rc

# libFuzzer harnesses (fuzz/fuzz_*.c), built with clang into build/fuzz/,
# each run for FUZZ_SECONDS on seeds from content/ and tests/.
FUZZ_SECONDS ?= 60
FUZZ_DEBS    = clang libclang-rt-14-dev
FUZZ_FLAGS   = -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all $(WARN) $(PKG_CFLAGS)
FUZZ_OBJS    = $(C_SRCS:src/%.c=build/fuzz/%.o) $(CXX_SRCS:src/%.cc=build/fuzz/%.o)
FUZZERS      = $(patsubst fuzz/%.c,build/fuzz/%,$(wildcard fuzz/fuzz_*.c))

fuzz-deps: deps
	@tools/deps.sh $(FUZZ_DEBS)
build/fuzz/%.o: src/%.c | fuzz-deps
	@mkdir -p $(@D)
	clang -std=c11 $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(DEFS) -MMD -MP -c $< -o $@
build/fuzz/%.o: src/%.cc | fuzz-deps
	@mkdir -p $(@D)
	clang++ -std=c++17 $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
build/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/common.h $(FUZZ_OBJS) | fuzz-deps
	clang++ -x c -std=c11 $(FUZZ_FLAGS) -fsanitize=fuzzer -Isrc -MMD -MP -MF $@.d -c $< -o $@.o
	clang++ $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $@.o $(FUZZ_OBJS) $(PKG_LIBS)
.SECONDARY: $(FUZZ_OBJS)
fuzz: $(FUZZERS)
	fuzz/run.sh $(FUZZ_SECONDS) $(FUZZERS)

# The layout of .clang-format and no banned function (tools/checksrc.py says
# which and why) over the C and C++ sources; `make format` lays them out.
LINT_DEBS = clang-format python3
LINT_SRCS = $(wildcard src/*.c src/*.h src/*.cc) tests/unit.c $(wildcard fuzz/*.c fuzz/*.h)
lint-deps:
	@tools/deps.sh $(LINT_DEBS)
lint: lint-deps
	@tools/lint.sh $(LINT_SRCS)
format: lint-deps
	clang-format -i --style=file $(LINT_SRCS)

clean:
	rm -rf build bin output .output.lock .output.manifest .output.docs .output.spare

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/mailguide
	cp -R templates $(DESTDIR)$(DATADIR)/
	chmod -R u=rwX,go=rX $(DESTDIR)$(DATADIR)

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mailguide
	rm -rf $(DESTDIR)$(DATADIR)

-include $(wildcard $(OBJDIR)/*.d $(OBJDIR)/tests/*.d build/fuzz/*.d)
