#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The workers example (a master feeding 3 workers over pipes) runs under
# ckpt-run; ckpt-run and the whole tree are killed with SIGKILL midway;
# ckpt-run --resume brings the tree back from its last image, pipes and
# all, and the master prints what an uninterrupted run prints.

. "$(dirname "$0")/ckpt_lib.sh"
need_commands workers ckpt-run checkpoint restart ckptinfo

dir=$(mktemp -d /tmp/ckpt-workers.XXXXXX)
run=
pids_of() {
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = "$1" ] && echo "${p#/proc/}"
	done
}
cleanup() {
	kill -9 $run $(pids_of workers) 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
images() { ls "$dir/img" 2>/dev/null | grep -c '^ckpt-[0-9]*\.img$'; }
wait_images() {
	i=0
	while [ "$(images)" -lt "$1" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
	[ "$(images)" -ge "$1" ]
}

echo "TAP version 13"
echo "1..4"
args="-w 3 -n 60000"

ref=$(workers $args)
[ "${ref%ok}" != "$ref" ]
ok $? "uninterrupted: $ref"

ckpt-run --interval 0.5 --keep 2 -o "$dir/img" -- workers $args \
	</dev/null >"$dir/out" 2>"$dir/err" &
run=$!
wait_images 2
st=$?
procs=$(pids_of workers | wc -l)
[ $st -eq 0 ] && [ "$procs" -eq 4 ] && [ ! -s "$dir/out" ]
ok $? "checkpointed twice while the master and 3 workers run ($(images) images, $procs processes)"

kill -9 $run $(pids_of workers) 2>/dev/null
wait
run=
sleep 0.2
ckpt-run --interval 0.5 --keep 2 --resume "$dir/img" </dev/null 2>>"$dir/err"
ok $? "resumed after SIGKILL, runs to the end"

got=$(cat "$dir/out")
[ "$got" = "$ref" ]
ok $? "same result: $got"
[ $failed -eq 0 ] || { cat "$dir/err"; exit 1; }
exit 0
