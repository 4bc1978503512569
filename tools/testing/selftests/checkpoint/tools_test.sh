#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The tools end to end: checkpoint --kill a running process, restart it
# from stdin with its pid, and it counts on from where it was with its
# memory intact; a checkpoint without --kill leaves the target running;
# a corrupted image is refused with a message and a non-zero status;
# checkpoint --check says yes for a plain process and no, naming the fd,
# for one whose pipe peer is outside.

here=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/ckpt_lib.sh"
need_commands checkpoint restart ckptinfo
[ -x "$here/ckpt_counter" ] || { echo "1..0 # SKIP ckpt_counter not built"; exit $ksft_skip; }

dir=$(mktemp -d /tmp/ckpt-tools.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
count() { cat "$dir/count" 2>/dev/null || echo 0; }
# Wait (up to 10 s) until the count exceeds $1.
wait_count() {
	i=0
	while [ "$(count)" -le "$1" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	[ "$(count)" -gt "$1" ]
}

echo "TAP version 13"
echo "1..10"

"$here/ckpt_counter" "$dir/count" </dev/null >/dev/null 2>&1 &
pid=$!
wait_count 3
ok $? "target counts"

checkpoint --kill -o "$dir/img" "$pid" 2>"$dir/err"
ok $? "checkpoint --kill writes an image"
sleep 0.2
kill -0 "$pid" 2>/dev/null
[ $? -ne 0 ]
ok $? "the target is gone"
c1=$(count)

ckptinfo "$dir/img" >/dev/null 2>&1
ok $? "ckptinfo verifies the image"

restart -d <"$dir/img" 2>"$dir/err"
st=$?
wait_count "$c1"
[ $st -eq 0 ] && [ "$(cat /proc/$pid/comm 2>/dev/null)" = ckpt_counter ]
ok $? "restart from stdin: counts on from $c1 with pid $pid"


checkpoint -o "$dir/img2" "$pid" 2>"$dir/err" && wait_count "$(count)"
ok $? "checkpoint without --kill leaves the target running"

checkpoint --check "$pid" >"$dir/out" 2>&1
[ $? -eq 0 ] && grep -q "^checkpointable: yes$" "$dir/out" &&
	grep -q "^  files: 1$" "$dir/out" && grep -q "^  fd 0 /dev/null: 1$" "$dir/out"
ok $? "checkpoint --check: a plain process can be checkpointed"
kill -9 "$pid"
pid=

# stdout of a pipeline's first process: its reader is another process
sleep 1000 </dev/null 2>/dev/null | cat >/dev/null &
sleep 0.2
spid=
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = sleep ] &&
		[ "$(cat "$p/cmdline" 2>/dev/null | tr '\0' ' ')" = "sleep 1000 " ] &&
		spid=${p#/proc/}
done
checkpoint --check "$spid" >"$dir/out" 2>&1
st=$?
pat="^  fd 1 pipe:\\[[0-9]*\\]: 0 (process $spid fd 1:"
pat="$pat the pipe's other end is open outside the checkpoint)$"
[ $st -eq 1 ] && grep -q "^checkpointable: no$" "$dir/out" && grep -q "$pat" "$dir/out"
ok $? "checkpoint --check: names the pipe whose reader is outside (status $st)"
checkpoint --kill "$spid" >/dev/null 2>"$dir/err"
[ $? -ne 0 ] && grep -q "fd 1: the pipe's other end" "$dir/err" && kill -0 "$spid"
ok $? "checkpoint agrees with --check and leaves the target running"
kill -9 "$spid" 2>/dev/null

# flip one byte in the middle of the image
size=$(wc -c <"$dir/img")
cp "$dir/img" "$dir/bad"
printf '\377' | dd of="$dir/bad" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
restart <"$dir/bad" >"$dir/out" 2>&1
st=$?
[ $st -ne 0 ] && grep -q "restart" "$dir/out"
ok $? "a corrupted image is refused (status $st: $(head -n 1 "$dir/out"))"

[ $failed -eq 0 ]
