# SPDX-License-Identifier: GPL-2.0
# twstat: kernel module (module/), tool (tools/), tests (selftests/).
#
#   make              build module/twstat.ko against KDIR, and tools/twstat
#   make check        install what is needed, run every test (host + VMs)
#   make check-debug  the VM tests on a KASAN/lockdep/kmemleak kernel built
#                     from Debian's 6.12 source (built once, cached)
#   make mutate       the mutation lane: every mutant of selftests/mutants
#                     must be killed by the tests (docs/testing.md)
#   make demo         boot a VM, create TIME_WAIT load, show the files
#   make bench        benchmark in a VM (docs/performance.md)
#   make lint         checkpatch (module) and clang-format (tools) checks
#   make install      install the tool and its man page (PREFIX, DESTDIR)
#   make dkms-install register the module with DKMS, build + install it for
#                     the running kernel (DKMS_FLAGS="-k VER" for another)
#   make dkms-remove  remove it from DKMS and /usr/src

KDIR ?= /lib/modules/$(shell uname -r)/build
TWSTAT_CACHE ?= $(HOME)/.cache/twstat
export TWSTAT_CACHE
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
# dkms.conf's PACKAGE_VERSION is this too (selftests/dkms-test checks)
VERSION := $(shell sed -n 's/^MODULE_VERSION("\(.*\)");$$/\1/p' module/main.c)
DKMS_SRC := /usr/src/twstat-$(VERSION)

all: module tool

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C tools

deps:
	selftests/install-deps

check: deps
	$(MAKE) -C tools check
	selftests/dkms-test
	selftests/vm/run --lint
	selftests/vm/run

check-debug: deps
	selftests/vm/run --kernels debug

# Not part of check: ~40 VM runs, see docs/testing.md for how long.
mutate: deps
	selftests/mutate --doc

demo: deps
	selftests/vm/run --demo

bench: deps
	selftests/vm/run --bench

lint: deps
	selftests/vm/run --lint

install: tool
	install -D -m 755 tools/twstat $(DESTDIR)$(SBINDIR)/twstat
	install -D -m 644 docs/twstat.8 $(DESTDIR)$(MANDIR)/man8/twstat.8

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/twstat $(DESTDIR)$(MANDIR)/man8/twstat.8

# Only the module's sources go to /usr/src: no build products, no tools.
# selftests/dkms-test stages into a temporary DKMS_SRC the same way.
dkms-src:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/module
	install -m 644 dkms.conf Kbuild $(DKMS_SRC)/
	install -m 644 module/Kbuild module/*.[ch] $(DKMS_SRC)/module/

dkms-install: dkms-src
	dkms status -m twstat -v $(VERSION) | grep -q . || dkms add twstat/$(VERSION)
	dkms install twstat/$(VERSION) $(DKMS_FLAGS)

dkms-remove:
	-dkms remove twstat/$(VERSION) --all
	rm -rf $(DKMS_SRC)

clean:
	$(MAKE) -C tools clean
	rm -rf module/*.o module/*.ko module/*.mod module/*.mod.c \
		module/.*.cmd module/modules.order module/Module.symvers \
		.*.cmd modules.order Module.symvers

.PHONY: all module tool deps check check-debug mutate demo bench lint install uninstall \
	dkms-src dkms-install dkms-remove clean
