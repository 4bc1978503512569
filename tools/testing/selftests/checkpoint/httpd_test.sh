#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A real server across checkpoint and restart: busybox httpd, idle
# between clients (its listening socket on [::]:port, SO_REUSEADDR), is
# checkpointed and killed; a client is refused; restart brings it back
# with its pid and it serves the same page again, twice (each request is
# a child it forks).

. "$(dirname "$0")/ckpt_lib.sh"
need_commands checkpoint restart ckptinfo busybox
for a in httpd wget; do
	busybox --list | grep -qx $a || { echo "1..0 # SKIP busybox has no $a"; exit $ksft_skip; }
done

dir=$(mktemp -d /tmp/ckpt-httpd.XXXXXX)
port=18080
url=http://127.0.0.1:$port/index.html
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
# The page, or nothing: wget's output.
get() { busybox wget -q -O - "$url" 2>/dev/null; }
# Wait (up to 10 s) until the page is served.
wait_page() {
	i=0
	while [ "$(get)" != "$page" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(get)" = "$page" ]
}

echo "TAP version 13"
echo "1..6"

mkdir "$dir/www"
page="served by pid $$ at $(date +%s)"
echo "$page" >"$dir/www/index.html"
busybox httpd -f -p $port -h "$dir/www" </dev/null >/dev/null 2>&1 &
pid=$!
wait_page
ok $? "httpd serves the page"

checkpoint --kill -o "$dir/img" "$pid" 2>"$dir/err"
ok $? "checkpoint --kill of the idle server $(head -n 1 "$dir/err")"

[ -z "$(get)" ]
ok $? "a client is refused while the server is gone"

ckptinfo "$dir/img" >"$dir/info" 2>&1 && grep -q "TCP socket, listening at .*:$port" "$dir/info"
ok $? "ckptinfo shows the listening socket"

restart -d <"$dir/img" 2>"$dir/err"
st=$?
[ $st -eq 0 ] && wait_page && [ "$(cat /proc/$pid/comm 2>/dev/null)" = busybox ]
ok $? "restarted with pid $pid, it serves the page again (status $st $(head -n 1 "$dir/err"))"

[ "$(get)" = "$page" ] && [ "$(get)" = "$page" ]
ok $? "and again, by new children"

[ $failed -eq 0 ]
