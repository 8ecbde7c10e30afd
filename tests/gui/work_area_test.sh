#!/usr/bin/env bash
# The window opens within the monitor's work area: on a 1024x768 screen (a classroom projector)
# the default 1280x720 window would cut off the Story and Broker panels on the right. The
# --state-out report gives the framebuffer size of the last frame.
# Usage: work_area_test.sh WARUNGMQ WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
app=$1 work=$2
skip_unless xvfb-run xvfb

fresh_dir "$work"
cd "$work" || fail "cannot enter $work"
timeout 60 xvfb-run -a -s "-screen 0 1024x768x24" "$app" gui --paused --frames 3 \
  --state-out state.json || fail "warungmq gui on a 1024x768 screen exited with $?"
size=$(json_get state.json '"%dx%d" % (s["window"]["width"], s["window"]["height"])')
[ "$size" = "1024x720" ] || fail "on a 1024x768 screen the window is $size, expected 1024x720"
menubar=$(json_get state.json 's["anchors"]["menubar"]["w"]')
[ "$menubar" = 1024 ] || fail "the menu bar is $menubar pixels wide in a 1024-pixel window"
echo "PASS: on a 1024x768 screen the window is $size"
