#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The non-root phase: the selftests that make sense for an ordinary user
# run as uid 1000 (their temporary files in a directory of its own), and
# the tools checkpoint and restart that user's own process, freezing it
# without a cgroup of the user's (SIGSTOP) and refusing what needs a
# capability the user lacks.
cd "$(dirname "$0")" || exit 1
uid=1000
dir=/tmp/ckpt-user-$$
mkdir -p "$dir" && chown "$uid:$uid" "$dir" || exit 1
trap 'rm -rf "$dir"' EXIT
export CKPT_TMPDIR=$dir

failed=0
n=0

# report STATUS DESCRIPTION OUTPUT: one TAP line, the output if it failed
report() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		sed 's/^/# /' "$3"
	fi
}
# (not files_test: its ext4 and terminal cases need root's files; not
# libckpt_test: a tree restored without CAP_CHECKPOINT_RESTORE gets new
# pids, which its children-waiting case cannot know)
tests="self_test memory_test regs_test signals_test pipes_test memfd_test
eventfd_test signalfd_test timerfd_test epoll_test posix_timers_test rseq_test
syscall_restart_test"
set -- $tests
echo "1..$(($# + 3))"
for t in $tests; do
	./ckpt_as_user "$uid" "./$t" >"$dir/$t.out" 2>&1
	report $? "$t as uid $uid" "$dir/$t.out"
done

# The tools, as the user, on the user's own process.
./ckpt_as_user "$uid" ./ckpt_counter "$dir/count" >/dev/null 2>&1 &
pid=$!
i=0
while [ ! -s "$dir/count" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
./ckpt_as_user "$uid" checkpoint -o "$dir/img" --kill "$pid" >"$dir/ck.out" 2>&1
report $? "checkpoint --kill of its own process as uid $uid" "$dir/ck.out"
wait "$pid" 2>/dev/null
before=$(cat "$dir/count" 2>/dev/null)
./ckpt_as_user "$uid" restart -d -i "$dir/img" >"$dir/rs.out" 2>&1
sleep 1
after=$(cat "$dir/count" 2>/dev/null)
[ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt "$before" ]
report $? "restart of its own image as uid $uid counts on ($before -> $after)" "$dir/rs.out"
# a process the user cannot ptrace: the tool fails with the kernel's reason
sleep 100 &
rootpid=$!
! ./ckpt_as_user "$uid" checkpoint -o "$dir/img2" "$rootpid" >"$dir/ck2.out" 2>&1 &&
	grep -q -e "ptrace" -e "Operation not permitted" "$dir/ck2.out"
report $? "checkpoint of root's process as uid $uid is refused, saying why" "$dir/ck2.out"
kill "$rootpid" 2>/dev/null
for p in $(ls /proc | grep '^[0-9]*$'); do
	[ "$(cat /proc/$p/comm 2>/dev/null)" = ckpt_counter ] && kill "$p" 2>/dev/null
done
[ "$failed" -eq 0 ]
