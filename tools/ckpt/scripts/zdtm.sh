#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run CRIU's zdtm static tests through ckpt's tools in the test VM, as a
# third-party suite: each test starts, is checkpointed with
# "checkpoint --kill", restarted with "restart -d", told to finish
# (SIGTERM), and passes if it wrote PASS.  Nothing of CRIU is kept in
# this repository: point it at a CRIU source tree.
#
#   zdtm.sh CRIU_SRC [TEST...]     (default: every static test that builds)
#
# Tests flagged crfail or noauto, or without the host flavour, are left
# out, as zdtm.py leaves them out of a host run.  Results go to
# build/zdtm/results.log, one "RESULT name PASS|FAIL|start-failed why"
# line each, then "ZDTM N passed, N failed".  Needs `make all` first.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${1:?usage: zdtm.sh CRIU_SRC [TEST...]}
shift
[ -d "$src/test/zdtm/static" ] || die "$src: no test/zdtm/static"
work=$CKPT_BUILD/zdtm
run=$work/run
mkdir -p "$work" "$run/bin"
rm -rf "$work/zdtm"
mkdir -p "$work/zdtm/test"
cp -a "$src/test/zdtm" "$work/zdtm/test/"
cp -a "$src/include" "$work/zdtm/" 2>/dev/null || true

say ZDTM "building the tests statically (failures to build are skipped)"
make -C "$work/zdtm/test/zdtm/lib" -j"$(nproc)" >"$work/build.log" 2>&1 ||
	die "zdtm lib does not build: $work/build.log"
make -k -C "$work/zdtm/test/zdtm/static" -j"$(nproc)" LDFLAGS=-static "$@" \
	>>"$work/build.log" 2>&1 || true

# The tests to run, with the arguments zdtm's Makefile gives them.
python3 - "$work/zdtm/test/zdtm/static" "$run/list" "$@" <<'EOF'
import ast, os, re, subprocess, sys
d, out, only = sys.argv[1], sys.argv[2], sys.argv[3:]
mk = subprocess.run(['make', '-s', '-C', d, '-f', '-', 'vars'], text=True,
		    capture_output=True, input='include Makefile\nvars:\n'
		    '\t@echo "FILE $(TST_FILE)"\n\t@echo "DIR $(TST_DIR)"\n'
		    '\t@echo "DIRFILE $(TST_DIR_FILE)"\n').stdout
lists = {l.split()[0]: set(l.split()[1:]) for l in mk.splitlines() if l.strip()}
special = {}
for m in re.finditer(r'^(\S+)\.pid:\s*\1\n\t\$\(<D\)/\$\(<F\) --pidfile=\$@ '
		     r'--outfile=\$<\.out (.*)$', open(d + '/Makefile').read(),
		     re.M):
	special[m.group(1)] = m.group(2).replace('$<', m.group(1))
rows = []
for c in sorted(f for f in os.listdir(d) if f.endswith('.c')):
	t = c[:-2]
	if not os.access(os.path.join(d, t), os.X_OK) or (only and t not in only):
		continue
	try:
		desc = ast.literal_eval(open(os.path.join(d, t + '.desc')).read())
	except (OSError, ValueError, SyntaxError):
		desc = {}
	if re.search(r'crfail|noauto', desc.get('flags', '')) or \
	   'h' not in desc.get('flavor', 'h').split():
		continue
	if t in special:
		args = special[t]
	elif t in lists.get('FILE', ()):
		args = '--filename=%s.test' % t
	elif t in lists.get('DIR', ()):
		args = '--dirname=%s.test' % t
	elif t in lists.get('DIRFILE', ()):
		args = '--dirname=%s.dir.test --filename=%s.test' % (t, t)
	else:
		args = ''
	rows.append((t + ' ' + args).strip())
open(out, 'w').write('\n'.join(rows) + '\n')
EOF
while read -r t _; do
	cp "$work/zdtm/test/zdtm/static/$t" "$run/bin/"
done <"$run/list"
strip "$run/bin/"* 2>/dev/null || true

cat >"$run/run.sh" <<'EOF'
#!/bin/sh
# In the guest: each test of /extra/list through checkpoint and restart.
B=/extra/bin
pass=0; fail=0
while read -r t args; do
	d=/tmp/zdtm/$t; rm -rf $d; mkdir -p $d; cd $d
	# the launcher ignores SIGTERM: a test that never gets ready is killed
	timeout -s KILL 20 $B/$t --pidfile=$t.pid --outfile=$t.out $args \
		</dev/null >start.log 2>&1
	if [ ! -s $t.pid ]; then
		echo "RESULT $t start-failed $(tail -1 $t.out 2>/dev/null)"
		cd /; continue
	fi
	pid=$(cat $t.pid)
	if ! timeout -s KILL 120 checkpoint --kill $pid >img 2>ck.err; then
		echo "RESULT $t FAIL checkpoint: $(tail -1 ck.err)"
		kill -9 -$pid $pid 2>/dev/null
		fail=$((fail + 1)); cd /; continue
	fi
	n=0; while [ -d /proc/$pid ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	if ! timeout -s KILL 120 restart -d <img >rs.log 2>&1; then
		echo "RESULT $t FAIL restart: $(tail -1 rs.log)"
		fail=$((fail + 1)); cd /; continue
	fi
	sleep 0.2
	kill -TERM $pid 2>/dev/null
	n=0; while [ -d /proc/$pid ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
	[ -d /proc/$pid ] && kill -9 -$pid $pid 2>/dev/null
	if grep -q PASS $t.out 2>/dev/null; then
		echo "RESULT $t PASS"; pass=$((pass + 1))
	else
		echo "RESULT $t FAIL after: $(grep -v '^$' $t.out | tail -1)"
		fail=$((fail + 1))
	fi
	cd /
done </extra/list
echo "ZDTM $pass passed, $fail failed"
EOF
chmod +x "$run/run.sh"

say ZDTM "$(wc -l <"$run/list") tests in the VM (results: ${work#"$CKPT_REPO/"}/results.log)"
"$CKPT_REPO/tools/ckpt/ckpt-vm" --mem 3072 --timeout 3000 --add "$run" \
	-- sh /extra/run.sh </dev/null | tr -d '\r' | tee "$work/results.log" |
	grep -a '^ZDTM'
