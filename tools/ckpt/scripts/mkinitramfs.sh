#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build build/initramfs.cpio (uncompressed newc) for the test VM:
#   /bin/busybox + a link for every applet, /init,
#   /usr/bin: checkpoint restart ckptinfo ckpt-run, the demo programs and
#             the guest helper scripts (ckpt-selftests, ckpt-demo),
#   /selftests/<collection>/: the installed kselftests + kselftest-list.txt.
# Rebuilt only when the content of an input changed.
#
# CKPT_FLAVOR=bench (make bench) writes build/initramfs-bench.cpio: the
# same plus Debian's criu in /usr/sbin, with the shared libraries and the
# dynamic loader it needs at their host paths.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

scripts=$CKPT_REPO/tools/ckpt/scripts
busybox=/bin/busybox
out=$CKPT_INITRAMFS
stamp=$CKPT_BUILD/.initramfs$CKPT_SUFFIX.stamp
stage=$CKPT_BUILD/initramfs$CKPT_SUFFIX

# --- the inputs: "guest-path host-file" pairs ---------------------------
inputs=()
add() { inputs+=("$1" "$2"); }

add /bin/busybox "$busybox"
add /init "$scripts/guest-init.sh"
add /usr/bin/ckpt-selftests "$scripts/guest-selftests.sh"
add /usr/bin/ckpt-demo "$scripts/guest-demo.sh"
add /selftests/ckpt-vm/smoke.sh "$scripts/guest-smoke.sh"

# The tools: from the tools' OUTPUT dir, or next to their sources.
for t in checkpoint restart ckptinfo ckpt-run; do
	for f in "$CKPT_BUILD/tools/$t" "$CKPT_REPO/tools/ckpt/$t"; do
		if [ -f "$f" ] && [ -x "$f" ]; then add "/usr/bin/$t" "$f"; break; fi
	done
done

for f in "$CKPT_BUILD"/examples/*; do
	[ -f "$f" ] && [ -x "$f" ] && add "/usr/bin/${f##*/}" "$f"
done

# Installed selftests (see selftests.sh), one directory per collection.
if [ -d "$CKPT_BUILD/selftests-install" ]; then
	while IFS= read -r -d '' f; do
		add "/selftests/${f#"$CKPT_BUILD/selftests-install/"}" "$f"
	done < <(find "$CKPT_BUILD/selftests-install" -type f -print0 | LC_ALL=C sort -z)
fi

if [ "$CKPT_FLAVOR" = bench ]; then
	criu=$(command -v criu || echo /usr/sbin/criu)
	[ -x "$criu" ] || die "criu not found (CKPT_FLAVOR=bench make deps installs it)"
	add /usr/sbin/criu "$criu"
	# "libfoo.so.1 => /lib/.../libfoo.so.1 (0x...)" and the loader line
	while read -r lib; do
		add "$lib" "$(readlink -f "$lib")"
	done < <(ldd "$criu" |
		 awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
fi

# --- up to date? ----------------------------------------------------------
sum=$(
	{
		sha256sum "$0" "$busybox"
		for ((i = 0; i < ${#inputs[@]}; i += 2)); do
			printf '%s ' "${inputs[i]}"
			sha256sum <"${inputs[i + 1]}"
		done
	} | sha256sum | cut -d' ' -f1
)
if [ -f "$out" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then
	say INITRAMFS "up to date: ${out#"$CKPT_REPO/"}"
	exit 0
fi

# --- build ----------------------------------------------------------------
say INITRAMFS "${out#"$CKPT_REPO/"}"
rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root,mnt/ext4,selftests}
for ((i = 0; i < ${#inputs[@]}; i += 2)); do
	dst=$stage${inputs[i]}
	mkdir -p "${dst%/*}"
	cp "${inputs[i + 1]}" "$dst"
done
echo "ckpt-vm:smoke.sh" >"$stage/selftests/ckpt-vm/kselftest-list.txt"
chmod 0755 "$stage/init" "$stage/bin/busybox" "$stage/usr/bin/"*
chmod 1777 "$stage/tmp"

# Every applet busybox has, as a link to it (the tools above win).
"$busybox" --list-full | while read -r applet; do
	[ -e "$stage/$applet" ] || [ -L "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done

cat >"$stage/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$stage/etc/group" <<GROUP
root:x:0:
tty:x:5:
nogroup:x:65534:
GROUP

# The guest has no libc: warn about anything dynamically linked.
for f in "$stage"/usr/bin/* "$stage"/selftests/*/*; do
	[ -f "$f" ] && [ ! -L "$f" ] || continue
	if head -c 4 "$f" | grep -q 'ELF' && readelf -l "$f" 2>/dev/null | grep -q 'INTERP'; then
		echo "warning: ${f#"$stage"} is dynamically linked;" \
		     "the guest has no libc (link with -static)" >&2
	fi
done

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
echo "$sum" >"$stamp"
