#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the checkpoint kselftests inside the kernel tree copy (so that
# ../lib.mk and the installed uapi headers of build/linux are used), with
# their objects and programs in build/selftests, then install them with
# their settings and a kselftest-list.txt into
# build/selftests-install/checkpoint/ for the VM image.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$CKPT_REPO/$CKPT_SELFTESTS_SRC
dir=$CKPT_KSRC/$CKPT_SELFTESTS_SRC
out=$CKPT_BUILD/selftests
inst=$CKPT_BUILD/selftests-install

if [ ! -f "$src/Makefile" ]; then
	say SELFTEST "skipped: $CKPT_SELFTESTS_SRC/Makefile does not exist yet"
	rm -rf "$inst"
	exit 0
fi
[ -f "$dir/Makefile" ] || die "$dir/Makefile missing: build the kernel tree first (make kernel)"

# The guest has no libc: link statically (the Makefile's own LDFLAGS += ...
# add to this).
export LDFLAGS="${LDFLAGS:+$LDFLAGS }-static"
smake() { make -C "$dir" OUTPUT="$out" CKPT_LIBDIR="$CKPT_REPO/tools/ckpt/lib" "$@"; }

say SELFTEST "$CKPT_SELFTESTS_SRC -> build/selftests"
mkdir -p "$out"
# The programs depend on the installed uapi headers, which their
# Makefile does not know: new headers (the image format) rebuild all.
headers=$CKPT_BUILD/.linux$CKPT_SUFFIX-headers.stamp
seen=$out/.headers.seen
if [ -f "$headers" ] && [ ! "$seen" -nt "$headers" ]; then
	smake -s --no-print-directory clean
	mkdir -p "$out"
fi
smake --no-print-directory
touch "$seen"

rm -rf "$inst.tmp"
smake -s --no-print-directory INSTALL_PATH="$inst.tmp/checkpoint" install
smake -s --no-print-directory COLLECTION=checkpoint emit_tests \
	>"$inst.tmp/checkpoint/kselftest-list.txt"
rm -rf "$inst"
mv "$inst.tmp" "$inst"
