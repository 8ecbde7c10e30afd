#!/usr/bin/env bash
# Each classroom switch changes the screen and leaves no string missing: the broker vocabulary
# relabels the scene and its strip, projector mode draws larger (taller buttons, the other
# colours), Indonesian changes the text, and all three together still find every string.
# Usage: switches_test.sh WARUNGMQ PNG_PROBE SCENARIO WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
app=$1 probe=$2 scenario=$3 work=$4
skip_unless xvfb-run xvfb

fresh_dir "$work"
cd "$work" || fail "cannot enter $work"
shoot() {  # NAME ARGS...
  local name=$1
  shift
  timeout 60 xvfb-run -a -s "$XVFB_SCREEN" "$app" gui "$scenario" --at 6m --paused --frames 4 \
    --screenshot "$name.png" --state-out "$name.json" "$@" || fail "the $name run exited with $?"
  [ "$(json_get "$name.json" 's["missing_strings"]')" = 0 ] ||
    fail "$name: missing strings $(json_get "$name.json" 's["missing_keys"]')"
}
shoot base
shoot words --vocabulary broker
shoot projector --projector
shoot all --projector --vocabulary broker --lang id

[ "$(json_get words.json 's["vocabulary"]')" = broker ] || fail "the vocabulary is not broker"
"$probe" words.png words.json --differs base.png=scene.strip:0.01 --differs base.png=scene.board:0.005 ||
  fail "broker words did not change the scene"

[ "$(json_get projector.json 's["projector"]')" = True ] || fail "projector mode is off"
h0=$(json_get base.json 's["anchors"]["controls.play"]["h"]')
h1=$(json_get projector.json 's["anchors"]["controls.play"]["h"]')
echo "Play button: $h0 px high, $h1 px in projector mode"
[ "$(python3 -c "print($h1 >= 1.3 * $h0)")" = True ] || fail "projector mode did not enlarge the buttons"
[ "$(json_get projector.json '"view.log" in s["anchors"]')" = False ] ||
  fail "projector mode still shows the event log"
"$probe" projector.png projector.json --differs base.png=scene.canvas:0.05 ||
  fail "projector mode did not change the scene"

[ "$(json_get all.json 's["language"] + s["vocabulary"]')" = idbroker ] || fail "the combined switches did not apply"
"$probe" all.png all.json --differs projector.png=narration.text:0.01 ||
  fail "Indonesian did not change the story"
echo "gui_switches: ok"
