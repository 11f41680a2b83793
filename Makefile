# SPDX-License-Identifier: GPL-2.0
# twstat: kernel module (module/), tool (tools/), tests (selftests/).
#
#   make              build module/twstat.ko against KDIR, and tools/twstat
#   make check        install what is needed, run every test (host + VMs)
#   make demo         boot a VM, create TIME_WAIT load, show the files
#   make bench        benchmark in a VM (docs/performance.md)
#   make lint         checkpatch (module) and clang-format (tools) checks

KDIR ?= /lib/modules/$(shell uname -r)/build
TWSTAT_CACHE ?= $(HOME)/.cache/twstat
export TWSTAT_CACHE

all: module tool

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C tools

deps:
	selftests/install-deps

check: deps
	$(MAKE) -C tools check
	selftests/vm/run --lint
	selftests/vm/run

demo: deps
	selftests/vm/run --demo

bench: deps
	selftests/vm/run --bench

lint: deps
	selftests/vm/run --lint

clean:
	$(MAKE) -C tools clean
	rm -rf module/*.o module/*.ko module/*.mod module/*.mod.c \
		module/.*.cmd module/modules.order module/Module.symvers \
		.*.cmd modules.order Module.symvers

.PHONY: all module tool deps check demo bench lint clean
