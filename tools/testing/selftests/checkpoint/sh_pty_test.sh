#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A real shell on a pty across checkpoint and restart: busybox sh -i
# runs on a pty that ckpt_ptyrun holds (as a terminal emulator would),
# a job is stopped with ^Z, and the whole tree (ckpt_ptyrun, the shell,
# the stopped job) is checkpointed with --kill and restarted.  The job
# is still stopped, the shell still has the pty as its terminal: fg
# brings the job to the foreground, ^C ends it, and the shell carries
# on and exits.

here=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/ckpt_lib.sh"
need_commands checkpoint restart ckptinfo busybox
[ -x "$here/ckpt_ptyrun" ] || { echo "1..0 # SKIP ckpt_ptyrun not built"; exit $ksft_skip; }

dir=$(mktemp -d /tmp/ckpt-shpty.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	pkill_tree
	rm -rf "$dir"
}
# what runs on the pty (sleep 4242 and its shell), by their command lines
pkill_tree() {
	for p in /proc/[0-9]*; do
		case "$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" in
		"sleep 4242 "|"busybox sh -i "|*"/ckpt_ptyrun "*)
			kill -9 "${p#/proc/}" 2>/dev/null;;
		esac
	done
}
trap cleanup EXIT
# type $1 (printf format) on the terminal
type_in() { printf "$1" >>"$dir/in"; }
said() { grep -q "$1" "$dir/out"; }
sleep_state() { awk '{print $3}' "/proc/$1/stat" 2>/dev/null; }
stopped() { [ "$(sleep_state "$1")" = T ]; }
sleeper() {
	for p in /proc/[0-9]*; do
		[ "$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" = "sleep 4242 " ] && echo "${p#/proc/}"
	done
}

echo "TAP version 13"
echo "1..6"

: >"$dir/in"
PS1='$ ' "$here/ckpt_ptyrun" busybox sh -i <"$dir/in" >"$dir/out" 2>&1 &
pid=$!
type_in 'echo up-$((6*7))\n'
wait_for said up-42
type_in 'sleep 4242\n'
wait_for sleeper >/dev/null
spid=$(sleeper)
type_in '\032'
wait_for stopped "$spid" && wait_for said Stopped
ok $? "^Z stops the job: $(grep Stopped "$dir/out" | tail -n 1)"
# the terminal drained: nothing typed or written waits unread
type_in 'echo mark-$((7*6))\n'
wait_for said mark-42
sleep 0.5

checkpoint --kill -o "$dir/img" "$pid" 2>"$dir/err"
ok $? "checkpoint --kill of ckpt_ptyrun, the shell and its stopped job $(tail -n 1 "$dir/err")"
wait "$pid" 2>/dev/null
pid=

ckptinfo "$dir/img" >"$dir/info" 2>&1 &&
	grep -q "controls session" "$dir/info" && grep -q "the slave of pty" "$dir/info"
ok $? "ckptinfo shows the pty and the session's terminal"

restart -d <"$dir/img" 2>"$dir/err"
ok $? "restarted $(tail -n 1 "$dir/err")"
spid=$(sleeper)
[ -n "$spid" ] && stopped "$spid"
ok $? "the job is still stopped after restart"

type_in 'jobs\n'
type_in 'fg\n'
wait_for sh -c "[ \"\$(awk '{print \$3}' /proc/$spid/stat 2>/dev/null)\" = S ]"
type_in '\003'
type_in 'echo after-$((6*7))\n'
wait_for said after-42 && ! kill -0 "$spid" 2>/dev/null
r=$?
type_in 'exit\n'
ok $r "fg resumes the job in the foreground, ^C ends it, the shell carries on"
if [ $r != 0 ]; then
	tail -n 20 "$dir/out" | sed 's/^/# /'
	echo "# sleep: $(cat /proc/$spid/stat 2>/dev/null)"
	for p in /proc/[0-9]*; do
		case "$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" in
		"busybox sh -i ")
			echo "# sh: $(cat $p/stat)"
			grep -E 'Sig|State' $p/status | sed 's/^/#   /';;
		esac
	done
fi

[ $failed -eq 0 ]
