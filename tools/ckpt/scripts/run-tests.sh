#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: run every selftest in one VM boot (ckpt-selftests in the
# guest prints kselftest TAP), then the host-side tests if there are any,
# and end with the line "N passed, N failed" (skips are counted apart).
#
# Counting: each "ok"/"not ok" line a test program prints (nested TAP,
# kselftest_harness style) is one case; "# SKIP" cases are skipped.  A
# program that crashed, timed out or printed no plan counts one failure
# more; a program that never ran (VM died) counts as failed.
#
#   run-tests.sh [--timeout S] [TEST...]   TEST: collection[:program]
set -uo pipefail
. "$(dirname "$0")/lib.sh"

timeout=3600
if [ "${1:-}" = --timeout ]; then timeout=$2; shift 2; fi

log=$CKPT_BUILD/check.log
mkdir -p "$CKPT_BUILD"

# CKPT_FUZZ_SEED=random (make check-debug): fresh fuzz seeds each run,
# printed so that a failure can be reproduced with CKPT_FUZZ_SEED=N.
vm_args=()
if [ -n "${CKPT_FUZZ_SEED:-}" ]; then
	seed=$CKPT_FUZZ_SEED
	[ "$seed" = random ] && seed=$(printf '0x%04x%04x' $RANDOM $RANDOM)
	echo "==> fuzz seed $seed (CKPT_FUZZ_SEED=$seed reproduces it)"
	vm_args=(--append "ckpt.fuzz_seed=$seed")
fi
# CKPT_TIMEOUT_SCALE=N (make check-debug): N times the programs' timeouts
if [ "${CKPT_TIMEOUT_SCALE:-1}" -gt 1 ]; then
	vm_args=(--append "${vm_args[1]:+${vm_args[1]} }ckpt.timeout_scale=$CKPT_TIMEOUT_SCALE")
fi

echo "==> selftests in the VM (log: ${log#"$CKPT_REPO/"}, console: build/vm/console.log)"
"$CKPT_REPO/tools/ckpt/ckpt-vm" --timeout "$timeout" "${vm_args[@]}" -- ckpt-selftests "$@" \
	</dev/null | tee "$log"
vm_status=${PIPESTATUS[0]}

# Count the guest's TAP (the VM's output may carry \r).
read -r passed failed skipped < <(tr -d '\r' <"$log" | awk '
function finish(top,    seen, extra) {
	seen = np + nf + ns
	extra = 0
	if (top == "skip" && seen == 0) { ns = 1 }
	else if (plan < 0 && seen == 0) { extra = 1 }	# no plan, no result
	else {
		if (top == "fail" && nf == 0) extra = 1	# crashed / bad exit
		if (plan > seen && plan - seen > extra) extra = plan - seen
	}
	P += np; F += nf + extra; S += ns
	inprog = 0
}
/^1\.\.[0-9]+/ { total = substr($0, 4) + 0; next }
/^# selftests: / {
	if (inprog) finish("fail")
	inprog = 1; started++; np = nf = ns = 0; plan = -1
	next
}
inprog && /^# 1\.\.[0-9]+/ { plan = substr($0, 6) + 0; next }
inprog && /^# (not )?ok [0-9]+/ {
	if ($0 ~ /# (SKIP|skip|TODO|XFAIL)/) ns++
	else if ($0 ~ /^# ok/) np++
	else nf++
	next
}
inprog && /^(not )?ok [0-9]+ selftests: / {
	finish($0 ~ /# SKIP/ ? "skip" : $0 ~ /^ok/ ? "pass" : "fail")
	next
}
END {
	if (inprog) finish("fail")		# the VM stopped in the middle
	if (total > started) F += total - started
	if (total == 0 && started == 0) F++	# the runner never started
	print P + 0, F + 0, S + 0
}')

# A VM-level problem is one failure more, so the last line tells it too.
case $vm_status in
0 | 1) ;;	# ckpt-selftests: all passed / some failed
124) echo "==> FAIL: the VM timed out (after ${timeout}s)" ;;
125) echo "==> FAIL: the kernel reported a BUG/WARNING/Oops/panic (see build/vm/console.log)" ;;
*) echo "==> FAIL: the VM run failed (ckpt-vm exit status $vm_status)" ;;
esac
case $vm_status in 0 | 1) ;; *) failed=$((failed + 1)) ;; esac

# Host-side tests: they end with their own "N passed, N failed" line.
host=$CKPT_REPO/tools/ckpt/tests/host-tests.sh
host_status=0
if [ -x "$host" ] || [ -f "$host" ]; then
	bindir=$CKPT_BUILD/tools
	[ -x "$bindir/checkpoint" ] || bindir=$CKPT_REPO/tools/ckpt
	echo "==> host-side tests: tools/ckpt/tests/host-tests.sh"
	bash "$host" "$bindir" 2>&1 | tee "$CKPT_BUILD/host-tests.log"
	host_status=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$CKPT_BUILD/host-tests.log" | tail -n 1)
	if [ -n "$line" ]; then
		read -r hp _ hf _ hs _ <<<"${line//,/}"
		passed=$((passed + hp)) failed=$((failed + hf)) skipped=$((skipped + ${hs:-0}))
		[ "$host_status" -eq 0 ] || [ "$hf" -gt 0 ] || failed=$((failed + 1))
	elif [ "$host_status" -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
fi

[ "$skipped" -eq 0 ] || echo "($skipped skipped)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
