#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ckpt-selftests: run, inside the test VM, every test listed in
# /selftests/*/kselftest-list.txt, kselftest-runner style: one TAP line per
# test program, its own TAP output nested below it with a "# " prefix.
#
#   ckpt-selftests [COLLECTION[:TEST]]...   (default: everything)
#
# The per-program timeout is "timeout=" in the collection's settings file,
# default 120 s, times ckpt.timeout_scale= from the kernel command line
# (make check-debug's kernel is several times slower).  Exit status 0
# when every program passed or skipped.

root=/selftests
default_timeout=120

# the host's run-tests.sh passes a fuzz seed and a timeout scale on the
# kernel command line; a slow kernel runs fewer race rounds
scale=1
for arg in $(cat /proc/cmdline); do
	case $arg in
	ckpt.fuzz_seed=*) export CKPT_FUZZ_SEED="${arg#*=}" ;;
	ckpt.timeout_scale=*) scale=${arg#*=} ;;
	esac
done
if [ "$scale" -gt 1 ] && [ -z "${CKPT_RACE_ROUNDS:-}" ]; then
	export CKPT_RACE_ROUNDS=$((1000 / scale))
fi

selected() {
	[ $# -eq 0 ] && return 0
	for want in "$@"; do
		case $want in "$t" | "${t%%:*}") return 0 ;; esac
	done
	return 1
}

tests=
for list in "$root"/*/kselftest-list.txt; do
	[ -f "$list" ] || continue
	while IFS= read -r t; do
		[ -n "$t" ] && selected "$@" && tests="$tests $t"
	done <"$list"
done

set -- $tests
echo "TAP version 13"
echo "1..$#"
echo "# kernel: $(uname -r) $(uname -v)"

n=0 failed=0
rcfile=/tmp/.ckpt-selftests.rc
for t; do
	n=$((n + 1))
	coll=${t%%:*} prog=${t#*:}
	dir=$root/$coll
	limit=$(sed -n 's/^timeout=\([0-9]*\).*/\1/p' "$dir/settings" 2>/dev/null)
	limit=$((${limit:-$default_timeout} * scale))
	echo "# selftests: $coll: $prog"
	start=$(date +%s)
	{
		cd "$dir" && timeout -k 10 "$limit" "./$prog" 2>&1
		echo $? >"$rcfile"
	} | sed 's/^/# /'
	rc=$(cat "$rcfile" 2>/dev/null)
	rc=${rc:-1}
	elapsed=$(($(date +%s) - start))
	case $rc in
	0) echo "ok $n selftests: $coll: $prog" ;;
	4) echo "ok $n selftests: $coll: $prog # SKIP" ;;
	*)
		failed=$((failed + 1))
		if [ "$elapsed" -ge "$limit" ]; then
			echo "not ok $n selftests: $coll: $prog # TIMEOUT $limit seconds"
		else
			echo "not ok $n selftests: $coll: $prog # exit=$rc"
		fi
		;;
	esac
done
rm -f "$rcfile"
[ $failed -eq 0 ]
