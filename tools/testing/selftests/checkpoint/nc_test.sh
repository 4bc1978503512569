#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A real program's TCP connection across checkpoint and restart: busybox
# nc listening in a shell (its input a pipe from sleep, so that it never
# shuts its side down), a client outside the checkpoint connected to it.
# The server is checkpointed with --kill (the client sees no FIN or
# reset), restarted, and the stream the client writes continues into the
# server's output without a lost or repeated line.

. "$(dirname "$0")/ckpt_lib.sh"
need_commands checkpoint restart ckptinfo busybox
busybox --list | grep -qx nc || { echo "1..0 # SKIP busybox has no nc"; exit $ksft_skip; }

dir=$(mktemp -d /tmp/ckpt-nc.XXXXXX)
port=18081
pid= cpid=
cleanup() {
	exec 3>&-
	[ -n "$pid" ] && kill -9 "$pid" $(cat "$dir/kids" 2>/dev/null) 2>/dev/null
	[ -n "$cpid" ] && kill -9 "$cpid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
listening() { grep -qi ":$(printf %04X $port) 00000000:0000 0A" /proc/net/tcp; }
server_has() { [ "$(cat "$dir/out" 2>/dev/null)" = "$1" ]; }

echo "TAP version 13"
echo "1..5"

sh -c "sleep 1000 | busybox nc -l -p $port >'$dir/out'" </dev/null >/dev/null 2>&1 &
pid=$!
wait_for listening
mkfifo "$dir/in"
busybox nc 127.0.0.1 $port <"$dir/in" >/dev/null 2>&1 &
cpid=$!
exec 3>"$dir/in"
echo one >&3
wait_for server_has one
ok $? "the server reads the client's first line"
# the tree's other processes (the shell's children), to kill at the end
for p in /proc/[0-9]*; do
	[ "$(awk '{print $4}' "$p/stat" 2>/dev/null)" = "$pid" ] && echo "${p#/proc/}"
done >"$dir/kids"

checkpoint --kill -o "$dir/img" "$pid" 2>"$dir/err"
ok $? "checkpoint --kill of the shell, sleep and nc $(tail -n 1 "$dir/err")"

ckptinfo "$dir/img" >"$dir/info" 2>&1 &&
	grep -q "TCP socket, connected at .*:$port to " "$dir/info" &&
	grep -q "^ *socket [0-9]*, mss" "$dir/info"
ok $? "ckptinfo shows the connection and its TCP state"

restart -d <"$dir/img" 2>"$dir/err"
ok $? "restarted $(tail -n 1 "$dir/err")"

echo two >&3
wait_for server_has "one
two" && kill -0 "$cpid" 2>/dev/null
ok $? "the stream continues: the server reads the second line, once; the client is still connected"

[ $failed -eq 0 ]
