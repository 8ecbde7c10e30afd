#!/usr/bin/env bash
# Runs inside xvfb-run for crash_click_test.sh: opens the lesson paused at 5m, right-clicks the
# cook at X,Y, clicks "Crash the cook" in the menu that opens (found through --anchors-out),
# then quits with Ctrl+Q.
# Usage: crash_click_session.sh WARUNGMQ SCENARIO X Y
set -u
. "$(dirname "$0")/lib.sh"
app=$1 scenario=$2 x=$3 y=$4

export WMQ_ANCHORS=$PWD/anchors.json
"$app" gui "$scenario" --at 5m --paused --exit-after-ms 40000 --state-out state.json \
  --anchors-out "$WMQ_ANCHORS" &
pid=$!
export WMQ_PID=$pid
wid=$(timeout 20 xdotool search --sync --name '^WarungMQ$' | head -n 1)
if [ -z "$wid" ]; then
  echo "no WarungMQ window appeared" >&2
  kill "$pid"
  exit 1
fi
first_frames
xdotool mousemove --window "$wid" "$x" "$y"
frames_pass 2
xdotool click 3
# The menu opens on the release; wait until its item has been drawn and reported.
item=""
for _ in $(seq 1 50); do
  sleep 0.1
  item=$(json_get anchors.json 'str(s["popup.crash_cook"]["x"] + 20) + " " + str(s["popup.crash_cook"]["y"] + s["popup.crash_cook"]["h"] // 2)' 2>/dev/null) && break
done
if [ -z "$item" ]; then
  echo "the cook's menu did not open (no popup.crash_cook anchor)" >&2
  kill "$pid"
  exit 1
fi
echo "crash item at $item"
# shellcheck disable=SC2086
xdotool mousemove --window "$wid" $item
frames_pass 2
xdotool click 1
frames_pass 2
hold_key ctrl+q
wait "$pid"
