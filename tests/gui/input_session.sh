#!/usr/bin/env bash
# Runs inside xvfb-run for input_test.sh: starts the GUI, clicks, types, waits.
# Usage: input_session.sh WARUNGMQ X Y
set -u
. "$(dirname "$0")/lib.sh"
app=$1 x=$2 y=$3

"$app" gui --paused --exit-after-ms 30000 --state-out state.json &
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
screenshot_and_quit
wait "$pid"
