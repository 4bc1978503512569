#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Derive build/linux from the base source, patches/ and the overlay, then
# build bzImage and the uapi headers -- each step only when its inputs
# changed, so that a run with nothing changed does (almost) nothing.
#
#   1. base:    extract the pinned tarball, apply patches/series
#               (again from scratch whenever a patch or the series changed)
#   2. overlay: copy the repo's new files in, only those whose content differs
#   3. config:  tinyconfig + tools/testing/selftests/checkpoint/config
#               (only when the fragment or the base changed)
#   4. bzImage, 5. headers (build/linux/usr/include)
#
# CKPT_FLAVOR=bench or debug does the same in build/linux-bench or
# build/linux-debug (see lib.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$CKPT_REPO"

ksrc=$CKPT_KSRC
tree=${ksrc#"$CKPT_REPO"/}
stamps=$CKPT_BUILD/.linux$CKPT_SUFFIX
base_stamp=$stamps-base.stamp
config_stamp=$stamps-config.stamp
headers_stamp=$stamps-headers.stamp
overlay_list=$stamps-overlay.list
fragment=$CKPT_SELFTESTS_SRC/config
# CKPT_FLAVOR=debug (make check-debug): plus kmemleak, lockdep, KASAN.
# CKPT_FLAVOR=bench (make bench): plus what CRIU needs.
extra=
case $CKPT_FLAVOR in
debug)	extra=$CKPT_SELFTESTS_SRC/config.debug ;;
bench)	extra=tools/ckpt/bench/criu.config ;;
esac
if [ -n "$extra" ]; then
	merged=$CKPT_BUILD/config-merged$CKPT_SUFFIX
	mkdir -p "$CKPT_BUILD"
	cat "$CKPT_SELFTESTS_SRC/config" "$extra" >"$merged"
	fragment=${merged#"$CKPT_REPO"/}
fi
overlay_dirs=(checkpoint fs arch include kernel mm Documentation "$CKPT_SELFTESTS_SRC")

kmake() { make -C "$ksrc" "${CKPT_KBUILD_VARS[@]}" "$@"; }

# The patches named by patches/series, in order (comments and blanks skipped).
series() {
	[ -f patches/series ] || return 0
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' patches/series
}

# --- 1. base tree ---------------------------------------------------------
[ -f "$LINUX_SOURCE_TARBALL" ] || die "$LINUX_SOURCE_TARBALL missing (make deps)"
base_id=$(
	{
		stat -c '%n %s %Y' "$LINUX_SOURCE_TARBALL"
		cat patches/series 2>/dev/null || true
		for p in patches/*.patch; do [ -f "$p" ] && sha256sum "$p"; done
	} | sha256sum | cut -d' ' -f1
)

apply_series() {
	local p
	while read -r p; do
		[ -f "patches/$p" ] || die "patches/series names $p, which does not exist"
		say PATCH "$p"
		patch -d "$ksrc" -p1 --fuzz=0 --no-backup-if-mismatch --forward -s <"patches/$p" ||
			die "patches/$p does not apply to the base; $tree is left as it is"
	done < <(series)
}

# A tree from before the stamps existed: keep it if every patch of the
# series is in it (so a whole rebuild is not paid for nothing).
if [ -d "$ksrc" ] && [ ! -f "$base_stamp" ] && [ -f "$ksrc/Makefile" ]; then
	adopt=yes
	while read -r p; do
		patch -d "$ksrc" -p1 -R --dry-run -s -f <"patches/$p" >/dev/null 2>&1 || {
			adopt=
			break
		}
	done < <(series)
	if [ -n "$adopt" ]; then
		say BASE "adopting the existing $tree (all patches of the series are applied)"
		echo "$base_id" >"$base_stamp"
	fi
fi

if [ ! -d "$ksrc" ] || [ "$(cat "$base_stamp" 2>/dev/null)" != "$base_id" ]; then
	if [ -d "$ksrc" ]; then
		say BASE "patches changed: extracting $tree again"
	else
		say BASE "extracting $LINUX_SOURCE_TARBALL into $tree"
	fi
	rm -rf "$ksrc" "$ksrc.tmp" "$base_stamp" "$config_stamp" "$headers_stamp" "$overlay_list"
	mkdir -p "$ksrc.tmp"
	tar -xf "$LINUX_SOURCE_TARBALL" -C "$ksrc.tmp"
	mv "$ksrc.tmp/$LINUX_SOURCE_TOPDIR" "$ksrc"
	rmdir "$ksrc.tmp"
	apply_series
	echo "$base_id" >"$base_stamp"
fi

# --- 2. overlay -----------------------------------------------------------
# Tracked files plus untracked, not ignored ones (work in progress builds).
# Unchanged files are not touched, so they keep their mtime.
git ls-files -co --exclude-standard -- "${overlay_dirs[@]}" | LC_ALL=C sort -u >"$overlay_list.new"
copied=0
while IFS= read -r f; do
	[ -f "$f" ] || continue		# deleted in the work tree, not yet in git
	if ! cmp -s "$f" "$ksrc/$f"; then
		mkdir -p "$ksrc/${f%/*}"
		cp "$f" "$ksrc/$f"
		copied=$((copied + 1))
	fi
done <"$overlay_list.new"
# Files that left the overlay leave the tree too (the overlay adds files
# only; changes to upstream files are patches).
if [ -f "$overlay_list" ]; then
	while IFS= read -r f; do
		say RM "$tree/$f (no longer in the overlay)"
		rm -f "$ksrc/$f"
	done < <(LC_ALL=C comm -23 "$overlay_list" "$overlay_list.new")
fi
mv "$overlay_list.new" "$overlay_list"
say OVERLAY "$(wc -l <"$overlay_list") files, $copied updated"

# --- 3. configuration -----------------------------------------------------
[ -f "$fragment" ] || die "$fragment missing: the kernel configuration fragment"
config_id=$( { echo "$base_id"; cat "$fragment"; } | sha256sum | cut -d' ' -f1)
if [ ! -f "$ksrc/.config" ] || [ "$(cat "$config_stamp" 2>/dev/null)" != "$config_id" ]; then
	say CONFIG "tinyconfig + $fragment"
	log=$CKPT_BUILD/linux-config.log
	[ -f "$ksrc/.config" ] && cp -p "$ksrc/.config" "$ksrc/.config.ckpt-old"
	{
		kmake tinyconfig &&
		(cd "$ksrc" && scripts/kconfig/merge_config.sh -m .config "$CKPT_REPO/$fragment") &&
		kmake olddefconfig
	} >"$log" 2>&1 || { cat "$log" >&2; die "configuration failed (log: $log)"; }

	# Keep an unchanged .config untouched: a new mtime rebuilds everything.
	if [ -f "$ksrc/.config.ckpt-old" ]; then
		if cmp -s "$ksrc/.config" "$ksrc/.config.ckpt-old"; then
			mv -f "$ksrc/.config.ckpt-old" "$ksrc/.config"
		else
			rm -f "$ksrc/.config.ckpt-old"
		fi
	fi

	# Say which requests of the fragment Kconfig did not grant.
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF "$line" "$ksrc/.config" ||
				echo "  warning: $fragment asks for $line; .config has:" \
				     "$(grep -E "^(# )?${line%%=*}[= ]" "$ksrc/.config" ||
					echo "nothing (unknown symbol?)")" >&2 ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			! grep -q "^$sym=" "$ksrc/.config" ||
				echo "  warning: $fragment asks for $line; .config has:" \
				     "$(grep "^$sym=" "$ksrc/.config")" >&2 ;;
		esac
	done <"$fragment"
	echo "$config_id" >"$config_stamp"
fi

# --- 4. the kernel --------------------------------------------------------
say KERNEL "make bzImage (ccache: $CCACHE_DIR)"
kmake -j"$(nproc)" bzImage

# --- 5. uapi headers for user programs ------------------------------------
# "make headers" installs them into build/linux/usr/include, where the
# selftests (KHDR_INCLUDES) and tools/ckpt look for them.
if [ ! -d "$ksrc/usr/include/linux" ] || [ ! -f "$headers_stamp" ] ||
   [ -n "$(cd "$ksrc" && find include/uapi arch/x86/include/uapi arch/x86/entry/syscalls \
	   -newer "$headers_stamp" -print -quit)" ]; then
	say HEADERS "$tree/usr/include"
	kmake -s headers
	touch "$headers_stamp"
fi
