# SPDX-License-Identifier: GPL-2.0
# Shared settings for the ckpt build and VM scripts.  Source it from bash.
#
# This is the one place that pins the base kernel: Debian's linux-source-6.12
# package, which installs /usr/src/linux-source-6.12.tar.xz.

LINUX_SOURCE_PKG=linux-source-6.12
LINUX_SOURCE_VERSION=6.12.117-1~deb12u1
LINUX_SOURCE_TARBALL=/usr/src/linux-source-6.12.tar.xz
LINUX_SOURCE_TOPDIR=linux-source-6.12

# Everything derived lives under build/ and can be deleted at any time.
CKPT_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
CKPT_BUILD=$CKPT_REPO/build
CKPT_KSRC=$CKPT_BUILD/linux
CKPT_ARCH=x86_64
CKPT_BZIMAGE=$CKPT_KSRC/arch/x86/boot/bzImage
CKPT_INITRAMFS=$CKPT_BUILD/initramfs.cpio
CKPT_SELFTESTS_SRC=tools/testing/selftests/checkpoint

# Fixed build identity: the kernel (and ccache's view of it) does not change
# from one build to the next just because the clock moved.
CKPT_KBUILD_VARS=(
	ARCH=$CKPT_ARCH
	"CC=ccache gcc"
	"KBUILD_BUILD_TIMESTAMP=Mon Jan  1 00:00:00 UTC 2024"
	KBUILD_BUILD_USER=ckpt
	KBUILD_BUILD_HOST=ckpt
)

# One compiler cache for every clone on this machine (CI included);
# CCACHE_BASEDIR makes the paths inside build/ relative so hits carry over.
export CCACHE_DIR=${CCACHE_DIR:-${HOME:-/root}/.cache/ccache}
export CCACHE_BASEDIR=$CKPT_BUILD

say() { printf '  %-9s %s\n' "$1" "${*:2}"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
