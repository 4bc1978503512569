#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check (and, as root, install) the Debian packages the ckpt build and
# tests need, then check that every program they run is really there.
#
# Fast path: one dpkg-query, no apt-get update, when everything is there.
# The base kernel source is pinned in lib.sh; if apt no longer serves that
# version, say so and take the newest 6.12 it has.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# What the host side runs, per package: programs, or /paths for packages
# used for their files.  Derived from Makefile, tools/ckpt/Makefile,
# tools/ckpt/ckpt-vm, tools/ckpt/scripts/*.sh and tools/ckpt/tests/*.sh,
# the kernel's build (the savedcmd lines of build/linux/**/.*.cmd, the
# scripts they run, its $(shell ...) and filechk commands) and the
# selftests' lib.mk, then checked with strace -f -e execve in a Debian 12
# minbase chroot; .ci/run runs make check in such a chroot.  The guest-*.sh
# and the selftests' *.sh run in the VM, on busybox.  Packages minbase
# already has are listed too, so that a slimmer base fails here, naming
# the package, rather than in the middle of a build.
REQUIRED='
	bash		bash
	dash		sh
	coreutils	basename cat chmod comm cp cut dd dirname env expr head id ln ls
	coreutils	mkdir mktemp mv nproc od readlink rm rmdir sha1sum sha256sum sleep
	coreutils	sort stat stty tail tee timeout touch tr truncate uname uniq wc
	diffutils	cmp
	findutils	find xargs
	grep		grep
	sed		sed
	mawk		awk
	tar		tar
	libc-bin	getconf
	dpkg		dpkg-query
	apt		apt-get apt-cache
	make		make
	patch		patch
	git		git
	gcc		gcc cc
	binutils	ld as ar nm objcopy readelf
	libc6-dev	/usr/include/stdio.h /usr/lib/x86_64-linux-gnu/libc.a
	ccache		ccache
	flex		flex
	bison		bison
	m4		m4
	bc		bc
	libelf-dev	/usr/include/gelf.h
	xz-utils	xz
	rsync		rsync
	cpio		cpio
	busybox-static	/bin/busybox
	e2fsprogs	mkfs.ext4
	qemu-system-x86	qemu-system-x86_64
	file		file
'
# (No libssl-dev: no configuration here has modules, module signing or a
# trusted keyring, so nothing links libcrypto.)
# make bench also runs CRIU in the guest (with the shared libraries ldd
# names) and plots on the host.
[ "$CKPT_FLAVOR" = bench ] && REQUIRED+='
	criu		/usr/sbin/criu
	libc-bin	ldd
	gnuplot-nox	gnuplot
'

# make series and series-check (deps.sh --series): checkpatch.pl (perl)
# checks each SPDX line with scripts/spdxcheck.py, which needs python3's
# ply and git modules.
[ "${1:-}" = --series ] && REQUIRED+='
	perl		perl
	python3		python3
	python3-ply	/usr/lib/python3/dist-packages/ply/__init__.py
	python3-git	/usr/lib/python3/dist-packages/git/__init__.py
'

PACKAGES=("$LINUX_SOURCE_PKG")
declare -A seen=([$LINUX_SOURCE_PKG]=1)
while read -r pkg _; do
	[ -n "$pkg" ] && [ -z "${seen[$pkg]:-}" ] || continue
	seen[$pkg]=1
	PACKAGES+=("$pkg")
done <<<"$REQUIRED"

# Name each required program or file that is not there, with its package.
check_required() {
	local pkg what w bad=0
	while read -r pkg what; do
		for w in $what; do
			if [ "${w:0:1}" = / ]; then
				[ -e "$w" ] && continue
			else
				command -v "$w" >/dev/null && continue
			fi
			echo "deps: $w (package $pkg) is missing" >&2
			bad=1
		done
	done <<<"$REQUIRED"
	[ -f "$LINUX_SOURCE_TARBALL" ] || {
		echo "deps: $LINUX_SOURCE_TARBALL (package $LINUX_SOURCE_PKG) is missing" >&2
		bad=1
	}
	return $bad
}

