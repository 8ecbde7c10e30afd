#!/usr/bin/env bash
# The window really draws: render 5 frames under Xvfb, save the last as PNG,
# and check its pixels (menu bar, About window text, backdrop) with png_probe.
# Usage: screenshot_test.sh WARUNGMQ PNG_PROBE WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
app=$1 probe=$2 work=$3
skip_unless xvfb-run xvfb

fresh_dir "$work"
cd "$work" || fail "cannot enter $work"

for lang in en id; do
  timeout 60 xvfb-run -a -s "$XVFB_SCREEN" "$app" gui --frames 5 --lang "$lang" \
    --screenshot "shot-$lang.png" --state-out "state-$lang.json" ||
    fail "warungmq gui --frames 5 --lang $lang exited with $?"
  [ -s "shot-$lang.png" ] || fail "no screenshot shot-$lang.png"
  [ "$(json_get "state-$lang.json" 's["language"]')" = "$lang" ] ||
    fail "state-$lang.json does not say language $lang"
  [ "$(json_get "state-$lang.json" 's["missing_strings"]')" = 0 ] ||
    fail "missing UI strings in $lang: $(json_get "state-$lang.json" 's["missing_keys"]')"
  [ "$(json_get "state-$lang.json" 's["frames"]')" = 5 ] || fail "state-$lang.json: frames is not 5"
  # The menu bar and the About window are drawn and hold text; the bottom-left corner, where
  # no window is, shows the backdrop (so the clear colour is what the report says).
  "$probe" "shot-$lang.png" "state-$lang.json" --size 1280x720 \
    --covered menubar=0.99 --ink menubar=40 \
    --covered view.about=0.99 --ink view.about=1500 --ink about.body=800 \
    --backdrop 0,620,300,100=0.99 || fail "the $lang screenshot does not look right"
done

# The two languages draw different text in the same place.
cmp -s shot-en.png shot-id.png && fail "the en and id screenshots are identical"

# Window layout is saved under XDG_CONFIG_HOME, never in the working directory.
[ -e imgui.ini ] && fail "imgui.ini was written in the working directory"
[ -s config/warungmq/imgui.ini ] || fail "no imgui.ini under \$XDG_CONFIG_HOME/warungmq"
echo "gui_screenshot: ok"
