#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the ckpt test VM (busybox, everything static).
#
# ttyS0 is the kernel console (saved on the host as console.log); ttyS1 is
# the terminal of the command the host asked for (/run-cmd, added by
# tools/ckpt/ckpt-vm in a second cpio archive), wired to the host's stdio.
# The command's exit status goes to the console as "ckpt-vm: exit-status=N",
# then the machine resets, which makes QEMU (-no-reboot) exit.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=vt100

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o mode=0620,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mkdir -p /mnt/ext4
[ -b /dev/vda ] && mount -t ext4 /dev/vda /mnt/ext4
hostname ckpt
ip link set lo up 2>/dev/null

# Settings from the host: terminal size and TERM when it is interactive.
[ -f /etc/ckpt-vm.conf ] && . /etc/ckpt-vm.conf
export CKPT_VM_ROWS CKPT_VM_COLS

# Plain "\n" line ends: the host's terminal, if any, adds the "\r"
# itself (QEMU leaves output processing on), and logs stay clean.
tty=/dev/ttyS1
stty -F $tty -onlcr

status=127
if [ -f /run-cmd ]; then
	cd /tmp
	# A session of its own with ttyS1 as controlling terminal: the
	# command and what it starts see a real terminal on 0, 1 and 2.
	# (The window size lives only while the tty is open: set it there.)
	setsid -c /bin/sh -c '
		[ -n "$CKPT_VM_ROWS" ] && stty rows "$CKPT_VM_ROWS" cols "$CKPT_VM_COLS"
		exec /bin/sh -c "$1"' sh "$(cat /run-cmd)" <$tty >$tty 2>&1
	status=$?
	cd /
else
	echo "ckpt-vm: no /run-cmd in the initramfs" >/dev/console
fi

# Leftovers (background jobs) go, then wait for ttyS1 to drain: stty sets
# the attributes with TCSADRAIN.
kill -KILL -1 2>/dev/null
stty -F $tty -onlcr 2>/dev/null
umount /mnt/ext4 2>/dev/null
# A kmemleak kernel (make check-debug): scan once everything is gone; the
# kernel reports what it finds on the console, the report follows.
# (debugfs may be mounted already: faults_test mounts it)
grep -q ' /sys/kernel/debug ' /proc/mounts ||
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	echo "ckpt-vm: kmemleak scanned," \
	     "$(grep -c '^unreferenced' /sys/kernel/debug/kmemleak) reports" >/dev/console
	cat /sys/kernel/debug/kmemleak >/dev/console
fi
echo "ckpt-vm: exit-status=$status" >/dev/console
reboot -f