# Print "name version" for each installed package, nothing for the others.
installed() {
	dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' "$@" 2>/dev/null |
		awk '$1 == "ii" { print $2, $3 }'
}

# The versions of the kernel source apt offers, newest first.
offered() {
	apt-cache madison "$LINUX_SOURCE_PKG" 2>/dev/null |
		awk -F'|' '{ gsub(/ /, "", $2); print $2 }'
}
# Whether apt offers the pinned version.  (Not grep -q: it would stop
# reading early, and pipefail would count the writer's SIGPIPE as "no".)
offers_pin() { offered | grep -xF "$LINUX_SOURCE_VERSION" >/dev/null; }

declare -A have=()
while read -r name version; do have[$name]=$version; done < <(installed "${PACKAGES[@]}")

missing=()
for p in "${PACKAGES[@]}"; do
	[ -n "${have[$p]:-}" ] || missing+=("$p")
done

# The kernel source: installed at the pinned version, or a pin to install.
src_have=${have[$LINUX_SOURCE_PKG]:-}
src_want=
if [ "$src_have" != "$LINUX_SOURCE_VERSION" ]; then
	if offers_pin; then
		src_want="$LINUX_SOURCE_PKG=$LINUX_SOURCE_VERSION"
	elif [ -n "$src_have" ]; then
		echo "deps: note: $LINUX_SOURCE_PKG $LINUX_SOURCE_VERSION" \
		     "(the pin in tools/ckpt/scripts/lib.sh)" \
		     "is not offered by apt; building on the installed $src_have" >&2
	fi
fi

if [ ${#missing[@]} -eq 0 ] && [ -z "$src_want" ]; then
	check_required ||
		die "packages are installed but the programs above are not" \
		    "(see tools/ckpt/scripts/deps.sh)"
	exit 0
fi

# Replace the bare source package name by its pinned form when we can.
todo=()
for p in "${missing[@]}"; do
	[ "$p" = "$LINUX_SOURCE_PKG" ] || todo+=("$p")
done
if [ -n "$src_want" ]; then
	todo+=("$src_want")
elif [ -z "$src_have" ]; then
	todo+=("$LINUX_SOURCE_PKG")	# decided again after apt-get update below
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing or wrong version: ${todo[*]}" >&2
	echo "deps: install them with:" >&2
	echo "  sudo apt-get update &&" \
	     "sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${todo[*]}" >&2
	exit 1
fi

echo "deps: installing ${todo[*]}"
apt-get update -qq

# With fresh package lists, settle the kernel source version for good.
if [ -z "$src_have" ] || [ -n "$src_want" ]; then
	for i in "${!todo[@]}"; do
		case ${todo[$i]} in
		"$LINUX_SOURCE_PKG"|"$LINUX_SOURCE_PKG="*) unset "todo[$i]" ;;
		esac
	done
	if offers_pin; then
		todo+=("$LINUX_SOURCE_PKG=$LINUX_SOURCE_VERSION")
	else
		newest=$(offered | awk 'NR == 1')
		# Debian ships 6.12 to bookworm through the security archive only.
		[ -n "$newest" ] ||
			die "apt offers no $LINUX_SOURCE_PKG at all: it is in bookworm-security;" \
			    "enable it with the line" \
			    "'deb http://deb.debian.org/debian-security bookworm-security main'" \
			    "in /etc/apt/sources.list, then run make again"
		echo "deps: WARNING: $LINUX_SOURCE_PKG $LINUX_SOURCE_VERSION" \
		     "(pinned in tools/ckpt/scripts/lib.sh) is no longer offered by apt;" \
		     "installing the newest 6.12 it serves: $newest" >&2
		todo+=("$LINUX_SOURCE_PKG=$newest")
	fi
fi

DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${todo[@]}"
check_required ||
	die "installed ${todo[*]}, and still missing the above" \
	    "(see tools/ckpt/scripts/deps.sh)"
