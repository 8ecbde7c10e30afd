#!/usr/bin/env bash
# Runs inside xvfb-run for input_test.sh: starts the GUI, clicks, types, waits.
# Usage: input_session.sh WARUNGMQ X Y
set -u
app=$1 x=$2 y=$3

"$app" gui --exit-after-ms 30000 --state-out state.json &
pid=$!
wid=$(timeout 20 xdotool search --sync --name '^WarungMQ$' | head -n 1)
if [ -z "$wid" ]; then
  echo "no WarungMQ window appeared" >&2
  kill "$pid"
  exit 1
fi
sleep 0.5  # let a few frames pass so ImGui knows where the widgets are
xdotool mousemove --window "$wid" "$x" "$y"
sleep 0.3
xdotool click 1
sleep 0.5
# Hold each key over several frames: ImGui 1.86 samples key state once per frame, so a press
# and release inside one frame would be missed.
xdotool keydown F12
sleep 0.2
xdotool keyup F12
sleep 0.5
xdotool keydown ctrl+q
sleep 0.2
xdotool keyup ctrl+q
wait "$pid"
