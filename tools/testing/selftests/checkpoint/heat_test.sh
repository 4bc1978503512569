#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The heat example checkpoints itself with libckpt every 100 steps.  It is
# killed with SIGKILL at random moments, three times, each time restarted
# from its last image; the final grid hash equals the uninterrupted run's
# bit for bit.

. "$(dirname "$0")/ckpt_lib.sh"
need_commands heat restart

dir=$(mktemp -d /tmp/ckpt-heat.XXXXXX)
trap 'pkill_heat; rm -rf "$dir"' EXIT
heat_pid() {
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = heat ] && echo "${p#/proc/}"
	done
}
pkill_heat() { p=$(heat_pid); [ -n "$p" ] && kill -9 $p 2>/dev/null; }
# a random delay of 0.3 to 1.5 s
nap() {
	ms=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 1200 + 300 ))
	sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
}

echo "TAP version 13"
echo "1..4"
args="-n 256 -t 8000"

ref=$(heat $args)
[ -n "$ref" ]
ok $? "uninterrupted run: $ref"

heat $args -k 100 -o "$dir/heat.img" >"$dir/out" 2>"$dir/err" &
nap
kill -9 $! 2>/dev/null
wait
kills=0
[ -s "$dir/out" ] || kills=1
while [ $kills -lt 3 ] && [ ! -s "$dir/out" ] && [ -f "$dir/heat.img" ]; do
	restart -i "$dir/heat.img" >/dev/null 2>>"$dir/err" &
	nap
	pkill_heat
	wait
	[ -s "$dir/out" ] || kills=$((kills + 1))
done
[ $kills -ge 2 ]
ok $? "killed with SIGKILL $kills times, restarted each time"

st=0
[ -s "$dir/out" ] || { restart -i "$dir/heat.img" >/dev/null 2>>"$dir/err"; st=$?; }
ok $st "the last restart runs to the end"

got=$(cat "$dir/out")
[ "$got" = "$ref" ]
ok $? "same result bit for bit: $got"
[ $failed -eq 0 ] || { cat "$dir/err"; exit 1; }
exit 0
