#!/usr/bin/env bash
# Real input reaches the GUI: under Xvfb, xdotool clicks the "ID" language
# switch, presses F12 (screenshot) and Ctrl+Q (quit); the --state-out report
# must then say the language is "id", that the quit came from the command, and
# name the screenshot file, which must be a 1280x720 picture of the window.
# Usage: input_test.sh WARUNGMQ PNG_PROBE WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
app=$1 probe=$2 work=$3
skip_unless xvfb-run xvfb
skip_unless xdotool xdotool

fresh_dir "$work"
cd "$work" || fail "cannot enter $work"

# 1. Where is the switch? A short run with the same window size reports its rectangle.
timeout 60 xvfb-run -a -s "$XVFB_SCREEN" "$app" gui --frames 3 --state-out layout.json ||
  fail "layout run exited with $?"
x=$(json_get layout.json 's["anchors"]["lang.id"]["x"] + s["anchors"]["lang.id"]["w"] // 2') ||
  fail "layout.json has no anchor lang.id"
y=$(json_get layout.json 's["anchors"]["lang.id"]["y"] + s["anchors"]["lang.id"]["h"] // 2')
echo "language switch 'ID' at $x,$y"

# 2. The interactive run. --exit-after-ms bounds it should a key press be lost.
timeout 90 xvfb-run -a -s "$XVFB_SCREEN" bash "$(dirname "$0")/input_session.sh" "$app" "$x" "$y" ||
  fail "the xdotool session failed"

cat state.json
[ "$(json_get state.json 's["language"]')" = id ] || fail "after clicking ID the language is not id"
[ "$(json_get state.json 's["exit_reason"]')" = quit-command ] ||
  fail "Ctrl+Q did not quit (exit reason: $(json_get state.json 's["exit_reason"]'))"
[ "$(json_get state.json '"set-language id" in s["commands"]')" = True ] ||
  fail "no set-language command was applied"
shots=$(json_get state.json 'len(s["screenshots"])')
[ "$shots" = 1 ] || fail "F12 made $shots screenshots, expected 1"
shot=$(json_get state.json 's["screenshots"][0]')
case "$shot" in "$work"/warungmq-*.png) ;; *) fail "F12 screenshot $shot is not in the working directory" ;; esac
[ -s "$shot" ] || fail "F12 screenshot $shot does not exist"
# The F12 frame comes after the click, so the menu bar is there and the window speaks Indonesian.
"$probe" "$shot" state.json --size 1280x720 --covered menubar=0.99 --ink menubar=40 ||
  fail "the F12 screenshot does not look right"
echo "gui_input: ok"
