# Thin wrapper around meson/ninja, as QEMU's top-level Makefile is.
#   make run        set up, build, boot the default guest
#   make test       set up, build, run every default test suite (+ unit tests under ASan/UBSan)
#   make test-slow  the opt-in long suites
#   make bench      the benchmarks
#   make setup      install missing host packages and fetch the Debian arm64 guest packages

BUILD      ?= build
BUILD_SAN  ?= build-san
JOBS       ?= 2
MESON      ?= meson
NINJA      ?= ninja
# Suites `make test` runs: everything except the opt-in ones.
SLOW_SUITES  = slow linux bench
TEST_ARGS   ?=
NO_SLOW      = $(foreach s,$(SLOW_SUITES),--no-suite $(s))

# The default guest of `make run`: Debian's arm64 kernel with a busybox shell
# (guests/debian/cache, fetched by `make setup`); the bare-metal demo when the
# packages could not be fetched.
DEBIAN_ROOT  = guests/debian/cache/root
RUN_INITRD  ?= $(BUILD)/run-initramfs.cpio.gz
RUN_ARGS    ?= -M virt,virtualization=on,gic-version=3 -cpu max -smp 2 -m 1G -nographic
DEMO_ARGS   ?= -M virt,virtualization=on,gic-version=3 -cpu max -m 512M -nographic -semihosting

.PHONY: all build setup run test test-unit-san test-slow bench clean distclean

all: build

setup:
	@sh tests/setup-host.sh
	@sh guests/debian/fetch.sh || echo "setup: WARNING: the Debian arm64 guest packages could not be fetched (Linux guests will be unavailable)"

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD)

$(BUILD_SAN)/build.ninja:
	$(MESON) setup $(BUILD_SAN) -Dsanitize=true -Dbuildtype=debug

build: $(BUILD)/build.ninja
	$(NINJA) -C $(BUILD) -j$(JOBS)

run: setup build
	@kernel=$$(ls $(DEBIAN_ROOT)/boot/vmlinuz-* 2>/dev/null | tail -n 1); \
	if [ -n "$$kernel" ] && [ -x $(DEBIAN_ROOT)/bin/busybox ]; then \
	  python3 tests/linux/mkinitramfs.py $(DEBIAN_ROOT)/bin/busybox tests/linux/init-shell.sh $(RUN_INITRD) && \
	  echo "== tandem $(RUN_ARGS) -kernel $$kernel -initrd $(RUN_INITRD)  (Ctrl-A x quits)" && \
	  $(BUILD)/tandem $(RUN_ARGS) -kernel $$kernel -initrd $(RUN_INITRD) -append "console=ttyAMA0"; \
	else \
	  echo "== no Debian kernel cached: booting the bare-metal demo"; \
	  $(BUILD)/tandem $(DEMO_ARGS) -kernel $(BUILD)/guests/demo.img; \
	fi

# Unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
test-unit-san: $(BUILD_SAN)/build.ninja
	$(NINJA) -C $(BUILD_SAN) -j$(JOBS)
	$(MESON) test -C $(BUILD_SAN) --suite unit --num-processes $(JOBS) --print-errorlogs

test: setup build
	$(MESON) test -C $(BUILD) $(NO_SLOW) --num-processes $(JOBS) --print-errorlogs $(TEST_ARGS); \
	  rc=$$?; $(MAKE) --no-print-directory test-unit-san || rc=1; exit $$rc

test-slow: setup build
	@suites=""; for s in slow linux; do \
	  if $(MESON) test -C $(BUILD) --list --suite $$s >/dev/null 2>&1 && \
	     [ -n "$$($(MESON) test -C $(BUILD) --list --suite $$s 2>/dev/null)" ]; then suites="$$suites --suite $$s"; fi; done; \
	if [ -z "$$suites" ]; then echo "test-slow: no slow test suite exists yet"; exit 0; fi; \
	$(MESON) test -C $(BUILD) $$suites --num-processes $(JOBS) --print-errorlogs

bench: setup build
	@if [ -n "$$($(MESON) test -C $(BUILD) --list --suite bench 2>/dev/null)" ]; then \
	  $(MESON) test -C $(BUILD) --suite bench --num-processes 1 --print-errorlogs -v; \
	else echo "bench: no benchmark exists yet (add meson tests in suite 'bench')"; fi

clean:
	@if [ -d $(BUILD) ]; then $(NINJA) -C $(BUILD) -t clean; fi
	@if [ -d $(BUILD_SAN) ]; then $(NINJA) -C $(BUILD_SAN) -t clean; fi

distclean:
	rm -rf $(BUILD) $(BUILD_SAN)
