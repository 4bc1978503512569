#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ckpt-demo (run in the test VM by `make demo`): start a counter, checkpoint
# it and kill it, restart it from the image, watch it count on, stop it.

img=/tmp/counter.img
step() { printf '\n==> %s\n' "$*"; }
die() { printf '\n==> demo failed: %s\n' "$*"; exit 1; }

for tool in counter checkpoint restart; do
	command -v $tool >/dev/null || die "'$tool' is not in the VM image (did make build it?)"
done

step "counter & (prints its pid and a count every 0.3 s)"
counter &
pid=$!
sleep 2

step "checkpoint -o $img --kill $pid"
checkpoint -o $img --kill $pid || { kill $pid; die "checkpoint exited with status $?"; }
wait $pid 2>/dev/null
step "counter $pid was checkpointed into $img ($(wc -c <$img) bytes) and killed: silence for 2 s"
if command -v ckptinfo >/dev/null; then
	ckptinfo $img >/tmp/ckptinfo.txt 2>&1 && head -n 8 /tmp/ckptinfo.txt
fi
sleep 2

step "restart -i $img &"
restart -i $img &
rpid=$!
sleep 3

# The restored counter keeps its pid when restart could give it back.
cpid=$(pidof counter)
[ -n "$cpid" ] || { wait $rpid; die "no counter is running after restart (restart status $?)"; }
step "the restored counter (pid $cpid) counted on; stopping it"
kill $cpid
wait $rpid 2>/dev/null
step "demo done"
