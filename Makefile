# SPDX-License-Identifier: GPL-2.0
# twstat: kernel module (module/), tool (tools/), tests (selftests/).
#
#   make              build module/twstat.ko against KDIR, and tools/twstat
#   make check-all    everything CI runs: check, check-debug, deb-test
#   make check        install what is needed, run the host tests and the
#                     VM suites on every kernel of the matrix, in parallel
#   make check-host   make check's host part: tool tests, fuzz, rules,
#                     node_exporter, DKMS, lint
#   make check-debug  the VM tests on a KASAN/lockdep/kmemleak kernel built
#                     from Debian's 6.12 source (built once, cached)
#   make mutate       the mutation lane: every mutant of selftests/mutants
#                     must be killed by the tests (docs/testing.md)
#   make demo         boot a VM, create TIME_WAIT load, show the files
#   make bench        benchmark in a VM (docs/performance.md)
#   make lint         checkpatch (module) and clang-format (tools) checks
#   make rules-check  promtool check + unit tests of docs/prometheus rules
#   make install      install the tool and its man page (PREFIX, DESTDIR)
#   make dkms-install register the module with DKMS, build + install it for
#                     the running kernel (DKMS_FLAGS="-k VER" for another)
#   make dkms-remove  remove it from DKMS and /usr/src
#   make deb          the Debian packages twstat and twstat-dkms, in
#                     .build/deb/, checked by lintian (no errors)
#   make deb-test     install them in a bookworm chroot with cached kernel
#                     headers: DKMS must build twstat.ko; remove, purge

KDIR ?= /lib/modules/$(shell uname -r)/build
TWSTAT_CACHE ?= $(HOME)/.cache/twstat
export TWSTAT_CACHE
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
# The version of the module, the tool and the packages: debian/changelog's
# first line is the one place it is written; everything else derives it.
VERSION := $(shell awk -F'[()]' 'NR == 1 { print $$2 }' debian/changelog)
TWSTAT_VERSION := $(VERSION)
export TWSTAT_VERSION
DKMS_SRC := /usr/src/twstat-$(VERSION)

all: module tool

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C tools

deps:
	selftests/install-deps

check: check-host
	selftests/vm/run

# Everything of make check that runs on the host, not in the VMs.
check-host: deps
	$(MAKE) -C tools check
	$(MAKE) rules-check
	$(MAKE) -C tools twstat build/mksock
	selftests/node-exporter-test
	selftests/dkms-test
	selftests/vm/run --lint

# The alerting and recording rules: syntax, and promtool's unit tests
# (series that fire each alert and series that must not).
rules-check:
	promtool check rules docs/prometheus/twstat.rules.yml
	cd docs/prometheus && promtool test rules twstat.rules.test.yml

check-debug: deps
	selftests/vm/run --kernels debug

# The README's test command, and all .ci/run runs: check, then
# check-debug (alone, so its slow kernel does not share the cores with six
# other VMs), then deb-test; selftests/check-all runs every phase even
# after one failed, and prints the time of each.
check-all:
	selftests/check-all

# Not part of check: ~90 mutants in three parts, each meant to take under
# 45 minutes here (docs/testing.md, "The mutation lane").
mutate: mutate-1 mutate-2 mutate-3

mutate-1 mutate-2 mutate-3: deps
	selftests/mutate --part $(@:mutate-%=%)/3 --doc

demo: deps
	selftests/vm/run --demo

bench: deps
	selftests/vm/run --bench

lint: deps
	selftests/vm/run --lint

install: tool
	install -D -m 755 tools/twstat $(DESTDIR)$(SBINDIR)/twstat
	install -d $(DESTDIR)$(MANDIR)/man8
	sed '/^\.TH /s/"twstat[^"]*"/"twstat $(VERSION)"/' docs/twstat.8 \
		>$(DESTDIR)$(MANDIR)/man8/twstat.8

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/twstat $(DESTDIR)$(MANDIR)/man8/twstat.8

# Only the module's sources go to /usr/src: no build products, no tools.
# selftests/dkms-test stages into a temporary DKMS_SRC the same way.
dkms-src:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/module
	install -m 644 Kbuild $(DKMS_SRC)/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf >$(DKMS_SRC)/dkms.conf
	install -m 644 module/Kbuild module/*.[ch] $(DKMS_SRC)/module/

dkms-install: dkms-src
	dkms status -m twstat -v $(VERSION) | grep -q . || dkms add twstat/$(VERSION)
	dkms install twstat/$(VERSION) $(DKMS_FLAGS)

dkms-remove:
	-dkms remove twstat/$(VERSION) --all
	rm -rf $(DKMS_SRC)

# Built from a copy of the tree's files (tracked and untracked, not the
# ignored ones), so dpkg-buildpackage writes the .debs and the (native)
# source package into .build/deb/; lintian checks all of them.
DEB_DIR := .build/deb
deb:
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/twstat-$(VERSION)
	git ls-files -z -co --exclude-standard | \
		tar --null -T - --ignore-failed-read -cf - 2>/dev/null | \
		tar -x -C $(DEB_DIR)/twstat-$(VERSION)
	cd $(DEB_DIR)/twstat-$(VERSION) && \
		dpkg-buildpackage -us -uc >../build.log 2>&1 || \
		{ tail -40 ../build.log; exit 1; }
	lintian --fail-on error --display-info --pedantic \
		$(DEB_DIR)/*.changes >$(DEB_DIR)/lintian.log 2>&1; \
		st=$$?; grep -v '^running with root' $(DEB_DIR)/lintian.log; \
		exit $$st
	@ls $(DEB_DIR)/*.deb

deb-test: deps deb
	selftests/deb-test $(DEB_DIR)

clean:
	$(MAKE) -C tools clean
	rm -rf module/*.o module/*.ko module/*.mod module/*.mod.c \
		module/.*.cmd module/modules.order module/Module.symvers \
		.*.cmd modules.order Module.symvers

.PHONY: all module tool deps check check-host check-debug check-all mutate mutate-1 mutate-2 mutate-3 demo bench lint install \
	uninstall dkms-src dkms-install dkms-remove deb deb-test rules-check clean
