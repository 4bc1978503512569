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
CKPT_ARCH=x86_64
# CKPT_FLAVOR=bench (make bench): a second kernel tree, configured with
# the selftests' options plus those CRIU needs, and an initramfs that
# also holds criu.  Both live beside the test ones, so that switching
# between make check and make bench rebuilds nothing.
# CKPT_FLAVOR=debug (make check-debug): a third tree, the selftests'
# options plus kmemleak, lockdep and KASAN; it boots the test initramfs.
CKPT_FLAVOR=${CKPT_FLAVOR:-}
case $CKPT_FLAVOR in
'')	CKPT_SUFFIX= ;;
bench)	CKPT_SUFFIX=-bench ;;
debug)	CKPT_SUFFIX=-debug ;;
*)	echo "error: CKPT_FLAVOR=$CKPT_FLAVOR: unknown (bench or debug)" >&2; exit 1 ;;
esac
CKPT_KSRC=$CKPT_BUILD/linux$CKPT_SUFFIX
CKPT_BZIMAGE=$CKPT_KSRC/arch/x86/boot/bzImage
if [ "$CKPT_FLAVOR" = bench ]; then
	CKPT_INITRAMFS=$CKPT_BUILD/initramfs-bench.cpio
else
	CKPT_INITRAMFS=$CKPT_BUILD/initramfs.cpio
fi
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
