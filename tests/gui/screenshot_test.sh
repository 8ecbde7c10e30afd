#!/usr/bin/env bash
# The window really draws the warung: the lesson, paused at 6m (the moment grill-1 crashes),
# rendered under Xvfb in both languages, saved as PNG and checked by its pixels: the menu bar
# and the story hold text, the order board holds tickets, grill-1 is drawn as crashed while
# grill-2 is drawn cooking, and the pipeline strip is there.
# Usage: screenshot_test.sh WARUNGMQ PNG_PROBE SCENARIO WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
app=$1 probe=$2 scenario=$3 work=$4
skip_unless xvfb-run xvfb

fresh_dir "$work"
cd "$work" || fail "cannot enter $work"

for lang in en id; do
  timeout 60 xvfb-run -a -s "$XVFB_SCREEN" "$app" gui "$scenario" --at 6m --paused --frames 5 \
    --lang "$lang" --screenshot "shot-$lang.png" --state-out "state-$lang.json" ||
    fail "warungmq gui --frames 5 --lang $lang exited with $?"
  [ -s "shot-$lang.png" ] || fail "no screenshot shot-$lang.png"
  [ "$(json_get "state-$lang.json" 's["language"]')" = "$lang" ] ||
    fail "state-$lang.json does not say language $lang"
  [ "$(json_get "state-$lang.json" 's["missing_strings"]')" = 0 ] ||
    fail "missing UI strings in $lang: $(json_get "state-$lang.json" 's["missing_keys"]')"
  [ "$(json_get "state-$lang.json" 's["frames"]')" = 5 ] || fail "state-$lang.json: frames is not 5"
  [ "$(json_get "state-$lang.json" 's["sim"]["time"]')" = "06:00" ] || fail "the run is not at 06:00"
  [ "$(json_get "state-$lang.json" '[k["state"] for k in s["sim"]["a"]["cooks"]][0]')" = crashed ] ||
    fail "grill-1 is not crashed at 06:00 in the state report"
  "$probe" "shot-$lang.png" "state-$lang.json" --size 1280x720 \
    --covered menubar=0.99 --ink menubar=40 --ink narration.text=300 \
    --colour scene.board=ticket_persisted:300 \
    --colour scene.cook.grill-1=cook_crashed:150 --no-colour scene.cook.grill-1=cook_cooking:10 \
    --colour scene.cook.grill-2=cook_cooking:150 --no-colour scene.cook.grill-2=cook_crashed:10 \
    --ink scene.strip=200 ||
    fail "the $lang screenshot does not look right"
done

# The two languages draw different text in the same place.
cmp -s shot-en.png shot-id.png && fail "the en and id screenshots are identical"

# Window layout is saved under XDG_CONFIG_HOME, never in the working directory.
[ -e imgui.ini ] && fail "imgui.ini was written in the working directory"
[ -s config/warungmq/imgui.ini ] || fail "no imgui.ini under \$XDG_CONFIG_HOME/warungmq"
echo "gui_screenshot: ok"
