#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of the checkpoint/restart tools: no checkpoint kernel
# needed.  Builds synthetic images with tests/mkimage.c, checks that
# ckptinfo accepts the valid ones and rejects every defect, truncation and
# corruption with exit status 1 (under AddressSanitizer and UBSan when the
# compiler has them), and smoke-tests the argument parsing and error paths
# of checkpoint and restart (the syscalls fail on this kernel; where we are
# root with cgroup2, checkpoint's freeze/thaw/cleanup runs for real).
#
#   tests/host-tests.sh [BINDIR]     BINDIR: where make put the tools
#                                    (default: tools/ckpt)
#
# Prints one "ok N - ..." / "not ok N - ..." line per test and ends with
# "N passed, N failed"; exits non-zero if any test failed.

set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
bin=$(cd "${1:-$src}" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/ckpt-host-tests.XXXXXX")
build=$work/build
mkdir -p "$build"
children=()
cleanup() {
	local p
	for p in "${children[@]}"; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT

n=0 passed=0 failed=0
ok()     { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check()  { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
diag()   { sed 's/^/# /' "$@"; }

CC=${CC:-cc}
cflags="-std=c11 -Wall -Wextra -Werror -O1 -g -I$src/../../include/uapi"
cflags="$cflags -idirafter $src/../../arch/x86/include/uapi"

# ---- build ----

for t in checkpoint restart ckptinfo; do
	if [ ! -x "$bin/$t" ]; then
		echo "Bail out! $bin/$t not built (run make -C tools/ckpt)"
		exit 1
	fi
done

if ! $CC $cflags -o "$build/mkimage" "$here/mkimage.c" 2>"$work/cc.err"; then
	diag "$work/cc.err"
	echo "Bail out! cannot build tests/mkimage.c"
	exit 1
fi

# ckptinfo under the sanitizers, if the toolchain has them
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
info=$bin/ckptinfo
if $CC $cflags $san -o "$build/ckptinfo-san" "$src/ckptinfo.c" \
	2>"$work/cc.err" && "$build/ckptinfo-san" -h >/dev/null 2>&1; then
	info=$build/ckptinfo-san
	echo "# ckptinfo under test: ASan+UBSan build"
else
	echo "# ckptinfo under test: $info (no sanitizer build: $(head -n1 "$work/cc.err"))"
fi
# sanitizer reports must not pass for a plain "invalid image" (status 1)
export ASAN_OPTIONS=exitcode=99:abort_on_error=0:detect_leaks=0
export UBSAN_OPTIONS=halt_on_error=1:exitcode=98:print_stacktrace=1

mk() { "$build/mkimage" "$@"; }

# ckptinfo's output $1 lists a record of each type $2...
has_records() {
	local out=$1 t
	shift
	for t; do grep -q "^$t @" "$out" || return 1; done
}

# $1 has a line that matches each pattern $2...
has_lines() {
	local f=$1 p
	shift
	for p; do grep -q -e "$p" "$f" || return 1; done
}

# run ckptinfo: $1 = expected status, rest = args; output in $work/out, $work/err
info_run() {
	local want=$1; shift
	"$info" "$@" >"$work/out" 2>"$work/err"
	local rc=$?
	if grep -q -e 'Sanitizer' -e 'runtime error' "$work/err"; then
		diag "$work/err"
		return 1
	fi
	[ "$rc" = "$want" ] || { echo "# status $rc, wanted $want"; diag "$work/err"; return 1; }
}

# ---- ckptinfo: valid images ----

img=$work/ok.img
mk "$img"
check "ckptinfo accepts a valid image" info_run 0 "$img"
check "ckptinfo prints the verdict" \
	grep -q "^image OK: 32 records, $(stat -c %s "$img") bytes, 4 pages\$" "$work/out"
cp "$work/out" "$work/ok.out"	# its record offsets, for the length tests
check "ckptinfo prints every record type" \
	has_records "$work/out" HEADER TREE TASK CREDS RLIMITS FS SIGHAND SIGNAL SIGPENDING \
	FILE_TABLE FILE FD CTTY CPU XSTATE MM VMA PAGES TAIL
check "ckptinfo prints VMAs like /proc/PID/maps" \
	grep -q '^  000000400000-000000402000 r-xp 00000000 file 4 /usr/bin/prog$' "$work/out"
check "ckptinfo prints page batches" grep -q '3 pages, 0x1000000 .. 0x1003000' "$work/out"
info_run 0 -q "$img"
check "ckptinfo -q prints only the verdict" \
	bash -c '[ "$(wc -l <"$1")" = 1 ] && grep -q "^image OK" "$1"' _ "$work/out"
info_run 0 -v "$img"
check "ckptinfo -v lists page addresses" grep -q '^    0x1001000$' "$work/out"
check "ckptinfo reads stdin (-)" bash -c 'cat "$2" | "$1" -q - >/dev/null' _ "$info" "$img"
for v in two-tasks many-pages relinked namespaces timers scm; do
	mk -V $v "$work/$v.img"
	check "ckptinfo accepts variant $v" info_run 0 -q "$work/$v.img"
done
info_run 0 "$work/relinked.img"
check "ckptinfo prints the relinked path" \
	grep -q '^    unlinked, relinked at /tmp/lost+found/checkpoint/1-0/[0-9]*$' "$work/out"

# a file in flight over an AF_UNIX pair (-V scm)
info_run 0 "$work/scm.img"
check "ckptinfo prints a pair's file in flight" \
	grep -q '^  end 1 inode 78: 1 message, 1 bytes queued, 1 file in flight; shutdown 0$' \
	"$work/out"

# namespaces and shared memory (-V namespaces)
ns=$work/namespaces.img
info_run 0 -v "$ns"
check "ckptinfo prints the namespace and shared memory records" \
	has_records "$work/out" UTS_NS IPC_NS IPC_SHM IPC_SEM IPC_MSG MSG SHMEM
check "ckptinfo prints the namespaces of the tree" \
	grep -q '^  1 task, in namespaces of their own: UTS IPC$' "$work/out"
check "ckptinfo prints the host and domain name" \
	grep -q '^  host name "box", domain name "example.org"$' "$work/out"
check "ckptinfo prints a SysV object's id, key, owner and mode" \
	grep -q '^  id 0, key 0x00001234, owner 1000:1000, creator 1000:100, mode 0640$' "$work/out"
check "ckptinfo prints a segment's pages" grep -q '^  2 pages of SysV segment 0$' "$work/out"
check "ckptinfo prints semaphore values" grep -q '^  3 semaphores, values 1 0 7$' "$work/out"
check "ckptinfo prints messages" \
	grep -q '^  message 1 of queue 2: type 42, 7 bytes, "world!\\x0a"$' "$work/out"
check "ckptinfo prints shmem and sysvshm VMAs" \
	has_lines "$work/out" '^  000002000000-000002004000 rw-s 00000000 shmem 7 maywrite$' \
	'^  000003000000-000003003000 rw-s 00000000 sysvshm shmid 0 maywrite$'
check "ckptinfo prints the verdict of the namespaces image" \
	grep -q "^image OK: 49 records, $(stat -c %s "$ns") bytes, 7 pages\$" "$work/out"
bad_trunc=""
for off in $(sed -n 's/^[A-Z_]* @\([0-9]*\) len [0-9]*$/\1/p' "$work/out"); do
	for len in $off $((off + 8)); do
		head -c "$len" "$ns" >"$work/t.img"
		info_run 1 -q "$work/t.img" || bad_trunc="$bad_trunc $len"
	done
done
check "ckptinfo rejects the namespaces image cut at each record${bad_trunc:+ (failed:$bad_trunc)}" \
	[ -z "$bad_trunc" ]

# a process with a thread and POSIX timers (-V timers)
tm=$work/timers.img
info_run 0 "$tm"
check "ckptinfo prints the POSIX_TIMER records" \
	bash -c '[ "$(grep -c "^POSIX_TIMER @" "$1")" = 3 ]' _ "$work/out"
check "ckptinfo prints the number of POSIX timers" \
	grep -q '^  1 pending signal, 3 POSIX timers$' "$work/out"
pat='^  timer 0: CLOCK_MONOTONIC, SIGEV_SIGNAL SIGUSR1 value 0x2a, next in 1.500 s,'
pat+=' every 250.000 ms$'
check "ckptinfo prints a periodic signal timer" grep -q "$pat" "$work/out"
pat='^  timer 1: CLOCK_REALTIME, SIGEV_THREAD_ID thread 4244 SIGRT4 value 0x7f0000001000,'
pat+=' next in 20.000 ms, one-shot$'
check "ckptinfo prints a timer that signals a thread" grep -q "$pat" "$work/out"
check "ckptinfo prints a disarmed SIGEV_NONE timer" \
	grep -q '^  timer 5: CLOCK_TAI, SIGEV_NONE signal 0 value 0x0, disarmed$' "$work/out"
check "ckptinfo prints the verdict of the timers image" \
	grep -q "^image OK: 41 records, $(stat -c %s "$tm") bytes, 4 pages\$" "$work/out"
bad_trunc=""
for off in $(sed -n 's/^[A-Z_]* @\([0-9]*\) len [0-9]*$/\1/p' "$work/out"); do
	for len in $off $((off + 8)); do
		head -c "$len" "$tm" >"$work/t.img"
		info_run 1 -q "$work/t.img" || bad_trunc="$bad_trunc $len"
	done
done
check "ckptinfo rejects the timers image cut at each record${bad_trunc:+ (failed:$bad_trunc)}" \
	[ -z "$bad_trunc" ]

# ---- ckptinfo: each defect, with a correct checksum ----

while IFS=$'\t' read -r v what; do
	case $v in ok|two-tasks|many-pages|relinked|namespaces|timers|scm) continue ;; esac
	mk -V "$v" "$work/v.img"
	if info_run 1 "$work/v.img" &&
	   grep -q "^ckptinfo: $work/v.img: offset [0-9]*: " "$work/err"; then
		ok "ckptinfo rejects $v ($what): $(sed 's/.*offset/offset/' "$work/err")"
	else
		not_ok "ckptinfo rejects $v ($what)"
	fi
done < <(mk -l)

# ---- ckptinfo: truncation ----

size=$(stat -c %s "$img")
bad_trunc=""
for len in 0 1 8 15 16 17 100 391 392 393 439 440 496 3215 3216 5720 5728 18000 \
	$((size - 41)) $((size - 40)) $((size - 39)) $((size - 8)) $((size - 1)); do
	head -c "$len" "$img" >"$work/t.img"
	info_run 1 "$work/t.img" || bad_trunc="$bad_trunc $len"
done
check "ckptinfo rejects the image truncated at 23 lengths${bad_trunc:+ (failed:$bad_trunc)}" \
	[ -z "$bad_trunc" ]

# ---- ckptinfo: single-byte corruption (the checksum must catch each) ----

patch_byte() { # file offset value
	printf "\\x$(printf %02x "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
byte_at() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }

bad_flip=""
count=0
for ((off = 0; off < size; off += (off < 5700 ? 13 : 997))); do
	cp "$img" "$work/c.img"
	b=$(byte_at "$img" $off)
	patch_byte "$work/c.img" $off $(((b ^ 0x41) & 255))
	info_run 1 -q "$work/c.img" || bad_flip="$bad_flip $off"
	count=$((count + 1))
done
for off in $((size - 40)) $((size - 32)) $((size - 24)) $((size - 16)) $((size - 8)) \
	$((size - 1)); do
	cp "$img" "$work/c.img"
	patch_byte "$work/c.img" $off $(( ($(byte_at "$img" $off) + 1) & 255 ))
	info_run 1 -q "$work/c.img" || bad_flip="$bad_flip $off"
	count=$((count + 1))
done
check "ckptinfo rejects $count single-byte corruptions${bad_flip:+ (failed at:$bad_flip)}" \
	[ -z "$bad_flip" ]

# ---- ckptinfo: changed lengths ----

# the 32-bit len of the first TREE, TASK, FS, FILE and PAGES record
bad_len=""
for roff in $(for t in TREE TASK FS FILE PAGES; do
		sed -n "s/^$t @\([0-9]*\) len [0-9]*\$/\1/p" "$work/ok.out" | head -n1
	      done); do
	for newlen in 0 7 9 $((0x7fffffff)) 4194305 4294967295; do
		cp "$img" "$work/l.img"
		printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((newlen & 255)) \
			$(((newlen >> 8) & 255)) $(((newlen >> 16) & 255)) \
			$(((newlen >> 24) & 255)))" |
			dd of="$work/l.img" bs=1 seek=$((roff + 4)) conv=notrunc status=none
		"$build/mkimage" -r "$work/l.img"
		info_run 1 -q "$work/l.img" || bad_len="$bad_len $roff:$newlen"
	done
done
check "ckptinfo rejects 30 bad record lengths (checksum resealed)${bad_len:+ (failed:$bad_len)}" \
	[ -z "$bad_len" ]

# ---- ckptinfo: random mutations, resealed: never crash ----

crashes=""
accepted=0
RANDOM=4242
for ((i = 0; i < 400; i++)); do
	cp "$img" "$work/f.img"
	nb=$((1 + RANDOM % 4))
	for ((j = 0; j < nb; j++)); do
		# mostly the metadata, sometimes anywhere
		if ((RANDOM % 4)); then
			off=$((RANDOM % 5700))
		else
			off=$(((RANDOM * 32768 + RANDOM) % (size - 40)))
		fi
		patch_byte "$work/f.img" $off $((RANDOM % 256))
	done
	"$build/mkimage" -r "$work/f.img"
	"$info" -q "$work/f.img" >/dev/null 2>"$work/err"
	rc=$?
	if grep -q -e 'Sanitizer' -e 'runtime error' "$work/err" ||
	   { [ $rc != 0 ] && [ $rc != 1 ]; }; then
		crashes="$crashes $i:$rc"
		cp "$work/f.img" "$work/crash-$i.img"
	fi
	[ $rc = 0 ] && accepted=$((accepted + 1))
done
echo "# random mutations: $accepted of 400 still valid images"
check "ckptinfo survives 400 random resealed mutations${crashes:+ (crashed:$crashes)}" \
	[ -z "$crashes" ]

# ---- ckptinfo: garbage and usage ----

head -c 100000 /dev/urandom >"$work/r.img"
check "ckptinfo rejects random bytes" info_run 1 "$work/r.img"
head -c 4096 /dev/zero >"$work/z.img"
check "ckptinfo rejects zeros" info_run 1 "$work/z.img"
{ head -c 16 "$img"; head -c 4096 /dev/urandom; } >"$work/m.img"
check "ckptinfo rejects a magic followed by garbage" info_run 1 "$work/m.img"
check "ckptinfo rejects an empty file" \
	bash -c ': >"$2"; "$1" "$2" 2>&1 | grep -q "offset 0: empty input"
		 [ "${PIPESTATUS[0]}" = 1 ]' _ "$info" "$work/e.img"
check "ckptinfo: missing file is exit 2" info_run 2 "$work/nonexistent"
check "ckptinfo: no argument is exit 2" info_run 2
check "ckptinfo: bad option is exit 2" info_run 2 -x "$img"
check "ckptinfo: a directory is exit 2" info_run 2 "$work"
check "ckptinfo -h is exit 0" info_run 0 -h

# ---- the static binaries are static ----

check "the tools are static binaries" \
	bash -c 'for t in checkpoint restart ckptinfo; do
			 file -L "$1/$t" 2>/dev/null | grep -q "statically linked" ||
				 ! command -v file >/dev/null || exit 1
		 done' _ "$bin"

# ---- restart: argument parsing and error paths ----

R=$bin/restart C=$bin/checkpoint
run() { # expected-status cmd...: output in $work/out/err, with a timeout
	local want=$1; shift
	timeout 20 "$@" >"$work/out" 2>"$work/err" </dev/null
	local rc=$?
	[ "$rc" = "$want" ] || {
		echo "# $*: status $rc, wanted $want"
		diag "$work/err"
		return 1
	}
}
check "restart -h" run 0 "$R" -h
check "restart: unknown option is exit 2" run 2 "$R" --bogus
check "restart: extra argument is exit 2" run 2 "$R" -i "$img" extra
check "restart: missing input file" \
	bash -c '"$1" -i /nonexistent/img 2>&1 | grep -q "^restart: cannot open /nonexistent/img"
		 [ "${PIPESTATUS[0]}" = 1 ]' _ "$R"

# The syscall does not exist here: the child's error must come back as a
# failure, not as "success" of the restored process.
check "restart from a file fails cleanly without the syscall" run 1 "$R" -i "$img"
check "restart reports the error prefixed" grep -q '^restart: ' "$work/err"
check "restart from a pipe fails cleanly without the syscall" \
	bash -c 'cat "$2" | timeout 20 "$1" 2>"$3"; [ $? = 1 ] && grep -q "^restart: " "$3"' \
	_ "$R" "$img" "$work/err"
check "restart from a pipe with a big image does not hang" \
	bash -c 'cat "$2" | timeout 20 "$1" 2>/dev/null; [ $? = 1 ]' _ "$R" "$work/many-pages.img"
check "restart --log FILE puts the explanation there" \
	bash -c 'timeout 20 "$1" -i "$2" --log "$3" 2>"$4"
		 [ $? = 1 ] && [ -s "$3" ] && grep -q "^restart: .*$3" "$4"' \
	_ "$R" "$img" "$work/restart.log" "$work/err"
check "restart -v tells the original pid" \
	bash -c 'timeout 20 "$1" -v -i "$2" 2>&1 | grep -q "image of pid 4242"' _ "$R" "$img"
check "restart of garbage fails cleanly" run 1 "$R" -i "$work/r.img"
check "restart of an empty input fails cleanly" run 1 "$R" -i "$work/e.img"

# ---- checkpoint: argument parsing and error paths ----

check "checkpoint -h" run 0 "$C" -h
check "checkpoint: no PID is exit 2" run 2 "$C" -o "$work/x.img"
check "checkpoint: bad PID is exit 2" run 2 "$C" -o "$work/x.img" 12abc
check "checkpoint: PID 0 is exit 2" run 2 "$C" -o "$work/x.img" 0
check "checkpoint: --kill with --stop is exit 2" run 2 "$C" --kill --stop -o "$work/x.img" 1
check "checkpoint: no such process is exit 1" run 1 "$C" -o "$work/x.img" 2147483647
check "checkpoint: no such process leaves no file" test ! -e "$work/x.img"
check "checkpoint: unwritable output is exit 1" run 1 "$C" -o /nonexistent/dir/img $$

# the real freezer, where we can: the syscall fails, everything is undone
cg2=""
if [ "$(id -u)" = 0 ]; then
	for d in /sys/fs/cgroup /sys/fs/cgroup/unified; do
		if [ "$(stat -f -c %T "$d" 2>/dev/null)" = cgroup2fs ]; then cg2=$d; break; fi
	done
fi
# a cgroup.freeze in a child cgroup of $cg2: in one that exists or in a probe
has_freezer() {
	local probe=$cg2/ckpt-probe-$$

	[ -n "$(ls "$cg2"/*/cgroup.freeze 2>/dev/null | head -n1)$(mkdir "$probe" 2>/dev/null &&
		ls "$probe/cgroup.freeze" 2>/dev/null; rmdir "$probe" 2>/dev/null)" ]
}
if [ -n "$cg2" ] && has_freezer; then
	sleep 1000 &
	target=$!
	children+=("$target")
	before=$(grep '^0::' /proc/$target/cgroup)
	for mode in "" --kill --stop; do
		timeout 30 "$C" $mode -v -o "$work/f.img" "$target" 2>"$work/err"
		rc=$?
		check "checkpoint $mode: fails with status 1 without the syscall" [ "$rc" = 1 ]
		check "checkpoint $mode: froze the target first" \
			grep -q "pid $target frozen" "$work/err"
		check "checkpoint $mode: names the error" \
			grep -q "^checkpoint: checkpoint of pid $target failed: " "$work/err"
		check "checkpoint $mode: removed the partial image" test ! -e "$work/f.img"
		check "checkpoint $mode: target alive, not stopped" \
			bash -c 'kill -0 $1 && ! grep -q "^State:.*[Tt] (" /proc/$1/status' \
			_ "$target"
		check "checkpoint $mode: target back in its cgroup" \
			[ "$(grep '^0::' /proc/$target/cgroup)" = "$before" ]
		check "checkpoint $mode: temporary cgroup removed" \
			bash -c '! ls -d "$1"/ckpt-'"$target"'-* 2>/dev/null' _ "$cg2"
	done
	# stdout: a regular file is cut back to where it was
	echo "keep me" >"$work/so.img"
	timeout 30 "$C" "$target" >>"$work/so.img" 2>/dev/null
	check "checkpoint to stdout: failure cuts the partial image off" \
		bash -c '[ "$(cat "$1")" = "keep me" ]' _ "$work/so.img"
	timeout 30 "$C" --log "$work/ck.log" -o "$work/f.img" "$target" 2>"$work/err"
	check "checkpoint --log: points to the log" \
		grep -q "explanation is in $work/ck.log" "$work/err"
	kill -9 "$target" 2>/dev/null
	wait "$target" 2>/dev/null
else
	echo "# skipping the freezer tests: need root and a cgroup2 mount with cgroup.freeze"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
