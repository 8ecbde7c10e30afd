#!/usr/bin/env bash
# Without a display, warungmq gui exits with code 2 and a sentence saying what
# is missing and what to do, instead of crashing.
# Usage: no_display_test.sh WARUNGMQ WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
app=$1 work=$2

fresh_dir "$work"
cd "$work" || fail "cannot enter $work"
env -u DISPLAY -u WAYLAND_DISPLAY timeout 30 "$app" gui --frames 1 --state-out state.json \
  2>stderr.txt
rc=$?
cat stderr.txt
[ "$rc" = 2 ] || fail "expected exit code 2 without a display, got $rc"
grep -q "warungmq gui: cannot start GLFW: .*DISPLAY.*xvfb-run" stderr.txt ||
  fail "the message does not name DISPLAY and xvfb-run"
[ -e state.json ] && fail "a state report was written although nothing ran"
echo "gui_no_display: ok"
