#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: run ckpt-bench (tools/ckpt/bench) in one boot of the bench
# VM (build/linux-bench, build/initramfs-bench.cpio: our options plus
# CRIU's, criu in the guest) and write under build/bench/:
#   bench.log  everything the guest printed
#   bench.md   the side-by-side table (medians)
#   bench.csv  the same figures, one row per workload
#   raw.csv    every sample
#   bench.png  time against memory size, ckpt beside CRIU, dd and memcpy
#
#   CKPT_BENCH_ARGS="-r 5 -s '16 256'"   other ckpt-bench options
set -euo pipefail
export CKPT_FLAVOR=bench
. "$(dirname "$0")/lib.sh"

out=$CKPT_BUILD/bench
mkdir -p "$out"
rm -f "$out"/bench.{log,md,csv,png} "$out/raw.csv"

set +e
"$CKPT_REPO/tools/ckpt/ckpt-vm" --mem 4096 --timeout "${CKPT_BENCH_TIMEOUT:-3000}" \
	-- "ckpt-bench -d /tmp ${CKPT_BENCH_ARGS:-}" | tee "$out/bench.log"
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] ||
	die "the benchmark failed (status $status); see $out/bench.log and build/vm/console.log"

# The blocks ckpt-bench marks, and the first markdown table.
block() {
	awk -v tag="--- $1" '$0 == tag { f = 1; next } $0 == "--- end" { f = 0 } f' "$out/bench.log"
}
block csv >"$out/bench.csv"
block raw >"$out/raw.csv"
awk '/^\|/ { print; t = 1; next } t { exit }' "$out/bench.log" >"$out/bench.md"
[ -s "$out/bench.csv" ] || die "no CSV in the benchmark's output ($out/bench.log)"

# Single-process rows only: the x axis is the memory of one process.
gnuplot <<GNUPLOT
set terminal pngcairo size 960,640 font ",11"
set output "$out/bench.png"
set datafile separator ","
set title "checkpoint and restart of one process, ckpt vs CRIU 3.17 (median of runs, QEMU TCG)"
set xlabel "memory touched (MiB)"
set ylabel "seconds"
set logscale xy 2
set key top left
set grid
one(c) = (column(2) == 1 ? column(c) : NaN)
plot "$out/bench.csv" every ::1 using 3:(one(5)) with linespoints lw 2 pt 7 \
	title "ckpt checkpoint", \
     "" every ::1 using 3:(one(6)) with linespoints lw 2 pt 5 title "criu dump", \
     "" every ::1 using 3:(one(9)) with linespoints lw 2 pt 7 dt 2 title "ckpt restart", \
     "" every ::1 using 3:(one(10)) with linespoints lw 2 pt 5 dt 2 title "criu restore", \
     "" every ::1 using 3:(one(13)) with linespoints lw 1 pt 1 lc rgb "gray40" \
	title "dd of the same bytes", \
     "" every ::1 using 3:(one(14)) with linespoints lw 1 pt 2 lc rgb "gray70" \
	title "memcpy of the same bytes"
GNUPLOT

say BENCH "wrote ${out#"$CKPT_REPO"/}/{bench.log,bench.md,bench.csv,raw.csv,bench.png}"
