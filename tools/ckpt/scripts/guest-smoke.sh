#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Smoke test of the test VM itself (run by ckpt-selftests as
# "ckpt-vm:smoke.sh"): is the environment the selftests rely on there?

echo "TAP version 13"
echo "1..7"
n=0 fail=0
check() {
	n=$((n + 1))
	desc=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		fail=$((fail + 1))
	fi
}

check "proc and sysfs are mounted" test -r /proc/self/stat -a -d /sys/kernel
check "cgroup2 is mounted and has the freezer" \
	sh -c 'mkdir /sys/fs/cgroup/smoke && test -e /sys/fs/cgroup/smoke/cgroup.freeze; rc=$?
	       rmdir /sys/fs/cgroup/smoke; exit $rc'
check "ext4 is mounted on /mnt/ext4" grep -q ' /mnt/ext4 ext4 ' /proc/mounts
check "/mnt/ext4 has lost+found and is writable" \
	sh -c 'test -d /mnt/ext4/lost+found && echo x >/mnt/ext4/.smoke && rm /mnt/ext4/.smoke'
check "/tmp is a writable tmpfs" \
	sh -c 'grep -q " /tmp tmpfs " /proc/mounts && echo x >/tmp/.smoke && rm /tmp/.smoke'
check "stdin is a terminal" test -t 0
check "ptys can be opened" test -c /dev/ptmx -a -d /dev/pts

echo "# Totals: pass:$((n - fail)) fail:$fail xfail:0 xpass:0 skip:0 error:0"
[ $fail -eq 0 ]
