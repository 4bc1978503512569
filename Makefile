# SPDX-License-Identifier: GPL-2.0
#
# ckpt: in-kernel checkpoint/restart for Linux 6.12.
#
# This repo is an overlay of the kernel tree; build/ is derived from it:
#   build/linux             base source + patches/ + overlay, bzImage, headers
#   build/tools             checkpoint, restart, ckptinfo (tools/ckpt)
#   build/selftests         the kselftests (tools/testing/selftests/checkpoint)
#   build/examples          demo programs (tools/ckpt/examples)
#   build/initramfs.cpio    busybox + all of the above, for tools/ckpt/ckpt-vm
#
#   make            everything (incremental; nothing to do takes seconds)
#   make check      all selftests in one VM boot + host-side tests
#   make demo       checkpoint, kill and restart a counter in the VM
#   make help       the other targets

SHELL    := /bin/bash
REPO     := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
BUILD    := $(REPO)/build
SCRIPTS  := $(REPO)/tools/ckpt/scripts
CKPT_VM  := $(REPO)/tools/ckpt/ckpt-vm

# Seconds before make check gives up on the VM.
CHECK_TIMEOUT ?= 3600
# Only some selftests, e.g. TESTS="checkpoint:self_test ckpt-vm".
TESTS ?=

EXAMPLES := $(patsubst $(REPO)/tools/ckpt/examples/%.c,$(BUILD)/examples/%,\
		$(wildcard $(REPO)/tools/ckpt/examples/*.c)) \
	    $(BUILD)/examples/ckpt-bench
USER_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -static \
	       -I$(REPO)/include/uapi \
	       -idirafter $(REPO)/arch/x86/include/uapi

.PHONY: all deps kernel tools selftests examples initramfs \
	check demo bench zdtm series series-check clean help

all: initramfs

deps:
	@$(SCRIPTS)/deps.sh

kernel: deps
	@$(SCRIPTS)/kbuild.sh

# The tools take the uapi headers from include/uapi, the selftests from
# build/linux/usr/include.
tools: deps
	@if [ -f $(REPO)/tools/ckpt/Makefile ]; then \
		echo "  TOOLS     tools/ckpt -> build/tools"; \
		$(MAKE) --no-print-directory -C $(REPO)/tools/ckpt OUTPUT=$(BUILD)/tools/; \
	else \
		echo "  TOOLS     skipped: tools/ckpt/Makefile does not exist yet"; \
	fi

selftests: kernel
	@$(SCRIPTS)/selftests.sh

examples: $(EXAMPLES)

$(BUILD)/examples/%: $(REPO)/tools/ckpt/examples/%.c | deps
	@mkdir -p $(@D)
	@echo "  EXAMPLE   tools/ckpt/examples/$*.c -> build/examples/$*"
	@gcc $(USER_CFLAGS) -o $@ $<

# Examples that checkpoint themselves link libckpt's source.
$(BUILD)/examples/heat: $(REPO)/tools/ckpt/examples/heat.c \
		$(REPO)/tools/ckpt/lib/libckpt.c $(REPO)/tools/ckpt/lib/libckpt.h \
		$(REPO)/tools/ckpt/ckpt.h | deps
	@mkdir -p $(@D)
	@echo "  EXAMPLE   tools/ckpt/examples/heat.c -> build/examples/heat"
	@gcc $(USER_CFLAGS) -I$(REPO)/tools/ckpt/lib -o $@ $< \
		$(REPO)/tools/ckpt/lib/libckpt.c

$(BUILD)/examples/ckpt-bench: $(REPO)/tools/ckpt/bench/ckpt-bench.c \
		$(REPO)/tools/ckpt/ckpt.h | deps
	@mkdir -p $(@D)
	@echo "  BENCH     tools/ckpt/bench/ckpt-bench.c -> build/examples/ckpt-bench"
	@gcc $(USER_CFLAGS) -o $@ $<

initramfs: tools selftests examples
	@$(SCRIPTS)/mkinitramfs.sh

check: all
	@$(SCRIPTS)/run-tests.sh --timeout $(CHECK_TIMEOUT) $(TESTS)

# The selftests on a kernel with kmemleak, lockdep and KASAN, built in
# a tree of its own (build/linux-debug; slower).  Fails on any leak or
# KASAN report too.  The fuzzer gets a fresh seed each time (printed;
# CKPT_FUZZ_SEED=N repeats one).
check-debug: all
	@CKPT_FLAVOR=debug $(SCRIPTS)/kbuild.sh
	@CKPT_FLAVOR=debug CKPT_FUZZ_SEED=$${CKPT_FUZZ_SEED:-random} \
		CKPT_TIMEOUT_SCALE=5 $(SCRIPTS)/run-tests.sh --timeout $$(( $(CHECK_TIMEOUT) * 3 )) $(TESTS)

demo: all
	@$(CKPT_VM) -- ckpt-demo

# ckpt beside CRIU on a kernel of its own (build/linux-bench: our options
# plus tools/ckpt/bench/criu.config) with criu in the initramfs; results
# under build/bench.  CKPT_BENCH_ARGS passes options to ckpt-bench.
bench: all
	@CKPT_FLAVOR=bench $(SCRIPTS)/deps.sh
	@CKPT_FLAVOR=bench $(SCRIPTS)/kbuild.sh
	@CKPT_FLAVOR=bench $(SCRIPTS)/mkinitramfs.sh
	@$(SCRIPTS)/bench.sh

# CRIU's zdtm static tests through checkpoint/restart in the VM, as a
# third-party suite: CRIU=<a CRIU source tree>, TESTS=... picks some.
zdtm: all
	@$(SCRIPTS)/zdtm.sh $(CRIU) $(TESTS)

series: deps
	@$(SCRIPTS)/deps.sh --series
	@$(SCRIPTS)/series.sh

series-check: all
	@$(SCRIPTS)/deps.sh --series
	@$(SCRIPTS)/series.sh --check

clean:
	rm -rf $(BUILD)

help:
	@echo "Targets:"
	@echo "  all (default)  deps, kernel, tools, selftests, examples, initramfs"
	@echo "  deps           check/install the Debian packages (pin: tools/ckpt/scripts/lib.sh)"
	@echo "  kernel         build/linux: extract, patch, overlay, configure, bzImage, headers"
	@echo "  tools          tools/ckpt -> build/tools"
	@echo "  selftests      tools/testing/selftests/checkpoint -> build/selftests"
	@echo "  initramfs      build/initramfs.cpio for tools/ckpt/ckpt-vm"
	@echo "  check          run all tests; TESTS=... picks some, CHECK_TIMEOUT=s"
	@echo "  check-debug    the tests on a kmemleak+lockdep+KASAN kernel"
	@echo "  demo           checkpoint/kill/restart a counter in the VM"
	@echo "  bench          ckpt beside CRIU (tools/ckpt/bench) -> build/bench"
	@echo "  zdtm           CRIU's zdtm tests through ckpt (CRIU=src) -> build/zdtm"
	@echo "  series         the change as a git-format-patch series -> build/series"
	@echo "  series-check   series, then git am, build and checkpatch at each patch"
	@echo "  clean          remove build/"
	@echo "Run anything in the VM: tools/ckpt/ckpt-vm -- 'command'"
