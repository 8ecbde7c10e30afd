#!/usr/bin/env bash
# Runs inside xvfb-run for input_test.sh: starts the GUI, clicks, types, waits.
# Usage: input_session.sh WARUNGMQ X Y
set -u
. "$(dirname "$0")/lib.sh"
app=$1 x=$2 y=$3

export WMQ_ANCHORS=$PWD/anchors.json
"$app" gui --paused --exit-after-ms 30000 --state-out state.json --anchors-out "$WMQ_ANCHORS" &
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
xdotool click 1
frames_pass 2
screenshot_and_quit
wait "$pid"
