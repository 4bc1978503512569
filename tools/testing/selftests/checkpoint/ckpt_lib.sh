# SPDX-License-Identifier: GPL-2.0
#
# What the checkpoint shell tests share, sourced by each of them (POSIX
# sh: busybox runs them in the VM): TAP lines, waiting for a condition,
# skipping the test when a command it needs is missing.

ksft_skip=4
n=0
failed=0

# The test is skipped unless every command named is on PATH.
need_commands() {
	for t in "$@"; do
		command -v "$t" >/dev/null ||
			{ echo "1..0 # SKIP $t is not on PATH"; exit $ksft_skip; }
	done
}

# ok STATUS DESCRIPTION: one TAP line, counted; a non-zero STATUS fails.
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

# Wait until command "$@" succeeds, for up to $wait_tenths tenths of a
# second (10 s unless the test sets it); its status is the command's.
wait_for() {
	i=0
	while ! "$@" && [ $i -lt "${wait_tenths:-100}" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	"$@"
}
