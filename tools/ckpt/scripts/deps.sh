#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check (and, as root, install) the Debian packages the ckpt build needs.
#
# Fast path: one dpkg-query, no apt-get update, when everything is there.
# The base kernel source is pinned in lib.sh; if apt no longer serves that
# version, say so and take the newest 6.12 it has.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PACKAGES=(
	"$LINUX_SOURCE_PKG"
	qemu-system-x86 busybox-static ccache gcc make flex bison bc
	libc6-dev libelf-dev libssl-dev cpio e2fsprogs xz-utils rsync
)
# make bench also runs CRIU in the guest and plots on the host.
[ "$CKPT_FLAVOR" = bench ] && PACKAGES+=(criu gnuplot-nox)

# Print "name version" for each installed package, nothing for the others.
installed() {
	dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' "$@" 2>/dev/null |
		awk '$1 == "ii" { print $2, $3 }'
}

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
	if apt-cache madison "$LINUX_SOURCE_PKG" 2>/dev/null |
		awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | grep -qxF "$LINUX_SOURCE_VERSION"; then
		src_want="$LINUX_SOURCE_PKG=$LINUX_SOURCE_VERSION"
	elif [ -n "$src_have" ]; then
		echo "deps: note: $LINUX_SOURCE_PKG $LINUX_SOURCE_VERSION (the pin in tools/ckpt/scripts/lib.sh)" \
		     "is not offered by apt; building on the installed $src_have" >&2
	fi
fi

if [ ${#missing[@]} -eq 0 ] && [ -z "$src_want" ]; then
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
	echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${todo[*]}" >&2
	exit 1
fi

echo "deps: installing ${todo[*]}"
apt-get update -qq

# With fresh package lists, settle the kernel source version for good.
if [ -z "$src_have" ] || [ -n "$src_want" ]; then
	for i in "${!todo[@]}"; do
		case ${todo[$i]} in "$LINUX_SOURCE_PKG"|"$LINUX_SOURCE_PKG="*) unset "todo[$i]" ;; esac
	done
	if apt-cache madison "$LINUX_SOURCE_PKG" |
		awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | grep -qxF "$LINUX_SOURCE_VERSION"; then
		todo+=("$LINUX_SOURCE_PKG=$LINUX_SOURCE_VERSION")
	else
		newest=$(apt-cache madison "$LINUX_SOURCE_PKG" | awk -F'|' 'NR == 1 { gsub(/ /, "", $2); print $2 }')
		[ -n "$newest" ] || die "apt offers no $LINUX_SOURCE_PKG at all"
		echo "deps: WARNING: $LINUX_SOURCE_PKG $LINUX_SOURCE_VERSION (pinned in tools/ckpt/scripts/lib.sh)" \
		     "is no longer offered by apt; installing the newest 6.12 it serves: $newest" >&2
		todo+=("$LINUX_SOURCE_PKG=$newest")
	fi
fi

DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${todo[@]}"
