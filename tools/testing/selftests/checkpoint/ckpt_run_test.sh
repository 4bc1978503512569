#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ckpt-run: a job is checkpointed every interval into DIR with only the
# K newest images kept, each verified; after a crash (ckpt-run and the
# job killed with SIGKILL) --resume skips a damaged newest image, restarts
# the one before and counts on with the job's memory intact; SIGTERM with
# --checkpoint-on-exit leaves one more image and stops the job.

here=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/ckpt_lib.sh"
need_commands ckpt-run checkpoint restart ckptinfo
[ -x "$here/ckpt_counter" ] || { echo "1..0 # SKIP ckpt_counter not built"; exit $ksft_skip; }

dir=$(mktemp -d /tmp/ckpt-run.XXXXXX)
out=$dir/out
run=
cleanup() {
	[ -n "$run" ] && kill -9 "$run" 2>/dev/null
	[ -n "$job" ] && kill -9 "$job" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
count() { cat "$dir/count" 2>/dev/null || echo 0; }
images() { ls "$dir/img" 2>/dev/null | grep -c '^ckpt-[0-9]*\.img$'; }
newest() { ls "$dir/img" 2>/dev/null | sed -n 's/^ckpt-\([0-9]*\)\.img$/\1/p' | sort -n | tail -1; }
# wait_for (ckpt_lib.sh): up to 20 s
wait_tenths=200
counted_past() { [ "$(count)" -gt "$1" ]; }
seq_past() { [ "$(newest)" -gt "$1" ] 2>/dev/null; }
job_of() {	# the ckpt_counter process
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = ckpt_counter ] && echo "${p#/proc/}"
	done
}

echo "TAP version 13"
echo "1..6"

ckpt-run --interval 0.3 --keep 2 -o "$dir/img" -- \
	"$here/ckpt_counter" "$dir/count" </dev/null >"$out" 2>&1 &
run=$!
wait_for seq_past 4
ok $? "checkpoints every interval"
# A checkpoint may be in progress (on a slow kernel they follow each
# other): its temporary file is looked for once ckpt-run has stopped.
kept_two() { [ "$(images)" -eq 2 ]; }
wait_for kept_two
ok $? "only the 2 newest images are kept"
good=0
for f in "$dir"/img/ckpt-*.img; do ckptinfo -q "$f" >/dev/null 2>&1 || good=1; done
ok $good "every kept image verifies"

# a crash: both die; the newest image is damaged
job=$(job_of)
kill -9 "$run" $job
run= job=
wait
c1=$(count)
last=$(newest)
truncate -s 4096 "$dir/img/ckpt-$last.img" 2>/dev/null ||
	dd if=/dev/null of="$dir/img/ckpt-$last.img" bs=1 seek=4096 2>/dev/null
ckpt-run --interval 0.3 --keep 2 --checkpoint-on-exit --resume "$dir/img" \
	</dev/null >>"$out" 2>&1 &
run=$!
wait_for counted_past "$c1"
st=$?
grep -q "does not verify" "$out"
[ $st -eq 0 ] && [ $? -eq 0 ]
ok $? "--resume skips the damaged image and counts on past $c1"
wait_for seq_past "$last"
ok $? "the resumed job is checkpointed on"

before=$(newest)
kill -TERM "$run"
wait "$run"
st=$?
run=
[ $st -eq 143 ] && [ "$(newest)" -gt "$before" ] && [ -z "$(job_of)" ] &&
	[ "$(images)" -eq 2 ] && ! ls "$dir/img" | grep -q tmp
ok $? "SIGTERM: a last checkpoint, 2 images and no temporary one, the job stopped (status $st)"

[ $failed -eq 0 ] || { cat "$out"; exit 1; }
exit 0
