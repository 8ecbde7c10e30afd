#!/usr/bin/env bash
# Runs inside xvfb-run for link_test.sh: opens lesson 3 paused at 2m, crashes a cook (C), calls a
# lunch rush (L), steps once (Right), switches to broker words (F3) and Bahasa Indonesia (F2),
# then clicks File > Copy a link to this moment, reads the link back from the X clipboard into
# clip.txt, saves a screenshot (F12) and quits (Ctrl+Q).
# Usage: link_session.sh WARUNGMQ SCENARIO
set -u
. "$(dirname "$0")/lib.sh"
app=$1 scenario=$2

"$app" gui "$scenario" --at 2m --paused --exit-after-ms 60000 --state-out state.json \
  --anchors-out anchors.json &
pid=$!
stop() {
  echo "$1" >&2
  kill "$pid"
  exit 1
}
wid=$(timeout 20 xdotool search --sync --name '^WarungMQ$' | head -n 1)
[ -n "$wid" ] || stop "no WarungMQ window appeared"
sleep 0.8
# Keys go to the window under the pointer: the middle of the scene.
xdotool mousemove --window "$wid" 640 300
for key in c l Right F3 F2; do
  hold_key "$key"
  sleep 0.3
done
# centre ANCHOR: "X Y" of a widget drawn last frame, once it is there.
centre() {
  local at=""
  for _ in $(seq 1 50); do
    at=$(json_get anchors.json 'str(s["'"$1"'"]["x"] + 20) + " " + str(s["'"$1"'"]["y"] + s["'"$1"'"]["h"] // 2)' 2>/dev/null) && break
    sleep 0.1
  done
  echo "$at"
}
file=$(centre menu.file)
[ -n "$file" ] || stop "no File menu (anchor menu.file)"
# shellcheck disable=SC2086
xdotool mousemove --window "$wid" $file click 1
item=$(centre menu.copy_link)
[ -n "$item" ] || stop "the File menu did not open (no menu.copy_link anchor)"
echo "Copy a link at $item"
# shellcheck disable=SC2086
xdotool mousemove --window "$wid" $item
sleep 0.3
xdotool click 1
[ -n "$(centre link.text)" ] || stop "the link window did not open (no link.text anchor)"
sleep 0.3
xclip -o -selection clipboard > clip.txt || stop "the clipboard holds nothing"
xdotool mousemove --window "$wid" 640 300
screenshot_and_quit
wait "$pid"
